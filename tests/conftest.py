"""Shared test configuration: Hypothesis profiles chosen by the ``HYPOTHESIS_PROFILE`` env var.

The fuzz suite (tests/fuzz) runs under the ``fuzz`` profile: a fixed budget by default,
the large one with ``PIPELINEKIT_FUZZ=deep`` (see docs/quality.md).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None)
settings.register_profile("fast", max_examples=20, deadline=None)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

#: Examples per fuzz test: the default run keeps tests/fuzz under about a minute on two cores.
FUZZ_EXAMPLES = {"deep": 2000}.get(os.environ.get("PIPELINEKIT_FUZZ", ""), 60)
settings.register_profile(
    "fuzz",
    deadline=None,
    max_examples=FUZZ_EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
