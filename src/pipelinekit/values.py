"""Small validated value objects: :class:`Money`.

Money is displayed with its currency's minor unit (the number of decimal places ISO 4217
gives it: ``100 JPY``, ``0.100 BHD``, ``25,000.00 EUR``), from :data:`MINOR_UNITS`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from types import MappingProxyType
from typing import Final, Self

import attrs

from pipelinekit._checks import describe, got
from pipelinekit._pretty import repr_pretty
from pipelinekit.errors import CurrencyMismatch, FieldTypeError, FieldValueError

__all__ = ["DEFAULT_MINOR_UNIT", "MINOR_UNITS", "Money", "minor_unit"]

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
_BOUNDS_TEXT: Final = (
    f"amounts are less than 10**{MAX_INTEGER_DIGITS} in magnitude with at most"
    f" {MAX_PLACES} decimal places"
)
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
#: Four significant digits, the most an error message shows of an out-of-bounds amount.
_SHOWN: Final = Context(prec=4, rounding=ROUND_HALF_EVEN, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[])

#: Decimal places of every ISO 4217 currency whose minor unit is not 2, as data.
#:
#: Source: ISO 4217 "List One: Currency, fund and precious metal codes" (the current
#: list as published by SIX Financial Information, the maintenance agency:
#: https://www.six-group.com/en/products-services/financial-information/data-standards.html,
#: column "Minor unit"). Codes the list gives no minor unit ("N.A.": precious metals,
#: XDR, the testing and "no currency" codes) are listed with 0: their amounts are shown
#: with the decimal places they have. Every other code, listed with 2 or not listed at
#: all (a code newer than this table, a private code), uses :data:`DEFAULT_MINOR_UNIT`.
MINOR_UNITS: Final[Mapping[str, int]] = MappingProxyType(
    {
        # 0 decimal places
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
        "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0,
        "XPF": 0,
        # 3 decimal places
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        # 4 decimal places
        "CLF": 4, "UYW": 4,
        # no minor unit ("N.A." in the list)
        "XAG": 0, "XAU": 0, "XBA": 0, "XBB": 0, "XBC": 0, "XBD": 0, "XDR": 0, "XPD": 0,
        "XPT": 0, "XSU": 0, "XTS": 0, "XUA": 0, "XXX": 0,
    }
)  # fmt: skip
#: The minor unit of a currency :data:`MINOR_UNITS` does not list (as for EUR or USD).
DEFAULT_MINOR_UNIT: Final = 2


def minor_unit(currency: str) -> int:
    """The decimal places ISO 4217 gives ``currency`` (2 for codes it does not list).

    >>> minor_unit("JPY"), minor_unit("EUR"), minor_unit("BHD"), minor_unit("ZZZ")
    (0, 2, 3, 2)
    """
    return MINOR_UNITS.get(currency, DEFAULT_MINOR_UNIT)


#: ``format(money, spec)``: ``[[fill]align][sign][width][grouping][.precision][f]``.
_FORMAT_SPEC: Final = re.compile(
    r"(?:(?P<fill>.)?(?P<align>[<>^]))?(?P<sign>[-+ ])?(?P<width>[0-9]{1,3})?"
    r"(?P<grouping>[,_])?(?:\.(?P<precision>[0-9]{1,2}))?f?",
    re.DOTALL,
)
_FORMAT_GRAMMAR: Final = "[[fill]align][sign][width][grouping][.precision][f]"

#: What ``Money`` accepts as an amount. ``float`` is refused: 0.1 + 0.2 is not 0.3.
AmountLike = Decimal | int | str


def _bounds_problem(amount: Decimal) -> str | None:
    """Why ``amount`` is outside Money's bounds, or ``None`` when it is within them."""
    if not amount.is_finite():
        return f"must be finite, got {amount}"
    if amount and amount.adjusted() >= MAX_INTEGER_DIGITS:
        # Rounded in a context of its own: the caller's never changes the message either.
        shown = _SHOWN.plus(amount)
        return f"must be less than 10**{MAX_INTEGER_DIGITS} in magnitude, got {shown:.3E}"
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
        try:
            amount = Decimal(value)
        except ArithmeticError:  # an exponent beyond what decimal can hold at all
            raise FieldValueError(
                "amount", f"exponent out of range in {describe(value)}; {_BOUNDS_TEXT}"
            ) from None
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
    not exact), and ``/`` rounds half-even to the places ``str`` shows (the currency's
    minor unit, or more).

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

    _repr_pretty_ = repr_pretty  # IPython: on one line, as repr

    @classmethod
    def zero(cls, currency: str) -> Self:
        """Zero in ``currency``; the start value for sums.

        >>> Money.zero("USD")
        Money(amount=Decimal('0'), currency='USD')
        """
        return cls(Decimal(0), currency)

    def __str__(self) -> str:
        """The amount with its currency's decimal places (more if it has them), grouped.

        >>> str(Money("25000", "EUR")), str(Money("100", "JPY")), str(Money("0.1", "BHD"))
        ('25,000.00 EUR', '100 JPY', '0.100 BHD')
        >>> str(Money("0.125", "EUR"))  # never rounded: the exact amount is shown
        '0.125 EUR'
        """
        return f"{self.amount:,.{self._places()}f} {self.currency}"

    def _places(self) -> int:
        """The decimal places shown: the currency's minor unit, or the amount's own if more."""
        exponent = self.amount.as_tuple().exponent
        unit = MINOR_UNITS.get(self.currency, DEFAULT_MINOR_UNIT)
        return max(unit, -exponent) if isinstance(exponent, int) else unit

    def __format__(self, spec: str) -> str:
        """Format as ``format(money, spec)`` and f-strings do.

        The spec is ``[[fill]align][sign][width][grouping][.precision][f]``, as for a
        number: ``sign`` is ``+``, ``-`` or space; ``grouping`` is ``,`` or ``_``;
        ``precision`` is the number of decimal places (0 to 12), rounded half-even in
        Money's own decimal context (without it: the places ``str`` shows); ``width``,
        ``fill`` and ``align`` (``<``, ``>`` the default, ``^``) apply to the whole text,
        amount and currency code. An empty spec gives ``str(money)``.

        >>> price = Money("1234.565", "EUR")
        >>> f"{price:.2f}", f"{price:,.2f}", f"{price:+.0f}", f"{Money('5', 'JPY'):>8}"
        ('1234.56 EUR', '1,234.56 EUR', '+1235 EUR', '   5 JPY')

        Raises:
            FieldValueError: ``spec`` does not follow the grammar (``format_spec``).
        """
        if not spec:
            return str(self)
        match = _FORMAT_SPEC.fullmatch(spec)
        precision = None if match is None else match["precision"]
        if match is None or (precision is not None and int(precision) > MAX_PLACES):
            raise FieldValueError(
                "format_spec",
                f"{describe(spec)} is not a Money format; expected {_FORMAT_GRAMMAR}"
                f" with a precision of at most {MAX_PLACES} (as in '.2f' or '>12,.2f')",
            )
        places = self._places() if precision is None else int(precision)
        amount = _DIVISION.quantize(self.amount, _QUANTUM[places])
        grouping = match["grouping"]
        number = format(amount, f"{match['sign'] or ''}{',' if grouping else ''}.{places}f")
        if grouping == "_":  # Decimal groups with "," only
            number = number.replace(",", "_")
        text = f"{number} {self.currency}"
        if match["width"] is None:
            return text
        return format(text, f"{match['fill'] or ''}{match['align'] or '>'}{match['width']}")

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
            _check_finite("factor", factor)
            return _result(_ARITHMETIC.multiply, self.amount, factor, "*", self.currency)
        if isinstance(factor, float):
            raise _inexact_operand("factor", factor)
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, divisor: object) -> Money:
        """Divide, rounding half-even to the places ``str`` shows (the minor unit, or more).

        >>> str(Money("10", "EUR") / 3), str(Money("10.000", "EUR") / 3)
        ('3.33 EUR', '3.333 EUR')
        >>> str(Money("1000", "JPY") / 3), str(Money("1", "KWD") / 3)
        ('333 JPY', '0.333 KWD')
        """
        if type(divisor) is int or isinstance(divisor, Decimal):
            _check_finite("divisor", divisor)
            if divisor == 0:
                raise ZeroDivisionError("cannot divide Money by zero")
            return _result(
                _DIVISION.divide, self.amount, divisor, "/", self.currency, places=self._places()
            )
        if isinstance(divisor, float):
            raise _inexact_operand("divisor", divisor)
        return NotImplemented

    def __neg__(self) -> Money:
        """The amount negated, exactly, whatever the caller's decimal context.

        >>> import decimal
        >>> with decimal.localcontext(prec=3):
        ...     str(-Money("12345.678", "EUR"))
        '-12,345.678 EUR'
        """
        return _make(_ARITHMETIC.minus(self.amount), self.currency)

    def __pos__(self) -> Money:
        """The same amount (exact: the caller's decimal context never rounds it)."""
        return _make(_ARITHMETIC.plus(self.amount), self.currency)

    def __abs__(self) -> Money:
        """The magnitude, exactly, whatever the caller's decimal context."""
        return _make(_ARITHMETIC.abs(self.amount), self.currency)

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


