"""Verdict documents, pinned where mutation testing found the tests silent.

Each test states what a user of ``pk.to_dict(verdict)`` / ``pk.from_dict(doc, pk.Verdict)``
sees: the exact document written, the exact error (path and message) for each kind of bad
document, the depth limit at its edge, and the optional ``name`` key.
"""

from __future__ import annotations

from typing import Any

import pytest

import pipelinekit as pk
from pipelinekit.errors import MAX_SCHEMA_PATH
from pipelinekit.qualifiers.verdict_schema import (
    MAX_VERDICT_DEPTH,
    structure_verdict,
    unstructure_verdict,
)

P, F, U = pk.Outcome.PASS, pk.Outcome.FAIL, pk.Outcome.UNKNOWN


def node(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "outcome": "fail",
        "label": "l",
        "name": None,
        "reason": "r",
        "children": [],
        "path": None,
        "hint": None,
        "negated": False,
        "error": None,
    }
    doc.update(changes)
    return doc


def chain(depth: int) -> dict[str, Any]:
    doc = node(label="leaf")
    for level in range(1, depth):
        doc = node(label=f"level {level}", children=[doc])
    return doc


class TestWriting:
    def test_every_field_of_every_node(self) -> None:
        leaf = pk.Verdict(
            outcome=U,
            label="a >= 1",
            reason="a 'x' cannot be checked",
            path="a",
            hint="a >= 1",
            error="TypeError: no",
            name="Size",
        )
        other = pk.Verdict(outcome=P, label="b", reason="b is known", path="b")
        root = pk.Verdict(outcome=F, label="~(x)", reason="", children=(leaf, other), negated=True)
        assert unstructure_verdict(root) == {
            "outcome": "fail",
            "label": "~(x)",
            "name": None,
            "reason": "",
            "children": [
                {
                    "outcome": "unknown",
                    "label": "a >= 1",
                    "name": "Size",
                    "reason": "a 'x' cannot be checked",
                    "children": [],
                    "path": "a",
                    "hint": "a >= 1",
                    "negated": False,
                    "error": "TypeError: no",
                },
                {
                    "outcome": "pass",
                    "label": "b",
                    "name": None,
                    "reason": "b is known",
                    "children": [],
                    "path": "b",
                    "hint": None,
                    "negated": False,
                    "error": None,
                },
            ],
            "path": None,
            "hint": None,
            "negated": True,
            "error": None,
        }
        assert list(unstructure_verdict(root)) == [
            "outcome",
            "label",
            "name",
            "reason",
            "children",
            "path",
            "hint",
            "negated",
            "error",
        ]
        assert pk.to_dict(root) == {**unstructure_verdict(root), "schema_version": 1}

    def test_children_keep_their_order_at_every_level(self) -> None:
        doc = node(
            label="r",
            children=[
                node(label="a", children=[node(label="a1"), node(label="a2")]),
                node(label="b"),
            ],
        )
        verdict = structure_verdict(doc)
        assert [v.label for v in verdict.walk()] == ["r", "a", "a1", "a2", "b"]
        assert unstructure_verdict(verdict) == doc


class TestReading:
    def test_every_field_is_read(self) -> None:
        doc = node(
            outcome="unknown",
            label="L",
            name="N",
            reason="R",
            path="p",
            hint="H",
            negated=True,
            error="E",
            children=[node(outcome="pass")],
        )
        verdict = pk.from_dict(doc, pk.Verdict)
        assert (verdict.outcome, verdict.label, verdict.name, verdict.reason) == (U, "L", "N", "R")
        assert (verdict.path, verdict.hint, verdict.negated, verdict.error) == ("p", "H", True, "E")
        assert [c.outcome for c in verdict.children] == [P]

    @pytest.mark.parametrize("outcome", ["pass", "fail", "unknown"])
    def test_each_outcome(self, outcome: str) -> None:
        assert pk.from_dict(node(outcome=outcome), pk.Verdict).outcome.value == outcome

    def test_name_may_be_left_out_or_null(self) -> None:
        """Documents written before ``name`` existed load, with no name."""
        without = {k: v for k, v in node().items() if k != "name"}
        assert pk.from_dict(without, pk.Verdict).name is None
        assert pk.from_dict(node(name=None), pk.Verdict).name is None
        assert pk.from_dict(node(name="Budget"), pk.Verdict).name == "Budget"

    def test_the_schema_version_is_read_and_dropped(self) -> None:
        verdict = pk.from_dict({**node(), "schema_version": 1}, pk.Verdict)
        assert verdict.label == "l"


#: Unknown keys of two types (an int and a str): listed, not a TypeError from sorting them.
MIXED_KEYS: dict[Any, Any] = {**node(), 2: "x", "b": 1}


