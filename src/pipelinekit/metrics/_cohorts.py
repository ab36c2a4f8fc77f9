"""Cohorts: contacts grouped by when they were created, and how many converted in time."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Literal

from pipelinekit._checks import describe
from pipelinekit.entities import Contact
from pipelinekit.errors import FieldValueError
from pipelinekit.lifecycle import PipelineSpec
from pipelinekit.metrics._arguments import (
    Grouping,
    check_at,
    check_duration,
    group_order,
    heading,
    labelled,
)
from pipelinekit.metrics._histories import Reading
from pipelinekit.metrics._numbers import ratio
from pipelinekit.metrics.results import Cohorts
from pipelinekit.stages import did_you_mean

__all__ = ["cohorts"]

Period = Literal["day", "week", "month", "quarter", "year"]

_PERIODS = ("day", "week", "month", "quarter", "year")


def _label(moment: datetime, period: str) -> str:
    if period == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if period == "quarter":
        return f"{moment.year:04d}-Q{(moment.month - 1) // 3 + 1}"
    if period == "year":
        return f"{moment.year:04d}"
    if period == "week":
        year, week, _ = moment.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return moment.date().isoformat()


def _reached(contact: Contact, target: str) -> datetime | None:
    """When the contact first entered ``target`` (its creation, when it started there)."""
    history = contact.history
    if (history[0].source if history else contact.stage) == target:
        return contact.created_at
    for change in history:
        if change.target == target:
            return change.at
    return None


def cohorts(  # noqa: PLR0917  # the contract's signature: period, target, within positional
    contacts: Iterable[Contact],
    at: datetime,
    period: Period = "month",
    target: str = "customer",
    within: timedelta = timedelta(days=90),
    spec: PipelineSpec | None = None,
    *,
    by: str | None = None,
    skip_invalid: bool = False,
) -> Cohorts:
    """Contacts by creation period: how many reached ``target`` within ``within`` of creation.

    A contact belongs to the cohort of its ``created_at`` (read in ``at``'s time zone)
    by ``period``: ``"day"`` (``2026-01-05``), ``"week"`` (ISO, ``2026-W02``),
    ``"month"`` (``2026-01``), ``"quarter"`` (``2026-Q1``) or ``"year"`` (``2026``).
    Contacts without ``created_at``, or created after ``at``, are in no cohort.

    - ``converted``: entered ``target`` by ``at`` and at most ``within`` after creation;
    - ``open``: not converted yet but created less than ``within`` before ``at``: they
      may still convert in time, so they are not failures;
    - ``rate``: ``converted / (size - open)``, Decimal (``None`` while the whole cohort
      is open).

    >>> import pipelinekit as pk
    >>> from pipelinekit import metrics
    >>> from datetime import UTC, datetime, timedelta
    >>> t0 = datetime(2026, 1, 10, tzinfo=UTC)
    >>> won = pk.Contact(id="a", name="A", created_at=t0, stage="customer")
    >>> late = pk.Contact(id="b", name="B", created_at=t0)
    >>> fresh = pk.Contact(id="c", name="C", created_at=t0 + timedelta(days=60))
    >>> metrics.cohorts([won, late, fresh], at=t0 + timedelta(days=100)).to_rows()
    [{'cohort': '2026-01', 'size': 2, 'converted': 1, 'rate': Decimal('0.5'), 'open': 0}, \
{'cohort': '2026-03', 'size': 1, 'converted': 0, 'rate': None, 'open': 1}]

    Raises:
        FieldValueError: ``period`` is not one of the above, ``target`` is not a stage of
            the spec, or ``within`` is negative.
        InvalidHistory: A contact's history contradicts its stage (names the contact).

    .. versionadded:: 0.2.0
    """
    now = check_at(at)
    if period not in _PERIODS:
        allowed = ", ".join(map(repr, _PERIODS))
        raise FieldValueError("period", f"expected one of {allowed}, got {describe(period)}")
    span = check_duration("within", within)
    grouping = Grouping.of(by)
    reading = Reading(contacts, spec, skip_invalid=skip_invalid)
    plan = reading.plan
    untrusted: object = target
    if untrusted not in plan.bits:
        hint = did_you_mean(untrusted, plan.stages) if isinstance(untrusted, str) else ""
        raise FieldValueError(
            "target",
            f"{describe(untrusted)} is not a stage of {plan.name}: {', '.join(plan.stages)}{hint}",
        )
    zone = now.tzinfo
    # (group, cohort) -> [size, converted, open]
    tallies: dict[tuple[Hashable, str], list[int]] = {}
    for contact, _ in reading:
        created = contact.created_at
        if created is None or created > now:
            continue
        key = (
            grouping.key(contact) if grouping else None,
            _label(created.astimezone(zone), period),
        )
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = [0, 0, 0]
        tally[0] += 1
        reached = _reached(contact, target)
        if reached is not None and reached <= now and reached - created <= span:
            tally[1] += 1
        elif now - created < span:
            tally[2] += 1
    rows: list[Mapping[str, object]] = []
    for group in group_order({g for g, _ in tallies}):
        for cohort in sorted(c for g, c in tallies if g == group):
            size, converted, still_open = tallies[(group, cohort)]
            row = {
                "cohort": cohort,
                "size": size,
                "converted": converted,
                "rate": ratio(converted, size - still_open),
                "open": still_open,
            }
            rows.append(labelled(group, row, grouping))
    columns = ("cohort", "size", "converted", "rate", "open")
    return Cohorts(
        columns=heading(columns, grouping),
        rows=tuple(rows),
        skipped=reading.skipped,
    )
