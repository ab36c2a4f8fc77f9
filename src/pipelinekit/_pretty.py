"""IPython's pretty-printing protocol (``_repr_pretty_``), without importing IPython.

The one place that lays values out on several lines: entities, value objects, verdicts,
checklists, pipelines, scores and metric results delegate their ``_repr_pretty_`` here. A
notebook or IPython prompt then shows a contact as one field a line, nested entities
indented, instead of one line of a thousand characters.

Bounds, so no value can make a line unreadable: a value takes at most :data:`MAX_VALUE`
characters (a longer one is cut, as :func:`~pipelinekit._checks.describe` cuts error
values), a collection shows at most :data:`MAX_ITEMS` items and counts the others, a text
block at most :data:`MAX_LINES` lines, and every line is cut at :data:`MAX_LINE`
characters, its indentation at :data:`MAX_INDENT`. Unsafe characters are escaped
(:func:`~pipelinekit._text.escape_text`), and a field whose ``repr`` masks personal data
(``Contact.email``) is masked here too.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, Protocol

import attrs

from pipelinekit._checks import describe
from pipelinekit._text import escape_text

__all__ = [
    "MAX_INDENT",
    "MAX_ITEMS",
    "MAX_LINE",
    "MAX_LINES",
    "MAX_VALUE",
    "PrettyPrinter",
    "attrs_lines",
    "bounded",
    "emit",
    "pretty_attrs",
    "pretty_lines",
    "repr_pretty",
    "value_text",
]

#: The longest line written, in characters (longer lines are cut with ``…``).
MAX_LINE: Final = 100
#: The most columns of indentation kept (deeper lines keep this much, marked ``»``).
MAX_INDENT: Final = 40
#: The longest rendering of one field value, in characters.
MAX_VALUE: Final = 60
#: The most items of a collection laid out; a line counts the others.
MAX_ITEMS: Final = 10
#: The most lines of a text block (a verdict, a checklist); a line counts the others.
MAX_LINES: Final = 200

_STEP: Final = "  "
#: The widest a whole value may be to print on one line (IPython's default width).
_FLAT_TOP: Final = 79


class PrettyPrinter(Protocol):
    """The part of IPython's ``RepresentationPrinter`` that ``_repr_pretty_`` uses."""

    def text(self, obj: str) -> None:
        """Write ``obj`` on the current line."""

    def break_(self) -> None:
        """Start a new line, at the printer's current indentation."""


def bounded(line: str, width: int | None = MAX_LINE) -> str:
    """``line`` made safe and short: escaped, indentation and length cut to the bounds.

    ``width=None`` keeps the whole line (a table's row, whose cells are bounded already).

    >>> bounded("x" * 120)[-3:], len(bounded("x" * 120))
    ('xx…', 100)
    >>> bounded(" " * 90 + "deep")
    '                                        » deep'
    """
    line = escape_text(line)
    text = line.lstrip(" ")
    if len(line) - len(text) > MAX_INDENT:
        line = " " * MAX_INDENT + "» " + text
    if width is not None and len(line) > width:
        line = line[: width - 1] + "…"
    return line


def emit(p: PrettyPrinter, lines: Iterable[str], width: int | None = MAX_LINE) -> None:
    """Write ``lines`` to ``p``: each :func:`bounded` to ``width``, at most :data:`MAX_LINES`."""
    shown = 0
    hidden = 0
    for line in lines:
        if shown == MAX_LINES:
            hidden += 1
            continue
        if shown:
            p.break_()
        p.text(bounded(line, width))
        shown += 1
    if hidden:
        p.break_()
        p.text(f"… {hidden:,} more line{'s' if hidden > 1 else ''}")


def pretty_lines(
    p: PrettyPrinter,
    cycle: bool,  # noqa: FBT001  # IPython's protocol: cycle is positional
    name: str,
    lines: Iterable[str],
    width: int | None = MAX_LINE,
) -> None:
    """``_repr_pretty_`` of an object shown by its text lines (a verdict, a score)."""
    if cycle:
        p.text(f"{name}(...)")
        return
    emit(p, lines, width)


def pretty_attrs(p: PrettyPrinter, cycle: bool, obj: object) -> None:  # noqa: FBT001  # IPython's protocol
    """``_repr_pretty_`` of an attrs instance: one field a line (see :func:`attrs_lines`)."""
    if cycle:
        p.text(f"{type(obj).__name__}(...)")
        return
    emit(p, attrs_lines(obj))


def repr_pretty(self: object, p: PrettyPrinter, cycle: bool) -> None:  # noqa: FBT001  # IPython's protocol
    """A ready ``_repr_pretty_`` for attrs classes: ``_repr_pretty_ = repr_pretty``."""
    pretty_attrs(p, cycle, self)


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, tuple | list | frozenset | set | Mapping):
        return not value
    return False


