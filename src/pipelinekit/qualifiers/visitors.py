"""One home per node kind: interpretations of qualifier trees as visitors.

A qualifier tree is data. Its meaning is defined once, by the nodes themselves
(:meth:`~pipelinekit.Qualifier.evaluate`, the interpreter, is the reference). Every other
interpretation of a tree (the generated Python fast path, the JSON document format, the
dataframe compiler of :mod:`pipelinekit.frames`) is a subclass of :class:`Visitor` with one
``visit_<kind>`` method per node kind, as SQLAlchemy's compilers have one per clause: the
nodes stay plain data, each target lives in one module, and adding a node kind means one
method in each interpretation, which the class itself checks when it is defined.

Each built-in node class names its kind in ``NODE_KIND`` (the same word as the ``kind`` of its
document: ``"compare"``, ``"in"``, ``"all_of"`` ...). :func:`node_kinds` lists them all; a
:class:`Visitor` subclass that misses one is refused with a ``TypeError`` at class creation
(an abstract helper base passes ``partial=True``), and ``tests/qualifiers/test_visitors.py``
checks every interpretation against every kind once all are imported. A qualifier that is
not a built-in node (a custom :class:`~pipelinekit.Qualifier` subclass) is handed to
``visit_custom``.

See ``docs/interpretations.md`` for why visitors, and not one more method on every node.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from pipelinekit.qualifiers.core import Node, Qualifier

__all__ = ["Visitor", "kind_of_node", "node_kinds", "register_kind"]

R = TypeVar("R")

_KINDS: dict[str, type[Node]] = {}


def register_kind(cls: type[Node]) -> type[Node]:
    """Record ``cls`` as the class of its ``NODE_KIND`` (a class decorator for node classes).

    Applied after attrs has built the class, so the registered class is the final one.
    """
    kind = cls.__dict__.get("NODE_KIND")
    if type(kind) is not str or not kind.isidentifier():
        msg = f"{cls.__name__} must define NODE_KIND as an identifier"
        raise TypeError(msg)
    known = _KINDS.get(kind)
    if known is not None and known.__qualname__ != cls.__qualname__:
        msg = f"node kind {kind!r} is already {known.__qualname__}"
        raise TypeError(msg)
    _KINDS[kind] = cls
    return cls


def node_kinds() -> dict[str, type[Node]]:
    """Every built-in node kind and its class, in the order their modules define them.

    The node modules (``leaves``, ``composites``, ``items``) register their classes when
    imported; ``pipelinekit.qualifiers`` imports all of them, so by the time any code can
    build a tree, every kind is here.
    """
    return dict(_KINDS)


_BY_TYPE: dict[type, str | None] = {}


def kind_of_node(node: Qualifier) -> str | None:
    """The ``NODE_KIND`` of ``node``'s class (or of the built-in class it extends).

    ``None`` for a custom qualifier.
    """
    cls = type(node)
    try:
        return _BY_TYPE[cls]
    except KeyError:
        pass
    found = None
    for base in cls.__mro__:
        kind = base.__dict__.get("NODE_KIND")
        if kind is not None and _KINDS.get(kind) is base:
            found = kind
            break
    _BY_TYPE[cls] = found  # a benign race: every thread computes the same answer
    return found


class Visitor(Generic[R]):
    """Base of an interpretation: ``visit(node, *args)`` calls ``visit_<kind>(node, *args)``.

    Subclasses define ``visit_<kind>`` for every kind in :func:`node_kinds` and
    ``visit_custom`` for qualifiers that are not built-in nodes; a missing one is a
    ``TypeError`` when the subclass is created. Methods may be shared
    (``visit_within = visit_older_than = _time``).
    """

    _methods: ClassVar[dict[str, Callable[..., Any]]] = {}

    def __init_subclass__(cls, *, partial: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if partial:
            return
        methods: dict[str, Callable[..., Any]] = {}
        missing = []
        for kind in [*node_kinds(), "custom"]:
            method = getattr(cls, f"visit_{kind}", None)
            if method is None:
                missing.append(f"visit_{kind}")
            else:
                methods[kind] = method
        if missing:
            msg = f"{cls.__name__} does not interpret every node kind: define {', '.join(missing)}"
            raise TypeError(msg)
        cls._methods = methods

    def visit(self, node: Qualifier, *args: Any) -> R:
        """Interpret ``node`` by its kind."""
        kind = kind_of_node(node)
        return self._methods[kind or "custom"](self, node, *args)  # type: ignore[no-any-return]
