"""Dotted field paths: how a qualifier reads a fact from a subject.

A path such as ``"account.employees"`` is a sequence of *segments*. Each segment is an
identifier (letters, digits and ``_``, starting with a letter), so a path can never reach
private or dunder attributes. Reading a segment from an object works the same for attrs
objects, plain objects and mappings:

* ``None`` (or a missing attribute or key) anywhere along the path means *missing*;
* the names of mapping methods (``items``, ``keys``, ``values``, ``get``, ...) read the key
  of a mapping and the attribute of anything else;
* any other name reads the attribute when the object has one, else the key when the
  object is a mapping;
* a value that stands for "no value" is missing too: float and ``Decimal`` NaN (dataframe
  rows use NaN for missing numbers), a not-a-time datetime such as pandas' ``NaT``,
  pandas' ``NA`` and NumPy's not-a-number or not-a-time scalars.

NumPy and pandas are never imported: their values are recognised by their type's module
and name (``numpy.bool``, ``NAType``), and a NumPy scalar counts as the Python value its
``item()`` gives (:func:`python_scalar`).

The generated fast path (:mod:`pipelinekit._codegen`) follows exactly these rules.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import keyword
import types
import typing
from collections.abc import Collection, Mapping
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final

import attrs

from pipelinekit._checks import SEGMENT, describe
from pipelinekit.errors import QualifierError

__all__ = [
    "MAX_PATH_LENGTH",
    "check_paths",
    "is_absent",
    "parse_path",
    "python_scalar",
    "read",
    "resolve",
]

#: The longest path accepted, in characters.
MAX_PATH_LENGTH: Final = 200

#: Segments that would name a method on a mapping: on mappings they always read the key.
_MAPPING_TYPES: Final[tuple[type, ...]] = (dict, Mapping, type({}.keys()))
MAPPING_METHODS: Final = frozenset(
    name for cls in _MAPPING_TYPES for name in dir(cls) if not name.startswith("_")
) | frozenset({"fromkeys", "copy", "pop", "popitem", "setdefault", "update", "clear"})


_PLAIN_MAPPINGS: Final = frozenset({dict, MappingProxyType})
#: Types whose values are never a "no value" marker (checked first, to stay cheap).
NEVER_ABSENT: Final = frozenset({int, str, bool, date, tuple, list, dict, frozenset, set})


def parse_path(path: object) -> tuple[str, ...]:
    """Split and validate a dotted path; raise :class:`~pipelinekit.QualifierError` if bad.

    >>> parse_path("account.employees")
    ('account', 'employees')
    >>> parse_path("account.__class__")
    Traceback (most recent call last):
    ...
    pipelinekit.errors.QualifierError: bad path 'account.__class__': segment '__class__' ...
    """
    if not isinstance(path, str):
        raise QualifierError(f"a field path must be a str, got {describe(path)}")
    if len(path) > MAX_PATH_LENGTH:
        raise QualifierError(f"path longer than {MAX_PATH_LENGTH} characters: {describe(path)}")
    segments = tuple(path.split("."))
    for segment in segments:
        if SEGMENT.fullmatch(segment) is None:
            raise QualifierError(
                f"bad path {describe(path)}: segment {describe(segment)} is not an identifier "
                "(letters, digits and _, starting with a letter; no leading _)"
            )
    return segments


def is_plain_attribute(segment: str) -> bool:
    """Whether generated code may read ``segment`` as a plain ``obj.segment``."""
    return not keyword.iskeyword(segment) and segment not in MAPPING_METHODS


def read(obj: object, segment: str) -> object:  # noqa: PLR0911  # one return per rule
    """Read one segment from ``obj`` (``None`` when absent), by the rules above."""
    if obj is None:
        return None
    if type(obj) in _PLAIN_MAPPINGS:
        # Every public attribute of these is a mapping method: the key is always meant.
        return obj.get(segment)  # type: ignore[attr-defined]  # a dict or mappingproxy
    if segment in MAPPING_METHODS:
        if isinstance(obj, Mapping):
            return obj.get(segment)
        return getattr(obj, segment, None)
    try:
        return getattr(obj, segment)
    except AttributeError:
        if isinstance(obj, Mapping):
            return obj.get(segment)
        return None


def is_absent(value: object) -> bool:
    """Whether ``value`` means "no value": ``None``, NaN, a not-a-time (pandas ``NaT``), ``pd.NA``.

    >>> is_absent(float("nan")), is_absent(Decimal("NaN")), is_absent(0.0)
    (True, True, False)
    """
    if value is None:
        return True
    kind = type(value)
    if kind in NEVER_ABSENT:
        return False
    if kind is float or isinstance(value, float):
        return value != value  # noqa: PLR0124  # NaN test
    if isinstance(value, Decimal):
        return value.is_nan()
    if isinstance(value, datetime):
        return value != value  # noqa: PLR0124  # pandas NaT is unequal to itself
    return _foreign_absent(value)


def python_scalar(value: object) -> object:
    """A NumPy scalar as the Python ``bool``, ``int``, ``float`` or ``str`` it holds.

    Any other value is returned as it is.

    Duck-typed (NumPy is not imported): a value of a type from the ``numpy`` module whose
    ``item()`` gives one of those types. Other NumPy values (``datetime64``, whose
    ``item()`` may be an ``int`` of nanoseconds) are left as they are.

    >>> python_scalar(3), python_scalar("x")
    (3, 'x')
    """
    if type(value).__module__ != "numpy":
        return value
    item = getattr(value, "item", None)
    if item is None or type(value).__name__.startswith(("datetime64", "timedelta64")):
        return value
    try:
        scalar = item()
    except Exception:  # a foreign object's method: any failure means "leave it"
        return value
    return scalar if type(scalar) in (bool, int, float, str) else value


def _foreign_absent(value: object) -> bool:
    """Whether ``value`` is pandas' ``NA`` or NumPy's NaN / NaT (neither package imported)."""
    kind = type(value)
    module = kind.__module__
    if module.startswith("pandas"):
        return kind.__name__ == "NAType"
    if module == "numpy":
        try:
            return bool(value != value)  # noqa: PLR0124  # NaN and NaT are unequal to themselves
        except Exception:  # a foreign comparison: any failure means "present"
            return False
    return False


def resolve(subject: object, segments: tuple[str, ...]) -> object:
    """Follow ``segments`` from ``subject``; ``None`` means the fact is missing."""
    value = subject
    for segment in segments:
        value = read(value, segment)
        if value is None:
            return None
    if type(value) in NEVER_ABSENT or not is_absent(value):
        return value
    return None


# --- checking paths against a subject type ----------------------------------------------


#: Field kinds: the names and types of a structured type, or a marker.
_FREE: Final = "free"  # a mapping, ``Any``, an unknown class: any segment may be there
_COLLECTION: Final = "collection"


def check_paths(qualifier: object, subject_type: object) -> None:
    """Raise :class:`~pipelinekit.QualifierError` for a path that cannot exist on ``subject_type``.

    ``qualifier`` is read by duck typing (``subqualifiers()``, ``segments``, ``child``),
    so this module needs no import of the node classes. Paths are followed through attrs classes (and dataclasses) by their field names and
    the fields' annotated types (``Contact.account`` is an ``Account``); a collection
    path of :func:`~pipelinekit.any_item` / :func:`~pipelinekit.count_items` leads to
    its item type, where the inner qualifier's paths are checked. Mappings
    (``facts.<key>``), ``Any`` and classes without declared fields accept any segment.

    >>> import pipelinekit as pk
    >>> check_paths(pk.field("account.employees") >= 100, pk.Contact)
    >>> check_paths(pk.field("acount.employees") >= 100, pk.Contact)
    Traceback (most recent call last):
    ...
    pipelinekit.errors.QualifierError: path 'acount.employees' does not fit Contact: Contact has no field 'acount' (did you mean 'account'?)
    """  # noqa: E501  # the doctest's message is one line
    _check_node(qualifier, (subject_type,), "")


def _check_node(node: object, roots: tuple[object, ...], where: str) -> None:
    segments = getattr(node, "segments", None)
    subqualifiers = getattr(node, "subqualifiers", None)
    below: tuple[object, ...] = subqualifiers() if callable(subqualifiers) else ()
    if type(segments) is not tuple:  # a composite (or a qualifier of the caller's own)
        for child in below:
            _check_node(child, roots, where)
        return
    path = ".".join(segments)
    found = _follow(roots, segments, path, where)
    child = getattr(node, "child", None)
    if child is None or not below:
        return
    if found is None:  # the collection's item type is not known: the items may be anything
        return
    items: list[object] = []
    for option in found:
        kind = _kind(option)
        if kind == _FREE:
            return
        if kind != _COLLECTION:
            raise _mismatch(path, where, roots, f"{path} is {_type_text(option)}, not a collection")
        items.extend(_options(_item_type(option)))
    _check_node(child, tuple(items), f"{where}{path}[].")


def _follow(
    roots: tuple[object, ...], segments: tuple[str, ...], path: str, where: str
) -> tuple[object, ...] | None:
    """The possible types at the end of ``segments``, or ``None`` when anything may be there."""
    current = [option for root in roots for option in _options(root)]
    for index, segment in enumerate(segments):
        following: list[object] = []
        known: set[str] = set()
        for option in current:
            kind = _kind(option)
            if kind == _FREE:
                return None
            if kind == _COLLECTION:
                read = ".".join(segments[:index])
                raise _mismatch(
                    path,
                    where,
                    roots,
                    f"{read} is a collection: check its items with "
                    f"pk.any_item({read!r}, pk.field({'.'.join(segments[index:])!r}) ...)",
                )
            if kind is None:
                raise _mismatch(
                    path,
                    where,
                    roots,
                    f"{'.'.join(segments[:index])} is {_type_text(option)}, "
                    f"it has no field {segment!r}",
                )
            fields: Mapping[str, object] = kind  # type: ignore[assignment]  # the field table
            known.update(fields)
            if segment in fields:
                following.extend(_options(fields[segment]))
        if not following:
            owner = " or ".join(sorted({_type_text(o, article=False) for o in current}))
            close = difflib.get_close_matches(segment, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _mismatch(path, where, roots, f"{owner} has no field {segment!r}{hint}")
        current = following
    return tuple(current)


def _mismatch(path: str, where: str, roots: tuple[object, ...], problem: str) -> Exception:
    subject = " or ".join(sorted({_type_text(r, article=False) for r in roots}))
    return QualifierError(f"path {where + path!r} does not fit {subject}: {problem}")


def _options(annotation: object) -> list[object]:
    """The members of a union (``Account | None`` is ``[Account]``), else the type itself."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return [
            option
            for member in typing.get_args(annotation)
            if member is not type(None)
            for option in _options(member)
        ]
    return [annotation]


