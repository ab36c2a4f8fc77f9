"""Leaf qualifiers: one check of the value at a field path.

Build them with :func:`pipelinekit.field` (``pk.field("budget") >= pk.Money(...)``). A
leaf whose path leads to ``None`` or to a missing attribute or key is UNKNOWN (except
:class:`IsKnown` / :class:`IsMissing`, which decide exactly that). A value that cannot be
compared with the criterion is also UNKNOWN, with the reason in
:attr:`Verdict.error <pipelinekit.Verdict.error>`, for every operator, ``==`` and ``!=``
included. One rule, :func:`kind_of`, says what is comparable: numbers with numbers
(``int``, ``float``, ``Decimal``; ``bool`` is not a number here), text with text
(``StrEnum`` members included), :class:`~pipelinekit.Money` with money of the same
currency, dates with dates, aware datetimes with aware datetimes, and any other value
only with values of its own type. So ``field("e") == 100`` is UNKNOWN on ``"100"``, and
``field("budget") != pk.Money("1", "EUR")`` is UNKNOWN on dollars.

.. versionadded:: 0.1.0
"""

# ruff: noqa: D102  # overrides are documented where Node declares them

from __future__ import annotations

import math
import numbers
import operator
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar, Final, Literal, NamedTuple, cast

import attrs

try:  # the private regex parser, to refuse patterns that backtrack exponentially
    from re import _parser as _sre_parser  # type: ignore[attr-defined]  # private, no stubs
except ImportError:  # pragma: no cover - another Python: a coarser check is used
    _sre_parser = None

from pipelinekit._checks import (  # mask_text: the one masking rule for personal data
    describe,
    got,
    mask_text,
    not_text,
    type_name,
)
from pipelinekit.errors import CurrencyMismatch, QualifierError
from pipelinekit.qualifiers.core import (
    FAIL,
    PASS,
    UNKNOWN,
    Node,
    format_delta,
    format_set,
    format_value,
    sorted_values,
)
from pipelinekit.qualifiers.paths import is_absent, parse_path, python_scalar, resolve
from pipelinekit.qualifiers.verdict import Outcome, Verdict, escape_text
from pipelinekit.qualifiers.visitors import register_kind
from pipelinekit.values import Money

__all__ = [
    "COMPARISONS",
    "Compare",
    "Contains",
    "IsEmpty",
    "IsIn",
    "IsKnown",
    "IsMissing",
    "IsNotEmpty",
    "Leaf",
    "Matches",
    "NotIn",
    "OlderThan",
    "TimeBound",
    "TimeRelative",
    "Within",
    "WithinLast",
    "WithinNext",
    "check_value",
    "contains",
    "is_bool",
    "kind_of",
    "sorted_values",
]

