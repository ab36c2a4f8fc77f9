"""The first use of a shared qualifier from many threads at once is safe.

A qualifier is immutable, but it fills two caches on first use: the texts of its
explanations (``Node._cached``) and its compiled fast path (``Node._compile``). Both must be
published only when complete, so that a thread arriving while another is still filling them
sees nothing (and fills its own) or sees everything. These tests stop the first thread in
the middle of the work, let a second thread use the qualifier meanwhile, then let the first
one finish. They fail against an implementation that publishes first and fills afterwards
(for the texts: ``object.__setattr__(self, "_cache", {})`` before the keys are set), which a
plain "many threads at once" test would almost never catch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pipelinekit as pk
from pipelinekit.qualifiers import core

AT = datetime(2026, 12, 1, tzinfo=UTC)
CONTACT = pk.Contact(id="c", name="n", account=pk.Account(name="A", employees=250))


class Gate:
    """Stops the first call of a wrapped step, after its work and before its caller goes on."""

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.release = threading.Event()
        self._first = True
        self._lock = threading.Lock()

    def pause_if_first(self) -> None:
        with self._lock:
            first, self._first = self._first, False
        if first:
            self.inside.set()
            assert self.release.wait(10), "the second thread never released the first"


def _meanwhile(gate: Gate, first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """Run ``first`` in a thread until it pauses at ``gate``, run ``second``, let ``first`` end."""
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(first())
        except BaseException as error:  # reported by the caller's assert
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    assert gate.inside.wait(10), "the first thread never reached the gate"
    try:
        answer = second()
    finally:
        gate.release.set()
        thread.join(10)
    assert not errors, errors
    return results[0], answer


def _gated_compare(gate: Gate) -> pk.Compare:
    class GatedCompare(pk.Compare):
        """``account.employees >= 100`` whose first ``infix()`` pauses once it is built."""

        def infix(self) -> str:
            text = super().infix()
            gate.pause_if_first()
            return text

    return GatedCompare(path="account.employees", op=">=", value=100)


class TestExplanationTexts:
    def test_a_second_thread_never_sees_half_the_texts(self) -> None:
        gate = Gate()
        q = _gated_compare(gate)
        first, second = _meanwhile(gate, lambda: q.label, lambda: q.label)
        assert first == second == "account.employees >= 100"
        assert q.evaluate(CONTACT, at=AT).reason == "account.employees 250 >= 100"

    def test_the_gate_really_stops_the_first_builder(self) -> None:
        """The scenario above happens: the second thread reads while the first is inside."""
        gate = Gate()
        q = _gated_compare(gate)
        seen: list[object] = []
        _meanwhile(gate, lambda: q.label, lambda: seen.append(q._cache))
        # While the first builder is inside, nothing is published (a half-filled dict here
        # is the broken ordering).
        assert seen == [None]
        assert q._cache is not None


class TestCompiledFastPath:
    def test_a_second_thread_never_sees_half_the_compiled_code(self) -> None:
        gate = Gate()
        compile_tree = core._COMPILER[0]

        def gated(root: core.Node) -> core.Compiled:
            compiled = compile_tree(root)
            gate.pause_if_first()
            return compiled

        q = (pk.field("account.employees") >= 100) & pk.field("name").is_known()

        def use() -> tuple[bool, pk.Outcome, list[pk.Contact]]:
            return q(CONTACT, at=AT), q.evaluate(CONTACT, at=AT).outcome, q.filter([CONTACT])

        core._COMPILER[0] = gated
        try:
            first, second = _meanwhile(gate, use, use)
        finally:
            core._COMPILER[0] = compile_tree
        assert first == second == (True, pk.Outcome.PASS, [CONTACT])
        assert isinstance(q, core.Node)
        assert q._check is not None
        assert q._decide is not None
        assert q._bulk is not None
