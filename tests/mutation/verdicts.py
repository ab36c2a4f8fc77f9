"""Decide mutants without ``mutmut run``: each against the tests mutmut maps to it.

``mutmut run`` starts with a clean pass of every test its mutants reach (10 minutes and more
for a sample over all of src) before the first mutant. For a handful of mutants (a
sub-sample's last ones, survivors after new tests) this runs each one's tests directly, as
mutmut's workers do: the tests the stats run mapped to the mutated function
(``mutants/mutmut-stats.json``), fastest first, ``-x``, with ``MUTANT_UNDER_TEST`` set, in a
fresh interpreter. Prints ``name<TAB>verdict`` per mutant: ``killed`` (a test failed),
``survived`` (all passed), ``no tests`` (none is mapped) or ``timeout`` (still running after
``--timeout`` seconds of wall time)::

    python tests/mutation/verdicts.py --jobs 2 NAME... > verdicts.tsv

``--also PATH`` (repeatable) runs these tests too (first), for every mutant: tests written since the
stats run, which ``mutmut-stats.json`` does not map yet (``mutmut run`` maps them at its
start).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_INDEX = re.compile(r"__mutmut_\d+$")


def tests_of(name: str, stats: dict[str, object], existing: frozenset[str]) -> list[str]:
    """The tests mapped to ``name``'s function, fastest first (as mutmut orders them).

    Only those in ``existing`` (the ids collected today): a test renamed since the stats
    run would make pytest stop with "not found".
    """
    by_function = stats["tests_by_mangled_function_name"]
    durations = stats["duration_by_test"]
    assert isinstance(by_function, dict)
    assert isinstance(durations, dict)
    tests = [t for t in by_function.get(_INDEX.sub("", name), []) if t in existing]
    return sorted(tests, key=lambda t: durations.get(t, 0.0))


def collected() -> frozenset[str]:
    """The ids of every test pytest collects today (the mutation selection's files)."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=os.environ | {"HYPOTHESIS_PROFILE": "default"},
    )
    return frozenset(line for line in done.stdout.splitlines() if "::" in line)


def verdict(name: str, tests: list[str], timeout: float) -> str:
    """Run ``tests`` with mutant ``name`` switched on; the verdict, as the module says."""
    if not tests:
        return "no tests"
    env = os.environ | {
        "HYPOTHESIS_PROFILE": "mutation",
        "MUTANT_UNDER_TEST": name,
        "PYTHONPATH": f"{ROOT / 'mutants' / 'src'}:{ROOT / 'tests' / 'mutation'}",
    }
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    command += ["-p", "mutmut_hypothesis", "-p", "no:randomly", *tests]
    try:
        done = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            command, cwd=ROOT, env=env, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    return verdict_of(done.returncode, done.stderr.decode(errors="replace"))


def verdict_of(returncode: int, stderr: str) -> str:
    """The verdict of a pytest run with a mutant switched on, from its exit code.

    1: a test failed. 2: pytest stopped at a collection error, and 4 with "ImportError while
    loading conftest": a conftest could not import pipelinekit. Both errors are the
    mutant's (the clean code imports), and every test, in CI too, would fail: killed. Any
    other 4 (a test id not found) or 5 (no test ran) decides nothing.
    """
    if returncode == 4 and "ImportError while loading conftest" in stderr:
        return "killed"
    return {0: "survived", 1: "killed", 2: "killed"}.get(returncode, f"error {returncode}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", help="mutant names")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per mutant")
    parser.add_argument("--also", action="append", default=[], help="tests to run as well")
    args = parser.parse_args()
    stats = json.loads((ROOT / "mutants" / "mutmut-stats.json").read_text(encoding="utf-8"))
    existing = collected()

    def one(name: str) -> str:
        tests = tests_of(name, stats, existing)
        result = f"{name}\t{verdict(name, [*args.also, *tests], args.timeout)}"
        sys.stdout.write(result + "\n")
        sys.stdout.flush()
        return result

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        list(pool.map(one, args.names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
