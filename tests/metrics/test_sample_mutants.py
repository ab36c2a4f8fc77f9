"""Tests that kill the sampled mutants of pipelinekit.metrics that survived the suite.

Each class pins one behaviour a mutation changed without any other test noticing: plot
labels and limits, native frame types, text cells, rounding that ignores the caller's
decimal context, the order of stale contacts, and which deals count as closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import attrs
import matplotlib as mpl
import pytest

import pipelinekit as pk
from pipelinekit import metrics
from pipelinekit.metrics._render import percent
from pipelinekit.metrics.results import Funnel, Table, TimeInStage
from tests.metrics.helpers import day, deal, person

mpl.use("Agg")
import matplotlib.pyplot as plt  # after choosing the headless backend


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def _ticks(labels: Any) -> list[tuple[str, float]]:
    return [(t.get_text(), t.get_rotation()) for t in labels]


class TestPlotLabels:
    """The axis labels, tick rotation, legend title and limits of the plots."""

    def test_a_table_of_plain_numbers_is_labelled_number(self) -> None:
        table = Table(columns=("name", "score"), rows=[{"name": "a", "score": Decimal("1.5")}])
        ax = table.plot()
        assert ax.get_ylabel() == "number"

    def test_more_than_four_categories_are_tilted(self) -> None:
        rows = [{"name": f"n{i}", "count": i} for i in range(5)]
        ax = Table(columns=("name", "count"), rows=rows).plot()
        assert _ticks(ax.get_xticklabels()) == [(f"n{i}", 30.0) for i in range(5)]
        ax = Table(columns=("name", "count"), rows=rows[:4]).plot()
        assert _ticks(ax.get_xticklabels()) == [(f"n{i}", 0.0) for i in range(4)]

    def test_a_one_stage_funnel(self) -> None:
        ax = Funnel(columns=("stage", "reached"), rows=[{"stage": "lead", "reached": 2}]).plot()
        assert [(p.get_x(), p.get_width()) for p in ax.patches] == [(0, 2)]
        assert [t.get_text() for t in ax.get_yticklabels()] == ["lead"]

    def test_a_grouped_funnel_legend_is_titled_group(self) -> None:
        rows = [
            {"group": "web", "stage": "lead", "reached": 3},
            {"group": "event", "stage": "lead", "reached": 1},
        ]
        ax = Funnel(columns=("group", "stage", "reached"), rows=rows).plot()
        assert ax.get_legend().get_title().get_text() == "group"

    def test_survival_curves_span_zero_to_one(self) -> None:
        table = TimeInStage(
            columns=("stage",),
            rows=(),
            survival={(None, "lead"): ((timedelta(0), 1.0), (timedelta(days=2), 0.0))},
        )
        ax = table.plot()
        assert ax.get_ylim() == (0, 1.05)
        assert ax.get_ylabel() == "share still in the stage"


class TestNativeTypes:
    """Column types of to_native(): ints mixed with floats are floats; all-None is object."""

    def test_pandas(self) -> None:
        rows = [{"x": 1, "none": None}, {"x": 2.5, "none": None}]
        frame = Table(columns=("x", "none"), rows=rows).to_native("pandas")
        assert [str(t) for t in frame.dtypes] == ["Float64", "object"]
        assert list(frame["x"]) == [1.0, 2.5]

    def test_polars(self) -> None:
        rows = [{"x": 1, "none": None}, {"x": 2.5, "none": None}]
        frame = Table(columns=("x", "none"), rows=rows).to_native("polars")
        assert [str(t) for t in frame.dtypes] == ["Float64", "Null"]


class TestCells:
    """Text cells: booleans as yes/no; Decimals rounded half-even whatever the context."""

    def test_booleans_and_rounding(self) -> None:
        table = Table(
            columns=("name", "score", "ok"),
            rows=[
                {"name": "a", "score": Decimal("0.125"), "ok": False},
                {"name": "b", "score": Decimal("0.135"), "ok": True},
            ],
        )
        expected = "Table\nname  score  ok\n----  -----  ---\na      0.12  no\nb      0.14  yes"
        assert str(table) == expected
        assert "<td>no</td>" in table._repr_html_()
        with localcontext() as context:  # a caller's rounding does not change the table
            context.rounding = ROUND_HALF_UP
            assert str(table) == expected


class TestWeightedMoney:
    """A weighted amount past Money's 12 places is rounded exactly, even above 28 digits."""

    def test_a_huge_weighted_amount(self) -> None:
        contact = person(
            "a",
            ("prospect", 1),
            opportunity=pk.Opportunity(
                amount=pk.Money("999999999999999999.99", "EUR"),
                probability="0.333333333333333333",
            ),
        )
        row = metrics.weighted_pipeline([contact])[0]
        assert row["weighted"] == pk.Money("333333333333333332.996666666667", "EUR")


