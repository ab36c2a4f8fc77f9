"""The declarative pipeline: stages, the events that move between them, and their guards.

A :class:`PipelineSpec` is the one source of truth of a pipeline. From it, a
:class:`~pipelinekit.Pipeline` compiles the transition table used by ``advance`` and
generates the python-statemachine class. Bad definitions are refused when the spec is
built, with a :class:`~pipelinekit.InvalidPipeline` naming the problem.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final

import attrs

from pipelinekit._checks import got, not_text
from pipelinekit.entities import Contact
from pipelinekit.errors import InvalidPipeline, QualifierError
from pipelinekit.lifecycle._documents import read_spec
from pipelinekit.lifecycle._rules import check_name, check_probability, not_a_stage, snapshot
from pipelinekit.qualifiers import Qualifier
from pipelinekit.qualifiers.paths import check_paths
from pipelinekit.stages import Stage, did_you_mean

__all__ = ["DEFAULT_SPEC", "PipelineSpec", "StageSpec", "Transition"]


@attrs.frozen
class StageSpec:
    """One stage of a pipeline.

    Args:
        name: The stage name (an identifier); it is what ``Contact.stage`` holds.
        final: No event leaves the stage (won deals). Every other stage must have a way out.
        probability: Chance of winning from this stage (0 to 1), for deal sub-stages.
        action: What to do with a contact here while its next move is blocked
            (``"nurture"``, ``"discovery"``, ``"close"``); used by ``Pipeline.next_action``.

    >>> from pipelinekit import StageSpec
    >>> StageSpec("nurture", action="nurture")
    StageSpec(name='nurture', final=False, probability=None, action='nurture')
    """

    name: str = attrs.field(converter=snapshot)
    final: bool = attrs.field(default=False, kw_only=True)
    probability: Decimal | None = attrs.field(
        default=None, kw_only=True, converter=check_probability
    )
    action: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        check_name("stage", self.name)
        if type(self.final) is not bool:
            raise InvalidPipeline(f"stage {self.name!r}: final must be a bool")
        action: object = self.action
        if action is not None and not isinstance(action, str):
            raise InvalidPipeline(f"stage {self.name!r}: action must be a str or None")


def _to_sources(value: str | Iterable[str]) -> tuple[str, ...]:
    untrusted: object = value  # callers (dict documents) may pass anything
    if isinstance(untrusted, str):
        return (str(untrusted),)
    if not isinstance(untrusted, Iterable) or isinstance(untrusted, Mapping):
        raise InvalidPipeline(f"sources must be a stage name or a list of them, got {value!r}")
    items: Iterable[object] = untrusted
    names = tuple(snapshot(v) if isinstance(v, str) else v for v in items)
    if isinstance(untrusted, AbstractSet) and all(isinstance(v, str) for v in names):
        # A set has no order of its own (str hashes vary per process): sort it, so that
        # equal specs compare, hash and serialize the same everywhere.
        names = tuple(sorted(names))  # type: ignore[type-var]
    return names  # type: ignore[return-value]  # non-str items are refused by the name check


@attrs.frozen
class Transition:
    """An event and the stages it moves a contact between.

    Args:
        event: The event name (an identifier), unique within a pipeline.
        sources: The stage (or stages) the event applies to: a name, or a sequence of
            names kept in its order; a set is sorted by name (it has no order of its own).
        target: The stage the event moves the contact to.
        reason_required: Firing the event needs a ``reason`` (lose, disqualify).

    >>> from pipelinekit import Transition
    >>> Transition("disqualify", ("lead", "prospect"), "disqualified", reason_required=True)
    Transition(event='disqualify', sources=('lead', 'prospect'), target='disqualified', \
reason_required=True)
    """

    event: str
    sources: tuple[str, ...] = attrs.field(converter=_to_sources)
    target: str = attrs.field(converter=snapshot)
    reason_required: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        check_name("event", self.event)
        if not self.sources:
            raise InvalidPipeline(f"event {self.event!r} has no source stage")
        for name in (*self.sources, self.target):
            check_name("stage", name)
        if len(set(self.sources)) != len(self.sources):
            raise InvalidPipeline(f"event {self.event!r} lists a source stage twice")
        if type(self.reason_required) is not bool:
            raise InvalidPipeline(f"event {self.event!r}: reason_required must be a bool")


def _items(what: str, value: object, expected: str) -> tuple[object, ...]:
    problem = not_text(value, expected)
    if problem is None and (isinstance(value, Mapping) or not isinstance(value, Iterable)):
        problem = f"expected {expected}, got {got(value)}"
    if problem is not None:
        raise InvalidPipeline(f"{what}: {problem}")
    items: Iterable[object] = value  # type: ignore[assignment]  # checked just above
    return tuple(items)


def _to_stages(value: Iterable[StageSpec | str]) -> tuple[StageSpec, ...]:
    items = _items("stages", value, "a list of stages (StageSpec or names)")
    return tuple(s if isinstance(s, StageSpec) else StageSpec(s) for s in items)  # type: ignore[arg-type]  # StageSpec checks the name


def _to_transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    items = _items("transitions", value, "a list of Transition")
    for item in items:
        if not isinstance(item, Transition):
            raise InvalidPipeline(f"expected a Transition, got {got(item)}")
    return items  # type: ignore[return-value]  # every item checked


def _guards_key(guards: Mapping[str, Qualifier]) -> frozenset[tuple[str, Qualifier]]:
    # Equality and hash of the guards: by event, whatever order they were given in.
    return frozenset(guards.items())


def _to_guards(value: Mapping[str, Qualifier]) -> Mapping[str, Qualifier]:
    if not isinstance(value, Mapping):
        raise InvalidPipeline(f"guards must be a mapping of event name to Qualifier, got {value!r}")
    for event, guard in value.items():
        if not isinstance(guard, Qualifier):
            raise InvalidPipeline(
                f"guards: the guard of {event!r} must be a Qualifier, got {got(guard)}"
            )
        try:  # guards run on contacts: a path no Contact has is a typo
            check_paths(guard, Contact)
        except QualifierError as error:
            raise InvalidPipeline(f"guards: the guard of {event!r}: {error}") from None
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class PipelineSpec:
    """A whole pipeline: its stages (the first is initial), transitions and guards.

    Checked when built: names are identifiers, stages and events are unique, every
    transition names known stages, every stage is reachable from the initial one, final
    stages have no way out, and every other stage has a path to a final stage.

    >>> from pipelinekit import PipelineSpec, StageSpec, Transition
    >>> PipelineSpec(stages=["lead", StageSpec("won", final=True), "parked"],
    ...              transitions=[Transition("win", "lead", "won")])
    Traceback (most recent call last):
    ...
    pipelinekit.errors.InvalidPipeline: stage 'parked' is unreachable from the initial stage 'lead'

    Attributes:
        stages: The stages, in pipeline order (forward-only movement follows this order).
        transitions: One entry per event.
        guards: A :class:`~pipelinekit.Qualifier` per event that must PASS for it to fire.
            Part of equality and of the hash: two specs are equal when their name,
            stages, transitions and guards are (qualifiers are values), so comparing a
            stored definition with the current one answers "has it changed?".
        name: A name for the pipeline (the generated machine class is named after it).
    """

    stages: tuple[StageSpec, ...] = attrs.field(converter=_to_stages)
    transitions: tuple[Transition, ...] = attrs.field(converter=_to_transitions)
    guards: Mapping[str, Qualifier] = attrs.field(
        factory=dict, converter=_to_guards, eq=_guards_key
    )
    name: str = "Pipeline"

    def __attrs_post_init__(self) -> None:
        check_name("pipeline", self.name)
        _check_graph(self)
        unknown = sorted(set(self.guards) - set(self.events))
        if unknown:
            names = ", ".join(map(repr, unknown))
            verb = "is not an event" if len(unknown) == 1 else "are not events"
            raise InvalidPipeline(
                f"guards: {names} {verb} of the pipeline (unknown events cannot be guarded);"
                f" events: {', '.join(self.events)}"
            )

    def __reduce__(self) -> tuple[Any, ...]:
        # ``guards`` is a read-only view, which pickle cannot copy: rebuild from a dict.
        return (_restore_spec, (self.stages, self.transitions, dict(self.guards), self.name))

    @property
    def initial(self) -> str:
        """The name of the initial stage (the first one)."""
        return self.stages[0].name

    @property
    def events(self) -> tuple[str, ...]:
        """The event names, in definition order."""
        return tuple(t.event for t in self.transitions)

    def stage(self, name: str) -> StageSpec:
        """The stage called ``name``.

        Raises:
            InvalidPipeline: No stage has that name (with the closest one, if any).
        """
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise InvalidPipeline(not_a_stage(name, self))

    def stage_of(self, contact: Contact) -> StageSpec:
        """The stage a contact is in, with its metadata (probability, action, final).

        ``Contact.stage`` is a ``str`` (a :class:`~pipelinekit.Stage` for default stages),
        so its metadata is read here, typed:

        >>> import pipelinekit as pk
        >>> pk.DEFAULT_SPEC.stage_of(pk.Contact(id="c-1", name="Jane")).probability
        Decimal('0.05')
        >>> pk.DEFAULT_SPEC.stage_of(pk.Contact(id="c-2", name="Sam", stage="prospekt"))
        Traceback (most recent call last):
        ...
        pipelinekit.errors.InvalidPipeline: 'prospekt' is not a stage of SalesPipeline: \
