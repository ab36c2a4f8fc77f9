"""metrics.funnel: hand-computed populations in both modes, grouped and empty."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pipelinekit as pk
from pipelinekit import metrics
from tests.metrics.helpers import person

D = Decimal


def population() -> list[pk.Contact]:
    """Five contacts on the default pipeline (forward stages lead, prospect, opportunity, customer).

    - c1: lead → prospect → opportunity → customer
    - c2: lead → prospect (still a prospect)
    - c3: a lead
    - c4: imported as a prospect (no lead stay), then prospect → opportunity: it skipped lead
    - c5: lead → disqualified

    reached, "any" mode: lead {c1, c2, c3, c5} = 4; prospect {c1, c2, c4} = 3;
    opportunity {c1, c4} = 2; customer {c1} = 1.
    step conversion: 4/4 = 1, 3/4 = 0.75, 2/3, 1/2; cumulative: 1, 3/4, 2/4, 1/4.

    reached, "strict" mode (every earlier forward stage reached too): lead 4; prospect
    {c1, c2} = 2 (c4 never was a lead); opportunity {c1} = 1; customer {c1} = 1.
    step: 1, 2/4 = 0.5, 1/2 = 0.5, 1/1 = 1; cumulative: 1, 2/4, 1/4, 1/4.
    """
    return [
        person("c1", ("prospect", 1), ("opportunity", 2), ("customer", 3), source="ads"),
        person("c2", ("prospect", 1), source="ads"),
        person("c3", source="web"),
        person("c4", ("opportunity", 5), start="prospect", source="web"),
        person("c5", ("disqualified", 2, "student"), source=None),
    ]


def table(result: metrics.Funnel) -> list[tuple[object, ...]]:
    return [tuple(row.values()) for row in result]


class TestHandComputed:
    def test_any_mode(self) -> None:
        assert table(metrics.funnel(population())) == [
            ("lead", 4, D(1), D(1)),
            ("prospect", 3, D("0.75"), D("0.75")),
            ("opportunity", 2, D(2) / 3, D("0.5")),
            ("customer", 1, D("0.5"), D("0.25")),
        ]

    def test_strict_mode(self) -> None:
        assert table(metrics.funnel(population(), mode="strict")) == [
            ("lead", 4, D(1), D(1)),
            ("prospect", 2, D("0.5"), D("0.5")),
            ("opportunity", 1, D("0.5"), D("0.25")),
            ("customer", 1, D(1), D("0.25")),
        ]

    def test_columns(self) -> None:
        assert metrics.funnel([]).columns == (
            "stage",
            "reached",
            "step_conversion",
            "cumulative_conversion",
        )

    def test_same_instant_changes_pass_through(self) -> None:
        """Moves recorded at one instant (a bulk import, a skip route) still pass each stage."""
        burst = person("b", ("prospect", 1), ("opportunity", 1), ("customer", 1))
        rows = metrics.funnel([burst], mode="strict").to_rows()
        assert [r["reached"] for r in rows] == [1, 1, 1, 1]

    def test_a_recycled_contact_counts_once(self) -> None:
        """Each stage counts contacts, not visits: lost, recycled and qualified again is 1."""
        again = person(
            "r",
            ("prospect", 1),
            ("opportunity", 2),
            ("lost", 3, "price"),
            ("lead", 4),
            ("prospect", 5),
        )
        assert [r["reached"] for r in metrics.funnel([again])] == [1, 1, 1, 0]

    def test_generator_input_is_read_once(self) -> None:
        result = metrics.funnel(c for c in population())
        assert [r["reached"] for r in result] == [4, 3, 2, 1]


class TestGrouped:
    def test_by_source(self) -> None:
        """ads: c1, c2 (both leads, both prospects, c1 further); web: c3 and c4 (c4 skipped
        lead); None: c5 (a lead, disqualified). Groups by value, None last."""
        rows = metrics.funnel(population(), by="source").to_rows()
        reached = [(r["group"], r["stage"], r["reached"]) for r in rows]
        assert reached == [
            ("ads", "lead", 2),
            ("ads", "prospect", 2),
            ("ads", "opportunity", 1),
            ("ads", "customer", 1),
            ("web", "lead", 1),
            ("web", "prospect", 1),
            ("web", "opportunity", 1),
            ("web", "customer", 0),
            (None, "lead", 1),
            (None, "prospect", 0),
            (None, "opportunity", 0),
            (None, "customer", 0),
        ]
        assert rows[4]["step_conversion"] == 1
        assert rows[5]["step_conversion"] == 1
        assert metrics.funnel(population(), by="source").columns[0] == "group"

    def test_by_a_nested_path_reads_as_field_does(self) -> None:
        acme = pk.Account(name="Acme", industry="software")
        people = [person("a", account=acme), person("b")]
        groups = {r["group"] for r in metrics.funnel(people, by="account.industry")}
        assert groups == {"software", None}


class TestEmpty:
    def test_no_contacts_lists_the_forward_stages(self) -> None:
        rows = metrics.funnel([]).to_rows()
        assert [(r["stage"], r["reached"]) for r in rows] == [
            ("lead", 0),
            ("prospect", 0),
            ("opportunity", 0),
            ("customer", 0),
        ]
        assert all(r["step_conversion"] is None for r in rows)

    def test_no_contacts_grouped_has_no_rows(self) -> None:
        assert metrics.funnel([], by="source").to_rows() == []


class TestArguments:
    def test_bad_mode(self) -> None:
        with pytest.raises(pk.FieldValueError, match="mode: expected 'any' or 'strict'"):
            metrics.funnel([], mode="ordered")  # type: ignore[arg-type]  # the bad value
