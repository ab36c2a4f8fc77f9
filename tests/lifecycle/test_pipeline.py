"""Unit tests of the Pipeline API: every event and every failure."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

import pipelinekit as pk
from tests.lifecycle.guards import NOW, FactGuard, contact


def at_stage(stage: str) -> pk.Contact:
    return contact(stage, fit=True, bant=True)


class TestAdvance:
    @pytest.mark.parametrize(
        ("event", "source", "target", "reason"),
        [
            ("qualify", "lead", "prospect", None),
            ("convert", "prospect", "opportunity", None),
            ("win", "opportunity", "customer", None),
            ("lose", "opportunity", "lost", "price"),
            ("disqualify", "lead", "disqualified", "student"),
            ("disqualify", "prospect", "disqualified", "no budget"),
            ("recycle", "disqualified", "lead", None),
            ("recycle", "lost", "lead", None),
        ],
    )
    def test_every_default_transition(
        self, pipeline: pk.Pipeline, event: str, source: str, target: str, reason: str | None
    ) -> None:
        """Each event of the default spec moves its source stage to its target."""
        before = at_stage(source)
        step = pipeline.advance(before, event, at=NOW, by="rep-7", reason=reason)
        assert step.contact.stage == target
        assert step.contact.stage is pk.Stage(target)
        assert step.contact.version == before.version + 1
        assert step.contact.history == (step.change,)
        assert step.changes == (step.change,)
        assert step.change == pk.StageChange(
            event=event,
            source=source,
            target=target,
            at=NOW,
            by="rep-7",
            reason=reason,
            verdict=step.change.verdict,
        )
        assert type(step.change.source) is str
        assert type(step.change.target) is str

    def test_new_contact_equals_validated_one(self, pipeline: pk.Pipeline) -> None:
        """The trusted derivation builds exactly what attrs.evolve would."""
        before = at_stage("lead")
        step = pipeline.advance(before, "qualify", at=NOW)
        expected = attrs.evolve(
            before, stage="prospect", version=1, history=(*before.history, step.change)
        )
        assert step.contact == expected
        assert step.contact.repr_unmasked() == expected.repr_unmasked()

    def test_input_is_unchanged(self, pipeline: pk.Pipeline) -> None:
        before = at_stage("lead")
        snapshot = before.repr_unmasked()
        pipeline.advance(before, "qualify", at=NOW)
        assert before.repr_unmasked() == snapshot
        assert before.stage == "lead"

    def test_history_is_appended(self, pipeline: pk.Pipeline) -> None:
        c = at_stage("lead")
        for event in ("qualify", "convert", "win"):
            c = pipeline.advance(c, event, at=NOW).contact
        assert [h.event for h in c.history] == ["qualify", "convert", "win"]
        assert c.version == 3

    def test_success_verdict_summary(self, pipeline: pk.Pipeline, fit: FactGuard) -> None:
        """A guarded change records 'PASS <label>' without evaluating the explanation."""
        step = pipeline.advance(at_stage("lead"), "qualify", at=NOW)
        assert step.change.verdict == "PASS facts.fit"
        assert fit.calls == ["call"]
        assert step.change.verdict == fit.evaluate(at_stage("lead")).summary()

    def test_unguarded_event_records_no_verdict(self, pipeline: pk.Pipeline) -> None:
        assert pipeline.advance(at_stage("opportunity"), "win", at=NOW).change.verdict is None

    def test_reason_is_recorded_for_any_event(self, pipeline: pk.Pipeline) -> None:
        step = pipeline.advance(at_stage("lead"), "qualify", at=NOW, reason="met at expo")
        assert step.change.reason == "met at expo"

    def test_custom_stage_contact(self) -> None:
        spec = pk.PipelineSpec(
            stages=["new", pk.StageSpec("done", final=True, outcome="won")],
            transitions=[pk.Transition("finish", "new", "done")],
        )
        step = pk.Pipeline(spec=spec).advance(contact("new"), "finish", at=NOW)
        assert step.contact.stage == "done"
        assert type(step.contact.stage) is str


class TestFailures:
    def test_invalid_transition_lists_allowed_events(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.InvalidTransition, match="events that do: disqualify, qualify") as e:
            pipeline.advance(at_stage("lead"), "win", at=NOW)
        assert (e.value.event, e.value.stage) == ("win", "lead")
        assert e.value.allowed == {"qualify", "disqualify"}
        assert isinstance(e.value, ValueError)
        assert isinstance(e.value, pk.PipelineError)

    def test_final_stage(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.InvalidTransition, match="none"):
            pipeline.advance(at_stage("customer"), "recycle", at=NOW)

    def test_unknown_event(self, pipeline: pk.Pipeline) -> None:
        """A misspelt event is an InvalidTransition that names the pipeline's events."""
        with pytest.raises(pk.InvalidTransition, match=r"unknown event 'qualfy'.*qualify"):
            pipeline.advance(at_stage("lead"), "qualfy", at=NOW)

    def test_stage_not_in_pipeline(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.InvalidTransition, match="'nurture' is not a stage"):
            pipeline.advance(contact("nurture"), "qualify", at=NOW)

    def test_blocked_on_fail(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.TransitionBlocked, match=r"FAIL facts\.fit") as e:
            pipeline.advance(contact("lead", fit=False), "qualify", at=NOW)
        assert e.value.event == "qualify"
        assert e.value.verdict.outcome is pk.Outcome.FAIL
        assert isinstance(e.value, ValueError)

    def test_blocked_on_unknown_names_missing_facts(self, pipeline: pk.Pipeline) -> None:
        """UNKNOWN blocks too, and the message says which facts are missing."""
        with pytest.raises(pk.TransitionBlocked, match=r"missing facts\.fit") as e:
            pipeline.advance(contact("lead"), "qualify", at=NOW)
        assert e.value.verdict.outcome is pk.Outcome.UNKNOWN
        assert e.value.verdict.missing() == ("facts.fit",)

    @pytest.mark.parametrize("reason", [None, "", "   "])
    @pytest.mark.parametrize(("event", "stage"), [("lose", "opportunity"), ("disqualify", "lead")])
    def test_reason_required(
        self, pipeline: pk.Pipeline, event: str, stage: str, reason: str | None
    ) -> None:
        with pytest.raises(pk.ReasonRequired) as e:
            pipeline.advance(at_stage(stage), event, at=NOW, reason=reason)
        assert e.value.event == event
        assert isinstance(e.value, ValueError)

    def test_stale_version(self, pipeline: pk.Pipeline) -> None:
        c = at_stage("lead")
        assert pipeline.advance(c, "qualify", at=NOW, expected_version=0).contact.version == 1
        with pytest.raises(pk.StaleVersion) as e:
            pipeline.advance(c, "qualify", at=NOW, expected_version=3)
        assert (e.value.expected, e.value.actual) == (3, 0)
        assert isinstance(e.value, ValueError)

    def test_stale_version_checked_before_the_guard(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.StaleVersion):
            pipeline.advance(contact("lead"), "qualify", at=NOW, expected_version=1)

    def test_naive_at(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.FieldValueError, match="at: datetime must be timezone-aware"):
            pipeline.advance(at_stage("lead"), "qualify", at=datetime(2026, 1, 1))

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"at": "2026-11-22"}, "at"),
            ({"at": NOW, "by": 7}, "by"),
            ({"at": NOW, "reason": b"x"}, "reason"),
            ({"at": NOW, "expected_version": "0"}, "expected_version"),
        ],
    )
    def test_bad_arguments(
        self, pipeline: pk.Pipeline, kwargs: dict[str, object], field: str
    ) -> None:
        with pytest.raises(pk.FieldTypeError) as e:
            pipeline.advance(at_stage("lead"), "qualify", **kwargs)  # type: ignore[arg-type]
        assert e.value.field == field

    def test_not_a_contact(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.FieldTypeError, match="contact: expected Contact"):
            pipeline.advance({"stage": "lead"}, "qualify", at=NOW)  # type: ignore[arg-type]


