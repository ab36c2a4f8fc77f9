"""The JSON format of qualifier trees (version 1), documented in ``docs/qualifier-format.md``.

A document is a tagged tree: every node is an object with a ``"kind"``. Loading never
evaluates code: kinds and operators come from fixed tables, paths are validated
identifiers, values are JSON scalars or small tagged objects, and documents deeper than
:data:`~pipelinekit.qualifiers.MAX_DEPTH` levels or with more than :data:`MAX_NODES` nodes
are refused before anything is built, so a hostile document raises
:class:`~pipelinekit.SchemaError` naming the place, never ``RecursionError``.

>>> import pipelinekit as pk
>>> doc = pk.to_dict((pk.field("account.employees") >= 100).named("Company size"))
>>> doc
{'kind': 'compare', 'path': 'account.employees', 'op': '>=', 'value': 100,
 'name': 'Company size', 'schema_version': 1}
>>> pk.from_dict(doc, pk.Qualifier)
(field('account.employees') >= 100).named('Company size')
>>> known = {"kind": "known", "path": "budget"}
>>> pk.from_dict({"kind": "all_of", "children": [known, {"kind": "nope"}]}, pk.Qualifier)
Traceback (most recent call last):
...
pipelinekit.errors.SchemaError: $.children[1].kind: unknown kind 'nope'; expected one of ...

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from pipelinekit._checks import SEGMENT, describe, got, mask_text, path_key
from pipelinekit.errors import FieldError, QualifierError, SchemaError, UnsupportedType
from pipelinekit.qualifiers import composites as c
from pipelinekit.qualifiers import leaves as lv
from pipelinekit.qualifiers.core import (
    MAX_DEPTH,
    MAX_DESCRIPTION,
    MAX_NAME,
    Node,
    Qualifier,
    check_label,
)
from pipelinekit.qualifiers.items import AnyItem, CountItems, any_item, count_items
from pipelinekit.qualifiers.paths import MAX_PATH_LENGTH
from pipelinekit.qualifiers.visitors import Visitor, kind_of_node, node_kinds
from pipelinekit.values import Money

if TYPE_CHECKING:
    import cattrs  # only in annotations: serialization imports it with its converters

__all__ = [
    "FORMAT_VERSION",
    "MAX_NESTING",
    "MAX_NODES",
    "MAX_NUMBER_TEXT",
    "MAX_TOTAL_VALUES",
    "register",
    "structure",
    "unstructure",
]

#: The version of this format (it is also the documents' ``schema_version``).
FORMAT_VERSION: Final = 1
#: The most nodes one document may hold.
MAX_NODES: Final = 10_000
#: The most values all the ``in`` / ``not_in`` lists of one document may hold together.
MAX_TOTAL_VALUES: Final = 100_000
#: The deepest nesting of lists and objects anywhere in a document, values included
#: (a weighted child sits three levels below its parent).
MAX_NESTING: Final = 3 * MAX_DEPTH + 4
#: The longest numeric string (``{"decimal": ...}``, a Money ``amount``).
MAX_NUMBER_TEXT: Final = 100

_DELTA_UNITS: Final = ("days", "hours", "minutes", "seconds", "microseconds")
_SEGMENTS: Final = re.compile(SEGMENT.pattern)
#: Fewer digits than this, and no ``@``: not a phone number or an email (not masked).
_MIN_MASKED_DIGITS: Final = 3
#: An int this large has more digits than any phone number.
_NOT_A_PHONE: Final = 10**30


# --- writing -------------------------------------------------------------------


def encode_value(value: object) -> object:
    """A criterion value as JSON: scalars as they are, others as one-key tagged objects."""
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _encode_delta(delta: timedelta) -> dict[str, int]:
    parts = {"days": delta.days, "seconds": delta.seconds, "microseconds": delta.microseconds}
    return {k: v for k, v in parts.items() if v or k == "days"}


def unstructure(q: Qualifier) -> dict[str, Any]:
    """The document of ``q`` (without ``schema_version``; :func:`pipelinekit.to_dict` adds it)."""
    if not isinstance(q, Node):
        name = type(q).__name__
        raise UnsupportedType(
            type(q),
            f"pipelinekit has no document form for the custom qualifier {name} ({q.label!r}): "
            "a custom qualifier is code, not data; store a document of the built-in parts "
            "and combine it with the custom check in code",
        )
    doc = _WRITER.visit(q)
    if q.name is not None:
        doc["name"] = q.name
    if q.description is not None:
        doc["description"] = q.description
    return doc


class _Writer(Visitor[dict[str, Any]]):
    """The body of each node kind's document (``kind`` and its own fields)."""

    def visit_custom(self, q: Qualifier) -> dict[str, Any]:  # pragma: no cover  # refused above
        raise QualifierError(f"cannot serialize {type(q).__name__}")

    def _junction(self, q: c.AllOf | c.AnyOf) -> dict[str, Any]:
        return {"kind": q.NODE_KIND, "children": [unstructure(x) for x in q.children]}

    visit_all_of = visit_any_of = _junction

    def visit_not(self, q: c.Not) -> dict[str, Any]:
        return {"kind": "not", "child": unstructure(q.child)}

    def visit_at_least(self, q: c.AtLeast) -> dict[str, Any]:
        return {"kind": "at_least", "k": q.k, "children": [unstructure(x) for x in q.children]}

    def visit_weighted(self, q: c.Weighted) -> dict[str, Any]:
        children = [{"weight": w, "child": unstructure(x)} for x, w in q.criteria]
        return {"kind": "weighted", "threshold": q.threshold, "children": children}

    def visit_count_items(self, q: CountItems) -> dict[str, Any]:
        return {
            "kind": "count_items",
            "path": q.path,
            "at_least": q.at_least,
            "child": unstructure(q.child),
        }

    def visit_any_item(self, q: AnyItem) -> dict[str, Any]:
        items: dict[str, Any] = {"kind": "any_item", "path": q.path, "child": unstructure(q.child)}
        if q.empty_is_unknown:
            items["empty_is_unknown"] = True
        return items

    def _path_only(self, q: lv.Leaf) -> dict[str, Any]:
        return {"kind": q.NODE_KIND, "path": q.path}

    visit_known = visit_missing = visit_empty = visit_not_empty = _path_only

    def visit_compare(self, q: lv.Compare) -> dict[str, Any]:
        return {"kind": "compare", "path": q.path, "op": q.op, "value": encode_value(q.value)}

    def _membership(self, q: lv.IsIn) -> dict[str, Any]:
        values = [encode_value(v) for v in lv.sorted_values(q.values)]
        return {"kind": q.NODE_KIND, "path": q.path, "values": values}

    visit_in = visit_not_in = _membership

    def visit_contains(self, q: lv.Contains) -> dict[str, Any]:
        return {"kind": "contains", "path": q.path, "value": encode_value(q.item)}

    def visit_matches(self, q: lv.Matches) -> dict[str, Any]:
        doc: dict[str, Any] = {"kind": "matches", "path": q.path, "pattern": q.pattern}
        if q.ignore_case:
            doc["ignore_case"] = True
        return doc

    def _time(self, q: lv.TimeRelative) -> dict[str, Any]:
        return {"kind": q.NODE_KIND, "path": q.path, "delta": _encode_delta(q.delta)}

    visit_within = visit_older_than = visit_within_next = visit_within_last = _time


