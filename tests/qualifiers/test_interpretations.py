"""The shared agreement test: every interpretation of a qualifier tree gives the reference answer.

The interpreter (each node's ``outcome`` and ``explain``) is the reference meaning. The other
interpretations are checked against it here, on the same random trees (every node kind, see
``test_visitors.py``) and the same random subjects (dict rows and objects with missing keys,
``None``, NaN, ``pd.NA``, NumPy scalars, values of the wrong kind, naive datetimes):

* ``generated``: the Python source the code generator writes (``q(s)``, ``q.filter``);
* ``document``: the tree after a round trip through its JSON document.

:mod:`pipelinekit.frames` is the third interpretation; its data are typed tables, not Python
objects, so ``tests/frames/`` checks it against this same interpreter on tables drawn for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit._codegen import compile_qualifier
from pipelinekit.qualifiers import Outcome, Qualifier
from pipelinekit.qualifiers.core import Node, interpreted
from pipelinekit.qualifiers.schema import structure, unstructure
from tests.qualifiers.strategies import AT, junctions, qualifiers, subjects
from tests.strategies import contacts

Interpretation = Callable[[Qualifier, Any, datetime], Outcome]


def _reference(q: Qualifier, subject: Any, at: datetime) -> Outcome:
    """The interpreter: the tree walked node by node, as ``outcome`` does."""
    assert isinstance(q, Node)
    return interpreted(q)[1](subject, at)


def _generated(q: Qualifier, subject: Any, at: datetime) -> Outcome:
    assert isinstance(q, Node)
    check, decide, bulk = compile_qualifier(q)
    outcome = decide(subject, at)
    # The boolean and bulk entry points agree with the three-valued one.
    assert check(subject, at) is (outcome is Outcome.PASS)
    assert bulk([subject, subject], at) == ([subject, subject] if outcome is Outcome.PASS else [])
    return outcome


def _document(q: Qualifier, subject: Any, at: datetime) -> Outcome:
    return _reference(structure(unstructure(q)), subject, at)


INTERPRETATIONS: dict[str, Interpretation] = {"generated": _generated, "document": _document}

_FAR = timedelta(days=999_999)
#: Edge cases every interpretation must get right, as (tree, subject).
EDGES: list[tuple[Qualifier, Any]] = [
    (pk.field("a") == 1, {"a": True}),  # a bool is not a number
    (pk.field("a").is_in([1]), {"a": True}),
    (pk.field("a").is_in([True]), {"a": 1}),
    (pk.field("a").is_in([]), {"a": 1}),  # an empty set: FAIL for any present value
    (pk.field("a").not_in([]), {"a": [1]}),  # ... even an unhashable one
    (pk.field("a") >= 1, {"a": float("nan")}),  # NaN is missing
    (pk.field("a") >= 1, {"a": pd.NA}),
    (pk.field("a") >= Decimal("1.5"), {"a": Decimal("NaN")}),
    (pk.field("a") > pk.Money("1", "EUR"), {"a": pk.Money("2", "USD")}),  # another currency
    (pk.field("when").within(timedelta(days=1)), {"when": datetime(2026, 11, 22)}),  # naive
    (pk.field("when").older_than(_FAR), {"when": date(1, 1, 1)}),  # at - delta out of range
    (pk.field("when").within_next(_FAR), {"when": date(9999, 12, 31)}),  # at + delta out of range
    (pk.field("when").within_last(timedelta(0)), {"when": AT}),  # both bounds inclusive
    (pk.field("when").within_next(timedelta(days=3)), {"when": AT.date() + timedelta(days=3)}),
    (pk.field("when").older_than(timedelta(days=3)), {"when": AT - timedelta(days=3)}),  # strict
    (pk.field("n.x").is_known(), {"n": None}),
    (pk.any_item("things", pk.field("a") == 1, empty_is_unknown=True), {"things": []}),
    (pk.count_items("things", pk.field("a") == 1, at_least=1), {"things": "text"}),
    (
        pk.weighted({pk.field("a") == 1: 0.7, pk.field("b") == 1: 0.1}, threshold=0.8),
        {"a": 1, "b": 1},
    ),
    (pk.at_least(2, pk.field("a") == 1, pk.field("b") == 1, pk.field("n.x") == 1), {"a": 1}),
]


@pytest.mark.parametrize("name", sorted(INTERPRETATIONS))
@pytest.mark.parametrize(("q", "subject"), EDGES, ids=[str(q)[:40] for q, _ in EDGES])
def test_edges(name: str, q: Qualifier, subject: Any) -> None:
    assert INTERPRETATIONS[name](q, subject, AT) is _reference(q, subject, AT)


@pytest.mark.parametrize("name", sorted(INTERPRETATIONS))
@settings(max_examples=300, deadline=None)
@given(q=qualifiers(), subject=subjects(), shift=st.integers(-40, 40))
@example(q=pk.field("a") == 1, subject={"a": True}, shift=0)
@example(q=~pk.field("a").is_in([]), subject={"a": None}, shift=0)
def test_every_interpretation_agrees_with_the_interpreter(
    name: str, q: Qualifier, subject: Any, shift: int
) -> None:
    at = AT + timedelta(days=shift)
    expected = _reference(q, subject, at)
    assert INTERPRETATIONS[name](q, subject, at) is expected
    # The explained path is the interpreter too: it must say the same.
    assert q.evaluate(subject, at=at).outcome is expected


_DELTAS = st.sampled_from([0, 1, 30, 365, 36_500, 999_999]).map(lambda d: timedelta(days=d))
_TIMES = ("created_at", "timeline", "opportunity.expected_close")
_TIME_RULES = ("within", "older_than", "within_next", "within_last")


def _contact_leaves() -> st.SearchStrategy[Qualifier]:
    """Leaves over a Contact's own typed fields (the generated code reads them directly)."""
    ops = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
    numbers = st.sampled_from([0, 100, 10**6, 2.5, Decimal("100.5")])
    monies = st.sampled_from([pk.Money("1000", "EUR"), pk.Money("0", "USD"), pk.Money("5", "JPY")])

    def compare(path: str, values: st.SearchStrategy[Any]) -> st.SearchStrategy[Qualifier]:
        return st.builds(lambda o, v: pk.qualifiers.Compare(path=path, op=o, value=v), ops, values)

    def timed(path: str, rule: str) -> st.SearchStrategy[Qualifier]:
        build = getattr(pk.field(path), rule)
        return _DELTAS.map(build)

    return st.one_of(
        compare("account.employees", numbers | st.just("100")),
        compare("budget", monies),
        compare("authority", st.booleans() | st.just(1)),
        st.sampled_from([pk.field("name").matches("^[a-m]"), pk.field("title").is_known()]),
        st.sampled_from([pk.field("pains").contains(""), pk.field("pains").is_empty()]),
        st.sampled_from([pk.field("account.country").is_in({"DE", "FR"})]),
        st.sampled_from([pk.field("facts.score") >= 1, pk.field("need").is_not_empty()]),
        st.sampled_from(_TIMES).flatmap(
            lambda path: st.sampled_from(_TIME_RULES).flatmap(lambda rule: timed(path, rule))
        ),
        timed("timestamp", "within_last").map(lambda q: pk.any_item("touchpoints", q)),
        st.sampled_from(
            [pk.count_items("stakeholders", pk.field("role") == "champion", at_least=1)]
        ),
    )


def _contact_trees() -> st.SearchStrategy[Qualifier]:
    return st.recursive(_contact_leaves(), lambda c: junctions(c, max_size=3), max_leaves=6)


@pytest.mark.parametrize("name", sorted(INTERPRETATIONS))
@settings(max_examples=300, deadline=None)
@given(q=_contact_trees(), contact=contacts, shift=st.integers(-200_000, 60_000))
def test_agreement_on_contacts(name: str, q: Qualifier, contact: pk.Contact, shift: int) -> None:
    """On pipelinekit's own entities the generated code reads attributes inline: a second path."""
    at = AT + timedelta(days=shift)
    expected = _reference(q, contact, at)
    assert INTERPRETATIONS[name](q, contact, at) is expected


def test_the_reference_is_not_the_generated_code() -> None:
    """The reference walks the tree: a wrong generated answer would be caught, not copied."""
    q = pk.field("a") >= 1
    assert isinstance(q, Node)
    assert interpreted(q)[1] is not compile_qualifier(q)[1]
    assert _reference(q, {"a": 2}, datetime(2026, 1, 1, tzinfo=UTC)) is Outcome.PASS