class TestBlockers:
    def test_full_verdict(self, pipeline: pk.Pipeline) -> None:
        verdict = pipeline.blockers(contact("lead"), "qualify", at=NOW)
        assert verdict.outcome is pk.Outcome.UNKNOWN
        assert verdict.missing() == ("facts.fit",)

    def test_pass(self, pipeline: pk.Pipeline) -> None:
        assert pipeline.blockers(at_stage("lead"), "qualify", at=NOW).passed

    def test_unguarded_event_passes(self, pipeline: pk.Pipeline) -> None:
        verdict = pipeline.blockers(at_stage("opportunity"), "win", at=NOW)
        assert verdict.outcome is pk.Outcome.PASS
        assert verdict.label == "no guard"

    def test_event_not_applying_raises(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.InvalidTransition):
            pipeline.blockers(at_stage("lead"), "win", at=NOW)

    def test_does_not_check_reason(self, pipeline: pk.Pipeline) -> None:
        assert pipeline.blockers(at_stage("opportunity"), "lose", at=NOW).passed


class TestEvents:
    def test_possible_by_stage(self, pipeline: pk.Pipeline) -> None:
        assert pipeline.possible_events(contact("lead")) == {"qualify", "disqualify"}
        assert pipeline.possible_events(contact("customer")) == frozenset()

    @pytest.mark.parametrize(
        "ask",
        [
            lambda p, c: p.possible_events(c),
            lambda p, c: p.allowed_events(c, at=NOW),
            lambda p, c: p.next_action(c, at=NOW),
            lambda p, c: p.blockers(c, "qualify", at=NOW),
            lambda p, c: p.advance(c, "qualify", at=NOW),
        ],
        ids=["possible_events", "allowed_events", "next_action", "blockers", "advance"],
    )
    def test_unknown_stage_is_refused_alike(self, pipeline: pk.Pipeline, ask: Any) -> None:
        """Every question about a contact in a stage the pipeline lacks: InvalidTransition."""
        with pytest.raises(pk.InvalidTransition, match="'unknown_stage' is not a stage") as e:
            ask(pipeline, contact("unknown_stage"))
        assert e.value.stage == "unknown_stage"

    @pytest.mark.parametrize(
        "ask",
        [
            lambda p, c: p.possible_events(c),
            lambda p, c: p.allowed_events(c, at=NOW),
            lambda p, c: p.next_action(c, at=NOW),
            lambda p, c: p.blockers(c, "qualify", at=NOW),
        ],
        ids=["possible_events", "allowed_events", "next_action", "blockers"],
    )
    @pytest.mark.parametrize("thing", [None, {"stage": "lead"}, "lead"])
    def test_not_a_contact(self, pipeline: pk.Pipeline, ask: Any, thing: object) -> None:
        """A non-contact is a FieldTypeError (a PipelineError and a TypeError)."""
        with pytest.raises(pk.FieldTypeError, match="contact: expected Contact") as e:
            ask(pipeline, thing)
        assert isinstance(e.value, TypeError)
        assert isinstance(e.value, pk.PipelineError)

    @pytest.mark.parametrize(
        ("fits", "expected"),
        [(True, {"qualify", "disqualify"}), (False, {"disqualify"}), (None, {"disqualify"})],
    )
    def test_allowed_by_guard(
        self, pipeline: pk.Pipeline, fits: bool | None, expected: set[str]
    ) -> None:
        c = contact("lead") if fits is None else contact("lead", fit=fits)
        assert pipeline.allowed_events(c, at=NOW) == expected