_WRITER: Final = _Writer()


# --- reading -------------------------------------------------------------------


def _precheck(data: object) -> None:  # noqa: PLR0912  # one walk, every limit
    """Refuse documents too deep or too large, iteratively, before building anything.

    Every list and object is visited, values included, so no part of a document can be
    nested deeper than :data:`MAX_NESTING`; qualifier nodes are counted and their depth
    checked against :data:`~pipelinekit.qualifiers.MAX_DEPTH`.
    """
    # (item, path, nesting of lists/objects, role): "q" a qualifier, "w" a weighted entry
    # (whose "child" is a qualifier), "v" anything else; level is the qualifier depth.
    stack: list[tuple[object, str, int, str, int]] = [(data, "$", 1, "q", 1)]
    nodes = values = 0
    while stack:
        item, path, nesting, role, level = stack.pop()
        kind = type(item)
        if kind is not dict and kind is not list:
            continue
        if nesting > MAX_NESTING:
            raise SchemaError(path, f"nested deeper than {MAX_NESTING} levels of lists and objects")
        if kind is list:
            listed: list[object] = item  # type: ignore[assignment]  # a list
            for index, entry in enumerate(listed):
                stack.append((entry, f"{path}[{index}]", nesting + 1, "v", level))
            continue
        doc: dict[Any, Any] = item  # type: ignore[assignment]  # a dict
        if role == "q":
            nodes += 1
            if level > MAX_DEPTH:
                raise SchemaError(path, f"qualifier nested deeper than {MAX_DEPTH} levels")
            if nodes > MAX_NODES:
                raise SchemaError(path, f"document has more than {MAX_NODES} qualifier nodes")
            found = doc.get("values")
            if type(found) is list:
                values += len(found)
                if values > MAX_TOTAL_VALUES:
                    raise SchemaError(
                        f"{path}.values", f"more than {MAX_TOTAL_VALUES} values in all"
                    )
        for key, value in doc.items():
            at = path + path_key(key)
            if key == "child" and role in "qw":
                stack.append((value, at, nesting + 1, "q", level + (role == "q")))
            elif key == "children" and role == "q" and type(value) is list:
                entry_role = "w" if doc.get("kind") == "weighted" else "q"
                if len(value) > c.MAX_CHILDREN:
                    raise SchemaError(at, f"more than {c.MAX_CHILDREN} children")
                for index, entry in enumerate(value):
                    stack.append((entry, f"{at}[{index}]", nesting + 2, entry_role, level + 1))
            else:
                stack.append((value, at, nesting + 1, "v", level))


