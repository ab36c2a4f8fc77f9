"""Fuzz budget: ``PIPELINEKIT_FUZZ=deep`` runs the large one (see docs/quality.md)."""

from __future__ import annotations

import os

from hypothesis import settings

#: Examples per fuzz test: the default run stays under about a minute on two cores.
FUZZ_EXAMPLES = 2000 if os.environ.get("PIPELINEKIT_FUZZ") == "deep" else 60

settings.register_profile("fuzz", parent=settings.get_profile("default"), max_examples=FUZZ_EXAMPLES)