def _fields(obj: object) -> list[tuple[str, object, str | None]]:
    """The shown fields of an attrs instance: name, value, and its masked text if masked.

    Fields left out of ``repr`` are left out here too; empty ones (``None``, ``()``,
    ``{}``) are left out to keep the layout short (they are the defaults).
    """
    shown: list[tuple[str, object, str | None]] = []
    cls: Any = type(obj)  # an attrs class (callers check attrs.has)
    for attribute in attrs.fields(cls):
        if attribute.repr is False:
            continue
        value = getattr(obj, attribute.name)
        if _is_empty(value):
            continue
        masked = attribute.repr(value) if callable(attribute.repr) else None
        shown.append((attribute.name, value, masked))
    return shown


def value_text(value: object, limit: int = MAX_VALUE) -> str:
    """One value as a field shows it: dates in ISO 8601, others a ``repr`` cut at ``limit``.

    >>> from datetime import UTC, datetime
    >>> value_text(datetime(2026, 1, 5, 9, 30, tzinfo=UTC)), value_text("x" * 80, 20)
    ('2026-01-05 09:30:00+00:00', "'xxxxxxx...xxxxxxx'")
    >>> from pipelinekit import Stage
    >>> value_text(Stage.LEAD)
    'Stage.LEAD'
    """
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    return describe(value, limit)


def _flat(value: object, room: int) -> str | None:
    """``value`` on one line if it fits in ``room`` characters, else ``None``."""
    if attrs.has(type(value)):
        parts = (f"{n}={m if m is not None else value_text(v)}" for n, v, m in _fields(value))
        text = f"{type(value).__name__}({', '.join(parts)})"
    elif isinstance(value, tuple | list) and any(attrs.has(type(v)) for v in value):
        text = repr(value) if len(value) <= MAX_ITEMS else ""
    elif isinstance(value, Mapping):
        text = "{" + ", ".join(f"{k!r}: {value_text(v)}" for k, v in value.items()) + "}"
    else:
        return value_text(value, max(min(room, MAX_VALUE), 12))
    return text if text and len(text) <= room else None


def attrs_lines(obj: object) -> list[str]:
    r"""The lines of an attrs instance: ``Name(``, a line per non-empty field, ``)``.

    Nested attrs instances, collections of them and mappings that do not fit on their
    line are laid out below their field, indented; a collection shows at most
    :data:`MAX_ITEMS` items. Iterative, so nesting depth costs no recursion.

    >>> from pipelinekit import Account, Contact
    >>> print("\n".join(attrs_lines(Contact(id="c-1", name="Jane", email="jane@acme.example",
    ...     account=Account(name="Acme", industry="software", employees=250, country="DE",
    ...                     website="https://acme.example")))))
    Contact(
      id='c-1',
      name='Jane',
      email='j***@acme.example',
      account=Account(
        name='Acme',
        industry='software',
        employees=250,
        country='DE',
        website='https://acme.example',
      ),
      stage=Stage.LEAD,
      version=0,
    )
    """
    lines: list[str] = []
    # Work items: (depth, prefix, value, masked text, suffix); a str item is a finished line.
    stack: list[tuple[int, str, object, str | None, str] | str] = [(0, "", obj, None, "")]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            lines.append(item)
            continue
        depth, prefix, value, masked, suffix = item
        indent = _STEP * depth
        room = MAX_LINE - len(indent) - len(prefix) - len(suffix)
        if masked is not None:
            shown = masked if len(masked) <= MAX_VALUE else masked[: MAX_VALUE - 1] + "…"
            lines.append(f"{indent}{prefix}{shown}{suffix}")
            continue
        flat = _flat(value, _FLAT_TOP if depth == 0 else room)  # small values stay on a line
        if flat is not None:
            lines.append(f"{indent}{prefix}{flat}{suffix}")
            continue
        if attrs.has(type(value)):  # every field is shown
            opening, closing = f"{type(value).__name__}(", ")"
            children = [(f"{n}=", v, m) for n, v, m in _fields(value)]
            limit = len(children)
        else:  # a collection: at most MAX_ITEMS items
            limit = MAX_ITEMS
            if isinstance(value, Mapping):
                opening, closing = "{", "}"
                children = [(f"{k!r}: ", v, None) for k, v in value.items()]
            else:  # a tuple or list holding attrs instances (see _flat)
                opening, closing = ("(", ")") if isinstance(value, tuple) else ("[", "]")
                children = [("", v, None) for v in value]  # type: ignore[attr-defined]
        lines.append(f"{indent}{prefix}{opening}")
        todo: list[tuple[int, str, object, str | None, str] | str] = [
            (depth + 1, child_prefix, child, child_masked, ",")
            for child_prefix, child, child_masked in children[:limit]
        ]
        if len(children) > limit:
            todo.append(f"{indent}{_STEP}… {len(children) - limit:,} more")
        todo.append(f"{indent}{closing}{suffix}")
        stack.extend(reversed(todo))
    return lines
