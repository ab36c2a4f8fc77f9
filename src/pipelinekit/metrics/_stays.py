"""Stays in stages: how long contacts spend in each stage, and who has been there too long."""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable, Mapping
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Final, TypeAlias

from pipelinekit._checks import describe, got
from pipelinekit.entities import Contact
from pipelinekit.errors import FieldTypeError, FieldValueError
from pipelinekit.lifecycle import PipelineSpec
from pipelinekit.metrics._arguments import (
    Grouping,
    check_at,
    check_duration,
    group_order,
    heading,
    labelled,
)
from pipelinekit.metrics._histories import Outline, Reading
from pipelinekit.metrics._survival import MICROSECOND, Curves, km_median, quantile, sorted_column
from pipelinekit.metrics.results import Stale, TimeInStage

__all__ = ["stale", "time_in_stage"]

_HALF: Final = Fraction(1, 2)
_P90: Final = Fraction(9, 10)

_Columns: TypeAlias = "dict[str, array[int]]"


def _columns(plan: Outline) -> _Columns:
    return {stage: array("q") for stage in plan.stages}


def time_in_stage(
    contacts: Iterable[Contact],
    at: datetime,
    spec: PipelineSpec | None = None,
    *,
    by: str | None = None,
    skip_invalid: bool = False,
) -> TimeInStage:
    """How long contacts stay in each stage, with stays still running counted as censored.

    A contact's history cuts its time into stays: the first starts at ``created_at`` (a
    contact without ``created_at`` has its first stay unmeasured), each change ends one
    and starts the next, and the last runs on. As of ``at``: a stay still running then is
    *censored* (we know it lasted at least until ``at``), and what happens after ``at`` is
    not seen. Per stage, in pipeline order:

    - ``entered``: stays measured; ``exited``: those completed by ``at``;
    - ``median``, ``p90``: over completed stays (linear interpolation between ranks),
      ``None`` without one. Alone they are biased toward short stays, since the long
      ones are often still running;
    - ``median_km``: the Kaplan-Meier median, which counts the running stays as censored:
      the first duration at which the estimated share of stays still going is at most
      one half; ``None`` while it stays above one half.

    The result's ``survival`` maps ``(group, stage)`` (group ``None`` without ``by``) to
    the Kaplan-Meier curve, ``(duration, share still in the stage)`` steps from ``(0, 1.0)``.

    >>> import pipelinekit as pk
    >>> from pipelinekit import metrics
    >>> from datetime import UTC, datetime, timedelta
    >>> day = timedelta(days=1)
    >>> t0 = datetime(2026, 1, 1, tzinfo=UTC)
    >>> moved = pk.Contact(id="a", name="A", created_at=t0, stage="prospect", version=1,
    ...     history=[pk.StageChange(event="qualify", source="lead", target="prospect",
    ...                             at=t0 + 2 * day)])
    >>> waiting = pk.Contact(id="b", name="B", created_at=t0 + 4 * day)
    >>> lead = metrics.time_in_stage([moved, waiting], at=t0 + 10 * day)[0]
    >>> lead["entered"], lead["exited"], lead["median"], lead["median_km"]
    (2, 1, datetime.timedelta(days=2), datetime.timedelta(days=2))

    Raises:
        InvalidHistory: A contact's history contradicts its stage (names the contact).

    .. versionadded:: 0.2.0
    """
    now = check_at(at)
    grouping = Grouping.of(by)
    reading = Reading(contacts, spec, skip_invalid=skip_invalid)
    plan = reading.plan
    # group -> (completed stays, censored stays), per stage
    tallies: dict[Hashable, tuple[_Columns, _Columns]] = (
        {} if grouping else {None: (_columns(plan), _columns(plan))}
    )
    done, running = tallies[None] if grouping is None else ({}, {})
    for contact, _ in reading:
        if grouping is not None:
            group = grouping.key(contact)
            pair = tallies.get(group)
            if pair is None:
                pair = tallies[group] = (_columns(plan), _columns(plan))
            done, running = pair
        start = contact.created_at
        for change in contact.history:
            end = change.at
            if end > now:
                if start is not None and start <= now:
                    running[change.source].append((now - start) // MICROSECOND)
                break
            if start is not None:
                done[change.source].append((end - start) // MICROSECOND)
            start = end
        else:
            if start is not None and start <= now:
                running[contact.stage].append((now - start) // MICROSECOND)
    rows: list[Mapping[str, object]] = []
    curves: dict[tuple[object, str], tuple[array[int], array[int]]] = {}
    for group in group_order(tallies):
        completed, censored = tallies[group]
        for stage in plan.stages:
            events, still = sorted_column(completed[stage]), sorted_column(censored[stage])
            curves[(group, stage)] = (events, still)
            row = {
                "stage": stage,
                "entered": len(events) + len(still),
                "exited": len(events),
                "median": quantile(events, _HALF),
                "p90": quantile(events, _P90),
                "median_km": km_median(events, still),
            }
            rows.append(labelled(group, row, grouping))
    columns = ("stage", "entered", "exited", "median", "p90", "median_km")
    return TimeInStage(
        columns=heading(columns, grouping),
        rows=tuple(rows),
        skipped=reading.skipped,
        survival=Curves(curves),
    )


def _limits(plan: Outline, limits: object) -> dict[str, timedelta]:
    if not isinstance(limits, Mapping):
        raise FieldTypeError(
            "limits", f"expected a mapping of stage name to timedelta, got {got(limits)}"
        )
    checked: dict[str, timedelta] = {}
    open_stages = ", ".join(sorted(plan.having("open"), key=plan.stages.index))
    for stage, limit in limits.items():
        if stage not in plan.bits:
            raise FieldValueError(
                "limits",
                f"{describe(stage)} is not a stage of {plan.name}; open stages: {open_stages}",
            )
        if plan.outcomes[stage] != "open":
            raise FieldValueError(
                "limits",
                f"{stage!r} is a {plan.outcomes[stage]} stage, which never goes stale;"
                f" open stages: {open_stages}",
            )
        checked[str(stage)] = check_duration(f"limits[{stage!r}]", limit)
    return checked


def stale(
    contacts: Iterable[Contact],
    at: datetime,
    limits: Mapping[str, timedelta],
    spec: PipelineSpec | None = None,
    *,
    by: str | None = None,
    skip_invalid: bool = False,
) -> Stale:
    """Open contacts left in their stage longer than its limit (Pipedrive's "rotting" deals).

    A contact's age is the time from the later of its stage entry
    (:attr:`~pipelinekit.Contact.stage_entered_at`) and its latest touchpoint until
    ``at``: any touchpoint resets the clock. It is stale when its age is strictly greater
    than its stage's limit. Stages without a limit never go stale, nor do closed contacts,
    nor contacts with neither a stage entry time nor a touchpoint. Rows go oldest first
    (then by id).

    >>> import pipelinekit as pk
    >>> from pipelinekit import metrics
    >>> from datetime import UTC, datetime, timedelta
    >>> t0 = datetime(2026, 1, 1, tzinfo=UTC)
    >>> old = pk.Contact(id="c-1", name="Ann", stage="prospect", created_at=t0)
    >>> metrics.stale([old], at=t0 + timedelta(days=45),
    ...               limits={"prospect": timedelta(days=30)}).to_rows()
    [{'id': 'c-1', 'stage': 'prospect', 'age': datetime.timedelta(days=45), \
'limit': datetime.timedelta(days=30)}]

    Raises:
        FieldValueError: ``limits`` names a stage the spec lacks or a closed one, or a
            negative limit.
        InvalidHistory: A contact's history contradicts its stage (names the contact).

    .. versionadded:: 0.2.0
    """
    now = check_at(at)
    grouping = Grouping.of(by)
    reading = Reading(contacts, spec, skip_invalid=skip_invalid)
    table = _limits(reading.plan, limits)
    found: list[tuple[Hashable, timedelta, str, Mapping[str, object]]] = []
    for contact, _ in reading:
        limit = table.get(contact.stage)
        if limit is None:
            continue
        since = contact.stage_entered_at
        for touch in contact.touchpoints:
            if since is None or touch.timestamp > since:
                since = touch.timestamp
        if since is None or now - since <= limit:
            continue
        age = now - since
        row: dict[str, object] = {"id": contact.id, "stage": str(contact.stage), "age": age}
        row["limit"] = limit
        group = grouping.key(contact) if grouping else None
        found.append((group, age, contact.id, labelled(group, row, grouping)))
    order = {group: index for index, group in enumerate(group_order({f[0] for f in found}))}
    found.sort(key=lambda f: (order[f[0]], -f[1], f[2]))
    columns = ("id", "stage", "age", "limit")
    return Stale(
        columns=heading(columns, grouping),
        rows=tuple(f[3] for f in found),
        skipped=reading.skipped,
    )
