"""Fuzz every ``from_dict`` target: only a round-tripping object or a bounded ``SchemaError``.

Targets come from the public API (:func:`tests.fuzz.seeds.public_document_types`), so a new
document type fails :func:`test_every_public_document_type_is_fuzzed` until it has a seed.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipelinekit as pk
from tests.fuzz.seeds import public_document_types, seeds

SEEDS = seeds()
TARGETS = sorted(SEEDS, key=lambda t: t.__name__)
#: serialization.md promises bounded messages; generous so only echo-everything fails.
MAX_MESSAGE = 2000

_tricky_text = st.sampled_from(
    ["\ud800", "\u200f", "\u200b", "\ufeff", "\u00ad", "a\nb", "", " ", "é", "\x00"]
)
_numbers = st.sampled_from(
    [
        0,
        -1,
        1,
        10**400,
        -(10**400),
        1e308,
        -1e308,
        5e-324,
        math.nan,
        math.inf,
        -math.inf,
        True,
        False,
    ]
)
json_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | _tricky_text
    | _numbers
)
json_values = st.recursive(
    json_leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def _deep(depth: int) -> Any:
    doc: Any = 1
    for _ in range(depth):
        doc = {"kind": "not", "child": doc}
    return doc


_replacements: st.SearchStrategy[Any] = (
    json_leaves | st.just([]) | st.just({}) | st.builds(_deep, st.integers(1, 600))
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> Any:
    """A valid document with one to three keys deleted, duplicated, or retyped."""
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        if not path:
            doc = draw(_replacements)
            continue
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
        except (KeyError, IndexError, TypeError):
            continue
        last = path[-1]
        action = draw(st.sampled_from(["delete", "retype", "duplicate", "extra"]))
        if action == "delete":
            del parent[last]
        elif action == "retype":
            parent[last] = draw(_replacements)
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=5) | _tricky_text)] = draw(_replacements)
    return doc


def check_only_two_outcomes(document: object, target: type) -> None:
    """``from_dict`` gives a round-tripping object, or a ``SchemaError`` with a path."""
    try:
        obj: object = pk.from_dict(document, target)
    except pk.InvalidPipeline:
        # A well-formed spec document with a bad graph (duplicate stage, unknown target):
        # the spec's own documented error (docs/lifecycle.md), not a schema problem.
        assert target in (pk.PipelineSpec, pk.StageSpec, pk.Transition), target
        return
    except pk.SchemaError as error:
        # Either outcome is allowed, so pytest.raises does not fit.
        assert error.path.startswith("$"), error.path  # noqa: PT017
        assert len(str(error)) <= MAX_MESSAGE, len(str(error))  # noqa: PT017
        return
    assert isinstance(obj, target), type(obj)
    assert pk.from_dict(pk.to_dict(obj), target) == obj


_budget = settings(settings.get_profile("fuzz"))


def test_unknown_key_message_is_bounded() -> None:
    check_only_two_outcomes({**pk.to_dict(SEEDS[pk.Verdict]), "x" * 5000: None}, pk.Verdict)


def test_every_public_document_type_is_fuzzed() -> None:
    """A new public document type needs a seed (qualifier kinds are fuzzed as pk.Qualifier)."""
    missing = [
        t.__name__
        for t in public_document_types()
        if t not in SEEDS and not issubclass(t, pk.Qualifier)
    ]
    assert missing == []


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.__name__)
@_budget
@given(document=json_values)
def test_arbitrary_json(target: type, document: object) -> None:
    check_only_two_outcomes(document, target)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.__name__)
@_budget
@given(data=st.data())
def test_mutated_valid_documents(target: type, data: st.DataObject) -> None:
    document = data.draw(mutated(pk.to_dict(SEEDS[target])))
    check_only_two_outcomes(document, target)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.__name__)
def test_seed_round_trips(target: type) -> None:
    check_only_two_outcomes(pk.to_dict(SEEDS[target]), target)
