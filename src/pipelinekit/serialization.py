"""JSON-ready dictionaries in and out: :func:`to_dict` and :func:`from_dict`.

One preconfigured cattrs converter does the work. Documents are plain JSON types
(``json.dumps`` works on them): :class:`~pipelinekit.Money` is
``{"amount": "25000.00", "currency": "EUR"}``, dates and datetimes are ISO 8601
strings, enums are their values, tuples are lists. An entity's document keeps its
fields at the top level and carries ``"schema_version"`` so later versions of
pipelinekit can read data written by this one.

Reading is strict: any input that does not fit raises :class:`~pipelinekit.SchemaError`
whose ``path`` says where (``$.account.employees: expected int, got str '12'``). The
fast path structures without detailed validation; only when that fails does a second,
detailed pass run to find the path.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import collections.abc
import enum
import functools
import operator
import sys
import threading
import types
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import (
    TYPE_CHECKING,
    Any,
    Final,
    TypeAlias,
    TypeVar,
    Union,
    get_args,
    get_origin,
    overload,
)

import attrs

from pipelinekit._checks import (
    DECIMAL_TEXT,
    FactValue,
    check_schema_version,
    describe,
    got,
    mask_text,
    masked_error,
    path_key,
)
from pipelinekit._dumpers import DUMPERS, dump_money
from pipelinekit._loaders import DATE_TEXT, DATETIME_TEXT, LOADERS, load_money
from pipelinekit.entities import (
    Account,
    Contact,
    Opportunity,
    StageChange,
    Stakeholder,
    Touchpoint,
)
from pipelinekit.errors import (
    FieldError,
    InvalidPipeline,
    InvalidTransition,
    SchemaError,
    UnsupportedType,
)
from pipelinekit.lifecycle import BulkResult, NextAction, PipelineSpec, StageSpec, Step, Transition
from pipelinekit.lifecycle._documents import SPEC_VERSION, read_spec, read_stage, read_transition
from pipelinekit.qualifiers import Qualifier, Verdict, verdict_schema
from pipelinekit.qualifiers import schema as qualifier_schema
from pipelinekit.scoring import _documents as predictive_documents
from pipelinekit.scoring import _schema as scoring_schema
from pipelinekit.stages import Stage, StageInfo
from pipelinekit.values import Money

if TYPE_CHECKING:
    # cattrs is imported with the converters, on first use: ``import pipelinekit`` does
    # not pay for it (see docs/performance.md).
    import cattrs

__all__ = [
    "JSON",
    "SCHEMA_VERSION",
    "VERSION_WHEN_ABSENT",
    "Document",
    "converter",
    "from_dict",
    "to_dict",
]

T = TypeVar("T")

#: A JSON value as :func:`to_dict` writes it and ``json.loads`` reads it: objects with
#: ``str`` keys, lists, ``str``, ``int``, ``float``, ``bool`` and ``None``.
JSON: TypeAlias = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None
#: The document of an object (an entity, ``Money``, a qualifier, a verdict, a spec, a
#: lifecycle result): a JSON object. Its values are JSON; they are typed ``Any`` (as
#: ``json.loads`` is) so that reading ``doc["account"]["name"]`` needs no casts.
Document: TypeAlias = dict[str, Any]

#: The version written to (and expected in) every document's ``schema_version``.
SCHEMA_VERSION: Final = 1
#: The version a document without ``schema_version`` is read as. Fixed at 1, not "the
#: current version": data written before the key existed keeps its meaning when the
#: format changes (a later version then upgrades it like any other version-1 document).
VERSION_WHEN_ABSENT: Final = 1

_DATE: Final = DATE_TEXT
_DATETIME: Final = DATETIME_TEXT


class _Bad(TypeError):  # private
    """A structuring hook rejected a value; the message is the problem description."""


# --- primitives ------------------------------------------------------------------


def _strict(expected: type, label: str) -> Callable[[object, object], Any]:
    def structure(value: object, tp: object) -> Any:
        if tp is not expected and _is_enum(tp):  # a str- or int-based enum
            return _structure_enum(value, tp)
        if type(value) is expected:
            return value
        raise _Bad(f"expected {label}, got {got(value)}")

    return structure


def _structure_float(value: object, _: object) -> float:
    if type(value) is float:
        return value
    if type(value) is int:
        return float(value)
    raise _Bad(f"expected number, got {got(value)}")


def _structure_decimal(value: object, _: object) -> Decimal:
    # Plain ASCII decimal text only: Decimal() alone reads " 0.5 ", "0_5" and other digits.
    if type(value) is int or (type(value) is str and DECIMAL_TEXT.fullmatch(value)):
        try:
            return Decimal(value)
        except InvalidOperation:
            pass
    raise _Bad(f"expected a decimal number as a string, got {got(value)}")


def _structure_date(value: object, _: object) -> date:
    if type(value) is str and _DATE.fullmatch(value) is not None:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _Bad(f"expected an ISO 8601 date string (YYYY-MM-DD), got {got(value)}")


def _structure_datetime(value: object, _: object) -> datetime:
    if type(value) is str and _DATETIME.fullmatch(value) is not None:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if moment.utcoffset() is not None:
                return moment
            # The words of the entities' own check (AwareDatetime): one message for one rule.
            raise _Bad(f"datetime must be timezone-aware, got naive {moment.isoformat()}")
    raise _Bad(
        "expected an ISO 8601 date-time string with offset (YYYY-MM-DDTHH:MM:SS+HH:MM),"
        f" got {got(value)}"
    )


_MONEY_KEYS: Final = frozenset({"amount", "currency"})
_MONEY_DOCUMENT_KEYS: Final = _MONEY_KEYS | {"schema_version"}


def _structure_money(value: object, _: object) -> Money:
    try:
        money = load_money(value)
    except Exception:  # not plainly valid: the careful path says why
        money = None
    return _structure_money_carefully(value) if money is None else money


def _structure_money_carefully(value: object) -> Money:
    """Everything but the common case: a ``schema_version``, or an error at its path."""
    if type(value) is not dict:
        raise _Bad(
            'expected {"amount": "<decimal string>", "currency": "<ISO 4217 code>"}, got '
            f"{got(value)}"
        )
    extra = value.keys() - _MONEY_DOCUMENT_KEYS
    if extra:
        raise SchemaError("$", f"unknown field(s) {_names(extra)}")
    for key in ("amount", "currency"):
        if key not in value:
            raise SchemaError(f"$.{key}", "required field is missing")
    if "schema_version" in value:
        _check_version(value["schema_version"])
    amount = value["amount"]
    if type(amount) is float:
        raise SchemaError("$.amount", f"float {amount!r} is not exact, use a string")
    if type(amount) is not str and type(amount) is not int:
        raise SchemaError("$.amount", f"expected a decimal string, got {got(amount)}")
    return Money(amount, value["currency"])


def _structure_facts(value: object, _: object) -> Mapping[str, FactValue]:
    if type(value) is dict:
        return value
    raise _Bad(f"expected an object of facts, got {got(value)}")


def _names(keys: AbstractSet[str]) -> str:
    return ", ".join(describe(name) for name in sorted(keys))


def _check_version(version: object, path: str = "$.schema_version") -> None:
    """Refuse a ``schema_version`` this pipelinekit cannot read, at ``path``."""
    check_schema_version(version, SCHEMA_VERSION, path)


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


def _structure_enum(value: object, tp: Any) -> Any:
    return _enum_hook(tp)(value, tp)


@functools.cache
def _enum_hook(cls: type[enum.Enum]) -> Callable[[object, object], Any]:
    """Strict: exactly a member's value, of its exact type (never a look-alike ``True``)."""
    members = {(type(m._value_), m._value_): m for m in cls.__members__.values()}
    kinds = frozenset(kind for kind, _ in members)
    allowed = describe(", ".join(repr(value) for _, value in members), 200)[1:-1]

    def structure(value: object, _: object) -> Any:
        kind = type(value)
        if kind in kinds:
            member = members.get((kind, value))
            if member is not None:
                return member
        raise _Bad(f"expected one of {allowed}, got {got(value)}")

    return structure


