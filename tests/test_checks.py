"""The shared validators' helpers: bounded descriptions and deterministic tuples."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit._checks import as_tuple, describe, got, path_key
from tests import strategies as s


class TestDescribe:
    def test_deeply_nested_value(self) -> None:
        """Nesting far beyond the recursion limit is described, not a RecursionError."""
        value: list[Any] = []
        for _ in range(5000):
            value = [value]
        assert describe(value) == "[[[[...]]]]"

    def test_huge_values_are_cut_before_repr(self) -> None:
        """A 10 MB string or a 5000-digit int is described in bounded text."""
        assert len(describe("x" * 10_000_000)) <= 40
        assert describe(10**5000) == "<int of about 5001 digits>"

    def test_broken_repr(self) -> None:
        """An object whose repr raises is named by its type; describe never raises."""

        class Broken:
            def __repr__(self) -> str:
                raise RuntimeError("no")

        assert describe(Broken()).startswith("<Broken ")
        assert describe([Broken()]).startswith("[<Broken ")

    @given(s.json_values, st.integers(min_value=8, max_value=80))
    def test_never_longer_than_the_limit(self, value: object, limit: int) -> None:
        assert len(describe(value, limit)) <= limit


class TestGot:
    @pytest.mark.parametrize(
        ("value", "text"), [(None, "None"), (1, "int 1"), ("x", "str 'x'"), ([], "list []")]
    )
    def test_says_type_and_value_once(self, value: object, text: str) -> None:
        """None reads "None", never "None None"."""
        assert got(value) == text

    def test_messages_never_say_none_twice(self) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            pk.Contact(id=None, name="n")  # type: ignore[arg-type]
        assert str(info.value) == "id: expected str, got None"


class TestAsTuple:
    @given(st.sets(st.text(max_size=5), max_size=6))
    def test_sets_of_str_are_sorted(self, items: set[str]) -> None:
        """A set of str gives the same (sorted) tuple whatever its iteration order."""
        assert as_tuple("pains", items, str) == tuple(sorted(items))
        assert as_tuple("pains", frozenset(items), str) == tuple(sorted(items))

    def test_contact_pains_from_a_set(self) -> None:
        contact = pk.Contact(id="c", name="n", pains={"b", "a", "c"})
        assert contact.pains == ("a", "b", "c")
        assert contact == pk.Contact(id="c", name="n", pains=("a", "b", "c"))

    def test_sets_of_other_items_are_refused(self) -> None:
        """Stakeholders have no natural order: a set of them is refused, naming the field."""
        with pytest.raises(pk.FieldTypeError, match=r"^stakeholders: a set has no order"):
            pk.Contact(id="c", name="n", stakeholders={pk.Stakeholder(name="a")})

    def test_generators_keep_their_order(self) -> None:
        assert as_tuple("pains", (p for p in ["b", "a"]), str) == ("b", "a")


class TestPathKey:
    """One spelling of mapping keys in every error path (serialization, qualifiers, specs)."""

    @pytest.mark.parametrize(
        ("key", "step"),
        [
            ("employees", ".employees"),
            ("_x1", '["_x1"]'),  # identifiers start with a letter
            ("a b", '["a b"]'),
            ("1st", '["1st"]'),
            ('say "hi"', '["say \\"hi\\""]'),
            ("é", '["\\u00e9"]'),
            ("x" * 64, "." + "x" * 64),
            ("x" * 65, '["' + "x" * 40 + '..."]'),
            (3, "[3]"),
            (None, "[None]"),
        ],
    )
    def test_spelling(self, key: object, step: str) -> None:
        assert path_key(key) == step

    def test_spec_reader_uses_it(self) -> None:
        """The spec reader spells a bad guard key as every other reader does."""
        key = "not an identifier"
        with pytest.raises(pk.SchemaError) as spec:
            pk.PipelineSpec.from_dict(
                {
                    "stages": ["a", {"name": "b", "final": True}],
                    "transitions": [],
                    "guards": {key: {}},
                }
            )
        assert spec.value.path == '$.guards["not an identifier"]'
