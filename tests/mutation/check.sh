#!/usr/bin/env bash
# Run tests against one mutant, as mutmut does, to see whether they kill it:
#   bash tests/mutation/check.sh pipelinekit.values.x__to_amount__mutmut_3 tests/test_values.py
# A failing test (exit code 1, or 2 for a collection error) means the mutant is killed. Needs the mutants/ directory of an
# earlier `run.sh` (mutmut writes every mutant there; MUTANT_UNDER_TEST switches one on).
set -euo pipefail
cd "$(dirname "$0")/../.."
mutant="${1:?the name of a mutant, as score.py lists it}"
shift
export HYPOTHESIS_PROFILE=mutation MUTANT_UNDER_TEST="$mutant"
# MUTANTS: another generation's directory (a worktree's), for tests written here
export PYTHONPATH="${MUTANTS:-$PWD/mutants}/src:$PWD/tests/mutation${PYTHONPATH:+:$PYTHONPATH}"
status=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
.venv/bin/python -m pytest -x -q -p no:cacheprovider -p mutmut_hypothesis "$@" 2>&1 | tee "$log" || status=${PIPESTATUS[0]}
# 4 with a conftest that cannot import pipelinekit: the mutant broke the import (killed)
if [ "$status" = 4 ] && grep -q "ImportError while loading conftest" "$log"; then status=2; fi
# As tests/mutation/verdicts.py reads pytest's exit code: 1 a test failed, 2 a collection
# error the mutant caused (or a conftest it stopped importing); anything else (4: a test id not found, 5: no test ran) decides
# nothing.
case "$status" in
  0) echo "check: $mutant SURVIVES these tests" ;;
  1 | 2) echo "check: $mutant is killed" ;;
  *) echo "check: no verdict for $mutant (pytest exit code $status)"; exit "$status" ;;
esac
