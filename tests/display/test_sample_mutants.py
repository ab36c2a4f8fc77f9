"""IPython display pinned after the 2026-12-02 (seed 2027) mutation sample (docs/quality.md).

The short form every value writes when IPython reports a cycle, and the count of lines a
long block hides, in the singular too.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import pipelinekit as pk
from pipelinekit import _pretty
from tests.display.helpers import FakePrinter, fake_pretty

AT = datetime(2026, 12, 1, 12, tzinfo=UTC)
CONTACT = pk.Contact(id="c-1", name="Jane", title="CTO")
TITLE = pk.field("title") == "CTO"


def _values() -> list[tuple[str, object]]:
    points = pk.PointsModel(rules=[pk.Rule(TITLE, points=10)])
    grades = pk.GradeModel(criteria=[pk.Criterion(TITLE)])
    return [
        ("Grade", grades.score(CONTACT, at=AT)),
        ("Score", points.score(CONTACT, at=AT)),
        ("Verdict", TITLE.evaluate(CONTACT)),
        ("Pipeline", pk.Pipeline()),
        ("PipelineSpec", pk.DEFAULT_SPEC),
    ]


@pytest.mark.parametrize(("name", "value"), _values(), ids=[n for n, _ in _values()])
def test_a_cycle_writes_the_short_form(name: str, value: object) -> None:
    assert fake_pretty(value, cycle=True) == f"{name}(...)"


def test_one_hidden_line_is_one_more_line() -> None:
    printer = FakePrinter()
    _pretty.pretty_lines(printer, False, "X", [f"line {i}" for i in range(_pretty.MAX_LINES + 1)])
    assert printer.output.split("\n")[-1] == "… 1 more line"


def test_a_deep_line_keeps_its_text() -> None:
    printer = FakePrinter()
    deep = " " * (_pretty.MAX_INDENT + 10) + "XX marks"
    _pretty.pretty_lines(printer, False, "X", ["top", deep])
    assert printer.output.split("\n")[-1] == " " * _pretty.MAX_INDENT + "» XX marks"
