"""Long random runs over random pipelines, with metrics and scoring watching every step.

A Hypothesis state machine draws a pipeline spec (open stages in a chain, a won and a lost
stage, recycling, extra transitions, guards on facts), then adds contacts, changes their
facts and fires random events at them one by one or in bulk. After every step the
population's metrics (the funnel, the win rate) and its points scores equal a recount from
scratch, computed here from the contacts' histories by the definitions in the metrics'
docstrings, and every contact's history replays to its stage with its version counting it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import pipelinekit as pk

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
OK = pk.field("facts.ok") == True  # noqa: E712  # a qualifier, not a comparison
MODEL = pk.PointsModel(
    rules=[pk.Rule(OK, points=10), pk.Rule(pk.field("facts.size") >= 100, points=5)],
    thresholds={"hot": 15},
)


@st.composite
def specs(draw: st.DrawFn) -> pk.PipelineSpec:
    """A chain of open stages, won and lost, recycling, a few extra transitions, guards."""
    opened = [f"s{i}" for i in range(draw(st.integers(1, 4)))]
    stages = [
        *(pk.StageSpec(name) for name in opened),
        pk.StageSpec("won", final=True, outcome="won"),
        pk.StageSpec("lost", outcome="lost"),  # not final: it may be reopened
    ]
    transitions = [
        pk.Transition(f"go{i}", opened[i], opened[i + 1]) for i in range(len(opened) - 1)
    ]
    transitions += [
        pk.Transition("win", opened[-1], "won"),
        pk.Transition("lose", tuple(opened), "lost"),
        pk.Transition("reopen", "lost", opened[0]),
    ]
    for index in range(draw(st.integers(0, 2))):
        sources = draw(st.sets(st.sampled_from(opened), min_size=1))
        target = draw(st.sampled_from([*opened, "won"]))
        transitions.append(pk.Transition(f"jump{index}", tuple(sorted(sources)), target))
    guarded = draw(st.sets(st.sampled_from([t.event for t in transitions])))
    return pk.PipelineSpec(
        stages=stages, transitions=transitions, guards=dict.fromkeys(guarded, OK)
    )


def _forward(spec: pk.PipelineSpec) -> list[str]:
    return [s.name for s in spec.stages if s.outcome in ("open", "won")]


def funnel_recount(spec: pk.PipelineSpec, contacts: list[pk.Contact]) -> dict[str, int]:
    """``reached`` per forward stage: in it now, or a change of the history left or entered it."""
    counts = dict.fromkeys(_forward(spec), 0)
    for c in contacts:
        seen = (
            {str(c.stage)} | {str(x.source) for x in c.history} | {str(x.target) for x in c.history}
        )
        for stage in counts:
            counts[stage] += stage in seen
    return counts


def win_rate_recount(spec: pk.PipelineSpec, contacts: list[pk.Contact]) -> Decimal | None:
    """Won over won and lost, each contact by its last closing change (or its stage if none)."""
    outcome = {s.name: s.outcome for s in spec.stages}
    won = lost = 0
    for c in contacts:
        closing = [x for x in c.history if outcome[str(x.target)] in ("won", "lost")]
        final = outcome[str(closing[-1].target)] if closing else None
        if final is None and not c.history:
            final = outcome[str(c.stage)]
        won += final == "won"
        lost += final == "lost"
    return None if won + lost == 0 else Decimal(won) / Decimal(won + lost)


class ObservedRun(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.spec: pk.PipelineSpec | None = None
        self.pipeline: pk.Pipeline | None = None
        self.contacts: dict[str, pk.Contact] = {}
        self.clock = START

    @initialize(spec=specs())
    def start(self, spec: pk.PipelineSpec) -> None:
        self.spec = spec
        self.pipeline = pk.Pipeline(spec=spec)

    def _tick(self) -> datetime:
        self.clock += timedelta(hours=1)
        return self.clock

    @rule(number=st.integers(0, 7), ok=st.booleans(), size=st.sampled_from([None, 10, 500]))
    def add(self, number: int, ok: bool, size: int | None) -> None:  # drawn
        assert self.spec is not None
        cid = f"c-{number}"
        if cid not in self.contacts:
            facts: dict[str, bool | int] = {"ok": ok} if size is None else {"ok": ok, "size": size}
            self.contacts[cid] = pk.Contact(id=cid, name=cid, stage=self.spec.initial, facts=facts)

    @rule(data=st.data(), ok=st.booleans())
    def learn(self, data: st.DataObject, ok: bool) -> None:  # drawn
        if self.contacts:
            cid = data.draw(st.sampled_from(sorted(self.contacts)))
            c = self.contacts[cid]
            self.contacts[cid] = attrs.evolve(c, facts={**c.facts, "ok": ok})

    @rule(data=st.data())
    def fire(self, data: st.DataObject) -> None:
        assert self.spec is not None
        assert self.pipeline is not None
        if not self.contacts:
            return
        cid = data.draw(st.sampled_from(sorted(self.contacts)))
        event = data.draw(st.sampled_from(sorted(self.spec.events)))
        before = self.contacts[cid]
        try:
            step = self.pipeline.advance(before, event, at=self._tick())
        except (pk.TransitionBlocked, pk.InvalidTransition):
            return
        assert step.contact.history == (*before.history, *step.changes)
        self.contacts[cid] = step.contact

    @rule(data=st.data())
    def fire_many(self, data: st.DataObject) -> None:
        assert self.spec is not None
        assert self.pipeline is not None
        event = data.draw(st.sampled_from(sorted(self.spec.events)))
        result = self.pipeline.advance_many(list(self.contacts.values()), event, at=self._tick())
        assert len(result.advanced) + len(result.blocked) + len(result.invalid) == len(
            self.contacts
        )
        for step in result.advanced:
            self.contacts[step.contact.id] = step.contact

    @invariant()
    def histories_replay(self) -> None:
        if self.pipeline is None:
            return
        for c in self.contacts.values():
            assert self.pipeline.replay(c) == c.stage
            assert c.version == len(c.history)

    @invariant()
    def metrics_equal_a_recount(self) -> None:
        if self.spec is None:
            return
        population = list(self.contacts.values())
        rows = pk.metrics.funnel(population, self.spec).to_rows()
        assert {str(r["stage"]): r["reached"] for r in rows} == funnel_recount(
            self.spec, population
        )
        assert pk.metrics.win_rate(population, self.spec) == win_rate_recount(self.spec, population)

    @invariant()
    def scores_equal_a_recount(self) -> None:
        population = list(self.contacts.values())
        for c, score in zip(population, MODEL.score_many(population, at=self.clock), strict=True):
            size = c.facts.get("size")
            expected = 10 * (c.facts.get("ok") is True) + 5 * (type(size) is int and size >= 100)
            assert score.total == expected
            assert score.grade == ("hot" if expected >= 15 else None)


ObservedRun.TestCase.settings = settings(
    max_examples=80,
    stateful_step_count=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_observed_runs = ObservedRun.TestCase
