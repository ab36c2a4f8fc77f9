"""The python-statemachine class generated from a pipeline.

Each stage becomes a ``State`` (its value is the stage name, so a bound model's
``state_field`` holds ``"lead"``, ``"prospect"``, ...), each event an ``Event`` with one
transition per stage it applies to. Guards are wired as *validators*: a rejected event
raises :class:`~pipelinekit.TransitionBlocked` carrying the full verdict (a ``cond=``
guard would only say "not allowed"), and an event that needs a reason raises
:class:`~pipelinekit.ReasonRequired` without one. python-statemachine runs its own
definition checks when the class is created.

The class is for definition checks, diagrams and driving a caller's own mutable objects;
``Pipeline.advance`` runs on the compiled table, which is built from the same routes.
It raises pipelinekit errors, never python-statemachine's: binding checks the model
(:class:`~pipelinekit.FieldTypeError` for a frozen object, :class:`~pipelinekit.FieldValueError`
for a stage that is not one of the pipeline's), and an event that does not apply raises
:class:`~pipelinekit.InvalidTransition`, as ``Pipeline.advance`` does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

import attrs
from statemachine import Event, State, StateMachine
from statemachine.exceptions import InvalidDefinition, TransitionNotAllowed
from statemachine.factory import StateMachineMetaclass

from pipelinekit._checks import got
from pipelinekit.errors import (
    FieldTypeError,
    FieldValueError,
    InvalidPipeline,
    ReasonRequired,
    TransitionBlocked,
)
from pipelinekit.lifecycle._rules import not_a_stage
from pipelinekit.lifecycle._table import Route, Table, route_failure, route_verdict
from pipelinekit.lifecycle.spec import PipelineSpec

__all__ = ["build_machine_class"]


def _validator(event: str, source: str, route: Route) -> Callable[..., None]:
    hops = route.hops
    needs_reason = hops[-1].reason_required

    def validate(
        *, model: object, at: datetime | None = None, reason: str | None = None, **_: Any
    ) -> None:
        if needs_reason and (not isinstance(reason, str) or not reason.strip()):
            raise ReasonRequired(event)
        failure = route_failure(route, model, at)
        if failure is not None:
            raise TransitionBlocked(event, route_verdict(route, model, at, failure))

    # python-statemachine names callbacks after the function: keep each one distinct.
    validate.__name__ = f"_check_{event}_from_{source}"
    validate.__qualname__ = validate.__name__
    return validate


def _is_frozen(model: object) -> bool:
    """Whether ``model`` refuses attribute assignment (a frozen attrs or dataclass object)."""
    cls = type(model)
    if attrs.has(cls):
        # attrs installs this function as __setattr__ on frozen classes (its public API
        # has no "is frozen" question).
        return getattr(cls.__setattr__, "__name__", "") == "_frozen_setattrs"
    return dataclasses.is_dataclass(cls) and bool(cls.__dataclass_params__.frozen)  # type: ignore[attr-defined]


def _bound_behaviour(table: Table) -> dict[str, Any]:
    """``__init__`` and the event loop of the generated class, raising pipelinekit errors."""
    stages = frozenset(s.name for s in table.spec.stages)

    def check_stage(field: str, value: object) -> None:
        if value is not None and value not in stages:
            raise FieldValueError(field, not_a_stage(value, table.spec))

    def __init__(  # noqa: N807  # the generated class's constructor
        self: StateMachine,
        model: Any = None,
        state_field: str = "state",
        start_value: Any = None,
        **kwargs: Any,
    ) -> None:
        if model is not None:
            if _is_frozen(model):
                raise FieldTypeError(
                    "model",
                    f"expected a mutable object, got a frozen {type(model).__name__}: the"
                    " machine assigns its state field; advance a Contact with"
                    " Pipeline.advance, or bind a mutable object of your own",
                )
            if not isinstance(state_field, str):
                raise FieldTypeError("state_field", f"expected str, got {got(state_field)}")
            check_stage(state_field, getattr(model, state_field, None))
        check_stage("start_value", start_value)
        StateMachine.__init__(
            self, model, state_field=state_field, start_value=start_value, **kwargs
        )

    def _processing_loop(self: StateMachine, caller_future: Any = None) -> Any:
        # Every event, sent (machine.send("win")) or called (machine.win()), runs here.
        stage = getattr(self.model, self.state_field, None)
        check_stage(self.state_field, stage)
        try:
            return StateMachine._processing_loop(self, caller_future)  # the one hook
        except TransitionNotAllowed as error:
            event = getattr(error.event, "id", None) or str(error.event)
            raise table.invalid(str(stage), event) from None

    return {"__init__": __init__, "_processing_loop": _processing_loop}


def build_machine_class(
    spec: PipelineSpec, table: Table, *, strict: bool = True
) -> type[StateMachine]:
    """Generate the ``StateMachine`` subclass of ``spec`` with the routes of ``table``.

    Args:
        spec: The pipeline.
        table: Its compiled routes (the policy already applied).
        strict: Run python-statemachine's trap-state and final-reachability checks.
            Turned off when a policy leaves stages without a way out (forward-only:
            lost, disqualified); the spec itself always passed the same checks.

    Raises:
        InvalidPipeline: python-statemachine refused the definition.
    """
    states = {
        stage.name: State(
            name=stage.display,  # what diagrams show
            value=stage.name,  # a plain str: what a caller's model stores
            initial=index == 0,
            final=stage.final,
        )
        for index, stage in enumerate(spec.stages)
    }
    namespace: dict[str, Any] = dict(states)
    if not strict:
        namespace["validate_trap_states"] = False
        namespace["validate_final_reachability"] = False
    namespace["__doc__"] = f"The {spec.name} pipeline, generated by pipelinekit."
    namespace["__module__"] = __name__
    namespace.update(_bound_behaviour(table))
    for event in spec.events:
        transitions = None
        for source, route in table.sources_of(event).items():
            name = str(source)
            transition = states[name].to(
                states[route.target], validators=[_validator(event, name, route)]
            )
            transitions = transition if transitions is None else transitions | transition
        if transitions is not None:
            namespace[event] = Event(transitions, id=event, name=event)
    try:
        machine = StateMachineMetaclass(f"{spec.name}Machine", (StateMachine,), namespace)
    except InvalidDefinition as error:
        raise InvalidPipeline(f"python-statemachine refused the pipeline: {error}") from error
    return cast("type[StateMachine]", machine)