class TestNextAction:
    def test_ready(self, pipeline: pk.Pipeline) -> None:
        action = pipeline.next_action(contact("lead", fit=True), at=NOW)
        assert (action.action, action.event, action.ready) == ("qualify", "qualify", True)

    def test_discover_missing(self, pipeline: pk.Pipeline) -> None:
        action = pipeline.next_action(contact("prospect"), at=NOW)
        assert (action.action, action.event, action.missing) == (
            "discover",
            "convert",
            ("facts.bant",),
        )
        assert "find out facts.bant to convert" in str(action)

    def test_failing_guard_falls_back_to_stage_action(self, pipeline: pk.Pipeline) -> None:
        action = pipeline.next_action(contact("lead", fit=False), at=NOW)
        assert (action.action, action.event, action.ready) == ("nurture", "qualify", False)
        assert "FAIL facts.fit" in action.reason

    def test_unguarded_event_uses_stage_action(self, pipeline: pk.Pipeline) -> None:
        action = pipeline.next_action(contact("opportunity"), at=NOW)
        assert (action.action, action.event) == ("close", "win")

    def test_blocked_guard_explains_before_an_unguarded_sibling(self) -> None:
        """When nothing is ready, the reason names the guarded event that blocks."""
        spec = pk.PipelineSpec(
            stages=[
                pk.StageSpec("discovery", action="find the pain"),
                "nurture",
                "proposal",
                pk.StageSpec("won", final=True, outcome="won"),
            ],
            transitions=[
                pk.Transition("park", "discovery", "nurture"),
                pk.Transition("wake", "nurture", "discovery"),
                pk.Transition("propose", "discovery", "proposal"),
                pk.Transition("win", "proposal", "won"),
            ],
            guards={"propose": FactGuard("ready")},
        )
        action = pk.Pipeline(spec=spec).next_action(contact("discovery", ready=False), at=NOW)
        assert (action.action, action.event) == ("find the pain", "propose")
        assert action.reason.startswith("propose is blocked: FAIL facts.ready")

    def test_final_stage(self, pipeline: pk.Pipeline) -> None:
        action = pipeline.next_action(contact("customer"), at=NOW)
        assert (action.action, action.event, action.verdict) == ("none", None, None)

    def test_unknown_stage(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.InvalidTransition):
            pipeline.next_action(contact("nowhere"), at=NOW)


