"""Paths, pinned where mutmut's survivors showed gaps (docs/quality.md).

What counts as "no value" (``is_absent``: ``None``, a float subclass's NaN, a NumPy-like value
whose comparison raises), and ``check_paths``' answers: which annotated types are scalars
(``float``, ``datetime``, ``Decimal``), which accept any segment (``object``, a bare ``list``'s
items), and the messages for a collection read through, a scalar read through and a union.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal

import attrs
import pytest

import pipelinekit as pk
from pipelinekit.errors import QualifierError
from pipelinekit.qualifiers.paths import (
    MAX_PATH_LENGTH,
    check_paths,
    is_absent,
    is_plain_attribute,
    parse_path,
    python_scalar,
    read,
)


class FloatKind(float):
    """A float subclass (as some libraries return)."""


class NumpyLike:
    """A value that claims NumPy's module and whose comparison raises."""

    __module__ = "numpy"

    def __ne__(self, other: object) -> bool:
        raise ValueError("ambiguous")

    __hash__ = object.__hash__


@attrs.frozen
class Item:
    name: str
    tags: tuple[str, ...] = ()


@attrs.frozen
class Other:
    label: str


@attrs.frozen
class Inner:
    items: tuple[Item, ...]
    n: int
    amount: float
    when: datetime
    price: Decimal
    anything: object
    bare: list  # type: ignore[type-arg]  # a bare list: its items may be anything
    either: Item | Other
    mixed: tuple[Item | Other, ...]


@attrs.frozen
class Outer:
    inner: Inner


class TestIsAbsent:
    def test_none(self) -> None:
        """``None`` is absent."""
        assert is_absent(None)

    def test_nan_of_a_float_subclass(self) -> None:
        """A float subclass's NaN is absent; its numbers are not."""
        assert is_absent(FloatKind("nan"))
        assert not is_absent(FloatKind("1.5"))

    def test_a_foreign_value_whose_comparison_raises_is_present(self) -> None:
        """A NumPy-like value that cannot be compared counts as present."""
        assert not is_absent(NumpyLike())


def error(q: pk.Qualifier, subject: object = Outer) -> str:
    with pytest.raises(QualifierError) as info:
        check_paths(q, subject)
    return str(info.value)


class TestCheckPaths:
    @pytest.mark.parametrize("segment", ["amount", "when", "price", "n"])
    def test_scalars_have_no_fields(self, segment: str) -> None:
        """``float``, ``datetime``, ``Decimal`` and ``int`` fields are scalars: no field below."""
        message = error(pk.field(f"inner.{segment}.x") == 1)
        assert message.endswith(
            f"inner.{segment} is a {Inner.__annotations__[segment]}, it has no field 'x'"
        )

    def test_object_accepts_any_segment(self) -> None:
        """A field annotated ``object`` may hold anything: any segment below it is accepted."""
        check_paths(pk.field("inner.anything.x.y") == 1, Outer)

    def test_the_items_of_a_bare_list_may_be_anything(self) -> None:
        """``list`` without an item type: the items' paths are not checked."""
        check_paths(pk.any_item("inner.bare", pk.field("whatever") == 1), Outer)

    def test_a_collection_read_through(self) -> None:
        """The message names the collection and shows the ``any_item`` to write instead."""
        message = error(pk.field("inner.items.name.first") == "x")
        assert message == (
            "path 'inner.items.name.first' does not fit Outer: inner.items is a collection: "
            "check its items with pk.any_item('inner.items', pk.field('name.first') ...)"
        )

    def test_a_union_names_every_member(self) -> None:
        """A segment missing on a union names each member type, joined by "or"."""
        message = error(pk.field("inner.either.zzz") == 1)
        assert (
            message
            == "path 'inner.either.zzz' does not fit Outer: Item or Other has no field 'zzz'"
        )

    def test_items_of_a_union_name_every_root(self) -> None:
        """Inside the items of ``tuple[Item | Other, ...]`` the subject is "Item or Other"."""
        message = error(pk.any_item("inner.mixed", pk.field("zzz") == 1))
        assert re.fullmatch(
            r"path 'inner\.mixed\[\]\.zzz' does not fit Item or Other: "
            r"Item or Other has no field 'zzz'",
            message,
        ), message

    def test_a_close_name_is_suggested(self) -> None:
        """A misspelt segment gets the closest field name as a hint."""
        assert error(pk.field("inner.itemz") == 1).endswith(
            "Inner has no field 'itemz' (did you mean 'items'?)"
        )


