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
  rows use NaN for missing numbers) and a not-a-time datetime such as pandas' ``NaT``.

The generated fast path (:mod:`pipelinekit._codegen`) follows exactly these rules.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from pipelinekit._checks import SEGMENT, describe
from pipelinekit.errors import QualifierError

__all__ = ["MAX_PATH_LENGTH", "is_absent", "parse_path", "read", "resolve"]

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
    """Whether ``value`` means "no value": ``None``, NaN, or a not-a-time (pandas ``NaT``).

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
