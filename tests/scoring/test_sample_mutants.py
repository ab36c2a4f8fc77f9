"""Behaviour pinned for the sampled mutation run's survivors in ``pipelinekit.scoring``.

Whole outputs (the text of a score, a grade, a model's repr) and the exact refusals users see.
"""

from __future__ import annotations

import copy
import decimal
import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

import pipelinekit as pk
from pipelinekit.scoring import Evaluation, NaiveBayes, _schema, backtest, evaluate, k_fold
from pipelinekit.scoring._calibration import fit_isotonic, interpolate
from pipelinekit.scoring._tables import MAX_BINS
from tests.scoring.test_predictive import lead, many_leads

AT = datetime(2026, 12, 1, 12, tzinfo=UTC)
BIG = pk.field("account.employees") >= 100
STUDENT = pk.field("title").matches("(?i)student")
SENIOR = pk.field("title").matches("(?i)vp")
SOFTWARE = pk.field("account.industry") == "software"


def webinar(days: int) -> pk.Touchpoint:
    return pk.Touchpoint(channel="event", kind="webinar", timestamp=AT - timedelta(days=days))


def failed_line(rule: str, **changes: Any) -> pk.ScoreLine:
    """A line of a rule worth 10 that failed, with ``changes`` to its fields."""
    fields: dict[str, Any] = {
        "rule": rule,
        "index": 0,
        "group": "fit",
        "status": "failed",
        "points": Decimal(10),
        "touchpoint": None,
        "age": None,
        "before_decay": Decimal(0),
        "after_decay": Decimal(0),
        "after_caps": Decimal(0),
    }
    return pk.ScoreLine(**(fields | changes))


CONTACT = pk.Contact(
    id="c-1",
    name="Jane",
    title="CTO",
    account=pk.Account(name="Acme", employees=500),
    touchpoints=[webinar(1), webinar(12), webinar(2)],
)

MODEL = pk.PointsModel(
    rules=[
        pk.Rule(BIG, points=20),
        pk.Rule(STUDENT, points=-30),
        pk.Rule(SENIOR, points=5),
        pk.Rule(SOFTWARE, points="2.5"),
        pk.EventRule(
            channel="event",
            points=10,
            decay=pk.Decay.linear(percent=50, every=timedelta(days=10)),
            max_events=3,
        ),
    ],
    group_caps={"engagement": 12},
    thresholds={"mql": 30},
)


class TestScoreText:
    """The full ``str(score)``: signs, 'when it passes', capped groups, lines without details."""

    def test_the_whole_explanation(self) -> None:
        assert str(MODEL.score(CONTACT, at=AT)) == (
            "score 32: grade 'mql'\n"
            "  fit: 20\n"
            "    +20 passed: account.employees >= 100\n"
            "    0 failed: title matches /(?i)student/ (-30 when it passes)\n"
            "    0 failed: title matches /(?i)vp/ (+5 when it passes)\n"
            "    0 unknown: account.industry == 'software'"
            " (+2.5 when it passes; unknown earns nothing)\n"
            "  engagement: 12 (capped: its lines add up to 25)\n"
            "    +10 counted: event on 2026-11-30 12:00+00:00 (1 day old)\n"
            "    +2 counted: event on 2026-11-29 12:00+00:00 (2 days old; 10 before caps)\n"
            "    0 counted: event on 2026-11-19 12:00+00:00"
            " (12 days old; 10 before decay; 5 before caps)"
        )

    def test_a_group_within_its_cap_has_no_note(self) -> None:
        model = pk.PointsModel(rules=[pk.Rule(BIG, points=20)], group_caps={"fit": 50})
        assert str(model.score(CONTACT, at=AT)) == (
            "score 20\n  fit: 20\n    +20 passed: account.employees >= 100"
        )


