"""Behaviour of pipelinekit.frames pinned after the 2026-12-02 mutation sample (docs/quality.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import pipelinekit as pk
from pipelinekit import frames
from tests.frames.test_score import AT, event_contact, event_frame


class TestDates:
    """A date criterion over a date column compares each day, as row-wise ``evaluate`` does."""

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            (pk.field("d") >= date(2026, 1, 1), [True, False, None]),
            (pk.field("d") == date(2025, 6, 30), [False, True, None]),
        ],
    )
    def test_a_date_column(self, q: pk.Qualifier, expected: list[bool | None]) -> None:
        days = [date(2026, 3, 1), date(2025, 6, 30), None]
        rows = [{"d": d} for d in days]
        df = pl.DataFrame({"d": days}, schema={"d": pl.Date})
        assert frames.evaluate(q, df).to_list() == expected
        rowwise = [q.evaluate(r).outcome for r in rows]
        assert [None if o is pk.Outcome.UNKNOWN else o is pk.Outcome.PASS for o in rowwise] == (
            expected
        )


def _rowwise(q: pk.Qualifier, rows: list[dict[str, object]]) -> list[bool | None]:
    outcomes = [q.evaluate(r).outcome for r in rows]
    return [None if o is pk.Outcome.UNKNOWN else o is pk.Outcome.PASS for o in outcomes]


class TestIntegerColumnsAgainstFractions:
    """An integer column against a fraction rounds the bound the right way (sample 2027)."""

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            (pk.field("n") > 2.5, [False, False, True, None]),
            (pk.field("n") >= 2.5, [False, False, True, None]),
            (pk.field("n") < 2.5, [True, True, False, None]),
            (pk.field("n") <= 2.5, [True, True, False, None]),
            (pk.field("n") > -1.5, [True, True, True, None]),
        ],
        ids=[">", ">=", "<", "<=", "negative"],
    )
    def test_as_row_wise(self, q: pk.Qualifier, expected: list[bool | None]) -> None:
        values = [1, 2, 3, None]
        df = pl.DataFrame({"n": values}, schema={"n": pl.Int64})
        assert frames.evaluate(q, df).to_list() == expected
        assert _rowwise(q, [{"n": v} for v in values]) == expected


class TestMoneyWithoutACurrencyColumn:
    """Without a currency column, amounts are in the criteria's one currency (docs/frames.md)."""

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            (pk.field("budget").is_in({pk.Money("100", "EUR")}), [True, False, None]),
            (pk.field("budget").not_in({pk.Money("100", "EUR")}), [False, True, None]),
            (pk.field("budget").not_in(()), [True, True, None]),
        ],
        ids=["is_in", "not_in", "not_in-nothing"],
    )
    def test_membership(self, q: pk.Qualifier, expected: list[bool | None]) -> None:
        df = pl.DataFrame({"budget.amount": [100.0, 150.0, None]})
        assert frames.evaluate(q, df).to_list() == expected


class TestRegexClasses:
    """A class holding ``\\s``, ``\\d``, ``\\w`` or their negations matches as ``re`` does."""

    @pytest.mark.parametrize(
        "pattern",
        [
            *(r"(?i)a[\sx]b", r"(?i)a[^\s]b", r"(?i)a[\dq]b", r"(?i)a[\wé]b", r"(?i)a[\Sx]b"),
            *(r"a\Sb", r"a\Db", r"a\Wb", r"a[\D1]b", r"a[^\W]b"),  # negated, case kept
        ],
    )
    def test_as_row_wise(self, pattern: str) -> None:
        values = ["a b", "a\tb", "axb", "aXb", "a-b", "a1b", "aQb", "aéb", "aÉb", None]
        q = pk.field("t").matches(pattern)
        df = pl.DataFrame({"t": values}, schema={"t": pl.String})
        assert frames.evaluate(q, df).to_list() == _rowwise(q, [{"t": v} for v in values])


class TestTimeRulesBeyondNanoseconds:
    """A time rule's edge inside Python's calendar but outside a nanosecond column's span."""

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            # at - 400 years is 1626, before any datetime64[ns] value (1677 onwards)
            (pk.field("t").older_than(timedelta(days=365 * 400)), [False, None, False]),
            (pk.field("t").within_last(timedelta(days=365 * 400)), [True, None, True]),
            # at + 400 years is 2426, after any of them (up to 2262)
            (pk.field("t").within_next(timedelta(days=365 * 400)), [True, None, False]),
            (pk.field("t").within(timedelta(days=365 * 400)), [True, None, True]),
        ],
        ids=["older_than", "within_last", "within_next", "within"],
    )
    def test_as_row_wise(self, q: pk.Qualifier, expected: list[bool | None]) -> None:
        at = datetime(2026, 11, 22, 12, tzinfo=UTC)
        df = pd.DataFrame({"t": pd.to_datetime([at, None, at - timedelta(days=400)], utc=True)})
        assert str(df["t"].dtype) == "datetime64[ns, UTC]"
        answers = [None if v is pd.NA else v for v in frames.evaluate(q, df, at=at).tolist()]
        assert answers == expected
        rows = [{"t": None if pd.isna(t) else t.to_pydatetime()} for t in df["t"]]
        assert _rowwise_at(q, rows, at) == expected