#: Errors that make a leaf UNKNOWN instead of propagating (``CurrencyMismatch`` is a ValueError).
CHECK_ERRORS: Final = (TypeError, ValueError, ArithmeticError)
#: The comparison operators, as written in infix form and in documents.
COMPARISONS: Final[Mapping[str, Callable[[Any, Any], Any]]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_OPPOSITE: Final = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
#: Longest text value or regular expression accepted.
MAX_TEXT: Final = 1000
#: Deepest nesting of groups in a ``matches`` pattern.
MAX_GROUP_NESTING: Final = 50
#: Most values in an ``is_in`` / ``not_in`` set.
MAX_VALUES: Final = 10_000
#: Most digits of an ``int`` criterion, and most significant digits of a ``Decimal`` one
#: (``Money`` bounds its own amounts).
MAX_DIGITS: Final = 100
_INT_BOUND: Final = 10**MAX_DIGITS  # ints have at most MAX_DIGITS digits, as Decimals


def check_value(value: object, what: str = "value") -> object:
    """Validate a criterion value: a JSON scalar, ``Decimal``, ``Money``, date or datetime.

    Enum members become their value (``pk.Role.CHAMPION`` is ``"champion"``), and NumPy
    scalars the Python value they hold (``np.float64(0.5)`` is ``0.5``), so a qualifier
    equals its own round trip through JSON.
    """
    value = python_scalar(value)
    if isinstance(value, Enum) and type(value.value) in (str, int):
        value = value.value
    if value is None:
        raise QualifierError(f"{what} must not be None: use is_missing() / is_known()")
    if type(value) is str:
        if len(value) > MAX_TEXT:
            raise QualifierError(f"{what} is longer than {MAX_TEXT} characters")
        return value
    if type(value) is int and not -_INT_BOUND < value < _INT_BOUND:
        # Refused here, not later: Python cannot even print an int over 4,300 digits.
        raise QualifierError(f"{what} has more than {MAX_DIGITS} digits")
    if type(value) in (bool, int, Money, date):
        return value
    if type(value) is float or type(value) is Decimal:
        if not _finite(value):
            raise QualifierError(f"{what} must be finite, got {value!r}")
        if type(value) is Decimal:
            _check_digits(value, what)
        return value
    if type(value) is datetime:
        if value.utcoffset() is None:
            raise QualifierError(
                f"{what}: datetime must be timezone-aware, got {value.isoformat()}"
            )
        return value
    raise QualifierError(
        f"{what} must be a str, int, float, bool, Decimal, Money, date or datetime, "
        f"got {got(value)}"
    )


def kind_of(value: object) -> Hashable:  # noqa: PLR0911, PLR0912  # one return per kind
    """What ``value`` can be compared with: two values are comparable when their kinds are equal.

    ``None`` for values that stand for "no value": float and ``Decimal`` NaN,
    not-a-time datetimes such as pandas' ``NaT`` (a datetime unequal to itself), and
    pandas' ``NA``. NumPy scalars have the kind of the Python value they hold.

    >>> kind_of(3) == kind_of(2.5) == kind_of(Decimal("1")), kind_of(True)
    (True, 'bool')
    >>> kind_of(Money("1", "EUR")) == kind_of(Money("1", "USD"))
    False
    >>> kind_of(float("nan")) is None
    True
    """
    kind = type(value)
    if kind is int:
        return "number"
    if kind is str:
        return "str"
    if kind is float:
        return "number" if value == value else None  # noqa: PLR0124  # NaN test
    if kind is bool:
        return "bool"
    if kind is date:
        return "date"
    if isinstance(value, Money):
        return ("money", value.currency)
    if isinstance(value, str):
        return "str"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, datetime):
        if value != value:  # noqa: PLR0124  # pandas NaT is unequal to itself
            return None
        return "datetime" if value.utcoffset() is not None else "naive datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, Decimal):
        return None if value.is_nan() else "number"
    scalar = python_scalar(value)  # NumPy's bool and numbers read as Python's
    if scalar is not value:
        return kind_of(scalar)
    if is_absent(value):  # pandas' NA, NumPy's NaT
        return None
    if isinstance(value, numbers.Real):
        return "number" if value == value else None  # noqa: PLR0124  # NaN test
    return cast("Hashable", kind)  # other values: only values of their own type


def _kind_text(value: object) -> str:
    value = python_scalar(value)
    if isinstance(value, Money):
        return f"money in {value.currency}"
    if isinstance(value, datetime) and value.utcoffset() is None:
        return "naive datetime"
    return type_name(value)


def _incomparable(value: object, criteria: Iterable[object]) -> Exception:
    expected = sorted({_kind_text(v) for v in criteria})
    text = f"{_kind_text(value)} is not comparable with {' or '.join(expected)}"
    if isinstance(value, Money) and all(isinstance(v, Money) for v in criteria):
        return CurrencyMismatch(text)
    return TypeError(text)


def _check_digits(value: Decimal, what: str) -> None:
    if len(value.as_tuple().digits) > MAX_DIGITS:
        raise QualifierError(f"{what} has more than {MAX_DIGITS} digits")


def _finite(value: float | Decimal) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return math.isfinite(value)


def is_bool(value: object) -> bool:
    """Whether ``value`` is a boolean (NumPy's included): never the same value as a number."""
    kind = type(value)
    if kind is bool:
        return True
    if kind is int or kind is float or kind is str:
        return False
    return kind_of(value) == "bool"


def value_key(value: object) -> tuple[bool, object]:
    """What two criterion values must share to be the same: ``True`` is not ``1`` here.

    >>> value_key(True) == value_key(1), value_key(1) == value_key(1.0)
    (False, True)
    """
    return (is_bool(value), value)


