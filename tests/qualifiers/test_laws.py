"""Property tests: the algebra's laws under three-valued logic, and fast == explained."""

from __future__ import annotations

import datetime
import json
import pickle
from decimal import Decimal
from typing import Any

from hypothesis import given

import pipelinekit as pk
from pipelinekit.qualifiers import AllOf, AnyOf, Node, Outcome
from tests.qualifiers.strategies import AT, qualifiers, subjects

QUALIFIER = pk.Qualifier


def outcome(q: Node, subject: Any) -> Outcome:
    return q.evaluate(subject, at=AT).outcome


class TestFastPathAgrees:
    @given(qualifiers(), subjects())
    def test_call_is_pass(self, q: Node, subject: Any) -> None:
        """``q(x)`` is True exactly when ``evaluate`` says PASS, on any subject."""
        assert q(subject, at=AT) == (outcome(q, subject) is Outcome.PASS)

    @given(qualifiers(), subjects())
    def test_negation_fast_path(self, q: Node, subject: Any) -> None:
        """The generated 'fails' expression agrees too: ``(~q)(x)`` is True exactly on FAIL."""
        assert (~q)(subject, at=AT) == (outcome(q, subject) is Outcome.FAIL)

    @given(qualifiers(), subjects(), subjects())
    def test_filter(self, q: Node, first: Any, second: Any) -> None:
        """``filter`` keeps exactly the subjects that PASS, in order."""
        rows = [first, second, first]
        expected = [s for s in rows if outcome(q, s) is Outcome.PASS]
        assert q.filter(rows, at=AT) == expected
        assert q.filter(iter(rows), at=AT) == expected

    @given(qualifiers(), subjects())
    def test_verdict_outcome_matches_outcome(self, q: Node, subject: Any) -> None:
        assert q.outcome(subject, AT) is outcome(q, subject)


class TestLaws:
    @given(qualifiers(), subjects())
    def test_double_negation(self, q: Node, subject: Any) -> None:
        assert ~~q == q
        assert outcome(~~q, subject) is outcome(q, subject)

    @given(qualifiers(), qualifiers(), subjects())
    def test_de_morgan(self, a: Node, b: Node, subject: Any) -> None:
        assert outcome(~(a & b), subject) is outcome(~a | ~b, subject)
        assert outcome(~(a | b), subject) is outcome(~a & ~b, subject)

    @given(qualifiers(), qualifiers(), subjects())
    def test_kleene(self, a: Node, b: Node, subject: Any) -> None:
        assert outcome(a & b, subject) is outcome(a, subject) & outcome(b, subject)
        assert outcome(a | b, subject) is outcome(a, subject) | outcome(b, subject)
        assert outcome(~a, subject) is ~outcome(a, subject)

    @given(qualifiers())
    def test_idempotence(self, q: Node) -> None:
        assert q & q == q
        assert q | q == q

    @given(qualifiers(), qualifiers(), qualifiers())
    def test_flattening(self, a: Node, b: Node, c: Node) -> None:
        assert (a & b) & c == a & (b & c) == pk.all_of(a, b, c)
        assert (a | b) | c == a | (b | c) == pk.any_of(a, b, c)
        for node, kind in (((a & b) & c, AllOf), ((a | b) | c, AnyOf)):
            if type(node) is not kind:  # everything collapsed into one child
                assert node in (a, b, c)
                continue
            assert not any(
                type(child) is kind and child.name is None for child in node.subqualifiers()
            )

    @given(qualifiers(), subjects())
    def test_at_least_bounds(self, q: Node, subject: Any) -> None:
        """at_least(1, ...) is any_of and at_least(n, ...) is all_of, semantically."""
        other = ~q
        assert outcome(pk.at_least(1, q, other), subject) is outcome(q | other, subject)
        assert outcome(pk.at_least(2, q, other), subject) is outcome(q & other, subject)

    @given(qualifiers())
    def test_hash_and_pickle(self, q: Node) -> None:
        copy = pickle.loads(pickle.dumps(q))
        assert copy == q
        assert hash(copy) == hash(q)
        assert repr(copy) == repr(q)

    @given(qualifiers(), subjects())
    def test_missing_only_when_unknown(self, q: Node, subject: Any) -> None:
        verdict = q.evaluate(subject, at=AT)
        if verdict.outcome is not Outcome.UNKNOWN:
            assert verdict.missing() == ()
        if verdict.outcome is Outcome.PASS:
            assert verdict.failures() == []


#: What ``repr`` of a qualifier refers to: the builders and the value types.
REPR_NAMESPACE: dict[str, Any] = {
    "field": pk.field,
    "all_of": pk.all_of,
    "any_of": pk.any_of,
    "at_least": pk.at_least,
    "weighted": pk.weighted,
    "any_item": pk.any_item,
    "count_items": pk.count_items,
    "Money": pk.Money,
    "Decimal": Decimal,
    "datetime": datetime,
}


class TestRepr:
    @given(qualifiers())
    def test_repr_is_valid_python_that_rebuilds(self, q: Node) -> None:
        """``eval(repr(q)) == q``: the repr shows how the tree was built (negations too)."""
        assert eval(repr(q), dict(REPR_NAMESPACE)) == q  # noqa: S307  # our own repr

    def test_negated_comparison(self) -> None:
        """The audit's case: ``~field('a') == 1`` would negate the field, not the check."""
        q = ~(pk.field("a") == 1)
        assert repr(q) == "~(field('a') == 1)"
        assert eval(repr(q), dict(REPR_NAMESPACE)) == q  # noqa: S307  # our own repr
        assert repr(~pk.field("a").is_in({1})) == "~field('a').is_in({1})"
        assert repr(pk.field("a").is_in(())) == "field('a').is_in(())"


class TestRoundTrip:
    @given(qualifiers())
    def test_to_dict_from_dict(self, q: Node) -> None:
        """Every tree survives JSON: equal, same repr, same verdicts."""
        doc = pk.to_dict(q)
        assert doc["schema_version"] == pk.SCHEMA_VERSION
        back = pk.from_dict(json.loads(json.dumps(doc)), QUALIFIER)
        assert back == q
        assert repr(back) == repr(q)
