"""What the lifecycle returns: a step, a bulk result, a suggested next action.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import attrs

from pipelinekit.entities import Contact, StageChange
from pipelinekit.errors import FieldValueError, InvalidTransition
from pipelinekit.qualifiers import Outcome, Verdict

__all__ = ["BulkResult", "NextAction", "Step"]


@attrs.frozen
class Step:
    """The result of a successful ``Pipeline.advance``.

    Attributes:
        contact: The new contact: new stage, ``version`` counting the changes, history
            extended. The contact given to ``advance`` is unchanged.
        changes: The recorded stage changes, oldest first: one, or several when the
            skip policy passed through intermediate stages.
    """

    contact: Contact
    changes: tuple[StageChange, ...] = attrs.field()

    @changes.validator
    def _check_changes(self, _: object, changes: object) -> None:
        # A step records what an event did: at least one change (``change`` is the last).
        if isinstance(changes, tuple) and not changes:
            raise FieldValueError("changes", "a step records at least one change, got none")

    @property
    def change(self) -> StageChange:
        """The change made by the event that was fired (the last one)."""
        return self.changes[-1]


@attrs.frozen
class BulkResult:
    """The result of ``Pipeline.advance_many``: every input lands in exactly one group.

    Attributes:
        advanced: The steps of the contacts that moved, in input order.
        blocked: ``(contact, verdict)`` for each contact a guard did not let through.
        invalid: ``(contact, error)`` for each contact the event does not apply to.
    """

    advanced: tuple[Step, ...] = ()
    blocked: tuple[tuple[Contact, Verdict], ...] = ()
    invalid: tuple[tuple[Contact, InvalidTransition], ...] = ()

    @property
    def contacts(self) -> tuple[Contact, ...]:
        """The new contacts of the advanced steps, in input order."""
        return tuple(step.contact for step in self.advanced)

    def __len__(self) -> int:
        return len(self.advanced) + len(self.blocked) + len(self.invalid)

    def __repr__(self) -> str:
        return (
            f"BulkResult(advanced={len(self.advanced)}, blocked={len(self.blocked)},"
            f" invalid={len(self.invalid)})"
        )


@attrs.frozen
class NextAction:
    """What to do next with a contact, and why (``Pipeline.next_action``).

    Attributes:
        action: A short verb: the event to fire when its guard passes (``"qualify"``),
            ``"discover"`` when facts are missing, otherwise the stage's own action
            (``"nurture"``, ``"discovery"``, ``"close"``), or ``"none"`` at a final stage.
        event: The event the action works towards (``None`` at a final stage).
        reason: One line saying why.
        missing: The facts nobody recorded yet (``verdict.unknown_facts()``): for
            ``"discover"`` the ones to find out, otherwise the questions still open.
        verdict: The guard's verdict for ``event`` (``None`` at a final stage).
    """

    action: str
    event: str | None
    reason: str
    missing: tuple[str, ...] = ()
    verdict: Verdict | None = attrs.field(default=None, repr=False)

    @property
    def ready(self) -> bool:
        """Whether ``event`` can fire now."""
        return self.verdict is not None and self.verdict.outcome is Outcome.PASS

    def __str__(self) -> str:
        return f"{self.action}: {self.reason}"
