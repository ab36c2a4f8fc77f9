"""The declarative pipeline: stages, the events that move between them, and their guards.

A :class:`PipelineSpec` is the one source of truth of a pipeline. From it, a
:class:`~pipelinekit.Pipeline` compiles the transition table used by ``advance`` and
generates the python-statemachine class. Bad definitions are refused when the spec is
built, with a :class:`~pipelinekit.InvalidPipeline` naming the problem.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final

import attrs

from pipelinekit._checks import got, not_text
from pipelinekit._pretty import PrettyPrinter, pretty_lines
from pipelinekit.entities import Contact
from pipelinekit.errors import InvalidPipeline, QualifierError
from pipelinekit.lifecycle._documents import read_spec
from pipelinekit.lifecycle._graph import check_graph
from pipelinekit.lifecycle._rules import (
    MAX_GUARD_NODES,
    MAX_SOURCES,
    MAX_STAGES,
    MAX_TRANSITIONS,
    bounded_items,
    check_forecast,
    check_label,
    check_name,
    check_outcome,
    check_probability,
    check_semantics,
    count_nodes,
    default_forecast,
    not_a_stage,
    snapshot,
)
from pipelinekit.qualifiers import Qualifier
from pipelinekit.qualifiers.paths import check_paths
from pipelinekit.stages import ForecastCategory, Stage, StageOutcome

__all__ = ["DEFAULT_SPEC", "PipelineSpec", "StageSpec", "Transition", "win_probability"]


def _default_forecast(stage: StageSpec) -> ForecastCategory:
    return default_forecast(stage.outcome)


@attrs.frozen
class StageSpec:
    """One stage of a pipeline, and what reaching it means.

    Args:
        name: The stage name (an identifier); it is what ``Contact.stage`` holds.
        final: No event leaves the stage (won deals). Every other stage must have a way out.
            A final stage is closed: its ``outcome`` must be won, lost or disqualified.
        probability: Chance of winning from this stage (0 to 1), for deal sub-stages.
            A won stage has 1 and a lost or disqualified one 0, when it has one.
        action: What to do with a contact here while its next move is blocked
            (``"nurture"``, ``"discovery"``, ``"close"``); used by ``Pipeline.next_action``.
        outcome: What reaching the stage means (a :data:`~pipelinekit.StageOutcome`):
            ``"open"`` (the default: still in play), ``"won"``, ``"lost"`` or
            ``"disqualified"`` (out before becoming a deal). Metrics and scoring read it.
        forecast: The stage's forecast category (a :data:`~pipelinekit.ForecastCategory`,
            Salesforce's): ``"pipeline"``, ``"best_case"``, ``"commit"``, ``"closed"`` or
            ``"omitted"``. By default derived from the outcome: open stages are
            ``"pipeline"``, won ones ``"closed"``, lost and disqualified ones ``"omitted"``.
            A won stage is always ``"closed"``, a lost or disqualified one always
            ``"omitted"``, and an open one never ``"closed"``.
        label: Display text for diagrams and reports (``"Proposal/Price Quote"``): one line
            of printable text, at most 200 characters. ``None`` shows the name.

    >>> from pipelinekit import StageSpec
    >>> StageSpec("nurture", action="nurture")
    StageSpec(name='nurture', final=False, probability=None, action='nurture', \
outcome='open', forecast='pipeline', label=None)
    >>> StageSpec("proposal", probability="0.75", forecast="best_case",
    ...           label="Proposal/Price Quote").display
    'Proposal/Price Quote'
    >>> StageSpec("closed_won", final=True)
    Traceback (most recent call last):
    ...
    pipelinekit.errors.InvalidPipeline: stage 'closed_won': a final stage must be closed: \
