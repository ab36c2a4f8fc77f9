"""The generated python-statemachine class, and its agreement with the compiled table."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from statemachine import Event, StateMachine
from statemachine.exceptions import TransitionNotAllowed

import pipelinekit as pk
from tests.lifecycle.guards import NOW, FactGuard, contact


class Lead:
    """A caller's own mutable model object (an ORM row, say)."""

    def __init__(self, status: str, facts: Mapping[str, bool]) -> None:
        self.status = status
        self.facts = facts


class TestMachineClass:
    def test_states(self, pipeline: pk.Pipeline) -> None:
        machine = pipeline.machine_class
        assert issubclass(machine, StateMachine)
        assert [s.value for s in machine.states] == [s.name for s in pk.DEFAULT_SPEC.stages]
        assert machine.initial_state.value == "lead"
        assert [s.value for s in machine.final_states] == ["customer"]
        for event in pk.DEFAULT_SPEC.events:
            assert isinstance(getattr(machine, event), Event)

    def test_binds_to_own_model(self, pipeline: pk.Pipeline) -> None:
        lead = Lead("lead", {"fit": True, "bant": True})
        machine = pipeline.machine_class(model=lead, state_field="status")
        machine.send("qualify", at=NOW)
        assert lead.status == "prospect"
        machine.send("convert", at=NOW)
        assert lead.status == "opportunity"
        machine.send("lose", reason="price")
        assert lead.status == "lost"

    def test_new_model_starts_at_initial_stage(self, pipeline: pk.Pipeline) -> None:
        class Blank:
            stage: str | None = None

        blank = Blank()
        pipeline.machine_class(model=blank, state_field="stage")
        assert blank.stage == "lead"

    def test_guard_rejection_carries_verdict(self, pipeline: pk.Pipeline) -> None:
        lead = Lead("lead", {})
        machine = pipeline.machine_class(model=lead, state_field="status")
        with pytest.raises(pk.TransitionBlocked, match=r"missing facts\.fit") as e:
            machine.send("qualify", at=NOW)
        assert e.value.verdict.missing() == ("facts.fit",)
        assert lead.status == "lead"

    def test_reason_required(self, pipeline: pk.Pipeline) -> None:
        lead = Lead("prospect", {})
        machine = pipeline.machine_class(model=lead, state_field="status")
        with pytest.raises(pk.ReasonRequired):
            machine.send("disqualify")
        assert lead.status == "prospect"

    def test_event_not_applying(self, pipeline: pk.Pipeline) -> None:
        machine = pipeline.machine_class(model=Lead("lead", {}), state_field="status")
        with pytest.raises(TransitionNotAllowed):
            machine.send("win")

    def test_machines_do_not_share_state(self, pipeline: pk.Pipeline) -> None:
        first, second = Lead("lead", {"fit": True}), Lead("lead", {"fit": True})
        pipeline.machine_class(model=first, state_field="status").send("qualify", at=NOW)
        assert (first.status, second.status) == ("prospect", "lead")

    def test_mermaid(self, pipeline: pk.Pipeline) -> None:
        text = pipeline.to_mermaid()
        assert text.startswith("stateDiagram-v2")
        assert "lead --> prospect : qualify" in text
        assert "disqualified --> lead : recycle" in text
        assert "disqualified --> lead" not in pk.Pipeline(forward_only=True).to_mermaid()

    def test_dot(self, pipeline: pk.Pipeline) -> None:
        pytest.importorskip("pydot")
        assert "SalesPipelineMachine" in pipeline.to_dot()


# -- the machine and the table agree ----------------------------------------------------

Outcome = tuple[str, Any]


def via_table(
    pipeline: pk.Pipeline, stage: str, facts: dict[str, bool], event: str, reason: str | None
) -> Outcome:
    try:
        step = pipeline.advance(contact(stage, **facts), event, at=NOW, reason=reason)
    except pk.TransitionBlocked as e:
        return ("blocked", (e.event, e.verdict.outcome, e.verdict.missing()))
    except pk.ReasonRequired:
        return ("reason", None)
    except pk.InvalidTransition:
        return ("invalid", None)
    return ("moved", str(step.contact.stage))


