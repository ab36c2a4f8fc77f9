"""Event rules over tables: an :class:`~pipelinekit.EventRule`'s points from a touchpoints list.

The touchpoints are a list column of records (``touchpoints`` unless ``columns=`` maps the path
elsewhere) with the fields ``channel`` (text), ``timestamp`` (timezone-aware) and optionally
``kind`` (text), as ``pk.to_dict`` writes them once the timestamps are parsed. Like an item
check (:mod:`~pipelinekit.frames._items`), an event rule is a step over the exploded items that
adds per-row sums to the frame; the rule's points are then an exact integer expression of them,
at the scale of the model's points (``points * 10**places``):

- a touchpoint *matches* where its channel is the rule's, its kind is the rule's (when the rule
  names one), its timestamp is at or before ``at`` and, with a window, at or after
  ``at - window``; a row's points without decay are ``points * n``, ``n`` the matches;
- linear decay counts completed periods ``k`` (``k`` of the edges ``at - j * every`` the
  timestamp is at or before, ``0 < j < gone``, ``gone`` the periods after which nothing is
  left): a match earns ``points - points * percent/100 * k`` while ``k < gone``, so a row earns
  ``points * n - points * percent/100 * K`` (``n`` and ``K``, the sum of the ``k``, over the
  matches with ``k < gone``): exactly ``Decay.apply``, with comparisons alone;
- with ``max_events``, only each row's newest that many matches count (in the window). Ties in
  time earn the same points, so which of them an engine ranks first changes nothing.

Half-life decay is refused by name: its points are a 32-digit fixed-point power of one half
(see :mod:`~pipelinekit.scoring._points_decay`), which no engine's float arithmetic gives
digit for digit. A row with no list (null) has no touchpoints; an item with a missing channel
or timestamp matches nothing (row-wise, a touchpoint always has both).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from functools import reduce
from typing import Final

import narwhals.stable.v2 as nw

from pipelinekit.errors import QualifierError
from pipelinekit.frames._columns import Column
from pipelinekit.frames._compile import Compiler, Items
from pipelinekit.frames._items import ItemStep, Newest
from pipelinekit.qualifiers.fields import field
from pipelinekit.scoring import EventRule
from pipelinekit.scoring._points_decay import linear_step

__all__ = ["MAX_PERIODS", "event_points", "linear_share"]

#: The most periods a linear decay may take to lose its points (one comparison each).
MAX_PERIODS: Final = 1000
#: The path of the touchpoints list.
PATH: Final = "touchpoints"


def linear_share(rule: EventRule) -> Decimal | None:
    """What a linear-decay rule loses per completed period: ``points * percent / 100``."""
    decay = rule.decay
    if decay is None or decay.kind != "linear" or decay.percent is None:
        return None
    share, _ = linear_step(decay.percent)
    return (rule.points * share).normalize()  # no trailing zeros


def _gone(rule: EventRule) -> int:
    """The periods after which a linear decay has left nothing."""
    assert rule.decay is not None  # noqa: S101  # a linear rule
    assert rule.decay.percent is not None  # noqa: S101
    return linear_step(rule.decay.percent)[1]


def _refuse(index: int, rule: EventRule, problem: str) -> QualifierError:
    return QualifierError(f"rules[{index}] ({rule!r}): {problem}")


def _check(index: int, rule: EventRule) -> None:
    decay = rule.decay
    if decay is not None and decay.kind == "half_life":
        raise _refuse(
            index,
            rule,
            "half-life points are 32-digit fixed-point powers of 1/2, which no dataframe"
            " engine computes digit for digit; score with model.score_many, or use a linear"
            " decay or a window",
        )
    if decay is not None and _gone(rule) > MAX_PERIODS:
        raise _refuse(
            index,
            rule,
            f"a linear decay of {decay.percent}% takes {_gone(rule)} periods to lose its points;"
            f" pipelinekit.frames compiles at most {MAX_PERIODS} (one comparison each)",
        )


class _Touchpoints:
    """The fields of the touchpoints' items, checked once for every event rule."""

    def __init__(self, compiler: Compiler, column: Column, rule: tuple[int, EventRule]) -> None:
        self.column = column
        self.items: Items = compiler.items_of(column, PATH)
        resolver = self.items.compiler.resolver
        try:
            channel = resolver.column("channel")
            timestamp = resolver.column("timestamp")
        except QualifierError as error:
            raise _refuse(*rule, str(error)) from None
        if timestamp.kind not in ("datetime", "null"):
            raise _refuse(
                *rule,
                f"{resolver.shown}timestamp holds {timestamp.dtype}, not timezone-aware"
                " datetimes (parse text, and give naive ones their zone)",
            )
        if channel.kind not in ("str", "null"):
            raise _refuse(*rule, f"{resolver.shown}channel holds {channel.dtype}, not text")
        #: Whether no item can match (no channel or no timestamp in any item).
        self.none = channel.expr is None or timestamp.expr is None
        self.timestamp = timestamp
        self.has_kind = resolver.find("kind") is not None

    def newest_first(self) -> nw.Expr:
        """What orders the items newest first (the largest first)."""
        ts = self.timestamp
        assert ts.expr is not None  # noqa: S101  # checked by the caller
        return self.items.compiler.utc(ts, ts.expr)

    def on_or_before(self, edge: datetime | None) -> nw.Expr:
        """Never null: the item's timestamp is at or before ``edge`` (``None``: before time)."""
        if edge is None:
            return nw.lit(value=False)
        passes, _ = self.items.compiler.visit(field("timestamp") <= edge)
        return passes

    def matches(self, rule: EventRule, at: datetime) -> nw.Expr:
        """Never null: the item is one the rule counts (before ``max_events``)."""
        inner = self.items.compiler
        matched, _ = inner.visit(field("channel") == rule.channel.value)
        if rule.kind is not None:
            if not self.has_kind:
                return nw.lit(value=False)
            kind, _ = inner.visit(field("kind") == rule.kind)
            matched = matched & kind
        matched = matched & self.on_or_before(at)
        if rule.window is not None:
            matched = matched & ~self.on_or_before(_minus(at, rule.window, strict=True))
        return matched


