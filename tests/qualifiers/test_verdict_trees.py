"""Verdicts as trees: every whole-tree operation at any depth, and the named-failure view."""

from __future__ import annotations

import copy
import pickle
import sys

import pytest

import pipelinekit as pk
from pipelinekit.qualifiers.verdict import from_preorder

P, F, U = pk.Outcome.PASS, pk.Outcome.FAIL, pk.Outcome.UNKNOWN
#: Deeper than any recursion could go: the operations must be iterative.
DEEP = 3 * sys.getrecursionlimit()


def _chain(depth: int, outcome: pk.Outcome = F, *, named_every: int = 0) -> pk.Verdict:
    node = pk.Verdict(outcome=outcome, label="leaf", reason="leaf 0 < 1", path="leaf")
    for level in range(1, depth):
        name = f"n{level}" if named_every and level % named_every == 0 else None
        node = pk.Verdict(
            outcome=outcome, label=f"all {level}", reason="", children=(node,), name=name
        )
    return node


class TestDeepTrees:
    """Built in code, a verdict may be deeper than the recursion limit: all still works."""

    def test_repr_and_str(self) -> None:
        verdict = _chain(DEEP)
        assert repr(verdict).count("Verdict(") == DEEP
        assert repr(verdict).endswith(
            "name=None),), path=None, hint=None, negated=False, error=None, name=None)"
        )
        lines = str(verdict).splitlines()
        assert len(lines) == DEEP
        assert lines[-1] == "  " * (DEEP - 1) + "✗ leaf — leaf 0 < 1"

    def test_equality_and_hash(self) -> None:
        verdict, same = _chain(DEEP), _chain(DEEP)
        assert verdict == same
        assert hash(verdict) == hash(same)
        assert verdict != _chain(DEEP - 1)
        assert verdict != _chain(DEEP, U)
        deeper_change = _chain(DEEP, named_every=DEEP - 1)  # only one name, near the root
        assert verdict != deeper_change
        assert len({verdict, same, deeper_change}) == 2

    def test_pickle_and_copy(self) -> None:
        verdict = _chain(DEEP, named_every=7)
        for restored in (
            pickle.loads(pickle.dumps(verdict)),  # our own data
            copy.copy(verdict),
            copy.deepcopy(verdict),
        ):
            assert restored == verdict
            assert [v.name for v in restored.walk()] == [v.name for v in verdict.walk()]

    def test_documents(self) -> None:
        verdict = _chain(DEEP)
        doc = pk.to_dict(verdict)
        depth, node = 1, doc
        while node["children"]:
            depth, node = depth + 1, node["children"][0]
        assert depth == DEEP
        assert node["path"] == "leaf"

    def test_explanations(self) -> None:
        verdict = _chain(DEEP, named_every=10)
        assert [v.path for v in verdict.failures()] == ["leaf"]
        named = verdict.failures(named=True)
        assert [v.name for v in named] == ["n10"]  # the innermost named ancestor
        assert [v.name for v in verdict.criteria()] == ["n10"]
        assert verdict.summary() == f"FAIL all {DEEP - 1}: n10: "
        assert len(list(verdict.walk())) == DEEP
        assert verdict._repr_html_().count("<li>") == DEEP
        unknown = _chain(DEEP, U)
        assert unknown.missing() == unknown.unknown_facts() == ("leaf",)
        assert unknown.undecided() == []


class TestFromPreorder:
    def test_builds_children_in_order(self) -> None:
        def leaf(label: str) -> dict[str, object]:
            return {"outcome": P, "label": label, "reason": label}

        root = from_preorder([(leaf("r"), 2), (leaf("a"), 1), (leaf("a1"), 0), (leaf("b"), 0)])
        assert [v.label for v in root.walk()] == ["r", "a", "a1", "b"]
        assert [c.label for c in root.children] == ["a", "b"]

    @pytest.mark.parametrize(
        "nodes",
        [
            [],
            [({"outcome": P, "label": "a", "reason": ""}, 1)],
            [({"outcome": P, "label": "a", "reason": ""}, 0)] * 2,
        ],
        ids=["empty", "child missing", "two roots"],
    )
    def test_refuses_what_is_not_one_tree(self, nodes: list[tuple[dict[str, object], int]]) -> None:
        with pytest.raises(ValueError, match=r"tree|children"):
            from_preorder(nodes)


class TestNamedFailures:
    def test_a_named_criterion_below_the_top_failing_through_an_unnamed_leaf(self) -> None:
        """Was a TypeError (``named or self`` asked a verdict for its truth value)."""
        inner = pk.all_of(pk.field("a") >= 1, pk.field("b") >= 1).named("Size")
        q = pk.all_of(inner, pk.field("c").is_known())
        verdict = q.evaluate({"a": 0, "b": 2, "c": 1})
        assert [v.name for v in verdict.failures(named=True)] == ["Size"]
        assert verdict.summary() == "FAIL (Size) & (c is known): Size: 1 of 2 passed, 1 failed"

    def test_one_criterion_is_reported_once_for_several_failing_leaves(self) -> None:
        inner = pk.all_of(pk.field("a") >= 1, pk.field("b") >= 1).named("Size")
        verdict = pk.all_of(inner, pk.field("c") >= 1).evaluate({"a": 0, "b": 0, "c": 0})
        assert [v.name or v.label for v in verdict.failures(named=True)] == ["Size", "c >= 1"]
