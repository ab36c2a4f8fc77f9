"""Row-wise and columnar answers agree on the engines that start a cluster: Dask and PySpark.

Marked ``dask`` and ``spark`` (``.ci/run`` runs them; ``pytest -m "spark or dask"``): a Spark
session starts a JVM (about 11 s). Same random typed tables and trees as
``test_agreement.py``, struct paths, ``matches`` and money included. Dask frames are answered
partition by partition through the eager pandas path (``pipelinekit.frames._dask``), never
through narwhals' Dask backend: the tests let no warning pass (narwhals 2.29 warns on every
Dask frame it wraps that Dask support moves to a plugin).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings

import pipelinekit as pk
from pipelinekit import frames
from pipelinekit.qualifiers import Qualifier
from tests.frames.strategies import AT, BLANK, qualifiers, rows, table
from tests.frames.test_agreement import rowwise


@pytest.mark.dask
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(q=qualifiers(), cells=rows())
@example(q=pk.field("st.x") >= 1, cells=[{**BLANK, "st": {"x": 2}}, {**BLANK, "st": None}])
@example(
    q=pk.field("s").matches("^i$", ignore_case=True) | pk.field("s").matches("a$"),
    cells=[{**BLANK, "s": c} for c in ["\u0130", "I", "a\n", "x"]],
)
@example(
    q=pk.field("m") >= pk.Money("1", "EUR"), cells=[{**BLANK, "m.amount": 1.5, "m.currency": "EUR"}]
)
@example(q=pk.field("t").within(timedelta(days=2)), cells=[{**BLANK, "t": AT}, BLANK])
def test_dask_agrees_with_rowwise(q: Qualifier, cells: list[dict[str, Any]]) -> None:
    """Two partitions of pyarrow-backed pandas; the answer is a bool[pyarrow] column."""
    import dask  # noqa: PLC0415  # marked test: only imported when it runs
    import dask.dataframe as dd  # noqa: PLC0415

    pandas = table(cells).to_pandas(use_pyarrow_extension_array=True)
    ddf = dd.from_pandas(pandas, npartitions=2)  # type: ignore[no-untyped-call]  # dask
    with dask.config.set(scheduler="synchronous"):
        result = frames.evaluate(q, ddf, at=AT).compute()["qualified"]
    assert result.dtype == pd.ArrowDtype(pa.bool_())
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
        # blocks are fetched from the driver: on the loopback, whatever the host's address
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
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
@given(q=qualifiers(), cells=rows())
@example(  # an item check on a frame with dotted column names
    q=pk.any_item("people", pk.field("role") == "buyer") & (pk.field("acc.size") >= 1),
    cells=[{**BLANK, "people": [{"role": "buyer"}], "acc.size": 2}, BLANK],
)
def test_pyspark_agrees_with_rowwise(spark: Any, q: Qualifier, cells: list[dict[str, Any]]) -> None:
    result = frames.evaluate(q, _spark_frame(spark, table(cells)), at=AT)
    got = [r[1] for r in sorted(result.select("row", "qualified").collect(), key=lambda r: r[0])]
    assert got == rowwise(q, cells), str(q)


def _dask(df: pd.DataFrame, npartitions: int = 2) -> Any:
    import dask.dataframe as dd  # noqa: PLC0415  # marked tests: only imported when they run

    return dd.from_pandas(df, npartitions=npartitions)  # type: ignore[no-untyped-call]  # dask


def _values(series: Any) -> list[Any]:
    return [None if v is pd.NA else v for v in series]


def _arrow(values: list[Any], type_: Any) -> Any:
    return pd.array(values, dtype=pd.ArrowDtype(type_))


def _explode(part: pd.DataFrame) -> pd.DataFrame:
    raise RuntimeError("a partition was computed")


class _Custom(pk.Qualifier):
    """A custom qualifier: frames cannot compile it."""

    def outcome(self, subject: object, at: datetime | None) -> pk.Outcome:
        return pk.Outcome.PASS


@pytest.fixture
def synchronous() -> Iterator[None]:
    import dask  # noqa: PLC0415  # marked tests

    with dask.config.set(scheduler="synchronous"):
        yield


@pytest.mark.dask
@pytest.mark.usefixtures("synchronous")
class TestDask:
    """Dask frames in, Dask frames out, each partition answered as a pandas frame is."""

    def frame(self) -> Any:
        df = pd.DataFrame({"id": [1, 2, 3, 4], "x": pd.array([5, 1, None, 3], dtype="Int64")})
        return _dask(df)

    def test_outcomes_filter_and_score(self) -> None:
        q = (pk.field("x") > 2).named("Big")
        table = frames.outcomes(q, self.frame(), keep=["id"]).compute()
        assert table.columns.tolist() == ["id", "Big"]
        assert _values(table["Big"]) == [True, False, None, True]
        text = frames.outcomes(q, self.frame(), as_text=True).compute()
        assert text["Big"].tolist() == ["pass", "fail", "unknown", "pass"]
        assert frames.filter(q, self.frame()).compute()["id"].tolist() == [1, 4]
        model = pk.PointsModel(rules=[pk.Rule(q, points=10)], thresholds={"mql": 5})
        scores = frames.score(model, self.frame(), at=AT, detail=True, keep=["id"]).compute()
        assert scores.columns.tolist() == ["id", "fit", "score", "grade"]
        assert scores["score"].tolist() == [10, 0, 0, 10]
        assert _values(scores["grade"]) == ["mql", None, None, "mql"]

    def test_the_shapes_are_those_of_a_lazy_frame(self) -> None:
        """evaluate and score: the frame plus the column (an existing one is replaced);
        filter: the frame's rows; outcomes and score(detail=True): the kept and answer columns."""
        import dask.dataframe as dd  # noqa: PLC0415  # marked test

        q = pk.field("x") > 2
        model = pk.PointsModel(rules=[pk.Rule(q, points=10)])
        results = {
            "evaluate": frames.evaluate(q, self.frame()),
            "replaced": frames.evaluate(q, self.frame(), name="x"),
            "filter": frames.filter(q, self.frame()),
            "outcomes": frames.outcomes(q, self.frame(), keep=["id"]),
            "score": frames.score(model, self.frame(), at=AT, name="points"),
            "detail": frames.score(model, self.frame(), at=AT, detail=True),
        }
        assert all(isinstance(r, dd.DataFrame) for r in results.values())
        columns = {k: r.columns.tolist() for k, r in results.items()}
        assert columns == {
            "evaluate": ["id", "x", "qualified"],
            "replaced": ["id", "x"],
            "filter": ["id", "x"],
            "outcomes": ["id", "qualified"],
            "score": ["id", "x", "points"],
            "detail": ["fit", "score"],
        }
        assert _values(results["replaced"].compute()["x"]) == [True, False, None, True]
        for name, result in results.items():  # the meta says what compute gives
            computed = result.compute()
            assert computed.dtypes.to_dict() == result.dtypes.to_dict(), name
            assert computed.index.tolist() == ([0, 3] if name == "filter" else [0, 1, 2, 3]), name

    def test_money_on_a_decimal_column(self) -> None:
        """A Decimal criterion on a decimal128 amount column (narwhals' Dask backend gave the
        literal a text meta and pandas refused the comparison)."""
        df = pd.DataFrame(
            {
                "budget.amount": _arrow(
                    [Decimal("9999.99"), Decimal("10000"), None, Decimal("50000"), Decimal(1)],
                    pa.decimal128(12, 2),
                ),
                "budget.currency": _arrow(["EUR", "EUR", "EUR", "USD", None], pa.string()),
            }
        )
        q = pk.field("budget") >= pk.Money("10000", "EUR")
        expected = [False, True, None, None, None]  # another currency, or none: UNKNOWN
        assert _values(frames.evaluate(q, _dask(df))["qualified"].compute()) == expected
        amounts = pk.field("budget").is_in({pk.Money("1", "EUR"), pk.Money("50000", "USD")})
        got = frames.evaluate(amounts, _dask(df))["qualified"].compute()
        assert _values(got) == [False, False, None, True, None]

    def test_timestamps(self) -> None:
        """A datetime criterion and time rules on an aware timestamp column, in any zone."""
        stamps = [AT - timedelta(days=1), AT - timedelta(days=40), None, AT + timedelta(hours=1)]
        df = pd.DataFrame(
            {
                "t": _arrow(stamps, pa.timestamp("us", "UTC")),
                "paris": _arrow(stamps, pa.timestamp("us", "Europe/Paris")),
                "d": _arrow([s and s.date() for s in stamps], pa.date32()),
            }
        )
        for path in ("t", "paris"):
            for q, expected in [
                (pk.field(path) >= AT - timedelta(days=2), [True, False, None, True]),
                (pk.field(path).within_last(timedelta(days=30)), [True, False, None, False]),
                (pk.field(path).older_than(timedelta(days=30)), [False, True, None, False]),
            ]:
                got = frames.evaluate(q, _dask(df), at=AT)["qualified"].compute()
                assert _values(got) == expected, (path, str(q))
        q = pk.field("d").within_next(timedelta(days=0))
        got = frames.evaluate(q, _dask(df), at=AT)["qualified"].compute()
        assert _values(got) == [False, False, None, True]

    def test_struct_fields(self) -> None:
        struct = pa.struct([("employees", pa.int64()), ("country", pa.string())])
        account = [{"employees": 500, "country": "DE"}, {"employees": 5, "country": None}, None]
        df = pd.DataFrame({"account": _arrow(account, struct)})
        for q, expected in [
            (pk.field("account.employees") >= 100, [True, False, None]),
            (pk.field("account.country").is_known(), [True, False, False]),
        ]:
            assert _values(frames.evaluate(q, _dask(df))["qualified"].compute()) == expected

    @pytest.mark.parametrize(
        "dtype", [pd.ArrowDtype(pa.string()), pd.StringDtype("pyarrow"), object]
    )
    def test_matches_as_pythons_re(self, dtype: Any) -> None:
        """``$`` before a final newline, Unicode ``\\d``, case folded as re.IGNORECASE does;
        whatever the text column's dtype (pandas would pick Python's re or RE2 by dtype)."""
        text = ["a\n", "\u0661", "\u0130", "\u017f", "x", None]
        df = pd.DataFrame({"s": pd.array(text, dtype=dtype)})
        for q, expected in [
            (pk.field("s").matches(r"a$|\d"), [True, True, False, False, False, None]),
            (
                pk.field("s").matches("^[is]$", ignore_case=True),
                [False, False, True, True, False, None],
            ),
            (pk.field("s").matches("(?i)X"), [False, False, False, False, True, None]),
        ]:
            assert [q.evaluate({"s": t}).passed for t in text[:-1]] == expected[:-1]
            got = frames.evaluate(q, _dask(df, 3))["qualified"].compute()
            assert _values(got) == expected, str(q)

    def test_errors_are_raised_at_call_time(self) -> None:
        """Compiled against the meta when called: nothing to compute for an error to show."""
        import dask.dataframe as dd  # noqa: PLC0415  # marked test

        df = self.frame()
        exploding = df.map_partitions(_explode, meta=df._meta)
        one, nothing, no_columns = cast("Any", 1), cast("Any", None), cast("Any", [])
        series = dd.from_pandas(pd.Series([1]))  # type: ignore[no-untyped-call]  # dask
        bad: list[tuple[Callable[[], object], str]] = [
            (lambda: frames.evaluate(pk.field("nope") == 1, exploding), "no column for path"),
            (lambda: frames.filter(_Custom(), exploding), "custom qualifier"),
            (lambda: frames.outcomes(pk.field("x") > 1, exploding, keep=["y"]), "keep: 'y'"),
            (lambda: frames.outcomes(pk.field("x") > 1, exploding, as_text=one), "as_text"),
            (lambda: frames.evaluate(pk.field("x") > 1, exploding, name=""), "name must"),
            (
                lambda: frames.evaluate(pk.field("x") > 1, exploding, columns=no_columns),
                "columns must",
            ),
            (
                lambda: frames.score(
                    pk.PointsModel(rules=[pk.EventRule(channel="email", points=1)]),
                    exploding,
                    at=AT,
                ),
                "EventRule",
            ),
            (
                lambda: frames.score(pk.PointsModel(rules=[]), exploding, at=AT, detail=nothing),
                "detail",
            ),
            (lambda: frames.evaluate(pk.field("x") > 1, series), "a Dask DataFrame, got a Series"),
        ]
        for call, message in bad:
            with pytest.raises(pk.QualifierError, match=message):
                call()

    def test_nothing_is_computed_at_call_time(self) -> None:
        """Lazy stays lazy: the answers are computed with the frame, when the caller asks."""
        df = self.frame()
        exploding = df.map_partitions(_explode, meta=df._meta)
        q = (pk.field("x") > 2).named("Big")
        model = pk.PointsModel(rules=[pk.Rule(q, points=1)], thresholds={"a": 1})
        results = [
            frames.evaluate(q, exploding),
            frames.filter(q, exploding),
            frames.outcomes(q, exploding, as_text=True, keep=["id"]),
            frames.score(model, exploding, at=AT),
            frames.score(model, exploding, at=AT, detail=True, keep=["id"]),
        ]
        for result in results:
            with pytest.raises(RuntimeError, match="a partition was computed"):
                result.compute()

    def test_repeated_index_labels_and_empty_partitions(self) -> None:
        df = pd.DataFrame({"x": pd.array([5, 1, 3, 0], dtype="Int64")}, index=[0, 0, 1, 1])
        ddf = _dask(df).map_partitions(lambda p: p[p["x"] > 0], meta=df.iloc[:0])
        q = pk.field("x") > 2
        assert _values(frames.evaluate(q, ddf)["qualified"].compute()) == [True, False, True]
        empty = frames.filter(q, frames.filter(pk.field("x") > 9, ddf)).compute()
        assert empty.columns.tolist() == ["x"]
        assert len(empty) == 0

    def test_narwhals_never_wraps_a_dask_frame(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Only pandas partitions reach narwhals (its Dask backend is deprecated and gave
        decimal and datetime literals a text meta)."""
        import narwhals.stable.v2 as nw  # noqa: PLC0415  # the module frames calls

        wrapped: list[str] = []
        original = nw.from_native

        def spy(native: Any, **kwargs: Any) -> Any:
            wrapped.append(type(native).__module__.partition(".")[0])
            return original(native, **kwargs)

        monkeypatch.setattr(nw, "from_native", spy)
        q = (pk.field("x") > 2).named("Big")
        model = pk.PointsModel(rules=[pk.Rule(q, points=1)])
        frames.evaluate(q, self.frame()).compute()
        frames.filter(q, self.frame()).compute()
        frames.outcomes(q, self.frame()).compute()
        frames.score(model, self.frame(), at=AT, detail=True).compute()
        assert wrapped
        assert set(wrapped) == {"pyarrow"}  # pandas partitions, handed to pyarrow

    def test_the_task_graph_pickles(self) -> None:
        """Each task is the public function on a partition: plain pickle ships it to
        worker processes (a distributed cluster's)."""
        q = pk.field("x") > 2
        result = frames.evaluate(q, self.frame())
        graph = dict(result.__dask_graph__())
        assert pickle.loads(pickle.dumps(graph)).keys() == graph.keys()


@pytest.mark.dask
def test_dask_partitions_of_nullable_pandas_booleans() -> None:
    """pandas' own nullable booleans (``boolean``, not pyarrow's) in Dask partitions: a bool
    criterion is three-valued there too (casting ``<NA>`` to an integer raised)."""
    import dask  # noqa: PLC0415  # marked test: only imported when it runs
    import dask.dataframe as dd  # noqa: PLC0415

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
