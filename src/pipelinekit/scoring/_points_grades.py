"""Letter grades from profile criteria, as Salesforce Account Engagement (Pardot) grades.

A :class:`GradeModel` starts every prospect at ``D`` and moves the grade by a third of a
letter (``D`` → ``D+`` → ``C-``) per criterion matched, down per criterion missed;
a criterion whose qualifier is UNKNOWN (missing data) leaves the grade where it is. The
scale runs from ``F`` to ``A+``; the moves are added up first and the sum is held within
the scale, so the order of the criteria never matters.

>>> import pipelinekit as pk
>>> model = pk.GradeModel(criteria=[
...     pk.Criterion(pk.field("account.industry") == "software"),
...     pk.Criterion(pk.field("account.employees") >= 100, steps=3),
...     pk.Criterion(pk.field("title").matches("(?i)vp|chief")),
... ])
>>> acme = pk.Account(name="Acme", industry="software", employees=250)
>>> grade = model.score(pk.Contact(id="c-1", name="Jane", account=acme), at=None)
>>> grade.grade, grade.position
('C+', 6)
>>> print(grade)
grade C+ (from D: +4 thirds)
  +1 passed: account.industry == 'software'
  +3 passed: account.employees >= 100
  0 unknown: title matches /(?i)vp|chief/ (unknown leaves the grade)

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Final, cast

import attrs

from pipelinekit._checks import got, not_text
from pipelinekit._pretty import PrettyPrinter, pretty_lines
from pipelinekit.errors import FieldTypeError, FieldValueError
from pipelinekit.qualifiers import Outcome, Qualifier, all_of
from pipelinekit.qualifiers.core import check_at

__all__ = [
    "GRADES",
    "MAX_CRITERIA",
    "MAX_STEPS",
    "Criterion",
    "Grade",
    "GradeLine",
    "GradeModel",
]

#: The letter grades, lowest first: a step is a third of a letter.
GRADES: Final = ("F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+")
#: The most criteria one grade model may hold.
MAX_CRITERIA: Final = 1000
#: The most steps (thirds of a letter) one criterion may move the grade.
MAX_STEPS: Final = len(GRADES) - 1
_POSITION: Final = {grade: i for i, grade in enumerate(GRADES)}


def _check_qualifier(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Qualifier):
        raise FieldTypeError(
            attribute.name, f"expected a qualifier (pk.field(...) == ...), got {got(value)}"
        )


def _steps(value: object) -> int:
    if type(value) is not int:
        raise FieldTypeError("steps", f"expected an int, got {got(value)}")
    if not 1 <= value <= MAX_STEPS:
        raise FieldValueError(
            "steps", f"must be between 1 and {MAX_STEPS} (thirds of a letter), got {value}"
        )
    return value


@attrs.frozen(repr=False)
class Criterion:
    """A profile criterion: matched moves the grade up ``steps`` thirds, missed down.

    Args:
        when: The qualifier (positional).
        steps: Thirds of a letter: 1 (the default), 2, or 3 for a whole letter.
    """

    when: Qualifier = attrs.field(validator=_check_qualifier)
    steps: int = attrs.field(kw_only=True, default=1, converter=_steps)

    def __repr__(self) -> str:
        steps = f", steps={self.steps}" if self.steps != 1 else ""
        return f"Criterion({self.when!r}{steps})"


def _criteria(value: object) -> tuple[Criterion, ...]:
    if (problem := not_text(value, "a list of pk.Criterion")) is not None:
        raise FieldTypeError("criteria", problem)
    found = []
    for index, criterion in enumerate(cast("Iterable[object]", value)):  # checked above
        if index >= MAX_CRITERIA:
            raise FieldValueError("criteria", f"more than {MAX_CRITERIA} criteria")
        if type(criterion) is not Criterion:
            raise FieldTypeError(
                f"criteria[{index}]", f"expected pk.Criterion, got {got(criterion)}"
            )
        found.append(criterion)
    return tuple(found)


def _start(value: object) -> str:
    if type(value) is not str or value not in _POSITION:
        raise FieldValueError("start", f"expected one of {', '.join(GRADES)}, got {got(value)}")
    return value


@attrs.frozen(kw_only=True)
class GradeLine:
    """What one criterion did: its label, outcome, and the move in thirds of a letter."""

    criterion: str
    index: int
    status: str  # "passed", "failed" or "unknown"
    steps: int
    move: int

    def __str__(self) -> str:
        move = f"+{self.move}" if self.move > 0 else str(self.move)
        note = " (unknown leaves the grade)" if self.status == "unknown" else ""
        return f"{move} {self.status}: {self.criterion}{note}"


@attrs.frozen(kw_only=True)
class Grade:
    """A letter grade and how it came about.

    Attributes:
        grade: ``"F"`` … ``"A+"``.
        position: Its place in :data:`GRADES` (0 for F, 12 for A+).
        start: The grade every contact starts at.
        breakdown: One :class:`GradeLine` per criterion.
    """

    grade: str
    position: int
    start: str
    breakdown: tuple[GradeLine, ...]

    def __str__(self) -> str:
        moved = sum(line.move for line in self.breakdown)
        sign = "+" if moved >= 0 else ""
        out = [f"grade {self.grade} (from {self.start}: {sign}{moved} thirds)"]
        out += [f"  {line}" for line in self.breakdown]
        return "\n".join(out)

    def _repr_pretty_(self, p: PrettyPrinter, cycle: bool) -> None:  # noqa: FBT001  # IPython's
        pretty_lines(p, cycle, "Grade", str(self).splitlines())

    def _repr_html_(self) -> str:
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape(str(c))}</td>" for c in (line.criterion, line.status, line.move)
            )
            + "</tr>"
            for line in self.breakdown
        )
        return (
            f"<table><caption>grade {html.escape(self.grade)} (from {html.escape(self.start)})"
            "</caption><thead><tr><th>criterion</th><th>outcome</th><th>move (thirds)</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )


_STATUS: Final = {Outcome.PASS: "passed", Outcome.FAIL: "failed", Outcome.UNKNOWN: "unknown"}


@attrs.frozen(kw_only=True, repr=False)
class GradeModel:
    """Pardot-style letter grades: start at ``start`` (``D``), a third per criterion.

    ``score(subject, at=)`` and ``score_many(subjects, at=)`` grade any subject the
    criteria's qualifiers read (contacts, dict rows); ``at`` is needed only when a
    criterion is time-relative, and then it must be timezone-aware.
    """

    criteria: tuple[Criterion, ...] = attrs.field(converter=_criteria)
    start: str = attrs.field(default="D", converter=_start)

    def score(self, subject: object, *, at: datetime | None) -> Grade:
        """The grade of one subject."""
        return self.score_many([subject], at=at)[0]

    def score_many(self, subjects: Iterable[object], *, at: datetime | None) -> list[Grade]:
        """The grades of many subjects, in order (each criterion runs the bulk path)."""
        if (problem := not_text(subjects, "an iterable of subjects")) is not None:
            raise FieldTypeError("subjects", problem)
        items = list(subjects)
        timed = [c.when for c in self.criteria if c.when.needs_time]
        # Refused as a qualifier's run is, naming the criteria's time-relative checks.
        check_at(at, needs_time=bool(timed), qualifier=all_of(*timed) if timed else None)
        # Kleene: ~q PASSES exactly where q FAILS, so two bulk passes give all three outcomes.
        passed = [{id(s) for s in c.when.filter(items, at=at)} for c in self.criteria]
        failed = [{id(s) for s in (~c.when).filter(items, at=at)} for c in self.criteria]
        start = _POSITION[self.start]
        grades = []
        for subject in items:
            key = id(subject)
            lines = []
            for index, criterion in enumerate(self.criteria):
                if key in passed[index]:
                    status, move = "passed", criterion.steps
                elif key in failed[index]:
                    status, move = "failed", -criterion.steps
                else:
                    status, move = "unknown", 0
                lines.append(
                    GradeLine(
                        criterion=criterion.when.label,
                        index=index,
                        status=status,
                        steps=criterion.steps,
                        move=move,
                    )
                )
            position = min(max(start + sum(line.move for line in lines), 0), len(GRADES) - 1)
            grades.append(
                Grade(
                    grade=GRADES[position],
                    position=position,
                    start=self.start,
                    breakdown=tuple(lines),
                )
            )
        return grades

    def __repr__(self) -> str:
        criteria = ",\n        ".join(repr(c) for c in self.criteria)
        parts = [f"criteria=[\n        {criteria},\n    ]" if self.criteria else "criteria=[]"]
        if self.start != "D":
            parts.append(f"start={self.start!r}")
        return "GradeModel(\n    " + ",\n    ".join(parts) + ",\n)"
