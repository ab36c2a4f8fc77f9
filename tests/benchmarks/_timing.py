"""The timing the benchmark scripts share: medians of interleaved runs, collector off."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


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
