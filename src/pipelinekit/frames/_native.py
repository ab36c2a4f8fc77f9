"""Native frames in, native frames out.

narwhals reaches every engine through one API, but not every engine answers every question
the same way: on classic NumPy/object pandas columns ``null | True`` is False and ``~`` raises;
``is_in`` is False for a null on pandas' nullable dtypes; a literal null boolean is False on
every pandas frame; ``when(null)`` takes the ``otherwise`` branch. So a pandas frame is never
computed on as pandas: its columns are handed to pyarrow (zero copy for pyarrow-backed
columns, NaN read as null, as row-wise), the expressions run there, and the answer comes back
as pandas, on the caller's index, with a ``boolean[pyarrow]`` dtype whose nulls are real nulls.
A column pyarrow cannot type (an object column of mixed values, of ``Money`` objects) is
refused with an error naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias, cast

import attrs
import narwhals.stable.v2 as nw

from pipelinekit.errors import QualifierError
from pipelinekit.frames._columns import quoted
from pipelinekit.frames._items import ItemStep, fresh, with_items

__all__ = ["SPARK_LIKE", "Native", "Result", "native_frame"]

#: An answer column: an expression.
Result: TypeAlias = nw.Expr


#: Engines that speak Spark SQL: ``col("a.b")`` is the field ``b`` of a struct ``a`` there.
SPARK_LIKE = frozenset(
    {nw.Implementation.PYSPARK, nw.Implementation.PYSPARK_CONNECT, nw.Implementation.SQLFRAME}
)


@attrs.frozen
class Native:
    """A caller's frame and the narwhals frame the expressions run on."""

    original: Any
    frame: nw.DataFrame[Any] | nw.LazyFrame[Any]
    pandas: bool
    #: Columns added for item checks (a row key, counts), dropped from every answer.
    hidden: tuple[str, ...] = ()

    def with_items(self, steps: list[ItemStep], key: str) -> Native:
        """The frame plus the counts of the item checks (see :mod:`~pipelinekit.frames._items`)."""
        if not steps:
            return self
        before = set(self.frame.collect_schema())
        frame = with_items(self.frame, steps, key)
        hidden = tuple(n for n in frame.collect_schema() if n not in before)
        return attrs.evolve(self, frame=frame, hidden=hidden)

    def with_bound(self, bound: list[tuple[str, nw.Expr]]) -> Native:
        """The frame plus the bound leaf tests (see ``Compiler.bind``), hidden from answers."""
        if not bound:
            return self
        frame = self.frame.with_columns(*(e.alias(n) for n, e in bound))
        return attrs.evolve(self, frame=frame, hidden=(*self.hidden, *(n for n, _ in bound)))

    @property
    def lazy(self) -> bool:
        """Whether the frame is lazy (answers stay lazy)."""
        return isinstance(self.frame, nw.LazyFrame)

    @property
    def spark_like(self) -> bool:
        """Whether the engine reads a dotted name as a struct field unless it is quoted."""
        return self.implementation in SPARK_LIKE

    @property
    def implementation(self) -> nw.Implementation:
        """The engine the expressions run on."""
        implementation: nw.Implementation = self.frame.implementation
        return implementation

    def schema(self) -> Mapping[str, object]:
        """Column names and narwhals dtypes (read from a lazy frame's plan, no data)."""
        return dict(self.frame.collect_schema())

    def _with_columns(self, *exprs: nw.Expr) -> nw.DataFrame[Any] | nw.LazyFrame[Any]:
        """The frame plus ``exprs``; an eager polars frame through its lazy plan.

        polars optimises eager ``with_columns`` without common-subexpression elimination, and
        the compiled expressions repeat theirs (a leaf's column, its presence): the lazy plan
        of the same frame computes each once, with the same answers (docs/performance.md).
        """
        frame = self.frame
        if isinstance(frame, nw.DataFrame) and frame.implementation is nw.Implementation.POLARS:
            return frame.lazy().with_columns(*exprs).collect()
        return frame.with_columns(*exprs)

    def column(self, result: Result, name: str) -> Any:
        """The one column ``result``: a native series, or for a lazy frame the frame plus it."""
        return self.table({name: result}, (), alone=True)

    def table(
        self, results: Mapping[str, Result], keep: tuple[str, ...], *, alone: bool = False
    ) -> Any:
        """A frame of the ``keep`` columns and one column per result.

        With ``alone`` (one result): the frame plus the column when lazy, the column when eager.
        """
        exprs = dict(results)
        # with_columns, not select: a literal answer (a column no row can be compared with)
        # must still have one value per row, also for an empty frame.
        added = self._with_columns(*(e.alias(n) for n, e in exprs.items()))
        if alone and isinstance(added, nw.LazyFrame):
            return added.drop(*self.hidden).to_native()
        if alone:
            (name,) = exprs
            series = added[name]
            if self.pandas:
                return _pandas_series(series.to_native(), self.original, name)
            return series.to_native()
        if self.pandas:
            return _pandas_frame(added.select(*exprs).to_native(), self.original, keep)
        names = [quoted(k) if self.spark_like else k for k in keep]
        return added.select(*names, *exprs).to_native()

    def filter(self, passes: nw.Expr) -> Any:
        """The rows where ``passes`` holds, as the caller's own frame."""
        # Through a column, not filter(passes): narwhals refuses a literal (a leaf no row can
        # be compared with) as a filter, since it does not have the frame's length.
        name = fresh("__pipelinekit_passes", self.schema())
        marked = self._with_columns(passes.alias(name))
        if self.pandas:
            assert isinstance(marked, nw.DataFrame)  # noqa: S101  # pandas is eager
            return self.original[marked[name].to_numpy()]
        return marked.filter(nw.col(name)).drop(name, *self.hidden).to_native()