class TestModelRepr:
    """``repr(model)`` shows every rule's options, an empty rule list and a matrix's tuples."""

    def test_the_whole_repr(self) -> None:
        assert repr(MODEL) == (
            "PointsModel(\n"
            "    rules=[\n"
            "        Rule(field('account.employees') >= 100, points=20, group='fit'),\n"
            "        Rule(field('title').matches('(?i)student'), points=-30, group='fit'),\n"
            "        Rule(field('title').matches('(?i)vp'), points=5, group='fit'),\n"
            "        Rule(field('account.industry') == 'software', points=2.5, group='fit'),\n"
            "        EventRule(channel='event', points=10, group='engagement',"
            " decay=Decay.linear(percent=50, every=timedelta(days=10)), max_events=3),\n"
            "    ],\n"
            "    group_caps={'engagement': 12},\n"
            "    thresholds={'mql': 30},\n"
            ")"
        )

    def test_no_rules(self) -> None:
        assert repr(pk.PointsModel(rules=[])) == "PointsModel(\n    rules=[],\n)"

    def test_a_model_with_a_matrix(self) -> None:
        model = pk.PointsModel(
            rules=[
                pk.Rule(pk.field("a") == 1, points=5, group="fit"),
                pk.Rule(pk.field("b") == 1, points=5, group="engagement"),
            ],
            matrix=pk.ScoreMatrix(fit=(10,), engagement=(5,)),
        )
        assert repr(model) == (
            "PointsModel(\n"
            "    rules=[\n"
            "        Rule(field('a') == 1, points=5, group='fit'),\n"
            "        Rule(field('b') == 1, points=5, group='engagement'),\n"
            "    ],\n"
            "    matrix=ScoreMatrix(fit=(10,), engagement=(5,)),\n"
            ")"
        )

    def test_a_matrix_with_two_thresholds_a_side(self) -> None:
        matrix = pk.ScoreMatrix(fit=(60, 30), engagement=(50, 20))
        assert "fit=(60, 30)" in repr(matrix)
        assert "engagement=(50, 20)" in repr(matrix)


class TestRefusals:
    """Errors name the field and show the value they got."""

    def test_a_group_cap_for_an_unknown_group_lists_the_groups(self) -> None:
        rules = [pk.Rule(BIG, points=1), pk.EventRule(channel="call", points=1)]
        with pytest.raises(pk.FieldValueError) as caught:
            pk.PointsModel(rules=rules, group_caps={"engagment": 5})
        assert str(caught.value) == (
            "group_caps: no rule is in group 'engagment' (the rules' groups: 'fit', 'engagement')"
        )

    def test_a_criterion_needs_a_qualifier(self) -> None:
        with pytest.raises(pk.FieldTypeError) as caught:
            pk.Criterion("x")  # type: ignore[arg-type]
        assert str(caught.value) == "when: expected a qualifier (pk.field(...) == ...), got str 'x'"

    def test_score_many_refuses_a_string(self) -> None:
        model = pk.GradeModel(criteria=[pk.Criterion(BIG)])
        with pytest.raises(pk.FieldTypeError) as caught:
            model.score_many("abc", at=None)
        assert caught.value.field == "subjects"
        assert str(caught.value).startswith("subjects: expected an iterable of subjects, got str")

    def test_backtest_names_the_policy_type(self) -> None:
        with pytest.raises(pk.FieldTypeError) as caught:
            backtest(42, [])  # type: ignore[arg-type]
        assert str(caught.value) == "policy: expected a Qualifier or a PointsModel, got int"


class TestGrades:
    """A grade's text (negative moves) and its lines' steps."""

    model = pk.GradeModel(
        criteria=[pk.Criterion(BIG, steps=2), pk.Criterion(STUDENT), pk.Criterion(SOFTWARE)]
    )

    def test_the_whole_text(self) -> None:
        assert str(self.model.score(CONTACT, at=None)) == (
            "grade D+ (from D: +1 thirds)\n"
            "  +2 passed: account.employees >= 100\n"
            "  -1 failed: title matches /(?i)student/\n"
            "  0 unknown: account.industry == 'software' (unknown leaves the grade)"
        )

    def test_every_line_keeps_its_criterions_steps(self) -> None:
        grade = self.model.score_many([CONTACT], at=None)[0]
        assert [(line.status, line.steps, line.move) for line in grade.breakdown] == [
            ("passed", 2, 2),
            ("failed", 1, -1),
            ("unknown", 1, 0),
        ]


