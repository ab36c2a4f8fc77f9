"""JSON Schemas of pipelinekit's documents, for OpenAPI and for other languages.

:func:`json_schema` describes the documents :func:`~pipelinekit.to_dict` writes and
:func:`~pipelinekit.from_dict` reads, as JSON Schema (draft 2020-12), generated from the
entity classes themselves: their fields, types and validators. A web backend puts them
in its OpenAPI description; a client in another language validates before it sends.

A schema is a *necessary* condition, never a stricter one: every document ``from_dict``
accepts is valid under it (``tests/test_schemas.py`` checks this on random and mutated
documents). A few rules cannot be said in JSON Schema and are left to ``from_dict``: a
custom stage name that differs from a built-in one only by case, a probability or money
amount written as text that lies outside its bounds, a float with an integral value
where an integer is expected (JSON Schema counts ``1.0`` as an integer), dates that do
not exist (February 30th), and the limits on sizes and digits in docs/limits.md.

>>> import pipelinekit as pk
>>> schema = pk.json_schema(pk.Account)
>>> schema["required"], schema["properties"]["employees"]
(['name'], {'type': ['integer', 'null'], 'minimum': 0})

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import copy
import enum
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, get_args, get_origin

import attrs

from pipelinekit._checks import DECIMAL_TEXT, IDENTIFIER, IntInRange, Matches, NonBlank, got
from pipelinekit._loaders import DATE_TEXT
from pipelinekit.entities import (
    Account,
    Contact,
    Opportunity,
    StageChange,
    Stakeholder,
    Touchpoint,
)
from pipelinekit.errors import FieldValueError, UnsupportedType
from pipelinekit.qualifiers import Qualifier, Verdict
from pipelinekit.qualifiers.core import Node
from pipelinekit.qualifiers.schema import node_schemas
from pipelinekit.qualifiers.verdict_schema import document_schema
from pipelinekit.qualifiers.visitors import node_kinds
from pipelinekit.serialization import JSON, SCHEMA_VERSION
from pipelinekit.values import Money

__all__ = ["DIALECT", "REF_TEMPLATE", "json_schema"]

#: The JSON Schema dialect of every schema here.
DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
#: How references to nested entities are written by default: into the schema's ``$defs``.
REF_TEMPLATE: Final = "#/$defs/{name}"

_ENTITIES: Final[tuple[type[Any], ...]] = (
    Account,
    Stakeholder,
    Touchpoint,
    Opportunity,
    StageChange,
    Contact,
)

#: Text patterns, written so that JSON Schema's regular expressions (ECMA-262) and
#: Python's read them alike: anchored, no lookaround, no inline flags.
_DECIMAL: Final = f"^{DECIMAL_TEXT.pattern}$"
_DATE: Final = f"^{DATE_TEXT.pattern}$"
#: What ``from_dict`` reads as an aware datetime: ``datetime.isoformat`` output, ``Z`` for
#: UTC, seconds optional; the offset is required (naive datetimes are refused).
_AWARE_DATETIME: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)$"
)
#: Non-blank text: a character that is not whitespace.
_NON_BLANK: Final = r"\S"
#: A stage name: non-blank, without surrounding whitespace.
_STAGE_NAME: Final = r"^\S([\s\S]*\S)?$"
#: A fact key (``Contact.facts``): a name by the identifier rule.
_FACT_KEY: Final = f"^{IDENTIFIER.pattern}$"

_MONEY: Final[dict[str, JSON]] = {
    "type": "object",
    "description": "An exact amount of one currency (ISO 4217 code).",
    "properties": {
        # Decimal text is what to_dict writes; a JSON integer reads too (never a float).
        "amount": {"anyOf": [{"type": "string", "pattern": _DECIMAL}, {"type": "integer"}]},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "schema_version": {"const": SCHEMA_VERSION},
    },
    "required": ["amount", "currency"],
    "additionalProperties": False,
}

#: Fields whose meaning the type alone does not say (stage names are plain ``str``).
_STAGE_FIELDS: Final = {(Contact, "stage"), (StageChange, "source"), (StageChange, "target")}


def json_schema(cls: type[Any], *, ref_template: str = REF_TEMPLATE) -> dict[str, JSON]:
    """The JSON Schema (draft 2020-12) of ``cls``'s documents, as :func:`to_dict` writes them.

    ``cls`` is an entity class (:class:`~pipelinekit.Contact`, ``Account``,
    ``Stakeholder``, ``Touchpoint``, ``Opportunity``, ``StageChange``),
    :class:`~pipelinekit.Money`, :class:`~pipelinekit.Verdict` (explanations, as an API
    returns them), or :class:`~pipelinekit.Qualifier` (the qualifier documents of
    docs/qualifier-format.md, one definition per node kind, generated from the format's own
    readers; a built-in node class such as ``pk.qualifiers.Compare`` gives that kind).
    Nested entities and nodes are references into ``$defs``; a document (also a nested one)
    may carry ``"schema_version": 1``. A new dict each call: change it freely (to add an
    OpenAPI ``title``, say).

    ``ref_template`` writes the references: ``"#/components/schemas/{name}"`` for an
    OpenAPI document, whose ``components`` then take the ``$defs`` (as pydantic's
    ``model_json_schema(ref_template=...)`` does).

    >>> import pipelinekit as pk
    >>> pk.json_schema(pk.Opportunity, ref_template="#/components/schemas/{name}")[
    ...     "properties"]["amount"]
    {'anyOf': [{'$ref': '#/components/schemas/Money'}, {'type': 'null'}]}

    >>> import pipelinekit as pk
    >>> schema = pk.json_schema(pk.Contact)
    >>> schema["properties"]["account"]
    {'anyOf': [{'$ref': '#/$defs/Account'}, {'type': 'null'}]}
    >>> sorted(schema["$defs"])
    ['Account', 'Money', 'Opportunity', 'StageChange', 'Stakeholder', 'Touchpoint']

    Raises:
        UnsupportedType: ``cls`` has no schema here (a custom qualifier; pipeline spec
            documents have their own format, described in docs/lifecycle.md).
    """
    if cls is Money:
        return {"$schema": DIALECT, "title": "Money", **copy.deepcopy(_MONEY)}
    template: object = ref_template  # callers may pass anything
    if not isinstance(template, str) or "{name}" not in template:
        raise FieldValueError(
            "ref_template", f"must be a str with {{name}}, got {got(ref_template)}"
        )
    target: object = cls  # callers may pass anything
    if isinstance(target, type) and issubclass(target, Qualifier):
        return _qualifier_schema(target, ref_template)
    if target is Verdict:
        node = document_schema(ref_template.replace("{name}", "Verdict"), SCHEMA_VERSION)
        return {
            "$schema": DIALECT,
            "title": "Verdict",
            "$ref": ref_template.replace("{name}", "Verdict"),
            "$defs": {"Verdict": node},
        }
    if cls not in _ENTITIES:
        name = getattr(cls, "__name__", type(cls).__name__)
        raise UnsupportedType(
            cls,
            f"pipelinekit has no JSON Schema for {name}; there are schemas for Money, "
            f"qualifiers and the entities {', '.join(c.__name__ for c in _ENTITIES)}",
        )
    defs: dict[str, JSON] = {}
    schema = _object(cls, defs, ref_template)
    defs.pop(cls.__name__, None)
    result: dict[str, JSON] = {"$schema": DIALECT, "title": cls.__name__, **schema}
    if defs:
        result["$defs"] = dict(sorted(defs.items()))
    return result


def _qualifier_schema(cls: type[Qualifier], ref: str) -> dict[str, JSON]:
    """The schema of qualifier documents (docs/qualifier-format.md): one definition per kind.

    ``pk.Qualifier`` (or ``Node``) is any qualifier; a built-in node class is a document of
    its own kind (whose children may be of any kind). A custom qualifier has no document.
    """
    kinds = node_kinds()
    classes = {kind: node.__name__ for kind, node in kinds.items()}
    any_ref = ref.replace("{name}", "Qualifier")
    defs: dict[str, JSON] = {
        classes[kind]: schema for kind, schema in node_schemas(any_ref).items()
    }
    defs["Qualifier"] = {
        "description": "Any qualifier node, told apart by its kind.",
        "oneOf": [{"$ref": ref.replace("{name}", name)} for name in classes.values()],
    }
    if cls in (Qualifier, Node):
        root: dict[str, JSON] = {"$ref": any_ref}
        title = "Qualifier"
    elif cls in kinds.values():
        root = {"$ref": ref.replace("{name}", cls.__name__)}
        title = cls.__name__
    else:
        raise UnsupportedType(
            cls,
            f"{cls.__name__} is a custom qualifier: it is code and has no document; "
            "pk.json_schema(pk.Qualifier) describes the built-in nodes",
        )
    return {"$schema": DIALECT, "title": title, **root, "$defs": dict(sorted(defs.items()))}


def _object(cls: type[Any], defs: dict[str, JSON], ref: str) -> dict[str, JSON]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, JSON] = {}
    required: list[JSON] = []
    for field in attrs.fields(cls):
        properties[field.name] = _field(cls, field, hints[field.name], defs, ref)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    # Written at the top of a document; nested ones (a to_dict document inside another)
    # may carry it too.
    properties["schema_version"] = {"const": SCHEMA_VERSION}
    summary = (cls.__doc__ or "").strip().partition("\n")[0]
    return {
        "type": "object",
        "description": summary,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _field(
    cls: type[Any], field: attrs.Attribute[Any], hint: Any, defs: dict[str, JSON], ref: str
) -> dict[str, JSON]:
    inner, optional = _unwrap_optional(hint)
    if (cls, field.name) in _STAGE_FIELDS:
        schema: dict[str, JSON] = {"type": "string", "pattern": _STAGE_NAME}
    else:
        schema = _type(inner, defs, ref)
    _refine(schema, field.validator)
    return _or_null(schema) if optional else schema


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    if get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if len(args) == 1 and len(get_args(hint)) == 2:  # X | None
            return args[0], True
    return hint, False


def _type(hint: Any, defs: dict[str, JSON], ref: str) -> dict[str, JSON]:  # noqa: PLR0911
    origin = get_origin(hint)
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return {"type": "integer"}
    if hint is str:
        return {"type": "string"}
    if hint is datetime:
        return {"type": "string", "format": "date-time", "pattern": _AWARE_DATETIME}
    if hint is date:
        return {"type": "string", "format": "date", "pattern": _DATE}
    if hint is Decimal:
        return {"anyOf": [{"type": "string", "pattern": _DECIMAL}, {"type": "integer"}]}
    if hint is Money:
        defs["Money"] = copy.deepcopy(_MONEY)  # the caller may change what it gets
        return {"$ref": ref.replace("{name}", "Money")}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return {"enum": [member.value for member in hint]}
    if isinstance(hint, type) and hint in _ENTITIES:
        if hint.__name__ not in defs:
            defs[hint.__name__] = {}  # claimed first: a recursive reference ends here
            defs[hint.__name__] = _object(hint, defs, ref)
        return {"$ref": ref.replace("{name}", hint.__name__)}
    if origin is tuple:
        (item, _ellipsis) = get_args(hint)
        return {"type": "array", "items": _type(item, defs, ref)}
    if origin is Mapping:  # Contact.facts: scalar values under identifier keys
        return {
            "type": "object",
            "propertyNames": {"pattern": _FACT_KEY},
            "additionalProperties": {"type": ["string", "boolean", "integer", "number"]},
        }
    raise UnsupportedType(hint, f"no JSON Schema for a field of type {hint!r}")


def _refine(schema: dict[str, JSON], validator: object) -> None:
    """Add what a field's validator checks and the type alone does not say."""
    if isinstance(validator, NonBlank):
        schema["pattern"] = _NON_BLANK
    elif isinstance(validator, IntInRange):
        schema["minimum"] = validator.low
        if validator.high is not None:
            schema["maximum"] = validator.high
    elif isinstance(validator, Matches):
        schema["pattern"] = f"^(?:{validator.pattern.pattern})$"
        schema["maxLength"] = validator.max_length


def _or_null(schema: dict[str, JSON]) -> dict[str, JSON]:
    kind = schema.get("type")
    if isinstance(kind, str) and "$ref" not in schema and "anyOf" not in schema:
        return {**schema, "type": [kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}
