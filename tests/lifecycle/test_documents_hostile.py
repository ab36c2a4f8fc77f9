"""Issue 9 item 17: spec and lifecycle-result documents never report raw Python errors.

Whatever a document of a ``StageSpec``, ``Transition``, ``PipelineSpec``, ``Step``,
``NextAction`` or ``BulkResult`` (or a container of them) holds, ``pk.from_dict`` gives
the object, a ``SchemaError`` with a path and a message of its own, or (for a
well-formed spec of a pipeline that cannot work) ``InvalidPipeline``: never the text of
an ``AttributeError`` or ``TypeError`` met on the way.
"""

from __future__ import annotations

import builtins
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import pipelinekit as pk
from tests.fuzz.seeds import seeds
from tests.fuzz.test_documents import mutated

SEEDS = seeds()
TARGETS: list[Any] = [
    pk.StageSpec,
    pk.Transition,
    pk.PipelineSpec,
    pk.Step,
    pk.NextAction,
    pk.BulkResult,
]

_EXCEPTION_NAMES = sorted(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
#: What Python's own error text looks like in a message.
RAW = re.compile(
    r"\b(" + "|".join(_EXCEPTION_NAMES) + r")\b"
    r"|object has no attribute|is not iterable|unhashable type|is not subscriptable"
    r"|argument of type|positional argument|unexpected keyword|NoneType"
)


def check(document: object, target: Any) -> None:
    """Either outcome is allowed (so no pytest.raises); the message is what is checked."""
    problem = path = None
    try:
        pk.from_dict(document, target)
    except pk.InvalidPipeline as error:
        problem, path = str(error), "$"
    except pk.SchemaError as error:
        problem, path = error.problem, error.path
    if problem is not None:
        assert path is not None
        assert path.startswith("$"), path
        assert RAW.search(problem) is None, problem


def test_the_pattern_recognises_raw_text() -> None:
    """The check itself can fail: it sees the messages item 17 reported."""
    assert RAW.search("TypeError: TypeError(\"argument of type 'NoneType' is not iterable\")")
    assert RAW.search("'list' object has no attribute 'keys'")
    assert RAW.search("expected an object, got int 5") is None


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.__name__)
@pytest.mark.parametrize("document", [None, 5, 1.5, True, "x", [], [1], {}])
def test_not_an_object(target: Any, document: object) -> None:
    check(document, target)
    check([document], list[target])
    check({"a": document}, dict[str, target])


@pytest.mark.parametrize(
    ("target", "document", "path"),
    [
        (pk.Step, None, "$"),
        (pk.NextAction, 5, "$"),
        (pk.BulkResult, {"advanced": [1]}, "$.advanced[0]"),
        (list[pk.Step], [[]], "$[0]"),
    ],
)
def test_examples_from_the_issue(target: Any, document: object, path: str) -> None:
    with pytest.raises(pk.SchemaError) as caught:
        pk.from_dict(document, target)
    assert caught.value.path == path
    assert caught.value.problem.startswith("expected an object, got ")


@settings(suppress_health_check=list(HealthCheck), deadline=None)
@given(
    data=st.data(), target=st.sampled_from(TARGETS), wrap=st.sampled_from(["one", "list", "dict"])
)
@example(data=None, target=pk.NextAction, wrap="one")
def test_mutated_documents(data: st.DataObject | None, target: Any, wrap: str) -> None:
    seed = pk.to_dict(SEEDS[target])
    if data is None:
        document: Any = {**seed, "missing": None}
    else:
        document = data.draw(mutated(seed))
    if wrap == "list":
        check([document], list[target])
    elif wrap == "dict":
        check({"k": document}, dict[str, target])
    else:
        check(document, target)
