# Benchmark: pipelinekit.frames against hand-written dataframe expressions and row-wise Python.
#
#   .venv/bin/python -m tests.benchmarks.frames [--n 1000000] [--rowwise 100000] [--repeat 5]
#
# One table of --n rows (polars; columns named as pd.json_normalize writes them, about one
# value in six missing, one budget in ten in another currency), two qualifiers:
#   3 criteria:  all_of(account.employees >= 100, account.industry in {3}, account.country in {4})
#   6 criteria:  at_least(4, those three, authority == True, timeline within_next 180 days,
#                budget >= Money("10000", "EUR"))
# and for each, timed in the same run, interleaved (median of --repeat):
#   polars:    frames.evaluate(q, df, at=)            vs the same expression written in polars
#   pandas:    frames.evaluate on the pandas copy       vs the same in pandas
#              (pyarrow dtypes, the pandas frame frames reads without a copy)
#   duckdb:    frames.evaluate on a DuckDB table        vs the same expression in SQL,
#              both fetched as an Arrow table
#   row-wise:  frames.evaluate on polars (--n rows)     vs q.filter over the rows as nested
#              dicts; row-wise is timed on --rowwise rows, run n / rowwise times over, so both
#              sides cover --n rows
# Every hand-written baseline computes the same three-valued column (null = UNKNOWN); the
# script checks that before timing, and checks q.filter's rows against frames' PASS rows.
# Goals: <= 1.3x the hand-written expression; >= 10x faster than row-wise (ratio <= 0.1).
from __future__ import annotations

import argparse
import platform
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

import pipelinekit as pk
from pipelinekit import frames
from tests.benchmarks._timing import report

AT = datetime(2026, 12, 1, 9, tzinfo=UTC)
TODAY = AT.date()
WITHIN = timedelta(days=180)
INDUSTRIES = ("software", "fintech", "healthcare")
COUNTRIES = ("DE", "FR", "NL", "GB")
K = 4  # of the six criteria


def qualifiers() -> tuple[pk.Qualifier, pk.Qualifier]:
    employees = pk.field("account.employees") >= 100
    industry = pk.field("account.industry").is_in(INDUSTRIES)
    country = pk.field("account.country").is_in(COUNTRIES)
    authority = pk.field("authority") == True  # noqa: E712  # builds a qualifier
    timeline = pk.field("timeline").within_next(WITHIN)
    budget = pk.field("budget") >= pk.Money("10000", "EUR")
    three = pk.all_of(employees, industry, country)
    six = pk.at_least(K, employees, industry, country, authority, timeline, budget)
    return three, six


# --- data ------------------------------------------------------------------------------


def make_frame(n: int, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)

    def pick(values: Sequence[str]) -> np.ndarray[Any, Any]:
        return np.asarray(values, dtype=object)[rng.integers(0, len(values), n)]

    offsets = rng.integers(-60, 400, n).astype("timedelta64[D]")
    euro = rng.random(n) < 0.9
    df = pl.DataFrame(
        {
            "id": np.arange(n),
            "account.employees": rng.integers(1, 5000, n),
            "account.industry": pick((*INDUSTRIES, "retail", "logistics")),
            "account.country": pick((*COUNTRIES, "US", "BR")),
            "authority": rng.random(n) < 0.4,
            "timeline": np.datetime64(TODAY, "D") + offsets,
            "budget.amount": rng.integers(0, 4_000_000, n) / 100,
            "budget.currency": np.where(euro, "EUR", "USD"),
        },
        schema_overrides={"account.industry": pl.String, "account.country": pl.String},
    )
    budget_missing = pl.Series(rng.random(n) < 0.15)
    missing = {
        name: pl.Series(rng.random(n) < 0.15)
        for name in ("account.employees", "account.industry", "account.country", "authority")
    }
    missing["timeline"] = pl.Series(rng.random(n) < 0.15)
    missing["budget.amount"] = missing["budget.currency"] = budget_missing
    return df.with_columns(
        pl.when(pl.lit(mask)).then(None).otherwise(pl.col(name)).alias(name)
        for name, mask in missing.items()
    )


def as_dicts(df: pl.DataFrame) -> list[dict[str, object]]:
    # The rows as the nested documents a CRM would hand row-wise code (Money for budgets).
    return [
        {
            "account": {
                "employees": row["account.employees"],
                "industry": row["account.industry"],
                "country": row["account.country"],
            },
            "authority": row["authority"],
            "timeline": row["timeline"],
            "budget": None
            if row["budget.amount"] is None
            else pk.Money(f"{row['budget.amount']:.2f}", row["budget.currency"]),
        }
        for row in df.iter_rows(named=True)
    ]