class TestDecayContext:
    """Decay computes in the library's own decimal context, whatever the caller's is."""

    def test_a_low_precision_caller_context_does_not_change_apply(self) -> None:
        decay = pk.Decay.half_life(timedelta(days=30))
        with decimal.localcontext(prec=3):
            assert decay.apply(Decimal(10), timedelta(days=7)) == Decimal("8.506672")


def bayes_doc() -> dict[str, Any]:
    contacts = [
        pk.Contact(
            id=f"c{i}",
            name="n",
            stage="customer" if i % 3 == 0 else "lost",
            account=pk.Account(name="A", employees=i * 5),
        )
        for i in range(30)
    ]
    model = NaiveBayes.fit(contacts, features=["account.employees"], bins=3, calibrate=None)
    return copy.deepcopy(pk.to_dict(model))


class TestNaiveBayesDocuments:
    """Broken predictive-model documents: the path and the whole problem."""

    def refusal(self, doc: dict[str, Any]) -> str:
        with pytest.raises(pk.SchemaError) as caught:
            pk.from_dict(doc, NaiveBayes)
        return str(caught.value)

    def test_an_edge_of_100_characters_is_read_and_101_is_refused(self) -> None:
        doc = bayes_doc()
        doc["tables"][0]["edges"][-1] = "1" + "0" * 99
        assert pk.from_dict(doc, NaiveBayes).tables[0].edges[-1] == Decimal(10) ** 99
        doc["tables"][0]["edges"][-1] = "1" + "0" * 100
        assert self.refusal(doc) == (
            "$.tables[0].edges[1]: expected a decimal as a string, got str '***00'"
        )

    def test_a_bin_out_of_range_shows_the_bin(self) -> None:
        doc = bayes_doc()
        doc["tables"][0]["counts"][0]["bin"] = 7
        assert self.refusal(doc) == (
            "$.tables[0].counts[0].bin: expected a bin from 0 to 2 or null, got int 7"
        )

    def test_a_bad_lost_count_names_lost(self) -> None:
        doc = bayes_doc()
        doc["lost"] = "12"
        assert self.refusal(doc) == "$.lost: expected a count (an int >= 0), got str '12'"


class TestPointsDocuments:
    """Points and grade model documents: required keys and the size limits."""

    def test_a_matrix_needs_its_engagement_thresholds(self) -> None:
        doc = {
            "kind": "points_model",
            "rules": [{"kind": "event_rule", "channel": "call", "points": 1}],
            "matrix": {"fit": [10]},
        }
        with pytest.raises(pk.SchemaError) as caught:
            pk.from_dict(doc, pk.PointsModel)
        assert str(caught.value) == "$.matrix.engagement: required field is missing"

    def test_a_grade_model_document_too_deep_is_refused_before_reading(self) -> None:
        deep: Any = 1
        for _ in range(_schema.MAX_DOCUMENT_NESTING):
            deep = [deep]
        doc = {"kind": "grade_model", "criteria": [], "extra": deep}
        with pytest.raises(pk.SchemaError, match="nested deeper than"):
            pk.from_dict(doc, pk.GradeModel)


class TestPlattCalibration:
    """A Platt map keeps both its fitted numbers (sample 2027: the intercept was dropped)."""

    def test_slope_and_intercept_are_the_fitted_ones(self) -> None:
        leads = many_leads()
        model = NaiveBayes.fit(leads, features=["facts.source", "facts.size"], calibrate="platt")
        calibration = model.calibration
        assert calibration is not None
        # Pinned from the fit (Newton's method on the out-of-fold log-odds of these leads).
        assert round(calibration.slope, 6) == 1.49433
        assert round(calibration.intercept, 6) == 0.305507
        for contact in leads[:8]:
            prediction = model.predict(contact)
            z = calibration.slope * prediction.log_odds + calibration.intercept
            assert prediction.probability == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-12)