def _rowwise_at(q: pk.Qualifier, rows: list[dict[str, object]], at: datetime) -> list[bool | None]:
    outcomes = [q.evaluate(r, at=at).outcome for r in rows]
    return [None if o is pk.Outcome.UNKNOWN else o is pk.Outcome.PASS for o in outcomes]


class TestBoolMembership:
    """``is_in`` / ``not_in`` of booleans over a bool column (sample 2027)."""

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            (pk.field("flag").is_in({True}), [True, False, None]),
            (pk.field("flag").not_in({True}), [False, True, None]),
        ],
        ids=["is_in", "not_in"],
    )
    def test_as_row_wise(self, q: pk.Qualifier, expected: list[bool | None]) -> None:
        values = [True, False, None]
        df = pl.DataFrame({"flag": values}, schema={"flag": pl.Boolean})
        assert frames.evaluate(q, df).to_list() == expected
        assert _rowwise(q, [{"flag": v} for v in values]) == expected


class TestSample2029:
    """Number bounds and surrogate edges over polars columns answer as row-wise (sample 2029)."""

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            (pk.field("n") >= 2**63, [False, False, None]),
            (pk.field("n") == 2**63, [False, False, None]),
            (pk.field("n") < 2**63, [True, True, None]),
            (pk.field("n") <= -(2**63) - 1, [False, False, None]),
            (pk.field("n") > -(2**63) - 1, [True, True, None]),
        ],
        ids=[">=", "==", "<", "<=-", ">-"],
    )
    def test_an_integer_column_against_a_bound_beyond_int64(
        self, q: pk.Qualifier, expected: list[bool | None]
    ) -> None:
        """A bound just past Int64's range decides every present row alike (pyarrow, pandas)."""
        values = [2**63 - 1, -(2**63), None]
        arrow = frames.evaluate(q, pa.table({"n": pa.array(values, pa.int64())}))
        assert arrow.to_pylist() == expected
        pandas = frames.evaluate(q, pd.DataFrame({"n": pd.array(values, dtype="Int64")}))
        assert [None if v is pd.NA else v for v in pandas.tolist()] == expected
        assert _rowwise(q, [{"n": v} for v in values]) == expected

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            (pk.field("f") != Decimal("0.1"), [True, True, None]),
            (pk.field("f") == Decimal("0.1"), [False, False, None]),
        ],
        ids=["!=", "=="],
    )
    def test_a_float_column_against_a_decimal_no_float_holds(
        self, q: pk.Qualifier, expected: list[bool | None]
    ) -> None:
        """``Decimal("0.1")`` equals no float (not even 0.1), as Python compares them."""
        values = [0.1, 1.0, None]
        df = pl.DataFrame({"f": values}, schema={"f": pl.Float64})
        assert frames.evaluate(q, df).to_list() == expected
        assert _rowwise(q, [{"f": v} for v in values]) == expected

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            (pk.field("d") > Decimal("2.5"), [False, True, False, None]),
            (pk.field("d") == 2.5, [False, False, True, None]),
        ],
        ids=[">", "=="],
    )
    def test_a_decimal_column_against_a_fraction(
        self, q: pk.Qualifier, expected: list[bool | None]
    ) -> None:
        """A decimal column compares with a fractional bound exactly."""
        values = [Decimal("1"), Decimal("3"), Decimal("2.5"), None]
        df = pl.DataFrame({"d": values}, schema={"d": pl.Decimal(10, 2)})
        assert frames.evaluate(q, df).to_list() == expected
        assert _rowwise(q, [{"d": v} for v in values]) == expected

    @pytest.mark.parametrize("pattern", [r"a[\uDFFF-\uE005]", r"a[^\uDFFE]"])
    def test_a_class_starting_at_the_last_surrogate(self, pattern: str) -> None:
        """A class whose range starts at U+DFFF runs on polars, matching as ``re`` does."""
        values = ["a\ue000", "ab", "a\ue006", None]
        q = pk.field("t").matches(pattern)
        df = pl.DataFrame({"t": values}, schema={"t": pl.String})
        assert frames.evaluate(q, df).to_list() == _rowwise(q, [{"t": v} for v in values])


class TestSample2030:
    """Survivors of the 2030 sample (decided before these tests were written)."""

    # frames._events._Touchpoints.on_or_before #3: a window reaching before the calendar.
    def test_a_window_longer_than_the_calendar_counts_every_past_touchpoint(self) -> None:
        model = pk.PointsModel(
            rules=[pk.EventRule(channel="email", points=3, window=timedelta(days=999_999))]
        )
        touchpoints = [
            pk.Touchpoint(channel="email", timestamp=AT - timedelta(days=days))
            for days in (1, 5000)
        ]
        df = event_frame([(None, touchpoints)])
        assert frames.score(model, df, at=AT).to_list() == [6]
        assert model.score(event_contact(None, touchpoints), at=AT).total == 6
