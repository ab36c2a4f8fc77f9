"""Points models worked by hand: decay, windows, caps and floors, UNKNOWN rules, grades, cells."""

from __future__ import annotations

import decimal
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

import pipelinekit as pk

AT = datetime(2026, 12, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)
BIG = pk.field("account.employees") >= 100
STUDENT = pk.field("title").matches("(?i)student")


def touch(days: float, channel: str = "event", kind: str | None = "webinar") -> pk.Touchpoint:
    return pk.Touchpoint(channel=channel, kind=kind, timestamp=AT - timedelta(days=days))


def contact(*touchpoints: pk.Touchpoint, employees: int | None = None, **kw: Any) -> pk.Contact:
    account = pk.Account(name="Acme", employees=employees) if employees is not None else None
    return pk.Contact(id="c-1", name="Jane", account=account, touchpoints=touchpoints, **kw)


def one_event(**rule: Any) -> pk.PointsModel:
    return pk.PointsModel(rules=[pk.EventRule(channel="event", kind="webinar", **rule)])


def total(model: pk.PointsModel, c: pk.Contact, at: datetime = AT) -> Decimal:
    return model.score(c, at=at).total


class TestLinearDecay:
    """points * max(0, 1 - percent/100 * floor(age / every))."""

    model = one_event(points=10, decay=pk.Decay.linear(percent=25, every=timedelta(days=30)))

    @pytest.mark.parametrize(
        ("age", "expected"),
        [
            (timedelta(0), "10"),  # 0 periods
            (timedelta(days=30) - timedelta(microseconds=1), "10"),  # not yet one period
            (timedelta(days=30), "7.5"),  # 1 period: -25 %
            (timedelta(days=75), "5"),  # 2.5 periods: 2 completed, -50 %
            (timedelta(days=120), "0"),  # 4 periods: nothing left
            (timedelta(days=400), "0"),  # never below 0
        ],
    )
    def test_completed_periods_count(self, age: timedelta, expected: str) -> None:
        c = contact(pk.Touchpoint(channel="event", kind="webinar", timestamp=AT - age))
        assert total(self.model, c) == Decimal(expected)

    def test_negative_points_decay_towards_zero(self) -> None:
        model = one_event(points=-10, decay=pk.Decay.linear(percent=25, every=timedelta(days=30)))
        assert total(model, contact(touch(31))) == Decimal("-7.5")
        assert total(model, contact(touch(365))) == 0

    def test_a_percent_that_does_not_divide_100(self) -> None:
        model = one_event(points=9, decay=pk.Decay.linear(percent=30, every=DAY))
        assert [total(model, contact(touch(d))) for d in (0, 1, 2, 3, 4)] == [
            Decimal(9),
            Decimal("6.3"),
            Decimal("3.6"),
            Decimal("0.9"),
            Decimal(0),
        ]


class TestHalfLife:
    """points * 0.5 ** (age / half_life), rounded half-even to 6 places."""

    model = one_event(points=10, decay=pk.Decay.half_life(timedelta(days=30)))

    @pytest.mark.parametrize(
        ("days", "expected"),
        [
            (0, "10"),
            (30, "5"),  # 1 half-life, exact
            (75, "1.767767"),  # 2.5 half-lives: 10 / (4 * sqrt 2) = 1.76776695...
            (15, "7.071068"),  # half a half-life: 10 / sqrt 2 = 7.0710678...
            (30 * 64, "0"),  # 64 half-lives: nothing a bounded value keeps
        ],
    )
    def test_hand_computed(self, days: int, expected: str) -> None:
        assert total(self.model, contact(touch(days))) == Decimal(expected)

    def test_same_digits_in_any_decimal_context(self) -> None:
        with decimal.localcontext(decimal.Context(prec=2, rounding=decimal.ROUND_FLOOR)):
            assert total(self.model, contact(touch(75))) == Decimal("1.767767")