#: Generic containers: JSON lists become lists, sets and frozensets (``Sequence`` a
#: tuple), JSON objects dicts. Nothing else is one: cattrs alone would split a ``str``
#: into letters and read a dict as its keys.
_LIST_ORIGINS: Final[Mapping[Any, Callable[[list[Any]], Any]]] = {
    list: list,
    collections.abc.MutableSequence: list,
    collections.abc.Sequence: tuple,
    collections.abc.Iterable: list,
    collections.abc.Collection: list,
    set: set,
    collections.abc.MutableSet: set,
    frozenset: frozenset,
    AbstractSet: frozenset,
}
_MAPPING_ORIGINS: Final = frozenset({dict, collections.abc.Mapping, collections.abc.MutableMapping})


def _container_origin(tp: Any) -> Any:
    return get_origin(tp) or (tp if isinstance(tp, type) else None)


def _is_list_like(tp: Any) -> bool:
    return _container_origin(tp) in _LIST_ORIGINS


def _is_mapping_like(tp: Any) -> bool:
    return _container_origin(tp) in _MAPPING_ORIGINS and tp != Mapping[str, FactValue]


def _list_items(value: object, handler: Callable[[Any, Any], Any], item_type: Any) -> list[Any]:
    """The items of a JSON list, each structured; an item's error carries its index."""
    if type(value) is not list:
        raise _Bad(f"expected a list, got {got(value)}")
    items = []
    for index, item in enumerate(value):
        try:
            items.append(handler(item, item_type))
        except Exception as exc:
            from cattrs.errors import IterableValidationNote  # noqa: PLC0415  # lazy, as above

            exc.add_note(IterableValidationNote(f"@ index {index}", index, item_type))
            raise
    return items


