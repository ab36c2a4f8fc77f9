"""Text that is safe to print on one line: finding and escaping unsafe characters.

The one place the rule lives: qualifier names and labels refuse unsafe characters, and
error messages (``InvalidPipeline``, ``InvalidTransition``, ``InvalidHistory``) and
explanations write them as escapes, so a name from stored data cannot forge, hide or
break a line in a log.

.. versionadded:: 0.2.0 (moved from :mod:`pipelinekit.qualifiers.verdict`, which still
   re-exports both names)
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

__all__ = ["UNSAFE_TEXT", "escape_text", "one_line_problem"]

_UNSAFE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


@dataclass(frozen=True, slots=True)
class _UnsafeChar:
    """One unsafe character found by :data:`UNSAFE_TEXT` (shaped like an ``re.Match``)."""

    char: str
    index: int

    def group(self) -> str:
        """The unsafe character."""
        return self.char

    def start(self) -> int:
        """Its index in the text."""
        return self.index


class _UnsafeText:
    """Finds characters that are not printable, one-line text, by Unicode category.

    Refused: controls (``Cc``, newlines included), format characters (``Cf``: the RTL
    mark, zero-width space, BOM, soft hyphen, bidirectional overrides), lone surrogates
    (``Cs``, which cannot even be encoded), private-use (``Co``) and unassigned (``Cn``)
    code points, and line and paragraph separators (``Zl``, ``Zp``).

    >>> UNSAFE_TEXT.search("Budget\u200b") is not None, UNSAFE_TEXT.search("Café ✓") is None
    (True, True)
    """

    def _found(self, text: str) -> Iterator[_UnsafeChar]:
        for index, char in enumerate(text):
            if unicodedata.category(char) in _UNSAFE_CATEGORIES:
                yield _UnsafeChar(char, index)

    def search(self, text: str) -> _UnsafeChar | None:
        """The first unsafe character of ``text``, or ``None`` when there is none."""
        if text.isprintable():  # fast path: only Zs other than " " is non-printable and safe
            return None
        return next(self._found(text), None)

    def sub(self, repl: str | Callable[[_UnsafeChar], str], text: str) -> str:
        """``text`` with each unsafe character replaced by ``repl`` (or its result)."""
        if self.search(text) is None:
            return text
        parts = list(text)
        for found in self._found(text):
            parts[found.index] = repl if isinstance(repl, str) else repl(found)
        return "".join(parts)


#: Characters that could forge, hide or break lines in a text explanation (see
#: :class:`_UnsafeText`): names, descriptions and labels must have none.
UNSAFE_TEXT: Final = _UnsafeText()


def escape_text(text: str) -> str:
    r"""``text`` with unsafe characters written as escapes (``\n``), the rest unchanged.

    >>> print(escape_text("Budget\n  ✓ Authority"))
    Budget\n  ✓ Authority
    """
    if UNSAFE_TEXT.search(text) is None:
        return text
    return UNSAFE_TEXT.sub(lambda m: repr(m.group())[1:-1], text)


def one_line_problem(text: str) -> str | None:
    r"""Why ``text`` is not one line of printable text (for an error message), or ``None``.

    The rule of qualifier names and descriptions and of stage labels; each caller raises
    its own error with it.

    >>> one_line_problem("Budget"), one_line_problem("Bud\nget")
    (None, "must be one line of printable text; found '\\n' at index 3")
    """
    unsafe = UNSAFE_TEXT.search(text)
    if unsafe is None:
        return None
    return f"must be one line of printable text; found {unsafe.group()!r} at index {unsafe.start()}"
