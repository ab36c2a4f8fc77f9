"""Small validated value objects: :class:`Money`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Final, Self

import attrs

from pipelinekit._checks import describe, type_name
from pipelinekit.errors import CurrencyMismatch, FieldTypeError, FieldValueError

__all__ = ["Money"]

_CURRENCY: Final = re.compile(r"[A-Z]{3}")

#: What ``Money`` accepts as an amount. ``float`` is refused: 0.1 + 0.2 is not 0.3.
AmountLike = Decimal | int | str


def _to_amount(value: AmountLike) -> Decimal:
    """Convert an amount to ``Decimal``, refusing floats, bools and non-finite values."""
    if type(value) is Decimal:
        amount = value
    elif type(value) is int or type(value) is str:
        try:
            amount = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            raise FieldValueError("amount", f"not a number: {describe(value)}") from None
    elif isinstance(value, float):
        raise FieldTypeError(
            "amount",
            f"float {value!r} is not exact; pass a str or Decimal (Money({str(value)!r}, ...))",
        )
    elif isinstance(value, Decimal):
        amount = value
    else:
        raise FieldTypeError(
            "amount", f"expected Decimal, int or str, got {type_name(value)} {describe(value)}"
        )
    if not amount.is_finite():
        raise FieldValueError("amount", f"must be finite, got {amount}")
    return amount


def _check_currency(instance: Money, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise FieldTypeError(
            "currency", f"expected an ISO 4217 code (str), got {type_name(value)} {describe(value)}"
        )
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
        return Money(self.amount + other.amount, self.currency)

    def __radd__(self, other: object) -> Money:
        # ``sum(monies)`` starts from the int 0.
        if type(other) is int and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: object) -> Money:
        if type(factor) is int or isinstance(factor, Decimal):
            return Money(self.amount * factor, self.currency)
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, divisor: object) -> Money:
        if type(divisor) is int or isinstance(divisor, Decimal):
            if divisor == 0:
                raise ZeroDivisionError("cannot divide Money by zero")
            return Money(self.amount / divisor, self.currency)
        return NotImplemented

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

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
