"""Small validated value objects: :class:`Money`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from typing import Final, Self

import attrs

from pipelinekit._checks import describe, got
from pipelinekit.errors import CurrencyMismatch, FieldTypeError, FieldValueError

__all__ = ["Money"]

_CURRENCY: Final = re.compile(r"[A-Z]{3}")
#: An amount written as text: digits, an optional sign, decimal point and exponent. No
#: spaces, ``_`` or ``,`` separators, non-ASCII digits, ``"Infinity"`` or ``"NaN"``.
_AMOUNT: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")

#: Bounds of an amount: ``|amount| < 10**18`` with at most 12 decimal places. That holds
#: the revenue of any company in any currency, and a sum of two amounts is always exact
#: in :data:`_ARITHMETIC` (whatever the caller's decimal context is).
MAX_INTEGER_DIGITS: Final = 18
MAX_PLACES: Final = 12
_LIMIT: Final = 10**MAX_INTEGER_DIGITS
#: Strings this short without an exponent are within the bounds (the common case).
_SHORT: Final = min(MAX_INTEGER_DIGITS, MAX_PLACES)
#: The private context of Money arithmetic: wide enough that +, - and * of amounts
#: within the bounds are exact, and an inexact result raises instead of rounding.
_ARITHMETIC: Final = Context(
    prec=60,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow, Inexact],
)
_DIVISION: Final = Context(
    prec=60, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)

#: What ``Money`` accepts as an amount. ``float`` is refused: 0.1 + 0.2 is not 0.3.
AmountLike = Decimal | int | str


def _bounds_problem(amount: Decimal) -> str | None:
    """Why ``amount`` is outside Money's bounds, or ``None`` when it is within them."""
    if not amount.is_finite():
        return f"must be finite, got {amount}"
    if amount and amount.adjusted() >= MAX_INTEGER_DIGITS:
        return f"must be less than 10**{MAX_INTEGER_DIGITS} in magnitude, got {amount:.3E}"
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        return f"must have at most {MAX_PLACES} decimal places, got {-exponent} in {amount}"
    return None


def _to_amount(value: AmountLike) -> Decimal:
    """Convert an amount to ``Decimal``, refusing floats, bools, loose text and huge values."""
    if type(value) is str:
        if _AMOUNT.fullmatch(value) is None:
            raise FieldValueError(
                "amount",
                f"not a decimal number: {describe(value)} (write digits with an optional sign,"
                " decimal point and exponent, as in '-1234.50')",
            )
        amount = Decimal(value)
        if len(value) <= _SHORT and "e" not in value and "E" not in value:
            return amount  # no more digits than the bounds allow
    elif isinstance(value, Decimal):
        amount = value
    elif type(value) is int:
        if not -_LIMIT < value < _LIMIT:
            raise FieldValueError(
                "amount",
                f"must be less than 10**{MAX_INTEGER_DIGITS} in magnitude, got {describe(value)}",
            )
        return Decimal(value)
    elif isinstance(value, float):
        raise FieldTypeError(
            "amount",
            f"float {value!r} is not exact; pass a str or Decimal (Money({str(value)!r}, ...))",
        )
    else:
        raise FieldTypeError("amount", f"expected Decimal, int or str, got {got(value)}")
    problem = _bounds_problem(amount)
    if problem is not None:
        raise FieldValueError("amount", problem)
    return amount


