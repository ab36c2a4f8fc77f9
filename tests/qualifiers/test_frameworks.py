"""The ready-made frameworks, on realistic contacts."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

import pipelinekit as pk
from pipelinekit.qualifiers import Outcome, Qualifier
from tests.qualifiers.conftest import AT

fw = pk.frameworks
ICP = fw.IdealCustomerProfile(
    industries={"software", "fintech"}, min_employees=100, countries={"DE", "AT"}
)


ALL_FRAMEWORKS = (
    fw.bant(),
    fw.champ(),
    fw.anum(),
    fw.faint(),
    fw.meddic(),
    fw.meddic("MEDDICC"),
    fw.meddic("MEDDPICC"),
    fw.gpctba_ci(),
    fw.organization_level(ICP),
    fw.opportunity_level(),
    fw.stakeholder_level(),
    fw.three_level(ICP),
    fw.pain(),
    fw.interest(),
    fw.match(ICP),
    fw.pain_interest_match(ICP),
)


def outcome(q: Qualifier, contact: object) -> Outcome:
    result = q.evaluate(contact, at=AT).outcome
    assert q(contact, at=AT) is (result is Outcome.PASS)
    return result


def names(q: Qualifier) -> list[str | None]:
    return [child.name for child in q.children]


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
        self, q: Qualifier, name: str, criteria: list[str], acme_lead: pk.Contact
    ) -> None:
        """Each framework is a named tree; the well-qualified lead passes it."""
        assert q.name == name
        assert names(q) == criteria
        assert outcome(q, acme_lead) is Outcome.PASS

    @pytest.mark.parametrize("q", ALL_FRAMEWORKS, ids=lambda q: q.name)
    def test_empty_contact_is_unknown_not_fail(self, q: Qualifier) -> None:
        """Nobody asked yet: every framework says UNKNOWN and lists the questions.

        The contact is truly blank: no stakeholders recorded (the default ``()``) is not
        "no decision maker", so the stakeholder criteria ask about ``stakeholders``.
        """
        blank = pk.Contact(id="c-9", name="Nobody")
        verdict = q.evaluate(blank, at=AT)
        assert verdict.outcome is Outcome.UNKNOWN
        assert q(blank, at=AT) is False
        assert verdict.failures() == []
        missing = verdict.missing()
        assert missing
        reads_stakeholders = "stakeholders" in repr(q)
        assert ("stakeholders" in missing) is reads_stakeholders

    def test_meddic_blank_contact_names_stakeholders(self) -> None:
        """The audit's case: MEDDIC on a blank contact was FAIL with nothing missing."""
        verdict = fw.meddic().evaluate(pk.Contact(id="c", name="n"))
        assert verdict.outcome is Outcome.UNKNOWN
        assert verdict.missing() == (
            "facts.decision_criteria",
            "facts.decision_process",
            "facts.metrics",
            "need",
            "stakeholders",
        )


class TestBant:
    def test_three_of_four(self, acme_lead: pk.Contact) -> None:
        user_only = (pk.Stakeholder(name="U", role=pk.Role.USER),)
        no_authority = attrs.evolve(acme_lead, authority=False, stakeholders=user_only)
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
        assert verdict.missing() == ("authority", "budget.amount", "need", "stakeholders")

    def test_need_is_a_stated_need_or_recorded_pains(self) -> None:
        """Recorded pains satisfy Need; no need and no pains leaves it to discover."""
        need = fw.bant().children[2]
        assert need.name == "Need"
        with_pains = pk.Contact(id="c", name="n", pains=("month-end takes 5 days",))
        assert outcome(need, with_pains) is Outcome.PASS
        neither = pk.Contact(id="c", name="n")
        assert outcome(need, neither) is Outcome.UNKNOWN
        assert need.evaluate(neither).missing() == ("need",)
        with pytest.raises(pk.FieldValueError, match="need: must not be blank"):
            pk.Contact(id="c", name="n", need="  ")  # an untouched form field is no answer
        assert outcome(need, {"need": "  ", "pains": ()}) is Outcome.FAIL  # a raw row

    def test_extend_and_recombine(self, acme_lead: pk.Contact) -> None:
        bant = fw.bant()
        stricter = bant & fw.match(ICP)
        assert stricter.children == (bant, fw.match(ICP))
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
        with pytest.raises(pk.QualifierError, match="a str is not a collection"):
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


class TestTimeline:
    @pytest.mark.parametrize(
        ("q", "criterion"),
        [
            (fw.bant(), "Timeframe"),
            (fw.faint(), "Timing"),
            (fw.gpctba_ci(), "Timeline"),
            (fw.opportunity_level(), "Timeline"),
        ],
    )
    def test_past_decision_date_fails(
        self, q: Qualifier, criterion: str, acme_lead: pk.Contact
    ) -> None:
        """A decision date already past is not a timeline: the criterion FAILs."""
        (timeline,) = (c for c in q.children if c.name == criterion)
        past = attrs.evolve(acme_lead, timeline=AT.date() - timedelta(days=30))
        assert outcome(timeline, past) is Outcome.FAIL
        assert outcome(timeline, acme_lead) is Outcome.PASS
        assert "in the past" in str(timeline.evaluate(past, at=AT))

    def test_description_uses_the_delta_formatter(self) -> None:
        (timeline,) = (
            c for c in fw.bant(within=timedelta(hours=12)).children if c.name == "Timeframe"
        )
        assert timeline.description == "a decision date within the next 12:00:00"
        (timeline,) = (c for c in fw.bant().children if c.name == "Timeframe")
        assert timeline.description == "a decision date within the next 180 days"


