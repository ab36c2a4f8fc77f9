"""How engagement points fade with age: :class:`Decay`.

Two kinds, as HubSpot and the contract in ARCHITECTURE.md define them:

- **linear** counts completed periods:
  ``points * max(0, 1 - percent/100 * floor(age / every))``, exact in decimal arithmetic;
- **half-life** is continuous: ``points * 0.5 ** (age / half_life)``, rounded half-even to
  6 decimal places. A float ``**`` may differ in its last bit between platforms' maths
  libraries, so the power is computed in integer fixed-point arithmetic instead (32
  decimal digits, from the age and the half-life in whole microseconds: a table of
  ``2 ** (-j/256)`` and a short series for the rest), which gives the same digits
  everywhere; a whole number of half-lives is exact. Ages of 64 half-lives or more give
  0 (no bounded points value keeps 0.000001 after them).

>>> from datetime import timedelta
>>> from decimal import Decimal
>>> Decay.linear(percent=25, every=timedelta(days=30)).apply(Decimal(10), timedelta(days=75))
Decimal('5')
>>> Decay.half_life(timedelta(days=30)).apply(Decimal(10), timedelta(days=75))
Decimal('1.767767')

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import decimal
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Final, Literal

import attrs

from pipelinekit._checks import got
from pipelinekit.errors import FieldTypeError, FieldValueError
from pipelinekit.scoring._points_values import (
    CONTEXT,
    MAX_POINT_PLACES,
    ZERO,
    check_delta,
    to_points,
)

__all__ = ["Decay", "DecayKind", "delta_repr", "format_duration", "linear_step"]

DecayKind = Literal["linear", "half_life"]
_KINDS: Final = ("linear", "half_life")
_HUNDRED: Final = Decimal(100)
_ONE: Final = Decimal(1)
_HALF: Final = Decimal("0.5")
_QUANTUM: Final = Decimal(1).scaleb(-MAX_POINT_PLACES)
_MICROSECOND: Final = timedelta(microseconds=1)
#: Ages of this many half-lives or more decay every bounded points value to 0.
_VANISHED: Final = 64


def format_duration(delta: timedelta) -> str:
    """A duration as the shortest readable text: ``30 days``, ``12h``, ``1 day, 2:00:00``."""
    if delta.days and not delta.seconds and not delta.microseconds:
        return f"{delta.days} day{'s' if delta.days != 1 else ''}"
    return str(delta)


def _check_kind(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in _KINDS:
        raise FieldValueError(attribute.name, f"expected 'linear' or 'half_life', got {got(value)}")


@attrs.frozen(kw_only=True, repr=False)
class Decay:
    """How an event rule's points fade from each touchpoint's time to ``at``.

    Build one with :meth:`linear` or :meth:`half_life`. A value: frozen, ``==``, its
    ``repr`` is the call that builds it.

    Attributes:
        kind: ``"linear"`` or ``"half_life"``.
        every: The period (linear) or the half-life.
        percent: The share lost per completed period (linear; ``None`` for half-life).
    """

    kind: DecayKind = attrs.field(validator=_check_kind)
    every: timedelta
    percent: Decimal | None = None
    _step: tuple[Decimal, int] | None = attrs.field(init=False, default=None, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        check_delta("every", self.every)
        if self.kind == "half_life":
            if self.percent is not None:
                raise FieldValueError("percent", "a half-life decay has no percent")
            return
        percent = to_points("percent", self.percent) if self.percent is not None else None
        if percent is None:
            raise FieldTypeError("percent", "a linear decay needs percent= (0 < percent <= 100)")
        if not ZERO < percent <= _HUNDRED:
            raise FieldValueError("percent", f"must be above 0 and at most 100, got {percent}")
        object.__setattr__(self, "percent", percent)
        object.__setattr__(self, "_step", linear_step(percent))

    @classmethod
    def linear(cls, *, percent: int | Decimal | str, every: timedelta) -> Decay:
        """Lose ``percent`` of the points per completed period ``every`` (never below 0).

        >>> from datetime import timedelta
        >>> Decay.linear(percent=50, every=timedelta(days=30))
        Decay.linear(percent=50, every=timedelta(days=30))
        """
        return cls(kind="linear", percent=to_points("percent", percent), every=every)

    @classmethod
    def half_life(cls, half_life: timedelta) -> Decay:
        """Halve the points every ``half_life``, continuously.

        >>> from datetime import timedelta
        >>> Decay.half_life(timedelta(days=30))
        Decay.half_life(timedelta(days=30))
        """
        return cls(kind="half_life", every=half_life)

    def apply(self, points: Decimal, age: timedelta) -> Decimal:
        """``points`` after decaying for ``age`` (``age >= 0``)."""
        with decimal.localcontext(CONTEXT):
            return self.decayed(points, age)

    def decayed(self, points: Decimal, age: timedelta) -> Decimal:
        """:meth:`apply` without entering the decimal context (the caller has)."""
        step = self._step
        if step is not None:
            share, gone = step
            periods = age // self.every
            if periods >= gone:
                return ZERO
            return points if not periods else _trim(points * (_ONE - share * periods))
        num, den = age // _MICROSECOND, self.every // _MICROSECOND
        halvings, rest = divmod(num, den)
        if halvings >= _VANISHED:
            return ZERO
        if not rest:
            if not halvings:
                return points
            return _trim((points * _HALF**halvings).quantize(_QUANTUM, rounding=ROUND_HALF_EVEN))
        sign, digits, exponent = points.as_tuple()
        mantissa = int("".join(map(str, digits)))
        # points * 2**-(halvings + rest/den) * 10**6, in whole units of 10**-6, half-even
        scaled = mantissa * _power_of_half(rest, den) * 10 ** (exponent + MAX_POINT_PLACES)  # type: ignore[operator]  # a finite Decimal: int exponent
        units, remainder = divmod(scaled, _SCALE << halvings)
        twice = 2 * remainder
        if twice > _SCALE << halvings or (twice == _SCALE << halvings and units % 2):
            units += 1
        return _trim(Decimal((sign, tuple(map(int, str(units))), -MAX_POINT_PLACES)))

    def __str__(self) -> str:
        if self.kind == "linear":
            return f"-{self.percent}% every {format_duration(self.every)}"
        return f"half-life {format_duration(self.every)}"

    def __repr__(self) -> str:
        every = delta_repr(self.every)
        if self.kind == "linear":
            return f"Decay.linear(percent={self.percent}, every={every})"
        return f"Decay.half_life({every})"


def linear_step(percent: Decimal) -> tuple[Decimal, int]:
    """A linear decay's share lost per period, and the periods until nothing is left.

    The periods: the smallest ``k`` with ``share * k >= 1``.
    """
    with decimal.localcontext(CONTEXT):
        share = percent / _HUNDRED
        gone = int((_ONE / share).to_integral_value(rounding=decimal.ROUND_CEILING))
    return share, gone


def _trim(value: Decimal) -> Decimal:
    """``value`` without trailing zeros after the point (``5.000000`` is ``5``)."""
    if value == value.to_integral_value():
        return ZERO if not value else value.quantize(_ONE)
    return value.normalize()


#: The fixed-point scale of the half-life arithmetic: 32 decimal digits.
_SCALE: Final = 10**32
#: ln 2 to 40 digits, in units of 1 / _SCALE.
_LN2: Final = int(Decimal("0.6931471805599453094172321214581765680755").scaleb(32))
_STEPS: Final = 256
_TABLE: list[int] = []


def _exp_minus(y: int) -> int:
    """``exp(-y / _SCALE) * _SCALE``, rounded down (``0 <= y <= _LN2``)."""
    total = term = _SCALE
    k = 1
    while term:
        term = term * y // (_SCALE * k)
        total += -term if k % 2 else term
        k += 1
    return total


def _power_of_half(rest: int, den: int) -> int:
    """``2 ** -(rest / den) * _SCALE`` for ``0 <= rest < den``, to about 30 digits."""
    if not _TABLE:  # built on first use: 2 ** (-j/256) for j < 256
        _TABLE.extend(_exp_minus(_LN2 * j // _STEPS) for j in range(_STEPS))
    j, left = divmod(rest * _STEPS, den)
    return _TABLE[j] * _exp_minus(_LN2 * left // (_STEPS * den)) // _SCALE


def delta_repr(delta: timedelta) -> str:
    """A duration as the call that builds it: ``timedelta(days=30)``."""
    parts = {"days": delta.days, "seconds": delta.seconds, "microseconds": delta.microseconds}
    shown = ", ".join(f"{k}={v}" for k, v in parts.items() if v)
    return f"timedelta({shown})"