lead, prospect, opportunity, customer, disqualified, lost; did you mean 'prospect'?

        Raises:
            InvalidPipeline: The contact's stage is not a stage of this pipeline.
        """
        untrusted: object = contact
        if not isinstance(untrusted, Contact):
            raise InvalidPipeline(f"stage_of takes a Contact, got {got(untrusted)}")
        return self.stage(contact.stage)

    def transition(self, event: str) -> Transition:
        """The transition of ``event`` (a :class:`~pipelinekit.InvalidPipeline` if none)."""
        for transition in self.transitions:
            if transition.event == event:
                return transition
        raise InvalidPipeline(f"unknown event {event!r}")

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> PipelineSpec:
        """Build a spec from a JSON-ready document.

        Stages are names or ``{"name", "final", "probability", "action"}`` objects;
        transitions are ``{"event", "sources" (a name or list), "target",
        "reason_required"}`` objects; guards map event names to qualifier documents,
        loaded with :func:`pipelinekit.from_dict`.

        A document of the wrong shape raises :class:`~pipelinekit.SchemaError` whose
        ``.path`` says where (``$.stages[1].name``, ``$.transitions[0].sources[1]``); a
        well-formed document describing a pipeline that cannot work (an unreachable
        stage, say) raises :class:`~pipelinekit.InvalidPipeline`, as the constructor does.

        >>> from pipelinekit import PipelineSpec
        >>> spec = PipelineSpec.from_dict({
        ...     "name": "Deals",
        ...     "stages": ["lead", {"name": "won", "final": True, "probability": "1"}],
        ...     "transitions": [{"event": "win", "sources": "lead", "target": "won"}],
        ... })
        >>> spec.events, spec.stage("won").probability
        (('win',), Decimal('1'))
        >>> PipelineSpec.from_dict({"stages": ["lead", {"name": "won", "fnal": True}],
        ...                         "transitions": []})
        Traceback (most recent call last):
        ...
        pipelinekit.errors.SchemaError: $.stages[1].fnal: unknown key; a stage has: action, \
