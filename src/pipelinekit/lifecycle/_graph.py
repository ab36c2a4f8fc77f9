"""The graph checks of a pipeline: reachability, ways out, unique names.

.. versionadded:: 0.2.0 (moved out of :mod:`pipelinekit.lifecycle.spec`)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING

from pipelinekit.errors import InvalidPipeline
from pipelinekit.stages import did_you_mean

if TYPE_CHECKING:
    from pipelinekit.lifecycle.spec import PipelineSpec

__all__ = ["check_graph"]


def check_graph(spec: PipelineSpec) -> None:
    """Refuse a pipeline whose stages and transitions cannot work together.

    Names are unique, every transition names known stages, every stage is reachable from
    the initial one, final stages have no way out, and every other stage has a path to a
    final stage.
    """
    if not spec.stages:
        raise InvalidPipeline("a pipeline needs at least one stage")
    names = [s.name for s in spec.stages]
    _check_unique(names, [t.event for t in spec.transitions])
    outgoing: dict[str, list[str]] = {name: [] for name in names}
    incoming: dict[str, list[str]] = {name: [] for name in names}
    for t in spec.transitions:
        for name in (*t.sources, t.target):
            if name not in outgoing:
                raise InvalidPipeline(
                    f"event {t.event!r} names unknown stage {name!r}; stages: {', '.join(names)}"
                    f"{did_you_mean(name, names)}"
                )
        for source in t.sources:
            outgoing[source].append(t.target)
            incoming[t.target].append(source)
    for stage in spec.stages:
        if stage.final and outgoing[stage.name]:
            raise InvalidPipeline(f"final stage {stage.name!r} must have no outgoing event")
    reachable = _closure([spec.initial], outgoing)
    for name in names:
        if name not in reachable:
            raise InvalidPipeline(
                f"stage {name!r} is unreachable from the initial stage {spec.initial!r}"
            )
    finals = [s.name for s in spec.stages if s.final]
    if not finals:
        raise InvalidPipeline(
            "a pipeline needs a final stage (StageSpec(..., final=True, outcome='won'))"
        )
    can_finish = _closure(finals, incoming)
    for name in names:
        if name not in can_finish:
            raise InvalidPipeline(
                f"stage {name!r} has no path to a final stage ({', '.join(finals)})"
            )


def _check_unique(stages: list[str], events: list[str]) -> None:
    # Linear: sets, not list.count (a pipeline may have MAX_STAGES stages).
    seen: set[str] = set()
    for name in stages:
        if name in seen:
            raise InvalidPipeline(f"duplicate stage {name!r}")
        seen.add(name)
    fired: set[str] = set()
    for event in events:
        if event in fired:
            raise InvalidPipeline(f"duplicate event {event!r}: give each event one Transition")
        fired.add(event)
        if event in seen:
            raise InvalidPipeline(f"{event!r} names both a stage and an event")


def _closure(start: list[str], edges: Mapping[str, list[str]]) -> set[str]:
    seen = set(start)
    queue = deque(start)
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
