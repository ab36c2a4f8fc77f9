"""The guarded lead → prospect → opportunity → customer lifecycle.

One declarative :class:`PipelineSpec` drives both a compiled transition table (the fast
path of :meth:`Pipeline.advance`) and a generated python-statemachine class
(:attr:`Pipeline.machine_class`: definition checks, diagrams, driving mutable objects).
"""

from pipelinekit.lifecycle._rules import (
    MAX_GUARD_NODES,
    MAX_LABEL,
    MAX_SOURCES,
    MAX_STAGES,
    MAX_TRANSITIONS,
)
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
    "MAX_GUARD_NODES",
    "MAX_LABEL",
    "MAX_SOURCES",
    "MAX_STAGES",
    "MAX_TRANSITIONS",
    "BulkResult",
    "NextAction",
    "Pipeline",
    "PipelineSpec",
    "StageSpec",
    "Step",
    "Transition",
    "win_probability",
]
