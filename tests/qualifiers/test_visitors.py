"""One home per node kind: every interpretation of qualifier trees covers every node kind.

The node classes register their ``NODE_KIND``; each interpretation is a
:class:`~pipelinekit.qualifiers.visitors.Visitor` with one ``visit_<kind>`` per kind. These
tests fail when a node kind is added without its method in some interpretation, when an
interpretation is added that misses a kind, and when the tree strategies that every
agreement test draws from stop producing some kind (then that kind would go untested).
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings

import pipelinekit as pk
from pipelinekit.qualifiers import Qualifier
from pipelinekit.qualifiers import schema as document_format
from pipelinekit.qualifiers.core import Node
from pipelinekit.qualifiers.visitors import Visitor, kind_of_node, node_kinds, register_kind
from tests.qualifiers.strategies import qualifiers

KINDS = set(node_kinds())


def _import_everything() -> None:
    """Import every pipelinekit module whose extras are installed (so every Visitor exists)."""
    for info in pkgutil.walk_packages(pk.__path__, "pipelinekit."):
        try:
            importlib.import_module(info.name)
        except ImportError:  # an optional extra that is not installed
            continue


def _subclasses(cls: type[Any]) -> set[type[Any]]:
    found: set[type[Any]] = set()
    stack: list[type[Any]] = [cls]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                stack.append(sub)
    return found


_import_everything()
INTERPRETATIONS = sorted(
    (v for v in _subclasses(Visitor) if v.__module__.startswith("pipelinekit")),
    key=lambda v: f"{v.__module__}.{v.__qualname__}",
)


def _concrete_nodes() -> set[type[Node]]:
    """Every built-in node class that builds nodes: exported and not an abstract base."""
    abstract = {"Node", "Leaf", "TimeRelative"}
    return {
        cls
        for cls in _subclasses(Node)
        if cls.__module__.startswith("pipelinekit.qualifiers")
        and not cls.__name__.startswith("_")
        and cls.__name__ not in abstract
    }


def _kinds_in(q: Qualifier) -> set[str]:
    kinds: set[str] = set()
    stack = [q]
    while stack:
        node = stack.pop()
        kind = kind_of_node(node)
        if kind is not None:
            kinds.add(kind)
        stack.extend(node.children)
    return kinds


class TestRegistry:
    def test_every_concrete_node_class_has_a_kind(self) -> None:
        for cls in _concrete_nodes():
            assert "NODE_KIND" in cls.__dict__, cls
            assert node_kinds()[cls.NODE_KIND] is cls

    def test_kinds_are_the_document_kinds(self) -> None:
        q = pk.field("a").is_in([1]) & ~pk.field("b").is_known()
        assert pk.to_dict(q)["kind"] == kind_of_node(q) == "all_of"
        assert [d["kind"] for d in pk.to_dict(q)["children"]] == ["in", "not"]

    def test_custom_qualifiers_have_no_kind(self) -> None:
        class Mine(Qualifier):
            def outcome(self, subject: object, at: Any) -> pk.Outcome:
                return pk.Outcome.PASS

        assert kind_of_node(Mine()) is None

    def test_a_second_class_cannot_claim_a_kind(self) -> None:
        class Impostor(pk.qualifiers.IsKnown):
            NODE_KIND = "known"

        with pytest.raises(TypeError, match="already"):
            register_kind(Impostor)
        assert node_kinds()["known"] is pk.qualifiers.IsKnown

    def test_a_kind_must_be_an_identifier(self) -> None:
        class Odd(pk.qualifiers.IsKnown):
            NODE_KIND = "not an identifier"

        with pytest.raises(TypeError, match="identifier"):
            register_kind(Odd)


class TestEveryInterpretationCoversEveryKind:
    def test_the_interpretations_are_found(self) -> None:
        names = {v.__qualname__ for v in INTERPRETATIONS}
        assert {"_Generator", "_Writer"} <= names

    @pytest.mark.parametrize("visitor", INTERPRETATIONS, ids=lambda v: v.__qualname__)
    def test_a_method_per_kind(self, visitor: type[Visitor[Any]]) -> None:
        for kind in [*KINDS, "custom"]:
            assert callable(getattr(visitor, f"visit_{kind}", None)), (visitor, kind)
        assert set(visitor._methods) == KINDS | {"custom"}

    def test_the_document_format_reads_every_kind(self) -> None:
        assert set(document_format._READERS) == KINDS

    def test_a_visitor_missing_a_kind_is_refused_when_defined(self) -> None:
        methods = {f"visit_{k}": lambda self, node: None for k in KINDS if k != "within"}
        methods["visit_custom"] = lambda self, node: None
        with pytest.raises(TypeError, match="visit_within"):
            type("Incomplete", (Visitor,), methods)

    def test_a_partial_base_is_allowed_and_a_complete_one_dispatches(self) -> None:
        class Base(Visitor[str], partial=True):
            def name(self, node: Qualifier) -> str:
                return kind_of_node(node) or "custom"

        methods = {f"visit_{k}": Base.name for k in [*KINDS, "custom"]}
        names = type("Names", (Base,), methods)()
        assert names.visit(pk.field("a").within_last(timedelta(days=1))) == "within_last"
        assert names.visit(~pk.field("a").is_known()) == "not"

    def test_subclasses_of_node_classes_dispatch_as_their_kind(self) -> None:
        # What a user subclass of a built-in node would be treated as (the nearest kind).
        node = pk.field("a").not_in([1])
        assert kind_of_node(node) == "not_in"
        assert kind_of_node(pk.field("a").is_in([1])) == "in"


def test_the_tree_strategy_draws_every_kind() -> None:
    """Every agreement test draws trees from ``qualifiers()``: it must reach each kind."""
    seen: set[str] = set()

    @settings(max_examples=400, database=None, derandomize=True, deadline=None)
    @given(qualifiers())
    def collect(q: Qualifier) -> None:
        seen.update(_kinds_in(q))

    collect()
    assert seen == KINDS
