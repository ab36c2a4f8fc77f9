"""The dataframe interpretation of qualifier trees: a (passes, fails) pair of expressions per node.

Every node compiles to two narwhals expressions that are never null: *passes* (the row's
outcome is PASS) and *fails* (FAIL); a row where neither holds is UNKNOWN. Kleene logic then
needs only two-valued operators on non-null booleans (``P(a & b) = P(a) & P(b)``,
``F(a & b) = F(a) | F(b)``, ``P(~a) = F(a)``; ``at_least`` and ``weighted`` count with sums of
casts), so no engine's treatment of nulls in ``&``, ``|``, ``~``, ``is_in`` or ``when`` can
leak into an answer. The three-valued column is built from the pair only at the end
(:mod:`pipelinekit.frames._native`).

A leaf is ``present & test`` / ``present & ~test``, where *present* says the row has a value
(not null, not NaN) and *test* is only ever looked at where it does. Whether a column's values
can be compared with the criterion at all is decided here, once, from the column's dtype
(:func:`~pipelinekit.frames._columns.kind_of_dtype`), as row-wise ``kind_of`` decides it per
value: an incomparable column is UNKNOWN in every row that has a value. Numbers compare
exactly, as in Python (``0.1`` in a float column is not ``Decimal("0.1")``; ``2.5`` is between
the integers 2 and 3): the criterion is turned into the nearest bounds of the column's type
in Python, never rounded by the engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import reduce
from typing import Any, Final, TypeAlias, cast

import attrs
import narwhals.stable.v2 as nw

from pipelinekit.errors import QualifierError
from pipelinekit.frames._columns import NUMBERS, Column, Kind, Resolver, kind_of_dtype
from pipelinekit.frames._items import ItemStep, fresh
from pipelinekit.frames._regex import portable_pattern
from pipelinekit.qualifiers import composites as c
from pipelinekit.qualifiers import leaves as lv
from pipelinekit.qualifiers.core import Qualifier
from pipelinekit.qualifiers.items import AnyItem, CountItems
from pipelinekit.qualifiers.visitors import Visitor
from pipelinekit.values import Money

__all__ = ["NS_SPAN", "Compiler", "Items", "Pair", "three_valued"]

#: (passes, fails): two never-null boolean expressions.
Pair: TypeAlias = tuple[nw.Expr, nw.Expr]
#: A value narwhals takes as a literal.
Literal: TypeAlias = int | float | Decimal | date | datetime | str | bool
#: A test on present values: an expression, a constant, or ``None`` (incomparable: UNKNOWN).
Test: TypeAlias = nw.Expr | bool | None

_INT64: Final = (-(2**63), 2**63 - 1)
_FLOAT_MAX: Final = 1.7976931348623157e308


def _false() -> nw.Expr:
    return nw.lit(value=False)


def _and(parts: Iterable[nw.Expr]) -> nw.Expr:
    return reduce(lambda a, b: a & b, parts)


def _or(parts: Iterable[nw.Expr]) -> nw.Expr:
    return reduce(lambda a, b: a | b, parts)


def _sum(parts: Iterable[nw.Expr]) -> nw.Expr:
    return reduce(lambda a, b: a + b, parts)


def _pair(present: nw.Expr, test: Test) -> Pair:
    """The pair of a leaf: decided by ``test`` where ``present``."""
    if test is None:
        return _false(), _false()
    if test is True:
        return present, _false()
    if test is False:
        return _false(), present
    return present & test, present & ~test


def three_valued(pair: Pair) -> nw.Expr:
    """True where *passes*, False where *fails*, null where neither.

    No ``otherwise``: the null is the engine's own, never a literal (a literal null boolean
    is False on pandas, which is answered through pyarrow anyway, as Dask's partitions are).
    """
    passes, fails = pair
    return nw.when(passes | fails).then(passes)


def _compare(expr: nw.Expr, op: str, value: Literal) -> nw.Expr:
    result = lv.COMPARISONS[op](expr, nw.lit(value))
    assert isinstance(result, nw.Expr)  # noqa: S101  # narwhals' operators give expressions
    return result


def _exact(value: object) -> Fraction:
    assert isinstance(value, int | float | Decimal)  # noqa: S101  # a number criterion
    return Fraction(value)


def _int_test(expr: nw.Expr, op: str, x: Fraction) -> Test:
    """``expr op x`` on an integer column, exactly."""
    if x.denominator != 1:  # between two integers
        if op in ("==", "!="):
            return op == "!="
        low, high = math.floor(x), math.ceil(x)
        if op in ("<", "<="):
            return _int_test(expr, "<=", Fraction(low))
        return _int_test(expr, ">=", Fraction(high))
    n = int(x)
    if n < _INT64[0] or n > _INT64[1]:  # beyond every value of the column
        above = n > _INT64[1]
        return {"==": False, "!=": True, "<": above, "<=": above, ">": not above, ">=": not above}[
            op
        ]
    return _compare(expr, op, n)


def _float_test(expr: nw.Expr, op: str, x: Fraction) -> Test:
    """``expr op x`` on a float column, exactly (Python compares floats and decimals exactly)."""
    f = float(x)
    if math.isinf(f):
        f = math.copysign(_FLOAT_MAX, f)
    if Fraction(f) == x:
        return _compare(expr, op, f)
    if op in ("==", "!="):
        return op == "!="
    if Fraction(f) < x:
        low, high = f, math.nextafter(f, math.inf)
    else:
        low, high = math.nextafter(f, -math.inf), f
    if op in ("<", "<="):
        return _compare(expr, "<=", low)
    return _compare(expr, ">=", high)


def number_test(column: Column, expr: nw.Expr, op: str, value: object) -> Test:
    """``expr op value`` for a number criterion on a number column."""
    x = _exact(value)
    if column.kind == "int":
        return _int_test(expr, op, x)
    if column.kind == "float":
        return _float_test(expr, op, x)
    return _compare(expr, op, Decimal(x.numerator) / Decimal(x.denominator))


def _as_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


@attrs.frozen
class Items:
    """The items of a list column, for a step over them (see :meth:`Compiler.items_of`)."""

    #: Compiles against the item's fields (its own item checks are its steps).
    compiler: Compiler
    #: The item's column in the exploded frame.
    item: str
    #: The list, read from the frame the step runs on.
    source: nw.Expr


@attrs.define
class Compiler(Visitor[Pair]):
    """Compiles a qualifier tree to a (passes, fails) pair against one frame's columns."""

    resolver: Resolver
    at: datetime | None
    implementation: Any
    nodes: int = 0
    #: How deep in item checks this compiler is (0: the frame's own rows).
    depth: int = 0
    #: The item checks met so far (see :mod:`~pipelinekit.frames._items`), each once.
    steps: list[ItemStep] = attrs.field(factory=list)
    _step_of: dict[int, tuple[Qualifier, ItemStep]] = attrs.field(factory=dict, alias="_step_of")
    #: Whether each leaf's test is bound to a column of its own, computed once (engines
    #: without common-subexpression elimination, where the pair would compute it twice).
    bind: bool = False
    #: The bound tests: (column name, expression), added to the frame before the answers.
    bound: list[tuple[str, nw.Expr]] = attrs.field(factory=list)
    #: The leaves met so far: the node (kept alive), where it has a value, and its test.
    _leaves: dict[int, tuple[Qualifier, nw.Expr, Test]] = attrs.field(factory=dict, init=False)
    _key: str = attrs.field(init=False, default="")

    @property
    def key(self) -> str:
        """The name of the row index the item checks' counts are joined on."""
        if not self._key:
            self._key = fresh(f"__pipelinekit_row{self.depth}", self._taken())
        return self._key

    def _taken(self) -> list[str]:
        names = [*self.resolver.schema, *(n for s in self.steps for n in s.columns)]
        names += [name for name, _ in self.bound]
        return [*names, self._key] if self._key else names

    def three_valued(self, node: Qualifier) -> nw.Expr:
        """``node``'s answer column: True (PASS), False (FAIL), null (UNKNOWN).

        ``all_of``, ``any_of`` and ``~`` over leaves compile to the engine's own Kleene
        ``&``, ``|`` and ``~`` of each leaf's ``when(present).then(test)``: every engine
        frames computes on is Kleene-correct there (pandas is answered through pyarrow), and
        the column costs about half the pair's work. Every other node is its pair, made
        three-valued (:func:`three_valued`).
        """
        kind = type(node)
        if kind is c.AllOf or kind is c.AnyOf:
            assert isinstance(node, c.AllOf | c.AnyOf)  # noqa: S101  # for the type checker
            parts = [self.three_valued(child) for child in node.children]
            return _and(parts) if kind is c.AllOf else _or(parts)
        if kind is c.Not:
            assert isinstance(node, c.Not)  # noqa: S101
            return ~self.three_valued(node.child)
        pair = self.visit(node)
        leaf = self._leaves.get(id(node))
        if leaf is None:
            return three_valued(pair)
        _, present, test = leaf
        if test is None:
            return three_valued(pair)  # never decided: null everywhere, as the pair says
        return nw.when(present).then(nw.lit(test) if isinstance(test, bool) else test)

    # --- composites ---------------------------------------------------------------

    def visit_custom(self, node: Qualifier) -> Pair:
        raise QualifierError(
            f"{type(node).__name__} ({node.label}) is a custom qualifier: it cannot compile to"
            " a dataframe expression (frames never falls back to row-wise Python)"
        )

    def visit_all_of(self, node: c.AllOf) -> Pair:
        pairs = [self.visit(child) for child in node.children]
        return _and(p for p, _ in pairs), _or(f for _, f in pairs)

    def visit_any_of(self, node: c.AnyOf) -> Pair:
        pairs = [self.visit(child) for child in node.children]
        return _or(p for p, _ in pairs), _and(f for _, f in pairs)

    def visit_not(self, node: c.Not) -> Pair:
        passes, fails = self.visit(node.child)
        return fails, passes

    def visit_at_least(self, node: c.AtLeast) -> Pair:
        pairs = [self.visit(child) for child in node.children]
        n_pass = _sum(p.cast(nw.Int32) for p, _ in pairs)
        n_fail = _sum(f.cast(nw.Int32) for _, f in pairs)
        return n_pass >= node.k, n_fail > len(node.children) - node.k

    def visit_weighted(self, node: c.Weighted) -> Pair:
        weights = node.scaled_weights
        if sum(weights) > _INT64[1]:
            raise QualifierError(
                f"{node.label}: the weights need more than 64-bit integers to add up exactly"
                " in a dataframe (fewer decimal places, or smaller weights)"
            )
        pairs = [self.visit(q) for q in node.subqualifiers()]
        w_pass = _sum(p.cast(nw.Int64) * w for (p, _), w in zip(pairs, weights, strict=True))
        w_fail = _sum(f.cast(nw.Int64) * w for (_, f), w in zip(pairs, weights, strict=True))
        return w_pass >= node.scaled_threshold, w_fail > node.scaled_slack

    def _items(self, node: AnyItem | CountItems) -> Pair:
        column = self.resolver.column(node.path)
        if column.expr is None or column.kind != "list":
            return _false(), _false()  # missing, or not a collection: UNKNOWN, as row-wise
        step = self._step(node, column)
        present = column.present()
        count = column.expr.list.len().fill_null(0)
        passed, failed = (nw.col(name).fill_null(0) for name in step.columns)
        if isinstance(node, CountItems):
            return present & (passed >= node.at_least), present & (count - failed < node.at_least)
        fails = present & (passed == 0) & (failed == count)
        if node.empty_is_unknown:
            fails = fails & (count > 0)
        return present & (passed > 0), fails

    visit_any_item = visit_count_items = _items

    def _step(self, node: AnyItem | CountItems, column: Column) -> ItemStep:
        """The counts of ``node``'s items (one step per node, however often it is visited)."""
        known = self._step_of.get(id(node))
        if known is not None:
            return known[1]
        inner = self.items_of(column, node.path)
        passes, fails = inner.compiler.visit(node.child)
        names = self.fresh_columns("p", "f")
        step = ItemStep(
            source=inner.source,
            order=column.source,
            item=inner.item,
            sums=((names[0], passes), (names[1], fails)),
            steps=tuple(inner.compiler.steps),
            inner_key=inner.compiler.key,
        )
        self.steps.append(step)
        self._step_of[id(node)] = (node, step)
        return step

    def items_of(self, column: Column, path: str) -> Items:
        """A compiler for the items of the list ``column`` (read from ``path``)."""
        assert column.expr is not None  # noqa: S101  # checked by the caller
        key = self.key
        item = fresh(f"__pipelinekit_item{self.depth}", [key])
        inner = Compiler(
            resolver=Resolver(
                schema={key: nw.Int64(), item: _inner(column.dtype)},
                columns={},
                backticks=self.resolver.backticks,
                item=item,
                shown=f"{self.resolver.shown}{path}[].",
            ),
            at=self.at,
            implementation=self.implementation,
            depth=self.depth + 1,
        )
        return Items(compiler=inner, item=item, source=column.expr)

    def fresh_columns(self, *suffixes: str) -> list[str]:
        """Names for the columns of the next step, one per suffix, that no column has."""
        taken = self._taken()
        names: list[str] = []
        for suffix in suffixes:
            names.append(
                fresh(f"__pipelinekit_items{self.depth}_{len(self.steps)}_{suffix}", taken + names)
            )
        return names

    def utc(self, column: Column, expr: nw.Expr) -> nw.Expr:
        """A timezone-aware column in UTC (engines that store instants compare them as they are)."""
        zone = getattr(column.dtype, "time_zone", None)
        if zone == "UTC" or self.implementation in _INSTANT_ENGINES:
            return expr
        return expr.dt.convert_time_zone("UTC")

    # --- leaves ---------------------------------------------------------------------

    def _leaf(self, node: lv.Leaf, test: Callable[[Column, nw.Expr], Test]) -> Pair:
        column = self.resolver.column(node.path)
        if column.expr is None:
            return _false(), _false()
        known = self._leaves.get(id(node))
        if known is not None and self.bind:
            _, present, decided = known  # bound once, however often it is visited
            return _pair(present, decided)
        present, decided = column.present(), test(column, column.expr)
        if self.bind and isinstance(decided, nw.Expr):
            name = fresh(f"__pipelinekit_test{len(self.bound)}", self._taken())
            self.bound.append((name, decided))
            decided = nw.col(name)
        self._leaves[id(node)] = (node, present, decided)
        return _pair(present, decided)

    def _known(self, node: lv.IsKnown) -> Pair:
        known = self.resolver.column(node.path).present()
        return (known, ~known) if node.KNOWN else (~known, known)

    visit_known = visit_missing = _known

    def visit_compare(self, node: lv.Compare) -> Pair:
        value = node.value
        if isinstance(value, Money):
            return self._money(
                node, lambda col, expr: number_test(col, expr, node.op, value.amount), [value]
            )
        return self._leaf(node, lambda col, expr: self._scalar_test(col, expr, node.op, value))

    def _scalar_test(self, column: Column, expr: nw.Expr, op: str, value: object) -> Test:  # noqa: PLR0911  # one return per kind
        kind = column.kind
        if type(value) is bool:
            if kind != "bool":
                return None
            # Nulls filled first (the answer there is "not present" anyway), so the test is
            # never null, whatever an engine does with a null in a cast.
            return _compare(expr.fill_null(value=False).cast(nw.Int8), op, int(value))
        if type(value) in (int, float, Decimal):
            return number_test(column, expr, op, value) if kind in NUMBERS else None
        if type(value) is str:
            return _compare(self._text(column, expr), op, value) if kind == "str" else None
        if type(value) is date:
            return _compare(expr, op, value) if kind == "date" else None
        if type(value) is datetime:
            if kind != "datetime":
                return None
            edge = _as_utc(value)
            span = NS_SPAN if getattr(column.dtype, "time_unit", None) == "ns" else None
            if span is not None and not span[0] <= edge <= span[1]:
                # every value compares the same way with an instant the unit cannot hold
                return bool(lv.COMPARISONS[op](0, 1 if edge > span[1] else -1))
            return _compare(self.utc(column, expr), op, edge)
        return None  # pragma: no cover - check_value admits nothing else

    def _text(self, column: Column, expr: nw.Expr) -> nw.Expr:
        return expr if isinstance(column.dtype, nw.String) else expr.cast(nw.String)

    def _money(
        self, node: lv.Leaf, test: Callable[[Column, nw.Expr], Test], criteria: list[Money]
    ) -> Pair:
        """A Money criterion: the amount column, and the currency column when there is one."""
        amount = self._amount(node.path)
        if amount.expr is None:
            return _false(), _false()
        if amount.kind not in NUMBERS:
            if amount.kind == "str":
                raise QualifierError(
                    f"{node.path}: the amount column {amount.name!r} holds text; cast it to a"
                    " decimal or float column to compare money"
                )
            return _false(), _false()
        currencies = sorted({m.currency for m in criteria})
        currency = self.resolver.find(f"{node.path}.currency")
        present = amount.present()
        if currency is None or currency.expr is None:
            if len(currencies) > 1:
                raise QualifierError(
                    f"{node.path}: criteria in {', '.join(currencies)} need a currency column"
                    f" (columns={{{node.path + '.currency'!r}: 'name'}})"
                )
            return _pair(present, test(amount, amount.expr))
        if currency.kind == "null":  # no currency in any row: no row holds money
            return _false(), _false()
        if currency.kind != "str":
            raise QualifierError(f"{node.path}: the currency column {currency.name!r} is not text")
        # Another currency is UNKNOWN, as row-wise (CurrencyMismatch); a missing one too.
        present = (
            present & currency.present() & self._text(currency, currency.expr).is_in(currencies)
        )
        return _pair(present, test(amount, amount.expr))

    def _amount(self, path: str) -> Column:
        if path in self.resolver.columns:
            return self.resolver.column(path)
        found = self.resolver.find(f"{path}.amount")
        if found is not None:
            return found
        plain = self.resolver.find(path)
        if plain is not None and plain.kind in NUMBERS:
            raise QualifierError(
                f"{path}: a money criterion reads an amount column ({path + '.amount'!r});"
                f" {plain.name!r} is a plain number column: say it holds amounts with"
                f" columns={{{path!r}: {plain.name!r}}}"
            )
        return self.resolver.column(f"{path}.amount")

    def _membership(self, node: lv.IsIn) -> Pair:
        inside = not isinstance(node, lv.NotIn)
        values = list(node.values)
        money = [v for v in values if isinstance(v, Money)]
        if money and len(money) == len(values):
            return self._money_membership(node, money, inside=inside)

        def test(column: Column, expr: nw.Expr) -> Test:
            if not values:  # nothing is in an empty set, whatever the value
                return not inside
            if column.kind not in _kinds(node.kinds):
                return None
            found = self._member(column, expr, values)
            if isinstance(found, bool):
                return found is inside
            return found if inside else ~found

        if money:  # money and other values: only the other kinds can be decided
            values = [v for v in values if not isinstance(v, Money)]
        return self._leaf(node, test)

    visit_in = visit_not_in = _membership

    def _money_membership(self, node: lv.IsIn, money: list[Money], *, inside: bool) -> Pair:
        currency = self.resolver.find(f"{node.path}.currency")
        amount = self._amount(node.path)
        if currency is None or currency.expr is None or amount.expr is None:

            def plain(column: Column, expr: nw.Expr) -> Test:
                found = self._member(column, expr, [m.amount for m in money])
                if isinstance(found, bool):
                    return found is inside
                return found if inside else ~found

            return self._money(node, plain, money)
        text = self._text(currency, currency.expr)
        parts = []
        for code in sorted({m.currency for m in money}):
            found = self._member(
                amount, amount.expr, [m.amount for m in money if m.currency == code]
            )
            if found is not False:
                parts.append((text == code) & (True if found is True else found))
        found_any: nw.Expr | bool = _or(parts) if parts else False

        def by_currency(column: Column, expr: nw.Expr) -> Test:
            if isinstance(found_any, bool):
                return found_any is inside
            return found_any if inside else ~found_any

        return self._money(node, by_currency, money)

    def _member(self, column: Column, expr: nw.Expr, values: list[object]) -> nw.Expr | bool:
        """``expr`` is one of ``values`` (those of the column's kind); never null where present."""
        chosen = [x for v in values if (x := _representable_item(column.kind, v)) is not None]
        if not chosen:
            return False
        if column.kind == "str":
            expr = self._text(column, expr)
        elif column.kind == "datetime":
            expr = self.utc(column, expr)
        return expr.is_in(sorted(set(chosen), key=repr))

    def visit_contains(self, node: lv.Contains) -> Pair:
        item = node.item

        def test(column: Column, expr: nw.Expr) -> Test:
            if column.kind == "str":
                if type(item) is not str:
                    return None  # ``1 in "abc"`` is a TypeError: UNKNOWN
                return self._text(column, expr).str.contains(item, literal=True)
            if column.kind != "list":
                return None  # not a collection (a struct is a mapping): UNKNOWN
            inner = Column(path=node.path, name=column.name, expr=None, dtype=_inner(column.dtype))
            inner_kind = kind_of_dtype(inner.dtype)
            found = _representable_item(inner_kind, item)
            if found is None:
                return False  # no item of the list can equal it
            return expr.list.contains(found)

        return self._leaf(node, test)

    def _emptiness(self, node: lv.IsEmpty) -> Pair:
        def test(column: Column, expr: nw.Expr) -> Test:
            if column.kind == "str":
                size = self._text(column, expr).str.len_chars()
            elif column.kind == "list":
                size = expr.list.len()
            elif column.kind == "struct":  # a mapping with the struct's fields: never empty
                return not node.EMPTY
            else:
                return None
            return size == 0 if node.EMPTY else size != 0

        return self._leaf(node, test)

    visit_empty = visit_not_empty = _emptiness

    def visit_matches(self, node: lv.Matches) -> Pair:
        pattern = portable_pattern(node.pattern, ignore_case=node.ignore_case)

        def test(column: Column, expr: nw.Expr) -> Test:
            if column.kind != "str":
                return None
            return self._text(column, expr).str.contains(pattern)

        return self._leaf(node, test)

    def _time(self, node: lv.TimeRelative) -> Pair:
        at = self.at
        assert at is not None  # noqa: S101  # checked before compiling

        def test(column: Column, expr: nw.Expr) -> Test:
            if column.kind == "date":
                # Whole days: n days compare with a delta as n with the delta's whole days.
                reference: date = at.date()
                delta = timedelta(days=node.delta.days)
            elif column.kind == "datetime":
                reference = _as_utc(at)
                delta = node.delta
                expr = self.utc(column, expr)
            else:
                return None  # naive datetimes, text ...: UNKNOWN, as row-wise (TypeError)
            span = NS_SPAN if getattr(column.dtype, "time_unit", None) == "ns" else None
            parts = [_bound(expr, bound, reference, delta, span) for bound in node.RULE]
            if any(p is False for p in parts):
                return False
            exprs = [p for p in parts if not isinstance(p, bool)]
            return _and(exprs) if exprs else True

        return self._leaf(node, test)

    visit_within = visit_older_than = visit_within_next = visit_within_last = _time


