"""Lifecycle invariants under random events and facts, and under concurrency."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator, Mapping
from datetime import timedelta

import attrs
import pytest
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

import pipelinekit as pk
from tests.lifecycle.guards import NOW, FactGuard, contact

GUARDS = {"qualify": FactGuard("fit"), "convert": FactGuard("bant"), "win": FactGuard("signed")}
EVENTS = [*pk.DEFAULT_SPEC.events, "teleport"]
facts = st.dictionaries(st.sampled_from(["fit", "bant", "signed"]), st.booleans(), max_size=3)


def expected_outcome(
    stage: str, facts: Mapping[str, object], event: str, reason: str | None
) -> str:
    """What the default spec says should happen: a model independent of the table."""
    transitions = {t.event: t for t in pk.DEFAULT_SPEC.transitions}
    transition = transitions.get(event)
    if transition is None or stage not in transition.sources:
        return "invalid"
    if transition.reason_required and not (reason and reason.strip()):
        return "reason"
    guard = GUARDS.get(event)
    if guard is not None and facts.get(guard.key) is not True:
        return "blocked"
    return transition.target


class LifecycleMachine(RuleBasedStateMachine):
    """Fires random events with random facts at a pool of contacts."""

    contacts = Bundle("contacts")

    def __init__(self) -> None:
        super().__init__()
        self.pipeline = pk.Pipeline(guards=GUARDS)
        self.clock = NOW
        self.live: dict[str, pk.Contact] = {}

    def tick(self) -> None:
        self.clock += timedelta(minutes=1)

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

    @rule(
        cid=contacts,
        event=st.sampled_from(EVENTS),
        reason=st.sampled_from([None, "", "price"]),
        by=st.sampled_from([None, "rep-7"]),
    )
    def fire(self, cid: str, event: str, reason: str | None, by: str | None) -> None:
        self.tick()
        before = self.live[cid]
        snapshot = before.repr_unmasked()
        expected = expected_outcome(before.stage, before.facts, event, reason)
        try:
            step = self.pipeline.advance(
                before, event, at=self.clock, by=by, reason=reason, expected_version=before.version
            )
        except pk.TransitionBlocked as e:
            blocked = e.verdict
            assert expected == "blocked"
            assert not blocked.passed
        except pk.ReasonRequired:
            assert expected == "reason"
        except pk.InvalidTransition:
            assert expected == "invalid"
        else:
            assert step.contact.stage == expected
            assert step.change == pk.StageChange(
                event=event,
                source=before.stage,
                target=expected,
                at=self.clock,
                by=by,
                reason=reason,
                verdict=step.change.verdict,
            )
            assert step.contact.history == (*before.history, step.change)
            assert step.contact.version == before.version + 1
            self.live[cid] = step.contact
        # A failed event changes nothing; a successful one leaves its input alone too.
        assert before.repr_unmasked() == snapshot

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


TestLifecycleMachine = LifecycleMachine.TestCase


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
