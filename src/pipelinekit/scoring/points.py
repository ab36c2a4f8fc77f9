"""Points scoring: fit and engagement points with caps, decay and thresholds.

A :class:`PointsModel` is a value built from rules: :class:`~pipelinekit.Rule` (points
when a qualifier PASSES) and :class:`~pipelinekit.EventRule` (points per matching
touchpoint, decayed). Each rule counts in a group (``"fit"`` and ``"engagement"`` by
default); a group's sum is held within its cap and floor, the total (the sum of the
groups) within the model's ``cap`` and ``floor``; ``thresholds`` name grades.

>>> import pipelinekit as pk
>>> from datetime import UTC, datetime, timedelta
>>> now = datetime(2026, 12, 1, tzinfo=UTC)
>>> model = pk.PointsModel(
...     rules=[pk.Rule(pk.field("account.employees") >= 100, points=20),
...            pk.Rule(pk.field("title").matches("(?i)student"), points=-30),
...            pk.EventRule(channel="event", kind="webinar", points=10,
...                         decay=pk.Decay.linear(percent=50, every=timedelta(days=30)))],
...     group_caps={"engagement": 12}, cap=100, thresholds={"mql": 25, "sql": 70})
>>> webinars = [pk.Touchpoint(channel="event", kind="webinar", timestamp=now - timedelta(days=d))
...             for d in (3, 40)]
>>> jane = pk.Contact(id="c-1", name="Jane", account=pk.Account(name="Acme", employees=250),
...                   touchpoints=webinars)
>>> score = model.score(jane, at=now)
>>> score
Score(total=32, groups={'fit': 20, 'engagement': 12}, grade='mql')
>>> print(score)
score 32: grade 'mql'
  fit: 20
    +20 passed: account.employees >= 100
    0 unknown: title matches /(?i)student/ (-30 when it passes; unknown earns nothing)
  engagement: 12 (capped: its lines add up to 15)
    +10 counted: event/webinar on 2026-11-28 00:00+00:00 (3 days old)
    +2 counted: event/webinar on 2026-10-22 00:00+00:00
                (40 days old; 10 before decay; 5 before caps)

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import decimal
import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, TypeAlias, cast

import attrs

from pipelinekit._checks import got, not_text, require_aware
from pipelinekit.entities import Channel, Contact, Touchpoint
from pipelinekit.errors import FieldTypeError, FieldValueError
from pipelinekit.qualifiers import Outcome
from pipelinekit.scoring._points_rules import EventRule, Rule
from pipelinekit.scoring._points_score import Score, ScoreLine, format_points
from pipelinekit.scoring._points_values import CONTEXT, ZERO, check_group, to_points

__all__ = [
    "MAX_MATRIX_THRESHOLDS",
    "MAX_RULES",
    "MAX_THRESHOLDS",
    "AnyRule",
    "PointsModel",
    "ScoreMatrix",
]

#: The most rules one model may hold.
MAX_RULES: Final = 1000
#: The most grade thresholds one model may hold.
MAX_THRESHOLDS: Final = 100
#: The most thresholds on one side of a fit x engagement matrix (A … I, 1 … 9).
MAX_MATRIX_THRESHOLDS: Final = 8

AnyRule: TypeAlias = Rule | EventRule
_STATUS: Final = {Outcome.PASS: "passed", Outcome.FAIL: "failed", Outcome.UNKNOWN: "unknown"}


def _descending(field: str, value: object) -> tuple[Decimal, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise FieldTypeError(field, f"expected a sequence of thresholds, got {got(value)}")
    items = list(value)
    if not 1 <= len(items) <= MAX_MATRIX_THRESHOLDS:
        raise FieldValueError(
            field, f"expected 1 to {MAX_MATRIX_THRESHOLDS} thresholds, got {len(items)}"
        )
    numbers = tuple(to_points(f"{field}[{i}]", x) for i, x in enumerate(items))
    if any(a <= b for a, b in itertools.pairwise(numbers)):
        raise FieldValueError(field, "thresholds must be strictly descending (A's first)")
    return numbers


def _fit_thresholds(value: object) -> tuple[Decimal, ...]:
    return _descending("fit", value)


def _engagement_thresholds(value: object) -> tuple[Decimal, ...]:
    return _descending("engagement", value)


def _fit_group(value: object) -> str:
    return check_group("fit_group", value)


def _engagement_group(value: object) -> str:
    return check_group("engagement_group", value)


@attrs.frozen(kw_only=True, repr=False)
class ScoreMatrix:
    """HubSpot's fit x engagement matrix: a letter for fit, a digit for engagement.

    ``fit`` holds descending thresholds of the fit group: at or above the first is ``A``,
    the second ``B``, ...; below all of them, the next letter. ``engagement`` does the same
    with ``1``, ``2``, ... So two thresholds a side give the 3 x 3 cells ``A1`` … ``C3``.

    >>> matrix = ScoreMatrix(fit=(60, 30), engagement=(50, 20))
    >>> matrix.cell(fit=75, engagement=10), matrix.cell(fit=30, engagement=50)
    ('A3', 'B1')
    """

    fit: tuple[Decimal, ...] = attrs.field(converter=_fit_thresholds)
    engagement: tuple[Decimal, ...] = attrs.field(converter=_engagement_thresholds)
    fit_group: str = attrs.field(default="fit", converter=_fit_group)
    engagement_group: str = attrs.field(default="engagement", converter=_engagement_group)

    def __attrs_post_init__(self) -> None:
        if self.fit_group == self.engagement_group:
            raise FieldValueError("engagement_group", "must differ from fit_group")

    def cell(self, *, fit: Decimal | int, engagement: Decimal | int) -> str:
        """The cell of a fit and an engagement value (``"A1"`` the best)."""
        letter = "ABCDEFGHI"[sum(fit < t for t in self.fit)]
        digit = sum(engagement < t for t in self.engagement) + 1
        return f"{letter}{digit}"

    def __repr__(self) -> str:
        fit = _tuple(self.fit)
        engagement = _tuple(self.engagement)
        extra = ""
        if (self.fit_group, self.engagement_group) != ("fit", "engagement"):
            extra = f", fit_group={self.fit_group!r}, engagement_group={self.engagement_group!r}"
        return f"ScoreMatrix(fit={fit}, engagement={engagement}{extra})"


def _tuple(values: tuple[Decimal, ...]) -> str:
    shown = ", ".join(format_points(v) for v in values)
    return f"({shown},)" if len(values) == 1 else f"({shown})"


def _rules(value: object) -> tuple[AnyRule, ...]:
    if (problem := not_text(value, "a list of pk.Rule and pk.EventRule")) is not None:
        raise FieldTypeError("rules", problem)
    rules = []
    for index, rule in enumerate(cast("Iterable[object]", value)):  # checked above
        if index >= MAX_RULES:
            raise FieldValueError("rules", f"more than {MAX_RULES} rules")
        if type(rule) is not Rule and type(rule) is not EventRule:
            raise FieldTypeError(
                f"rules[{index}]", f"expected pk.Rule or pk.EventRule, got {got(rule)}"
            )
        rules.append(rule)
    return tuple(rules)


def _mapping(field: str, value: object, *, limit: int) -> dict[str, Decimal]:
    if not isinstance(value, Mapping):
        raise FieldTypeError(field, f"expected a mapping of names to points, got {got(value)}")
    if len(value) > limit:
        raise FieldValueError(field, f"more than {limit} entries")
    return {
        check_group(f"{field} key", key): to_points(f"{field}[{key!r}]", points)
        for key, points in value.items()
    }


def _caps(value: object) -> dict[str, Decimal]:
    return _mapping("group_caps", value, limit=MAX_RULES)


def _floors(value: object) -> dict[str, Decimal]:
    return _mapping("group_floors", value, limit=MAX_RULES)


def _thresholds(value: object) -> dict[str, Decimal]:
    return _mapping("thresholds", value, limit=MAX_THRESHOLDS)


def _cap(value: object) -> Decimal | None:
    return None if value is None else to_points("cap", value)


def _floor(value: object) -> Decimal | None:
    return None if value is None else to_points("floor", value)


def _matrix(value: object) -> ScoreMatrix | None:
    if value is None or type(value) is ScoreMatrix:
        return value
    raise FieldTypeError("matrix", f"expected pk.ScoreMatrix or None, got {got(value)}")


@attrs.frozen(kw_only=True, repr=False)
class PointsModel:
    """A points scoring model: rules, caps, floors, thresholds and an optional matrix.

    Args:
        rules: :class:`~pipelinekit.Rule` and :class:`~pipelinekit.EventRule` values.
        group_caps: The most a group may add up to (``{"engagement": 60}``); 0 or more.
        group_floors: The least a group may add up to (``{"fit": -50}``); 0 or less.
        cap: The most the total may be (0 or more), or ``None``.
        floor: The least the total may be (0 or less), or ``None``: a negative total
            stays negative unless a floor says otherwise.
        thresholds: Grade names and the total each needs (``{"mql": 40, "sql": 70}``);
            a grade is met at or above its threshold, and the score's grade is the
            highest met.
        matrix: A :class:`~pipelinekit.ScoreMatrix` over two of the groups.

    Every cap, floor and matrix group must be a group of some rule (a typo is an
    error, not a cap that never applies).
    """

    rules: tuple[AnyRule, ...] = attrs.field(converter=_rules)
    group_caps: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_caps, hash=False)
    group_floors: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_floors, hash=False)
    cap: Decimal | None = attrs.field(default=None, converter=_cap)
    floor: Decimal | None = attrs.field(default=None, converter=_floor)
    thresholds: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_thresholds, hash=False)
    matrix: ScoreMatrix | None = attrs.field(default=None, converter=_matrix)
    _plan: _Plan | None = attrs.field(init=False, default=None, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        self._check_bounds()
        values = sorted(self.thresholds.values())
        if any(a == b for a, b in itertools.pairwise(values)):
            raise FieldValueError("thresholds", "two grades have the same threshold")
        if self.matrix is not None:
            groups = self.groups
            for group in (self.matrix.fit_group, self.matrix.engagement_group):
                if group not in groups:
                    raise FieldValueError("matrix", _no_group(group, groups))
        # Read-only views: the model is a value.
        for name in ("group_caps", "group_floors", "thresholds"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    def _check_bounds(self) -> None:
        groups = self.groups
        for field, bounds in (("group_caps", self.group_caps), ("group_floors", self.group_floors)):
            for group in bounds:
                if group not in groups:
                    raise FieldValueError(field, _no_group(group, groups))
        for group, bound in self.group_caps.items():
            if bound < 0:
                raise FieldValueError(f"group_caps[{group!r}]", f"must be 0 or more, got {bound}")
        for group, bound in self.group_floors.items():
            if bound > 0:
                raise FieldValueError(f"group_floors[{group!r}]", f"must be 0 or less, got {bound}")
        if self.cap is not None and self.cap < 0:
            raise FieldValueError("cap", f"must be 0 or more, got {self.cap}")
        if self.floor is not None and self.floor > 0:
            raise FieldValueError("floor", f"must be 0 or less, got {self.floor}")

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups of the rules, in the order they first appear."""
        return tuple(dict.fromkeys(rule.group for rule in self.rules))

    # --- scoring ----------------------------------------------------------------

    def score(self, contact: Contact, *, at: datetime) -> Score:
        """Score one contact at ``at`` (a timezone-aware datetime).

        Raises:
            FieldTypeError: ``contact`` is not a :class:`~pipelinekit.Contact`, or ``at``
                is not a datetime.
            FieldValueError: ``at`` is naive.
        """
        return self.score_many([contact], at=at)[0]

    def score_many(self, contacts: Iterable[Contact], *, at: datetime) -> list[Score]:
        """Score every contact at ``at``: the same scores as :meth:`score`, in order, fast."""
        require_aware("at", at)
        if (problem := not_text(contacts, "an iterable of pk.Contact")) is not None:
            raise FieldTypeError("contacts", problem)
        subjects = list(contacts)
        for index, contact in enumerate(subjects):
            if not isinstance(contact, Contact):
                raise FieldTypeError(
                    f"contacts[{index}]", f"expected pk.Contact, got {got(contact)}"
                )
        plan = self._plan
        if plan is None:
            plan = _Plan(self)
            object.__setattr__(self, "_plan", plan)
        with decimal.localcontext(CONTEXT):
            return plan.run(subjects, at)

    def explain(self, contact: Contact, at: datetime) -> tuple[ScoreLine, ...]:
        """The breakdown of ``contact``'s score (what ``score(...).breakdown`` gives)."""
        with decimal.localcontext(CONTEXT):
            return _explain(self, contact, at)

    def __repr__(self) -> str:
        rules = ",\n        ".join(repr(r) for r in self.rules)
        parts = [f"rules=[\n        {rules},\n    ]" if self.rules else "rules=[]"]
        for name in ("group_caps", "group_floors", "thresholds"):
            mapping: Mapping[str, Decimal] = getattr(self, name)
            if mapping:
                shown = ", ".join(f"{k!r}: {format_points(v)}" for k, v in mapping.items())
                parts.append(f"{name}={{{shown}}}")
        for name in ("cap", "floor"):
            value: Decimal | None = getattr(self, name)
            if value is not None:
                parts.append(f"{name}={format_points(value)}")
        if self.matrix is not None:
            parts.append(f"matrix={self.matrix!r}")
        return "PointsModel(\n    " + ",\n    ".join(parts) + ",\n)"


