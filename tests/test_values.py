"""Money: exact amounts, ISO 4217 codes, arithmetic and ordering within one currency."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, localcontext
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
        [
            ("25000", Decimal(25000)),
            ("1.50", Decimal("1.50")),
            ("-0.5", Decimal("-0.5")),
            ("+2", Decimal(2)),
            ("1e6", Decimal(10**6)),
            ("1.5E-3", Decimal("0.0015")),
            (7, Decimal(7)),
            (Decimal("1E+17"), Decimal(10**17)),
        ],
    )
    def test_accepted_amounts(self, amount: Any, expected: Decimal) -> None:
        """Plain decimal text, int and Decimal amounts become an exact Decimal."""
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

    @pytest.mark.parametrize(
        "amount",
        [
            "abc",
            "",
            "1,000",
            "1_000",
            " 1 ",
            "1 ",
            "1.",
            ".5",
            "--1",
            "\u0661",  # ARABIC-INDIC DIGIT ONE: Decimal() reads it, a document must not
            "NaN",
            "Infinity",
            "inf",
            Decimal("-inf"),
            Decimal("NaN"),
        ],
    )
    def test_bad_numbers_refused(self, amount: Any) -> None:
        """Text that is not a plain finite decimal number is a value error naming the amount."""
        with pytest.raises(pk.FieldValueError, match=r"^amount: ") as info:
            pk.Money(amount, "EUR")
        assert isinstance(info.value, ValueError)

    @pytest.mark.parametrize(
        ("amount", "problem"),
        [
            ("1e-999999999", "at most 12 decimal places, got 999999999"),
            ("0.0000000000001", "at most 12 decimal places, got 13"),
            (Decimal("1.0000000000001"), "at most 12 decimal places"),
            ("1e18", r"less than 10\*\*18 in magnitude"),
            ("-1000000000000000000.5", r"less than 10\*\*18"),
            ("1" * 19, r"less than 10\*\*18"),
            (10**18, r"less than 10\*\*18"),
            (-(10**4000), r"less than 10\*\*18.*got <int of about"),
            ("1e999999999", r"less than 10\*\*18"),
        ],
    )
    def test_out_of_bounds_refused(self, amount: Any, problem: str) -> None:
        """Amounts are bounded (|amount| < 10**18, at most 12 places): no 1 GB strings."""
        with pytest.raises(pk.FieldValueError, match=rf"^amount: .*{problem}"):
            pk.Money(amount, "EUR")

    @pytest.mark.parametrize(
        "amount", ["999999999999999999.999999999999", "-0.000000000001", "0e+30", "1e17"]
    )
    def test_bounds_are_inclusive(self, amount: str) -> None:
        """The largest and the finest amounts within the bounds are accepted."""
        assert pk.Money(amount, "EUR").amount == Decimal(amount)

    @given(st.from_regex(r"[+-]?[0-9]{1,18}(\.[0-9]{1,12})?", fullmatch=True))
    def test_every_plain_decimal_within_bounds_accepted(self, text: str) -> None:
        """Any plain decimal text with <= 18 integer and <= 12 decimal digits is accepted."""
        assert pk.Money(text, "EUR").amount == Decimal(text)

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

    @pytest.mark.parametrize(
        ("money", "divisor", "expected"),
        [
            (pk.Money("10", "EUR"), 3, "3.33"),
            (pk.Money("10.000", "EUR"), 3, "3.333"),
            (pk.Money("0.05", "EUR"), 2, "0.02"),  # half-even: 0.025 -> 0.02
            (pk.Money("0.15", "EUR"), 2, "0.08"),  # half-even: 0.075 -> 0.08
            (pk.Money("-10", "EUR"), 3, "-3.33"),
            (pk.Money("1", "EUR"), Decimal("0.3"), "3.33"),
        ],
    )
    def test_division_rounds_half_even(self, money: pk.Money, divisor: Any, expected: str) -> None:
        """/ rounds half-even to the amount's places (at least 2): never 27 decimals."""
        result = money / divisor
        assert str(result.amount) == expected

    @given(s.amounts, s.amounts, st.integers(min_value=1, max_value=10))
    def test_arithmetic_ignores_the_callers_context(
        self, a: Decimal, b: Decimal, prec: int
    ) -> None:
        """+, - and * give the exact result (and / the same result) whatever the context."""
        x, y = pk.Money(a, "EUR"), pk.Money(b, "EUR")
        with localcontext(prec=40):
            exact = (a + b, a - b, a * 3)
        quarter = (x / 7).amount
        with localcontext(prec=prec, rounding=ROUND_DOWN):
            results = ((x + y).amount, (x - y).amount, (x * 3).amount, (x / 7).amount)
        assert results == (*exact, quarter)

    def test_cents_are_never_dropped(self) -> None:
        """A sum too large for exact cents raises instead of rounding them away."""
        with localcontext(prec=4):
            assert pk.Money("12345.67", "EUR") + pk.Money("0.01", "EUR") == pk.Money(
                "12345.68", "EUR"
            )
        big = pk.Money("999999999999999999", "EUR")
        with pytest.raises(pk.FieldValueError, match=r"^amount: the result of .* \+ .*10\*\*18"):
            big + pk.Money("1", "EUR")

    @pytest.mark.parametrize(
        ("operation", "problem"),
        [
            (lambda m: m * Decimal("0.00000000001"), "at most 12 decimal places"),
            (lambda m: m * 10**18, r"less than 10\*\*18"),
            (lambda m: m * Decimal("NaN"), "must be finite"),
            (lambda m: m * Decimal("1e-999999999"), "not exact"),
            (lambda m: m * Decimal("1." + "3" * 70), "not exact"),
            (lambda m: m / Decimal("1e-30"), r"less than 10\*\*18"),
            (lambda m: m - pk.Money("-999999999999999999", "EUR"), r"less than 10\*\*18"),
        ],
    )
    def test_results_out_of_bounds_or_inexact_raise(self, operation: Any, problem: str) -> None:
        """A result Money cannot hold exactly is a FieldValueError (a ValueError) naming it."""
        with pytest.raises(pk.FieldValueError, match=rf"^amount: .*{problem}") as info:
            operation(pk.Money("1.25", "EUR"))
        assert isinstance(info.value, ValueError)
        assert isinstance(info.value, pk.PipelineError)

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
