"""Deal metrics by hand: weighted pipeline, win rate, velocity and lost reasons."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import attrs
import pytest

import pipelinekit as pk
from pipelinekit import metrics
from tests.metrics.helpers import DAY, day, deal, person

D = Decimal
EUR, USD = "EUR", "USD"


def deals() -> list[pk.Contact]:
    """Seven contacts on the default pipeline (opportunity's probability is 0.4,
    prospect's 0.1).

    - d1: opportunity, 10,000 EUR, no own probability → weighted 0.4 * 10,000 = 4,000
    - d2: opportunity, 5,000 EUR, probability 0.9 → 4,500
    - d3: opportunity, 2,000 USD, probability 0 (counts as 0, not as "unset") → 0
    - d4: lost, 50,000 EUR: a lost deal is never pipeline
    - d5: customer, 7,000 EUR: won, never pipeline
    - d6: prospect without an opportunity: not a deal
    - d7: prospect, 1,000 EUR → 0.1 * 1,000 = 100

    EUR / pipeline: count 3 (d1, d2, d7), amount 16,000, weighted 8,600.
    USD / pipeline: count 1 (d3), amount 2,000, weighted 0.
    """
    return [
        person("d1", start="opportunity", opportunity=deal("10000")),
        person("d2", start="opportunity", opportunity=deal("5000", probability="0.9")),
        person("d3", start="opportunity", opportunity=deal("2000", USD, probability="0")),
        person("d4", ("lost", 3, "price"), start="opportunity", opportunity=deal("50000")),
        person("d5", ("customer", 4), start="opportunity", opportunity=deal("7000")),
        person("d6", start="prospect"),
        person("d7", start="prospect", opportunity=deal("1000")),
    ]


class TestWeightedPipeline:
    def test_hand_computed(self) -> None:
        assert metrics.weighted_pipeline(deals()).to_rows() == [
            {
                "currency": EUR,
                "forecast": "pipeline",
                "count": 3,
                "amount": pk.Money("16000", EUR),
                "weighted": pk.Money("8600", EUR),
            },
            {
                "currency": USD,
                "forecast": "pipeline",
                "count": 1,
                "amount": pk.Money("2000", USD),
                "weighted": pk.Money("0", USD),
            },
        ]

    def test_a_lost_deal_is_not_pipeline(self) -> None:
        """Only d4, lost with 50,000 EUR: no row at all."""
        assert metrics.weighted_pipeline([deals()[3]]).to_rows() == []

    def test_exact_money(self) -> None:
        """0.333 * 0.10 EUR = 0.0333 EUR: kept exact, not rounded to cents."""
        odd = person("o", start="opportunity", opportunity=deal("0.10", probability="0.333"))
        assert metrics.weighted_pipeline([odd])[0]["weighted"] == pk.Money("0.0333", EUR)

    def test_by_owner(self) -> None:
        """ann: d1 and d2 (15,000 EUR, weighted 8,500); bob: d7 (1,000, weighted 100)."""
        people = deals()
        owned = [
            attrs.evolve(c, owner=owner)
            for c, owner in zip(
                people, ["ann", "ann", "bob", "ann", "ann", "bob", "bob"], strict=True
            )
        ]
        rows = metrics.weighted_pipeline(owned, by="owner").to_rows()
        assert [(r["group"], r["currency"], r["count"], r["weighted"]) for r in rows] == [
            ("ann", EUR, 2, pk.Money("8500", EUR)),
            ("bob", EUR, 1, pk.Money("100", EUR)),
            ("bob", USD, 1, pk.Money("0", USD)),
        ]

    def test_bad_rollups(self) -> None:
        with pytest.raises(pk.FieldTypeError, match="rollups"):
            metrics.weighted_pipeline([], rollups="yes")  # type: ignore[arg-type]  # bad value


def closings() -> list[pk.Contact]:
    """Closing changes (days after T0), for win_rate over [10, 20):

    - w1: won on day 12                          → in the window, won
    - w2: lost on day 15                         → in the window, lost
    - w3: won on day 25                          → after the window
    - w4: lost on day 5                          → before the window
    - w5: lost on day 11, recycled, won on day 18 → last closing in the window: won
    - w6: disqualified on day 14                 → not a closing change
    - w7: an opportunity still open              → not closed

    In [10, 20): won {w1, w5} = 2, lost {w2} = 1 → 2/3. Unbounded: won {w1, w3, w5},
    lost {w2, w4} → 3/5.
    """
    return [
        person("w1", ("customer", 12), start="opportunity"),
        person("w2", ("lost", 15, "price"), start="opportunity"),
        person("w3", ("customer", 25), start="opportunity"),
        person("w4", ("lost", 5, "timing"), start="opportunity"),
        person(
            "w5",
            ("lost", 11, "price"),
            ("lead", 12),
            ("prospect", 13),
            ("opportunity", 14),
            ("customer", 18),
            start="opportunity",
        ),
        person("w6", ("disqualified", 14, "no fit")),
        person("w7", start="opportunity"),
    ]


class TestWinRate:
    def test_window(self) -> None:
        assert metrics.win_rate(closings(), since=day(10), until=day(20)) == D(2) / 3

    def test_unbounded(self) -> None:
        assert metrics.win_rate(closings()) == D("0.6")

    def test_until_is_exclusive(self) -> None:
        """Before day 15: w1 won (day 12); w4 lost (day 5), w5 lost (day 11; its win on
        day 18 comes later) → 1/3. w2's loss at exactly day 15 is out; a microsecond
        later it is in → 1/4."""
        assert metrics.win_rate(closings(), until=day(15)) == D(1) / 3
        later = day(15) + timedelta(microseconds=1)
        assert metrics.win_rate(closings(), until=later) == D("0.25")

    def test_nobody_closed(self) -> None:
        assert metrics.win_rate([person("x")]) is None
        assert metrics.win_rate([]) is None

    def test_bad_window(self) -> None:
        with pytest.raises(pk.FieldValueError, match="until: must not be before since"):
            metrics.win_rate([], since=day(2), until=day(1))
        with pytest.raises(pk.FieldValueError, match="since: datetime must be timezone-aware"):
            metrics.win_rate([], since=day(1).replace(tzinfo=None))


class TestVelocity:
    def test_hand_computed(self) -> None:
        """As of day 100, window 90 days → [10, 100).

        EUR deals:
        - v1: created day 0, won day 30, 9,000 EUR → cycle 30 days
        - v2: created day 20, won day 80, 3,000 EUR → cycle 60 days
        - v3: lost day 50, 4,000 EUR
        - v4, v5: open opportunities (5,000 and 1,000 EUR)
        - v6: won day 5, before the window: ignored
        USD: v7 open, 100 USD (no closed deal: average, win rate and per_day None).

        EUR: opportunities 2; average deal (9,000 + 3,000) / 2 = 6,000; win rate 2/3;
        cycle (30 + 60) / 2 = 45 days; per day 2 * 6,000 * 2/3 / 45 = 177.78 EUR (rounded
        to cents).
        """
        people = [
            person(
                "v1", ("customer", 30), start="opportunity", created=0, opportunity=deal("9000")
            ),
            person(
                "v2", ("customer", 80), start="opportunity", created=20, opportunity=deal("3000")
            ),
            person("v3", ("lost", 50, "price"), start="opportunity", opportunity=deal("4000")),
            person("v4", start="opportunity", opportunity=deal("5000")),
            person("v5", start="opportunity", opportunity=deal("1000")),
            person("v6", ("customer", 5), start="opportunity", created=0, opportunity=deal("8000")),
            person("v7", start="opportunity", opportunity=deal("100", USD)),
        ]
        rows = metrics.velocity(people, at=day(100), window=timedelta(days=90)).to_rows()
        assert rows == [
            {
                "currency": EUR,
                "opportunities": 2,
                "average_deal": pk.Money("6000", EUR),
                "win_rate": D(2) / 3,
                "cycle_days": D("45.00"),
                "per_day": pk.Money("177.78", EUR),
            },
            {
                "currency": USD,
                "opportunities": 1,
                "average_deal": None,
                "win_rate": None,
                "cycle_days": None,
                "per_day": None,
            },
        ]

    def test_empty(self) -> None:
        assert metrics.velocity([], at=day(1)).to_rows() == []

    @pytest.mark.parametrize("window", [timedelta(0), -DAY])
    def test_window_must_be_positive(self, window: timedelta) -> None:
        with pytest.raises(pk.FieldValueError, match="window: must be > 0"):
            metrics.velocity([], at=day(1), window=window)

    def test_naive_at(self) -> None:
        with pytest.raises(pk.FieldValueError, match="at: datetime must be timezone-aware"):
            metrics.velocity([], at=day(1).replace(tzinfo=None))


class TestLostReasons:
    def test_hand_computed(self) -> None:
        """Changes into lost or disqualified, by the stage left and the reason:

        - l1: opportunity → lost "price"
        - l2: opportunity → lost "price", recycled to lead, then lead → disqualified "no fit"
        - l3: opportunity → lost "competitor"
        - l4: prospect → disqualified (no reason recorded)
        - l5: a customer: nothing

        (opportunity, price) 2; then by pipeline order of the stage left: (lead, no fit) 1,
        (prospect, None) 1, (opportunity, competitor) 1.
        """
        people = [
            person("l1", ("lost", 2, "price"), start="opportunity"),
            person(
                "l2",
                ("lost", 2, "price"),
                ("lead", 3),
                ("disqualified", 4, "no fit"),
                start="opportunity",
            ),
            person("l3", ("lost", 2, "competitor"), start="opportunity"),
            person("l4", ("disqualified", 2), start="prospect"),
            person("l5", ("customer", 2), start="opportunity"),
        ]
        assert metrics.lost_reasons(people).to_rows() == [
            {"stage": "opportunity", "reason": "price", "count": 2},
            {"stage": "lead", "reason": "no fit", "count": 1},
            {"stage": "prospect", "reason": None, "count": 1},
            {"stage": "opportunity", "reason": "competitor", "count": 1},
        ]

    def test_empty(self) -> None:
        assert metrics.lost_reasons([]).to_rows() == []