class TestGradeTime:
    """A grade model with a time-relative criterion, run without ``at``, names the check."""

    def test_the_refusal_names_the_time_relative_checks(self) -> None:
        recent = pk.field("last_touch").within_last(timedelta(days=30))
        model = pk.GradeModel(criteria=[pk.Criterion(recent), pk.Criterion(STUDENT)])
        with pytest.raises(pk.QualifierError) as info:
            model.score(CONTACT, at=None)
        assert str(info.value) == (
            "this qualifier has a time-relative check (last_touch within the last 30 days):"
            " pass at=<timezone-aware datetime> to say when 'now' is"
        )

    def test_no_time_is_needed_without_a_time_relative_criterion(self) -> None:
        model = pk.GradeModel(criteria=[pk.Criterion(STUDENT)])
        assert model.score(CONTACT, at=None).grade == "D-"


class TestMoreRefusals:
    """Refusals that show the value given, and sub-objects without a ``kind`` (sample 2027)."""

    def test_a_decay_that_is_no_decay(self) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            pk.EventRule(channel="event", points=1, decay=5)
        assert info.value.field == "decay"
        assert str(info.value) == (
            "decay: expected pk.Decay.linear(...) or pk.Decay.half_life(...), got int 5"
        )

    def test_a_grade_criterion_has_no_kind(self) -> None:
        doc = pk.to_dict(pk.GradeModel(criteria=[pk.Criterion(STUDENT)]))
        doc["criteria"][0]["kind"] = "criterion"
        with pytest.raises(pk.SchemaError, match=r"unknown field\(s\) 'kind'") as info:
            pk.from_dict(doc, pk.GradeModel)
        assert info.value.path == "$.criteria[0]"

    def test_a_matrix_has_no_kind(self) -> None:
        model = pk.PointsModel(
            rules=[
                pk.Rule(STUDENT, points=5, group="fit"),
                pk.Rule(BIG, points=5, group="engagement"),
            ],
            matrix=pk.ScoreMatrix(fit=(10,), engagement=(5,)),
        )
        doc = pk.to_dict(model)
        doc["matrix"]["kind"] = "matrix"
        with pytest.raises(pk.SchemaError, match=r"unknown field\(s\) 'kind'") as info:
            pk.from_dict(doc, pk.PointsModel)
        assert info.value.path == "$.matrix"


class TestMoreTexts:
    def test_a_channel_that_is_no_text(self) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            pk.EventRule(channel=5, points=1)
        assert str(info.value) == "channel: expected pk.Channel or its value as a str, got int 5"

    def test_a_decay_period_of_several_parts(self) -> None:
        decay = pk.Decay.linear(percent=50, every=timedelta(days=1, hours=1, microseconds=3))
        assert repr(decay) == (
            "Decay.linear(percent=50, every=timedelta(days=1, seconds=3600, microseconds=3))"
        )


class TestIsotonicBlocks:
    """Adjacent blocks of equal means are pooled: the map keeps the fewest points.

    Private (``fit_isotonic``): a model's map is fitted on out-of-fold scores, which the
    public API does not show; equal means pooled or not give the same probabilities.
    """

    def test_equal_neighbours_are_one_block(self) -> None:
        pairs = [(1.0, True), (2.0, False), (3.0, True), (4.0, False), (5.0, True)]
        assert fit_isotonic(pairs) == ((1.0, 4.0, 5.0), (0.5, 0.5, 1.0))


class TestBacktestArguments:
    def test_a_qualifier_policy_takes_no_threshold(self) -> None:
        with pytest.raises(pk.FieldValueError) as info:
            backtest(pk.field("a") == 1, [], threshold=5)
        assert info.value.field == "threshold"
        assert str(info.value) == "threshold: a qualifier policy takes no threshold"


