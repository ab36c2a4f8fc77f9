"""Field validators and converters shared by the value objects and entities.

Validators are small callable classes (as in attrs) so that their ``repr`` says what
they check, and they raise :class:`~pipelinekit.errors.FieldTypeError` /
:class:`~pipelinekit.errors.FieldValueError` naming the field.
"""

from __future__ import annotations

import functools
import math
import re
import reprlib
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, TypeVar, cast

import attrs

from pipelinekit.errors import FieldTypeError, FieldValueError, SchemaError

T = TypeVar("T")

#: Values allowed in ``Contact.facts``: exactly the JSON scalars, so facts round-trip.
FactValue = str | bool | int | float

_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_PHONE: Final = re.compile(r"\+?\(?[0-9][0-9 ()./\-]{3,30}(\s*(x|ext\.?)\s*[0-9]{1,6})?")


def type_name(value: object) -> str:
    """Name the type of ``value`` the way error messages do."""
    return "None" if value is None else type(value).__name__


class _BoundedRepr(reprlib.Repr):
    """``reprlib.Repr`` that also bounds huge ints (``repr`` of one can raise)."""

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 128:  # about 39 digits: longer is cut anyway
            return f"<int of about {int(x.bit_length() * 0.30103) + 1} digits>"
        return super().repr_int(x, level)


@functools.cache
def _bounded_repr(limit: int) -> _BoundedRepr:
    bounded = _BoundedRepr()
    bounded.maxlevel = 3
    bounded.maxlist = bounded.maxtuple = bounded.maxdict = 6
    bounded.maxset = bounded.maxfrozenset = bounded.maxdeque = bounded.maxarray = 6
    bounded.maxstring = bounded.maxother = bounded.maxlong = max(limit, 8)
    return bounded


def describe(value: object, limit: int = 40) -> str:
    """A short ``repr`` of ``value`` for error messages (long values are cut).

    Bounded in time and size whatever ``value`` is (deeply nested or huge JSON, a huge
    ``int``), and never raises: an object whose ``repr`` fails is named by its type.

    >>> describe("x" * 100)
    "'xxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxx'"
    """
    try:
        text = _bounded_repr(limit).repr(value)
    except Exception:  # a broken __repr__ must not hide the real error
        text = f"<{type_name(value)} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: Quoted keys longer than this are cut in a path (the path names a place, not the data).
_PATH_KEY_LIMIT: Final = 40


def path_key(key: object) -> str:
    """The JSON-path step of a mapping key: ``.name`` for an identifier, ``["a b"]`` otherwise.

    Every error path pipelinekit writes (``$.account.employees``, ``$.facts["a b"]``,
    ``$.guards[3]``) spells its keys with this one rule: identifiers (at most 64
    characters, ASCII) after a dot, other text as a JSON string in brackets (cut after
    40 characters), anything else by its short ``repr``.

    >>> path_key("employees"), path_key("a b"), path_key(3)
    ('.employees', '["a b"]', '[3]')
    """
    if type(key) is str:
        if IDENTIFIER.fullmatch(key):
            return f".{key}"
        if len(key) > _PATH_KEY_LIMIT:
            key = key[:_PATH_KEY_LIMIT] + "..."
        return f"[{_json_string(key)}]"
    return f"[{describe(key)}]"


def _json_string(text: str) -> str:
    """``text`` as a JSON string literal (only error paths need it: json is loaded late)."""
    import json  # noqa: PLC0415  # not needed at import; keeps `import pipelinekit` light

    return json.dumps(text)


def got(value: object) -> str:
    """What an error message says was given: ``"None"`` or ``"int 1"``.

    >>> got(None), got(1), got("x")
    ('None', 'int 1', "str 'x'")
    """
    return "None" if value is None else f"{type_name(value)} {describe(value)}"


@attrs.frozen(repr=False)
class InstanceOf:
    """Check ``isinstance(value, types)``; ``bool`` only passes where it is listed."""

    types: tuple[type, ...]
    optional: bool = False
    label: str = ""

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            if self.optional:
                return
        # Exactly a listed type is the common case and needs no bool check.
        elif type(value) in self.types or (
            isinstance(value, self.types) and (type(value) is not bool or bool in self.types)
        ):
            return
        expected = self.label or " or ".join(t.__name__ for t in self.types)
        raise FieldTypeError(attribute.name, f"expected {expected}, got {got(value)}")

    def __repr__(self) -> str:
        names = " | ".join(t.__name__ for t in self.types)
        return f"<instance_of {names}{' | None' if self.optional else ''}>"


def instance_of(*types: type, optional: bool = False, label: str = "") -> InstanceOf:
    """Build an :class:`InstanceOf` validator."""
    return InstanceOf(types, optional, label)