#: Engines whose timezone-aware columns hold instants (compared in UTC as they are).
_INSTANT_ENGINES: Final = frozenset(
    {
        nw.Implementation.DUCKDB,
        nw.Implementation.PYSPARK,
        nw.Implementation.SQLFRAME,
        nw.Implementation.PYSPARK_CONNECT,
    }
)


#: The instants a nanosecond timestamp column can hold (pandas' datetime64[ns]).
NS_SPAN: Final = (
    datetime(1677, 9, 21, 0, 12, 43, 145225, tzinfo=UTC),
    datetime(2262, 4, 11, 23, 47, 16, 854775, tzinfo=UTC),
)


def _bound(
    expr: nw.Expr,
    bound: lv.TimeBound,
    reference: date,
    delta: timedelta,
    span: tuple[datetime, datetime] | None = None,
) -> nw.Expr | bool:
    """One bound of a time rule as ``value <op> reference ± delta`` (see ``TimeBound``).

    ``span``: the instants the column can hold, when fewer than Python's (an edge beyond
    them is no bound: the engine could not even hold it as a literal).
    """
    limit = delta if bound.limit == "delta" else timedelta(0)
    # ahead:  value - ref  op limit  <=>  value  op  ref + limit
    # behind: ref - value  op limit  <=>  value  op' ref - limit (op mirrored)
    op: str = bound.op
    sign = 1
    if bound.difference == "behind":
        op, sign = {"<=": ">=", ">=": "<=", ">": "<"}[bound.op], -1
    try:
        edge = reference + limit if sign > 0 else reference - limit
    except OverflowError:
        # ref ± delta is outside the date range: every value lies on one side of it.
        below = op in ("<", "<=")
        return below if sign > 0 else not below
    if span is not None and isinstance(edge, datetime) and not span[0] <= edge <= span[1]:
        # every value lies on one side of an edge the column's unit cannot reach
        return (op in ("<", "<=")) is (edge > span[1])
    return _compare(expr, op, edge)