def mask_personal(segments: tuple[str, ...], value: object, text: str) -> str:
    """``text`` with personal data masked: ``value`` by its path or shape, and any look-alike.

    The one rule of ``_checks.mask_text`` (entity errors and SchemaError messages use it
    too), as :class:`~pipelinekit.Contact`'s ``repr`` masks; the outcome is unaffected.

    >>> mask_personal(("email",), "jane.doe@acme.example", "email 'jane.doe@acme.example' != 'x'")
    "email 'j***@acme.example' != 'x'"
    """
    return mask_text(text, segments[-1] if segments else "", value)


def _parsed(instance: Leaf, attribute: attrs.Attribute[str], value: object) -> None:
    object.__setattr__(instance, "_segments", parse_path(value))


@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class Leaf(Node):
    """A check of the value at ``path``."""

    path: str = attrs.field(validator=_parsed)
    _segments: tuple[str, ...] = attrs.field(init=False, default=(), eq=False, repr=False)

    @staticmethod
    def validate_path(path: object) -> None:
        """Raise :class:`~pipelinekit.QualifierError` unless ``path`` is a valid field path."""
        parse_path(path)

    @property
    def segments(self) -> tuple[str, ...]:
        """The path split at its dots."""
        return self._segments

    def test(self, value: object, at: datetime | None) -> bool:
        """Check a present value; may raise one of ``CHECK_ERRORS`` (then UNKNOWN)."""
        raise NotImplementedError

    def passed_text(self, value: object, at: datetime | None) -> str:
        """The reason when the check passes."""
        return f"{self.path} {format_value(value)}: {self.infix()}"

    def failed_text(self, value: object, at: datetime | None) -> str:
        """The reason when the check fails."""
        return f"{self.path} {format_value(value)}: not {self.infix()}"

    def outcome(self, subject: object, at: datetime | None) -> Outcome:
        value = resolve(subject, self._segments)
        if value is None:
            return UNKNOWN
        try:
            return PASS if self.test(value, at) else FAIL
        except CHECK_ERRORS:
            return UNKNOWN

    def explain(self, subject: object, at: datetime | None, prefix: str) -> Verdict:
        path = prefix + self.path
        value = resolve(subject, self._segments)
        if value is None:
            return self.leaf_verdict(UNKNOWN, f"{path} is missing", path, f"find out {path}")
        try:
            ok = self.test(value, at)
        except CHECK_ERRORS as error:
            problem = mask_personal(self._segments, value, f"{type(error).__name__}: {error}")
            reason = f"{path} {format_value(value)} cannot be checked ({problem})"
            return Verdict(
                outcome=UNKNOWN,
                label=self.label,
                name=self.name,
                reason=mask_personal(self._segments, value, reason),
                path=path,
                error=problem,
            )
        text = self.passed_text(value, at) if ok else self.failed_text(value, at)
        text = mask_personal(self._segments, value, text)
        if prefix:
            text = prefix + text
        return self.leaf_verdict(
            PASS if ok else FAIL, text, path, None if ok else self._cached()["infix"]
        )


def _check_op(instance: Compare, attribute: attrs.Attribute[str], value: object) -> None:
    if type(value) is not str or value not in COMPARISONS:  # a list is not even hashable
        raise QualifierError(
            f"unknown operator {describe(value)}; expected one of {', '.join(COMPARISONS)}"
        )


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class Compare(Leaf):
    """``path <op> value`` for one of ``== != < <= > >=``."""

    NODE_KIND: ClassVar[str] = "compare"

    op: str = attrs.field(validator=_check_op)
    value: object = attrs.field(converter=check_value, eq=value_key)

    @property
    def kind(self) -> Hashable:
        """The :func:`kind_of` the value: what a subject's value must be to be compared."""
        cache = self._cached()
        if "kind" not in cache:
            cache["kind"] = kind_of(self.value)
        return cache["kind"]  # type: ignore[no-any-return]  # a Hashable

    def test(self, value: object, at: datetime | None) -> bool:
        if kind_of(value) != self.kind:
            raise _incomparable(value, (self.value,))
        return bool(COMPARISONS[self.op](value, self.value))

    def infix(self) -> str:
        return f"{self.path} {self.op} {format_value(self.value)}"

    def build(self) -> str:
        return f"field({self.path!r}) {self.op} {self.value!r}"

    def infix_build(self) -> bool:
        return True

    def passed_text(self, value: object, at: datetime | None) -> str:
        return f"{self.path} {format_value(value)} {self.op} {self._value_text()}"

    def failed_text(self, value: object, at: datetime | None) -> str:
        return f"{self.path} {format_value(value)} {_OPPOSITE[self.op]} {self._value_text()}"

    def _value_text(self) -> str:
        cache = self._cached()
        text = cache.get("value")
        if text is None:
            text = cache["value"] = format_value(self.value)
        return text


