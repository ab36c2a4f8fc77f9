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
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final

import attrs

from pipelinekit._checks import SEGMENT, describe, got, mask_text, path_key
from pipelinekit.errors import FieldError, QualifierError, SchemaError, UnsupportedType
from pipelinekit.qualifiers import composites as c
from pipelinekit.qualifiers import leaves as lv
from pipelinekit.qualifiers.core import MAX_DEPTH, Node, Qualifier, check_label
from pipelinekit.qualifiers.items import AnyItem, CountItems, any_item, count_items
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

_LEAF_KINDS: Final[dict[type[Node], str]] = {
    lv.Compare: "compare",
    lv.IsIn: "in",
    lv.NotIn: "not_in",
    lv.IsKnown: "known",
    lv.IsMissing: "missing",
    lv.Contains: "contains",
    lv.IsEmpty: "empty",
    lv.IsNotEmpty: "not_empty",
    lv.Matches: "matches",
    lv.Within: "within",
    lv.OlderThan: "older_than",
    lv.WithinNext: "within_next",
    lv.WithinLast: "within_last",
}
_KINDS: Final = (
    *_LEAF_KINDS.values(),
    "any_item",
    "count_items",
    "all_of",
    "any_of",
    "not",
    "at_least",
    "weighted",
)
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
    doc = _body(q)
    if q.name is not None:
        doc["name"] = q.name
    if q.description is not None:
        doc["description"] = q.description
    return doc


def _body(q: Node) -> dict[str, Any]:  # noqa: PLR0911, PLR0912  # one branch per kind
    if isinstance(q, c.AllOf | c.AnyOf):
        kind = "all_of" if isinstance(q, c.AllOf) else "any_of"
        return {"kind": kind, "children": [unstructure(x) for x in q.children]}
    if isinstance(q, c.Not):
        return {"kind": "not", "child": unstructure(q.child)}
    if isinstance(q, c.AtLeast):
        return {"kind": "at_least", "k": q.k, "children": [unstructure(x) for x in q.children]}
    if isinstance(q, c.Weighted):
        children = [{"weight": w, "child": unstructure(x)} for x, w in q.criteria]
        return {"kind": "weighted", "threshold": q.threshold, "children": children}
    if isinstance(q, CountItems):
        return {
            "kind": "count_items",
            "path": q.path,
            "at_least": q.at_least,
            "child": unstructure(q.child),
        }
    if isinstance(q, AnyItem):
        items: dict[str, Any] = {"kind": "any_item", "path": q.path, "child": unstructure(q.child)}
        if q.empty_is_unknown:
            items["empty_is_unknown"] = True
        return items
    if isinstance(q, lv.Leaf):
        doc: dict[str, Any] = {"kind": _LEAF_KINDS[type(q)], "path": q.path}
        if isinstance(q, lv.Compare):
            doc.update(op=q.op, value=encode_value(q.value))
        elif isinstance(q, lv.IsIn):
            doc["values"] = [encode_value(v) for v in lv.sorted_values(q.values)]
        elif isinstance(q, lv.Contains):
            doc["value"] = encode_value(q.item)
        elif isinstance(q, lv.Matches):
            doc["pattern"] = q.pattern
            if q.ignore_case:
                doc["ignore_case"] = True
        elif isinstance(q, lv.TimeRelative):
            doc["delta"] = _encode_delta(q.delta)
        return doc
    raise QualifierError(f"cannot serialize {type(q).__name__}")


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
    if kind not in _KINDS:
        expected = ", ".join(repr(k) for k in _KINDS)
        raise SchemaError(
            f"{path}.kind", f"unknown kind {describe(kind)}; expected one of {expected}"
        )
    allowed = {"kind", "name", "description", *_KEYS[kind]}
    extra = sorted(str(k) for k in data if k not in allowed)
    if extra:
        raise SchemaError(
            path, f"unknown field(s) {', '.join(repr(k) for k in extra)} for kind {kind!r}"
        )
    for key in _KEYS[kind]:
        if key not in data and key not in _OPTIONAL:
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
    q = _build(kind, data, path)
    if not isinstance(q, Node):  # pragma: no cover  # every kind builds a built-in node
        raise SchemaError(path, f"kind {kind!r} did not build a qualifier")
    if name is not None or description is not None:
        q = attrs.evolve(q, name=name, description=description)
    return q


def _build(kind: str, data: dict[str, Any], path: str) -> Qualifier:
    """The node of ``kind`` from ``data``: a SchemaError for each field, at its own path."""
    try:
        try:
            return _BUILDERS[kind](data, path)
        except QualifierError as error:
            # Each field is checked at its own path first; what remains belongs to this one.
            field = _ERROR_FIELD.get(kind)
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


def _compare(d: dict[str, Any], path: str) -> Qualifier:
    op = d["op"]
    if type(op) is not str or op not in lv.COMPARISONS:  # a list or dict is not even hashable
        expected = ", ".join(f"'{o}'" for o in lv.COMPARISONS)
        raise SchemaError(
            f"{path}.op", f"unknown operator {describe(op)}; expected one of {expected}"
        )
    return lv.Compare(path=_path(d, path), op=op, value=decode_value(d["value"], f"{path}.value"))


