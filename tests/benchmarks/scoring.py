# Benchmark: PointsModel.score_many against a hand-written function computing the same totals.
#
#   .venv/bin/python -m tests.benchmarks.scoring [--n 100000] [--repeat 5]
#
# The model (and the hand-written function, with the same rules: missing data earns nothing,
# touchpoints after `at` do not count, exact Decimal points):
#   fit:        account.employees >= 100: +20; account.industry in {...}: +10;
#               title matches (?i)student: -30
#   engagement: each webinar +10, linear decay -50 % per 30 days; each email +2 within
#               30 days; the group capped at 60
#   total capped at 100, floor -50; thresholds mql 40, sql 70
# over --n realistic pk.Contact objects (0 to 6 touchpoints each, some facts missing).
# Pairs timed in the same run, interleaved (median of --repeat):
#   score_many:  model.score_many(contacts, at=at)   vs  [hand_written(c, at) for c in contacts]
#   score:       model.score(c, at=at) per contact   vs  the same list comprehension
#   explained:   score_many, then read every breakdown, no goal
# Goal: score_many <= 2x.
from __future__ import annotations

import argparse
import platform
import random
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pipelinekit as pk
from tests.benchmarks._timing import report

AT = datetime(2026, 11, 22, 12, tzinfo=UTC)
INDUSTRIES = frozenset({"software", "fintech", "healthcare"})
STUDENT = re.compile("(?i)student")
MONTH = timedelta(days=30)
ZERO = Decimal(0)
TWENTY, TEN, MINUS_THIRTY, TWO = Decimal(20), Decimal(10), Decimal(-30), Decimal(2)
SIXTY, HUNDRED, FLOOR = Decimal(60), Decimal(100), Decimal(-50)
MQL, SQL = Decimal(40), Decimal(70)
HALF = Decimal("0.5")


def make_contacts(n: int, seed: int = 7) -> list[pk.Contact]:
    rng = random.Random(seed)
    industries = ["software", "fintech", "healthcare", "retail", "logistics", None]
    titles = ["CTO", "Head of Sales", "Student", "VP Marketing", None]
    channels = [pk.Channel.EVENT, pk.Channel.EMAIL, pk.Channel.CALL, pk.Channel.WEB_FORM]
    kinds = ["webinar", "newsletter", None]
    contacts = []
    for i in range(n):
        account = None
        if rng.random() < 0.9:
            account = pk.Account(
                name=f"Company {i}",
                industry=rng.choice(industries),
                employees=rng.choice([None, rng.randint(1, 5000)]),
            )
        touchpoints = [
            pk.Touchpoint(
                channel=rng.choice(channels),
                kind=rng.choice(kinds),
                timestamp=AT - timedelta(minutes=rng.randint(-2000, 200 * 24 * 60)),
            )
            for _ in range(rng.randint(0, 6))
        ]
        contacts.append(
            pk.Contact(
                id=f"c-{i}",
                name=f"Person {i}",
                title=rng.choice(titles),
                account=account,
                touchpoints=touchpoints,
            )
        )
    return contacts


def model() -> pk.PointsModel:
    return pk.PointsModel(
        rules=[
            pk.Rule(pk.field("account.employees") >= 100, points=20),
            pk.Rule(pk.field("account.industry").is_in(INDUSTRIES), points=10),
            pk.Rule(pk.field("title").matches("(?i)student"), points=-30),
            pk.EventRule(
                channel="event",
                kind="webinar",
                points=10,
                decay=pk.Decay.linear(percent=50, every=MONTH),
            ),
            pk.EventRule(channel="email", points=2, window=MONTH),
        ],
        group_caps={"engagement": 60},
        cap=100,
        floor=-50,
        thresholds={"mql": 40, "sql": 70},
    )


def hand_written(c: pk.Contact, at: datetime) -> tuple[Decimal, str | None]:
    fit = ZERO
    account = c.account
    if account is not None:
        employees = account.employees
        if employees is not None and employees >= 100:  # the rule
            fit += TWENTY
        industry = account.industry
        if industry is not None and industry in INDUSTRIES:
            fit += TEN
    title = c.title
    if title is not None and STUDENT.search(title):
        fit += MINUS_THIRTY
    engagement = ZERO
    for t in c.touchpoints:
        if t.timestamp > at:
            continue
        age = at - t.timestamp
        if t.channel is pk.Channel.EVENT and t.kind == "webinar":
            periods = age // MONTH
            if periods == 1:
                engagement += TEN * HALF
            elif periods == 0:
                engagement += TEN
        elif t.channel is pk.Channel.EMAIL and age <= MONTH:
            engagement += TWO
    engagement = min(engagement, SIXTY)
    total = max(min(fit + engagement, HUNDRED), FLOOR)
    grade = "sql" if total >= SQL else "mql" if total >= MQL else None
    return total, grade


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    contacts = make_contacts(args.n)
    m = model()
    expected = [hand_written(c, AT) for c in contacts]
    assert [(s.total, s.grade) for s in m.score_many(contacts, at=AT)] == expected
    assert [(m.score(c, at=AT).total, m.score(c, at=AT).grade) for c in contacts[:2000]] == (
        expected[:2000]
    )
    touchpoints = sum(len(c.touchpoints) for c in contacts)
    graded = sum(1 for _, grade in expected if grade is not None)
    print(
        f"pipelinekit scoring: {args.n:,} contacts, {touchpoints:,} touchpoints, "
        f"{graded:,} graded mql or sql"
    )
    print(f"Python {platform.python_version()} on {platform.machine()}, repeat={args.repeat}")

    def ours_many() -> None:
        m.score_many(contacts, at=AT)

    def ours_each() -> None:
        for c in contacts:
            m.score(c, at=AT)

    def explained() -> None:
        for score in m.score_many(contacts, at=AT):
            _ = score.breakdown

    def theirs() -> None:
        [hand_written(c, AT) for c in contacts]

    pairs = [
        ("score_many", ours_many, theirs, 2.0),
        ("score", ours_each, theirs, None),
        ("explained", explained, theirs, None),
    ]
    report(pairs, n=args.n, repeat=args.repeat)


if __name__ == "__main__":
    main()