def via_machine(
    pipeline: pk.Pipeline, stage: str, facts: dict[str, bool], event: str, reason: str | None
) -> Outcome:
    lead = Lead(stage, facts)
    machine = pipeline.machine_class(model=lead, state_field="status")
    try:
        machine.send(event, at=NOW, reason=reason)
    except pk.TransitionBlocked as e:
        assert lead.status == stage
        return ("blocked", (e.event, e.verdict.outcome, e.verdict.missing()))
    except pk.ReasonRequired:
        assert lead.status == stage
        return ("reason", None)
    except TransitionNotAllowed:
        assert lead.status == stage
        return ("invalid", None)
    return ("moved", lead.status)


POLICIES: list[dict[str, Any]] = [{}, {"forward_only": True}, {"allow_skips": True}]
FACTS = [
    {k: v for k, v in (("fit", fit), ("bant", bant)) if v is not None}
    for fit, bant in itertools.product((True, False, None), repeat=2)
]


@pytest.mark.parametrize("policy", POLICIES, ids=str)
def test_default_pipeline_agrees_everywhere(policy: dict[str, Any]) -> None:
    """Every stage, event, guard outcome and reason: the machine and the table agree."""
    pipeline = pk.Pipeline(
        guards={"qualify": FactGuard("fit"), "convert": FactGuard("bant")}, **policy
    )
    events = [*pk.DEFAULT_SPEC.events, "teleport"]
    seen = set()
    for stage, event, facts, reason in itertools.product(
        [s.name for s in pk.DEFAULT_SPEC.stages], events, FACTS, (None, "why")
    ):
        expected = via_table(pipeline, stage, facts, event, reason)
        assert via_machine(pipeline, stage, facts, event, reason) == expected, (stage, event)
        seen.add(expected[0])
    assert seen == {"moved", "blocked", "reason", "invalid"}


@st.composite
def pipelines(draw: st.DrawFn) -> pk.Pipeline:
    """Random valid pipelines: a chain to a final stage plus random extra transitions."""
    size = draw(st.integers(2, 6))
    names = [f"s{i}" for i in range(size)]
    stages = [pk.StageSpec(n, final=(i == size - 1)) for i, n in enumerate(names)]
    transitions = [pk.Transition(f"next{i}", names[i], names[i + 1]) for i in range(size - 1)]
    extra = draw(
        st.lists(
            st.tuples(st.sets(st.sampled_from(names[:-1]), min_size=1), st.sampled_from(names)),
            max_size=4,
        )
    )
    for index, (sources, target) in enumerate(extra):
        reason = draw(st.booleans())
        transitions.append(
            pk.Transition(f"extra{index}", tuple(sorted(sources)), target, reason_required=reason)
        )
    guarded = draw(st.sets(st.sampled_from([t.event for t in transitions])))
    guards = {event: FactGuard(f"f_{event}") for event in sorted(guarded)}
    spec = pk.PipelineSpec(stages=stages, transitions=transitions, guards=guards)
    return pk.Pipeline(spec=spec, **draw(st.sampled_from(POLICIES)))


@given(pipeline=pipelines(), data=st.data())
def test_random_pipelines_agree(pipeline: pk.Pipeline, data: st.DataObject) -> None:
    """On random pipelines, policies, stages, events and guard outcomes, both engines agree."""
    stage = data.draw(st.sampled_from([s.name for s in pipeline.spec.stages]))
    event = data.draw(st.sampled_from(pipeline.spec.events))
    facts = {
        f"f_{e}": value
        for e in pipeline.guards
        if (value := data.draw(st.sampled_from([True, False, None]))) is not None
    }
    reason = data.draw(st.sampled_from([None, "why"]))
    expected = via_table(pipeline, stage, facts, event, reason)
    assert via_machine(pipeline, stage, facts, event, reason) == expected
