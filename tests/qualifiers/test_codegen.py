"""The generated fast path: what it generates, and that hostile specs cannot inject code."""

from __future__ import annotations

import re
from typing import Any, NoReturn

import pytest

import pipelinekit as pk
from pipelinekit._codegen import MAX_GENERATED_NODES, compile_qualifier, generated_source
from pipelinekit.qualifiers import Qualifier
from pipelinekit.qualifiers import composites as c
from pipelinekit.qualifiers import leaves as lv
from pipelinekit.qualifiers.verdict import UNSAFE_TEXT

HOSTILE = [
    "x'); import os; os.system('echo pwned'); ('",
    'x"""\nimport os\n"""',
    "__import__('os')",
    "\\n\\r\x00",
]

QUALIFIER = pk.Qualifier


def printable(text: str) -> str:
    """``text`` without the characters a name may not hold."""
    return UNSAFE_TEXT.sub("?", text)


class TestGenerated:
    def test_reads_attributes_directly(self) -> None:
        source = generated_source(
            (pk.field("account.employees") >= 100) & pk.field("budget").is_known()
        )
        assert "_s.account" in source
        assert ".employees" in source
        assert re.search(r">= _c\d+", source)

    def test_mapping_method_names_use_the_helper(self) -> None:
        source = generated_source(pk.field("order.items") == 1)
        assert ".items" not in source
        assert "_read(" in source

    def test_values_never_in_source(self) -> None:
        for text in HOSTILE:
            q = (pk.field("a") == text) | pk.field("b").is_in({text}) | pk.field("c").contains(text)
            source = generated_source(q.named(printable(text)[:20]))
            assert text not in source
            assert "import" not in source
            assert q({"a": text})
            assert q({"c": [text]})
            assert not q({"a": "other"})

    def test_compiled_once(self) -> None:
        q = pk.field("a") == 1
        assert q({"a": 1})
        check = q._check
        assert q({"a": 2}) is False
        assert q._check is check

    def test_huge_trees_run_interpreted(self) -> None:
        q = pk.all_of(*(pk.field(f"f{i}") == i for i in range(MAX_GENERATED_NODES + 1)))
        row = {f"f{i}": i for i in range(MAX_GENERATED_NODES + 1)}
        assert q(row)
        assert q.filter([row, {}]) == [row]

    def test_deep_trees_work(self) -> None:
        q: Any = pk.field("x") == 0
        for i in range(63):
            leaf = pk.field(f"f{i}") == 1
            q = pk.at_least(1, q, leaf) if i % 2 else pk.weighted({q: 1, leaf: 2}, threshold=1)
        assert q.depth == 64
        assert q({"x": 0}) is (q.evaluate({"x": 0}).outcome is pk.Outcome.PASS)

    def test_raising_values_fall_back(self) -> None:
        """A row where the raw expression raises is decided by the interpreted rules."""
        q = (pk.field("n") > 3) | (pk.field("m") == 1)
        rows = [{"n": "text", "m": 1}, {"n": 5}, {"n": None, "m": 2}]
        assert q.filter(rows) == rows[:2]

    def test_user_errors_propagate(self) -> None:
        class Broken:
            @property
            def n(self) -> int:
                raise RuntimeError("database gone")

        q = pk.field("n") > 3
        with pytest.raises(RuntimeError, match="database gone"):
            q(Broken())
        with pytest.raises(RuntimeError, match="database gone"):
            q.evaluate(Broken())


class TestHostileDocuments:
    @pytest.mark.parametrize(
        "path", ["a;import os", "__class__", "a.__globals__", "a)\nimport os\n(", "a.b c", "_x"]
    )
    def test_bad_paths_refused(self, path: str) -> None:
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict({"kind": "compare", "path": path, "op": "==", "value": 1}, QUALIFIER)
        assert info.value.path == "$.path"

    @pytest.mark.parametrize("op", ["=~", "is", "or", "==1 or True or", "__eq__", "in"])
    def test_bad_operators_refused(self, op: str) -> None:
        with pytest.raises(pk.SchemaError, match="unknown operator"):
            pk.from_dict({"kind": "compare", "path": "a", "op": op, "value": 1}, QUALIFIER)

    def test_hostile_values_stay_values(self) -> None:
        for text in HOSTILE:
            doc = {"kind": "compare", "path": "a", "op": "==", "value": text, "name": text}
            if UNSAFE_TEXT.search(text):  # names are one line of printable text
                with pytest.raises(pk.SchemaError, match="one line"):
                    pk.from_dict(doc, QUALIFIER)
            doc["name"] = printable(text)
            q = pk.from_dict(doc, QUALIFIER)
            assert isinstance(q, Qualifier)
            assert text not in generated_source(q)
            assert q({"a": text})

    def test_namespace_has_no_builtins(self) -> None:
        for function in compile_qualifier(pk.field("a") == 1):
            assert function.__globals__["__builtins__"] == {}


class TestMappingsStayGenerated:
    @pytest.fixture(autouse=True)
    def _forbid_interpreter(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The interpreted rules of these kinds raise: only generated code may answer."""

        def interpreted(self: object, subject: object, at: object) -> NoReturn:
            raise AssertionError("fell back to the interpreted evaluator")

        for cls in (lv.Leaf, c.AllOf, c.AnyOf, c.Not):
            monkeypatch.setattr(cls, "outcome", interpreted)

    def test_dict_rows_and_facts_run_generated_code(self) -> None:
        """Dict rows and ``facts.<key>`` are read by generated code, not the interpreter."""
        q = (pk.field("account.employees") >= 100) & (pk.field("facts.metrics") == "x")
        row = {"account": {"employees": 500}, "facts": {"metrics": "x"}}
        contact = pk.Contact(
            id="c",
            name="n",
            account=pk.Account(name="A", employees=500),
            facts={"metrics": "x"},
        )
        for subject in (row, contact):
            assert q(subject)
            assert q.filter([subject, subject]) == [subject, subject]
            assert q.evaluate(subject).outcome is pk.Outcome.PASS
        assert not q({"account": {"employees": 5}})
        assert q.filter([{}, row]) == [row]
        # A value that cannot be compared is UNKNOWN, decided by generated code too.
        assert not q({"account": {"employees": "many"}, "facts": {"metrics": "x"}})
        assert not (~q)({"account": {"employees": "many"}, "facts": {"metrics": "x"}})

    def test_checks_that_raise_are_decided_by_the_leaf_rule(self) -> None:
        """A value the inline test cannot take is decided by the leaf's own ``test``, in
        generated code: UNKNOWN, neither PASS nor FAIL, without re-reading the subject."""
        odd = pk.field("title").matches("x")
        for subject in ({"title": 5}, pk.Contact(id="c", name="n", facts={"title": 5})):
            assert not odd(subject)
            assert not (~odd)(subject)
            assert odd.filter([subject]) == []
        assert odd({"title": "xy"})
