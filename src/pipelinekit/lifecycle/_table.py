"""The compiled transition table: the fast path behind ``Pipeline.advance`` (private).

Compiling resolves everything that does not depend on a contact once: for each stage
and event, the *route* (one hop, or several when the skip policy lets a contact pass
through intermediate stages), each hop's guard, its target already converted the way
``Contact.stage`` stores it, and the verdict summary recorded on success. The generated
python-statemachine class is built from the same routes, so both agree by construction
(and a property test checks it).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Final

import attrs

from pipelinekit.entities import StageChange
from pipelinekit.errors import InvalidTransition, QualifierError
from pipelinekit.lifecycle._rules import not_a_stage
from pipelinekit.lifecycle.spec import PipelineSpec, Transition
from pipelinekit.qualifiers import Outcome, Qualifier, Verdict
from pipelinekit.stages import did_you_mean, stage_name

__all__ = [
    "NO_GUARD",
    "GuardFailure",
    "Hop",
    "Route",
    "Table",
    "compile_table",
    "guard_failure",
    "guard_label",
    "hop_verdict",
    "raised_verdict",
    "route_failure",
    "route_passes",
    "route_verdict",
    "stage_value",
    "trusted_change",
]

_SUMMARY_LIMIT: Final = 120


def stage_value(name: str) -> str:
    """What ``Contact.stage`` holds for a spec's stage ``name`` (the one stage-name rule)."""
    return stage_name("stage", name)


_new: Final = object.__new__
_set: Final = object.__setattr__


def trusted_change(  # noqa: PLR0917  # the hot path: positional arguments are cheaper
    event: str,
    source: str,
    target: str,
    at: datetime,
    by: str | None,
    reason: str | None,
    verdict: str | None,
) -> StageChange:
    """A :class:`~pipelinekit.StageChange` built without re-running its validators.

    Trusted callers only: ``event``, ``source`` and ``target`` come from a checked spec as
    plain strings, ``at`` is an aware datetime and ``by``, ``reason`` and ``verdict`` are
    ``str`` or ``None``, all checked once per call by the pipeline. Equal to the validated
    ``StageChange(...)`` with the same values, at a third of the cost.
    """
    change: StageChange = _new(StageChange)
    _set(change, "event", event)
    _set(change, "source", source)
    _set(change, "target", target)
    _set(change, "at", at)
    _set(change, "by", by)
    _set(change, "reason", reason)
    _set(change, "verdict", verdict)
    return change


def success_summary(guard: Qualifier | None) -> str | None:
    """The verdict summary recorded in a :class:`~pipelinekit.StageChange` when ``guard`` passed.

    ``"PASS <label>"``, the first line of what ``guard.evaluate(...).summary()`` gives for a
    PASS, computed once instead of evaluating the explanation on every success. ``None`` for
    an event without a guard.
    """
    if guard is None:
        return None
    label = guard_label(guard)
    if len(label) > _SUMMARY_LIMIT:
        label = label[: _SUMMARY_LIMIT - 1] + "…"
    return f"PASS {label}"


@attrs.frozen
class Hop:
    """One transition as ``advance`` runs it."""

    event: str
    source: str  # a plain str: the snapshot recorded in history
    target: str  # the plain str name
    target_value: str  # what Contact.stage holds (a Stage member for default stages)
    guard: Qualifier | None
    reason_required: bool
    summary: str | None  # the StageChange.verdict on success


@attrs.frozen
class Route:
    """The hops an event takes from one stage: one, or several with the skip policy."""

    hops: tuple[Hop, ...]
    #: The guards on the way, in order (events without one are left out).
    guards: tuple[Qualifier, ...] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        guards = tuple(h.guard for h in self.hops if h.guard is not None)
        object.__setattr__(self, "guards", guards)

    @property
    def target(self) -> str:
        """The stage the contact ends in."""
        return self.hops[-1].target