class TestStaleOrder:
    """Stale contacts of the same age are ordered by id."""

    def test_ties_by_id(self) -> None:
        contacts = [person("b", ("prospect", 1)), person("a", ("prospect", 1))]
        table = metrics.stale(contacts, at=day(50), limits={"prospect": timedelta(days=30)})
        assert [row["id"] for row in table] == ["a", "b"]


class TestClosedDeals:
    """Which deals count as closed: not after ``at``; imported closed ones without a window."""

    def test_a_win_after_at_is_not_in_the_window(self) -> None:
        won = person(
            "w",
            ("prospect", 1),
            ("opportunity", 2),
            ("customer", 20),
            created=0,
            opportunity=deal("900"),
        )
        still_open = person("o", ("prospect", 1), ("opportunity", 2), opportunity=deal("900"))
        row = metrics.velocity([won, still_open], at=day(10))[0]
        assert (row["average_deal"], row["win_rate"], row["cycle_days"]) == (None, None, None)
        row = metrics.velocity([won, still_open], at=day(30))[0]
        assert (row["win_rate"], row["cycle_days"]) == (Decimal(1), Decimal("20.00"))

    def test_an_imported_customer_is_a_win(self) -> None:
        contacts = [
            pk.Contact(id="a", name="A", stage="customer"),
            pk.Contact(id="b", name="B", stage="lost"),
        ]
        assert metrics.win_rate(contacts) == Decimal("0.5")


class TestCurvesHash:
    """Equal survival curves hash equal.

    The metric's own curve mapping is only reachable as the private ``_source`` of
    ``TimeInStage.survival`` (the public wrapper hashes its keys only).
    """

    def test_equal_curves_hash_equal(self) -> None:
        contacts = [person("a", ("prospect", 1), ("opportunity", 4), created=0)]
        first = metrics.time_in_stage(contacts, at=day(10)).survival._source  # type: ignore[attr-defined]
        second = metrics.time_in_stage(contacts, at=day(10)).survival._source  # type: ignore[attr-defined]
        assert first == second
        assert hash(first) == hash(second)
        assert len({first, second}) == 1


class TestVelocityOverCenturies:
    """The cycle is counted in whole microseconds, exact past a float's 2**53."""

    def test_a_cycle_of_nine_thousand_years(self) -> None:
        created = datetime(1, 1, 1, 0, 0, 0, 1, tzinfo=UTC)
        won_at = datetime(9000, 1, 1, 0, 0, 0, 7, tzinfo=UTC)  # 283,980,988,800,000,006 µs
        amount = pk.Money("999999999999999999.99", "EUR")
        path = [("qualify", "lead", "prospect", created)]
        path += [("convert", "prospect", "opportunity", created)]
        path += [("win", "opportunity", "customer", won_at)]
        won = pk.Contact(
            id="w",
            name="W",
            stage="customer",
            created_at=created,
            version=3,
            opportunity=pk.Opportunity(amount=amount),
            history=[pk.StageChange(event=e, source=s, target=t, at=a) for e, s, t, a in path],
        )
        deals = [
            pk.Contact(
                id=f"o{i}", name="O", stage="opportunity", opportunity=pk.Opportunity(amount=amount)
            )
            for i in range(2000)
        ]
        row = metrics.velocity([won, *deals], at=datetime(9000, 2, 1, tzinfo=UTC))[0]
        # 999,999,999,999,999,999.99 * 2000 / (283,980,988,800,000,006 / 86,400,000,000)
        assert row["per_day"] == pk.Money("608491437156373.46", "EUR")
        assert row["cycle_days"] == Decimal("3286817.00")


