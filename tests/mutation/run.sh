#!/usr/bin/env bash
# Mutation testing (mutmut) over all of src/pipelinekit; the
# configuration is [tool.mutmut] in pyproject.toml. Too slow for .ci/run: run it by hand,
#   bash tests/mutation/run.sh            # every mutant (incremental: a re-run resumes)
#   bash tests/mutation/run.sh --sample 1000 2026   # a random sample of 1000 (seed 2026)
#   bash tests/mutation/run.sh "pipelinekit.lifecycle._table*"   # one module's mutants
#   bash tests/mutation/run.sh "pipelinekit.qualifiers.items*" "pipelinekit.qualifiers.paths*"
# (several globs: those modules only; the scores printed are of the matching mutants only)
# then read the scores it prints (docs/quality.md has the latest ones). A sample's names are
# kept in mutants/sample-SEED-SIZE.txt; its score estimates that of every mutant, with a 95 %
# interval (tests/mutation/sample.py). Needs the mutation
# extra: .venv/bin/pip install -e ".[mutation]". Runs at the lowest CPU priority (shared
# machines); MUTMUT_CHILDREN sets the parallel workers (default 2).
set -euo pipefail
cd "$(dirname "$0")/../.."
export HYPOTHESIS_PROFILE=mutation
export PYTHONPATH="$PWD/tests/mutation${PYTHONPATH:+:$PYTHONPATH}"
mutmut() { nice -n 19 .venv/bin/python -m mutmut "$@"; }
score=()
if [ "${1:-}" = "--sample" ]; then
  size="${2:?--sample needs a size}"
  seed="${3:-2026}"
  if ! compgen -G "mutants/src/pipelinekit/*.py.meta" >/dev/null; then
    # Generate the mutants and map the tests to functions, without running a mutant: the
    # pattern matches none, so mutmut stops (with an assertion) once both are done.
    mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "pipelinekit.__no_mutant__*" || true
  fi
  file="mutants/sample-$seed-$size.txt"
  .venv/bin/python tests/mutation/sample.py "$size" "$seed" >"$file"
  mapfile -t names <"$file"
  set -- "${names[@]}"
  score=(--sample)
fi
mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "$@" || true
nice -n 19 .venv/bin/python tests/mutation/score.py "${score[@]}" "$@"
