"""Lead scoring: points models with caps, decay and grades (``pk.scoring``).

The points side is re-exported at the top level (``pk.PointsModel``, ``pk.Rule``,
``pk.EventRule``, ``pk.Decay``, ``pk.ScoreMatrix``, ``pk.GradeModel``, ...); see
``docs/scoring.md``.

.. versionadded:: 0.2.0
"""

from pipelinekit.scoring._points_decay import Decay
from pipelinekit.scoring._points_grades import GRADES, Criterion, Grade, GradeLine, GradeModel
from pipelinekit.scoring._points_rules import EventRule, Rule
from pipelinekit.scoring._points_score import Score, ScoreLine
from pipelinekit.scoring.points import PointsModel, ScoreMatrix

__all__ = [
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
]
