"""A pytest plugin for mutation runs: a deterministic, small Hypothesis profile, fresh caches.

mutmut calls ``pytest.main`` several times in one process (the clean run, the run that maps
tests to functions, then one forked run per mutant), which Hypothesis's ``differing_executors``
health check mistakes for a flaky test. Derandomised examples make a mutant's verdict
reproducible: the same mutant is killed or survives on every run. Loaded by
``tests/mutation/run.sh`` (``-p mutmut_hypothesis``), before ``tests/conftest.py`` picks the
profile named by ``HYPOTHESIS_PROFILE``.

Each mutant's run is forked from the process that ran the whole selection, so whatever
pipelinekit builds once and keeps (the converters of :mod:`pipelinekit.serialization`, the
``functools.cache`` tables) is inherited already built, by the original code: a mutant in
the code that builds it would never run, and survive untested. When a mutant is active, the
session therefore starts with those caches empty, as a fresh interpreter would; in the stats
run every test does (see ``pytest_runtest_setup``).
"""

from __future__ import annotations

import functools
import os
import sys

from hypothesis import HealthCheck, settings

settings.register_profile(
    "mutation",
    max_examples=5,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.differing_executors, HealthCheck.too_slow],
)


def forget_built_state() -> None:
    """Empty pipelinekit's build-once state: ``functools`` caches, converters, targets."""
    for name, module in list(sys.modules.items()):
        if not (name == "pipelinekit" or name.startswith("pipelinekit.")):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()
    serialization = sys.modules.get("pipelinekit.serialization")
    if serialization is not None:
        serialization._built.clear()
        serialization._TARGETS.clear()


def pytest_sessionstart() -> None:
    """In a mutant's run (not the clean or the stats run), start from fresh caches."""
    if "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", ""):
        forget_built_state()


def pytest_runtest_setup() -> None:
    """In the stats run, every test starts from fresh caches.

    The stats run maps each function to the tests that call it, and a mutant runs only the
    tests mapped to its function. Built once, the converters would be mapped to the one test
    that happened to build them first; rebuilt for every test, they are mapped to every test
    that reads or writes a document.
    """
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        forget_built_state()
