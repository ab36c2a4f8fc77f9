"""Exact arithmetic for metrics: rates as ``Decimal``, money summed per currency.

Every computation runs in a decimal context of its own, so the caller's
:func:`decimal.localcontext` never changes a metric.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Final

from pipelinekit.values import MAX_PLACES, Money, minor_unit

__all__ = ["EXACT", "RATES", "money", "ratio", "rounded"]

#: Rates: 28 significant digits (a third is 0.333…3), rounded half-even.
RATES: Final = Context(prec=28, rounding=ROUND_HALF_EVEN)

#: Sums and products of amounts: wide enough to be exact for any Money amounts.
EXACT: Final = Context(prec=80, rounding=ROUND_HALF_EVEN, Emax=10**6, Emin=-(10**6))

_PLACES: Final = Decimal(1).scaleb(-MAX_PLACES)


def ratio(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part / whole`` as a Decimal, ``None`` when ``whole`` is 0.

    >>> ratio(1, 4), ratio(0, 3), ratio(2, 0)
    (Decimal('0.25'), Decimal('0'), None)
    """
    if not whole:
        return None
    return RATES.divide(Decimal(part), Decimal(whole))


def money(amount: Decimal, currency: str) -> Money:
    """A Money of an exact sum or product, rounded half-even only past Money's 12 places.

    >>> str(money(Decimal("0.1234567890123456"), "EUR"))
    '0.123456789012 EUR'
    """
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        amount = amount.quantize(_PLACES, rounding=ROUND_HALF_EVEN, context=EXACT)
    return Money(amount, currency)


def rounded(amount: Decimal, currency: str) -> Money:
    """A Money of ``amount`` rounded half-even to the currency's minor unit (an average).

    >>> str(rounded(Decimal(10) / 3, "EUR")), str(rounded(Decimal("2.5"), "JPY"))
    ('3.33 EUR', '2 JPY')
    """
    quantum = Decimal(1).scaleb(-minor_unit(currency))
    return Money(amount.quantize(quantum, rounding=ROUND_HALF_EVEN, context=EXACT), currency)
