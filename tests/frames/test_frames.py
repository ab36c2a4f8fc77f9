"""pipelinekit.frames: paths, money, time rules, regular expressions, lazy frames, errors."""

from __future__ import annotations

import importlib
import re
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import pipelinekit as pk
from pipelinekit import frames
from pipelinekit.frames._regex import portable_pattern

AT = datetime(2026, 11, 22, 12, tzinfo=UTC)


def answers(q: pk.Qualifier, df: Any, **kwargs: Any) -> list[bool | None]:
    return list(frames.evaluate(q, df, at=AT, **kwargs).to_list())


class TestPaths:
    def test_a_flat_dotted_column_is_read(self) -> None:
        """As pandas.json_normalize writes nested documents."""
        df = pl.DataFrame({"account.employees": [250, 20]})
        assert answers(pk.field("account.employees") >= 100, df) == [True, False]

    def test_a_struct_field_is_read(self) -> None:
        df = pl.DataFrame({"account": [{"employees": 250}, {"employees": None}, None]})
        assert answers(pk.field("account.employees") >= 100, df) == [True, None, None]

    def test_the_flat_column_wins_over_the_struct(self) -> None:
        df = pl.DataFrame({"a.b": [1], "a": [{"b": 5}]})
        assert answers(pk.field("a.b") == 1, df) == [True]

    def test_fields_under_a_column_of_nulls_are_missing(self) -> None:
        """An all-None column has no struct type (pyarrow's null): its fields are missing."""
        df = pl.DataFrame({"account": [None, None]})
        assert answers(pk.field("account.employees") >= 1, df) == [None, None]
        assert answers(pk.field("account.employees").is_missing(), df) == [True, True]

    def test_columns_maps_a_path_and_wins(self) -> None:
        df = pl.DataFrame({"employees": [250], "account.employees": [1]})
        q = pk.field("account.employees") >= 100
        assert answers(q, df, columns={"account.employees": "employees"}) == [True]

    def test_columns_none_means_missing_in_every_row(self) -> None:
        df = pl.DataFrame({"x": [1, 2]})
        q = pk.field("timeline").is_missing() & (pk.field("x") >= 1)
        assert answers(q, df, columns={"timeline": None}) == [True, True]
        assert answers(pk.field("timeline") == 1, df, columns={"timeline": None}) == [None, None]

    def test_a_typo_is_an_error_naming_close_columns(self) -> None:
        df = pl.DataFrame({"account.employees": [1]})
        with pytest.raises(pk.QualifierError, match=r"'acount.employees'.*close: 'account"):
            frames.evaluate(pk.field("acount.employees") >= 1, df)

    def test_a_mapping_to_no_column_is_an_error(self) -> None:
        with pytest.raises(pk.QualifierError, match="maps 'x' to 'y'"):
            frames.evaluate(pk.field("x") >= 1, pl.DataFrame({"z": [1]}), columns={"x": "y"})

    def test_columns_must_map_strings(self) -> None:
        with pytest.raises(pk.QualifierError, match="columns"):
            frames.evaluate(pk.field("x") >= 1, pl.DataFrame({"x": [1]}), columns={"x": 3})  # type: ignore[dict-item]
        with pytest.raises(pk.QualifierError, match="columns must be a mapping"):
            frames.evaluate(pk.field("x") >= 1, pl.DataFrame({"x": [1]}), columns=["x"])  # type: ignore[arg-type]


class TestComparability:
    def test_a_text_column_is_unknown_against_a_number(self) -> None:
        df = pl.DataFrame({"e": ["100", None]})
        assert answers(pk.field("e") == 100, df) == [None, None]

    def test_a_bool_column_is_never_a_number(self) -> None:
        df = pl.DataFrame({"b": [True, False]})
        assert answers(pk.field("b") == 1, df) == [None, None]
        assert answers(pk.field("b") > False, df) == [True, False]

    def test_nan_is_missing(self) -> None:
        df = pl.DataFrame({"f": [float("nan"), 1.0, None]})
        assert answers(pk.field("f").is_known(), df) == [False, True, False]
        assert answers(pk.field("f") != 2, df) == [None, True, None]

    def test_numbers_compare_exactly(self) -> None:
        """0.1 in a float column is not Decimal("0.1"); 2.5 lies between two integers."""
        from decimal import Decimal  # noqa: PLC0415  # only here

        floats = pl.DataFrame({"f": [0.1, 0.5]})
        assert answers(pk.field("f") == Decimal("0.1"), floats) == [False, False]
        assert answers(pk.field("f") < Decimal("0.1"), floats) == [False, False]
        assert answers(pk.field("f") == Decimal("0.5"), floats) == [False, True]
        ints = pl.DataFrame({"i": [2, 3]})
        assert answers(pk.field("i") < 2.5, ints) == [True, False]
        assert answers(pk.field("i") == 2.5, ints) == [False, False]
        assert answers(pk.field("i") < 10**30, ints) == [True, True]

    def test_lists_serve_contains_and_emptiness(self) -> None:
        df = pl.DataFrame({"pains": [["cost", "time"], [], None]})
        assert answers(pk.field("pains").contains("cost"), df) == [True, False, None]
        assert answers(pk.field("pains").is_not_empty(), df) == [True, False, None]
        assert answers(pk.field("pains").contains(1), df) == [False, False, None]

    def test_text_contains_a_substring(self) -> None:
        df = pl.DataFrame({"s": ["a.b", "ab"]})
        assert answers(pk.field("s").contains("."), df) == [True, False]
        assert answers(pk.field("s").contains(1), df) == [None, None]