@attrs.frozen(repr=False)
class NonBlank:
    """A ``str`` that is not empty or only whitespace (optionally ``None`` instead).

    The one rule for optional text, in every entity and in the lifecycle's ``by`` and
    ``reason``: ``optional=True`` means an unknown value is ``None``, never ``""`` or
    ``"  "`` (an untouched form field is refused, not stored as an answer).
    """

    optional: bool = False

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        check_text(attribute.name, value, optional=self.optional)

    def __repr__(self) -> str:
        return f"<non-blank str{' | None' if self.optional else ''}>"


def check_text(name: str, value: object, *, optional: bool = True) -> None:
    """Refuse anything but non-blank text (or ``None`` when ``optional``), naming ``name``.

    >>> check_text("by", "  ")
    Traceback (most recent call last):
    ...
    pipelinekit.errors.FieldValueError: by: must not be blank; use None when it is unknown
    """
    if type(value) is not str and not isinstance(value, str):
        if value is None and optional:
            return
        raise FieldTypeError(name, f"expected str, got {got(value)}")
    if not value or value.isspace():
        hint = "; use None when it is unknown" if optional else ""
        raise FieldValueError(name, f"must not be blank{hint}")


non_blank: Final = NonBlank()
optional_non_blank: Final = NonBlank(optional=True)


@attrs.frozen(repr=False)
class IntInRange:
    """An optional ``int`` (not ``bool``) within ``[low, high]``."""

    low: int
    high: int | None = None
    optional: bool = True

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and self.optional:
            return
        if type(value) is not int:
            raise FieldTypeError(attribute.name, f"expected int, got {got(value)}")
        if value < self.low:
            raise FieldValueError(attribute.name, f"must be >= {self.low}, got {value}")
        if self.high is not None and value > self.high:
            raise FieldValueError(attribute.name, f"must be <= {self.high}, got {value}")

    def __repr__(self) -> str:
        return f"<int in [{self.low}, {self.high}]>"


@attrs.frozen(repr=False)
class Matches:
    """An optional ``str`` matching a regular expression (email, phone)."""

    pattern: re.Pattern[str]
    what: str
    max_length: int = 254

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            raise FieldTypeError(attribute.name, f"expected str, got {got(value)}")
        if len(value) > self.max_length or self.pattern.fullmatch(value) is None:
            raise FieldValueError(attribute.name, f"not a valid {self.what}: {describe(value)}")

    def __repr__(self) -> str:
        return f"<{self.what}>"


email: Final = Matches(_EMAIL, "email address")
phone: Final = Matches(_PHONE, "phone number", 40)


@attrs.frozen(repr=False)
class AwareDatetime:
    """A timezone-aware ``datetime`` (naive datetimes are ambiguous and refused)."""

    optional: bool = False

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and self.optional:
            return
        if not isinstance(value, datetime):
            raise FieldTypeError(attribute.name, f"expected datetime, got {got(value)}")
        if value.utcoffset() is None:
            raise FieldValueError(
                attribute.name, f"datetime must be timezone-aware, got naive {value.isoformat()}"
            )

    def __repr__(self) -> str:
        return "<aware datetime>"


@attrs.frozen(repr=False)
class PlainDate:
    """An optional ``date`` that is not a ``datetime`` (dates and instants differ)."""

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        if not isinstance(value, date) or isinstance(value, datetime):
            raise FieldTypeError(attribute.name, f"expected date, got {got(value)}")

    def __repr__(self) -> str:
        return "<date>"


def require_aware(name: str, value: object) -> datetime:
    """Return ``value`` if it is an aware ``datetime``; raise a field error otherwise."""
    if not isinstance(value, datetime):
        raise FieldTypeError(name, f"expected datetime, got {got(value)}")
    if value.utcoffset() is None:
        raise FieldValueError(name, f"datetime must be timezone-aware, got naive {value}")
    return value


def as_tuple(name: str, value: Iterable[T], item_type: type[T]) -> tuple[T, ...]:
    """Convert a list, tuple or other ordered iterable to a tuple, checking every item's type.

    A ``str`` or a mapping is refused: both are iterable, but never what was meant. A set
    has no order of its own, so a set of ``str`` is sorted (equal sets give equal tuples
    in every run); a set of anything else is refused.
    """
    if type(value) is tuple:
        items: tuple[Any, ...] = value
    elif not_text(value, "") or isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise FieldTypeError(
            name, f"expected a tuple or list of {item_type.__name__}, got {got(value)}"
        )
    elif isinstance(value, AbstractSet):
        if item_type is not str:
            raise FieldTypeError(
                name,
                f"a set has no order; pass a tuple or list of {item_type.__name__},"
                f" got {got(value)}",
            )
        items = tuple(value)
        if all(isinstance(item, str) for item in items):
            items = tuple(sorted(items))
    else:
        items = tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, item_type) or (type(item) is bool and item_type is not bool):
            raise FieldTypeError(
                f"{name}[{index}]", f"expected {item_type.__name__}, got {got(item)}"
            )
    return items