class TestWindow:
    model = one_event(points=10, window=timedelta(days=7))

    def test_age_equal_to_the_window_counts(self) -> None:
        assert total(self.model, contact(touch(7))) == 10

    def test_one_microsecond_older_does_not(self) -> None:
        old = pk.Touchpoint(
            channel="event", kind="webinar", timestamp=AT - timedelta(days=7, microseconds=1)
        )
        score = self.model.score(contact(old), at=AT)
        assert score.total == 0
        assert [line.status for line in score.breakdown] == ["outside window"]

    def test_touchpoints_after_at_are_not_counted_or_listed(self) -> None:
        later = pk.Touchpoint(channel="event", kind="webinar", timestamp=AT + timedelta(seconds=1))
        score = self.model.score(contact(later, touch(1)), at=AT)
        assert score.total == 10
        assert [line.touchpoint for line in score.breakdown] == [touch(1)]

    def test_no_decay_and_no_window_counts_forever(self) -> None:
        assert total(one_event(points=3), contact(touch(3650), touch(1))) == 6


class TestMatching:
    def test_kind_none_matches_every_kind_of_the_channel(self) -> None:
        model = pk.PointsModel(rules=[pk.EventRule(channel=pk.Channel.EVENT, points=1)])
        c = contact(touch(1), touch(2, kind=None), touch(3, kind="trade show"), touch(1, "email"))
        assert total(model, c) == 3

    def test_a_kind_matches_only_itself(self) -> None:
        c = contact(touch(1), touch(2, kind=None), touch(3, kind="Webinar"))
        assert total(one_event(points=1), c) == 1

    def test_max_events_counts_the_newest(self) -> None:
        model = one_event(points=10, max_events=2, decay=pk.Decay.linear(percent=50, every=DAY))
        score = model.score(contact(touch(1.5), touch(0), touch(0.5)), at=AT)
        assert score.total == 20  # the ages 0 and 0.5 days: no period completed
        assert [(line.age, line.status) for line in score.breakdown] == [
            (timedelta(0), "counted"),
            (timedelta(hours=12), "counted"),
            (timedelta(hours=36), "beyond max_events"),
        ]

    def test_max_events_counts_within_the_window(self) -> None:
        model = one_event(points=10, max_events=1, window=timedelta(days=2))
        score = model.score(contact(touch(5), touch(1)), at=AT)
        assert score.total == 10
        assert [line.status for line in score.breakdown] == ["counted", "outside window"]

    def test_a_rule_without_matches_has_one_line(self) -> None:
        (line,) = one_event(points=10).score(contact(), at=AT).breakdown
        assert (line.status, line.touchpoint, line.after_caps) == (
            "no touchpoint",
            None,
            Decimal(0),
        )


class TestRules:
    model = pk.PointsModel(rules=[pk.Rule(BIG, points=20), pk.Rule(STUDENT, points=-30)])

    def test_points_count_once_on_pass(self) -> None:
        assert total(self.model, contact(employees=100, title="CTO")) == 20

    def test_negative_points(self) -> None:
        assert total(self.model, contact(employees=5, title="Student")) == -30

    def test_unknown_earns_nothing_and_says_so(self) -> None:
        score = self.model.score(contact(), at=AT)
        assert score.total == 0
        assert [line.status for line in score.breakdown] == ["unknown", "unknown"]
        assert "unknown earns nothing" in str(score)

    def test_failed_and_passed_lines(self) -> None:
        score = self.model.score(contact(employees=5, title="CTO"), at=AT)
        assert [(line.status, line.before_decay) for line in score.breakdown] == [
            ("failed", Decimal(0)),
            ("failed", Decimal(0)),
        ]

    def test_decimal_points(self) -> None:
        model = pk.PointsModel(rules=[pk.Rule(BIG, points="2.5"), pk.Rule(BIG, points=Decimal(1))])
        assert total(model, contact(employees=500)) == Decimal("3.5")

    def test_time_relative_rules_read_at(self) -> None:
        recent = pk.field("created_at").within_last(timedelta(days=7))
        model = pk.PointsModel(rules=[pk.Rule(recent, points=5)])
        c = contact(created_at=AT - timedelta(days=3))
        assert total(model, c) == 5
        assert total(model, c, at=AT + timedelta(days=30)) == 0


