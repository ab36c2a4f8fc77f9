"""Paths, pinned where mutmut's survivors showed gaps (docs/quality.md).

What counts as "no value" (``is_absent``: ``None``, a float subclass's NaN, a NumPy-like value
whose comparison raises), and ``check_paths``' answers: which annotated types are scalars
(``float``, ``datetime``, ``Decimal``), which accept any segment (``object``, a bare ``list``'s
items), and the messages for a collection read through, a scalar read through and a union.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import attrs
import pytest

import pipelinekit as pk
from pipelinekit.errors import QualifierError
from pipelinekit.qualifiers.paths import check_paths, is_absent


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
