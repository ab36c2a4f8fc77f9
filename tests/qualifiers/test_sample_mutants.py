"""Behaviour pinned after the 2026-12-02 mutation sample (docs/quality.md).

Each class names what a surviving mutant showed untested: the ``at`` checks of a custom
qualifier's own ``evaluate`` and ``filter``, the exact text of a verdict with children (its
repr and its HTML), the refusal of ``bool(verdict)``, and the repr of ``weighted``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

import pipelinekit as pk
from pipelinekit.qualifiers import schema
from pipelinekit.qualifiers.core import check_at
from tests.qualifiers.test_custom import NOW, HasMeeting, MetRecently, _met


class TestCustomQualifierTime:
    """A custom qualifier's ``evaluate``, ``__call__`` and ``filter`` check ``at`` alike."""

    def test_evaluate_uses_the_time_given(self) -> None:
        assert MetRecently(7).evaluate(_met(), at=NOW).outcome is pk.Outcome.PASS
        assert (
            MetRecently(7).evaluate(_met(), at=NOW + timedelta(days=30)).outcome is pk.Outcome.FAIL
        )

    @pytest.mark.parametrize("method", ["evaluate", "filter", "call"])
    def test_a_naive_time_is_refused(self, method: str) -> None:
        naive = datetime(2026, 11, 22, 9, 30)
        q = HasMeeting()  # needs no time, but a time given must still be aware
        runs: dict[str, Callable[[], object]] = {
            "evaluate": lambda: q.evaluate(_met(), at=naive),
            "filter": lambda: q.filter([_met()], at=naive),
            "call": lambda: q(_met(), at=naive),
        }
        run = runs[method]
        with pytest.raises(pk.QualifierError, match="at must be timezone-aware, got naive"):
            run()

    def test_filter_keeps_the_passing_subjects_in_order(self) -> None:
        met, other = _met(), _met(meeting=False)
        assert HasMeeting().filter([other, met, other, met]) == [met, met]
        assert MetRecently(7).filter([met, other], at=NOW) == [met, other]  # 3 days ago
        assert MetRecently(2).filter([met, other], at=NOW) == []

    def test_filter_needs_the_time_a_check_needs(self) -> None:
        with pytest.raises(pk.QualifierError, match="pass at="):
            MetRecently(7).filter([_met()])
        assert MetRecently(7).filter([_met()], at=datetime(2026, 11, 20, tzinfo=UTC)) != []


Q = (pk.field("a") > 1).named("A") & (pk.field("b") == "x").named("B")
ROW = {"a": 2, "b": "y"}


class TestVerdictText:
    def test_repr_lists_the_children_separated_by_commas(self) -> None:
        assert repr(Q.evaluate(ROW)) == (
            "Verdict(outcome=<Outcome.FAIL: 'fail'>, label='(A) & (B)', "
            "reason='1 of 2 passed, 1 failed', children=("
            "Verdict(outcome=<Outcome.PASS: 'pass'>, label='A', reason='a 2 > 1', children=(), "
            "path='a', hint=None, negated=False, error=None, name='A'), "
            "Verdict(outcome=<Outcome.FAIL: 'fail'>, label='B', reason=\"b 'y' != 'x'\", "
            "children=(), path='b', hint=\"b == 'x'\", negated=False, error=None, name='B')), "
            "path=None, hint=None, negated=False, error=None, name=None)"
        )

    def test_html_nests_the_children_in_a_list(self) -> None:
        assert Q.evaluate(ROW)._repr_html_() == (
            "<ul style='list-style:none;padding-left:1em'><li><b style='color:#cf222e'>"
            "✗ FAIL</b> (A) &amp; (B) <span style='opacity:.75'>— 1 of 2 passed, 1 failed</span>"
            "<ul style='margin:0'><li><b style='color:#1a7f37'>✓ PASS</b> A "
            "<span style='opacity:.75'>— a 2 &gt; 1</span></li><li><b style='color:#cf222e'>"
            "✗ FAIL</b> B <span style='opacity:.75'>— b &#x27;y&#x27; != &#x27;x&#x27;</span> "
            "<em>(to pass: b == &#x27;x&#x27;)</em></li></ul></li></ul>"
        )

    def test_summary_names_the_missing_facts_after_the_label(self) -> None:
        q = Q & (pk.field("c") > 0).named("C")
        assert q.evaluate({"b": "x"}).summary() == "UNKNOWN (A) & (B) & (C); missing a, c"

    def test_a_verdict_is_not_a_bool(self) -> None:
        with pytest.raises(TypeError, match=r"three outcomes\); use verdict.passed or compare"):
            bool(Q.evaluate(ROW))


