"""Every limit in docs/limits.md, at its edge: the limit is accepted, one past is refused.

The table mirrors docs/limits.md; ``test_table_mirrors_the_doc`` keeps the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import pipelinekit as pk
from pipelinekit import lifecycle
from pipelinekit.qualifiers import composites, core, items, leaves, paths, schema, verdict_schema
from pipelinekit.values import MAX_INTEGER_DIGITS, MAX_PLACES

DOC = Path(__file__).resolve().parents[2] / "docs" / "limits.md"


def _not(depth: int) -> dict[str, Any]:
    doc: dict[str, Any] = {"kind": "known", "path": "a"}
    for _ in range(depth - 1):
        doc = {"kind": "not", "child": doc}
    return doc


def _any_of(nodes: int) -> dict[str, Any]:
    """A document of ``nodes`` qualifier nodes: the root and ``nodes - 1`` distinct leaves."""
    children = [{"kind": "compare", "path": "a", "op": "==", "value": i} for i in range(nodes - 1)]
    return {"kind": "any_of", "children": children}


def _values(total: int) -> dict[str, Any]:
    """``total`` ``in`` values in all, each node holding at most MAX_VALUES of them."""
    sizes = [leaves.MAX_VALUES] * (total // leaves.MAX_VALUES)
    sizes += [total % leaves.MAX_VALUES] if total % leaves.MAX_VALUES else []
    children = [
        {"kind": "in", "path": f"a{index}", "values": list(range(size))}
        for index, size in enumerate(sizes)
    ]
    return {"kind": "all_of", "children": children}


def _group_nesting(depth: int) -> dict[str, Any]:
    return {"kind": "matches", "path": "a", "pattern": "(" * depth + "a" + ")" * depth}


def _verdict(depth: int) -> dict[str, Any]:
    leaf = pk.to_dict(pk.field("a").is_known().evaluate({"a": 1}))
    leaf.pop("schema_version")
    doc: dict[str, Any] = leaf
    for _ in range(depth - 1):
        doc = {**leaf, "children": [doc]}
    return doc


def _chain(stages: int) -> dict[str, Any]:
    """A pipeline document of ``stages`` stages in a chain, the last one won."""
    names = [f"s{i}" for i in range(stages)]
    return {
        "schema_version": 2,
        "stages": [*names[:-1], {"name": names[-1], "final": True, "outcome": "won"}],
        "transitions": [
            {"event": f"e{i}", "sources": names[i - 1], "target": names[i]}
            for i in range(1, stages)
        ],
    }


def _events(count: int) -> dict[str, Any]:
    """A two-stage pipeline document with ``count`` events from the first to the second."""
    return {
        "schema_version": 2,
        "stages": ["a", {"name": "b", "final": True, "outcome": "won"}],
        "transitions": [{"event": f"e{i}", "sources": "a", "target": "b"} for i in range(count)],
    }


def _sources(count: int) -> dict[str, Any]:
    """A transition document listing ``count`` source stages."""
    return {"event": "go", "sources": [f"s{i}" for i in range(count)], "target": "t"}


def _guarded(nodes: int) -> dict[str, Any]:
    """A pipeline document whose guards hold ``nodes`` qualifier nodes together.

    Guards of ``MAX_NODES`` nodes each (an ``all_of`` of distinct leaves), and one
    single-leaf guard for a remainder of 1 (the only remainders the table asks for).
    """
    full, rest = divmod(nodes, schema.MAX_NODES)
    assert rest in {0, 1}, rest

    def leaf(i: int) -> dict[str, Any]:
        return {"kind": "compare", "path": "account.employees", "op": ">=", "value": i}

    guards = [{"kind": "all_of", "children": [leaf(i) for i in range(schema.MAX_NODES - 1)]}] * full
    guards += [leaf(0)] * rest
    document = _events(len(guards))
    document["guards"] = {f"e{i}": guard for i, guard in enumerate(guards)}
    return document


class Limit(NamedTuple):
    name: str
    value: int
    target: type
    build: Callable[[int], object]
    path: str  # the SchemaError path one past the limit (a prefix)


LIMITS = [
    Limit("MAX_DEPTH", core.MAX_DEPTH, pk.Qualifier, _not, "$"),
    Limit(
        "MAX_NAME",
        core.MAX_NAME,
        pk.Qualifier,
        lambda n: {"kind": "known", "path": "a", "name": "n" * n},
        "$.name",
    ),
    Limit(
        "MAX_DESCRIPTION",
        core.MAX_DESCRIPTION,
        pk.Qualifier,
        lambda n: {"kind": "known", "path": "a", "name": "n", "description": "d" * n},
        "$.description",
    ),
    Limit(
        "MAX_PATH_LENGTH",
        paths.MAX_PATH_LENGTH,
        pk.Qualifier,
        lambda n: {"kind": "known", "path": "a" * n},
        "$.path",
    ),
    Limit(
        "MAX_TEXT",
        leaves.MAX_TEXT,
        pk.Qualifier,
        lambda n: {"kind": "compare", "path": "a", "op": "==", "value": "v" * n},
        "$.value",
    ),
    Limit(
        "MAX_VALUES",
        leaves.MAX_VALUES,
        pk.Qualifier,
        lambda n: {"kind": "in", "path": "a", "values": list(range(n))},
        "$.values",
    ),
    Limit(
        "MAX_VERDICT_DEPTH",
        verdict_schema.MAX_VERDICT_DEPTH,
        pk.Verdict,
        _verdict,
        "$",
    ),
    Limit(
        "MAX_INTEGER_DIGITS",
        MAX_INTEGER_DIGITS,
        pk.Money,
        lambda n: {"amount": "9" * n, "currency": "EUR"},
        "$.amount",
    ),
    Limit(
        "MAX_PLACES",
        MAX_PLACES,
        pk.Money,
        lambda n: {"amount": "0." + "1" * n, "currency": "EUR"},
        "$.amount",
    ),
    Limit("MAX_NODES", schema.MAX_NODES, pk.Qualifier, _any_of, "$.children["),
    Limit("MAX_TOTAL_VALUES", schema.MAX_TOTAL_VALUES, pk.Qualifier, _values, "$.children["),
    Limit(
        "MAX_NUMBER_TEXT",
        schema.MAX_NUMBER_TEXT,
        pk.Qualifier,
        # One significant digit, so only the length of the text is at its limit.
        lambda n: {"kind": "compare", "path": "a", "op": "==", "value": {"decimal": "0" * n}},
        "$.value.decimal",
    ),
    Limit(
        "MAX_DIGITS",
        leaves.MAX_DIGITS,
        pk.Qualifier,
        lambda n: {"kind": "compare", "path": "a", "op": "==", "value": int("9" * n)},
        "$.value",
    ),
    Limit("MAX_GROUP_NESTING", leaves.MAX_GROUP_NESTING, pk.Qualifier, _group_nesting, "$.pattern"),
    Limit(
        "MAX_WEIGHT",
        composites.MAX_WEIGHT,
        pk.Qualifier,
        lambda n: {
            "kind": "weighted",
            "threshold": 1,
            "children": [{"weight": n, "child": {"kind": "known", "path": "a"}}],
        },
        "$.children[0].weight",
    ),
    Limit(
        "MAX_COUNT",
        items.MAX_COUNT,
        pk.Qualifier,
        lambda n: {
            "kind": "count_items",
            "path": "a",
            "at_least": n,
            "child": {"kind": "known", "path": "b"},
        },
        "$.at_least",
    ),
    # Pipeline specs.
    Limit("MAX_STAGES", lifecycle.MAX_STAGES, pk.PipelineSpec, _chain, "$.stages"),
    Limit("MAX_TRANSITIONS", lifecycle.MAX_TRANSITIONS, pk.PipelineSpec, _events, "$.transitions"),
    Limit("MAX_SOURCES", lifecycle.MAX_SOURCES, pk.Transition, _sources, "$.sources"),
    Limit("MAX_GUARD_NODES", lifecycle.MAX_GUARD_NODES, pk.PipelineSpec, _guarded, "$.guards.e"),
    Limit(
        "MAX_LABEL",
        lifecycle.MAX_LABEL,
        pk.StageSpec,
        lambda n: {"schema_version": 2, "name": "s", "label": "L" * n},
        "$.label",
    ),
]


@pytest.mark.parametrize("limit", LIMITS, ids=lambda limit: limit.name)
def test_limit_is_enforced_at_its_edge(limit: Limit) -> None:
    pk.from_dict(limit.build(limit.value), limit.target)
    with pytest.raises(pk.SchemaError) as caught:
        pk.from_dict(limit.build(limit.value + 1), limit.target)
    assert caught.value.path.startswith(limit.path), caught.value.path


def test_max_children_at_its_edge() -> None:
    """In code, a composite takes MAX_CHILDREN children and refuses one more.

    A document cannot hold that many children and their parent within MAX_NODES, so one
    with MAX_CHILDREN + 1 children is refused for its width at ``$.children`` before its
    nodes are counted.
    """
    n = composites.MAX_CHILDREN
    leaves_ = [pk.field("a") == i for i in range(n + 1)]
    assert len(pk.any_of(*leaves_[:n]).children) == n
    with pytest.raises(pk.QualifierError, match=f"at most {n} qualifiers"):
        pk.any_of(*leaves_)
    with pytest.raises(pk.SchemaError) as caught:
        pk.from_dict(_any_of(n + 2), pk.Qualifier)
    assert caught.value.path == "$.children"
    assert caught.value.problem == f"more than {n} children"
    with pytest.raises(pk.SchemaError) as caught:  # N children: too many nodes instead
        pk.from_dict(_any_of(n + 1), pk.Qualifier)
    assert "qualifier nodes" in caught.value.problem


def test_max_nesting_at_its_edge() -> None:
    """MAX_NESTING bounds lists and objects anywhere, values included.

    No valid qualifier document nests that deep (64 levels of ``weighted`` reach 192), so
    at the limit the document is refused for its content (a list is no criterion value),
    and one level more for its nesting, before anything is read.
    """

    def nested(levels: int) -> dict[str, Any]:
        value: object = 1
        for _ in range(levels - 1):  # the root object is the first level
            value = [value]
        return {"kind": "compare", "path": "a", "op": "==", "value": value}

    with pytest.raises(pk.SchemaError) as caught:
        pk.from_dict(nested(schema.MAX_NESTING), pk.Qualifier)
    assert caught.value.path == "$.value"
    assert caught.value.problem.startswith("expected a str, number")
    with pytest.raises(pk.SchemaError) as caught:
        pk.from_dict(nested(schema.MAX_NESTING + 1), pk.Qualifier)
    assert caught.value.path.startswith("$.value[0]")
    assert (
        caught.value.problem
        == f"nested deeper than {schema.MAX_NESTING} levels of lists and objects"
    )


def test_max_digits_of_a_decimal_in_code() -> None:
    """A document's number text is at most MAX_NUMBER_TEXT, so MAX_DIGITS is reached in code."""
    n = leaves.MAX_DIGITS
    assert (pk.field("a") == Decimal("9" * n))({"a": Decimal("9" * n)})
    with pytest.raises(pk.QualifierError, match=f"more than {n} digits"):
        pk.field("a") == Decimal("9" * (n + 1))  # noqa: B015  # built for its error


def test_table_mirrors_the_doc() -> None:
    """Every limit in the table has a row in docs/limits.md with the same value."""
    text = DOC.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| ([\d_,]+|10\*\*\d+) \|", text, flags=re.MULTILINE))
    for limit in LIMITS:
        assert limit.name in rows, limit.name
        shown = rows[limit.name].replace("_", "").replace(",", "")
        base, _, power = shown.partition("**")
        assert (int(base) ** int(power) if power else int(base)) == limit.value, limit.name
