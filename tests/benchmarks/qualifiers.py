# Benchmark: a 4-criterion qualifier against the same criteria hand-written in Python.
#
#   .venv/bin/python -m tests.benchmarks.qualifiers [--n 100000] [--repeat 7]
#
# The qualifier (and the hand-written code, with the same missing-data rules: a missing
# fact never passes):
#   account.employees >= 100, account.industry in {...}, budget >= 10,000 EUR,
#   timeline within 180 days of `at`
# over --n realistic pk.Contact objects (some facts missing). Three pairs, same run:
#   bulk:     q.filter(contacts, at=at)         vs  a hand-written list comprehension
#   call:     q(c, at=at) for each contact      vs  a hand-written function, called the same way
#   evaluate: q.evaluate(c, at=at) per contact  vs  the hand-written function
#   explained: evaluate, then read the explanation (builds every node's reason), no goal
# Timing: median of --repeat runs, garbage collector off while a run is timed.
# Goals: bulk <= 1.3x, call <= 2.5x, evaluate <= 6x.
from __future__ import annotations

import argparse
import platform
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pipelinekit as pk
from tests.benchmarks._timing import report

AT = datetime(2026, 11, 22, 12, tzinfo=UTC)
INDUSTRIES = frozenset({"software", "fintech", "healthcare"})
MIN_BUDGET = pk.Money("10000", "EUR")
WITHIN = timedelta(days=180)


def make_contacts(n: int, seed: int = 7) -> list[pk.Contact]:
    rng = random.Random(seed)
    industries = ["software", "fintech", "healthcare", "retail", "logistics", None]
    contacts = []
    for i in range(n):
        account = None
        if rng.random() < 0.9:
            account = pk.Account(
                name=f"Company {i}",
                industry=rng.choice(industries),
                employees=rng.choice([None, rng.randint(1, 5000)]),
                country=rng.choice(["DE", "FR", "US"]),
            )
        budget = None
        if rng.random() < 0.7:
            budget = pk.Money(rng.randint(1000, 90000), "EUR")
        timeline = None
        if rng.random() < 0.7:
            timeline = AT.date() + timedelta(days=rng.randint(-100, 400))
        contacts.append(
            pk.Contact(
                id=f"c-{i}",
                name=f"Person {i}",
                account=account,
                budget=budget,
                timeline=timeline,
            )
        )
    return contacts


def qualifier() -> pk.Qualifier:
    return (
        (pk.field("account.employees") >= 100)
        & pk.field("account.industry").is_in(INDUSTRIES)
        & (pk.field("budget") >= MIN_BUDGET)
        & pk.field("timeline").within(WITHIN)
    )


def hand_written(c: pk.Contact, *, at: datetime) -> bool:
    account = c.account
    if account is None:
        return False
    employees = account.employees
    if employees is None or employees < 100:
        return False
    industry = account.industry
    if industry is None or industry not in INDUSTRIES:
        return False
    budget = c.budget
    if budget is None or not budget >= MIN_BUDGET:
        return False
    timeline = c.timeline
    return timeline is not None and abs(timeline - at.date()) <= WITHIN


def hand_written_bulk(contacts: list[pk.Contact], at: datetime) -> list[pk.Contact]:
    day: date = at.date()
    return [
        c
        for c in contacts
        if (a := c.account) is not None
        and (e := a.employees) is not None
        and e >= 100
        and (i := a.industry) is not None
        and i in INDUSTRIES
        and (b := c.budget) is not None
        and b >= MIN_BUDGET
        and (t := c.timeline) is not None
        and abs(t - day) <= WITHIN
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    contacts = make_contacts(args.n)
    q = qualifier()
    assert q.filter(contacts, at=AT) == hand_written_bulk(contacts, AT)
    assert [q(c, at=AT) for c in contacts] == [hand_written(c, at=AT) for c in contacts]
    assert [q.evaluate(c, at=AT).passed for c in contacts] == [
        hand_written(c, at=AT) for c in contacts
    ]
    passing = len(hand_written_bulk(contacts, AT))
    print(f"pipelinekit qualifiers: {args.n:,} contacts, {passing:,} pass")
    print(f"Python {platform.python_version()} on {platform.machine()}, repeat={args.repeat}")

    def calls(check: Callable[..., bool]) -> Callable[[], None]:
        def run() -> None:
            for c in contacts:
                check(c, at=AT)

        return run

    def evaluations() -> None:
        for c in contacts:
            q.evaluate(c, at=AT)

    def explanations() -> None:
        # Reading any part of the explanation builds all of it (every node's reason).
        for c in contacts:
            _ = q.evaluate(c, at=AT).children

    pairs = [
        (
            "bulk filter",
            lambda: q.filter(contacts, at=AT),
            lambda: hand_written_bulk(contacts, AT),
            1.3,
        ),
        ("single call", calls(q), calls(hand_written), 2.5),
        ("evaluate", evaluations, calls(hand_written), 6.0),
        ("explained", explanations, calls(hand_written), None),
    ]
    report(pairs, n=args.n, repeat=args.repeat, unit="ns")


if __name__ == "__main__":
    main()