class TestMoney:
    def df(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "budget.amount": [25000.0, 5000.0, 25000.0, None],
                "budget.currency": ["EUR"] * 2 + ["USD", "EUR"],
            }
        )

    def test_amount_and_currency_columns(self) -> None:
        q = pk.field("budget") >= pk.Money("10000", "EUR")
        assert answers(q, self.df()) == [True, False, None, None]

    def test_a_struct_money_column(self) -> None:
        df = pl.DataFrame({"budget": [{"amount": 25000.0, "currency": "EUR"}, None]})
        assert answers(pk.field("budget") >= pk.Money("10000", "EUR"), df) == [True, None]

    def test_without_a_currency_column_amounts_are_in_the_criterions(self) -> None:
        df = pl.DataFrame({"budget_eur": [25000.0]})
        q = pk.field("budget") >= pk.Money("10000", "EUR")
        assert answers(q, df, columns={"budget": "budget_eur"}) == [True]

    def test_is_in_by_currency(self) -> None:
        q = pk.field("budget").is_in({pk.Money("25000", "EUR"), pk.Money("1", "USD")})
        assert answers(q, self.df()) == [True, False, False, None]

    def test_a_plain_number_column_is_refused(self) -> None:
        with pytest.raises(pk.QualifierError, match="plain number column"):
            frames.evaluate(
                pk.field("budget") >= pk.Money("1", "EUR"), pl.DataFrame({"budget": [1]})
            )

    def test_a_text_amount_is_refused(self) -> None:
        """pd.json_normalize of pk.to_dict writes amounts as text: cast them first."""
        df = pl.DataFrame({"budget.amount": ["25000"], "budget.currency": ["EUR"]})
        with pytest.raises(pk.QualifierError, match="holds text"):
            frames.evaluate(pk.field("budget") >= pk.Money("1", "EUR"), df)

    def test_a_currency_column_of_nulls_holds_no_money(self) -> None:
        df = pl.DataFrame({"b.amount": [1.0], "b.currency": [None]})
        assert answers(pk.field("b") >= pk.Money("1", "EUR"), df) == [None]
        assert answers(pk.field("b").is_known(), df) == [False]

    def test_two_currencies_need_a_currency_column(self) -> None:
        q = pk.field("b").is_in({pk.Money("1", "EUR"), pk.Money("1", "USD")})
        with pytest.raises(pk.QualifierError, match="currency column"):
            frames.evaluate(q, pl.DataFrame({"b.amount": [1.0]}))


