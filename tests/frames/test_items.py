"""``any_item`` / ``count_items`` over list columns: explode, count, join back.

The random-table agreement (``test_agreement.py``) covers item checks on every backend; these
are the cases written down: what an item is, missing and empty lists, a missing item, a column
that is no list, nested lists, the columns frames adds and drops, and the errors.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
import pandas as pd
import polars as pl
import pytest

import pipelinekit as pk
from pipelinekit import frames

AT = datetime(2026, 11, 22, 12, tzinfo=UTC)
OUTCOME = {pk.Outcome.PASS: True, pk.Outcome.FAIL: False, pk.Outcome.UNKNOWN: None}

PEOPLE = [
    [{"role": "eb", "score": 9}, {"role": "user", "score": None}],  # one passes
    [],  # empty
    None,  # missing
    [None],  # one item, nothing recorded on it
    [{"role": None, "score": 3}],  # a field missing
    [{"role": "user", "score": 8}, {"role": "champion", "score": 7}],
]
FRAME = pl.DataFrame({"id": list(range(len(PEOPLE))), "people": PEOPLE})


def rowwise(q: pk.Qualifier, df: pl.DataFrame) -> list[bool | None]:
    return [OUTCOME[q.evaluate(r, at=AT).outcome] for r in df.to_dicts()]


def on_every_eager_and_lazy(q: pk.Qualifier, df: pl.DataFrame) -> list[list[bool | None]]:
    """The answers on polars (eager, lazy), pyarrow, pandas and DuckDB, in row order."""
    lazy = frames.evaluate(q, df.lazy(), at=AT).collect()["qualified"].to_list()
    relation = frames.evaluate(q, duckdb.from_arrow(df.to_arrow()), at=AT)
    ducked = relation.pl().sort("id")["qualified"].to_list()
    pandas = frames.evaluate(q, df.to_pandas(use_pyarrow_extension_array=True), at=AT)
    return [
        frames.evaluate(q, df, at=AT).to_list(),
        lazy,
        frames.evaluate(q, df.to_arrow(), at=AT).to_pylist(),
        [None if v is pd.NA else bool(v) for v in pandas],
        ducked,
    ]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (pk.any_item("people", pk.field("role") == "eb"), [True, False, None, None, None, False]),
        (
            pk.any_item("people", pk.field("role") == "eb", empty_is_unknown=True),
            [True, None, None, None, None, False],
        ),
        (
            pk.count_items("people", pk.field("score") >= 7, at_least=2),
            [None, False, None, False, False, True],
        ),
        # A missing item is an item with every field missing, as row-wise reads a None item.
        (
            pk.any_item("people", pk.field("role").is_missing()),
            [False, False, None, True, True, False],
        ),
        (
            ~pk.any_item("people", pk.field("score") >= 8) & (pk.field("id") > 0),
            [False, True, None, None, True, False],
        ),
    ],
    ids=["any", "empty-unknown", "count", "missing-item", "composed"],
)
def test_written_down_cases(q: pk.Qualifier, expected: list[bool | None]) -> None:
    assert rowwise(q, FRAME) == expected
    for answer in on_every_eager_and_lazy(q, FRAME):
        assert answer == expected


def test_nested_lists() -> None:
    """A list inside the items: the exploded rows are exploded again."""
    df = pl.DataFrame(
        {
            "id": [0, 1, 2, 3],
            "people": [
                [{"calls": [{"n": 3}, {"n": 0}]}, {"calls": []}],
                [{"calls": None}],
                [{"calls": [{"n": 1}]}, {"calls": [{"n": 2}, None]}],
                [],
            ],
        }
    )
    q = pk.count_items("people", pk.any_item("calls", pk.field("n") >= 2), at_least=1)
    expected = rowwise(q, df)
    assert expected == [True, None, True, False]
    for answer in on_every_eager_and_lazy(q, df):
        assert answer == expected


def test_a_column_that_is_no_list_is_unknown() -> None:
    """Text is not a collection (row-wise: UNKNOWN); neither is a record."""
    df = pl.DataFrame({"people": ["eb", None], "rec": [{"role": "eb"}, None]})
    for path in ("people", "rec"):
        q = pk.any_item(path, pk.field("role") == "eb")
        assert frames.evaluate(q, df).to_list() == [None, None] == rowwise(q, df)


def test_a_list_of_nulls_only() -> None:
    """A list column whose items have no type (all null): every item's fields are missing."""
    df = pl.DataFrame({"people": [[None], [], None]})
    q = pk.any_item("people", pk.field("role").is_missing())
    assert frames.evaluate(q, df).to_list() == rowwise(q, df) == [True, False, None]