def _no_group(group: str, groups: Sequence[str]) -> str:
    known = ", ".join(repr(g) for g in groups) or "none"
    return f"no rule is in group {group!r} (the rules' groups: {known})"


def _bound(value: Decimal, low: Decimal | None, high: Decimal | None) -> Decimal:
    if high is not None and value > high:
        return high
    if low is not None and value < low:
        return low
    return value


# --- the fast path ------------------------------------------------------------------

#: One event rule as the fast path runs it: (kind, points, group index, how, parameter,
#: table). ``how``: 0 counts in full, 1 within the window ``parameter``, 2 linear decay
#: (``parameter`` the period, ``table`` the points after 0, 1, ... completed periods),
#: 3 half-life (``parameter`` the decay's ``decayed``).
_Event: TypeAlias = tuple[str | None, Decimal, int, int, Any, tuple[Decimal, ...]]
_FULL, _WINDOW, _LINEAR, _HALF_LIFE = 0, 1, 2, 3


def _event_entry(rule: EventRule, group: int) -> _Event:
    decay = rule.decay
    if decay is None:
        if rule.window is None:
            return (rule.kind, rule.points, group, _FULL, None, ())
        return (rule.kind, rule.points, group, _WINDOW, rule.window, ())
    if decay.kind == "linear":
        table: list[Decimal] = []
        while (value := decay.decayed(rule.points, decay.every * len(table))) or not table:
            table.append(value)
            if not value:
                break
        return (rule.kind, rule.points, group, _LINEAR, decay.every, tuple(v for v in table if v))
    return (rule.kind, rule.points, group, _HALF_LIFE, decay.decayed, ())