def _minus(at: datetime, delta: timedelta, *, strict: bool = False) -> datetime | None:
    """``at - delta`` (``strict``: less one microsecond), ``None`` before the earliest instant."""
    try:
        edge = at - delta
        return edge - timedelta(microseconds=1) if strict else edge
    except OverflowError:
        return None


def event_points(
    rules: Sequence[tuple[int, EventRule]], compiler: Compiler, scale: int
) -> dict[int, nw.Expr]:
    """Each event rule's points per row (never null), as integers at ``scale``, by index.

    The steps that compute them are added to ``compiler.steps``: one for the rules without
    ``max_events`` (one explode of the list), one for each rule with.
    """
    for index, rule in rules:
        _check(index, rule)
    if not rules:
        return {}
    at = compiler.at
    assert at is not None  # noqa: S101  # checked before compiling
    try:
        column = compiler.resolver.column(PATH)
    except QualifierError as error:
        raise _refuse(*rules[0], str(error)) from None
    nothing = {index: nw.lit(0, dtype=nw.Int64) for index, _ in rules}
    if column.kind == "null":  # absent on purpose, or nulls only: no touchpoints
        return nothing
    if column.kind != "list":
        raise _refuse(
            *rules[0],
            f"the touchpoints column {column.name!r} holds {column.dtype}, not a list of records",
        )
    shared_items = _Touchpoints(compiler, column, rules[0])
    if shared_items.none:
        return nothing
    points: dict[int, nw.Expr] = {}
    shared: list[tuple[int, EventRule, int]] = []
    shared_sums: list[nw.Expr] = []
    for index, rule in rules:
        if rule.max_events is None:
            shared.append((index, rule, len(shared_sums)))
            shared_sums += _sums(shared_items, rule, at)
            continue
        items = _Touchpoints(compiler, column, (index, rule))
        newest = Newest(
            among=items.matches(rule, at), by=items.newest_first(), limit=rule.max_events
        )
        names = _add_step(compiler, items, _sums(items, rule, at), newest)
        points[index] = _total(rule, scale, names)
    if shared:
        names = _add_step(compiler, shared_items, shared_sums, None)
        for index, rule, first in shared:
            points[index] = _total(rule, scale, names[first:])
    return points


def _sums(items: _Touchpoints, rule: EventRule, at: datetime) -> list[nw.Expr]:
    """The per-item counts a rule's points need: matches, and (linear) completed periods."""
    matched = items.matches(rule, at)
    if linear_share(rule) is None:
        return [matched]
    assert rule.decay is not None  # noqa: S101  # a linear rule
    every, gone = rule.decay.every, _gone(rule)
    # counted while fewer than `gone` periods have passed: after at - gone * every
    counted = matched & ~items.on_or_before(_minus(at, every * gone))
    periods = [items.on_or_before(_minus(at, every * j)).cast(nw.Int64) for j in range(1, gone)]
    k = reduce(operator.add, periods) if periods else nw.lit(0, dtype=nw.Int64)
    return [counted, nw.when(counted).then(k).otherwise(nw.lit(0, dtype=nw.Int64))]


def _add_step(
    compiler: Compiler, items: _Touchpoints, sums: list[nw.Expr], newest: Newest | None
) -> list[str]:
    """Add the step of ``sums`` over ``items`` to ``compiler``: the names of its columns."""
    names = compiler.fresh_columns(*(f"e{i}" for i in range(len(sums))))
    compiler.steps.append(
        ItemStep(
            source=items.items.source,
            order=items.column.source,
            item=items.items.item,
            sums=tuple(zip(names, sums, strict=True)),
            steps=tuple(items.items.compiler.steps),
            inner_key=items.items.compiler.key,
            newest=newest,
        )
    )
    return names


def _total(rule: EventRule, scale: int, names: Sequence[str]) -> nw.Expr:
    """``points * n - share * K`` at ``scale``, from a step's columns (null: no items)."""
    total = nw.col(names[0]).fill_null(0) * int(rule.points * scale)
    share = linear_share(rule)
    if share is not None:
        total = total - nw.col(names[1]).fill_null(0) * int(share * scale)
    return total
