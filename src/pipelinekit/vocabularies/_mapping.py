"""The two directions of a vocabulary, system by system, and the ready specs by system."""

from __future__ import annotations

import functools

from pipelinekit._checks import describe
from pipelinekit.errors import FieldValueError, InvalidPipeline
from pipelinekit.lifecycle import PipelineSpec
from pipelinekit.stages import did_you_mean
from pipelinekit.vocabularies._specs import spec_of
from pipelinekit.vocabularies._tables import tables_of
from pipelinekit.vocabularies._terms import (
    SYSTEM_NAMES,
    SYSTEMS,
    System,
    Vocabulary,
    find_term,
    text,
)

__all__ = ["from_pipelinekit", "ready_spec", "tables", "to_pipelinekit"]


def _check_system(system: object) -> System:
    name = text("system", system)
    if name not in SYSTEM_NAMES:
        raise FieldValueError(
            "system",
            f"{describe(name)} is not a supported system; systems: {', '.join(SYSTEMS)}"
            f"{did_you_mean(name, SYSTEMS)}",
        )
    return name  # type: ignore[return-value]  # one of SYSTEMS


def _chosen(system: System, vocabulary: object) -> tuple[Vocabulary, ...]:
    if vocabulary is None:
        return tables_of(system)
    name = text("vocabulary", vocabulary)
    for table in tables_of(system):
        if table.name == name:
            return (table,)
    names = [t.name for t in tables_of(system)]
    raise FieldValueError(
        "vocabulary",
        f"{describe(name)} is not a vocabulary of {SYSTEM_NAMES[system]}: {', '.join(names)}"
        f"{did_you_mean(name, names)}",
    )


def to_pipelinekit(system: System, value: str, *, vocabulary: str | None = None) -> str:
    """The stage of ``system``'s ready spec that a vendor value means.

    Args:
        system: The CRM (one of :data:`SYSTEMS`).
        value: The value as the vendor stores it: case and spelling count (``"Closed
            Won"``, ``"closedwon"``); a near miss is refused with the closest value.
        vocabulary: The vendor field to look in (a :attr:`Vocabulary.name`); by default
            every field of the system (their values never collide).

    A value that stands for several stages gives the first of them ("Closed - Converted"
    gives Salesforce's first deal stage); :func:`tables` lists every row and its note.

    >>> to_pipelinekit("hubspot", "salesqualifiedlead")
    'prospect'
    >>> to_pipelinekit("salesforce", "Closed won")
    Traceback (most recent call last):
    ...
    pipelinekit.errors.FieldValueError: value: 'Closed won' is not a value of Salesforce's \
Opportunity.StageName, Lead.Status: 'Prospecting', 'Qualification', \
'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', \
'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost', \
'Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', \
'Closed - Not Converted', 'Open', 'Contacted', 'Qualified', 'Unqualified'; \
did you mean 'Closed Won'?

    Raises:
        FieldTypeError: An argument is not a ``str``.
        FieldValueError: An unknown system, vocabulary or value (with the closest one).
    """
    known = _check_system(system)
    return find_term(_chosen(known, vocabulary), value).stage


def from_pipelinekit(system: System, stage: str, *, vocabulary: str | None = None) -> str:
    """The vendor value for a stage of ``system``'s ready spec.

    Args:
        system: The CRM (one of :data:`SYSTEMS`).
        stage: A stage name of :func:`ready_spec` of the system.
        vocabulary: The vendor field to write (a :attr:`Vocabulary.name`); by default the
            first of the system's fields that has a value for the stage, deal fields first
            (so a won contact gives HubSpot's ``"closedwon"``, not ``"customer"``).

    >>> from_pipelinekit("salesforce", "lead")
    'Open - Not Contacted'
    >>> from_pipelinekit("salesforce", "lead", vocabulary="lead_status_short")
    'Open'
    >>> from_pipelinekit("hubspot", "lost", vocabulary="lifecyclestage")
    Traceback (most recent call last):
    ...
    pipelinekit.errors.FieldValueError: stage: HubSpot's lifecyclestage has no value for \
stage 'lost': HubSpot has no lost lifecycle stage; a contact whose deal is lost keeps its \
lifecycle stage, and the deal's dealstage says closedlost

    Raises:
        FieldTypeError: An argument is not a ``str``.
        FieldValueError: An unknown system, vocabulary or stage (with the closest one), or
            a stage the chosen field has no value for (with where the vendor keeps it).
    """
    known = _check_system(system)
    if vocabulary is not None:
        return _chosen(known, vocabulary)[0].from_pipelinekit(stage)
    return _writes(known)[tables_of(known)[0].check_stage(stage)]


def ready_spec(system: System) -> PipelineSpec:
    """The ready :class:`~pipelinekit.PipelineSpec` of ``system``.

    Its stages are ``lead`` (and ``prospect`` where the vendor has a qualified lead), the
    vendor's open deal stages in order, ``customer`` (won), ``disqualified`` and ``lost``,
    labelled with the vendor's words. The events are the default pipeline's (``qualify``,
    ``convert``, ``win``, ``lose``, ``disqualify``, ``recycle``) plus ``move_to_<stage>``
    between open deal stages, either way, so guards written for the default pipeline
    apply.

    >>> [s.name for s in ready_spec("odoo").stages]
    ['lead', 'new', 'qualified', 'proposition', 'customer', 'disqualified', 'lost']
    """
    return spec_of(_check_system(system))


def tables(system: System) -> tuple[Vocabulary, ...]:
    """The vocabularies of ``system``, in the order :func:`from_pipelinekit` tries them."""
    return tables_of(_check_system(system))


@functools.cache
def _writes(system: System) -> dict[str, str]:
    """The value :func:`from_pipelinekit` gives for each stage: the first table's that has one."""
    writes: dict[str, str] = {}
    for table in reversed(tables_of(system)):
        writes.update({stage: term.value for term in table.terms for stage in term.stages})
    missing = [s.name for s in spec_of(system).stages if s.name not in writes]
    if missing:
        raise InvalidPipeline(f"{system}: no vocabulary writes {missing}")
    return writes
