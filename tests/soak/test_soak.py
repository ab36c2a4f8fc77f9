"""The soak run in the suite, on a smaller population (``.ci/run`` runs a million)."""

from __future__ import annotations

import os

import attrs
import pytest

from tests.soak import run

COUNT = int(os.environ.get("PIPELINEKIT_SOAK_CONTACTS", "30000"))


@pytest.mark.slow
def test_a_population_through_the_pipeline_keeps_every_invariant() -> None:
    tally, measured = run.run(COUNT)
    assert tally.problems == []
    assert tally.contacts == COUNT
    assert sum(tally.stages.values()) == COUNT
    # Every outcome happened: some contacts were blocked at each step and some got through.
    assert all(tally.blocked[event] > 0 for event in run.EVENTS)
    assert tally.stages["customer"] > 0
    assert tally.changes == sum(tally.reached.values())
    # The peak memory is the process's (the whole suite's, here): the full run in .ci/run
    # reports it for the soak alone (docs/quality.md).
    assert measured["seconds"] > 0


def test_a_contact_is_made_again_the_same() -> None:
    assert run.contact(7) == run.contact(7)
    assert run.contact(7) != run.contact(8)


def test_the_checks_catch_a_lost_change() -> None:
    """A contact that lost its last change (its version still counts it) is reported, and
    its history no longer adds up to the changes made."""
    moved = next(
        c
        for n in range(200)
        for c in run._advance([run.contact(n)], run.Tally())
        if len(c.history) == 1
    )
    tally = run.Tally()
    run._check([attrs.evolve(moved, history=moved.history[:-1])], tally)
    assert any("version" in problem for problem in tally.problems)
    assert tally.recorded == 0
    tally = run.Tally()
    run._check([moved], tally)
    assert tally.problems == []