def _register_containers(conv: cattrs.Converter) -> None:
    """Generic ``list[X]``, ``set[X]``, ``dict[K, V]``...: only a JSON list or object is one."""
    from cattrs.errors import IterableValidationNote  # noqa: PLC0415  # lazy: see TYPE_CHECKING

    def list_hook(tp: Any) -> Callable[[object, object], Any]:
        build = _LIST_ORIGINS[_container_origin(tp)]
        (item_type,) = get_args(tp) or (Any,)
        handler = conv.get_structure_hook(item_type)

        def structure(value: object, _: object) -> Any:
            items = _list_items(value, handler, item_type)
            try:
                return build(items)
            except TypeError:  # an unhashable item for a set
                raise _Bad(f"a set holds hashable items, got {got(value)}") from None

        return structure

    def mapping_hook(tp: Any) -> Callable[[object, object], Any]:
        key_type, value_type = get_args(tp) or (Any, Any)
        key_handler = conv.get_structure_hook(key_type)
        value_handler = conv.get_structure_hook(value_type)

        def structure(value: object, _: object) -> Any:
            if type(value) is not dict:
                raise _Bad(f"expected an object, got {got(value)}")
            result = {}
            for key, item in value.items():
                try:
                    result[key_handler(key, key_type)] = value_handler(item, value_type)
                except Exception as exc:
                    exc.add_note(IterableValidationNote(f"@ key {key!r}", key, value_type))
                    raise
            return result

        return structure

    conv.register_structure_hook_factory(_is_list_like, list_hook)
    conv.register_structure_hook_factory(_is_mapping_like, mapping_hook)


def _is_optional(tp: Any) -> bool:
    origin = get_origin(tp)
    return (origin is Union or origin is types.UnionType) and type(None) in get_args(tp)


def _is_variadic_tuple(tp: Any) -> bool:
    args = get_args(tp)
    return bool(get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis)


def _is_fixed_tuple(tp: Any) -> bool:
    args = get_args(tp)
    return bool(get_origin(tp) is tuple and args and Ellipsis not in args)


def _is_set_type(tp: Any) -> bool:
    origin = get_origin(tp) or tp
    return origin in (set, frozenset, AbstractSet)


def _sorted_list(items: AbstractSet[Any]) -> list[Any]:
    """Sets become lists in a stable order (sorted; by type and repr when types mix)."""
    values = [_converter().unstructure(item) for item in items]
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=lambda v: (type(v).__name__, repr(v)))


def _unstructure_invalid_transition(error: InvalidTransition) -> dict[str, Any]:
    return {
        "event": error.event,
        "stage": None if error.stage is None else str(error.stage),
        "allowed": sorted(error.allowed),
        "message": str(error),
    }


def _fields_of(value: object, keys: tuple[str, ...], what: str) -> dict[str, Any]:
    """``value`` as an object with exactly ``keys`` (and maybe a valid ``schema_version``)."""
    if type(value) is not dict:
        raise _Bad(f"expected {what} object, got {got(value)}")
    extra = value.keys() - set(keys) - {"schema_version"}
    if extra:
        raise SchemaError("$", f"unknown field(s) {_names(extra)}")
    for key in keys:
        if key not in value:
            raise SchemaError(f"$.{key}", "required field is missing")
    if "schema_version" in value:
        _check_version(value["schema_version"])
    return value


def _text_at(document: dict[str, Any], key: str, *, optional: bool = False) -> Any:
    value = document[key]
    if type(value) is str or (value is None and optional):
        return value
    raise SchemaError(f"$.{key}", f"expected str{' or null' if optional else ''}, got {got(value)}")


def _structure_invalid_transition(value: object, _: object) -> InvalidTransition:
    document = _fields_of(value, ("event", "stage", "allowed", "message"), "an error")
    event = _text_at(document, "event")
    stage = _text_at(document, "stage", optional=True)
    allowed = document["allowed"]
    if type(allowed) is not list:
        raise SchemaError("$.allowed", f"expected a list of event names, got {got(allowed)}")
    for index, name in enumerate(allowed):
        if type(name) is not str:
            raise SchemaError(f"$.allowed[{index}]", f"expected str, got {got(name)}")
    if stage is not None:
        stage = Stage._value2member_map_.get(stage, stage)  # as the lifecycle raised it
    return InvalidTransition(event, stage, frozenset(allowed), _text_at(document, "message"))


def _unstructure_stage_info(info: StageInfo) -> dict[str, Any]:
    document: dict[str, Any] = info._asdict()
    document["default_probability"] = str(info.default_probability)
    return document


