"""Reading contacts' histories for metrics: one pass per contact, checked as it goes.

A metric compiles its spec once into an :class:`Outline` (a bit and an outcome per stage)
and then walks each contact's history once with :func:`walk`, which both checks that the
history agrees with the contact and gives the set of stages the contact was ever in, as
a bit mask. Only the history tuple the contact already holds is read: nothing is copied.

What :func:`walk` checks is what a metric relies on, and no more: every stage named is a
stage of the spec, each change starts where the previous one ended, changes are in time
order and not before ``created_at``, and the last change ends in the contact's stage.
(Whether each change is a transition of the spec is :func:`pipelinekit.lifecycle.history.replay`'s
full check.) A contact that breaks one of these raises :class:`~pipelinekit.InvalidHistory`
naming the contact and the change.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal

import attrs

from pipelinekit._checks import got
from pipelinekit.entities import Contact
from pipelinekit.errors import FieldTypeError, InvalidHistory
from pipelinekit.lifecycle import PipelineSpec
from pipelinekit.metrics._arguments import check_spec, each_contact
from pipelinekit.qualifiers.verdict import escape_text

__all__ = ["Outline", "Reading", "outline", "walk"]


@attrs.frozen
class Outline:
    """What metrics read of a spec, compiled once: bits, outcomes, forecasts, probabilities.

    Attributes:
        name: The pipeline's name (for messages).
        stages: The stage names in pipeline order.
        bits: Each stage's bit (``1 << position``) in a contact's mask of reached stages.
        outcomes: Each stage's outcome (``"open"``, ``"won"``, ``"lost"``, ``"disqualified"``).
        forward: The funnel's stages (open and won) in pipeline order.
        forecasts: Each stage's forecast category.
        probabilities: Each stage's probability (``None`` when it has none).
    """

    name: str
    stages: tuple[str, ...]
    bits: Mapping[str, int]
    outcomes: Mapping[str, str]
    forward: tuple[str, ...]
    forecasts: Mapping[str, str]
    probabilities: Mapping[str, Decimal | None]

    def having(self, *outcomes: str) -> frozenset[str]:
        """The names of the stages with one of ``outcomes``."""
        return frozenset(s for s in self.stages if self.outcomes[s] in outcomes)


@functools.lru_cache(maxsize=32)
def outline(spec: PipelineSpec) -> Outline:
    """The :class:`Outline` of ``spec`` (cached: metrics are called again and again)."""
    names = tuple(s.name for s in spec.stages)
    return Outline(
        name=spec.name,
        stages=names,
        bits={name: 1 << position for position, name in enumerate(names)},
        outcomes={s.name: str(s.outcome) for s in spec.stages},
        forward=spec.forward_stages,
        forecasts={s.name: str(s.forecast) for s in spec.stages},
        probabilities={s.name: s.probability for s in spec.stages},
    )


def walk(contact: Contact, plan: Outline) -> int:
    """The mask of the stages ``contact`` was ever in, after checking its history.

    The stages reached are the contact's current stage and the source and target of
    every change.

    Raises:
        InvalidHistory: The history does not agree with the contact (see the module).
    """
    bits = plan.bits
    history = contact.history
    stage = contact.stage
    if not history:
        mask = bits.get(stage)
        if mask is None:
            raise _broken(contact, plan)
        return mask
    first = history[0]
    stage = first.source
    moment = contact.created_at or first.at
    try:
        mask = bits[stage]
        for change in history:
            if change.source != stage or change.at < moment:
                raise _broken(contact, plan)
            stage = change.target
            moment = change.at
            mask |= bits[stage]
    except KeyError:
        raise _broken(contact, plan) from None
    if stage != contact.stage:
        raise _broken(contact, plan)
    return mask


def _broken(contact: Contact, plan: Outline) -> InvalidHistory:
    """The error for a history :func:`walk` refused, naming the contact and the change."""
    message, index = _first_problem(contact, plan)
    return InvalidHistory(escape_text(f"contact {contact.id!r}: {message}"), index)


def _first_problem(contact: Contact, plan: Outline) -> tuple[str, int | None]:
    stages = ", ".join(plan.stages)
    history = contact.history
    previous = contact.created_at if history else None
    stage = history[0].source if history else contact.stage
    for index, change in enumerate(history):
        where = f"history[{index}] ({change.event}: {change.source} → {change.target})"
        for name in (change.source, change.target):
            if name not in plan.bits:
                return f"{where} names {name!r}, not a stage of {plan.name}: {stages}", index
        if change.source != stage:
            return f"{where} starts in {change.source!r}, not {stage!r}", index
        if previous is not None and change.at < previous:
            before = "the change preceding it" if index else "the contact's created_at"
            return f"{where} is dated before {before}", index
        stage, previous = change.target, change.at
    if stage != contact.stage:
        return f"the history ends in {stage!r} but the contact is in {str(contact.stage)!r}", None
    return f"the contact is in {str(contact.stage)!r}, not a stage of {plan.name}: {stages}", None


class Reading:
    """One pass over the contacts: each checked and walked, refused or skipped if invalid.

    Iterating gives ``(contact, mask)`` pairs (see :func:`walk`); :attr:`skipped` counts the
    contacts left out because their history contradicts their stage, which happens only
    with ``skip_invalid=True`` (otherwise the first one raises).

    Attributes:
        plan: The spec's :class:`Outline`.
        skipped: Contacts skipped so far.
    """

    __slots__ = ("_contacts", "_skip", "plan", "skipped")

    def __init__(self, contacts: Iterable[Contact], spec: object, *, skip_invalid: object) -> None:
        if type(skip_invalid) is not bool:
            raise FieldTypeError("skip_invalid", f"expected a bool, got {got(skip_invalid)}")
        self.plan = outline(check_spec(spec))
        self._contacts = each_contact(contacts)
        self._skip = skip_invalid
        self.skipped = 0

    def __iter__(self) -> Iterator[tuple[Contact, int]]:
        plan = self.plan
        for contact in self._contacts:
            try:
                mask = walk(contact, plan)
            except InvalidHistory:
                if not self._skip:
                    raise
                self.skipped += 1
                continue
            yield contact, mask