class TestSample2028:
    """Survivors of the 2028 sample (decided before these tests were written)."""

    @pytest.mark.parametrize("smoothing", [0, 0.0, Decimal("0")], ids=["int", "float", "decimal"])
    def test_no_smoothing_is_refused(self, smoothing: float) -> None:
        with pytest.raises(
            pk.FieldValueError, match="smoothing: expected a finite number > 0"
        ) as info:
            NaiveBayes.fit([], features=["facts.a"], smoothing=smoothing, calibrate=None)
        assert info.value.field == "smoothing"

    def test_a_capped_total_says_what_the_groups_add_up_to(self) -> None:
        cto, jane = pk.field("title") == "CTO", pk.field("name") == "Jane"
        model = pk.PointsModel(rules=[pk.Rule(cto, points=10), pk.Rule(jane, points=10)], cap=15)
        score = model.score(pk.Contact(id="c", name="Jane", title="CTO"), at=AT)
        assert str(score).splitlines()[0] == "score 15 (capped: the groups add up to 20)"

    # points._mapping #12: a bad key of a mapping argument names the argument's keys.
    @pytest.mark.parametrize("argument", ["group_caps", "group_floors"])
    def test_a_bad_group_key_names_the_argument(self, argument: str) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            pk.PointsModel(rules=[pk.Rule(BIG, points=5)], **{argument: {3: 0}})
        assert info.value.field == f"{argument} key"
        assert str(info.value) == f"{argument} key: expected a group name (str), got int 3"

    def test_two_grades_with_one_threshold_are_refused(self) -> None:
        with pytest.raises(pk.FieldValueError) as info:
            pk.PointsModel(rules=[pk.Rule(BIG, points=5)], thresholds={"mql": 5, "sql": 5})
        assert str(info.value) == "thresholds: two grades have the same threshold"

    def test_the_html_table_heads_every_column(self) -> None:
        html = MODEL.score(CONTACT, at=AT)._repr_html_()
        assert (
            "<tr><th>group</th><th>rule</th><th>status</th><th>touchpoint</th><th>age</th>"
            "<th>before decay</th><th>after decay</th><th>after caps</th></tr>"
        ) in html

    def test_a_grade_moved_down_has_no_plus(self) -> None:
        model = pk.GradeModel(criteria=[pk.Criterion(STUDENT), pk.Criterion(SENIOR)])
        grade = model.score(CONTACT, at=None)
        assert str(grade).splitlines()[0] == "grade F (from D: -2 thirds)"

    def test_evaluate_names_the_type_it_got(self) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            evaluate(MODEL, [])  # type: ignore[arg-type]
        assert str(info.value) == "model: expected a NaiveBayes model, got PointsModel"

    def test_the_most_bins_are_allowed(self) -> None:
        model = NaiveBayes.fit(many_leads(), features=["facts.size"], bins=MAX_BINS)
        assert model.bins == MAX_BINS
        with pytest.raises(pk.FieldValueError, match=f"bins: expected an int from 1 to {MAX_BINS}"):
            NaiveBayes.fit(many_leads(), features=["facts.size"], bins=MAX_BINS + 1)

    @pytest.mark.parametrize(
        ("touchpoint", "age"),
        [(None, timedelta(days=1)), (webinar(1), None)],
        ids=["age-only", "touchpoint-only"],
    )
    def test_a_line_with_half_a_touchpoint_prints_as_a_rule(
        self, touchpoint: pk.Touchpoint | None, age: timedelta | None
    ) -> None:
        line = failed_line("event/webinar", touchpoint=touchpoint, age=age)
        assert str(line) == "0 failed: event/webinar (+10 when it passes)"