def _check_currency(instance: Money, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise FieldTypeError("currency", f"expected an ISO 4217 code (str), got {got(value)}")
    if _CURRENCY.fullmatch(value) is None:
        raise FieldValueError(
            "currency", f"expected an ISO 4217 code of three upper-case letters, got {value!r}"
        )


@attrs.frozen(order=False)
class Money:
    """An exact amount of money in one currency.

    The amount is a :class:`~decimal.Decimal` built from a ``str``, ``int`` or
    ``Decimal`` (``float`` is refused, it cannot represent cents exactly). Arithmetic
    and ordering work within one currency; mixing currencies raises
    :class:`~pipelinekit.CurrencyMismatch`.

    Amounts are bounded: less than ``10**18`` in magnitude, with at most 12 decimal
    places; text amounts are plain decimal numbers (``"-1234.50"``, ``"1e6"``; no
    spaces, ``_`` or ``,``). Arithmetic runs in Money's own decimal context, so the
    caller's :func:`decimal.localcontext` never changes a result: ``+``, ``-`` and ``*``
    are exact or raise :class:`~pipelinekit.FieldValueError` (a result out of bounds or
    not exact), and ``/`` rounds half-even to the amount's decimal places (at least 2).

    >>> from pipelinekit import Money
    >>> price = Money("25000", "EUR")
    >>> str(price + Money("99.5", "EUR"))
    '25,099.50 EUR'
    >>> price * 2 > price
    True
    >>> price + Money("1", "USD")
    Traceback (most recent call last):
    ...
    pipelinekit.errors.CurrencyMismatch: cannot add EUR and USD

    .. versionadded:: 0.1.0
    """

    amount: Decimal = attrs.field(converter=_to_amount)
    currency: str = attrs.field(validator=_check_currency)

    @classmethod
    def zero(cls, currency: str) -> Self:
        """Zero in ``currency``; the start value for sums.

        >>> Money.zero("USD")
        Money(amount=Decimal('0'), currency='USD')
        """
        return cls(Decimal(0), currency)

    def __str__(self) -> str:
        exponent = self.amount.as_tuple().exponent
        places = max(2, -exponent) if isinstance(exponent, int) else 2
        return f"{self.amount:,.{places}f} {self.currency}"

    def _same(self, other: Money, verb: str) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(f"cannot {verb} {self.currency} and {other.currency}")

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return _result(_ARITHMETIC.add, self.amount, other.amount, "+", self.currency)

    def __radd__(self, other: object) -> Money:
        # ``sum(monies)`` starts from the int 0.
        if type(other) is int and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return _result(_ARITHMETIC.subtract, self.amount, other.amount, "-", self.currency)

    def __mul__(self, factor: object) -> Money:
        if type(factor) is int or isinstance(factor, Decimal):
            return _result(_ARITHMETIC.multiply, self.amount, factor, "*", self.currency)
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, divisor: object) -> Money:
        """Divide, rounding half-even to the amount's decimal places (at least 2).

        >>> str(Money("10", "EUR") / 3), str(Money("10.000", "EUR") / 3)
        ('3.33 EUR', '3.333 EUR')
        """
        if type(divisor) is int or isinstance(divisor, Decimal):
            if divisor == 0:
                raise ZeroDivisionError("cannot divide Money by zero")
            exponent = self.amount.as_tuple().exponent
            places = max(2, -exponent) if isinstance(exponent, int) else 2
            return _result(
                _DIVISION.divide, self.amount, divisor, "/", self.currency, places=places
            )
        return NotImplemented

    def __neg__(self) -> Money:
        return _make(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return _make(abs(self.amount), self.currency)

    def _compare(self, other: object, verb: str) -> Decimal | None:
        if not isinstance(other, Money):
            return None
        self._same(other, f"compare ({verb})")
        return other.amount

    def __lt__(self, other: object) -> bool:
        amount = self._compare(other, "<")
        return NotImplemented if amount is None else self.amount < amount

    def __le__(self, other: object) -> bool:
        amount = self._compare(other, "<=")
        return NotImplemented if amount is None else self.amount <= amount

    def __gt__(self, other: object) -> bool:
        amount = self._compare(other, ">")
        return NotImplemented if amount is None else self.amount > amount

    def __ge__(self, other: object) -> bool:
        amount = self._compare(other, ">=")
        return NotImplemented if amount is None else self.amount >= amount


_new_object: Final = object.__new__
_set: Final = object.__setattr__


def _make(amount: Decimal, currency: str) -> Money:
    """A ``Money`` from parts already known to be valid (skips the validators)."""
    money: Money = _new_object(Money)
    _set(money, "amount", amount)
    _set(money, "currency", currency)
    return money


def _result(
    operation: Callable[[Decimal, Decimal | int], Decimal],
    amount: Decimal,
    operand: Decimal | int,
    symbol: str,
    currency: str,
    *,
    places: int | None = None,
) -> Money:
    """Apply ``operation`` in Money's own decimal context and check the result.

    The caller's decimal context (``decimal.localcontext``) never changes a result. A
    result that is not exact, or is outside the bounds, raises
    :class:`~pipelinekit.FieldValueError` naming the operation; with ``places`` the
    result is rounded half-even to that many decimal places instead (division).
    """
    text = f"{amount} {symbol} {describe(operand)}"
    try:
        result = operation(amount, operand)
        if places is not None and result.is_finite() and result.adjusted() < MAX_INTEGER_DIGITS:
            result = _DIVISION.quantize(result, _QUANTUM[places])
    except Inexact:
        raise FieldValueError("amount", f"{text} is not exact; round an operand first") from None
    except ArithmeticError as error:
        raise FieldValueError("amount", f"{text} failed: {type(error).__name__}") from None
    problem = _bounds_problem(result)
    if problem is not None:
        raise FieldValueError("amount", f"the result of {text} {problem}")
    return _make(result, currency)


_QUANTUM: Final = tuple(Decimal(1).scaleb(-places) for places in range(MAX_PLACES + 1))