@attrs.frozen
class Table:
    """Routes by stage, then by event; and the stages and events of the pipeline."""

    routes: Mapping[str, Mapping[str, Route]]
    events: tuple[str, ...]
    order: Mapping[str, int]
    spec: PipelineSpec
    forward_only: bool

    def sources_of(self, event: str) -> Mapping[str, Route]:
        """The route of ``event`` from each stage it applies to (every stage is looked at).

        With skip routes this computes every stage's routes: for building the machine
        class, not for the per-contact path.
        """
        return {stage: routes[event] for stage, routes in self.routes.items() if event in routes}

    def possible(self, stage: str) -> frozenset[str]:
        """Events that apply to ``stage``, by stage alone."""
        return frozenset(self.routes.get(stage, ()))

    def not_a_stage(self, stage: str, event: str | None) -> InvalidTransition:
        """The error for a contact (or model) whose stage is not one of the pipeline's."""
        return InvalidTransition(event, stage, message=not_a_stage(stage, self.spec))

    def unknown(self, event: str, stage: str | None) -> InvalidTransition:
        """The error for an event that is not one of the pipeline's."""
        # .allowed: what applies to the stage; with no stage (advance_many), every event.
        allowed = frozenset(self.events) if stage is None else self.possible(stage)
        return InvalidTransition(
            event,
            stage,
            allowed,
            message=f"unknown event {event!r}; the events of {self.spec.name} are:"
            f" {', '.join(self.events)}{did_you_mean(event, self.events)}",
        )

    def invalid(self, stage: str, event: str) -> InvalidTransition:
        """The error for ``event`` fired in ``stage`` where no route exists."""
        routes = self.routes.get(stage)
        if routes is None:
            return self.not_a_stage(stage, event)
        if event not in self.events:
            return self.unknown(event, stage)
        allowed = frozenset(routes)
        if self.forward_only and str(stage) in self.spec.transition(event).sources:
            listed = ", ".join(sorted(allowed)) or "none"
            return InvalidTransition(
                event,
                stage,
                allowed,
                message=f"event {event!r} moves {str(stage)!r} back, which the forward-only"
                f" policy refuses; events that apply: {listed}",
            )
        if not allowed and not self.spec.stage(str(stage)).final:
            return InvalidTransition(
                event,
                stage,
                allowed,
                message=f"event {event!r} does not apply to stage {str(stage)!r}; no event"
                " leaves it under the forward-only policy",
            )
        return InvalidTransition(event, stage, allowed)


def compile_table(
    spec: PipelineSpec,
    guards: Mapping[str, Qualifier],
    *,
    forward_only: bool = False,
    allow_skips: bool = False,
) -> Table:
    """Compile ``spec`` with ``guards`` under a movement policy.

    Args:
        spec: The pipeline.
        guards: The guard of each guarded event.
        forward_only: Drop transitions whose target comes before their source in the
            stage order (a recycled lead cannot go back).
        allow_skips: When an event does not apply to the current stage but applies
            further along, route through the shortest chain of forward, reason-free
            transitions to it, the event's own hop included (each guard must pass;
            every hop is recorded).
    """
    order = {stage.name: index for index, stage in enumerate(spec.stages)}

    def allowed(t: Transition, source: str) -> bool:
        return not forward_only or order[t.target] >= order[source]

    direct: dict[str, dict[str, Route]] = {stage.name: {} for stage in spec.stages}
    for t in spec.transitions:
        # What every hop of the transition shares, computed once per transition.
        guard = guards.get(t.event)
        target_value = stage_value(t.target)
        summary = success_summary(guard)
        for source in t.sources:
            if allowed(t, source):
                hop = Hop(
                    event=t.event,
                    source=source,
                    target=t.target,
                    target_value=target_value,
                    guard=guard,
                    reason_required=t.reason_required,
                    summary=summary,
                )
                direct[source][t.event] = Route((hop,))
    routes: Mapping[str, Mapping[str, Route]]
    if allow_skips:
        routes = _SkipRoutes({stage_value(name): name for name in direct}, direct, order)
    else:
        routes = MappingProxyType({stage_value(s): MappingProxyType(e) for s, e in direct.items()})
    return Table(
        routes=routes,
        events=spec.events,
        order=MappingProxyType(order),
        spec=spec,
        forward_only=forward_only,
    )


