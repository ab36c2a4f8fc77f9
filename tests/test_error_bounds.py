"""Every ``SchemaError`` message is bounded, whatever the hostile document held (issue 9)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.errors import MAX_SCHEMA_PATH, MAX_SCHEMA_PROBLEM

BOUND = MAX_SCHEMA_PATH + 2 + MAX_SCHEMA_PROBLEM


def _bounded(error: pk.SchemaError) -> None:
    assert len(error.path) <= MAX_SCHEMA_PATH
    assert len(error.problem) <= MAX_SCHEMA_PROBLEM
    assert len(str(error)) <= BOUND


@pytest.mark.parametrize(
    ("data", "target"),
    [
        ({"id": "c-1", "name": "Jane", **{f"k{i}": i for i in range(20_000)}}, pk.Contact),
        ({"amount": "1", "currency": "X" * 100_000}, pk.Money),
        ({"kind": "field", "path": "a", "op": "eq", "value": 1, "x" * 100_000: 1}, pk.Qualifier),
    ],
)
def test_the_reported_cases_are_bounded(data: Any, target: Any) -> None:
    with pytest.raises(pk.SchemaError) as caught:
        pk.from_dict(data, target)
    _bounded(caught.value)


@given(path=st.text(max_size=2_000), problem=st.text(max_size=5_000))
@example(path="$" * 10_000, problem="x" * 100_000)
def test_any_schema_error_is_bounded(path: str, problem: str) -> None:
    error = pk.SchemaError(path, problem)
    _bounded(error)
    if len(problem) <= MAX_SCHEMA_PROBLEM:
        assert error.problem == problem  # short problems are kept whole
