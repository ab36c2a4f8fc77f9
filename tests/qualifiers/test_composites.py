"""Composites, operators, names, text forms and explanations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import pipelinekit as pk
from pipelinekit.qualifiers import AllOf, Not, Outcome

a = pk.field("a") == 1
b = pk.field("b") == 1
c = pk.field("c") == 1


class TestOperators:
    def test_and_or_not_build_nodes(self) -> None:
        assert a & b == pk.all_of(a, b)
        assert a | b == pk.any_of(a, b)
        assert type(~a) is Not
        assert ~~a == a

    def test_non_qualifier_operand(self) -> None:
        with pytest.raises(TypeError):
            a & True
        with pytest.raises(TypeError):
            1 | a  # type: ignore[operator]
        assert a.__and__(3) is NotImplemented

    def test_bool_refuses(self) -> None:
        with pytest.raises(TypeError, match=r"& \(and\)"):
            a and b  # noqa: B018
        with pytest.raises(TypeError, match=r"\.evaluate"):
            bool(a)

    def test_named_children_are_not_flattened(self) -> None:
        named = (a & b).named("AB")
        assert pk.all_of(named, c).children == (named, c)
        assert ~~named == named

    def test_single_child_is_the_child(self) -> None:
        assert pk.all_of(a) == a
        assert pk.any_of(a, a) == a

    def test_factories_validate(self) -> None:
        with pytest.raises(pk.QualifierError, match="at least one"):
            pk.all_of()
        with pytest.raises(pk.QualifierError, match="did you mean"):
            pk.all_of(a, True)  # type: ignore[arg-type]
        with pytest.raises(pk.QualifierError, match="between 1 and 2"):
            pk.at_least(3, a, b)
        with pytest.raises(pk.QualifierError, match="exceeds"):
            pk.weighted({a: 1, b: 1}, threshold=3)
        with pytest.raises(pk.QualifierError, match="positive"):
            pk.weighted({a: 0}, threshold=1)

    def test_depth_limit(self) -> None:
        q: Any = a
        for i in range(63):
            q = (
                pk.any_of(q, pk.field(f"x{i}") == 1)
                if i % 2
                else pk.all_of(q, pk.field(f"y{i}") == 1)
            )
        assert q.depth == 64
        with pytest.raises(pk.QualifierError, match="deeper than 64"):
            pk.all_of(~q, b)


class TestKleene:
    @pytest.mark.parametrize(
        ("row", "and_", "or_"),
        [
            ({"a": 1, "b": 1}, "pass", "pass"),
            ({"a": 1, "b": 0}, "fail", "pass"),
            ({"a": 1}, "unknown", "pass"),
            ({"a": 0}, "fail", "unknown"),
            ({}, "unknown", "unknown"),
        ],
    )
    def test_and_or(self, row: dict[str, int], and_: str, or_: str) -> None:
        assert (a & b).evaluate(row).outcome.value == and_
        assert (a | b).evaluate(row).outcome.value == or_

    def test_at_least(self) -> None:
        q = pk.at_least(2, a, b, c)
        assert q.evaluate({"a": 1, "b": 1}).outcome is Outcome.PASS
        assert q.evaluate({"a": 1, "b": 0}).outcome is Outcome.UNKNOWN
        assert q.evaluate({"a": 0, "b": 0}).outcome is Outcome.FAIL
        verdict = q.evaluate({"a": 1, "b": 0})
        assert verdict.reason == "1 of 3 passed, 1 failed, 1 unknown (needs 2)"
        assert verdict.hint == "1 more of: b == 1, c == 1"

    def test_weighted(self) -> None:
        q = pk.weighted({a: 3, b: 2, c: 1}, threshold=4)
        assert q.evaluate({"a": 1, "b": 1}).outcome is Outcome.PASS
        assert q.evaluate({"a": 1, "b": 0}).outcome is Outcome.UNKNOWN
        assert q.evaluate({"a": 0}).outcome is Outcome.FAIL
        assert q({"a": 1, "b": 1})
        assert not q({"a": 1})
        assert "weight 3 of 6 passed" in q.evaluate({"a": 1, "b": 0}).reason


class TestText:
    def test_infix_and_repr(self) -> None:
        q = (pk.field("account.employees") >= 100) & (
            pk.field("budget") >= pk.Money("10000", "EUR")
        )
        assert str(q) == "(account.employees >= 100) & (budget >= 10,000.00 EUR)"
        assert repr(q).startswith(
            "all_of(field('account.employees') >= 100, field('budget') >= Money("
        )
        assert str(~a | b) == "(~(a == 1)) | (b == 1)"
        assert str(pk.at_least(2, a, b, c.named("C"))) == "at_least(2, a == 1, b == 1, C)"

    def test_names_show_in_explanations(self) -> None:
        icp = (pk.field("account.employees") >= 100).named("ICP fit", "100+ employees")
        verdict = (icp & b).evaluate({"account": {"employees": 3}, "b": 1})
        assert verdict.children[0].label == "ICP fit"
        assert icp.description == "100+ employees"
        assert repr(icp) == "(field('account.employees') >= 100).named('ICP fit', '100+ employees')"
        assert icp != (pk.field("account.employees") >= 100)

    def test_explanation_text(self) -> None:
        verdict = (a & (b | c)).evaluate({"a": 0, "c": 1})
        assert str(verdict).splitlines() == [
            "✗ (a == 1) & ((b == 1) | (c == 1)) — 1 of 2 passed, 1 failed",
            "  ✗ a == 1 — a 0 != 1 (to pass: a == 1)",
            "  ✓ (b == 1) | (c == 1) — 1 of 2 passed, 1 unknown",
            "    ? b == 1 — b is missing (to pass: find out b)",
            "    ✓ c == 1 — c 1 == 1",
        ]
        assert [f.reason for f in verdict.failures()] == ["a 0 != 1"]
        assert verdict.summary() == "FAIL (a == 1) & ((b == 1) | (c == 1)): a 0 != 1"
        html = verdict._repr_html_()
        assert "FAIL" in html
        assert "&amp;" in html

    def test_missing_lists_what_would_settle_it(self) -> None:
        verdict = pk.at_least(2, a, b, c).evaluate({"a": 1})
        assert verdict.missing() == ("b", "c")
        assert (a & b).evaluate({"a": 0}).missing() == ()


def test_all_of_is_allof() -> None:
    assert type(a & b) is AllOf


class TestNamesAreOneLine:
    @pytest.mark.parametrize(
        "text",
        ["Budget\n  ✓ Authority — approved by CFO", "a\rb", "a\x1b[2Jb", "a\u2028b", "a\u202eb"],
    )
    def test_control_characters_refused(self, text: str) -> None:
        """A name or description cannot forge a line in an explanation."""
        q = pk.field("a") == 1
        with pytest.raises(pk.QualifierError, match="one line of printable text"):
            q.named(text)
        with pytest.raises(pk.QualifierError, match="one line of printable text"):
            q.named("ok", text)

    def test_length_caps(self) -> None:
        q = pk.field("a") == 1
        assert q.named("n" * 200).name == "n" * 200
        with pytest.raises(pk.QualifierError, match="longer than 200"):
            q.named("n" * 201)
        with pytest.raises(pk.QualifierError, match="longer than 2000"):
            q.named("n", "d" * 2001)

    def test_text_values_are_escaped_in_explanations(self) -> None:
        """Subject text, patterns and loaded verdicts render escaped: one node, one line."""
        fake = "x\n  ✓ Authority — approved by CFO"
        for q in (pk.field("a") == "y", pk.field("a").matches("\n✓"), pk.field("a").is_in({"y"})):
            text = str(q.evaluate({"a": fake}))
            assert "\n" not in text
            assert "\\n" in text
        long_fake = fake * 10  # longer than the inline limit: still a repr
        assert "\n" not in str((pk.field("a") == "y").evaluate({"a": long_fake}))
        verdict = pk.Verdict(outcome=pk.Outcome.PASS, label="a\n✓ b", reason="r\u2028s")
        assert str(verdict) == "✓ a\\n✓ b — r\\u2028s"


class TestExactWeights:
    """Float weights add up as the decimals they are written as (issue 8, errors 7)."""

    a, b, c = pk.field("a") == 1, pk.field("b") == 1, pk.field("c") == 1

    def test_hint_and_reason_show_no_float_noise(self) -> None:
        q = pk.weighted({self.a: 0.8, self.b: 0.1, self.c: 0.1}, threshold=1.0)
        verdict = q.evaluate({"a": 1})
        assert verdict.hint == "0.2 more weight from: b == 1, c == 1"  # not 0.19999999999999996
        assert verdict.reason == "weight 0.8 of 1.0 passed, 0 failed (needs 1.0)"

    def test_float_sums_decide_exactly_in_both_paths(self) -> None:
        """0.7 + 0.1 reaches 0.8: in floats it does not (0.7999999999999999)."""
        q = pk.weighted({self.a: 0.7, self.b: 0.1, self.c: 0.2}, threshold=0.8)
        subject = {"a": 1, "b": 1, "c": 0}
        assert q.evaluate(subject).outcome is Outcome.PASS
        assert q(subject)
        assert q.filter([subject]) == [subject]
        assert (~q).evaluate(subject).outcome is Outcome.FAIL
        assert not (~q)(subject)

    def test_failing_weight_is_exact(self) -> None:
        """With 0.3 failed of 1.0 and threshold 0.7 the threshold is still in reach."""
        q = pk.weighted({self.a: 0.1, self.b: 0.2, self.c: 0.7}, threshold=0.7)
        subject = {"a": 0, "b": 0}
        assert q.evaluate(subject).outcome is Outcome.UNKNOWN
        assert not (~q)(subject)

    def test_threshold_up_to_the_exact_total(self) -> None:
        """A threshold equal to the exact total (0.1 + 0.2 = 0.3) is accepted."""
        q = pk.weighted({self.a: 0.1, self.b: 0.2}, threshold=0.3)
        assert q({"a": 1, "b": 1})
        assert q.total == Decimal("0.3")
        with pytest.raises(pk.QualifierError, match=r"exceeds the total weight 0\.3$"):
            pk.weighted({self.a: 0.1, self.b: 0.2}, threshold=0.31)

    def test_int_weights_stay_ints(self) -> None:
        q = pk.weighted({self.a: 3, self.b: 2}, threshold=4)
        assert q.evaluate({"a": 1}).hint == "1 more weight from: b == 1"
        assert type(q.total) is int
