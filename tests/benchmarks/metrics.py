# Benchmark: metrics.funnel + time_in_stage + weighted_pipeline against a hand-written loop.
#
#   .venv/bin/python -m tests.benchmarks.metrics [--n 1000000] [--pool 20000] [--repeat 3]
#
# The population is a stream of --n contacts (3-5 stage changes each, about a third with an
# open deal in EUR or USD), cycled from a pool of --pool distinct realistic contacts so the
# stream itself costs no memory: both sides read the same generator, once per run, as a
# caller streaming rows from a database would pass them.
#   pipelinekit:  funnel(stream), time_in_stage(stream, at=), weighted_pipeline(stream): three
#                 calls, so three passes, each checking every history against the spec.
#   hand-written: ONE pass computing the same numbers (reached per forward stage, median, p90
#                 and Kaplan-Meier median per stage, count / amount / weighted per currency and
#                 forecast category) for the default pipeline, with its stage names, outcomes and
#                 probabilities hard-coded, no checks, durations kept in plain lists.
# Timing is the median of --repeat interleaved runs, collector off while timed. Peak memory
# is measured apart (tracemalloc, one run each): what the computation allocates beyond the
# pool. Goal: pipelinekit within 1.5x the hand-written loop; memory bounded by the number
# of stays (8 bytes each), never a copy of the histories.
from __future__ import annotations

import argparse
import itertools
import platform
import random
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import Any

import pipelinekit as pk
from pipelinekit import metrics
from tests.benchmarks._timing import medians

AT = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
MICRO = timedelta(microseconds=1)
STAGES = ("lead", "prospect", "opportunity", "customer", "disqualified", "lost")
FORWARD = ("lead", "prospect", "opportunity", "customer")
OPEN = {"lead": Decimal("0.05"), "prospect": Decimal("0.1"), "opportunity": Decimal("0.4")}
# Paths of 3 to 5 changes through the default pipeline (event, target).
PATHS = [
    [("qualify", "prospect"), ("convert", "opportunity"), ("win", "customer")],
    [("qualify", "prospect"), ("convert", "opportunity"), ("lose", "lost"), ("recycle", "lead")],
    [("disqualify", "disqualified"), ("recycle", "lead"), ("qualify", "prospect")],
    [
        ("qualify", "prospect"),
        ("disqualify", "disqualified"),
        ("recycle", "lead"),
        ("qualify", "prospect"),
        ("convert", "opportunity"),
    ],
    [
        ("qualify", "prospect"),
        ("convert", "opportunity"),
        ("lose", "lost"),
        ("recycle", "lead"),
        ("qualify", "prospect"),
    ],
]


def make_pool(size: int, seed: int = 11) -> list[pk.Contact]:
    rng = random.Random(seed)
    pool = []
    for i in range(size):
        path = rng.choice(PATHS)
        created = AT - timedelta(days=400) + timedelta(seconds=rng.randint(0, 86_400 * 100))
        moment, stage, history = created, "lead", []
        for event, target in path:
            moment += timedelta(seconds=rng.randint(0, 86_400 * 40))
            reason = "price" if target in ("lost", "disqualified") else None
            history.append(
                pk.StageChange(event=event, source=stage, target=target, at=moment, reason=reason)
            )
            stage = target
        deal = None
        if rng.random() < 0.4:
            deal = pk.Opportunity(
                amount=pk.Money(rng.randint(1, 500) * 100, rng.choice(["EUR", "USD"])),
                probability=rng.choice([None, None, "0.25", "0.6"]),
            )
        pool.append(
            pk.Contact(
                id=f"c-{i}",
                name=f"Person {i}",
                email=f"p{i}@example.com",
                account=pk.Account(name=f"Account {i}", employees=rng.randint(1, 5000)),
                source=rng.choice(["webinar", "ads", "referral"]),
                owner="rep-7",
                created_at=created,
                stage=stage,
                history=history,
                version=len(history),
                opportunity=deal,
            )
        )
    return pool


def stream(pool: list[pk.Contact], n: int) -> Iterator[pk.Contact]:
    return itertools.islice(itertools.cycle(pool), n)


def with_pipelinekit(pool: list[pk.Contact], n: int) -> tuple[Any, Any, Any]:
    return (
        metrics.funnel(stream(pool, n)),
        metrics.time_in_stage(stream(pool, n), at=AT),
        metrics.weighted_pipeline(stream(pool, n)),
    )


def _quantile(ordered: list[int], q: Fraction) -> timedelta | None:
    if not ordered:
        return None
    position = (len(ordered) - 1) * q
    low = int(position)
    value = Fraction(ordered[low])
    if low + 1 < len(ordered):
        value += (position - low) * (ordered[low + 1] - ordered[low])
    return timedelta(microseconds=round(value))


