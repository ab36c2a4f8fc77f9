"""Per-item checks over list columns: ``any_item`` and ``count_items`` as explode and aggregate.

narwhals has no per-item expressions (polars' ``list.eval``, DuckDB's list lambdas and Spark's
higher-order functions have no common spelling), so an item check is one more step before the
row's expressions run, with the same answers as row-wise:

1. every row gets a key (a row index; lazy engines number the rows ordered by the columns the
   lists are read from, see :func:`keyed`);
2. the key and the list are exploded into one row per item, empty and missing lists giving no
   row, a missing item (a null in the list) one row of nulls: row-wise, a ``None`` item is an
   item whose every field is missing;
3. the child qualifier, compiled against the item's fields, gives its (passes, fails) pair per
   item, and the items of a row are counted: how many pass, how many fail;
4. the counts are joined back on the key; the node's pair is then decided from them and the
   list's length exactly as :meth:`~pipelinekit.qualifiers.items.AnyItem.decide` does.

Nested item checks (a list inside the items) are steps of the exploded frame, keyed again.
The key, the item and the count columns get names no column of the frame has, and are dropped
from every answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, TypeAlias, cast

import attrs
import narwhals.stable.v2 as nw

from pipelinekit.errors import QualifierError
from pipelinekit.frames._columns import quoted

__all__ = ["Frame", "ItemStep", "Newest", "fresh", "with_items"]

Frame: TypeAlias = nw.DataFrame[Any] | nw.LazyFrame[Any]


def fresh(base: str, taken: Mapping[str, object] | Sequence[str]) -> str:
    """``base``, with ``_`` appended until no name in ``taken`` is it."""
    name = base
    while name in taken:
        name += "_"
    return name


@attrs.frozen
class Newest:
    """Only the newest ``limit`` items of each row count, among those where ``among`` holds.

    ``by`` orders them (newest: the largest value); items that tie there keep whichever
    order the engine gives, so what is summed over them must be the same for each.
    """

    among: nw.Expr
    by: nw.Expr
    limit: int


@attrs.frozen
class ItemStep:
    """One step over a list column's items: the columns it adds to the frame, and how."""

    #: The list, read from the frame the step runs on.
    source: nw.Expr
    #: The frame's column the list is read from (lazy engines order the rows by it).
    order: str
    #: The item's column in the exploded frame (which also holds the row key).
    item: str
    #: Per item, the never-null integer expressions summed over each row's items, by the
    #: column each sum adds to the frame (null: the row has no item).
    sums: tuple[tuple[str, nw.Expr], ...]
    #: The item checks inside the items, and the key that numbers the exploded rows for them.
    steps: tuple[ItemStep, ...]
    inner_key: str
    #: When only each row's newest items count (an event rule's ``max_events``).
    newest: Newest | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the step adds to the frame."""
        return tuple(name for name, _ in self.sums)


def keyed(frame: Frame, key: str, order: Sequence[str]) -> Frame:
    """``frame`` with a row index ``key``.

    Lazy engines other than polars have no row order: their rows are numbered ordered by the
    ``order`` columns (the ones the lists are read from). Rows that tie there hold the same
    lists, so whichever of them a number lands on, the counts joined back to it are the same.
    """
    if isinstance(frame, nw.DataFrame):
        return frame.with_row_index(key)
    engine: nw.Implementation = frame.implementation
    if engine is nw.Implementation.POLARS:  # a polars LazyFrame has a row order
        indexed: nw.LazyFrame[Any] = nw.from_native(frame.to_native().with_row_index(key))
        return indexed
    order = list(dict.fromkeys(order))
    if engine in (nw.Implementation.PYSPARK, nw.Implementation.PYSPARK_CONNECT):
        # narwhals' with_row_index selects every column by its bare name there, and Spark
        # reads a dotted name as a struct field: the window is written in PySpark itself.
        from pyspark.sql import Window  # noqa: PLC0415  # the frame is a PySpark one
        from pyspark.sql import functions as sf  # noqa: PLC0415

        window = Window.orderBy(*(sf.col(quoted(o)) for o in order))
        native = frame.to_native().withColumn(key, sf.row_number().over(window) - 1)
        numbered: nw.LazyFrame[Any] = nw.from_native(native)
        return numbered
    return frame.with_row_index(key, order_by=order)


def _exploded(frame: Frame, step: ItemStep, key: str) -> Frame:
    """One row per item of each row's list: the row's key and the item (no row for no item)."""
    pairs = frame.select(nw.col(key), step.source.alias(step.item))
    engine: nw.Implementation = pairs.implementation
    if engine is nw.Implementation.PYARROW:
        return _arrow_exploded(pairs, step, key)
    return pairs.explode(step.item, empty_as_null=False, keep_nulls=False)


def _arrow_exploded(pairs: Frame, step: ItemStep, key: str) -> Frame:
    """Explode a pyarrow table (pandas is answered through one): narwhals cannot there."""
    import pyarrow as pa  # noqa: PLC0415  # the frame is a pyarrow table
    import pyarrow.compute as pc  # noqa: PLC0415

    assert isinstance(pairs, nw.DataFrame)  # noqa: S101  # pyarrow frames are eager
    table = pairs.to_native()
    lists = table[step.item].combine_chunks()
    if pa.types.is_fixed_size_list(lists.type) or pa.types.is_large_list(lists.type):
        lists = lists.cast(pa.list_(lists.type.value_type))
    parents = pc.list_parent_indices(lists)
    items = pc.list_flatten(lists)
    keys = pc.take(table[key], parents)
    exploded: nw.DataFrame[Any] = nw.from_native(pa.table({key: keys, step.item: items}))
    return exploded


def _newest(items: Frame, newest: Newest, key: str) -> Frame:
    """The items where ``newest.among`` holds, only each row's newest ``newest.limit``."""
    # Through a column: narwhals filters on no literal (an ``among`` no item can meet).
    mark = fresh("__pipelinekit_among", items.columns)
    among = items.with_columns(newest.among.alias(mark)).filter(nw.col(mark))
    rank = fresh("__pipelinekit_rank", among.columns)
    if isinstance(among, nw.DataFrame):
        # Eager (pyarrow ranks nothing over a window): sorted newest first within each
        # key, an item's rank is its position less the position of its key's first item.
        by = fresh("__pipelinekit_by", among.columns)
        position = fresh("__pipelinekit_at", [*among.columns, by])
        ordered = (
            among.with_columns(newest.by.alias(by))
            .sort([key, by], descending=[False, True])
            .with_row_index(position)
        )
        first = nw.col(position).min().over(key)
        return ordered.filter(nw.col(position) - first < newest.limit)
    ranked = among.with_columns(newest.by.rank("ordinal", descending=True).over(key).alias(rank))
    return ranked.filter(nw.col(rank) <= newest.limit)