class _Plan:  # run() is one tight loop: its branches and statements are the fast path
    """A model prepared for scoring many contacts: rules by channel, groups by index."""

    def __init__(self, model: PointsModel) -> None:
        self.model = model
        self.groups = model.groups
        index = {group: i for i, group in enumerate(self.groups)}
        self.rules = [
            (rule.when, rule.points, index[rule.group])
            for rule in model.rules
            if type(rule) is Rule
        ]
        self.events: dict[Channel, list[_Event]] = {}
        self.limited: list[tuple[EventRule, int]] = []
        with decimal.localcontext(CONTEXT):
            for rule in model.rules:
                if type(rule) is not EventRule:
                    continue
                if rule.max_events is not None:
                    self.limited.append((rule, index[rule.group]))
                else:
                    entry = _event_entry(rule, index[rule.group])
                    self.events.setdefault(rule.channel, []).append(entry)
        self.bounds = [
            (g, model.group_floors.get(group), model.group_caps.get(group))
            for g, group in enumerate(self.groups)
            if group in model.group_floors or group in model.group_caps
        ]
        self.thresholds = sorted(
            ((value, name) for name, value in model.thresholds.items()), reverse=True
        )

    def run(self, contacts: list[Contact], at: datetime) -> list[Score]:  # noqa: PLR0912, PLR0915
        model = self.model
        groups = self.groups
        passing = [
            ({id(c) for c in q.filter(contacts, at=at)}, points, g) for q, points, g in self.rules
        ]
        events = self.events
        limited = self.limited
        bounds = self.bounds
        floor, cap = model.floor, model.cap
        thresholds = self.thresholds
        matrix = model.matrix
        fit = groups.index(matrix.fit_group) if matrix is not None else 0
        engagement = groups.index(matrix.engagement_group) if matrix is not None else 0
        zeros = [ZERO] * len(groups)
        scores: list[Score] = []
        append = scores.append
        for contact in contacts:
            sums = zeros.copy()
            key = id(contact)
            for ids, points, g in passing:
                if key in ids:
                    sums[g] += points
            touchpoints = contact.touchpoints
            if touchpoints:
                if events:
                    for touchpoint in touchpoints:
                        rules = events.get(touchpoint.channel)
                        if rules is None or touchpoint.timestamp > at:
                            continue
                        age = at - touchpoint.timestamp
                        for kind, points, g, how, parameter, table in rules:
                            if kind is not None and kind != touchpoint.kind:
                                continue
                            if how == _LINEAR:
                                periods = age // parameter
                                if periods < len(table):
                                    sums[g] += table[periods]
                            elif how == _FULL or (how == _WINDOW and age <= parameter):
                                sums[g] += points
                            elif how == _HALF_LIFE:
                                sums[g] += parameter(points, age)
                if limited:
                    _add_limited(sums, touchpoints, limited, at)
            for g, low, high in bounds:
                value = sums[g]
                if high is not None and value > high:
                    sums[g] = high
                elif low is not None and value < low:
                    sums[g] = low
            total = sum(sums, ZERO)
            if cap is not None and total > cap:
                total = cap
            elif floor is not None and total < floor:
                total = floor
            grade = None
            for value, name in thresholds:
                if total >= value:
                    grade = name
                    break
            cell = (
                matrix.cell(fit=sums[fit], engagement=sums[engagement])
                if matrix is not None
                else None
            )
            append(Score(total, sums, grade, cell, model, at, contact))
        return scores


