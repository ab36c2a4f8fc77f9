"""The worst accepted document of each kind loads and evaluates in bounded time.

No wall-clock thresholds: each worst document is timed against a small one of the same
shape in the same run, and may cost at most ``SLACK`` times its share by size (work must
grow at most linearly with the document).
"""

from __future__ import annotations

import copy
import pickle
import time
from collections.abc import Callable
from typing import Any

import pytest

import pipelinekit as pk
from pipelinekit.qualifiers import composites, core, leaves, schema, verdict_schema
from tests.fuzz.seeds import seeds

#: Generous: only super-linear growth (quadratic or exponential) exceeds it.
SLACK = 12
CONTACT = seeds()[pk.Contact]
ROW = pk.to_dict(CONTACT)


def _chain(depth: int, wrap: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    doc: dict[str, Any] = {"kind": "known", "path": "account.employees"}
    for _ in range(depth - 1):
        doc = wrap(doc)
    return doc


def _deep_not(n: int) -> dict[str, Any]:
    return _chain(n, lambda d: {"kind": "not", "child": d})


def _deep_all_of(n: int) -> dict[str, Any]:
    return _chain(
        n, lambda d: {"kind": "all_of", "children": [d, {"kind": "known", "path": "email"}]}
    )


def _wide(n: int) -> dict[str, Any]:
    children = [
        {"kind": "compare", "path": "account.employees", "op": ">=", "value": i} for i in range(n)
    ]
    return {"kind": "any_of", "children": children}


def _long_in(n: int) -> dict[str, Any]:
    return {"kind": "in", "path": "account.employees", "values": list(range(n))}


def _long_text(n: int) -> dict[str, Any]:
    return {"kind": "compare", "path": "name", "op": "==", "value": "x" * n}


def _use_qualifier(doc: dict[str, Any]) -> None:
    q = pk.from_dict(doc, pk.Qualifier)
    verdict = q.evaluate(CONTACT)
    _ = verdict.outcome
    q(CONTACT)
    q(ROW)
    str(verdict)
    pk.to_dict(verdict)
    pk.to_dict(q)


def _timed(action: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def _assert_linear(
    build: Callable[[int], Any], use: Callable[[Any], object], small: int, big: int
) -> None:
    small_doc, big_doc = build(small), build(big)
    use(small_doc)  # warm up imports and caches shared by both
    ratio = _timed(lambda: use(big_doc)) / max(_timed(lambda: use(small_doc)), 1e-6)
    assert ratio <= SLACK * big / small, f"{ratio:.0f}x for {big / small:.0f}x the size"


QUALIFIERS = [
    ("deepest not", _deep_not, 8, core.MAX_DEPTH),
    ("deepest all_of", _deep_all_of, 8, core.MAX_DEPTH),
    # The root counts as a node too: MAX_NODES bounds the width before MAX_CHILDREN does.
    ("widest any_of", _wide, 100, min(composites.MAX_CHILDREN, schema.MAX_NODES - 1)),
    ("longest in", _long_in, 100, leaves.MAX_VALUES),
    ("longest text", _long_text, 10, leaves.MAX_TEXT),
]


@pytest.mark.parametrize(
    ("build", "small", "big"), [q[1:] for q in QUALIFIERS], ids=[q[0] for q in QUALIFIERS]
)
def test_worst_qualifier_is_linear(build: Callable[[int], Any], small: int, big: int) -> None:
    _assert_linear(build, _use_qualifier, small, big)


def _deep_verdict(n: int) -> dict[str, Any]:
    leaf = pk.to_dict(pk.field("a").is_known().evaluate({"a": 1}))
    leaf.pop("schema_version")
    doc: dict[str, Any] = leaf
    for _ in range(n - 1):
        doc = {**leaf, "children": [doc]}
    return doc


def test_deepest_verdict_loads_linearly() -> None:
    def use(doc: dict[str, Any]) -> None:
        verdict = pk.from_dict(doc, pk.Verdict)
        _ = verdict.outcome
        pk.to_dict(verdict)

    _assert_linear(_deep_verdict, use, 16, verdict_schema.MAX_VERDICT_DEPTH)


def test_deepest_verdict_prints_and_compares() -> None:
    """Every operation works on the deepest verdict document accepted (issue 9 item 10)."""
    doc = _deep_verdict(verdict_schema.MAX_VERDICT_DEPTH)
    verdict = pk.from_dict(doc, pk.Verdict)
    again = pk.from_dict(doc, pk.Verdict)
    assert repr(verdict).count("Verdict(") == verdict_schema.MAX_VERDICT_DEPTH
    assert len(str(verdict).splitlines()) == verdict_schema.MAX_VERDICT_DEPTH
    assert verdict == again
    assert hash(verdict) == hash(again)
    assert verdict != pk.from_dict(_deep_verdict(verdict_schema.MAX_VERDICT_DEPTH - 1), pk.Verdict)
    assert verdict.summary().startswith("PASS ")
    assert verdict._repr_html_().count("<li>") == verdict_schema.MAX_VERDICT_DEPTH
    assert pickle.loads(pickle.dumps(verdict)) == verdict
    assert copy.copy(verdict) == verdict
    assert copy.deepcopy(verdict) == verdict
    assert pk.to_dict(verdict) == {**doc, "schema_version": 1}
    assert len(list(verdict.walk())) == verdict_schema.MAX_VERDICT_DEPTH
    assert verdict.failures() == verdict.failures(named=True) == []
    assert verdict.criteria() == ()
    assert verdict.missing() == verdict.unknown_facts() == ()
    assert verdict.undecided() == []


def _weighted_not(levels: int) -> dict[str, Any]:
    doc: dict[str, Any] = {"kind": "known", "path": "account.employees"}
    for i in range(levels):
        if i % 2:
            doc = {"kind": "not", "child": doc}
        else:
            other = {"kind": "known", "path": f"facts.k{i}"}
            doc = {
                "kind": "weighted",
                "threshold": 2,
                "children": [{"weight": 1, "child": doc}, {"weight": 1, "child": other}],
            }
    return doc


def test_weighted_not_alternation_compiles_linearly() -> None:
    _assert_linear(_weighted_not, _use_qualifier, 10, 26)
