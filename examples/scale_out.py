"""Scale-out: a qualifier and a points model over a partitioned table, on real engines.

A data team runs the sales team's criteria nightly over the warehouse's contact table. The
criteria are pipelinekit values (a BANT-like qualifier and a points model), compiled by
:mod:`pipelinekit.frames` to each engine's own expressions, so the rows never leave the
engine and never become Python objects.

The example

1. makes ``n`` realistic contacts (some facts missing) and writes them as a partitioned
   Parquet data set with snake_case warehouse columns (``account_employees``,
   ``budget_amount``, ...) into a folder the caller gives; ``COLUMNS`` maps the
   qualifier's paths to those columns;
2. answers, for every row, the qualifier's three-valued outcome and the points total:
   single-machine with polars or pandas (pyarrow dtypes), with DuckDB, with SQLFrame (the
   PySpark API over DuckDB, no JVM), on a Dask ``LocalCluster`` of 2 workers and on PySpark
   in local mode (``local[2]``);
3. checks every engine against the single-machine answer, and the single-machine answer
   against row-wise ``q.evaluate`` and ``model.score`` on the contacts themselves (a
   sample, or all of them).

On the lazy engines (polars ``LazyFrame``, DuckDB, Dask, PySpark, SQLFrame) the job is
:func:`answer`: ``frames.evaluate`` and ``frames.score`` add their columns to the engine's
plan and nothing runs until the answers are collected; pandas, which is eager, gets columns
back. Only the
example does I/O (the Parquet files); the library never does.

The file is not called ``distributed.py``: a module of that name in ``examples/`` would
shadow dask's own ``distributed`` package whenever the folder is on ``sys.path`` (running
the script puts it first), and Dask imports ``distributed`` on every ``compute()``.

The Dask cluster runs its 2 workers as threads of this process (``processes=False``): here
it starts in under a second, where worker processes take seconds to start and to import
pandas, for the same answers.

Run: .venv/bin/python examples/scale_out.py [--all]
(without ``--all``, the engines that need no JVM and no cluster: polars, pandas, DuckDB and
SQLFrame; with it, also Dask and PySpark).
"""

# Each engine is optional, so each is imported by the function that uses it:
# ruff: noqa: PLC0415
from __future__ import annotations

import contextlib
import dataclasses
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias

import pipelinekit as pk

#: The night the job runs (callers pass time in; the library reads no clock).
AT: Final = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)

#: Qualifier paths -> the warehouse table's columns.
COLUMNS: Final[Mapping[str, str]] = {
    "title": "title",
    "authority": "authority",
    "need": "need",
    "timeline": "timeline",
    "budget": "budget_amount",
    "budget.currency": "budget_currency",
    "account.industry": "account_industry",
    "account.employees": "account_employees",
    "account.country": "account_country",
}

#: The engines, in the order main() runs them.
ENGINES: Final = ("polars", "pandas", "duckdb", "sqlframe", "dask", "spark")
#: The engines that need no JVM and no cluster: main()'s default.
LOCAL_ENGINES: Final = ENGINES[:4]

Outcome: TypeAlias = Literal["pass", "fail", "unknown"]
#: One row's answer: the qualifier's outcome and the points total.
Answer: TypeAlias = tuple[Outcome, Decimal]
#: Each row's answer by the row's id.
Answers: TypeAlias = dict[str, Answer]

_INDUSTRIES: Final = ("software", "fintech", "healthcare", "retail", "logistics")
_COUNTRIES: Final = ("DE", "FR", "NL", "GB", "US", "BR")
_TITLES: Final = ("CTO", "Head of Sales", "Student assistant", "VP Marketing", "Buyer")
_NEEDS: Final = ("reporting", "Forecasting", "a faster close", "board reports", "hiring")
_ACTIVITY: Final = (
    ("event", "webinar"),
    ("web_form", "pricing page"),
    ("web_form", "newsletter"),
    ("call", "demo"),
    ("call", None),
    ("email", None),
)


# --- the criteria ---------------------------------------------------------------------