def _structure_stage_info(value: object, _: object) -> StageInfo:
    document = _fields_of(value, StageInfo._fields, "a stage metadata")
    fields: dict[str, Any] = {}
    for key, hook in _STAGE_INFO_HOOKS.items():
        try:
            fields[key] = hook(document[key], None)
        except _Bad as error:
            raise SchemaError(f"$.{key}", str(error)) from None
    return StageInfo(**fields)


_STAGE_INFO_HOOKS: Final[dict[str, Callable[[object, object], Any]]] = {
    "order": _strict(int, "int"),
    "is_terminal": _strict(bool, "bool"),
    "is_closed": _strict(bool, "bool"),
    "is_won": _strict(bool, "bool"),
    "default_probability": _structure_decimal,
}


def _structure_spec(value: object, _: object) -> PipelineSpec:
    # One reader for pipeline documents: the one behind PipelineSpec.from_dict.
    return read_spec(value, spec=PipelineSpec, stage=StageSpec, transition=Transition)


def _structure_stage_spec(value: object, _: object) -> StageSpec:
    return read_stage(value, stage=StageSpec)


def _structure_transition(value: object, _: object) -> Transition:
    return read_transition(value, transition=Transition)


def _register_documents(conv: cattrs.Converter) -> None:
    """Sets, the errors in bulk results, stage metadata and pipeline definitions."""
    conv.register_unstructure_hook_factory(_is_set_type, lambda _: _sorted_list)
    conv.register_unstructure_hook(InvalidTransition, _unstructure_invalid_transition)
    conv.register_structure_hook(InvalidTransition, _structure_invalid_transition)
    conv.register_unstructure_hook(StageInfo, _unstructure_stage_info)
    conv.register_structure_hook(StageInfo, _structure_stage_info)
    conv.register_structure_hook(PipelineSpec, _structure_spec)
    conv.register_structure_hook(StageSpec, _structure_stage_spec)
    conv.register_structure_hook(Transition, _structure_transition)


def _register_scalars(conv: cattrs.Converter) -> None:
    """Strict JSON scalars, and the enums (which are str subclasses)."""
    conv.register_structure_hook(str, _strict(str, "str"))
    conv.register_structure_hook(int, _strict(int, "int"))
    conv.register_structure_hook(bool, _strict(bool, "bool"))
    conv.register_structure_hook(float, _structure_float)
    # Every enum (Stage, Role, Channel, Outcome, a caller's), strictly by value. The
    # str- and int-based ones dispatch to the str or int hook, which hands them on.
    conv.register_structure_hook(enum.Enum, _structure_enum)
    # StrEnum and IntEnum list str and int before Enum in their MRO: named too.
    for base in (enum.Enum, enum.StrEnum, enum.IntEnum, enum.IntFlag):
        conv.register_unstructure_hook(base, _ENUM_VALUE)


def _register_tuples(conv: cattrs.Converter, *, detailed: bool) -> None:
    """Tuples are JSON lists: ``tuple[X, ...]`` of any length, ``tuple[X, Y]`` of two."""
    from cattrs.errors import IterableValidationNote  # noqa: PLC0415  # lazy: see TYPE_CHECKING
    from cattrs.fns import identity  # noqa: PLC0415

    def tuple_hook(tp: Any) -> Callable[[object, object], Any]:
        (item_type, _ellipsis) = get_args(tp)
        handler = conv.get_structure_hook(item_type)
        if detailed:

            def structure_detailed(value: object, _: object) -> tuple[Any, ...]:
                return tuple(_list_items(value, handler, item_type))

            return structure_detailed

        def structure(value: object, _: object) -> tuple[Any, ...]:
            if type(value) is not list:
                raise _Bad("expected a list")
            return tuple([handler(item, item_type) for item in value])

        return structure

    conv.register_structure_hook_factory(
        _is_variadic_tuple,
        tuple_hook,
    )

    def tuple_unstructure_hook(tp: Any) -> Callable[[tuple[Any, ...]], list[Any]]:
        handler = conv.get_unstructure_hook(get_args(tp)[0])
        if handler is identity:
            return list
        # map runs the loop in C: no comprehension frame per tuple (to_dict's hot path).
        return lambda items: list(map(handler, items))

    conv.register_unstructure_hook_factory(_is_variadic_tuple, tuple_unstructure_hook)

    def fixed_tuple_unstructure_hook(tp: Any) -> Callable[[tuple[Any, ...]], list[Any]]:
        # ``(contact, verdict)`` pairs in a bulk result: a JSON list, as every tuple.
        handlers = [conv.get_unstructure_hook(arg) for arg in get_args(tp)]
        return lambda items: [handler(item) for handler, item in zip(handlers, items, strict=True)]

    conv.register_unstructure_hook_factory(_is_fixed_tuple, fixed_tuple_unstructure_hook)

    def fixed_tuple_hook(tp: Any) -> Callable[[object, object], tuple[Any, ...]]:
        args = get_args(tp)
        hooks = [conv.get_structure_hook(arg) for arg in args]

        def structure(value: object, _: object) -> tuple[Any, ...]:
            if type(value) is not list or len(value) != len(args):
                raise _Bad(f"expected a list of {len(args)} items, got {got(value)}")
            items = []
            for index, (hook, arg, item) in enumerate(zip(hooks, args, value, strict=True)):
                try:
                    items.append(hook(item, arg))
                except Exception as exc:
                    if detailed:
                        exc.add_note(IterableValidationNote(f"@ index {index}", index, arg))
                    raise
            return tuple(items)

        return structure

    conv.register_structure_hook_factory(_is_fixed_tuple, fixed_tuple_hook)