def _add_limited(
    sums: list[Decimal],
    touchpoints: tuple[Touchpoint, ...],
    limited: list[tuple[EventRule, int]],
    at: datetime,
) -> None:
    for rule, g in limited:
        ages = _matches(touchpoints, rule.channel, rule.kind, rule.window, at)
        decay = rule.decay
        for age, _, _ in ages[: rule.max_events]:
            sums[g] += decay.decayed(rule.points, age) if decay is not None else rule.points


def _matches(
    touchpoints: tuple[Touchpoint, ...],
    channel: Channel,
    kind: str | None,
    window: timedelta | None,
    at: datetime,
) -> list[tuple[timedelta, int, Touchpoint]]:
    """The rule's matching touchpoints up to ``at`` (in the window), newest first."""
    found = [
        (at - t.timestamp, i, t)
        for i, t in enumerate(touchpoints)
        if t.channel is channel and (kind is None or t.kind == kind) and t.timestamp <= at
    ]
    found.sort(key=lambda item: (item[0], item[1]))
    if window is not None:
        found = [item for item in found if item[0] <= window]
    return found


# --- the breakdown -----------------------------------------------------------------


def _explain(model: PointsModel, contact: Contact, at: datetime) -> tuple[ScoreLine, ...]:
    rows: list[dict[str, Any]] = []
    for index, rule in enumerate(model.rules):
        if type(rule) is Rule:
            status = _STATUS[rule.when.evaluate(contact, at=at).outcome]
            earned = rule.points if status == "passed" else ZERO
            rows.append(_row(rule, index, status, earned, earned))
        else:
            rows.extend(_event_rows(rule, index, contact, at))  # type: ignore[arg-type]  # an EventRule
    groups = model.groups
    for group in groups:
        members = [row for row in rows if row["group"] == group]
        raw = sum((row["after_caps"] for row in members), ZERO)
        bounded = _bound(raw, model.group_floors.get(group), model.group_caps.get(group))
        _cut(members, raw - bounded)
    raw = sum((row["after_caps"] for row in rows), ZERO)
    _cut(rows, raw - _bound(raw, model.floor, model.cap))
    return tuple(ScoreLine(**row) for row in rows)


