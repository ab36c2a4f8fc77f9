"""Pardot-style letter grades: start at D, a third of a letter per criterion, unknown stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipelinekit as pk

AT = datetime(2026, 12, 1, tzinfo=UTC)
SOFTWARE = pk.field("account.industry") == "software"
BIG = pk.field("account.employees") >= 100
SENIOR = pk.field("title").matches("(?i)vp|chief")


def contact(**account: Any) -> pk.Contact:
    return pk.Contact(id="c-1", name="Jane", account=pk.Account(name="Acme", **account))


class TestGrades:
    model = pk.GradeModel(
        criteria=[pk.Criterion(SOFTWARE), pk.Criterion(BIG), pk.Criterion(SENIOR)]
    )

    @pytest.mark.parametrize(
        ("account", "grade"),
        [
            ({}, "D"),  # everything unknown: the start
            ({"industry": "software"}, "D+"),  # one third up
            ({"industry": "software", "employees": 500}, "C-"),  # two thirds
            ({"industry": "retail"}, "D-"),  # one third down
            ({"industry": "retail", "employees": 5}, "F"),  # two down
        ],
    )
    def test_thirds_of_a_letter(self, account: dict[str, Any], grade: str) -> None:
        assert self.model.score(contact(**account), at=None).grade == grade

    def test_unknown_leaves_the_grade(self) -> None:
        result = self.model.score(contact(industry="software"), at=None)
        assert [(line.status, line.move) for line in result.breakdown] == [
            ("passed", 1),
            ("unknown", 0),
            ("unknown", 0),
        ]
        assert "unknown leaves the grade" in str(result)

    def test_held_within_f_and_a_plus(self) -> None:
        up = pk.GradeModel(criteria=[pk.Criterion(BIG, steps=12)] * 2)
        assert up.score(contact(employees=500), at=None).grade == "A+"
        assert up.score(contact(employees=5), at=None).grade == "F"

    def test_a_whole_letter(self) -> None:
        model = pk.GradeModel(criteria=[pk.Criterion(BIG, steps=3)], start="C")
        assert model.score(contact(employees=500), at=None).grade == "B"
        assert model.score(contact(employees=5), at=None).grade == "D"

    def test_time_relative_criteria_need_at(self) -> None:
        recent = pk.field("created_at").within_last(timedelta(days=7))
        model = pk.GradeModel(criteria=[pk.Criterion(recent)])
        c = pk.Contact(id="c", name="J", created_at=AT - timedelta(days=1))
        assert model.score(c, at=AT).grade == "D+"
        with pytest.raises(pk.QualifierError, match="at="):
            model.score(c, at=None)
        with pytest.raises(pk.QualifierError, match="timezone-aware"):
            model.score(c, at=datetime(2026, 1, 1))  # the mistake under test

    def test_dict_rows_too(self) -> None:
        assert self.model.score({"account": {"industry": "software"}}, at=None).grade == "D+"

    def test_html_and_repr(self) -> None:
        model = pk.GradeModel(criteria=[pk.Criterion(BIG.named("<b>"), steps=2)])
        assert "&lt;b&gt;" in model.score(contact(), at=None)._repr_html_()
        assert repr(model) == (
            "GradeModel(\n    criteria=[\n        Criterion((field('account.employees') >= 100)"
            ".named('<b>'), steps=2),\n    ],\n)"
        )

    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (lambda: pk.Criterion(BIG, steps=0), "steps"),
            (lambda: pk.Criterion(BIG, steps=13), "steps"),
            (lambda: pk.Criterion(BIG, steps="1"), "steps"),
            (lambda: pk.Criterion("x"), "when"),  # type: ignore[arg-type]
            (lambda: pk.GradeModel(criteria=[BIG]), "criteria[0]"),
            (lambda: pk.GradeModel(criteria=[], start="E"), "start"),
            (lambda: pk.GradeModel(criteria=[pk.Criterion(BIG)] * 1001), "criteria"),
        ],
    )
    def test_errors_name_the_field(self, build: Any, field: str) -> None:
        with pytest.raises(pk.FieldError) as raised:
            build()
        assert raised.value.field == field


@given(
    steps=st.lists(st.integers(1, 12), max_size=8),
    outcomes=st.lists(st.sampled_from([True, False, None]), min_size=8, max_size=8),
)
def test_grade_is_the_clamped_sum_whatever_the_order(
    steps: list[int], outcomes: list[bool | None]
) -> None:
    """The moves add up, held within F … A+; reversing the criteria changes nothing."""
    criteria = [pk.Criterion(pk.field(f"facts.f{i}") == True, steps=s) for i, s in enumerate(steps)]  # noqa: E712  # a qualifier, not a test
    facts = {f"f{i}": o for i, o in enumerate(outcomes[: len(steps)]) if o is not None}
    c = pk.Contact(id="c", name="J", facts=facts)
    moved = sum(s if outcomes[i] else -s for i, s in enumerate(steps) if outcomes[i] is not None)
    expected = pk.scoring.GRADES[min(max(2 + moved, 0), 12)]
    forward = pk.GradeModel(criteria=criteria).score(c, at=None)
    backward = pk.GradeModel(criteria=criteria[::-1]).score(c, at=None)
    assert forward.grade == backward.grade == expected
    assert pk.GradeModel(criteria=criteria).score_many([c, c], at=None) == [forward, forward]