class TestAdvanceMany:
    def test_sorts_every_contact(self, pipeline: pk.Pipeline) -> None:
        contacts = [
            contact("lead", fit=True),
            contact("lead", fit=False),
            contact("prospect", fit=True),
            contact("lead"),
            contact("lead", fit=True),
        ]
        result = pipeline.advance_many(contacts, "qualify", at=NOW, by="bot")
        assert len(result) == 5
        assert [s.contact.stage for s in result.advanced] == ["prospect", "prospect"]
        assert result.contacts == tuple(s.contact for s in result.advanced)
        assert [c for c, _ in result.blocked] == [contacts[1], contacts[3]]
        assert [v.outcome for _, v in result.blocked] == [pk.Outcome.FAIL, pk.Outcome.UNKNOWN]
        ((invalid, error),) = result.invalid
        assert invalid is contacts[2]
        assert isinstance(error, pk.InvalidTransition)
        assert repr(result) == "BulkResult(advanced=2, blocked=2, invalid=1)"

    def test_same_as_advance(self, pipeline: pk.Pipeline) -> None:
        contacts = [contact("lead", fit=True), contact("lead", fit=True, bant=False)]
        result = pipeline.advance_many(contacts, "qualify", at=NOW, by="bot")
        singles = [pipeline.advance(c, "qualify", at=NOW, by="bot") for c in contacts]
        assert list(result.advanced) == singles

    def test_accepts_any_iterable(self, pipeline: pk.Pipeline) -> None:
        result = pipeline.advance_many((contact("opportunity") for _ in range(3)), "win", at=NOW)
        assert len(result.advanced) == 3

    def test_call_level_errors_raise(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.InvalidTransition, match="unknown event"):
            pipeline.advance_many([contact()], "qualfy", at=NOW)
        with pytest.raises(pk.ReasonRequired):
            pipeline.advance_many([contact()], "disqualify", at=NOW)
        with pytest.raises(pk.FieldValueError):
            pipeline.advance_many([contact()], "qualify", at=datetime(2026, 1, 1))
        with pytest.raises(pk.FieldTypeError, match=r"contacts\[1\]"):
            pipeline.advance_many([contact(), "c-2"], "qualify", at=NOW)  # type: ignore[list-item]

    def test_empty(self, pipeline: pk.Pipeline) -> None:
        assert len(pipeline.advance_many([], "qualify", at=NOW)) == 0


class TestPolicies:
    def test_forward_only_refuses_recycle(self) -> None:
        pipeline = pk.Pipeline(forward_only=True)
        with pytest.raises(pk.InvalidTransition, match="forward-only"):
            pipeline.advance(contact("lost"), "recycle", at=NOW)
        assert pipeline.possible_events(contact("lost")) == frozenset()
        assert pipeline.advance(contact("lead"), "qualify", at=NOW).contact.stage == "prospect"

    def test_skip_records_every_change(self, fit: FactGuard, bant: FactGuard) -> None:
        """A lead converting directly when both guards pass records qualify and convert."""
        pipeline = pk.Pipeline(guards={"qualify": fit, "convert": bant}, allow_skips=True)
        step = pipeline.advance(contact("lead", fit=True, bant=True), "convert", at=NOW)
        assert [(c.event, c.source, c.target) for c in step.changes] == [
            ("qualify", "lead", "prospect"),
            ("convert", "prospect", "opportunity"),
        ]
        assert step.change.event == "convert"
        assert step.contact.version == 2
        assert step.contact.history == step.changes
        assert pipeline.replay(step.contact) == "opportunity"

    @pytest.mark.parametrize(("fits", "budget"), [(True, False), (False, True), (None, True)])
    def test_skip_blocked_by_any_guard(self, fits: bool | None, budget: bool) -> None:
        pipeline = pk.Pipeline(
            guards={"qualify": FactGuard("fit"), "convert": FactGuard("bant")}, allow_skips=True
        )
        facts = {"bant": budget} if fits is None else {"fit": fits, "bant": budget}
        with pytest.raises(pk.TransitionBlocked) as e:
            pipeline.advance(contact("lead", **facts), "convert", at=NOW)
        assert e.value.event == "convert"
        assert e.value.verdict.label == "qualify then convert"
        assert len(e.value.verdict.children) == 2

    def test_skips_do_not_pass_reason_events(self) -> None:
        pipeline = pk.Pipeline(allow_skips=True)
        with pytest.raises(pk.InvalidTransition):
            pipeline.advance(contact("lead"), "recycle", at=NOW)

    def test_direct_route_preferred(self) -> None:
        pipeline = pk.Pipeline(allow_skips=True)
        assert len(pipeline.advance(contact("lead"), "disqualify", at=NOW, reason="x").changes) == 1