class TestSample2029:
    """Survivors of the 2029 sample (decided before these tests were written)."""

    @pytest.mark.parametrize("cls", [pk.Score, pk.Grade, pk.ScoreLine, pk.GradeLine])
    def test_a_result_has_no_document_form(self, cls: type[Any]) -> None:
        with pytest.raises(pk.UnsupportedType) as info:
            pk.from_dict({"kind": "score"}, cls)
        assert info.value.type is cls
        assert str(info.value) == (
            f"from_dict cannot build pk.{cls.__name__}: a score or grade has no document form:"
            " it is computed from the model, the contact and at; store the model"
            " (pk.to_dict(model)) and score again"
        )

    def test_a_rule_document_of_the_other_kind_is_refused_at_its_kind(self) -> None:
        rule = pk.Rule(BIG, points=5)
        event = pk.EventRule(channel="email", points=3)
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(pk.to_dict(event), pk.Rule)
        assert info.value.path == "$.kind"
        assert str(info.value) == "$.kind: expected a Rule document, got an EventRule one"
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(pk.to_dict(rule), pk.EventRule)
        assert str(info.value) == "$.kind: expected an EventRule document, got a Rule one"

    def test_one_bin_holds_any_number(self) -> None:
        leads = [lead(f"c{i}", "customer" if i % 3 else "lost", n=i) for i in range(30)]
        model = NaiveBayes.fit(leads, features=["facts.n"], bins=1, calibrate=None)
        assert [factor.value for factor in model.predict(leads[0]).factors] == ["any"]

    def test_a_linear_decay_text(self) -> None:
        assert str(pk.Decay.linear(percent=50, every=timedelta(days=10))) == "-50% every 10 days"
        assert str(pk.Decay.half_life(timedelta(days=7))) == "half-life 7 days"

    # evaluation.k_fold #9: 100 folds are the most allowed, and allowed.
    def test_a_hundred_folds_are_allowed(self) -> None:
        leads = [lead(f"c{i}") for i in range(100)]
        folds = k_fold(leads, k=100)
        assert [len(test) for _, test in folds] == [1] * 100
        with pytest.raises(pk.FieldValueError) as info:
            k_fold(leads, k=101)
        assert str(info.value) == "k: expected an int from 2 to 100, got 101"

    # evaluation._admission #14: a qualifier policy is decided at the backtest's at.
    def test_a_qualifier_policy_is_decided_at_at(self) -> None:
        created = datetime(2025, 1, 1, tzinfo=UTC)
        leads = [
            pk.Contact(id=f"c{i}", name="x", stage=stage, created_at=created)
            for i, stage in enumerate(["customer", "lost", "customer"])
        ]
        recent = pk.field("created_at").within_last(timedelta(days=30))
        soon = backtest(recent, leads, created + timedelta(days=10))
        assert (soon.admitted, soon.admitted_won) == (3, 2)
        late = backtest(recent, leads, created + timedelta(days=40))
        assert (late.admitted, late.admitted_won) == (0, 0)

    # evaluation._admission #71: the refusal of a points model without a threshold.
    def test_a_points_policy_needs_a_threshold(self) -> None:
        with pytest.raises(pk.FieldValueError) as info:
            backtest(MODEL, [CONTACT], AT)
        assert str(info.value) == "threshold: a points model needs a threshold (a grade or points)"

    # evaluation.evaluate #68: the calibration table has the bins asked for.
    def test_evaluate_bins_the_calibration_as_asked(self) -> None:
        leads = many_leads()
        model = NaiveBayes.fit(leads, features=["facts.source", "facts.size"])
        assert len(evaluate(model, leads, bins=1).calibration) == 1
        rows = evaluate(model, leads, bins=2).calibration
        assert {row["bin"] for row in rows} <= {"0.00-0.50", "0.50-1.00"}
        assert sum(int(str(row["count"])) for row in rows) == len(leads)

    # _points_score.format_points #15: a negative zero prints as 0.
    def test_a_negative_zero_prints_as_zero(self) -> None:
        line = failed_line("email", after_caps=Decimal("-0.0"))
        assert str(line) == "0 failed: email (+10 when it passes)"


