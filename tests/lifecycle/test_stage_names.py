"""One stage-name rule for specs, contacts, changes and documents; advance always round-trips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.stages import stage_name

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


class TestOneRule:
    @pytest.mark.parametrize("name", ["Customer", "LEAD", "Lost"])
    def test_spec_refuses_case_variants_of_builtins(self, name: str) -> None:
        """What Contact refuses, a spec refuses too, saying which name was meant."""
        with pytest.raises(pk.InvalidPipeline, match=f"did you mean {name.lower()!r}"):
            pk.StageSpec(name)
        with pytest.raises(pk.InvalidPipeline, match=f"did you mean {name.lower()!r}"):
            pk.PipelineSpec(
                stages=[name, pk.StageSpec("won", final=True, outcome="won")],
                transitions=[pk.Transition("win", name, "won")],
            )
        with pytest.raises(pk.FieldValueError, match=f"did you mean {name.lower()!r}"):
            pk.Contact(id="c", name="n", stage=name)

    def test_transition_refuses_case_variants(self) -> None:
        with pytest.raises(pk.InvalidPipeline, match="did you mean 'customer'"):
            pk.Transition("win", "opportunity", "Customer")

    def test_document_refuses_case_variants_at_their_path(self) -> None:
        doc = {"stages": ["Lead", {"name": "won", "final": True}], "transitions": []}
        with pytest.raises(pk.SchemaError, match="did you mean 'lead'") as info:
            pk.PipelineSpec.from_dict(doc)
        assert info.value.path == "$.stages[0]"
        contact_doc = {"id": "c", "name": "n", "stage": "Customer"}
        with pytest.raises(pk.SchemaError, match="did you mean 'customer'") as info:
            pk.from_dict(contact_doc, pk.Contact)
        assert info.value.path == "$.stage"

    def test_whitespace_around_a_builtin_name_hints_it(self) -> None:
        with pytest.raises(pk.FieldValueError, match="whitespace; did you mean 'lead'"):
            pk.StageChange(event="e", source=" lead", target="prospect", at=NOW)

    def test_custom_names_accepted_everywhere(self) -> None:
        spec = pk.PipelineSpec(
            stages=["nurture", pk.StageSpec("won", final=True, outcome="won")],
            transitions=[pk.Transition("win", "nurture", "won")],
        )
        contact = pk.Contact(id="c", name="n", stage=spec.initial)
        step = pk.Pipeline(spec=spec).advance(contact, "win", at=NOW)
        assert pk.from_dict(pk.to_dict(step.contact), pk.Contact) == step.contact

    def test_rule_lives_in_one_place(self) -> None:
        """stages.stage_name is the rule: the spec's and the contact's errors are its words."""
        with pytest.raises(pk.FieldValueError) as rule:
            stage_name("stage", "Prospect")
        with pytest.raises(pk.InvalidPipeline) as spec:
            pk.StageSpec("Prospect")
        assert str(rule.value).removeprefix("stage: ") == str(spec.value)


class TestDidYouMean:
    def test_contact_stage_typo_meets_a_pipeline(self) -> None:
        """A document's stage typo gets a hint the first time a pipeline sees it."""
        typo = pk.from_dict({"id": "c", "name": "n", "stage": "prospekt"}, pk.Contact)
        pipeline = pk.Pipeline()
        calls: list[Any] = [
            lambda: pipeline.advance(typo, "convert", at=NOW),
            lambda: pipeline.blockers(typo, "convert", at=NOW),
            lambda: pipeline.possible_events(typo),
            lambda: pipeline.allowed_events(typo, at=NOW),
            lambda: pipeline.next_action(typo, at=NOW),
        ]
        for call in calls:
            with pytest.raises(pk.InvalidTransition, match="did you mean 'prospect'"):
                call()
        with pytest.raises(pk.InvalidPipeline, match="did you mean 'prospect'"):
            pipeline.spec.stage_of(typo)
        result = pipeline.advance_many([typo], "convert", at=NOW)
        assert "did you mean 'prospect'" in str(result.invalid[0][1])

    def test_no_hint_for_a_far_name(self) -> None:
        far = pk.Contact(id="c", name="n", stage="zzzz")
        with pytest.raises(pk.InvalidTransition) as info:
            pk.Pipeline().possible_events(far)
        assert "did you mean" not in str(info.value)

    def test_event_typo(self) -> None:
        with pytest.raises(pk.InvalidTransition, match="did you mean 'qualify'"):
            pk.Pipeline().advance(pk.Contact(id="c", name="n"), "qualfy", at=NOW)

    def test_questions_about_no_event_carry_none(self) -> None:
        """possible_events is a method, not an event: the error's .event says so with None."""
        typo = pk.Contact(id="c", name="n", stage="prospekt")
        for call in (
            lambda: pk.Pipeline().possible_events(typo),
            lambda: pk.Pipeline().allowed_events(typo, at=NOW),
            lambda: pk.Pipeline().next_action(typo, at=NOW),
        ):
            with pytest.raises(pk.InvalidTransition) as info:
                call()
            assert info.value.event is None
            assert info.value.stage == "prospekt"


