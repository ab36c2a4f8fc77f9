"""Tests that kill the sampled mutants of pipelinekit.lifecycle that survived the suite.

A pickled pipeline keeps its whole policy: ``allow_skips`` as well as ``forward_only``.
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta

import pytest

import pipelinekit as pk


class TestPickledPolicy:
    """A pipeline read back from a pickle has the same repr and fires the same events."""

    @pytest.mark.parametrize("forward_only", [False, True])
    def test_allow_skips_survives_pickling(self, forward_only: bool) -> None:
        pipeline = pk.Pipeline(forward_only=forward_only, allow_skips=True)
        restored = pickle.loads(pickle.dumps(pipeline))
        assert repr(restored) == repr(pipeline)
        assert repr(restored).endswith("allow_skips=True>")
        lead = pk.Contact(id="c-1", name="Jane", stage="lead")
        assert restored.possible_events(lead) == {"qualify", "disqualify", "convert", "win"}


class TestPipelineArguments:
    def test_a_spec_that_is_not_one_is_refused_by_name(self) -> None:
        with pytest.raises(pk.FieldTypeError, match="expected PipelineSpec, got int") as caught:
            pk.Pipeline(spec=5)  # type: ignore[arg-type]
        assert caught.value.field == "spec"


class TestFrozenModel:
    """Binding a frozen object says what to do instead, whole (sample 2027)."""

    def test_the_whole_refusal(self) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            pk.Pipeline().machine_class(model=pk.Contact(id="c", name="n"), state_field="stage")
        assert info.value.field == "model"
        assert str(info.value) == (
            "model: expected a mutable object, got a frozen Contact: the machine assigns its"
            " state field; advance a Contact with Pipeline.advance, or bind a mutable object"
            " of your own"
        )


class TestFinalOpenStage:
    def test_the_whole_refusal(self) -> None:
        with pytest.raises(pk.InvalidPipeline) as info:
            pk.PipelineSpec(
                name="X",
                stages=[pk.StageSpec("a"), pk.StageSpec("b", final=True, outcome="open")],
                transitions=[pk.Transition("go", "a", "b")],
            )
        assert str(info.value) == (
            "stage 'b': a final stage must be closed: give it outcome='won', 'lost' or"
            " 'disqualified' (no event leaves it, so it cannot be open)"
        )


class TestGuardDocuments:
    """A guard's own schema_version is checked and shown when refused (sample 2027)."""

    def test_a_guard_of_another_version_is_refused_showing_it(self) -> None:
        guard = {**pk.to_dict(pk.field("fit") == True), "schema_version": "1"}  # noqa: E712
        document = {
            "stages": ["lead", {"name": "won", "final": True, "outcome": "won"}],
            "transitions": [{"event": "win", "sources": "lead", "target": "won"}],
            "guards": {"win": guard},
        }
        with pytest.raises(pk.SchemaError) as info:
            pk.PipelineSpec.from_dict(document)
        assert info.value.path == "$.guards.win.schema_version"
        assert info.value.problem == "unsupported schema_version str '1'; this pipelinekit reads 1"


class TestProbabilityText:
    def test_a_probability_that_is_no_number(self) -> None:
        with pytest.raises(pk.InvalidPipeline) as info:
            pk.StageSpec("a", probability="abc")
        assert str(info.value) == (
            "probability not a decimal number: 'abc' (write ASCII digits with an optional"
            " decimal point, as in '0.25')"
        )


NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


