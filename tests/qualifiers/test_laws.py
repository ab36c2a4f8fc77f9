"""Property tests: the algebra's laws under three-valued logic, and fast == explained."""

from __future__ import annotations

import datetime
import json
import pickle
from decimal import Decimal
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.qualifiers import AllOf, AnyOf, Outcome, Qualifier
from tests.qualifiers.strategies import AT, qualifiers, subjects

QUALIFIER = pk.Qualifier


def outcome(q: Qualifier, subject: Any) -> Outcome:
    return q.evaluate(subject, at=AT).outcome


class TestFastPathAgrees:
    @given(qualifiers(), subjects())
    def test_call_is_pass(self, q: Qualifier, subject: Any) -> None:
        """``q(x)`` is True exactly when ``evaluate`` says PASS, on any subject."""
        assert q(subject, at=AT) == (outcome(q, subject) is Outcome.PASS)

    @given(qualifiers(), subjects())
    def test_negation_fast_path(self, q: Qualifier, subject: Any) -> None:
        """The generated 'fails' expression agrees too: ``(~q)(x)`` is True exactly on FAIL."""
        assert (~q)(subject, at=AT) == (outcome(q, subject) is Outcome.FAIL)

    @given(qualifiers(), subjects(), subjects())
    def test_filter(self, q: Qualifier, first: Any, second: Any) -> None:
        """``filter`` keeps exactly the subjects that PASS, in order."""
        rows = [first, second, first]
        expected = [s for s in rows if outcome(q, s) is Outcome.PASS]
        assert q.filter(rows, at=AT) == expected
        assert q.filter(iter(rows), at=AT) == expected

    @given(qualifiers(), subjects())
    def test_verdict_outcome_matches_outcome(self, q: Qualifier, subject: Any) -> None:
        assert q.outcome(subject, AT) is outcome(q, subject)


class TestLaws:
    @given(qualifiers(), subjects())
    def test_double_negation(self, q: Qualifier, subject: Any) -> None:
        assert ~~q == q
        assert outcome(~~q, subject) is outcome(q, subject)

    @given(qualifiers(), qualifiers(), subjects())
    def test_de_morgan(self, a: Qualifier, b: Qualifier, subject: Any) -> None:
        assert outcome(~(a & b), subject) is outcome(~a | ~b, subject)
        assert outcome(~(a | b), subject) is outcome(~a & ~b, subject)

    @given(qualifiers(), qualifiers(), subjects())
    def test_kleene(self, a: Qualifier, b: Qualifier, subject: Any) -> None:
        assert outcome(a & b, subject) is outcome(a, subject) & outcome(b, subject)
        assert outcome(a | b, subject) is outcome(a, subject) | outcome(b, subject)
        assert outcome(~a, subject) is ~outcome(a, subject)

    @given(qualifiers())
    def test_idempotence(self, q: Qualifier) -> None:
        assert q & q == q
        assert q | q == q

    @given(qualifiers(), qualifiers(), qualifiers())
    def test_flattening(self, a: Qualifier, b: Qualifier, c: Qualifier) -> None:
        assert (a & b) & c == a & (b & c) == pk.all_of(a, b, c)
        assert (a | b) | c == a | (b | c) == pk.any_of(a, b, c)
        for node, kind in (((a & b) & c, AllOf), ((a | b) | c, AnyOf)):
            if type(node) is not kind:  # everything collapsed into one child
                assert node in (a, b, c)
                continue
            assert not any(type(child) is kind and child.name is None for child in node.children)

    @given(qualifiers(), subjects())
    def test_at_least_bounds(self, q: Qualifier, subject: Any) -> None:
        """at_least(1, ...) is any_of and at_least(n, ...) is all_of, semantically."""
        other = ~q
        assert outcome(pk.at_least(1, q, other), subject) is outcome(q | other, subject)
        assert outcome(pk.at_least(2, q, other), subject) is outcome(q & other, subject)

    @given(qualifiers())
    def test_hash_and_pickle(self, q: Qualifier) -> None:
        copy = pickle.loads(pickle.dumps(q))
        assert copy == q
        assert hash(copy) == hash(q)
        assert repr(copy) == repr(q)

    @given(qualifiers(), subjects())
    def test_missing_only_when_unknown(self, q: Qualifier, subject: Any) -> None:
        verdict = q.evaluate(subject, at=AT)
        if verdict.outcome is not Outcome.UNKNOWN:
            assert verdict.missing() == ()
        if verdict.outcome is Outcome.PASS:
            assert verdict.failures() == []


