"""Explanation text and the views of a verdict (issue 8: errors 6 and 11, the verdict API)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.lifecycle.results import BulkResult
from pipelinekit.qualifiers import Node, Outcome
from pipelinekit.qualifiers.core import MAX_VALUE_TEXT, format_value
from tests.qualifiers.conftest import AT

fw = pk.frameworks


class TestValueText:
    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (("x", 1), "('x', 1)"),
            ((), "()"),
            (("x",), "('x',)"),
            ([1, "x"], "[1, 'x']"),
            ([], "[]"),
            (frozenset({"b", "a"}), "{'a', 'b'}"),
            (frozenset(), "{}"),
            ((1, (2, 3)), "(1, (2, 3))"),
        ],
    )
    def test_collections_read_as_what_they_are(self, value: object, text: str) -> None:
        """Tuples rendered as sets, and ``()`` as ``{}``."""
        assert format_value(value) == text

    def test_tuple_value_in_a_reason(self) -> None:
        q = pk.field("a") == 1
        assert (
            q.evaluate({"a": ()}).reason
            == "a () cannot be checked (TypeError: tuple is not comparable with int)"
        )
        verdict = pk.field("a").contains("z").evaluate({"a": ("x", "y")})
        assert verdict.reason == "a ('x', 'y') does not contain 'z'"

    def test_no_cut_in_the_middle_of_a_name(self) -> None:
        """``<class 'pipelineki...esults.BulkResult'>`` is now ``<class BulkResult>``."""
        assert format_value(BulkResult) == "<class BulkResult>"
        verdict = pk.field("a").is_not_empty().evaluate({"a": BulkResult})
        assert "<class BulkResult>" in verdict.reason

    def test_no_memory_address(self) -> None:
        class Thing:
            pass

        text = format_value(Thing())
        assert text == "<Thing object>"
        assert "0x" not in str((pk.field("a") == 1).evaluate({"a": Thing()}))

    def test_long_text_is_cut_at_a_word(self) -> None:
        text = format_value("budget approved by the board " * 5)
        assert text.endswith("'…")
        assert text[:-2].endswith("board") or text[:-2].endswith(" the")  # a whole word
        assert len(text) <= MAX_VALUE_TEXT

    def test_long_collection_is_cut_at_an_item(self) -> None:
        assert format_value(tuple(range(20))) == "(0, 1, 2, 3, 4, 5, …)"
        assert format_value(("a" * 30, "b" * 30)) == f"('{'a' * 30}', …)"
        assert format_value(["x" * 100]).startswith("['xxx")

    @given(
        st.recursive(
            st.one_of(st.text(max_size=80), st.integers(), st.none()),
            lambda inner: st.one_of(
                st.lists(inner, max_size=8).map(tuple),
                st.lists(inner, max_size=8),
                st.frozensets(st.integers(), max_size=8),
            ),
            max_leaves=20,
        )
    )
    @example(("x" * 200,))
    @example(["y" * 61])
    def test_bounded(self, value: Any) -> None:
        """Whatever the value, its text stays within the limit (plus the closing bracket)."""
        assert len(format_value(value)) <= MAX_VALUE_TEXT + 2


class TestNegationText:
    def test_failing_negation_shows_the_value(self) -> None:
        q = ~(pk.field("account.industry") == "gambling")
        verdict = q.evaluate({"account": {"industry": "gambling"}})
        assert verdict.outcome is Outcome.FAIL
        assert verdict.reason == (
            "not: the inner check passed (account.industry 'gambling' == 'gambling')"
        )
        assert verdict.hint == "not account.industry == 'gambling'"
        assert "'gambling' == 'gambling'" in verdict.summary()

    def test_passing_and_unknown_negation(self) -> None:
        q = ~(pk.field("a") == 1)
        assert q.evaluate({"a": 2}).reason == "not: the inner check failed (a 2 != 1)"
        assert q.evaluate({}).reason == "not: the inner check is unknown"


class TestBlankText:
    def test_blank_need(self) -> None:
        """``need '': not need matches /\\S/`` read as nonsense."""
        leaf = pk.field("need").matches(r"\S")
        assert leaf.evaluate({"need": ""}).reason == "need is blank"
        assert leaf.evaluate({"need": "  "}).reason == "need is blank ('  ')"
        assert leaf.evaluate({"need": "x"}).reason == "need 'x' matches /\\S/"
        assert pk.field("t").matches("^a", ignore_case=True).evaluate({"t": "b"}).reason == (
            "t 'b' does not match /^a/i"
        )

    def test_in_a_framework(self) -> None:
        verdict = fw.meddic().evaluate({"facts": {"metrics": ""}})
        (metrics,) = (v for v in verdict.criteria() if v.name == "Metrics")
        assert metrics.reason == "facts.metrics is blank"


class TestTimeError:
    @pytest.mark.parametrize(
        "run",
        [
            lambda q, s: q(s),
            lambda q, s: q.evaluate(s),
            lambda q, s: q.filter([s]),
        ],
        ids=["call", "evaluate", "filter"],
    )
    @pytest.mark.parametrize("subject", [{}, pk.Contact(id="c", name="n")], ids=["dict", "contact"])
    def test_names_the_rule_used(self, run: Any, subject: object) -> None:
        """The error named only ``within / older_than``, whatever the rule was."""
        q = pk.field("timeline").within_next(timedelta(days=90)) & (pk.field("a") == 1)
        with pytest.raises(pk.QualifierError, match=r"\(timeline within the next 90 days\)"):
            run(q, subject)

    def test_named_rules_and_several(self) -> None:
        with pytest.raises(pk.QualifierError, match=r"\(Timeframe: timeline within the next"):
            fw.bant().evaluate({})
        q = pk.field("a").older_than(timedelta(days=3)) | pk.field("b").within_last(
            timedelta(days=1)
        )
        with pytest.raises(
            pk.QualifierError, match=r"\(a older than 3 days; b within the last 1 day\)"
        ):
            q({})


class TestUndecidedSummary:
    def test_naive_datetime_says_why(self) -> None:
        """An UNKNOWN from a value that cannot be compared says so in the summary."""
        q = pk.field("when").within(timedelta(days=3)).named("Recent")
        verdict = q.evaluate({"when": datetime(2026, 11, 21)}, at=AT)  # naive, as pandas gives
        assert verdict.outcome is Outcome.UNKNOWN
        assert verdict.missing() == ()
        summary = verdict.summary()
        assert summary.startswith("UNKNOWN Recent; undecided: when 2026-11-21T00:00:00 cannot be")
        assert "offset-naive" in summary
        assert verdict.undecided() == [verdict]

    def test_missing_and_undecided_together(self) -> None:
        q = (pk.field("a") == 1) & (pk.field("b") == 1)
        summary = q.evaluate({"b": "1"}).summary()
        assert summary.endswith(
            "; missing a; undecided: b '1' cannot be checked (TypeError: str is not comparable"
            " with int)"
        )

    def test_decided_verdicts_list_no_undecided(self) -> None:
        q = (pk.field("a") == 1) & (pk.field("b") == 1)
        assert q.evaluate({"a": 2, "b": "1"}).summary() == "FAIL (a == 1) & (b == 1): a 2 != 1"


class TestCriteria:
    def test_meddic_summary_names_champion(self, acme_lead: pk.Contact) -> None:
        """A MEDDIC summary says "Champion", not a stakeholder's role path."""
        lead = acme_lead.__class__(
            id="c-9", name="Sam", stakeholders=(pk.Stakeholder(name="Max", role=pk.Role.USER),)
        )
        verdict = fw.meddic().evaluate(lead)
        assert verdict.outcome is Outcome.FAIL
        assert [v.name for v in verdict.failures(named=True)] == ["Economic buyer", "Champion"]
        assert "Champion: 0 of 1 stakeholders passed" in verdict.summary()
        assert [v.path for v in verdict.failures()] == ["stakeholders[0].role"] * 2

    def test_criteria_of_bant(self, acme_lead: pk.Contact) -> None:
        verdict = fw.bant().evaluate(acme_lead, at=AT)
        assert [v.name for v in verdict.criteria()] == ["Budget", "Authority", "Need", "Timeframe"]
        assert all(v.outcome is Outcome.PASS for v in verdict.criteria())

    def test_innermost_named_and_combined(self, acme_lead: pk.Contact) -> None:
        icp = fw.match(fw.IdealCustomerProfile(min_employees=10, industries={"software"}))
        verdict = (fw.bant() & icp).evaluate(acme_lead, at=AT)
        names = [v.name for v in verdict.criteria()]
        assert names == ["Budget", "Authority", "Need", "Timeframe", "Industry", "Company size"]

    def test_named_item_checks_are_not_entered(self) -> None:
        inner = (pk.field("role") == "champion").named("Role")
        q = pk.any_item("people", inner).named("Champion") & (pk.field("a") == 1)
        verdict = q.evaluate({"people": [{"role": "user"}], "a": 2})
        assert [v.name for v in verdict.criteria()] == ["Champion"]
        assert [v.label for v in verdict.failures(named=True)] == ["Champion", "a == 1"]

    def test_unnamed_tree_has_no_criteria(self) -> None:
        assert ((pk.field("a") == 1) & (pk.field("b") == 1)).evaluate({}).criteria() == ()
        named = (pk.field("a") == 1).named("A")
        assert named.evaluate({}).criteria() == (named.evaluate({}),)

    def test_name_survives_documents_and_pickles(self) -> None:
        import pickle  # noqa: PLC0415  # only here

        verdict = fw.meddic().evaluate({})
        assert pk.from_dict(pk.to_dict(verdict), pk.Verdict) == verdict
        assert pickle.loads(pickle.dumps(verdict)) == verdict  # our own bytes
        assert pk.to_dict(verdict)["name"] == "MEDDIC"

    def test_documents_without_name_still_load(self) -> None:
        doc = pk.to_dict((pk.field("a") == 1).named("A").evaluate({"a": 1}))
        del doc["name"]
        loaded = pk.from_dict(doc, pk.Verdict)
        assert loaded.name is None
        assert loaded.label == "A"