class TestTime:
    def test_a_date_column_is_measured_from_ats_own_date(self) -> None:
        """At 23:30 in Tokyo it is already the next day there."""
        at = datetime(2026, 11, 22, 23, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
        df = pl.DataFrame({"d": [date(2026, 11, 22), date(2026, 11, 21)]})
        q = pk.field("d").within_last(timedelta(0))
        assert frames.evaluate(q, df, at=at).to_list() == [True, False]
        assert [q.evaluate({"d": d}, at=at).passed for d in df["d"]] == [True, False]

    def test_a_naive_datetime_column_is_unknown(self) -> None:
        df = pl.DataFrame({"t": [datetime(2026, 11, 22)]})  # the point
        assert answers(pk.field("t").within(timedelta(days=1)), df) == [None]

    def test_an_aware_column_in_another_zone_compares_in_utc(self) -> None:
        berlin = datetime(2026, 11, 22, 13, 30, tzinfo=ZoneInfo("Europe/Berlin"))  # 12:30 UTC
        df = pl.DataFrame({"t": [berlin]}).with_columns(
            pl.col("t").dt.convert_time_zone("Europe/Berlin")
        )
        assert answers(pk.field("t").within_next(timedelta(hours=1)), df) == [True]
        assert answers(pk.field("t") > AT, df) == [True]

    def test_at_plus_delta_beyond_the_calendar_is_no_bound(self) -> None:
        df = pl.DataFrame({"d": [date(1, 1, 1), date(9999, 12, 31)]})
        assert answers(pk.field("d").within(timedelta.max), df) == [True, True]
        assert answers(pk.field("d").older_than(timedelta.max), df) == [False, False]

    def test_at_plus_delta_beyond_nanoseconds_is_no_bound(self) -> None:
        """A classic pandas timestamp column holds nanoseconds (years 1677 to 2262): an edge
        beyond them is no bound (pyarrow refused to cast it: ArrowInvalid)."""
        df = pd.DataFrame({"t": pd.to_datetime([AT, None, AT - timedelta(days=400)], utc=True)})
        assert str(df["t"].dtype) == "datetime64[ns, UTC]"
        big = timedelta(days=10**6)
        for q, expected in [
            (pk.field("t").within(big), [True, None, True]),
            (pk.field("t").older_than(big), [False, None, False]),
            (pk.field("t").within_next(big), [True, None, False]),
            (pk.field("t").within_last(big), [True, None, True]),
            (pk.field("t").older_than(timedelta(days=300)), [False, None, True]),
        ]:
            got = frames.evaluate(q, df, at=AT).tolist()
            assert [None if v is pd.NA else v for v in got] == expected, str(q)
            rows = [{"t": None if pd.isna(t) else t.to_pydatetime()} for t in df["t"]]
            assert [q.evaluate(r, at=AT).passed for r in rows] == [e is True for e in expected]

    @pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">="])
    @pytest.mark.parametrize(
        "edge", [datetime(2300, 1, 1, tzinfo=UTC), datetime(1600, 1, 1, tzinfo=UTC)]
    )
    def test_a_datetime_beyond_nanoseconds_compares_every_value(
        self, op: str, edge: datetime
    ) -> None:
        """A comparison with an instant a datetime64[ns] column cannot hold: decided for
        every value, as row-wise (the engine cannot even cast the literal)."""
        df = pd.DataFrame({"t": pd.to_datetime([AT, None], utc=True)})
        q = pk.Compare(path="t", op=op, value=edge)
        got = frames.evaluate(q, df, at=AT).tolist()
        assert [None if v is pd.NA else v for v in got] == [
            q.evaluate({"t": AT}).passed,
            None,
        ], str(q)

    def test_a_time_rule_needs_at(self) -> None:
        with pytest.raises(pk.QualifierError, match="at="):
            frames.evaluate(pk.field("d").within(timedelta(1)), pl.DataFrame({"d": [AT]}))


class TestRegex:
    def test_python_classes_are_kept(self) -> None:
        """\\d is Unicode in Python (RE2's is ASCII); $ matches before a final newline."""
        df = pl.DataFrame({"s": ["\u0661", "a\n", "x\r"]})
        for backend in (df, df.to_arrow(), duckdb.from_arrow(df.to_arrow())):
            result = frames.evaluate(pk.field("s").matches(r"\d|a$|^x.$"), backend)
            values = result.pl()["qualified"] if hasattr(result, "pl") else pl.Series(result)
            assert values.to_list() == [True, True, True]

    @pytest.mark.parametrize(
        "pattern",
        [r"(a)\1", "a(?=b)", r"\bword", "(?m)^a", "(?s)a.", "(?a)\\d", "(?m:a)", "(?im)a"],
    )
    def test_what_engines_read_differently_is_refused(self, pattern: str) -> None:
        with pytest.raises(pk.QualifierError, match="cannot run on dataframes"):
            portable_pattern(pattern, ignore_case=False)

    def test_refused_under_ignore_case_too(self) -> None:
        q = pk.field("s").matches(r"(a)\1", ignore_case=True)
        with pytest.raises(pk.QualifierError, match=r"matches\('\(a\)\\\\1'\) cannot run"):
            frames.evaluate(q, pl.DataFrame({"s": ["aA"]}))


#: Every code point but the surrogates, one per row: what the case tests run over.
_EVERY = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


@pytest.fixture(scope="module")
def every_character() -> pl.DataFrame:
    return pl.DataFrame({"s": _EVERY})