class TestRefusals:
    @pytest.mark.parametrize(
        ("document", "path", "problem"),
        [
            (None, "$", "expected a verdict object, got None"),
            ([node()], "$", "expected a verdict object, got list [{"),
            (
                node(outcome="maybe"),
                "$.outcome",
                "expected 'pass', 'fail' or 'unknown', got 'maybe'",
            ),
            (node(outcome="PASS"), "$.outcome", "expected 'pass', 'fail' or 'unknown', got 'PASS'"),
            (node(outcome=1), "$.outcome", "expected 'pass', 'fail' or 'unknown', got 1"),
            (node(label=3), "$.label", "expected a str, got int 3"),
            (node(label=None), "$.label", "expected a str, got None"),
            (node(reason=None), "$.reason", "expected a str, got None"),
            (node(name=3), "$.name", "expected a str or null, got int 3"),
            (node(path=["a"]), "$.path", "expected a str or null, got list ['a']"),
            (node(hint=1), "$.hint", "expected a str or null, got int 1"),
            (node(error=1), "$.error", "expected a str or null, got int 1"),
            (node(negated="no"), "$.negated", "expected a bool, got 'no'"),
            (node(negated=0), "$.negated", "expected a bool, got 0"),
            (node(children={}), "$.children", "expected a list, got dict"),
            (node(children=None), "$.children", "expected a list, got None"),
            (node(zeta=2, extra=1), "$", "unknown field(s) 'extra', 'zeta'"),
            (node(**{"1": 1}), "$", "unknown field(s) '1'"),
            (MIXED_KEYS, "$", "unknown field(s) '2', 'b'"),
            (
                node(outcome=["pass"]),
                "$.outcome",
                "expected 'pass', 'fail' or 'unknown', got ['pass']",
            ),
            (
                {k: v for k, v in node().items() if k not in ("hint", "error")},
                "$.error",
                "required field is missing",
            ),
            (
                {k: v for k, v in node().items() if k != "outcome"},
                "$.outcome",
                "required field is missing",
            ),
            (
                {k: v for k, v in node().items() if k != "children"},
                "$.children",
                "required field is missing",
            ),
            (
                node(children=[node(), node(children=[node(label=None)])]),
                "$.children[1].children[0].label",
                "expected a str, got None",
            ),
            (node(children=[node(), 3]), "$.children[1]", "expected a verdict object, got int 3"),
        ],
    )
    def test_each_problem_at_its_place(self, document: object, path: str, problem: str) -> None:
        with pytest.raises(pk.SchemaError) as caught:
            pk.from_dict(document, pk.Verdict)
        assert caught.value.path == path
        assert caught.value.problem.startswith(problem), caught.value.problem

    def test_a_parent_is_checked_before_its_children(self) -> None:
        with pytest.raises(pk.SchemaError) as caught:
            pk.from_dict(node(hint=1, children=[node(label=None)]), pk.Verdict)
        assert caught.value.path == "$.hint"


class TestDepth:
    def test_the_limit_is_accepted_one_more_refused(self) -> None:
        verdict = pk.from_dict(chain(MAX_VERDICT_DEPTH), pk.Verdict)
        assert len(list(verdict.walk())) == MAX_VERDICT_DEPTH
        with pytest.raises(pk.SchemaError) as caught:
            pk.from_dict(chain(MAX_VERDICT_DEPTH + 1), pk.Verdict)
        assert caught.value.problem == f"verdict nested deeper than {MAX_VERDICT_DEPTH} levels"
        assert caught.value.path.startswith("$.children[0].children[0]")

    def test_the_depth_error_names_the_node_too_deep(self) -> None:
        """The path of the first node past the limit (cut to MAX_SCHEMA_PATH characters)."""
        doc = node(children=[node(), chain(MAX_VERDICT_DEPTH)])
        with pytest.raises(pk.SchemaError) as caught:
            pk.from_dict(doc, pk.Verdict)
        whole = "$.children[1]" + ".children[0]" * (MAX_VERDICT_DEPTH - 1)
        assert caught.value.path == whole[: MAX_SCHEMA_PATH - 3] + "..."

    def test_a_wide_document_is_not_deep(self) -> None:
        doc = node(children=[chain(MAX_VERDICT_DEPTH - 1) for _ in range(3)])
        assert len(pk.from_dict(doc, pk.Verdict).children) == 3

    def test_non_list_children_do_not_count_as_depth(self) -> None:
        """Only lists of children nest; anything else is refused for its type, not depth."""
        with pytest.raises(pk.SchemaError) as caught:
            pk.from_dict(node(children={"children": [node()]}), pk.Verdict)
        assert caught.value.path == "$.children"


def test_register_puts_both_hooks_on_a_converter() -> None:
    """``register`` is how serialization's converters learn verdicts (each built once)."""
    import cattrs  # noqa: PLC0415  # only this test builds a converter of its own

    from pipelinekit.qualifiers.verdict_schema import register  # noqa: PLC0415

    converter = cattrs.Converter()
    register(converter)
    verdict = pk.Verdict(outcome=P, label="a", reason="a is known", path="a")
    document = converter.unstructure(verdict)
    assert document == unstructure_verdict(verdict)
    assert converter.structure(document, pk.Verdict) == verdict
    with pytest.raises(pk.SchemaError):
        converter.structure(node(outcome="maybe"), pk.Verdict)