def qualifier() -> pk.Qualifier:
    """Qualified: 3 of Budget, Authority, Need, Timeframe, Fit (named, so outcomes has columns)."""
    budget = (pk.field("budget") >= pk.Money("10000", "EUR")).named("Budget")
    authority = (pk.field("authority") == True).named("Authority")  # noqa: E712  # builds a qualifier
    # case-insensitive, as Python's re reads it, on every engine ("Forecasting" included)
    need = pk.field("need").matches("report|forecast", ignore_case=True).named("Need")
    timeframe = pk.field("timeline").within_next(timedelta(days=180)).named("Timeframe")
    fit = pk.all_of(
        pk.field("account.employees") >= 50,
        pk.field("account.industry").is_in({"software", "fintech", "healthcare"}),
        pk.field("account.country").is_in({"DE", "FR", "NL", "GB"}),
    ).named("Fit")
    return pk.at_least(3, budget, authority, need, timeframe, fit).named("Qualified")


def points_model() -> pk.PointsModel:
    """Fit points (company size, industry, authority, a near decision, no students) and
    engagement points from the touchpoints list (webinars fading by half a month, the three
    newest pricing-page visits of the last two weeks, every demo call)."""
    return pk.PointsModel(
        rules=[
            pk.Rule(pk.field("account.employees") >= 100, points=20),
            pk.Rule(pk.field("account.industry").is_in({"software", "fintech"}), points=10),
            pk.Rule(pk.field("authority") == True, points=15),  # noqa: E712  # builds a qualifier
            pk.Rule(pk.field("timeline").within_next(timedelta(days=90)), points=25),
            pk.Rule(pk.field("title").matches("(?i)student"), points=-30),
            pk.EventRule(
                channel="event",
                kind="webinar",
                points=10,
                decay=pk.Decay.linear(percent=50, every=timedelta(days=30)),
            ),
            pk.EventRule(
                channel="web_form",
                kind="pricing page",
                points="2.5",
                window=timedelta(days=14),
                max_events=3,
            ),
            pk.EventRule(channel="call", kind="demo", points=5),
        ],
        group_caps={"engagement": 25},
        cap=60,
        thresholds={"mql": 30, "sql": 50},
    )


# --- the data set ---------------------------------------------------------------------


def make_contacts(n: int, *, seed: int = 12) -> list[pk.Contact]:
    """``n`` contacts with about one missing fact in six, and some other-currency budgets."""
    rng = random.Random(seed)  # noqa: S311  # made-up data, not secrets

    def maybe(value: object) -> Any:
        return None if rng.random() < 0.15 else value

    def touchpoints() -> list[pk.Touchpoint]:
        return [
            pk.Touchpoint(
                channel=channel,
                kind=kind,
                # whole hours, some in the future of the run (they do not count yet)
                timestamp=AT - timedelta(hours=rng.randint(-48, 24 * 120)),
            )
            for channel, kind in rng.choices(_ACTIVITY, k=rng.choice((0, 0, 1, 2, 3, 5, 8)))
        ]

    contacts = []
    for number in range(n):
        budget = None
        if rng.random() < 0.85:
            currency = "EUR" if rng.random() < 0.9 else "USD"
            budget = pk.Money(f"{rng.randrange(0, 4_000_000) / 100:.2f}", currency)
        account = pk.Account(
            name=f"Company {number}",
            industry=maybe(rng.choice(_INDUSTRIES)),
            employees=maybe(rng.randint(1, 5000)),
            country=maybe(rng.choice(_COUNTRIES)),
        )
        contacts.append(
            pk.Contact(
                id=f"c-{number:07d}",
                name=f"Person {number}",
                title=maybe(rng.choice(_TITLES)),
                authority=maybe(rng.random() < 0.4),
                need=maybe(rng.choice(_NEEDS)),
                timeline=maybe(AT.date() + timedelta(days=rng.randint(-60, 400))),
                budget=budget,
                account=account if rng.random() < 0.95 else None,
                touchpoints=touchpoints(),
            )
        )
    return contacts