class TestUnknownFacts:
    def test_meddic_lists_every_unknown_after_a_fail(self) -> None:
        """``missing()`` is empty once anything FAILs; ``unknown_facts()`` is not."""
        verdict = fw.meddic().evaluate({"facts": {"metrics": ""}})
        assert verdict.outcome is Outcome.FAIL
        assert verdict.missing() == ()
        assert verdict.unknown_facts() == (
            "facts.decision_criteria",
            "facts.decision_process",
            "need",
            "pains",
            "stakeholders",
        )

    def test_present_but_unchecked_is_not_unknown_fact(self) -> None:
        q = (pk.field("a") == 1) | (pk.field("b") == 1) | (pk.field("c") == 1)
        verdict = q.evaluate({"a": 1, "b": "x"})
        assert verdict.outcome is Outcome.PASS
        assert verdict.unknown_facts() == ("c",)
        assert verdict.missing() == ()

    @given(st.sampled_from([{}, {"a": 1}, {"a": 2, "b": None}, {"a": 2, "c": 1}]))
    def test_contains_missing(self, subject: dict[str, Any]) -> None:
        """``missing()`` is always a part of ``unknown_facts()``."""
        q: Node = pk.at_least(2, pk.field("a") == 1, pk.field("b") == 1, pk.field("c") == 1)
        verdict = q.evaluate(subject)
        assert set(verdict.missing()) <= set(verdict.unknown_facts())


