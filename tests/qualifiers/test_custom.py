"""Custom ``pk.Qualifier`` subclasses: combinable, named, labelled, never serialized, run once."""

from __future__ import annotations

import pickle
import re
import traceback
from datetime import UTC, datetime, timedelta

import pytest

import pipelinekit as pk
from pipelinekit.qualifiers import Outcome

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
#: What an object repr looks like: it must never reach a label, a verdict or history.
ADDRESS = re.compile(r"object at 0x|0x[0-9a-f]{6,}")


class HasMeeting(pk.Qualifier):
    """PASS when a meeting is among the touchpoints; UNKNOWN when there are none."""

    def __init__(self) -> None:
        self.calls = 0

    def outcome(self, subject: object, at: datetime | None) -> pk.Outcome:
        self.calls += 1
        touchpoints = getattr(subject, "touchpoints", None)
        if not touchpoints:
            return pk.Outcome.UNKNOWN
        met = any(t.channel is pk.Channel.MEETING for t in touchpoints)
        return pk.Outcome.PASS if met else pk.Outcome.FAIL


class MetRecently(pk.Qualifier):
    """A custom check that needs ``at``, with its own wording and explanation."""

    def __init__(self, days: int) -> None:
        self.days = days

    @property
    def needs_time(self) -> bool:
        return True

    def infix(self) -> str:
        return f"met in the last {self.days} days"

    def outcome(self, subject: object, at: datetime | None) -> pk.Outcome:
        assert at is not None
        touchpoints = getattr(subject, "touchpoints", ())
        recent = any(at - t.timestamp <= timedelta(days=self.days) for t in touchpoints)
        return pk.Outcome.PASS if recent else pk.Outcome.FAIL

    def explain(self, subject: object, at: datetime | None, prefix: str) -> pk.Verdict:
        outcome = self.outcome(subject, at)
        return pk.Verdict(outcome=outcome, label=self.label, reason=f"{self.label}: {outcome}")


def _met(*, meeting: bool = True) -> pk.Contact:
    channel = pk.Channel.MEETING if meeting else pk.Channel.EMAIL
    touch = pk.Touchpoint(channel=channel, timestamp=NOW - timedelta(days=3))
    return pk.Contact(
        id="c-1", name="Jane", account=pk.Account(name="A", employees=500), touchpoints=(touch,)
    )


BIG = pk.field("account.employees") >= 100


class TestCombining:
    def test_operators_accept_custom_qualifiers(self) -> None:
        """``&``, ``|``, ``~`` work with a custom qualifier on either side."""
        meeting = HasMeeting()
        for q in (meeting & BIG, BIG & meeting, meeting | BIG, BIG | meeting):
            assert meeting in q.children
            assert q(_met())
        assert (~meeting)(_met(meeting=False))
        assert not (~meeting)(_met())
        assert ~~meeting is meeting

    def test_factories_accept_custom_qualifiers(self) -> None:
        """``all_of``, ``any_of``, ``at_least``, ``weighted`` and ``any_item`` take them too."""
        meeting = HasMeeting()
        assert pk.all_of(meeting, BIG)(_met())
        assert pk.any_of(meeting, BIG)(_met(meeting=False))
        assert pk.at_least(2, meeting, BIG, pk.field("budget").is_known())(_met())
        weighted = pk.weighted({meeting: 2, BIG: 1}, threshold=2)
        assert weighted(_met())
        assert weighted.evaluate(_met(meeting=False)).outcome is Outcome.FAIL
        team = pk.Contact(id="c-2", name="Al", stakeholders=(pk.Stakeholder(name="Max"),))
        assert pk.any_item("stakeholders", meeting).evaluate(team).outcome is Outcome.UNKNOWN

    def test_outcomes_follow_kleene_logic(self) -> None:
        """An UNKNOWN custom check is UNKNOWN in the tree, not FAIL."""
        silent = pk.Contact(id="c-3", name="Bo", account=pk.Account(name="A", employees=500))
        q = HasMeeting() & BIG
        assert q.evaluate(silent).outcome is Outcome.UNKNOWN
        assert (HasMeeting() | BIG).evaluate(silent).outcome is Outcome.PASS
        assert not q(silent)

    def test_non_qualifiers_are_still_refused(self) -> None:
        with pytest.raises(TypeError):
            HasMeeting() & True  # the point of the test
        with pytest.raises(pk.QualifierError, match="argument 2 must be a qualifier"):
            pk.all_of(HasMeeting(), "budget")  # type: ignore[arg-type]  # the point


