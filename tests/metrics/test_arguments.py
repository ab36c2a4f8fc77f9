"""What every metric shares: contradicting histories, skipping them, and bad arguments."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

import attrs
import pytest

import pipelinekit as pk
from pipelinekit import metrics
from tests.metrics.helpers import DAY, day, person

AT = day(100)
BIG = pk.field("account.employees") >= 100

#: Every metric, called with what it needs besides the contacts and keyword arguments.
METRICS: dict[str, Callable[..., Any]] = {
    "funnel": metrics.funnel,
    "weighted_pipeline": metrics.weighted_pipeline,
    "time_in_stage": lambda cs, **kw: metrics.time_in_stage(cs, at=AT, **kw),
    "stale": lambda cs, **kw: metrics.stale(cs, at=AT, limits={"opportunity": DAY}, **kw),
    "lost_reasons": metrics.lost_reasons,
    "velocity": lambda cs, **kw: metrics.velocity(cs, at=AT, **kw),
    "cohorts": lambda cs, **kw: metrics.cohorts(cs, at=AT, **kw),
    "compare": lambda cs, **kw: metrics.compare(BIG, ~BIG, cs, at=AT, **kw),
}
GROUPED = {k: v for k, v in METRICS.items() if k != "compare"}
TABLES = pytest.mark.parametrize("run", list(METRICS.values()), ids=list(METRICS))
BY = pytest.mark.parametrize("run", list(GROUPED.values()), ids=list(GROUPED))


def broken_histories() -> dict[str, tuple[pk.Contact, str, int | None]]:
    """Contacts whose history contradicts their stage, the message and the change index."""
    good = person("x", ("prospect", 1), ("opportunity", 2), created=0)
    changes = good.history
    return {
        "ends elsewhere": (
            attrs.evolve(good, stage="customer"),
            "contact 'x': the history ends in 'opportunity' but the contact is in 'customer'",
            None,
        ),
        "gap": (
            attrs.evolve(good, history=(changes[0], attrs.evolve(changes[1], source="lead"))),
            (
                "contact 'x': history[1] (convert: lead → opportunity) starts in 'lead', not"
                " 'prospect'"
            ),
            1,
        ),
        "unknown stage": (
            attrs.evolve(good, history=(attrs.evolve(changes[0], source="leed"), changes[1])),
            (
                "contact 'x': history[0] (qualify: leed → prospect) names 'leed', not a stage of"
                " SalesPipeline"
            ),
            0,
        ),
        "out of order": (
            attrs.evolve(good, history=(changes[0], attrs.evolve(changes[1], at=day(0.5)))),
            (
                "contact 'x': history[1] (convert: prospect → opportunity) is dated before the"
                " change preceding it"
            ),
            1,
        ),
        "before creation": (
            attrs.evolve(good, created_at=day(1.5)),
            (
                "contact 'x': history[0] (qualify: lead → prospect) is dated before the"
                " contact's created_at"
            ),
            0,
        ),
        "stage not in spec": (
            pk.Contact(id="x", name="X", stage="parked"),
            "contact 'x': the contact is in 'parked', not a stage of SalesPipeline",
            None,
        ),
    }


BROKEN = broken_histories()


class TestInvalidHistory:
    @TABLES
    @pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
    def test_raises_naming_the_contact(self, run: Callable[..., Any], case: str) -> None:
        contact, message, index = BROKEN[case]
        with pytest.raises(pk.InvalidHistory) as caught:
            run([person("ok"), contact])
        assert str(caught.value).startswith(message)
        assert caught.value.index == index

    @TABLES
    def test_skipped_and_counted(self, run: Callable[..., Any]) -> None:
        people = [person("ok"), *(c for c, _, _ in BROKEN.values())]
        result = run(people, skip_invalid=True)
        assert result.skipped == len(BROKEN)
        assert result.rows == run([person("ok")]).rows

    def test_win_rate_skips_too(self) -> None:
        lost = person("l", ("lost", 1, "price"), start="opportunity")
        bad = BROKEN["gap"][0]
        with pytest.raises(pk.InvalidHistory):
            metrics.win_rate([lost, bad])
        assert metrics.win_rate([lost, bad], skip_invalid=True) == 0

    def test_control_characters_are_escaped(self) -> None:
        sneaky = pk.Contact(id="x\nFORGED", name="X", stage="parked")
        with pytest.raises(pk.InvalidHistory) as caught:
            metrics.funnel([sneaky])
        assert "\n" not in str(caught.value)
        assert "x\\nFORGED" in str(caught.value)

    @TABLES
    def test_skip_invalid_must_be_a_bool(self, run: Callable[..., Any]) -> None:
        with pytest.raises(pk.FieldTypeError, match="skip_invalid: expected a bool"):
            run([], skip_invalid="yes")


class TestContacts:
    @TABLES
    @pytest.mark.parametrize("bad", [None, 3, "contacts", {"id": "c"}, person("c")])
    def test_not_an_iterable_of_contacts(self, run: Callable[..., Any], bad: object) -> None:
        with pytest.raises(pk.FieldTypeError, match="contacts: expected an iterable of Contact"):
            run(bad)

    @TABLES
    def test_an_item_that_is_not_a_contact(self, run: Callable[..., Any]) -> None:
        with pytest.raises(pk.FieldTypeError, match=r"contacts\[1\]: expected a Contact, got"):
            run([person("a"), {"id": "b"}])

    @TABLES
    def test_a_generator_is_read_once(self, run: Callable[..., Any]) -> None:
        people = [person("a", ("prospect", 1), created=0), person("b", created=2)]
        reads = 0

        def once() -> Iterable[pk.Contact]:
            nonlocal reads
            reads += 1
            yield from people

        assert run(once()) == run(people)
        assert reads == 1


class TestArguments:
    @TABLES
    def test_spec_must_be_a_spec(self, run: Callable[..., Any]) -> None:
        with pytest.raises(pk.FieldTypeError, match="spec: expected a PipelineSpec or None"):
            run([], spec="SalesPipeline")

    @BY
    def test_by_must_be_a_path_of_contact(self, run: Callable[..., Any]) -> None:
        with pytest.raises(pk.FieldValueError, match=r"by: path 'acount\.industry' does not fit"):
            run([], by="acount.industry")
        with pytest.raises(pk.FieldValueError, match="by: bad path"):
            run([], by="account.__class__")
        with pytest.raises(pk.FieldTypeError, match="by: expected a field path"):
            run([], by=3)

    @BY
    def test_by_a_value_that_cannot_name_a_group(self, run: Callable[..., Any]) -> None:
        """``facts`` is a mapping: no group can be named by it (a tuple can). The contact
        counts in every metric: an open deal, lost once, stale."""
        tagged = person(
            "a",
            ("lost", 1, "price"),
            ("lead", 2),
            ("prospect", 3),
            ("opportunity", 4),
            start="opportunity",
            created=0,
            facts={"tag": "x"},
            opportunity=pk.Opportunity(amount=pk.Money("10", "EUR")),
        )
        with pytest.raises(pk.FieldTypeError, match=r"by: 'facts' gives .* for contact 'a'"):
            run([tagged], by="facts")
        rivals = person("b", created=0, opportunity=pk.Opportunity(competitors=("x",)))
        assert run([rivals], by="opportunity.competitors").skipped == 0

    @pytest.mark.parametrize(
        "call",
        [
            lambda at: metrics.time_in_stage([], at=at),
            lambda at: metrics.stale([], at=at, limits={}),
            lambda at: metrics.velocity([], at=at),
            lambda at: metrics.cohorts([], at=at),
            lambda at: metrics.compare(BIG, BIG, [], at=at),
        ],
        ids=["time_in_stage", "stale", "velocity", "cohorts", "compare"],
    )
    def test_at_must_be_aware(self, call: Callable[[object], object]) -> None:
        with pytest.raises(pk.FieldValueError, match="at: datetime must be timezone-aware"):
            call(AT.replace(tzinfo=None))
        with pytest.raises(pk.FieldTypeError, match="at: expected datetime"):
            call("2026-01-01")

    def test_durations_must_be_timedeltas(self) -> None:
        with pytest.raises(pk.FieldTypeError, match="window: expected a timedelta"):
            metrics.velocity([], at=AT, window=90)  # type: ignore[arg-type]  # the bad value
        with pytest.raises(pk.FieldTypeError, match=r"limits\['lead'\]: expected a timedelta"):
            metrics.stale([], at=AT, limits={"lead": 30})  # type: ignore[dict-item]  # bad value
        assert metrics.cohorts([], at=AT, within=timedelta(0)).to_rows() == []