def _row(  # one line's fields
    rule: AnyRule,
    index: int,
    status: str,
    before: Decimal,
    after: Decimal,
    *,
    touchpoint: Touchpoint | None = None,
    age: timedelta | None = None,
) -> dict[str, Any]:
    return {
        "rule": rule.label,
        "index": index,
        "group": rule.group,
        "status": status,
        "points": rule.points,
        "touchpoint": touchpoint,
        "age": age,
        "before_decay": before,
        "after_decay": after,
        "after_caps": after,
    }


def _event_rows(
    rule: EventRule, index: int, contact: Contact, at: datetime
) -> list[dict[str, Any]]:
    found = _matches(contact.touchpoints, rule.channel, rule.kind, None, at)
    rows = []
    counted = 0
    for age, _, touchpoint in found:
        if rule.window is not None and age > rule.window:
            status, after = "outside window", ZERO
        elif rule.max_events is not None and counted >= rule.max_events:
            status, after = "beyond max_events", ZERO
        else:
            counted += 1
            status = "counted"
            after = rule.decay.decayed(rule.points, age) if rule.decay is not None else rule.points
        rows.append(_row(rule, index, status, rule.points, after, touchpoint=touchpoint, age=age))
    if not rows:
        rows.append(_row(rule, index, "no touchpoint", ZERO, ZERO))
    return rows


def _cut(rows: list[dict[str, Any]], excess: Decimal) -> None:
    """Take ``excess`` (positive: over a cap; negative: under a floor) from the last lines.

    A cap cuts the positive lines, last first; a floor lifts the negative ones, last first;
    so the lines' ``after_caps`` add up to the bounded sum exactly.
    """
    for row in reversed(rows):
        if not excess:
            return
        value = row["after_caps"]
        if excess > 0 < value:
            taken = min(value, excess)
        elif excess < 0 > value:
            taken = max(value, excess)
        else:
            continue
        row["after_caps"] = value - taken
        excess -= taken
