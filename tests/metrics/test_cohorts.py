"""metrics.cohorts by hand: conversion within a window, still-open contacts kept apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

import pipelinekit as pk
from pipelinekit import metrics
from tests.metrics.helpers import DAY, day, person


def population() -> list[pk.Contact]:
    """As of day 120 (T0 = 2026-01-01), target customer within 60 days:

    January cohort (created days 0-30):
    - j1: created day 0, customer on day 40          → converted (40 ≤ 60)
    - j2: created day 5, customer on day 90          → too late (85 > 60): a failure
    - j3: created day 10, still an opportunity       → failure (110 days old, ≥ 60)
    - j4: created day 20, won on day 80              → exactly 60 days: converted
    March cohort (created days 59-89):
    - m1: created day 70, a prospect                 → open: 50 days old < 60
    - m2: created day 75, customer on day 100        → converted (25 days) although young
    - m3: created day 60, a lead                     → failure: 60 days old, not < 60
    Not in any cohort: n1 without created_at; n2 created after `at` (day 130).

    January: size 4, converted 2, open 0 → rate 2/4 = 0.5.
    March: size 3, converted 1, open 1 → rate 1/(3 - 1) = 0.5.
    """
    opportunity = ("opportunity", 30)
    return [
        person("j1", ("customer", 40), start="opportunity", created=0),
        person("j2", ("customer", 90), start="opportunity", created=5),
        person("j3", start="opportunity", created=10),
        person("j4", ("customer", 80), start="opportunity", created=20),
        person("m1", start="prospect", created=70),
        person("m2", ("customer", 100), start="opportunity", created=75),
        person("m3", created=60),
        person("n1", opportunity, start="prospect"),
        person("n2", created=130),
    ]


class TestCohorts:
    def test_hand_computed(self) -> None:
        rows = metrics.cohorts(population(), at=day(120), within=60 * DAY).to_rows()
        assert rows == [
            {"cohort": "2026-01", "size": 4, "converted": 2, "rate": Decimal("0.5"), "open": 0},
            {"cohort": "2026-03", "size": 3, "converted": 1, "rate": Decimal("0.5"), "open": 1},
        ]

    def test_a_still_open_cohort(self) -> None:
        """As of day 75 with 90 days: j1 converted (day 40); everyone else is under 90
        days old and not converted by day 75: open. January: size 4, converted 1, open 3
        → 1/(4 - 3) = 1. March: m1 (day 70), m2 (day 75: its win on day 100 is after
        `at`, not seen) and m3 (day 60): size 3, open 3 → rate None (no window closed)."""
        rows = metrics.cohorts(population(), at=day(75), within=90 * DAY).to_rows()
        assert rows == [
            {"cohort": "2026-01", "size": 4, "converted": 1, "rate": Decimal(1), "open": 3},
            {"cohort": "2026-03", "size": 3, "converted": 0, "rate": None, "open": 3},
        ]

    @pytest.mark.parametrize(
        ("period", "label"),
        [
            ("day", "2026-01-05"),
            ("week", "2026-W02"),
            ("month", "2026-01"),
            ("quarter", "2026-Q1"),
            ("year", "2026"),
        ],
    )
    def test_periods(self, period: str, label: str) -> None:
        one = person("p", created=4)  # Monday 5 January 2026
        rows = metrics.cohorts([one], at=day(10), period=period)  # type: ignore[arg-type]  # a str
        assert rows[0]["cohort"] == label

    def test_periods_are_read_in_the_time_zone_of_at(self) -> None:
        """Created 2026-01-31 23:30 UTC, which is already February in UTC+1."""
        late = pk.Contact(id="z", name="Z", created_at=datetime(2026, 1, 31, 23, 30, tzinfo=UTC))
        plus_one = timezone(timedelta(hours=1))
        at = datetime(2026, 6, 1, tzinfo=plus_one)
        assert metrics.cohorts([late], at=at)[0]["cohort"] == "2026-02"
        assert metrics.cohorts([late], at=at.astimezone(UTC))[0]["cohort"] == "2026-01"

    def test_a_contact_created_in_the_target_converted_at_once(self) -> None:
        imported = person("i", start="customer", created=0)
        assert metrics.cohorts([imported], at=day(1))[0]["converted"] == 1

    def test_by_source(self) -> None:
        people = [person("a", created=0, source="ads"), person("b", created=0)]
        rows = metrics.cohorts(people, at=day(200), by="source").to_rows()
        assert [(r["group"], r["size"]) for r in rows] == [("ads", 1), (None, 1)]

    def test_empty(self) -> None:
        assert metrics.cohorts([], at=day(1)).to_rows() == []


class TestArguments:
    def test_bad_period(self) -> None:
        with pytest.raises(pk.FieldValueError, match="period: expected one of 'day'"):
            metrics.cohorts([], at=day(1), period="fortnight")  # type: ignore[arg-type]  # the bad value

    def test_unknown_target(self) -> None:
        with pytest.raises(
            pk.FieldValueError, match=r"target: 'custmer' is not a stage.*did you mean"
        ):
            metrics.cohorts([], at=day(1), target="custmer")

    def test_negative_within(self) -> None:
        with pytest.raises(pk.FieldValueError, match="within: must be >= 0"):
            metrics.cohorts([], at=day(1), within=-DAY)