class ValueSet(AbstractSet[object]):
    """The frozen set of an ``is_in`` / ``not_in`` criterion, keeping booleans apart from numbers.

    A ``frozenset`` holds ``True`` and ``1`` as one value; this set holds both, and
    ``1 in ValueSet([True])`` is false (a bool is not a number here).

    >>> s = ValueSet([1, True, 2])
    >>> len(s), 1 in s, True in s, False in s, 2.0 in s
    (3, True, True, False, True)
    >>> ValueSet([True]) == ValueSet([1])
    False
    """

    __slots__ = ("_bools", "_hashed", "_others")

    def __init__(self, values: Iterable[object] = ()) -> None:
        bools: list[object] = []
        others: list[object] = []
        for value in values:
            (bools if is_bool(value) else others).append(value)
        self._bools: frozenset[object] = frozenset(bools)
        self._others: frozenset[object] = frozenset(others)
        self._hashed = hash((self._bools, self._others))

    @property
    def bools(self) -> frozenset[object]:
        """The boolean values."""
        return self._bools

    @property
    def others(self) -> frozenset[object]:
        """Every other value (numbers, text, money, dates)."""
        return self._others

    def __contains__(self, value: object) -> bool:
        if is_bool(value):
            return value in self._bools
        return value in self._others

    def __iter__(self) -> Iterator[object]:
        yield from self._bools
        yield from self._others

    def __len__(self) -> int:
        return len(self._bools) + len(self._others)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ValueSet):
            return self._bools == other._bools and self._others == other._others
        if isinstance(other, AbstractSet):
            return self == ValueSet(other)
        return NotImplemented

    def __hash__(self) -> int:
        return self._hashed

    def __repr__(self) -> str:
        return f"ValueSet({list(sorted_values(self))!r})"

    def __reduce__(self) -> tuple[type[ValueSet], tuple[tuple[object, ...]]]:
        return (ValueSet, (tuple(self),))


