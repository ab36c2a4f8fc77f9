"""The rules of a points model: :class:`Rule` (who they are) and :class:`EventRule` (what they did).

>>> import pipelinekit as pk
>>> from datetime import timedelta
>>> pk.Rule(pk.field("account.employees") >= 100, points=20)
Rule(field('account.employees') >= 100, points=20, group='fit')
>>> pk.EventRule(channel="event", kind="webinar", points=10, window=timedelta(days=7))
EventRule(channel='event', kind='webinar', points=10, group='engagement', window=timedelta(days=7))
>>> pk.EventRule(channel="email", points=5, window=timedelta(days=7),
...              decay=pk.Decay.half_life(timedelta(days=7)))
Traceback (most recent call last):
...
pipelinekit.errors.FieldValueError: window: decay and window exclude each other:
give decay= or window=, not both

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any, Final

import attrs

from pipelinekit._checks import got
from pipelinekit.entities import Channel
from pipelinekit.errors import FieldTypeError, FieldValueError
from pipelinekit.qualifiers import Qualifier
from pipelinekit.scoring._points_decay import Decay, delta_repr, format_duration
from pipelinekit.scoring._points_values import check_delta, check_group, to_points

__all__ = ["MAX_EVENTS", "MAX_KIND", "EventRule", "Rule", "to_channel"]

#: The largest ``max_events`` of an event rule.
MAX_EVENTS: Final = 1_000_000
#: The longest touchpoint ``kind`` an event rule matches (characters).
MAX_KIND: Final = 200


def _points(value: object) -> Decimal:
    return to_points("points", value)


def _fit(value: object) -> str:
    return check_group("group", value)


def to_channel(value: object) -> Channel:
    """A :class:`~pipelinekit.Channel` from a member or its value (``"email"``)."""
    if type(value) is Channel:
        return value
    if isinstance(value, str):
        member = Channel._value2member_map_.get(value)
        if member is not None:
            return member  # type: ignore[return-value]  # a Channel member
        allowed = ", ".join(repr(v) for v in Channel._value2member_map_)
        raise FieldValueError("channel", f"expected one of {allowed}, got {got(value)}")
    raise FieldTypeError("channel", f"expected pk.Channel or its value as a str, got {got(value)}")


def _check_qualifier(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Qualifier):
        raise FieldTypeError(
            attribute.name, f"expected a qualifier (pk.field(...) >= ...), got {got(value)}"
        )


@attrs.frozen(repr=False)
class Rule:
    """Points for who a contact is: ``points`` once when ``when`` PASSES.

    A FAIL earns nothing, and so does UNKNOWN (missing data is not a match); the breakdown
    says which it was. Points may be negative (a student, a competitor's domain).

    Args:
        when: The qualifier (positional).
        points: An int, a ``Decimal`` or a decimal string.
        group: The group the points count in (``"fit"`` by default).

    .. versionadded:: 0.2.0
    """

    when: Qualifier = attrs.field(validator=_check_qualifier)
    points: Decimal = attrs.field(kw_only=True, converter=_points)
    group: str = attrs.field(kw_only=True, default="fit", converter=_fit)

    @property
    def label(self) -> str:
        """How the breakdown names the rule: the qualifier's name, else its infix text."""
        return self.when.label

    def __repr__(self) -> str:
        return f"Rule({self.when!r}, points={self.points}, group={self.group!r})"


def _kind(value: object) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        raise FieldTypeError("kind", f"expected a str or None, got {got(value)}")
    if not value or value.isspace():
        raise FieldValueError("kind", "must not be blank; use None to match every kind")
    if len(value) > MAX_KIND:
        raise FieldValueError("kind", f"longer than {MAX_KIND} characters")
    return value


def _decay(value: object) -> Decay | None:
    if value is None or type(value) is Decay:
        return value
    raise FieldTypeError(
        "decay", f"expected pk.Decay.linear(...) or pk.Decay.half_life(...), got {got(value)}"
    )


def _window(value: object) -> timedelta | None:
    return None if value is None else check_delta("window", value)


def _max_events(value: object) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise FieldTypeError("max_events", f"expected an int or None, got {got(value)}")
    if not 1 <= value <= MAX_EVENTS:
        raise FieldValueError("max_events", f"must be between 1 and {MAX_EVENTS}, got {value}")
    return value


@attrs.frozen(kw_only=True, repr=False)
class EventRule:
    """Points for what a contact did: ``points`` per matching touchpoint.

    A touchpoint matches when its channel is ``channel`` and, if ``kind`` is given, its
    kind is ``kind``. Each match is counted from its timestamp to ``at``: decayed by
    ``decay``, or counted in full while its age is at most ``window`` (then 0), or in full
    forever when neither is given. ``decay`` and ``window`` exclude each other. Touchpoints
    later than ``at`` are not counted (scoring as of a date sees what had happened by
    then). With ``max_events``, only the newest that many matches count (in the window,
    if there is one); ties in time keep the contact's order.

    .. versionadded:: 0.2.0
    """

    channel: Channel = attrs.field(converter=to_channel)
    kind: str | None = attrs.field(default=None, converter=_kind)
    points: Decimal = attrs.field(converter=_points)
    group: str = attrs.field(default="engagement", converter=_fit)
    decay: Decay | None = attrs.field(default=None, converter=_decay)
    window: timedelta | None = attrs.field(default=None, converter=_window)
    max_events: int | None = attrs.field(default=None, converter=_max_events)

    def __attrs_post_init__(self) -> None:
        if self.decay is not None and self.window is not None:
            raise FieldValueError(
                "window", "decay and window exclude each other: give decay= or window=, not both"
            )

    @property
    def label(self) -> str:
        """How the breakdown names the rule: ``event/webinar``, ``email``."""
        return self.channel.value if self.kind is None else f"{self.channel.value}/{self.kind}"

    @property
    def fading(self) -> str:
        """How the points fade, in words: ``-50% every 30 days``, ``within 7 days``, ``""``."""
        if self.decay is not None:
            return str(self.decay)
        if self.window is not None:
            return f"within {format_duration(self.window)}"
        return ""

    def __repr__(self) -> str:
        parts = [f"channel={self.channel.value!r}"]
        if self.kind is not None:
            parts.append(f"kind={self.kind!r}")
        parts += [f"points={self.points}", f"group={self.group!r}"]
        if self.decay is not None:
            parts.append(f"decay={self.decay!r}")
        if self.window is not None:
            parts.append(f"window={delta_repr(self.window)}")
        if self.max_events is not None:
            parts.append(f"max_events={self.max_events}")
        return f"EventRule({', '.join(parts)})"
