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
from typing import Any, Final, TypeVar

from pipelinekit._checks import check_schema_version, got, masked_error, path_key
from pipelinekit.errors import InvalidPipeline, SchemaError
from pipelinekit.lifecycle._rules import (
    MAX_GUARD_NODES,
    MAX_SOURCES,
    MAX_STAGES,
    MAX_TRANSITIONS,
    check_forecast,
    check_label,
    check_name,
    check_outcome,
    check_probability,
    count_nodes,
)
from pipelinekit.qualifiers import Qualifier
from pipelinekit.qualifiers import schema as qualifier_schema
from pipelinekit.stages import Stage

__all__ = ["SPEC_VERSION", "read_spec", "read_stage", "read_transition"]

S = TypeVar("S")
St = TypeVar("St")
T = TypeVar("T")

#: The newest pipeline document version this reader knows, written by ``pk.to_dict`` for
#: pipeline specs, stage specs and transitions. Version 2 (pipelinekit 0.2) added the
#: stage keys ``outcome``, ``forecast`` and ``label``; version 1 documents are still read
#: (see :func:`_version_1_semantics`). Other documents (entities, qualifiers) keep the
#: library's ``SCHEMA_VERSION``.
SPEC_VERSION: Final = 2
#: The stage keys version 2 added: a document without ``schema_version`` that uses one
#: cannot be a version 1 document, so it is read as version 2.
_VERSION_2_STAGE_KEYS: Final = frozenset({"outcome", "forecast", "label"})
_DOCUMENT_KEYS: Final = frozenset({"name", "stages", "transitions", "guards", "schema_version"})


def _check_bool(what: str) -> Callable[[object], object]:
    def check(value: object) -> object:
        if type(value) is not bool:
            raise InvalidPipeline(f"{what} must be a bool, got {got(value)}")
        return value

    return check


def _check_text(value: object) -> object:
    if value is not None and not isinstance(value, str):
        raise InvalidPipeline(f"expected a str or null, got {got(value)}")
    return value


_STAGE_FIELDS_V1: Final[Mapping[str, Callable[[Any], object]]] = {
    "name": lambda value: check_name("stage", value),
    "final": _check_bool("final"),
    "probability": check_probability,
    "action": _check_text,
}
_STAGE_FIELDS: Final[Mapping[str, Callable[[Any], object]]] = {
    **_STAGE_FIELDS_V1,
    "outcome": check_outcome,
    "forecast": check_forecast,
    "label": check_label,
}
_TRANSITION_FIELDS: Final[Mapping[str, Callable[[Any], object]]] = {
    "event": lambda value: check_name("event", value),
    "target": lambda value: check_name("stage", value),
    "reason_required": _check_bool("reason_required"),
}


def _key(where: str, key: object) -> str:
    return where + path_key(key)


def _list(value: object, where: str, what: str, limit: int) -> list[object]:
    # JSON has lists; a tuple from Python is as good. A str or mapping would be read
    # item by item (letters, keys), so they are refused rather than guessed at.
    if not isinstance(value, list | tuple):
        raise SchemaError(where, f"expected a list of {what}, got {got(value)}")
    if len(value) > limit:
        raise SchemaError(where, f"more than {limit:,} {what} (the limit: docs/limits.md)")
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
        raise SchemaError(where, f"expected a {kind} object, got {got(item)}")
    for key in item:
        if key not in checks:
            allowed = ", ".join(sorted(checks))
            hint = ""
            if key in _VERSION_2_STAGE_KEYS and kind == "stage":
                hint = f" ({key!r} needs schema_version {SPEC_VERSION}; this document is version 1)"
            raise SchemaError(_key(where, key), f"unknown key; a {kind} has: {allowed}{hint}")
    for key in required:
        if key not in item:
            raise SchemaError(where, f"missing key {key!r}")
    for key, value in item.items():
        try:
            checks[key](value)
        except InvalidPipeline as error:
            raise SchemaError(f"{where}.{key}", str(error)) from None
    return dict(item)