class UserMapping(Mapping[str, object]):
    """A mapping that is not a dict, with an attribute of its own."""

    def __init__(self, data: dict[str, object]) -> None:
        self._data = data
        self.name = "attribute"

    def __getitem__(self, key: str) -> object:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


@attrs.frozen
class WithItems:
    items: int
    keys: str


class TestParsePath:
    def test_not_a_str(self) -> None:
        """A non-str path is refused, showing the value."""
        with pytest.raises(QualifierError, match=r"^a field path must be a str, got 5$"):
            parse_path(5)

    def test_length_limit(self) -> None:
        """A path of exactly ``MAX_PATH_LENGTH`` characters is accepted; one more is not."""
        assert parse_path("a" * MAX_PATH_LENGTH) == ("a" * MAX_PATH_LENGTH,)
        with pytest.raises(QualifierError) as info:
            parse_path("a" * (MAX_PATH_LENGTH + 1))
        assert str(info.value).startswith(f"path longer than {MAX_PATH_LENGTH} characters: 'aaa")

    def test_bad_segment(self) -> None:
        """The message shows the path, the segment and the rule."""
        with pytest.raises(QualifierError) as info:
            parse_path("account._x")
        assert str(info.value) == (
            "bad path 'account._x': segment '_x' is not an identifier "
            "(letters, digits and _, starting with a letter; no leading _)"
        )


class TestRead:
    def test_keywords_and_mapping_methods_are_not_plain_attributes(self) -> None:
        """Generated code reads ``obj.name`` only for a segment that is neither."""
        assert is_plain_attribute("name")
        assert not is_plain_attribute("class")
        assert not is_plain_attribute("items")

    def test_a_mapping_method_name_reads_the_key_of_a_mapping(self) -> None:
        """``items`` on a mapping (not a dict) is the key, never the bound method."""
        assert read(UserMapping({"items": 3}), "items") == 3
        assert read(UserMapping({}), "items") is None

    def test_a_mapping_method_name_reads_the_attribute_of_an_object(self) -> None:
        """``items`` / ``keys`` on anything else is the attribute."""
        assert read(WithItems(items=4, keys="k"), "items") == 4
        assert read(WithItems(items=4, keys="k"), "keys") == "k"

    def test_an_attribute_comes_before_a_key(self) -> None:
        """On a mapping with an attribute of that name the attribute is read, else the key."""
        mapping = UserMapping({"name": "key", "other": "value"})
        assert read(mapping, "name") == "attribute"
        assert read(mapping, "other") == "value"
        assert read(mapping, "absent") is None


class NumpyScalar:
    """A NumPy-like scalar whose ``item()`` gives ``value``."""

    __module__ = "numpy"

    def __init__(self, value: object) -> None:
        self.value = value

    def item(self) -> object:
        return self.value


class TestPythonScalar:
    def test_a_numpy_value_without_item_is_left(self) -> None:
        """A NumPy-module value with no ``item`` is returned as it is."""
        value = NumpyLike()
        assert python_scalar(value) is value

    def test_timedelta64_is_left(self) -> None:
        """``timedelta64`` (and ``datetime64``) are left as they are."""
        for name in ("timedelta64", "datetime64"):
            kind = type(name, (NumpyScalar,), {"__module__": "numpy"})
            value = kind(5)
            assert python_scalar(value) is value

    def test_only_plain_scalars_are_unwrapped(self) -> None:
        """``item()`` giving a bool, int, float or str unwraps; anything else is left."""
        assert python_scalar(NumpyScalar(7)) == 7
        value = NumpyScalar((1, 2))
        assert python_scalar(value) is value


class TestCheckPathsLeaves:
    def test_a_plain_leaf_is_not_a_collection_check(self) -> None:
        """A field leaf on a scalar is fine: only collection qualifiers need a collection."""
        check_paths(pk.field("inner.n") >= 1, Outer)
        check_paths(pk.field("inner.amount") >= 1, Outer)

    @pytest.mark.xfail(
        strict=True,
        reason="bug: a union subject type is named by its typing class ('UnionType')",
    )
    def test_a_union_subject_is_named_by_its_members(self) -> None:
        """``check_paths(q, Outer | None)`` names ``Outer`` as the subject, not ``UnionType``."""
        assert error(pk.field("zzz") == 1, Outer | None) == (
            "path 'zzz' does not fit Outer: Outer has no field 'zzz'"
        )
