"""Pipeline metrics: funnel, time in stage, weighted pipeline and more, as result tables."""

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
]
