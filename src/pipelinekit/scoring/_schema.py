"""The JSON format of points and grade models (version 1), read by ``pk.from_dict``.

Tagged documents in the style of the qualifier format: every model and rule is an
object with a ``"kind"``; rules embed qualifier documents under ``"when"``; points are
decimal strings (ints are read too); durations are ``{"days": .., "seconds": ..,
"microseconds": ..}`` objects. Reading never evaluates code and is bounded: a document
holds at most :data:`MAX_DOCUMENT_VALUES` JSON values (every object, list and scalar,
embedded qualifiers included) and nests at most :data:`MAX_DOCUMENT_NESTING` levels, checked
before anything is built; every problem is a :class:`~pipelinekit.SchemaError` whose
``path`` names the place (``$.rules[2].decay.percent``).

>>> import pipelinekit as pk
>>> from datetime import timedelta
>>> model = pk.PointsModel(rules=[
...     pk.Rule(pk.field("account.employees") >= 100, points=20),
...     pk.EventRule(channel="email", points=5, decay=pk.Decay.half_life(timedelta(days=14)))])
>>> doc = pk.to_dict(model)
>>> doc["rules"][1]
{'kind': 'event_rule', 'channel': 'email', 'touchpoint_kind': None, 'points': '5',
 'group': 'engagement', 'decay': {'kind': 'half_life', 'every': {'days': 14}},
 'window': None, 'max_events': None}
>>> pk.from_dict(doc, pk.PointsModel) == model
True
>>> doc["rules"][1]["decay"]["every"] = {"days": 0}
>>> pk.from_dict(doc, pk.PointsModel)
Traceback (most recent call last):
...
pipelinekit.errors.SchemaError: $.rules[1].decay.every: must be a positive duration, got 0:00:00

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeVar

from pipelinekit._checks import describe, got, path_key
from pipelinekit.errors import FieldError, SchemaError, UnsupportedType
from pipelinekit.qualifiers import Qualifier
from pipelinekit.qualifiers import schema as qualifier_schema
from pipelinekit.scoring._points_decay import Decay
from pipelinekit.scoring._points_grades import MAX_CRITERIA, Criterion, Grade, GradeLine, GradeModel
from pipelinekit.scoring._points_rules import EventRule, Rule
from pipelinekit.scoring._points_score import Score, ScoreLine
from pipelinekit.scoring.points import MAX_RULES, PointsModel, ScoreMatrix

if TYPE_CHECKING:
    import cattrs  # only in annotations: serialization imports it with its converters

__all__ = [
    "MAX_DOCUMENT_NESTING",
    "MAX_DOCUMENT_VALUES",
    "register",
    "structure_grade_model",
    "structure_points_model",
    "unstructure_grade_model",
    "unstructure_points_model",
]

#: The most JSON values (objects, lists and scalars, at any depth) in one model document.
MAX_DOCUMENT_VALUES: Final = 200_000
#: The deepest nesting of lists and objects in one model document (a rule's qualifier
#: sits three levels below the top).
MAX_DOCUMENT_NESTING: Final = qualifier_schema.MAX_NESTING + 3
_UNITS: Final = ("days", "seconds", "microseconds")
_MAX_UNIT: Final = 10**9
T = TypeVar("T")


# --- writing -------------------------------------------------------------------------


def _delta(delta: timedelta | None) -> dict[str, int] | None:
    if delta is None:
        return None
    parts = {"days": delta.days, "seconds": delta.seconds, "microseconds": delta.microseconds}
    return {k: v for k, v in parts.items() if v or k == "days"}


def _points(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decay(decay: Decay | None) -> dict[str, Any] | None:
    if decay is None:
        return None
    doc: dict[str, Any] = {"kind": decay.kind, "every": _delta(decay.every)}
    if decay.percent is not None:
        doc["percent"] = str(decay.percent)
    return doc


def _rule(rule: Rule | EventRule) -> dict[str, Any]:
    if type(rule) is Rule:
        return {
            "kind": "rule",
            "when": qualifier_schema.unstructure(rule.when),
            "points": str(rule.points),
            "group": rule.group,
        }
    event: EventRule = rule  # type: ignore[assignment]  # the other kind
    return {
        "kind": "event_rule",
        "channel": event.channel.value,
        "touchpoint_kind": event.kind,
        "points": str(event.points),
        "group": event.group,
        "decay": _decay(event.decay),
        "window": _delta(event.window),
        "max_events": event.max_events,
    }


def _matrix(matrix: ScoreMatrix | None) -> dict[str, Any] | None:
    if matrix is None:
        return None
    return {
        "fit": [str(t) for t in matrix.fit],
        "engagement": [str(t) for t in matrix.engagement],
        "fit_group": matrix.fit_group,
        "engagement_group": matrix.engagement_group,
    }


def unstructure_points_model(model: PointsModel) -> dict[str, Any]:
    """The document of a points model (``pk.to_dict`` adds ``schema_version``)."""
    return {
        "kind": "points_model",
        "rules": [_rule(rule) for rule in model.rules],
        "group_caps": {k: str(v) for k, v in model.group_caps.items()},
        "group_floors": {k: str(v) for k, v in model.group_floors.items()},
        "cap": _points(model.cap),
        "floor": _points(model.floor),
        "thresholds": {k: str(v) for k, v in model.thresholds.items()},
        "matrix": _matrix(model.matrix),
    }


def unstructure_grade_model(model: GradeModel) -> dict[str, Any]:
    """The document of a grade model."""
    return {
        "kind": "grade_model",
        "criteria": [
            {"when": qualifier_schema.unstructure(c.when), "steps": c.steps} for c in model.criteria
        ],
        "start": model.start,
    }


# --- reading -------------------------------------------------------------------------


def _precheck(data: object) -> None:
    """Refuse a document too large or too deep, iteratively, before reading it."""
    stack: list[tuple[object, str, int]] = [(data, "$", 1)]
    count = 0
    while stack:
        item, path, nesting = stack.pop()
        count += 1
        if count > MAX_DOCUMENT_VALUES:
            raise SchemaError(path, f"document holds more than {MAX_DOCUMENT_VALUES} values")
        if type(item) is dict:
            entries: list[tuple[str, object]] = [(path + path_key(k), v) for k, v in item.items()]
        elif type(item) is list:
            entries = [(f"{path}[{i}]", v) for i, v in enumerate(item)]
        else:
            continue
        if nesting > MAX_DOCUMENT_NESTING:
            raise SchemaError(
                path, f"nested deeper than {MAX_DOCUMENT_NESTING} levels of lists and objects"
            )
        stack.extend((value, at, nesting + 1) for at, value in entries)


def _object(data: object, path: str, kind: str | None, keys: dict[str, bool]) -> dict[str, Any]:
    """``data`` as an object with ``keys`` (name -> required) and, if given, that ``kind``."""
    if type(data) is not dict:
        raise SchemaError(path, f"expected an object, got {got(data)}")
    allowed = set(keys) | ({"kind"} if kind is not None else set())
    extra = sorted(str(k) for k in data if k not in allowed)
    if extra:
        raise SchemaError(path, f"unknown field(s) {', '.join(repr(k) for k in extra)}")
    if kind is not None and data.get("kind") != kind:
        raise SchemaError(f"{path}.kind", f"expected {kind!r}, got {describe(data.get('kind'))}")
    for key, required in keys.items():
        if required and key not in data:
            raise SchemaError(f"{path}.{key}", "required field is missing")
    return data


#: An event rule's field whose document key differs from the argument's name.
_EVENT_FIELD_KEYS: Final = {"kind": "touchpoint_kind"}


def _built(
    path: str,
    build: Callable[..., T],
    *args: object,
    keys: Mapping[str, str] = MappingProxyType({}),
    **kwargs: object,
) -> T:
    """``build(...)``, its field errors as SchemaErrors at ``path`` plus the field's key."""
    try:
        return build(*args, **kwargs)
    except FieldError as error:
        problem = str(error).removeprefix(f"{error.field}: ")
        field = keys.get(error.field, error.field)
        at = path if not field or field.startswith(("$", "[")) else _field_path(path, field)
        raise SchemaError(at, problem) from None


