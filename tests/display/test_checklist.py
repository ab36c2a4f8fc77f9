"""``q.checklist()``: a qualifier tree as a checklist, read without evaluating anything."""

from __future__ import annotations

import html
import re
import sys
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit import _pretty
from tests.display.helpers import IMG, SCRIPT, fake_pretty, pretty

DEEP = 3 * sys.getrecursionlimit()


class Wrap(pk.Qualifier):
    """A custom composite read as ``all of`` (custom trees have no depth cap)."""

    NODE_KIND = "all_of"  # what the checklist reads for the heading

    def __init__(self, child: pk.Qualifier) -> None:
        self.child = child

    @property
    def children(self) -> tuple[pk.Qualifier, ...]:
        return (self.child,)

    def outcome(self, subject: object, at: datetime | None) -> pk.Outcome:
        raise AssertionError("a checklist must not evaluate anything")


class Boom(pk.Qualifier):
    """A custom leaf that refuses to be evaluated."""

    def outcome(self, subject: object, at: datetime | None) -> pk.Outcome:
        raise AssertionError("a checklist must not evaluate anything")

    def infix(self) -> str:
        return "has a meeting booked"


class TestText:
    def test_framework(self) -> None:
        """BANT: a heading with its rule, a box per criterion, composites as sub-lists."""
        bant = pk.frameworks.bant(min_budget=pk.Money("10000", "USD"))
        assert str(bant.checklist()).splitlines() == [
            "BANT (at least 3 of) — 3 of budget, authority, need, timeframe",
            "  ☐ Budget: budget >= 10,000.00 USD — a budget of at least 10,000.00 USD",
            "  Authority (any of) — the contact can decide, or a decision maker is identified",
            "    ☐ authority == True",
            (
                "    ☐ any stakeholders, empty is unknown: "
                "(role in {'decision_maker', 'economic_buyer'})"
            ),
            "  Need (any of) — a need the product solves is stated, or pains are recorded",
            "    ☐ need matches /\\S/",
            "    ☐ pains is not empty",
            (
                "  ☐ Timeframe: timeline within the next 180 days"
                " — a decision date within the next 180 days"
            ),
        ]

    def test_unnamed_composites(self) -> None:
        """Unnamed composites read ``all of:``, ``any of:``, ``not:``, ``at least k of:``."""
        a, b, c = pk.field("a") >= 1, pk.field("b") == "x", pk.field("c").is_known()
        q = pk.all_of(a, b | c, ~c, pk.at_least(2, a, b, c))
        assert str(q.checklist()).splitlines() == [
            "all of:",
            "  ☐ a >= 1",
            "  any of:",
            "    ☐ b == 'x'",
            "    ☐ c is known",
            "  not:",
            "    ☐ c is known",
            "  at least 2 of:",
            "    ☐ a >= 1",
            "    ☐ b == 'x'",
            "    ☐ c is known",
        ]

    def test_weighted_shows_weights(self) -> None:
        q = pk.weighted({(pk.field("a") >= 1).named("A"): 2, pk.field("b") == 2: 1.5}, threshold=2)
        assert str(q.checklist()).splitlines() == [
            "weights reaching 2 of 3.5:",
            "  ☐ weight 2: A: a >= 1",
            "  ☐ weight 1.5: b == 2",
        ]

    def test_a_leaf_is_one_check(self) -> None:
        leaf = (pk.field("budget") >= pk.Money("1", "EUR")).named("Budget")
        checklist = leaf.checklist()
        assert str(checklist) == "☐ Budget: budget >= 1.00 EUR"
        assert len(checklist) == 1
        assert checklist.items == (pk.ChecklistItem(depth=0, text="Budget: budget >= 1.00 EUR"),)

    def test_collection_checks_and_custom_qualifiers_are_checks(self) -> None:
        """Anything that is not a composite is one box, read by its text; nothing runs."""
        q = pk.any_item("stakeholders", pk.field("role") == "champion") & Boom().named(
            "Meeting", "a first meeting is booked"
        )
        assert str(q.checklist()).splitlines() == [
            "all of:",
            "  ☐ any stakeholders: (role == 'champion')",
            "  ☐ Meeting: has a meeting booked — a first meeting is booked",
        ]

    def test_unsafe_characters_are_escaped(self) -> None:
        """A loaded description cannot forge lines (the text is one line per item)."""
        checklist = pk.Checklist(items=[pk.ChecklistItem(depth=0, text="a\nb")])
        assert str(checklist) == "☐ a\\nb"