give it outcome='won', 'lost' or 'disqualified' (no event leaves it, so it cannot be open)

    .. versionchanged:: 0.2.0
       ``outcome``, ``forecast`` and ``label``; a final stage must not be open.
    """

    name: str = attrs.field(converter=snapshot)
    final: bool = attrs.field(default=False, kw_only=True)
    probability: Decimal | None = attrs.field(
        default=None, kw_only=True, converter=check_probability
    )
    action: str | None = attrs.field(default=None, kw_only=True)
    outcome: StageOutcome = attrs.field(default="open", kw_only=True)
    forecast: ForecastCategory = attrs.field(
        default=attrs.Factory(_default_forecast, takes_self=True), kw_only=True
    )
    label: str | None = attrs.field(default=None, kw_only=True, converter=snapshot)

    def __attrs_post_init__(self) -> None:
        check_name("stage", self.name)
        if type(self.final) is not bool:
            raise InvalidPipeline(f"stage {self.name!r}: final must be a bool")
        action: object = self.action
        if action is not None and not isinstance(action, str):
            raise InvalidPipeline(f"stage {self.name!r}: action must be a str or None")
        try:
            check_outcome(self.outcome)
            check_forecast(self.forecast)
            check_label(self.label)
            check_semantics(
                final=self.final,
                outcome=self.outcome,
                forecast=self.forecast,
                probability=self.probability,
            )
        except InvalidPipeline as error:
            raise InvalidPipeline(f"stage {self.name!r}: {error}") from None

    @property
    def display(self) -> str:
        """The text to show for the stage: its label, else its name.

        .. versionadded:: 0.2.0
        """
        return self.name if self.label is None else self.label

    @property
    def is_open(self) -> bool:
        """Whether a contact here is still in play (outcome ``"open"``).

        .. versionadded:: 0.2.0
        """
        return self.outcome == "open"


def _to_sources(value: str | Iterable[str]) -> tuple[str, ...]:
    untrusted: object = value  # callers (dict documents) may pass anything
    if isinstance(untrusted, str):
        return (str(untrusted),)
    if not isinstance(untrusted, Iterable) or isinstance(untrusted, Mapping):
        raise InvalidPipeline(f"sources must be a stage name or a list of them, got {value!r}")
    items = bounded_items(
        untrusted, MAX_SOURCES, f"a transition lists at most {MAX_SOURCES} source stages"
    )
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


def _items(what: str, value: object, expected: str, limit: int) -> tuple[object, ...]:
    problem = not_text(value, expected)
    if problem is None and (isinstance(value, Mapping) or not isinstance(value, Iterable)):
        problem = f"expected {expected}, got {got(value)}"
    if problem is not None:
        raise InvalidPipeline(f"{what}: {problem}")
    items: Iterable[object] = value  # type: ignore[assignment]  # checked just above
    return bounded_items(items, limit, f"{what}: a pipeline has at most {limit:,} {what}")


def _to_stages(value: Iterable[StageSpec | str]) -> tuple[StageSpec, ...]:
    items = _items("stages", value, "a list of stages (StageSpec or names)", MAX_STAGES)
    return tuple(s if isinstance(s, StageSpec) else StageSpec(s) for s in items)  # type: ignore[arg-type]  # StageSpec checks the name


def _to_transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    items = _items("transitions", value, "a list of Transition", MAX_TRANSITIONS)
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
    if count_nodes(value.values(), MAX_GUARD_NODES) > MAX_GUARD_NODES:
        raise InvalidPipeline(
            f"guards: the guards of a pipeline have at most {MAX_GUARD_NODES:,} qualifier"
            " nodes together"
        )
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class PipelineSpec:
    """A whole pipeline: its stages (the first is initial), transitions and guards.

    Checked when built: names are identifiers, stages and events are unique, every
    transition names known stages, every stage is reachable from the initial one, final
    stages have no way out, and every other stage has a path to a final stage.

    >>> from pipelinekit import PipelineSpec, StageSpec, Transition
    >>> PipelineSpec(stages=["lead", StageSpec("won", final=True, outcome="won"), "parked"],
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
        check_graph(self)
        unknown = sorted(set(self.guards) - set(self.events))
        if unknown:
            names = ", ".join(map(repr, unknown))
            verb = "is not an event" if len(unknown) == 1 else "are not events"
            raise InvalidPipeline(
                f"guards: {names} {verb} of the pipeline (unknown events cannot be guarded);"
                f" events: {', '.join(self.events)}"
            )

    def pretty_lines(self) -> list[str]:
        """The definition as IPython shows it: a line per stage and per transition.

        >>> from pipelinekit import DEFAULT_SPEC
        >>> for line in DEFAULT_SPEC.pretty_lines()[:3]:
        ...     print(line)
        PipelineSpec 'SalesPipeline'
          stages:
            lead 'Lead': open, forecast pipeline, p 0.05, action 'nurture'

        .. versionadded:: 0.2.0
        """
        lines = [f"PipelineSpec {self.name!r}", "  stages:"]
        for stage in self.stages:
            parts = [stage.outcome, f"forecast {stage.forecast}"]
            if stage.probability is not None:
                parts.append(f"p {stage.probability}")
            if stage.action is not None:
                parts.append(f"action {stage.action!r}")
            if stage.final:
                parts.append("final")
            label = "" if stage.label is None else f" {stage.label!r}"
            lines.append(f"    {stage.name}{label}: {', '.join(parts)}")
        lines.append("  transitions:")
        for transition in self.transitions:
            text = f"    {transition.event}: {', '.join(transition.sources)} → {transition.target}"
            if transition.reason_required:
                text += " (reason required)"
            guard = self.guards.get(transition.event)
            if guard is not None:
                text += f"; guard: {guard.label}"
            lines.append(text)
        return lines

    def _repr_pretty_(self, p: PrettyPrinter, cycle: bool) -> None:  # noqa: FBT001  # IPython's
        pretty_lines(p, cycle, "PipelineSpec", self.pretty_lines())

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

    # -- what the stages mean (read by metrics, vocabularies and scoring) -------------

    def outcome_of(self, name: str) -> StageOutcome:
        """The outcome of the stage called ``name``.

        >>> import pipelinekit as pk
        >>> pk.DEFAULT_SPEC.outcome_of("customer"), pk.DEFAULT_SPEC.outcome_of("prospect")
        ('won', 'open')

        Raises:
            InvalidPipeline: No stage has that name.

        .. versionadded:: 0.2.0
        """
        return self.stage(name).outcome

    def _named(self, *outcomes: StageOutcome) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages if s.outcome in outcomes)

    @property
    def open_stages(self) -> tuple[str, ...]:
        """The names of the open stages (still in play), in pipeline order.

        .. versionadded:: 0.2.0
        """
        return self._named("open")

    @property
    def won_stages(self) -> tuple[str, ...]:
        """The names of the won stages, in pipeline order.

        .. versionadded:: 0.2.0
        """
        return self._named("won")

    @property
    def lost_stages(self) -> tuple[str, ...]:
        """The names of the lost stages (deals lost), in pipeline order.

        Disqualified stages are not lost deals (a win rate leaves them out):
        see :attr:`disqualified_stages`, and :attr:`closed_stages` for every stage that
        is not open.

        >>> import pipelinekit as pk
        >>> pk.DEFAULT_SPEC.lost_stages, pk.DEFAULT_SPEC.disqualified_stages
        (('lost',), ('disqualified',))

        .. versionadded:: 0.2.0
        """
        return self._named("lost")

    @property
    def disqualified_stages(self) -> tuple[str, ...]:
        """The names of the disqualified stages, in pipeline order.

        .. versionadded:: 0.2.0
        """
        return self._named("disqualified")

    @property
    def closed_stages(self) -> tuple[str, ...]:
        """The names of the stages that are not open (won, lost, disqualified), in order.

        .. versionadded:: 0.2.0
        """
        return self._named("won", "lost", "disqualified")

    @property
    def forward_stages(self) -> tuple[str, ...]:
        """The funnel: the open and won stages, in pipeline order.

        >>> import pipelinekit as pk
        >>> pk.DEFAULT_SPEC.forward_stages
        ('lead', 'prospect', 'opportunity', 'customer')

        .. versionadded:: 0.2.0
        """
        return self._named("open", "won")

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


