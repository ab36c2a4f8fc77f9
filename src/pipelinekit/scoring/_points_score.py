"""What scoring a contact gives: :class:`Score` and the lines of its breakdown.

A score carries its total, the groups after their caps, the grade and the matrix cell at
once; the breakdown (one :class:`ScoreLine` per rule and per matching touchpoint) is built
on first access, so ``score_many`` pays only for the totals.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from pipelinekit._pretty import PrettyPrinter, pretty_lines
from pipelinekit.entities import Contact, Touchpoint
from pipelinekit.scoring._points_decay import format_duration

if TYPE_CHECKING:
    from pipelinekit.scoring.points import PointsModel

__all__ = ["STATUSES", "Score", "ScoreLine", "format_points"]

#: What a breakdown line says about its rule or touchpoint.
STATUSES: Final = (
    "passed",  # a rule's qualifier passed: its points count
    "failed",  # a rule's qualifier failed: nothing
    "unknown",  # a rule's qualifier could not be decided (missing data): nothing
    "counted",  # a matching touchpoint: its points count, decayed
    "outside window",  # a matching touchpoint older than the rule's window: nothing
    "beyond max_events",  # a matching touchpoint past the rule's max_events newest: nothing
    "no touchpoint",  # an event rule without any matching touchpoint: nothing
)


def format_points(value: Decimal, *, signed: bool = False) -> str:
    """Points as text without a trailing ``.000000`` (``5``, ``-2.5``, ``+10`` when signed)."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in {"-0", ""}:
        text = "0"
    return f"+{text}" if signed and value > 0 else text


@attrs.frozen(kw_only=True)
class ScoreLine:
    """One line of a breakdown: a rule, or one touchpoint an event rule matched.

    Attributes:
        rule: The rule's label (the qualifier's name or text; ``channel/kind``).
        index: The rule's position in the model's ``rules``.
        group: The rule's group.
        status: One of :data:`STATUSES`.
        points: The rule's points (what a pass or one touchpoint earns before decay).
        touchpoint: The touchpoint (event rules), else ``None``.
        age: How long before ``at`` the touchpoint happened, else ``None``.
        before_decay: The points earned before decay (0 when nothing was earned).
        after_decay: After decay, or the window, or ``max_events``.
        after_caps: After the group's cap and floor, then the total's; the lines'
            ``after_caps`` add up to the score's total exactly.
    """

    rule: str
    index: int
    group: str
    status: str
    points: Decimal
    touchpoint: Touchpoint | None = None
    age: timedelta | None = None
    before_decay: Decimal
    after_decay: Decimal
    after_caps: Decimal

    def __str__(self) -> str:
        what = self.rule
        details = []
        if self.touchpoint is not None and self.age is not None:
            when = self.touchpoint.timestamp.isoformat(sep=" ", timespec="minutes")
            what += f" on {when}"
            details.append(f"{format_duration(self.age)} old")
        elif self.status in {"failed", "unknown"}:
            details.append(f"{format_points(self.points, signed=True)} when it passes")
        if self.status == "unknown":
            details.append("unknown earns nothing")
        if self.after_decay != self.before_decay:
            details.append(f"{format_points(self.before_decay)} before decay")
        if self.after_caps != self.after_decay:
            details.append(f"{format_points(self.after_decay)} before caps")
        shown = f" ({'; '.join(details)})" if details else ""
        return f"{format_points(self.after_caps, signed=True)} {self.status}: {what}{shown}"