def _kinds(kinds: frozenset[object]) -> set[Kind]:
    """The column kinds that can hold values of these ``kind_of`` kinds."""
    out: set[Kind] = set()
    for kind in kinds:
        if kind == "number":
            out |= {"int", "float", "decimal"}
        elif kind in ("str", "bool", "date", "datetime"):
            out.add(kind)
    return out


def _representable(kind: Kind, value: object) -> list[object]:
    """``value`` as the column's type holds it, when it equals some value of that type."""
    x = _exact(value)
    if kind == "int":
        if x.denominator == 1 and _INT64[0] <= x <= _INT64[1]:
            return [int(x)]
        return []
    if kind == "float":
        f = float(x)
        return [f] if not math.isinf(f) and Fraction(f) == x else []
    return [Decimal(x.numerator) / Decimal(x.denominator)]


def _inner(dtype: object) -> object:
    return getattr(dtype, "inner", None)


_SCALAR_KINDS: Final[dict[type, Kind]] = {
    bool: "bool",
    str: "str",
    date: "date",
    datetime: "datetime",
}


def _representable_item(kind: Kind, item: object) -> Literal | None:
    """``item`` as a column of ``kind`` holds it, when some value of that column equals it."""
    if type(item) in (int, float, Decimal):
        if kind not in NUMBERS:
            return None
        found = _representable(kind, item)
        return cast("Literal", found[0]) if found else None
    if _SCALAR_KINDS.get(type(item)) != kind:
        return None
    return _as_utc(item) if isinstance(item, datetime) else cast("Literal", item)
