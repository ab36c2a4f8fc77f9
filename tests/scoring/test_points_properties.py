"""Laws of points models over generated models and contacts (Hypothesis)."""

from __future__ import annotations

import decimal
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.scoring._points_score import STATUSES, format_points

AT = datetime(2026, 12, 1, tzinfo=UTC)
QUALIFIERS = [
    pk.field("account.employees") >= 100,
    pk.field("account.industry").is_in({"software", "fintech"}),
    pk.field("title").matches("(?i)student"),
    pk.field("created_at").within_last(timedelta(days=30)),
    pk.field("authority") == True,  # noqa: E712  # a qualifier, not a test
]
GROUPS = ["fit", "engagement", "intent"]
points = st.decimals(min_value=-100, max_value=100, places=2, allow_nan=False)
ages = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400))
periods = st.timedeltas(min_value=timedelta(hours=1), max_value=timedelta(days=90))
decays = st.builds(
    pk.Decay.linear, percent=st.decimals(min_value="0.5", max_value=100, places=1), every=periods
) | st.builds(pk.Decay.half_life, periods)
rules = st.builds(
    pk.Rule, st.sampled_from(QUALIFIERS), points=points, group=st.sampled_from(GROUPS)
)
event_rules = st.builds(
    pk.EventRule,
    channel=st.sampled_from(list(pk.Channel)[:4]),
    kind=st.sampled_from([None, "webinar", "demo"]),
    points=points,
    group=st.sampled_from(GROUPS),
    decay=st.none() | decays,
    max_events=st.none() | st.integers(1, 3),
)
windowed = st.builds(
    pk.EventRule,
    channel=st.sampled_from(list(pk.Channel)[:4]),
    points=points,
    window=periods,
    max_events=st.none() | st.integers(1, 3),
)
bounds = st.none() | st.decimals(min_value=0, max_value=150, places=1)


@st.composite
def models(draw: st.DrawFn) -> pk.PointsModel:
    chosen = draw(st.lists(rules | event_rules | windowed, min_size=1, max_size=6))
    groups = list(dict.fromkeys(r.group for r in chosen))
    caps = {g: c for g in groups if (c := draw(bounds)) is not None}
    floors = {g: -f for g in groups if (f := draw(bounds)) is not None}
    cap, floor = draw(bounds), draw(bounds)
    thresholds = draw(st.dictionaries(st.sampled_from(["mql", "sql", "hot"]), points))
    if len(set(thresholds.values())) < len(thresholds):
        thresholds = {}
    matrix = None
    if len(groups) >= 2 and draw(st.booleans()):  # two groups
        matrix = pk.ScoreMatrix(
            fit=(60, 30), engagement=(50, 20), fit_group=groups[0], engagement_group=groups[1]
        )
    return pk.PointsModel(
        rules=chosen,
        group_caps=caps,
        group_floors=floors,
        cap=cap,
        floor=None if floor is None else -floor,
        thresholds=thresholds,
        matrix=matrix,
    )


touchpoints = st.builds(
    lambda channel, kind, age: pk.Touchpoint(channel=channel, kind=kind, timestamp=AT - age),
    st.sampled_from(list(pk.Channel)[:4]),
    st.sampled_from([None, "webinar", "demo"]),
    st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(days=400)),
)
contacts = st.builds(
    lambda i, employees, industry, title, created, authority, tps: pk.Contact(
        id=f"c-{i}",
        name="Jane",
        account=pk.Account(name="Acme", employees=employees, industry=industry),
        title=title,
        created_at=AT - created if created is not None else None,
        authority=authority,
        touchpoints=tps,
    ),
    st.integers(0, 10**6),
    st.none() | st.integers(0, 1000),
    st.sampled_from([None, "software", "retail"]),
    st.sampled_from([None, "Student", "CTO"]),
    st.none() | ages,
    st.none() | st.booleans(),
    st.lists(touchpoints, max_size=6),
)