def rows(contacts: Sequence[pk.Contact]) -> dict[str, list[Any]]:
    """The contacts as the warehouse's columns (column name -> values, None for missing)."""

    def account(contact: pk.Contact, name: str) -> Any:
        return None if contact.account is None else getattr(contact.account, name)

    return {
        "id": [c.id for c in contacts],
        "title": [c.title for c in contacts],
        "authority": [c.authority for c in contacts],
        "need": [c.need for c in contacts],
        "timeline": [c.timeline for c in contacts],
        "budget_amount": [None if c.budget is None else c.budget.amount for c in contacts],
        "budget_currency": [None if c.budget is None else c.budget.currency for c in contacts],
        "account_industry": [account(c, "industry") for c in contacts],
        "account_employees": [account(c, "employees") for c in contacts],
        "account_country": [account(c, "country") for c in contacts],
        # a list of records per row, as pk.to_dict writes a contact's (timestamps parsed)
        "touchpoints": [
            [
                {"channel": t.channel.value, "kind": t.kind, "timestamp": t.timestamp}
                for t in c.touchpoints
            ]
            for c in contacts
        ],
    }


def arrow_table(contacts: Sequence[pk.Contact]) -> Any:
    """The contacts as a typed pyarrow Table (Decimal amounts, dates, nullable everything)."""
    import pyarrow as pa

    schema = pa.schema(
        [
            ("id", pa.string()),
            ("title", pa.string()),
            ("authority", pa.bool_()),
            ("need", pa.string()),
            ("timeline", pa.date32()),
            ("budget_amount", pa.decimal128(12, 2)),
            ("budget_currency", pa.string()),
            ("account_industry", pa.string()),
            ("account_employees", pa.int64()),
            ("account_country", pa.string()),
            (
                "touchpoints",
                pa.list_(
                    pa.struct(
                        [
                            ("channel", pa.string()),
                            ("kind", pa.string()),
                            ("timestamp", pa.timestamp("us", "UTC")),
                        ]
                    )
                ),
            ),
        ]
    )
    return pa.Table.from_pydict(rows(contacts), schema=schema)


