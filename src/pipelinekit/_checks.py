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
            problem = f"expected str, got {got(value)}"
            raise FieldTypeError(attribute.name, mask_text(problem, attribute.name, value))
        if len(value) > self.max_length or self.pattern.fullmatch(value) is None:
            # Personal data: a nearly valid address is shown masked, as reprs show it.
            problem = f"not a valid {self.what}: {describe(value)}"
            raise FieldValueError(attribute.name, mask_text(problem, attribute.name, value))

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
            # A nested mapping may hold personal data ({'mobile': ...}): masked as
            # every message that shows a value is.
            problem = f"expected str, bool, int or float, got {got(item)}"
            raise FieldTypeError(f"facts.{key}", mask_text(problem, key))
        if isinstance(item, float) and not math.isfinite(item):
            raise FieldValueError(f"facts.{key}", f"must be finite, got {item!r}")
    return MappingProxyType(dict(value))  # a private copy: callers cannot mutate it later


_EMPTY_FACTS: Final[Mapping[str, FactValue]] = MappingProxyType({})


def mask_email(value: str | None) -> str:
    """An email address as logs may show it: first letter and domain (``'j***@acme.example'``).

    >>> mask_email("jane@acme.example"), mask_email("@@jane@acme.example")
    ("'j***@acme.example'", "'@***@acme.example'")
    """
    return "None" if value is None else repr(_masked_email(value))


def mask_phone(value: str | int | None) -> str:
    """A phone number as logs may show it: its last two digits (``'***42'``)."""
    return "None" if value is None else repr(_masked_phone(value))


def _masked_email(value: str) -> str:
    local, at, domain = value.rpartition("@")  # the last "@": what follows is the domain
    if not at:
        return f"{value[:1]}***"
    return f"{local[:1]}***@{domain}"


def _masked_phone(value: str | int) -> str:
    digits = [c for c in str(value) if "0" <= c <= "9"]
    return "***" + "".join(digits[-2:])


# --- personal data: the one masking rule -----------------------------------------------
# Entity errors (the email and phone validators), SchemaError messages (from_dict) and
# verdict reasons (qualifiers.leaves.mask_personal) all mask with ``mask_text``: by the
# field's name (the last path segment) and by the shape of the value, wherever it sits.