def _make_converter(*, detailed: bool) -> cattrs.Converter:
    import cattrs  # noqa: PLC0415  # lazy: see TYPE_CHECKING
    from cattrs.fns import identity  # noqa: PLC0415

    conv = cattrs.Converter(detailed_validation=detailed, forbid_extra_keys=True)
    _register_scalars(conv)
    _register_containers(conv)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_structure_hook(date, _structure_date)
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_unstructure_hook(datetime, datetime.isoformat)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Money, _structure_money)
    conv.register_unstructure_hook(Money, dump_money)
    conv.register_structure_hook_func(lambda t: t == Mapping[str, FactValue], _structure_facts)
    conv.register_unstructure_hook_func(lambda t: t == Mapping[str, FactValue], dict)

    def optional_hook(tp: Any) -> Callable[[object, object], Any]:
        (inner,) = (a for a in get_args(tp) if a is not type(None))
        handler = conv.get_structure_hook(inner)

        def structure(value: object, _: object) -> Any:
            return None if value is None else handler(value, inner)

        return structure

    conv.register_structure_hook_factory(_is_optional, optional_hook)

    def optional_unstructure_hook(tp: Any) -> Callable[[Any], Any]:
        (inner,) = (a for a in get_args(tp) if a is not type(None))
        handler = conv.get_unstructure_hook(inner)
        if handler is identity:
            # None and the value both pass through; generated hooks then inline the field.
            return identity
        return lambda value: None if value is None else handler(value)

    conv.register_unstructure_hook_factory(_is_optional, optional_unstructure_hook)

    _register_tuples(conv, detailed=detailed)
    _register_documents(conv)
    _register_entities(conv, detailed=detailed)
    # Qualifier trees and verdicts: their JSON formats live with them.
    qualifier_schema.register(conv)
    verdict_schema.register(conv)
    scoring_schema.register(conv)  # points and grade models
    predictive_documents.register(conv)  # scoring models: their format lives with them
    if detailed:
        _register_results(conv)
    return conv


def _register_results(conv: cattrs.Converter) -> None:
    """Lifecycle results: cattrs' own hooks behind the entities' "an object" check.

    A result document (or one of its parts) that is not an object is then named as such
    at its path, not by the ``AttributeError`` or ``TypeError`` cattrs meets. Registered
    last: the hooks are built from those of every field (verdicts included).
    """
    from cattrs.gen import make_dict_structure_fn  # noqa: PLC0415  # lazy: see TYPE_CHECKING

    for cls in (Step, NextAction, BulkResult):
        conv.register_structure_hook(cls, _object_hook(make_dict_structure_fn(cls, conv)))


_ENTITY_CLASSES: Final[tuple[type[Any], ...]] = (
    Account,
    Stakeholder,
    Touchpoint,
    Opportunity,
    StageChange,
    Contact,
)


def _register_entities(conv: cattrs.Converter, *, detailed: bool) -> None:
    from cattrs.gen import (  # noqa: PLC0415  # lazy: see TYPE_CHECKING
        make_dict_structure_fn,
        make_dict_unstructure_fn,
        override,
    )

    for cls in _ENTITY_CLASSES:
        if detailed:
            # The generic hooks, which the fast writers must agree with (a test checks).
            # Contact.stage may hold a Stage member; documents carry the plain name.
            extra = {"stage": override(unstruct_hook=str)} if cls is Contact else {}
            unstructure = make_dict_unstructure_fn(cls, conv, **extra)  # type: ignore[arg-type]
            conv.register_unstructure_hook(cls, unstructure)
            conv.register_structure_hook(cls, _object_hook(make_dict_structure_fn(cls, conv)))
        else:
            conv.register_unstructure_hook(cls, DUMPERS[cls])
            conv.register_structure_hook(cls, _fast_object_hook(cls, conv))


#: An enum member's value. ``_value_`` is the plain attribute behind the ``value``
#: property (a descriptor); attrgetter reads it in C, with no Python frame.
_ENUM_VALUE: Final[Callable[[enum.Enum], Any]] = operator.attrgetter("_value_")


