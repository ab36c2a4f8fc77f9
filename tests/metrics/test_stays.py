"""Time in stage (censored stays, Kaplan-Meier) and stale contacts, by hand and by oracle."""

from __future__ import annotations

import math
from datetime import timedelta
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit import metrics
from pipelinekit.metrics._survival import km_median
from tests.metrics.helpers import DAY, day, person


def stays() -> list[pk.Contact]:
    """As of day 10 (days after T0):

    - a: created day 0, lead → prospect day 2, prospect → opportunity day 5:
      lead 2 (completed), prospect 3 (completed), opportunity 5 (running: censored)
    - b: created day 0, lead → prospect day 4: lead 4, prospect 6 (censored)
    - c: created day 1, still a lead: lead 9 (censored)
    - d: no created_at, lead → prospect day 3, prospect → opportunity day 9: its lead
      stay is not measured; prospect 6, opportunity 1 (censored)

    lead: completed [2, 4], censored [9]; entered 3, exited 2; median (2 + 4) / 2 = 3;
      p90 at rank (2 - 1) * 0.9 = 0.9: 2 + 0.9 * (4 - 2) = 3.8 days.
      Kaplan-Meier: 3 at risk; day 2: S = 2/3; day 4: 2 at risk, S = 2/3 * 1/2 = 1/3
      ≤ 0.5 → median_km 4 days (the completed-only median, 3, is biased short).
    prospect: completed [3, 6], censored [6]; median 4.5, p90 3 + 0.9 * 3 = 5.7 days.
      Kaplan-Meier: day 3: S = 2/3; day 6: b's stay, censored at 6, is still at risk:
      2 at risk, S = 1/3 → median_km 6 days.
    opportunity: censored [5, 1] only: entered 2, exited 0, no median, median_km None.
    customer, disqualified, lost: no stays.
    """
    return [
        person("a", ("prospect", 2), ("opportunity", 5), created=0),
        person("b", ("prospect", 4), created=0),
        person("c", created=1),
        person("d", ("prospect", 3), ("opportunity", 9)),
    ]


