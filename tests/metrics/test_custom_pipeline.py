"""Every metric on a custom pipeline with deal sub-stages: outcomes come from the spec."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pipelinekit as pk
from pipelinekit import metrics
from tests.metrics.helpers import DAY, DEALS, day, deal, person

D = Decimal


def deals() -> list[pk.Contact]:
    """On DEALS (lead 0.05; discovery 0.2 pipeline; proposal 0.5 best case; negotiation
    0.8 commit; signed won; dead lost; junk disqualified), all created on day 0:

    - k1: lead → discovery (1) → proposal (2) → negotiation (3) → signed (4), 8,000 EUR
    - k2: lead → discovery (1) → proposal (2), 10,000 EUR, its own probability 0.3
    - k3: lead → discovery (1) → proposal (3) → negotiation (5), 20,000 EUR
    - k4: lead → discovery (1) → dead (6, "budget"), 5,000 EUR
    - k5: lead → junk (2, "student")
    - k6: lead → discovery (2), 1,000 EUR
    - k7: imported into negotiation (no history), 4,000 EUR
    """
    s: dict[str, Any] = {"spec": DEALS, "created": 0}
    return [
        person(
            "k1",
            ("discovery", 1),
            ("proposal", 2),
            ("negotiation", 3),
            ("signed", 4),
            opportunity=deal("8000"),
            **s,
        ),
        person(
            "k2",
            ("discovery", 1),
            ("proposal", 2),
            opportunity=deal("10000", probability="0.3"),
            **s,
        ),
        person(
            "k3",
            ("discovery", 1),
            ("proposal", 3),
            ("negotiation", 5),
            opportunity=deal("20000"),
            **s,
        ),
        person("k4", ("discovery", 1), ("dead", 6, "budget"), opportunity=deal("5000"), **s),
        person("k5", ("junk", 2, "student"), **s),
        person("k6", ("discovery", 2), opportunity=deal("1000"), **s),
        person("k7", start="negotiation", opportunity=deal("4000"), **s),
    ]


class TestOnDeals:
    def test_funnel(self) -> None:
        """Forward stages lead, discovery, proposal, negotiation, signed.
        any: lead k1 to k6 = 6; discovery k1, k2, k3, k4, k6 = 5; proposal k1, k2, k3 = 3;
        negotiation k1, k3, k7 = 3; signed k1 = 1.
        strict: k7 skipped everything before negotiation: negotiation 2, signed 1."""
        any_rows = [(r["stage"], r["reached"]) for r in metrics.funnel(deals(), spec=DEALS)]
        assert any_rows == [
            ("lead", 6),
            ("discovery", 5),
            ("proposal", 3),
            ("negotiation", 3),
            ("signed", 1),
        ]
        strict = metrics.funnel(deals(), spec=DEALS, mode="strict")
        assert [r["reached"] for r in strict] == [6, 5, 3, 2, 1]
        assert strict[3]["step_conversion"] == D(2) / 3

    def test_weighted_pipeline_by_forecast_category(self) -> None:
        """Open deals: k6 discovery (pipeline) 1,000 * 0.2 = 200; k2 proposal (best case)
        10,000 * 0.3 (its own) = 3,000; k3 and k7 negotiation (commit) 24,000 * 0.8 =
        19,200. k1 (signed) and k4 (dead) never count."""
        eur = pk.Money
        rows = metrics.weighted_pipeline(deals(), spec=DEALS).to_rows()
        assert [(r["forecast"], r["count"], r["amount"], r["weighted"]) for r in rows] == [
            ("pipeline", 1, eur("1000", "EUR"), eur("200", "EUR")),
            ("best_case", 1, eur("10000", "EUR"), eur("3000", "EUR")),
            ("commit", 2, eur("24000", "EUR"), eur("19200", "EUR")),
        ]

    def test_salesforce_rollups(self) -> None:
        """open pipeline = pipeline + best case + commit: 4 deals, 35,000, weighted 22,400;
        best case = best case + commit: 3, 34,000, 22,200; commit: 2, 24,000, 19,200."""
        eur = pk.Money
        rows = metrics.weighted_pipeline(deals(), spec=DEALS, rollups=True).to_rows()
        assert [(r["forecast"], r["count"], r["amount"], r["weighted"]) for r in rows] == [
            ("open_pipeline", 4, eur("35000", "EUR"), eur("22400", "EUR")),
            ("best_case", 3, eur("34000", "EUR"), eur("22200", "EUR")),
            ("commit", 2, eur("24000", "EUR"), eur("19200", "EUR")),
        ]

    def test_weighted_follows_win_probability(self) -> None:
        for contact in deals():
            rows = metrics.weighted_pipeline([contact], spec=DEALS).to_rows()
            if rows:
                assert contact.opportunity is not None
                assert contact.opportunity.amount is not None
                probability = pk.win_probability(contact, DEALS) or 0
                assert rows[0]["weighted"] == contact.opportunity.amount * probability

    def test_win_rate(self) -> None:
        """Closed: k1 signed (won), k4 dead (lost); k5 junk is disqualified: 1/2."""
        assert metrics.win_rate(deals(), spec=DEALS) == D("0.5")

    def test_lost_reasons(self) -> None:
        rows = metrics.lost_reasons(deals(), spec=DEALS).to_rows()
        assert rows == [
            {"stage": "lead", "reason": "student", "count": 1},
            {"stage": "discovery", "reason": "budget", "count": 1},
        ]

    def test_time_in_stage(self) -> None:
        """discovery stays as of day 10: completed k1 1, k2 1, k3 2, k4 5; running k6 8
        (from day 2). median (1 + 2) / 2 = 1.5 days; Kaplan-Meier: 5 at risk, day 1: 2
        end → 3/5; day 2: 1 of 3 → 2/5 ≤ 0.5 → 2 days."""
        result = metrics.time_in_stage(deals(), at=day(10), spec=DEALS)
        assert [r["stage"] for r in result] == [
            "lead",
            "discovery",
            "proposal",
            "negotiation",
            "signed",
            "dead",
            "junk",
        ]
        discovery = result[1]
        assert (discovery["entered"], discovery["exited"]) == (5, 4)
        assert discovery["median"] == 1.5 * DAY
        assert discovery["median_km"] == 2 * DAY

    def test_stale(self) -> None:
        """As of day 10, proposal and negotiation limited to 4 days: k2 in proposal since
        day 2 (8 days), k3 in negotiation since day 5 (5 days); k7 entered negotiation at
        creation, day 0 (10 days)."""
        limits = {"proposal": 4 * DAY, "negotiation": 4 * DAY}
        rows = metrics.stale(deals(), at=day(10), limits=limits, spec=DEALS).to_rows()
        assert [(r["id"], r["age"]) for r in rows] == [
            ("k7", 10 * DAY),
            ("k2", 8 * DAY),
            ("k3", 5 * DAY),
        ]

    def test_cohorts_and_velocity(self) -> None:
        """Target signed within 30 days, as of day 40: k1 converted; everyone else failed:
        rate 1/7. Velocity over the 90 days before day 40: 4 open deals; won k1 8,000
        (cycle 4 days); closed k1 (won), k4 (lost) → win rate 1/2; 4 * 8,000 * 1/2 / 4 =
        4,000 EUR per day."""
        row = metrics.cohorts(deals(), at=day(40), target="signed", within=30 * DAY, spec=DEALS)
        assert (row[0]["size"], row[0]["converted"], row[0]["rate"]) == (7, 1, D(1) / 7)
        speed = metrics.velocity(deals(), at=day(40), spec=DEALS)[0]
        assert speed["opportunities"] == 4
        assert speed["win_rate"] == D("0.5")
        assert speed["cycle_days"] == D("4.00")
        assert speed["per_day"] == pk.Money("4000", "EUR")