def _to_values(values: object) -> ValueSet:
    if not_text(values, "") or isinstance(values, Mapping) or not hasattr(values, "__iter__"):
        raise QualifierError(f"expected a set, list or tuple of values, got {describe(values)}")
    checked = [check_value(v, "each value") for v in values]
    if len(checked) > MAX_VALUES:
        raise QualifierError(f"at most {MAX_VALUES} values, got {len(checked)}")
    return ValueSet(checked)


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class IsIn(Leaf):
    """``path`` is one of ``values``."""

    NODE_KIND: ClassVar[str] = "in"

    values: ValueSet = attrs.field(converter=_to_values)
    WORD: ClassVar[str] = "in"

    @property
    def kinds(self) -> frozenset[Hashable]:
        """The :func:`kind_of` the values; a subject's value of another kind is UNKNOWN."""
        cache = self._cached()
        if "kinds" not in cache:
            cache["kinds"] = frozenset(kind_of(v) for v in self.values)
        return cache["kinds"]  # type: ignore[no-any-return]  # a frozenset

    def comparable(self, value: object) -> None:
        """Raise ``TypeError`` unless ``value`` is comparable with some value (if any)."""
        if self.values and kind_of(value) not in self.kinds:
            raise _incomparable(value, self.values)

    def test(self, value: object, at: datetime | None) -> bool:
        self.comparable(value)
        # Nothing is in an empty set, an unhashable value (a list) included.
        return bool(self.values) and value in self.values

    def infix(self) -> str:
        return f"{self.path} {self.WORD} {format_set(sorted_values(self.values))}"

    def build(self) -> str:
        method = "is_in" if self.WORD == "in" else "not_in"
        items = ", ".join(repr(v) for v in sorted_values(self.values))
        # ``{}`` would be a dict: an empty set of values is written as an empty tuple.
        return (
            f"field({self.path!r}).{method}({{{items}}})"
            if items
            else f"field({self.path!r}).{method}(())"
        )

    def passed_text(self, value: object, at: datetime | None) -> str:
        return f"{self.path} {format_value(value)} {self.WORD} {self._values_text()}"

    def failed_text(self, value: object, at: datetime | None) -> str:
        word = "not in" if self.WORD == "in" else "in"
        return f"{self.path} {format_value(value)} {word} {self._values_text()}"

    def _values_text(self) -> str:
        cache = self._cached()
        text = cache.get("values")
        if text is None:
            text = cache["values"] = format_set(sorted_values(self.values))
        return text


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class NotIn(IsIn):
    """``path`` is none of ``values`` (a missing value is UNKNOWN, not a pass)."""

    NODE_KIND: ClassVar[str] = "not_in"
    WORD: ClassVar[str] = "not in"

    def test(self, value: object, at: datetime | None) -> bool:
        self.comparable(value)
        return not self.values or value not in self.values


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class IsKnown(Leaf):
    """``path`` has a value (never UNKNOWN)."""

    NODE_KIND: ClassVar[str] = "known"
    KNOWN: ClassVar[bool] = True

    def infix(self) -> str:
        return f"{self.path} is {'known' if self.KNOWN else 'missing'}"

    def build(self) -> str:
        return f"field({self.path!r}).is_{'known' if self.KNOWN else 'missing'}()"

    def outcome(self, subject: object, at: datetime | None) -> Outcome:
        return PASS if (resolve(subject, self._segments) is not None) is self.KNOWN else FAIL

    def explain(self, subject: object, at: datetime | None, prefix: str) -> Verdict:
        path = prefix + self.path
        value = resolve(subject, self._segments)
        if value is None:
            if self.KNOWN:
                return self.leaf_verdict(FAIL, f"{path} is missing", path, f"find out {path}")
            return self.leaf_verdict(PASS, f"{path} is missing", path)
        known = PASS if self.KNOWN else FAIL
        reason = mask_personal(self._segments, value, f"{path} is known: {format_value(value)}")
        return self.leaf_verdict(known, reason, path)


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class IsMissing(IsKnown):
    """``path`` has no value (never UNKNOWN)."""

    NODE_KIND: ClassVar[str] = "missing"
    KNOWN: ClassVar[bool] = False


def contains(collection: object, item: object) -> bool:
    """``item in collection``, where a bool never stands for a number (``[1]`` holds no ``True``).

    Raises ``TypeError`` when ``collection`` is not a collection (then UNKNOWN).

    >>> contains([1, 2], True), contains([True], 1), contains([1.0], 1), contains("abc", "b")
    (False, False, True, True)
    """
    found = item in collection  # type: ignore[operator]  # a TypeError means UNKNOWN
    if not found or type(collection) is str:
        return found
    wanted = value_key(item)
    return any(x == item and value_key(x) == wanted for x in collection)  # type: ignore[attr-defined]


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class Contains(Leaf):
    """The collection (or text) at ``path`` contains ``item``; empty means FAIL.

    A mapping is not a collection here (as for :func:`~pipelinekit.any_item`): UNKNOWN.
    """

    NODE_KIND: ClassVar[str] = "contains"

    item: object = attrs.field(converter=check_value, eq=value_key)

    def test(self, value: object, at: datetime | None) -> bool:
        if isinstance(value, Mapping):  # as for any_item: a mapping is not a collection
            raise TypeError(f"{type_name(value)} is a mapping, not a collection")
        return contains(value, self.item)

    def infix(self) -> str:
        return f"{self.path} contains {format_value(self.item)}"

    def build(self) -> str:
        return f"field({self.path!r}).contains({self.item!r})"

    def passed_text(self, value: object, at: datetime | None) -> str:
        return self.infix()

    def failed_text(self, value: object, at: datetime | None) -> str:
        return f"{self.path} {format_value(value)} does not contain {format_value(self.item)}"


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class IsEmpty(Leaf):
    """The collection (or text) at ``path`` has no items; a missing value is UNKNOWN."""

    NODE_KIND: ClassVar[str] = "empty"
    EMPTY: ClassVar[bool] = True

    def test(self, value: object, at: datetime | None) -> bool:
        return (len(value) == 0) is self.EMPTY  # type: ignore[arg-type]  # TypeError: UNKNOWN

    def infix(self) -> str:
        return f"{self.path} is {'' if self.EMPTY else 'not '}empty"

    def build(self) -> str:
        return f"field({self.path!r}).is_{'' if self.EMPTY else 'not_'}empty()"

    def passed_text(self, value: object, at: datetime | None) -> str:
        return self._state(value)

    def failed_text(self, value: object, at: datetime | None) -> str:
        return self._state(value)

    def _state(self, value: object) -> str:
        if len(value) == 0:  # type: ignore[arg-type]  # tested above
            return f"{self.path} is empty"
        return f"{self.path} is not empty: {format_value(value)}"


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class IsNotEmpty(IsEmpty):
    """The collection (or text) at ``path`` has items; a missing value is UNKNOWN."""

    NODE_KIND: ClassVar[str] = "not_empty"
    EMPTY: ClassVar[bool] = False


