"""The frameworks' criteria, pinned: names, order, descriptions, the facts each reads, the rule.

Written against mutmut's survivors in ``qualifiers/frameworks.py`` (docs/quality.md): a
criterion renamed, a description changed, a fact path misspelt or a criterion dropped from
the combination went unnoticed. Each framework is checked by behaviour: a contact with every
documented fact passes; breaking exactly one criterion's facts makes exactly that criterion
FAIL (and the framework, by its combination rule); a contact with no facts names exactly the
documented paths as the questions still to ask.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import attrs
import pytest

import pipelinekit as pk
from pipelinekit.errors import QualifierError
from pipelinekit.qualifiers import Outcome, Qualifier
from tests.qualifiers.conftest import AT

fw = pk.frameworks
ICP = fw.IdealCustomerProfile(
    industries={"software", "fintech"}, min_employees=100, countries={"DE", "AT"}
)

FACTS: Mapping[str, str | bool] = {
    "metrics": "save 2 days per month",
    "decision_criteria": "SSO, EU hosting",
    "decision_process": "pilot, then CFO sign-off",
    "paper_process": "MSA + DPA",
    "competition": "spreadsheets",
    "challenges": "manual reporting",
    "goals": "close books in 3 days",
    "plans": "replace spreadsheets in Q1",
    "negative_consequences": "late filings",
    "positive_implications": "faster month end",
    "prioritized": True,
    "urgent": True,
}
BUYER = pk.Stakeholder(name="Max", role=pk.Role.ECONOMIC_BUYER)
CHAMPION = pk.Stakeholder(name="Ana", role=pk.Role.CHAMPION)

#: Every documented fact holds.
FULL = pk.Contact(
    id="c-1",
    name="Jane Roe",
    account=pk.Account(name="Acme", industry="software", employees=250, country="DE"),
    budget=pk.Money("25000", "EUR"),
    authority=True,
    need="manual reporting eats two days a month",
    pains=("manual reporting",),
    timeline=AT.date() + timedelta(days=60),
    interest=True,
    stakeholders=(BUYER, CHAMPION),
    facts=dict(FACTS),
)


def _facts(**changes: object) -> dict[str, Any]:
    return {"facts": {**FACTS, **changes}}


#: For each criterion: the change to FULL that makes that criterion, and only it, not pass
#: (FAIL, or UNKNOWN where the need is only not stated: a Contact refuses a blank need).
BREAK: Mapping[str, dict[str, Any]] = {
    "budget": {"budget": pk.Money("0", "EUR")},
    "authority": {"authority": False, "stakeholders": (CHAMPION,)},
    "need": {"need": None, "pains": ()},  # a Contact refuses a blank need: not stated
    "timeline": {"timeline": AT.date() - timedelta(days=1)},
    "interest": {"interest": False},
    "urgent": _facts(urgent=False),
    "prioritized": _facts(prioritized=False),
    "challenges or need": {"need": None, "pains": (), **_facts(challenges=" ")},
    "economic buyer": {"stakeholders": (CHAMPION,)},
    "champion": {"stakeholders": (BUYER,)},
    "industry": {"account": attrs.evolve(FULL.account, industry="retail")},  # type: ignore[misc]
    "size": {"account": attrs.evolve(FULL.account, employees=99)},  # type: ignore[misc]
    "country": {"account": attrs.evolve(FULL.account, country="FR")},  # type: ignore[misc]
    **{key: _facts(**{key: "  "}) for key in FACTS if key not in ("prioritized", "urgent")},
}

#: The outcome of a broken criterion, where not FAIL.
EXPECTED = {"need": Outcome.UNKNOWN, "challenges or need": Outcome.UNKNOWN}

#: For each criterion: the facts a contact with nothing recorded is asked for.
ASKS: Mapping[str, tuple[str, ...]] = {
    "budget": ("budget.amount",),
    "authority": ("authority", "stakeholders"),
    "need": ("need",),  # an empty ``pains`` is recorded: no pains
    "timeline": ("timeline",),
    "interest": ("interest",),
    "urgent": ("facts.urgent",),
    "prioritized": ("facts.prioritized",),
    "challenges or need": ("facts.challenges", "need"),
    "economic buyer": ("stakeholders",),
    "champion": ("stakeholders",),
    "industry": ("account.industry",),
    "size": ("account.employees",),
    "country": ("account.country",),
    **{key: (f"facts.{key}",) for key in FACTS if key not in ("prioritized", "urgent")},
}

NEED = "a need the product solves is stated, or pains are recorded"
AUTHORITY = "the contact can decide, or a decision maker is identified"
BUDGET = "a budget is allocated"
TIMELINE = "a decision date within the next 180 days"

#: framework, its name, then (criterion name, description, criterion key) in order.
Criterion = tuple[str, str | None, str]
Spec = tuple[Callable[[], Qualifier], str, list[Criterion]]
MEDDIC_HEAD: list[Criterion] = [
    ("Metrics", "the quantified gain is known", "metrics"),
    ("Economic buyer", "the economic buyer is identified", "economic buyer"),
    ("Decision criteria", None, "decision_criteria"),
    ("Decision process", None, "decision_process"),
]
MEDDIC_TAIL: list[Criterion] = [
    ("Identify pain", NEED, "need"),
    ("Champion", "a champion is identified", "champion"),
]
ICP_CRITERIA: list[Criterion] = [
    ("Industry", None, "industry"),
    ("Company size", None, "size"),
    ("Location", None, "country"),
]
ALL_OF: dict[str, Spec] = {
    "champ": (
        fw.champ,
        "CHAMP",
        [
            ("Challenges", "challenges (or a need) are stated", "challenges or need"),
            ("Authority", AUTHORITY, "authority"),
            ("Money", BUDGET, "budget"),
            ("Prioritization", "solving it is a priority", "prioritized"),
        ],
    ),
    "anum": (
        fw.anum,
        "ANUM",
        [
            ("Authority", AUTHORITY, "authority"),
            ("Need", NEED, "need"),
            ("Urgency", "they need it solved soon", "urgent"),
            ("Money", BUDGET, "budget"),
        ],
    ),
    "faint": (
        fw.faint,
        "FAINT",
        [
            ("Funds", BUDGET, "budget"),
            ("Authority", AUTHORITY, "authority"),
            ("Interest", "they want to solve it now", "interest"),
            ("Need", NEED, "need"),
            ("Timing", TIMELINE, "timeline"),
        ],
    ),
    "meddic": (fw.meddic, "MEDDIC", MEDDIC_HEAD + MEDDIC_TAIL),
    "meddicc": (
        lambda: fw.meddic("MEDDICC"),
        "MEDDICC",
        [*MEDDIC_HEAD, *MEDDIC_TAIL, ("Competition", None, "competition")],
    ),
    "meddpicc": (
        lambda: fw.meddic("MEDDPICC"),
        "MEDDPICC",
        [
            *MEDDIC_HEAD,
            ("Paper process", None, "paper_process"),
            *MEDDIC_TAIL,
            ("Competition", None, "competition"),
        ],
    ),
    "gpctba_ci": (
        fw.gpctba_ci,
        "GPCTBA/C&I",
        [
            ("Goals", None, "goals"),
            ("Plans", None, "plans"),
            ("Challenges", None, "challenges"),
            ("Timeline", TIMELINE, "timeline"),
            ("Budget", BUDGET, "budget"),
            ("Authority", AUTHORITY, "authority"),
            ("Negative consequences", None, "negative_consequences"),
            ("Positive implications", None, "positive_implications"),
        ],
    ),
    "organization_level": (lambda: fw.organization_level(ICP), "Organization level", ICP_CRITERIA),
    "match": (lambda: fw.match(ICP), "Match", ICP_CRITERIA),
    "opportunity_level": (
        fw.opportunity_level,
        "Opportunity level",
        [("Need", NEED, "need"), ("Budget", BUDGET, "budget"), ("Timeline", TIMELINE, "timeline")],
    ),
    "pain_interest_match": (
        lambda: fw.pain_interest_match(ICP),
        "Pain, interest, match",
        [("Pain", NEED, "need"), ("Interest", "they want to solve it now", "interest")],
    ),
}
CRITERIA = [
    pytest.param(key, index, id=f"{key}-{spec[2][index][0]}")
    for key, spec in ALL_OF.items()
    for index in range(len(spec[2]))
]


def broken(*keys: str) -> pk.Contact:
    """FULL with the facts of these criteria broken."""
    changes: dict[str, Any] = {}
    for key in keys:
        change = BREAK[key]
        if "facts" in change and "facts" in changes:
            merged = {k: v for k, v in change["facts"].items() if v != FACTS[k]}
            change = {**change, "facts": {**changes["facts"], **merged}}
        changes |= change
    return attrs.evolve(FULL, **changes)


def child_outcomes(q: Qualifier, contact: object) -> dict[str | None, Outcome]:
    verdict = q.evaluate(contact, at=AT)
    assert q(contact, at=AT) is (verdict.outcome is Outcome.PASS)
    return {child.name: child.outcome for child in verdict.children}


class TestAllOfFrameworks:
    @pytest.mark.parametrize("key", ALL_OF)
    def test_names_order_and_descriptions(self, key: str) -> None:
        """The framework's name, its criteria's names in order, and their descriptions."""
        make, name, criteria = ALL_OF[key]
        q = make()
        assert q.name == name
        got = [(child.name, child.description) for child in q.children]
        expected = [(n, d) for n, d, _ in criteria]
        if key == "pain_interest_match":
            got = got[:2]
            assert q.children[2].name == "Match"
        assert got == expected

    @pytest.mark.parametrize("key", ALL_OF)
    def test_a_contact_with_every_fact_passes(self, key: str) -> None:
        """FULL passes the framework and every one of its criteria."""
        q = ALL_OF[key][0]()
        assert set(child_outcomes(q, FULL).values()) == {Outcome.PASS}
        assert q(FULL, at=AT)

    @pytest.mark.parametrize(("key", "index"), CRITERIA)
    def test_breaking_one_criterion_fails_it_and_the_framework(self, key: str, index: int) -> None:
        """Exactly the broken criterion fails, and all criteria must hold: the framework fails."""
        make, _, criteria = ALL_OF[key]
        q = make()
        name, _, fact = criteria[index]
        outcomes = child_outcomes(q, broken(fact))
        assert outcomes.pop(name) is EXPECTED.get(fact, Outcome.FAIL)
        assert set(outcomes.values()) == {Outcome.PASS}
        assert q.evaluate(broken(fact), at=AT).outcome is EXPECTED.get(fact, Outcome.FAIL)

    @pytest.mark.parametrize(("key", "index"), CRITERIA)
    def test_each_criterion_reads_its_documented_facts(self, key: str, index: int) -> None:
        """With nothing recorded, a criterion asks for exactly its documented facts."""
        make, _, criteria = ALL_OF[key]
        name, _, fact = criteria[index]
        child = next(c for c in make().children if c.name == name)
        verdict = child.evaluate(pk.Contact(id="c-0", name="Nobody"), at=AT)
        assert verdict.outcome is Outcome.UNKNOWN
        assert verdict.unknown_facts() == tuple(sorted(ASKS[fact]))


class TestBant:
    CRITERIA = (("Budget", "budget"), ("Authority", "authority"), ("Need", "need"))
    ALL = (*CRITERIA, ("Timeframe", "timeline"))

    def test_names_order_and_descriptions(self) -> None:
        """BANT: Budget, Authority, Need, Timeframe, with their descriptions."""
        q = fw.bant()
        assert (q.name, q.description) == ("BANT", "3 of budget, authority, need, timeframe")
        assert [(c.name, c.description) for c in q.children] == [
            ("Budget", BUDGET),
            ("Authority", AUTHORITY),
            ("Need", NEED),
            ("Timeframe", TIMELINE),
        ]
        assert fw.bant(required=2).description == "2 of budget, authority, need, timeframe"

    @pytest.mark.parametrize(("name", "fact"), ALL)
    def test_three_of_four_qualify_by_default(self, name: str, fact: str) -> None:
        """One broken criterion FAILs alone and BANT still passes; with required=4 it fails."""
        outcomes = child_outcomes(fw.bant(), broken(fact))
        assert outcomes.pop(name) is EXPECTED.get(fact, Outcome.FAIL)
        assert set(outcomes.values()) == {Outcome.PASS}
        assert fw.bant()(broken(fact), at=AT)
        assert not fw.bant(required=4)(broken(fact), at=AT)

    @pytest.mark.parametrize(("name", "fact"), CRITERIA)
    def test_two_broken_criteria_fail(self, name: str, fact: str) -> None:
        """Two broken criteria leave 2 of 4: BANT fails; required=2 passes, required=1 too."""
        contact = broken(fact, "timeline")
        assert not fw.bant()(contact, at=AT)
        assert fw.bant(required=2)(contact, at=AT)
        assert not fw.bant(required=2)(broken("budget", "authority", "need"), at=AT)
        assert fw.bant(required=1)(broken("budget", "authority", "need"), at=AT)

    @pytest.mark.parametrize(("name", "fact"), ALL)
    def test_each_criterion_reads_its_documented_facts(self, name: str, fact: str) -> None:
        """With nothing recorded, each criterion asks for exactly its facts."""
        child = next(c for c in fw.bant().children if c.name == name)
        verdict = child.evaluate(pk.Contact(id="c-0", name="Nobody"), at=AT)
        assert verdict.unknown_facts() == ASKS[fact]

    def test_min_budget_is_inclusive_and_named(self) -> None:
        """``budget >= min_budget``: the minimum passes, a cent less fails."""
        q = fw.bant(min_budget=pk.Money("10000", "EUR"), required=4)
        assert q.children[0].description == "a budget of at least 10,000.00 EUR"
        assert q(attrs.evolve(FULL, budget=pk.Money("10000", "EUR")), at=AT)
        assert not q(attrs.evolve(FULL, budget=pk.Money("9999.99", "EUR")), at=AT)
        verdict = q.children[0].evaluate(pk.Contact(id="c-0", name="Nobody"), at=AT)
        assert verdict.unknown_facts() == ("budget",)

    def test_within_bounds_the_timeline(self) -> None:
        """The decision date counts up to ``within`` ahead, not beyond; the default is 180 days."""
        q = fw.bant(within=timedelta(days=30), required=4)
        assert q.children[3].description == "a decision date within the next 30 days"
        assert q(attrs.evolve(FULL, timeline=AT.date() + timedelta(days=29)), at=AT)
        assert not q(attrs.evolve(FULL, timeline=AT.date() + timedelta(days=31)), at=AT)
        default = fw.bant(required=4)
        assert default(attrs.evolve(FULL, timeline=AT.date() + timedelta(days=179)), at=AT)
        assert not default(attrs.evolve(FULL, timeline=AT.date() + timedelta(days=181)), at=AT)

    def test_authority_from_a_decision_maker_stakeholder(self) -> None:
        """Authority passes through a decision maker or an economic buyer, not a champion."""
        authority = fw.bant().children[1]
        maker = pk.Stakeholder(name="Kim", role=pk.Role.DECISION_MAKER)
        for stakeholders, expected in (((maker,), True), ((BUYER,), True), ((CHAMPION,), False)):
            contact = attrs.evolve(FULL, authority=None, stakeholders=stakeholders)
            assert authority(contact, at=AT) is expected

    def test_need_from_pains_alone(self) -> None:
        """Need passes on recorded pains without a stated need, or a stated need alone."""
        need = fw.bant().children[2]
        assert need(attrs.evolve(FULL, need=None, pains=("slow",)), at=AT)
        assert need(attrs.evolve(FULL, need="x", pains=()), at=AT)


class TestThreeLevel:
    LEVELS = (
        ("Organization level", ("industry", "size", "country")),
        ("Opportunity level", ("need", "budget", "timeline")),
        ("Stakeholder level", ("authority",)),
    )

    def test_levels_in_order(self) -> None:
        """Organization, opportunity and stakeholder levels, each of its criteria."""
        q = fw.three_level(ICP)
        assert q.name == "Three-level qualification"
        assert [c.name for c in q.children] == [name for name, _ in self.LEVELS]
        assert q.children[2].description == AUTHORITY
        assert fw.stakeholder_level().name == "Stakeholder level"

    @pytest.mark.parametrize(
        ("level", "fact"), [(level, fact) for level, facts in LEVELS for fact in facts]
    )
    def test_breaking_one_fact_fails_its_level(self, level: str, fact: str) -> None:
        """Every level must hold: one broken fact FAILs its level and the qualification."""
        q = fw.three_level(ICP)
        outcomes = child_outcomes(q, broken(fact))
        assert outcomes.pop(level) is EXPECTED.get(fact, Outcome.FAIL)
        assert set(outcomes.values()) == {Outcome.PASS}
        assert child_outcomes(fw.stakeholder_level(), FULL) != {}
        assert fw.three_level(ICP)(FULL, at=AT)

    def test_min_budget_and_within_reach_the_opportunity_level(self) -> None:
        """``min_budget`` and ``within`` are passed on to the opportunity level."""
        q = fw.three_level(ICP, min_budget=pk.Money("30000", "EUR"), within=timedelta(days=30))
        assert not q(FULL, at=AT)  # 25,000 EUR < 30,000 EUR, and 60 days > 30
        assert not q(attrs.evolve(FULL, budget=pk.Money("30000", "EUR")), at=AT)
        near = attrs.evolve(FULL, timeline=AT.date() + timedelta(days=10))
        assert not q(near, at=AT)
        assert q(attrs.evolve(near, budget=pk.Money("30000", "EUR")), at=AT)

    def test_stakeholder_level_reads_authority_and_stakeholders(self) -> None:
        """The stakeholder level asks for ``authority`` and ``stakeholders``."""
        verdict = fw.stakeholder_level().evaluate(pk.Contact(id="c-0", name="Nobody"), at=AT)
        assert verdict.unknown_facts() == ("authority", "stakeholders")


class TestMinBudgetAndWithinArePassedOn:
    @pytest.mark.parametrize(
        "make",
        [fw.champ, fw.anum, fw.faint, fw.gpctba_ci, fw.opportunity_level],
        ids=lambda f: f.__name__,
    )
    def test_min_budget(self, make: Callable[..., Qualifier]) -> None:
        """A budget below ``min_budget`` fails; at the minimum it passes."""
        q = make(min_budget=pk.Money("30000", "EUR"))
        assert not q(FULL, at=AT)
        assert q(attrs.evolve(FULL, budget=pk.Money("30000", "EUR")), at=AT)

    @pytest.mark.parametrize(
        "make", [fw.faint, fw.gpctba_ci, fw.opportunity_level], ids=lambda f: f.__name__
    )
    def test_within(self, make: Callable[..., Qualifier]) -> None:
        """A decision date beyond ``within`` fails; inside it passes."""
        q = make(within=timedelta(days=30))
        assert not q(FULL, at=AT)
        assert q(attrs.evolve(FULL, timeline=AT.date() + timedelta(days=20)), at=AT)


class TestSmallFrameworks:
    def test_pain(self) -> None:
        """Pain: a stated need or recorded pains."""
        assert fw.pain().name == "Pain"
        assert fw.pain()(FULL, at=AT)
        assert not fw.pain()(broken("need"), at=AT)

    def test_interest(self) -> None:
        """Interest: ``interest is True``; asks for ``interest`` when unknown."""
        q = fw.interest()
        assert (q.name, q.description) == ("Interest", "they want to solve it now")
        assert q(FULL, at=AT)
        assert not q(broken("interest"), at=AT)
        verdict = q.evaluate(pk.Contact(id="c-0", name="Nobody"), at=AT)
        assert verdict.unknown_facts() == ("interest",)

    @pytest.mark.parametrize("fact", ["industry", "size", "country"])
    def test_match_in_pain_interest_match(self, fact: str) -> None:
        """The match part of pain/interest/match FAILs on any profile criterion."""
        q = fw.pain_interest_match(ICP)
        outcomes = child_outcomes(q, broken(fact))
        assert outcomes == {"Pain": Outcome.PASS, "Interest": Outcome.PASS, "Match": Outcome.FAIL}


class TestIdealCustomerProfile:
    def test_size_bounds_are_inclusive(self) -> None:
        """Company size is ``min_employees <= employees <= max_employees``."""
        icp = fw.IdealCustomerProfile(min_employees=10, max_employees=20)
        assert [c.name for c in icp.criteria()] == ["Company size"]
        q = fw.match(icp)
        for employees, expected in ((9, False), (10, True), (20, True), (21, False)):
            contact = attrs.evolve(FULL, account=attrs.evolve(FULL.account, employees=employees))  # type: ignore[misc]
            assert q(contact, at=AT) is expected

    def test_revenue(self) -> None:
        """Revenue: ``account.annual_revenue >= min_revenue``."""
        icp = fw.IdealCustomerProfile(min_revenue=pk.Money("1000000", "EUR"))
        assert [c.name for c in icp.criteria()] == ["Revenue"]
        q = fw.match(icp)
        rich = attrs.evolve(FULL.account, annual_revenue=pk.Money("1000000", "EUR"))  # type: ignore[misc]
        poor = attrs.evolve(FULL.account, annual_revenue=pk.Money("999999", "EUR"))  # type: ignore[misc]
        assert q(attrs.evolve(FULL, account=rich), at=AT)
        assert not q(attrs.evolve(FULL, account=poor), at=AT)
        verdict = q.evaluate(pk.Contact(id="c-0", name="Nobody"), at=AT)
        assert verdict.unknown_facts() == ("account.annual_revenue",)

    def test_criteria_order(self) -> None:
        """Industry, Company size, Location, Revenue, in that order."""
        icp = fw.IdealCustomerProfile(
            industries={"software"},
            min_employees=1,
            countries={"DE"},
            min_revenue=pk.Money("1", "EUR"),
        )
        assert [c.name for c in icp.criteria()] == [
            "Industry",
            "Company size",
            "Location",
            "Revenue",
        ]


def message(make: Callable[[], object]) -> str:
    with pytest.raises(QualifierError) as info:
        make()
    return str(info.value)


class TestArgumentErrors:
    """Bad arguments are refused with a message naming the framework, argument and value."""

    def test_within(self) -> None:
        """A number gets the timedelta hint; anything else does not."""
        assert message(lambda: fw.bant(within=5)) == (  # type: ignore[arg-type]
            "bant: within must be a timedelta, got int 5 (did you mean timedelta(days=...)?)"
        )
        assert message(lambda: fw.bant(within="x")) == (  # type: ignore[arg-type]
            "bant: within must be a timedelta, got str 'x'"
        )

    def test_three_level_names_itself(self) -> None:
        """three_level checks its own ``min_budget`` and ``within`` under its own name."""
        icp = fw.IdealCustomerProfile(min_employees=1)
        assert message(lambda: fw.three_level(icp, min_budget=5)) == (  # type: ignore[arg-type]
            "three_level: min_budget must be Money (pk.Money('10000', 'EUR')) or None, got int 5"
        )
        assert message(lambda: fw.three_level(icp, within=5)).startswith(  # type: ignore[arg-type]
            "three_level: within must be a timedelta, got int 5"
        )

    def test_icp_and_variant(self) -> None:
        """A non-profile ``icp`` and an unknown MEDDIC variant show the value given."""
        assert message(lambda: fw.match("x")) == (  # type: ignore[arg-type]
            "match: icp must be a pk.frameworks.IdealCustomerProfile, got str 'x'"
        )
        assert message(lambda: fw.meddic("X")) == (  # type: ignore[arg-type]
            "meddic: variant must be 'MEDDIC', 'MEDDICC' or 'MEDDPICC', got 'X'"
        )

    def test_profile_names(self) -> None:
        """Industries and countries must be a collection of non-blank str."""
        assert message(lambda: fw.IdealCustomerProfile(industries=5)) == (  # type: ignore[arg-type]
            "industries must be a collection of str, got 5"
        )
        assert message(lambda: fw.IdealCustomerProfile(industries="ab")) == (
            "industries: expected a collection of str, got str 'ab' "
            "(a str is not a collection: wrap it, ['ab'])"
        )
        assert message(lambda: fw.IdealCustomerProfile(countries={3})) == (  # type: ignore[arg-type]
            "countries must hold non-blank str values, got 3"
        )

    def test_profile_without_criteria(self) -> None:
        """A profile that sets nothing cannot give criteria."""
        assert message(fw.IdealCustomerProfile().criteria) == (
            "the ideal customer profile sets no criterion"
        )

    def test_zero_employees_is_a_valid_bound(self) -> None:
        """``min_employees=0`` is allowed (``>= 0``)."""
        assert fw.IdealCustomerProfile(min_employees=0).min_employees == 0


class TestBudgetCriterion:
    def test_any_positive_amount_is_a_budget(self) -> None:
        """Without ``min_budget``, any amount above zero passes: 1 EUR and 1 cent too."""
        budget = fw.bant().children[0]
        for amount, expected in (("1", True), ("0.01", True), ("0", False)):
            assert budget(attrs.evolve(FULL, budget=pk.Money(amount, "EUR")), at=AT) is expected

    def test_min_budget_keeps_the_criterion_name(self) -> None:
        """With ``min_budget`` the criterion keeps its framework's name."""
        minimum = pk.Money("1", "EUR")
        assert fw.bant(min_budget=minimum).children[0].name == "Budget"
        assert fw.champ(min_budget=minimum).children[2].name == "Money"
        assert fw.faint(min_budget=minimum).children[0].name == "Funds"