def _km_median(events: list[int], censored: list[int]) -> timedelta | None:
    at_risk, survival, i, j = len(events) + len(censored), 1.0, 0, 0
    while i < len(events):
        time = events[i]
        while j < len(censored) and censored[j] < time:
            j, at_risk = j + 1, at_risk - 1
        ended = 0
        while i < len(events) and events[i] == time:
            i, ended = i + 1, ended + 1
        survival *= (at_risk - ended) / at_risk
        at_risk -= ended
        if survival <= 0.5 + 1e-12:
            return timedelta(microseconds=time)
    return None


def handwritten(pool: list[pk.Contact], n: int) -> tuple[Any, Any, Any]:
    reached = dict.fromkeys(FORWARD, 0)
    done: dict[str, list[int]] = {s: [] for s in STAGES}
    running: dict[str, list[int]] = {s: [] for s in STAGES}
    sums: dict[tuple[str, str], list[Any]] = {}
    for c in stream(pool, n):
        stage = c.stage
        seen = {stage}
        start = c.created_at
        for change in c.history:
            seen.add(change.source)
            seen.add(change.target)
            if start is not None:
                done[change.source].append((change.at - start) // MICRO)
            start = change.at
        if start is not None:
            running[stage].append((AT - start) // MICRO)
        for name in seen:
            if name in reached:
                reached[name] += 1
        deal = c.opportunity
        if stage in OPEN and deal is not None and deal.amount is not None:
            p = deal.probability if deal.probability is not None else OPEN[stage]
            entry = sums.setdefault((deal.amount.currency, "pipeline"), [0, Decimal(0), Decimal(0)])
            entry[0] += 1
            entry[1] += deal.amount.amount
            entry[2] += deal.amount.amount * p
    first = reached[FORWARD[0]]
    funnel = [(s, reached[s], Fraction(reached[s], first) if first else None) for s in FORWARD]
    stays = []
    for s in STAGES:
        events, still = sorted(done[s]), sorted(running[s])
        stays.append(
            (
                s,
                len(events) + len(still),
                len(events),
                _quantile(events, Fraction(1, 2)),
                _quantile(events, Fraction(9, 10)),
                _km_median(events, still),
            )
        )
    weighted = {k: (v[0], pk.Money(v[1], k[0]), pk.Money(v[2], k[0])) for k, v in sums.items()}
    return funnel, stays, weighted


def same_numbers(ours: tuple[Any, Any, Any], theirs: tuple[Any, Any, Any]) -> None:
    funnel, stays, weighted = ours
    hand_funnel, hand_stays, hand_weighted = theirs
    assert [(r["stage"], r["reached"]) for r in funnel] == [(s, n) for s, n, _ in hand_funnel]
    assert [r["cumulative_conversion"] for r in funnel] == [
        None if f is None else Decimal(f.numerator) / f.denominator for _, _, f in hand_funnel
    ]
    assert [tuple(r.values()) for r in stays] == hand_stays
    assert {
        (r["currency"], r["forecast"]): (r["count"], r["amount"], r["weighted"]) for r in weighted
    } == hand_weighted


def peak_mb(run: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--pool", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    pool = make_pool(args.pool)
    changes = sum(len(c.history) for c in pool) / len(pool)
    same_numbers(with_pipelinekit(pool, args.pool), handwritten(pool, args.pool))

    ours, theirs = medians(
        lambda: with_pipelinekit(pool, args.n),
        lambda: handwritten(pool, args.n),
        repeat=args.repeat,
    )
    small = max(args.n // 10, 1)
    memory = {
        name: (peak_mb(partial(run, pool, small)), peak_mb(partial(run, pool, args.n)))
        for name, run in (("pipelinekit", with_pipelinekit), ("hand-written", handwritten))
    }
    print(f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    print(
        f"{args.n} contacts streamed from a pool of {args.pool} ({changes:.1f} changes each);"
        f" median of {args.repeat}"
    )
    print(f"  pipelinekit (3 calls)   {ours:7.2f} s  {ours / args.n * 1e6:6.2f} us/contact")
    print(f"  hand-written (1 pass)   {theirs:7.2f} s  {theirs / args.n * 1e6:6.2f} us/contact")
    print(f"  pipelinekit / hand-written: {ours / theirs:.2f}x   (goal <= 1.5x)")
    for name, (tenth, full) in memory.items():
        print(f"  peak memory {name:13} {tenth:7.1f} MB at n/10, {full:7.1f} MB at n")


if __name__ == "__main__":
    main()