class _SkipRoutes(Mapping[str, Mapping[str, Route]]):
    """Every stage's routes with the skip policy, each stage's computed on first use.

    A skip route from a stage is found by one breadth-first search over the direct
    routes (linear in the pipeline's size), so building a skipping pipeline costs what
    building a plain one does, and memory grows only with the stages actually asked
    about. The results are cached: equal on every call, whichever thread asked first.
    """

    __slots__ = ("_cache", "_direct", "_names", "_order")

    def __init__(
        self,
        names: Mapping[str, str],
        direct: Mapping[str, Mapping[str, Route]],
        order: Mapping[str, int],
    ) -> None:
        self._names = names  # Contact.stage value -> the spec's plain name
        self._direct = direct
        self._order = order
        self._cache: dict[str, Mapping[str, Route]] = {}

    def __getitem__(self, stage: str) -> Mapping[str, Route]:
        found = self._cache.get(stage)
        if found is None:
            name = self._names[stage]  # KeyError for a stage that is not one: Mapping.get
            routes = dict(self._direct[name])
            _add_skips(name, self._direct, self._order, routes)
            found = self._cache.setdefault(stage, MappingProxyType(routes))
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _add_skips(
    start: str,
    direct: Mapping[str, Mapping[str, Route]],
    order: Mapping[str, int],
    into: dict[str, Route],
) -> None:
    # Breadth first over forward, reason-free hops, in definition order: the first route
    # found to an event is the shortest (ties go to the earlier-defined transitions). The
    # last hop obeys the same rule: a skip never moves back (nor recycles), and never
    # ends in an event that needs a reason (lose, disqualify judge the stage they leave,
    # so they fire only from a stage they are defined for: a lead is never "lost").
    # Each stage reached keeps the hop it was reached by (parent pointers): the search
    # is linear in the stages and routes, and a route's hops are built only for the
    # events that get one.
    parent: dict[str, Hop | None] = {start: None}
    queue: deque[str] = deque([start])
    found: list[tuple[str, Hop]] = []
    while queue:
        stage = queue.popleft()
        for event, route in direct[stage].items():
            (hop,) = route.hops
            if order[hop.target] <= order[stage] or hop.reason_required:
                continue
            if stage != start and event not in into:
                into[event] = route  # a placeholder, replaced below: keeps the first found
                found.append((event, hop))
            if hop.target not in parent:
                parent[hop.target] = hop
                queue.append(hop.target)
    for event, hop in found:
        into[event] = Route((*_path(parent, hop.source), hop))


def _path(parent: Mapping[str, Hop | None], stage: str) -> tuple[Hop, ...]:
    """The hops from the search's start to ``stage``, following parent pointers."""
    hops: list[Hop] = []
    step = parent[stage]
    while step is not None:
        hops.append(step)
        step = parent[step.source]
    return tuple(reversed(hops))


NO_GUARD: Final = Verdict(outcome=Outcome.PASS, label="no guard", reason="event has no guard")
"""The verdict of an event without a guard."""


def guard_label(guard: Qualifier) -> str:
    """A guard's name for messages; never raises, even for a broken custom guard."""
    try:
        return str(getattr(guard, "label", None) or guard)
    except Exception:  # a label is not worth an error of its own
        return type(guard).__name__


def raised_verdict(guard: Qualifier, error: Exception) -> Verdict:
    """The UNKNOWN verdict of a guard that raised ``error`` instead of answering."""
    problem = f"{type(error).__name__}: {error}"
    return Verdict(
        outcome=Outcome.UNKNOWN,
        label=guard_label(guard),
        reason=f"the guard raised {problem}",
        error=problem,
    )