class TestSample2030:
    """Survivors of the 2030 sample (decided before these tests were written)."""

    # _documents._read_calibration #121: calibration points of unequal lengths, whole.
    def test_calibration_points_of_unequal_lengths_are_refused(self) -> None:
        model = NaiveBayes.fit(
            many_leads(), features=["facts.source", "facts.size"], calibrate="isotonic"
        )
        document = pk.to_dict(model)
        document["calibration"]["x"] = document["calibration"]["x"][:-1]
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(document, NaiveBayes)
        assert str(info.value) == "$.calibration: expected as many x as y points, at least one"

    # _points_decay.Decay.__attrs_post_init__ #21: a linear decay without percent, whole.
    def test_a_linear_decay_without_percent_is_refused(self) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            pk.Decay(kind="linear", every=timedelta(days=1))
        assert str(info.value) == "percent: a linear decay needs percent= (0 < percent <= 100)"

    # evaluation.Evaluation.__str__ #9: a model worse than the base rate says so, whole.
    def test_a_model_worse_than_the_base_rate_is_flagged(self) -> None:
        result = Evaluation(
            count=4,
            brier=0.3,
            log_loss=0.9,
            auc=0.4,
            base_rate=0.5,
            base_brier=0.25,
            base_log_loss=0.6931,
            calibration=(),
        )
        assert str(result) == (
            "4 closed contacts, base rate 50.0%\n"
            "Brier 0.3000 (always the base rate: 0.2500)\n"
            "log loss 0.9000 (always the base rate: 0.6931)\n"
            "AUC 0.400\n"
            "WORSE than always predicting the base rate: do not use these probabilities"
            " as they are (calibrate the model)"
        )

    # _schema._object #38: a document of another kind says which kind it got.
    def test_a_model_document_of_another_kind_shows_its_kind(self) -> None:
        document = pk.to_dict(pk.PointsModel(rules=[pk.Rule(BIG, points=1)]))
        document["kind"] = "grade_model"
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(document, pk.PointsModel)
        assert str(info.value) == "$.kind: expected 'points_model', got 'grade_model'"

    # _documents._read_calibration #13: a Platt calibration's refusal is at its own path.
    def test_a_platt_calibration_without_slope_is_refused_at_its_path(self) -> None:
        model = NaiveBayes.fit(many_leads(), features=["facts.source"], calibrate="platt")
        document = pk.to_dict(model)
        del document["calibration"]["slope"]
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(document, NaiveBayes)
        assert str(info.value) == "$.calibration: missing key 'slope'"

    # evaluation._admission #40: an unknown grade lists the model's grades.
    def test_an_unknown_grade_threshold_lists_the_grades(self) -> None:
        with pytest.raises(pk.FieldValueError) as info:
            backtest(MODEL, [CONTACT], AT, threshold="sql")
        assert str(info.value) == "threshold: 'sql' is not a grade of the model (grades: mql)"

    # _calibration.interpolate #2: between the first two points, the line between them.
    def test_interpolation_between_the_first_two_points(self) -> None:
        assert interpolate(0.5, (0.0, 1.0, 2.0), (0.2, 0.4, 0.8)) == pytest.approx(0.3)
        assert interpolate(1.5, (0.0, 1.0, 2.0), (0.2, 0.4, 0.8)) == pytest.approx(0.6)

    # _schema._read_rule #129: a rule of an unknown kind shows the kind.
    def test_a_rule_of_an_unknown_kind_shows_it(self) -> None:
        document = pk.to_dict(pk.PointsModel(rules=[pk.Rule(BIG, points=1)]))
        document["rules"][0]["kind"] = "magic"
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(document, pk.PointsModel)
        assert str(info.value) == "$.rules[0].kind: expected 'rule' or 'event_rule', got 'magic'"

    # points.PointsModel.score_many #26: an item that is no contact is named and shown.
    def test_score_many_names_an_item_that_is_no_contact(self) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            list(MODEL.score_many([CONTACT, 1], at=AT))  # type: ignore[list-item]
        assert str(info.value) == "contacts[1]: expected pk.Contact, got int 1"