class TestReplay:
    def test_consistent(self, pipeline: pk.Pipeline) -> None:
        c = at_stage("lead")
        for event in ("qualify", "convert"):
            c = pipeline.advance(c, event, at=NOW).contact
        assert pipeline.replay(c) == "opportunity"
        assert pipeline.replay(c.history) == "opportunity"
        assert pipeline.replay([]) is None
        assert pipeline.replay(contact("prospect")) == "prospect"

    def test_stage_disagrees(self, pipeline: pk.Pipeline) -> None:
        c = pipeline.advance(at_stage("lead"), "qualify", at=NOW).contact
        with pytest.raises(pk.InvalidHistory, match="ends in 'prospect'"):
            pipeline.replay(attrs.evolve(c, stage="opportunity"))

    def test_version_too_low(self, pipeline: pk.Pipeline) -> None:
        c = pipeline.advance(at_stage("lead"), "qualify", at=NOW).contact
        with pytest.raises(pk.InvalidHistory, match="version 0"):
            pipeline.replay(attrs.evolve(c, version=0))

    def test_broken_chain(self, pipeline: pk.Pipeline) -> None:
        first = pipeline.advance(at_stage("lead"), "qualify", at=NOW).change
        second = pipeline.advance(at_stage("opportunity"), "win", at=NOW).change
        with pytest.raises(pk.InvalidHistory, match="starts in 'opportunity'") as e:
            pipeline.replay([first, second])
        assert e.value.index == 1

    def test_not_a_transition(self, pipeline: pk.Pipeline) -> None:
        bogus = pk.StageChange(event="qualify", source="lead", target="customer", at=NOW)
        with pytest.raises(pk.InvalidHistory, match="moves lead → prospect"):
            pipeline.replay([bogus])
        unknown = pk.StageChange(event="teleport", source="lead", target="customer", at=NOW)
        with pytest.raises(pk.InvalidHistory, match="not an event"):
            pipeline.replay([unknown])

    def test_out_of_order(self, pipeline: pk.Pipeline) -> None:
        """A history written elsewhere (a CRM import) out of order is refused by replay."""
        c = pipeline.advance(at_stage("lead"), "qualify", at=NOW).contact
        back = pk.StageChange(
            event="convert", source="prospect", target="opportunity", at=NOW - timedelta(days=1)
        )
        c = attrs.evolve(c, stage="opportunity", history=(*c.history, back), version=2)
        with pytest.raises(pk.InvalidHistory, match="dated before"):
            pipeline.replay(c)

    def test_not_a_change(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.InvalidHistory, match="not a StageChange"):
            pipeline.replay(["qualify"])  # type: ignore[list-item]

    def test_renamed_stage_keeps_history(self, pipeline: pk.Pipeline) -> None:
        """History stores names as plain strings: they survive any later renaming."""
        change = pipeline.advance(at_stage("lead"), "qualify", at=NOW).change
        assert pk.to_dict(change)["source"] == "lead"
        assert not isinstance(change.source, pk.Stage)


class TestRepr:
    def test_repr(self, pipeline: pk.Pipeline) -> None:
        assert repr(pipeline) == "<Pipeline SalesPipeline guards=['convert', 'qualify']>"
        assert "allow_skips=True" in repr(pk.Pipeline(allow_skips=True))

    def test_properties(self, pipeline: pk.Pipeline, fit: FactGuard) -> None:
        assert pipeline.guards["qualify"] is fit
        assert pipeline.spec.initial == "lead"
        assert pk.Pipeline().spec is pk.DEFAULT_SPEC

    def test_bad_spec_type(self) -> None:
        with pytest.raises(pk.FieldTypeError):
            pk.Pipeline(spec={"stages": []})  # type: ignore[arg-type]


class Exploding(pk.Qualifier):
    """A custom guard whose boolean path (or explanation, or both) raises."""

    def __init__(self, *, in_call: bool = True, in_evaluate: bool = True) -> None:
        self.in_call = in_call
        self.in_evaluate = in_evaluate

    @property
    def label(self) -> str:
        return "exploding"

    def __call__(self, subject: object, *, at: datetime | None = None) -> bool:
        if self.in_call:
            raise ZeroDivisionError("boom")
        return True

    def evaluate(self, subject: object, *, at: datetime | None = None) -> pk.Verdict:
        if self.in_evaluate:
            raise ZeroDivisionError("boom")
        return pk.Verdict(outcome=pk.Outcome.PASS, label="exploding", reason="fine")

    def __str__(self) -> str:
        return "exploding"


class TestUndecidedExplained:
    def test_type_problem_is_in_the_message(self) -> None:
        """An UNKNOWN that is not missing data says why in the message."""
        pipeline = pk.Pipeline(guards={"qualify": pk.field("facts.x") >= 3})
        jane = pk.Contact(id="c-1", name="Jane", facts={"x": "hi"})
        with pytest.raises(pk.TransitionBlocked) as e:
            pipeline.advance(jane, "qualify", at=NOW)
        verdict = e.value.verdict
        assert verdict.outcome is pk.Outcome.UNKNOWN
        assert "not reported" not in str(e.value)
        assert verdict.reason in str(e.value)
        assert "'hi'" in str(e.value)

    def test_errored_leaf_inside_a_composite(self) -> None:
        """Missing facts and an unchecked fact are both named."""
        guard = (pk.field("facts.x") >= 3) & (pk.field("facts.y") >= 1)
        pipeline = pk.Pipeline(guards={"qualify": guard})
        jane = pk.Contact(id="c-1", name="Jane", facts={"x": "hi"})
        with pytest.raises(pk.TransitionBlocked) as e:
            pipeline.advance(jane, "qualify", at=NOW)
        message = str(e.value)
        assert "missing facts.y" in message
        assert "'hi'" in message

    def test_missing_only_message_unchanged(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.TransitionBlocked) as e:
            pipeline.advance(contact("lead"), "qualify", at=NOW)
        assert str(e.value) == (
            "event 'qualify' blocked: not enough facts to decide facts.fit; missing facts.fit"
        )


