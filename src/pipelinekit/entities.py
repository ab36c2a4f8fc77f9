"""The entities of a sales pipeline: accounts, stakeholders, touchpoints, contacts.

All are frozen, keyword-only attrs classes validated when built: a bad value raises a
:class:`~pipelinekit.FieldTypeError` or :class:`~pipelinekit.FieldValueError` naming
the field. Change them with :func:`attrs.evolve`, which validates again.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

import attrs

from pipelinekit._checks import (
    AwareDatetime,
    FactValue,
    IntInRange,
    PlainDate,
    as_facts,
    as_tuple,
    email,
    got,
    instance_of,
    mask_email,
    mask_phone,
    non_blank,
    optional_non_blank,
    phone,
    to_probability,
)
from pipelinekit._pretty import repr_pretty
from pipelinekit.errors import FieldTypeError, FieldValueError
from pipelinekit.stages import Stage, plain_name, stage_name
from pipelinekit.values import Money

__all__ = [
    "Account",
    "Channel",
    "Contact",
    "FactValue",
    "Opportunity",
    "Role",
    "StageChange",
    "Stakeholder",
    "Touchpoint",
    "trusted_evolve",  # for the lifecycle only (not re-exported): skips validation
]

_optional_bool: Final = instance_of(bool, optional=True)
_optional_money: Final = instance_of(Money, optional=True)


@attrs.frozen(repr=False)
class _NonNegativeMoney:
    """An optional :class:`Money` that is not negative (a revenue, a deal size)."""

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        if type(value) is not Money:
            _optional_money(inst, attribute, value)
        elif value.amount.is_signed() and value.amount:
            raise FieldValueError(attribute.name, f"must not be negative, got {value}")

    def __repr__(self) -> str:
        return "<Money >= 0 | None>"


_non_negative_money: Final = _NonNegativeMoney()


@attrs.frozen
class _ToMember:
    """Converter to a member of a ``StrEnum``: a member, or its value as a ``str``."""

    enum: type[StrEnum]
    field: str
    optional: bool = False

    def __call__(self, value: object) -> Any:
        if type(value) is self.enum or (value is None and self.optional):
            return value
        if isinstance(value, str):
            member = self.enum._value2member_map_.get(value)
            if member is not None:
                return member
            allowed = ", ".join(repr(v) for v in self.enum._value2member_map_)
            raise FieldValueError(self.field, f"expected one of {allowed}, got {got(value)}")
        raise FieldTypeError(
            self.field, f"expected {self.enum.__name__} or its value as a str, got {got(value)}"
        )


class Role(StrEnum):
    """The part a stakeholder plays in a buying decision."""

    DECISION_MAKER = "decision_maker"
    ECONOMIC_BUYER = "economic_buyer"
    CHAMPION = "champion"
    INFLUENCER = "influencer"
    USER = "user"
    TECHNICAL_BUYER = "technical_buyer"
    BLOCKER = "blocker"


class Channel(StrEnum):
    """How a touchpoint reached us (or we reached them)."""

    WEB_FORM = "web_form"
    EMAIL = "email"
    CALL = "call"
    MEETING = "meeting"
    EVENT = "event"
    SOCIAL = "social"
    AD = "ad"
    REFERRAL = "referral"
    CONTENT_DOWNLOAD = "content_download"
    CHAT = "chat"


_role: Final = _ToMember(Role, "role", optional=True)
_channel: Final = _ToMember(Channel, "channel")


def _to_role(value: Role | str | None) -> Role | None:
    role: Role | None = _role(value)
    return role


def _to_channel(value: Channel | str) -> Channel:
    channel: Channel = _channel(value)
    return channel


def _domain_of(website: str) -> str:
    host = website.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return host.removeprefix("www.")


@attrs.frozen(kw_only=True)
class Account:
    """An organization: the company a contact works for.

    >>> from pipelinekit import Account, Money
    >>> acme = Account(name="Acme", industry="software", employees=250, country="DE",
    ...                annual_revenue=Money("30000000", "EUR"), website="https://www.acme.example/")
    >>> acme.domain
    'acme.example'

    Text fields are ``None`` when unknown, never blank; ``annual_revenue`` is not negative.
    ``id`` is the account's key in the caller's own store (a CRM's accounts table), for
    merging and account-level metrics; like every optional field it may stay ``None``.
    """

    name: str = attrs.field(validator=non_blank)
    industry: str | None = attrs.field(default=None, validator=optional_non_blank)
    employees: int | None = attrs.field(default=None, validator=IntInRange(0))
    country: str | None = attrs.field(default=None, validator=optional_non_blank)
    annual_revenue: Money | None = attrs.field(default=None, validator=_non_negative_money)
    website: str | None = attrs.field(default=None, validator=optional_non_blank)
    id: str | None = attrs.field(default=None, validator=optional_non_blank)

    _repr_pretty_ = repr_pretty  # IPython: one field a line

    @property
    def domain(self) -> str | None:
        """The website's host name without ``www.`` (``None`` without a website)."""
        return None if self.website is None else _domain_of(self.website)


@attrs.frozen(kw_only=True)
class Stakeholder:
    """A person involved in the buying decision, with the role they play.

    ``influence`` is a 0-10 scale of how much their opinion weighs. ``role`` takes a
    :class:`Role` or its value (``"champion"``). ``id`` is the caller's key for the person
    (``None`` when there is none). Text fields are ``None`` when unknown, never blank.
    """

    name: str = attrs.field(validator=non_blank)
    role: Role | None = attrs.field(default=None, converter=_to_role)
    title: str | None = attrs.field(default=None, validator=optional_non_blank)
    email: str | None = attrs.field(default=None, validator=email, repr=mask_email)
    influence: int | None = attrs.field(default=None, validator=IntInRange(0, 10))
    is_primary: bool = attrs.field(default=False, validator=instance_of(bool))
    id: str | None = attrs.field(default=None, validator=optional_non_blank)

    _repr_pretty_ = repr_pretty  # IPython: one field a line, the email masked

    def repr_unmasked(self) -> str:
        """The ``repr`` with the email in full (for debugging, not for logs)."""
        fields = ", ".join(f"{a.name}={getattr(self, a.name)!r}" for a in attrs.fields(Stakeholder))
        return f"Stakeholder({fields})"


@attrs.frozen(kw_only=True)
class Touchpoint:
    """One interaction: a form filled, a call, a meeting, a download.

    ``channel`` takes a :class:`Channel` or its value (``"call"``); ``timestamp``
    must be timezone-aware; ``kind`` refines the channel (``"webinar"``, ``"pricing page"``).
    ``kind`` and ``note`` are ``None`` when there is none, never blank.
    """

    channel: Channel = attrs.field(converter=_to_channel)
    timestamp: datetime = attrs.field(validator=AwareDatetime())
    kind: str | None = attrs.field(default=None, validator=optional_non_blank)
    note: str | None = attrs.field(default=None, validator=optional_non_blank)

    _repr_pretty_ = repr_pretty  # IPython: one field a line


def _to_probability(value: Decimal | str | int | None) -> Decimal | None:
    return to_probability("probability", value)


def _to_competitors(value: Iterable[str]) -> tuple[str, ...]:
    return as_tuple("competitors", value, str)


@attrs.frozen(kw_only=True)
class Opportunity:
    """The deal side of a contact: amount, expected close, probability, next step.

    ``probability`` (0 to 1) overrides the stage's default probability; ``amount`` is
    not negative. ``id`` is the deal's key in the caller's store (``None`` when there is
    none). Text fields are ``None`` when unknown, never blank.
    """

    amount: Money | None = attrs.field(default=None, validator=_non_negative_money)
    expected_close: date | None = attrs.field(default=None, validator=PlainDate())
    probability: Decimal | None = attrs.field(default=None, converter=_to_probability)
    next_step: str | None = attrs.field(default=None, validator=optional_non_blank)
    competitors: tuple[str, ...] = attrs.field(default=(), converter=_to_competitors)
    lost_reason: str | None = attrs.field(default=None, validator=optional_non_blank)
    id: str | None = attrs.field(default=None, validator=optional_non_blank)

    _repr_pretty_ = repr_pretty  # IPython: one field a line


def _snapshot(field: str, value: object) -> str:
    """A stage name for the history: checked like ``Contact.stage``, stored as a plain str."""
    return plain_name(stage_name(field, value))


def _to_source(value: str) -> str:
    return _snapshot("source", value)


def _to_target(value: str) -> str:
    return _snapshot("target", value)


@attrs.frozen(kw_only=True)
class StageChange:
    """One recorded move between stages, as it appears in ``Contact.history``.

    Stage names are stored as plain strings (a snapshot), so renaming a stage later
    never rewrites history: ``source`` and ``target`` take a ``str`` or a ``StrEnum``
    member (stored as its value), checked like ``Contact.stage``. ``verdict`` is a
    compact summary of the guard's verdict. ``by``, ``reason`` and ``verdict`` are
    ``None`` when there is none, never blank.
    """

    event: str = attrs.field(validator=non_blank)
    source: str = attrs.field(converter=_to_source)
    target: str = attrs.field(converter=_to_target)
    at: datetime = attrs.field(validator=AwareDatetime())
    by: str | None = attrs.field(default=None, validator=optional_non_blank)
    reason: str | None = attrs.field(default=None, validator=optional_non_blank)
    verdict: str | None = attrs.field(default=None, validator=optional_non_blank)

    _repr_pretty_ = repr_pretty  # IPython: one field a line


def _to_stage(value: str) -> str:
    return stage_name("stage", value)


def _to_pains(value: Iterable[str]) -> tuple[str, ...]:
    return as_tuple("pains", value, str)


def _to_stakeholders(value: Iterable[Stakeholder]) -> tuple[Stakeholder, ...]:
    return as_tuple("stakeholders", value, Stakeholder)


def _to_touchpoints(value: Iterable[Touchpoint]) -> tuple[Touchpoint, ...]:
    return as_tuple("touchpoints", value, Touchpoint)


def _to_history(value: Iterable[StageChange]) -> tuple[StageChange, ...]:
    return as_tuple("history", value, StageChange)


def _to_facts(value: Mapping[str, FactValue]) -> Mapping[str, FactValue]:
    return as_facts(value)


# ``slots=False``: deriving the next version of a contact in the lifecycle copies the
# instance dict (see ``trusted_evolve``) instead of re-running every validator.
@attrs.frozen(kw_only=True, slots=False)
class Contact:
    """A person in the pipeline, with everything known about them.

    Only ``id`` and ``name`` are required. Unknown facts stay ``None`` (or empty):
    qualifiers treat them as *unknown*, not as *no*.

    >>> from pipelinekit import Contact, Money, Stage
    >>> c = Contact(id="c-1", name="Jane Roe", email="jane@acme.example",
    ...             budget=Money("20000", "EUR"), authority=True)
    >>> c.stage is Stage.LEAD, c.version
    (True, 0)
    >>> c
    Contact(id='c-1', name='Jane Roe', email='j***@acme.example', ...)

    The ``repr`` masks the email and phone; :meth:`repr_unmasked` shows them.

    Optional text (``title``, ``source``, ``owner``, ``need``) is ``None`` when unknown,
    never blank: an untouched form field (``""``) is refused rather than read as an
    answer. ``budget`` is not negative.

    Attributes:
        stage: The current stage name: a :class:`~pipelinekit.Stage` for the default
            stages (``"customer"`` becomes ``Stage.CUSTOMER``), a plain ``str`` for custom
            ones. Names with surrounding whitespace, or that differ from a default stage
            only by case (``"LEAD"``), are refused.
        facts: Custom qualification facts (``metrics``, ``decision_process``, ...): JSON
            scalars under identifier keys, readable by qualifiers as ``facts.<key>``.
        history: Every stage change so far, oldest first (append-only).
        version: Counts the changes, for optimistic concurrency.

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=non_blank)
    name: str = attrs.field(validator=non_blank)
    email: str | None = attrs.field(default=None, validator=email, repr=mask_email)
    phone: str | None = attrs.field(default=None, validator=phone, repr=mask_phone)
    title: str | None = attrs.field(default=None, validator=optional_non_blank)
    account: Account | None = attrs.field(
        default=None, validator=instance_of(Account, optional=True)
    )
    source: str | None = attrs.field(default=None, validator=optional_non_blank)
    owner: str | None = attrs.field(default=None, validator=optional_non_blank)
    created_at: datetime | None = attrs.field(default=None, validator=AwareDatetime(optional=True))
    stage: str = attrs.field(default=Stage.LEAD, converter=_to_stage)
    # qualification facts
    budget: Money | None = attrs.field(default=None, validator=_non_negative_money)
    authority: bool | None = attrs.field(default=None, validator=_optional_bool)
    need: str | None = attrs.field(default=None, validator=optional_non_blank)
    pains: tuple[str, ...] = attrs.field(default=(), converter=_to_pains)
    timeline: date | None = attrs.field(default=None, validator=PlainDate())
    interest: bool | None = attrs.field(default=None, validator=_optional_bool)
    facts: Mapping[str, FactValue] = attrs.field(factory=dict, converter=_to_facts, hash=False)
    # people, interactions, deal
    stakeholders: tuple[Stakeholder, ...] = attrs.field(default=(), converter=_to_stakeholders)
    touchpoints: tuple[Touchpoint, ...] = attrs.field(default=(), converter=_to_touchpoints)
    opportunity: Opportunity | None = attrs.field(
        default=None, validator=instance_of(Opportunity, optional=True)
    )
    history: tuple[StageChange, ...] = attrs.field(default=(), converter=_to_history)
    version: int = attrs.field(default=0, validator=IntInRange(0, optional=False))

    _repr_pretty_ = repr_pretty  # IPython: one field a line, email and phone masked

    @property
    def stage_entered_at(self) -> datetime | None:
        """When the contact entered its current stage: the last change's ``at``.

        Without a history, ``created_at`` (the contact started in its stage), else
        ``None``. Derived, so never written into documents; usable as a qualifier path:
        "in this stage for more than 30 days" is
        ``pk.field("stage_entered_at").older_than(timedelta(days=30))``.

        >>> from datetime import UTC, datetime
        >>> from pipelinekit import Contact
        >>> jane = Contact(id="c-1", name="Jane", created_at=datetime(2026, 1, 5, tzinfo=UTC))
        >>> jane.stage_entered_at
        datetime.datetime(2026, 1, 5, 0, 0, tzinfo=datetime.timezone.utc)
        """
        history = self.history
        return history[-1].at if history else self.created_at

    def __reduce__(self) -> tuple[Any, ...]:
        # ``facts`` is a read-only view, which pickle and deepcopy cannot copy: send a
        # plain dict and rebuild the view (a Spark job ships contacts this way).
        state = dict(self.__dict__)
        state["facts"] = dict(self.facts)
        return (_restore_contact, (state,))

    def repr_unmasked(self) -> str:
        """The ``repr`` with email and phone in full, stakeholders' emails included.

        For debugging, not for logs.
        """
        fields = ", ".join(f"{a.name}={_unmasked(getattr(self, a.name))}" for a in _CONTACT_FIELDS)
        return f"Contact({fields})"


def _unmasked(value: object) -> str:
    if type(value) is tuple and value and all(type(v) is Stakeholder for v in value):
        items = ", ".join(v.repr_unmasked() for v in value)
        return f"({items},)" if len(value) == 1 else f"({items})"
    return repr(value)


_CONTACT_FIELDS: Final = attrs.fields(Contact)
_new_object: Final = object.__new__


def _restore_contact(state: dict[str, Any]) -> Contact:
    """Rebuild a pickled contact (its values were valid when it was pickled)."""
    state["facts"] = as_facts(state["facts"])
    contact: Contact = _new_object(Contact)
    contact.__dict__.update(state)
    return contact


def trusted_evolve(contact: Contact, **changes: Any) -> Contact:
    """A copy of ``contact`` with ``changes``, skipping validation (trusted callers only).

    Callers guarantee every changed value is already valid; the lifecycle uses this to
    move a contact to its next stage in well under a microsecond.
    """
    new: Contact = _new_object(Contact)
    state = new.__dict__
    state.update(contact.__dict__)
    state.update(changes)
    return new
