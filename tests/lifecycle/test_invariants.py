"""Lifecycle invariants under random events and facts, and under concurrency."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import event as event_note
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

import pipelinekit as pk
from tests.lifecycle import oracle
from tests.lifecycle.guards import NOW, FactGuard, contact

GUARDS = {"qualify": FactGuard("fit"), "convert": FactGuard("bant"), "win": FactGuard("signed")}
GUARD_KEYS = {event: guard.key for event, guard in GUARDS.items()}
EVENTS = [*pk.DEFAULT_SPEC.events, "teleport"]
# Guards pass more often than not, so that multi-hop skips happen often enough to test.
facts = st.dictionaries(
    st.sampled_from(["fit", "bant", "signed"]), st.sampled_from([True, True, False]), max_size=3
)


class LifecycleMachine(RuleBasedStateMachine):
    """Fires random events with random facts at a pool of contacts, one by one or in bulk.

    Subclasses set ``POLICY``; every outcome is compared with the spec oracle.
    """

    POLICY: ClassVar[dict[str, bool]] = {}
    contacts = Bundle("contacts")

    def __init__(self) -> None:
        super().__init__()
        self.pipeline = pk.Pipeline(
            guards=GUARDS,
            forward_only=self.POLICY.get("forward_only", False),
            allow_skips=self.POLICY.get("allow_skips", False),
        )
        self.clock = NOW
        self.live: dict[str, pk.Contact] = {}

    def tick(self) -> None:
        self.clock += timedelta(minutes=1)

    def expected(self, before: pk.Contact, event: str, reason: str | None) -> tuple[str, Any]:
        return oracle.expected(
            pk.DEFAULT_SPEC,
            GUARD_KEYS,
            stage=before.stage,
            facts=before.facts,
            event=event,
            reason=reason,
            **self.POLICY,
        )

    @initialize(target=contacts)
    def first(self) -> str:
        return self.add_contact("c-0", {})

    @rule(target=contacts, key=st.integers(1, 5), known=facts)
    def add(self, key: int, known: dict[str, bool]) -> str:
        return self.add_contact(f"c-{key}", known)

    def add_contact(self, cid: str, known: dict[str, bool]) -> str:
        if cid not in self.live:
            self.live[cid] = attrs.evolve(contact(), id=cid, facts=known)
        return cid

    @rule(cid=contacts, known=facts)
    def learn(self, cid: str, known: dict[str, bool]) -> None:
        """New facts arrive (they do not change the stage or the version)."""
        self.live[cid] = attrs.evolve(self.live[cid], facts=known)

    @rule(cid=contacts)
    def ready(self, cid: str) -> None:
        """Every guard would pass (so skips through several stages happen)."""
        self.live[cid] = attrs.evolve(
            self.live[cid], facts={"fit": True, "bant": True, "signed": True}
        )

    @rule(
        cid=contacts,
        event=st.sampled_from(EVENTS),
        reason=st.sampled_from([None, "price"]),  # blank: refused (test_entities)
        by=st.sampled_from([None, "rep-7"]),
    )
    def fire(self, cid: str, event: str, reason: str | None, by: str | None) -> None:
        self.tick()
        before = self.live[cid]
        snapshot = before.repr_unmasked()
        kind, moved = self.expected(before, event, reason)
        try:
            step = self.pipeline.advance(
                before, event, at=self.clock, by=by, reason=reason, expected_version=before.version
            )
        except pk.TransitionBlocked as e:
            blocked = e.verdict
            assert kind == "blocked"
            assert not blocked.passed
        except pk.ReasonRequired:
            assert kind == "reason"
        except pk.InvalidTransition:
            assert kind == "invalid"
        else:
            assert kind == "moved"
            target, events = moved
            event_note(f"moved {len(events)} hop(s)")
            assert step.contact.stage == target
            assert tuple(c.event for c in step.changes) == events
            assert step.changes[0].source == before.stage
            assert step.change.target == target
            # The reason belongs to the last change; skipped-through ones record none.
            assert [c.reason for c in step.changes] == [None] * (len(events) - 1) + [reason]
            assert all(c.at == self.clock and c.by == by for c in step.changes)
            assert step.contact.history == (*before.history, *step.changes)
            assert step.contact.version == before.version + len(events)
            self.live[cid] = step.contact
        # A failed event changes nothing; a successful one leaves its input alone too.
        assert before.repr_unmasked() == snapshot

    @rule(event=st.sampled_from(EVENTS[:-1]), reason=st.sampled_from([None, "price"]))
    def fire_many(self, event: str, reason: str | None) -> None:
        """advance_many sorts every contact exactly as advance does, one by one."""
        self.tick()
        ids = sorted(self.live)
        batch = [self.live[cid] for cid in ids]
        try:
            result = self.pipeline.advance_many(batch, event, at=self.clock, reason=reason)
        except pk.ReasonRequired:
            assert pk.DEFAULT_SPEC.transition(event).reason_required
            assert reason is None
            return
        groups: dict[int, tuple[str, Any]] = {}
        for step in result.advanced:
            groups[next(i for i, c in enumerate(batch) if c.id == step.contact.id)] = (
                "moved",
                step,
            )
        for c, verdict in result.blocked:
            groups[batch.index(c)] = ("blocked", verdict)
        for c, error in result.invalid:
            groups[batch.index(c)] = ("invalid", error)
        assert sorted(groups) == list(range(len(batch)))  # each contact lands once
        assert [s.contact.id for s in result.advanced] == [
            c.id for i, c in enumerate(batch) if groups[i][0] == "moved"
        ]  # in input order
        for index, before in enumerate(batch):
            kind, found = groups[index]
            assert kind == self.expected(before, event, reason)[0]
            try:
                single = self.pipeline.advance(before, event, at=self.clock, reason=reason)
            except pk.TransitionBlocked as e:
                same: object = e.verdict
                assert found == same
            except pk.InvalidTransition as e:
                refused = (e.event, e.stage, e.allowed)
                assert (found.event, found.stage, found.allowed) == refused
            else:
                assert found == single
                self.live[ids[index]] = single.contact

    @rule(cid=contacts)
    def stale(self, cid: str) -> None:
        """An outdated version is always refused."""
        current = self.live[cid]
        with pytest.raises(pk.StaleVersion):
            self.pipeline.advance(
                current, "qualify", at=self.clock, expected_version=current.version + 1
            )

    @invariant()
    def consistent(self) -> None:
        stages = {s.name for s in pk.DEFAULT_SPEC.stages}
        for current in self.live.values():
            assert current.stage in stages
            assert isinstance(current.stage, pk.Stage)
            assert current.version == len(current.history)
            assert self.pipeline.replay(current) == current.stage
            if current.history:
                assert current.history[-1].target == current.stage


class ForwardOnlyMachine(LifecycleMachine):
    POLICY: ClassVar[dict[str, bool]] = {"forward_only": True}


class SkippingMachine(LifecycleMachine):
    POLICY: ClassVar[dict[str, bool]] = {"allow_skips": True}


class ForwardSkippingMachine(LifecycleMachine):
    POLICY: ClassVar[dict[str, bool]] = {"forward_only": True, "allow_skips": True}


_FEWER = settings(max_examples=40, stateful_step_count=30, deadline=None)
TestLifecycleMachine = LifecycleMachine.TestCase
TestForwardOnlyMachine = ForwardOnlyMachine.TestCase
TestForwardOnlyMachine.settings = _FEWER
TestSkippingMachine = SkippingMachine.TestCase
TestSkippingMachine.settings = _FEWER
TestForwardSkippingMachine = ForwardSkippingMachine.TestCase
TestForwardSkippingMachine.settings = _FEWER


@pytest.fixture
def busy_switching() -> Iterator[None]:
    """Switch threads as often as possible, to interleave them at every bytecode."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