final, name, probability
        """
        return read_spec(document, spec=cls, stage=StageSpec, transition=Transition)


def _restore_spec(
    stages: tuple[StageSpec, ...],
    transitions: tuple[Transition, ...],
    guards: dict[str, Qualifier],
    name: str,
) -> PipelineSpec:
    return PipelineSpec(stages=stages, transitions=transitions, guards=guards, name=name)


def _check_graph(spec: PipelineSpec) -> None:
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
        raise InvalidPipeline("a pipeline needs a final stage (StageSpec(..., final=True))")
    can_finish = _closure(finals, incoming)
    for name in names:
        if name not in can_finish:
            raise InvalidPipeline(
                f"stage {name!r} has no path to a final stage ({', '.join(finals)})"
            )


def _check_unique(stages: list[str], events: list[str]) -> None:
    for name in stages:
        if stages.count(name) > 1:
            raise InvalidPipeline(f"duplicate stage {name!r}")
    for event in events:
        if events.count(event) > 1:
            raise InvalidPipeline(f"duplicate event {event!r}: give each event one Transition")
        if event in stages:
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


DEFAULT_SPEC: Final = PipelineSpec(
    name="SalesPipeline",
    stages=(
        StageSpec(Stage.LEAD, probability=Stage.LEAD.default_probability, action="nurture"),
        StageSpec(
            Stage.PROSPECT, probability=Stage.PROSPECT.default_probability, action="discovery"
        ),
        StageSpec(
            Stage.OPPORTUNITY, probability=Stage.OPPORTUNITY.default_probability, action="close"
        ),
        StageSpec(Stage.CUSTOMER, final=True, probability=Stage.CUSTOMER.default_probability),
        StageSpec(
            Stage.DISQUALIFIED,
            probability=Stage.DISQUALIFIED.default_probability,
            action="nurture later",
        ),
        StageSpec(Stage.LOST, probability=Stage.LOST.default_probability, action="win back"),
    ),
    transitions=(
        Transition("qualify", Stage.LEAD, Stage.PROSPECT),
        Transition("convert", Stage.PROSPECT, Stage.OPPORTUNITY),
        Transition("win", Stage.OPPORTUNITY, Stage.CUSTOMER),
        Transition("lose", Stage.OPPORTUNITY, Stage.LOST, reason_required=True),
        Transition(
            "disqualify", (Stage.LEAD, Stage.PROSPECT), Stage.DISQUALIFIED, reason_required=True
        ),
        Transition("recycle", (Stage.DISQUALIFIED, Stage.LOST), Stage.LEAD),
    ),
)
"""The default lead → prospect → opportunity → customer pipeline, without guards."""
