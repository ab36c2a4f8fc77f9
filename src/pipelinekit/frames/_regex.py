r"""Python regular expressions rewritten for dataframe engines, with exactly Python's meaning.

``field(p).matches(pattern)`` means ``re.search(pattern, value)``. Engines run other dialects:
polars the Rust ``regex`` crate, pyarrow and DuckDB RE2, Spark Java's ``Pattern``. They agree on
a core (literals, classes of explicit code points, repetition, alternation, ``^``) and differ on
the rest: ``$`` also matches before a final newline in Python only, ``.`` excludes ``\r`` in
Java, ``\d`` / ``\s`` / ``\w`` are ASCII in RE2 and Unicode in Python. So the pattern is parsed
by Python's own parser and written out again in that core, every escape as ``\x{…}`` and
every class (``\d``, ``\s``, ``.``) as the explicit code points Python's class holds. What
cannot be written exactly (backreferences, look-arounds, word boundaries, the ``m``, ``s``
and ``a`` flags) is refused with a :class:`~pipelinekit.QualifierError`, never approximated.

Case-insensitive matching (``ignore_case=True``, ``(?i)``, ``(?i:…)``) is not left to the
engines' ``(?i)``, which folds case differently: Rust ``regex`` and RE2 use Unicode simple
case folding, so ``i`` never matches the dotless i (U+0131) or the dotted capital I (U+0130)
there, while Python's ``re.IGNORECASE`` (lowercase mappings plus its own extra cases) matches
both; Java's ``(?i)`` is ASCII-only unless ``(?u)`` is given too. Instead every literal and
class is written as the explicit code points Python's ``re`` matches with ``IGNORECASE``
(found by running Python's ``re`` over every code point: ``s`` becomes ``S``, ``s`` and the
long s U+017F; ``k`` also the Kelvin sign U+212A), which every engine reads alike.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any, Final

from pipelinekit.errors import QualifierError

try:
    from re import _constants as _sre  # type: ignore[attr-defined]  # private, no stubs
    from re import _parser as _sre_parser  # type: ignore[attr-defined]  # private, no stubs
except ImportError:  # pragma: no cover - another Python
    _sre = _sre_parser = None

__all__ = ["portable_pattern"]

_MAX_CODE: Final = 0x10FFFF
_SURROGATES: Final = (0xD800, 0xDFFF)


class _Refused(Exception):  # private control flow
    """The pattern has a construct with no exact portable spelling."""


@functools.cache
def _category(name: str) -> tuple[tuple[int, int], ...]:
    r"""The code point ranges Python's ``\d`` / ``\s`` / ``\w`` match in a str pattern."""
    return _matched({"DIGIT": r"\d", "SPACE": r"\s", "WORD": r"\w"}[name], fold=False)


