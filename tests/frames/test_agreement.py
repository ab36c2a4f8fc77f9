"""Row-wise and columnar answers agree: the property test of ``pipelinekit.frames``.

Random typed tables with nulls, NaN and incomparable columns, random qualifier trees over
them: ``frames.evaluate`` gives ``q.evaluate(row).outcome`` for every row, on every backend.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import example, given, settings

import pipelinekit as pk
from pipelinekit import frames
from pipelinekit.qualifiers import Qualifier
from tests.frames.strategies import AT, BLANK, qualifiers, rows, subject, table

_OUTCOME = {pk.Outcome.PASS: True, pk.Outcome.FAIL: False, pk.Outcome.UNKNOWN: None}


def _pandas_list(series: Any) -> list[bool | None]:
    assert isinstance(series, pd.Series)
    assert isinstance(series.dtype, pd.ArrowDtype)
    assert series.dtype.pyarrow_dtype == pa.bool_()
    return [None if v is pd.NA else bool(v) for v in series]


def _lazy_list(frame: Any) -> list[bool | None]:
    return list(frame.collect()["qualified"].to_list())


def _duckdb(df: pl.DataFrame) -> Any:
    """A DuckDB relation of the same data, with a "row" column (a join keeps no row order)."""
    return duckdb.from_arrow(df.with_row_index("row").to_arrow())


def _duckdb_list(relation: Any) -> list[bool | None]:
    return list(relation.pl().sort("row")["qualified"].to_list())


def _classic_pandas(df: pl.DataFrame) -> pd.DataFrame:
    """The frame as classic pandas builds it from Python values (NumPy and object columns).

    (polars' own ``to_pandas`` turns dates into naive datetime64 columns, which are rightly
    UNKNOWN against an aware ``at``: another table.) An empty frame has no types at all, so
    it is converted with pyarrow dtypes.
    """
    if df.height == 0:
        return df.to_pandas(use_pyarrow_extension_array=True)
    return pd.DataFrame({name: df[name].to_list() for name in df.columns})


_SESSION: list[Any] = []
_TABLES = itertools.count()


def _sqlframe(df: pl.DataFrame) -> Any:
    """A SQLFrame (the PySpark API over DuckDB) table of the same data.

    Spark SQL reads ``col("a.b")`` as a struct field and SQLFrame cannot even create a column
    named so, nor one of DuckDB's NULL type: the flat dotted columns are renamed (the test
    maps them back with ``columns=``, :data:`SPARK_COLUMNS`) and the column of nulls is an
    integer column of nulls. A "row" column lines rows up (Spark has no row order).
    """
    from sqlframe.duckdb import DuckDBSession  # noqa: PLC0415  # optional, slow to import

    if not _SESSION:
        _SESSION.append(DuckDBSession(conn=duckdb.connect()))
    session = _SESSION[0]
    nulls = [pl.col(c).cast(pl.Int64) for c, t in df.schema.items() if t == pl.Null]
    flat = df.rename({c: c.replace(".", "_") for c in df.columns}).with_columns(*nulls)
    arrow = flat.with_row_index("row").with_columns(pl.col("row").cast(pl.Int64)).to_arrow()  # noqa: F841  # read by DuckDB by name
    # A new name each time: SQLFrame's catalog keeps the columns of a table name it has read.
    name = f"frames_agreement_{next(_TABLES)}"
    session._conn.execute(f"CREATE TABLE {name} AS SELECT * FROM arrow")  # noqa: S608  # our name
    return session.table(name)


def _spark_list(frame: Any) -> list[bool | None]:
    rows = sorted(frame.select("row", "qualified").collect(), key=lambda r: r[0])
    return [r[1] for r in rows]


#: Paths to the renamed columns of the spark-like tables.
SPARK_COLUMNS = {"acc.size": "acc_size", "m.amount": "m_amount", "m.currency": "m_currency"}

#: backend name -> (make the native frame from the polars one, read the answer as a list)
BACKENDS: dict[str, tuple[Callable[[pl.DataFrame], Any], Callable[[Any], list[bool | None]]]] = {
    "polars": (lambda df: df, lambda s: list(s.to_list())),
    "polars-lazy": (lambda df: df.lazy(), _lazy_list),
    "pyarrow": (lambda df: df.to_arrow(), lambda s: list(s.to_pylist())),
    "pandas-pyarrow": (
        lambda df: df.to_pandas(use_pyarrow_extension_array=True),
        _pandas_list,
    ),
    "pandas-numpy": (_classic_pandas, _pandas_list),
    "duckdb": (_duckdb, _duckdb_list),
    "sqlframe": (_sqlframe, _spark_list),
}


def rowwise(q: Qualifier, cells: list[dict[str, Any]]) -> list[bool | None]:
    return [_OUTCOME[q.evaluate(subject(c), at=AT).outcome] for c in cells]


@pytest.mark.parametrize("backend", list(BACKENDS))
@settings(max_examples=60)
@given(q=qualifiers(), cells=rows())
@example(q=pk.field("i") >= 1, cells=[])  # an empty table
@example(q=pk.field("i").is_empty(), cells=[])  # a constant answer on an empty table
@example(q=pk.field("none") == 1, cells=[BLANK, BLANK])  # an all-null column
@example(q=~(pk.field("f") >= 1), cells=[{**BLANK, "f": float("nan")}, {**BLANK, "f": 1.0}])
@example(q=pk.field("d").within(timedelta.max), cells=[{**BLANK, "d": AT.date()}, BLANK])
@example(q=pk.field("t").older_than(timedelta.max), cells=[{**BLANK, "t": AT}])
@example(  # beyond nanoseconds (classic pandas): no bound
    q=pk.field("t").within(timedelta(days=10**6)), cells=[{**BLANK, "t": AT}]
)
@example(q=pk.field("i").is_in(()) | pk.field("s").not_in(()), cells=[BLANK, {**BLANK, "i": 1}])
@example(q=pk.field("b") == 1, cells=[{**BLANK, "b": True}])  # a bool is not a number
@example(q=pk.field("i") == True, cells=[{**BLANK, "i": 1}])  # noqa: E712  # builds a leaf
@example(q=pk.field("f") == 0.1, cells=[{**BLANK, "f": 0.1}])
@example(
    q=pk.field("f") == pk.qualifiers.Compare(path="f", op="==", value=Decimal("0.1")).value,
    cells=[{**BLANK, "f": 0.1}],
)  # 0.1 (a float) is not Decimal("0.1"), as in Python
@example(q=pk.field("i") < 1.5, cells=[{**BLANK, "i": 1}, {**BLANK, "i": 2}])
@example(q=pk.field("s").matches("a$"), cells=[{**BLANK, "s": "a\n"}, {**BLANK, "s": "x\r"}])
@example(q=pk.field("s").matches(r"\d"), cells=[{**BLANK, "s": "\u0661"}])
@example(  # the long s and the Kelvin sign fold to s and k, as in RE2 and Rust
    q=pk.field("s").matches("s", ignore_case=True) | pk.field("s").matches("k", ignore_case=True),
    cells=[{**BLANK, "s": c} for c in ["\u017f", "\u212a", "S", "K", "x"]],
)
@example(  # the dotless i and the dotted capital I fold to i in Python only
    q=pk.field("s").matches("^i$", ignore_case=True),
    cells=[{**BLANK, "s": c} for c in ["\u0131", "\u0130", "I", "i", "j"]],
)
@example(  # a negated class folds too: [^s] matches no form of s
    q=pk.field("s").matches("[^s]", ignore_case=True),
    cells=[{**BLANK, "s": c} for c in ["\u017f", "S", "x"]],
)
@example(q=pk.field("s").matches("(?i)x"), cells=[{**BLANK, "s": "X"}, {**BLANK, "s": "xa"}])
def test_evaluate_agrees_with_rowwise(
    backend: str, q: Qualifier, cells: list[dict[str, Any]]
) -> None:
    """Every row's answer is the row-wise outcome (null for UNKNOWN)."""
    make, read = BACKENDS[backend]
    expected = rowwise(q, cells)
    columns = SPARK_COLUMNS if backend == "sqlframe" else None
    got = read(frames.evaluate(q, make(table(cells)), at=AT, columns=columns))
    assert got == expected, (str(q), cells)


@settings(max_examples=30)
@given(q=qualifiers(), cells=rows())
def test_filter_keeps_the_passing_rows(q: Qualifier, cells: list[dict[str, Any]]) -> None:
    """``filter`` keeps exactly the rows that PASS, in order (polars and DuckDB)."""
    df = table(cells).with_row_index("row")
    expected = [i for i, r in enumerate(rowwise(q, cells)) if r is True]
    assert frames.filter(q, df, at=AT)["row"].to_list() == expected
    relation = duckdb.from_arrow(df.to_arrow())
    assert sorted(frames.filter(q, relation, at=AT).pl()["row"].to_list()) == expected
