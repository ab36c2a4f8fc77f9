"""Drawing metric results with matplotlib (the ``plot`` extra), imported only when drawing.

Three shapes: a funnel (centred horizontal bars), step curves (Kaplan-Meier survival) and
grouped bars (everything else). Each draws into a given Axes and sets its title and labels.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from pipelinekit.errors import MissingDependency
from pipelinekit.metrics._render import cell_text, is_number, is_rate
from pipelinekit.values import Money

__all__ = ["axes", "bars", "curves", "funnel", "quantity"]

_DAY = timedelta(days=1)


def axes(ax: Any, feature: str) -> Any:
    """``ax``, or the Axes of a new figure; matplotlib is imported here, and only here."""
    if ax is not None:
        return ax
    try:
        pyplot = importlib.import_module("matplotlib.pyplot")
    except ImportError:
        raise MissingDependency("matplotlib", feature=feature, extra="plot") from None
    _, new = pyplot.subplots()
    return new


def quantity(value: object) -> float | None:
    """A cell as a bar height: numbers as floats, Money by its amount, durations in days."""
    if isinstance(value, Money):
        return float(value.amount)
    if isinstance(value, timedelta):
        return value / _DAY
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return float(value)
    return None


def _family(column: str, value: object) -> str:
    if isinstance(value, Money):
        return "money"
    if isinstance(value, timedelta):
        return "days"
    if is_rate(column):
        return "rate"
    return "contacts" if isinstance(value, int) else "number"


def _value_columns(
    columns: Sequence[str], rows: Sequence[Mapping[str, object]], preferred: Sequence[str]
) -> list[str]:
    """The columns drawn: the kind's own when present, else the first family of quantities."""
    chosen = [c for c in preferred if c in columns]
    if chosen:
        return chosen
    families: dict[str, list[str]] = {}
    for column in columns:
        values = [row[column] for row in rows if row[column] is not None]
        if column != "group" and values and all(is_number(v) for v in values):
            families.setdefault(_family(column, values[0]), []).append(column)
    return next(iter(families.values()), [])


def _groups(rows: Sequence[Mapping[str, object]]) -> list[object]:
    """The distinct ``group`` values in order of appearance (``[None]`` without groups)."""
    seen: dict[object, None] = {}
    for row in rows:
        seen.setdefault(row.get("group"), None)
    return list(seen) or [None]


def _text(value: object, column: str) -> str:
    """A cell as matplotlib text: ``$`` escaped, so a label never switches to mathtext."""
    return cell_text(value, column).replace("$", r"\$")


def _label(row: Mapping[str, object], columns: Sequence[str]) -> str:
    return " · ".join(_text(row[c], c) for c in columns)


def bars(
    ax: Any,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, object]],
    *,
    values: Sequence[str],
    labels: Sequence[str],
    axis: str,
) -> None:
    """Vertical bars: one category per distinct label, one bar per (group, value column)."""
    drawn = _value_columns(columns, rows, values)
    label_columns = [c for c in labels if c in columns] or [
        c
        for c in columns
        if c not in drawn and c != "group" and not any(is_number(row[c]) for row in rows)
    ]
    categories: dict[str, int] = {}
    for row in rows:
        categories.setdefault(_label(row, label_columns), len(categories))
    groups = _groups(rows) if "group" in columns else [None]
    series = [(group, column) for group in groups for column in drawn]
    width = 0.8 / max(len(series), 1)
    for number, (group, column) in enumerate(series):
        xs, heights = [], []
        for row in rows:
            height = quantity(row[column])
            if height is not None and ("group" not in columns or row["group"] == group):
                xs.append(
                    categories[_label(row, label_columns)]
                    + (number - (len(series) - 1) / 2) * width
                )
                heights.append(height)
        name = column if group is None else f"{_text(group, 'group')}: {column}"
        ax.bar(xs, heights, width=width, label=name)
    ax.set_xticks(
        range(len(categories)), list(categories), rotation=30 if len(categories) > 4 else 0
    )
    ax.set_title(title.replace("$", r"\$"))
    ax.set_ylabel(axis or (_family(drawn[0], rows[0][drawn[0]]) if drawn and rows else ""))
    if len(series) > 1:
        ax.legend()


def funnel(ax: Any, title: str, rows: Sequence[Mapping[str, object]]) -> None:
    """A funnel: a horizontal bar per stage, first on top; centred, or side by side per group."""
    stages: dict[str, int] = {}
    for row in rows:
        stages.setdefault(_text(row["stage"], "stage"), len(stages))
    groups = _groups(rows)
    grouped = "group" in (rows[0] if rows else {})
    height = 0.8 / len(groups) if grouped else 0.8
    widest = max((quantity(row["reached"]) or 0.0 for row in rows), default=0.0)
    for number, group in enumerate(groups):
        members = [row for row in rows if not grouped or row["group"] == group]
        reached = [quantity(row["reached"]) or 0.0 for row in members]
        ys: list[float] = [stages[_text(row["stage"], "stage")] for row in members]
        if grouped:
            ys = [y + (number - (len(groups) - 1) / 2) * height for y in ys]
            left = [0.0] * len(members)
        else:
            left = [(widest - r) / 2 for r in reached]
        name = _text(group, "group") if grouped else "reached"
        container = ax.barh(ys, reached, height=height, left=left, label=name)
        ax.bar_label(container, labels=[f"{r:,.0f}" for r in reached], label_type="center")
    ax.set_yticks(range(len(stages)), list(stages))
    ax.invert_yaxis()
    ax.set_xlabel("contacts reached")
    ax.set_title(title.replace("$", r"\$"))
    if grouped:
        ax.legend(title="group")
    else:
        ax.set_xticks([])


def curves(ax: Any, title: str, survival: Mapping[tuple[object, str], Any]) -> None:
    """Kaplan-Meier step curves, one per (group, stage), time in days, the 0.5 line dotted."""
    grouped = any(group is not None for group, _ in survival)
    for (group, stage), steps in survival.items():
        if not steps:
            continue
        days = [time / _DAY for time, _ in steps]
        levels = [level for _, level in steps]
        name = _text(stage, "stage")
        if grouped:
            name = f"{_text(group, 'group')} · {name}"
        ax.step(days, levels, where="post", label=name)
    ax.axhline(0.5, linestyle=":", color="grey", label="_median")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("days in stage")
    ax.set_ylabel("share still in the stage")
    ax.set_title(title.replace("$", r"\$"))
    if survival:
        ax.legend()
