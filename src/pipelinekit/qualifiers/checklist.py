"""A qualifier as a checklist to read before evaluating anything: ``q.checklist()``.

A sales team reads criteria as a list to tick: one box per check, composites as headings
over their parts (``at least 3 of:``). :func:`checklist` walks any tree through the
generic interface every qualifier has (``children``, ``name``, ``description``, ``str``)
and reads a composite's heading from its class's ``NODE_KIND``; everything else (a leaf,
a collection check, a custom qualifier) is one box with its text. So a new leaf kind needs
nothing here.

The walk is iterative: a tree deeper than the recursion limit (custom qualifiers are not
bounded by :data:`~pipelinekit.MAX_DEPTH`) still gives its checklist.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Final

import attrs

from pipelinekit._checks import IntInRange, as_tuple, got, instance_of
from pipelinekit._pretty import PrettyPrinter, pretty_lines
from pipelinekit._text import escape_text
from pipelinekit.errors import FieldValueError

if TYPE_CHECKING:
    from pipelinekit.qualifiers.core import Qualifier

__all__ = ["BOX", "Checklist", "ChecklistItem", "checklist"]

#: The mark of a check to tick.
BOX: Final = "☐"
_INDENT: Final = "  "


@attrs.frozen(kw_only=True)
class ChecklistItem:
    """One line of a :class:`Checklist`.

    Attributes:
        depth: How deep in the tree the line is (the root is 0).
        text: What the line says: ``Budget: budget >= 10,000.00 EUR — a budget ...`` for a
            check, ``at least 3 of:`` for a heading.
        heading: Whether the line heads the lines below it (a composite) rather than
            being a check to tick.

    .. versionadded:: 0.2.0
    """

    depth: int = attrs.field(validator=IntInRange(0, optional=False))
    text: str = attrs.field(validator=instance_of(str))
    heading: bool = attrs.field(default=False, validator=instance_of(bool))

    def line(self, indent: str = _INDENT) -> str:
        """The line as :class:`Checklist` prints it: indented, a box before a check."""
        mark = "" if self.heading else f"{BOX} "
        return escape_text(f"{indent * self.depth}{mark}{self.text}")


def _to_items(value: Iterable[ChecklistItem]) -> tuple[ChecklistItem, ...]:
    items = as_tuple("items", value, ChecklistItem)
    previous = -1
    for index, item in enumerate(items):
        if item.depth > previous + 1:
            raise FieldValueError(
                f"items[{index}].depth",
                f"must be at most {previous + 1} (one level below the item before),"
                f" got {got(item.depth)}",
            )
        previous = item.depth
    return items


@attrs.frozen(kw_only=True)
class Checklist:
    """A qualifier's criteria as an indented list of checks, in tree order.

    ``str`` is the text checklist; in a notebook it shows as nested HTML lists
    (``_repr_html_``, every text escaped) and in IPython on several lines
    (``_repr_pretty_``). Build one with :meth:`pipelinekit.Qualifier.checklist`.

    >>> import pipelinekit as pk
    >>> q = pk.at_least(
    ...     2,
    ...     (pk.field("budget") >= pk.Money("10000", "USD")).named("Budget", "money is set aside"),
    ...     pk.field("authority") == True,
    ...     pk.field("need").is_known() | pk.field("pains").is_not_empty(),
    ... ).named("Lite BANT")
    >>> print(q.checklist())
    Lite BANT (at least 2 of)
      ☐ Budget: budget >= 10,000.00 USD — money is set aside
      ☐ authority == True
      any of:
        ☐ need is known
        ☐ pains is not empty

    Attributes:
        items: The lines, parents before their children.

    .. versionadded:: 0.2.0
    """

    items: tuple[ChecklistItem, ...] = attrs.field(converter=_to_items)

    def lines(self, indent: str = _INDENT) -> Iterator[str]:
        """The text lines, one per item."""
        return (item.line(indent) for item in self.items)

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __len__(self) -> int:
        return len(self.items)

    def _repr_pretty_(self, p: PrettyPrinter, cycle: bool) -> None:  # noqa: FBT001  # IPython's protocol
        pretty_lines(p, cycle, "Checklist", self.lines())

    def _repr_html_(self) -> str:
        """Nested ``<ul>`` lists, one ``<li>`` per item, every text escaped."""
        nested = "<ul style='list-style:none;margin:0;padding-left:1.2em'>"
        out = ["<ul class='pipelinekit-checklist' style='list-style:none;padding-left:0'>"]
        previous: int | None = None
        for item in self.items:  # depths go down one level at a time (checked when built)
            if previous is not None:
                if item.depth > previous:
                    out.append(nested)  # the first child of the previous item
                else:
                    out.append("</li>" + "</ul></li>" * (previous - item.depth))
            text = html.escape(item.text)
            out.append(f"<li><b>{text}</b>" if item.heading else f"<li>{BOX} {text}")
            previous = item.depth
        if previous is not None:
            out.append("</li>" + "</ul></li>" * previous)
        out.append("</ul>")
        return "".join(out)


def _weight_text(value: object) -> str:
    return str(value)


def _weighted(node: Any) -> tuple[str, tuple[str, ...]]:
    weights = tuple(f"weight {_weight_text(w)}: " for _, w in node.criteria)
    reach = f"weights reaching {_weight_text(node.threshold)} of {_weight_text(node.total)}"
    return reach, weights


#: The composite kinds (their class's ``NODE_KIND``) and their heading, with a note put
#: before each child's line (a weight) or none. Any other node is a check.
_HEADINGS: Final[dict[str, Callable[[Any], tuple[str, tuple[str, ...] | None]]]] = {
    "all_of": lambda node: ("all of", None),
    "any_of": lambda node: ("any of", None),
    "not": lambda node: ("not", None),
    "at_least": lambda node: (f"at least {node.k} of", None),
    "weighted": _weighted,
}


def _heading(node: Qualifier) -> tuple[str, tuple[str, ...] | None] | None:
    """The heading of a composite node, or ``None`` for a check."""
    kind = getattr(type(node), "NODE_KIND", None)
    build = _HEADINGS.get(kind) if type(kind) is str else None
    if build is None or not node.children:
        return None
    return build(node)


def checklist(qualifier: Qualifier) -> Checklist:
    """The checklist of ``qualifier``'s tree (see :class:`Checklist`), without evaluating it.

    A check reads ``name: text — description`` (only the parts there are); a heading
    ``name (all of) — description``, or ``all of:`` when unnamed.
    """
    items: list[ChecklistItem] = []
    stack: list[tuple[Qualifier, int, str]] = [(qualifier, 0, "")]
    while stack:
        node, depth, note = stack.pop()
        name, description = node.name, node.description
        heading = _heading(node)
        if heading is None:
            text = str(node) if name is None else f"{name}: {node}"
        else:
            text = f"{heading[0]}:" if name is None else f"{name} ({heading[0]})"
        if description is not None:
            text += f" — {description}"
        items.append(ChecklistItem(depth=depth, text=note + text, heading=heading is not None))
        if heading is not None:
            children = node.children
            notes = heading[1] or ("",) * len(children)
            stack.extend(
                (child, depth + 1, child_note)
                for child, child_note in reversed(list(zip(children, notes, strict=True)))
            )
    return Checklist(items=tuple(items))