class TestDeep:
    def test_deeper_than_the_recursion_limit(self) -> None:
        """A custom tree deeper than the recursion limit: text, HTML and pretty all work."""
        q: pk.Qualifier = Boom()
        for _ in range(DEEP):
            q = Wrap(q)
        checklist = q.checklist()
        assert len(checklist) == DEEP + 1
        lines = str(checklist).splitlines()
        assert lines[0] == "all of:"
        assert lines[-1] == "  " * DEEP + "☐ has a meeting booked"
        assert checklist._repr_html_().count("<li>") == DEEP + 1
        shown = fake_pretty(checklist).splitlines()  # bounded: MAX_LINES, capped indentation
        assert len(shown) == _pretty.MAX_LINES + 1
        assert shown[-1] == f"… {DEEP + 1 - _pretty.MAX_LINES:,} more lines"
        assert shown[-2] == " " * _pretty.MAX_INDENT + "» all of:"
        assert max(map(len, shown)) <= _pretty.MAX_LINE

    def test_deep_builtin_composites(self) -> None:
        """Built-in composites to MAX_DEPTH, the walk is iterative."""
        q: pk.Qualifier = pk.field("a") >= 1
        for level in range(pk.MAX_DEPTH - 1):
            q = pk.any_of(q, pk.field(f"b{level}") == 1) if level % 2 else q & (pk.field("c") == 1)
        checklist = q.checklist()
        assert max(item.depth for item in checklist.items) == pk.MAX_DEPTH - 1
        assert checklist._repr_html_().count("<ul") == pk.MAX_DEPTH
        assert len(pretty(q).splitlines()) == len(checklist)


class TestHtml:
    def test_nested_lists(self) -> None:
        """Composites are nested ``<ul>`` lists; each check is an ``<li>`` with a box."""
        q = pk.all_of(pk.field("a") >= 1, pk.any_of(pk.field("b") == 1, pk.field("c") == 1))
        assert q.checklist()._repr_html_() == (
            "<ul class='pipelinekit-checklist' style='list-style:none;padding-left:0'>"
            "<li><b>all of:</b>"
            "<ul style='list-style:none;margin:0;padding-left:1.2em'>"
            "<li>☐ a &gt;= 1</li>"
            "<li><b>any of:</b>"
            "<ul style='list-style:none;margin:0;padding-left:1.2em'>"
            "<li>☐ b == 1</li><li>☐ c == 1</li></ul></li></ul></li></ul>"
        )

    @given(steps=st.lists(st.integers(min_value=-3, max_value=1), max_size=30))
    def test_well_formed_for_any_shape(self, steps: list[int]) -> None:
        """Any valid shape gives balanced tags: an ``<li>`` per item, one ``<ul>`` per level."""
        depths: list[int] = []
        for step in steps:
            depths.append(max(0, depths[-1] + step) if depths else 0)
        items = [pk.ChecklistItem(depth=d, text=f"item {i}") for i, d in enumerate(depths)]
        text = pk.Checklist(items=items)._repr_html_()
        assert text.count("<li>") == text.count("</li>") == len(items)
        assert text.count("<ul") == text.count("</ul>")
        tags = re.findall(r"</?(ul|li)\b", text)
        stack: list[str] = []
        for tag, closing in zip(tags, re.findall(r"<(/?)(?:ul|li)\b", text), strict=True):
            if closing:
                assert stack.pop() == tag
            else:
                stack.append(tag)
        assert stack == []

    def test_escaped(self) -> None:
        """Names, descriptions and values are text in the HTML, never markup."""
        q = (pk.field("name") == IMG).named(SCRIPT, IMG) | pk.field("title").is_in({SCRIPT})
        text = q.checklist()._repr_html_()
        assert "<script" not in text
        assert "<img" not in text
        assert html.escape(SCRIPT) in text

    def test_pretty(self) -> None:
        q = pk.frameworks.bant()
        assert fake_pretty(q) == pretty(q) == str(q.checklist())
        assert fake_pretty(q.checklist()) == str(q.checklist())


class TestValidation:
    def test_depths_step_down_one_level_at_a_time(self) -> None:
        with pytest.raises(pk.FieldValueError, match=r"items\[1\]\.depth: must be at most 1"):
            pk.Checklist(
                items=[pk.ChecklistItem(depth=0, text="a"), pk.ChecklistItem(depth=2, text="b")]
            )

    def test_types(self) -> None:
        with pytest.raises(pk.FieldTypeError, match="text"):
            pk.ChecklistItem(depth=0, text=3)  # type: ignore[arg-type]
        with pytest.raises(pk.FieldValueError, match="depth"):
            pk.ChecklistItem(depth=-1, text="a")
        with pytest.raises(pk.FieldTypeError, match="items"):
            pk.Checklist(items=["a"])  # type: ignore[list-item]
