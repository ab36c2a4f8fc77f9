"""Reading a pipeline spec from a JSON-ready document, with errors that say where.

Each part of the document is checked where it is read: a problem raises
:class:`~pipelinekit.SchemaError` with a JSONPath-like ``.path`` (``$.stages[1].name``,
``$.transitions[2].sources[0]``, ``$.guards.qualify.op``) and a ``.problem``, the way
:func:`pipelinekit.from_dict` reports its errors. What is only wrong as a whole (an
unreachable stage, a stage with no way to a final one) is left to
:class:`~pipelinekit.PipelineSpec`, which raises :class:`~pipelinekit.InvalidPipeline`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from pipelinekit._checks import describe, path_key, type_name
from pipelinekit.errors import InvalidPipeline, SchemaError
from pipelinekit.lifecycle.spec import StageSpec, Transition, _check_name, _to_probability
from pipelinekit.qualifiers import Qualifier

if TYPE_CHECKING:
    from pipelinekit.lifecycle.spec import PipelineSpec

__all__ = ["read_spec", "read_stage", "read_transition"]

_DOCUMENT_KEYS: Final = frozenset({"name", "stages", "transitions", "guards", "schema_version"})


def _got(value: object) -> str:
    return "null" if value is None else f"{type_name(value)} {describe(value)}"


def _check_bool(what: str) -> Callable[[object], object]:
    def check(value: object) -> object:
        if type(value) is not bool:
            raise InvalidPipeline(f"{what} must be a bool, got {_got(value)}")
        return value

    return check


def _check_text(value: object) -> object:
    if value is not None and not isinstance(value, str):
        raise InvalidPipeline(f"expected a str or null, got {_got(value)}")
    return value


_STAGE_FIELDS: Final[Mapping[str, Callable[[Any], object]]] = {
    "name": lambda value: _check_name("stage", value),
    "final": _check_bool("final"),
    "probability": _to_probability,
    "action": _check_text,
}
_TRANSITION_FIELDS: Final[Mapping[str, Callable[[Any], object]]] = {
    "event": lambda value: _check_name("event", value),
    "target": lambda value: _check_name("stage", value),
    "reason_required": _check_bool("reason_required"),
}


def _key(where: str, key: object) -> str:
    return where + path_key(key)


def _list(value: object, where: str, what: str) -> list[object]:
    # JSON has lists; a tuple from Python is as good. A str or mapping would be read
    # item by item (letters, keys), so they are refused rather than guessed at.
    if not isinstance(value, list | tuple):
        raise SchemaError(where, f"expected a list of {what}, got {_got(value)}")
    return list(value)


def _fields(
    item: object,
    where: str,
    kind: str,
    checks: Mapping[str, Callable[[Any], object]],
    required: tuple[str, ...],
) -> dict[str, Any]:
    """Check an object's keys and each field, naming the path of the first bad one."""
    if not isinstance(item, Mapping):
        raise SchemaError(where, f"expected a {kind} object, got {_got(item)}")
    for key in item:
        if key not in checks:
            allowed = ", ".join(sorted(checks))
            raise SchemaError(_key(where, key), f"unknown key; a {kind} has: {allowed}")
    for key in required:
        if key not in item:
            raise SchemaError(where, f"missing key {key!r}")
    for key, value in item.items():
        try:
            checks[key](value)
        except InvalidPipeline as error:
            raise SchemaError(f"{where}.{key}", str(error)) from None
    return dict(item)


def _stage(item: object, where: str) -> StageSpec | str:
    if isinstance(item, str):
        try:
            _check_name("stage", item)
        except InvalidPipeline as error:
            raise SchemaError(where, str(error)) from None
        return item
    fields = _fields(item, where, "stage", _STAGE_FIELDS, ("name",))
    return StageSpec(**fields)


def _transition(item: object, where: str) -> Transition:
    checks = {**_TRANSITION_FIELDS, "sources": lambda value: value}
    fields = _fields(item, where, "transition", checks, ("event", "sources", "target"))
    sources = fields["sources"]
    if isinstance(sources, str):
        names: list[object] = [sources]
        paths = [f"{where}.sources"]
    else:
        names = _list(sources, f"{where}.sources", "stage names")
        paths = [f"{where}.sources[{index}]" for index in range(len(names))]
    for name, path in zip(names, paths, strict=True):
        try:
            _check_name("stage", name)
        except InvalidPipeline as error:
            raise SchemaError(path, str(error)) from None
    fields["sources"] = tuple(names)
    try:
        return Transition(**fields)
    except InvalidPipeline as error:  # what needs the fields together: a repeated source
        raise SchemaError(where, str(error)) from None


def _guards(document: object, events: set[str]) -> dict[str, Qualifier]:
    if not isinstance(document, Mapping):
        raise SchemaError(
            "$.guards",
            f"expected an object mapping event names to qualifier documents, got {_got(document)}",
        )
    # Loading qualifier documents is serialization's job (a layer above this one).
    from pipelinekit.serialization import from_dict  # noqa: PLC0415

    guards: dict[str, Qualifier] = {}
    for event, doc in document.items():
        where = _key("$.guards", event)
        if event not in events:
            raise SchemaError(
                where, f"not an event of the pipeline; events: {', '.join(sorted(events))}"
            )
        try:
            guards[event] = from_dict(doc, Qualifier)
        except SchemaError as error:
            raise SchemaError(where + error.path.removeprefix("$"), error.problem) from None
    return guards


def read_stage(document: object) -> StageSpec:
    """Build a :class:`StageSpec` from its document (a name or an object), as in a spec."""
    stage = _stage(document, "$")
    return StageSpec(stage) if isinstance(stage, str) else stage


def read_transition(document: object) -> Transition:
    """Build a :class:`Transition` from its document, as in a spec."""
    return _transition(document, "$")


def read_spec(cls: type[PipelineSpec], document: object) -> PipelineSpec:
    """Build ``cls`` from ``document``; see :meth:`PipelineSpec.from_dict`."""
    if not isinstance(document, Mapping):
        raise SchemaError(
            "$",
            f"expected a pipeline document (an object), got {_got(document)}",
        )
    for key in document:
        if key not in _DOCUMENT_KEYS:
            allowed = ", ".join(sorted(_DOCUMENT_KEYS))
            raise SchemaError(_key("$", key), f"unknown key; a pipeline document has: {allowed}")
    for key in ("stages", "transitions"):
        if key not in document:
            raise SchemaError("$", f"missing key {key!r}")
    name = document.get("name", "Pipeline")
    try:
        _check_name("pipeline", name)
    except InvalidPipeline as error:
        raise SchemaError("$.name", str(error)) from None
    stages = [
        _stage(item, f"$.stages[{index}]")
        for index, item in enumerate(_list(document["stages"], "$.stages", "stages"))
    ]
    transitions = [
        _transition(item, f"$.transitions[{index}]")
        for index, item in enumerate(_list(document["transitions"], "$.transitions", "transitions"))
    ]
    guards = _guards(document.get("guards", {}), {t.event for t in transitions})
    return cls(stages=stages, transitions=transitions, guards=guards, name=name)