def _check_finite(name: str, operand: Decimal | int) -> None:
    """Refuse a ``NaN``, signalling ``NaN`` or infinite ``Decimal`` operand, naming it."""
    if isinstance(operand, Decimal) and not operand.is_finite():
        raise FieldValueError(name, f"must be a finite number, got {describe(operand)}")


def _inexact_operand(name: str, value: float) -> FieldTypeError:
    """The error for a ``float`` operand: it is not exact, as the constructor says."""
    return FieldTypeError(
        name,
        f"float {value!r} is not exact; pass an int or Decimal (Decimal({str(value)!r}))",
    )


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
    except Overflow:  # an Inexact too: the result is beyond any Decimal, not merely rounded
        limit = f"10**{MAX_INTEGER_DIGITS}"
        raise FieldValueError(
            "amount", f"the result of {text} must be less than {limit} in magnitude"
        ) from None
    except Inexact:
        raise FieldValueError("amount", f"{text} is not exact; round an operand first") from None
    except ArithmeticError as error:
        raise FieldValueError("amount", f"{text} failed: {type(error).__name__}") from None
    problem = _bounds_problem(result)
    if problem is not None:
        raise FieldValueError("amount", f"the result of {text} {problem}")
    return _make(result, currency)


_QUANTUM: Final = tuple(Decimal(1).scaleb(-places) for places in range(MAX_PLACES + 1))