def _field_path(path: str, field: str) -> str:
    # "rules[3]" and "group_caps['x']" name a place inside the field.
    name, _, rest = field.partition("[")
    if not rest:
        return f"{path}.{name}"
    inner = rest.removesuffix("]")
    key = inner.strip("'\"")
    return f"{path}.{name}[{inner}]" if inner.isdigit() else f"{path}.{name}{path_key(key)}"


def _qualifier(data: object, path: str) -> Qualifier:
    try:
        return qualifier_schema.structure(data)
    except SchemaError as error:
        raise SchemaError(path + error.path.removeprefix("$"), error.problem) from None


def _read_delta(value: object, path: str) -> timedelta:
    if type(value) is not dict or not value or not set(value) <= set(_UNITS):
        raise SchemaError(
            path, f"expected an object with keys from {', '.join(_UNITS)}, got {describe(value)}"
        )
    for unit, amount in value.items():
        if type(amount) is not int or not -_MAX_UNIT <= amount <= _MAX_UNIT:
            raise SchemaError(
                f"{path}.{unit}",
                f"expected an int between -10**9 and 10**9, got {describe(amount)}",
            )
    try:
        return timedelta(**value)
    except OverflowError:
        raise SchemaError(path, f"duration out of range: {describe(value)}") from None


