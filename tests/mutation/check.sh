#!/usr/bin/env bash
# Run tests against one mutant, as mutmut does, to see whether they kill it:
#   bash tests/mutation/check.sh pipelinekit.values.x__to_amount__mutmut_3 tests/test_values.py
# A failing run (exit code 1) means the mutant is killed. Needs the mutants/ directory of an
# earlier `run.sh` (mutmut writes every mutant there; MUTANT_UNDER_TEST switches one on).
set -euo pipefail
cd "$(dirname "$0")/../.."
mutant="${1:?the name of a mutant, as score.py lists it}"
shift
export HYPOTHESIS_PROFILE=mutation MUTANT_UNDER_TEST="$mutant"
export PYTHONPATH="$PWD/mutants/src:$PWD/tests/mutation${PYTHONPATH:+:$PYTHONPATH}"
if .venv/bin/python -m pytest -x -q -p no:cacheprovider -p mutmut_hypothesis "$@"; then
  echo "check: $mutant SURVIVES these tests"
else
  echo "check: $mutant is killed"
fi
