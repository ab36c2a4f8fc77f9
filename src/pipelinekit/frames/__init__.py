r"""Qualifiers over whole tables: compiled to dataframe expressions, answered where the data lives.

``frames.evaluate(q, df)`` gives the same three-valued answers as ``q.evaluate(row).outcome``
for every row, as a nullable boolean column of ``df``'s own library (null = UNKNOWN); no row
ever becomes a Python object and nothing falls back to row-wise Python. pandas, polars (eager
and lazy), pyarrow, DuckDB, PySpark and SQLFrame are reached through ``narwhals.stable.v2``
(the ``frames`` extra: ``pip install 'pipelinekit[frames]'``); Dask through its pandas
partitions (below).
:func:`score` gives a points model's totals the same way.

Design, in two rules:

* **Pairs, not nulls.** Every node compiles to two never-null boolean expressions, *passes*
  and *fails* (``P(a & b) = P(a) & P(b)``, ``F(a & b) = F(a) | F(b)``, ``P(~a) = F(a)``;
  ``at_least`` and ``weighted`` sum casts of them, weights as exact integers). Engines disagree
  about nulls in ``&``, ``|``, ``~``, ``is_in`` and ``when``; these expressions never hold one.
  The nullable column is built from the pair once, at the end; only the answer of ``all_of``,
  ``any_of`` and ``~`` over leaves is the engine's own Kleene ``&``, ``|``, ``~`` of each
  leaf's ``when(present).then(test)``, where every engine frames computes on agrees (pandas
  is answered through pyarrow) and it costs half the work.
* **Comparability by dtype.** What a column can be compared with is decided once, from its
  dtype, as row-wise :func:`~pipelinekit.qualifiers.leaves.kind_of` decides per value: a text
  column against a number criterion is UNKNOWN in every row, a boolean column is never a
  number, NaN is missing like null, a naive datetime column is UNKNOWN against the aware
  ``at`` (row-wise that is a ``TypeError``, so UNKNOWN), aware columns compare in UTC, a date
  column is measured from ``at``'s own date.

Paths: ``columns`` maps a path to a column name (``None``: the table has no such data, every
row is missing), else a dotted path reads the column of that name (``"account.employees"``, as
``pandas.json_normalize`` writes it), else a struct field; otherwise it is a
:class:`~pipelinekit.QualifierError` naming the path and close column names. A Money criterion
reads ``"<path>.amount"`` (or the column ``columns`` names for the path) and, when there is one,
``"<path>.currency"``: a row in another currency is UNKNOWN, as row-wise. Without a currency
column the amounts are taken to be in the criterion's currency.

``any_item`` / ``count_items`` over a list column of records explode it to one row per item,
count the items that pass and fail per row and join the counts back (narwhals has no per-item
expressions; see :mod:`pipelinekit.frames._items`).

Not compiled (a :class:`~pipelinekit.QualifierError` naming the node): custom qualifiers;
regular expressions that engines read differently (backreferences, look-arounds, ``\b``,
the ``m``, ``s`` and ``a`` flags) — every other pattern is rewritten so that polars (Rust
``regex``), pyarrow and DuckDB (RE2) and Spark (Java) match exactly what Python's
``re.search`` matches, ``ignore_case=True`` and ``(?i)`` included (each cased letter and
class written as the letters Python's ``re.IGNORECASE`` matches with it, since the engines'
own ``(?i)`` folds case differently).

Lazy frames (polars ``LazyFrame``, DuckDB relations, Dask, PySpark and SQLFrame DataFrames)
stay lazy: :func:`evaluate` and :func:`score` return the frame with the answer as one more
column, :func:`filter` and :func:`outcomes` lazy frames (``keep=["id"]`` carries a key, for
engines without a row order).

Engine notes: pandas frames are computed through pyarrow (classic NumPy/object columns
included; a column pyarrow cannot type is refused by name) and answered as pandas, on the
caller's index. Dask frames are answered per partition by that same pandas path (Dask's own
``map_partitions``, never narwhals' Dask backend), so they support what pandas frames
support; the meta is computed by the same function from the frame's meta, so errors are
raised at call time and nothing is computed until the caller computes. Spark SQL
reads ``col("a.b")`` as a struct field: frames quotes dotted names with backticks (SQLFrame
cannot hold such columns at all: rename them and map the paths with ``columns``). Spark's
default ``TIMESTAMP`` is an instant (aware); naive data needs ``TIMESTAMP_NTZ``.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from pipelinekit.errors import MissingDependency, QualifierError

try:
    import narwhals.stable.v2 as nw
except ImportError:  # pragma: no cover - the frames extra is installed in the test suite
    raise MissingDependency("narwhals", feature="pipelinekit.frames", extra="frames") from None

from pipelinekit._checks import describe, require_aware
from pipelinekit.frames._columns import Resolver
from pipelinekit.frames._compile import Compiler, Pair
from pipelinekit.frames._dask import WithColumn, dask_frame, per_partition
from pipelinekit.frames._native import Native, Result, native_frame
from pipelinekit.frames._score import score_exprs
from pipelinekit.qualifiers.core import Node, Qualifier, check_at
from pipelinekit.qualifiers.items import AnyItem, CountItems
from pipelinekit.scoring import PointsModel

__all__ = ["evaluate", "filter", "outcomes", "score"]

#: The answer column's name when the qualifier has none.
DEFAULT_NAME = "qualified"


def _check_columns(columns: object) -> Mapping[str, str | None]:
    if columns is None:
        return {}
    if not isinstance(columns, Mapping):
        raise QualifierError(
            f"columns must be a mapping of path to column name, got {describe(columns)}"
        )
    for path, name in columns.items():
        if type(path) is not str or (name is not None and type(name) is not str):
            raise QualifierError(
                f"columns maps paths (str) to column names (str or None), got {path!r}: {name!r}"
            )
    return columns


def _check_keep(keep: object) -> tuple[str, ...]:
    if isinstance(keep, str) or not isinstance(keep, Sequence):
        raise QualifierError(f"keep must be a sequence of column names, got {describe(keep)}")
    if not all(type(k) is str for k in keep):
        raise QualifierError(f"keep must be a sequence of column names, got {describe(keep)}")
    return tuple(keep)


def _check_kept(keep: tuple[str, ...], native: Native) -> None:
    schema = native.schema()
    for k in keep:
        if k not in schema:
            raise QualifierError(f"keep: {k!r} is not a column")


def _resolver(native: Native, columns: object) -> Resolver:
    return Resolver(
        schema=native.schema(),
        columns=_check_columns(columns),
        backticks=native.spark_like,
    )


def _compile(
    q: object, df: object, at: datetime | None, columns: object
) -> tuple[Native, Compiler, Qualifier]:
    if not isinstance(q, Qualifier):
        raise QualifierError(f"expected a qualifier, got {describe(q)}")
    check_at(at, needs_time=q.needs_time, qualifier=q)
    native = native_frame(df)
    resolver = _resolver(native, columns)
    return native, _compiler(native, resolver, at), q


def _compiler(native: Native, resolver: Resolver, at: datetime | None) -> Compiler:
    # pyarrow (pandas and Dask partitions included) computes eagerly, expression by
    # expression: each leaf's test is bound to a column, so the pair computes it once.
    engine = native.implementation
    bind = engine is nw.Implementation.PYARROW
    return Compiler(resolver=resolver, at=at, implementation=engine, bind=bind)


def _with_items(native: Native, compiler: Compiler) -> Native:
    """``native`` with the counts of the item checks and the bound tests the compiler met."""
    return native.with_items(compiler.steps, compiler.key).with_bound(compiler.bound)


def _text(pair: Pair) -> Result:
    passes, fails = pair
    return (
        nw.when(passes)
        .then(nw.lit("pass"))
        .otherwise(nw.when(fails).then(nw.lit("fail")).otherwise(nw.lit("unknown")))
    )


def evaluate(
    q: Qualifier,
    df: Any,
    at: datetime | None = None,
    columns: Mapping[str, str | None] | None = None,
    *,
    name: str = DEFAULT_NAME,
) -> Any:
    """The outcome of ``q`` for every row: True (PASS), False (FAIL), null (UNKNOWN).

    Args:
        q: The qualifier.
        df: A pandas, polars or pyarrow frame, a polars ``LazyFrame``, a DuckDB relation, or
            a Dask, PySpark or SQLFrame DataFrame.
        at: When "now" is (timezone-aware), for time-relative checks.
        columns: Path to column name (``None``: no such data in the table).
        name: The answer column's name (``"qualified"`` unless given).

    Returns:
        For an eager frame, a nullable boolean column of its library (pandas: a
        ``boolean[pyarrow]`` Series on ``df``'s index; polars: a Series; pyarrow: a
        ``ChunkedArray``). For a lazy frame, the frame with the answer as one more column.

    Raises:
        QualifierError: a path has no column, a node cannot compile (named), bad arguments.

    >>> import polars as pl
    >>> import pipelinekit as pk
    >>> from pipelinekit import frames
    >>> df = pl.DataFrame({"account.employees": [250, 20, None]})
    >>> frames.evaluate(pk.field("account.employees") >= 100, df).to_list()
    [True, False, None]
    """
    if type(name) is not str or not name:
        raise QualifierError(f"name must be a non-empty str, got {describe(name)}")
    ddf = dask_frame(df)
    if ddf is not None:  # each partition answered as pandas (see frames._dask)
        each = partial(evaluate, q, at=at, columns=columns, name=name)
        return per_partition(ddf, WithColumn(each, name))
    native, compiler, root = _compile(q, df, at, columns)
    answer = compiler.three_valued(root)
    return _with_items(native, compiler).column(answer, name)


def filter(  # noqa: A001  # the contract's name, as q.filter
    q: Qualifier,
    df: Any,
    at: datetime | None = None,
    columns: Mapping[str, str | None] | None = None,
) -> Any:
    r"""The rows of ``df`` that PASS, as a frame of the same library (lazy stays lazy).

    >>> import polars as pl
    >>> import pipelinekit as pk
    >>> from pipelinekit import frames
    >>> df = pl.DataFrame({"id": [1, 2, 3], "need": ["crm", "", None]})
    >>> frames.filter(pk.field("need").matches(r"\S"), df)["id"].to_list()
    [1]
    """
    ddf = dask_frame(df)
    if ddf is not None:
        return per_partition(ddf, partial(filter, q, at=at, columns=columns))
    native, compiler, root = _compile(q, df, at, columns)
    passes, _ = compiler.visit(root)
    return _with_items(native, compiler).filter(passes)


def _criteria(root: Qualifier) -> Iterator[Qualifier]:
    """The named nodes under ``root``, outermost first (not inside per-item checks)."""
    if isinstance(root, AnyItem | CountItems) or not isinstance(root, Node):
        return  # an item check's criteria are decided per item, not per row
    for child in root.subqualifiers():
        if child.name is not None:
            yield child
        yield from _criteria(child)


def outcomes(
    q: Qualifier,
    df: Any,
    at: datetime | None = None,
    columns: Mapping[str, str | None] | None = None,
    *,
    as_text: bool = False,
    keep: Sequence[str] = (),
) -> Any:
    """One column per named criterion of ``q`` (BANT's Budget, Authority, ...) plus the total.

    The total column is named after ``q`` (else "qualified"); a name met twice gets
    " (2)", " (3)" ... Columns hold nullable booleans (null = UNKNOWN), or with
    ``as_text=True`` the strings "pass", "fail" and "unknown". ``keep`` names columns of
    ``df`` to carry in front (an id, to line rows up on engines without a row order).

    >>> import polars as pl
    >>> import pipelinekit as pk
    >>> from pipelinekit import frames
    >>> size = (pk.field("employees") >= 100).named("Size")
    >>> fit = (size & pk.field("country").is_in({"DE", "FR"}).named("Region")).named("Fit")
    >>> df = pl.DataFrame({"employees": [250, 20], "country": ["DE", None]})
    >>> frames.outcomes(fit, df, as_text=True).rows()
    [('pass', 'pass', 'pass'), ('fail', 'unknown', 'fail')]
    """
    if type(as_text) is not bool:
        raise QualifierError(f"as_text must be a bool, got {describe(as_text)}")
    keep = _check_keep(keep)
    ddf = dask_frame(df)
    if ddf is not None:
        each = partial(outcomes, q, at=at, columns=columns, as_text=as_text, keep=keep)
        return per_partition(ddf, each)
    native, compiler, root = _compile(q, df, at, columns)
    _check_kept(keep, native)
    nodes = [*_criteria(root), root]
    results: dict[str, Result] = {}
    build: Callable[[Qualifier], Result] = (
        (lambda node: _text(compiler.visit(node))) if as_text else compiler.three_valued
    )
    for node in nodes:
        label = node.name if node is not root or node.name else DEFAULT_NAME
        assert label is not None  # noqa: S101  # criteria are named nodes
        unique, count = label, 1
        while unique in results or unique in keep:
            count += 1
            unique = f"{label} ({count})"
        results[unique] = build(node)
    total = list(results)[-1]
    ordered = {n: e for n, e in results.items() if n != total}
    ordered[total] = results[total]
    return _with_items(native, compiler).table(ordered, keep)


def score(
    model: PointsModel,
    df: Any,
    at: datetime | None = None,
    columns: Mapping[str, str | None] | None = None,
    *,
    name: str = "score",
    detail: bool = False,
    keep: Sequence[str] = (),
) -> Any:
    """The points total of every row: what ``model.score(contact, at=at).total`` gives.

    Each :class:`~pipelinekit.Rule` earns its points where its qualifier PASSES; groups are
    held within their floors and caps and the total within the model's, all in exact
    integers (points have at most six decimal places). The column is an integer column when
    every value of the model is whole, else a float column holding the float nearest each
    exact total.

    An :class:`~pipelinekit.EventRule` reads the ``touchpoints`` list column (``columns=``
    maps the path elsewhere): records with a ``channel`` (text), a timezone-aware
    ``timestamp`` and, optionally, a ``kind``. Windows, ``max_events`` and linear decay are
    exact, as ``model.score``; a half-life decay is refused by name (its fixed-point powers
    have no engine equivalent), and so is a linear decay taking more than 1,000 periods. A
    null list is no touchpoints; an item without a channel or a timestamp matches nothing.

    Args:
        model: The points model.
        df: A frame, as for :func:`evaluate`.
        at: When "now" is (timezone-aware; required, as for ``model.score``).
        columns: Path to column name, as for :func:`evaluate`.
        name: The total column's name (``"score"`` unless given).
        detail: Return a frame of the ``keep`` columns, one column per group, the total
            and, when the model has thresholds, the ``"grade"`` (null below every one).
        keep: Columns of ``df`` to carry in front of the ``detail`` frame.

    Returns:
        As :func:`evaluate` (a column, or for a lazy frame the frame plus the column), or
        with ``detail=True`` a frame of the same library.

    >>> import polars as pl
    >>> from datetime import UTC, datetime
    >>> import pipelinekit as pk
    >>> from pipelinekit import frames
    >>> model = pk.PointsModel(
    ...     rules=[pk.Rule(pk.field("account.employees") >= 100, points=20),
    ...            pk.Rule(pk.field("title").matches("[Ss]tudent"), points=-30)],
    ...     thresholds={"mql": 15})
    >>> df = pl.DataFrame(
    ...     {"account.employees": [250, 250, None], "title": ["CTO", "Student", None]}
    ... )
    >>> now = datetime(2026, 12, 1, tzinfo=UTC)
    >>> frames.score(model, df, at=now).to_list()
    [20, -10, 0]
    >>> frames.score(model, df, at=now, detail=True)["grade"].to_list()
    ['mql', None, None]
    """
    if not isinstance(model, PointsModel):
        raise QualifierError(f"expected a pk.PointsModel, got {describe(model)}")
    require_aware("at", at)
    if type(name) is not str or not name:
        raise QualifierError(f"name must be a non-empty str, got {describe(name)}")
    if type(detail) is not bool:
        raise QualifierError(f"detail must be a bool, got {describe(detail)}")
    keep = _check_keep(keep)
    ddf = dask_frame(df)
    if ddf is not None:
        each = partial(score, model, at=at, columns=columns, name=name, detail=detail, keep=keep)
        return per_partition(ddf, each if detail else WithColumn(each, name))
    native = native_frame(df)
    resolver = _resolver(native, columns)
    _check_kept(keep, native)
    compiler = _compiler(native, resolver, at)
    exprs = score_exprs(model, compiler)
    native = _with_items(native, compiler)
    if not detail:
        return native.column(exprs.total, name)
    results: dict[str, Result] = dict(exprs.groups)
    results[name] = exprs.total
    if exprs.grade is not None:
        results["grade"] = exprs.grade
    return native.table(results, keep)
