"""Money: exact amounts, ISO 4217 codes, arithmetic and ordering within one currency."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, localcontext
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.values import DEFAULT_MINOR_UNIT, MINOR_UNITS, minor_unit
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
            (lambda m: m * Decimal("1e-999999999"), "not exact"),
            (lambda m: m * Decimal("1." + "3" * 70), "not exact"),
            (lambda m: m / Decimal("1e-30"), r"less than 10\*\*18"),
            # beyond any Decimal (an overflow, not an inexact result)
            (lambda m: m * Decimal("9e999999"), r"the result of .* less than 10\*\*18"),
            (lambda m: m / Decimal("1e-999999"), r"the result of .* less than 10\*\*18"),
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
            (pk.Money("-3", "JPY"), "-3 JPY"),
            (pk.Money("1e3", "EUR"), "1,000.00 EUR"),
        ],
    )
    def test_readable(self, money: pk.Money, text: str) -> None:
        """Thousands separators, the currency's decimal places (or more), the code last."""
        assert str(money) == text

    def test_repr_shows_how_to_build(self) -> None:
        assert repr(pk.Money("1.5", "EUR")) == "Money(amount=Decimal('1.5'), currency='EUR')"


class TestDisplay:
    """``str`` and ``format`` use the currency's ISO 4217 minor unit; documents stay exact."""

    @pytest.mark.parametrize(
        ("amount", "currency", "text"),
        [
            ("100", "JPY", "100 JPY"),
            ("1234567", "KRW", "1,234,567 KRW"),
            ("0.1", "BHD", "0.100 BHD"),
            ("12.5", "KWD", "12.500 KWD"),
            ("1", "CLF", "1.0000 CLF"),
            ("25000", "EUR", "25,000.00 EUR"),
            ("0.125", "EUR", "0.125 EUR"),  # more places than the minor unit: all shown
            ("100.5", "JPY", "100.5 JPY"),
            ("1", "XAU", "1 XAU"),  # no minor unit: the amount's own places
            ("1", "ZZZ", "1.00 ZZZ"),  # not in the table: 2
            ("-3", "USD", "-3.00 USD"),
        ],
    )
    def test_str(self, amount: str, currency: str, text: str) -> None:
        assert str(pk.Money(amount, currency)) == text

    @given(s.monies)
    def test_str_is_exact(self, money: pk.Money) -> None:
        """The text shows the exact amount (never rounded) with at least the minor unit."""
        number, _, code = str(money).rpartition(" ")
        assert code == money.currency
        assert Decimal(number.replace(",", "")) == money.amount
        places = len(number.partition(".")[2])
        assert places >= minor_unit(money.currency)

    @pytest.mark.parametrize(
        ("money", "amount"),
        [(pk.Money("100", "JPY"), "100"), (pk.Money("0.1", "BHD"), "0.1")],
    )
    def test_documents_keep_the_exact_amount(self, money: pk.Money, amount: str) -> None:
        assert pk.to_dict(money)["amount"] == amount
        assert pk.from_dict(pk.to_dict(money), pk.Money).amount.as_tuple() == (
            money.amount.as_tuple()
        )

    def test_table(self) -> None:
        """The table lists only codes whose minor unit is not 2, as three capital letters."""
        table = MINOR_UNITS
        assert all(len(code) == 3 and code.isupper() for code in table)
        assert set(table.values()) == {0, 3, 4}
        assert (table["JPY"], table["BHD"], table["CLF"]) == (0, 3, 4)
        assert "EUR" not in table
        assert DEFAULT_MINOR_UNIT == 2
        with pytest.raises(TypeError):
            table["EUR"] = 2  # type: ignore[index]  # read-only

    @pytest.mark.parametrize(
        ("spec", "text"),
        [
            ("", "1,234.565 EUR"),
            (".2f", "1234.56 EUR"),  # half-even: 1234.565 -> 1234.56
            (",.2f", "1,234.56 EUR"),
            ("_.1f", "1_234.6 EUR"),
            ("+.0f", "+1235 EUR"),
            (" .3f", " 1234.565 EUR"),
            ("f", "1234.565 EUR"),
            ("16", "    1234.565 EUR"),
            ("*<16,.2f", "1,234.56 EUR****"),
            ("^14.0f", "   1235 EUR   "),
        ],
    )
    def test_format(self, spec: str, text: str) -> None:
        money = pk.Money("1234.565", "EUR")
        assert format(money, spec) == text
        assert f"{money:{spec}}" == text

    def test_format_defaults_to_the_minor_unit(self) -> None:
        assert f"{pk.Money('5', 'JPY'):,}" == "5 JPY"
        assert f"{pk.Money('5', 'BHD'):>10}" == " 5.000 BHD"

    def test_format_ignores_the_callers_decimal_context(self) -> None:
        with localcontext() as context:
            context.rounding = ROUND_DOWN
            assert format(pk.Money("0.125", "EUR"), ".2f") == "0.12 EUR"  # half-even
            assert format(pk.Money("0.135", "EUR"), ".2f") == "0.14 EUR"

    @pytest.mark.parametrize("spec", ["d", ".2e", "%", ".13f", "x<<", "<5<", ".f", "1234", "=5"])
    def test_bad_format_spec(self, spec: str) -> None:
        with pytest.raises(pk.FieldValueError, match="not a Money format") as info:
            format(pk.Money("1", "EUR"), spec)
        assert info.value.field == "format_spec"


class TestFloatOperands:
    """A float factor or divisor is refused as the constructor refuses a float amount."""

    @pytest.mark.parametrize(
        "operation",
        [
            lambda m: m * 0.4,
            lambda m: 0.4 * m,
            lambda m: m / 0.4,
        ],
    )
    def test_explained(self, operation: Any) -> None:
        with pytest.raises(pk.FieldTypeError, match=r"float 0.4 is not exact.*Decimal\('0.4'\)"):
            operation(pk.Money("10", "EUR"))

    def test_names_the_operand(self) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            pk.Money("10", "EUR") * 0.4
        assert info.value.field == "factor"
        with pytest.raises(pk.FieldTypeError) as info:
            pk.Money("10", "EUR") / 2.0
        assert info.value.field == "divisor"

    def test_exact_operands_still_work(self) -> None:
        assert pk.Money("10", "EUR") * Decimal("0.4") == pk.Money("4", "EUR")
        assert pk.Money("1000", "JPY") / 3 == pk.Money("333", "JPY")
        assert pk.Money("1", "KWD") / 3 == pk.Money("0.333", "KWD")