class TestProfileValidation:
    @pytest.mark.parametrize(
        ("kwargs", "field_name", "problem"),
        [
            ({"min_employees": 200, "max_employees": 100}, "max_employees", "min_employees"),
            ({"min_employees": -1}, "min_employees", "int >= 0"),
            ({"max_employees": True}, "max_employees", "int >= 0"),
            ({"industries": [1, 2]}, "industries", "str"),
            ({"industries": ["software", " "]}, "industries", "non-blank"),
            ({"industries": []}, "industries", "must not be empty"),
            ({"countries": {"DE": 1}}, "countries", "collection of str"),
            ({"countries": 5}, "countries", "collection of str"),
            ({"countries": "DE"}, "countries", "a str is not a collection"),
        ],
    )
    def test_impossible_profiles_are_refused(
        self, kwargs: dict[str, object], field_name: str, problem: str
    ) -> None:
        """Errors name the field, and what was wrong with it."""
        with pytest.raises(pk.QualifierError, match=problem) as info:
            fw.IdealCustomerProfile(**kwargs)  # type: ignore[arg-type]
        assert str(info.value).startswith(field_name)

    def test_equal_bounds_are_fine(self) -> None:
        icp = fw.IdealCustomerProfile(min_employees=100, max_employees=100)
        assert outcome(fw.match(icp), {"account": {"employees": 100}}) is Outcome.PASS


_BUILDERS_WITH_WITHIN = ("bant", "faint", "gpctba_ci", "opportunity_level")
_BUILDERS_WITH_BUDGET = ("bant", "champ", "anum", "faint", "gpctba_ci", "opportunity_level")
_BUILDERS_WITH_ICP = ("organization_level", "match", "pain_interest_match", "three_level")


class TestBuilderArguments:
    """Every builder validates every argument, in the user's terms (issue 8, errors 5)."""

    @pytest.mark.parametrize("name", _BUILDERS_WITH_WITHIN)
    @pytest.mark.parametrize(
        ("within", "problem"),
        [
            (180, r"within must be a timedelta, got int 180 \(did you mean timedelta"),
            ("180 days", "within must be a timedelta, got str"),
            (None, "within must be a timedelta, got None"),
            (timedelta(days=-1), "within must not be negative, got -1 day"),
        ],
    )
    def test_within(self, name: str, within: object, problem: str) -> None:
        """``bant(within=180)`` was a bare AttributeError."""
        with pytest.raises(pk.QualifierError, match=rf"^{name}: {problem}"):
            getattr(fw, name)(within=within)

    @pytest.mark.parametrize("name", _BUILDERS_WITH_BUDGET)
    @pytest.mark.parametrize(
        ("min_budget", "problem"),
        [
            (10000, "min_budget must be Money .* got int 10000"),
            ("10000 EUR", "min_budget must be Money"),
            (pk.Money("-1", "EUR"), "min_budget must not be negative"),
        ],
    )
    def test_min_budget(self, name: str, min_budget: object, problem: str) -> None:
        with pytest.raises(pk.QualifierError, match=rf"^{name}: {problem}"):
            getattr(fw, name)(min_budget=min_budget)

    @pytest.mark.parametrize("name", _BUILDERS_WITH_ICP)
    @pytest.mark.parametrize("icp", [None, {"min_employees": 100}, "ICP"])
    def test_icp(self, name: str, icp: object) -> None:
        with pytest.raises(pk.QualifierError, match=rf"^{name}: icp must be a .*IdealCustomer"):
            getattr(fw, name)(icp)

    @pytest.mark.parametrize(
        ("required", "problem"),
        [
            (5, "required must be between 1 and 4, got 5"),
            (0, "required must be between 1 and 4, got 0"),
            (True, "required must be an int, got bool True"),
            (3.0, "required must be an int, got float 3.0"),
        ],
    )
    def test_bant_required(self, required: object, problem: str) -> None:
        """The message names ``bant`` and ``required``, not at_least's ``k``."""
        with pytest.raises(pk.QualifierError, match=rf"^bant: {problem}$"):
            fw.bant(required=required)  # type: ignore[arg-type]

    def test_meddic_variant(self) -> None:
        with pytest.raises(pk.QualifierError, match=r"^meddic: variant must be"):
            fw.meddic(None)  # type: ignore[arg-type]

    def test_good_arguments_still_build(self) -> None:
        """The boundaries are accepted: zero budget, a zero window, all four of BANT."""
        assert fw.bant(min_budget=pk.Money("0", "EUR"), within=timedelta(0), required=4).k == 4
        assert fw.bant(required=1).k == 1