def _check_pattern(instance: Matches, attribute: attrs.Attribute[str], value: object) -> None:
    if type(value) is not str:
        raise QualifierError(f"matches() takes a str pattern, got {describe(value)}")
    if len(value) > MAX_TEXT:
        raise QualifierError(f"pattern longer than {MAX_TEXT} characters")
    if group_nesting(value) > MAX_GROUP_NESTING:
        # Refused before compiling: ``re`` parses groups recursively, so how deep it can go
        # would depend on the caller's stack.
        raise QualifierError(
            f"bad regular expression {describe(value)}: groups nested deeper than"
            f" {MAX_GROUP_NESTING} levels"
        )
    try:
        regex = re.compile(value, re.IGNORECASE if instance.ignore_case else 0)
    except re.error as error:
        raise QualifierError(f"bad regular expression {describe(value)}: {error}") from None
    except (OverflowError, RecursionError, ValueError):  # huge repetition, deep groups
        raise QualifierError(
            f"bad regular expression {describe(value)}: repetition count or group nesting too large"
        ) from None
    problem = _backtracking_risk(value)
    if problem is not None:
        raise QualifierError(f"unsafe regular expression {describe(value)}: {problem}")
    object.__setattr__(instance, "_regex", regex)


def group_nesting(pattern: str) -> int:
    r"""How deeply the groups of the regular expression ``pattern`` nest.

    Escaped parentheses and those inside a character class are not groups.

    >>> group_nesting("a(b(c)|d)"), group_nesting(r"\((x)\)"), group_nesting("[(]((a))")
    (2, 1, 2)
    """
    depth = deepest = 0
    index, end = 0, len(pattern)
    while index < end:
        char = pattern[index]
        if char == "\\":
            index += 1  # the escaped character is literal
        elif char == "[":
            index += 1
            if index < end and pattern[index] == "^":
                index += 1
            if index < end and pattern[index] == "]":
                index += 1  # a "]" first in a class is literal
            while index < end and pattern[index] != "]":
                index += 2 if pattern[index] == "\\" else 1
        elif char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
        index += 1
    return deepest