def _without_surrogates(ranges: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    low, high = _SURROGATES
    for start, end in ranges:
        if end < low or start > high:
            yield start, end
            continue
        if start < low:
            yield start, low - 1
        if end > high:
            yield high + 1, end


def _invert(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    nxt = 0
    for start, end in sorted(ranges):
        if start > nxt:
            out.append((nxt, start - 1))
        nxt = max(nxt, end + 1)
    if nxt <= _MAX_CODE:
        out.append((nxt, _MAX_CODE))
    return out


def _char(code: int) -> str:
    return f"\\x{{{code:X}}}"


def _py_char(code: int) -> str:
    """``code`` as Python's ``re`` reads one code point, anywhere in a pattern."""
    return f"\\U{code:08X}"


@functools.cache
def _every_character() -> str:
    """Every code point but the surrogates (no engine's text holds one), in order."""
    low, high = _SURROGATES
    return "".join(chr(c) for c in range(_MAX_CODE + 1) if not low <= c <= high)


def _code_ranges(start: int, end: int) -> Iterator[tuple[int, int]]:
    """Positions ``start..end`` of :func:`_every_character` as code point ranges."""
    low, high = _SURROGATES
    gap = high - low + 1
    if end < low:
        yield start, end
    elif start >= low:
        yield start + gap, end + gap
    else:
        yield start, low - 1
        yield high + 1, end + gap


@functools.cache
def _matched(source: str, *, fold: bool) -> tuple[tuple[int, int], ...]:
    """The code points Python's ``re`` matches with ``source`` (one character), as ranges.

    Python's own answer, not a model of it: the one-character pattern is run over every
    code point (in runs, so a large class costs one scan); ``fold``: with IGNORECASE.
    """
    flags = re.IGNORECASE if fold else 0
    runs = re.finditer(f"(?:{source})+", _every_character(), flags)
    return tuple(r for m in runs for r in _code_ranges(m.start(), m.end() - 1))


def _folded(source: str) -> tuple[tuple[int, int], ...]:
    """The code points Python's ``re.IGNORECASE`` matches with ``source`` (one character)."""
    return _matched(source, fold=True)


def _class(ranges: Iterable[tuple[int, int]]) -> str:
    parts = [
        _char(a) if a == b else f"{_char(a)}-{_char(b)}"
        for a, b in _without_surrogates(sorted(ranges))
    ]
    if not parts:  # a class that matches nothing (never in practice)
        return "[^\\x{0}-\\x{D7FF}\\x{E000}-\\x{10FFFF}]"
    return "[" + "".join(parts) + "]"


def _py_class(items: Any) -> str:
    """A class's items as Python's ``re`` reads them (to ask ``re`` what they fold to)."""
    names = {
        _sre.CATEGORY_DIGIT: "\\d",
        _sre.CATEGORY_NOT_DIGIT: "\\D",
        _sre.CATEGORY_SPACE: "\\s",
        _sre.CATEGORY_NOT_SPACE: "\\S",
        _sre.CATEGORY_WORD: "\\w",
        _sre.CATEGORY_NOT_WORD: "\\W",
    }
    parts: list[str] = []
    for op, av in items:
        if op is _sre.NEGATE:
            parts.insert(0, "^")
        elif op is _sre.LITERAL:
            parts.append(_py_char(av))
        elif op is _sre.RANGE:
            parts.append(f"{_py_char(av[0])}-{_py_char(av[1])}")
        elif op is _sre.CATEGORY and av in names:
            parts.append(names[av])
        else:
            raise _Refused(str(op))
    return "[" + "".join(parts) + "]"


def _literal(code: int, *, fold: bool) -> str:
    if not fold:
        return _char(code)
    ranges = _folded(_py_char(code))
    return _char(code) if ranges == ((code, code),) else _class(ranges)


def _class_ranges(items: Any) -> list[tuple[int, int]]:
    negate = False
    ranges: list[tuple[int, int]] = []
    for op, av in items:
        if op is _sre.NEGATE:
            negate = True
        elif op is _sre.LITERAL:
            ranges.append((av, av))
        elif op is _sre.RANGE:
            ranges.append(av)
        elif op is _sre.CATEGORY:
            ranges.extend(_category_ranges(av))
        else:
            raise _Refused(str(op))
    return _invert(ranges) if negate else ranges


def _category_ranges(category: Any) -> list[tuple[int, int]]:
    names = {
        _sre.CATEGORY_DIGIT: ("DIGIT", False),
        _sre.CATEGORY_NOT_DIGIT: ("DIGIT", True),
        _sre.CATEGORY_SPACE: ("SPACE", False),
        _sre.CATEGORY_NOT_SPACE: ("SPACE", True),
        _sre.CATEGORY_WORD: ("WORD", False),
        _sre.CATEGORY_NOT_WORD: ("WORD", True),
    }
    if category not in names:
        raise _Refused(str(category))
    name, negate = names[category]
    ranges = list(_category(name))
    return _invert(ranges) if negate else ranges


def _write(items: Any, *, last: bool, fold: bool) -> str:  # one branch per construct
    """The parsed ``items`` in the shared dialect; ``fold``: as Python's IGNORECASE reads them."""
    out = []
    count = len(items)
    for index, (op, av) in enumerate(items):
        is_last = last and index == count - 1
        if op is _sre.LITERAL:
            out.append(_literal(av, fold=fold))
        elif op is _sre.NOT_LITERAL:
            out.append(_class(_folded(f"[^{_py_char(av)}]") if fold else _invert([(av, av)])))
        elif op is _sre.ANY:  # Python's "." is anything but a newline (case does not matter)
            out.append(_class(_invert([(10, 10)])))
        elif op is _sre.IN:
            out.append(_class(_folded(_py_class(av)) if fold else _class_ranges(av)))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            low, high, body = av
            # For "is there a match" a lazy repetition finds one exactly when a greedy one does.
            bound = "" if high is _sre.MAXREPEAT else str(high)
            out.append(f"(?:{_write(body, last=False, fold=fold)}){{{low},{bound}}}")
        elif op is _sre.SUBPATTERN:
            _group, add_flags, del_flags, body = av
            if (add_flags | del_flags) & ~re.IGNORECASE:
                raise _Refused("inline flags other than i")
            inner = (fold or bool(add_flags)) and not del_flags
            out.append(f"(?:{_write(body, last=is_last, fold=inner)})")
        elif op is _sre.BRANCH:
            branches = (_write(b, last=is_last, fold=fold) for b in av[1])
            out.append("(?:" + "|".join(branches) + ")")
        elif op is _sre.AT:
            out.append(_anchor(av, last=is_last))
        else:
            raise _Refused(str(op))
    return "".join(out)


def _anchor(at: Any, *, last: bool) -> str:
    if at in (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING):
        return "^"
    if at is _sre.AT_END_STRING:
        return "\\z"  # not "$": Java's "$" also matches before a final line terminator
    if at is _sre.AT_END and last:
        # Python's "$" (no MULTILINE) also matches before a final newline; consuming that
        # newline changes nothing for "is there a match" when nothing follows.
        return "(?:\\n?\\z)"
    raise _Refused(str(at))


@functools.cache
def portable_pattern(pattern: str, *, ignore_case: bool) -> str:
    r"""``pattern`` in the dialect every engine shares; a QualifierError when not possible.

    With ``ignore_case`` (or ``(?i)``), every cased literal and class is written as the code
    points Python's ``re.IGNORECASE`` matches with it:

    >>> portable_pattern("^ab?$", ignore_case=False)
    '^\\x{61}(?:\\x{62}){0,1}(?:\\n?\\z)'
    >>> portable_pattern("s1", ignore_case=True)
    '[\\x{53}\\x{73}\\x{17F}]\\x{31}'
    """
    if _sre_parser is None:  # pragma: no cover - another Python
        raise QualifierError(f"matches({pattern!r}) cannot be analysed on this Python")
    try:
        parsed = _sre_parser.parse(pattern)
        flags = parsed.state.flags
        if flags & (re.MULTILINE | re.DOTALL | re.ASCII):
            raise _Refused("inline flags other than i")
        return _write(parsed, last=True, fold=ignore_case or bool(flags & re.IGNORECASE))
    except _Refused as refused:
        raise QualifierError(
            f"matches({pattern!r}) cannot run on dataframes exactly as Python's re ({refused}):"
            " use literals, classes, repetition, alternation, ^, $ and the i flag"
        ) from None