def _counts(frame: Frame, step: ItemStep, key: str) -> Frame:
    """Per key: the step's sums over its items (keys without items: no row)."""
    items = with_items(_exploded(frame, step, key), step.steps, step.inner_key)
    if step.newest is not None:
        items = _newest(items, step.newest, key)
    # The casts first: pyarrow aggregates plain columns only.
    marked = items.select(nw.col(key), *(e.cast(nw.Int64).alias(n) for n, e in step.sums))
    summed = marked.group_by(key).agg(*(nw.col(n).sum() for n in step.columns))
    # DuckDB sums integers as decimals.
    return summed.with_columns(nw.col(*step.columns).cast(nw.Int64))


_PYSPARK: Final = frozenset({nw.Implementation.PYSPARK, nw.Implementation.PYSPARK_CONNECT})


def _undotted(frame: Frame, steps: Sequence[ItemStep], key: str) -> Frame:
    """:func:`with_items` on a PySpark frame with dotted column names (``account.size``).

    narwhals' joins there select every column by its bare name, which Spark reads as a struct
    field: the dotted columns are renamed for the steps (positionally, ``toDF``) and named
    back after. The lists themselves must not be dotted columns (the steps read them so).
    """
    native = frame.to_native()
    names: list[str] = list(native.columns)
    lists = [s.order for s in steps if "." in s.order]
    if lists:
        raise QualifierError(
            f"an item check on PySpark cannot read the dotted list column {lists[0]!r}:"
            " narwhals' joins read it as a struct field there; rename it and map the path"
            " with columns="
        )
    safe: list[str] = []
    for name in names:
        safe.append(
            fresh(f"__pipelinekit_col{len(safe)}", [*names, *safe]) if "." in name else name
        )
    renamed: nw.LazyFrame[Any] = nw.from_native(native.toDF(*safe))
    done = with_items(renamed, steps, key).to_native()
    back = dict(zip(safe, names, strict=True))
    restored: nw.LazyFrame[Any] = nw.from_native(done.toDF(*(back.get(c, c) for c in done.columns)))
    return restored


def with_items(frame: Frame, steps: Sequence[ItemStep], key: str) -> Frame:
    """``frame`` plus the counts of every step (and, when lazy, the row key ``key``).

    No steps: ``frame`` as it is.
    """
    if not steps:
        return frame
    if frame.implementation in _PYSPARK and any("." in n for n in frame.columns):
        return _undotted(frame, steps, key)
    keyed_frame = keyed(frame, key, [s.order for s in steps])
    if isinstance(frame, nw.DataFrame):
        # Eager: the counts are joined to the keys alone and put beside the frame's columns,
        # in its order (pyarrow joins no list columns, and joins do not promise an order).
        counts = keyed_frame.select(key)
        for step in steps:
            counts = counts.join(cast("Any", _counts(keyed_frame, step, key)), on=key, how="left")
        counts = counts.sort(key)
        return frame.with_columns(*(counts[n] for s in steps for n in s.columns))
    result = keyed_frame
    for step in steps:
        result = result.join(cast("Any", _counts(keyed_frame, step, key)), on=key, how="left")
    if result.implementation is nw.Implementation.POLARS:  # a LazyFrame keeps its order
        result = result.sort(key)
    return result
