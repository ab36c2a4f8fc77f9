"""The guarded lead → prospect → opportunity → customer lifecycle.

One declarative :class:`PipelineSpec` drives both a compiled transition table (the fast
path of :meth:`Pipeline.advance`) and a generated python-statemachine class
(:attr:`Pipeline.machine_class`: definition checks, diagrams, driving mutable objects).
"""

from pipelinekit.lifecycle.pipeline import Pipeline
from pipelinekit.lifecycle.results import BulkResult, NextAction, Step
from pipelinekit.lifecycle.spec import (
    DEFAULT_SPEC,
    PipelineSpec,
    StageSpec,
    Transition,
    win_probability,
)

__all__ = [
    "DEFAULT_SPEC",
    "BulkResult",
    "NextAction",
    "Pipeline",
    "PipelineSpec",
    "StageSpec",
    "Step",
    "Transition",
    "win_probability",
]