def _object_hook(hook: Callable[[Any, Any], T]) -> Callable[[object, object], T]:
    def structure(value: object, tp: object) -> T:
        if type(value) is not dict:
            raise _Bad(f"expected an object, got {got(value)}")
        if "schema_version" in value:
            # A nested document written by to_dict: accepted, and its version checked.
            _check_version(value["schema_version"])
            value = {key: item for key, item in value.items() if key != "schema_version"}
        return hook(value, tp)

    return structure


#: Fields whose attrs validator or converter already refuses every value of a wrong JSON
#: type, exactly as the strict structure hook of their type would: the fast path hands
#: them to the class untouched. Every other field (enums, dates, datetimes, Money,
#: nested entities, lists, facts) goes through its hook.
_CHECKED_BY_CLASS: Final[dict[type[Any], frozenset[str]]] = {
    Account: frozenset({"name", "industry", "employees", "country", "website", "id"}),
    Stakeholder: frozenset({"name", "role", "title", "email", "influence", "is_primary", "id"}),
    Touchpoint: frozenset({"channel", "kind", "note"}),
    Opportunity: frozenset({"probability", "next_step", "lost_reason", "id"}),
    StageChange: frozenset({"event", "source", "target", "by", "reason", "verdict"}),
    Contact: frozenset(
        {"id", "name", "email", "phone", "title", "source", "owner", "stage", "authority"}
        | {"need", "interest", "version"}
    ),
}

_MISSING: Final = object()


def _fast_object_hook(cls: type[Any], conv: cattrs.Converter) -> Callable[[object, object], Any]:
    """The fast path's structure hook for an entity class.

    Copies the document into keyword arguments with one C-level ``dict.copy``, runs the
    structure hooks only of the fields that need converting (see ``_CHECKED_BY_CLASS``)
    and lets the class's own validators check the rest. Any failure (an unknown or
    missing key included) sends :func:`from_dict` to the detailed pass for the message.
    """
    checked = _CHECKED_BY_CLASS[cls]
    allowed = frozenset(a.name for a in attrs.fields(cls)) | {"schema_version"}
    # Optional fields: ``None`` (or absent) passes through. Others: only "absent" does.
    optional: list[tuple[str, Callable[[Any, Any], Any], Any]] = []
    required: list[tuple[str, Callable[[Any, Any], Any], Any]] = []
    for a in attrs.fields(cls):
        if a.name in checked:
            continue
        tp = a.type
        if _is_optional(tp):
            (tp,) = (arg for arg in get_args(tp) if arg is not type(None))
            optional.append((a.name, conv.get_structure_hook(tp), tp))
        else:
            required.append((a.name, conv.get_structure_hook(tp), tp))
    missing = _MISSING
    load = LOADERS[cls]

    def structure(value: object, _: object) -> Any:
        if type(value) is not dict:
            raise _Bad(f"expected an object, got {got(value)}")
        try:
            built = load(value)  # a complete, plainly valid document (the common case)
        except Exception:  # not plainly valid: the generic path decides
            built = None
        if built is not None:
            return built
        if not allowed.issuperset(value):
            raise _Bad("unknown field")
        kwargs = value.copy()
        if "schema_version" in kwargs:
            _check_version(kwargs.pop("schema_version"))
        get = kwargs.get
        for name, hook, tp in optional:
            item = get(name)
            if item is not None:
                kwargs[name] = hook(item, tp)
        for name, hook, tp in required:
            item = get(name, missing)
            if item is not missing:
                kwargs[name] = hook(item, tp)
        return cls(**kwargs)

    return structure


#: The converters, built on first use (building them costs milliseconds that
#: ``import pipelinekit`` should not pay): ``False`` the fast one, ``True`` the detailed one.
_built: Final[dict[bool, cattrs.Converter]] = {}
_building: Final = threading.Lock()


def _converter(*, detailed: bool = False) -> cattrs.Converter:
    """The fast (or detailed) converter, built once, by one thread, on first use."""
    try:
        return _built[detailed]
    except KeyError:
        with _building:
            if detailed not in _built:
                # Published only when complete: other threads never see half a converter.
                _built[detailed] = _make_converter(detailed=detailed)
            return _built[detailed]


if TYPE_CHECKING:
    #: The preconfigured converter behind :func:`to_dict` / :func:`from_dict`. Register
    #: hooks for your own types on it.
    converter: cattrs.Converter
else:

    def __getattr__(name: str) -> Any:
        # ``pipelinekit.serialization.converter`` is built when first asked for.
        if name == "converter":
            return _converter()
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _is_document_type(cls: object) -> bool:
    """Whether documents of ``cls`` carry a top-level ``schema_version``.

    ``cls`` may be any type form (``list[int]``, ``int | None``): those are not classes
    and never carry a ``schema_version``.
    """
    return isinstance(cls, type) and (
        attrs.has(cls) or issubclass(cls, Qualifier) or cls is Verdict
    )