class TestCaps:
    def model(self, **bounds: Any) -> pk.PointsModel:
        return pk.PointsModel(
            rules=[
                pk.Rule(BIG, points=20),
                pk.Rule(STUDENT, points=-30),
                pk.EventRule(channel="event", points=10),
            ],
            **bounds,
        )

    def test_a_group_cap_cuts_the_last_lines(self) -> None:
        score = self.model(group_caps={"engagement": 15}).score(
            contact(touch(1), touch(2), touch(3), employees=500, title="CTO"), at=AT
        )
        assert score.groups == {"fit": 20, "engagement": 15}
        assert score.total == 35
        assert [line.after_caps for line in score.breakdown] == [20, 0, 10, 5, 0]
        assert [line.after_decay for line in score.breakdown] == [20, 0, 10, 10, 10]

    def test_the_total_cap_after_the_groups(self) -> None:
        score = self.model(group_caps={"engagement": 15}, cap=25).score(
            contact(touch(1), touch(2), employees=500, title="CTO"), at=AT
        )
        assert (score.total, score.groups["engagement"]) == (Decimal(25), Decimal(15))
        assert sum(line.after_caps for line in score.breakdown) == 25
        assert [line.after_caps for line in score.breakdown] == [20, 0, 5, 0]

    def test_a_negative_total_stays_negative_without_a_floor(self) -> None:
        c = contact(employees=5, title="Student")
        assert total(self.model(cap=100), c) == -30
        assert total(self.model(floor=-10), c) == -10
        assert total(self.model(group_floors={"fit": -25}), c) == -25

    def test_a_floor_lifts_the_negative_lines(self) -> None:
        score = self.model(floor=-10).score(contact(employees=5, title="Student"), at=AT)
        assert [line.after_caps for line in score.breakdown] == [0, -10, 0]
        assert "floored" in str(score)


class TestThresholds:
    model = pk.PointsModel(
        rules=[pk.EventRule(channel="call", points="0.01")], thresholds={"mql": 40, "sql": 70}
    )

    @pytest.mark.parametrize(
        ("calls", "grade"), [(0, None), (3999, None), (4000, "mql"), (6999, "mql"), (7000, "sql")]
    )
    def test_highest_threshold_met(self, calls: int, grade: str | None) -> None:
        c = contact(*[touch(1, "call", None)] * calls)
        assert self.model.score(c, at=AT).grade == grade


class TestMatrix:
    model = pk.PointsModel(
        rules=[
            pk.EventRule(channel="call", points=1, group="fit"),
            pk.EventRule(channel="email", points=1),
        ],
        matrix=pk.ScoreMatrix(fit=(60, 30), engagement=(50, 20)),
    )

    @pytest.mark.parametrize(
        ("fit", "engagement", "cell"),
        [(60, 50, "A1"), (59, 50, "B1"), (30, 20, "B2"), (29, 19, "C3"), (100, 0, "A3")],
    )
    def test_cells(self, fit: int, engagement: int, cell: str) -> None:
        c = contact(*[touch(1, "call", None)] * fit, *[touch(1, "email", None)] * engagement)
        score = self.model.score(c, at=AT)
        assert score.cell == cell
        assert f"cell {cell}" in str(score)

    def test_one_threshold_a_side(self) -> None:
        matrix = pk.ScoreMatrix(fit=(10,), engagement=(5,))
        assert [matrix.cell(fit=f, engagement=e) for f, e in ((10, 5), (9, 4))] == ["A1", "B2"]
        assert repr(matrix) == "ScoreMatrix(fit=(10,), engagement=(5,))"


