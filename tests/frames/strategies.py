"""Typed tables with nulls, and random qualifier trees over their columns.

Each table has one column per kind the compiler distinguishes, every one nullable: integers,
floats (with NaN), text (with strings that tell regex dialects apart), booleans, dates,
timezone-aware and naive datetimes, lists, a struct field and a flat dotted column (as
``pandas.json_normalize`` writes them), a Money amount with its currency, and a list of
records (``people``: missing, empty, with missing items and fields, and a list of records in
each item) for ``any_item`` / ``count_items``. The same data as row dicts (nested, with
``Money`` values) is what row-wise ``q.evaluate`` reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import polars as pl
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.qualifiers import Qualifier
from tests.qualifiers.strategies import WEIGHTS, _thresholds, junctions

AT = datetime(2026, 11, 22, 12, tzinfo=UTC)

SCHEMA: dict[str, Any] = {
    "i": pl.Int64,
    "f": pl.Float64,
    "s": pl.String,
    "b": pl.Boolean,
    "d": pl.Date,
    "t": pl.Datetime("us", "UTC"),
    "n": pl.Datetime("us"),
    "li": pl.List(pl.Int64),
    "ls": pl.List(pl.String),
    "st": pl.Struct({"x": pl.Int64}),
    "acc.size": pl.Int64,
    "m.amount": pl.Float64,
    "m.currency": pl.String,
    "none": pl.Null,
    "people": pl.List(
        pl.Struct(
            {
                "role": pl.String,
                "score": pl.Int64,
                "seen": pl.Datetime("us", "UTC"),
                "tags": pl.List(pl.String),
                "calls": pl.List(pl.Struct({"n": pl.Int64})),
            }
        )
    ),
}
#: Paths of ordinary leaves (every column but the money one).
PATHS = ("i", "f", "s", "b", "d", "t", "n", "li", "ls", "st.x", "acc.size", "none")

TEXT = ["x", "y", "", "1", "lead", "xa", "ya", " ", "a\n", "\u0661", "\u2003", "x\r", "X"]
#: Letters Python's re.IGNORECASE folds unlike RE2's and Rust's (?i), or beyond ASCII: the
#: long s, the Kelvin sign, the dotless i, the dotted capital I, "S", "K", "I".
TEXT += ["\u017f", "\u212a", "\u0131", "\u0130", "S", "K", "I", "aX"]
CELLS: dict[str, st.SearchStrategy[Any]] = {
    "i": st.one_of(st.none(), st.integers(-3, 3)),
    "f": st.one_of(st.none(), st.sampled_from([float("nan"), -1.5, 0.0, 1.0, 1.5, 2.5, 0.1])),
    "s": st.one_of(st.none(), st.sampled_from(TEXT)),
    "b": st.one_of(st.none(), st.booleans()),
    "d": st.one_of(
        st.none(),
        st.sampled_from([date(2026, 11, 1), date(2026, 1, 1), AT.date()]),
        st.integers(-45, 45).map(lambda n: AT.date() + timedelta(days=n)),
    ),
    "t": st.one_of(
        st.none(),
        st.integers(-45 * 24, 45 * 24).map(lambda h: AT + timedelta(hours=h)),
        st.just(AT),
    ),
    "n": st.one_of(st.none(), st.just(datetime(2026, 11, 1))),
    "li": st.one_of(st.none(), st.lists(st.one_of(st.none(), st.integers(-2, 2)), max_size=3)),
    "ls": st.one_of(st.none(), st.lists(st.sampled_from(["x", "y", "1"]), max_size=3)),
    "st": st.one_of(
        st.none(), st.fixed_dictionaries({"x": st.one_of(st.none(), st.integers(-3, 3))})
    ),
    "acc.size": st.one_of(st.none(), st.integers(-3, 3)),
    "m.amount": st.one_of(st.none(), st.sampled_from([0.5, 1.0, 1.5, 2.0])),
    "m.currency": st.one_of(st.none(), st.sampled_from(["EUR", "USD"])),
    "none": st.none(),
    "people": st.one_of(
        st.none(),
        st.lists(
            st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {
                        "role": st.one_of(st.none(), st.sampled_from(["eb", "champion", "x"])),
                        "score": st.one_of(st.none(), st.integers(-3, 3)),
                        "seen": st.one_of(
                            st.none(), st.integers(-45, 45).map(lambda d: AT + timedelta(days=d))
                        ),
                        "tags": st.one_of(
                            st.none(), st.lists(st.sampled_from(["x", "y"]), max_size=2)
                        ),
                        "calls": st.one_of(
                            st.none(),
                            st.lists(
                                st.one_of(
                                    st.none(),
                                    st.fixed_dictionaries(
                                        {"n": st.one_of(st.none(), st.integers(-2, 2))}
                                    ),
                                ),
                                max_size=2,
                            ),
                        ),
                    }
                ),
            ),
            max_size=3,
        ),
    ),
}

#: A row with nothing known.
BLANK: dict[str, Any] = dict.fromkeys(CELLS)


def rows() -> st.SearchStrategy[list[dict[str, Any]]]:
    """Rows of the table, as column name to cell."""
    return st.lists(st.fixed_dictionaries(CELLS), max_size=6)


def table(cells: list[dict[str, Any]]) -> pl.DataFrame:
    """The polars frame of ``cells``, typed by :data:`SCHEMA` whatever the values."""
    return pl.DataFrame({k: [r[k] for r in cells] for k in SCHEMA}, schema=SCHEMA)


def subject(cell: dict[str, Any]) -> dict[str, Any]:
    """What row-wise evaluation reads for one row: nested paths, Money objects."""
    row = {k: v for k, v in cell.items() if "." not in k}
    row["acc"] = {"size": cell["acc.size"]}
    amount, currency = cell["m.amount"], cell["m.currency"]
    if amount is not None and currency is not None:
        row["m"] = pk.Money(repr(amount), currency)
    return row


#: Criteria of ordinary leaves. A Money criterion needs an amount column (a QualifierError
#: names the path otherwise), so money is compared on the money path "m" only.
#: (No ``.filter``: a rejected draw makes Hypothesis describe the whole tree strategy.)
SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.integers(-3, 3),
    st.sampled_from(["x", "y", "", "1", "lead"]),
    st.sampled_from([Decimal("1.5"), 1.0, True, False]),
    st.sampled_from([date(2026, 11, 1), AT - timedelta(days=3)]),
)
MONEY = st.sampled_from([pk.Money("1", "EUR"), pk.Money("1.5", "USD"), pk.Money("0.5", "EUR")])
DELTAS = st.one_of(
    st.integers(0, 40).map(lambda d: timedelta(days=d)),
    st.sampled_from([timedelta(hours=12), timedelta(days=10**6), timedelta.max]),
)
PATTERNS = st.sampled_from(
    [
        *["^x", r"\S", "a$", "x|y", "[0-9]", ".a", r"\d", r"\s", "^$", "[^x]"],
        *["s", "k", "^i$", "[h-j]", "[^s]", "(?i)x", "a(?i:X)"],  # case, folded or not
    ]
)


def leaves(
    paths: tuple[str, ...] = PATHS, *, regex: bool = True, money: bool = True
) -> st.SearchStrategy[Qualifier]:
    """Leaves of every kind over the table's paths, with criteria of every kind.

    ``money``: also Money criteria on the money path "m" (not inside items: they have none).
    """
    path = st.sampled_from(paths)
    known = st.sampled_from([*paths, "m"] if money else paths)
    ops = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
    values = st.frozensets(SCALARS, max_size=3)
    money_sets = st.frozensets(MONEY, max_size=3)
    options = [
        st.builds(lambda p, o, v: pk.qualifiers.Compare(path=p, op=o, value=v), path, ops, SCALARS),
        st.builds(lambda p, vs: pk.field(p).is_in(vs), path, values),
        st.builds(lambda p, vs: pk.field(p).not_in(vs), path, values),
        st.builds(lambda p: pk.field(p).is_known(), known),
        st.builds(lambda p: pk.field(p).is_missing(), known),
        st.builds(lambda p, v: pk.field(p).contains(v), path, SCALARS),
        st.builds(lambda p: pk.field(p).is_empty(), path),
        st.builds(lambda p: pk.field(p).is_not_empty(), path),
        st.builds(lambda p, d: pk.field(p).within(d), path, DELTAS),
        st.builds(lambda p, d: pk.field(p).older_than(d), path, DELTAS),
        st.builds(lambda p, d: pk.field(p).within_next(d), path, DELTAS),
        st.builds(lambda p, d: pk.field(p).within_last(d), path, DELTAS),
    ]
    if money:
        options += [
            st.builds(lambda o, v: pk.qualifiers.Compare(path="m", op=o, value=v), ops, MONEY),
            st.builds(lambda vs: pk.field("m").is_in(vs), money_sets),
            st.builds(lambda vs: pk.field("m").not_in(vs), money_sets),
        ]
    if regex:
        options.append(
            st.builds(
                lambda p, r, i: pk.field(p).matches(r, ignore_case=i), path, PATTERNS, st.booleans()
            )
        )
    return st.one_of(*options)


#: Paths inside an item of ``people``, and inside a call of an item.
ITEM_PATHS = ("role", "score", "seen", "tags", "calls")
CALL_PATHS = ("n",)


def _items(path: str, children: st.SearchStrategy[Qualifier]) -> st.SearchStrategy[Qualifier]:
    """``any_item`` / ``count_items`` over the list at ``path``, of a tree over its items."""
    return st.one_of(
        st.builds(
            lambda q, empty: pk.any_item(path, q, empty_is_unknown=empty), children, st.booleans()
        ),
        st.builds(lambda q, k: pk.count_items(path, q, at_least=k), children, st.integers(1, 3)),
    )


def _item_trees() -> st.SearchStrategy[Qualifier]:
    """Trees over a ``people`` item: its leaves and item checks over its ``calls``."""
    calls = _items("calls", st.recursive(leaves(CALL_PATHS, money=False), _extend, max_leaves=3))
    # Weighted so that a nested check is in a fair share of the trees, not one in a hundred.
    item_leaves = leaves(ITEM_PATHS, money=False)
    return st.recursive(st.one_of(item_leaves, calls, calls), _extend, max_leaves=4)


def _extend(children: st.SearchStrategy[Qualifier]) -> st.SearchStrategy[Qualifier]:
    return st.one_of(
        junctions(children),
        # Duplicates dropped by a map, not unique=True: a retried draw makes Hypothesis
        # describe the whole (large) tree strategy, a warning, so an error here.
        st.lists(children, min_size=1, max_size=3)
        .map(lambda qs: list(dict.fromkeys(qs)))
        .flatmap(
            lambda qs: st.lists(WEIGHTS, min_size=len(qs), max_size=len(qs)).flatmap(
                lambda ws: _thresholds(ws).map(
                    lambda t: pk.weighted(dict(zip(qs, ws, strict=True)), threshold=t)
                )
            )
        ),
        children.map(lambda q: q.named("named")),
    )


def qualifiers(
    paths: tuple[str, ...] = PATHS, *, regex: bool = True, items: bool = True
) -> st.SearchStrategy[Qualifier]:
    """Random trees of every composite kind frames compiles (``items``: and item checks)."""
    base = leaves(paths, regex=regex)
    if items:
        base = st.one_of(base, _items("people", _item_trees()))
    return st.recursive(base, _extend, max_leaves=8)


__all__ = ["AT", "BLANK", "qualifiers", "rows", "subject", "table"]