class TestTimeInStage:
    def test_hand_computed(self) -> None:
        rows = metrics.time_in_stage(stays(), at=day(10)).to_rows()
        assert rows[:3] == [
            {
                "stage": "lead",
                "entered": 3,
                "exited": 2,
                "median": 3 * DAY,
                "p90": timedelta(days=3.8),
                "median_km": 4 * DAY,
            },
            {
                "stage": "prospect",
                "entered": 3,
                "exited": 2,
                "median": timedelta(days=4.5),
                "p90": timedelta(days=5.7),
                "median_km": 6 * DAY,
            },
            {
                "stage": "opportunity",
                "entered": 2,
                "exited": 0,
                "median": None,
                "p90": None,
                "median_km": None,
            },
        ]
        assert [(r["stage"], r["entered"]) for r in rows[3:]] == [
            ("customer", 0),
            ("disqualified", 0),
            ("lost", 0),
        ]

    def test_survival_curves(self) -> None:
        result = metrics.time_in_stage(stays(), at=day(10))
        lead = result.survival[(None, "lead")]
        assert lead[0] == (timedelta(0), 1.0)
        assert [t for t, _ in lead[1:]] == [2 * DAY, 4 * DAY]
        assert [s for _, s in lead[1:]] == pytest.approx([2 / 3, 1 / 3])
        assert result.survival[(None, "opportunity")] == ((timedelta(0), 1.0),)

    def test_what_happens_after_at_is_not_seen(self) -> None:
        """As of day 3, a's lead stay (0 → 2) is complete and its prospect stay (from day
        2) runs: censored at 1 day; the change on day 5 is in the future."""
        rows = metrics.time_in_stage([stays()[0]], at=day(3)).to_rows()
        assert (rows[1]["entered"], rows[1]["exited"]) == (1, 0)
        assert (rows[2]["entered"], rows[2]["exited"]) == (0, 0)
        assert metrics.time_in_stage([stays()[0]], at=day(-1)).to_rows()[0]["entered"] == 0

    def test_by_group(self) -> None:
        people = [
            person("a", ("prospect", 2), created=0, owner="ann"),
            person("b", ("prospect", 6), created=0, owner="bob"),
        ]
        result = metrics.time_in_stage(people, at=day(10), by="owner")
        leads = [(r["group"], r["median"]) for r in result if r["stage"] == "lead"]
        assert leads == [("ann", 2 * DAY), ("bob", 6 * DAY)]
        assert set(result.survival) >= {("ann", "lead"), ("bob", "lead")}

    def test_zero_length_stays(self) -> None:
        """Two contacts pass through prospect at the instant they enter it (a bulk move);
        one more is still a prospect after 4 days. Prospect: completed [0, 0], censored
        [4]: median 0; Kaplan-Meier at 0: 3 at risk, 2 end → S = 1/3, so the median is 0,
        and the curve steps from (0, 1.0) to (0, 1/3) at once."""
        people = [
            person("a", ("prospect", 1), ("opportunity", 1), created=0),
            person("b", ("prospect", 2), ("opportunity", 2), created=0),
            person("c", ("prospect", 6), created=0),
        ]
        result = metrics.time_in_stage(people, at=day(10))
        prospect = result[1]
        assert (prospect["median"], prospect["median_km"]) == (timedelta(0), timedelta(0))
        curve = result.survival[(None, "prospect")]
        assert curve[0] == (timedelta(0), 1.0)
        assert curve[1][0] == timedelta(0)
        assert curve[1][1] == pytest.approx(1 / 3)

    def test_empty(self) -> None:
        rows = metrics.time_in_stage([], at=day(1)).to_rows()
        assert [r["entered"] for r in rows] == [0] * 6
        assert metrics.time_in_stage([], at=day(1), by="owner").to_rows() == []


# The 6-MP arm of the Freireich et al. (1963) leukaemia trial, the textbook Kaplan-Meier
# example (Kleinbaum & Klein, Survival Analysis; Cox & Oakes): remission times in weeks,
# "+" censored.
REMISSION = "6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+"


class TestTextbook:
    def test_freireich_median_is_23_weeks(self) -> None:
        """Worked by hand (n at risk, d ending): 6: 21, 3 → S = 18/21 = 0.857; 7: 17, 1 →
        0.807; 10: 15, 1 → 0.753; 13: 12, 1 → 0.690; 16: 11, 1 → 0.627; 22: 7, 1 → 0.538;
        23: 6, 1 → 0.448 ≤ 0.5: the median is 23 weeks. (The censored 6+ is still at risk
        at week 6.) Each remission is a lead stay, in days: 1 week → 7 days."""
        week = 7 * DAY
        people = []
        for index, item in enumerate(REMISSION.split()):
            weeks = int(item.rstrip("+"))
            if item.endswith("+"):  # still a lead at `at`
                people.append(person(f"p{index}", created=300 - 7 * weeks))
            else:
                people.append(person(f"p{index}", ("prospect", 7 * weeks), created=0))
        result = metrics.time_in_stage(people, at=day(300))
        assert result[0]["median_km"] == 23 * week
        curve = dict(result.survival[(None, "lead")])
        assert curve[6 * week] == pytest.approx(18 / 21)
        assert curve[23 * week] == pytest.approx(0.448, abs=5e-4)


# lifelines starts its curve at time 0 with S = 1, so stays of zero length are checked by hand
# (TestTimeInStage.test_zero_length_stays), not against it.
durations = st.lists(st.tuples(st.integers(1, 40), st.booleans()), min_size=1, max_size=40)


