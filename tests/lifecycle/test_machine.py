"""The generated python-statemachine class, and its agreement with the compiled table."""

from __future__ import annotations

import dataclasses
import importlib.util
import itertools
from collections.abc import Mapping
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statemachine import Event, StateMachine

import pipelinekit as pk
from tests.lifecycle import oracle
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
        with pytest.raises(pk.InvalidTransition, match="does not apply to stage 'lead'") as info:
            machine.send("win")
        assert (info.value.event, info.value.stage) == ("win", "lead")
        assert info.value.allowed == {"qualify", "disqualify"}

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

    def test_dot_is_deterministic(self) -> None:
        """Two builds of the same pipeline draw the same text (no id() in it)."""
        pytest.importorskip("pydot")
        first, second = pk.Pipeline().to_dot(), pk.Pipeline().to_dot()
        assert first == second
        assert "__initial_0" in first

    def test_skips_draw_the_transitions(self) -> None:
        """With allow_skips the diagram shows the spec's edges, not every skip route."""
        skipping = pk.Pipeline(allow_skips=True)
        assert skipping.to_mermaid() == pk.Pipeline().to_mermaid()
        assert "lead --> customer" not in skipping.to_mermaid()
        assert skipping.advance(pk.Contact(id="c", name="n"), "win", at=NOW).contact.stage == (
            "customer"
        )
        if importlib.util.find_spec("pydot") is not None:
            assert skipping.to_dot() == pk.Pipeline().to_dot()


class TestMachineErrors:
    """The generated class raises pipelinekit errors, at bind time where it can."""

    def test_send_and_method_call_raise_invalid_transition(self, pipeline: pk.Pipeline) -> None:
        machine: Any = pipeline.machine_class(model=Lead("prospect", {}), state_field="status")
        with pytest.raises(pk.InvalidTransition, match="does not apply"):
            machine.send("win")
        with pytest.raises(pk.InvalidTransition, match="does not apply"):
            machine.win()

    def test_unknown_event(self, pipeline: pk.Pipeline) -> None:
        machine = pipeline.machine_class(model=Lead("lead", {}), state_field="status")
        with pytest.raises(pk.InvalidTransition, match="unknown event 'qualfy'") as info:
            machine.send("qualfy")
        assert info.value.event == "qualfy"

    def test_unknown_stage_at_bind_time(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.FieldValueError, match="did you mean 'prospect'") as info:
            pipeline.machine_class(model=Lead("prospekt", {}), state_field="status")
        assert info.value.field == "status"
        with pytest.raises(pk.FieldValueError, match="not a stage") as info:
            pipeline.machine_class(start_value="nowhere")
        assert info.value.field == "start_value"

    def test_unknown_stage_set_after_binding(self, pipeline: pk.Pipeline) -> None:
        row = Lead("lead", {})
        machine = pipeline.machine_class(model=row, state_field="status")
        row.status = "gone"
        with pytest.raises(pk.FieldValueError, match="'gone' is not a stage"):
            machine.send("qualify")

    def test_frozen_models_refused_at_bind_time(self, pipeline: pk.Pipeline) -> None:
        @dataclasses.dataclass(frozen=True)
        class Row:
            status: str = "lead"

        for model in (pk.Contact(id="c", name="n"), Row()):
            with pytest.raises(pk.FieldTypeError, match="frozen") as info:
                pipeline.machine_class(model=model, state_field="status")
            assert info.value.field == "model"

    def test_mutable_attrs_and_dataclass_models_bind(self, pipeline: pk.Pipeline) -> None:
        @attrs.define
        class Row:
            status: str = "lead"
            facts: dict[str, bool] = attrs.Factory(lambda: {"fit": True})

        row = Row()
        pipeline.machine_class(model=row, state_field="status").send("qualify", at=NOW)
        assert row.status == "prospect"


# -- both engines agree with the spec --------------------------------------------------
#
# The machine class is built from the compiled table's routes, so comparing the two alone
# would not catch a routing bug in compile_table. Both are compared with the oracle in
# tests/lifecycle/oracle.py, which reads the spec's transitions and the policy directly.

Result = tuple[str, Any]


def via_table(
    pipeline: pk.Pipeline, stage: str, facts: dict[str, bool], event: str, reason: str | None
) -> Result:
    try:
        step = pipeline.advance(contact(stage, **facts), event, at=NOW, reason=reason)
    except pk.TransitionBlocked as e:
        return ("blocked", (e.event, e.verdict.outcome, e.verdict.missing()))
    except pk.ReasonRequired:
        return ("reason", None)
    except pk.InvalidTransition:
        return ("invalid", None)
    return ("moved", (str(step.contact.stage), tuple(c.event for c in step.changes)))


