"""Values ship between processes: pickle and deepcopy round-trip them unchanged.

A Spark job or a multiprocessing pool pickles contacts, qualifiers, verdicts and
pipelines; ``copy.deepcopy`` uses the same protocol.
"""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime

import pytest
from hypothesis import given

import pipelinekit as pk
from tests.strategies import contacts

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def round_trips(value: object) -> list[object]:
    return [pickle.loads(pickle.dumps(value)), copy.deepcopy(value)]


class TestContacts:
    @given(contacts)
    def test_contact_round_trips(self, contact: pk.Contact) -> None:
        """Every contact, facts included, survives pickle and deepcopy."""
        for back in round_trips(contact):
            assert back == contact
            assert isinstance(back, pk.Contact)
            assert back.facts == contact.facts

    def test_facts_stay_read_only(self) -> None:
        contact = pk.Contact(id="c", name="n", facts={"metrics": "x"})
        back = pickle.loads(pickle.dumps(contact))
        assert isinstance(back, pk.Contact)
        with pytest.raises(TypeError):
            back.facts["metrics"] = "changed"  # type: ignore[index]  # read-only on purpose


class TestQualifiersAndVerdicts:
    def test_lazy_verdict_pickles_its_explanation(self) -> None:
        """A verdict not yet explained pickles as its full explanation."""
        q = pk.frameworks.bant(min_budget=pk.Money("1000", "EUR"))
        verdict = q.evaluate(pk.Contact(id="c", name="n", authority=True), at=NOW)
        for back in round_trips(verdict):
            assert back == verdict
            assert str(back) == str(verdict)


class TestPipelines:
    def test_pipeline_round_trips_and_still_works(self) -> None:
        guard = (pk.field("account.employees") >= 100).named("ICP")
        pipeline = pk.Pipeline(guards={"qualify": guard}, forward_only=True)
        lead = pk.Contact(id="c", name="n", account=pk.Account(name="A", employees=500))
        for back in round_trips(pipeline):
            assert isinstance(back, pk.Pipeline)
            assert back.spec == pipeline.spec
            assert dict(back.guards) == dict(pipeline.guards)
            assert repr(back) == repr(pipeline)
            step = back.advance(lead, "qualify", at=NOW)
            assert step.contact.stage is pk.Stage.PROSPECT
            assert step.change.verdict == "PASS ICP"

    def test_spec_and_steps_round_trip(self) -> None:
        spec = pk.PipelineSpec(
            stages=pk.DEFAULT_SPEC.stages,
            transitions=pk.DEFAULT_SPEC.transitions,
            guards={"convert": pk.frameworks.bant()},
        )
        step = pk.Pipeline(spec=spec).advance(pk.Contact(id="c", name="n"), "qualify", at=NOW)
        for back in round_trips((spec, step)):
            assert back == (spec, step)
