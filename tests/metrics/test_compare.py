"""metrics.compare: two qualification policies on one population, by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pipelinekit as pk
from pipelinekit import metrics
from tests.metrics.helpers import day, person

BIG = pk.field("account.employees") >= 100
FUNDED = pk.field("budget") >= pk.Money("10000", "EUR")


def population() -> list[pk.Contact]:
    """Policy A: 100+ employees; policy B: a budget of 10,000 EUR or more.

    - p1: big, funded, won           → both
    - p2: big, funded, lost          → both
    - p3: big, no budget known, won  → A only (B is UNKNOWN: not admitted)
    - p4: small, funded, lost        → B only
    - p5: small, small budget, disqualified → neither
    - p6: big, small budget, open    → A only

    A: {p1, p2, p3, p6}: won 2, lost 1, open 1 → win rate 2/3.
    B: {p1, p2, p4}: won 1, lost 2 → 1/3. both: {p1, p2} → 1/2.
    A only: {p3, p6}: won 1, open 1 → 1. B only: {p4}: lost → 0. neither: {p5} → None.
    """
    big = pk.Account(name="Big", employees=500)
    small = pk.Account(name="Small", employees=5)
    rich, poor = pk.Money("50000", "EUR"), pk.Money("100", "EUR")
    return [
        person("p1", ("customer", 3), start="opportunity", account=big, budget=rich),
        person("p2", ("lost", 3, "price"), start="opportunity", account=big, budget=rich),
        person("p3", ("customer", 3), start="opportunity", account=big),
        person("p4", ("lost", 3, "price"), start="opportunity", account=small, budget=rich),
        person("p5", ("disqualified", 3, "tiny"), account=small, budget=poor),
        person("p6", start="prospect", account=big, budget=poor),
    ]


class TestCompare:
    def test_hand_computed(self) -> None:
        rows = metrics.compare(BIG, FUNDED, population(), at=day(10)).to_rows()
        d = Decimal
        assert [tuple(r.values()) for r in rows] == [
            ("a", 4, 2, 1, 0, 1, d(2) / 3),
            ("b", 3, 1, 2, 0, 0, d(1) / 3),
            ("both", 2, 1, 1, 0, 0, d("0.5")),
            ("a only", 2, 1, 0, 0, 1, d(1)),
            ("b only", 1, 0, 1, 0, 0, d(0)),
            ("neither", 1, 0, 0, 1, 0, None),
        ]
        assert list(rows[0]) == [
            "admitted_by",
            "contacts",
            "won",
            "lost",
            "disqualified",
            "open",
            "win_rate",
        ]

    def test_empty(self) -> None:
        rows = metrics.compare(BIG, FUNDED, [], at=day(1)).to_rows()
        assert [r["contacts"] for r in rows] == [0] * 6

    def test_policies_must_be_qualifiers(self) -> None:
        with pytest.raises(pk.FieldTypeError, match="policy_b: expected a Qualifier"):
            metrics.compare(BIG, lambda c: True, [], at=day(1))  # type: ignore[arg-type]  # bad