class TestRaisingGuards:
    @pytest.mark.parametrize(
        ("in_call", "in_evaluate"), [(True, True), (True, False), (False, True)]
    )
    def test_advance_blocks_with_the_error(self, in_call: bool, in_evaluate: bool) -> None:
        """A guard raising blocks: an UNKNOWN verdict carries the error; input unchanged."""
        guard = Exploding(in_call=in_call, in_evaluate=in_evaluate)
        pipeline = pk.Pipeline(guards={"qualify": guard})
        before = contact("lead")
        if not in_call:  # the boolean path passes: the contact advances
            assert pipeline.advance(before, "qualify", at=NOW).contact.stage == "prospect"
            return
        with pytest.raises(pk.TransitionBlocked, match="ZeroDivisionError: boom") as e:
            pipeline.advance(before, "qualify", at=NOW)
        assert e.value.verdict.outcome is pk.Outcome.UNKNOWN
        assert e.value.verdict.error == "ZeroDivisionError: boom"
        assert e.value.verdict.missing() == ()
        assert before.stage == "lead"

    def test_blockers_and_allowed_events_explain(self) -> None:
        pipeline = pk.Pipeline(guards={"qualify": Exploding()})
        verdict = pipeline.blockers(contact("lead"), "qualify", at=NOW)
        assert verdict.outcome is pk.Outcome.UNKNOWN
        assert "boom" in verdict.reason
        assert pipeline.allowed_events(contact("lead"), at=NOW) == {"disqualify"}
        assert pipeline.next_action(contact("lead"), at=NOW).event == "qualify"

    def test_advance_many_sorts_it_into_blocked(self) -> None:
        pipeline = pk.Pipeline(guards={"qualify": Exploding()})
        leads = [contact("lead"), contact("prospect")]
        result = pipeline.advance_many(leads, "qualify", at=NOW)
        ((blocked, verdict),) = result.blocked
        assert blocked is leads[0]
        assert verdict.outcome is pk.Outcome.UNKNOWN
        assert verdict.error == "ZeroDivisionError: boom"
        assert [c for c, _ in result.invalid] == [leads[1]]

    def test_machine_blocks_too(self) -> None:
        class Row:
            status = "lead"

        machine = pk.Pipeline(guards={"qualify": Exploding()}).machine_class(
            model=Row(), state_field="status"
        )
        with pytest.raises(pk.TransitionBlocked, match="boom"):
            machine.send("qualify", at=NOW)

    def test_qualifier_error_is_a_call_mistake(self) -> None:
        """A guard that cannot run without ``at`` raises, as before (not a per-contact verdict)."""
        recent = pk.field("created_at").within(timedelta(days=30))
        pipeline = pk.Pipeline(guards={"qualify": recent})
        with pytest.raises(pk.QualifierError):
            pipeline.blockers(contact("lead"), "qualify", at=None)


class TestAdvanceManyInputs:
    def test_non_contact_raises_before_any_work(self, fit: FactGuard) -> None:
        """A bad item anywhere raises before any guard runs."""
        pipeline = pk.Pipeline(guards={"qualify": fit})
        items: list[Any] = [contact("lead", fit=True), contact("lead", fit=True), "c-3"]
        with pytest.raises(pk.FieldTypeError, match=r"contacts\[2\]: expected Contact"):
            pipeline.advance_many(items, "qualify", at=NOW)
        assert fit.calls == []

    @pytest.mark.parametrize("contacts", [5, None, contact("lead")])
    def test_not_iterable(self, pipeline: pk.Pipeline, contacts: Any) -> None:
        with pytest.raises(pk.FieldTypeError, match="contacts: expected an iterable"):
            pipeline.advance_many(contacts, "qualify", at=NOW)

    def test_contact_subclass_accepted(self, pipeline: pk.Pipeline) -> None:
        @attrs.frozen(kw_only=True)
        class Lead(pk.Contact):
            pass

        result = pipeline.advance_many(
            [Lead(id="c-1", name="Jane")], "disqualify", at=NOW, reason="x"
        )
        assert len(result.advanced) == 1


class TestUnknownEvent:
    def test_allowed_and_stage(self, pipeline: pk.Pipeline) -> None:
        """An unknown event: .allowed is what applies to the stage, .stage as given."""
        with pytest.raises(pk.InvalidTransition, match="unknown event 'teleport'") as e:
            pipeline.advance(contact("lead"), "teleport", at=NOW)
        assert e.value.allowed == {"qualify", "disqualify"}
        assert e.value.stage is pk.Stage.LEAD

    def test_under_a_policy(self) -> None:
        with pytest.raises(pk.InvalidTransition) as e:
            pk.Pipeline(forward_only=True).advance(contact("lost"), "teleport", at=NOW)
        assert e.value.allowed == frozenset()

    def test_bulk_has_no_stage(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.InvalidTransition) as e:
            pipeline.advance_many([contact("lead")], "teleport", at=NOW)
        assert e.value.stage is None
        assert e.value.allowed == set(pk.DEFAULT_SPEC.events)