class TestIgnoreCase:
    """``ignore_case=True``, ``(?i)`` and ``(?i:…)`` mean what Python's ``re.IGNORECASE`` means."""

    @pytest.mark.parametrize(
        "pattern",
        [
            "s",  # also the long s U+017F
            "k",  # also the Kelvin sign U+212A
            "i",  # also U+0131 and U+0130, which RE2's and Rust's (?i) leave out
            "\u0130",
            "\u03c3",  # sigma: also the final sigma
            "[h-j]",
            "[^k]",
            r"[^\W\d]",
            "\u00df",  # sharp s: also the capital sharp s U+1E9E
        ],
    )
    def test_every_code_point_on_every_engine(
        self, every_character: pl.DataFrame, pattern: str
    ) -> None:
        """Each of the 1,112,064 code points is matched on polars, pyarrow and DuckDB exactly
        when Python's ``re.search(pattern, c, re.IGNORECASE)`` matches it."""
        regex = re.compile(pattern, re.IGNORECASE)
        expected = [regex.search(c) is not None for c in _EVERY]
        q = pk.field("s").matches(pattern, ignore_case=True)
        df = every_character
        for backend in (df, df.to_arrow(), duckdb.from_arrow(df.to_arrow())):
            result = frames.evaluate(q, backend)
            values = result.pl()["qualified"] if hasattr(result, "pl") else pl.Series(result)
            assert values.to_list() == expected, (pattern, type(backend))

    def test_inline_flags(self) -> None:
        """``(?i)`` for the whole pattern, ``(?i:…)`` and ``(?-i:…)`` for a part."""
        df = pl.DataFrame({"s": ["aBc", "ABC", "abC", "xY", "XY", "Xy"]})
        for pattern in ["(?i)ab", "a(?i:b)c", "(?i)x(?-i:Y)"]:
            regex = re.compile(pattern)
            expected = [regex.search(s) is not None for s in df["s"]]
            assert answers(pk.field("s").matches(pattern), df) == expected, pattern

    def test_an_uncased_pattern_is_unchanged(self) -> None:
        assert portable_pattern("1-2", ignore_case=True) == portable_pattern(
            "1-2", ignore_case=False
        )

    def test_case_is_written_as_explicit_code_points(self) -> None:
        """No ``(?i)`` reaches an engine: a cased literal becomes the class Python folds it to."""
        assert portable_pattern("s", ignore_case=True) == "[\\x{53}\\x{73}\\x{17F}]"
        assert portable_pattern("(?i)k", ignore_case=False) == "[\\x{4B}\\x{6B}\\x{212A}]"


class Flagged(pk.Qualifier):
    """A custom qualifier: frames cannot compile it."""

    def outcome(self, subject: object, at: datetime | None) -> pk.Outcome:
        return pk.Outcome.PASS


