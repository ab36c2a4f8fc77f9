"""Lead scoring (``pk.scoring``): points, letter grades, and calibrated predictive scoring.

Points and grades, and predictive scoring (naive Bayes, calibrated) with its honest
evaluation. The points side is re-exported at the top level as well (``pk.PointsModel``,
``pk.Rule``, ``pk.EventRule``, ``pk.Decay``, ``pk.ScoreMatrix``, ``pk.GradeModel``, ...);
see ``docs/scoring.md``.

.. versionadded:: 0.2.0
"""

from pipelinekit.scoring._points_decay import Decay
from pipelinekit.scoring._points_grades import GRADES, Criterion, Grade, GradeLine, GradeModel
from pipelinekit.scoring._points_rules import EventRule, Rule
from pipelinekit.scoring._points_score import Score, ScoreLine
from pipelinekit.scoring.evaluation import (
    Backtest,
    Evaluation,
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
from pipelinekit.scoring.points import PointsModel, ScoreMatrix
from pipelinekit.scoring.predictive import (
    Calibration,
    Factor,
    FeatureTable,
    NaiveBayes,
    Prediction,
)

__all__ = [
    # points and grades
    "GRADES",
    "Criterion",
    "Decay",
    "EventRule",
    "Grade",
    "GradeLine",
    "GradeModel",
    "PointsModel",
    "Rule",
    "Score",
    "ScoreLine",
    "ScoreMatrix",
    # predictive
    "Backtest",
    "Calibration",
    "Evaluation",
    "Factor",
    "FeatureTable",
    "NaiveBayes",
    "Prediction",
    "backtest",
    "brier_score",
    "calibration_table",
    "closed_at",
    "evaluate",
    "k_fold",
    "log_loss",
    "roc_auc",
    "split_by_time",
]
