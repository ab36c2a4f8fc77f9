"""The Pipeline API: advance contacts through a guarded lifecycle, and explain why not.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import attrs

from pipelinekit._checks import check_text, got, not_text, require_aware, type_name
from pipelinekit._pretty import PrettyPrinter, pretty_lines
from pipelinekit.entities import Contact, Opportunity, StageChange, trusted_evolve
from pipelinekit.errors import (
    FieldTypeError,
    FieldValueError,
    InvalidTransition,
    ReasonRequired,
    StaleVersion,
    TransitionBlocked,
)
from pipelinekit.lifecycle import history
from pipelinekit.lifecycle._table import (
    Route,
    compile_table,
    route_failure,
    route_passes,
    route_verdict,
    stage_value,
    trusted_change,
)
from pipelinekit.lifecycle.results import BulkResult, NextAction, Step
from pipelinekit.lifecycle.spec import DEFAULT_SPEC, PipelineSpec, Transition
from pipelinekit.qualifiers import Outcome, Qualifier, Verdict
from pipelinekit.stages import Stage

if TYPE_CHECKING:
    from statemachine import StateMachine

__all__ = ["Pipeline"]

_new: Final = object.__new__
_set: Final = object.__setattr__


def _step(contact: Contact, changes: tuple[StageChange, ...]) -> Step:
    # Trusted: both values were just built by the pipeline.
    step: Step = _new(Step)
    _set(step, "contact", contact)
    _set(step, "changes", changes)
    return step


def _optional_text(name: str, value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise FieldTypeError(name, f"expected str or None, got {got(value)}")


def _check_reason(event: str, reason: str | None, *, required: bool) -> None:
    """A missing or blank reason where one is required; else the optional-text rule."""
    if required and not _has_text(reason):
        raise ReasonRequired(event)
    check_text("reason", reason)


def _restore_pipeline(
    spec: PipelineSpec,
    forward_only: bool,  # noqa: FBT001  # positional by pickle's protocol
    allow_skips: bool,  # noqa: FBT001
) -> Pipeline:
    return Pipeline(spec=spec, forward_only=forward_only, allow_skips=allow_skips)


def _has_text(value: str | None) -> bool:
    return value is not None and bool(value.strip())


def _contacts(contacts: object) -> list[Contact]:
    """The items of ``contacts``, all checked to be contacts before any is advanced."""
    if (problem := not_text(contacts, "an iterable of Contact")) is not None:
        raise FieldTypeError("contacts", problem)
    try:
        items: list[Any] = contacts if type(contacts) is list else list(contacts)  # type: ignore[call-overload]
    except TypeError:
        raise FieldTypeError(
            "contacts",
            f"expected an iterable of Contact, got {got(contacts)}",
        ) from None
    if set(map(type, items)) - {Contact}:  # the quick test, one C-level pass
        for index, item in enumerate(items):
            if not isinstance(item, Contact):
                raise FieldTypeError(
                    f"contacts[{index}]",
                    f"expected Contact, got {got(item)}",
                )
    return items


def _check_in_order(contact: Contact, at: datetime, where: str) -> None:
    """Refuse a change dated before the contact's last one (``replay`` would refuse it)."""
    if contact.history:
        last = contact.history[-1].at
        if at < last:
            raise FieldValueError(
                "at",
                f"{at.isoformat()} is before the last stage change of {where}"
                f" {contact.id!r} ({last.isoformat()}); a history is recorded in order"
                " (equal times are fine)",
            )


def _moved(
    contact: Contact, route: Route, changes: tuple[StageChange, ...], reason: str | None
) -> Contact:
    """The contact after ``route``: stage, version, history and, when lost, the reason."""
    last = route.hops[-1]
    new = trusted_evolve(
        contact,
        stage=last.target_value,
        version=contact.version + len(changes),
        history=contact.history + changes,
    )
    if last.target == Stage.LOST and reason is not None:
        # The reason a deal was lost belongs to the deal: Opportunity.lost_reason.
        deal = contact.opportunity
        opportunity = (
            Opportunity(lost_reason=reason)
            if deal is None
            else attrs.evolve(deal, lost_reason=reason)
        )
        new = trusted_evolve(new, opportunity=opportunity)
    return new