@pytest.mark.usefixtures("busy_switching")
def test_concurrent_advance_on_shared_contacts() -> None:
    """Threads advancing the same contacts get correct, independent results."""
    pipeline = pk.Pipeline(guards={"qualify": FactGuard("fit"), "convert": FactGuard("bant")})
    shared = [
        attrs.evolve(contact(fit=i % 3 != 0, bant=i % 2 == 0), id=f"c-{i}") for i in range(200)
    ]
    snapshots = [c.repr_unmasked() for c in shared]

    def journey(worker: int) -> list[tuple[str, int, tuple[str, ...]]]:
        results = []
        for c in shared:
            try:
                current = pipeline.advance(c, "qualify", at=NOW, by=f"w{worker}").contact
                current = pipeline.advance(current, "convert", at=NOW, by=f"w{worker}").contact
            except pk.TransitionBlocked:
                current = pipeline.advance(c, "disqualify", at=NOW, reason=f"w{worker}").contact
            results.append(
                (
                    str(current.stage),
                    current.version,
                    tuple(h.by or h.reason or "" for h in current.history),
                )
            )
        return results

    expected = {worker: journey(worker) for worker in range(8)}
    found: dict[int, list[tuple[str, int, tuple[str, ...]]]] = {}
    bulk: dict[int, pk.BulkResult] = {}
    barrier = threading.Barrier(16)

    def run(worker: int) -> None:
        barrier.wait()
        found[worker] = journey(worker)

    def run_bulk(worker: int) -> None:
        barrier.wait()
        bulk[worker] = pipeline.advance_many(shared, "qualify", at=NOW, by=f"b{worker}")

    threads = [threading.Thread(target=run, args=(w,)) for w in range(8)]
    threads += [threading.Thread(target=run_bulk, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert found == expected
    for worker, result in bulk.items():
        assert len(result.advanced) == sum(1 for c in shared if c.facts["fit"])
        assert all(s.change.by == f"b{worker}" for s in result.advanced)
        assert [c for c, _ in result.blocked] == [c for c in shared if not c.facts["fit"]]
    assert [c.repr_unmasked() for c in shared] == snapshots
