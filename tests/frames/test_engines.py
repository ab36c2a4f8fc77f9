"""Row-wise and columnar answers agree on the engines that start a cluster: Dask and PySpark.

Marked ``dask`` and ``spark`` (``.ci/run`` runs them; ``pytest -m "spark or dask"``): a Spark
session starts a JVM (about 11 s). Same random typed tables and trees as
``test_agreement.py``; on Dask without struct paths and ``matches`` (which frames refuses
there, see ``pipelinekit.frames``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings

from pipelinekit import frames
from pipelinekit.qualifiers import Qualifier
from tests.frames.strategies import AT, PATHS, qualifiers, rows, table
from tests.frames.test_agreement import rowwise

#: narwhals 2.29 warns on every Dask frame that Dask support moves to a plugin
#: (narwhals-dask, not yet on the package index).
DASK_MOVING = "ignore:.*[Dd]ask.*:FutureWarning"
DASK_PATHS = tuple(p for p in PATHS if p != "st.x")


@pytest.mark.dask
@pytest.mark.filterwarnings(DASK_MOVING)
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(q=qualifiers(DASK_PATHS, regex=False), cells=rows())
def test_dask_agrees_with_rowwise(q: Qualifier, cells: list[dict[str, Any]]) -> None:
    """Two partitions of pyarrow-backed pandas; the answer is a bool[pyarrow] column."""
    import dask  # noqa: PLC0415  # marked test: only imported when it runs
    import dask.dataframe as dd  # noqa: PLC0415

    pandas = table(cells).to_pandas(use_pyarrow_extension_array=True)
    ddf = dd.from_pandas(pandas, npartitions=2)  # type: ignore[no-untyped-call]  # dask
    with dask.config.set(scheduler="synchronous"):
        result = frames.evaluate(q, ddf, at=AT).compute()["qualified"]
    assert result.dtype == pd.ArrowDtype(__import__("pyarrow").bool_())
    assert [None if v is pd.NA else bool(v) for v in result] == rowwise(q, cells), str(q)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession  # noqa: PLC0415  # marked test: starts a JVM

    session = (
        SparkSession.builder.master("local[1]")
        .appName("pipelinekit-frames")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        # naive timestamps stay naive (Spark's default TIMESTAMP is an instant)
        .config("spark.sql.timestampType", "TIMESTAMP_NTZ")
        .getOrCreate()
    )
    yield session
    session.stop()


def _spark_frame(spark: Any, df: pl.DataFrame) -> Any:
    """The table in Spark, dotted names kept (frames quotes them); nulls as integers."""
    nulls = [pl.col(c).cast(pl.Int64) for c, t in df.schema.items() if t == pl.Null]
    arrow = df.with_columns(*nulls).with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))
    return spark.createDataFrame(arrow.to_arrow())


@pytest.mark.spark
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(q=qualifiers(items=False), cells=rows())
def test_pyspark_agrees_with_rowwise(spark: Any, q: Qualifier, cells: list[dict[str, Any]]) -> None:
    result = frames.evaluate(q, _spark_frame(spark, table(cells)), at=AT)
    got = [r[1] for r in sorted(result.select("row", "qualified").collect(), key=lambda r: r[0])]
    assert got == rowwise(q, cells), str(q)


@pytest.mark.dask
@pytest.mark.filterwarnings(DASK_MOVING)
class TestDask:
    def frame(self) -> Any:
        import dask.dataframe as dd  # noqa: PLC0415  # marked test

        df = pd.DataFrame({"id": [1, 2, 3, 4], "x": pd.array([5, 1, None, 3], dtype="Int64")})
        return dd.from_pandas(df, npartitions=2)  # type: ignore[no-untyped-call]  # dask

    def test_outcomes_filter_and_score(self) -> None:
        import pipelinekit as pk  # noqa: PLC0415  # only here

        q = (pk.field("x") > 2).named("Big")
        table = frames.outcomes(q, self.frame(), keep=["id"]).compute()
        assert table.columns.tolist() == ["id", "Big"]
        assert [None if v is pd.NA else v for v in table["Big"]] == [True, False, None, True]
        text = frames.outcomes(q, self.frame(), as_text=True).compute()
        assert text["Big"].tolist() == ["pass", "fail", "unknown", "pass"]
        assert frames.filter(q, self.frame()).compute()["id"].tolist() == [1, 4]
        model = pk.PointsModel(rules=[pk.Rule(q, points=10)], thresholds={"mql": 5})
        scores = frames.score(model, self.frame(), at=AT, detail=True, keep=["id"]).compute()
        assert scores["score"].tolist() == [10, 0, 0, 10]
        assert [None if v is pd.NA else v for v in scores["grade"]] == ["mql", None, None, "mql"]


@pytest.mark.dask
@pytest.mark.filterwarnings(DASK_MOVING)
def test_dask_partitions_of_nullable_pandas_booleans() -> None:
    """pandas' own nullable booleans (``boolean``, not pyarrow's) in Dask partitions: a bool
    criterion is three-valued there too (casting ``<NA>`` to an integer raised)."""
    import dask  # noqa: PLC0415  # marked test: only imported when it runs
    import dask.dataframe as dd  # noqa: PLC0415

    import pipelinekit as pk  # noqa: PLC0415  # with the other imports of this test

    cells = pd.DataFrame({"b": pd.array([True, None, False, True], dtype="boolean")})
    ddf = dd.from_pandas(cells, npartitions=2)  # type: ignore[no-untyped-call]  # dask
    with dask.config.set(scheduler="synchronous"):
        for q, expected in [
            (pk.field("b") == True, [True, None, False, True]),  # noqa: E712  # a qualifier
            (pk.field("b") != True, [False, None, True, False]),  # noqa: E712  # a qualifier
            (~(pk.field("b") == False), [True, None, False, True]),  # noqa: E712  # a qualifier
        ]:
            result = frames.evaluate(q, ddf).compute()["qualified"]
            assert [None if v is pd.NA else bool(v) for v in result] == expected, str(q)
