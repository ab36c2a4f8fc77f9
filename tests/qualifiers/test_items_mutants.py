"""``any_item`` / ``count_items``, pinned where mutmut's survivors showed gaps (docs/quality.md).

What a collection is, the interpreter's ``outcome`` (the fast path answers ``q(...)``, so the
interpreter is asked directly here), the time passed down to the items, the verdict of a
missing, non-collection and empty collection, and the FAIL / UNKNOWN boundary of
``count_items``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

import pipelinekit as pk
from pipelinekit.errors import QualifierError
from pipelinekit.qualifiers import Outcome
from pipelinekit.qualifiers.items import AnyItem, is_collection
from tests.qualifiers.conftest import AT

RECENT = pk.any_item("events", pk.field("at").within_last(timedelta(days=3))).named(
    "Recent", "an event in the last 3 days"
)
FRESH = {"events": [{"at": AT - timedelta(days=5)}, {"at": AT - timedelta(days=1)}]}
STALE = {"events": [{"at": AT - timedelta(days=5)}]}


class TestIsCollection:
    @pytest.mark.parametrize(
        "value", [(), (1,), [], [1], {1}, frozenset({1}), range(2), {}.keys()], ids=repr
    )
    def test_collections(self, value: object) -> None:
        """Tuples, lists, sets and other sized iterables hold items."""
        assert is_collection(value)

    @pytest.mark.parametrize(
        "value",
        ["text", "", b"bytes", bytearray(b"x"), {"a": 1}, 5, 1.5, None, object()],
        # a stable id for object() (its repr holds an address, which a re-run's selection
        # by test id, as mutmut's, would not find)
        ids=lambda v: "object()" if type(v) is object else repr(v),
    )
    def test_not_collections(self, value: object) -> None:
        """Text, bytes, mappings and scalars are not collections here."""
        assert not is_collection(value)


class TestInterpreter:
    """``outcome`` is the interpreter; the generated fast path does not reach it."""

    def test_a_non_collection_is_unknown(self) -> None:
        """A scalar where the collection should be is UNKNOWN, not an error."""
        assert RECENT.outcome({"events": 5}, AT) is Outcome.UNKNOWN
        assert RECENT.outcome({"events": "text"}, AT) is Outcome.UNKNOWN
        assert RECENT.outcome({}, AT) is Outcome.UNKNOWN

    def test_the_time_reaches_the_items(self) -> None:
        """Each item is decided at the caller's ``at``."""
        assert RECENT.outcome(FRESH, AT) is Outcome.PASS
        assert RECENT.outcome(STALE, AT) is Outcome.FAIL
        assert RECENT.outcome(STALE, AT - timedelta(days=4)) is Outcome.PASS

    def test_count_items_counts_at_the_callers_time(self) -> None:
        """``count_items`` decides its items at ``at`` too."""
        q = pk.count_items("events", pk.field("at").within_last(timedelta(days=3)), at_least=2)
        older = {"events": [{"at": AT - timedelta(days=5)}, {"at": AT - timedelta(days=4)}]}
        assert q.outcome(older, AT) is Outcome.FAIL
        assert q.outcome(older, AT - timedelta(days=3)) is Outcome.PASS


