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
from typing import Any, TypeAlias, cast

import attrs
import narwhals.stable.v2 as nw

__all__ = ["Frame", "ItemStep", "fresh", "with_items"]

#: (passes, fails): two never-null boolean expressions.
Pair: TypeAlias = tuple[nw.Expr, nw.Expr]
Frame: TypeAlias = nw.DataFrame[Any] | nw.LazyFrame[Any]


def fresh(base: str, taken: Mapping[str, object] | Sequence[str]) -> str:
    """``base``, with ``_`` appended until no name in ``taken`` is it."""
    name = base
    while name in taken:
        name += "_"
    return name


@attrs.frozen
class ItemStep:
    """One item check's counts: the columns it adds to the frame, and how to compute them."""

    #: The list, read from the frame the step runs on.
    source: nw.Expr
    #: The frame's column the list is read from (lazy engines order the rows by it).
    order: str
    #: The item's column in the exploded frame (which also holds the row key).
    item: str
    #: The child qualifier's pair over the exploded frame, the item checks inside it, and
    #: the key that numbers the exploded rows for them.
    pair: Pair
    steps: tuple[ItemStep, ...]
    inner_key: str
    #: The columns added to the frame: how many items pass, how many fail (null: no item).
    passes: str
    fails: str


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
    return frame.with_row_index(key, order_by=list(dict.fromkeys(order)))


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


def _counts(frame: Frame, step: ItemStep, key: str) -> Frame:
    """Per key: how many of its items pass, how many fail (keys without items: no row)."""
    items = with_items(_exploded(frame, step, key), step.steps, step.inner_key)
    passes, fails = step.pair
    # The casts first: pyarrow aggregates plain columns only.
    marked = items.select(
        nw.col(key),
        passes.cast(nw.Int64).alias(step.passes),
        fails.cast(nw.Int64).alias(step.fails),
    )
    summed = marked.group_by(key).agg(nw.col(step.passes).sum(), nw.col(step.fails).sum())
    # DuckDB sums integers as decimals.
    return summed.with_columns(nw.col(step.passes, step.fails).cast(nw.Int64))


def with_items(frame: Frame, steps: Sequence[ItemStep], key: str) -> Frame:
    """``frame`` plus the counts of every step (and, when lazy, the row key ``key``).

    No steps: ``frame`` as it is.
    """
    if not steps:
        return frame
    keyed_frame = keyed(frame, key, [s.order for s in steps])
    if isinstance(frame, nw.DataFrame):
        # Eager: the counts are joined to the keys alone and put beside the frame's columns,
        # in its order (pyarrow joins no list columns, and joins do not promise an order).
        counts = keyed_frame.select(key)
        for step in steps:
            counts = counts.join(cast("Any", _counts(keyed_frame, step, key)), on=key, how="left")
        counts = counts.sort(key)
        return frame.with_columns(*(counts[n] for s in steps for n in (s.passes, s.fails)))
    result = keyed_frame
    for step in steps:
        result = result.join(cast("Any", _counts(keyed_frame, step, key)), on=key, how="left")
    if result.implementation is nw.Implementation.POLARS:  # a LazyFrame keeps its order
        result = result.sort(key)
    return result
