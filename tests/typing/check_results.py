"""Type-only checks of results as dependents use them: lifecycle steps, errors, metrics and
scoring. Checked by ``mypy --strict`` and by pyright (``basedpyright``, standard mode) in
``.ci/run``; never executed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import assert_type

import pipelinekit as pk

now = datetime(2026, 12, 1, tzinfo=UTC)
contact = pk.Contact(id="c-1", name="Jane")
pipeline = pk.Pipeline()

# Lifecycle results.
step = pipeline.advance(contact, "qualify", at=now, expected_version=0)
assert_type(step, pk.Step)
assert_type(step.changes, tuple[pk.StageChange, ...])
assert_type(step.contact.history, tuple[pk.StageChange, ...])
bulk = pipeline.advance_many([contact], "qualify", at=now)
assert_type(bulk, pk.BulkResult)
assert_type(bulk.advanced, tuple[pk.Step, ...])
assert_type(bulk.blocked, tuple[tuple[pk.Contact, pk.Verdict], ...])
assert_type(bulk.invalid, tuple[tuple[pk.Contact, pk.InvalidTransition], ...])
assert_type(bulk.contacts, tuple[pk.Contact, ...])
blockers = pipeline.blockers(contact, "qualify", at=now)
assert_type(blockers, pk.Verdict)
assert_type(blockers.failures(named=True), list[pk.Verdict])
assert_type(blockers.unknown_facts(), tuple[str, ...])
assert_type(blockers.summary(), str)

# Errors carry what a caller needs, typed.
try:
    pipeline.advance(contact, "win", at=now)
except pk.TransitionBlocked as blocked:
    assert_type(blocked.verdict, pk.Verdict)
except pk.InvalidTransition as invalid:
    assert_type(invalid, pk.InvalidTransition)
except pk.PipelineError as error:
    assert_type(error, pk.PipelineError)
schema_error = pk.SchemaError("$.name", "required field is missing")
assert_type(schema_error.path, str)
missing = pk.MissingDependency("polars", feature="to_native", extra=None)
assert_type(missing, pk.MissingDependency)
assert isinstance(missing, ImportError)

# Metrics: computed tables with typed rows.
funnel = pk.metrics.funnel([contact])
assert_type(funnel, pk.metrics.Funnel)
assert_type(funnel.columns, tuple[str, ...])
assert_type(funnel.rows, tuple[Mapping[str, object], ...])
assert_type(funnel.to_rows(), list[dict[str, object]])
assert_type(funnel.caption, str)
assert_type(pk.metrics.win_rate([contact]), Decimal | None)
assert_type(pk.metrics.time_in_stage([contact], now), pk.metrics.TimeInStage)
assert_type(pk.metrics.velocity([contact], now, timedelta(days=30)), pk.metrics.Velocity)
assert_type(pk.metrics.weighted_pipeline([contact], rollups=True), pk.metrics.WeightedPipeline)
assert_type(pk.metrics.stale([contact], now, {"lead": timedelta(days=9)}), pk.metrics.Stale)

# Scoring: points, grades, predictions and their evaluation.
model = pk.PointsModel(rules=[pk.Rule(pk.field("account.employees") >= 100, points=20)])
score = model.score(contact, at=now)
assert_type(score, pk.Score)
assert_type(score.total, Decimal)
assert_type(score.grade, str | None)
assert_type(score.groups, Mapping[str, Decimal])
assert_type(model.score_many([contact], at=now), list[pk.Score])
grades = pk.GradeModel(criteria=[pk.Criterion(pk.field("budget").is_known(), steps=1)])
assert_type(grades.score(contact, at=now).grade, str)
naive_bayes = pk.scoring.NaiveBayes.fit([contact], features=["source"], calibrate=None)
assert_type(naive_bayes, pk.scoring.NaiveBayes)
prediction = naive_bayes.predict(contact)
assert_type(prediction, pk.scoring.Prediction)
assert_type(prediction.probability, float)
assert_type(pk.scoring.evaluate(naive_bayes, [contact]).auc, float | None)
assert_type(pk.scoring.backtest(model, [contact], threshold=10), pk.scoring.Backtest)
assert_type(pk.scoring.backtest(pk.field("budget").is_known(), [contact]).precision, float | None)
assert_type(pk.from_dict(pk.to_dict(naive_bayes), pk.scoring.NaiveBayes), pk.scoring.NaiveBayes)
