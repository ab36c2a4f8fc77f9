"""The scale-out example: one qualifier and points model on every engine, checked row by row.

SQLFrame (the PySpark API over DuckDB, no JVM), DuckDB, polars and pandas run always; the
real engines, a Dask LocalCluster and PySpark in local mode, run in the tests marked
``dask`` and ``spark`` (``.ci/run`` runs them: ``pytest -m "spark or dask"``).
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pipelinekit.frames")
pytest.importorskip("polars")
pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")
pytest.importorskip("sqlframe")

import pyarrow.parquet as pq

import pipelinekit as pk

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import scale_out as example

ALWAYS = ("polars", "pandas", "duckdb", "sqlframe")


def test_the_partitions_hold_every_contact_once_with_warehouse_types(tmp_path: Path) -> None:
    contacts = example.make_contacts(1001)
    folder = example.write_partitions(contacts, tmp_path, partitions=4)
    files = sorted(folder.glob("part-*.parquet"))
    assert len(files) == 4
    tables = [pq.read_table(f) for f in files]
    ids = [key for t in tables for key in t.column("id").to_pylist()]
    assert ids == [c.id for c in contacts]
    schema = tables[0].schema
    assert str(schema.field("budget_amount").type) == "decimal128(12, 2)"
    assert str(schema.field("timeline").type) == "date32[day]"
    # every path the criteria read has a column
    assert set(example.COLUMNS.values()) <= set(schema.names)


def test_partitions_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="partitions must be at least 1, got 0"):
        example.write_partitions(example.make_contacts(3), tmp_path, partitions=0)


def test_the_data_set_reaches_every_outcome_and_the_score_cap() -> None:
    answers = example.row_wise(example.make_contacts(2000))
    assert {outcome for outcome, _ in answers.values()} == {"pass", "fail", "unknown"}
    totals = {total for _, total in answers.values()}
    assert max(totals) == Decimal(60)  # the model's cap is reached
    assert min(totals) < 0  # students lose points
    # other-currency budgets are among the data: Budget is UNKNOWN for them, as row-wise
    budget = pk.field("budget") >= pk.Money("10000", "EUR")
    usd = [c for c in example.make_contacts(2000) if c.budget and c.budget.currency == "USD"]
    assert usd
    assert {budget.evaluate(c).outcome for c in usd} == {pk.Outcome.UNKNOWN}


def test_single_machine_engines_and_sqlframe_agree_with_row_wise_on_every_row(
    tmp_path: Path,
) -> None:
    result = example.run(tmp_path, rows=3000, partitions=3, engines=ALWAYS, sample=3000)
    assert result.sampled == 3000
    assert list(result.seconds) == list(ALWAYS)
    assert len(result.reference) == 3000
    assert "3,000 contacts in 3 Parquet partitions" in str(result)


def test_a_wrong_answer_is_caught() -> None:
    reference: example.Answers = {"a": ("pass", Decimal(10)), "b": ("unknown", Decimal(0))}
    example.compare("same", dict(reference), reference)
    with pytest.raises(example.Disagreement, match=r"1 of 2 rows differ \(b: \('fail'"):
        example.compare("wrong", {**reference, "b": ("fail", Decimal(0))}, reference)
    with pytest.raises(example.Disagreement, match=r"\(a: \('pass', Decimal\('11'\)\)"):
        example.compare("points", {**reference, "a": ("pass", Decimal(11))}, reference)
    with pytest.raises(example.Disagreement, match="0 rows too many, 1 missing"):
        example.compare("short", {"a": reference["a"]}, reference)


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"unknown engines \['hive'\]"):
        example.run(tmp_path, rows=10, engines=["hive"])


def test_main_prints_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    example.main(["polars", "duckdb"], rows=500)
    out = capsys.readouterr().out
    assert "500 contacts in 4 Parquet partitions" in out
    assert "row-wise q.evaluate and model.score on 500 contacts: the same" in out
    assert out.splitlines()[-1].startswith("duckdb")


@pytest.mark.dask
def test_dask_on_a_local_cluster_of_two_workers(tmp_path: Path) -> None:
    """Money on a decimal128 amount column, a date column, case-insensitive matches: every
    row as polars and row-wise answer it (the suite turns any warning into an error, so
    narwhals' Dask deprecation warning would fail this too: frames never wraps a Dask frame)."""
    pytest.importorskip("dask.distributed")
    with example.dask_cluster(2) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        result = example.run(tmp_path, rows=4000, partitions=4, engines=["dask"], dask=client)
    assert list(result.seconds) == ["dask"]


@pytest.mark.spark
def test_pyspark_in_local_mode(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    with example.spark_session() as spark:
        result = example.run(tmp_path, rows=4000, partitions=4, engines=["spark"], spark=spark)
    assert list(result.seconds) == ["spark"]
