"""Print a seeded, uniform random sample of mutmut's mutants of ``src/pipelinekit``.

A full mutation run (every mutant of every module) takes far longer than a session on a
2-core machine, so the score of the whole library is estimated from a sample: every mutant
mutmut generated has the same chance to be drawn, so the share of the sample that is
killed estimates the share of all mutants that would be, and ``score.py --sample`` gives
its 95 % interval. Run by ``tests/mutation/run.sh --sample SIZE [SEED]``, which generates
the mutants first; by hand::

    python tests/mutation/sample.py 1000 2026     # one mutant name per line

The names are read from the ``.meta`` files mutmut writes beside each mutated module
(``mutants/src/**/*.py.meta``). The same seed over the same code draws the same sample;
``--exclude FILE`` leaves out the names listed in FILE (one per line), so a second sample
can be drawn from the mutants the first did not hold; ``--within FILE`` draws from the names
in FILE only (a random subset of a random sample is a random sample of all mutants: when a
sample cannot finish in the time there is, a smaller one drawn from it can).

``--shuffled`` prints the sample in the random order of the draw instead of sorted: every
first ``k`` lines of it are themselves a uniform random sample. Decide the mutants in that
order (``verdicts.py``) and stop when the time is up; ``score.py --verdicts`` scores the
longest decided beginning, which is a random sample however costly its mutants were (mutmut's
own order, fastest first, is not).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path


def all_mutants(root: Path) -> list[str]:
    """Every mutant name mutmut generated under ``root`` (its ``mutants`` directory), sorted."""
    names: set[str] = set()
    for meta in root.glob("src/**/*.py.meta"):
        names.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return sorted(names)


def draw(
    names: list[str],
    size: int,
    seed: int,
    exclude: frozenset[str] = frozenset(),
    *,
    shuffled: bool = False,
) -> list[str]:
    """``size`` names drawn without replacement from ``names`` minus ``exclude``, sorted.

    The draw depends on the set of names and the seed only, not on the order given.
    ``shuffled``: in the order drawn (the same names as sorted), so that every beginning of
    the list is a uniform random sample too.
    """
    pool = sorted(n for n in names if n not in exclude)
    if not 0 < size <= len(pool):
        raise SystemExit(f"sample size must be between 1 and {len(pool)}, got {size}")
    drawn = random.Random(seed).sample(pool, size)  # noqa: S311 (a sample, not a secret)
    return drawn if shuffled else sorted(drawn)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, help="how many mutants to draw")
    parser.add_argument("seed", type=int, nargs="?", default=2026, help="the random seed")
    parser.add_argument("--exclude", type=Path, help="a file of names not to draw")
    parser.add_argument("--within", type=Path, help="a file of names to draw from")
    parser.add_argument("--shuffled", action="store_true", help="in the order drawn, not sorted")
    parser.add_argument("--root", type=Path, default=Path("mutants"), help="mutmut's directory")
    args = parser.parse_args()
    if args.within is not None:
        names = sorted(set(args.within.read_text(encoding="utf-8").split()))
    else:
        names = all_mutants(args.root)
    if not names:
        raise SystemExit(
            f"no mutants under {args.root}/src: run mutmut first (run.sh --sample does)"
        )
    exclude: frozenset[str] = frozenset()
    if args.exclude is not None:
        exclude = frozenset(args.exclude.read_text(encoding="utf-8").split())
    print("\n".join(draw(names, args.size, args.seed, exclude, shuffled=args.shuffled)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