#: What ``to_dict`` writes as a JSON object: attrs classes (entities, ``Money``, specs,
#: lifecycle results, qualifiers), verdicts, stage metadata, the errors of bulk results.
_DocumentType: TypeAlias = attrs.AttrsInstance | Qualifier | Verdict | StageInfo | InvalidTransition


@overload
def to_dict(obj: enum.Enum) -> JSON: ...  # first: pyright matches members to AttrsInstance
@overload
def to_dict(obj: _DocumentType) -> Document: ...
@overload
def to_dict(obj: object) -> JSON: ...
def to_dict(obj: object) -> JSON:
    """Turn a pipelinekit object into JSON-ready builtins.

    Entity documents carry a top-level ``"schema_version"``.

    >>> import json
    >>> import pipelinekit as pk
    >>> acme = pk.Account(name="Acme", employees=3, annual_revenue=pk.Money("1e6", "USD"))
    >>> doc = pk.to_dict(acme)
    >>> json.dumps(doc, sort_keys=True)  # doctest: +NORMALIZE_WHITESPACE
    '{"annual_revenue": {"amount": "1000000", "currency": "USD"}, "country": null,
      "employees": 3, "id": null, "industry": null, "name": "Acme", "schema_version": 1,
      "website": null}'

    Raises:
        UnsupportedType: ``obj`` has no document form (a :class:`~pipelinekit.Pipeline`,
            an arbitrary object).

    .. versionadded:: 0.1.0
    """
    data: JSON = _converter().unstructure(obj)
    if type(data) is dict:
        if _is_document_type(type(obj)):
            data["schema_version"] = _OWN_VERSIONS.get(type(obj), SCHEMA_VERSION)
    elif data is obj and not isinstance(obj, _JSON_SCALARS):
        # cattrs passes objects it knows nothing about through unchanged.
        raise UnsupportedType(
            type(obj), f"pipelinekit has no document form for {type(obj).__name__}"
        )
    return data


_JSON_SCALARS: Final = (str, int, float, bool, type(None))
#: Document types with a format version of their own (read and checked by their reader).
_OWN_VERSIONS: Final[dict[type, int]] = {
    PipelineSpec: SPEC_VERSION,
    StageSpec: SPEC_VERSION,
    Transition: SPEC_VERSION,
}

#: Targets ``from_dict`` has already accepted, and whether they are document types.
_TARGETS: Final[dict[Any, bool]] = {}
_SUPPORTED: Final = (
    "pass a type such as pk.Contact, pk.Account, pk.Money, pk.Qualifier, pk.Verdict, "
    "pk.Stage, list[pk.Contact] or str"
)


def _type_text(cls: type[Any]) -> str:
    """A class as a user spells it: ``pk.Score``, ``int``, ``None``, else its full name."""
    if cls is type(None):
        return "None"
    name = cls.__qualname__
    if cls.__module__ == "builtins":
        return name
    top = sys.modules.get("pipelinekit")  # imported by now: this module is part of it
    if top is not None and getattr(top, name, None) is cls:
        return f"pk.{name}"
    return f"{cls.__module__}.{name}"


def _target_text(cls: object) -> str:
    """A target type as a user spells it (``pk.Score``, ``list[pk.Contact]``), else its repr."""
    if isinstance(cls, type):
        return _type_text(cls)
    origin = get_origin(cls)
    if origin is types.UnionType or origin is Union:
        return " | ".join(_target_text(a) for a in get_args(cls))
    if isinstance(origin, type) and get_args(cls):
        return f"{_target_text(origin)}[{', '.join(_target_text(a) for a in get_args(cls))}]"
    return describe(cls)


def _cannot_build(cls: object, why: str) -> UnsupportedType:
    """The refusal of a target type ``from_dict`` cannot build, and why."""
    return UnsupportedType(cls, f"from_dict cannot build {_target_text(cls)}: {why}")


def _check_target(cls: object) -> bool:
    """Refuse a target type ``from_dict`` cannot build; say whether it is a document type."""
    is_type_form = isinstance(cls, type) or get_origin(cls) is not None
    if not is_type_form or cls is object:
        raise _cannot_build(cls, _SUPPORTED)
    conv = _converter()
    from cattrs.errors import StructureHandlerNotFoundError  # noqa: PLC0415  # loaded by now

    # The arguments of a generic target too (``list[object]``): cattrs before 25 builds
    # container hooks lazily and would only fail on the first item, as if the data were bad.
    stack: list[object] = [cls]
    while stack:
        target = stack.pop()
        if target is object:
            raise _cannot_build(cls, _SUPPORTED)
        try:
            conv.get_structure_hook(target)
        except StructureHandlerNotFoundError:
            raise _cannot_build(cls, _SUPPORTED) from None
        stack.extend(
            a
            for a in get_args(target)
            if (isinstance(a, type) or get_origin(a) is not None) and a is not type(None)
        )
    # Pipeline documents are versioned on their own: their reader checks the version.
    is_document = _is_document_type(cls) and cls not in _OWN_VERSIONS
    _TARGETS[cls] = is_document
    return is_document