def structure(data: object) -> Node:
    """Build a qualifier from its document; raise :class:`~pipelinekit.SchemaError` if bad."""
    _precheck(data)
    try:
        return _node(data, "$")
    except RecursionError:  # not reachable within the limits; never let it escape
        raise SchemaError("$", "document nested too deeply to read") from None
    except SchemaError as error:
        # Every SchemaError from here is masked as from_dict masks (emails anywhere, phones
        # where quoted or named), also for callers that reach this loader directly.
        raise _masked(error, _last_segment(error.path)) from None


def _last_segment(path: object) -> str:
    segments = _SEGMENTS.findall(path) if type(path) is str else []
    return segments[-1] if segments else ""


def _masked(error: SchemaError, name: str) -> SchemaError:
    """``error`` with personal data in its problem masked, as about a field called ``name``."""
    problem = mask_text(error.problem, name)
    return error if problem == error.problem else SchemaError(error.path, problem)


def _need(doc: dict[str, Any], key: str, path: str) -> Any:
    if key not in doc:
        raise SchemaError(f"{path}.{key}", "required field is missing")
    return doc[key]


def _expect(value: object, kinds: tuple[type, ...], label: str, path: str) -> Any:
    if type(value) not in kinds:
        raise SchemaError(path, f"expected {label}, got {got(value)}")
    return value


def _node(data: object, path: str) -> Node:
    if type(data) is not dict:
        raise SchemaError(path, f"expected a qualifier object, got {got(data)}")
    kind = _need(data, "kind", path)
    reader = _READERS.get(kind) if type(kind) is str else None
    if reader is None:
        expected = ", ".join(repr(k) for k in _READERS)
        raise SchemaError(
            f"{path}.kind", f"unknown kind {describe(kind)}; expected one of {expected}"
        )
    allowed = {"kind", "name", "description", *reader.keys, *reader.optional}
    extra = sorted(str(k) for k in data if k not in allowed)
    if extra:
        raise SchemaError(
            path, f"unknown field(s) {', '.join(repr(k) for k in extra)} for kind {kind!r}"
        )
    for key in reader.keys:
        if key not in data:
            raise SchemaError(f"{path}.{key}", "required field is missing")
    name = data.get("name")
    description = data.get("description")
    for key, text in (("name", name), ("description", description)):
        if text is not None:
            _expect(text, (str,), "a str", f"{path}.{key}")
            try:
                check_label(text, key)
            except QualifierError as error:
                raise SchemaError(f"{path}.{key}", str(error)) from None
    q = _build(reader, data, path)
    if not isinstance(q, Node):  # pragma: no cover  # every kind builds a built-in node
        raise SchemaError(path, f"kind {kind!r} did not build a qualifier")
    if name is not None or description is not None:
        q = attrs.evolve(q, name=name, description=description)
    return q