def _version_1_semantics(fields: dict[str, Any], where: str) -> dict[str, Any]:
    """A version 1 stage's outcome and label, which version 1 could not say.

    A stage named as a default one (``customer``, ``lost``, ``disqualified``, ``lead``,
    ...) means what it means in the default pipeline: its outcome and label. Any other
    final stage is won, or lost when its probability is 0; any other stage is open.
    """
    builtin = Stage._value2member_map_.get(fields["name"])
    if isinstance(builtin, Stage):
        return {**fields, "outcome": builtin.outcome, "label": builtin.label}
    if not fields.get("final", False):
        return fields
    probability = fields.get("probability")
    if probability is None or check_probability(probability) == 1:
        return {**fields, "outcome": "won"}
    if check_probability(probability) == 0:
        return {**fields, "outcome": "lost"}
    raise SchemaError(
        where,
        f"a version 1 final stage with probability {probability} is neither won (1) nor lost"
        f" (0); write the document as schema_version {SPEC_VERSION} with the stage's outcome",
    )


def _stage(item: object, where: str, make: Callable[..., St], version: int) -> St:
    if isinstance(item, str):
        try:
            check_name("stage", item)
        except InvalidPipeline as error:
            raise SchemaError(where, str(error)) from None
        fields: dict[str, Any] = {"name": item}
    elif version == 1:
        fields = _fields(item, where, "stage", _STAGE_FIELDS_V1, ("name",))
    else:
        fields = _fields(item, where, "stage", _STAGE_FIELDS, ("name",))
    if version == 1:
        fields = _version_1_semantics(fields, where)
    try:
        return make(**fields)
    except InvalidPipeline as error:  # what needs the fields together: a final open stage
        raise SchemaError(where, str(error).removeprefix(f"stage {fields['name']!r}: ")) from None


def _inferred_version(stages: object) -> int:
    """The version of a document without ``schema_version``: 1, unless it cannot be."""
    items = stages if isinstance(stages, list | tuple) else ()
    for item in items:
        if isinstance(item, Mapping) and not _VERSION_2_STAGE_KEYS.isdisjoint(item):
            return SPEC_VERSION
    return 1


def _own_version(document: object, stages: object) -> tuple[int, object]:
    """The document's version and the document without its ``schema_version`` key."""
    if not isinstance(document, Mapping) or "schema_version" not in document:
        return _inferred_version(stages), document
    version = document["schema_version"]
    check_schema_version(version, SPEC_VERSION)
    rest = {key: value for key, value in document.items() if key != "schema_version"}
    return version, rest


def _transition(item: object, where: str, make: Callable[..., T]) -> T:
    checks = {**_TRANSITION_FIELDS, "sources": lambda value: value}
    fields = _fields(item, where, "transition", checks, ("event", "sources", "target"))
    sources = fields["sources"]
    if isinstance(sources, str):
        names: list[object] = [sources]
        paths = [f"{where}.sources"]
    else:
        names = _list(sources, f"{where}.sources", "stage names", MAX_SOURCES)
        paths = [f"{where}.sources[{index}]" for index in range(len(names))]
    for name, path in zip(names, paths, strict=True):
        try:
            check_name("stage", name)
        except InvalidPipeline as error:
            raise SchemaError(path, str(error)) from None
    fields["sources"] = tuple(names)
    try:
        return make(**fields)
    except InvalidPipeline as error:  # what needs the fields together: a repeated source
        raise SchemaError(where, str(error)) from None


def _guards(document: object, events: set[str]) -> dict[str, Qualifier]:
    if not isinstance(document, Mapping):
        raise SchemaError(
            "$.guards",
            f"expected an object mapping event names to qualifier documents, got {got(document)}",
        )
    guards: dict[str, Qualifier] = {}
    nodes = 0
    for event, doc in document.items():
        where = _key("$.guards", event)
        if event not in events:
            raise SchemaError(
                where, f"not an event of the pipeline; events: {', '.join(sorted(events))}"
            )
        try:
            guards[event] = _qualifier(doc)
        except SchemaError as error:
            raise SchemaError(where + error.path.removeprefix("$"), error.problem) from None
        nodes += count_nodes([guards[event]], MAX_GUARD_NODES)
        if nodes > MAX_GUARD_NODES:
            raise SchemaError(
                where,
                f"the guards have more than {MAX_GUARD_NODES:,} qualifier nodes together"
                " (the limit: docs/limits.md)",
            )
    return guards