class TestRefusals:
    def test_a_custom_qualifier_is_named(self) -> None:
        q = (pk.field("x") == 1) & Flagged()
        with pytest.raises(pk.QualifierError, match=r"Flagged .*custom qualifier"):
            frames.evaluate(q, pl.DataFrame({"x": [1]}))

    def test_not_a_frame(self) -> None:
        with pytest.raises(pk.QualifierError, match="takes a dataframe"):
            frames.evaluate(pk.field("x") == 1, [{"x": 1}])

    def test_not_a_qualifier(self) -> None:
        with pytest.raises(pk.QualifierError, match="expected a qualifier"):
            frames.evaluate("x == 1", pl.DataFrame({"x": [1]}))  # type: ignore[arg-type]

    def test_bad_arguments(self) -> None:
        df = pl.DataFrame({"x": [1]})
        q = pk.field("x") == 1
        with pytest.raises(pk.QualifierError, match="name"):
            frames.evaluate(q, df, name="")
        with pytest.raises(pk.QualifierError, match="as_text"):
            frames.outcomes(q, df, as_text="yes")  # type: ignore[arg-type]
        with pytest.raises(pk.QualifierError, match="keep"):
            frames.outcomes(q, df, keep="x")
        with pytest.raises(pk.QualifierError, match="'y' is not a column"):
            frames.outcomes(q, df, keep=["y"])

    def test_weights_beyond_64_bits_are_refused(self) -> None:
        q = pk.weighted(
            {pk.field("x") == 1: 10**15, pk.field("x") == 2: 0.1 + 10**-14}, threshold=1
        )
        with pytest.raises(pk.QualifierError, match="64-bit"):
            frames.evaluate(q, pl.DataFrame({"x": [1]}))

    def test_without_narwhals_the_error_says_what_to_install(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for name in [
            m
            for m in sys.modules
            if m == "pipelinekit.frames" or m.startswith(("pipelinekit.frames.", "narwhals"))
        ]:
            monkeypatch.delitem(sys.modules, name)
        monkeypatch.setitem(sys.modules, "narwhals", None)
        with pytest.raises(pk.MissingDependency, match=r"pip install 'pipelinekit\[frames\]'"):
            importlib.import_module("pipelinekit.frames")


class TestNativeOut:
    def df(self) -> pl.DataFrame:
        return pl.DataFrame({"id": [1, 2, 3], "x": [5, 1, None]})

    def test_lazy_frames_stay_lazy(self) -> None:
        q = pk.field("x") > 2
        lazy = frames.evaluate(q, self.df().lazy())
        assert isinstance(lazy, pl.LazyFrame)
        assert lazy.collect()["qualified"].to_list() == [True, False, None]
        assert isinstance(frames.filter(q, self.df().lazy()), pl.LazyFrame)
        assert isinstance(frames.outcomes(q, self.df().lazy(), keep=["id"]), pl.LazyFrame)

    def test_duckdb_relations_stay_relations(self) -> None:
        relation = duckdb.from_arrow(self.df().to_arrow())
        result = frames.evaluate(pk.field("x") > 2, relation, name="big")
        assert isinstance(result, duckdb.DuckDBPyRelation)
        assert result.pl().sort("id")["big"].to_list() == [True, False, None]

    def test_eager_libraries_get_their_own_column(self) -> None:
        q = pk.field("x") > 2
        assert isinstance(frames.evaluate(q, self.df()), pl.Series)
        arrow = frames.evaluate(q, self.df().to_arrow())
        assert isinstance(arrow, pa.ChunkedArray)
        assert arrow.to_pylist() == [True, False, None]
        pandas = frames.evaluate(q, self.df().to_pandas())
        assert isinstance(pandas, pd.Series)
        assert pandas.name == "qualified"

    def test_outcomes_name_the_criteria(self) -> None:
        size = (pk.field("x") > 2).named("Size")
        again = (pk.field("x") > 4).named("Size")
        q = pk.at_least(1, size, again).named("Fit")
        table = frames.outcomes(q, self.df(), keep=["id"])
        assert table.columns == ["id", "Size", "Size (2)", "Fit"]
        assert table["Size (2)"].to_list() == [True, False, None]
        unnamed = frames.outcomes(pk.field("x") > 2, self.df(), as_text=True)
        assert unnamed.columns == ["qualified"]

    def test_pandas_outcomes_keep_the_index(self) -> None:
        df = self.df().to_pandas().set_axis(["a", "b", "c"])
        table = frames.outcomes((pk.field("x") > 2).named("Size"), df, keep=["id"])
        assert table.index.tolist() == ["a", "b", "c"]
        assert table["id"].tolist() == [1, 2, 3]


class TestSparkLike:
    def frame(self) -> Any:
        from tests.frames.test_agreement import _sqlframe  # noqa: PLC0415  # one builder

        cells = pl.DataFrame({"x": [5, 1, None], "acc.size": [1, 2, 3]})
        return _sqlframe(cells)

    def test_filter_outcomes_and_score_on_sqlframe(self) -> None:
        q = (pk.field("x") > 2).named("Big")
        kept = frames.filter(q, self.frame())
        assert [r[0] for r in kept.select("row").collect()] == [0]
        table = frames.outcomes(q, self.frame(), keep=["row"], as_text=True)
        assert sorted(tuple(r) for r in table.collect()) == [
            (0, "pass"),
            (1, "fail"),
            (2, "unknown"),
        ]
        model = pk.PointsModel(rules=[pk.Rule(pk.field("acc.size") >= 2, points=3)])
        scores = frames.score(model, self.frame(), at=AT, columns={"acc.size": "acc_size"})
        assert sorted(tuple(r) for r in scores.select("row", "score").collect()) == [
            (0, 0),
            (1, 3),
            (2, 3),
        ]


class TestPandasInput:
    def test_column_names_must_be_distinct_strings(self) -> None:
        with pytest.raises(pk.QualifierError, match="distinct strings"):
            frames.evaluate(pk.field("x") == 1, pd.DataFrame({0: [1]}))
        with pytest.raises(pk.QualifierError, match="distinct strings"):
            frames.evaluate(pk.field("x") == 1, pd.DataFrame([[1, 2]], columns=["x", "x"]))