def _build(reader: _Reader, data: dict[str, Any], path: str) -> Qualifier:
    """The node ``reader`` builds from ``data``: a SchemaError for each field, at its own path."""
    try:
        try:
            return reader.build(data, path)
        except QualifierError as error:
            # Each field is checked at its own path first; what remains belongs to this one.
            field = reader.error_field
            raise SchemaError(f"{path}.{field}" if field else path, str(error)) from None
    except SchemaError as error:
        if not error.path.startswith((f"{path}.value", f"{path}.pattern")):
            raise
        # A criterion value echoed in the message is about the field the leaf reads
        # (``path: phone``): mask each of its values as that field's.
        name = _last_segment(data.get("path"))
        problem = error.problem
        for scalar in _scalars([data.get(key) for key in ("value", "values", "pattern")]):
            problem = mask_text(problem, name, scalar)
        raise _masked(SchemaError(error.path, problem), "") from None


def _scalars(value: object) -> Iterator[object]:
    """The texts and ints in ``value`` (lists and objects searched) that could be personal."""
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is list:
            stack.extend(item)
        elif type(item) is dict:
            stack.extend(item.values())
        elif (type(item) is int and -_NOT_A_PHONE < item < _NOT_A_PHONE) or type(item) is str:
            text = str(item)  # an int: short enough to render (a huge one cannot)
            if "@" in text or sum("0" <= c <= "9" for c in text) >= _MIN_MASKED_DIGITS:
                yield item


def _path(data: dict[str, Any], path: str) -> str:
    value = _expect(data["path"], (str,), "a dotted path (str)", f"{path}.path")
    try:
        lv.Leaf.validate_path(value)
    except QualifierError as error:
        raise SchemaError(f"{path}.path", str(error)) from None
    return value  # type: ignore[no-any-return]  # checked to be a str


def decode_value(value: object, path: str) -> object:
    """Read a criterion value written by :func:`encode_value`."""
    kind = type(value)
    if kind in (str, int, float, bool):
        result = value
    elif kind is dict:
        result = _decode_tagged(value, path)  # type: ignore[arg-type]  # a dict
    else:
        raise SchemaError(
            path,
            "expected a str, number, bool, {'decimal': ...}, {'date': ...}, {'datetime': ...} "
            f"or {{'amount': ..., 'currency': ...}}; got {got(value)}",
        )
    try:
        return lv.check_value(result)
    except QualifierError as error:
        raise SchemaError(path, str(error)) from None


def _decode_tagged(value: dict[str, Any], path: str) -> object:
    keys = set(value)
    try:
        if keys == {"amount", "currency"}:
            amount = _number_text(value["amount"], (str, int), f"{path}.amount")
            return Money(amount, _expect(value["currency"], (str,), "a str", f"{path}.currency"))
        if keys == {"decimal"}:
            return Decimal(_number_text(value["decimal"], (str,), f"{path}.decimal"))
        if keys == {"date"}:
            return date.fromisoformat(_expect(value["date"], (str,), "an ISO date", f"{path}.date"))
        if keys == {"datetime"}:
            text = _expect(value["datetime"], (str,), "an ISO date-time", f"{path}.datetime")
            return datetime.fromisoformat(text)
    except FieldError as error:  # Money's own check: at its field (amount, currency)
        problem = str(error).removeprefix(f"{error.field}: ")
        raise SchemaError(f"{path}.{error.field}", problem) from None
    except (ValueError, InvalidOperation) as error:
        if isinstance(error, SchemaError):
            raise
        raise SchemaError(path, f"bad value {describe(value)}: {error}") from None
    raise SchemaError(path, f"unknown value object with keys {sorted(keys)}")


def _number_text(value: object, kinds: tuple[type, ...], path: str) -> Any:
    _expect(value, kinds, "a decimal string", path)
    if type(value) is str and len(value) > MAX_NUMBER_TEXT:
        raise SchemaError(path, f"numeric string longer than {MAX_NUMBER_TEXT} characters")
    return value


