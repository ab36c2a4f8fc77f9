"""Deal metrics: weighted pipeline, win rate, sales velocity and lost reasons."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Final

from pipelinekit._checks import got
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
from pipelinekit.metrics._numbers import EXACT, money, ratio, rounded
from pipelinekit.metrics.results import LostReasons, Velocity, WeightedPipeline
from pipelinekit.stages import FORECAST_CATEGORIES

__all__ = ["lost_reasons", "velocity", "weighted_pipeline", "win_rate"]

_ZERO: Final = Decimal(0)
_MICROSECOND: Final = timedelta(microseconds=1)
_DAY_MICROSECONDS: Final = 86_400_000_000

#: Salesforce's cumulative forecast roll-ups over open deals: each includes the ones after it.
ROLLUPS: Final = (
    ("open_pipeline", ("pipeline", "best_case", "commit")),
    ("best_case", ("best_case", "commit")),
    ("commit", ("commit",)),
)


class _Sum:
    """The running totals of one row of :func:`weighted_pipeline`."""

    __slots__ = ("amount", "count", "weighted")

    def __init__(self, count: int, amount: Decimal, weighted: Decimal) -> None:
        self.count = count
        self.amount = amount
        self.weighted = weighted


def weighted_pipeline(
    contacts: Iterable[Contact],
    spec: PipelineSpec | None = None,
    *,
    by: str | None = None,
    rollups: bool = False,
    skip_invalid: bool = False,
) -> WeightedPipeline:
    """Open deals per currency and forecast category: count, amount and weighted amount.

    A deal is a contact in an open stage whose opportunity has an ``amount``. Its weight
    is its effective win probability: ``Opportunity.probability`` when set (0 included),
    else its stage's ``probability`` (a stage without one weighs 0). Won, lost and
    disqualified contacts never count. Sums are exact and never mix currencies: one row
    per currency and forecast category present, currencies in code order.

    With ``rollups=True`` the rows are Salesforce's cumulative roll-ups instead:
    ``"open_pipeline"`` (pipeline + best case + commit), ``"best_case"`` (best case +
    commit) and ``"commit"``. Salesforce's best-case and commit roll-ups also add closed
    (won) amounts; these do not, since won deals are not pipeline.

    >>> import pipelinekit as pk
    >>> from pipelinekit import metrics
    >>> deal = pk.Contact(id="c-1", name="Ann", stage="opportunity",
    ...                   opportunity=pk.Opportunity(amount=pk.Money("10000", "EUR")))
    >>> row = metrics.weighted_pipeline([deal])[0]
    >>> row["forecast"], row["count"], str(row["amount"]), str(row["weighted"])
    ('pipeline', 1, '10,000.00 EUR', '4,000.00 EUR')

    Raises:
        InvalidHistory: A contact's history contradicts its stage (names the contact).

    .. versionadded:: 0.2.0
    """
    if type(rollups) is not bool:
        raise FieldTypeError("rollups", f"expected a bool, got {got(rollups)}")
    grouping = Grouping.of(by)
    reading = Reading(contacts, spec, skip_invalid=skip_invalid)
    plan = reading.plan
    open_stages = plan.having("open")
    probabilities = plan.probabilities
    forecasts = plan.forecasts
    sums: dict[tuple[Hashable, str, str], _Sum] = {}  # by (group, currency, forecast)
    add, multiply = EXACT.add, EXACT.multiply
    for contact, _ in reading:
        stage = contact.stage
        deal = contact.opportunity
        if deal is None or stage not in open_stages:
            continue
        amount = deal.amount
        if amount is None:
            continue
        probability = deal.probability
        if probability is None:
            probability = probabilities[stage] or _ZERO
        key = (grouping.key(contact) if grouping else None, amount.currency, forecasts[stage])
        entry = sums.get(key)
        if entry is None:
            sums[key] = _Sum(1, amount.amount, multiply(amount.amount, probability))
        else:
            entry.count += 1
            entry.amount = add(entry.amount, amount.amount)
            entry.weighted = add(entry.weighted, multiply(amount.amount, probability))
    if rollups:
        sums = _rolled_up(sums)
    columns = ("currency", "forecast", "count", "amount", "weighted")
    return WeightedPipeline(
        columns=heading(columns, grouping),
        rows=_pipeline_rows(
            sums, [n for n, _ in ROLLUPS] if rollups else FORECAST_CATEGORIES, grouping
        ),
        skipped=reading.skipped,
    )


def _pipeline_rows(
    sums: Mapping[tuple[Hashable, str, str], _Sum],
    order: Sequence[str],
    grouping: Grouping | None,
) -> tuple[Mapping[str, object], ...]:
    rows: list[Mapping[str, object]] = []
    for group in group_order({g for g, _, _ in sums}):
        for currency in sorted({c for g, c, _ in sums if g == group}):
            for forecast in order:
                found = sums.get((group, currency, forecast))
                if found is None:
                    continue
                row = {
                    "currency": currency,
                    "forecast": forecast,
                    "count": found.count,
                    "amount": money(found.amount, currency),
                    "weighted": money(found.weighted, currency),
                }
                rows.append(labelled(group, row, grouping))
    return tuple(rows)


def _rolled_up(
    sums: Mapping[tuple[Hashable, str, str], _Sum],
) -> dict[tuple[Hashable, str, str], _Sum]:
    rolled: dict[tuple[Hashable, str, str], _Sum] = {}
    for group, currency in {(g, c) for g, c, _ in sums}:
        for name, parts in ROLLUPS:
            entries = [sums[(group, currency, p)] for p in parts if (group, currency, p) in sums]
            if entries:
                total = _Sum(0, _ZERO, _ZERO)
                for entry in entries:
                    total.count += entry.count
                    total.amount = EXACT.add(total.amount, entry.amount)
                    total.weighted = EXACT.add(total.weighted, entry.weighted)
                rolled[(group, currency, name)] = total
    return rolled


def _window(since: object, until: object) -> tuple[datetime | None, datetime | None]:
    start = None if since is None else check_at(since, "since")
    end = None if until is None else check_at(until, "until")
    if start is not None and end is not None and end < start:
        raise FieldValueError("until", f"must not be before since ({start}), got {end}")
    return start, end


def _closing(
    contact: Contact,
    plan: Outline,
    closing: frozenset[str],
    since: datetime | None,
    until: datetime | None,
) -> tuple[str, datetime | None] | None:
    """The stage and time of the contact's last closing change in ``[since, until)``.

    A contact in a won or lost stage without history (imported closed) counts, with no
    time, when there is no window.
    """
    history = contact.history
    for change in reversed(history):
        if change.target in closing:
            at = change.at
            if (since is None or at >= since) and (until is None or at < until):
                return change.target, at
    if not history and contact.stage in closing and since is None and until is None:
        return contact.stage, None
    return None


def win_rate(
    contacts: Iterable[Contact],
    spec: PipelineSpec | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    skip_invalid: bool = False,
) -> Decimal | None:
    """``won / (won + lost)`` among contacts whose closing change lies in ``[since, until)``.

    A closing change enters a won or lost stage; a contact counts once, by its last
    closing change in the window (a lost deal recycled and then won in the window is a
    win). Disqualified and open contacts are not in it. Without a window, contacts
    imported into a won or lost stage (no history) count too. ``None`` when nobody closed.

    >>> import pipelinekit as pk
    >>> from pipelinekit import metrics
    >>> metrics.win_rate([pk.Contact(id="a", name="A", stage="customer"),
    ...                   pk.Contact(id="b", name="B", stage="lost"),
    ...                   pk.Contact(id="c", name="C", stage="lost"),
    ...                   pk.Contact(id="d", name="D", stage="disqualified")])
    Decimal('0.3333333333333333333333333333')

    Raises:
        InvalidHistory: A contact's history contradicts its stage (names the contact).
        FieldValueError: ``until`` is before ``since`` (both must be aware datetimes).

    .. versionadded:: 0.2.0
    """
    start, end = _window(since, until)
    reading = Reading(contacts, spec, skip_invalid=skip_invalid)
    plan = reading.plan
    won_stages = plan.having("won")
    closing = won_stages | plan.having("lost")
    won = lost = 0
    for contact, _ in reading:
        closed = _closing(contact, plan, closing, start, end)
        if closed is None:
            continue
        if closed[0] in won_stages:
            won += 1
        else:
            lost += 1
    return ratio(won, won + lost)


class _Velocity:
    """The running sums of one (group, currency) row of :func:`velocity`."""

    __slots__ = ("cycle", "cycles", "lost", "open", "won", "won_amount")

    def __init__(self) -> None:
        self.open = self.won = self.lost = self.cycles = 0
        self.won_amount = _ZERO
        self.cycle = timedelta(0)


def velocity(
    contacts: Iterable[Contact],
    at: datetime,
    window: timedelta = timedelta(days=90),
    spec: PipelineSpec | None = None,
    *,
    by: str | None = None,
    skip_invalid: bool = False,
) -> Velocity:
    """Sales velocity per currency: ``opportunities * average deal * win rate ÷ cycle days``.

    Per currency of the deals' amounts, with the window ``[at - window, at)``:

    - ``opportunities``: open deals now (open stage, an opportunity amount), as in
      :func:`weighted_pipeline`;
    - ``average_deal``: the mean amount of the deals won in the window (Money);
    - ``win_rate``: won / (won + lost) among the deals that closed in the window (their
      last closing change), as in :func:`win_rate`;
    - ``cycle_days``: the mean days from ``created_at`` to the winning change of the deals
      won in the window (those without ``created_at`` are left out of it), a Decimal
      rounded to 0.01 day;
    - ``per_day``: the expected won amount per day (Money), ``None`` when a factor is.

    >>> import pipelinekit as pk
    >>> from pipelinekit import metrics
    >>> from datetime import UTC, datetime, timedelta
    >>> now = datetime(2026, 6, 30, tzinfo=UTC)
    >>> eur = pk.Opportunity(amount=pk.Money("9000", "EUR"))
    >>> won = pk.Contact(id="w", name="W", stage="customer", opportunity=eur, version=1,
    ...     created_at=now - timedelta(days=40), history=[pk.StageChange(
    ...     event="win", source="opportunity", target="customer", at=now - timedelta(days=10))])
    >>> row = metrics.velocity([won, pk.Contact(id="o", name="O", stage="opportunity",
    ...                         opportunity=eur)], at=now)[0]
    >>> row["opportunities"], str(row["average_deal"]), row["win_rate"], row["cycle_days"]
    (1, '9,000.00 EUR', Decimal('1'), Decimal('30.00'))
    >>> str(row["per_day"])
    '300.00 EUR'

    Raises:
        InvalidHistory: A contact's history contradicts its stage (names the contact).
        FieldValueError: ``window`` is not positive; ``at`` must be an aware datetime.

    .. versionadded:: 0.2.0
    """
    now = check_at(at)
    span = check_duration("window", window, zero=False)
    grouping = Grouping.of(by)
    reading = Reading(contacts, spec, skip_invalid=skip_invalid)
    plan = reading.plan
    open_stages = plan.having("open")
    won_stages = plan.having("won")
    closing = won_stages | plan.having("lost")
    start = now - span
    tallies: dict[tuple[Hashable, str], _Velocity] = {}
    for contact, _ in reading:
        deal = contact.opportunity
        amount = None if deal is None else deal.amount
        if amount is None:
            continue
        key = (grouping.key(contact) if grouping else None, amount.currency)
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = _Velocity()
        if contact.stage in open_stages:
            tally.open += 1
        closed = _closing(contact, plan, closing, start, now)
        if closed is None:
            continue
        stage, closed_at = closed
        if stage not in won_stages:
            tally.lost += 1
            continue
        tally.won += 1
        tally.won_amount = EXACT.add(tally.won_amount, amount.amount)
        if contact.created_at is not None and closed_at is not None:
            tally.cycles += 1
            tally.cycle += closed_at - contact.created_at
    rows: list[Mapping[str, object]] = []
    for group in group_order({g for g, _ in tallies}):
        for currency in sorted(c for g, c in tallies if g == group):
            row = _velocity_row(tallies[(group, currency)], currency)
            rows.append(labelled(group, row, grouping))
    columns = ("currency", "opportunities", "average_deal", "win_rate", "cycle_days", "per_day")
    return Velocity(
        columns=heading(columns, grouping),
        rows=tuple(rows),
        skipped=reading.skipped,
    )


def _velocity_row(tally: _Velocity, currency: str) -> dict[str, object]:
    average = ratio(tally.won_amount, tally.won)
    rate = ratio(tally.won, tally.won + tally.lost)
    days = ratio(Decimal(tally.cycle // _MICROSECOND), _DAY_MICROSECONDS * tally.cycles)
    per_day = None
    if average is not None and rate is not None and days:
        expected = EXACT.multiply(EXACT.multiply(average, tally.open), rate)
        per_day = rounded(EXACT.divide(expected, days), currency)
    return {
        "currency": currency,
        "opportunities": tally.open,
        "average_deal": None if average is None else rounded(average, currency),
        "win_rate": rate,
        "cycle_days": None if days is None else days.quantize(Decimal("0.01"), context=EXACT),
        "per_day": per_day,
    }


def lost_reasons(
    contacts: Iterable[Contact],
    spec: PipelineSpec | None = None,
    *,
    by: str | None = None,
    skip_invalid: bool = False,
) -> LostReasons:
    """How often each reason was given, per stage left, for every loss and disqualification.

    Every change into a lost or disqualified stage counts, also when the contact was
    recycled later; ``"stage"`` is the stage the contact left, ``"reason"`` the change's
    reason (``None`` when none was recorded). Rows go by count, highest first, then by
    stage (pipeline order) and reason.

    >>> import pipelinekit as pk
    >>> from pipelinekit import metrics
    >>> from datetime import UTC, datetime
    >>> t = datetime(2026, 3, 1, tzinfo=UTC)
    >>> lost = pk.Contact(id="c-1", name="Ann", stage="lost", version=1, history=[
    ...     pk.StageChange(event="lose", source="opportunity", target="lost", at=t,
    ...                    reason="price")])
    >>> metrics.lost_reasons([lost]).to_rows()
    [{'stage': 'opportunity', 'reason': 'price', 'count': 1}]

    Raises:
        InvalidHistory: A contact's history contradicts its stage (names the contact).

    .. versionadded:: 0.2.0
    """
    grouping = Grouping.of(by)
    reading = Reading(contacts, spec, skip_invalid=skip_invalid)
    plan = reading.plan
    dropped = plan.having("lost", "disqualified")
    counts: dict[tuple[Hashable, str, str | None], int] = {}
    for contact, _ in reading:
        losses = [c for c in contact.history if c.target in dropped]
        if not losses:
            continue
        group = grouping.key(contact) if grouping else None
        for change in losses:
            key = (group, change.source, change.reason)
            counts[key] = counts.get(key, 0) + 1
    position = {name: index for index, name in enumerate(plan.stages)}
    rows: list[Mapping[str, object]] = []
    for group in group_order({g for g, _, _ in counts}):
        mine = [(s, r, n) for (g, s, r), n in counts.items() if g == group]
        mine.sort(key=lambda e: (-e[2], position[e[0]], e[1] is None, e[1] or ""))
        for stage, reason, count in mine:
            row = {"stage": stage, "reason": reason, "count": count}
            rows.append(labelled(group, row, grouping))
    columns = ("stage", "reason", "count")
    return LostReasons(
        columns=heading(columns, grouping),
        rows=tuple(rows),
        skipped=reading.skipped,
    )