def _backtracking_risk(pattern: str) -> str | None:
    """Why ``pattern`` may backtrack exponentially (ReDoS), or ``None`` when it cannot.

    Conservative: inside a repetition (``*``, ``+``, ``{m,n}`` with ``n > 1``) there may be
    neither another repetition nor an alternation, the two shapes of catastrophic
    backtracking (``(a+)+``, ``(a|aa)+``). Without the private parser every pattern with
    a group under a quantifier is refused.
    """
    parser: Any = _sre_parser
    if parser is None:  # pragma: no cover - another Python
        if re.search(r"\)\s*[*+{?]", pattern):
            return "a quantified group (cannot analyse this pattern)"
        return None
    repeats = {parser.MAX_REPEAT, parser.MIN_REPEAT}
    repeats |= {getattr(parser, "POSSESSIVE_REPEAT", parser.MAX_REPEAT)}

    def walk(items: Any, repeated: bool) -> str | None:  # noqa: FBT001 - a private helper
        for op, av in items:
            if op in repeats:
                _low, high, body = av
                many = high > 1
                if repeated and many:
                    return "nested quantifiers"
                found = walk(body, repeated or many)
            elif op is parser.BRANCH:
                if repeated:
                    return "alternation under a quantifier"
                found = next((r for b in av[1] if (r := walk(b, repeated))), None)
            elif op is parser.SUBPATTERN:
                found = walk(av[-1], repeated)
            elif op in {parser.ASSERT, parser.ASSERT_NOT}:
                found = walk(av[1], repeated)
            else:
                found = None
            if found is not None:
                return found
        return None

    try:
        return walk(parser.parse(pattern), repeated=False)
    except Exception:  # compile already accepted it; be safe
        return "cannot analyse this pattern"


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class Matches(Leaf):
    """The text at ``path`` contains a match of ``pattern`` (``re.search``)."""

    NODE_KIND: ClassVar[str] = "matches"

    ignore_case: bool = attrs.field(default=False)
    pattern: str = attrs.field(validator=_check_pattern)
    _regex: re.Pattern[str] = attrs.field(init=False, default=None, eq=False, repr=False)

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern."""
        return self._regex

    def test(self, value: object, at: datetime | None) -> bool:
        return self._regex.search(value) is not None  # type: ignore[call-overload]  # else UNKNOWN

    def infix(self) -> str:
        return f"{self.path} matches {self._shown()}"

    def _shown(self) -> str:
        return f"/{escape_text(self.pattern)}/{'i' if self.ignore_case else ''}"

    def passed_text(self, value: object, at: datetime | None) -> str:
        return f"{self.path} {format_value(value)} matches {self._shown()}"

    def failed_text(self, value: object, at: datetime | None) -> str:
        if isinstance(value, str) and not value.strip():
            return f"{self.path} is blank" if value == "" else f"{self.path} is blank ({value!r})"
        return f"{self.path} {format_value(value)} does not match {self._shown()}"

    def build(self) -> str:
        flag = ", ignore_case=True" if self.ignore_case else ""
        return f"field({self.path!r}).matches({self.pattern!r}{flag})"


def _check_delta(instance: object, attribute: attrs.Attribute[timedelta], value: object) -> None:
    if type(value) is not timedelta or value < timedelta(0):
        raise QualifierError(f"{attribute.name} must be a timedelta >= 0, got {describe(value)}")


_ZERO: Final = timedelta(0)


class TimeBound(NamedTuple):
    """One condition of a time rule, on a difference measured from ``at``.

    ``ahead`` is ``value - at`` (how far in the future the value lies), ``behind`` is
    ``at - value`` (how long ago); the difference is compared by ``op`` with zero or with the
    leaf's ``delta``. A plain date is measured from ``at``'s date. Each time-relative leaf
    states its rule once, as a tuple of bounds that must all hold; the interpreter, the
    generated fast path and :mod:`pipelinekit.frames` all read it from there. Only
    differences of two dates or times are taken, never ``at ± delta``, which may leave the
    date range (years 1 and 9999); an interpretation that needs ``at ± delta`` (a dataframe
    bound) must treat a bound outside the range as "no bound".
    """

    difference: Literal["ahead", "behind"]
    op: Literal["<=", ">=", ">"]
    limit: Literal["zero", "delta"]


def reference(value: object, at: datetime) -> date:
    """What a time-relative check measures from: ``at``, or its date for a plain date."""
    return at if isinstance(value, datetime) else at.date()


@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class TimeRelative(Leaf):
    """A check measured from the ``at`` the caller passes, ``delta`` away."""

    delta: timedelta = attrs.field(validator=_check_delta)
    METHOD: ClassVar[str] = ""
    WORDS: ClassVar[str] = ""
    #: The bounds that must all hold (see :class:`TimeBound`).
    RULE: ClassVar[tuple[TimeBound, ...]] = ()

    @property
    def needs_time(self) -> bool:
        return True

    def infix(self) -> str:
        return f"{self.path} {self.WORDS} {format_delta(self.delta)}"

    def build(self) -> str:
        return f"field({self.path!r}).{self.METHOD}({self.delta!r})"

    def test(self, value: object, at: datetime | None) -> bool:
        assert at is not None  # noqa: S101  # checked by evaluate / the fast path
        ref = reference(value, at)
        for bound in self.RULE:
            # A value that is no date or time raises TypeError here: UNKNOWN.
            difference = value - ref if bound.difference == "ahead" else ref - value  # type: ignore[operator]
            limit = self.delta if bound.limit == "delta" else _ZERO
            if not COMPARISONS[bound.op](difference, limit):
                return False
        return True


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class Within(TimeRelative):
    """``|value - at| <= delta``: recent past or near future (dates or datetimes)."""

    NODE_KIND: ClassVar[str] = "within"
    METHOD: ClassVar[str] = "within"
    WORDS: ClassVar[str] = "within"

    RULE: ClassVar[tuple[TimeBound, ...]] = (
        TimeBound("ahead", "<=", "delta"),
        TimeBound("behind", "<=", "delta"),
    )

    def passed_text(self, value: object, at: datetime | None) -> str:
        return f"{self.path} {format_value(value)} is within {format_delta(self.delta)} of now"

    def failed_text(self, value: object, at: datetime | None) -> str:
        return f"{self.path} {format_value(value)} is more than {format_delta(self.delta)} from now"


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class OlderThan(TimeRelative):
    """``value < at - delta``: longer ago than ``delta``."""

    NODE_KIND: ClassVar[str] = "older_than"
    METHOD: ClassVar[str] = "older_than"
    WORDS: ClassVar[str] = "older than"
    RULE: ClassVar[tuple[TimeBound, ...]] = (TimeBound("behind", ">", "delta"),)

    def passed_text(self, value: object, at: datetime | None) -> str:
        return f"{self.path} {format_value(value)} is older than {format_delta(self.delta)}"

    def failed_text(self, value: object, at: datetime | None) -> str:
        return f"{self.path} {format_value(value)} is not older than {format_delta(self.delta)}"


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class WithinNext(TimeRelative):
    """``at <= value <= at + delta``: a date still ahead, at most ``delta`` away.

    For decision dates: a date already past is not "within the next 180 days".
    """

    NODE_KIND: ClassVar[str] = "within_next"
    METHOD: ClassVar[str] = "within_next"
    WORDS: ClassVar[str] = "within the next"

    RULE: ClassVar[tuple[TimeBound, ...]] = (
        TimeBound("ahead", ">=", "zero"),
        TimeBound("ahead", "<=", "delta"),
    )

    def passed_text(self, value: object, at: datetime | None) -> str:
        return f"{self.path} {format_value(value)} is within the next {format_delta(self.delta)}"

    def failed_text(self, value: object, at: datetime | None) -> str:
        assert at is not None  # noqa: S101  # checked by evaluate / the fast path
        if value < reference(value, at):  # type: ignore[operator]  # compared in test()
            return f"{self.path} {format_value(value)} is in the past"
        return f"{self.path} {format_value(value)} is more than {format_delta(self.delta)} ahead"


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class WithinLast(TimeRelative):
    """``at - delta <= value <= at``: a recent past date or time (a touchpoint, say)."""

    NODE_KIND: ClassVar[str] = "within_last"
    METHOD: ClassVar[str] = "within_last"
    WORDS: ClassVar[str] = "within the last"

    RULE: ClassVar[tuple[TimeBound, ...]] = (
        TimeBound("behind", ">=", "zero"),
        TimeBound("behind", "<=", "delta"),
    )

    def passed_text(self, value: object, at: datetime | None) -> str:
        return f"{self.path} {format_value(value)} is within the last {format_delta(self.delta)}"

    def failed_text(self, value: object, at: datetime | None) -> str:
        assert at is not None  # noqa: S101  # checked by evaluate / the fast path
        if value > reference(value, at):  # type: ignore[operator]  # compared in test()
            return f"{self.path} {format_value(value)} is in the future"
        return f"{self.path} {format_value(value)} is more than {format_delta(self.delta)} ago"