class TestGuardsArgument:
    def test_not_a_mapping(self) -> None:
        with pytest.raises(pk.FieldTypeError, match="guards: expected a mapping") as e:
            pk.Pipeline(guards=[("qualify", FactGuard("fit"))])  # type: ignore[arg-type]
        assert e.value.field == "guards"
        assert isinstance(e.value, TypeError)

    def test_unknown_event(self) -> None:
        with pytest.raises(pk.InvalidPipeline, match="guards: 'teleport' is not an event"):
            pk.Pipeline(guards={"teleport": FactGuard("fit")})

    def test_not_a_qualifier(self) -> None:
        with pytest.raises(pk.InvalidPipeline, match="guards: the guard of 'qualify' must be"):
            pk.Pipeline(guards={"qualify": lambda c: True})  # type: ignore[dict-item]

    def test_empty_mapping_keeps_the_spec(self) -> None:
        assert pk.Pipeline(guards={}).spec is pk.DEFAULT_SPEC


class TestSkipRules:
    def test_lead_is_never_lost(self) -> None:
        """A skip never ends in an event that needs a reason: lose needs an opportunity."""
        pipeline = pk.Pipeline(allow_skips=True)
        with pytest.raises(pk.InvalidTransition):
            pipeline.advance(contact("lead"), "lose", at=NOW, reason="price")
        assert "lose" not in pipeline.possible_events(contact("lead"))
        assert "lose" not in pipeline.possible_events(contact("prospect"))

    def test_reason_only_on_the_last_hop(self) -> None:
        pipeline = pk.Pipeline(allow_skips=True)
        step = pipeline.advance(contact("lead"), "win", at=NOW, reason="signed at expo")
        assert [(c.event, c.reason) for c in step.changes] == [
            ("qualify", None),
            ("convert", None),
            ("win", "signed at expo"),
        ]
        bulk = pipeline.advance_many([contact("lead")], "win", at=NOW, reason="signed")
        assert [c.reason for c in bulk.advanced[0].changes] == [None, None, "signed"]

    @pytest.mark.parametrize("stage", ["disqualified", "lost"])
    def test_no_skip_via_recycle(self, stage: str) -> None:
        """Disqualified and lost contacts can only recycle: nothing skips through it."""
        pipeline = pk.Pipeline(allow_skips=True)
        assert pipeline.possible_events(contact(stage)) == {"recycle"}
        with pytest.raises(pk.InvalidTransition):
            pipeline.advance(contact(stage), "qualify", at=NOW)

    def test_skips_never_go_backward(self) -> None:
        """In a pipeline with a back edge, a skip route never uses it, not even last."""
        spec = pk.PipelineSpec(
            stages=["a", "b", "c", pk.StageSpec("done", final=True, outcome="won")],
            transitions=[
                pk.Transition("ab", "a", "b"),
                pk.Transition("bc", "b", "c"),
                pk.Transition("back", "c", "b"),
                pk.Transition("reset", "c", "a"),
                pk.Transition("finish", "c", "done"),
            ],
        )
        pipeline = pk.Pipeline(spec=spec, allow_skips=True)
        assert pipeline.possible_events(contact("a")) == {"ab", "bc", "finish"}
        assert pipeline.possible_events(contact("b")) == {"bc", "finish"}
        step = pipeline.advance(contact("a"), "finish", at=NOW)
        assert [c.event for c in step.changes] == ["ab", "bc", "finish"]

    def test_no_skip_through_reason_events(self) -> None:
        spec = pk.PipelineSpec(
            stages=["a", "b", pk.StageSpec("done", final=True, outcome="won")],
            transitions=[
                pk.Transition("park", "a", "b", reason_required=True),
                pk.Transition("finish", "b", "done"),
            ],
        )
        pipeline = pk.Pipeline(spec=spec, allow_skips=True)
        assert pipeline.possible_events(contact("a")) == {"park"}


class TestNextActionWording:
    def test_forward_only_leaves_no_event(self) -> None:
        """Under forward_only, disqualified is not final: the policy leaves it no event."""
        action = pk.Pipeline(forward_only=True).next_action(contact("disqualified"), at=NOW)
        assert action.event is None
        assert "final" not in action.reason
        assert "forward-only" in action.reason

    def test_only_reason_events(self) -> None:
        spec = pk.PipelineSpec(
            stages=["a", pk.StageSpec("done", final=True, outcome="won")],
            transitions=[pk.Transition("drop", "a", "done", reason_required=True)],
        )
        action = pk.Pipeline(spec=spec).next_action(contact("a"), at=NOW)
        assert action.reason == "only events that need a reason leave a: drop"

    def test_final(self, pipeline: pk.Pipeline) -> None:
        assert pipeline.next_action(contact("customer"), at=NOW).reason == "customer is final"


