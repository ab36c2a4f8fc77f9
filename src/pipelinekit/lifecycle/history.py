"""Stage history: recording changes and replaying them.

``Contact.history`` is append-only: every stage change adds one
:class:`~pipelinekit.StageChange` whose stage names are plain-string snapshots, so
renaming a stage later never rewrites what happened. :func:`replay` rebuilds the stage a
history leads to and checks it is consistent with the pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pipelinekit._checks import got
from pipelinekit._text import escape_text
from pipelinekit.entities import Contact, StageChange
from pipelinekit.errors import FieldTypeError, InvalidHistory
from pipelinekit.lifecycle._table import stage_value
from pipelinekit.lifecycle.spec import PipelineSpec

__all__ = ["replay"]


def _changes_of(subject: object) -> tuple[object, ...]:
    if isinstance(subject, Contact):
        return subject.history
    if isinstance(subject, Sequence) and not isinstance(subject, str):
        return tuple(subject)
    raise FieldTypeError(
        "subject",
        f"expected a Contact or a sequence of StageChange, got {got(subject)}",
    )


def replay(spec: PipelineSpec, subject: Contact | Sequence[StageChange]) -> str | None:
    """The stage a history leads to, after checking every change against ``spec``.

    Each change must be a transition of the spec (its event applies to its source and
    leads to its target), start where the previous change ended, and not be earlier than
    it. For a contact, the history must also end in the contact's stage (a contact
    without history must be in a stage of ``spec``), and the contact's version must count
    at least its changes: ``version >= len(history)``, not equal, since a CRM may bump
    the version for edits that are not stage changes.

    Args:
        spec: The pipeline the history was recorded under.
        subject: A contact, or its history (oldest first).

    Returns:
        The stage the history ends in, as ``Contact.stage`` holds it (a
        :class:`~pipelinekit.Stage` for default stages); the contact's stage for a
        contact without history; ``None`` for an empty sequence of changes.

    Raises:
        InvalidHistory: The first inconsistency, with the change's ``.index``.
        FieldTypeError: ``subject`` is neither a contact nor a sequence.
    """
    changes = _changes_of(subject)
    transitions = {t.event: t for t in spec.transitions}
    stage: str | None = None
    previous: datetime | None = None
    for index, change in enumerate(changes):
        if not isinstance(change, StageChange):
            raise _invalid(f"history[{index}] is not a StageChange: {change!r}", index)
        where = f"history[{index}] ({change.event}: {change.source} → {change.target})"
        if stage is not None and change.source != stage:
            raise _invalid(f"{where} starts in {change.source!r}, not {stage!r}", index)
        transition = transitions.get(change.event)
        if transition is None:
            raise _invalid(f"{where}: {change.event!r} is not an event of the pipeline", index)
        if change.source not in transition.sources or change.target != transition.target:
            raise _invalid(
                f"{where}: {change.event!r} moves {' | '.join(transition.sources)}"
                f" → {transition.target}",
                index,
            )
        if previous is not None and change.at < previous:
            raise _invalid(f"{where} is dated before the change preceding it", index)
        stage, previous = change.target, change.at
    if not isinstance(subject, Contact):
        return None if stage is None else stage_value(stage)
    if stage is None:
        stages = [s.name for s in spec.stages]
        if subject.stage not in stages:
            raise _invalid(
                f"the contact is in {str(subject.stage)!r}, which is not a stage of"
                f" {spec.name}: {', '.join(stages)}"
            )
        return subject.stage
    if stage != subject.stage:
        raise _invalid(f"the history ends in {stage!r} but the contact is in {subject.stage!r}")
    if subject.version < len(changes):
        raise _invalid(
            f"the contact's version {subject.version} counts fewer than its {len(changes)} changes"
        )
    return subject.stage


def _invalid(message: str, index: int | None = None) -> InvalidHistory:
    """An :class:`InvalidHistory` whose message shows control characters as escapes.

    Event and stage names in a history come from stored data: a newline in one must not
    forge a second line in a log.
    """
    return InvalidHistory(escape_text(message), index)
