"""Qualifier documents: round trips, the format, and refusals with paths."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import pipelinekit as pk
from pipelinekit.qualifiers.schema import MAX_NODES, MAX_TOTAL_VALUES

QUALIFIER = pk.Qualifier


def load(doc: Any) -> pk.Qualifier:
    q: pk.Qualifier = pk.from_dict(doc, QUALIFIER)
    return q


class TestFormat:
    def test_documented_shapes(self) -> None:
        q = pk.at_least(
            2,
            pk.field("account.employees") >= 100,
            ~pk.field("account.country").is_in({"RU"}),
            pk.field("timeline").within(timedelta(days=180)),
        )
        assert pk.to_dict(q) == {
            "kind": "at_least",
            "k": 2,
            "children": [
                {"kind": "compare", "path": "account.employees", "op": ">=", "value": 100},
                {
                    "kind": "not",
                    "child": {"kind": "in", "path": "account.country", "values": ["RU"]},
                },
                {"kind": "within", "path": "timeline", "delta": {"days": 180}},
            ],
            "schema_version": 1,
        }

    def test_tagged_values(self) -> None:
        q = pk.any_of(
            pk.field("budget") >= pk.Money("10000.00", "EUR"),
            pk.field("timeline") < date(2027, 1, 1),
            pk.field("seen") > datetime(2026, 1, 1, tzinfo=UTC),
            pk.field("score") >= Decimal("0.5"),
        )
        doc = pk.to_dict(q)
        values = [child["value"] for child in doc["children"]]
        assert values == [
            {"amount": "10000.00", "currency": "EUR"},
            {"date": "2027-01-01"},
            {"datetime": "2026-01-01T00:00:00+00:00"},
            {"decimal": "0.5"},
        ]
        assert load(json.loads(json.dumps(doc))) == q

    def test_every_kind_round_trips(self) -> None:
        q = pk.all_of(
            pk.field("a").not_in({1, 2}),
            pk.field("b").is_known(),
            pk.field("c").is_missing(),
            pk.field("d").contains("x"),
            pk.field("e").matches("^x", ignore_case=True),
            pk.field("f").older_than(timedelta(days=1, seconds=5)),
            pk.count_items("g", pk.field("h") == 1, at_least=2),
            pk.any_item("i", pk.field("j") != "k").named("J", "described"),
            pk.weighted({pk.field("k") == 1: 2, pk.field("l") == 1: 0.5}, threshold=2),
        )
        assert load(json.loads(json.dumps(pk.to_dict(q)))) == q

    def test_frameworks_round_trip(self) -> None:
        icp = pk.frameworks.IdealCustomerProfile(min_employees=100, countries={"DE"})
        for q in (
            pk.frameworks.bant(),
            pk.frameworks.meddic("MEDDPICC"),
            pk.frameworks.three_level(icp),
        ):
            assert load(json.loads(json.dumps(pk.to_dict(q)))) == q


KNOWN: dict[str, Any] = {"kind": "known", "path": "a"}


class TestRefusals:
    @pytest.mark.parametrize(
        ("doc", "path", "problem"),
        [
            ({"kind": "nope"}, "$.kind", "unknown kind 'nope'"),
            ({"path": "a"}, "$.kind", "required field is missing"),
            ({"kind": "compare", "path": "a", "op": "=="}, "$.value", "required field"),
            (
                {"kind": "compare", "path": "a", "op": "==", "value": [1]},
                "$.value",
                "expected a str",
            ),
            (
                {"kind": "compare", "path": "a", "op": "==", "value": 1, "x": 1},
                "$",
                "unknown field(s) 'x'",
            ),
            (
                {
                    "kind": "all_of",
                    "children": [
                        {"kind": "known", "path": "a"},
                        {"kind": "compare", "path": "a", "op": "=~", "value": 1},
                    ],
                },
                "$.children[1].op",
                "unknown operator '=~'",
            ),
            (
                {"kind": "not", "child": {"kind": "known", "path": "a._b"}},
                "$.child.path",
                "bad path",
            ),
            ({"kind": "in", "path": "a", "values": "ab"}, "$.values", "expected a list"),
            (
                {"kind": "in", "path": "a", "values": [1, {"date": "soon"}]},
                "$.values[1]",
                "bad value",
            ),
            (
                {"kind": "within", "path": "a", "delta": {"weeks": 1}},
                "$.delta",
                "expected an object",
            ),
            ({"kind": "within", "path": "a", "delta": {"days": -1}}, "$.delta.days", "between 0"),
            (
                {"kind": "matches", "path": "a", "pattern": "a" * 1001},
                "$.pattern",
                "longer than 1000",
            ),
            (
                {"kind": "matches", "path": "a", "pattern": "("},
                "$.pattern",
                "bad regular expression",
            ),
            ({"kind": "in", "path": "a", "values": list(range(10_001))}, "$.values", "at most"),
            (
                {"kind": "at_least", "k": 3, "children": [{"kind": "known", "path": "a"}]},
                "$.k",
                "between 1 and 1",
            ),
            (
                {"kind": "count_items", "path": "a", "at_least": 0, "child": KNOWN},
                "$.at_least",
                "int >= 1",
            ),
            (
                {"kind": "weighted", "threshold": 1, "children": [{"weight": -1, "child": KNOWN}]},
                "$.children[0].weight",
                "positive",
            ),
            (
                {"kind": "weighted", "threshold": 5, "children": [{"weight": 1, "child": KNOWN}]},
                "$.threshold",
                "exceeds the total",
            ),
            (
                {"kind": "any_item", "path": "a", "child": KNOWN, "empty_is_unknown": 1},
                "$.empty_is_unknown",
                "expected a bool",
            ),
            ({**KNOWN, "name": "x" * 201}, "$.name", "longer than 200"),
            ({**KNOWN, "description": "x" * 2001}, "$.description", "longer than 2000"),
            ({**KNOWN, "name": "Budget\n  ✓ Authority"}, "$.name", "one line"),
            ({**KNOWN, "description": "a\x1b[2Jb"}, "$.description", "one line"),
            ({**KNOWN, "name": "a\u202eb"}, "$.name", "one line"),
            (
                {"kind": "compare", "path": "a", "op": "==", "value": {"decimal": "1" * 101}},
                "$.value.decimal",
                "longer than 100",
            ),
            (
                {
                    "kind": "compare",
                    "path": "a",
                    "op": "==",
                    "value": {"amount": "1" * 101, "currency": "EUR"},
                },
                "$.value.amount",
                "longer than 100",
            ),
            (
                {
                    "kind": "compare",
                    "path": "a",
                    "op": "==",
                    "value": {"decimal": "1" * 101 + "e-99"},
                },
                "$.value.decimal",
                "longer than 100",
            ),
            ({"kind": "at_least", "k": True, "children": []}, "$.k", "expected an int"),
            (
                {"kind": "compare", "path": "a", "op": "==", "value": 1, "name": 3},
                "$.name",
                "expected a str",
            ),
            ([], "$", "expected a qualifier object"),
        ],
    )
    def test_schema_error_names_the_path(self, doc: Any, path: str, problem: str) -> None:
        with pytest.raises(pk.SchemaError) as info:
            load(doc)
        assert info.value.path == path
        assert problem in info.value.problem

    def test_deep_nesting_is_a_schema_error(self) -> None:
        """100,000 levels of "not": a SchemaError, never a RecursionError."""
        doc: dict[str, Any] = {"kind": "known", "path": "a"}
        for _ in range(100_000):
            doc = {"kind": "not", "child": doc}
        with pytest.raises(pk.SchemaError, match="deeper than 64") as info:
            load(doc)
        assert info.value.path.startswith("$" + ".child" * 64)

    @pytest.mark.parametrize(
        ("doc", "path_start"),
        [
            ({"kind": "compare", "path": "a", "op": "==", "value": None}, "$.value"),
            ({"kind": "all_of", "children": None}, "$.children[0]"),
            ({"kind": "in", "path": "a", "values": None}, "$.values[0]"),
            ({"kind": "known", "path": "a", "name": None}, "$.name"),
            ({"kind": "not", "child": None}, "$.child"),
        ],
    )
    def test_deep_values_and_lists_are_schema_errors(self, doc: Any, path_start: str) -> None:
        """Nesting inside a value or a non-object child: refused where it is, no recursion."""
        key = next(k for k, v in doc.items() if v is None)
        nested: Any = {"date": "2025-01-01"} if key == "value" else [1]
        for _ in range(100_000):
            nested = {"date": nested} if key == "value" else [nested]
        doc = {**doc, key: nested}
        with pytest.raises(pk.SchemaError, match="levels of lists and objects") as info:
            load(doc)
        assert info.value.path.startswith(path_start)
        assert len(info.value.path) < 2_000

    def test_structure_never_recurses_too_deep(self) -> None:
        """Every shape of nesting stays within the limits: structure() raises SchemaError."""
        shapes: list[Any] = [[], {}, {"kind": "not", "child": None}]
        for shape in shapes:
            doc: Any = {"kind": "known", "path": "a"}
            for _ in range(5_000):
                if type(shape) is list:
                    doc = [doc]
                elif shape.get("kind") == "not":
                    doc = {"kind": "not", "child": doc}
                else:
                    doc = {"kind": "all_of", "children": [{"weight": 1, "child": doc}]}
            with pytest.raises(pk.SchemaError):
                pk.qualifiers.schema.structure(doc)

    def test_too_many_nodes(self) -> None:
        leaf = {"kind": "known", "path": "a"}
        doc = {"kind": "any_of", "children": [leaf] * (MAX_NODES + 1)}
        with pytest.raises(pk.SchemaError, match="more than 10000"):
            load(doc)

    def test_schema_version_is_checked(self) -> None:
        with pytest.raises(pk.SchemaError, match="schema_version"):
            load({"kind": "known", "path": "a", "schema_version": 99})

    def test_subclass_target(self) -> None:
        doc = {"kind": "known", "path": "a"}
        assert isinstance(pk.from_dict(doc, pk.qualifiers.IsKnown), pk.qualifiers.IsKnown)
        with pytest.raises(pk.SchemaError, match="expected a AllOf"):
            pk.from_dict(doc, pk.qualifiers.AllOf)


class TestCaps:
    def test_decimal_and_money_digits_are_capped(self) -> None:
        """Long decimals are refused when built, not only when loaded."""
        assert (pk.field("a") == Decimal("1" * 100)).value == Decimal("1" * 100)
        with pytest.raises(pk.QualifierError, match="more than 100 digits"):
            pk.field("a") == Decimal("1" * 101)  # noqa: B015  # builds the qualifier

    def test_limits_are_documented(self) -> None:
        """The Limits table in docs/qualifier-format.md states the constants in force."""
        text = (Path(__file__).parents[2] / "docs" / "qualifier-format.md").read_text()
        assert f"| {pk.qualifiers.schema.MAX_NESTING} (" in text
        assert f"| `name` | {pk.qualifiers.core.MAX_NAME} characters" in text
        assert f"| `description` | {pk.qualifiers.core.MAX_DESCRIPTION:,} characters" in text
        assert f"| {pk.qualifiers.schema.MAX_NUMBER_TEXT} characters" in text


class TestTotalValues:
    """``MAX_TOTAL_VALUES`` bounds the values of a whole document, not one node."""

    @staticmethod
    def _doc(sizes: list[int]) -> dict[str, Any]:
        children = [
            {"kind": "in", "path": f"p{index}", "values": list(range(size))}
            for index, size in enumerate(sizes)
        ]
        return {"kind": "any_of", "children": children}

    def test_over_the_limit_names_the_node(self) -> None:
        """Every node is within MAX_VALUES; together they are one value too many."""
        per_node = MAX_TOTAL_VALUES // 10
        sizes = [per_node] * 10 + [1]
        assert all(size <= pk.qualifiers.leaves.MAX_VALUES for size in sizes)
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(self._doc(sizes), pk.Qualifier)
        assert re.fullmatch(r"\$\.children\[\d+\]\.values", info.value.path)
        assert f"more than {MAX_TOTAL_VALUES} values in all" in str(info.value)

    def test_exactly_the_limit_loads(self) -> None:
        per_node = MAX_TOTAL_VALUES // 10
        q = pk.from_dict(self._doc([per_node] * 10), pk.Qualifier)
        assert isinstance(q, pk.qualifiers.AnyOf)
        assert len(q.children) == 10
