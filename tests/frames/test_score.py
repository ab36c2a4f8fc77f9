"""frames.score: the totals of ``model.score(contact)`` for every row, exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
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
    # "hot" sorts before "warm" but needs more points: grades must go by points, not names.
    thresholds = draw(
        st.sampled_from([{}, {"mql": 10}, {"mql": 10, "sql": 25}, {"hot": 25, "warm": 10}])
    )
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
    def test_grades_go_by_points_not_by_name(self) -> None:
        employees = pk.field("account.employees")
        model = pk.PointsModel(
            rules=[pk.Rule(employees >= 10, points=10), pk.Rule(employees >= 100, points=20)],
            thresholds={"hot": 25, "warm": 10},
        )
        sizes = [1, 50, 500]
        df = pl.DataFrame({"account.employees": sizes})
        detail = frames.score(model, df, at=AT, detail=True)
        expected = [
            model.score(
                pk.Contact(id=f"c{n}", name="n", account=pk.Account(name="a", employees=n)),
                at=AT,
            )
            for n in sizes
        ]
        assert [s.grade for s in expected] == [None, "warm", "hot"]
        assert detail["grade"].to_list() == [None, "warm", "hot"]

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


# --- event rules: points from the touchpoints list ---------------------------------------

DAY = timedelta(days=1)
TOUCHPOINT = pl.Struct(
    {"channel": pl.String, "kind": pl.String, "timestamp": pl.Datetime("us", "UTC")}
)
#: Ages on and beside the edges of the periods and windows below, ties and the future.
AGES = st.one_of(
    st.sampled_from([0, 1, 7, 14, 30, 60, 90, 100]).flatmap(
        lambda days: st.sampled_from(
            [days * DAY, days * DAY - timedelta(microseconds=1), days * DAY + timedelta(hours=1)]
        )
    ),
    st.integers(-3 * 24, 120 * 24).map(lambda hours: timedelta(hours=hours)),
)
TOUCHPOINTS = st.lists(
    st.builds(
        lambda channel, kind, age: pk.Touchpoint(channel=channel, kind=kind, timestamp=AT - age),
        st.sampled_from(["event", "email", "call"]),
        st.sampled_from([None, "webinar", "demo"]),
        AGES,
    ),
    max_size=6,
)
DECAYS = st.sampled_from(
    [
        None,
        pk.Decay.linear(percent=50, every=timedelta(days=30)),
        pk.Decay.linear(percent=Decimal("33.3"), every=timedelta(days=7)),
        pk.Decay.linear(percent=100, every=DAY),
        pk.Decay.linear(percent=Decimal("12.5"), every=timedelta(hours=12)),
    ]
)


@st.composite
def event_rules(draw: st.DrawFn) -> pk.EventRule:
    decay = draw(DECAYS)
    window = None if decay is not None else draw(st.sampled_from([None, 7 * DAY, 30 * DAY]))
    return pk.EventRule(
        channel=draw(st.sampled_from(["event", "email"])),
        kind=draw(st.sampled_from([None, "webinar"])),
        points=draw(POINTS),
        group=draw(GROUPS),
        decay=decay,
        window=window,
        max_events=draw(st.sampled_from([None, 1, 2])),
    )


@st.composite
def event_models(draw: st.DrawFn) -> pk.PointsModel:
    rules: list[pk.Rule | pk.EventRule] = draw(st.lists(event_rules(), min_size=1, max_size=4))
    if draw(st.booleans()):
        rules.append(pk.Rule(pk.field("title").is_known(), points=draw(POINTS)))
    groups = sorted({r.group for r in rules})
    return pk.PointsModel(
        rules=rules,
        group_caps=draw(st.dictionaries(st.sampled_from(groups), st.sampled_from([15, 25]))),
        cap=draw(st.sampled_from([None, 30])),
        floor=draw(st.sampled_from([None, 0])),
    )


def event_frame(rows: list[tuple[str | None, list[pk.Touchpoint] | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "row": list(range(len(rows))),
            "title": [title for title, _ in rows],
            "touchpoints": [
                None
                if tps is None
                else [
                    {"channel": t.channel.value, "kind": t.kind, "timestamp": t.timestamp}
                    for t in tps
                ]
                for _, tps in rows
            ],
        },
        schema={"row": pl.Int64, "title": pl.String, "touchpoints": pl.List(TOUCHPOINT)},
    )


def event_contact(title: str | None, touchpoints: list[pk.Touchpoint] | None) -> pk.Contact:
    return pk.Contact(id="c", name="N", title=title, touchpoints=touchpoints or ())


ROWS = st.lists(
    st.tuples(st.sampled_from([None, "CTO"]), st.one_of(st.none(), TOUCHPOINTS)), max_size=5
)
WEBINAR = pk.EventRule(
    channel="event",
    kind="webinar",
    points=10,
    decay=pk.Decay.linear(percent=50, every=timedelta(days=30)),
    max_events=2,
)


def _webinars(*ages: timedelta) -> list[pk.Touchpoint]:
    return [pk.Touchpoint(channel="event", kind="webinar", timestamp=AT - age) for age in ages]


class TestEventRules:
    @settings(max_examples=80, deadline=None)
    @given(model=event_models(), rows=ROWS)
    @example(  # ties in time at the max_events boundary, on a period's edge
        model=pk.PointsModel(rules=[WEBINAR]),
        rows=[(None, _webinars(30 * DAY, 30 * DAY, 30 * DAY, DAY))],
    )
    @example(  # the future, the edge of nothing left, a null list and an empty one
        model=pk.PointsModel(rules=[attrs.evolve(WEBINAR, max_events=None)]),
        rows=[
            (None, _webinars(-DAY, 60 * DAY, 60 * DAY - timedelta(microseconds=1))),
            (None, None),
        ],
    )
    def test_totals_are_the_row_wise_totals(
        self, model: pk.PointsModel, rows: list[tuple[str | None, list[pk.Touchpoint] | None]]
    ) -> None:
        scores = [model.score(event_contact(*row), at=AT) for row in rows]
        df = event_frame(rows)
        totals = [s.total for s in scores]
        _exact(frames.score(model, df, at=AT).to_list(), totals)
        _exact(frames.score(model, df.to_arrow(), at=AT).to_pylist(), totals)
        pandas = df.to_pandas(use_pyarrow_extension_array=True)
        _exact(list(frames.score(model, pandas, at=AT)), totals)
        relation = duckdb.from_arrow(df.to_arrow())
        rows_out = frames.score(model, relation, at=AT).pl().sort("row")["score"].to_list()
        _exact(rows_out, totals)
        detail = frames.score(model, df.lazy(), at=AT, detail=True, keep=["row"]).collect()
        detail = detail.sort("row")
        for group in model.groups:
            _exact(detail[group].to_list(), [s.groups[group] for s in scores])

    def test_the_contract_example(self) -> None:
        """Linear decay, a window and max_events together, against ``model.score``."""
        model = pk.PointsModel(
            rules=[
                WEBINAR,
                pk.EventRule(channel="email", points=3, window=timedelta(days=7)),
                pk.EventRule(channel="call", points="2.5", max_events=1),
            ]
        )
        touchpoints = [
            *_webinars(40 * DAY, DAY, 70 * DAY),
            pk.Touchpoint(channel="email", timestamp=AT - 7 * DAY),
            pk.Touchpoint(channel="email", timestamp=AT - 7 * DAY - timedelta(microseconds=1)),
            pk.Touchpoint(channel="call", timestamp=AT - DAY),
            pk.Touchpoint(channel="call", timestamp=AT - 2 * DAY),
        ]
        df = event_frame([(None, touchpoints)])
        # webinars: 10 (1 day) + 5 (40 days), the third beyond max_events; email: 3; call: 2.5
        assert frames.score(model, df, at=AT).to_list() == [20.5]
        assert model.score(event_contact(None, touchpoints), at=AT).total == Decimal("20.5")

    def test_whole_decayed_points_give_an_integer_column(self) -> None:
        decay = pk.Decay.linear(percent=Decimal("50.0"), every=timedelta(days=30))
        model = pk.PointsModel(rules=[pk.EventRule(channel="event", points=10, decay=decay)])
        result = frames.score(model, event_frame([(None, _webinars(40 * DAY))]), at=AT)
        assert result.dtype == pl.Int64
        assert result.to_list() == [5]

    def test_missing_fields_match_nothing(self) -> None:
        """A null channel, kind or timestamp in an item: no match (the rest still count)."""
        df = pl.DataFrame(
            {
                "touchpoints": [
                    [
                        {"channel": None, "kind": "webinar", "timestamp": AT},
                        {"channel": "event", "kind": None, "timestamp": AT},
                        {"channel": "event", "kind": "webinar", "timestamp": None},
                        None,
                        {"channel": "event", "kind": "webinar", "timestamp": AT - DAY},
                    ]
                ]
            },
            schema={"touchpoints": pl.List(TOUCHPOINT)},
        )
        model = pk.PointsModel(rules=[pk.EventRule(channel="event", kind="webinar", points=4)])
        assert frames.score(model, df, at=AT).to_list() == [4]

    def test_items_without_kind_match_rules_without_kind(self) -> None:
        df = pl.DataFrame({"touchpoints": [[{"channel": "email", "timestamp": AT}]]})
        rules = [
            pk.EventRule(channel="email", points=2),
            pk.EventRule(channel="email", kind="newsletter", points=5),
        ]
        assert frames.score(pk.PointsModel(rules=rules), df, at=AT).to_list() == [2]

    def test_columns_maps_the_touchpoints(self) -> None:
        df = event_frame([(None, _webinars(DAY))]).rename({"touchpoints": "activity"})
        model = pk.PointsModel(rules=[WEBINAR])
        assert frames.score(model, df, at=AT, columns={"touchpoints": "activity"}).to_list() == [10]
        assert frames.score(model, df, at=AT, columns={"touchpoints": None}).to_list() == [0]

    def test_pandas_nanosecond_timestamps(self) -> None:
        """Edges beyond what datetime64[ns] holds (a period of 200 years) are no error."""
        model = pk.PointsModel(
            rules=[
                pk.EventRule(
                    channel="event",
                    points=8,
                    decay=pk.Decay.linear(percent=25, every=timedelta(days=365 * 200)),
                )
            ]
        )
        touchpoints = _webinars(DAY, 365 * 201 * DAY)
        pandas = event_frame([(None, touchpoints)]).to_pandas(use_pyarrow_extension_array=True)
        fields = [("channel", pa.string()), ("kind", pa.string())]
        ns = pa.list_(pa.struct([*fields, ("timestamp", pa.timestamp("ns", "UTC"))]))
        pandas["touchpoints"] = pandas["touchpoints"].astype(pd.ArrowDtype(ns))
        expected = model.score(event_contact(None, touchpoints), at=AT).total
        assert list(frames.score(model, pandas, at=AT)) == [int(expected)]

    @pytest.mark.parametrize(
        ("touchpoints", "problem"),
        [
            (pl.Series([["a"]]), r"touchpoints\[\]\.channel.*not records|items are not records"),
            (pl.Series([[{"channel": "email"}]]), r"touchpoints\[\]\.timestamp"),
            (
                pl.Series([[{"channel": "email", "timestamp": "2026-11-01T00:00:00Z"}]]),
                "not timezone-aware",
            ),
            (
                pl.Series([[{"channel": "email", "timestamp": datetime(2026, 11, 1)}]]),
                "not timezone-aware",
            ),
            (pl.Series([[{"channel": 3, "timestamp": AT}]]), "channel holds"),
            (pl.Series(["[]"]), "not a list of records"),
        ],
    )
    def test_unusable_touchpoints_are_refused_by_name(
        self, touchpoints: pl.Series, problem: str
    ) -> None:
        model = pk.PointsModel(rules=[pk.EventRule(channel="email", points=1)])
        df = pl.DataFrame({"touchpoints": touchpoints})
        with pytest.raises(pk.QualifierError, match=r"rules\[0\] \(EventRule\(") as info:
            frames.score(model, df, at=AT)
        assert info.match(problem)

    def test_no_touchpoints_column_is_refused_by_name(self) -> None:
        model = pk.PointsModel(rules=[pk.EventRule(channel="email", points=1)])
        with pytest.raises(
            pk.QualifierError, match=r"rules\[0\].*no column for path 'touchpoints'"
        ):
            frames.score(model, pl.DataFrame({"touchpoint": [None]}), at=AT)

    def test_half_life_is_refused_by_name(self) -> None:
        decay = pk.Decay.half_life(timedelta(days=30))
        model = pk.PointsModel(
            rules=[
                pk.Rule(pk.field("title").is_known(), points=1),
                pk.EventRule(channel="email", points=1, decay=decay),
            ]
        )
        with pytest.raises(pk.QualifierError, match=r"rules\[1\].*half-life"):
            frames.score(model, event_frame([]), at=AT)

    def test_too_many_periods_are_refused_by_name(self) -> None:
        decay = pk.Decay.linear(percent=Decimal("0.05"), every=DAY)
        model = pk.PointsModel(rules=[pk.EventRule(channel="email", points=1, decay=decay)])
        with pytest.raises(pk.QualifierError, match=r"rules\[0\].*2000 periods.*at most 1000"):
            frames.score(model, event_frame([]), at=AT)
