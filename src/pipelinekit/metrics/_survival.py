"""Durations: quantiles of completed stays and the Kaplan-Meier estimate with censoring.

Durations are whole microseconds (``timedelta``'s resolution) kept in compact
``array("q")`` columns, eight bytes a stay, sorted once.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping, Sequence
from datetime import timedelta
from fractions import Fraction
from typing import Final

__all__ = ["MICROSECOND", "Curves", "kaplan_meier", "km_median", "quantile", "sorted_column"]

MICROSECOND: Final = timedelta(microseconds=1)

#: Survival within this of 0.5 counts as 0.5 (floating point products of the estimate).
_TOLERANCE: Final = 1e-12


def sorted_column(values: array[int]) -> array[int]:
    """``values`` sorted, as a new compact column."""
    return array("q", sorted(values))


def quantile(ordered: Sequence[int], q: Fraction) -> timedelta | None:
    """The ``q`` quantile of sorted durations, interpolated linearly between ranks.

    The "inclusive" definition (NumPy's default, ``statistics.quantiles(method="inclusive")``):
    position ``(n - 1) * q``, rounded half-even to the microsecond; ``None`` for no values.

    >>> quantile([0, 10, 20, 30], Fraction(1, 2)), quantile([5], Fraction(9, 10))
    (datetime.timedelta(microseconds=15), datetime.timedelta(microseconds=5))
    >>> quantile([], Fraction(1, 2)) is None
    True
    """
    if not ordered:
        return None
    position = (len(ordered) - 1) * q
    low = int(position)
    value = Fraction(ordered[low])
    if low + 1 < len(ordered):
        value += (position - low) * (ordered[low + 1] - ordered[low])
    return timedelta(microseconds=round(value))


def kaplan_meier(events: Sequence[int], censored: Sequence[int]) -> Iterator[tuple[int, float]]:
    """The steps of the Kaplan-Meier survival estimate: ``(time, survival)`` per event time.

    ``events`` are the completed durations and ``censored`` the durations still running
    (both sorted). At each distinct event time ``t``, ``S(t) = S(t-) * (1 - d/n)`` with
    ``d`` stays ending at ``t`` and ``n`` at risk: every stay not yet ended or censored
    before ``t`` (a stay censored at ``t`` is still at risk at ``t``, as usual).

    >>> list(kaplan_meier([1, 2, 2], [3]))
    [(1, 0.75), (2, 0.25)]
    """
    at_risk = len(events) + len(censored)
    survival = 1.0
    i = j = 0
    while i < len(events):
        time = events[i]
        while j < len(censored) and censored[j] < time:
            j += 1
            at_risk -= 1
        ended = 0
        while i < len(events) and events[i] == time:
            i += 1
            ended += 1
        survival *= (at_risk - ended) / at_risk
        at_risk -= ended
        yield time, survival


def km_median(events: Sequence[int], censored: Sequence[int]) -> timedelta | None:
    """The Kaplan-Meier median: the first time the survival estimate is at most 0.5.

    ``None`` while the estimate stays above 0.5 (too many stays still running).

    >>> km_median([1, 2, 2], [3]), km_median([4], [5, 6])
    (datetime.timedelta(microseconds=2), None)
    """
    for time, survival in kaplan_meier(events, censored):
        if survival <= 0.5 + _TOLERANCE:
            return timedelta(microseconds=time)
    return None


class Curves(Mapping[tuple[object, str], tuple[tuple[timedelta, float], ...]]):
    """Survival curves by (group, stage), computed when read from the sorted durations.

    Each curve is the Kaplan-Meier steps as ``(time, survival)``, starting ``(0, 1.0)``.
    Reading one costs one pass over its stays; nothing is built before that.
    """

    __slots__ = ("_columns",)

    def __init__(self, columns: Mapping[tuple[object, str], tuple[array[int], array[int]]]) -> None:
        self._columns = dict(columns)

    def __getitem__(self, key: tuple[object, str]) -> tuple[tuple[timedelta, float], ...]:
        events, censored = self._columns[key]
        steps = [(timedelta(0), 1.0)]
        steps.extend((timedelta(microseconds=t), s) for t, s in kaplan_meier(events, censored))
        return tuple(steps)

    def __iter__(self) -> Iterator[tuple[object, str]]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Curves):
            return self._columns == other._columns
        return dict(self.items()) == other if isinstance(other, Mapping) else NotImplemented

    def __hash__(self) -> int:
        return hash(tuple((key, bytes(e), bytes(c)) for key, (e, c) in self._columns.items()))

    def __reduce__(
        self,
    ) -> tuple[type[Curves], tuple[dict[tuple[object, str], tuple[array[int], array[int]]]]]:
        return (type(self), (self._columns,))

    def __repr__(self) -> str:
        return repr(dict(self.items()))
