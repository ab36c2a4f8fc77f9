"""The rules a pipeline's names and numbers follow, shared by the spec and its documents.

Both :mod:`pipelinekit.lifecycle.spec` (building a spec from Python) and the document
reader (building one from JSON) check names and probabilities here, so the two can never
disagree; each raises :class:`~pipelinekit.InvalidPipeline`, which the reader turns into a
:class:`~pipelinekit.SchemaError` at the document path.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import keyword
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Final, Protocol

from pipelinekit._checks import IDENTIFIER, describe, got, to_probability
from pipelinekit._text import one_line_problem
from pipelinekit.errors import FieldError, InvalidPipeline
from pipelinekit.stages import (
    FORECAST_CATEGORIES,
    STAGE_OUTCOMES,
    ForecastCategory,
    Stage,
    StageOutcome,
    did_you_mean,
    plain_name,
    stage_name,
)

__all__ = [
    "MAX_GUARD_NODES",
    "MAX_LABEL",
    "MAX_SOURCES",
    "MAX_STAGES",
    "MAX_TRANSITIONS",
    "bounded_items",
    "count_nodes",
    "check_forecast",
    "check_label",
    "check_name",
    "check_outcome",
    "check_probability",
    "check_semantics",
    "default_forecast",
    "not_a_stage",
    "reserved_names",
    "reserved_prefixes",
    "snapshot",
]


@functools.cache
def _probe() -> type:
    """A trivial machine class to read python-statemachine's names from (built on first use)."""
    from statemachine import State, StateMachine  # noqa: PLC0415  # on first use only

    class _Probe(StateMachine):
        probe_start = State(initial=True)
        probe_end = State(final=True)
        probe_go = probe_start.to(probe_end)

    return _Probe


@functools.cache
def reserved_names() -> frozenset[str]:
    """Names python-statemachine uses on every machine besides its class attributes.

    Found by binding a trivial machine and reading what its instance sets (``model``,
    ``state_field``, ``history_values``, ...), plus the constructor's parameters and the
    class-body keys its metaclass reads (``listeners``, ``listeners_inherit``). A stage
    or event with one of these names would be shadowed, or break the class. Computed on
    first use, not at import (building a machine costs about a millisecond, and importing
    python-statemachine about 40: ``import pipelinekit`` pays for neither).
    """
    from statemachine import StateMachine  # noqa: PLC0415  # on first use only

    probe = _probe()
    own = {"probe_start", "probe_end", "probe_go"}
    names = {name for name in vars(probe()) if not name.startswith("_")} - own
    # Attributes the metaclass sets on every generated class (initial_state, final_states, ...).
    names |= {name for name in dir(probe) if not name.startswith("_")} - own
    names |= set(inspect.signature(StateMachine.__init__).parameters) - {"self", "kwargs"}
    names |= {"listeners", "listeners_inherit"}
    return frozenset(names | _conventions(probe)[0])


def _conventions(machine: type) -> tuple[frozenset[str], tuple[str, ...]]:
    """python-statemachine's callback conventions, read from a built machine's own specs.

    Every callback a machine looks up by name (``prepare_event``, ``on_enter_state``,
    ``before_transition``, ``after_<event>``, ``on_enter_<state>``, ...) is registered as
    a *conventional* spec on the class, each state and each transition. The ones naming
    the probe's state or event give the prefixes (``before_``, ``on_enter_``, ...); the
    others are fixed names. Reading them from the library, not a hand-kept list, keeps a
    future release's conventions covered.
    """
    found: set[str] = set(machine._specs.conventional_specs)  # type: ignore[attr-defined]  # the library's own record of its conventions
    for state in machine.states:  # type: ignore[attr-defined]
        found |= state._specs.conventional_specs  # as above
        for transition in state.transitions:
            found |= transition._specs.conventional_specs  # as above
    probe_ids = ("probe_start", "probe_end", "probe_go")
    fixed = {name for name in found if not any(name.endswith(i) for i in probe_ids)}
    prefixes = {
        name.removesuffix(i) for name in found - fixed for i in probe_ids if name.endswith(i)
    }
    return frozenset(fixed), tuple(sorted(prefixes))


@functools.cache
def reserved_prefixes() -> tuple[str, ...]:
    """The prefixes python-statemachine builds callback names from (``before_``, ``on_``, ...).

    A stage or event named ``after_go`` would be called as a callback of an event ``go``
    (and ``on_enter_won`` on entering ``won``), so a name with one of these prefixes is
    refused. Derived from the library, as :func:`reserved_names` is.
    """
    return _conventions(_probe())[1]


