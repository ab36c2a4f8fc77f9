"""The funnel: how many contacts reached each forward stage, and the conversions between them."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Literal

from pipelinekit._checks import describe
from pipelinekit.entities import Contact
from pipelinekit.errors import FieldValueError
from pipelinekit.lifecycle import PipelineSpec
from pipelinekit.metrics._arguments import Grouping, group_order, heading, labelled
from pipelinekit.metrics._histories import Outline, Reading
from pipelinekit.metrics._numbers import ratio
from pipelinekit.metrics.results import Funnel

__all__ = ["funnel"]

FunnelMode = Literal["any", "strict"]

_COLUMNS = ("stage", "reached", "step_conversion", "cumulative_conversion")


def funnel(
    contacts: Iterable[Contact],
    spec: PipelineSpec | None = None,
    mode: FunnelMode = "any",
    *,
    by: str | None = None,
    skip_invalid: bool = False,
) -> Funnel:
    """Contacts that reached each forward stage, with step and cumulative conversion.

    The forward stages are the spec's open and won stages, in pipeline order. A contact
    *reached* a stage when it is in it now or a change of its history left or entered it.

    - ``mode="any"`` (HubSpot's "All" funnel): a contact counts in every stage it reached.
    - ``mode="strict"`` (like HubSpot's "Ordered" funnel): a contact counts in a stage only
      if it also reached every earlier forward stage, so a contact that skipped a stage
      (or was imported into a later one) counts in none after the gap. Changes recorded at
      the same instant count as passing through.

    ``step_conversion`` is ``reached / reached of the previous stage`` (for the first stage,
    ``reached / reached`` of itself); ``cumulative_conversion`` is ``reached / reached of the
    first stage``. Both are Decimal, ``None`` when the denominator is 0. In ``"any"`` mode a
    contact that skipped an earlier stage can make a conversion exceed 1.

    >>> import pipelinekit as pk
    >>> from pipelinekit import metrics
    >>> from datetime import UTC, datetime
    >>> t = datetime(2026, 3, 1, tzinfo=UTC)
    >>> moved = pk.Contact(id="c-1", name="Ann", stage="prospect", version=1, history=[
    ...     pk.StageChange(event="qualify", source="lead", target="prospect", at=t)])
    >>> imported = pk.Contact(id="c-2", name="Bo", stage="prospect")
    >>> [(r["stage"], r["reached"]) for r in metrics.funnel([moved, imported])][:2]
    [('lead', 1), ('prospect', 2)]
    >>> [(r["stage"], r["reached"]) for r in metrics.funnel([moved, imported], mode="strict")][:2]
    [('lead', 1), ('prospect', 1)]

    Args:
        contacts: Any iterable of contacts, read once.
        spec: The pipeline (``None``: :data:`~pipelinekit.DEFAULT_SPEC`).
        mode: ``"any"`` or ``"strict"``.
        by: A field path to break the funnel down by (a ``"group"`` key per row).
        skip_invalid: Skip contacts whose history contradicts their stage (counted in
            ``.skipped``) instead of raising.

    Raises:
        InvalidHistory: A contact's history contradicts its stage (names the contact).
        FieldValueError: ``mode`` is not ``"any"`` or ``"strict"``, or ``by`` is not a path.

    .. versionadded:: 0.2.0
    """
    if mode not in ("any", "strict"):
        raise FieldValueError("mode", f"expected 'any' or 'strict', got {describe(mode)}")
    grouping = Grouping.of(by)
    reading = Reading(contacts, spec, skip_invalid=skip_invalid)
    masks: dict[Hashable, dict[int, int]] = {} if grouping else {None: {}}
    if grouping is None:
        tally = masks[None]
        for _, mask in reading:
            tally[mask] = tally.get(mask, 0) + 1
    else:
        key = grouping.key
        for contact, mask in reading:
            tally = masks.setdefault(key(contact), {})
            tally[mask] = tally.get(mask, 0) + 1
    rows: list[Mapping[str, object]] = []
    for group in group_order(masks):
        found = _rows(reading.plan, masks[group], strict=mode == "strict")
        rows.extend(labelled(group, row, grouping) for row in found)
    columns = heading(_COLUMNS, grouping)
    return Funnel(columns=columns, rows=tuple(rows), skipped=reading.skipped)


def _rows(plan: Outline, tally: Mapping[int, int], *, strict: bool) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    needed = 0
    first = previous = 0
    for position, stage in enumerate(plan.forward):
        bit = plan.bits[stage]
        needed = needed | bit if strict else bit
        reached = sum(n for mask, n in tally.items() if mask & needed == needed)
        if position == 0:
            first = previous = reached
        rows.append(
            {
                "stage": stage,
                "reached": reached,
                "step_conversion": ratio(reached, previous),
                "cumulative_conversion": ratio(reached, first),
            }
        )
        previous = reached
    return rows
