"""The ready-made frameworks, on realistic contacts."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

import pipelinekit as pk
from pipelinekit.qualifiers import Node, Outcome
from tests.qualifiers.conftest import AT

fw = pk.frameworks
ICP = fw.IdealCustomerProfile(
    industries={"software", "fintech"}, min_employees=100, countries={"DE", "AT"}
)


def outcome(q: Node, contact: object) -> Outcome:
    result = q.evaluate(contact, at=AT).outcome
    assert q(contact, at=AT) is (result is Outcome.PASS)
    return result


def names(q: Node) -> list[str | None]:
    return [child.name for child in q.subqualifiers()]


class TestEveryFramework:
    @pytest.mark.parametrize(
        ("q", "name", "criteria"),
        [
            (fw.bant(), "BANT", ["Budget", "Authority", "Need", "Timeframe"]),
            (fw.champ(), "CHAMP", ["Challenges", "Authority", "Money", "Prioritization"]),
            (fw.anum(), "ANUM", ["Authority", "Need", "Urgency", "Money"]),
            (fw.faint(), "FAINT", ["Funds", "Authority", "Interest", "Need", "Timing"]),
            (
                fw.meddic(),
                "MEDDIC",
                [
                    "Metrics",
                    "Economic buyer",
                    "Decision criteria",
                    "Decision process",
                    "Identify pain",
                    "Champion",
                ],
            ),
            (
                fw.gpctba_ci(),
                "GPCTBA/C&I",
                [
                    "Goals",
                    "Plans",
                    "Challenges",
                    "Timeline",
                    "Budget",
                    "Authority",
                    "Negative consequences",
                    "Positive implications",
                ],
            ),
            (
                fw.three_level(ICP),
                "Three-level qualification",
                ["Organization level", "Opportunity level", "Stakeholder level"],
            ),
            (fw.pain_interest_match(ICP), "Pain, interest, match", ["Pain", "Interest", "Match"]),
        ],
    )
    def test_named_tree(
        self, q: Node, name: str, criteria: list[str], acme_lead: pk.Contact
    ) -> None:
        """Each framework is a named tree; the well-qualified lead passes it."""
        assert q.name == name
        assert names(q) == criteria
        assert outcome(q, acme_lead) is Outcome.PASS

    def test_empty_contact_is_unknown_not_fail(self) -> None:
        """Nobody asked yet: every framework says UNKNOWN and lists the questions."""
        blank = pk.Contact(id="c-9", name="Nobody", stakeholders=(pk.Stakeholder(name="X"),))
        for q in (
            fw.bant(),
            fw.faint(),
            fw.champ(),
            fw.anum(),
            fw.gpctba_ci(),
            fw.three_level(ICP),
        ):
            verdict = q.evaluate(blank, at=AT)
            assert verdict.outcome is Outcome.UNKNOWN, q.name
            assert verdict.missing()


class TestBant:
    def test_three_of_four(self, acme_lead: pk.Contact) -> None:
        no_authority = attrs.evolve(acme_lead, authority=False, stakeholders=())
        assert outcome(fw.bant(), no_authority) is Outcome.PASS
        assert outcome(fw.bant(required=4), no_authority) is Outcome.FAIL
        poor = attrs.evolve(no_authority, budget=pk.Money("500", "EUR"))
        assert outcome(fw.bant(min_budget=pk.Money("10000", "EUR")), poor) is Outcome.FAIL

    def test_explains_in_its_own_words(self, tiny_lead: pk.Contact) -> None:
        """One of four failed, three unknown: still UNKNOWN under the 3-of-4 rule."""
        verdict = fw.bant(within=timedelta(days=90)).evaluate(tiny_lead, at=AT)
        assert verdict.outcome is Outcome.UNKNOWN
        assert str(verdict).startswith("? BANT — 0 of 4 passed, 1 failed, 3 unknown (needs 3)")
        assert [c.label for c in verdict.children if c.outcome is Outcome.FAIL] == ["Timeframe"]
        assert verdict.missing() == ("authority", "budget.amount", "need")

    def test_need_is_a_stated_need_or_recorded_pains(self) -> None:
        """Recorded pains satisfy Need; no need and no pains leaves it to discover."""
        need = fw.bant().children[2]
        assert need.name == "Need"
        with_pains = pk.Contact(id="c", name="n", pains=("month-end takes 5 days",))
        assert outcome(need, with_pains) is Outcome.PASS
        neither = pk.Contact(id="c", name="n")
        assert outcome(need, neither) is Outcome.UNKNOWN
        assert need.evaluate(neither).missing() == ("need",)
        blank = pk.Contact(id="c", name="n", need="  ")
        assert outcome(need, blank) is Outcome.FAIL

    def test_extend_and_recombine(self, acme_lead: pk.Contact) -> None:
        bant = fw.bant()
        stricter = bant & fw.match(ICP)
        assert stricter.subqualifiers() == (bant, fw.match(ICP))
        assert outcome(stricter, acme_lead) is Outcome.PASS


class TestMeddic:
    def test_variants(self, acme_lead: pk.Contact) -> None:
        assert names(fw.meddic("MEDDICC"))[-1] == "Competition"
        assert "Paper process" in names(fw.meddic("MEDDPICC"))
        no_paper = attrs.evolve(
            acme_lead, facts={k: v for k, v in acme_lead.facts.items() if k != "paper_process"}
        )
        assert outcome(fw.meddic("MEDDICC"), no_paper) is Outcome.PASS
        verdict = fw.meddic("MEDDPICC").evaluate(no_paper, at=AT)
        assert verdict.missing() == ("facts.paper_process",)
        with pytest.raises(pk.QualifierError):
            fw.meddic("MEDDXC")  # type: ignore[arg-type]


class TestThreeLevel:
    def test_seed_case_is_no_match(self, tiny_lead: pk.Contact) -> None:
        """A 3-person company is no match for a product built for 100+ employees."""
        match = fw.match(fw.IdealCustomerProfile(min_employees=100))
        verdict = match.evaluate(tiny_lead)
        assert verdict.outcome is Outcome.FAIL
        assert verdict.failures()[0].reason == "account.employees 3 < 100"

    def test_levels(self, acme_lead: pk.Contact, tiny_lead: pk.Contact) -> None:
        assert outcome(fw.organization_level(ICP), tiny_lead) is Outcome.FAIL
        assert outcome(fw.opportunity_level(), tiny_lead) is Outcome.FAIL  # timeline too far
        assert outcome(fw.stakeholder_level(), tiny_lead) is Outcome.UNKNOWN
        assert (
            outcome(fw.stakeholder_level(), attrs.evolve(acme_lead, authority=None)) is Outcome.PASS
        )

    def test_profile_validation(self) -> None:
        with pytest.raises(pk.QualifierError, match="no criterion"):
            fw.organization_level(fw.IdealCustomerProfile())
        with pytest.raises(pk.QualifierError, match="not one str"):
            fw.IdealCustomerProfile(industries="software")
        with pytest.raises(pk.QualifierError, match="Money"):
            fw.bant(min_budget=10000)  # type: ignore[arg-type]
        with pytest.raises(pk.QualifierError, match="int >= 0"):
            fw.IdealCustomerProfile(min_employees="100")  # type: ignore[arg-type]
        with pytest.raises(pk.QualifierError, match="Money"):
            fw.IdealCustomerProfile(min_revenue=5)  # type: ignore[arg-type]

    def test_pain_interest(self, acme_lead: pk.Contact, tiny_lead: pk.Contact) -> None:
        assert outcome(fw.pain(), acme_lead) is Outcome.PASS
        assert outcome(fw.interest(), tiny_lead) is Outcome.UNKNOWN