class TestLabels:
    def test_label_is_the_class_name(self) -> None:
        """An unnamed custom qualifier reads as its class name, never an object repr."""
        meeting = HasMeeting()
        assert meeting.label == str(meeting) == "HasMeeting"
        assert repr(meeting) == "HasMeeting()"
        assert str(meeting & BIG) == "(HasMeeting) & (account.employees >= 100)"

    def test_named(self) -> None:
        """``named`` returns a named copy; the original keeps no name."""
        meeting = HasMeeting()
        named = meeting.named("Met in person", "a meeting is logged")
        assert (named.name, named.description, named.label) == (
            "Met in person",
            "a meeting is logged",
            "Met in person",
        )
        assert meeting.name is None
        assert meeting.label == "HasMeeting"
        assert repr(named) == "HasMeeting().named('Met in person', 'a meeting is logged')"
        assert named.evaluate(_met()).label == "Met in person"
        assert named.evaluate(_met()).name == "Met in person"
        assert (named & BIG).evaluate(_met(meeting=False)).failures(named=True)[0].name == (
            "Met in person"
        )
        assert pk.all_of(meeting, named).children == (meeting, named)

    def test_named_checks_the_name(self) -> None:
        with pytest.raises(pk.QualifierError, match="name must be one line"):
            HasMeeting().named("two\nlines")

    def test_infix_override_and_explain(self) -> None:
        q = MetRecently(7)
        assert q.label == "met in the last 7 days"
        verdict = (q & BIG).evaluate(_met(), at=NOW)
        assert verdict.outcome is Outcome.PASS
        assert verdict.children[0].reason == "met in the last 7 days: pass"

    def test_no_repr_anywhere(self) -> None:
        """Explanations, summaries and reprs of trees with custom checks hold no address."""
        q = (HasMeeting() & BIG) | ~HasMeeting()
        texts = [repr(q), str(q), q.label]
        for contact in (_met(), _met(meeting=False)):
            verdict = q.evaluate(contact)
            texts += [str(verdict), verdict.summary(), repr(verdict)]
        for text in texts:
            assert not ADDRESS.search(text), text

    def test_default_explanation(self) -> None:
        verdict = HasMeeting().evaluate(_met(meeting=False))
        assert (verdict.outcome, verdict.label, verdict.reason) == (
            Outcome.FAIL,
            "HasMeeting",
            "failed",
        )
        assert verdict.summary() == "FAIL HasMeeting: failed"


class TestTime:
    def test_needs_time_is_enforced(self) -> None:
        """A custom check that needs ``at`` makes the whole tree need it."""
        q = MetRecently(7) & BIG
        with pytest.raises(pk.QualifierError, match="pass at="):
            q(_met())
        with pytest.raises(pk.QualifierError, match="pass at="):
            MetRecently(7).evaluate(_met())
        assert q(_met(), at=NOW)
        assert not q(_met(), at=NOW + timedelta(days=30))


class TestNotImplemented:
    def test_outcome_is_required(self) -> None:
        class Empty(pk.Qualifier):
            pass

        with pytest.raises(NotImplementedError, match="Empty must implement outcome"):
            (Empty() & BIG)(_met())
        with pytest.raises(NotImplementedError, match="Empty must implement outcome"):
            Empty().evaluate(_met())