class TestErrors:
    """Every refusal names the field."""

    @pytest.mark.parametrize(
        ("build", "error", "field"),
        [
            (lambda: pk.Rule("x", points=1), pk.FieldTypeError, "when"),  # type: ignore[arg-type]
            (lambda: pk.Rule(BIG, points=1.5), pk.FieldTypeError, "points"),
            (lambda: pk.Rule(BIG, points=True), pk.FieldTypeError, "points"),
            (lambda: pk.Rule(BIG, points="NaN"), pk.FieldTypeError, "points"),
            (lambda: pk.Rule(BIG, points=10**10), pk.FieldValueError, "points"),
            (lambda: pk.Rule(BIG, points="0.0000001"), pk.FieldValueError, "points"),
            (lambda: pk.Rule(BIG, points=1, group="a b"), pk.FieldValueError, "group"),
            (lambda: pk.EventRule(channel="fax", points=1), pk.FieldValueError, "channel"),
            (lambda: pk.EventRule(channel=3, points=1), pk.FieldTypeError, "channel"),
            (lambda: pk.EventRule(channel="call", kind=" ", points=1), pk.FieldValueError, "kind"),
            (
                lambda: pk.EventRule(channel="call", points=1, max_events=0),
                pk.FieldValueError,
                "max_events",
            ),
            (
                lambda: pk.EventRule(channel="call", points=1, window=timedelta(0)),
                pk.FieldValueError,
                "window",
            ),
            (
                lambda: pk.EventRule(channel="call", points=1, decay="linear"),
                pk.FieldTypeError,
                "decay",
            ),
            (lambda: pk.Decay.linear(percent=0, every=DAY), pk.FieldValueError, "percent"),
            (lambda: pk.Decay.linear(percent=101, every=DAY), pk.FieldValueError, "percent"),
            (lambda: pk.Decay.linear(percent=50, every=-DAY), pk.FieldValueError, "every"),
            (lambda: pk.Decay.half_life(30), pk.FieldTypeError, "every"),  # type: ignore[arg-type]
            (lambda: pk.PointsModel(rules=[BIG]), pk.FieldTypeError, "rules[0]"),
            (lambda: pk.PointsModel(rules="abc"), pk.FieldTypeError, "rules"),
            (
                lambda: pk.PointsModel(rules=[pk.Rule(BIG, points=1)], group_caps={"engagment": 5}),
                pk.FieldValueError,
                "group_caps",
            ),
            (
                lambda: pk.PointsModel(rules=[pk.Rule(BIG, points=1)], group_caps={"fit": -5}),
                pk.FieldValueError,
                "group_caps['fit']",
            ),
            (
                lambda: pk.PointsModel(rules=[pk.Rule(BIG, points=1)], group_floors={"fit": 5}),
                pk.FieldValueError,
                "group_floors['fit']",
            ),
            (lambda: pk.PointsModel(rules=[], cap=-1), pk.FieldValueError, "cap"),
            (lambda: pk.PointsModel(rules=[], floor=1), pk.FieldValueError, "floor"),
            (
                lambda: pk.PointsModel(rules=[], thresholds={"a": 1, "b": 1}),
                pk.FieldValueError,
                "thresholds",
            ),
            (lambda: pk.PointsModel(rules=[], thresholds=[1]), pk.FieldTypeError, "thresholds"),
            (
                lambda: pk.PointsModel(rules=[], matrix=pk.ScoreMatrix(fit=(1,), engagement=(1,))),
                pk.FieldValueError,
                "matrix",
            ),
            (lambda: pk.PointsModel(rules=[], matrix="A1"), pk.FieldTypeError, "matrix"),
            (lambda: pk.ScoreMatrix(fit=(30, 60), engagement=(1,)), pk.FieldValueError, "fit"),
            (lambda: pk.ScoreMatrix(fit=(), engagement=(1,)), pk.FieldValueError, "fit"),
            (lambda: pk.ScoreMatrix(fit=(1,), engagement="1"), pk.FieldTypeError, "engagement"),
            (
                lambda: pk.ScoreMatrix(fit=(1,), engagement=(1,), engagement_group="fit"),
                pk.FieldValueError,
                "engagement_group",
            ),
        ],
    )
    def test_bad_values(self, build: Any, error: type[pk.FieldError], field: str) -> None:
        with pytest.raises(error) as raised:
            build()
        assert raised.value.field == field

    def test_decay_and_window_exclude_each_other(self) -> None:
        with pytest.raises(pk.FieldValueError, match="decay and window exclude each other"):
            pk.EventRule(
                channel="call", points=1, window=DAY, decay=pk.Decay.half_life(timedelta(days=7))
            )

    def test_too_many_rules(self) -> None:
        rule = pk.Rule(BIG, points=1)
        assert len(pk.PointsModel(rules=[rule] * 1000).rules) == 1000
        with pytest.raises(pk.FieldValueError, match="more than 1000 rules"):
            pk.PointsModel(rules=[rule] * 1001)

    @pytest.mark.parametrize(
        ("at", "error"),
        [
            (datetime(2026, 1, 1), pk.FieldValueError),
            ("2026-01-01", pk.FieldTypeError),
            (None, pk.FieldTypeError),
        ],
    )
    def test_at_must_be_an_aware_datetime(self, at: Any, error: type[pk.FieldError]) -> None:
        model = one_event(points=1)
        with pytest.raises(error) as raised:
            model.score(contact(), at=at)
        assert raised.value.field == "at"

    def test_contacts_only(self) -> None:
        model = one_event(points=1)
        with pytest.raises(pk.FieldTypeError) as raised:
            model.score_many([contact(), {"id": "x"}], at=AT)  # type: ignore[list-item]  # under test
        assert raised.value.field == "contacts[1]"
        with pytest.raises(pk.FieldTypeError, match="contacts"):
            model.score_many("abc", at=AT)  # type: ignore[arg-type]  # the mistake under test


