"""What-if analysis: two qualification policies on one population."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Final

from pipelinekit._checks import got
from pipelinekit.entities import Contact
from pipelinekit.errors import FieldTypeError
from pipelinekit.lifecycle import PipelineSpec
from pipelinekit.metrics._arguments import check_at
from pipelinekit.metrics._histories import Reading
from pipelinekit.metrics._numbers import ratio
from pipelinekit.metrics.results import Comparison
from pipelinekit.qualifiers import Qualifier

__all__ = ["compare"]

#: The segments of the population and the (admitted by a, admitted by b) cells of each.
SEGMENTS: Final = {
    "a": ((True, True), (True, False)),
    "b": ((True, True), (False, True)),
    "both": ((True, True),),
    "a only": ((True, False),),
    "b only": ((False, True),),
    "neither": ((False, False),),
}
_OUTCOMES: Final = ("won", "lost", "disqualified", "open")
_COLUMNS: Final = ("admitted_by", "contacts", "won", "lost", "disqualified", "open", "win_rate")


def compare(
    policy_a: Qualifier,
    policy_b: Qualifier,
    contacts: Iterable[Contact],
    at: datetime,
    spec: PipelineSpec | None = None,
    *,
    skip_invalid: bool = False,
) -> Comparison:
    """Two qualification policies side by side on one population: whom each admits, how they ended.

    A policy admits a contact when it PASSES (``policy(contact, at=at)``; UNKNOWN does
    not admit). One row per segment, ``"admitted_by"`` naming it: ``"a"`` and ``"b"``
    (everyone each admits), ``"both"`` (the overlap), ``"a only"``, ``"b only"`` and
    ``"neither"``. Each row counts the segment's contacts by the outcome of their current
    stage (won, lost, disqualified, open) and gives ``win_rate = won / (won + lost)``
    (Decimal, ``None`` when none closed): how the contacts a policy would have admitted
    actually ended.

    >>> import pipelinekit as pk
    >>> from pipelinekit import metrics
    >>> from datetime import UTC, datetime
    >>> big = pk.field("account.employees") >= 100
    >>> paying = pk.field("budget").is_known()
    >>> acme = pk.Account(name="Acme", employees=500)
    >>> people = [pk.Contact(id="a", name="A", account=acme, stage="customer"),
    ...           pk.Contact(id="b", name="B", budget=pk.Money("1", "EUR"), stage="lost")]
    >>> table = metrics.compare(big, paying, people, at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> [(r["admitted_by"], r["contacts"], r["win_rate"]) for r in table][:3]
    [('a', 1, Decimal('1')), ('b', 1, Decimal('0')), ('both', 0, None)]

    Raises:
        FieldTypeError: A policy is not a :class:`~pipelinekit.Qualifier`.
        InvalidHistory: A contact's history contradicts its stage (names the contact).

    .. versionadded:: 0.2.0
    """
    for name, policy in (("policy_a", policy_a), ("policy_b", policy_b)):
        untrusted: object = policy
        if not isinstance(untrusted, Qualifier):
            raise FieldTypeError(name, f"expected a Qualifier, got {got(untrusted)}")
    now = check_at(at)
    reading = Reading(contacts, spec, skip_invalid=skip_invalid)
    outcomes = reading.plan.outcomes
    # (admitted by a, admitted by b) -> outcome -> count
    counts: dict[tuple[bool, bool], dict[str, int]] = {
        (a, b): dict.fromkeys(_OUTCOMES, 0) for a in (True, False) for b in (True, False)
    }
    for contact, _ in reading:
        cell = counts[(policy_a(contact, at=now), policy_b(contact, at=now))]
        cell[outcomes[contact.stage]] += 1
    rows: list[Mapping[str, object]] = []
    for name, cells in SEGMENTS.items():
        tally = {o: sum(counts[c][o] for c in cells) for o in _OUTCOMES}
        rows.append(
            {
                "admitted_by": name,
                "contacts": sum(tally.values()),
                **tally,
                "win_rate": ratio(tally["won"], tally["won"] + tally["lost"]),
            }
        )
    return Comparison(columns=_COLUMNS, rows=tuple(rows), skipped=reading.skipped)
