"""Fixtures of the lifecycle tests."""

from __future__ import annotations

import pytest

import pipelinekit as pk
from tests.lifecycle.guards import FactGuard


@pytest.fixture
def fit() -> FactGuard:
    return FactGuard("fit")


@pytest.fixture
def bant() -> FactGuard:
    return FactGuard("bant")


@pytest.fixture
def pipeline(fit: FactGuard, bant: FactGuard) -> pk.Pipeline:
    """The default pipeline with guards on qualify and convert."""
    return pk.Pipeline(guards={"qualify": fit, "convert": bant})