def test_struct_field_lists_and_time_rules() -> None:
    """The list read from a struct field; a time rule inside the items reads ``at``."""
    df = pl.DataFrame(
        {
            "deal": [
                {"people": [{"seen": AT - timedelta(days=3)}]},
                {"people": [{"seen": AT - timedelta(days=40)}]},
                None,
            ]
        }
    )
    q = pk.any_item("deal.people", pk.field("seen").within_last(timedelta(days=30)))
    assert frames.evaluate(q, df, at=AT).to_list() == rowwise(q, df) == [True, False, None]
    lazy = frames.evaluate(q, df.lazy(), at=AT).collect()
    assert lazy["qualified"].to_list() == [True, False, None]


def test_the_columns_added_are_dropped() -> None:
    """The row key and the counts never reach an answer, even named like a user column."""
    df = FRAME.with_columns(pl.lit(1).alias("__pipelinekit_row0"))
    q = pk.any_item("people", pk.field("role") == "eb")
    lazy = frames.evaluate(q, df.lazy(), at=AT).collect()
    assert lazy.columns == [*df.columns, "qualified"]
    assert lazy["__pipelinekit_row0"].to_list() == [1] * len(PEOPLE)
    relation = frames.evaluate(q, duckdb.from_arrow(df.to_arrow()), at=AT)
    assert relation.columns == [*df.columns, "qualified"]
    kept = frames.filter(q, df.lazy(), at=AT).collect()
    assert kept.columns == df.columns
    assert kept["id"].to_list() == [0]
    assert frames.filter(q, df.to_pandas(), at=AT)["id"].tolist() == [0]


def test_one_step_per_node_however_often_visited() -> None:
    """outcomes visits the criteria and the total: the counts are computed once per node."""
    buyer = pk.any_item("people", pk.field("role") == "eb").named("Buyer")
    scored = pk.count_items("people", pk.field("score") >= 7, at_least=2).named("Scored")
    q = (buyer | scored).named("Fit")
    table = frames.outcomes(q, FRAME, as_text=True, keep=["id"])
    assert table.columns == ["id", "Buyer", "Scored", "Fit"]
    assert table["Fit"].to_list() == ["pass", "fail", "unknown", "unknown", "unknown", "pass"]
    relation = frames.outcomes(q, duckdb.from_arrow(FRAME.to_arrow()), keep=["id"])
    assert relation.columns == ["id", "Buyer", "Scored", "Fit"]


def test_criteria_inside_items_are_not_columns() -> None:
    inner = (pk.field("role") == "eb").named("Role")
    assert frames.outcomes(pk.any_item("people", inner), FRAME).columns == ["qualified"]
    q = pk.any_item("people", inner).named("Buyer") & (pk.field("id") >= 0)
    assert frames.outcomes(q, FRAME).columns == ["Buyer", "qualified"]


def test_a_field_the_items_lack_is_named() -> None:
    q = pk.any_item("people", pk.field("rol") == "eb")
    with pytest.raises(pk.QualifierError, match=r"no field 'people\[\]\.rol' in the items"):
        frames.evaluate(q, FRAME)
    with pytest.raises(pk.QualifierError, match=r"fields: role, score"):
        frames.evaluate(q, FRAME)
    nested = pk.any_item("people", pk.any_item("calls", pk.field("x") == 1))
    df = pl.DataFrame({"people": [[{"calls": [{"n": 1}]}]]})
    with pytest.raises(pk.QualifierError, match=r"'people\[\]\.calls\[\]\.x'"):
        frames.evaluate(nested, df)


def test_items_that_are_not_records() -> None:
    q = pk.any_item("tags", pk.field("x") == 1)
    with pytest.raises(pk.QualifierError, match="the items are not records"):
        frames.evaluate(q, pl.DataFrame({"tags": [["a"]]}))


def test_a_missing_list_column_is_named() -> None:
    with pytest.raises(pk.QualifierError, match="no column for path 'stakeholders'"):
        frames.evaluate(pk.any_item("stakeholders", pk.field("role") == "eb"), FRAME)


def test_bant_over_normalised_documents() -> None:
    """BANT's Authority (an item check over stakeholders) on ``pd.json_normalize`` output."""
    account = pk.Account(name="Acme", industry="software", employees=250, country="DE")
    contacts = [
        pk.Contact(
            id="c-1",
            name="Jane",
            account=account,
            authority=True,
            stakeholders=[pk.Stakeholder(name="Bob", role=pk.Role.ECONOMIC_BUYER)],
        ),
        pk.Contact(
            id="c-2", name="Joe", stakeholders=[pk.Stakeholder(name="Al", role=pk.Role.USER)]
        ),
        pk.Contact(id="c-3", name="Ann"),
    ]
    df = pd.json_normalize([pk.to_dict(c) for c in contacts])
    bant = pk.frameworks.bant()
    table = frames.outcomes(bant, df, at=AT, as_text=True)
    expected = [
        {v.name: v.outcome.value for v in bant.evaluate(c, at=AT).children} for c in contacts
    ]
    assert table["Authority"].tolist() == [e["Authority"] for e in expected]
    assert table["Need"].tolist() == [e["Need"] for e in expected]
