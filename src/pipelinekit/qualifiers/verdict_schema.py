"""The JSON form of verdicts, for APIs and audit logs.

``pk.to_dict(verdict)`` gives the whole explanation as plain JSON types, one object per
node, and ``pk.from_dict(doc, pk.Verdict)`` reads it back:

>>> import pipelinekit as pk
>>> verdict = (pk.field("account.employees") >= 100).evaluate({"account": {"employees": 3}})
>>> doc = pk.to_dict(verdict)
>>> doc["outcome"], doc["reason"], doc["children"]
('fail', 'account.employees 3 < 100', [])
>>> pk.from_dict(doc, pk.Verdict) == verdict
True

Every node has the keys ``outcome`` (``"pass"``, ``"fail"`` or ``"unknown"``), ``label``,
``name`` (the qualifier's name), ``reason``, ``children`` (a list of nodes), ``path``,
``hint``, ``negated`` and ``error`` (``null`` where absent; ``name`` may be left out, as
documents written before it existed do). Reading refuses anything else with
:class:`~pipelinekit.SchemaError`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from pipelinekit._checks import describe, got, type_name
from pipelinekit.errors import SchemaError
from pipelinekit.qualifiers.verdict import VERDICT_FIELDS, Outcome, Verdict, from_preorder

if TYPE_CHECKING:
    import cattrs  # only in annotations: serialization imports it with its converters

__all__ = [
    "MAX_VERDICT_DEPTH",
    "document_schema",
    "register",
    "structure_verdict",
    "unstructure_verdict",
]

#: The deepest verdict document read (qualifiers nest at most 64 levels; items add more).
MAX_VERDICT_DEPTH: Final = 256
_KEYS: Final = frozenset(VERDICT_FIELDS)
#: Keys a document may leave out (added after the first documents were written).
_OPTIONAL_KEYS: Final = frozenset({"name"})
_OUTCOMES: Final = {outcome.value: outcome for outcome in Outcome}


def unstructure_verdict(verdict: Verdict) -> dict[str, Any]:
    """The JSON-ready document of ``verdict`` and everything below it (iteratively)."""
    root: dict[str, Any] = {}
    stack: list[tuple[Verdict, list[dict[str, Any]] | None]] = [(verdict, None)]
    while stack:
        node, siblings = stack.pop()
        below: list[dict[str, Any]] = []
        doc: dict[str, Any] = {
            "outcome": node.outcome.value,
            "label": node.label,
            "name": node.name,
            "reason": node.reason,
            "children": below,
            "path": node.path,
            "hint": node.hint,
            "negated": node.negated,
            "error": node.error,
        }
        if siblings is None:
            root = doc
        else:
            siblings.append(doc)
        stack.extend((child, below) for child in reversed(node.children))
    return root


def structure_verdict(data: object, _: object = None) -> Verdict:
    """Read a verdict document; raise :class:`~pipelinekit.SchemaError` naming the place."""
    _check_depth(data)
    # Iterative: each node is checked (parents first), then the tree is built bottom up.
    nodes: list[tuple[dict[str, Any], int]] = []
    stack: list[tuple[object, str]] = [(data, "$")]
    while stack:
        item, path = stack.pop()
        fields, children = _node(item, path)
        nodes.append((fields, len(children)))
        stack.extend(
            (child, f"{path}.children[{index}]")
            for index, child in reversed(list(enumerate(children)))
        )
    return from_preorder(nodes)


def _check_depth(data: object) -> None:
    # Iterative, so a hostile document cannot reach the recursion limit.
    stack: list[tuple[object, str, int]] = [(data, "$", 1)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_VERDICT_DEPTH:
            raise SchemaError(path, f"verdict nested deeper than {MAX_VERDICT_DEPTH} levels")
        children = item.get("children") if type(item) is dict else None
        if type(children) is list:
            stack.extend(
                (child, f"{path}.children[{index}]", depth + 1)
                for index, child in enumerate(children)
            )


def _text(data: dict[str, Any], key: str, path: str, *, optional: bool) -> str | None:
    value = data[key]
    if type(value) is str or (optional and value is None):
        return value
    expected = "a str or null" if optional else "a str"
    raise SchemaError(f"{path}.{key}", f"expected {expected}, got {got(value)}")


def _node(data: object, path: str) -> tuple[dict[str, Any], list[object]]:
    """The checked fields of the node ``data`` (its children left out) and its children."""
    if type(data) is not dict:
        raise SchemaError(path, f"expected a verdict object, got {got(data)}")
    keys = set(data) | (_OPTIONAL_KEYS & _KEYS)
    if keys != _KEYS:
        if keys - _KEYS:
            unknown = ", ".join(repr(str(k)) for k in sorted(keys - _KEYS, key=str))
            raise SchemaError(path, f"unknown field(s) {unknown}")
        missing = sorted(_KEYS - keys)[0]
        raise SchemaError(f"{path}.{missing}", "required field is missing")
    outcome = _OUTCOMES.get(data["outcome"]) if type(data["outcome"]) is str else None
    if outcome is None:
        raise SchemaError(
            f"{path}.outcome",
            f"expected 'pass', 'fail' or 'unknown', got {describe(data['outcome'])}",
        )
    children = data["children"]
    if type(children) is not list:
        raise SchemaError(f"{path}.children", f"expected a list, got {type_name(children)}")
    negated = data["negated"]
    if type(negated) is not bool:
        raise SchemaError(f"{path}.negated", f"expected a bool, got {describe(negated)}")
    fields = {
        "outcome": outcome,
        "label": _text(data, "label", path, optional=False),
        "name": _text(data, "name", path, optional=True) if "name" in data else None,
        "reason": _text(data, "reason", path, optional=False),
        "path": _text(data, "path", path, optional=True),
        "hint": _text(data, "hint", path, optional=True),
        "negated": negated,
        "error": _text(data, "error", path, optional=True),
    }
    return fields, children


def document_schema(verdict_ref: str, schema_version: int) -> dict[str, Any]:
    """The JSON Schema of one verdict node, as :func:`structure_verdict` reads it.

    ``verdict_ref`` is the reference to this schema itself (children are verdicts). As loose
    as the reader or looser: the depth limit is left to it.
    """
    text_or_null = {"type": ["string", "null"]}
    return {
        "type": "object",
        "description": "One node of an explanation: its outcome, why, and its children.",
        "properties": {
            "outcome": {"enum": list(_OUTCOMES)},
            "label": {"type": "string"},
            "name": text_or_null,
            "reason": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": verdict_ref}},
            "path": text_or_null,
            "hint": text_or_null,
            "negated": {"type": "boolean"},
            "error": text_or_null,
            "schema_version": {"const": schema_version},
        },
        "required": sorted(_KEYS - _OPTIONAL_KEYS),
        "additionalProperties": False,
    }


def register(converter: cattrs.Converter) -> None:
    """Register the verdict structure/unstructure hooks on ``converter``."""
    converter.register_unstructure_hook(Verdict, unstructure_verdict)
    converter.register_structure_hook(Verdict, structure_verdict)