def _optional_delta(value: object, path: str) -> timedelta | None:
    return None if value is None else _read_delta(value, path)


def _read_decay(data: object, path: str) -> Decay | None:
    if data is None:
        return None
    doc = _object(data, path, None, {"kind": True, "every": True, "percent": False})
    every = _read_delta(doc["every"], f"{path}.every")
    if doc["kind"] == "linear":
        if "percent" not in doc:
            raise SchemaError(f"{path}.percent", "required field is missing")
        return _built(path, Decay.linear, percent=doc["percent"], every=every)
    if doc["kind"] == "half_life":
        if "percent" in doc:
            raise SchemaError(f"{path}.percent", "a half-life decay has no percent")
        return _built(path, Decay.half_life, every)
    raise SchemaError(
        f"{path}.kind", f"expected 'linear' or 'half_life', got {describe(doc['kind'])}"
    )


_RULE_KEYS: Final = {"when": True, "points": True, "group": False}
_EVENT_KEYS: Final = {
    "channel": True,
    "touchpoint_kind": False,
    "points": True,
    "group": False,
    "decay": False,
    "window": False,
    "max_events": False,
}


def _read_rule(data: object, path: str) -> Rule | EventRule:
    kind = data.get("kind") if type(data) is dict else None
    if kind == "rule":
        doc = _object(data, path, "rule", _RULE_KEYS)
        when = _qualifier(doc["when"], f"{path}.when")
        extra = {"group": doc["group"]} if "group" in doc else {}
        return _built(path, Rule, when, points=doc["points"], **extra)
    if kind == "event_rule":
        doc = _object(data, path, "event_rule", _EVENT_KEYS)
        extra = {"group": doc["group"]} if "group" in doc else {}
        return _built(
            path,
            EventRule,
            keys=_EVENT_FIELD_KEYS,
            channel=doc["channel"],
            kind=doc.get("touchpoint_kind"),
            points=doc["points"],
            decay=_read_decay(doc.get("decay"), f"{path}.decay"),
            window=_optional_delta(doc.get("window"), f"{path}.window"),
            max_events=doc.get("max_events"),
            **extra,
        )
    if type(data) is not dict:
        raise SchemaError(path, f"expected a rule object, got {got(data)}")
    raise SchemaError(f"{path}.kind", f"expected 'rule' or 'event_rule', got {describe(kind)}")


def _list(value: object, path: str) -> list[Any]:
    if type(value) is not list:
        raise SchemaError(path, f"expected a list, got {got(value)}")
    return value


def _read_matrix(data: object, path: str) -> ScoreMatrix | None:
    if data is None:
        return None
    keys = {"fit": True, "engagement": True, "fit_group": False, "engagement_group": False}
    doc = _object(data, path, None, keys)
    fit = _list(doc["fit"], f"{path}.fit")
    engagement = _list(doc["engagement"], f"{path}.engagement")
    extra = {k: doc[k] for k in ("fit_group", "engagement_group") if k in doc}
    return _built(path, ScoreMatrix, fit=fit, engagement=engagement, **extra)


_MODEL_KEYS: Final = {
    "rules": True,
    "group_caps": False,
    "group_floors": False,
    "cap": False,
    "floor": False,
    "thresholds": False,
    "matrix": False,
}


