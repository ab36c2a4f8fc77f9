r"""Python regular expressions rewritten for dataframe engines, with exactly Python's meaning.

``field(p).matches(pattern)`` means ``re.search(pattern, value)``. Engines run other dialects:
polars the Rust ``regex`` crate, pyarrow and DuckDB RE2, Spark Java's ``Pattern``. They agree on
a core (literals, classes of explicit code points, repetition, alternation, ``^``) and differ on
the rest: ``$`` also matches before a final newline in Python only, ``.`` excludes ``\r`` in
Java, ``\d`` / ``\s`` / ``\w`` are ASCII in RE2 and Unicode in Python. So the pattern is parsed
by Python's own parser and written out again in that core, every escape as ``\x{…}`` and
every class (``\d``, ``\s``, ``.``) as the explicit code points Python's class holds. What
cannot be written exactly (backreferences, look-arounds, word boundaries, ``ignore_case``) is
refused with a :class:`~pipelinekit.QualifierError`, never approximated.
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
    regex = re.compile({"DIGIT": r"\d", "SPACE": r"\s", "WORD": r"\w"}[name])
    return tuple(_ranges(c for c in range(_MAX_CODE + 1) if regex.fullmatch(chr(c))))


def _ranges(codes: Iterable[int]) -> Iterator[tuple[int, int]]:
    start = end = -2
    for code in codes:
        if code == end + 1:
            end = code
            continue
        if start >= 0:
            yield start, end
        start = end = code
    if start >= 0:
        yield start, end


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


def _class(ranges: Iterable[tuple[int, int]]) -> str:
    parts = [
        _char(a) if a == b else f"{_char(a)}-{_char(b)}"
        for a, b in _without_surrogates(sorted(ranges))
    ]
    if not parts:  # a class that matches nothing (never in practice)
        return "[^\\x{0}-\\x{D7FF}\\x{E000}-\\x{10FFFF}]"
    return "[" + "".join(parts) + "]"


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


def _write(items: Any, *, last: bool) -> str:  # one branch per construct
    out = []
    count = len(items)
    for index, (op, av) in enumerate(items):
        is_last = last and index == count - 1
        if op is _sre.LITERAL:
            out.append(_char(av))
        elif op is _sre.NOT_LITERAL:
            out.append(_class(_invert([(av, av)])))
        elif op is _sre.ANY:  # Python's "." is anything but a newline
            out.append(_class(_invert([(10, 10)])))
        elif op is _sre.IN:
            out.append(_class(_class_ranges(av)))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            low, high, body = av
            # For "is there a match" a lazy repetition finds one exactly when a greedy one does.
            bound = "" if high is _sre.MAXREPEAT else str(high)
            out.append(f"(?:{_write(body, last=False)}){{{low},{bound}}}")
        elif op is _sre.SUBPATTERN:
            _group, add_flags, del_flags, body = av
            if add_flags or del_flags:
                raise _Refused("inline flags")
            out.append(f"(?:{_write(body, last=is_last)})")
        elif op is _sre.BRANCH:
            out.append("(?:" + "|".join(_write(b, last=is_last) for b in av[1]) + ")")
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

    >>> portable_pattern("^ab?$", ignore_case=False)
    '^\\x{61}(?:\\x{62}){0,1}(?:\\n?\\z)'
    """
    if ignore_case:
        raise QualifierError(
            f"matches({pattern!r}, ignore_case=True) cannot run on dataframes exactly as"
            " Python's re: engines fold case differently; write both cases ([Xx])"
        )
    if _sre_parser is None:  # pragma: no cover - another Python
        raise QualifierError(f"matches({pattern!r}) cannot be analysed on this Python")
    try:
        parsed = _sre_parser.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.ASCII):
            raise _Refused("inline flags")
        return _write(parsed, last=True)
    except _Refused as refused:
        raise QualifierError(
            f"matches({pattern!r}) cannot run on dataframes exactly as Python's re ({refused}):"
            " use literals, classes, repetition, alternation, ^ and $"
        ) from None
