"""Print the mutation score per module from mutmut's results (run by ``tests/mutation/run.sh``).

The score of a module is killed / (killed + survived), where "killed" also counts the
mutants that timed out or that crash the interpreter (both are detected by the tests), and
"survived" also counts the mutants no test reaches ("no tests"). Mutants not yet run are
listed apart, so a partial run is never reported as a complete one. The last line is the
overall score over every mutant that ran, across all the modules reported, with the count
of those not run. Arguments (the globs
given to ``run.sh``, such as ``"pipelinekit.qualifiers.items*"``) restrict the report to the
mutants they match; without arguments every module is reported. With ``--sample`` (the
names are a random sample, from ``sample.py``) the overall line adds the 95 % interval of the
score of all mutants that the sample's score estimates, and a line per area (package).

``score.py --verdicts VERDICTS.tsv ORDER`` scores the output of ``verdicts.py`` instead of
mutmut's results: ORDER is a sample in the order drawn (``sample.py --shuffled``) and the
score is of its longest beginning whose every mutant has a verdict, a random sample
whatever the cost of its mutants (a mutant whose run ended in an error, such as a test id
renamed since the stats run, is left out and listed).
"""

from __future__ import annotations

import fnmatch
import math
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

KILLED = frozenset({"killed", "timeout", "segfault", "caught by type check"})
SURVIVED = frozenset({"survived", "no tests"})


def module_of(mutant: str) -> str:
    """The dotted module of a mutant name such as ``pipelinekit._codegen.x_f__mutmut_3``."""
    parts = mutant.split(".")
    return ".".join(p for p in parts[:-1] if p)


def main(patterns: list[str], *, sample: bool = False) -> int:
    """Read ``mutmut results --all true``; print one line per module, the survivors, the total.

    Only the mutants matching one of ``patterns`` (names or globs) count, or all when there
    are none. ``sample``: the patterns are a random sample's names (see the module's text).
    """
    exact = frozenset(p for p in patterns if not any(c in p for c in "*?["))
    globs = [p for p in patterns if p not in exact]
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
        if patterns and name not in exact and not any(fnmatch.fnmatchcase(name, p) for p in globs):
            continue
        counts[module_of(name)][status] += 1
        if status in SURVIVED:
            survivors.append(f"{name}: {status}")
    report(counts, survivors, sample=sample)
    return 0


def decided_beginning(
    order: list[str], verdicts: dict[str, str]
) -> tuple[list[tuple[str, str]], list[str]]:
    """The mutants of ``order`` up to the first without a verdict, and those left out.

    Returns the ``(name, verdict)`` pairs of that beginning and the names in it whose run
    ended in an error (``error N`` from ``verdicts.py``): they decide nothing and are left out.
    """
    decided: list[tuple[str, str]] = []
    left_out: list[str] = []
    for name in order:
        status = verdicts.get(name)
        if status is None:
            break
        if status in KILLED or status in SURVIVED:
            decided.append((name, status))
        else:
            left_out.append(name)
    return decided, left_out


def read_verdicts(path: Path) -> dict[str, str]:
    """``name<TAB>verdict`` lines (``verdicts.py``'s output) as a dict; the last line wins."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, status = line.partition("\t")
        if sep:
            found[name.strip()] = status.strip()
    return found


def score_verdicts(verdicts_file: Path, order_file: Path) -> int:
    """Print the score of the decided beginning of a shuffled sample (the module's text)."""
    order = order_file.read_text(encoding="utf-8").split()
    decided, left_out = decided_beginning(order, read_verdicts(verdicts_file))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for name, status in decided:
        counts[module_of(name)][status] += 1
    survivors = [f"{name}: {status}" for name, status in decided if status in SURVIVED]
    reached = len(decided) + len(left_out)
    print(
        f"the first {reached} of the {len(order)} mutants in the order drawn are decided"
        f" ({len(left_out)} left out: {', '.join(left_out) or 'none'})"
    )
    report(counts, survivors, sample=True)
    return 0


def report(counts: dict[str, Counter[str]], survivors: list[str], *, sample: bool) -> None:
    """Print a line per module, the survivors, the areas (for a sample) and the total."""
    for module, c in sorted(counts.items()):
        score, killed, survived, other = tally(c)
        print(
            f"{module}: mutation score {score} ({killed} killed, {survived} survived"
            f"{f', {other} not run' if other else ''})"
        )
    print(f"{len(survivors)} survivors:")
    for s in survivors:
        print(f"  {s}")
    if sample:
        areas: dict[str, Counter[str]] = defaultdict(Counter)
        for module, c in counts.items():
            areas[area_of(module)].update(c)
        for area, c in sorted(areas.items()):
            score, killed, survived, other = tally(c)
            print(f"area {area}: mutation score {score} ({killed} killed, {survived} survived)")
    print(overall(counts, sample=sample))


def area_of(module: str) -> str:
    """The package of a module: ``pipelinekit.qualifiers`` for ``pipelinekit.qualifiers.core``.

    Top-level modules (``pipelinekit.values``) are the area ``pipelinekit``.
    """
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 else parts[0]


def wilson(killed: int, done: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95 % for the default ``z``) of ``killed / done``, in %."""
    if not done:
        return 0.0, 100.0
    p = killed / done
    centre = p + z * z / (2 * done)
    half = z * math.sqrt(p * (1 - p) / done + z * z / (4 * done * done))
    scale = 1 + z * z / done
    return 100 * (centre - half) / scale, 100 * (centre + half) / scale


def tally(c: Counter[str]) -> tuple[str, int, int, int]:
    """The score ("NN %", or "n/a" when none ran), killed, survived, and not run, of ``c``."""
    killed = sum(c[s] for s in KILLED)
    survived = sum(c[s] for s in SURVIVED)
    done = killed + survived
    score = f"{100 * killed / done:.0f} %" if done else "n/a"
    return score, killed, survived, sum(c.values()) - done


def overall(counts: dict[str, Counter[str]], *, sample: bool = False) -> str:
    """The line across all modules: ``mutation score: NN %`` over the mutants that ran.

    ``sample``: the mutants are a uniform random sample, and the line gives the 95 % interval
    of the score of the population they were drawn from (once every one of them has run).
    """
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    score, killed, survived, not_run = tally(total)
    done = killed + survived
    line = (
        f"overall: mutation score: {score} over the {done} mutants that ran"
        f" ({killed} killed, {survived} survived) in {len(counts)} modules; {not_run} not run"
    )
    if sample and not_run:
        # mutmut runs the mutants with the fastest tests first: the part that ran is biased
        line += "; the sample did not finish, so this is no estimate of all mutants"
    elif sample:
        low, high = wilson(killed, done)
        line += f"; a random sample: 95 % interval {low:.1f}-{high:.1f} % for all mutants"
    return line


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--verdicts"]:
        if len(args) != 3:
            raise SystemExit("usage: score.py --verdicts VERDICTS.tsv ORDER")
        raise SystemExit(score_verdicts(Path(args[1]), Path(args[2])))
    raise SystemExit(main([a for a in args if not a.startswith("-")], sample="--sample" in args))
