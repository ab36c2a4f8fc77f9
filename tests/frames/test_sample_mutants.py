"""Behaviour of pipelinekit.frames pinned after the 2026-12-02 mutation sample (docs/quality.md)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

import pipelinekit as pk
from pipelinekit import frames


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
