"""Pipeline metrics: the numbers of a pipeline review, defined once and explained.

Pure functions over any iterable of contacts (read once, so a generator will do): their
histories are the data. Time is passed in (``at=``) where it matters, ``spec`` defaults
to :data:`~pipelinekit.DEFAULT_SPEC`, and stage meanings (open, won, lost, disqualified;
forecast categories; probabilities) come from the spec, never from stage names. Every
result is a table (:mod:`pipelinekit.metrics.results`): rows as dicts, text, HTML, a
plot and dataframes; ``by=`` breaks a result down by any field path. See docs/metrics.md.

>>> from pipelinekit import metrics
>>> metrics.funnel([]).to_rows()[0]
{'stage': 'lead', 'reached': 0, 'step_conversion': None, 'cumulative_conversion': None}

.. versionadded:: 0.2.0
"""

from pipelinekit.metrics._cohorts import cohorts
from pipelinekit.metrics._compare import compare
from pipelinekit.metrics._deals import lost_reasons, velocity, weighted_pipeline, win_rate
from pipelinekit.metrics._funnel import funnel
from pipelinekit.metrics._stays import stale, time_in_stage
from pipelinekit.metrics.results import (
    Cohorts,
    Comparison,
    Funnel,
    LostReasons,
    Stale,
    Table,
    TimeInStage,
    Velocity,
    WeightedPipeline,
)

__all__ = [
    "Cohorts",
    "Comparison",
    "Funnel",
    "LostReasons",
    "Stale",
    "Table",
    "TimeInStage",
    "Velocity",
    "WeightedPipeline",
    "cohorts",
    "compare",
    "funnel",
    "lost_reasons",
    "stale",
    "time_in_stage",
    "velocity",
    "weighted_pipeline",
    "win_rate",
]