def as_facts(value: Mapping[str, FactValue]) -> Mapping[str, FactValue]:
    """Validate custom facts and freeze them in a read-only mapping.

    Keys are identifiers (they appear in qualifier paths such as ``facts.metrics``);
    values are JSON scalars (``str``, ``bool``, ``int``, finite ``float``).
    """
    if not isinstance(value, Mapping):
        raise FieldTypeError("facts", f"expected a mapping, got {got(value)}")
    if not value:
        return _EMPTY_FACTS
    # Typed as Mapping[str, FactValue], but callers (JSON, user code) may pass anything.
    untrusted = cast("Mapping[object, object]", value)
    for key, item in untrusted.items():
        if not isinstance(key, str) or IDENTIFIER.fullmatch(key) is None:
            raise FieldValueError(
                "facts",
                f"key {describe(key)} is not an identifier (letters, digits, _; starts"
                " with a letter; at most 64 characters)",
            )
        if not isinstance(item, str | bool | int | float):
            raise FieldTypeError(
                f"facts.{key}",
                f"expected str, bool, int or float, got {got(item)}",
            )
        if isinstance(item, float) and not math.isfinite(item):
            raise FieldValueError(f"facts.{key}", f"must be finite, got {item!r}")
    return MappingProxyType(dict(value))  # a private copy: callers cannot mutate it later


_EMPTY_FACTS: Final[Mapping[str, FactValue]] = MappingProxyType({})


def mask_email(value: str | None) -> str:
    """An email address as logs may show it: first letter and domain (``'j***@acme.example'``)."""
    if value is None:
        return "None"
    local, _, domain = value.partition("@")
    return repr(f"{local[:1]}***@{domain}")


def mask_phone(value: str | None) -> str:
    """A phone number as logs may show it: its last two digits (``'***42'``)."""
    if value is None:
        return "None"
    digits = [c for c in value if c.isdigit()]
    return repr("***" + "".join(digits[-2:]))


#: The one rule for a *name*: stage, event and pipeline names, fact keys. A letter, then
#: letters, digits or ``_``; at most 64 characters. (Path segments are a rule of their
#: own, in ``qualifiers.paths``: attribute names of any length; a JSON path writes a key
#: in dot form by yet another rule, JSON's own keys. Neither means "a name we accept".)
IDENTIFIER: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")


def not_text(value: object, expected: str) -> str | None:
    """The problem when ``value`` is text given where a collection is expected, else ``None``.

    A ``str`` (or ``bytes``) is iterable letter by letter, so ``stages="ab"`` would
    silently mean ``["a", "b"]``; every parameter that takes a collection refuses it.
    Callers raise the error of their own layer with this message.

    >>> not_text("ab", "a list of stages")
    "expected a list of stages, got str 'ab' (a str is not a collection: wrap it, ['ab'])"
    >>> not_text(["ab"], "a list of stages") is None
    True
    """
    if not isinstance(value, str | bytes | bytearray):
        return None
    wrapped = f"[{describe(value)}]"
    return f"expected {expected}, got {got(value)} (a str is not a collection: wrap it, {wrapped})"


def to_probability(field: str, value: object) -> Decimal | None:
    """A probability from 0 to 1: a ``Decimal``, or a ``str`` or ``int`` giving one.

    ``None`` stays ``None``; a ``float`` or ``bool`` is refused (a float is not exact).

    >>> to_probability("probability", "0.4")
    Decimal('0.4')
    """
    if value is None or type(value) is Decimal:
        probability = value
    elif type(value) is str or type(value) is int:
        try:
            probability = Decimal(value)
        except ArithmeticError:
            raise FieldValueError(field, f"not a number: {describe(value)}") from None
    else:
        raise FieldTypeError(
            field, f"expected Decimal, str or int between 0 and 1, got {got(value)}"
        )
    # ``is_nan`` first: ordering a NaN raises InvalidOperation instead of answering.
    if probability is not None and (probability.is_nan() or not 0 <= probability <= 1):
        raise FieldValueError(field, f"must be between 0 and 1, got {probability}")
    return probability


#: The one rule for a segment of a field path (``account.employees``): an attribute or
#: key name, a letter then letters, digits or ``_``, of any length. The code generator
#: checks it again before writing a segment into source (defence in depth, same rule).
SEGMENT: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def check_schema_version(version: object, newest: int, path: str = "$.schema_version") -> None:
    """Refuse a ``schema_version`` this pipelinekit cannot read (not an int from 1 to ``newest``).

    The one version rule of every document reader (``pk.from_dict`` and
    ``PipelineSpec.from_dict``): ``True``, ``1.0``, ``"1"`` and ``None`` are refused.
    """
    if type(version) is not int or not 1 <= version <= newest:
        raise SchemaError(
            path,
            f"unsupported schema_version {describe(version)}; this pipelinekit reads 1 to {newest}",
        )