def _membership(cls: type[lv.IsIn]) -> Callable[[dict[str, Any], str], Qualifier]:
    def build(d: dict[str, Any], path: str) -> Qualifier:
        listed = _expect(d["values"], (list,), "a list of values", f"{path}.values")
        values = [decode_value(v, f"{path}.values[{i}]") for i, v in enumerate(listed)]
        return cls(path=_path(d, path), values=values)

    return build


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


#: The field a kind's remaining construction errors are about (paths, values and nested
#: nodes are checked at their own paths before).
_ERROR_FIELD: Final = {
    "compare": "value",
    "in": "values",
    "not_in": "values",
    "contains": "value",
    "matches": "pattern",
    "within": "delta",
    "older_than": "delta",
    "within_next": "delta",
    "within_last": "delta",
    "count_items": "at_least",
    "all_of": "children",
    "any_of": "children",
    "at_least": "k",
    "weighted": "threshold",
}
#: Keys that may be left out.
_OPTIONAL: Final = frozenset({"ignore_case", "empty_is_unknown"})
_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "compare": ("path", "op", "value"),
    "in": ("path", "values"),
    "not_in": ("path", "values"),
    "known": ("path",),
    "missing": ("path",),
    "contains": ("path", "value"),
    "empty": ("path",),
    "not_empty": ("path",),
    "matches": ("path", "pattern", "ignore_case"),
    "within": ("path", "delta"),
    "older_than": ("path", "delta"),
    "within_next": ("path", "delta"),
    "within_last": ("path", "delta"),
    "any_item": ("path", "child", "empty_is_unknown"),
    "count_items": ("path", "at_least", "child"),
    "all_of": ("children",),
    "any_of": ("children",),
    "not": ("child",),
    "at_least": ("k", "children"),
    "weighted": ("threshold", "children"),
}
_BUILDERS: Final[dict[str, Callable[[dict[str, Any], str], Qualifier]]] = {
    "compare": _compare,
    "in": _membership(lv.IsIn),
    "not_in": _membership(lv.NotIn),
    "known": lambda d, p: lv.IsKnown(path=_path(d, p)),
    "missing": lambda d, p: lv.IsMissing(path=_path(d, p)),
    "empty": lambda d, p: lv.IsEmpty(path=_path(d, p)),
    "not_empty": lambda d, p: lv.IsNotEmpty(path=_path(d, p)),
    "contains": lambda d, p: lv.Contains(
        path=_path(d, p), item=decode_value(d["value"], f"{p}.value")
    ),
    "matches": lambda d, p: lv.Matches(
        path=_path(d, p),
        pattern=_expect(d["pattern"], (str,), "a regular expression (str)", f"{p}.pattern"),
        ignore_case=_expect(d.get("ignore_case", False), (bool,), "a bool", f"{p}.ignore_case"),
    ),
    "within": lambda d, p: lv.Within(path=_path(d, p), delta=_delta(d["delta"], f"{p}.delta")),
    "older_than": lambda d, p: lv.OlderThan(
        path=_path(d, p), delta=_delta(d["delta"], f"{p}.delta")
    ),
    "within_next": lambda d, p: lv.WithinNext(
        path=_path(d, p), delta=_delta(d["delta"], f"{p}.delta")
    ),
    "within_last": lambda d, p: lv.WithinLast(
        path=_path(d, p), delta=_delta(d["delta"], f"{p}.delta")
    ),
    "any_item": lambda d, p: any_item(
        _path(d, p),
        _node(d["child"], f"{p}.child"),
        empty_is_unknown=_expect(
            d.get("empty_is_unknown", False), (bool,), "a bool", f"{p}.empty_is_unknown"
        ),
    ),
    "count_items": lambda d, p: count_items(
        _path(d, p),
        _node(d["child"], f"{p}.child"),
        at_least=_expect(d["at_least"], (int,), "an int", f"{p}.at_least"),
    ),
    "all_of": lambda d, p: c.all_of(*_children(d, p)),
    "any_of": lambda d, p: c.any_of(*_children(d, p)),
    "not": lambda d, p: c.negate(_node(d["child"], f"{p}.child")),
    "at_least": lambda d, p: c.at_least(
        _expect(d["k"], (int,), "an int", f"{p}.k"), *_children(d, p)
    ),
    "weighted": _weighted,
}


def _is_qualifier_type(tp: object) -> bool:
    return isinstance(tp, type) and issubclass(tp, Qualifier)


def register(converter: cattrs.Converter) -> None:
    """Register the qualifier structure/unstructure hooks on ``converter``."""

    def structure_hook(data: object, tp: type[Qualifier]) -> Qualifier:
        q = structure(data)
        if not isinstance(q, tp):
            raise SchemaError(
                "$", f"expected a {tp.__name__} document, got kind {_body(q)['kind']!r}"
            )
        return q

    converter.register_structure_hook_func(_is_qualifier_type, structure_hook)
    converter.register_unstructure_hook_func(_is_qualifier_type, unstructure)
