"""Print the mutation score per module from mutmut's results (run by ``tests/mutation/run.sh``).

The score of a module is killed / (killed + survived), where "killed" also counts the
mutants that timed out or that crash the interpreter (both are detected by the tests), and
"survived" also counts the mutants no test reaches ("no tests"). Mutants not yet run are
listed apart, so a partial run is never reported as a complete one. The last line is the
overall score over every mutant that ran, across all the modules reported, with the count
of those not run. Arguments (the globs
given to ``run.sh``, such as ``"pipelinekit.qualifiers.items*"``) restrict the report to the
mutants they match; without arguments every module is reported.
"""

from __future__ import annotations

import fnmatch
import subprocess
import sys
from collections import Counter, defaultdict

KILLED = frozenset({"killed", "timeout", "segfault", "caught by type check"})
SURVIVED = frozenset({"survived", "no tests"})


def module_of(mutant: str) -> str:
    """The dotted module of a mutant name such as ``pipelinekit._codegen.x_f__mutmut_3``."""
    parts = mutant.split(".")
    return ".".join(p for p in parts[:-1] if p)


def main(patterns: list[str]) -> int:
    """Read ``mutmut results --all true``; print one line per module, the survivors, the total.

    Only the mutants matching one of ``patterns`` (globs) count, or all when there are none.
    """
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: list[str] = []
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if not sep or "__mutmut_" not in name:
            continue
        if patterns and not any(fnmatch.fnmatchcase(name, p) for p in patterns):
            continue
        counts[module_of(name)][status] += 1
        if status in SURVIVED:
            survivors.append(f"{name}: {status}")
    for module, c in sorted(counts.items()):
        score, killed, survived, other = tally(c)
        print(
            f"{module}: mutation score {score} ({killed} killed, {survived} survived"
            f"{f', {other} not run' if other else ''})"
        )
    print(f"{len(survivors)} survivors:")
    for s in survivors:
        print(f"  {s}")
    print(overall(counts))
    return 0


def tally(c: Counter[str]) -> tuple[str, int, int, int]:
    """The score ("NN %", or "n/a" when none ran), killed, survived, and not run, of ``c``."""
    killed = sum(c[s] for s in KILLED)
    survived = sum(c[s] for s in SURVIVED)
    done = killed + survived
    score = f"{100 * killed / done:.0f} %" if done else "n/a"
    return score, killed, survived, sum(c.values()) - done


def overall(counts: dict[str, Counter[str]]) -> str:
    """The line across all modules: ``mutation score: NN %`` over the mutants that ran."""
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    score, killed, survived, not_run = tally(total)
    done = killed + survived
    return (
        f"overall: mutation score: {score} over the {done} mutants that ran"
        f" ({killed} killed, {survived} survived) in {len(counts)} modules; {not_run} not run"
    )


if __name__ == "__main__":
    raise SystemExit(main([a for a in sys.argv[1:] if not a.startswith("-")]))  # globs, not options
