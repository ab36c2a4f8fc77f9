"""Tests that kill the mutants of _codegen.py that survived the suite (docs/quality.md).

The generated fast path falls back on the interpreter whenever the source cannot be built
(a SyntaxError, an unsupported node) or raises for a subject. So a broken generator still
gives right answers, only slowly, and a suite that checks answers alone cannot see it. These
tests check that every node kind is *generated*, and decides ordinary subjects *without*
the interpreter, with the same answers; and the limit on generated trees, both sides.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

import pipelinekit as pk
from pipelinekit._codegen import MAX_GENERATED_NODES, compile_qualifier
from pipelinekit.qualifiers import Node, Outcome

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
DAY = timedelta(days=1)
f = pk.field
EUR = pk.Money("10000", "EUR")
AUTHORITY = f("authority") == True  # noqa: E712  # a comparison node, not a truth test


def contact(**fields: Any) -> pk.Contact:
    return pk.Contact(id="c-1", name="Jane", **fields)


ACME = pk.Account(name="Acme", industry="software", employees=250, country="DE")
TINY = pk.Account(name="Tiny", industry="retail", employees=3, country="FR")

SUBJECTS: dict[str, object] = {
    "fit": contact(
        account=ACME,
        budget=pk.Money("25000", "EUR"),
        authority=True,
        need="reporting",
        title="VP Operations",
        timeline=(NOW + 30 * DAY).date(),
        stakeholders=(pk.Stakeholder(name="Ann", role=pk.Role.ECONOMIC_BUYER),),
        facts={"score": 7},
        created_at=NOW - 2 * DAY,
    ),
    "unfit": contact(
        account=TINY,
        budget=pk.Money("500", "EUR"),
        authority=False,
        title="Student",
        timeline=(NOW + 400 * DAY).date(),
        stakeholders=(
            pk.Stakeholder(name="Bo", role=pk.Role.USER),
            pk.Stakeholder(name="Cy", role=pk.Role.INFLUENCER),
        ),
        facts={"score": 1},
        created_at=NOW - 90 * DAY,
    ),
    "other currency": contact(account=ACME, budget=pk.Money("25000", "USD")),
    "unknown": contact(),
    "dict fit": {"account": {"employees": 250, "industry": "software"}, "facts": {"score": 7}},
    "dict unfit": {"account": {"employees": 3, "industry": "retail"}, "facts": {"score": 1}},
    "dict unknown": {},
}

# One or more trees per node kind the generator handles, each written as a user would.
_TREES: dict[str, pk.Qualifier] = {
    "==": f("account.industry") == "software",
    "!=": f("account.industry") != "software",
    "<": f("account.employees") < 100,
    "<=": f("account.employees") <= 250,
    ">": f("account.employees") > 100,
    ">=": f("account.employees") >= 100,
    "money": f("budget") >= EUR,
    "is_in": f("account.country").is_in({"DE", "AT"}),
    "not_in": f("account.country").not_in({"DE", "AT"}),
    "is_known": f("authority").is_known(),
    "is_missing": f("authority").is_missing(),
    "is_empty": f("stakeholders").is_empty(),
    "is_not_empty": f("need").is_not_empty(),
    "contains": f("account.name").contains("cm"),
    "matches": f("title").matches("(?i)vp"),
    "within": f("created_at").within(7 * DAY),
    "within_next": f("timeline").within_next(180 * DAY),
    "within_last": f("created_at").within_last(7 * DAY),
    "older_than": f("created_at").older_than(30 * DAY),
    "facts": f("facts.score") >= 5,
    "all_of": (f("account.employees") >= 100) & (f("account.industry") == "software"),
    "any_of": (f("account.employees") >= 100) | (f("facts.score") >= 5),
    "not": ~(f("account.employees") >= 100),
    "at_least": pk.at_least(2, f("account.employees") >= 100, AUTHORITY, f("facts.score") >= 5),
    "weighted": pk.weighted(
        {f("account.employees") >= 100: 2, f("facts.score") >= 5: 1, AUTHORITY: 1},
        threshold=3,
    ),
    "any_item": pk.any_item("stakeholders", f("role") == pk.Role.ECONOMIC_BUYER),
    "any_item empty unknown": pk.any_item(
        "stakeholders", f("role") == pk.Role.ECONOMIC_BUYER, empty_is_unknown=True
    ),
    "count_items": pk.count_items("stakeholders", f("name").is_not_empty(), at_least=2),
    "bant": pk.frameworks.bant(min_budget=EUR),
}


def node(q: pk.Qualifier) -> Node:
    """The node behind a public qualifier (the generator compiles nodes)."""
    assert isinstance(q, Node)
    return q


TREES: dict[str, Node] = {name: node(q) for name, q in _TREES.items()}


def interpreted(q: Node, subject: object) -> Outcome:
    return q.outcome(subject, NOW)


@pytest.fixture
def no_interpreter(monkeypatch: pytest.MonkeyPatch) -> Callable[[Node], list[object]]:
    """Record the subjects the generated code hands back to the interpreter for a root.

    The generated functions call the root's ``outcome`` (the interpreter) for a subject
    they cannot decide; the spy is installed on the class before compiling.
    """

    def spy_on(q: Node) -> list[object]:
        original = type(q).outcome
        calls: list[object] = []

        def outcome(self: Node, subject: Any, at: Any) -> Outcome:
            if self is q:
                calls.append(subject)
            return original(self, subject, at)

        monkeypatch.setattr(type(q), "outcome", outcome)
        return calls

    return spy_on


def is_generated(fn: Callable[..., object]) -> bool:
    """Whether a compiled function is generated source (not the interpreter's closure)."""
    return "<locals>" not in fn.__qualname__


@pytest.mark.parametrize("name", TREES)
class TestEveryKindIsGenerated:
    def test_the_tree_compiles_to_source(self, name: str) -> None:
        check, decide, bulk = compile_qualifier(TREES[name])
        assert is_generated(check)
        assert is_generated(decide)
        assert is_generated(bulk)

    def test_ordinary_subjects_never_reach_the_interpreter(
        self, name: str, no_interpreter: Callable[[Node], list[object]]
    ) -> None:
        q = TREES[name]
        expected = {key: interpreted(q, s) for key, s in SUBJECTS.items()}
        calls = no_interpreter(q)
        check, decide, bulk = compile_qualifier(q)
        got = {key: decide(s, NOW) for key, s in SUBJECTS.items()}
        checked = {key: check(s, NOW) for key, s in SUBJECTS.items()}
        passing = bulk(list(SUBJECTS.values()), NOW)
        assert got == expected
        assert checked == {key: o is Outcome.PASS for key, o in expected.items()}
        assert passing == [s for key, s in SUBJECTS.items() if expected[key] is Outcome.PASS]
        assert calls == [], f"{name}: the generated code fell back to the interpreter"

    def test_the_subjects_tell_the_outcomes_apart(self, name: str) -> None:
        """The catalogue is rich enough: every tree meets PASS and at least one other."""
        outcomes = {interpreted(TREES[name], s) for s in SUBJECTS.values()}
        assert Outcome.PASS in outcomes
        assert len(outcomes) >= 2


def chain(n: int) -> Node:
    """A tree of exactly ``n`` nodes: one all_of over ``n - 1`` leaves, one of them timed."""
    leaves = [f("account.employees") <= 1000 + i for i in range(n - 2)]
    return node(pk.all_of(f("created_at").within(7 * DAY), *leaves))


class TestTheSizeLimit:
    def test_a_tree_at_the_limit_is_generated(self) -> None:
        check, _, _ = compile_qualifier(chain(MAX_GENERATED_NODES))
        assert is_generated(check)

    def test_a_tree_over_the_limit_is_interpreted(self) -> None:
        check, _, _ = compile_qualifier(chain(MAX_GENERATED_NODES + 1))
        assert not is_generated(check)

    @pytest.mark.parametrize("size", [3, MAX_GENERATED_NODES + 1])
    def test_both_sides_answer_alike(self, size: int) -> None:
        q = chain(size)
        check, decide, bulk = compile_qualifier(q)
        fit = SUBJECTS["fit"]
        stale = contact(account=ACME, created_at=NOW - 30 * DAY)
        unknown = contact(account=ACME)
        assert check(fit, NOW) is True
        assert check(stale, NOW) is False
        assert [decide(s, NOW) for s in (fit, stale, unknown)] == [
            Outcome.PASS,
            Outcome.FAIL,
            Outcome.UNKNOWN,
        ]
        assert bulk([stale, fit, unknown, fit], NOW) == [fit, fit]

    @pytest.mark.parametrize("size", [3, MAX_GENERATED_NODES + 1])
    def test_both_sides_check_at(self, size: int) -> None:
        check, decide, bulk = compile_qualifier(chain(size))
        for run in (check, decide, lambda s, at: bulk([s], at)):
            with pytest.raises(pk.QualifierError):
                run(SUBJECTS["fit"], None)
            with pytest.raises(pk.QualifierError):
                run(SUBJECTS["fit"], datetime(2026, 11, 22))  # naive on purpose

    def test_an_untimed_tree_checks_a_given_at(self) -> None:
        check, _, _ = compile_qualifier(f("account.employees") >= 100)
        assert check(SUBJECTS["fit"], None) is True
        with pytest.raises(pk.QualifierError):
            check(SUBJECTS["fit"], datetime(2026, 11, 22))  # naive on purpose
        with pytest.raises(pk.QualifierError):
            check(SUBJECTS["fit"], date(2026, 11, 22))
