"""Laws every metric obeys, for any population with valid histories (Hypothesis)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit import metrics
from tests.metrics.helpers import DAY, DEALS, day, rows_of
from tests.metrics.strategies import people

SPECS = pytest.mark.parametrize("spec", [pk.DEFAULT_SPEC, DEALS], ids=["default", "deals"])
AT = day(90)
BIG = pk.field("opportunity.amount.amount") >= 1000
WEST = pk.field("source") == "web"


def every_metric(spec: pk.PipelineSpec) -> dict[str, Callable[..., Any]]:
    """Each metric as a function of (contacts, **keywords), on ``spec``."""
    open_stage = spec.open_stages[-1]
    return {
        "funnel": lambda cs, **kw: metrics.funnel(cs, spec=spec, **kw),
        "strict funnel": lambda cs, **kw: metrics.funnel(cs, spec=spec, mode="strict", **kw),
        "weighted": lambda cs, **kw: metrics.weighted_pipeline(cs, spec=spec, **kw),
        "rollups": lambda cs, **kw: metrics.weighted_pipeline(cs, spec=spec, rollups=True, **kw),
        "time": lambda cs, **kw: metrics.time_in_stage(cs, at=AT, spec=spec, **kw),
        "stale": lambda cs, **kw: metrics.stale(
            cs, at=AT, limits={open_stage: 5 * DAY}, spec=spec, **kw
        ),
        "lost": lambda cs, **kw: metrics.lost_reasons(cs, spec=spec, **kw),
        "velocity": lambda cs, **kw: metrics.velocity(cs, at=AT, spec=spec, **kw),
        "cohorts": lambda cs, **kw: metrics.cohorts(
            cs, at=AT, target=spec.won_stages[0], within=30 * DAY, spec=spec, **kw
        ),
    }


class TestFunnel:
    @SPECS
    @given(data=st.data())
    def test_strict_conversions_are_rates_and_cumulative_never_grows(
        self, spec: pk.PipelineSpec, data: st.DataObject
    ) -> None:
        population = data.draw(people(spec))
        rows = rows_of(metrics.funnel(population, spec=spec, mode="strict"))
        cumulative = [r["cumulative_conversion"] for r in rows]
        for row in rows:
            for key in ("step_conversion", "cumulative_conversion"):
                assert row[key] is None or 0 <= row[key] <= 1
        known = [c for c in cumulative if c is not None]
        assert known == sorted(known, reverse=True)
        assert all(r["reached"] <= len(population) for r in rows)

    @SPECS
    @given(data=st.data())
    def test_any_mode_rates_when_everyone_entered_at_the_top(
        self, spec: pk.PipelineSpec, data: st.DataObject
    ) -> None:
        """Without imports into later stages, a stage's contacts all passed the first."""
        population = data.draw(people(spec, imported=False))
        for row in rows_of(metrics.funnel(population, spec=spec)):
            assert row["reached"] <= len(population)
            assert row["cumulative_conversion"] is None or 0 <= row["cumulative_conversion"] <= 1

    @SPECS
    @given(data=st.data())
    def test_strict_counts_never_exceed_any(
        self, spec: pk.PipelineSpec, data: st.DataObject
    ) -> None:
        population = data.draw(people(spec))
        loose = rows_of(metrics.funnel(population, spec=spec))
        strict = rows_of(metrics.funnel(population, spec=spec, mode="strict"))
        assert all(s["reached"] <= a["reached"] for s, a in zip(strict, loose, strict=True))


class TestWeighted:
    @SPECS
    @given(data=st.data())
    def test_weighted_is_at_most_the_amount(
        self, spec: pk.PipelineSpec, data: st.DataObject
    ) -> None:
        population = data.draw(people(spec))
        rows = rows_of(metrics.weighted_pipeline(population, spec=spec))
        for row in rows:
            assert row["weighted"].currency == row["amount"].currency == row["currency"]
            assert row["weighted"] <= row["amount"]
        assert sum(r["count"] for r in rows) <= len(population)

    @SPECS
    @given(data=st.data())
    def test_only_open_deals_count(self, spec: pk.PipelineSpec, data: st.DataObject) -> None:
        population = data.draw(people(spec))
        deals = [
            c
            for c in population
            if c.stage in spec.open_stages
            and c.opportunity is not None
            and c.opportunity.amount is not None
        ]
        rows = rows_of(metrics.weighted_pipeline(population, spec=spec))
        assert sum(r["count"] for r in rows) == len(deals)


class TestStays:
    @SPECS
    @given(data=st.data())
    def test_counts_and_order(self, spec: pk.PipelineSpec, data: st.DataObject) -> None:
        population = data.draw(people(spec))
        for row in rows_of(metrics.time_in_stage(population, at=AT, spec=spec)):
            assert row["exited"] <= row["entered"]
            if row["median"] is not None:
                assert timedelta(0) <= row["median"] <= row["p90"]
            if row["exited"] * 2 > row["entered"]:  # over half ended: the curve went below 0.5
                assert row["median_km"] is not None

    @SPECS
    @given(data=st.data())
    def test_stale_rows_are_past_their_limit(
        self, spec: pk.PipelineSpec, data: st.DataObject
    ) -> None:
        population = data.draw(people(spec))
        limits = dict.fromkeys(spec.open_stages, 3 * DAY)
        rows = rows_of(metrics.stale(population, at=AT, limits=limits, spec=spec))
        assert all(r["age"] > r["limit"] for r in rows)
        assert [r["age"] for r in rows] == sorted((r["age"] for r in rows), reverse=True)


class TestEveryMetric:
    @SPECS
    @given(data=st.data())
    def test_invariant_under_shuffling(self, spec: pk.PipelineSpec, data: st.DataObject) -> None:
        population = data.draw(people(spec))
        shuffled = data.draw(st.permutations(population))
        for name, run in every_metric(spec).items():
            assert run(shuffled).rows == run(population).rows, name
        assert metrics.win_rate(shuffled, spec=spec) == metrics.win_rate(population, spec=spec)
        assert metrics.compare(BIG, WEST, shuffled, at=AT, spec=spec) == metrics.compare(
            BIG, WEST, population, at=AT, spec=spec
        )

    @SPECS
    @given(data=st.data(), by=st.sampled_from(["source", "owner", "opportunity.amount.currency"]))
    def test_groups_add_up_to_the_whole(
        self, spec: pk.PipelineSpec, data: st.DataObject, by: str
    ) -> None:
        """Every count of a grouped result sums, over the groups, to the ungrouped count."""
        population = data.draw(people(spec))
        for name, run in every_metric(spec).items():
            whole, parts = run(population), run(population, by=by)
            identity = [c for c in whole.columns if c in _KEYS]
            for column in (c for c in whole.columns if c in _COUNTS):
                expected: dict[tuple[object, ...], int] = {}
                for row in rows_of(whole):
                    key = tuple(row[c] for c in identity)
                    expected[key] = expected.get(key, 0) + row[column]
                found: dict[tuple[object, ...], int] = dict.fromkeys(expected, 0)
                for row in rows_of(parts):
                    key = tuple(row[c] for c in identity)
                    found[key] = found.get(key, 0) + row[column]
                assert found == expected, (name, column)


#: The columns that say what a row counts, and the counts that add up over groups.
_KEYS = frozenset({"stage", "currency", "forecast", "cohort", "reason"})
_COUNTS = frozenset(
    {"reached", "count", "entered", "exited", "opportunities", "size", "converted", "open"}
)
