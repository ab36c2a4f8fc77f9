"""Hypothesis strategies for qualifier trees and the subjects they run on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pandas as pd
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.qualifiers import Qualifier

AT = datetime(2026, 11, 22, 12, tzinfo=UTC)
PATHS = ("a", "b", "n.x", "n.items", "when")
SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.integers(-3, 3),
    st.sampled_from(["x", "y", "", "1", "lead"]),
    st.sampled_from([Decimal("1.5"), 1.0, True, False]),
    st.sampled_from([pk.Money("1", "EUR"), pk.Money("2", "USD")]),
    st.sampled_from([date(2026, 11, 1), AT - timedelta(days=3)]),
)
#: Values that stand for "no value" in dataframe rows: missing, like None.
ABSENT: st.SearchStrategy[Any] = st.sampled_from(
    [float("nan"), Decimal("NaN"), pd.NA, pd.NaT, np.float32("nan"), np.datetime64("NaT", "ns")]
)
#: What dataframe rows hold instead of Python scalars: they count as the Python values.
NUMPY: st.SearchStrategy[Any] = st.sampled_from(
    [np.True_, np.False_, np.int64(1), np.float64(1.5), np.float32(2), np.str_("x")]
)


@attrs.frozen
class Row:
    """A caller's own object: attributes instead of keys."""

    a: Any = None
    b: Any = None
    n: Any = None
    when: Any = None
    things: Any = None


def leaves() -> st.SearchStrategy[Qualifier]:
    path = st.sampled_from(PATHS)
    ops = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
    delta = st.integers(0, 40).map(lambda d: timedelta(days=d))
    return st.one_of(
        st.builds(lambda p, o, v: pk.qualifiers.Compare(path=p, op=o, value=v), path, ops, SCALARS),
        st.builds(lambda p, vs: pk.field(p).is_in(vs), path, st.frozensets(SCALARS, max_size=3)),
        st.builds(lambda p, vs: pk.field(p).not_in(vs), path, st.frozensets(SCALARS, max_size=3)),
        st.builds(lambda p: pk.field(p).is_known(), path),
        st.builds(lambda p: pk.field(p).is_missing(), path),
        st.builds(lambda p, v: pk.field(p).contains(v), path, SCALARS),
        st.builds(lambda p: pk.field(p).is_empty(), path),
        st.builds(lambda p: pk.field(p).is_not_empty(), path),
        st.builds(lambda p: pk.field(p).matches("^x"), path),
        st.builds(lambda p, d: pk.field(p).within(d), path, delta),
        st.builds(lambda p, d: pk.field(p).older_than(d), path, delta),
        st.builds(lambda p, d: pk.field(p).within_next(d), path, delta),
        st.builds(lambda p, d: pk.field(p).within_last(d), path, delta),
    )


#: Weights, floats among them whose float sums are off (0.7 + 0.1 < 0.8 in floats).
WEIGHTS: st.SearchStrategy[int | float] = st.sampled_from([1, 2, 3, 0.1, 0.2, 0.7])


def _thresholds(weights: list[int | float]) -> st.SearchStrategy[int | float]:
    """Thresholds within reach: a weight, an exact partial sum written as a float, or an int."""
    total = sum(Decimal(repr(w)) for w in weights)
    partial = [float(sum(Decimal(repr(w)) for w in weights[: i + 1])) for i in range(len(weights))]
    options: list[int | float] = [*weights, *(p for p in partial if Decimal(repr(p)) <= total)]
    if total >= 1:
        options.append(int(total))
    return st.sampled_from(options)


def junctions(
    children: st.SearchStrategy[Qualifier], max_size: int = 4
) -> st.SearchStrategy[Qualifier]:
    """``&``, ``|``, ``~`` and ``at_least`` over drawn children (for ``st.recursive``)."""
    many = st.lists(children, min_size=1, max_size=max_size)
    return st.one_of(
        many.map(lambda qs: pk.all_of(*qs)),
        many.map(lambda qs: pk.any_of(*qs)),
        children.map(lambda q: ~q),
        many.flatmap(lambda qs: st.integers(1, len(qs)).map(lambda k: pk.at_least(k, *qs))),
    )


def _extend(children: st.SearchStrategy[Qualifier]) -> st.SearchStrategy[Qualifier]:
    return st.one_of(
        junctions(children),
        st.lists(children, min_size=1, max_size=3, unique=True).flatmap(
            lambda qs: st.lists(WEIGHTS, min_size=len(qs), max_size=len(qs)).flatmap(
                lambda ws: _thresholds(ws).map(
                    lambda t: pk.weighted(dict(zip(qs, ws, strict=True)), threshold=t)
                )
            )
        ),
        children.map(lambda q: pk.any_item("things", q)),
        children.map(lambda q: pk.any_item("things", q, empty_is_unknown=True)),
        children.flatmap(
            lambda q: st.integers(1, 2).map(lambda n: pk.count_items("things", q, at_least=n))
        ),
        children.map(lambda q: q.named("named")),
    )


def qualifiers() -> st.SearchStrategy[Qualifier]:
    return st.recursive(leaves(), _extend, max_leaves=8)


VALUES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    ABSENT,
    SCALARS,
    NUMPY,
    st.sampled_from([pk.Stage.LEAD, 1.5, datetime(2026, 11, 1, tzinfo=UTC) + timedelta(days=40)]),
    st.sampled_from(["xa", "ya", ("x", 1), (), [1, "x"], {"x": 1}]),
    st.sampled_from(
        [date(2026, 11, 1), date(2026, 1, 1), AT - timedelta(days=3), datetime(2026, 11, 1)]
    ),
)


def _inner() -> st.SearchStrategy[Any]:
    fields = st.fixed_dictionaries(
        {}, optional={"x": VALUES, "items": VALUES, "a": VALUES, "b": VALUES, "when": VALUES}
    )
    return st.one_of(st.none(), st.integers(), fields, fields.map(lambda d: Row(**_known(d))))


def _known(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k in {"a", "b", "when"}}


def subjects() -> st.SearchStrategy[Any]:
    """Dict rows with missing keys and Nones, attrs objects, and odd values."""
    row = st.fixed_dictionaries(
        {},
        optional={
            "a": VALUES,
            "b": VALUES,
            "n": _inner(),
            "when": VALUES,
            "things": st.one_of(st.none(), st.lists(_inner(), max_size=3), st.just("text")),
        },
    )
    return st.one_of(
        row,
        row.map(lambda d: Row(**d)),
        st.none(),
    )
