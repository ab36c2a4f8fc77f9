"""How a metric result's cells read: as an aligned text table and as an escaped HTML table.

One function, :func:`cell_text`, decides how a value reads (a Decimal rate as a percentage,
Money by its own ``str``, a timedelta as ``3d 4h``, ``None`` as an em dash); the text and
HTML tables both use it, so a notebook and a terminal show the same figures.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from enum import Enum
from typing import Final, Literal

from pipelinekit.qualifiers.verdict import escape_text
from pipelinekit.values import Money

__all__ = [
    "COLUMN_KINDS",
    "MAX_ROWS_SHOWN",
    "MAX_TEXT_CELL",
    "MISSING",
    "Kind",
    "cell_text",
    "html_table",
    "is_number",
    "is_rate",
    "text_table",
]

MISSING: Final = "—"
"""How ``None`` (no value: a rate with a zero denominator, a median of no stays) reads."""

MAX_ROWS_SHOWN: Final = 100
"""Most rows ``str`` and the HTML table show; a note counts the others (``to_rows()``,
iteration and ``to_native()`` always give every row)."""

MAX_TEXT_CELL: Final = 60
"""Longest cell of the text table, in characters; longer text is cut with ``…``
(the HTML table and ``to_rows()`` keep the whole value)."""

#: The type of a result column, as a data frame column gets it.
Kind = Literal[
    "int", "float", "bool", "decimal", "money", "duration", "datetime", "date", "text", "null"
]

#: The type of the metrics' own columns, for a column with no value to read it from (an
#: empty table, rates that are all None): the frame's schema does not depend on the data.
COLUMN_KINDS: Final[Mapping[str, Kind]] = {
    **dict.fromkeys(("reached", "entered", "exited", "count", "size", "converted"), "int"),
    **dict.fromkeys(("open", "opportunities", "contacts", "won", "lost", "disqualified"), "int"),
    **dict.fromkeys(("step_conversion", "cumulative_conversion", "rate", "win_rate"), "decimal"),
    **dict.fromkeys(("median", "p90", "median_km", "age", "limit"), "duration"),
    **dict.fromkeys(("amount", "weighted", "average_deal", "per_day"), "money"),
    "cycle_days": "decimal",
    **dict.fromkeys(("stage", "reason", "id", "currency", "forecast", "cohort"), "text"),
    "admitted_by": "text",
}

_RATE_SUFFIXES: Final = ("rate", "conversion", "probability", "share")
_TENTH: Final = Decimal("0.1")
_HUNDREDTH: Final = Decimal("0.01")


def is_rate(column: str) -> bool:
    """Whether ``column`` holds rates, shown as percentages.

    Rate columns are named ``rate``, ``*_rate``, ``*conversion``, ``*probability`` or ``*share``.

    >>> is_rate("step_conversion"), is_rate("win_rate"), is_rate("reached")
    (True, True, False)
    """
    return column.endswith(_RATE_SUFFIXES)


def is_number(value: object) -> bool:
    """Whether ``value`` is a quantity (right-aligned, drawn): a number, Money, a duration."""
    return isinstance(value, int | float | Decimal | Money | timedelta) and not isinstance(
        value, bool
    )


def percent(value: Decimal | float) -> str:
    """A rate as a percentage with at most one decimal place.

    A rate that rounds to 0 % or 100 % without being exactly that says so, so a table
    never shows a small loss as none.

    >>> percent(Decimal("0.5")), percent(Decimal(1) / 3), percent(Decimal("0.0004"))
    ('50%', '33.3%', '<0.1%')
    >>> percent(Decimal("0.99996")), percent(1.0), percent(Decimal("0.125"))
    ('>99.9%', '100%', '12.5%')
    """
    exact = Decimal(value) * 100  # a float is converted exactly; only the display rounds
    shown = exact.quantize(_TENTH, rounding=ROUND_HALF_EVEN)
    if shown == 0 and exact > 0:
        return "<0.1%"
    if shown == 100 and exact < 100:
        return ">99.9%"
    if shown == 0 and exact < 0:
        return ">-0.1%"
    text = f"{shown:f}".removesuffix(".0")
    return f"{text}%"


def duration(value: timedelta) -> str:
    """A timedelta in its two largest units: ``12d 3h``, ``3h 20m``, ``5m 10s``, ``0.5s``.

    >>> duration(timedelta(days=12, hours=3, minutes=5)), duration(timedelta(minutes=200))
    ('12d 3h', '3h 20m')
    >>> duration(timedelta(days=3)), duration(timedelta(seconds=0.5)), duration(-timedelta(hours=1))
    ('3d', '0.5s', '-1h')
    """
    if value < timedelta(0):
        return "-" + duration(-value)
    seconds = value.total_seconds()
    if seconds < 60:
        return f"{seconds:.3g}s" if seconds < 10 else f"{int(seconds)}s"
    units = [("d", value.days), ("h", value.seconds // 3600), ("m", value.seconds // 60 % 60)]
    units.append(("s", value.seconds % 60))
    first = next(index for index, (_, amount) in enumerate(units) if amount)
    shown = [f"{amount}{unit}" for unit, amount in units[first : first + 2] if amount]
    return " ".join(shown)


def cell_text(value: object, column: str) -> str:  # noqa: PLR0911  # one return per kind
    r"""How one cell reads, in the text and the HTML table alike.

    >>> cell_text(Decimal("0.25"), "rate"), cell_text(Money("1200", "EUR"), "amount")
    ('25%', '1,200.00 EUR')
    >>> cell_text(None, "median"), cell_text(12345, "reached"), cell_text("a\nb", "reason")
    ('—', '12,345', 'a\\nb')
    """
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal | float):
        return _number(value, column)
    if isinstance(value, int) and is_rate(column):
        return percent(Decimal(value))
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, timedelta):
        return duration(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return escape_text(str(value.value))
    return escape_text(str(value))


def _number(value: Decimal | float, column: str) -> str:
    """A Decimal or float: a percentage in a rate column, else grouped with at most two places."""
    finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if not finite:
        return str(value)
    if is_rate(column):
        return percent(value)
    if isinstance(value, float):
        return f"{value:,.6g}"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        value = value.quantize(_HUNDREDTH, rounding=ROUND_HALF_EVEN)
    return f"{value:,f}"


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide East Asian characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT_CELL else text[: MAX_TEXT_CELL - 1] + "…"


def _pad(text: str, width: int, *, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def _right_aligned(columns: Sequence[str], rows: Sequence[Mapping[str, object]]) -> list[bool]:
    """Per column: whether every value in it is a quantity (so it is right-aligned).

    A column of ``None`` alone is right-aligned when it is one of the metrics' quantities.
    """
    return [
        all(row[c] is None or is_number(row[c]) for row in rows)
        and (
            any(row[c] is not None for row in rows)
            or COLUMN_KINDS.get(c, "text") not in {"text", "bool"}
        )
        for c in columns
    ]


def _more(rows: Sequence[object]) -> str | None:
    """The note under a table cut to :data:`MAX_ROWS_SHOWN` rows, or ``None``."""
    hidden = len(rows) - MAX_ROWS_SHOWN
    if hidden <= 0:
        return None
    return f"… {hidden:,} more row{'s' if hidden > 1 else ''} (to_rows() has them all)"


def text_table(title: str, columns: Sequence[str], rows: Sequence[Mapping[str, object]]) -> str:
    """The plain-text table: a title line, the header, a rule, one line per row shown."""
    more = _more(rows)
    rows = rows[:MAX_ROWS_SHOWN]
    right = _right_aligned(columns, rows)
    cells = [[_cut(cell_text(row[c], c)) for c in columns] for row in rows]
    header = [escape_text(c) for c in columns]
    widths = [max([_width(h)] + [_width(line[i]) for line in cells]) for i, h in enumerate(header)]
    lines = [escape_text(title)]
    lines.append(
        "  ".join(_pad(h, w, right=r) for h, w, r in zip(header, widths, right, strict=True))
    )
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(_pad(t, w, right=r) for t, w, r in zip(line, widths, right, strict=True))
        for line in cells
    )
    if not rows:
        lines.append("(no rows)")
    if more:
        lines.append(more)
    return "\n".join(line.rstrip() for line in lines)


def html_table(title: str, columns: Sequence[str], rows: Sequence[Mapping[str, object]]) -> str:
    """The HTML table: every header, cell and the caption escaped, quantities right-aligned."""
    more = _more(rows)
    rows = rows[:MAX_ROWS_SHOWN]
    right = _right_aligned(columns, rows)
    style = ' style="text-align:right"'
    head = "".join(
        f"<th{style if r else ''}>{html.escape(c)}</th>"
        for c, r in zip(columns, right, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{style if r else ''}>{html.escape(cell_text(row[c], c))}</td>"
            for c, r in zip(columns, right, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    span = f'<tr><td colspan="{max(len(columns), 1)}"><em>{{}}</em></td></tr>'
    if not rows:
        body = span.format("no rows")
    if more:
        body += span.format(html.escape(more))
    return (
        f'<table class="pipelinekit-result"><caption>{html.escape(title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )
