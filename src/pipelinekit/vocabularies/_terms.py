"""The shape of a vendor vocabulary: a table of :class:`Term` rows for one vendor field."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal, TypeAlias

import attrs

from pipelinekit._checks import describe, got
from pipelinekit.errors import FieldTypeError, FieldValueError, InvalidPipeline
from pipelinekit.lifecycle import PipelineSpec
from pipelinekit.stages import did_you_mean

__all__ = ["SYSTEMS", "SYSTEM_NAMES", "System", "Term", "Vocabulary", "find_term", "text"]

#: A CRM whose vocabulary pipelinekit knows.
System: TypeAlias = Literal["salesforce", "hubspot", "odoo", "frappe"]
#: Every :data:`System`.
SYSTEMS: Final[tuple[System, ...]] = ("salesforce", "hubspot", "odoo", "frappe")
#: How messages name each system.
SYSTEM_NAMES: Final[dict[str, str]] = {
    "salesforce": "Salesforce",
    "hubspot": "HubSpot",
    "odoo": "Odoo",
    "frappe": "Frappe CRM",
}


def text(field: str, value: object) -> str:
    """``value`` if it is a ``str``, else a :class:`~pipelinekit.FieldTypeError` naming it."""
    if not isinstance(value, str):
        raise FieldTypeError(field, f"expected str, got {got(value)}")
    return value


def _own_stage(term: Term) -> tuple[str, ...]:
    return (term.stage,)


@attrs.frozen(kw_only=True)
class Term:
    """One vendor value and the stage of the system's ready spec it means.

    Attributes:
        value: The value as the vendor stores it (the API value or internal id).
        label: The value as the vendor's screens show it by default.
        stage: What :func:`~pipelinekit.vocabularies.to_pipelinekit` gives for ``value``.
        stages: The stages :func:`~pipelinekit.vocabularies.from_pipelinekit` writes back
            as ``value`` in this vocabulary: ``(stage,)`` for a one-to-one row (the
            default), several for a value that stands for several stages, none for a value
            that never comes back (another value is its stage's canonical one).
        note: Why the row is lossy; every row that is not one-to-one has one.

    >>> from pipelinekit.vocabularies import Term
    >>> Term(value="Closed Won", label="Closed Won", stage="customer").round_trips
    True
    """

    value: str
    label: str
    stage: str
    stages: tuple[str, ...] = attrs.field(default=attrs.Factory(_own_stage, takes_self=True))
    note: str | None = None

    @property
    def round_trips(self) -> bool:
        """Whether writing back the stage read from ``value`` gives ``value`` again."""
        return self.stage in self.stages


@attrs.frozen(kw_only=True)
class Vocabulary:
    """The values of one vendor field that holds a stage, as a table with its source.

    Checked when built: no value is listed twice, no stage is written back by two rows
    (so writing back is a function), every row that is not one-to-one says why in its
    ``note``, and every stage a row names is a stage of ``spec``.

    Attributes:
        system: The CRM.
        name: The table's name among the system's (the ``vocabulary=`` of the functions).
        field: The vendor field whose values these are (``"Opportunity.StageName"``).
        source: The vendor page (or source file) the table follows.
        spec: The system's ready spec, whose stages the rows name.
        terms: The rows, in the vendor's order.
        gap: Where the vendor keeps the stages this field has no value for.
    """

    system: System
    name: str
    field: str
    source: str
    spec: PipelineSpec = attrs.field(repr=False)
    terms: tuple[Term, ...]
    gap: str

    def __attrs_post_init__(self) -> None:
        values = [t.value for t in self.terms]
        covered = [s for t in self.terms for s in t.stages]
        for what, items in (("value", values), ("written-back stage", covered)):
            twice = sorted({i for i in items if items.count(i) > 1})
            if twice:
                raise InvalidPipeline(f"vocabulary {self.name!r}: {what}s listed twice: {twice}")
        lossy = [t.value for t in self.terms if t.stages != (t.stage,) and t.note is None]
        if lossy:
            raise InvalidPipeline(f"vocabulary {self.name!r}: lossy rows without a note: {lossy}")
        names = {s.name for s in self.spec.stages}
        for term in self.terms:
            unknown = sorted({term.stage, *term.stages} - names)
            if unknown:
                raise InvalidPipeline(
                    f"vocabulary {self.name!r}: {term.value!r} names {unknown}, not stages of"
                    f" {self.spec.name}"
                )

    @property
    def values(self) -> tuple[str, ...]:
        """Every value of the field, in the vendor's order."""
        return tuple(t.value for t in self.terms)

    def term(self, value: str) -> Term:
        """The row of ``value`` (a :class:`~pipelinekit.FieldValueError` if none)."""
        return find_term((self,), value)

    def to_pipelinekit(self, value: str) -> str:
        """The stage ``value`` means (see :func:`~pipelinekit.vocabularies.to_pipelinekit`).

        >>> from pipelinekit import vocabularies
        >>> lifecycle = vocabularies.tables("hubspot")[1]
        >>> lifecycle.to_pipelinekit("marketingqualifiedlead")
        'lead'
        """
        return self.term(value).stage

    def from_pipelinekit(self, stage: str) -> str:
        """The value this field holds for ``stage`` of :attr:`spec`.

        Raises:
            FieldTypeError: ``stage`` is not a ``str``.
            FieldValueError: ``stage`` is not a stage of :attr:`spec` (with the closest
                one), or this field has no value for it (with where the vendor keeps it).
        """
        name = self.check_stage(stage)
        found = next((t for t in self.terms if name in t.stages), None)
        if found is None:
            raise FieldValueError(
                "stage",
                f"{SYSTEM_NAMES[self.system]}'s {self.field} has no value for stage {name!r}:"
                f" {self.gap}",
            )
        return found.value

    def check_stage(self, stage: object) -> str:
        """``stage`` if it names a stage of :attr:`spec`, else a clear error."""
        name = text("stage", stage)
        names = [s.name for s in self.spec.stages]
        if name not in names:
            raise FieldValueError(
                "stage",
                f"{describe(name)} is not a stage of the {SYSTEM_NAMES[self.system]} pipeline:"
                f" {', '.join(names)}{did_you_mean(name, names)}",
            )
        return name


def find_term(chosen: Iterable[Vocabulary], value: object) -> Term:
    """The row holding ``value`` in the first of ``chosen`` that has it, else a clear error."""
    found = text("value", value)
    chosen = tuple(chosen)
    for table in chosen:
        for term in table.terms:
            if term.value == found:
                return term
    values = [v for table in chosen for v in table.values]
    fields = ", ".join(dict.fromkeys(table.field for table in chosen))
    system = SYSTEM_NAMES[chosen[0].system]
    raise FieldValueError(
        "value",
        f"{describe(found)} is not a value of {system}'s {fields}:"
        f" {', '.join(map(repr, values))}{did_you_mean(found, values)}",
    )