def _delta(value: object, path: str) -> timedelta:
    if type(value) is not dict or not value or not set(value) <= set(_DELTA_UNITS):
        raise SchemaError(
            path,
            f"expected an object with keys from {', '.join(_DELTA_UNITS)}, got {describe(value)}",
        )
    for unit, amount in value.items():
        if type(amount) is not int or not 0 <= amount <= 10**9:
            raise SchemaError(
                f"{path}.{unit}", f"expected an int between 0 and 10**9, got {describe(amount)}"
            )
    try:
        return timedelta(**value)
    except OverflowError:
        raise SchemaError(path, f"duration out of range: {describe(value)}") from None


@attrs.frozen
class _Reader:
    """How a node kind is read: its fields and the function that builds it.

    Attributes:
        keys: The fields a document of this kind must have (besides ``kind``, ``name`` and
            ``description``).
        optional: The fields it may leave out.
        error_field: The field the node's remaining construction errors are about (paths,
            values and nested nodes are checked at their own paths first).
        build: ``build(document, path)`` gives the node.
        schemas: JSON Schemas of fields that differ from :data:`_FIELD_SCHEMAS` for this
            kind (a weighted node's children).
    """

    keys: tuple[str, ...]
    optional: tuple[str, ...]
    error_field: str | None
    build: Callable[[dict[str, Any], str], Qualifier]
    schemas: Mapping[str, Any] = attrs.field(factory=dict)


#: Each node kind's reader, by the kind's ``NODE_KIND`` (the document's ``kind``).
_READERS: dict[str, _Reader] = {}

_Build = Callable[[dict[str, Any], str], Qualifier]
N = TypeVar("N", bound=Node)


def _reads(
    *classes: type[Node],
    keys: tuple[str, ...],
    optional: tuple[str, ...] = (),
    error: str | None = None,
    schemas: Mapping[str, Any] | None = None,
) -> Callable[[_Build], _Build]:
    """Register the decorated function as the reader of ``classes``' kinds."""

    def register_reader(build: _Build) -> _Build:
        for cls in classes:
            _READERS[cls.NODE_KIND] = _Reader(keys, optional, error, build, dict(schemas or {}))
        return build

    return register_reader


def _class_of(d: dict[str, Any], base: type[N]) -> type[N]:
    """The node class of the document's (already checked) kind, one of ``base``'s."""
    cls = node_kinds()[d["kind"]]
    assert issubclass(cls, base)  # noqa: S101  # each reader is registered for its classes
    return cls


@_reads(lv.Compare, keys=("path", "op", "value"), error="value")
def _compare(d: dict[str, Any], path: str) -> Qualifier:
    op = d["op"]
    if type(op) is not str or op not in lv.COMPARISONS:  # a list or dict is not even hashable
        expected = ", ".join(f"'{o}'" for o in lv.COMPARISONS)
        raise SchemaError(
            f"{path}.op", f"unknown operator {describe(op)}; expected one of {expected}"
        )
    return lv.Compare(path=_path(d, path), op=op, value=decode_value(d["value"], f"{path}.value"))


@_reads(lv.IsIn, lv.NotIn, keys=("path", "values"), error="values")
def _membership(d: dict[str, Any], path: str) -> Qualifier:
    cls = _class_of(d, lv.IsIn)
    listed = _expect(d["values"], (list,), "a list of values", f"{path}.values")
    values = [decode_value(v, f"{path}.values[{i}]") for i, v in enumerate(listed)]
    return cls(path=_path(d, path), values=values)


@_reads(lv.IsKnown, lv.IsMissing, keys=("path",))
def _path_only(d: dict[str, Any], path: str) -> Qualifier:
    return _class_of(d, lv.Leaf)(path=_path(d, path))  # type: ignore[type-abstract]  # a base


@_reads(lv.Contains, keys=("path", "value"), error="value")
def _contains(d: dict[str, Any], path: str) -> Qualifier:
    return lv.Contains(path=_path(d, path), item=decode_value(d["value"], f"{path}.value"))


_reads(lv.IsEmpty, lv.IsNotEmpty, keys=("path",))(_path_only)


@_reads(lv.Matches, keys=("path", "pattern"), optional=("ignore_case",), error="pattern")
def _matches(d: dict[str, Any], path: str) -> Qualifier:
    pattern = _expect(d["pattern"], (str,), "a regular expression (str)", f"{path}.pattern")
    flag = _expect(d.get("ignore_case", False), (bool,), "a bool", f"{path}.ignore_case")
    return lv.Matches(path=_path(d, path), pattern=pattern, ignore_case=flag)