#: A field named like this holds personal data, whatever its value looks like.
_PERSONAL_NAME: Final = re.compile(r"(?i)e_?mail|phone|mobile|fax|^(?:tel|cell)$")
#: Text shaped like an email address: a word with an ``@`` in it (nearly valid ones too).
_EMAIL_SHAPE: Final = re.compile(r"""[^\s'"<>(),;:\[\]{}@]*@[^\s'"<>(),;:\[\]{}]*""")
#: Text shaped like a phone number: at least 7 digits with phone separators.
_PHONE_SHAPE: Final = re.compile(
    r"\s*\+?\(?[0-9][0-9 ()./\-]*[0-9](?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?\s*", re.IGNORECASE
)
#: Text shaped like a date, not a phone: year first (``2026-11-22``, ``2026-1-5``,
#: ``2026/11/22``, ``2026.11.22``, with or without what follows, such as a time) or a whole
#: text that is a date with the year last (``22.11.2026``, ``1/5/2026``).
_DATE_SHAPE: Final = re.compile(
    r"\s*(?:[0-9]{4}([-/.])[0-9]{1,2}\1[0-9]{1,2}(?![0-9])"
    r"|[0-9]{1,2}([-/.])[0-9]{1,2}\2[0-9]{4}\s*$)"
)
_MIN_PHONE_DIGITS: Final = 7
_DIGITS: Final = "0123456789"
#: A quoted string in a message (a ``repr``): its content is checked for a phone's shape.
_QUOTED: Final = re.compile(r"'((?:[^'\\]|\\.){1,80})'" r'|"((?:[^"\\]|\\.){1,80})"')
#: ``phone: 4915...`` / ``'mobile': '+49...'`` inside a rendered mapping or message.
_NAMED_VALUE: Final = re.compile(
    r"""(?i)(\b\w*(?:phone|mobile|fax|e_?mail)\w*['"]?\s*[:=]\s*)"""
    r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[+(]?[0-9][0-9 ()./\-]*[0-9])"""
)
_DIGIT_RUN: Final = re.compile(r"[+(]?[0-9][0-9 ()./\-]{1,40}[0-9]")


def _may_name_personal(text: str) -> bool:
    """Whether ``_NAMED_VALUE`` may match ``text`` (a cheap test run before that regex).

    The regex's word prefix (any letters before the word) backtracks at every word of the
    text, which made it the costliest step of explaining a verdict. Every match contains
    one of these words; ``(?i)`` also matches "i" with the two Turkish i's, which
    ``str.lower`` keeps apart (tests/test_personal_data.py checks the rule over all of
    Unicode).
    """
    lowered = text.lower()
    return (
        "phone" in lowered
        or "mobile" in lowered
        or "fax" in lowered
        or "mail" in lowered
        or "\u0130" in text
        or "\u0131" in text
    )


def is_personal_name(name: str) -> bool:
    """Whether a field called ``name`` holds personal data (``email``, ``work_phone``...).

    >>> is_personal_name("email"), is_personal_name("home_phone"), is_personal_name("name")
    (True, True, False)
    """
    return _PERSONAL_NAME.search(name) is not None


def looks_like_phone(text: str) -> bool:
    """Whether ``text`` has a phone number's shape: 7 digits or more with phone separators.

    Dates are not phones, in the shapes people write them (``2026-1-05``, ``22.11.2026``).

    >>> looks_like_phone("+49 151 1234567"), looks_like_phone("2026-11-22"), looks_like_phone("12")
    (True, False, False)
    >>> looks_like_phone("2026-1-01"), looks_like_phone("22.11.2026")
    (False, False)
    >>> looks_like_phone("030 1234-5678")
    True
    """
    return (
        len(text) <= 60
        and _PHONE_SHAPE.fullmatch(text) is not None
        and sum("0" <= c <= "9" for c in text) >= _MIN_PHONE_DIGITS
        and _DATE_SHAPE.match(text) is None
    )


def personal_mask(value: object, name: str = "") -> str | None:
    """The masked form of ``value`` if it is personal data (by ``name`` or shape), else ``None``.

    >>> personal_mask("jane@acme.example"), personal_mask(4915112345678, "phone")
    ('j***@acme.example', '***78')
    >>> personal_mask("software", "industry") is None
    True
    """
    named = bool(name) and is_personal_name(name)
    if type(value) is int or type(value) is str:
        text = str(value)
        if "@" in text and (named or text.strip().strip("@")):
            return _masked_email(text.strip())
        if named and "mail" in name.lower():
            return _masked_email(text.strip())
        if named or looks_like_phone(text):
            return _masked_phone(value)
    return None


def masked_error(error: SchemaError) -> SchemaError:
    """``error`` with personal data masked in its problem, as every reader reports it.

    The path's last name says which field the problem is about (``$.contacts[0].email``:
    ``email``), as :func:`mask_text` needs.
    """
    segments = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", error.path)
    masked = mask_text(error.problem, segments[-1] if segments else "")
    return error if masked == error.problem else SchemaError(error.path, masked)


def mask_text(text: str, name: str = "", value: object = None) -> str:
    """``text`` with personal data masked: ``value`` (if personal) and anything shaped like it.

    ``name`` is the field (or last path segment) the text is about. Without ``value``
    (a message about a personal field: ``email``, ``phone``...) every quoted value and
    digit run in ``text`` is masked. Emails are masked anywhere; phone numbers where
    quoted or named (``'phone': 4915...``).

    >>> mask_text("email: not a valid email address: 'jane.roe@acme.example '")
    "email: not a valid email address: 'j***@acme.example '"
    >>> mask_text("{'name': 'Jo', 'phone': 4915112345678}")
    "{'name': 'Jo', 'phone': '***78'}"
    """
    masked = personal_mask(value, name)
    if masked is not None:
        raw = str(value)
        if type(value) is int:
            text = re.sub(rf"(?<![0-9]){raw}(?![0-9])", masked, text)
        else:
            text = text.replace(repr(raw), repr(masked))
            if len(raw.strip()) >= 4:
                text = text.replace(raw.strip(), masked)
    if "@" in text:
        text = _EMAIL_SHAPE.sub(_mask_email_shape, text)
    # Without the value (a message about a field), every value quoted in it is the field's.
    named = value is None and bool(name) and is_personal_name(name)
    # A quoted value is masked when named, or when phone-shaped (seven digits or more, so
    # the whole text has them): explanations of other fields skip the callback per quote.
    if named or sum(map(text.count, _DIGITS)) >= _MIN_PHONE_DIGITS:
        text = _QUOTED.sub(lambda m: _mask_quoted(m, named=named), text)
    if named:
        text = _DIGIT_RUN.sub(
            lambda m: _masked_phone(m.group()) if len(m.group()) >= 3 else m.group(), text
        )
    if not _may_name_personal(text):
        return text
    return _NAMED_VALUE.sub(_mask_named, text)


def _mask_email_shape(match: re.Match[str]) -> str:
    found = match.group()
    if "***" in found or not found.strip("@"):  # already masked, or a lone "@"
        return found
    return _masked_email(found)


def _mask_quoted(match: re.Match[str], *, named: bool) -> str:
    content = match.group(1) if match.group(1) is not None else match.group(2)
    if "***" in content:  # already masked
        return match.group()
    if named or looks_like_phone(content):
        quote = match.group()[0]
        return f"{quote}{_masked_phone(content)}{quote}"
    return match.group()


def _mask_named(match: re.Match[str]) -> str:
    prefix, shown = match.group(1), match.group(2)
    if "***" in shown:
        return match.group()
    if "mail" in prefix.lower():
        return prefix + repr(_masked_email(shown.strip("'\"")))
    return prefix + repr(_masked_phone(shown))


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


#: Decimal text: ASCII digits, an optional sign, decimal point and exponent (as Money's).
DECIMAL_TEXT: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?", re.ASCII)


def to_probability(field: str, value: object) -> Decimal | None:
    """A probability from 0 to 1: a ``Decimal``, or a ``str`` or ``int`` giving one.

    ``None`` stays ``None``; a ``float`` or ``bool`` is refused (a float is not exact).
    Text is plain ASCII decimal notation, as for Money amounts: digits with an optional
    sign, decimal point and exponent; no spaces, ``_`` separators or non-ASCII digits
    (which ``Decimal()`` alone would accept).

    >>> to_probability("probability", "0.4")
    Decimal('0.4')
    >>> to_probability("probability", " 0.5 ")
    Traceback (most recent call last):
    ...
    pipelinekit.errors.FieldValueError: probability: not a decimal number: ' 0.5 ' (write ...
    """
    if value is None or type(value) is Decimal:
        probability = value
    elif type(value) is int:
        probability = Decimal(value)
    elif type(value) is str:
        if DECIMAL_TEXT.fullmatch(value) is None:
            raise FieldValueError(
                field,
                f"not a decimal number: {describe(value)} (write ASCII digits with an optional"
                " decimal point, as in '0.25')",
            )
        try:
            probability = Decimal(value)
        except ArithmeticError:  # an exponent beyond what decimal can hold
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