class TestWindowArguments:
    """Each end of a ``win_rate`` window is checked under its own name (sample 2027)."""

    @pytest.mark.parametrize("name", ["since", "until"])
    def test_a_naive_end_is_refused_by_name(self, name: str) -> None:
        naive = datetime(2026, 11, 1, 9, 30)
        with pytest.raises(pk.FieldValueError, match="timezone-aware") as info:
            metrics.win_rate([], **{name: naive})  # type: ignore[arg-type]
        assert info.value.field == name

    def test_an_empty_window_is_allowed_and_holds_nobody(self) -> None:
        t = datetime(2026, 11, 1, tzinfo=UTC)
        won = pk.Contact(id="a", name="A", stage="customer")
        assert metrics.win_rate([won], since=t, until=t) is None
        with pytest.raises(pk.FieldValueError, match="must not be before since") as info:
            metrics.win_rate([won], since=t, until=t - timedelta(microseconds=1))
        assert info.value.field == "until"

    @pytest.mark.parametrize("name", ["since", "until"])
    def test_an_end_that_is_no_datetime_is_refused_by_name(self, name: str) -> None:
        with pytest.raises(pk.FieldTypeError, match="expected datetime, got str") as info:
            metrics.win_rate([], **{name: "2026-11-01"})  # type: ignore[arg-type]
        assert info.value.field == name


class TestSkipInvalidArgument:
    """A ``skip_invalid`` that is no bool is refused showing what was given (sample 2027)."""

    def test_the_refusal_shows_the_value(self) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            metrics.win_rate([], skip_invalid="yes")  # type: ignore[arg-type]
        assert info.value.field == "skip_invalid"
        assert str(info.value) == "skip_invalid: expected a bool, got str 'yes'"


@attrs.frozen
class _MyContact(pk.Contact):
    """A CRM's own subclass of Contact."""


class TestContactSubclass:
    """Metrics read a subclass of Contact as a Contact (sample 2027)."""

    def test_a_subclass_counts(self) -> None:
        won = _MyContact(id="a", name="A", stage="customer")
        lost = pk.Contact(id="b", name="B", stage="lost")
        assert metrics.win_rate([won, lost]) == Decimal("0.5")


class TestStaleSinceTheLastTouch:
    """A touchpoint resets the clock: the age counts from it (sample 2027)."""

    def test_an_old_touchpoint_after_the_stage_entry(self) -> None:
        t0 = datetime(2026, 1, 1, tzinfo=UTC)
        touched = pk.Contact(
            id="c-1",
            name="Ann",
            stage="prospect",
            created_at=t0,
            touchpoints=[pk.Touchpoint(channel="email", timestamp=t0 + timedelta(days=10))],
        )
        rows = metrics.stale(
            [touched], at=t0 + timedelta(days=45), limits={"prospect": timedelta(days=30)}
        ).to_rows()
        age, limit = timedelta(days=35), timedelta(days=30)
        assert rows == [{"id": "c-1", "stage": "prospect", "age": age, "limit": limit}]