def _within(value: Decimal, low: Decimal | None, high: Decimal | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


@given(model=models(), contact=contacts)
def test_totals_and_groups_within_their_bounds(model: pk.PointsModel, contact: pk.Contact) -> None:
    score = model.score(contact, at=AT)
    assert _within(score.total, model.floor, model.cap)
    for group, value in score.groups.items():
        assert _within(value, model.group_floors.get(group), model.group_caps.get(group))
    assert list(score.groups) == list(model.groups)


@given(model=models(), contact=contacts)
def test_breakdown_adds_up_to_the_score(model: pk.PointsModel, contact: pk.Contact) -> None:
    """The explanation (its own code path) agrees with the fast path, to the last digit."""
    score = model.score(contact, at=AT)
    lines = score.breakdown
    assert sum((line.after_caps for line in lines), Decimal(0)) == score.total
    raw_groups: dict[str, Decimal] = dict.fromkeys(model.groups, Decimal(0))
    for line in lines:
        raw_groups[line.group] += line.after_decay
        assert line.status in STATUSES
    for group, raw in raw_groups.items():
        low, high = model.group_floors.get(group), model.group_caps.get(group)
        held = min(raw, high) if high is not None else raw
        held = max(held, low) if low is not None else held
        assert score.groups[group] == held
    assert {line.index for line in lines} == set(range(len(model.rules)))
    assert str(score).startswith(f"score {format_points(score.total)}")
    assert score.grade == _grade(model, score.total)


def _grade(model: pk.PointsModel, total: Decimal) -> str | None:
    met = [(value, name) for name, value in model.thresholds.items() if total >= value]
    return max(met)[1] if met else None


@given(model=models(), batch=st.lists(contacts, max_size=6))
def test_score_many_is_score_in_order(model: pk.PointsModel, batch: list[pk.Contact]) -> None:
    batch = batch + batch[:1]  # the same contact twice
    assert model.score_many(batch, at=AT) == [model.score(c, at=AT) for c in batch]
    assert model.score_many(iter(batch), at=AT) == model.score_many(batch, at=AT)


@given(model=models(), contact=contacts)
def test_touchpoints_after_at_change_nothing(model: pk.PointsModel, contact: pk.Contact) -> None:
    past = attrs.evolve(contact, touchpoints=[t for t in contact.touchpoints if t.timestamp <= AT])
    assert model.score(contact, at=AT) == model.score(past, at=AT)


@given(model=models())
def test_document_round_trip(model: pk.PointsModel) -> None:
    import json  # noqa: PLC0415

    doc = json.loads(json.dumps(pk.to_dict(model)))
    assert pk.from_dict(doc, pk.PointsModel) == model
    assert pk.to_dict(pk.from_dict(doc, pk.PointsModel)) == pk.to_dict(model)


@given(decay=decays, value=points, a=ages, b=ages)
@example(
    decay=pk.Decay.half_life(timedelta(days=1)),
    value=Decimal(1),
    a=timedelta(0),
    b=timedelta(days=1),
)
def test_decay_is_monotone_in_age(
    decay: pk.Decay, value: Decimal, a: timedelta, b: timedelta
) -> None:
    """Older never earns more (in size), never flips sign, and age 0 keeps everything."""
    young, old = sorted([a, b])
    y, o = decay.apply(value, young), decay.apply(value, old)
    assert abs(o) <= abs(y) <= abs(value)
    assert y * value >= 0
    assert o * value >= 0
    assert decay.apply(value, timedelta(0)) == value


@given(
    half_life=st.integers(1, 10**11),
    age=st.integers(0, 10**13),
    value=st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False),
)
@example(half_life=1, age=63, value=Decimal(10**9))
@example(half_life=3, age=1, value=Decimal("0.000001"))
def test_half_life_matches_a_high_precision_oracle(
    half_life: int, age: int, value: Decimal
) -> None:
    """The fixed-point power agrees with decimal's own power at 60 digits, rounded the same."""
    decay = pk.Decay.half_life(timedelta(microseconds=half_life))
    got = decay.apply(value, timedelta(microseconds=age))
    with decimal.localcontext(decimal.Context(prec=60)):
        exact = value * Decimal("0.5") ** (Decimal(age) / Decimal(half_life))
        expected = exact.quantize(Decimal("0.000001"), rounding=decimal.ROUND_HALF_EVEN)
    assert got == expected.normalize() or (
        age // half_life >= 64 and got == 0 and abs(expected) <= Decimal("0.000001")
    )


@given(model=models(), contact=contacts, context=st.sampled_from([2, 3, 5]))
def test_the_callers_decimal_context_changes_nothing(
    model: pk.PointsModel, contact: pk.Contact, context: int
) -> None:
    expected = model.score(contact, at=AT)
    with decimal.localcontext(decimal.Context(prec=context, rounding=decimal.ROUND_FLOOR)):
        score = model.score(contact, at=AT)
        assert [line.after_caps for line in score.breakdown] == [
            line.after_caps for line in expected.breakdown
        ]
    assert score == expected
