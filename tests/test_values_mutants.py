"""Money's behaviours that its mutation survivors showed no test pinned (docs/quality.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pipelinekit as pk
from pipelinekit.values import DEFAULT_MINOR_UNIT, minor_unit

TEN = pk.Money("10", "EUR")


class TestOrdering:
    @pytest.mark.parametrize(
        ("left", "expected"),
        [
            ("10", (False, True, False, True)),
            ("9.99", (True, True, False, False)),
            ("10.01", (False, False, True, True)),
        ],
    )
    def test_the_four_comparisons_at_and_beside_equality(
        self, left: str, expected: tuple[bool, bool, bool, bool]
    ) -> None:
        a = pk.Money(left, "EUR")
        assert (a < TEN, a <= TEN, a > TEN, a >= TEN) == expected

    @pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
    def test_a_number_is_not_comparable(self, op: str) -> None:
        with pytest.raises(TypeError, match=f"'{op}' not supported between instances of 'Money'"):
            eval(f"TEN {op} 10", {"TEN": TEN})  # noqa: S307  # the operator under test

    @pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
    def test_another_currency_is_a_mismatch_naming_both(self, op: str) -> None:
        with pytest.raises(pk.CurrencyMismatch, match=rf"cannot compare \({op}\) EUR and USD"):
            eval(f"TEN {op} USD", {"TEN": TEN, "USD": pk.Money("10", "USD")})  # noqa: S307


class TestArithmeticMessages:
    def test_the_operation_is_named_in_a_bounds_error(self) -> None:
        with pytest.raises(
            pk.FieldValueError, match=r"amount: the result of 10 \* Decimal\('1E\+20'\)"
        ):
            TEN * Decimal("1e20")
        big = pk.Money("999999999999999999", "EUR")
        with pytest.raises(
            pk.FieldValueError, match=r"the result of -999999999999999999 - Decimal\('1'\) "
        ):
            -big - pk.Money("1", "EUR")
        with pytest.raises(
            pk.FieldValueError, match=r"the result of 999999999999999999 / Decimal\('0.1'\)"
        ):
            big / Decimal("0.1")

    def test_a_non_finite_operand_is_named(self) -> None:
        with pytest.raises(
            pk.FieldValueError, match=r"factor: must be a finite number, got Decimal\('NaN'\)"
        ):
            TEN * Decimal("nan")

    def test_dividing_by_zero_says_so(self) -> None:
        with pytest.raises(ZeroDivisionError, match=r"^cannot divide Money by zero$"):
            TEN / 0

    def test_zero_plus_money_is_money_and_sum_works(self) -> None:
        assert 0 + TEN == TEN
        assert sum([TEN, TEN]) == pk.Money("20", "EUR")
        with pytest.raises(TypeError):
            1 + TEN  # Money.__radd__ takes 0 only


class TestAmounts:
    def test_the_bounds_are_exclusive_on_both_sides(self) -> None:
        assert pk.Money(10**18 - 1, "EUR").amount == 10**18 - 1
        assert pk.Money(-(10**18 - 1), "EUR").amount == -(10**18 - 1)
        for amount in (10**18, -(10**18)):
            with pytest.raises(pk.FieldValueError, match=r"less than 10\*\*18 in magnitude"):
                pk.Money(amount, "EUR")

    def test_text_errors_show_the_value_and_the_grammar(self) -> None:
        with pytest.raises(
            pk.FieldValueError,
            match=r"not a decimal number: 'abc' \(write digits with an optional sign, decimal"
            r" point and exponent, as in '-1234.50'\)",
        ):
            pk.Money("abc", "EUR")
        with pytest.raises(
            pk.FieldTypeError, match=r"expected Decimal, int or str, got list \[1\]"
        ):
            pk.Money([1], "EUR")  # type: ignore[arg-type]  # the refusal under test

    @pytest.mark.parametrize(
        "text", ["1E2", "1e2", "123456789012E1", "123456789012", "-12345678901.5"]
    )
    def test_exponents_and_long_texts_read_as_decimals(self, text: str) -> None:
        assert pk.Money(text, "EUR").amount == Decimal(text)

    def test_an_exponent_out_of_range_names_the_text(self) -> None:
        with pytest.raises(
            pk.FieldValueError, match=r"exponent out of range in '1e99999999999999999999'"
        ):
            pk.Money("1e99999999999999999999", "EUR")


def test_minor_units_are_per_currency() -> None:
    assert minor_unit("JPY") == 0
    assert minor_unit("BHD") == 3
    assert minor_unit("XYZ") == DEFAULT_MINOR_UNIT == 2


def test_a_format_names_the_bad_spec_and_the_precision_bound() -> None:
    assert format(TEN, ".12f") == "10.000000000000 EUR"
    with pytest.raises(pk.FieldValueError, match=r"format_spec: '\.13f' is not a Money format"):
        format(TEN, ".13f")
