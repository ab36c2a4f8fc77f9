"""``pk.field(path)``: the builder of leaf qualifiers.

A :class:`Field` is not a qualifier: its operators and methods build one.

>>> import pipelinekit as pk
>>> from datetime import timedelta
>>> pk.field("account.employees") >= 100
field('account.employees') >= 100
>>> pk.field("account.industry").is_in({"software", "fintech"})
field('account.industry').is_in({'fintech', 'software'})
>>> str(pk.field("timeline").within(timedelta(days=180)))
'timeline within 180 days'

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import NoReturn

from pipelinekit.qualifiers.leaves import (
    Compare,
    Contains,
    IsEmpty,
    IsIn,
    IsKnown,
    IsMissing,
    IsNotEmpty,
    Matches,
    NotIn,
    OlderThan,
    Within,
    WithinLast,
    WithinNext,
)
from pipelinekit.qualifiers.paths import parse_path

__all__ = ["Field", "field"]


class Field:
    """A field path, ready to be compared: ``pk.field("budget") >= pk.Money("10000", "EUR")``.

    Comparisons (``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``) and the methods below return
    leaf qualifiers. Because ``==`` builds a qualifier, a Field is not hashable and has
    no truth value.

    Attributes:
        path: The dotted path (``"account.employees"``).
    """

    __slots__ = ("path",)
    __hash__ = None  # type: ignore[assignment]  # == builds a qualifier, so no hashing

    path: str

    def __init__(self, path: str) -> None:
        parse_path(path)
        self.path = path

    def __repr__(self) -> str:
        return f"field({self.path!r})"

    def __bool__(self) -> NoReturn:
        raise TypeError(
            f"{self!r} is a field, not a check: compare it (field(...) >= 100) or call "
            ".is_known() to build a qualifier"
        )

    def __eq__(self, value: object) -> Compare:  # type: ignore[override]  # builds a leaf
        return Compare(path=self.path, op="==", value=value)

    def __ne__(self, value: object) -> Compare:  # type: ignore[override]  # builds a leaf
        return Compare(path=self.path, op="!=", value=value)

    def __lt__(self, value: object) -> Compare:
        return Compare(path=self.path, op="<", value=value)

    def __le__(self, value: object) -> Compare:
        return Compare(path=self.path, op="<=", value=value)

    def __gt__(self, value: object) -> Compare:
        return Compare(path=self.path, op=">", value=value)

    def __ge__(self, value: object) -> Compare:
        return Compare(path=self.path, op=">=", value=value)

    def is_in(self, values: Iterable[object]) -> IsIn:
        """The value is one of ``values`` (a missing value is UNKNOWN)."""
        return IsIn(path=self.path, values=values)

    def not_in(self, values: Iterable[object]) -> NotIn:
        """The value is none of ``values`` (a missing value is UNKNOWN, not a pass)."""
        return NotIn(path=self.path, values=values)

    def is_known(self) -> IsKnown:
        """The value is present (PASS) or missing (FAIL); never UNKNOWN."""
        return IsKnown(path=self.path)

    def is_missing(self) -> IsMissing:
        """The value is missing (PASS) or present (FAIL); never UNKNOWN."""
        return IsMissing(path=self.path)

    def is_empty(self) -> IsEmpty:
        """The collection (or text) has no items; a missing value is UNKNOWN.

        >>> import pipelinekit as pk
        >>> q = pk.field("pains").is_empty()
        >>> q({"pains": []}), q.evaluate({"pains": ["slow reports"]}).outcome.value
        (True, 'fail')
        >>> q.evaluate({}).outcome.value
        'unknown'
        """
        return IsEmpty(path=self.path)

    def is_not_empty(self) -> IsNotEmpty:
        """The collection (or text) has items; a missing value is UNKNOWN.

        >>> import pipelinekit as pk
        >>> print(pk.field("pains").is_not_empty().evaluate({"pains": ()}))
        ✗ pains is not empty — pains is empty (to pass: pains is not empty)
        """
        return IsNotEmpty(path=self.path)

    def contains(self, item: object) -> Contains:
        """The collection (or text) contains ``item``; an empty collection FAILs.

        >>> import pipelinekit as pk
        >>> q = pk.field("pains").contains("manual reporting")
        >>> q({"pains": ["manual reporting"]}), q.evaluate({"pains": []}).outcome.value
        (True, 'fail')
        """
        return Contains(path=self.path, item=item)

    def matches(self, pattern: str, *, ignore_case: bool = False) -> Matches:
        r"""The text contains a match of the regular expression (``re.search``).

        The pattern is compiled once; patterns longer than 1000 characters are refused.

        >>> import pipelinekit as pk
        >>> q = pk.field("title").matches(r"\b(cto|vp)\b", ignore_case=True)
        >>> q({"title": "CTO"}), q({"title": "Intern"})
        (True, False)
        """
        return Matches(path=self.path, pattern=pattern, ignore_case=ignore_case)

    def within(self, delta: timedelta) -> Within:
        """``|value - at| <= delta``: a recent touchpoint or a close decision date.

        A date is compared with ``at``'s date, a datetime with ``at``.
        """
        return Within(path=self.path, delta=delta)

    def within_next(self, delta: timedelta) -> WithinNext:
        """``at <= value <= at + delta``: a decision date still ahead, at most ``delta`` away.

        A date is compared with ``at``'s date, a datetime with ``at``; a past date FAILs.

        >>> import pipelinekit as pk
        >>> from datetime import date, datetime, timedelta, timezone
        >>> soon = pk.field("timeline").within_next(timedelta(days=90))
        >>> now = datetime(2026, 11, 22, tzinfo=timezone.utc)
        >>> soon({"timeline": date(2027, 1, 15)}, at=now)
        True
        >>> soon({"timeline": date(2026, 11, 1)}, at=now)  # already past
        False
        """
        return WithinNext(path=self.path, delta=delta)

    def within_last(self, delta: timedelta) -> WithinLast:
        """``at - delta <= value <= at``: a recent touchpoint, not one in the future."""
        return WithinLast(path=self.path, delta=delta)

    def older_than(self, delta: timedelta) -> OlderThan:
        """``value < at - delta``: longer ago than ``delta``."""
        return OlderThan(path=self.path, delta=delta)


def field(path: str) -> Field:
    """Start a criterion on the fact at ``path`` (``"account.employees"``, ``"facts.metrics"``).

    Each segment is read as an attribute, or as a key of a mapping, so the same
    qualifier runs on a :class:`~pipelinekit.Contact`, your own objects and dict rows.
    Segments are identifiers; a segment starting with ``_`` is refused.

    Raises:
        QualifierError: the path is not a dotted sequence of identifiers.

    >>> import pipelinekit as pk
    >>> pk.field("account._secret")
    Traceback (most recent call last):
    ...
    pipelinekit.errors.QualifierError: bad path 'account._secret': segment '_secret' is not ...
    """
    return Field(path)