def _default_stage(stage: Stage, action: str | None = None) -> StageSpec:
    # Everything but the action comes from the Stage table (one source of truth).
    return StageSpec(
        stage,
        final=stage.is_terminal,
        probability=stage.default_probability,
        action=action,
        outcome=stage.outcome,
        label=stage.label,
    )


DEFAULT_SPEC: Final = PipelineSpec(
    name="SalesPipeline",
    stages=(
        _default_stage(Stage.LEAD, "nurture"),
        _default_stage(Stage.PROSPECT, "discovery"),
        _default_stage(Stage.OPPORTUNITY, "close"),
        _default_stage(Stage.CUSTOMER),
        _default_stage(Stage.DISQUALIFIED, "nurture later"),
        _default_stage(Stage.LOST, "win back"),
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


def win_probability(contact: Contact, spec: PipelineSpec | None = None) -> Decimal | None:
    """The chance that a contact's deal is won, as weighted pipeline figures use it.

    For a contact in an open stage: its ``Opportunity.probability`` when set (``0``
    included: a rep's explicit zero is a figure, not a gap), else the stage's
    ``probability``, else ``None`` (unknown). For a closed stage the outcome decides,
    whatever the opportunity says: ``1`` when won, ``0`` when lost or disqualified.

    >>> import pipelinekit as pk
    >>> deal = pk.Contact(id="c-1", name="Jane", stage="opportunity")
    >>> pk.win_probability(deal)  # the stage's probability
    Decimal('0.4')
    >>> pk.win_probability(pk.Contact(id="c-2", name="Sam", stage="opportunity",
    ...                               opportunity=pk.Opportunity(probability="0")))
    Decimal('0')

    Args:
        contact: The contact.
        spec: Its pipeline (:data:`DEFAULT_SPEC` when ``None``).

    Raises:
        InvalidPipeline: The contact's stage is not a stage of ``spec``, or ``spec`` is not
            a :class:`PipelineSpec`.

    .. versionadded:: 0.2.0
    """
    untrusted: object = DEFAULT_SPEC if spec is None else spec
    if not isinstance(untrusted, PipelineSpec):
        raise InvalidPipeline(f"spec must be a PipelineSpec or None, got {got(untrusted)}")
    stage = untrusted.stage_of(contact)
    if stage.outcome != "open":
        return Decimal(1) if stage.outcome == "won" else Decimal(0)
    opportunity = contact.opportunity
    if opportunity is not None and opportunity.probability is not None:
        return opportunity.probability
    return stage.probability