#: The default pipeline's own names: known not to be reserved (a test checks it against
#: :func:`reserved_names`), so building ``DEFAULT_SPEC`` at import needs no probe machine.
_DEFAULT_NAMES: Final = frozenset(
    {*(stage.value for stage in Stage), "qualify", "convert", "win", "lose", "disqualify"}
    | {"recycle", "SalesPipeline", "Pipeline"}
)


def _problem(error: FieldError) -> str:
    return str(error).removeprefix(f"{error.field}: ")


def check_name(kind: str, name: object) -> str:
    """Check a stage, event or pipeline name; it becomes an attribute of the machine class.

    Every name is an identifier (:data:`pipelinekit._checks.IDENTIFIER`) that
    python-statemachine does not use itself. A stage name also follows the stage-name
    rule of :func:`pipelinekit.stages.stage_name` (``"Customer"`` is refused: did you
    mean ``"customer"``?), so every stage a spec accepts is one ``Contact`` accepts.
    """
    if not isinstance(name, str):
        raise InvalidPipeline(f"{kind} name must be a str, got {got(name)}")
    if kind == "stage":
        try:
            stage_name("name", name)
        except FieldError as error:
            raise InvalidPipeline(_problem(error)) from None
    if IDENTIFIER.fullmatch(name) is None or keyword.iskeyword(name):
        raise InvalidPipeline(
            f"{kind} name {name!r} is not an identifier (a letter, then letters, digits or _;"
            " at most 64 characters)"
        )
    if name not in _DEFAULT_NAMES and (_machine_attribute(name) or name in reserved_names()):
        raise InvalidPipeline(
            f"{kind} name {name!r} is reserved by python-statemachine (an attribute of every"
            " generated machine)"
        )
    prefix = _reserved_prefix(name)
    if prefix is not None:
        raise InvalidPipeline(
            f"{kind} name {name!r} starts with {prefix!r}, a python-statemachine callback"
            " convention (the machine would call it on an event or stage change)"
        )
    return name


def _reserved_prefix(name: str) -> str | None:
    if name in _DEFAULT_NAMES:
        return None
    return next((p for p in reserved_prefixes() if name.startswith(p)), None)


def _machine_attribute(name: str) -> bool:
    """Whether ``name`` is an attribute of python-statemachine's ``StateMachine``."""
    from statemachine import StateMachine  # noqa: PLC0415  # on first use only

    return hasattr(StateMachine, name)


def check_probability(value: object) -> Decimal | None:
    """A stage's probability (0 to 1), by the rule ``Opportunity.probability`` follows."""
    try:
        return to_probability("probability", value)
    except FieldError as error:
        raise InvalidPipeline(f"probability {_problem(error)}") from None


def _one_of(field: str, value: object, allowed: tuple[str, ...]) -> str:
    if type(value) is str and value in allowed:
        return value
    choices = ", ".join(map(repr, allowed))
    hint = did_you_mean(value, allowed) if isinstance(value, str) else ""
    raise InvalidPipeline(f"{field} must be one of {choices}, got {describe(value)}{hint}")


def check_outcome(value: object) -> StageOutcome:
    """A stage's outcome: one of :data:`pipelinekit.STAGE_OUTCOMES`."""
    return _one_of("outcome", value, STAGE_OUTCOMES)  # type: ignore[return-value]  # one of them


def check_forecast(value: object) -> ForecastCategory:
    """A stage's forecast category: one of :data:`pipelinekit.FORECAST_CATEGORIES`."""
    return _one_of("forecast", value, FORECAST_CATEGORIES)  # type: ignore[return-value]  # as above


#: The longest stage label, in characters (a label is shown in diagrams and reports).
MAX_LABEL: Final = 200
#: The most stages a pipeline may have (real sales pipelines have a few to a few dozen;
#: HubSpot allows 100 deal stages per pipeline).
MAX_STAGES: Final = 250
#: The most transitions (events) a pipeline may have.
MAX_TRANSITIONS: Final = 1_000
#: The most source stages one transition may list (every stage of the largest pipeline).
MAX_SOURCES: Final = MAX_STAGES
#: The most qualifier nodes all the guards of one pipeline may hold together (ten
#: qualifier documents at their own limit, ``MAX_NODES``).
MAX_GUARD_NODES: Final = 100_000


def bounded_items(items: Iterable[object], limit: int, problem: str) -> tuple[object, ...]:
    """The items of ``items``; more than ``limit`` raise ``InvalidPipeline(problem)``.

    An endless or huge iterable is never read to its end: at most ``limit + 1`` items are.
    """
    taken = tuple(itertools.islice(items, limit + 1))
    if len(taken) > limit:
        raise InvalidPipeline(problem)
    return taken