def _item_type(annotation: object) -> object:
    args = typing.get_args(annotation)
    return args[0] if args else Any


def _kind(annotation: object) -> Mapping[str, object] | str | None:  # noqa: PLR0911  # one per kind
    """The field table of a structured type; ``_FREE``, ``_COLLECTION``, or ``None`` (a scalar)."""
    origin = typing.get_origin(annotation) or annotation
    if not isinstance(origin, type) or origin is object:
        return _FREE  # Any, a TypeVar, an unresolved name: nothing to check against
    if issubclass(origin, Mapping):
        return _FREE
    if attrs.has(origin) or dataclasses.is_dataclass(origin):
        return _field_table(origin)
    if issubclass(origin, str | bytes):
        return None
    if issubclass(origin, Collection):
        return _COLLECTION
    if origin.__module__ in ("builtins", "datetime", "decimal") or issubclass(origin, int):
        return None
    return _FREE  # a class of the caller's own: its attributes are not declared to us


@functools.cache
def _field_table(cls: type) -> Mapping[str, object]:
    """Field names and types of an attrs class or dataclass, with its public properties."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # an annotation that does not resolve: names only, types unknown
        hints = {}
    names = (
        [a.name for a in attrs.fields(cls)]
        if attrs.has(cls)
        else [f.name for f in dataclasses.fields(cls)]
    )
    table: dict[str, object] = {name: hints.get(name, Any) for name in names}
    for name in dir(cls):
        prop = getattr(cls, name, None)
        if not name.startswith("_") and isinstance(prop, property) and prop.fget is not None:
            try:
                table[name] = typing.get_type_hints(prop.fget).get("return", Any)
            except Exception:  # an unresolvable return annotation: any type
                table[name] = Any
    return MappingProxyType(table)


def _type_text(annotation: object, *, article: bool = True) -> str:
    origin = typing.get_origin(annotation) or annotation
    name = getattr(origin, "__name__", str(origin))
    return f"a {name}" if article else name
