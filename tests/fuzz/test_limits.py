"""Every limit in docs/limits.md, at its edge: the limit is accepted, one past is refused.

The table mirrors docs/limits.md; ``test_table_mirrors_the_doc`` keeps the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import pipelinekit as pk
from pipelinekit.qualifiers import core, leaves, paths, verdict_schema
from pipelinekit.values import MAX_INTEGER_DIGITS, MAX_PLACES

DOC = Path(__file__).resolve().parents[2] / "docs" / "limits.md"


def _not(depth: int) -> dict[str, Any]:
    doc: dict[str, Any] = {"kind": "known", "path": "a"}
    for _ in range(depth - 1):
        doc = {"kind": "not", "child": doc}
    return doc


def _verdict(depth: int) -> dict[str, Any]:
    leaf = pk.to_dict(pk.field("a").is_known().evaluate({"a": 1}))
    leaf.pop("schema_version")
    doc: dict[str, Any] = leaf
    for _ in range(depth - 1):
        doc = {**leaf, "children": [doc]}
    return doc


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
]


@pytest.mark.parametrize("limit", LIMITS, ids=lambda limit: limit.name)
def test_limit_is_enforced_at_its_edge(limit: Limit) -> None:
    pk.from_dict(limit.build(limit.value), limit.target)
    with pytest.raises(pk.SchemaError) as caught:
        pk.from_dict(limit.build(limit.value + 1), limit.target)
    assert caught.value.path.startswith(limit.path), caught.value.path


def test_table_mirrors_the_doc() -> None:
    """Every limit in the table has a row in docs/limits.md with the same value."""
    text = DOC.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| ([\d_,]+) \|", text, flags=re.MULTILINE))
    for limit in LIMITS:
        assert limit.name in rows, limit.name
        assert int(rows[limit.name].replace("_", "").replace(",", "")) == limit.value