def _qualifier(document: object) -> Qualifier:
    # A guard document as pk.to_dict writes it may carry its format's schema_version.
    if isinstance(document, Mapping) and "schema_version" in document:
        version = document["schema_version"]
        if type(version) is not int or version != qualifier_schema.FORMAT_VERSION:
            raise SchemaError(
                "$.schema_version",
                f"unsupported schema_version {got(version)}; this pipelinekit reads"
                f" {qualifier_schema.FORMAT_VERSION}",
            )
        document = {key: value for key, value in document.items() if key != "schema_version"}
    return qualifier_schema.structure(document)


def read_stage(document: object, *, stage: Callable[..., St]) -> St:
    """Build one stage from its document (a name or an object), as a spec reads it.

    The document may carry its own ``schema_version`` (``pk.to_dict`` writes it).
    """
    try:
        return _read_stage(document, stage)
    except SchemaError as error:
        raise masked_error(error) from None


def _read_stage(document: object, stage: Callable[..., St]) -> St:
    version, document = _own_version(document, [document])
    return _stage(document, "$", stage, version)


def read_transition(document: object, *, transition: Callable[..., T]) -> T:
    """Build one transition from its document, as a spec reads it."""
    try:
        return _read_transition(document, transition)
    except SchemaError as error:
        raise masked_error(error) from None


def _read_transition(document: object, transition: Callable[..., T]) -> T:
    _, document = _own_version(document, ())
    return _transition(document, "$", transition)


def read_spec(
    document: object,
    *,
    spec: Callable[..., S],
    stage: Callable[..., St],
    transition: Callable[..., T],
) -> S:
    """Build a spec from ``document``; see :meth:`PipelineSpec.from_dict`.

    The classes are passed in (``PipelineSpec``, ``StageSpec``, ``Transition``), so this
    module needs nothing from the one that defines them: the spec imports the reader,
    never the other way round. Personal data in a ``SchemaError`` is masked
    (``_checks.masked_error``), as ``pk.from_dict`` masks it.
    """
    try:
        return _read_spec(document, spec, stage, transition)
    except SchemaError as error:
        raise masked_error(error) from None


def _read_spec(
    document: object,
    spec: Callable[..., S],
    stage: Callable[..., St],
    transition: Callable[..., T],
) -> S:
    if not isinstance(document, Mapping):
        raise SchemaError(
            "$",
            f"expected a pipeline document (an object), got {got(document)}",
        )
    for key in document:
        if key not in _DOCUMENT_KEYS:
            allowed = ", ".join(sorted(_DOCUMENT_KEYS))
            raise SchemaError(_key("$", key), f"unknown key; a pipeline document has: {allowed}")
    version, _ = _own_version(document, document.get("stages"))
    for key in ("stages", "transitions"):
        if key not in document:
            raise SchemaError("$", f"missing key {key!r}")
    name = document.get("name", "Pipeline")
    try:
        check_name("pipeline", name)
    except InvalidPipeline as error:
        raise SchemaError("$.name", str(error)) from None
    stages = [
        _stage(item, f"$.stages[{index}]", stage, version)
        for index, item in enumerate(_list(document["stages"], "$.stages", "stages", MAX_STAGES))
    ]
    items = _list(document["transitions"], "$.transitions", "transitions", MAX_TRANSITIONS)
    transitions = [
        _transition(item, f"$.transitions[{index}]", transition) for index, item in enumerate(items)
    ]
    # Every item was read as a transition object: each has a checked "event".
    events = {item["event"] for item in items if isinstance(item, Mapping)}
    guards = _guards(document.get("guards", {}), events)
    return spec(stages=stages, transitions=transitions, guards=guards, name=name)
