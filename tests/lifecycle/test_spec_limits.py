"""Spec size limits in code (InvalidPipeline), and building at the limits in linear time.

The document side of each limit (a ``SchemaError`` with its path, at the edge) is in
``tests/fuzz/test_limits.py``'s table; this module checks the constructors and the cost.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

import pipelinekit as pk
from pipelinekit.lifecycle import MAX_GUARD_NODES, MAX_SOURCES, MAX_STAGES, MAX_TRANSITIONS
from pipelinekit.qualifiers.schema import MAX_NODES

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def stages(count: int) -> list[pk.StageSpec]:
    """``count`` stages: open ones, then one won final stage."""
    return [pk.StageSpec(f"s{i}") for i in range(count - 1)] + [
        pk.StageSpec("won", final=True, outcome="won")
    ]


def chain(count: int) -> list[pk.Transition]:
    """Events moving each stage of :func:`stages` to the next."""
    names = [s.name for s in stages(count)]
    return [pk.Transition(f"e{i}", names[i - 1], names[i]) for i in range(1, count)]


def big_guard() -> pk.Qualifier:
    """A guard of exactly ``MAX_NODES`` qualifier nodes."""
    return pk.from_dict(
        {
            "kind": "all_of",
            "children": [
                {"kind": "compare", "path": "account.employees", "op": ">=", "value": i}
                for i in range(MAX_NODES - 1)
            ],
        },
        pk.Qualifier,
    )


class TestLimitsInCode:
    def test_stages(self) -> None:
        assert (
            len(pk.PipelineSpec(stages=stages(MAX_STAGES), transitions=chain(MAX_STAGES)).stages)
            == MAX_STAGES
        )
        with pytest.raises(pk.InvalidPipeline) as caught:
            pk.PipelineSpec(stages=stages(MAX_STAGES + 1), transitions=chain(MAX_STAGES + 1))
        assert str(caught.value) == "stages: a pipeline has at most 250 stages"

    def test_transitions(self) -> None:
        def events(count: int) -> list[pk.Transition]:
            return [pk.Transition(f"e{i}", "s0", "won") for i in range(count)]

        spec = pk.PipelineSpec(stages=stages(2), transitions=events(MAX_TRANSITIONS))
        assert len(spec.transitions) == MAX_TRANSITIONS
        with pytest.raises(pk.InvalidPipeline) as caught:
            pk.PipelineSpec(stages=stages(2), transitions=events(MAX_TRANSITIONS + 1))
        assert str(caught.value) == "transitions: a pipeline has at most 1,000 transitions"

    def test_sources(self) -> None:
        names = [f"s{i}" for i in range(MAX_SOURCES + 1)]
        assert len(pk.Transition("go", names[:MAX_SOURCES], "t").sources) == MAX_SOURCES
        with pytest.raises(pk.InvalidPipeline) as caught:
            pk.Transition("go", names, "t")
        assert str(caught.value) == "a transition lists at most 250 source stages"

    def test_guard_nodes(self) -> None:
        guard = big_guard()
        full = MAX_GUARD_NODES // MAX_NODES
        events = [pk.Transition(f"e{i}", "s0", "won") for i in range(full + 1)]
        guards = {f"e{i}": guard for i in range(full)}
        spec = pk.PipelineSpec(stages=stages(2), transitions=events, guards=guards)
        assert len(spec.guards) == full
        one_more = pk.field("account.employees") >= 1
        with pytest.raises(pk.InvalidPipeline) as caught:
            pk.PipelineSpec(
                stages=stages(2), transitions=events, guards={**guards, f"e{full}": one_more}
            )
        assert str(caught.value) == (
            "guards: the guards of a pipeline have at most 100,000 qualifier nodes together"
        )

    @pytest.mark.parametrize(
        "build",
        [
            lambda: pk.PipelineSpec(stages=(f"s{i}" for i in itertools.count()), transitions=[]),
            lambda: pk.PipelineSpec(
                stages=stages(2),
                transitions=(pk.Transition(f"e{i}", "s0", "won") for i in itertools.count()),
            ),
            lambda: pk.Transition("go", (f"s{i}" for i in itertools.count()), "t"),
        ],
        ids=["stages", "transitions", "sources"],
    )
    def test_endless_iterables_are_refused_not_read(self, build: Callable[[], object]) -> None:
        """Only one item past the limit is read: an endless generator is refused."""
        with pytest.raises(pk.InvalidPipeline, match="at most"):
            build()


def worst_spec(guards: dict[str, pk.Qualifier]) -> pk.PipelineSpec:
    """The largest spec the limits allow: every limit reached, every stage a source."""
    names = [f"s{i}" for i in range(MAX_STAGES - 1)]
    transitions = [
        pk.Transition(f"e{i}", names, names[i % len(names)] if i % 7 else "won")
        for i in range(MAX_TRANSITIONS)
    ]
    return pk.PipelineSpec(stages=stages(MAX_STAGES), transitions=transitions, guards=guards)


def small_spec() -> pk.PipelineSpec:
    """A small spec of the same shape: 10 stages, 40 events from every open stage."""
    names = [f"s{i}" for i in range(9)]
    transitions = [
        pk.Transition(f"e{i}", names, names[i % len(names)] if i % 7 else "won") for i in range(40)
    ]
    return pk.PipelineSpec(stages=stages(10), transitions=transitions)


def size(spec: pk.PipelineSpec) -> int:
    """What building is linear in: stages plus the source stages of every transition."""
    return len(spec.stages) + sum(len(t.sources) for t in spec.transitions)


def build_seconds(make: Callable[[], pk.PipelineSpec], repeat: int) -> float:
    """The best of ``repeat`` timings: a spec made, a skipping pipeline built and asked.

    CPU time of this process (``process_time``), not wall time: other processes on a
    busy machine do not count against the run.
    """
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        pipeline = pk.Pipeline(spec=make(), allow_skips=True)
        pipeline.allowed_events(pk.Contact(id="c", name="n", stage="s0"), at=NOW)
        best = min(best, time.process_time() - start)
    return best


def test_building_at_the_limits_is_linear() -> None:
    """Issue 9 item 12: the worst spec costs at most a few times its size's share.

    Time per unit of size (stages + sources) of the worst spec the limits allow, against
    a small spec of the same shape, measured in the same run. Linear building gives a
    ratio near 1 (the small spec's fixed costs even favour the big one); the old quadratic
    machine class build and cubic skip routes gave far more than the generous bound.
    """
    guard = big_guard()
    guards: dict[str, Any] = {f"e{i}": guard for i in range(MAX_GUARD_NODES // MAX_NODES)}
    small = build_seconds(small_spec, repeat=20) / size(small_spec())
    worst = build_seconds(lambda: worst_spec(guards), repeat=2) / size(worst_spec(guards))
    assert worst / small < 5, (worst, small)


def test_the_machine_class_is_built_once_on_first_use() -> None:
    pipeline = pk.Pipeline(spec=pk.PipelineSpec(stages=stages(3), transitions=chain(3)))
    assert pipeline.machine_class is pipeline.machine_class
    assert [s.value for s in pipeline.machine_class.final_states] == ["won"]


def test_long_chain_with_skips_is_not_cubic() -> None:
    """A chain of MAX_STAGES stages with skips: every later event reachable from s0."""
    spec = pk.PipelineSpec(stages=stages(MAX_STAGES), transitions=chain(MAX_STAGES))
    start = time.process_time()
    pipeline = pk.Pipeline(spec=spec, allow_skips=True)
    events = pipeline.allowed_events(pk.Contact(id="c", name="n", stage="s0"), at=NOW)
    elapsed = time.process_time() - start
    assert len(events) == MAX_STAGES - 1
    step = pipeline.advance(pk.Contact(id="c", name="n", stage="s0"), f"e{MAX_STAGES - 1}", at=NOW)
    assert step.contact.stage == "won"
    assert len(step.contact.history) == MAX_STAGES - 1
    assert elapsed < 5, elapsed  # cubic routes took minutes here; linear ones milliseconds