# --- hand-written baselines: the same three-valued column -----------------------------------


def polars_three() -> pl.Expr:
    return (
        (pl.col("account.employees") >= 100)
        & pl.col("account.industry").is_in(INDUSTRIES)  # null in, null out
        & pl.col("account.country").is_in(COUNTRIES)
    )


def polars_six() -> pl.Expr:
    criteria = [
        pl.col("account.employees") >= 100,
        pl.col("account.industry").is_in(INDUSTRIES),
        pl.col("account.country").is_in(COUNTRIES),
        pl.col("authority"),
        pl.col("timeline").is_between(TODAY, TODAY + WITHIN),
        # another currency (or none) is UNKNOWN, as row-wise
        pl.when(pl.col("budget.currency") == "EUR").then(pl.col("budget.amount") >= 10_000),
    ]
    passed = pl.sum_horizontal(c.fill_null(False) for c in criteria)
    failed = pl.sum_horizontal((~c).fill_null(False) for c in criteria)
    return (
        pl.when(passed >= K).then(True).when(failed > len(criteria) - K).then(False).otherwise(None)
    )


def _isin(column: pd.Series, values: Sequence[str]) -> pd.Series:
    # pandas' isin answers False for a missing value; null in, null out instead
    return column.isin(values).astype("bool[pyarrow]").where(column.notna(), pd.NA)


def pandas_three(df: pd.DataFrame) -> pd.Series:
    return (
        (df["account.employees"] >= 100)
        & _isin(df["account.industry"], INDUSTRIES)
        & _isin(df["account.country"], COUNTRIES)
    )


def pandas_six(df: pd.DataFrame) -> pd.Series:
    timeline = df["timeline"]
    euro = df["budget.currency"] == "EUR"
    criteria = [
        df["account.employees"] >= 100,
        _isin(df["account.industry"], INDUSTRIES),
        _isin(df["account.country"], COUNTRIES),
        df["authority"],
        (timeline >= TODAY) & (timeline <= TODAY + WITHIN),
        (df["budget.amount"] >= 10_000).where(euro.fillna(False), pd.NA),
    ]
    passed = sum(c.fillna(False).astype("int8") for c in criteria)
    failed = sum((~c).fillna(False).astype("int8") for c in criteria)
    result = pd.Series(pd.NA, index=df.index, dtype="bool[pyarrow]")
    result[passed >= K] = True
    result[failed > len(criteria) - K] = False
    return result


SQL_THREE = (
    "\"account.employees\" >= 100 AND \"account.industry\" IN ('software', 'fintech', "
    "'healthcare') AND \"account.country\" IN ('DE', 'FR', 'NL', 'GB')"
)


def sql_six() -> str:
    criteria = [
        '"account.employees" >= 100',
        "\"account.industry\" IN ('software', 'fintech', 'healthcare')",
        "\"account.country\" IN ('DE', 'FR', 'NL', 'GB')",
        "authority",
        f"timeline BETWEEN DATE '{TODAY}' AND DATE '{TODAY + WITHIN}'",
        'CASE WHEN "budget.currency" = \'EUR\' THEN "budget.amount" >= 10000 END',
    ]
    passed = " + ".join(f"COALESCE({c}, false)::INT" for c in criteria)
    failed = " + ".join(f"COALESCE(NOT ({c}), false)::INT" for c in criteria)
    return f"CASE WHEN {passed} >= {K} THEN true WHEN {failed} > {len(criteria) - K} THEN false END"


# --- running and checking -------------------------------------------------------------------


def values(result: object) -> list[object]:
    """A result column as a Python list (None for null), whatever library it is in."""
    found: list[object]
    if isinstance(result, pl.Series):
        found = result.to_list()
    elif isinstance(result, pd.Series):
        found = [None if v is pd.NA else bool(v) for v in result.tolist()]
    elif isinstance(result, pa.Table):
        found = result.column(result.num_columns - 1).to_pylist()  # the answer comes last
    elif isinstance(result, duckdb.DuckDBPyRelation):
        found = values(result.to_arrow_table())
    else:
        raise TypeError(f"no reader for {type(result).__name__}")
    return found