class TestWeightedRepr:
    def test_the_repr_is_the_call_that_builds_it(self) -> None:
        w = pk.weighted({pk.field("a") > 1: 2, pk.field("b") == "x": 1}, threshold=2)
        assert repr(w) == "weighted({field('a') > 1: 2, field('b') == 'x': 1}, threshold=2)"
        assert eval(repr(w), {"weighted": pk.weighted, "field": pk.field}) == w  # noqa: S307


class TestMembershipRepr:
    """``is_in`` and ``not_in`` write their own method names (sample 2027)."""

    @pytest.mark.parametrize(
        ("q", "text"),
        [
            (pk.field("country").is_in({"be", "fr"}), "field('country').is_in({'be', 'fr'})"),
            (pk.field("country").not_in({"fr", "be"}), "field('country').not_in({'be', 'fr'})"),
            (pk.field("country").not_in(()), "field('country').not_in(())"),
        ],
        ids=["is_in", "not_in", "not_in-empty"],
    )
    def test_the_repr_reads_back(self, q: pk.Qualifier, text: str) -> None:
        assert repr(q) == text
        assert eval(text, {"field": pk.field}) == q  # noqa: S307 (our own text)


class TestTimeRefusalWithoutRules:
    """``check_at`` without a tree to name (private: every public caller passes its tree)."""

    def test_the_refusal_lists_the_time_relative_checks_there_are(self) -> None:
        with pytest.raises(pk.QualifierError) as info:
            check_at(None, needs_time=True)
        assert str(info.value) == (
            "this qualifier has a time-relative check (within, within_next, within_last or"
            " older_than): pass at=<timezone-aware datetime> to say when 'now' is"
        )


class TestPossessiveRepeats:
    """A possessive quantifier (Python 3.11+) counts as a repeat in the regex safety check.

    Conservative: nesting one in another repeat is refused like any nested quantifier
    (sample 2027: the possessive opcode was not looked up).
    """

    @pytest.mark.parametrize("pattern", ["(a++)+", "(?:a*+)*", "(?:a+)++"])
    def test_nested_possessive_quantifiers_are_refused(self, pattern: str) -> None:
        with pytest.raises(pk.QualifierError, match="nested quantifiers"):
            pk.field("x").matches(pattern)

    def test_a_single_possessive_quantifier_is_fine(self) -> None:
        assert repr(pk.field("x").matches("a++b")) == "field('x').matches('a++b')"


class _Odd:
    def __repr__(self) -> str:
        return "Odd()"


class TestValueRefusal:
    def test_the_refusal_shows_the_value(self) -> None:
        with pytest.raises(pk.QualifierError) as info:
            pk.field("x") == _Odd()  # noqa: B015
        assert str(info.value) == (
            "value must be a str, int, float, bool, Decimal, Money, date or datetime,"
            " got _Odd Odd()"
        )


class TestAtLeastRefusal:
    @pytest.mark.parametrize(("k", "shown"), [(5, "5"), (0, "0")])
    def test_k_out_of_range_is_shown(self, k: int, shown: str) -> None:
        with pytest.raises(pk.QualifierError) as info:
            pk.at_least(k, pk.field("a") == 1, pk.field("b") == 1)
        assert str(info.value) == f"at_least: k must be between 1 and 2, got {shown}"


class TestCutOneTuples:
    """A one-item tuple whose item no longer fits is shown ``(…)``, not ``(…,)`` (2027)."""

    def test_deeply_nested_one_tuples(self) -> None:
        value: object = "y" * 100
        for _ in range(9):
            value = (value,)
        verdict = pk.field("t").is_known().evaluate({"t": value})
        assert verdict.reason == "t is known: (((((((((…),),),),),),),),)"