@_reads(
    lv.Within, lv.OlderThan, lv.WithinNext, lv.WithinLast, keys=("path", "delta"), error="delta"
)
def _time(d: dict[str, Any], path: str) -> Qualifier:
    return _class_of(d, lv.TimeRelative)(
        path=_path(d, path), delta=_delta(d["delta"], f"{path}.delta")
    )


@_reads(AnyItem, keys=("path", "child"), optional=("empty_is_unknown",))
def _any_item(d: dict[str, Any], path: str) -> Qualifier:
    flag = _expect(d.get("empty_is_unknown", False), (bool,), "a bool", f"{path}.empty_is_unknown")
    return any_item(_path(d, path), _node(d["child"], f"{path}.child"), empty_is_unknown=flag)


@_reads(CountItems, keys=("path", "at_least", "child"), error="at_least")
def _count_items(d: dict[str, Any], path: str) -> Qualifier:
    at_least = _expect(d["at_least"], (int,), "an int", f"{path}.at_least")
    return count_items(_path(d, path), _node(d["child"], f"{path}.child"), at_least=at_least)


@_reads(c.AllOf, c.AnyOf, keys=("children",), error="children")
def _junction(d: dict[str, Any], path: str) -> Qualifier:
    combine = c.all_of if d["kind"] == c.AllOf.NODE_KIND else c.any_of
    return combine(*_children(d, path))


@_reads(c.Not, keys=("child",))
def _not(d: dict[str, Any], path: str) -> Qualifier:
    return c.negate(_node(d["child"], f"{path}.child"))


@_reads(c.AtLeast, keys=("k", "children"), error="k")
def _at_least(d: dict[str, Any], path: str) -> Qualifier:
    return c.at_least(_expect(d["k"], (int,), "an int", f"{path}.k"), *_children(d, path))


_WEIGHTED_CHILDREN: Final = {
    "type": "array",
    "maxItems": c.MAX_CHILDREN,
    "items": {
        "type": "object",
        "properties": {"weight": {"type": "number"}, "child": {"$ref": "{qualifier}"}},
        "required": ["weight", "child"],
        "additionalProperties": False,
    },
}


@_reads(
    c.Weighted,
    keys=("threshold", "children"),
    error="threshold",
    schemas={"children": _WEIGHTED_CHILDREN},
)
def _weighted(d: dict[str, Any], path: str) -> Qualifier:
    entries = _expect(d["children"], (list,), "a list", f"{path}.children")
    pairs: list[tuple[Qualifier, int | float]] = []
    for i, entry in enumerate(entries):
        at = f"{path}.children[{i}]"
        _expect(entry, (dict,), "an object with 'weight' and 'child'", at)
        if set(entry) != {"weight", "child"}:
            raise SchemaError(at, "expected exactly the keys 'weight' and 'child'")
        weight = _expect(entry["weight"], (int, float), "a number", f"{at}.weight")
        try:
            c.check_weight("a weight", weight)
        except QualifierError as error:
            raise SchemaError(f"{at}.weight", str(error)) from None
        child = _node(entry["child"], f"{at}.child")
        if any(child == q for q, _ in pairs):
            raise SchemaError(at, "duplicate criterion")
        pairs.append((child, weight))
    threshold = _expect(d["threshold"], (int, float), "a number", f"{path}.threshold")
    return c.weighted(dict(pairs), threshold=threshold)


def _children(d: dict[str, Any], path: str) -> list[Qualifier]:
    entries = _expect(d["children"], (list,), "a list of qualifiers", f"{path}.children")
    return [_node(x, f"{path}.children[{i}]") for i, x in enumerate(entries)]


# --- JSON Schema -----------------------------------------------------------------