class TestVerdicts:
    def test_missing_collection(self) -> None:
        """A missing collection is UNKNOWN with a hint to find it out."""
        verdict = RECENT.evaluate({}, at=AT)
        assert (verdict.outcome, verdict.reason, verdict.path) == (
            Outcome.UNKNOWN,
            "events is missing",
            "events",
        )
        assert verdict.hint == "find out events"
        assert (verdict.name, verdict.label) == ("Recent", "Recent")

    def test_not_a_collection(self) -> None:
        """A non-collection value is UNKNOWN, named, and its error says what it is."""
        verdict = RECENT.evaluate({"events": 5}, at=AT)
        assert verdict.outcome is Outcome.UNKNOWN
        assert (verdict.name, verdict.label, verdict.path) == ("Recent", "Recent", "events")
        assert verdict.reason == "events 5 is not a collection: int"
        assert verdict.error == "not a collection: int"
        assert RECENT.evaluate({"events": "ab"}, at=AT).error == "not a collection: str"

    def test_items_are_explained_at_the_callers_time(self) -> None:
        """Each item's verdict is taken at ``at`` and labelled with its index."""
        verdict = RECENT.evaluate(FRESH, at=AT)
        assert verdict.outcome is Outcome.PASS
        assert [c.outcome for c in verdict.children] == [Outcome.FAIL, Outcome.PASS]
        assert verdict.children[1].label.startswith("[1] ")
        assert RECENT.evaluate(STALE, at=AT - timedelta(days=4)).outcome is Outcome.PASS

    def test_empty_is_unknown_asks_for_the_collection(self) -> None:
        """An empty collection not recorded yet is UNKNOWN with a hint to find it out."""
        q = pk.any_item("stakeholders", pk.field("role") == "champion", empty_is_unknown=True)
        verdict = q.evaluate({"stakeholders": []})
        assert verdict.outcome is Outcome.UNKNOWN
        assert verdict.reason == "stakeholders is empty: not recorded yet"
        assert verdict.hint == "find out stakeholders"
        assert verdict.missing() == ("stakeholders",)


class TestCountItemsBoundary:
    Q = pk.count_items("s", pk.field("x") >= 1, at_least=2)

    @pytest.mark.parametrize(
        ("xs", "expected"),
        [
            ([1, 0, None], Outcome.UNKNOWN),  # 1 passed, 1 still open: 2 can still pass
            ([0, None], Outcome.FAIL),  # at most 1 can pass
            ([1, None], Outcome.UNKNOWN),
            ([1, 1, 0], Outcome.PASS),
            ([0, 0, None], Outcome.FAIL),
            ([None, None], Outcome.UNKNOWN),
        ],
    )
    def test_fail_only_when_at_least_can_no_longer_pass(
        self, xs: list[int | None], expected: Outcome
    ) -> None:
        """FAIL exactly when fewer than ``at_least`` items are left that do not fail."""
        subject = {"s": [{"x": x} for x in xs]}
        assert self.Q.outcome(subject, None) is expected
        assert self.Q.evaluate(subject).outcome is expected


def message(make: Callable[[], object]) -> str:
    with pytest.raises(QualifierError) as info:
        make()
    return str(info.value)


class TestArgumentErrors:
    def test_messages(self) -> None:
        """Each bad argument is named with the value given."""
        x = pk.field("x") == 1
        assert message(lambda: pk.any_item("s", 5)) == (  # type: ignore[arg-type]
            "expected a qualifier for the items, got int"
        )
        assert message(lambda: AnyItem(path="s", child=5)) == (  # type: ignore[arg-type]
            "expected a qualifier for the items, got int 5"
        )
        assert message(lambda: pk.any_item("s", x, empty_is_unknown=1)) == (  # type: ignore[arg-type]
            "empty_is_unknown must be a bool, got 1"
        )
        assert message(lambda: pk.count_items("s", x, at_least=0)) == (
            "at_least must be an int >= 1 and at most 10**9, got 0"
        )


class TestHintsAndText:
    Q = pk.any_item("s", pk.field("x") == 1)

    def test_infix_says_when_empty_is_unknown(self) -> None:
        """``str`` shows ``empty is unknown`` only when it is set."""
        assert str(self.Q) == "any s: (x == 1)"
        unknown = pk.any_item("s", pk.field("x") == 1, empty_is_unknown=True)
        assert str(unknown) == "any s, empty is unknown: (x == 1)"

    @pytest.mark.parametrize(
        ("x", "hint"), [(1, None), (2, "any s: (x == 1)"), (None, "any s: (x == 1)")]
    )
    def test_hint_unless_passed(self, x: int | None, hint: str | None) -> None:
        """A verdict that did not pass hints at what would; a passed one has no hint."""
        assert self.Q.evaluate({"s": [{"x": x}]}).hint == hint