class TestSerialization:
    def test_to_dict_raises_unsupported_type(self) -> None:
        """A custom qualifier is code, not data: ``to_dict`` says so, alone or nested."""
        for q in (HasMeeting(), BIG & HasMeeting(), ~HasMeeting().named("Met")):
            with pytest.raises(pk.UnsupportedType, match="custom qualifier HasMeeting") as e:
                pk.to_dict(q)
            assert e.value.type is HasMeeting

    def test_pickles_with_its_name(self) -> None:
        q = HasMeeting().named("Met")
        back = pickle.loads(pickle.dumps(q))
        assert back.label == "Met"
        assert back(_met())


class TestPipeline:
    def test_history_records_the_label(self) -> None:
        """``StageChange.verdict`` holds the label, never an object repr."""
        for guard, expected in (
            (HasMeeting(), "PASS HasMeeting"),
            (HasMeeting().named("Met in person"), "PASS Met in person"),
            (HasMeeting() & BIG, "PASS (HasMeeting) & (account.employees >= 100)"),
        ):
            step = pk.Pipeline(guards={"qualify": guard}).advance(_met(), "qualify", at=NOW)
            assert step.change.verdict == expected
            assert not ADDRESS.search(pk.to_dict(step.contact)["history"][0]["verdict"])

    def test_blocked_verdict_names_it(self) -> None:
        pipeline = pk.Pipeline(guards={"qualify": HasMeeting().named("Met")})
        with pytest.raises(pk.TransitionBlocked) as e:
            pipeline.advance(_met(meeting=False), "qualify", at=NOW)
        assert e.value.verdict.label == "Met"
        assert "Met" in str(e.value)


class Record:
    """A caller's own mutable object driven by the generated machine."""

    def __init__(self) -> None:
        self.stage = "lead"
        self.account = pk.Account(name="A", employees=500)
        self.touchpoints = (pk.Touchpoint(channel=pk.Channel.EMAIL, timestamp=NOW),)


class TestRunsOnce:
    """Custom code runs once per subject and call, on every path."""

    def test_call_filter_evaluate(self) -> None:
        meeting = HasMeeting()
        q = BIG & meeting
        contacts = [_met(), _met(meeting=False), _met()]
        assert q(contacts[0])
        assert meeting.calls == 1
        assert q.filter(contacts) == [contacts[0], contacts[2]]
        assert meeting.calls == 4
        verdict = q.evaluate(contacts[1])
        assert verdict.outcome is Outcome.FAIL
        assert str(verdict)  # reading the explanation runs nothing more
        assert meeting.calls == 5
        assert (~q)(contacts[1])
        assert meeting.calls == 6

    def test_as_a_pipeline_guard(self) -> None:
        meeting = HasMeeting()
        pipeline = pk.Pipeline(guards={"qualify": meeting & BIG})
        step = pipeline.advance(_met(), "qualify", at=NOW)
        assert step.contact.stage == pk.Stage.PROSPECT
        assert meeting.calls == 1
        result = pipeline.advance_many([_met(), _met()], "qualify", at=NOW)
        assert len(result.advanced) == 2
        assert meeting.calls == 3

    def test_blocked_guard_is_checked_then_explained(self) -> None:
        """A blocked guard runs twice: its check, then its explanation; never a third time."""
        for blocked_by in ("advance", "advance_many", "machine"):
            meeting = HasMeeting()
            pipeline = pk.Pipeline(guards={"qualify": meeting & BIG})
            lead = _met(meeting=False)
            if blocked_by == "advance":
                with pytest.raises(pk.TransitionBlocked):
                    pipeline.advance(lead, "qualify", at=NOW)
            elif blocked_by == "advance_many":
                assert len(pipeline.advance_many([lead], "qualify", at=NOW).blocked) == 1
            else:
                machine = pipeline.machine_class(model=Record())
                with pytest.raises(pk.TransitionBlocked):
                    machine.send("qualify", at=NOW)
            assert meeting.calls == 2, blocked_by

    def test_skip_route_checks_each_guard_once(self) -> None:
        """On a skip route, a guard that passed its check is only explained once more."""
        first, second = HasMeeting(), HasMeeting()
        pipeline = pk.Pipeline(guards={"qualify": first, "convert": ~second}, allow_skips=True)
        with pytest.raises(pk.TransitionBlocked) as e:
            pipeline.advance(_met(), "convert", at=NOW)
        assert e.value.verdict.outcome is Outcome.FAIL
        assert (first.calls, second.calls) == (2, 2)

    def test_raising_guard_runs_once_when_blocked(self) -> None:
        """A guard that raises on its check is not run again to explain the block."""
        calls = []

        class Raising(pk.Qualifier):
            def outcome(self, subject: object, at: datetime | None) -> pk.Outcome:
                calls.append(1)
                raise ZeroDivisionError("boom")

        pipeline = pk.Pipeline(guards={"qualify": Raising()})
        with pytest.raises(pk.TransitionBlocked, match="boom") as e:
            pipeline.advance(_met(), "qualify", at=NOW)
        assert e.value.verdict.outcome is Outcome.UNKNOWN
        assert len(calls) == 1


