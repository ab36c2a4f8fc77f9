"""evaluate, the metrics by hand, and the honest-evaluation helpers."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

import pipelinekit as pk
from pipelinekit.scoring import (
    NaiveBayes,
    backtest,
    brier_score,
    calibration_table,
    closed_at,
    evaluate,
    k_fold,
    log_loss,
    roc_auc,
    split_by_time,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def closed(key: str, won: bool, day: int | None = None, **facts: str) -> pk.Contact:
    stage = "customer" if won else "lost"
    history: tuple[pk.StageChange, ...] = ()
    if day is not None:
        history = (
            pk.StageChange(
                event="win" if won else "lose",
                source="opportunity",
                target=stage,
                at=T0 + timedelta(days=day),
                reason=None if won else "price",
            ),
        )
    return pk.Contact(id=key, name=key, stage=stage, facts=facts, history=history)


class TestMetricsByHand:
    def test_brier_log_loss_auc(self) -> None:
        p, y = [0.9, 0.6, 0.6, 0.1], [True, True, False, False]
        assert brier_score(p, y) == pytest.approx((0.01 + 0.16 + 0.36 + 0.01) / 4)
        expected = -(math.log(0.9) + math.log(0.6) + math.log(0.4) + math.log(0.9)) / 4
        assert log_loss(p, y) == pytest.approx(expected)
        # pairs (won, lost): (0.9, 0.6) win, (0.9, 0.1) win, (0.6, 0.6) tie, (0.6, 0.1) win
        assert roc_auc(p, y) == pytest.approx(3.5 / 4)

    def test_log_loss_clips_certain_mistakes(self) -> None:
        assert math.isfinite(log_loss([0.0, 1.0], [True, False]))

    def test_auc_is_undefined_with_one_outcome(self) -> None:
        assert roc_auc([0.2, 0.3], [True, True]) is None

    @pytest.mark.parametrize(
        ("p", "y", "match"),
        [
            ([], [], "nothing to evaluate"),
            ([0.5], [True, False], "one outcome per probability"),
            ([1.5], [True], r"values in \[0, 1\]"),
        ],
    )
    def test_bad_input(self, p: list[float], y: list[bool], match: str) -> None:
        with pytest.raises(pk.FieldValueError, match=match):
            brier_score(p, y)

    @pytest.mark.parametrize(
        ("p", "y", "match"),
        [
            (["0.5"], [True], "probabilities: expected numbers, got str"),
            ([True], [True], "probabilities: expected numbers, got bool"),
            ([0.5], [1], "outcomes: expected bools"),
            (0.5, [True], "probabilities: expected a list"),
        ],
    )
    def test_bad_types(self, p: object, y: object, match: str) -> None:
        for metric in (brier_score, log_loss, roc_auc, calibration_table):
            with pytest.raises(pk.FieldTypeError, match=match):
                metric(p, y)  # type: ignore[arg-type]

    def test_any_iterables(self) -> None:
        assert brier_score(iter([0.5]), (y for y in [True])) == 0.25

    def test_calibration_table(self) -> None:
        rows = calibration_table([0.05, 0.05, 0.95, 1.0], [False, True, True, True], bins=10)
        assert rows == (
            {"bin": "0.00-0.10", "count": 2, "predicted": 0.05, "observed": 0.5},
            {"bin": "0.90-1.00", "count": 2, "predicted": 0.975, "observed": 1.0},
        )
        with pytest.raises(pk.FieldValueError, match="bins"):
            calibration_table([0.5], [True], bins=0)


def signal_leads(n: int = 300, seed: int = 1) -> list[pk.Contact]:
    rng = random.Random(seed)  # noqa: S311  # test data, not secrets
    out = []
    for i in range(n):
        a, b = rng.choice("xyz"), rng.choice("pq")
        chance = {"x": 0.6, "y": 0.3, "z": 0.1}[a]
        out.append(closed(f"c{i}", rng.random() < chance, day=i, a=a, b=b))
    return out


class TestEvaluate:
    def test_report(self) -> None:
        leads = signal_leads()
        train, test = split_by_time(leads, T0 + timedelta(days=200))
        model = NaiveBayes.fit(train, features=["facts.a", "facts.b"], calibrate="platt")
        report = evaluate(model, [*test, pk.Contact(id="open", name="o")])
        outcomes = [c.stage == "customer" for c in test]
        probabilities = [model.predict(c).probability for c in test]
        assert report.count == len(test) == 100
        assert report.base_rate == sum(outcomes) / 100
        assert report.brier == brier_score(probabilities, outcomes)
        assert report.log_loss == log_loss(probabilities, outcomes)
        assert report.auc == roc_auc(probabilities, outcomes)
        assert report.base_brier == pytest.approx(report.base_rate * (1 - report.base_rate))
        assert report.auc is not None
        assert report.auc > 0.6
        assert not report.worse_than_base_rate
        assert "WORSE" not in str(report)
        assert sum(row["count"] for row in report.calibration) == 100  # type: ignore[misc]

    def test_says_plainly_when_worse_than_the_base_rate(self) -> None:
        # trained on one pattern, tested on its opposite
        train = [closed(f"t{i}", i % 2 == 0, a="x" if i % 2 == 0 else "y") for i in range(40)]
        test = [closed(f"s{i}", i % 2 == 1, a="x" if i % 2 == 0 else "y") for i in range(40)]
        model = NaiveBayes.fit(train, features=["facts.a"], calibrate=None)
        report = evaluate(model, test)
        assert report.worse_than_base_rate
        assert "WORSE than always predicting the base rate" in str(report)

    def test_errors(self) -> None:
        with pytest.raises(pk.FieldTypeError, match="model: expected a NaiveBayes"):
            evaluate("model", [])  # type: ignore[arg-type]
        model = NaiveBayes.fit(signal_leads(40), features=["facts.a"], calibrate=None)
        with pytest.raises(pk.FieldValueError, match="no closed contacts"):
            evaluate(model, [pk.Contact(id="open", name="o")])


class TestSplitByTime:
    def test_split(self) -> None:
        leads = [closed("a", True, day=1), closed("b", False, day=5), closed("c", True, day=9)]
        imported = closed("d", True)  # closed without a change into its stage
        before, after = split_by_time(
            [*leads, imported, pk.Contact(id="o", name="o")], T0 + timedelta(days=5)
        )
        assert [c.id for c in before] == ["a"]
        assert [c.id for c in after] == ["b", "c"]  # at the date counts as after
        assert closed_at(leads[1]) == T0 + timedelta(days=5)
        assert closed_at(imported) is None

    def test_needs_an_aware_datetime(self) -> None:
        with pytest.raises(pk.FieldValueError, match="at"):
            split_by_time([], datetime(2026, 1, 1))  # naive on purpose


class TestKFold:
    def test_partitions(self) -> None:
        leads = signal_leads(23)
        folds = k_fold(leads, k=5, seed=3)
        assert len(folds) == 5
        tests = [c.id for _, test in folds for c in test]
        assert sorted(tests) == sorted(c.id for c in leads)  # each once
        for train, test in folds:
            assert {c.id for c in train} | {c.id for c in test} == {c.id for c in leads}
            assert not {c.id for c in train} & {c.id for c in test}
            assert len(test) in (4, 5)

    def test_order_free_and_seeded(self) -> None:
        leads = signal_leads(30)
        ids = [{c.id for c in test} for _, test in k_fold(leads, seed=7)]
        assert ids == [{c.id for c in test} for _, test in k_fold(leads[::-1], seed=7)]
        assert ids != [{c.id for c in test} for _, test in k_fold(leads, seed=8)]
        # within a part, contacts keep the order they were given in
        train, test = k_fold(leads, seed=7)[0]
        assert test == [c for c in leads if c in test]
        assert train == [c for c in leads if c in train]

    def test_bad_arguments(self) -> None:
        with pytest.raises(pk.FieldValueError, match="k: expected an int"):
            k_fold([], k=1)
        with pytest.raises(pk.FieldTypeError, match="seed: expected an int"):
            k_fold([], seed="1")  # type: ignore[arg-type]
        with pytest.raises(pk.FieldTypeError, match=r"contacts\[0\]"):
            k_fold([1])  # type: ignore[list-item]


class TestBacktest:
    def test_precision_and_recall(self) -> None:
        policy = pk.field("facts.a").is_in({"x"})
        leads = [
            closed("1", True, a="x"),
            closed("2", True, a="x"),
            closed("3", False, a="x"),
            closed("4", True, a="y"),
            closed("5", False),  # UNKNOWN: not admitted
            pk.Contact(id="6", name="open", facts={"a": "x"}),  # open: not counted
        ]
        result = backtest(policy, leads)
        assert (result.count, result.admitted, result.won, result.admitted_won) == (5, 3, 3, 2)
        assert result.precision == pytest.approx(2 / 3)
        assert result.recall == pytest.approx(2 / 3)

    def test_nothing_admitted(self) -> None:
        result = backtest(pk.field("facts.a").is_in({"nope"}), [closed("1", False, a="x")])
        assert (result.precision, result.recall) == (None, None)

    def test_refuses_other_policies(self) -> None:
        with pytest.raises(pk.FieldTypeError, match="policy: expected a Qualifier"):
            backtest(lambda c: True, [])  # type: ignore[arg-type]


class TestPointsBacktest:
    """A points model admits a contact whose total at ``at`` reaches the threshold."""

    MODEL = pk.PointsModel(
        rules=[
            pk.Rule(pk.field("facts.a").is_in({"x"}), points=30),
            pk.Rule(pk.field("facts.b").is_in({"y"}), points=20),
        ],
        thresholds={"mql": 40, "warm": 25},
    )
    LEADS = (
        closed("1", True, a="x", b="y"),  # 50: mql, warm
        closed("2", False, a="x", b="y"),  # 50: mql, warm
        closed("3", True, a="x"),  # 30: warm
        closed("4", True, b="y"),  # 20: neither
        closed("5", False),  # 0: neither
    )
    AT = T0 + timedelta(days=30)

    def test_a_grade_threshold(self) -> None:
        """mql admits 1 and 2 (one won of two); 3 of the won: precision 1/2, recall 1/3."""
        result = backtest(self.MODEL, self.LEADS, self.AT, threshold="mql")
        assert (result.count, result.admitted, result.won, result.admitted_won) == (5, 2, 3, 1)
        assert result.precision == pytest.approx(1 / 2)
        assert result.recall == pytest.approx(1 / 3)

    def test_a_points_threshold_counts_at_or_above(self) -> None:
        """25 admits 1, 2 and 3 (two won); 30 still admits 3 (exactly at it); 31 does not."""
        at_25 = backtest(self.MODEL, self.LEADS, self.AT, threshold=25)
        assert (at_25.admitted, at_25.admitted_won) == (3, 2)
        assert backtest(self.MODEL, self.LEADS, self.AT, threshold=Decimal(30)).admitted == 3
        assert backtest(self.MODEL, self.LEADS, self.AT, threshold=Decimal("30.5")).admitted == 2

    def test_same_as_the_equivalent_qualifier_view(self) -> None:
        """A threshold on a model equals admitting by the model's own grade."""
        by_grade = backtest(self.MODEL, self.LEADS, self.AT, threshold="warm")
        manual = sum(self.MODEL.score(c, at=self.AT).grade in ("warm", "mql") for c in self.LEADS)
        assert by_grade.admitted == manual

    @pytest.mark.parametrize(
        ("kwargs", "error", "field"),
        [
            ({"threshold": "sql"}, pk.FieldValueError, "threshold"),
            ({}, pk.FieldValueError, "threshold"),
            ({"threshold": 1.5}, pk.FieldTypeError, "threshold"),
            ({"threshold": True}, pk.FieldTypeError, "threshold"),
            ({"threshold": Decimal("NaN")}, pk.FieldValueError, "threshold"),
        ],
    )
    def test_bad_thresholds(
        self, kwargs: dict[str, object], error: type[pk.FieldError], field: str
    ) -> None:
        with pytest.raises(error) as caught:
            backtest(self.MODEL, self.LEADS, self.AT, **kwargs)  # type: ignore[arg-type]
        assert caught.value.field == field

    def test_a_points_model_needs_an_aware_time(self) -> None:
        with pytest.raises(pk.FieldValueError, match="at"):
            backtest(self.MODEL, self.LEADS, threshold="mql")
        with pytest.raises(pk.FieldValueError, match="at"):
            backtest(self.MODEL, self.LEADS, datetime(2026, 1, 1), threshold="mql")

    def test_a_qualifier_takes_no_threshold(self) -> None:
        with pytest.raises(pk.FieldValueError, match="threshold"):
            backtest(pk.field("facts.a").is_in({"x"}), self.LEADS, threshold="mql")