def fetched(result: duckdb.DuckDBPyRelation) -> pa.Table:
    # a DuckDB answer is lazy (the relation plus the answer column): both sides fetch just
    # the answer, as an Arrow table
    return result.select("q").to_arrow_table()


def with_frames(q: pk.Qualifier, df: object) -> Callable[[], object]:
    return lambda: frames.evaluate(q, df, at=AT)


def with_frames_duckdb(q: pk.Qualifier, rel: duckdb.DuckDBPyRelation) -> Callable[[], object]:
    return lambda: fetched(frames.evaluate(q, rel, at=AT, name="q"))


def hand_polars(df: pl.DataFrame, expr: pl.Expr) -> Callable[[], object]:
    return lambda: df.select(expr).to_series()


def hand_pandas(
    df: pd.DataFrame, answer: Callable[[pd.DataFrame], pd.Series]
) -> Callable[[], object]:
    return lambda: answer(df)


def hand_sql(rel: duckdb.DuckDBPyRelation, expression: str) -> Callable[[], object]:
    return lambda: rel.select(duckdb.SQLExpression(expression).alias("q")).to_arrow_table()


def row_wise(q: pk.Qualifier, rows: list[dict[str, object]], rounds: int) -> Callable[[], object]:
    # the same rows, `rounds` times over: as many rows as the frames side answers
    return lambda: [q.filter(rows, at=AT) for _ in range(rounds)]


def check(label: str, ours: Callable[[], object], theirs: Callable[[], object]) -> None:
    mine, base = values(ours()), values(theirs())
    if mine != base:
        differ = [i for i, (a, b) in enumerate(zip(mine, base, strict=True)) if a != b]
        raise SystemExit(
            f"{label}: frames and the hand-written expression differ at {len(differ)} rows, "
            f"first {differ[0]}: {mine[differ[0]]!r} vs {base[differ[0]]!r}"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="frames vs hand-written and row-wise")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--rowwise", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args(argv)
    n, few = options.n, min(options.rowwise, options.n)
    if n % few:
        parser.error("--n must be a multiple of --rowwise")

    df = make_frame(n)
    pdf = df.to_pandas(types_mapper=pd.ArrowDtype)
    con = duckdb.connect()
    con.register("source", df.to_arrow())
    con.execute("CREATE TABLE contacts AS SELECT * FROM source")
    con.unregister("source")
    rel = con.table("contacts")
    sample = df.head(few)
    dicts = as_dicts(sample)
    three, six = qualifiers()

    cases: list[tuple[str, Callable[[], object], Callable[[], object], float]] = []
    for name, q, expr, pandas_expr, sql_expr in (
        ("3", three, polars_three(), pandas_three, SQL_THREE),
        ("6", six, polars_six(), pandas_six, sql_six()),
    ):
        cases += [
            (f"polars {name}", with_frames(q, df), hand_polars(df, expr), 1.3),
            (f"pandas {name}", with_frames(q, pdf), hand_pandas(pdf, pandas_expr), 1.3),
            (f"duckdb {name}", with_frames_duckdb(q, rel), hand_sql(rel, sql_expr), 1.3),
        ]
        # row-wise: the PASS rows of the sample must be the same rows
        passing = [i for i, v in enumerate(values(frames.evaluate(q, sample, at=AT))) if v]
        assert q.filter(dicts, at=AT) == [dicts[i] for i in passing], name
        # and every row's outcome on a small sample, through the explaining path
        outcomes = {pk.Outcome.PASS: True, pk.Outcome.FAIL: False, pk.Outcome.UNKNOWN: None}
        head = values(frames.evaluate(q, df.head(2000), at=AT))
        assert [outcomes[q.evaluate(d, at=AT).outcome] for d in dicts[:2000]] == head, name
        cases.append((f"row-wise {name}", with_frames(q, df), row_wise(q, dicts, n // few), 0.1))
    for label, ours, theirs, _ in cases:
        if not label.startswith("row-wise"):
            check(label, ours, theirs)

    print(f"pipelinekit.frames over {n:,} rows; CPython {platform.python_version()}")
    print(
        f"polars {pl.__version__}, pandas {pd.__version__}, pyarrow {pa.__version__}, "
        f"duckdb {duckdb.__version__}; row-wise on {few:,} rows x {n // few}"
    )
    print(f"date {date.today()}")  # the day of the run, for the docs
    report(cases, n=n, repeat=options.repeat, unit="ns")


if __name__ == "__main__":
    main()