class TestUncheckableLeafPath:
    """A leaf that cannot check its value still names the field it read (sample 2027)."""

    def test_the_path_of_an_uncheckable_value(self) -> None:
        verdict = (pk.field("account.size") > 5).evaluate({"account": {"size": "abc"}})
        assert verdict.outcome is pk.Outcome.UNKNOWN
        assert verdict.path == "account.size"
        assert verdict.error == "TypeError: str is not comparable with int"


class _Words:
    """A value of a caller's own type whose repr is a run of words."""

    def __repr__(self) -> str:
        return "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"


AT = datetime(2026, 11, 22, 12, tzinfo=UTC)


class TestSample2029:
    """Behaviour pinned after the 2029 mutation sample: whole texts, kinds and fast paths."""

    def test_a_long_repr_is_cut_after_its_last_whole_word(self) -> None:
        """A long repr of a caller's value is cut at the last word boundary that fits."""
        verdict = pk.field("t").is_known().evaluate({"t": _Words()})
        assert verdict.reason == (
            "t is known: alpha beta gamma delta epsilon zeta eta theta iota kappa…"
        )

    def test_text_whose_first_character_does_not_fit_is_left_out(self) -> None:
        """Text whose very first character is too long to show is elided, not shown ``''``."""
        value: object = "\U000f0000" * 20  # repr: '\U000f0000', 12 characters each
        for _ in range(8):
            value = (value,)
        verdict = pk.field("t").is_known().evaluate({"t": value})
        assert verdict.reason == "t is known: ((((((((…),),),),),),),)"

    def test_a_fraction_is_a_number(self) -> None:
        """A ``Fraction`` compares with numbers, as any real number does."""
        row = {"x": Fraction(3, 2)}
        assert (pk.field("x") > 1).evaluate(row).reason == "x Fraction(3, 2) > 1"
        assert (pk.field("x") == 1.5).evaluate(row).outcome is pk.Outcome.PASS
        assert pk.field("x").is_in({1.5, 2}).evaluate(row).outcome is pk.Outcome.PASS

    def test_a_failed_within_shows_the_value(self) -> None:
        """``within`` failing shows the time it read."""
        q = pk.field("t").within(timedelta(days=1))
        verdict = q.evaluate({"t": AT - timedelta(days=3)}, at=AT)
        assert verdict.reason == "t 2026-11-19T12:00:00+00:00 is more than 1 day from now"

    def test_a_failed_older_than_shows_the_value(self) -> None:
        """``older_than`` failing shows the time it read."""
        q = pk.field("t").older_than(timedelta(days=7))
        verdict = q.evaluate({"t": AT - timedelta(days=3)}, at=AT)
        assert verdict.reason == "t 2026-11-19T12:00:00+00:00 is not older than 7 days"

    def test_a_kind_without_a_reader_is_named(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The import-time check names a node kind the qualifier format cannot read."""
        # A copy without it: deleting from the real table and putting back would move the
        # kind to the end, and the order is the one of every "unknown kind" message.
        readers = {kind: r for kind, r in schema._READERS.items() if kind != "matches"}
        monkeypatch.setattr(schema, "_READERS", readers)
        with pytest.raises(TypeError) as info:
            schema._check_readers()
        assert str(info.value) == "the qualifier format has no reader or field schema for matches"

    def test_undecided_looks_past_a_decided_child(self) -> None:
        """An undecided leaf after a passing sibling is still listed."""
        verdict = ((pk.field("x") > 1) & (pk.field("y") > 1)).evaluate({"x": 2, "y": "abc"})
        assert verdict.outcome is pk.Outcome.UNKNOWN
        assert [(u.path, u.error) for u in verdict.undecided()] == [
            ("y", "TypeError: str is not comparable with int")
        ]

    def test_undecided_lists_each_reason_once(self) -> None:
        """Two undecided leaves with the same reason are listed once, the first of them."""
        q = (pk.field("y") > 1).named("A") & (pk.field("y") > 1).named("B")
        undecided = q.evaluate({"y": "abc"}).undecided()
        assert [u.label for u in undecided] == ["A"]
        assert undecided[0].reason == (
            "y 'abc' cannot be checked (TypeError: str is not comparable with int)"
        )

    def test_a_custom_check_missing_its_time_is_named(self) -> None:
        """``evaluate`` of a custom time-relative check without ``at`` names the check."""
        with pytest.raises(pk.QualifierError) as info:
            MetRecently(7).evaluate(_met())
        assert str(info.value) == (
            "this qualifier has a time-relative check (met in the last 7 days): pass"
            " at=<timezone-aware datetime> to say when 'now' is"
        )

    def test_contains_on_an_entitys_mapping_is_undecided(self) -> None:
        """``contains`` on a Contact's ``facts`` (a mapping) is UNKNOWN on the fast path too."""
        contact = pk.Contact(id="c-1", name="Jane", facts={"x": 1})
        q = pk.field("facts").contains("x")
        assert q(contact) is False
        assert (~q)(contact) is False
        assert q.filter([contact]) == []
        verdict = q.evaluate(contact)
        assert verdict.outcome is pk.Outcome.UNKNOWN
        assert verdict.error == "TypeError: mappingproxy is a mapping, not a collection"

    def test_the_repr_of_is_empty(self) -> None:
        """``is_empty`` and ``is_not_empty`` read back as they were built."""
        assert repr(pk.field("pains").is_empty()) == "field('pains').is_empty()"
        assert repr(pk.field("pains").is_not_empty()) == "field('pains').is_not_empty()"

    def test_a_negative_delta_is_shown(self) -> None:
        """A time rule's negative delta is refused, showing it."""
        with pytest.raises(pk.QualifierError) as info:
            pk.field("t").within(timedelta(days=-1))
        assert str(info.value) == (
            "delta must be a timedelta >= 0, got datetime.timedelta(days=-1)"
        )

    def test_a_pattern_nested_too_deep_is_shown(self) -> None:
        """A pattern with groups nested past the limit is refused, showing (the start of) it."""
        with pytest.raises(pk.QualifierError) as info:
            pk.field("t").matches("(" * 51 + "a" + ")" * 51)
        assert str(info.value) == (
            "bad regular expression '(((((((((((((((((...))))))))))))))))))': groups nested"
            " deeper than 50 levels"
        )


class TestSample2030:
    """Survivors of the 2030 sample (decided before these tests were written)."""

    # composites.Weighted.__attrs_post_init__ #5: a bad threshold is named, whole.
    def test_a_bad_weighted_threshold_is_named(self) -> None:
        with pytest.raises(pk.QualifierError) as info:
            pk.weighted({pk.field("a").is_known(): 1}, threshold=-1)
        assert str(info.value) == (
            "weighted: threshold must be positive, finite and at most 10**15, got -1"
        )

    # leaves._check_pattern #3: a pattern that is no str is refused, shown.
    def test_a_pattern_that_is_no_text_is_shown(self) -> None:
        with pytest.raises(pk.QualifierError) as info:
            pk.field("t").matches(5)  # type: ignore[arg-type]
        assert str(info.value) == "matches() takes a str pattern, got 5"

    # composites.AnyOf.explain #14: an undecided any-of says what would pass it.
    def test_an_undecided_any_of_hints_its_criteria(self) -> None:
        verdict = ((pk.field("a") == 1) | (pk.field("b") == 2)).evaluate({"a": 3})
        assert verdict.outcome is pk.Outcome.UNKNOWN
        assert verdict.hint == "any of: a == 1, b == 2"

    # leaves.IsIn.comparable #7: a value of another kind than the set's is undecided.
    def test_is_in_with_a_value_of_another_kind_says_why(self) -> None:
        verdict = pk.field("x").is_in({1, 2}).evaluate({"x": "a"})
        assert verdict.outcome is pk.Outcome.UNKNOWN
        assert verdict.error == "TypeError: str is not comparable with int"