class TestReplayChecks:
    def test_stage_not_in_spec(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.InvalidHistory, match="'nurture', which is not a stage"):
            pipeline.replay(contact("nurture"))

    def test_version_may_exceed_changes(self, pipeline: pk.Pipeline) -> None:
        """A CRM may bump the version for other edits: version >= changes is consistent."""
        c = pipeline.advance(at_stage("lead"), "qualify", at=NOW).contact
        assert pipeline.replay(attrs.evolve(c, version=9)) == "prospect"

    @pytest.mark.parametrize("subject", [None, 5, "qualify"])
    def test_not_a_contact(self, pipeline: pk.Pipeline, subject: Any) -> None:
        with pytest.raises(pk.FieldTypeError, match="subject: expected a Contact or a sequence"):
            pipeline.replay(subject)


def test_forward_only_dead_end_is_not_called_final() -> None:
    """Under forward_only, lost is left no event, but it is not a final stage."""
    with pytest.raises(pk.InvalidTransition, match="no event leaves it under the forward-only"):
        pk.Pipeline(forward_only=True).advance(contact("lost"), "win", at=NOW)


class TestBackDated:
    """A change dated before the last one is refused on ``at``, as replay would refuse it."""

    def test_advance_refuses_an_earlier_at(self, pipeline: pk.Pipeline) -> None:
        c = pipeline.advance(at_stage("lead"), "qualify", at=NOW).contact
        earlier = NOW - timedelta(microseconds=1)
        with pytest.raises(pk.FieldValueError, match="before the last stage change") as info:
            pipeline.advance(c, "convert", at=earlier)
        assert info.value.field == "at"

    def test_equal_times_are_fine(self, pipeline: pk.Pipeline) -> None:
        c = pipeline.advance(at_stage("lead"), "qualify", at=NOW).contact
        c = pipeline.advance(c, "convert", at=NOW).contact
        assert pipeline.replay(c) == "opportunity"

    def test_same_instant_in_another_zone_is_equal(self, pipeline: pk.Pipeline) -> None:
        c = pipeline.advance(at_stage("lead"), "qualify", at=NOW).contact
        same = NOW.astimezone(timezone(timedelta(hours=-5)))
        assert pipeline.advance(c, "convert", at=same).contact.version == 2

    def test_advance_many_refuses_before_any_guard_runs(self) -> None:
        guard = FactGuard("ok")
        pipeline = pk.Pipeline(guards={"convert": guard})
        moved = pipeline.advance(contact("lead", ok=True), "qualify", at=NOW).contact
        fresh = contact("prospect", ok=True)
        with pytest.raises(pk.FieldValueError, match=r"contacts\[1\]") as info:
            pipeline.advance_many([fresh, moved], "convert", at=NOW - timedelta(days=1))
        assert info.value.field == "at"
        assert guard.calls == []
        result = pipeline.advance_many([fresh, moved], "convert", at=NOW)
        assert len(result.advanced) == 2


class TestLostReason:
    """lose(reason=...) fills Opportunity.lost_reason as well as the history."""

    def test_existing_opportunity_keeps_its_other_fields(self, pipeline: pk.Pipeline) -> None:
        deal = pk.Opportunity(amount=pk.Money("1000", "EUR"), next_step="call")
        c = attrs.evolve(at_stage("opportunity"), opportunity=deal)
        lost = pipeline.advance(c, "lose", at=NOW, reason="price").contact
        assert lost.opportunity == attrs.evolve(deal, lost_reason="price")
        assert lost.history[-1].reason == "price"
        assert c.opportunity is deal
        assert deal.lost_reason is None

    def test_without_opportunity_one_is_made(self, pipeline: pk.Pipeline) -> None:
        lost = pipeline.advance(at_stage("opportunity"), "lose", at=NOW, reason="timing").contact
        assert lost.opportunity == pk.Opportunity(lost_reason="timing")
        assert pk.from_dict(pk.to_dict(lost), pk.Contact) == lost

    def test_advance_many_too(self, pipeline: pk.Pipeline) -> None:
        result = pipeline.advance_many([at_stage("opportunity")], "lose", at=NOW, reason="price")
        (step,) = result.advanced
        assert step.contact.opportunity is not None
        assert step.contact.opportunity.lost_reason == "price"

    def test_other_reasons_leave_the_opportunity(self, pipeline: pk.Pipeline) -> None:
        c = pipeline.advance(at_stage("lead"), "disqualify", at=NOW, reason="spam").contact
        assert c.opportunity is None


class TestTextIsNotACollection:
    def test_advance_many_refuses_a_str(self, pipeline: pk.Pipeline) -> None:
        with pytest.raises(pk.FieldTypeError, match="a str is not a collection") as info:
            pipeline.advance_many("c-1", "qualify", at=NOW)  # type: ignore[arg-type]
        assert info.value.field == "contacts"