def exact_km_median(data: list[tuple[int, bool]]) -> int | None:
    """The Kaplan-Meier median in exact fractions (the reference where floats tie at 0.5)."""
    survival = Fraction(1)
    for time in sorted({t for t, ended in data if ended}):
        at_risk = sum(1 for t, _ in data if t >= time)
        ended = sum(1 for t, e in data if e and t == time)
        survival *= Fraction(at_risk - ended, at_risk)
        if survival <= Fraction(1, 2):
            return time
    return None


class TestAgainstLifelines:
    @given(durations)
    @example([(1, True), (2, True)])  # S reaches exactly 0.5 at the first event
    @example([(5, False), (5, True)])  # censored and ended at the same time
    @example([(1, False), (1, False), (1, False), (1, True), (1, True), (1, True)])  # S = 0.5
    @example([(3, False)])  # nothing ends: no median
    def test_km_median_matches_lifelines(self, data: list[tuple[int, bool]]) -> None:
        """lifelines is the oracle, except where its floating point survival lands within
        1e-9 of 0.5 (it computes 1 - 3/6 as a hair above 0.5): there exact fractions are."""
        lifelines = pytest.importorskip("lifelines")
        events = sorted(t for t, ended in data if ended)
        censored = sorted(t for t, ended in data if not ended)
        mine = km_median(events, censored)
        expected = exact_km_median(data)
        assert mine == (None if expected is None else timedelta(microseconds=expected))
        fitter = lifelines.KaplanMeierFitter().fit([t for t, _ in data], [e for _, e in data])
        levels = fitter.survival_function_.iloc[:, 0]
        if any(abs(level - 0.5) < 1e-9 for level in levels):
            return
        theirs = fitter.median_survival_time_
        assert mine == (None if math.isinf(theirs) else timedelta(microseconds=int(theirs)))


class TestStale:
    def test_hand_computed(self) -> None:
        """As of day 50, limits prospect 30 days, opportunity 10 days:

        - s1: prospect since day 5 → age 45 > 30: stale
        - s2: prospect since day 5, a call on day 40 resets the clock → age 10: fine
        - s3: opportunity since day 39 (moved from prospect) → age 11 > 10: stale
        - s4: opportunity since day 40 → age 10, not strictly greater: fine
        - s5: lost since day 1: closed contacts never go stale
        - s6: a lead (no limit for leads)

        Oldest first: s1 (45 days), s3 (11 days).
        """
        call = pk.Touchpoint(channel="call", timestamp=day(40))
        people = [
            person("s1", ("prospect", 5)),
            person("s2", ("prospect", 5), touchpoints=[call]),
            person("s3", ("prospect", 5), ("opportunity", 39)),
            person("s4", ("opportunity", 40), start="prospect"),
            person("s5", ("lost", 1, "price"), start="opportunity"),
            person("s6", created=0),
        ]
        limits = {"prospect": 30 * DAY, "opportunity": 10 * DAY}
        assert metrics.stale(people, at=day(50), limits=limits).to_rows() == [
            {"id": "s1", "stage": "prospect", "age": 45 * DAY, "limit": 30 * DAY},
            {"id": "s3", "stage": "opportunity", "age": 11 * DAY, "limit": 10 * DAY},
        ]

    def test_unknown_stage_in_limits(self) -> None:
        with pytest.raises(pk.FieldValueError, match="limits: 'prospekt' is not a stage"):
            metrics.stale([], at=day(1), limits={"prospekt": DAY})

    def test_closed_stage_in_limits(self) -> None:
        with pytest.raises(pk.FieldValueError, match="limits: 'lost' is a lost stage"):
            metrics.stale([], at=day(1), limits={"lost": DAY})

    def test_negative_limit(self) -> None:
        with pytest.raises(pk.FieldValueError, match=r"limits\['prospect'\]: must be >= 0"):
            metrics.stale([], at=day(1), limits={"prospect": -DAY})

    def test_limits_must_be_a_mapping(self) -> None:
        with pytest.raises(pk.FieldTypeError, match="limits: expected a mapping"):
            metrics.stale([], at=day(1), limits=[("prospect", DAY)])  # type: ignore[arg-type]  # the bad value