class TestSample2029:
    """Survivors of the 2029 sample (decided before these tests were written)."""

    def test_an_average_deal_ignores_the_callers_precision(self) -> None:
        won = [
            person("a", ("prospect", 1), ("opportunity", 2), ("customer", 12), opportunity=deal(x))
            for x in ("123456.78", "100000.01")
        ]
        expected = pk.Money("111728.40", "EUR")  # 111728.395, half-even
        assert metrics.velocity(won, at=day(30))[0]["average_deal"] == expected
        with localcontext() as context:
            context.prec = 4
            assert metrics.velocity(won, at=day(30))[0]["average_deal"] == expected

    def test_a_policy_is_decided_at_the_comparisons_moment(self) -> None:
        recent = pk.field("created_at").within_last(timedelta(days=30))
        touched = pk.Contact(id="a", name="A", stage="customer", created_at=day(10))
        rows = {
            r["admitted_by"]: r["contacts"]
            for r in metrics.compare(recent, recent, [touched], at=day(20))
        }
        assert rows["both"] == 1
        assert rows["neither"] == 0

    @pytest.mark.parametrize(
        ("rate", "text"),
        [
            ("-0.25", "-25%"),
            ("-1", "-100%"),
            ("-0.0004", ">-0.1%"),
            ("0.0004", "<0.1%"),
            ("0", "0%"),
        ],
    )
    def test_a_negative_rate_keeps_its_digits(self, rate: str, text: str) -> None:
        assert percent(Decimal(rate)) == text

    # _cohorts.cohorts #58: an unknown target lists the spec's stages.
    def test_an_unknown_target_lists_the_stages(self) -> None:
        with pytest.raises(pk.FieldValueError) as info:
            metrics.cohorts([], at=day(30), target="custmer")
        assert str(info.value) == (
            "target: 'custmer' is not a stage of SalesPipeline: lead, prospect, opportunity,"
            " customer, disqualified, lost; did you mean 'customer'?"
        )


class TestSample2030:
    """Survivors of the 2030 sample (decided before these tests were written)."""

    # _plot.bars #122: an empty table's plot has no axis label.
    def test_an_empty_table_plots_without_a_label(self) -> None:
        assert Table(columns=("name", "count"), rows=()).plot().get_ylabel() == ""

    # _plot.funnel #103: the bars are labelled with thousands separators.
    def test_funnel_bars_are_labelled_with_thousands(self) -> None:
        rows = [{"stage": "lead", "reached": 12000}, {"stage": "prospect", "reached": 1500}]
        ax = Funnel(columns=("stage", "reached"), rows=rows).plot()
        assert [t.get_text() for t in ax.texts] == ["12,000", "1,500"]

    # _stays.stale #51: a broken-down list of stale contacts names each one's group.
    def test_stale_contacts_by_a_field_carry_their_group(self) -> None:
        contacts = [
            person("a", ("prospect", 1), facts={"team": "north"}),
            person("b", ("prospect", 2), facts={"team": "south"}),
        ]
        stale = metrics.stale(
            contacts, at=day(40), limits={"prospect": timedelta(days=10)}, by="facts.team"
        )
        assert [(row["group"], row["id"]) for row in stale.to_rows()] == [
            ("north", "a"),
            ("south", "b"),
        ]

    # _survival.Curves.__repr__ #2: the survival curves of a table show as a dict.
    def test_survival_curves_show_as_a_dict(self) -> None:
        contact = person("a", ("prospect", 1), ("opportunity", 3))
        survival = metrics.time_in_stage([contact], at=day(10)).survival
        assert repr(survival) == repr(dict(survival.items()))
        assert repr(survival).startswith(
            "{(None, 'lead'): ((datetime.timedelta(0), 1.0),), (None, 'prospect'):"
            " ((datetime.timedelta(0), 1.0), (datetime.timedelta(days=2), 0.0)),"
        )

    # _arguments.check_duration #7: a duration that is no timedelta is shown.
    def test_a_window_that_is_no_timedelta_is_shown(self) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            metrics.cohorts([], at=day(30), within=5)  # type: ignore[arg-type]
        assert str(info.value) == "within: expected a timedelta, got int 5"

    # _deals._velocity_row #64: the sales cycle ignores the caller's decimal precision.
    def test_the_sales_cycle_ignores_the_callers_precision(self) -> None:
        won = [
            person(
                "a",
                ("prospect", 1),
                ("opportunity", 2),
                ("customer", 12.5),
                created=0,
                opportunity=deal("100"),
            )
        ]
        assert metrics.velocity(won, at=day(30))[0]["cycle_days"] == Decimal("12.50")
        with localcontext() as context:
            context.prec = 2
            assert metrics.velocity(won, at=day(30))[0]["cycle_days"] == Decimal("12.50")