def count_nodes(guards: Iterable[object], limit: int) -> int:
    """The qualifier nodes of ``guards`` (counting stops one past ``limit``)."""
    stack = list(guards)
    count = 0
    while stack and count <= limit:
        node = stack.pop()
        count += 1
        stack.extend(getattr(node, "children", ()))
    return count


def check_label(value: object) -> str | None:
    """A stage's display label: ``None`` or one line of printable, non-blank text.

    Labels are shown in diagrams, tables and messages: a newline or control character
    could forge a line there, so it is refused, not escaped.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidPipeline(f"label must be a str or None, got {got(value)}")
    if not value or value.isspace():
        raise InvalidPipeline("label must not be blank; use None to show the name")
    if value != value.strip():
        raise InvalidPipeline(f"label {describe(value)} has leading or trailing whitespace")
    if len(value) > MAX_LABEL:
        raise InvalidPipeline(f"label is longer than {MAX_LABEL} characters")
    problem = one_line_problem(value)
    if problem is not None:
        raise InvalidPipeline(f"label {problem}")
    return plain_name(value)


def default_forecast(outcome: StageOutcome) -> ForecastCategory:
    """The forecast category a stage of ``outcome`` has unless it says otherwise.

    >>> default_forecast("open"), default_forecast("won"), default_forecast("lost")
    ('pipeline', 'closed', 'omitted')
    """
    if outcome == "open":
        return "pipeline"
    return "closed" if outcome == "won" else "omitted"


#: The forecast categories each outcome allows: won deals are closed; lost and
#: disqualified ones are omitted; an open deal is in a forecast category a rep can
#: commit to, or omitted (a team excluding a stage), but never closed.
_FORECASTS: Final[dict[str, tuple[ForecastCategory, ...]]] = {
    "open": ("pipeline", "best_case", "commit", "omitted"),
    "won": ("closed",),
    "lost": ("omitted",),
    "disqualified": ("omitted",),
}
#: The only probability a closed stage may carry (when it carries one).
_CLOSED_PROBABILITY: Final = {"won": Decimal(1), "lost": Decimal(0), "disqualified": Decimal(0)}


def check_semantics(
    *, final: bool, outcome: StageOutcome, forecast: ForecastCategory, probability: Decimal | None
) -> None:
    """Refuse a stage whose fields contradict each other (each field already checked).

    A final stage is closed (won, lost or disqualified), never open; a won stage is
    forecast ``"closed"`` with probability 1, a lost or disqualified one ``"omitted"``
    with probability 0 (``None`` is allowed: not stated); an open stage is never
    forecast ``"closed"``.
    """
    if final and outcome == "open":
        raise InvalidPipeline(
            "a final stage must be closed: give it outcome='won', 'lost' or 'disqualified'"
            " (no event leaves it, so it cannot be open)"
        )
    allowed = _FORECASTS[outcome]
    if forecast not in allowed:
        which = repr(allowed[0]) if len(allowed) == 1 else f"one of {', '.join(map(repr, allowed))}"
        raise InvalidPipeline(
            f"forecast {forecast!r} contradicts outcome {outcome!r}; a stage with outcome"
            f" {outcome!r} is forecast {which}"
        )
    expected = _CLOSED_PROBABILITY.get(outcome)
    if expected is not None and probability is not None and probability != expected:
        raise InvalidPipeline(
            f"probability {probability} contradicts outcome {outcome!r}; a stage with outcome"
            f" {outcome!r} has probability {expected} (or None)"
        )


def snapshot(value: str) -> str:
    """A name as a plain ``str`` (a ``Stage`` member gives its value).

    A non-``str`` is left as it is, for :func:`check_name` to refuse with its type.
    """
    untrusted: object = value
    return plain_name(value) if isinstance(untrusted, str) else value


class _Named(Protocol):
    @property
    def name(self) -> str: ...


class _Staged(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def stages(self) -> Sequence[_Named]: ...


def not_a_stage(name: object, spec: _Staged) -> str:
    """The message for a stage name that is not one of ``spec``'s, with the closest one."""
    names = [s.name for s in spec.stages]
    text = str.__str__(name) if isinstance(name, str) else repr(name)
    hint = did_you_mean(text, names) if isinstance(name, str) else ""
    return f"{text!r} is not a stage of {spec.name}: {', '.join(names)}{hint}"