class TestValues:
    def make(self) -> pk.PointsModel:
        return pk.PointsModel(
            rules=[
                pk.Rule(BIG, points=20),
                pk.EventRule(channel="email", points=5, decay=pk.Decay.half_life(7 * DAY)),
            ],
            group_caps={"engagement": 60},
            thresholds={"mql": 20},
        )

    def test_equal_and_hashable(self) -> None:
        a, b = self.make(), self.make()
        a.score(contact(), at=AT)  # the prepared fast path does not count
        assert a == b
        assert hash(a) == hash(b)
        assert a != pk.PointsModel(rules=a.rules)

    def test_frozen(self) -> None:
        model = self.make()
        with pytest.raises(AttributeError):
            model.cap = 5  # type: ignore[misc, assignment]  # the mistake under test
        with pytest.raises(TypeError):
            model.group_caps["engagement"] = Decimal(1)  # type: ignore[index]  # read-only view

    def test_repr_is_readable(self) -> None:
        assert repr(self.make()) == (
            "PointsModel(\n"
            "    rules=[\n"
            "        Rule(field('account.employees') >= 100, points=20, group='fit'),\n"
            "        EventRule(channel='email', points=5, group='engagement', "
            "decay=Decay.half_life(timedelta(days=7))),\n"
            "    ],\n"
            "    group_caps={'engagement': 60},\n"
            "    thresholds={'mql': 20},\n"
            ")"
        )

    def test_repr_evaluates_back(self) -> None:
        from datetime import timedelta  # noqa: PLC0415  # the names the repr uses

        namespace = {**vars(pk), "timedelta": timedelta, "field": pk.field}
        model = self.make()
        assert eval(repr(model), namespace) == model  # noqa: S307  # our own repr

    def test_editing_a_model_is_a_new_value(self) -> None:
        import attrs  # noqa: PLC0415

        model = self.make()
        raised = attrs.evolve(model, thresholds={"mql": 5})
        c = contact(touch(0, "email", None))
        assert (model.score(c, at=AT).grade, raised.score(c, at=AT).grade) == (None, "mql")


class TestRendering:
    def test_html_is_an_escaped_table(self) -> None:
        q = BIG.named("<script>alert(1)</script>")
        score = pk.PointsModel(rules=[pk.Rule(q, points=1)]).score(contact(employees=500), at=AT)
        page = score._repr_html_()
        assert page.startswith("<table>")
        assert "<script>" not in page
        assert "&lt;script&gt;" in page

    def test_score_repr_and_equality(self) -> None:
        model = pk.PointsModel(rules=[pk.Rule(BIG, points=1)], thresholds={"a": 1})
        a = model.score(contact(employees=500), at=AT)
        assert repr(a) == "Score(total=1, groups={'fit': 1}, grade='a')"
        assert a == model.score(contact(employees=900), at=AT)
        assert a != model.score(contact(employees=9), at=AT)
        assert hash(a) == hash(model.score(contact(employees=900), at=AT))

    def test_str_names_the_missing_grade(self) -> None:
        model = pk.PointsModel(rules=[pk.Rule(BIG, points=1)], thresholds={"mql": 40})
        assert str(model.score(contact(), at=AT)).startswith(
            "score 0: no grade (the lowest, 'mql', needs 40)"
        )

    def test_scores_have_no_document(self) -> None:
        score = pk.PointsModel(rules=[pk.Rule(BIG, points=1)]).score(contact(), at=AT)
        with pytest.raises(pk.UnsupportedType, match="store the model"):
            pk.to_dict(score)
        with pytest.raises(pk.UnsupportedType):
            pk.to_dict(score.breakdown[0])