def structure_points_model(data: object, _: object = None) -> PointsModel:
    """Read a points model document; raise :class:`~pipelinekit.SchemaError` naming the place."""
    _precheck(data)
    doc = _object(data, "$", "points_model", _MODEL_KEYS)
    rules = _list(doc["rules"], "$.rules")
    if len(rules) > MAX_RULES:
        raise SchemaError("$.rules", f"more than {MAX_RULES} rules")
    read = [_read_rule(rule, f"$.rules[{i}]") for i, rule in enumerate(rules)]
    mappings = {}
    for key in ("group_caps", "group_floors", "thresholds"):
        value = doc.get(key, {})
        if type(value) is not dict:
            raise SchemaError(f"$.{key}", f"expected an object, got {got(value)}")
        mappings[key] = value
    return _built(
        "$",
        PointsModel,
        rules=read,
        cap=doc.get("cap"),
        floor=doc.get("floor"),
        matrix=_read_matrix(doc.get("matrix"), "$.matrix"),
        **mappings,
    )


def structure_grade_model(data: object, _: object = None) -> GradeModel:
    """Read a grade model document; raise :class:`~pipelinekit.SchemaError` naming the place."""
    _precheck(data)
    doc = _object(data, "$", "grade_model", {"criteria": True, "start": False})
    entries = _list(doc["criteria"], "$.criteria")
    if len(entries) > MAX_CRITERIA:
        raise SchemaError("$.criteria", f"more than {MAX_CRITERIA} criteria")
    criteria = []
    for i, entry in enumerate(entries):
        at = f"$.criteria[{i}]"
        item = _object(entry, at, None, {"when": True, "steps": False})
        when = _qualifier(item["when"], f"{at}.when")
        extra = {"steps": item["steps"]} if "steps" in item else {}
        criteria.append(_built(at, Criterion, when, **extra))
    extra = {"start": doc["start"]} if "start" in doc else {}
    return _built("$", GradeModel, criteria=criteria, **extra)


def _an(word: str) -> str:
    return "an" if word[:1] in "AEIOU" else "a"


def _single(reader: Callable[[object, str], object], cls: type[T]) -> Callable[[object, object], T]:
    """A structure hook for a model's part read on its own (``pk.from_dict(doc, pk.Decay)``)."""

    def structure(data: object, _: object) -> T:
        if data is None:
            raise SchemaError("$", f"expected a {cls.__name__} object, got null")
        built = reader(data, "$")
        if not isinstance(built, cls):
            wanted, found = cls.__name__, type(built).__name__
            raise SchemaError(
                "$.kind", f"expected {_an(wanted)} {wanted} document, got {_an(found)} {found} one"
            )
        return built

    return structure


def register(converter: cattrs.Converter) -> None:
    """Register the points and grade model hooks (and their parts') on ``converter``."""
    converter.register_unstructure_hook(PointsModel, unstructure_points_model)
    converter.register_structure_hook(PointsModel, structure_points_model)
    converter.register_unstructure_hook(GradeModel, unstructure_grade_model)
    converter.register_structure_hook(GradeModel, structure_grade_model)
    converter.register_unstructure_hook(Rule, _rule)
    converter.register_unstructure_hook(EventRule, _rule)
    converter.register_structure_hook(Rule, _single(_read_rule, Rule))
    converter.register_structure_hook(EventRule, _single(_read_rule, EventRule))
    converter.register_unstructure_hook(Decay, _decay)
    converter.register_structure_hook(Decay, _single(_read_decay, Decay))
    converter.register_unstructure_hook(ScoreMatrix, _matrix)
    converter.register_structure_hook(ScoreMatrix, _single(_read_matrix, ScoreMatrix))
    for result in (Score, ScoreLine, Grade, GradeLine):
        converter.register_unstructure_hook(result, _no_document)
        converter.register_structure_hook(result, _no_document)


def _no_document(value: object, target: object = None) -> Any:
    """Scores and grades are results, not documents: store the model and score again."""
    raise UnsupportedType(
        type(value) if target is None else target,
        "a score or grade has no document form: it is computed from the model, the contact "
        "and at; store the model (pk.to_dict(model)) and score again",
    )
