"""``from_dict`` targets other than documents: enums, generic containers, datetimes."""

from __future__ import annotations

import collections.abc
import enum
import json
from datetime import datetime
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk


class Colour(enum.Enum):
    RED = "red"
    ONE = 1


class Size(enum.StrEnum):
    SMALL = "small"


class Level(enum.IntEnum):
    LOW = 1


class Access(enum.IntFlag):
    READ = 1


#: Every enum a document may hold, the library's own and a caller's of each kind.
ENUMS: list[type[enum.Enum]] = [
    pk.Stage,
    pk.Role,
    pk.Channel,
    pk.Outcome,
    Colour,
    Size,
    Level,
    Access,
]

_json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
_json = st.recursive(
    _json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


class TestEnums:
    @pytest.mark.parametrize("cls", ENUMS)
    def test_members_round_trip_as_their_plain_value(self, cls: type[enum.Enum]) -> None:
        """``to_dict`` gives the member's value (of its plain type), ``from_dict`` the member."""
        for member in cls:
            document = pk.to_dict(member)
            assert type(document) is type(member.value)
            assert json.loads(json.dumps(document)) == member.value
            assert pk.from_dict(document, cls) is member
            listed = pk.to_dict([member])
            assert isinstance(listed, list)
            assert [type(item) for item in listed] == [type(member.value)]

    @pytest.mark.parametrize("cls", ENUMS)
    @given(value=_json)
    @example(value="banana")
    @example(value=True)
    @example(value=1.0)
    @example(value="1")
    @example(value=["red"])
    def test_anything_but_a_value_is_refused_at_the_root(
        self, cls: type[enum.Enum], value: Any
    ) -> None:
        """Not a value of exactly a member's type: SchemaError at ``$`` (``True`` is not 1)."""
        matches = [m for m in cls if type(m.value) is type(value) and m.value == value]
        if matches:
            assert pk.from_dict(value, cls) is matches[0]
            return
        with pytest.raises(pk.SchemaError, match=r"^\$: expected one of ") as info:
            pk.from_dict(value, cls)
        assert info.value.path == "$"

    def test_the_issue_reproduction(self) -> None:
        with pytest.raises(pk.SchemaError, match=r"expected one of 'pass', 'fail', 'unknown'"):
            pk.from_dict("banana", pk.Outcome)
        assert type(pk.to_dict(pk.Outcome.PASS)) is str

    def test_an_enum_field_of_a_document(self) -> None:
        """Inside documents enum fields are strict too (the path names the field)."""
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict({"name": "Jo", "role": "boss"}, pk.Stakeholder)
        assert info.value.path == "$.role"


_LIST_TARGETS: list[Any] = [
    list[str],
    list[int],
    list,
    set[str],
    frozenset[str],
    tuple[str, ...],
    collections.abc.Sequence[str],
    collections.abc.MutableSequence[str],
    collections.abc.Set[str],
    collections.abc.MutableSet[str],
    list[pk.Money],
]
_MAPPING_TARGETS: list[Any] = [dict[str, int], dict, collections.abc.Mapping[str, str]]


class TestContainers:
    @pytest.mark.parametrize("cls", _LIST_TARGETS)
    @given(value=_json)
    @example(value="abc")
    @example(value={"a": 1})
    @example(value="")
    @example(value={})
    def test_only_a_json_list_is_a_list(self, cls: Any, value: Any) -> None:
        """A str, an object or a scalar is never split into items: SchemaError at ``$``."""
        if type(value) is list:
            return
        with pytest.raises(pk.SchemaError, match=r"^\$: expected a list") as info:
            pk.from_dict(value, cls)
        assert info.value.path == "$"

    @pytest.mark.parametrize("cls", _MAPPING_TARGETS)
    @given(value=_json)
    @example(value="abc")
    @example(value=[["a", 1]])
    def test_only_a_json_object_is_a_mapping(self, cls: Any, value: Any) -> None:
        if type(value) is dict:
            return
        with pytest.raises(pk.SchemaError, match=r"^\$: expected an object") as info:
            pk.from_dict(value, cls)
        assert info.value.path == "$"

    @pytest.mark.parametrize(
        ("data", "cls", "expected"),
        [
            (["a", "b", "a"], set[str], {"a", "b"}),
            (["a"], frozenset[str], frozenset({"a"})),
            (["a", "b"], collections.abc.Sequence[str], ("a", "b")),
            ([1, 2], list[int], [1, 2]),
            ({"a": [1]}, dict[str, list[int]], {"a": [1]}),
        ],
    )
    def test_lists_and_objects_load(self, data: Any, cls: Any, expected: Any) -> None:
        result = pk.from_dict(data, cls)
        assert result == expected
        assert type(result) is type(expected)

    @pytest.mark.parametrize(
        ("data", "cls", "path"),
        [
            (["a", 1], list[str], "$[1]"),
            ([1, "x"], set[int], "$[1]"),
            ({"a": [1, "x"]}, dict[str, list[int]], "$.a[1]"),
            ([[1]], set[list[int]], "$"),  # unhashable in a set: not a raw TypeError
        ],
    )
    def test_items_are_checked_at_their_path(self, data: Any, cls: Any, path: str) -> None:
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(data, cls)
        assert info.value.path == path
        assert "TypeError" not in str(info.value)


class TestDatetimes:
    @pytest.mark.parametrize(
        "text", ["2024-01-01T00:00:00", "2024-01-01T09:30", "2024-06-01T12:00:00.5"]
    )
    def test_naive_text_is_refused(self, text: str) -> None:
        """A datetime without an offset is ambiguous: refused, as entities refuse one."""
        with pytest.raises(pk.SchemaError, match=r"^\$: datetime must be timezone-aware"):
            pk.from_dict(text, datetime)
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict([text], list[datetime])
        assert info.value.path == "$[0]"

    @pytest.mark.parametrize("text", ["2024-01-01T00:00:00Z", "2024-01-01T00:00:00+05:30"])
    def test_aware_text_loads(self, text: str) -> None:
        moment = pk.from_dict(text, datetime)
        assert moment.utcoffset() is not None
        assert pk.from_dict(pk.to_dict(moment), datetime) == moment


class TestNestedDocuments:
    """The rule serialization.md and qualifier-format.md both state."""

    def test_entity_documents_nest_as_they_are(self) -> None:
        account = pk.Account(name="Acme")
        document = {"id": "c", "name": "J", "account": pk.to_dict(account)}
        assert pk.from_dict(document, pk.Contact).account == account
        money = pk.Money("1", "EUR")
        assert pk.from_dict({"amount": pk.to_dict(money)}, pk.Opportunity).amount == money

    def test_a_nested_version_is_still_checked(self) -> None:
        document = {"id": "c", "name": "J", "account": {"name": "A", "schema_version": 2}}
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(document, pk.Contact)
        assert info.value.path == "$.account.schema_version"

    def test_qualifier_and_verdict_children_carry_no_version(self) -> None:
        child = pk.to_dict(pk.field("a") == 1)
        with pytest.raises(pk.SchemaError, match="unknown field") as info:
            pk.from_dict({"kind": "all_of", "children": [child]}, pk.Qualifier)
        assert info.value.path == "$.children[0]"
        verdict = (pk.field("a") == 1).evaluate({"a": 1})
        document = pk.to_dict(verdict)
        nested = {**document, "children": [pk.to_dict(verdict)]}
        with pytest.raises(pk.SchemaError):
            pk.from_dict(nested, pk.Verdict)
        del nested["children"][0]["schema_version"]
        assert pk.from_dict(nested, pk.Verdict).children[0] == verdict