def write_partitions(
    contacts: Sequence[pk.Contact], directory: Path, *, partitions: int = 4
) -> Path:
    """Write the contacts as ``partitions`` Parquet files in ``directory``/contacts; return it."""
    import pyarrow.parquet as pq

    if partitions < 1:
        raise ValueError(f"partitions must be at least 1, got {partitions}")
    table = arrow_table(contacts)
    folder = directory / "contacts"
    folder.mkdir(parents=True, exist_ok=True)
    size = -(-table.num_rows // partitions)  # ceiling division: every file but the last is full
    for part in range(partitions):
        pq.write_table(table.slice(part * size, size), folder / f"part-{part:05d}.parquet")
    return folder


def _files(folder: Path) -> list[str]:
    return sorted(str(path) for path in folder.glob("part-*.parquet"))


# --- the answers ----------------------------------------------------------------------


def row_wise(contacts: Sequence[pk.Contact]) -> Answers:
    """The reference: ``q.evaluate`` and ``model.score`` on each contact object."""
    q, model = qualifier(), points_model()
    return {
        c.id: (_OUTCOME[q.evaluate(c, at=AT).outcome], model.score(c, at=AT).total)
        for c in contacts
    }


_OUTCOME: Final[Mapping[pk.Outcome, Outcome]] = {
    pk.Outcome.PASS: "pass",
    pk.Outcome.FAIL: "fail",
    pk.Outcome.UNKNOWN: "unknown",
}


def _answers(ids: Sequence[Any], verdicts: Sequence[Any], totals: Sequence[Any]) -> Answers:
    """Zip an engine's id, nullable-boolean and points columns into answers."""
    found: Answers = {}
    for key, verdict, total in zip(ids, verdicts, totals, strict=True):
        outcome: Outcome = "unknown" if _is_null(verdict) else "pass" if verdict else "fail"
        found[str(key)] = (outcome, Decimal(str(total)))
    return found


def _is_null(value: object) -> bool:
    # pandas gives pd.NA; Spark, DuckDB and polars give None
    return value is None or type(value).__name__ == "NAType"


def answer(df: Any) -> Any:
    """A lazy frame answered: ``df`` plus its ``qualified`` and ``score`` columns, still lazy.

    This is the whole of the job on every lazy engine (polars ``LazyFrame``, DuckDB, Dask,
    PySpark, SQLFrame): pipelinekit compiles the qualifier and the points model to the
    engine's own expressions and adds their columns to the plan; nothing runs until the
    caller collects.
    """
    from pipelinekit import frames

    qualified = frames.evaluate(qualifier(), df, at=AT, columns=COLUMNS, name="qualified")
    return frames.score(points_model(), qualified, at=AT, columns=COLUMNS, name="score")


# --- engines --------------------------------------------------------------------------


def _collect(result: Any) -> Answers:
    """An answer frame of any library (lazy ones are computed here) as answers by id."""
    import narwhals.stable.v2 as nw

    frame = nw.from_native(result)
    eager = frame.collect() if isinstance(frame, nw.LazyFrame) else frame
    data = eager.select("id", "qualified", "score").to_dict(as_series=False)
    return _answers(data["id"], data["qualified"], data["score"])


def on_polars(folder: Path) -> Answers:
    """Single machine: polars, lazily from the Parquet files (the reference answer)."""
    import polars as pl

    return _collect(answer(pl.scan_parquet(_files(folder))))


def on_pandas(folder: Path) -> Answers:
    """Single machine: pandas with pyarrow dtypes (``dtype_backend="pyarrow"``)."""
    import pandas as pd

    from pipelinekit import frames

    df = pd.read_parquet(folder, dtype_backend="pyarrow")
    # an eager frame gets columns back (Series on df's index)
    answered = df.assign(
        qualified=frames.evaluate(qualifier(), df, at=AT, columns=COLUMNS),
        score=frames.score(points_model(), df, at=AT, columns=COLUMNS),
    )
    return _collect(answered)


def on_duckdb(folder: Path) -> Answers:
    """DuckDB: a relation over the Parquet files, computed when the answers are fetched."""
    import duckdb

    connection = duckdb.connect()
    try:
        return _collect(answer(connection.read_parquet(str(folder / "part-*.parquet"))))
    finally:
        connection.close()


def on_sqlframe(folder: Path) -> Answers:
    """SQLFrame: the PySpark DataFrame API over DuckDB; no JVM, the spark-like path in tests."""
    from sqlframe.duckdb import DuckDBSession

    session = DuckDBSession()
    return _collect(answer(session.read.parquet(str(folder / "part-*.parquet"))))


@contextlib.contextmanager
def dask_cluster(workers: int = 2, *, processes: bool = False) -> Iterator[Any]:
    """A ``dask.distributed`` LocalCluster of ``workers`` workers and a client bound to it."""
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(  # type: ignore[no-untyped-call]  # distributed has no annotations here
            n_workers=workers,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]  # (same)
    ):
        yield client


def on_dask(folder: Path, client: Any = None) -> Answers:
    """Dask: the partitions read lazily, answered on ``client``'s cluster (a new local one)."""
    import dask.dataframe as dd

    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(dask_cluster())
        df = dd.read_parquet(str(folder), dtype_backend="pyarrow")
        with client.as_current():
            # computed on the cluster; the answers come back as one pandas frame
            return _collect(answer(df).compute())


@contextlib.contextmanager
def spark_session() -> Iterator[Any]:
    """A local PySpark session (``local[2]``, no UI, 2 shuffle partitions, UTC)."""
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("pipelinekit-scale-out")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


def on_spark(folder: Path, session: Any = None) -> Answers:
    """PySpark: the Parquet data set read by Spark and answered by Spark's own expressions."""
    with contextlib.ExitStack() as stack:
        if session is None:
            session = stack.enter_context(spark_session())
        return _collect(answer(session.read.parquet(str(folder))))


#: Engine name -> the function answering the data set in a folder.
ENGINE: Final[Mapping[str, Callable[[Path], Answers]]] = {
    "polars": on_polars,
    "pandas": on_pandas,
    "duckdb": on_duckdb,
    "sqlframe": on_sqlframe,
    "dask": on_dask,
    "spark": on_spark,
}


# --- checking and reporting -----------------------------------------------------------


class Disagreement(AssertionError):
    """An engine's answers differ from the reference's (the rows are in the message)."""


