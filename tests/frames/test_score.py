"""frames.score: the totals of ``model.score(contact)`` for every row, exactly."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit import frames

AT = datetime(2026, 11, 22, 12, tzinfo=UTC)

CRITERIA = [
    pk.field("account.employees") >= 100,
    pk.field("account.industry").is_in({"software", "fintech"}),
    pk.field("title").matches("[Cc]hief|VP"),
    pk.field("authority") == True,  # noqa: E712  # builds a leaf
    pk.field("budget") >= pk.Money("10000", "EUR"),
    pk.field("timeline").within_next(timedelta(days=90)),
    ~(pk.field("account.employees") < 10),
    pk.at_least(2, pk.field("authority") == True, pk.field("title").is_known()),  # noqa: E712
]
POINTS = st.sampled_from([-30, 5, 10, 20, Decimal("2.5"), Decimal("0.1"), Decimal("0.2")])
GROUPS = st.sampled_from(["fit", "engagement"])

SCHEMA: dict[str, Any] = {
    "account.employees": pl.Int64,
    "account.industry": pl.String,
    "title": pl.String,
    "authority": pl.Boolean,
    "budget.amount": pl.Float64,
    "budget.currency": pl.String,
    "timeline": pl.Date,
}


@st.composite
def models(draw: st.DrawFn) -> pk.PointsModel:
    rules = draw(
        st.lists(
            st.builds(
                lambda q, p, g: pk.Rule(q, points=p, group=g),
                st.sampled_from(CRITERIA),
                POINTS,
                GROUPS,
            ),
            min_size=1,
            max_size=6,
        )
    )
    groups = {r.group for r in rules}
    caps = draw(
        st.dictionaries(st.sampled_from(sorted(groups)), st.sampled_from([0, 15, 25]), max_size=2)
    )
    floors = draw(
        st.dictionaries(st.sampled_from(sorted(groups)), st.sampled_from([0, -10]), max_size=2)
    )
    cap = draw(st.sampled_from([None, 30, Decimal("12.5")]))
    floor = draw(st.sampled_from([None, -20, 0]))
    thresholds = draw(st.sampled_from([{}, {"mql": 10}, {"mql": 10, "sql": 25}]))
    return pk.PointsModel(
        rules=rules,
        group_caps=caps,
        group_floors=floors,
        cap=cap,
        floor=floor,
        thresholds=thresholds,
    )


CELLS = st.fixed_dictionaries(
    {
        "account.employees": st.one_of(st.none(), st.sampled_from([0, 5, 50, 100, 250])),
        "account.industry": st.one_of(st.none(), st.sampled_from(["software", "retail"])),
        "title": st.one_of(st.none(), st.sampled_from(["VP Sales", "Chief of Staff", "intern"])),
        "authority": st.one_of(st.none(), st.booleans()),
        "budget.amount": st.one_of(st.none(), st.sampled_from([5000.0, 25000.0])),
        "budget.currency": st.sampled_from(["EUR", "USD"]),
        "timeline": st.one_of(
            st.none(), st.integers(-10, 200).map(lambda n: AT.date() + timedelta(days=n))
        ),
    }
)


def contact(cell: dict[str, Any]) -> pk.Contact:
    employees, industry = cell["account.employees"], cell["account.industry"]
    account = None
    if employees is not None or industry is not None:
        account = pk.Account(name="Acme", employees=employees, industry=industry)
    amount = cell["budget.amount"]
    budget = None if amount is None else pk.Money(repr(amount), cell["budget.currency"])
    return pk.Contact(
        id="c",
        name="N",
        title=cell["title"],
        authority=cell["authority"],
        account=account,
        budget=budget,
        timeline=cell["timeline"],
    )


def frame(cells: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame({k: [c[k] for c in cells] for k in SCHEMA}, schema=SCHEMA)


def _exact(values: list[Any], totals: list[Decimal]) -> None:
    assert len(values) == len(totals)
    for value, total in zip(values, totals, strict=True):
        if isinstance(value, int):
            assert Decimal(value) == total
        else:
            assert value == float(total), (value, total)


class TestAgreement:
    @settings(max_examples=60)
    @given(model=models(), cells=st.lists(CELLS, max_size=6))
    def test_totals_are_the_row_wise_totals(
        self, model: pk.PointsModel, cells: list[dict[str, Any]]
    ) -> None:
        scores = [model.score(contact(c), at=AT) for c in cells]
        totals = [s.total for s in scores]
        df = frame(cells)
        _exact(frames.score(model, df, at=AT).to_list(), totals)
        pandas = df.to_pandas(use_pyarrow_extension_array=True)
        _exact(list(frames.score(model, pandas, at=AT)), totals)
        relation = duckdb.from_arrow(df.with_row_index("row").to_arrow())
        rows = frames.score(model, relation, at=AT).pl().sort("row")["score"].to_list()
        _exact(rows, totals)
        detail = frames.score(model, df.lazy(), at=AT, detail=True).collect()
        for group in model.groups:
            _exact(detail[group].to_list(), [s.groups[group] for s in scores])
        if model.thresholds:
            assert detail["grade"].to_list() == [s.grade for s in scores]


class TestScore:
    def test_whole_points_give_an_integer_column(self) -> None:
        model = pk.PointsModel(rules=[pk.Rule(pk.field("x") >= 1, points=3)])
        result = frames.score(model, pl.DataFrame({"x": [1, 0, None]}), at=AT)
        assert result.dtype == pl.Int64
        assert result.to_list() == [3, 0, 0]

    def test_decimal_points_are_added_exactly(self) -> None:
        """0.1 + 0.2 is 0.3 (the float nearest), not 0.30000000000000004."""
        model = pk.PointsModel(
            rules=[
                pk.Rule(pk.field("x") >= 1, points="0.1"),
                pk.Rule(pk.field("x") >= 1, points="0.2"),
            ]
        )
        assert frames.score(model, pl.DataFrame({"x": [1]}), at=AT).to_list() == [0.3]

    def test_event_rules_are_refused_by_name(self) -> None:
        model = pk.PointsModel(rules=[pk.EventRule(channel="event", kind="webinar", points=10)])
        with pytest.raises(pk.QualifierError, match=r"rules\[0\].*EventRule"):
            frames.score(model, pl.DataFrame({"x": [1]}), at=AT)

    def test_at_is_required(self) -> None:
        model = pk.PointsModel(rules=[pk.Rule(pk.field("x") >= 1, points=3)])
        with pytest.raises(pk.FieldTypeError, match="at"):
            frames.score(model, pl.DataFrame({"x": [1]}))

    def test_bad_arguments(self) -> None:
        model = pk.PointsModel(rules=[pk.Rule(pk.field("x") >= 1, points=3)])
        df = pl.DataFrame({"x": [1]})
        with pytest.raises(pk.QualifierError, match="PointsModel"):
            frames.score("model", df, at=AT)  # type: ignore[arg-type]
        with pytest.raises(pk.QualifierError, match="detail"):
            frames.score(model, df, at=AT, detail=1)  # type: ignore[arg-type]
        with pytest.raises(pk.QualifierError, match="name"):
            frames.score(model, df, at=AT, name="")

    def test_lazy_stays_lazy(self) -> None:
        model = pk.PointsModel(rules=[pk.Rule(pk.field("x") >= 1, points=3)])
        lazy = frames.score(
            model, pl.DataFrame({"id": [7], "x": [1]}).lazy(), at=AT, detail=True, keep=["id"]
        )
        assert isinstance(lazy, pl.LazyFrame)
        assert lazy.collect().rows() == [(7, 3, 3)]


def test_dates_in_the_model_read_ats_date() -> None:
    """A guard that the test's own timeline values are dates (the column is a date column)."""
    assert isinstance(AT.date(), date)
