"""Money: exact amounts, ISO 4217 codes, arithmetic and ordering within one currency."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipelinekit as pk
from tests import strategies as s


class TestConstruction:
    @pytest.mark.parametrize(
        ("amount", "expected"),
        [("25000", Decimal(25000)), (" 1.50 ", Decimal("1.50")), (7, Decimal(7))],
    )
    def test_accepted_amounts(self, amount: Any, expected: Decimal) -> None:
        """str (trimmed), int and Decimal amounts become an exact Decimal."""
        money = pk.Money(amount, "EUR")
        assert money.amount == expected
        assert type(money.amount) is Decimal

    def test_decimal_kept(self) -> None:
        """A Decimal amount keeps its exponent."""
        assert str(pk.Money(Decimal("1.500"), "EUR").amount) == "1.500"

    def test_float_refused(self) -> None:
        """Floats are refused with a hint to pass a string."""
        with pytest.raises(pk.FieldTypeError, match=r"amount: float 0\.1 is not exact") as info:
            pk.Money(0.1, "EUR")  # type: ignore[arg-type]
        assert isinstance(info.value, TypeError)
        assert info.value.field == "amount"
        assert "Money('0.1', ...)" in str(info.value)

    @pytest.mark.parametrize("amount", [True, None, [1], b"1"])
    def test_other_types_refused(self, amount: Any) -> None:
        """bool, None and other types are type errors naming the amount."""
        with pytest.raises(pk.FieldTypeError, match=r"^amount: expected Decimal, int or str"):
            pk.Money(amount, "EUR")

    @pytest.mark.parametrize("amount", ["abc", "", "1,000", "NaN", "Infinity", Decimal("-inf")])
    def test_bad_numbers_refused(self, amount: Any) -> None:
        """Text that is not a finite number is a value error naming the amount."""
        with pytest.raises(pk.FieldValueError, match=r"^amount: ") as info:
            pk.Money(amount, "EUR")
        assert isinstance(info.value, ValueError)

    @pytest.mark.parametrize("code", ["eur", "EU", "EURO", "E1R", " EUR", "", "€"])
    def test_bad_currency_refused(self, code: str) -> None:
        """Only three upper-case ASCII letters make a currency code."""
        with pytest.raises(pk.FieldValueError, match=r"^currency: expected an ISO 4217 code"):
            pk.Money("1", code)

    def test_currency_type(self) -> None:
        """A non-str currency is a type error."""
        with pytest.raises(pk.FieldTypeError, match=r"^currency: .* got int 978"):
            pk.Money("1", 978)  # type: ignore[arg-type]

    def test_frozen(self) -> None:
        """Money is immutable; evolve validates again and leaves the original intact."""
        price = pk.Money("10", "EUR")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            price.amount = Decimal(1)  # type: ignore[misc]
        with pytest.raises(pk.FieldValueError):
            attrs.evolve(price, currency="eur")
        assert price == pk.Money("10", "EUR")

    def test_zero(self) -> None:
        assert pk.Money.zero("USD") == pk.Money("0", "USD")

    def test_hashable_and_equal_across_exponents(self) -> None:
        """Equal amounts are equal (and hash alike) whatever their exponent."""
        assert pk.Money("1.0", "EUR") == pk.Money("1.00", "EUR")
        assert hash(pk.Money("1.0", "EUR")) == hash(pk.Money("1.00", "EUR"))
        assert pk.Money("1", "EUR") != pk.Money("1", "USD")


class TestArithmetic:
    def test_add_sub_neg_abs(self) -> None:
        a, b = pk.Money("10.50", "EUR"), pk.Money("0.25", "EUR")
        assert a + b == pk.Money("10.75", "EUR")
        assert a - b == pk.Money("10.25", "EUR")
        assert -a == pk.Money("-10.50", "EUR")
        assert abs(-a) == a

    def test_sum(self) -> None:
        """sum() works because 0 + Money is the Money."""
        assert sum([pk.Money("1", "EUR"), pk.Money("2", "EUR")]) == pk.Money("3", "EUR")

    def test_mul_div(self) -> None:
        price = pk.Money("10", "EUR")
        assert price * 3 == 3 * price == pk.Money("30", "EUR")
        assert price * Decimal("0.5") == pk.Money("5", "EUR")
        assert price / 4 == pk.Money("2.5", "EUR")

    def test_division_by_zero(self) -> None:
        with pytest.raises(ZeroDivisionError, match="cannot divide Money by zero"):
            pk.Money("1", "EUR") / 0

    @pytest.mark.parametrize("other", [1.5, True, "2"])
    def test_mul_by_other_types_refused(self, other: Any) -> None:
        """Floats, bools and strings are not factors (TypeError from Python)."""
        with pytest.raises(TypeError):
            pk.Money("1", "EUR") * other

    @pytest.mark.parametrize("other", [1, Decimal(1), 0.5])
    def test_add_number_refused(self, other: Any) -> None:
        with pytest.raises(TypeError):
            pk.Money("1", "EUR") + other

    @pytest.mark.parametrize(
        ("operation", "verb"),
        [
            (lambda a, b: a + b, "add"),
            (lambda a, b: a - b, "subtract"),
            (lambda a, b: a < b, r"compare \(<\)"),
            (lambda a, b: a <= b, r"compare \(<=\)"),
            (lambda a, b: a > b, r"compare \(>\)"),
            (lambda a, b: a >= b, r"compare \(>=\)"),
        ],
    )
    def test_currency_mismatch(self, operation: Any, verb: str) -> None:
        """Mixing currencies raises CurrencyMismatch (a ValueError) naming both."""
        with pytest.raises(pk.CurrencyMismatch, match=f"cannot {verb} EUR and USD") as info:
            operation(pk.Money("1", "EUR"), pk.Money("1", "USD"))
        assert isinstance(info.value, ValueError)
        assert isinstance(info.value, pk.PipelineError)

    @given(s.amounts, s.amounts, s.currencies)
    def test_add_then_subtract(self, a: Decimal, b: Decimal, currency: str) -> None:
        """(a + b) - b == a, exactly."""
        x, y = pk.Money(a, currency), pk.Money(b, currency)
        assert (x + y) - y == x

    @given(st.lists(s.amounts, min_size=1, max_size=5))
    def test_order_matches_amounts(self, amounts: list[Decimal]) -> None:
        """Sorting Money sorts by amount within one currency."""
        monies = [pk.Money(a, "EUR") for a in amounts]
        assert [m.amount for m in sorted(monies)] == sorted(amounts)

    def test_ordering_with_non_money(self) -> None:
        with pytest.raises(TypeError):
            _ = pk.Money("1", "EUR") < 2


class TestStr:
    @pytest.mark.parametrize(
        ("money", "text"),
        [
            (pk.Money("25000", "EUR"), "25,000.00 EUR"),
            (pk.Money("1234567.5", "USD"), "1,234,567.50 USD"),
            (pk.Money("0.125", "EUR"), "0.125 EUR"),
            (pk.Money("-3", "JPY"), "-3.00 JPY"),
            (pk.Money("1e3", "EUR"), "1,000.00 EUR"),
        ],
    )
    def test_readable(self, money: pk.Money, text: str) -> None:
        """Thousands separators, at least two decimals, the code last."""
        assert str(money) == text

    def test_repr_shows_how_to_build(self) -> None:
        assert repr(pk.Money("1.5", "EUR")) == "Money(amount=Decimal('1.5'), currency='EUR')"