def native_frame(native: object) -> Native:
    """Wrap ``native`` for the compiler; pandas frames are answered through pyarrow."""
    module = type(native).__module__.partition(".")[0]
    if module == "pandas":
        return Native(original=native, frame=nw.from_native(_pandas_to_arrow(native)), pandas=True)
    try:
        frame = nw.from_native(cast("Any", native))
    except TypeError:
        raise QualifierError(
            f"pipelinekit.frames takes a dataframe (pandas, polars, pyarrow, DuckDB, Dask,"
            f" PySpark, SQLFrame), got {type(native).__name__}"
        ) from None
    if not isinstance(frame, nw.DataFrame | nw.LazyFrame):  # pragma: no cover - from_native
        raise QualifierError(f"expected a dataframe, got {type(native).__name__}")
    return Native(original=native, frame=frame, pandas=False)


def _pandas_to_arrow(df: Any) -> Any:
    import pandas as pd  # noqa: PLC0415  # the caller's pandas, present since df is one
    import pyarrow as pa  # noqa: PLC0415  # pandas frames are answered through pyarrow

    if not isinstance(df, pd.DataFrame):
        raise QualifierError(f"expected a pandas DataFrame, got {type(df).__name__}")
    names = list(df.columns)
    if len(set(names)) != len(names) or not all(isinstance(n, str) for n in names):
        raise QualifierError("pandas frame: column names must be distinct strings")
    arrays = []
    for name in names:
        try:
            arrays.append(pa.array(df[name], from_pandas=True))
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError):
            raise QualifierError(
                f"pandas column {name!r} ({df[name].dtype}) holds values of mixed or unknown"
                " types; give it one type (df.convert_dtypes(dtype_backend='pyarrow'), or"
                " pd.json_normalize of pk.to_dict documents)"
            ) from None
    return pa.Table.from_arrays(arrays, names=names)


def _pandas_series(array: Any, df: Any, name: str) -> Any:
    import pandas as pd  # noqa: PLC0415  # the caller's pandas

    return pd.Series(pd.arrays.ArrowExtensionArray(array), index=df.index, name=name)


def _pandas_frame(table: Any, df: Any, keep: tuple[str, ...]) -> Any:
    import pandas as pd  # noqa: PLC0415  # the caller's pandas

    data = {k: df[k] for k in keep}
    for name in table.column_names:
        data[name] = pd.Series(
            pd.arrays.ArrowExtensionArray(table[name]), index=df.index, name=name
        )
    return pd.DataFrame(data, index=df.index)
