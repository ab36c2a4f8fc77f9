"""Money is exact and context-free: the caller's decimal context never changes a result."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit._loaders import load_money
from tests import strategies as s

#: Every signal trapped, the least precision and exponent range decimal allows near 0.
_ALL_TRAPS: list[type[decimal.DecimalException]] = [
    decimal.Clamped,
    decimal.DivisionByZero,
    decimal.FloatOperation,
    decimal.Inexact,
    decimal.InvalidOperation,
    decimal.Overflow,
    decimal.Rounded,
    decimal.Subnormal,
    decimal.Underflow,
]
hostile_contexts = st.builds(
    decimal.Context,
    prec=st.integers(1, 4),
    rounding=st.sampled_from(
        [decimal.ROUND_DOWN, decimal.ROUND_UP, decimal.ROUND_FLOOR, decimal.ROUND_CEILING]
    ),
    Emax=st.integers(0, 3),
    Emin=st.integers(-3, 0),
    traps=st.just(_ALL_TRAPS),
)

_Op = Callable[[pk.Money], Any]
#: Every Money operation, by name: unary ones, arithmetic, comparisons, text, loading.
OPERATIONS: dict[str, _Op] = {
    "neg": lambda m: -m,
    "pos": lambda m: +m,
    "abs": abs,
    "add": lambda m: m + m,
    "sub": lambda m: m - pk.Money("0.5", m.currency),
    "mul": lambda m: m * 3,
    "mul_decimal": lambda m: m * Decimal("1.25"),
    "div": lambda m: m / 7,
    "div_decimal": lambda m: m / Decimal("0.3"),
    "sum": lambda m: sum([m, m, m]),
    "lt": lambda m: m < -m,
    "le": lambda m: m <= abs(m),
    "gt": lambda m: m > pk.Money.zero(m.currency),
    "ge": lambda m: m >= m * 2,
    "eq": lambda m: m == pk.Money(str(m.amount), m.currency),
    "hash": hash,
    "str": str,
    "repr": repr,
    "format": lambda m: format(m, ">30,.3f"),
    "format_round": lambda m: format(m, "+.0f"),
    "from_str": lambda m: pk.Money(str(m.amount), m.currency),
    "from_decimal": lambda m: pk.Money(m.amount, m.currency),
    "to_dict": pk.to_dict,
    "from_dict": lambda m: pk.from_dict(pk.to_dict(m), pk.Money),
    "load_money": lambda m: load_money({"amount": str(m.amount), "currency": m.currency}),
    "zero": lambda m: pk.Money.zero(m.currency) + m,
}


def _outcome(operation: _Op, money: pk.Money) -> tuple[str, Any]:
    """What an operation gives: a result with its exact amount, or the error it raises."""
    try:
        result = operation(money)
    except pk.PipelineError as error:
        return ("error", (type(error), str(error)))
    if isinstance(result, pk.Money):
        # Decimal == ignores the exponent: compare the exact digits too.
        return ("money", (result.amount.as_tuple(), result.currency))
    return ("value", result)


_EDGES = [
    pk.Money("999999999999999999.999999999999", "EUR"),
    pk.Money("-999999999999999999.999999999999", "EUR"),
    pk.Money("12345.678", "EUR"),
    pk.Money("0", "JPY"),
    pk.Money("-0.000000000001", "BHD"),
]


@pytest.mark.parametrize("name", sorted(OPERATIONS))
@given(money=s.monies | st.sampled_from(_EDGES), context=hostile_contexts)
@example(money=_EDGES[0], context=decimal.Context(prec=3, traps=_ALL_TRAPS))
@example(money=_EDGES[2], context=decimal.Context(prec=3))
def test_every_operation_ignores_the_ambient_context(
    name: str, money: pk.Money, context: decimal.Context
) -> None:
    """Under a hostile ambient context each operation gives what the default context gives."""
    operation = OPERATIONS[name]
    with decimal.localcontext(decimal.Context()):
        expected = _outcome(operation, money)
    with decimal.localcontext(context):
        actual = _outcome(operation, money)
    assert actual == expected


@given(money=s.monies | st.sampled_from(_EDGES))
def test_negation_is_exact_and_within_bounds(money: pk.Money) -> None:
    """``-m`` and ``abs(m)`` keep every digit and stay valid Money (they rebuild equal)."""
    with decimal.localcontext(decimal.Context(prec=60)):
        pairs = ((-money, -money.amount), (abs(money), abs(money.amount)))
    for result, expected in pairs:
        assert result.amount == expected
        assert pk.Money(result.amount, result.currency) == result
    assert -money.__neg__() == money
    assert +money == money


def test_negating_the_largest_amount() -> None:
    """The issue's reproductions: no rounding out of bounds, no 3-digit result."""
    big = pk.Money("999999999999999999.999999999999", "EUR")
    assert str((-big).amount) == "-999999999999999999.999999999999"
    with decimal.localcontext(prec=3):
        assert str((-pk.Money("12345.678", "EUR")).amount) == "-12345.678"
        assert str(abs(pk.Money("-12345.678", "EUR")).amount) == "12345.678"
    assert str((-pk.Money("0", "EUR")).amount) == "0"  # no negative zero


@pytest.mark.parametrize("operand", [Decimal("sNaN"), Decimal("NaN"), Decimal("Infinity")])
def test_non_finite_operands_name_the_operand(operand: Decimal) -> None:
    """Dividing or multiplying by a NaN or infinity is a field error, never raw decimal."""
    money = pk.Money("10", "EUR")
    with pytest.raises(pk.FieldValueError, match=r"^divisor: must be a finite number"):
        money / operand
    with pytest.raises(pk.FieldValueError, match=r"^factor: must be a finite number"):
        money * operand


@pytest.mark.parametrize(
    "amount", ["1e9999999999999999999", "1e-9999999999999999999", "0E+99999999999999999999"]
)
def test_exponent_beyond_decimal_names_the_amount(amount: str) -> None:
    """An exponent decimal itself cannot hold is a FieldValueError / SchemaError at amount."""
    with pytest.raises(pk.FieldValueError, match=r"^amount: exponent out of range"):
        pk.Money(amount, "EUR")
    with pytest.raises(pk.SchemaError) as info:
        pk.from_dict({"amount": amount, "currency": "EUR"}, pk.Money)
    assert info.value.path == "$.amount"