class TestSample2029:
    """Behaviour pinned after the 2029 mutation sample: whole texts and defaults."""

    def test_a_forward_only_refusal_with_no_event_left_says_none(self) -> None:
        """Moving ``lost`` back under forward-only lists the events that apply as ``none``."""
        with pytest.raises(pk.InvalidTransition) as info:
            pk.Pipeline(forward_only=True).advance(
                pk.Contact(id="c-1", name="Jane", stage="lost"), "recycle", at=NOW
            )
        assert str(info.value) == (
            "event 'recycle' moves 'lost' back, which the forward-only policy refuses;"
            " events that apply: none"
        )
        assert info.value.allowed == frozenset()
        assert (info.value.event, info.value.stage) == ("recycle", "lost")

    def test_a_stage_action_that_is_no_text_is_shown(self) -> None:
        """A document's stage ``action`` that is not a str is refused, showing the value."""
        document = {
            "stages": [
                {"name": "lead", "action": 5},
                {"name": "won", "final": True, "outcome": "won"},
            ],
            "transitions": [{"event": "win", "sources": "lead", "target": "won"}],
        }
        with pytest.raises(pk.SchemaError) as info:
            pk.PipelineSpec.from_dict(document)
        assert info.value.path == "$.stages[0].action"
        assert info.value.problem == "expected a str or null, got int 5"

    def test_dot_colours_the_border_of_closed_stages(self) -> None:
        """The DOT source gives each closed stage its outcome's fill and border colour."""
        pytest.importorskip("pydot")
        lines = pk.Pipeline().to_dot().splitlines()
        style = 'shape=rectangle, style="rounded, filled", fontname=Helvetica, fontsize=10'
        assert (
            f'customer [label="Customer", {style}, fillcolor="#dcfce7", penwidth=2,'
            ' peripheries=2, color="#15803d"];'
        ) in lines
        assert (
            f'lost [label="Lost", {style}, fillcolor="#fee2e2", penwidth=2, peripheries=1,'
            ' color="#b91c1c"];'
        ) in lines
        assert (
            f'disqualified [label="Disqualified", {style}, fillcolor="#f3f4f6", penwidth=2,'
            ' peripheries=1, color="#6b7280"];'
        ) in lines

    def test_a_bound_model_is_read_from_state_by_default(self) -> None:
        """Without ``state_field``, a bound model's stage is its ``state`` attribute."""

        class Deal:
            def __init__(self) -> None:
                self.state = "prospect"

        deal = Deal()
        machine = pk.Pipeline().machine_class(model=deal)
        machine.send("convert")
        assert deal.state == "opportunity"

    def test_a_stage_changed_behind_the_machine_is_refused_by_field(self) -> None:
        """An event on a model whose stage field no longer holds a stage names that field."""

        class Deal:
            stage = "lead"

        deal = Deal()
        machine = pk.Pipeline().machine_class(model=deal, state_field="stage")
        deal.stage = "nurture"
        with pytest.raises(pk.FieldValueError) as info:
            machine.send("qualify")
        assert info.value.field == "stage"
        assert str(info.value) == (
            "stage: 'nurture' is not a stage of SalesPipeline: lead, prospect, opportunity,"
            " customer, disqualified, lost"
        )

    def test_stages_that_are_no_list_are_refused_whole(self) -> None:
        """``stages`` that is not an iterable says what it expected, in full."""
        with pytest.raises(pk.InvalidPipeline) as info:
            pk.PipelineSpec(stages=5, transitions=[])  # type: ignore[arg-type]
        assert str(info.value) == (
            "stages: expected a list of stages (StageSpec or names), got int 5"
        )

    def test_an_event_named_as_a_machine_attribute_is_refused_whole(self) -> None:
        """An event called ``send`` is refused, saying why, in full."""
        with pytest.raises(pk.InvalidPipeline) as info:
            pk.PipelineSpec(
                stages=["lead", pk.StageSpec("won", final=True, outcome="won")],
                transitions=[pk.Transition("send", "lead", "won")],
            )
        assert str(info.value) == (
            "event name 'send' is reserved by python-statemachine (an attribute of every"
            " generated machine)"
        )

    def test_contacts_that_are_not_iterable_are_shown(self) -> None:
        """``advance_many`` given no iterable refuses it on ``contacts``, showing it."""
        with pytest.raises(pk.FieldTypeError) as info:
            pk.Pipeline().advance_many(5, "qualify", at=NOW)  # type: ignore[arg-type]
        assert info.value.field == "contacts"
        assert str(info.value) == "contacts: expected an iterable of Contact, got int 5"


class TestSample2030:
    """Survivors of the 2030 sample (decided before these tests were written)."""

    # history.replay #24: an unknown event says where it is, by index.
    def test_an_unknown_event_in_a_history_is_found_by_index(self) -> None:
        changes = (
            pk.StageChange(event="qualify", source="lead", target="prospect", at=NOW),
            pk.StageChange(event="teleport", source="prospect", target="opportunity", at=NOW),
        )
        with pytest.raises(pk.InvalidHistory) as info:
            pk.Pipeline().replay(changes)
        assert info.value.index == 1
        assert str(info.value) == (
            "history[1] (teleport: prospect → opportunity): 'teleport' is not an event of the"
            " pipeline"
        )

    # pipeline.Pipeline.__repr__ #3: both policies shown, comma-separated.
    def test_the_repr_shows_both_policies(self) -> None:
        pipeline = pk.Pipeline(forward_only=True, allow_skips=True)
        assert repr(pipeline) == (
            "<Pipeline SalesPipeline guards=[], forward_only=True, allow_skips=True>"
        )

    # pipeline.Pipeline.advance_many #83: a blocked contact's verdict is decided at at.
    def test_a_blocked_contacts_verdict_is_decided_at_at(self) -> None:
        recent = pk.field("created_at").within_last(timedelta(days=30))
        old = pk.Contact(id="a", name="A", created_at=NOW - timedelta(days=60))
        result = pk.Pipeline({"qualify": recent}).advance_many([old], "qualify", at=NOW)
        [(contact, verdict)] = result.blocked
        assert contact is old
        assert verdict.outcome is pk.Outcome.FAIL
        assert verdict.reason == ("created_at 2026-09-23T09:30:00+00:00 is more than 30 days ago")