def via_machine(
    pipeline: pk.Pipeline, stage: str, facts: dict[str, bool], event: str, reason: str | None
) -> Result:
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
    except pk.InvalidTransition:
        assert lead.status == stage
        return ("invalid", None)
    return ("moved", lead.status)


def check_agreement(
    pipeline: pk.Pipeline,
    policy: dict[str, Any],
    *,
    stage: str,
    facts: dict[str, bool],
    event: str,
    reason: str | None,
) -> str:
    """Assert table, machine and oracle agree; return the kind of outcome."""
    keys = {e: g.key for e, g in pipeline.guards.items() if isinstance(g, FactGuard)}
    want = oracle.expected(
        pipeline.spec, keys, stage=stage, facts=facts, event=event, reason=reason, **policy
    )
    table = via_table(pipeline, stage, facts, event, reason)
    machine = via_machine(pipeline, stage, facts, event, reason)
    context = (stage, event, facts, reason, policy)
    assert table[0] == machine[0] == want[0], (table, machine, want, context)
    if want[0] == "moved":
        assert table[1] == want[1], context
        assert machine[1] == want[1][0], context
    else:
        assert table == machine, context
    return want[0]


POLICIES: list[dict[str, Any]] = [
    {},
    {"forward_only": True},
    {"allow_skips": True},
    {"forward_only": True, "allow_skips": True},
]
FACTS = [
    {k: v for k, v in (("fit", fit), ("bant", bant)) if v is not None}
    for fit, bant in itertools.product((True, False, None), repeat=2)
]


@pytest.mark.parametrize("policy", POLICIES, ids=str)
def test_default_pipeline_agrees_everywhere(policy: dict[str, Any]) -> None:
    """Every stage, event, guard outcome and reason: machine, table and spec agree."""
    pipeline = pk.Pipeline(
        guards={"qualify": FactGuard("fit"), "convert": FactGuard("bant")}, **policy
    )
    events = [*pk.DEFAULT_SPEC.events, "teleport"]
    seen = set()
    for stage, event, facts, reason in itertools.product(
        [s.name for s in pk.DEFAULT_SPEC.stages], events, FACTS, (None, "why")
    ):
        seen.add(
            check_agreement(pipeline, policy, stage=stage, event=event, facts=facts, reason=reason)
        )
    assert seen == {"moved", "blocked", "reason", "invalid"}


@st.composite
def pipelines(draw: st.DrawFn) -> tuple[pk.Pipeline, dict[str, Any]]:
    """Random valid pipelines and policies: a chain to a final stage plus random extras."""
    size = draw(st.integers(2, 6))
    names = [f"s{i}" for i in range(size)]
    stages = [
        pk.StageSpec(n, final=(i == size - 1), outcome="won" if i == size - 1 else "open")
        for i, n in enumerate(names)
    ]
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
    # Shuffled, so that definition order and stage order differ (tie-breaks matter).
    transitions = draw(st.permutations(transitions))
    guarded = draw(st.sets(st.sampled_from([t.event for t in transitions])))
    guards = {event: FactGuard(f"f_{event}") for event in sorted(guarded)}
    spec = pk.PipelineSpec(stages=stages, transitions=transitions, guards=guards)
    policy = draw(st.sampled_from(POLICIES))
    return pk.Pipeline(spec=spec, **policy), policy


@given(drawn=pipelines(), data=st.data())
def test_random_pipelines_agree(
    drawn: tuple[pk.Pipeline, dict[str, Any]], data: st.DataObject
) -> None:
    """On random pipelines, policies, stages, events and guard outcomes, all three agree."""
    pipeline, policy = drawn
    stage = data.draw(st.sampled_from([s.name for s in pipeline.spec.stages]))
    event = data.draw(st.sampled_from(pipeline.spec.events))
    facts = {
        f"f_{e}": value
        for e in pipeline.guards
        if (value := data.draw(st.sampled_from([True, False, None]))) is not None
    }
    reason = data.draw(st.sampled_from([None, "why"]))
    check_agreement(pipeline, policy, stage=stage, facts=facts, event=event, reason=reason)


class TestOracle:
    """The oracle itself, on cases worked out by hand."""

    def test_default_routes(self) -> None:
        spec = pk.DEFAULT_SPEC
        assert [
            t.event
            for t in oracle.route(spec, "lead", "win", forward_only=False, allow_skips=True) or []
        ] == [
            "qualify",
            "convert",
            "win",
        ]
        assert oracle.route(spec, "lead", "lose", forward_only=False, allow_skips=True) is None
        assert oracle.route(spec, "lost", "recycle", forward_only=True, allow_skips=True) is None
        assert oracle.route(spec, "lead", "win", forward_only=False, allow_skips=False) is None
