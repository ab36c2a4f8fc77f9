"""The timing the benchmark scripts share: medians of interleaved runs, collector off."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence


def seconds(run: Callable[[], object]) -> float:
    """One run's wall time, with the garbage collector collected first and off while timed."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start
    finally:
        gc.enable()


def medians(*runs: Callable[[], object], repeat: int) -> tuple[float, ...]:
    """The median time of each run over ``repeat`` rounds.

    The runs are interleaved round by round, so load from other processes hits every
    side alike instead of whichever happened to run while the machine was busy.
    """
    rounds = [[seconds(run) for run in runs] for _ in range(repeat)]
    return tuple(statistics.median(r[i] for r in rounds) for i in range(len(runs)))


def report(
    pairs: Sequence[tuple[str, Callable[[], object], Callable[[], object], float | None]],
    *,
    n: int,
    repeat: int,
    unit: str = "µs",
) -> None:
    """Time each (label, ours, baseline, goal) pair interleaved and print per-item ratios."""
    scale = {"ns": 1e9, "µs": 1e6}[unit]
    places = 0 if unit == "ns" else 2
    print(f"{'':12} {'pipelinekit':>14} {'hand-written':>14} {'ratio':>7} {'goal':>6}")
    for label, ours, theirs, goal in pairs:
        mine, base = medians(ours, theirs, repeat=repeat)
        ratio = mine / base
        if goal is None:
            target, flag = "-", "(no goal)"
        else:
            target, flag = f"{goal:5.1f}x", "ok" if ratio <= goal else "MISSED"
        ours_each, theirs_each = mine / n * scale, base / n * scale
        print(
            f"{label:12} {ours_each:11.{places}f} {unit} {theirs_each:11.{places}f} {unit} "
            f"{ratio:6.2f}x {target:>6} {flag}"
        )