class Score:
    """A contact's points under a :class:`~pipelinekit.PointsModel` at one instant.

    Attributes:
        total: The sum of the groups, then the model's ``cap`` and ``floor``.
        groups: Each group's sum after its own cap and floor (every group of the model).
        grade: The name of the highest threshold the total meets, else ``None``.
        cell: The fit x engagement cell (``"A1"``) when the model has a matrix, else ``None``.
        model: The model that scored.
        at: When.

    Two scores are equal when their total, groups, grade, cell and ``at`` are.
    """

    __slots__ = ("_contact", "_groups", "_lines", "_sums", "at", "cell", "grade", "model", "total")

    total: Decimal
    grade: str | None
    cell: str | None
    model: PointsModel
    at: datetime

    def __init__(  # noqa: PLR0917  # every part of a score, positional for the fast path
        self,
        total: Decimal,
        sums: list[Decimal],
        grade: str | None,
        cell: str | None,
        model: PointsModel,
        at: datetime,
        contact: Contact,
    ) -> None:
        """Made by :meth:`PointsModel.score <pipelinekit.PointsModel.score>`.

        ``sums`` holds each group's value in the order of ``model.groups``.
        """
        self.total = total
        self._sums = sums
        self._groups: Mapping[str, Decimal] | None = None
        self.grade = grade
        self.cell = cell
        self.model = model
        self.at = at
        self._contact = contact
        self._lines: tuple[ScoreLine, ...] | None = None

    @property
    def groups(self) -> Mapping[str, Decimal]:
        """Each group's sum after its own cap and floor, in the order of ``model.groups``."""
        groups = self._groups
        if groups is None:
            groups = MappingProxyType(dict(zip(self.model.groups, self._sums, strict=True)))
            self._groups = groups
        return groups

    @property
    def breakdown(self) -> tuple[ScoreLine, ...]:
        """One line per rule and per matching touchpoint (built on first access)."""
        lines = self._lines
        if lines is None:
            lines = self._lines = self.model.explain(self._contact, self.at)
        return lines

    def _key(self) -> tuple[object, ...]:
        return (self.total, dict(self.groups), self.grade, self.cell, self.at)

    def __eq__(self, other: object) -> bool:
        if type(other) is not Score:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.total, tuple(self.groups.items()), self.grade, self.cell, self.at))

    def __repr__(self) -> str:
        groups = ", ".join(f"{k!r}: {format_points(v)}" for k, v in self.groups.items())
        extra = f", cell={self.cell!r}" if self.cell is not None else ""
        return (
            f"Score(total={format_points(self.total)}, groups={{{groups}}}, "
            f"grade={self.grade!r}{extra})"
        )

    def _headline(self) -> str:
        text = f"score {format_points(self.total)}"
        if self.grade is not None:
            text += f": grade {self.grade!r}"
        elif self.model.thresholds:
            lowest = min(self.model.thresholds.items(), key=lambda item: item[1])
            text += f": no grade (the lowest, {lowest[0]!r}, needs {format_points(lowest[1])})"
        if self.cell is not None:
            text += f", cell {self.cell}"
        raw = sum(self.groups.values(), Decimal(0))
        if raw != self.total:
            word = "capped" if raw > self.total else "floored"
            text += f" ({word}: the groups add up to {format_points(raw)})"
        return text

    def __str__(self) -> str:
        """The explanation: the total and grade, then each group and its lines."""
        out = [self._headline()]
        by_group: dict[str, list[ScoreLine]] = {group: [] for group in self.groups}
        for line in self.breakdown:
            by_group[line.group].append(line)
        for group, lines in by_group.items():
            value = self.groups[group]
            raw = sum((line.after_decay for line in lines), Decimal(0))
            note = ""
            if raw != value:
                word = "capped" if raw > value else "floored"
                note = f" ({word}: its lines add up to {format_points(raw)})"
            out.append(f"  {group}: {format_points(value)}{note}")
            out.extend(f"    {line}" for line in lines)
        return "\n".join(out)

    def _repr_pretty_(self, p: PrettyPrinter, cycle: bool) -> None:  # noqa: FBT001  # IPython's
        pretty_lines(p, cycle, "Score", str(self).splitlines())

    def _repr_html_(self) -> str:
        """The breakdown as an HTML table (every text escaped)."""
        esc = html.escape
        head = "".join(
            f"<th>{h}</th>"
            for h in (
                "group",
                "rule",
                "status",
                "touchpoint",
                "age",
                "before decay",
                "after decay",
                "after caps",
            )
        )
        rows = []
        for line in self.breakdown:
            tp = line.touchpoint
            when = tp.timestamp.isoformat(sep=" ", timespec="minutes") if tp is not None else ""
            age = format_duration(line.age) if line.age is not None else ""
            cells = (
                line.group,
                line.rule,
                line.status,
                when,
                age,
                format_points(line.before_decay),
                format_points(line.after_decay),
                format_points(line.after_caps),
            )
            rows.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
        return (
            f"<table><caption>{esc(self._headline())}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