# -- the round-trip law ------------------------------------------------------------------

_BUILTIN_LIKE = ["lead", "Lead", "LEAD", "customer", "Customer", "lost", "Lost", "prospect"]
_names = st.sampled_from(_BUILTIN_LIKE) | st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
_offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@st.composite
def specs(draw: st.DrawFn) -> pk.PipelineSpec:
    """Random specs: a chain to a final stage plus extras (InvalidPipeline when refused)."""
    names = draw(st.lists(_names, min_size=2, max_size=5, unique=True))
    stages = [
        pk.StageSpec(n, final=last, outcome="won" if last else "open")
        for i, n in enumerate(names)
        for last in [i == len(names) - 1]
    ]
    transitions = [
        pk.Transition(f"go{i}", names[i], names[i + 1], reason_required=draw(st.booleans()))
        for i in range(len(names) - 1)
    ]
    for index in range(draw(st.integers(0, 3))):
        sources = draw(st.sets(st.sampled_from(names[:-1]), min_size=1))
        target = draw(st.sampled_from(names))
        transitions.append(
            pk.Transition(f"x{index}", tuple(sorted(sources)), target, reason_required=True)
        )
    guarded = draw(st.sets(st.sampled_from([t.event for t in transitions])))
    guards = {event: pk.field("facts.ok") == True for event in guarded}  # noqa: E712  # a leaf
    return pk.PipelineSpec(stages=stages, transitions=transitions, guards=guards)


@given(data=st.data())
@example(data=None)  # the "Lead"-as-initial-stage case, worked by hand below
def test_whatever_advance_returns_round_trips(data: st.DataObject | None) -> None:
    """Any spec that builds has stages Contact accepts, and every contact advance
    returns (any events, reasons, people, times in order) loads back equal."""
    if data is None:
        with pytest.raises(pk.InvalidPipeline, match="did you mean 'lead'"):
            pk.PipelineSpec(
                stages=["Lead", pk.StageSpec("won", final=True, outcome="won")],
                transitions=[pk.Transition("win", "Lead", "won")],
            )
        return
    try:
        spec = data.draw(specs())
    except pk.InvalidPipeline as error:  # a name Contact refuses too, a clash, a reserved name
        message = str(error)
    else:
        message = ""
    if message:
        allowed = (
            "did you mean",
            "both a stage and an event",
            "reserved by python-statemachine",
            "is not an identifier",  # a Python keyword ("as", "if") drawn as a name
        )
        assert any(words in message for words in allowed), message
        return
    assert spec is not None
    pipeline = pk.Pipeline(spec=spec, allow_skips=data.draw(st.booleans()))
    contact = pk.Contact(id="c-1", name="Jane", stage=spec.initial, facts={"ok": True})
    at = NOW.astimezone(data.draw(_offsets))
    for _ in range(data.draw(st.integers(1, 6))):
        at = (at + data.draw(st.sampled_from([timedelta(0), timedelta(hours=5)]))).astimezone(
            data.draw(_offsets)
        )
        events = sorted(pipeline.possible_events(contact))
        if not events:
            break
        step = pipeline.advance(
            contact,
            data.draw(st.sampled_from(events)),
            at=at,
            by=data.draw(st.none() | st.text(min_size=1, max_size=8).filter(str.strip)),
            reason=data.draw(st.text(min_size=1, max_size=8).filter(str.strip)),
        )
        contact = step.contact
        assert pk.from_dict(pk.to_dict(contact), pk.Contact) == contact
        assert pipeline.replay(contact) == contact.stage
