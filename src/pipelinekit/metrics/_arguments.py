"""The arguments every metric shares: the contacts, ``spec``, ``at``, durations and ``by=``.

Each check raises a pipelinekit error naming the argument, so a metric never lets an
``AttributeError`` or a raw ``TypeError`` reach its caller.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta

from pipelinekit._checks import describe, got, not_text, require_aware
from pipelinekit.entities import Contact
from pipelinekit.errors import FieldTypeError, FieldValueError, QualifierError
from pipelinekit.lifecycle import DEFAULT_SPEC, PipelineSpec
from pipelinekit.qualifiers import field
from pipelinekit.qualifiers.paths import check_paths, resolve

__all__ = [
    "Grouping",
    "check_at",
    "check_duration",
    "check_spec",
    "each_contact",
    "group_order",
    "heading",
    "labelled",
]


def check_spec(spec: object) -> PipelineSpec:
    """``spec``, or :data:`~pipelinekit.DEFAULT_SPEC` for ``None``."""
    if spec is None:
        return DEFAULT_SPEC
    if not isinstance(spec, PipelineSpec):
        raise FieldTypeError("spec", f"expected a PipelineSpec or None, got {got(spec)}")
    return spec


def check_at(value: object, name: str = "at") -> datetime:
    """A timezone-aware ``datetime`` (a naive one would compare with nothing)."""
    return require_aware(name, value)


def check_duration(name: str, value: object, *, zero: bool = True) -> timedelta:
    """A ``timedelta`` that is not negative (and not zero unless ``zero``)."""
    if not isinstance(value, timedelta):
        raise FieldTypeError(name, f"expected a timedelta, got {got(value)}")
    if value < timedelta(0) or (not zero and not value):
        bound = ">= 0" if zero else "> 0"
        raise FieldValueError(name, f"must be {bound}, got {value!r}")
    return value


def each_contact(contacts: Iterable[Contact]) -> Iterator[Contact]:
    """The contacts, one at a time (a generator is read once), each checked to be a Contact."""
    untrusted: object = contacts
    if isinstance(untrusted, Contact | Mapping):
        raise FieldTypeError("contacts", f"expected an iterable of Contact, got {got(untrusted)}")
    problem = not_text(untrusted, "an iterable of Contact")
    if problem is not None or not isinstance(untrusted, Iterable):
        raise FieldTypeError(
            "contacts", problem or f"expected an iterable of Contact, got {got(untrusted)}"
        )
    for index, contact in enumerate(contacts):
        if type(contact) is not Contact and not isinstance(contact, Contact):
            raise FieldTypeError(f"contacts[{index}]", f"expected a Contact, got {got(contact)}")
        yield contact


class Grouping:
    """The ``by=`` of a metric: the field path whose value names each contact's group.

    The path is read as :func:`pipelinekit.field` reads it (``"account.industry"``), so a
    missing value (``None`` anywhere along the path) is the ``None`` group; a path no
    Contact can have is refused when the metric is called.
    """

    __slots__ = ("path", "segments")

    def __init__(self, by: object) -> None:
        if not isinstance(by, str):
            raise FieldTypeError("by", f"expected a field path (str) or None, got {got(by)}")
        try:
            leaf = field(by).is_known()
            check_paths(leaf, Contact)
        except QualifierError as error:
            raise FieldValueError("by", str(error)) from None
        self.path = by
        self.segments = leaf.segments

    @classmethod
    def of(cls, by: object) -> Grouping | None:
        """The grouping for ``by``, or ``None`` when results are not broken down."""
        return None if by is None else cls(by)

    def key(self, contact: Contact) -> Hashable:
        """The group of ``contact`` (``None`` when the path is missing)."""
        value = resolve(contact, self.segments)
        try:
            hash(value)
        except TypeError:
            raise FieldTypeError(
                "by",
                f"{self.path!r} gives {describe(value)} for contact {contact.id!r}, which cannot"
                " name a group (use a path to a scalar value)",
            ) from None
        return value


def _sort_key(value: object) -> tuple[int, str, object]:
    return (1, "", "") if value is None else (0, type(value).__name__, value)


def group_order(keys: Iterable[Hashable]) -> list[Hashable]:
    """Groups in a stable order: by value (within a type), the ``None`` group last.

    Values no order compares are ordered by their ``repr``, so the order never depends
    on the order of the input.
    """
    found = list(keys)
    try:
        return sorted(found, key=_sort_key)
    except TypeError:
        return sorted(found, key=lambda v: (v is None, type(v).__name__, repr(v)))


def heading(columns: tuple[str, ...], grouping: Grouping | None) -> tuple[str, ...]:
    """A result's columns: ``"group"`` first when the result is broken down."""
    return ("group", *columns) if grouping else columns


def labelled(
    group: Hashable, row: Mapping[str, object], grouping: Grouping | None
) -> Mapping[str, object]:
    """``row`` with its ``"group"`` first when the result is broken down."""
    return {"group": group, **row} if grouping else row
