"""The small values every part of a points model shares: points, group names, durations.

Points are exact :class:`~decimal.Decimal` numbers, built from an ``int``, a ``Decimal`` or
a decimal string (``"2.5"``); floats are refused (``0.1`` is not a decimal number), and so
are ``bool``, NaN and infinities. Each limit here has a row in ``docs/limits.md``.

>>> to_points("points", "2.50")
Decimal('2.50')
>>> to_points("points", 0.5)
Traceback (most recent call last):
...
pipelinekit.errors.FieldTypeError: points: expected an int, a Decimal or a decimal string \
(floats are not exact), got float 0.5

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from datetime import timedelta
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from typing import Final

from pipelinekit._checks import DECIMAL_TEXT, IDENTIFIER, describe, got
from pipelinekit.errors import FieldTypeError, FieldValueError

__all__ = [
    "CONTEXT",
    "MAX_POINT_PLACES",
    "MAX_POINTS",
    "ZERO",
    "check_delta",
    "check_group",
    "to_points",
]

#: The largest magnitude of any points value (a rule's points, a cap, a threshold).
MAX_POINTS: Final = 10**9
#: The most decimal places of a points value.
MAX_POINT_PLACES: Final = 6
ZERO: Final = Decimal(0)
#: The decimal context all points arithmetic runs in (``decimal.localcontext(CONTEXT)``):
#: enough digits for every sum of bounded points to be exact, whatever the caller's
#: own context says.
CONTEXT: Final = Context(
    prec=80,
    rounding=ROUND_HALF_EVEN,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
_LIMIT: Final = Decimal(MAX_POINTS)


def to_points(field: str, value: object) -> Decimal:
    """``value`` as exact points, or a field error naming ``field``."""
    if type(value) is int:
        number = Decimal(value)
    elif type(value) is Decimal:
        number = value
    elif type(value) is str and len(value) <= 40 and DECIMAL_TEXT.fullmatch(value):  # a short text
        try:
            number = Decimal(value)
        except InvalidOperation:  # pragma: no cover  # the pattern admits only numbers
            raise FieldValueError(field, f"not a decimal number: {describe(value)}") from None
    else:
        raise FieldTypeError(
            field,
            "expected an int, a Decimal or a decimal string (floats are not exact), "
            f"got {got(value)}",
        )
    if not number.is_finite():
        raise FieldValueError(field, f"must be a finite number, got {number}")
    if number.copy_abs() > _LIMIT:
        raise FieldValueError(
            field, f"must be between -{MAX_POINTS} and {MAX_POINTS}, got {number}"
        )
    exponent = number.as_tuple().exponent
    if type(exponent) is int and exponent < -MAX_POINT_PLACES:
        raise FieldValueError(
            field, f"at most {MAX_POINT_PLACES} decimal places, got {describe(number)}"
        )
    return ZERO if number.is_zero() else number  # -0 and 0.00 read as 0


def check_group(field: str, value: object) -> str:
    """A group name: an identifier (a letter, then letters, digits or ``_``; 64 at most)."""
    if type(value) is not str:
        raise FieldTypeError(field, f"expected a group name (str), got {got(value)}")
    if not IDENTIFIER.fullmatch(value):
        raise FieldValueError(
            field,
            "a group name is a letter, then letters, digits or '_' (64 at most), "
            f"got {describe(value)}",
        )
    return value


def check_delta(field: str, value: object) -> timedelta:
    """A positive duration (a decay period, a half-life, a window)."""
    if type(value) is not timedelta:
        raise FieldTypeError(field, f"expected a timedelta, got {got(value)}")
    if value <= timedelta(0):
        raise FieldValueError(field, f"must be a positive duration, got {value}")
    return value
