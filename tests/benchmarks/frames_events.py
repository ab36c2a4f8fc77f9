# Benchmark: frames.score with event rules (points from a touchpoints list column).
#
#   .venv/bin/python -m tests.benchmarks.frames_events [--n 200000] [--rowwise 20000] [--repeat 5]
#
# One polars table of --n rows, each with 0 to 8 touchpoints (a List(Struct{channel, kind,
# timestamp}) column, about 3.5 a row), and a model of three event rules: webinars with a
# linear decay (50 % every 30 days), the 3 newest pricing-page visits of the last 14 days
# (max_events), and every demo call. Timed in the same run, interleaved (median of --repeat):
#   polars:    frames.score(model, df, at=)  vs  the same points written by hand with polars'
#              own per-item expressions (list.eval: a filter and a sum per rule, the newest
#              three by a sort inside the list), integers at the same scale;
#   row-wise:  frames.score over --n rows  vs  model.score_many over --rowwise contacts, run
#              n / rowwise times over, so both sides cover --n rows.
# The script checks first that the three answers are the same totals. No goal: frames has no
# per-item expressions in narwhals, so it explodes the list and joins the sums back; this
# measures what that costs against polars' native list expressions.
from __future__ import annotations

import argparse
import platform
import random
from datetime import UTC, date, datetime, timedelta

import polars as pl

import pipelinekit as pk
from pipelinekit import frames
from tests.benchmarks._timing import report

AT = datetime(2026, 12, 1, 2, tzinfo=UTC)
ACTIVITY = (
    ("event", "webinar"),
    ("web_form", "pricing page"),
    ("web_form", "newsletter"),
    ("call", "demo"),
    ("email", None),
)
PERIOD = timedelta(days=30)
WINDOW = timedelta(days=14)


def model() -> pk.PointsModel:
    return pk.PointsModel(
        rules=[
            pk.EventRule(
                channel="event",
                kind="webinar",
                points=10,
                decay=pk.Decay.linear(percent=50, every=PERIOD),
            ),
            pk.EventRule(
                channel="web_form", kind="pricing page", points=2, window=WINDOW, max_events=3
            ),
            pk.EventRule(channel="call", kind="demo", points=5),
        ]
    )


def make_contacts(n: int, seed: int = 3) -> list[pk.Contact]:
    rng = random.Random(seed)  # made-up data
    return [
        pk.Contact(
            id=f"c-{i}",
            name="N",
            touchpoints=[
                pk.Touchpoint(
                    channel=channel,
                    kind=kind,
                    timestamp=AT - timedelta(hours=rng.randint(-24, 24 * 90)),
                )
                for channel, kind in rng.choices(ACTIVITY, k=rng.randint(0, 8))
            ],
        )
        for i in range(n)
    ]


def make_frame(contacts: list[pk.Contact], copies: int) -> pl.DataFrame:
    lists = [
        [
            {"channel": t.channel.value, "kind": t.kind, "timestamp": t.timestamp}
            for t in c.touchpoints
        ]
        for c in contacts
    ]
    schema = pl.List(
        pl.Struct({"channel": pl.String, "kind": pl.String, "timestamp": pl.Datetime("us", "UTC")})
    )
    return pl.DataFrame({"touchpoints": lists * copies}, schema={"touchpoints": schema})


def hand_written() -> pl.Expr:
    """The same totals with polars' per-item expressions (points are whole: scale 1)."""
    ts = pl.element().struct.field("timestamp")
    channel, kind = pl.element().struct.field("channel"), pl.element().struct.field("kind")
    age_periods = (pl.lit(AT) - ts).dt.total_microseconds() // (PERIOD // timedelta(microseconds=1))
    webinar = (channel == "event") & (kind == "webinar") & (ts <= AT)
    webinars = pl.col("touchpoints").list.eval(
        pl.when(webinar & (age_periods < 2)).then(10 - 5 * age_periods).otherwise(0).sum()
    )
    pricing = (channel == "web_form") & (kind == "pricing page") & (ts <= AT) & (ts >= AT - WINDOW)
    visits = pl.col("touchpoints").list.eval(pl.element().filter(pricing).len()).list.first()
    demos = pl.col("touchpoints").list.eval(
        ((channel == "call") & (kind == "demo") & (ts <= AT)).sum()
    )
    total = (
        webinars.list.first().fill_null(0)
        + 2 * pl.min_horizontal(visits.fill_null(0), pl.lit(3))
        + 5 * demos.list.first().fill_null(0)
    )
    return total.fill_null(0).cast(pl.Int64)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--rowwise", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    contacts = make_contacts(args.rowwise)
    copies = args.n // args.rowwise
    df = make_frame(contacts, copies)
    scoring = model()
    expected = [int(s.total) for s in scoring.score_many(contacts, at=AT)] * copies
    ours = frames.score(scoring, df, at=AT).to_list()
    theirs = df.select(hand_written().alias("score"))["score"].to_list()
    if ours != expected or theirs != expected:
        raise SystemExit("frames.score, the hand-written expression and row-wise disagree")
    items = df["touchpoints"].list.len().sum()
    print(f"frames.score with 3 event rules over {len(df):,} rows ({items:,} touchpoints)")
    print(f"CPython {platform.python_version()}, polars {pl.__version__}")
    print(f"date {date.today()}")  # the day of the run, for the docs
    n = len(df)
    report(
        [
            (
                "polars",
                lambda: frames.score(scoring, df, at=AT),
                lambda: df.select(hand_written()),
                None,
            ),
            (
                "row-wise",
                lambda: frames.score(scoring, df, at=AT),
                lambda: [scoring.score_many(contacts, at=AT) for _ in range(copies)],
                None,
            ),
        ],
        n=n,
        repeat=args.repeat,
        unit="ns",
    )


if __name__ == "__main__":
    main()