def from_dict(data: object, cls: type[T]) -> T:
    """Rebuild an object of type ``cls`` from what :func:`to_dict` produced.

    Documents of entities (nested ones too), ``Money`` and qualifiers may carry a
    ``schema_version``; without one they are read as version
    :data:`VERSION_WHEN_ABSENT` (1).

    Raises:
        SchemaError: the data does not fit; ``.path`` says where and the message says why.
        UnsupportedType: ``cls`` is not a type ``from_dict`` can build (a caller's mistake).
        InvalidPipeline: a well-formed :class:`~pipelinekit.PipelineSpec` document that
            describes a pipeline that cannot work (an unreachable stage), exactly as
            :meth:`PipelineSpec.from_dict <pipelinekit.PipelineSpec.from_dict>` raises it: both
            read pipeline documents with the same reader.

    >>> import pipelinekit as pk
    >>> pk.from_dict({"id": "c-1", "name": "Jane", "account": {"name": "Acme"}}, pk.Contact).account
    Account(name='Acme', industry=None, employees=None, country=None, annual_revenue=None,
            website=None, id=None)
    >>> pk.from_dict({"id": "c-1", "name": "Jane", "account": {"name": "Acme", "employees": "12"}},
    ...              pk.Contact)
    Traceback (most recent call last):
    ...
    pipelinekit.errors.SchemaError: $.account.employees: expected int, got str '12'

    .. versionadded:: 0.1.0
    """
    try:
        is_document = _TARGETS[cls]
    except (KeyError, TypeError):  # not seen yet, or not even hashable
        is_document = _check_target(cls)
    if is_document and type(data) is dict and "schema_version" in data:
        _check_version(data["schema_version"])
        data = data.copy()
        del data["schema_version"]
    # Without "schema_version" the document is version VERSION_WHEN_ABSENT, which is the
    # current format: nothing to upgrade.
    try:
        return _converter().structure(data, cls)
    except InvalidPipeline:
        raise  # a well-formed spec document of a pipeline that cannot work, as from PipelineSpec
    except Exception as error:
        from cattrs.errors import StructureHandlerNotFoundError  # noqa: PLC0415  # loaded by now

        # The caller's type: a generic of object (list[object]), or a type without a
        # document form (a Score).
        if isinstance(error, (StructureHandlerNotFoundError, UnsupportedType)):
            raise _cannot_build(cls, str(error)) from None
        raise _explain(data, cls, error) from None


def _explain(data: object, cls: type[Any], error: Exception) -> SchemaError:
    """Re-run structuring with detailed validation and describe the first problem."""
    try:
        _converter(detailed=True).structure(data, cls)
    except Exception as detailed_error:  # every failure becomes a SchemaError
        return _describe(detailed_error, "$")
    return SchemaError("$", mask_text(f"could not build {describe(cls)}: {error}"))


def _describe(error: BaseException, path: str) -> SchemaError:
    """The SchemaError for ``error`` at ``path``, personal data masked (``_checks.mask_text``)."""
    return masked_error(_locate(error, path))


def _locate(error: BaseException, path: str) -> SchemaError:  # noqa: PLR0911  # one per kind
    from cattrs.errors import (  # noqa: PLC0415  # loaded with the converters
        AttributeValidationNote,
        ForbiddenExtraKeysError,
        IterableValidationNote,
    )

    # Inner hooks add their notes first, so read them outermost first.
    for note in reversed(getattr(error, "__notes__", ())):
        if isinstance(note, AttributeValidationNote):
            path = f"{path}.{note.name}"
        elif isinstance(note, IterableValidationNote):
            # Mapping items are noted with their key, list items with their index.
            index = note.index
            path += f"[{index}]" if type(index) is int else path_key(index)
    if isinstance(error, BaseExceptionGroup):
        return _locate(error.exceptions[0], path)
    if isinstance(error, SchemaError):
        return SchemaError(path + error.path.removeprefix("$"), error.problem)
    if isinstance(error, FieldError):
        separator = "" if error.field.startswith("[") else "."
        problem = str(error).removeprefix(f"{error.field}: ")
        return SchemaError(f"{path}{separator}{error.field}", problem)
    if isinstance(error, ForbiddenExtraKeysError):
        return SchemaError(path, f"unknown field(s) {_names(error.extra_fields)}")
    if isinstance(error, KeyError):
        return SchemaError(path, "required field is missing")
    if isinstance(error, _Bad):
        return SchemaError(path, str(error))
    return SchemaError(path, f"{type(error).__name__}: {describe(error, 200)}")