class TestPipelineUsesUnknownFacts:
    NOW = datetime(2026, 11, 22, tzinfo=UTC)

    def _pipeline(self) -> pk.Pipeline:
        return pk.Pipeline(guards={"qualify": fw.meddic()})

    def test_transition_blocked_lists_unknown_facts(self) -> None:
        contact = pk.Contact(id="c", name="n", facts={"metrics": " "})
        with pytest.raises(pk.TransitionBlocked) as info:
            self._pipeline().advance(contact, "qualify", at=self.NOW)
        message = str(info.value)
        assert "Metrics: facts.metrics is blank (' ')" in message
        assert message.endswith(
            "; also unknown: facts.decision_criteria, facts.decision_process, need, stakeholders"
        )

    def test_next_action_lists_unknown_facts_after_a_fail(self) -> None:
        contact = pk.Contact(id="c", name="n", facts={"metrics": " "})
        action = self._pipeline().next_action(contact, at=self.NOW)
        assert action.missing == (
            "facts.decision_criteria",
            "facts.decision_process",
            "need",
            "stakeholders",
        )
        assert "still unknown: facts.decision_criteria" in action.reason

    def test_next_action_discover(self) -> None:
        contact = pk.Contact(id="c", name="n", timeline=date(2026, 12, 1))
        action = pk.Pipeline(guards={"qualify": fw.bant()}).next_action(contact, at=self.NOW)
        assert action.action == "discover"
        assert action.missing == ("authority", "budget.amount", "need", "stakeholders")