def compare(name: str, answers: Answers, reference: Answers) -> None:
    """Raise :class:`Disagreement` unless ``answers`` has exactly ``reference``'s rows."""
    if answers.keys() != reference.keys():
        extra, lost = answers.keys() - reference.keys(), reference.keys() - answers.keys()
        raise Disagreement(f"{name}: {len(extra)} rows too many, {len(lost)} missing")
    wrong = sorted(key for key, answer in answers.items() if answer != reference[key])
    if wrong:
        shown = ", ".join(f"{k}: {answers[k]} != {reference[k]}" for k in wrong[:5])
        raise Disagreement(f"{name}: {len(wrong)} of {len(answers)} rows differ ({shown})")


@dataclasses.dataclass(frozen=True)
class Run:
    """What :func:`run` did: the data set, the row-wise sample, each engine's time and answers."""

    rows: int
    partitions: int
    sampled: int
    seconds: dict[str, float]
    reference: Answers

    def __str__(self) -> str:
        outcomes = Counter(outcome for outcome, _ in self.reference.values())
        scores = [total for _, total in self.reference.values()]
        mean = sum(scores, Decimal(0)) / len(scores) if scores else Decimal(0)
        lines = [
            f"{self.rows:,} contacts in {self.partitions} Parquet partitions",
            f"qualifier: {qualifier()}",
            f"row-wise q.evaluate and model.score on {self.sampled:,} contacts: the same",
            (
                f"qualified: {outcomes['pass']:,} pass, {outcomes['fail']:,} fail, "
                f"{outcomes['unknown']:,} unknown; mean score {mean:.1f}"
            ),
            f"{'engine':10} {'seconds':>8}  answers",
        ]
        lines += [
            f"{name:10} {seconds:8.2f}  same as polars" for name, seconds in self.seconds.items()
        ]
        return "\n".join(lines)


def run(
    directory: Path,
    *,
    rows: int = 20_000,
    partitions: int = 4,
    engines: Sequence[str] = ENGINES,
    sample: int = 2_000,
    spark: Any = None,
    dask: Any = None,
) -> Run:
    """Write the data set in ``directory``, answer it on ``engines``, check every answer.

    The reference is polars (through ``frames``); a random ``sample`` of the contacts (all
    when ``sample >= rows``) is checked row-wise against it, and every engine's answers
    against it, row by row. ``spark`` (a SparkSession) and ``dask`` (a distributed Client)
    are reused when given, else made and closed here.

    Raises:
        Disagreement: an engine, or the row-wise check, gave another answer for some row.
        ValueError: an engine name is not one of :data:`ENGINES`.
    """
    unknown = [name for name in engines if name not in ENGINE]
    if unknown:
        raise ValueError(f"unknown engines {unknown}; choose from {', '.join(ENGINES)}")
    contacts = make_contacts(rows)
    folder = write_partitions(contacts, directory, partitions=partitions)
    reference = on_polars(folder)
    chosen = random.Random(5).sample(  # noqa: S311  # a sample, not a secret
        contacts, min(sample, rows)
    )
    expected = row_wise(chosen)
    compare("row-wise", {key: reference[key] for key in expected}, expected)
    seconds = {}
    for name in engines:
        start = time.perf_counter()
        if name == "spark" and spark is not None:
            answers = on_spark(folder, spark)
        elif name == "dask" and dask is not None:
            answers = on_dask(folder, dask)
        else:
            answers = ENGINE[name](folder)
        seconds[name] = time.perf_counter() - start
        compare(name, answers, reference)
    return Run(
        rows=rows,
        partitions=partitions,
        sampled=len(expected),
        seconds=seconds,
        reference=reference,
    )


def main(engines: Sequence[str] = LOCAL_ENGINES, *, rows: int = 20_000) -> None:
    """Write a data set to a temporary folder, answer it on ``engines``, print a summary."""
    with tempfile.TemporaryDirectory(prefix="pipelinekit-scale-out-") as tmp:
        print(run(Path(tmp), rows=rows, engines=engines))


if __name__ == "__main__":
    main(ENGINES if sys.argv[1:] == ["--all"] else LOCAL_ENGINES)
