# Benchmark: Pipeline.advance_many against a hand-written loop and a machine per contact.
#
#   .venv/bin/python -m tests.benchmarks.lifecycle [--n 100000] [--sample 2000] [--repeat 5]
#
# All three fire "qualify" at the same leads (realistic ~18-field contacts) with the same
# one-leaf guard, account.employees >= 100, which --pass-rate of them meet:
#   pipelinekit:  Pipeline.advance_many over all leads, with the guard on "qualify"
#   hand-written: the guard as a plain comparison, then attrs.evolve with the new stage,
#                 version and history (one StageChange per run, shared, as advance_many does).
#                 Blocked leads are only collected (advance_many also explains them).
#   machine:      per lead, a mutable holder bound to pipeline.machine_class, send("qualify"),
#                 then attrs.evolve as above; timed on --sample leads, per lead.
# Timing is the median of --repeat runs, with the garbage collector off while a run is
# timed. Goals: advance_many within 2x the hand-written loop, >= 50x faster per lead than
# a machine per contact.
from __future__ import annotations

import argparse
import platform
import random
from datetime import UTC, date, datetime, timedelta

import attrs

import pipelinekit as pk
from tests.benchmarks._timing import medians

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
INDUSTRIES = ["software", "fintech", "retail", "health", "logistics"]


def make_leads(n: int, pass_rate: float, seed: int = 7) -> list[pk.Contact]:
    rng = random.Random(seed)
    leads = []
    for i in range(n):
        big = rng.random() < pass_rate
        leads.append(
            pk.Contact(
                id=f"c-{i}",
                name=f"Person {i}",
                email=f"p{i}@example.com",
                title="Head of Operations",
                account=pk.Account(
                    name=f"Account {i}",
                    industry=rng.choice(INDUSTRIES),
                    employees=rng.randint(100, 5000) if big else rng.randint(1, 99),
                    country="DE",
                ),
                source="webinar",
                owner="rep-7",
                created_at=NOW - timedelta(days=rng.randint(1, 300)),
                budget=pk.Money(rng.randint(1, 90) * 1000, "EUR"),
                authority=rng.random() < 0.5,
                need="reporting",
                timeline=date(2027, 3, 1),
                facts={"metrics": "hours saved", "score": rng.randint(0, 100)},
            )
        )
    return leads


def handwritten(leads: list[pk.Contact]) -> tuple[list[pk.Contact], list[pk.Contact]]:
    change = pk.StageChange(
        event="qualify",
        source="lead",
        target="prospect",
        at=NOW,
        by="bench",
        verdict="PASS account.employees >= 100",
    )
    advanced, blocked = [], []
    for c in leads:
        account = c.account
        if (
            c.stage == "lead"
            and account is not None
            and account.employees is not None
            and account.employees >= 100
        ):
            advanced.append(
                attrs.evolve(
                    c, stage=pk.Stage.PROSPECT, version=c.version + 1, history=(*c.history, change)
                )
            )
        else:
            blocked.append(c)
    return advanced, blocked


class Holder:
    """A mutable stand-in for a caller's model: the machine needs somewhere to write."""

    def __init__(self, contact: pk.Contact) -> None:
        self.contact = contact
        self.stage = str(contact.stage)
        self.account = contact.account


def machine_per_contact(pipeline: pk.Pipeline, leads: list[pk.Contact]) -> list[pk.Contact]:
    machine_class = pipeline.machine_class
    advanced = []
    for c in leads:
        holder = Holder(c)
        machine = machine_class(model=holder, state_field="stage")
        try:
            machine.send("qualify", at=NOW, by="bench")
        except pk.TransitionBlocked:
            continue
        change = pk.StageChange(
            event="qualify", source=str(c.stage), target=holder.stage, at=NOW, by="bench"
        )
        advanced.append(
            attrs.evolve(c, stage=holder.stage, version=c.version + 1, history=(*c.history, change))
        )
    return advanced


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pass-rate", type=float, default=0.8)
    args = parser.parse_args()

    guard = pk.field("account.employees") >= 100
    pipeline = pk.Pipeline(guards={"qualify": guard})
    leads = make_leads(args.n, args.pass_rate)
    sample = leads[: args.sample]

    # Same answers first.
    result = pipeline.advance_many(leads, "qualify", at=NOW, by="bench")
    advanced, blocked = handwritten(leads)
    assert [s.contact for s in result.advanced] == advanced
    assert [c for c, _ in result.blocked] == blocked
    machine_advanced = machine_per_contact(pipeline, sample)
    assert [s.contact.stage for s in result.advanced[: len(machine_advanced)]] == [
        c.stage for c in machine_advanced
    ]

    ours, theirs, machines = medians(
        lambda: pipeline.advance_many(leads, "qualify", at=NOW, by="bench"),
        lambda: handwritten(leads),
        lambda: machine_per_contact(pipeline, sample),
        repeat=args.repeat,
    )
    per_ours = ours / args.n * 1e6
    per_hand = theirs / args.n * 1e6
    per_machine = machines / args.sample * 1e6
    print(f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    print(
        f"{args.n} leads, {len(result.advanced)} advanced, {len(result.blocked)} blocked"
        f" (pass rate {args.pass_rate}); machine sample {args.sample}; median of {args.repeat}"
    )
    print(f"  advance_many       {ours * 1e3:9.1f} ms  {per_ours:7.2f} us/lead")
    print(f"  hand-written loop  {theirs * 1e3:9.1f} ms  {per_hand:7.2f} us/lead")
    print(f"  machine per lead   {'':12}  {per_machine:7.2f} us/lead")
    print(f"  advance_many / hand-written: {ours / theirs:.2f}x   (goal <= 2x)")
    print(f"  machine / advance_many:      {per_machine / per_ours:.0f}x   (goal >= 50x)")


if __name__ == "__main__":
    main()
