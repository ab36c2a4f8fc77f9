"""A hostile value in a qualifier document is refused at its own field, never at ``$``.

Issue 9 item 16: huge weights and thresholds, an unhashable ``op``, huge regex repetitions,
deeply nested regex groups and Money exponents out of range; each at the top and nested.
"""

from __future__ import annotations

from typing import Any

import pytest

import pipelinekit as pk
from pipelinekit.qualifiers import leaves

KNOWN = {"kind": "known", "path": "a"}


def _weighted(weight: object, threshold: object) -> dict[str, Any]:
    return {
        "kind": "weighted",
        "threshold": threshold,
        "children": [{"weight": weight, "child": KNOWN}],
    }


def _compare(op: object = "==", value: object = 1) -> dict[str, Any]:
    return {"kind": "compare", "path": "a", "op": op, "value": value}


def _matches(pattern: str) -> dict[str, Any]:
    return {"kind": "matches", "path": "a", "pattern": pattern}


def _money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


DEEP_GROUPS = "(" * (leaves.MAX_GROUP_NESTING + 1) + "a" + ")" * (leaves.MAX_GROUP_NESTING + 1)
CASES = [
    ("huge int weight", _weighted(10**400, 1), "$.children[0].weight", "at most 10**15"),
    ("huge float weight", _weighted(1e308, 1), "$.children[0].weight", "at most 10**15"),
    ("huge threshold", _weighted(1, 10**400), "$.threshold", "at most 10**15"),
    ("op is a list", _compare(op=["=="]), "$.op", "unknown operator ['==']"),
    ("op is an object", _compare(op={"==": 1}), "$.op", "unknown operator {'==': 1}"),
    ("huge regex repetition", _matches("a{99999999999}"), "$.pattern", "repetition count"),
    ("deeply nested regex groups", _matches(DEEP_GROUPS), "$.pattern", "nested deeper than 50"),
    (
        "Money exponent too large",
        _compare(value=_money("1E+999999999")),
        "$.value.amount",
        "must be less than 10**18",
    ),
    (
        "Money exponent too small",
        _compare(value=_money("1E-999999999")),
        "$.value.amount",
        "at most 12 decimal places",
    ),
    (
        "Money exponent in a list of values",
        {"kind": "in", "path": "a", "values": [1, _money("1E+99")]},
        "$.values[1].amount",
        "must be less than 10**18",
    ),
    (
        "Money currency",
        _compare(value={"amount": "1", "currency": "EURO"}),
        "$.value.currency",
        "ISO 4217",
    ),
]


@pytest.mark.parametrize(
    ("doc", "path", "problem"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_refused_at_the_field(doc: dict[str, Any], path: str, problem: str) -> None:
    with pytest.raises(pk.SchemaError) as caught:
        pk.from_dict(doc, pk.Qualifier)
    assert caught.value.path == path
    assert problem in caught.value.problem


@pytest.mark.parametrize(
    ("doc", "path", "problem"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_refused_at_the_field_when_nested(doc: dict[str, Any], path: str, problem: str) -> None:
    nested = {"kind": "any_of", "children": [KNOWN, {"kind": "not", "child": doc}]}
    with pytest.raises(pk.SchemaError) as caught:
        pk.from_dict(nested, pk.Qualifier)
    assert caught.value.path == "$.children[1].child" + path.removeprefix("$")
    assert problem in caught.value.problem


def test_an_unhashable_op_in_code_is_a_qualifier_error() -> None:
    with pytest.raises(pk.QualifierError, match=r"unknown operator \['=='\]"):
        leaves.Compare(path="a", op=["=="], value=1)  # type: ignore[arg-type]  # the point


class TestGroupNesting:
    def test_the_limit_is_accepted_one_more_refused(self) -> None:
        n = leaves.MAX_GROUP_NESTING
        assert pk.field("a").matches("(" * n + "a" + ")" * n)({"a": "a"})
        with pytest.raises(pk.QualifierError, match=f"nested deeper than {n} levels"):
            pk.field("a").matches("(" * (n + 1) + "a" + ")" * (n + 1))

    @pytest.mark.parametrize(
        ("pattern", "depth"),
        [
            ("", 0),
            ("abc", 0),
            ("(a)(b)", 1),
            ("a(b(c)|d)", 2),
            (r"\(\(\((a)", 1),
            ("[(]((a))", 2),
            ("[^(]((a))", 2),
            ("[](]((a))", 2),
            (r"[\](]((a))", 2),
            ("(?:(?P<x>a))", 2),
        ],
    )
    def test_counts_groups_not_literal_parentheses(self, pattern: str, depth: int) -> None:
        assert leaves.group_nesting(pattern) == depth
