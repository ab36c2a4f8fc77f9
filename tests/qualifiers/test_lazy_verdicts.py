"""Verdicts of entities are explained lazily, and say exactly what an eager explanation says."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.qualifiers import Outcome, Qualifier
from tests.qualifiers.strategies import AT
from tests.strategies import contacts

_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "account.employees": st.integers(0, 500),
    "account.industry": st.sampled_from(["software", "retail", ""]),
    "budget": st.sampled_from([pk.Money("1000", "EUR"), pk.Money("5", "USD")]),
    "timeline": st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 1, 1)),
    "authority": st.booleans(),
    "stage": st.sampled_from(list(pk.Stage)),
    "facts.metrics": st.sampled_from(["x", 3, True]),
}


def _leaf() -> st.SearchStrategy[Qualifier]:
    def build(path: str) -> st.SearchStrategy[Qualifier]:
        values = _VALUES[path]
        ops = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
        return st.one_of(
            st.builds(lambda o, v: pk.qualifiers.Compare(path=path, op=o, value=v), ops, values),
            st.builds(lambda vs: pk.field(path).is_in(vs), st.frozensets(values, max_size=3)),
            st.just(pk.field(path).is_known()),
        )

    dated = st.integers(0, 400).map(lambda d: pk.field("timeline").within(timedelta(days=d)))
    role = st.sampled_from(list(pk.Role)).map(
        lambda r: pk.any_item("stakeholders", pk.field("role") == r)
    )
    return st.sampled_from(sorted(_VALUES)).flatmap(build) | dated | role


contact_qualifiers: st.SearchStrategy[Qualifier] = st.recursive(
    _leaf(),
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3).map(lambda qs: pk.all_of(*qs)),
        st.lists(children, min_size=1, max_size=3).map(lambda qs: pk.any_of(*qs)),
        children.map(lambda q: ~q),
        st.lists(children, min_size=2, max_size=4).map(lambda qs: pk.at_least(2, *qs)),
    ),
    max_leaves=6,
)


class TestLazyVerdicts:
    @given(contact_qualifiers, contacts)
    def test_lazy_equals_eager(self, q: Qualifier, contact: pk.Contact) -> None:
        """The verdict of a contact equals the eagerly built explanation, node for node."""
        lazy = q.evaluate(contact, at=AT)
        eager = q.explain(contact, AT, "")
        assert lazy.outcome is eager.outcome
        assert lazy == eager
        assert str(lazy) == str(eager)
        assert lazy.missing() == eager.missing()

    @given(contact_qualifiers, contacts)
    def test_fast_paths_agree_on_contacts(self, q: Qualifier, contact: pk.Contact) -> None:
        """``q(c)``, ``q.outcome(c)`` and ``evaluate(c).outcome`` agree on real contacts."""
        verdict = q.evaluate(contact, at=AT)
        assert q(contact, at=AT) == (verdict.outcome is Outcome.PASS)
        assert q.outcome(contact, AT) is verdict.outcome

    def test_explanation_is_built_once(self) -> None:
        """Reading the explanation twice gives the same objects (built on first access)."""
        q = (pk.field("account.employees") >= 100).named("Size")
        verdict = q.evaluate(pk.Contact(id="c", name="n"), at=AT)
        assert verdict.outcome is Outcome.UNKNOWN
        assert verdict.label == "Size"
        assert verdict.children is verdict.children
        assert verdict.missing() == ("account.employees",)

    def test_dict_rows_are_explained_at_once(self) -> None:
        """A mutable subject changed after evaluate does not change the verdict."""
        row: dict[str, Any] = {"employees": 3}
        verdict = (pk.field("employees") >= 100).evaluate(row)
        row["employees"] = 500
        assert verdict.outcome is Outcome.FAIL
        assert "3" in verdict.reason

    def test_concurrent_first_access(self) -> None:
        """Threads reading one lazy verdict at once all see the same explanation."""
        q = pk.all_of(*(pk.field("account.employees") >= n for n in range(50)))
        contact = pk.Contact(id="c", name="n", account=pk.Account(name="A", employees=20))
        verdict = q.evaluate(contact, at=AT)
        seen: list[str] = []
        barrier = threading.Barrier(8)

        def read() -> None:
            barrier.wait()
            seen.append(str(verdict))

        threads = [threading.Thread(target=read) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(set(seen)) == 1
        assert seen[0] == str(q.explain(contact, AT, ""))

    def test_explanation_is_published_last(self) -> None:
        """A reader arriving while another thread is copying the explanation in never sees
        a half-built verdict: "explained" is published only after every field.

        The explanation is gated: the first load stops while it reads the last field, and
        a second thread reads the whole verdict meanwhile. If "explained" were published
        any earlier, that reader would find fields still unset.
        """
        mid_load = threading.Event()
        reader_done = threading.Event()
        loads: list[int] = []

        class Gated(pk.Verdict):
            __slots__ = ("_gated",)

            @property  # a slot of Verdict, read through a gate
            def _error(self) -> str | None:
                if not loads:  # only the first load waits
                    loads.append(1)
                    mid_load.set()
                    reader_done.wait(timeout=5)
                return self._gated

            @_error.setter
            def _error(self, value: str | None) -> None:
                self._gated = value

        def explain() -> pk.Verdict:
            return Gated(outcome=Outcome.FAIL, label="l", reason="r", path="a", error="e")

        verdict = pk.Verdict._deferred(Outcome.FAIL, explain)  # internal constructor
        loader = threading.Thread(target=lambda: verdict.label)
        loader.start()
        assert mid_load.wait(timeout=5)
        try:
            seen = repr(verdict)  # every field, while the loader is mid-copy
        finally:
            reader_done.set()
            loader.join()
        expected = pk.Verdict(outcome=Outcome.FAIL, label="l", reason="r", path="a", error="e")
        assert seen == repr(expected)
        assert verdict == expected


class TestVerdictValue:
    def _verdict(self, reason: str = "r") -> pk.Verdict:
        return pk.Verdict(outcome=Outcome.FAIL, label="l", reason=reason, path="a")

    def test_equal_and_hashable_by_contents(self) -> None:
        assert self._verdict() == self._verdict()
        assert hash(self._verdict()) == hash(self._verdict())
        assert self._verdict() != self._verdict("other")
        assert self._verdict() != "l"

    def test_read_only(self) -> None:
        verdict = self._verdict()
        try:
            verdict.label = "x"  # type: ignore[misc]  # read-only property, on purpose
        except AttributeError:
            pass
        else:  # pragma: no cover
            raise AssertionError("a verdict's label could be assigned")
        assert verdict.label == "l"

    def test_replace(self) -> None:
        verdict = self._verdict().replace(label="[0] l")
        assert verdict.label == "[0] l"
        assert verdict.reason == "r"

    def test_repr_shows_every_field(self) -> None:
        text = repr(self._verdict())
        assert text.startswith("Verdict(outcome=<Outcome.FAIL: 'fail'>, label='l', reason='r'")
        assert "error=None" in text

    def test_deferred_builds_on_first_read(self) -> None:
        calls: list[int] = []

        def explain() -> pk.Verdict:
            calls.append(1)
            return self._verdict()

        verdict = pk.Verdict._deferred(Outcome.FAIL, explain)  # internal constructor
        assert calls == []
        assert verdict.passed is False
        assert calls == []
        assert verdict.reason == "r"
        assert verdict.path == "a"
        assert calls == [1]