_SEGMENT_PATTERN: Final = SEGMENT.pattern
#: A criterion value, as :func:`decode_value` reads it.
_VALUE: Final = {
    "anyOf": [
        {"type": ["string", "number", "boolean"]},
        {
            "type": "object",
            "properties": {
                "amount": {"type": ["string", "integer"]},
                "currency": {"type": "string"},
            },
            "required": ["amount", "currency"],
            "additionalProperties": False,
        },
        *(
            {
                "type": "object",
                "properties": {tag: {"type": "string"}},
                "required": [tag],
                "additionalProperties": False,
            }
            for tag in ("decimal", "date", "datetime")
        ),
    ]
}
#: The JSON Schema of each document field, by its key (the same meaning in every kind).
_FIELD_SCHEMAS: Final[Mapping[str, Any]] = {
    "path": {
        "type": "string",
        "pattern": f"^{_SEGMENT_PATTERN}(\\.{_SEGMENT_PATTERN})*$",
        "maxLength": MAX_PATH_LENGTH,
    },
    "op": {"enum": list(lv.COMPARISONS)},
    "value": _VALUE,
    "values": {"type": "array", "items": _VALUE},
    "pattern": {"type": "string"},
    "ignore_case": {"type": "boolean"},
    "empty_is_unknown": {"type": "boolean"},
    "delta": {
        "type": "object",
        "properties": {
            unit: {"type": "integer", "minimum": 0, "maximum": 10**9} for unit in _DELTA_UNITS
        },
        "minProperties": 1,
        "additionalProperties": False,
    },
    "child": {"$ref": "{qualifier}"},
    "children": {"type": "array", "maxItems": c.MAX_CHILDREN, "items": {"$ref": "{qualifier}"}},
    "k": {"type": "integer"},
    "at_least": {"type": "integer"},
    "threshold": {"type": "number"},
}


def _with_refs(schema: Any, ref: str) -> Any:
    """``schema`` (a fresh copy) with every ``{"$ref": "{qualifier}"}`` pointing at ``ref``."""
    if isinstance(schema, dict):
        return {
            k: ref if k == "$ref" and v == "{qualifier}" else _with_refs(v, ref)
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [_with_refs(v, ref) for v in schema]
    return schema


def node_schemas(qualifier_ref: str) -> dict[str, dict[str, Any]]:
    """The JSON Schema of each kind's node document, by kind (for ``pk.json_schema``).

    Built from the readers themselves: each kind's required and optional keys, every other
    key refused. ``qualifier_ref`` is the reference to the schema of any qualifier (for
    ``child`` and ``children``). As loose as :func:`structure` or looser, never stricter:
    limits on sizes, depths, patterns that backtrack and labels are left to it.
    """
    label = {"type": "string", "pattern": r"\S"}
    schemas: dict[str, dict[str, Any]] = {}
    for kind, reader in _READERS.items():
        properties: dict[str, Any] = {
            "kind": {"const": kind},
            "name": {"anyOf": [{**label, "maxLength": MAX_NAME}, {"type": "null"}]},
            "description": {"anyOf": [{**label, "maxLength": MAX_DESCRIPTION}, {"type": "null"}]},
            "schema_version": {"const": FORMAT_VERSION},
        }
        for key in (*reader.keys, *reader.optional):
            properties[key] = _with_refs(
                reader.schemas.get(key, _FIELD_SCHEMAS[key]), qualifier_ref
            )
        schemas[kind] = {
            "type": "object",
            "properties": properties,
            "required": ["kind", *reader.keys],
            "additionalProperties": False,
        }
    return schemas


def _check_readers() -> None:
    """Every node kind has a reader (the writer is checked by :class:`Visitor` itself)."""
    missing = sorted(set(node_kinds()) - set(_READERS))
    missing += sorted(
        f"{kind}.{key}"
        for kind, reader in _READERS.items()
        for key in (*reader.keys, *reader.optional)
        if key not in reader.schemas and key not in _FIELD_SCHEMAS
    )
    if missing:  # pragma: no cover  # a node kind added without its reader
        msg = f"the qualifier format has no reader or field schema for {', '.join(missing)}"
        raise TypeError(msg)


_check_readers()


def _is_qualifier_type(tp: object) -> bool:
    return isinstance(tp, type) and issubclass(tp, Qualifier)


def register(converter: cattrs.Converter) -> None:
    """Register the qualifier structure/unstructure hooks on ``converter``."""

    def structure_hook(data: object, tp: type[Qualifier]) -> Qualifier:
        q = structure(data)
        if not isinstance(q, tp):
            raise SchemaError(
                "$", f"expected a {tp.__name__} document, got kind {kind_of_node(q)!r}"
            )
        return q

    converter.register_structure_hook_func(_is_qualifier_type, structure_hook)
    converter.register_unstructure_hook_func(_is_qualifier_type, unstructure)