def _not_a_contact(contact: object) -> FieldTypeError:
    return FieldTypeError("contact", f"expected Contact, got {got(contact)}")


class Pipeline:
    """A guarded pipeline: advances contacts, explains what blocks them, suggests what next.

    Args:
        guards: A :class:`~pipelinekit.Qualifier` per event, which must PASS for the event
            to fire (UNKNOWN blocks too). They add to, or replace, the spec's own guards.
            A guard that raises (other than :class:`~pipelinekit.QualifierError`) blocks,
            with an UNKNOWN verdict that carries the error.
        spec: The pipeline definition; the default lead → prospect → opportunity →
            customer pipeline unless given.
        forward_only: Refuse events that move a contact back in the stage order (such as
            ``recycle``), as a CRM lifecycle property that only moves forward.
        allow_skips: Let an event that applies further along fire from an earlier stage,
            passing through the intermediate stages when every guard on the way passes
            (a lead converting directly records ``qualify`` and ``convert``). Skips only
            move forward and never pass through or end in an event that needs a reason;
            the ``reason`` given is recorded on the last change only.

    A pipeline holds no mutable state: one instance can serve many threads.

    >>> from datetime import UTC, datetime
    >>> import pipelinekit as pk
    >>> pipeline = pk.Pipeline()
    >>> step = pipeline.advance(pk.Contact(id="c-1", name="Jane Roe"), "qualify",
    ...                         at=datetime(2026, 11, 22, tzinfo=UTC), by="rep-7")
    >>> step.contact.stage, step.contact.version, step.change.source, step.change.target
    (<Stage.PROSPECT: 'prospect'>, 1, 'lead', 'prospect')
    """

    __slots__ = (
        "_allow_skips",
        "_diagram_class",
        "_forward_only",
        "_machine_class",
        "_spec",
        "_table",
    )

    def __init__(
        self,
        guards: Mapping[str, Qualifier] | None = None,
        *,
        spec: PipelineSpec = DEFAULT_SPEC,
        forward_only: bool = False,
        allow_skips: bool = False,
    ) -> None:
        if not isinstance(spec, PipelineSpec):
            raise FieldTypeError("spec", f"expected PipelineSpec, got {type_name(spec)}")
        if guards is not None:
            if not isinstance(guards, Mapping):
                raise FieldTypeError(
                    "guards", f"expected a mapping of event name to Qualifier, got {got(guards)}"
                )
            if guards:  # the spec checks each guard and its event
                spec = attrs.evolve(spec, guards={**spec.guards, **guards})
        self._spec = spec
        self._forward_only = bool(forward_only)
        self._allow_skips = bool(allow_skips)
        self._table = compile_table(
            spec, spec.guards, forward_only=self._forward_only, allow_skips=self._allow_skips
        )
        # The python-statemachine classes are built on first use (machine_class, diagrams):
        # the spec already passed every definition check, and building a class costs far
        # more than the table (python-statemachine's own checks are quadratic in the
        # transitions; a skipping pipeline has a transition per stage and later event).
        self._machine_class: type[StateMachine] | None = None
        self._diagram_class: type[StateMachine] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # The generated machine class cannot be pickled by reference: rebuild from the spec.
        return (_restore_pipeline, (self._spec, self._forward_only, self._allow_skips))

    @property
    def spec(self) -> PipelineSpec:
        """The pipeline definition, with every guard."""
        return self._spec

    @property
    def guards(self) -> Mapping[str, Qualifier]:
        """The guard of each guarded event."""
        return self._spec.guards

    @property
    def machine_class(self) -> type[StateMachine]:
        """The generated python-statemachine class (bind it with ``model=``/``state_field=``).

        >>> import pipelinekit as pk
        >>> class Deal:  # a caller's own mutable object
        ...     status = "opportunity"
        >>> deal = Deal()
        >>> machine = pk.Pipeline().machine_class(model=deal, state_field="status")
        >>> _ = machine.send("win")
        >>> deal.status
        'customer'

        Built on first use, with python-statemachine's own definition checks (a skipping
        pipeline's class has one transition per stage and event a skip reaches).
        """
        machine = self._machine_class
        if machine is None:
            # Imported here, not at the top: ``import pipelinekit`` does not load
            # python-statemachine (about 40 ms); the first machine class does.
            from pipelinekit.lifecycle._machine import build_machine_class  # noqa: PLC0415

            machine = build_machine_class(self._spec, self._table, strict=not self._forward_only)
            self._machine_class = machine
        return machine

    def _diagram(self) -> type[StateMachine]:
        """The class diagrams are drawn from: the transitions as the policy leaves them.

        Not every skip route: a skip is a chain of drawn edges.
        """
        diagram = self._diagram_class
        if diagram is None:
            if not self._allow_skips:
                diagram = self.machine_class
            else:
                from pipelinekit.lifecycle._machine import build_machine_class  # noqa: PLC0415

                hops = compile_table(self._spec, self._spec.guards, forward_only=self._forward_only)
                diagram = build_machine_class(self._spec, hops, strict=not self._forward_only)
            self._diagram_class = diagram
        return diagram

    def _repr_pretty_(self, p: PrettyPrinter, cycle: bool) -> None:  # noqa: FBT001  # IPython's
        policy = [name for name in ("forward_only", "allow_skips") if getattr(self, f"_{name}")]
        lines = self._spec.pretty_lines()
        lines[0] = f"Pipeline {self._spec.name!r}" + (f" ({', '.join(policy)})" if policy else "")
        pretty_lines(p, cycle, "Pipeline", lines)

    def __repr__(self) -> str:
        policy = "".join(
            f", {name}=True"
            for name, on in (
                ("forward_only", self._forward_only),
                ("allow_skips", self._allow_skips),
            )
            if on
        )
        return f"<Pipeline {self._spec.name} guards={sorted(self._spec.guards)}{policy}>"

    # -- moving contacts ---------------------------------------------------------------

    def advance(
        self,
        contact: Contact,
        event: str,
        *,
        at: datetime,
        by: str | None = None,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> Step:
        """Fire ``event`` for ``contact``: the new contact and the recorded change.

        Atomic: on any error nothing is returned and ``contact`` (immutable) is unchanged.

        Args:
            contact: The contact to move.
            event: The event name (``"qualify"``).
            at: When it happens (timezone-aware); recorded and given to the guard.
            by: Who did it, recorded in the change.
            reason: Why; required by some events (``lose``, ``disqualify``).
            expected_version: Refuse with :class:`~pipelinekit.StaleVersion` unless the
                contact is at this version (optimistic concurrency).

        Raises:
            InvalidTransition: The event does not apply to the stage (or is unknown).
            TransitionBlocked: A guard did not PASS (or raised); ``.verdict`` says why.
            ReasonRequired: The event needs a ``reason``.
            StaleVersion: ``expected_version`` does not match.
        """
        self._check_call(at, by, reason)
        if not isinstance(contact, Contact):
            raise _not_a_contact(contact)
        if expected_version is not None:
            if type(expected_version) is not int:
                raise FieldTypeError("expected_version", f"expected int, got {expected_version!r}")
            if expected_version != contact.version:
                raise StaleVersion(expected_version, contact.version)
        route = self._route(contact.stage, event)
        _check_reason(event, reason, required=route.hops[-1].reason_required)
        _check_in_order(contact, at, "contact")
        failure = route_failure(route, contact, at)
        if failure is not None:
            raise TransitionBlocked(event, route_verdict(route, contact, at, failure))
        changes = self._changes(route, at, by, reason)
        return _step(_moved(contact, route, changes, reason), changes)

    def advance_many(
        self,
        contacts: Iterable[Contact],
        event: str,
        *,
        at: datetime,
        by: str | None = None,
        reason: str | None = None,
    ) -> BulkResult:
        """Fire ``event`` for many contacts; sort them into advanced, blocked and invalid.

        No exception for a single contact: a blocked one comes back with its verdict (a
        guard that raised gives an UNKNOWN verdict carrying the error), one the event does
        not apply to with its :class:`~pipelinekit.InvalidTransition`. Mistakes in the call
        itself (an unknown event, a missing reason, a naive ``at``, an item that is not a
        :class:`~pipelinekit.Contact`) raise before any guard runs and before any result is
        made. Contacts in the same stage share one immutable
        :class:`~pipelinekit.StageChange`.
        """
        self._check_call(at, by, reason)
        transition = self._transition(event)
        _check_reason(event, reason, required=transition.reason_required)
        items = _contacts(contacts)
        for index, contact in enumerate(items):
            if contact.history:
                _check_in_order(contact, at, f"contacts[{index}]")
        # One route and one set of changes per stage, prepared when a contact first needs it.
        prepared: dict[str, tuple[Route, tuple[StageChange, ...]] | None] = {}
        advanced: list[Step] = []
        blocked: list[tuple[Contact, Verdict]] = []
        invalid: list[tuple[Contact, InvalidTransition]] = []
        for contact in items:
            stage = contact.stage
            if stage in prepared:
                entry = prepared[stage]
            else:
                routes = self._table.routes.get(stage)
                route = None if routes is None else routes.get(event)
                entry = None if route is None else (route, self._changes(route, at, by, reason))
                prepared[stage] = entry
            if entry is None:
                invalid.append((contact, self._table.invalid(contact.stage, event)))
                continue
            route, changes = entry
            failure = route_failure(route, contact, at)
            if failure is None:
                advanced.append(_step(_moved(contact, route, changes, reason), changes))
            else:
                blocked.append((contact, route_verdict(route, contact, at, failure)))
        return BulkResult(advanced=tuple(advanced), blocked=tuple(blocked), invalid=tuple(invalid))

    @staticmethod
    def _changes(
        route: Route, at: datetime, by: str | None, reason: str | None
    ) -> tuple[StageChange, ...]:
        # The reason belongs to the event that was asked for: the last hop. The hops a
        # skip passed through record none (they were not fired for that reason).
        *through, last = route.hops
        return (
            *(
                trusted_change(h.event, h.source, h.target, at, by, None, h.summary)
                for h in through
            ),
            trusted_change(last.event, last.source, last.target, at, by, reason, last.summary),
        )

    # -- asking ----------------------------------------------------------------------

    def blockers(self, contact: Contact, event: str, *, at: datetime | None) -> Verdict:
        """Dry-run ``event``: the full verdict, with every unmet or unknown requirement.

        An event without a guard gives a PASS verdict. Reasons and versions are not
        checked: this asks only what the guards think.

        Raises:
            InvalidTransition: The event does not apply to the contact's stage.
        """
        if not isinstance(contact, Contact):
            raise _not_a_contact(contact)
        return route_verdict(self._route(contact.stage, event), contact, at)

    def possible_events(self, contact: Contact) -> frozenset[str]:
        """The events that apply to the contact's stage, whatever the guards say.

        Raises:
            InvalidTransition: The contact's stage is not a stage of the pipeline (as
                ``advance`` and ``next_action`` do).
        """
        return frozenset(self._routes_of(contact))

    def allowed_events(self, contact: Contact, *, at: datetime | None) -> frozenset[str]:
        """The events whose guards pass now (reasons aside); a guard that raises does not.

        Raises:
            InvalidTransition: The contact's stage is not a stage of the pipeline.
        """
        routes = self._routes_of(contact)
        return frozenset(
            event for event, route in routes.items() if route_passes(route, contact, at)
        )

    def next_action(self, contact: Contact, *, at: datetime | None) -> NextAction:
        """Suggest what to do next with ``contact``, from its stage and its blockers.

        Looks at the events that move the contact on without a reason (forward ones
        first): the first whose guard passes is the action; else, when a guard lacks
        facts, ``"discover"`` them; else the stage's own action (nurture, close, ...).
        """
        routes = self._routes_of(contact)
        stage = contact.stage
        order = self._table.order
        candidates = sorted(
            (
                (event, route)
                for event, route in routes.items()
                if len(route.hops) == 1 and not route.hops[0].reason_required
            ),
            key=lambda item: (order[item[1].target] < order[str(stage)],),
        )
        own = self._spec.stage(str(stage)).action
        if not candidates:
            return NextAction(action=own or "none", event=None, reason=self._stuck(str(stage)))
        verdicts = [(e, r, route_verdict(r, contact, at)) for e, r in candidates]
        for event, route, verdict in verdicts:
            if route.hops[0].guard is not None and verdict.outcome is Outcome.PASS:
                return NextAction(
                    action=event, event=event, reason=f"ready: {verdict.summary()}", verdict=verdict
                )
        for event, _, verdict in verdicts:
            if verdict.outcome is Outcome.UNKNOWN:
                missing = verdict.unknown_facts()
                return NextAction(
                    action="discover",
                    event=event,
                    reason=f"find out {', '.join(missing) or 'the missing facts'} to {event}",
                    missing=missing,
                    verdict=verdict,
                )
        # Nothing is ready or discoverable: explain the guarded event that blocks, if any.
        guarded = [item for item in verdicts if item[1].hops[0].guard is not None]
        event, route, verdict = (guarded or verdicts)[0]
        unknown = verdict.unknown_facts()  # still worth asking, though they cannot unblock it
        if route.hops[0].guard is None:
            why = f"{event} has no guard: fire it when the work is done"
        else:
            why = f"{event} is blocked: {verdict.summary()}"
            if unknown:
                why += f"; still unknown: {', '.join(unknown)}"
        return NextAction(
            action=own or "nurture", event=event, reason=why, missing=unknown, verdict=verdict
        )

    def replay(self, subject: Contact | Sequence[StageChange]) -> str | None:
        """Rebuild the stage from a contact's history (or a list of changes) and check it.

        Raises:
            InvalidHistory: The history does not replay (``.index`` says where).
        """
        return history.replay(self._spec, subject)

    # -- drawing ---------------------------------------------------------------------

    def to_mermaid(self) -> str:
        """The pipeline as a Mermaid ``stateDiagram-v2``.

        One edge per transition that can fire from a stage (the forward-only policy
        drops the ones moving back); skip routes are not drawn, they chain drawn edges.
        Stages show their label (escaped as Mermaid entity codes); won, lost and
        disqualified stages are marked with a ``classDef`` named after their outcome.
        """
        from pipelinekit.lifecycle._diagrams import mermaid  # noqa: PLC0415  # optional path

        return mermaid(self._spec, self._diagram())

    def to_dot(self) -> str:
        """The pipeline as Graphviz DOT source; needs pydot (``pipelinekit[diagrams]``).

        Deterministic: the same pipeline gives the same text in every build and process
        (python-statemachine names some graph parts after ``id()`` values; they are
        renumbered in order of appearance). Edges, labels and outcome marks as
        :meth:`to_mermaid` draws them (a fill colour per outcome).
        """
        try:
            import pydot  # noqa: F401, PLC0415  # only to give a clear error
        except ImportError:
            raise ImportError("to_dot() needs pydot: pip install 'pipelinekit[diagrams]'") from None
        from pipelinekit.lifecycle._diagrams import dot  # noqa: PLC0415  # optional path

        return dot(self._spec, self._diagram())

    # -- internals -------------------------------------------------------------------

    def _check_call(self, at: datetime, by: str | None, reason: str | None) -> None:
        require_aware("at", at)
        check_text("by", by)
        _optional_text("reason", reason)

    def _routes_of(self, contact: Contact) -> Mapping[str, Route]:
        # A question about no event in particular: an error here carries event=None.
        if not isinstance(contact, Contact):
            raise _not_a_contact(contact)
        routes = self._table.routes.get(contact.stage)
        if routes is None:
            raise self._table.not_a_stage(contact.stage, None)
        return routes

    def _stuck(self, stage: str) -> str:
        """Why no event moves a contact on from ``stage`` without a reason."""
        if self._spec.stage(stage).final:
            return f"{stage} is final"
        needing = sorted(self._table.routes[stage_value(stage)])
        if needing:
            return f"only events that need a reason leave {stage}: {', '.join(needing)}"
        return f"no event leaves {stage} under the forward-only policy"

    def _transition(self, event: str) -> Transition:
        for transition in self._spec.transitions:
            if transition.event == event:
                return transition
        raise self._table.unknown(event, None)

    def _route(self, stage: str, event: str) -> Route:
        untrusted: object = event
        if not isinstance(untrusted, str):  # an unhashable one would break the lookup
            raise FieldTypeError("event", f"expected an event name (str), got {got(untrusted)}")
        routes = self._table.routes.get(stage)
        route = None if routes is None else routes.get(event)
        if route is None:
            raise self._table.invalid(stage, event)
        return route