def hop_verdict(guard: Qualifier | None, subject: object, at: datetime | None) -> Verdict:
    """One guard's full verdict; a guard that raises gives :func:`raised_verdict`.

    A :class:`~pipelinekit.QualifierError` is not caught: it means the guard cannot be
    evaluated at all with these arguments (a time-relative guard without ``at``).
    """
    if guard is None:
        return NO_GUARD
    try:
        # The boolean path runs too: a guard may raise there and not in evaluate.
        guard(subject, at=at)
    except QualifierError:
        raise
    except Exception as error:  # any guard failure is explained, not raised
        return raised_verdict(guard, error)
    return _explained(guard, subject, at)


def _explained(guard: Qualifier, subject: object, at: datetime | None) -> Verdict:
    """``guard``'s explanation alone (its boolean path already ran); raising is explained."""
    try:
        return guard.evaluate(subject, at=at)
    except QualifierError:
        raise
    except Exception as error:  # any guard failure is explained, not raised
        return raised_verdict(guard, error)


def route_verdict(
    route: Route,
    subject: object,
    at: datetime | None,
    failure: GuardFailure | None = None,
) -> Verdict:
    """The full verdict of a route's guards for ``subject``: the explanation path.

    One hop gives its guard's verdict (or :data:`NO_GUARD`); a skip route gives a
    composite whose outcome is the Kleene AND of its hops, with one child per hop. A
    guard that raises gives an UNKNOWN verdict carrying the error (see :func:`hop_verdict`).

    ``failure`` is what the fast path (:func:`guard_failure`) found: the guards it
    already ran are only explained, not run again, and the error a guard raised there
    is the verdict, so a blocked guard's own code runs at most twice (its check, then
    its explanation) and a raising one once.
    """
    verdicts: list[Verdict] = []
    ran = failure is not None  # guards up to the failing one ran in the fast path
    for hop in route.hops:
        guard = hop.guard
        if guard is None:
            verdicts.append(NO_GUARD)
        elif failure is not None and ran and guard is failure.guard:
            ran = False
            error = failure.error
            verdicts.append(
                raised_verdict(guard, error)
                if error is not None
                else _explained(guard, subject, at)
            )
        elif ran:
            verdicts.append(_explained(guard, subject, at))
        else:
            verdicts.append(hop_verdict(guard, subject, at))
    if len(verdicts) == 1:
        return verdicts[0]
    outcome = Outcome.PASS
    for verdict in verdicts:
        outcome &= verdict.outcome
    events = " then ".join(hop.event for hop in route.hops)
    return Verdict(
        outcome=outcome,
        label=events,
        reason=f"every step must pass: {events}",
        children=tuple(
            v.replace(label=f"{hop.event}: {v.label}")
            for hop, v in zip(route.hops, verdicts, strict=True)
        ),
    )


@attrs.frozen
class GuardFailure:
    """The first guard that did not pass on the fast path, and what it raised (if it did)."""

    guard: Qualifier
    error: Exception | None


def guard_failure(
    guards: tuple[Qualifier, ...], subject: object, at: datetime | None
) -> GuardFailure | None:
    """None when every guard passes (the fast path); else the first one that did not.

    A :class:`~pipelinekit.QualifierError` is raised: the guards cannot run with these
    arguments at all (a call-level mistake), which no verdict could explain.
    """
    for guard in guards:
        try:
            if not guard(subject, at=at):
                return GuardFailure(guard, None)
        except QualifierError:
            raise
        except Exception as error:  # explained by route_verdict with this failure
            return GuardFailure(guard, error)
    return None


def route_passes(route: Route, subject: object, at: datetime | None) -> bool:
    """Whether every guard of ``route`` passes (the fast path); raising counts as not."""
    return guard_failure(route.guards, subject, at) is None


def route_failure(route: Route, subject: object, at: datetime | None) -> GuardFailure | None:
    """The first guard of ``route`` that does not pass, if any; see :func:`guard_failure`."""
    return guard_failure(route.guards, subject, at)
