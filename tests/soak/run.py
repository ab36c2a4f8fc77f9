"""A population of contacts through the default pipeline in batches, streaming, with every
invariant checked at the end (docs/quality.md, "Soak").

``python -m tests.soak.run 1000000`` runs a million contacts and prints the time and the peak
memory; ``tests/soak/test_soak.py`` runs a smaller population in the suite, and ``.ci/run``
the full one. Contacts are made from their number alone (so a second pass can make the same
ones again), advanced batch by batch with ``advance_many`` through guarded events, explained
with ``blockers`` when blocked, scored by a points model and counted; no batch is kept, so the
memory stays bounded whatever the population.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

import pipelinekit as pk

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
BATCH = 10_000
#: The events tried, in order, each a day after the last, and what a contact's number decides.
EVENTS = ("qualify", "convert", "win")
QUALIFIED = pk.field("budget").is_known() & (pk.field("account.employees") >= 50)
PIPELINE = pk.Pipeline(
    guards={
        "qualify": QUALIFIED.named("Qualified"),
        "convert": pk.field("authority").is_known().named("Decision maker known"),
        "win": (pk.field("opportunity.amount") >= pk.Money("1000", "EUR")).named("Deal size"),
    }
)
MODEL = pk.PointsModel(
    rules=[
        pk.Rule(pk.field("account.employees") >= 200, points=20),
        pk.Rule(pk.field("budget") >= pk.Money("10000", "EUR"), points=15),
        pk.Rule(pk.field("authority") == True, points=10),  # noqa: E712  # a qualifier
    ],
    thresholds={"mql": 20, "sql": 40},
)


def contact(number: int) -> pk.Contact:
    """Contact ``number``: the same contact every time (its fields come from its number)."""
    rng = random.Random(number)  # noqa: S311  # test data, reproducible by design
    employees = rng.choice([None, 10, 60, 250, 1200])
    budget = rng.choice([None, pk.Money("5000", "EUR"), pk.Money("20000", "EUR")])
    amount = rng.choice([None, pk.Money("500", "EUR"), pk.Money("8000", "EUR")])
    return pk.Contact(
        id=f"c-{number}",
        name=f"Contact {number}",
        account=None
        if employees is None
        else pk.Account(name=f"A{number % 997}", employees=employees),
        budget=budget,
        authority=rng.choice([None, True, False]),
        opportunity=pk.Opportunity(amount=amount),
        created_at=START - timedelta(days=rng.randrange(1, 30)),
    )


def batches(count: int) -> Iterator[list[pk.Contact]]:
    for first in range(0, count, BATCH):
        yield [contact(n) for n in range(first, min(first + BATCH, count))]


@attrs.define
class Tally:
    """What the run saw, counted as it went (the recount the metrics are checked against)."""

    contacts: int = 0
    changes: int = 0
    recorded: int = 0
    blocked: Counter[str] = attrs.field(factory=Counter)
    stages: Counter[str] = attrs.field(factory=Counter)
    reached: Counter[str] = attrs.field(factory=Counter)
    grades: Counter[str | None] = attrs.field(factory=Counter)
    problems: list[str] = attrs.field(factory=list)


def _advance(batch: list[pk.Contact], tally: Tally) -> list[pk.Contact]:
    """Every event in turn over the batch; the contacts as they end up."""
    current = {c.id: c for c in batch}
    for day, event in enumerate(EVENTS, start=1):
        at = START + timedelta(days=day)
        movable = [c for c in current.values() if event in PIPELINE.possible_events(c)]
        result = PIPELINE.advance_many(movable, event, at=at)
        for step in result.advanced:
            current[step.contact.id] = step.contact
            tally.changes += len(step.changes)
        for blocked, verdict in result.blocked:
            explained = PIPELINE.blockers(blocked, event, at=at)
            if explained.outcome is pk.Outcome.PASS or explained.outcome is not verdict.outcome:
                tally.problems.append(f"{blocked.id}: blockers disagree with advance_many")
            tally.blocked[event] += 1
        if result.invalid:
            tally.problems.append(f"{len(result.invalid)} invalid transitions on {event}")
    return list(current.values())


def _check(contacts: list[pk.Contact], tally: Tally) -> None:
    for c in contacts:
        if c.version != len(c.history):
            tally.problems.append(f"{c.id}: version {c.version} != {len(c.history)} changes")
        try:
            replayed = PIPELINE.replay(c)
        except pk.InvalidHistory as error:
            tally.problems.append(f"{c.id}: history does not replay: {error}")
        else:
            if replayed != c.stage:
                tally.problems.append(f"{c.id}: history replays to {replayed}, not {c.stage}")
        tally.recorded += len(c.history)
        tally.stages[c.stage] += 1
        for change in c.history:
            tally.reached[change.target] += 1


def run(count: int) -> tuple[Tally, dict[str, Any]]:
    """Run ``count`` contacts; the tally and the measurements."""
    began = time.perf_counter()
    tally = Tally()
    at = START + timedelta(days=len(EVENTS) + 1)
    counted: Counter[str] = Counter()
    for batch in batches(count):
        done = _advance(batch, tally)
        _check(done, tally)
        for score in MODEL.score_many(done, at=at):
            tally.grades[score.grade] += 1
        # The funnel's counts add up over batches: the population's is their sum.
        for row in pk.metrics.funnel(done).to_rows():
            counted[str(row["stage"])] += int(row["reached"])  # type: ignore[call-overload]
        tally.contacts += len(done)
    if tally.recorded != tally.changes:  # a change lost or recorded twice somewhere
        tally.problems.append(f"{tally.changes} changes made, {tally.recorded} recorded")
    elapsed = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    # Each contact starts a lead and enters a stage at most once (no recycling here).
    expected = {"lead": tally.contacts, **tally.reached}
    for stage, number in counted.items():
        if number != expected.get(stage, 0):
            tally.problems.append(f"funnel {stage}: {number}, recounted {expected.get(stage, 0)}")
    return tally, {"seconds": elapsed, "peak_mb": peak}


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 100_000
    tally, measured = run(count)
    out = sys.stdout
    out.write(f"{tally.contacts:,} contacts, {tally.changes:,} stage changes\n")
    out.write(f"stages: {dict(sorted(tally.stages.items()))}\n")
    out.write(f"blocked: {dict(tally.blocked)}; grades: {dict(tally.grades)}\n")
    out.write(f"{measured['seconds']:.1f} s, peak resident memory {measured['peak_mb']:.0f} MB\n")
    out.write(f"problems: {len(tally.problems)}\n")
    for problem in tally.problems[:20]:
        out.write(f"  {problem}\n")
    return 1 if tally.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
