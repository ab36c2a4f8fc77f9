"""A pytest plugin for mutation runs: a deterministic, small Hypothesis profile.

mutmut calls ``pytest.main`` several times in one process (the clean run, the run that maps
tests to functions, then one forked run per mutant), which Hypothesis's ``differing_executors``
health check mistakes for a flaky test. Derandomised examples make a mutant's verdict
reproducible: the same mutant is killed or survives on every run. Loaded by
``tests/mutation/run.sh`` (``-p mutmut_hypothesis``), before ``tests/conftest.py`` picks the
profile named by ``HYPOTHESIS_PROFILE``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "mutation",
    max_examples=5,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.differing_executors, HealthCheck.too_slow],
)