#: Each time rule, written out independently of the library: (value, reference, delta).
TIME_RULES: dict[str, Any] = {
    "within": lambda v, ref, d: abs(v - ref) <= d,
    "older_than": lambda v, ref, d: v < ref - d,
    "within_next": lambda v, ref, d: ref <= v <= ref + d,
    "within_last": lambda v, ref, d: ref - d <= v <= ref,
}


def _boundaries(test: Any) -> Any:
    """Every rule at every boundary: ``ref + side * delta + nudge * (1 day | 1 µs)``."""
    for rule in TIME_RULES:
        for unit in ("date", "datetime"):
            for side in (-1, 0, 1):
                for nudge in (-1, 0, 1):
                    test = example(rule=rule, unit=unit, days=30, side=side, nudge=nudge)(test)
            test = example(rule=rule, unit=unit, days=0, side=0, nudge=0)(test)
    return test


class TestTimeBoundaries:
    @_boundaries
    @given(
        rule=st.sampled_from(sorted(TIME_RULES)),
        unit=st.sampled_from(["date", "datetime"]),
        days=st.integers(0, 400),
        side=st.integers(-1, 1),
        nudge=st.integers(-2, 2),
    )
    def test_both_paths_at_the_boundaries(
        self, rule: str, unit: str, days: int, side: int, nudge: int
    ) -> None:
        """Generated code (direct and generic flavours) and the interpreter agree with the
        rule as written, at ``delta`` exactly and one unit either side, dates and datetimes."""
        delta = datetime.timedelta(days=days)
        if unit == "date":
            ref: Any = AT.date()
            value = ref + side * delta + nudge * datetime.timedelta(days=1)
            path, contact = "timeline", pk.Contact(id="c", name="n", timeline=value)
        else:
            ref = AT
            value = ref + side * delta + nudge * datetime.timedelta(microseconds=1)
            path, contact = "created_at", pk.Contact(id="c", name="n", created_at=value)
        expected = Outcome.PASS if TIME_RULES[rule](value, ref, delta) else Outcome.FAIL
        q = getattr(pk.field(path), rule)(delta)
        for subject in (contact, {path: value}):
            assert q.outcome(subject, AT) is expected  # the interpreter
            assert q.evaluate(subject, at=AT).outcome is expected  # generated outcome
            assert q.evaluate(subject, at=AT).passed is (expected is Outcome.PASS)
            assert q.explain(subject, AT, "").outcome is expected  # the explanation
            assert q(subject, at=AT) is (expected is Outcome.PASS)  # generated "passes"
            assert (~q)(subject, at=AT) is (expected is Outcome.FAIL)  # generated "fails"
            assert q.filter([subject], at=AT) == ([subject] if expected is Outcome.PASS else [])


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
    def test_repr_is_valid_python_that_rebuilds(self, q: Qualifier) -> None:
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
    def test_to_dict_from_dict(self, q: Qualifier) -> None:
        """Every tree survives JSON: equal, same repr, same verdicts."""
        doc = pk.to_dict(q)
        assert doc["schema_version"] == pk.SCHEMA_VERSION
        back = pk.from_dict(json.loads(json.dumps(doc)), QUALIFIER)
        assert back == q
        assert repr(back) == repr(q)
