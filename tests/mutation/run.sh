#!/usr/bin/env bash
# Mutation testing (mutmut) over all of src/pipelinekit; the
# configuration is [tool.mutmut] in pyproject.toml. Too slow for .ci/run: run it by hand,
#   bash tests/mutation/run.sh            # every mutant (incremental: a re-run resumes)
#   bash tests/mutation/run.sh "pipelinekit.lifecycle._table*"   # one module's mutants
#   bash tests/mutation/run.sh "pipelinekit.qualifiers.items*" "pipelinekit.qualifiers.paths*"
# (several globs: those modules only; the scores printed are of the matching mutants only)
# then read the scores it prints (docs/quality.md has the latest ones). Needs the mutation
# extra: .venv/bin/pip install -e ".[mutation]". Runs at the lowest CPU priority (shared
# machines); MUTMUT_CHILDREN sets the parallel workers (default 2).
set -euo pipefail
cd "$(dirname "$0")/../.."
export HYPOTHESIS_PROFILE=mutation
export PYTHONPATH="$PWD/tests/mutation${PYTHONPATH:+:$PYTHONPATH}"
nice -n 19 .venv/bin/python -m mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "$@" || true
nice -n 19 .venv/bin/python tests/mutation/score.py "$@"