class Counting:
    """A caller's object whose properties count their reads (and may raise)."""

    def __init__(self, employees: object = 500, *, fail: bool = False) -> None:
        self.reads = 0
        self._employees = employees
        self.fail = fail

    @property
    def employees(self) -> object:
        self.reads += 1
        if self.fail:
            raise RuntimeError("database gone")
        return self._employees


class TestPropertiesReadOnce:
    """A property of the caller's object is read once per leaf and call, on every path."""

    @pytest.mark.parametrize(
        "q",
        [
            pk.field("employees") >= 100,
            pk.field("employees").is_in({500, 7}),
            pk.field("employees").matches("5"),
            pk.field("employees").is_empty(),
            (pk.field("employees") >= 100) & pk.field("name").is_missing(),
        ],
        ids=repr,
    )
    @pytest.mark.parametrize("value", [500, 3, "many", None, float("nan")], ids=repr)
    def test_each_path(self, q: pk.Qualifier, value: object) -> None:
        subject = Counting(value)
        q(subject)
        assert subject.reads == 1
        q.filter([subject])
        assert subject.reads == 2
        q.evaluate(subject)
        assert subject.reads == 3
        (~q)(subject)
        assert subject.reads == 4

    def test_a_raising_property_runs_once_and_its_error_once(self) -> None:
        """The caller's error propagates at once: raised once, not chained with a copy."""
        q = (pk.field("employees") >= 100) & (pk.field("x") == 1)
        for run in (q, lambda s: q.filter([s]), q.evaluate):
            subject = Counting(fail=True)
            with pytest.raises(RuntimeError, match="database gone") as e:
                run(subject)
            assert subject.reads == 1
            assert e.value.__context__ is None
            assert e.value.__cause__ is None


class TestTracebacks:
    def test_traceback_shows_the_generated_line(self) -> None:
        """Generated code is registered in linecache: a traceback shows its source."""
        q = (pk.field("employees") >= 100) & (pk.field("x") == 1)
        with pytest.raises(RuntimeError) as e:
            q(Counting(fail=True))
        text = "".join(traceback.format_exception(e.value))
        assert 'File "<pipelinekit generated qualifier ' in text
        assert "return True if" in text  # the generated line itself
        assert "_read(_s, _c" in text

    def test_same_shape_same_file(self) -> None:
        """Trees of the same shape share one source (values live in the namespace)."""
        a, b = pk.field("a") >= 1, pk.field("a") >= 2
        assert a({"a": 1})
        assert not b({"a": 1})
        files = {getattr(q._check, "__code__").co_filename for q in (a, b)}  # noqa: B009
        assert len(files) == 1
        assert files.pop().startswith("<pipelinekit generated qualifier ")
