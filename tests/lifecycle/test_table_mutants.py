"""Tests that kill the mutants of lifecycle/table.py that survived the suite (docs/quality.md).

Each test pins a behaviour of the compiled table that a mutation changed without any other
test noticing: the 120-character summary cut, the shortest skip route, the labels and reasons
of skip verdicts, and guards that raise on one path only. All go through the public API.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import pipelinekit as pk

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
LIMIT = 120  # the longest summary label recorded whole


def jane(stage: str = "lead") -> pk.Contact:
    return pk.Contact(id="c-1", name="Jane", stage=stage, facts={"fit": True})


def named(label: str) -> pk.Qualifier:
    return (pk.field("facts.fit") == True).named(label)  # noqa: E712  # a comparison node


class TestSuccessSummary:
    @pytest.mark.parametrize("length", [1, LIMIT - 1, LIMIT])
    def test_a_label_up_to_the_limit_is_recorded_whole(self, length: int) -> None:
        label = "x" * length
        step = pk.Pipeline(guards={"qualify": named(label)}).advance(jane(), "qualify", at=NOW)
        assert step.change.verdict == f"PASS {label}"

    @pytest.mark.parametrize("length", [LIMIT + 1, LIMIT + 2, LIMIT + 50])
    def test_a_longer_label_is_cut_to_the_limit(self, length: int) -> None:
        label = "y" * (length - 1) + "z"
        step = pk.Pipeline(guards={"qualify": named(label)}).advance(jane(), "qualify", at=NOW)
        assert step.change.verdict == "PASS " + "y" * (LIMIT - 1) + "…"
        assert len(step.change.verdict) == len("PASS ") + LIMIT

    def test_an_unnamed_guard_is_recorded_by_its_text(self) -> None:
        guard = pk.field("facts.fit") == True  # noqa: E712  # a comparison node
        step = pk.Pipeline(guards={"qualify": guard}).advance(jane(), "qualify", at=NOW)
        assert step.change.verdict == f"PASS {guard}"
        assert "None" not in step.change.verdict

    def test_a_guard_whose_label_raises_is_named_by_its_class(self) -> None:
        step = pk.Pipeline(guards={"qualify": BrokenLabel()}).advance(jane(), "qualify", at=NOW)
        assert step.change.verdict == "PASS BrokenLabel"


class BrokenLabel(pk.Qualifier):
    """A custom guard that passes, but whose label (and text) cannot be computed."""

    @property
    def label(self) -> str:
        raise RuntimeError("no label")

    def __str__(self) -> str:
        raise RuntimeError("no text")

    def __call__(self, subject: object, *, at: datetime | None = None) -> bool:
        return True

    def evaluate(self, subject: object, *, at: datetime | None = None) -> pk.Verdict:
        return pk.Verdict(outcome=pk.Outcome.PASS, label="broken", reason="passes")


class RaisesOnContacts(pk.Qualifier):
    """A custom guard whose boolean path raises for a real contact; evaluate passes."""

    @property
    def label(self) -> str:
        return "fussy"

    def __str__(self) -> str:
        return "fussy"

    def __call__(self, subject: object, *, at: datetime | None = None) -> bool:
        if isinstance(subject, pk.Contact):
            raise ZeroDivisionError("boom")
        return True

    def evaluate(self, subject: object, *, at: datetime | None = None) -> pk.Verdict:
        return pk.Verdict(outcome=pk.Outcome.PASS, label="fussy", reason="fine")


class TestRaisingGuards:
    def test_the_boolean_path_runs_on_the_subject(self) -> None:
        """A guard raising only on the fast path for this contact is UNKNOWN, with the error."""
        verdict = pk.Pipeline(guards={"qualify": RaisesOnContacts()}).blockers(
            jane(), "qualify", at=NOW
        )
        assert verdict.outcome is pk.Outcome.UNKNOWN
        assert verdict.label == "fussy"
        assert verdict.error == "ZeroDivisionError: boom"
        assert verdict.reason == "the guard raised ZeroDivisionError: boom"


def chain_spec() -> pk.PipelineSpec:
    """a -> b -> c -> d, with ``finish`` from both b and c: two routes from a to d."""
    return pk.PipelineSpec(
        stages=["a", "b", "c", pk.StageSpec("d", final=True, outcome="won")],
        transitions=[
            pk.Transition("start", sources=("a",), target="b"),
            pk.Transition("step", sources=("b",), target="c"),
            pk.Transition("finish", sources=("b", "c"), target="d"),
        ],
    )


class TestSkips:
    def test_a_skip_takes_the_shortest_route(self) -> None:
        pipeline = pk.Pipeline(spec=chain_spec(), allow_skips=True)
        contact = pk.Contact(id="c-1", name="Jane", stage="a")
        step = pipeline.advance(contact, "finish", at=NOW)
        assert step.contact.stage == "d"
        assert [(c.event, c.source, c.target) for c in step.contact.history] == [
            ("start", "a", "b"),
            ("finish", "b", "d"),
        ]

    def test_a_skip_verdict_names_every_step(self) -> None:
        guards = {"qualify": named("ICP"), "convert": named("BANT")}
        pipeline = pk.Pipeline(guards=guards, allow_skips=True)
        verdict = pipeline.blockers(jane(), "convert", at=NOW)
        assert verdict.outcome is pk.Outcome.PASS
        assert verdict.label == "qualify then convert"
        assert verdict.reason == "every step must pass: qualify then convert"
        assert [child.label for child in verdict.children] == ["qualify: ICP", "convert: BANT"]

    def test_without_skips_a_later_event_does_not_apply(self) -> None:
        with pytest.raises(pk.InvalidTransition):
            pk.Pipeline().advance(jane(), "convert", at=NOW)
        assert "convert" not in pk.Pipeline().allowed_events(jane(), at=NOW)


class TestUnknownStage:
    def test_an_unknown_stage_allows_nothing(self) -> None:
        contact = pk.Contact(id="c-1", name="Jane", stage="proposal")
        with pytest.raises(pk.InvalidTransition) as e:
            pk.Pipeline().advance(contact, "qualify", at=NOW)
        assert e.value.allowed == frozenset()


def loop_spec() -> pk.PipelineSpec:
    """a -> b -> c, and ``touch``, a self-loop on b (it logs contact without moving)."""
    return pk.PipelineSpec(
        stages=["a", "b", pk.StageSpec("c", final=True, outcome="won")],
        transitions=[
            pk.Transition("go", sources=("a",), target="b"),
            pk.Transition("touch", sources=("b",), target="b"),
            pk.Transition("end", sources=("b",), target="c"),
        ],
    )


class TestSelfLoops:
    def test_forward_only_keeps_a_self_loop(self) -> None:
        """A self-loop does not move back, so ``forward_only`` keeps it."""
        pipeline = pk.Pipeline(spec=loop_spec(), forward_only=True)
        contact = pk.Contact(id="c-1", name="Jane", stage="b")
        assert "touch" in pipeline.allowed_events(contact, at=NOW)
        step = pipeline.advance(contact, "touch", at=NOW)
        assert step.contact.stage == "b"

    def test_a_skip_never_ends_in_a_self_loop(self) -> None:
        """A skip only moves forward: ``touch`` does not apply from a, skips or not."""
        pipeline = pk.Pipeline(spec=loop_spec(), allow_skips=True)
        contact = pk.Contact(id="c-1", name="Jane", stage="a")
        assert pipeline.allowed_events(contact, at=NOW) == frozenset({"go", "end"})
        with pytest.raises(pk.InvalidTransition):
            pipeline.advance(contact, "touch", at=NOW)
