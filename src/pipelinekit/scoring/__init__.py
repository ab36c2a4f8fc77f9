"""Lead scoring: predictive (naive Bayes, calibrated) and its honest evaluation.

.. versionadded:: 0.2.0
"""

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
from pipelinekit.scoring.predictive import (
    Calibration,
    Factor,
    FeatureTable,
    NaiveBayes,
    Prediction,
)

__all__ = [
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
