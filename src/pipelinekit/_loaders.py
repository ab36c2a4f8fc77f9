"""Hand-written fast loaders of entity documents (the hot path of ``from_dict``).

A CRM backend reads every contact from its database through :func:`pipelinekit.from_dict`,
so the common case, a complete document as :func:`pipelinekit.to_dict` writes it, is
read here without the per-field calls of the generic path: each loader checks its fields
inline and builds the object directly, skipping the attrs ``__init__``.

The checks are *sufficient* conditions: a loader only builds an object when every field
is plainly valid by the rule of the class's own validator or converter (the same
patterns, bounds and stage-name rule; converters are taken from ``attrs.fields`` so they
are the class's own). Anything else (a missing or extra key, a nested
``schema_version``, a value that is not plainly valid) makes the loader return ``None``,
and serialization takes the generic path, which validates through the constructors and,
on failure, runs the detailed pass for the error. So a loader changes speed, never what
is accepted or what an error says; ``tests/test_serialization.py`` checks that both paths
agree on random and mutated documents, and that each loader knows exactly its class's
fields and validators.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, cast

import attrs

from pipelinekit._checks import Matches, as_facts
from pipelinekit.entities import (
    Account,
    Channel,
    Contact,
    Opportunity,
    Role,
    StageChange,
    Stakeholder,
    Touchpoint,
)
from pipelinekit.values import Money

__all__ = ["DATETIME_TEXT", "DATE_TEXT", "LOADERS", "load_money"]

#: Text forms of dates and datetimes read back: exactly what ``date.isoformat`` /
#: ``datetime.isoformat`` write (RFC 3339 / ISO 8601 extended; ``Z`` and times without
#: seconds read too), not the other ISO 8601 forms ``fromisoformat`` accepts
#: (``20250101``, ``2025-W01-1``).
DATE_TEXT: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATETIME_TEXT: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)?"
)
_DATE: Final = DATE_TEXT.fullmatch
_DATETIME: Final = DATETIME_TEXT.fullmatch

_new: Final = object.__new__
_set: Final = object.__setattr__
_fromisoformat: Final = datetime.fromisoformat
_date_fromisoformat: Final = date.fromisoformat
_ROLES: Final = Role._value2member_map_
_CHANNELS: Final = Channel._value2member_map_
# The patterns and lengths of the email and phone validators themselves.
_EMAIL_RULE: Final = cast("Matches", attrs.fields(Contact).email.validator)
_PHONE_RULE: Final = cast("Matches", attrs.fields(Contact).phone.validator)
_email: Final = _EMAIL_RULE.pattern.fullmatch
_phone: Final = _PHONE_RULE.pattern.fullmatch
_MAX_EMAIL: Final[int] = _EMAIL_RULE.max_length
_MAX_PHONE: Final[int] = _PHONE_RULE.max_length

# The classes' own converters (public through attrs.fields): the same rules, one place.
_to_amount: Final = cast("Callable[[object], Any]", attrs.fields(Money).amount.converter)
_check_currency: Final = cast("Callable[..., None]", attrs.fields(Money).currency.validator)
_to_stage: Final = cast("Callable[[object], Any]", attrs.fields(Contact).stage.converter)
_to_source: Final = cast("Callable[[object], Any]", attrs.fields(StageChange).source.converter)
_to_target: Final = cast("Callable[[object], Any]", attrs.fields(StageChange).target.converter)
_to_probability: Final = cast(
    "Callable[[object], Any]", attrs.fields(Opportunity).probability.converter
)
_CURRENCY_FIELD: Final = attrs.fields(Money).currency


def _keys(cls: type[Any]) -> frozenset[str]:
    return frozenset(a.name for a in attrs.fields(cls))


_MONEY_KEYS: Final = frozenset({"amount", "currency"})


# Text checks are written inline below (a call per field costs more than the check):
# ``type(v) is str and v != "" and not v.isspace()`` is the rule of ``non_blank``, with
# ``v is None or ...`` that of ``optional_non_blank``.


def _moment(value: object) -> datetime | None:
    """An aware datetime from its RFC 3339 text (the generic hook's pattern first)."""
    if type(value) is not str or _DATETIME(value) is None:
        return None
    moment = _fromisoformat(value)
    return moment if moment.utcoffset() is not None else None


def _day(value: object) -> date | None:
    if type(value) is not str or _DATE(value) is None:
        return None
    return _date_fromisoformat(value)


def load_money(value: object) -> Money | None:
    """A ``Money`` from ``{"amount", "currency"}`` when plainly valid, else ``None``."""
    if type(value) is not dict or value.keys() != _MONEY_KEYS:
        return None
    amount = value["amount"]
    if type(amount) is not str and type(amount) is not int:
        return None
    currency = value["currency"]
    decimal: Decimal = _to_amount(amount)
    _check_currency(None, _CURRENCY_FIELD, currency)
    money: Money = _new(Money)
    _set(money, "amount", decimal)
    _set(money, "currency", currency)
    return money


def _non_negative_money(value: object) -> tuple[bool, Money | None]:
    """``(ok, money)`` for an optional amount that must not be negative."""
    if value is None:
        return True, None
    money = load_money(value)
    if money is None or (money.amount.is_signed() and money.amount):
        return False, None
    return True, money


_ACCOUNT_KEYS: Final = _keys(Account)


def load_account(d: dict[str, Any]) -> Account | None:
    if d.keys() != _ACCOUNT_KEYS:
        return None
    employees = d["employees"]
    ok, revenue = _non_negative_money(d["annual_revenue"])
    if not (
        ok
        and (type(_v := d["name"]) is str and _v != "" and not _v.isspace())
        and ((_v := d["industry"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
        and (employees is None or (type(employees) is int and employees >= 0))
        and ((_v := d["country"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
        and ((_v := d["website"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
        and ((_v := d["id"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
    ):
        return None
    account: Account = _new(Account)
    for name, value in d.items():
        _set(account, name, value)
    _set(account, "annual_revenue", revenue)
    return account


_STAKEHOLDER_KEYS: Final = _keys(Stakeholder)
_MAX_INFLUENCE: Final = 10


def _email_ok(value: object) -> bool:
    return value is None or (
        type(value) is str and len(value) <= _MAX_EMAIL and _email(value) is not None
    )


def load_stakeholder(d: dict[str, Any]) -> Stakeholder | None:
    if d.keys() != _STAKEHOLDER_KEYS:
        return None
    role = d["role"]
    member = None if role is None else _ROLES.get(role) if type(role) is str else False
    influence = d["influence"]
    if not (
        member is not False
        and (role is None or member is not None)
        and (type(_v := d["name"]) is str and _v != "" and not _v.isspace())
        and ((_v := d["title"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
        and _email_ok(d["email"])
        and (influence is None or (type(influence) is int and 0 <= influence <= _MAX_INFLUENCE))
        and type(d["is_primary"]) is bool
        and ((_v := d["id"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
    ):
        return None
    person: Stakeholder = _new(Stakeholder)
    for name, value in d.items():
        _set(person, name, value)
    _set(person, "role", member)
    return person


_TOUCHPOINT_KEYS: Final = _keys(Touchpoint)


def load_touchpoint(d: dict[str, Any]) -> Touchpoint | None:
    if d.keys() != _TOUCHPOINT_KEYS:
        return None
    channel = d["channel"]
    member = _CHANNELS.get(channel) if type(channel) is str else None
    moment = _moment(d["timestamp"])
    kind, note = d["kind"], d["note"]
    if (
        member is None
        or moment is None
        or not (
            (kind is None or (type(kind) is str and kind != "" and not kind.isspace()))
            and (note is None or (type(note) is str and note != "" and not note.isspace()))
        )
    ):
        return None
    touchpoint: Touchpoint = _new(Touchpoint)
    _set(touchpoint, "channel", member)
    _set(touchpoint, "timestamp", moment)
    _set(touchpoint, "kind", kind)
    _set(touchpoint, "note", note)
    return touchpoint


_OPPORTUNITY_KEYS: Final = _keys(Opportunity)


def _texts(value: object) -> tuple[str, ...] | None:
    """A list of ``str`` as a tuple (``as_tuple``'s rule for a list)."""
    if type(value) is not list:
        return None
    for item in value:
        if type(item) is not str:
            return None
    return tuple(value)


def load_opportunity(d: dict[str, Any]) -> Opportunity | None:
    if d.keys() != _OPPORTUNITY_KEYS:
        return None
    ok, amount = _non_negative_money(d["amount"])
    close = d["expected_close"]
    day = None if close is None else _day(close)
    probability = d["probability"]
    competitors = _texts(d["competitors"])
    if not (
        ok
        and (close is None or day is not None)
        and (probability is None or type(probability) is str)
        and competitors is not None
        and ((_v := d["next_step"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
        and (
            (_v := d["lost_reason"]) is None or (type(_v) is str and _v != "" and not _v.isspace())
        )
        and ((_v := d["id"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
    ):
        return None
    deal: Opportunity = _new(Opportunity)
    for name, value in d.items():
        _set(deal, name, value)
    _set(deal, "amount", amount)
    _set(deal, "expected_close", day)
    _set(deal, "probability", _to_probability(probability))
    _set(deal, "competitors", competitors)
    return deal


_CHANGE_KEYS: Final = _keys(StageChange)


def load_change(d: dict[str, Any]) -> StageChange | None:
    if d.keys() != _CHANGE_KEYS:
        return None
    at = _moment(d["at"])
    if at is None or not (
        (type(_v := d["event"]) is str and _v != "" and not _v.isspace())
        and ((_v := d["by"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
        and ((_v := d["reason"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
        and ((_v := d["verdict"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
    ):
        return None
    change: StageChange = _new(StageChange)
    for name, value in d.items():
        _set(change, name, value)
    _set(change, "source", _to_source(d["source"]))
    _set(change, "target", _to_target(d["target"]))
    _set(change, "at", at)
    return change


def _items(value: object, load: Callable[[dict[str, Any]], Any]) -> tuple[Any, ...] | None:
    """A list of documents as a tuple of objects, or ``None`` if any is not plainly valid."""
    if type(value) is not list:
        return None
    items = []
    for item in value:
        if type(item) is not dict:
            return None
        built = load(item)
        if built is None:
            return None
        items.append(built)
    return tuple(items)


_CONTACT_KEYS: Final = _keys(Contact)


def load_contact(d: dict[str, Any]) -> Contact | None:  # noqa: PLR0911, PLR0912  # per field
    if d.keys() != _CONTACT_KEYS:
        return None
    phone, version = d["phone"], d["version"]
    if not (
        (type(_v := d["id"]) is str and _v != "" and not _v.isspace())
        and (type(_v := d["name"]) is str and _v != "" and not _v.isspace())
        and _email_ok(d["email"])
        and (
            phone is None
            or (type(phone) is str and len(phone) <= _MAX_PHONE and _phone(phone) is not None)
        )
        and ((_v := d["title"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
        and ((_v := d["source"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
        and ((_v := d["owner"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
        and ((_v := d["need"]) is None or (type(_v) is str and _v != "" and not _v.isspace()))
        and (d["authority"] is None or type(d["authority"]) is bool)
        and (d["interest"] is None or type(d["interest"]) is bool)
        and type(version) is int
        and version >= 0
    ):
        return None
    state = d.copy()
    account = d["account"]
    if account is not None:
        if type(account) is not dict:
            return None
        state["account"] = load_account(account)
        if state["account"] is None:
            return None
    created = d["created_at"]
    if created is not None:
        state["created_at"] = _moment(created)
        if state["created_at"] is None:
            return None
    ok, state["budget"] = _non_negative_money(d["budget"])
    timeline = d["timeline"]
    if timeline is not None:
        state["timeline"] = _day(timeline)
        if state["timeline"] is None:
            return None
    pains = _texts(d["pains"])
    stakeholders = _items(d["stakeholders"], load_stakeholder)
    touchpoints = _items(d["touchpoints"], load_touchpoint)
    history = _items(d["history"], load_change)
    facts = d["facts"]
    if not ok or pains is None or stakeholders is None or touchpoints is None or history is None:
        return None
    if type(facts) is not dict:
        return None
    opportunity = d["opportunity"]
    if opportunity is not None:
        if type(opportunity) is not dict:
            return None
        state["opportunity"] = load_opportunity(opportunity)
        if state["opportunity"] is None:
            return None
    state["stage"] = _to_stage(d["stage"])
    state["pains"] = pains
    state["stakeholders"] = stakeholders
    state["touchpoints"] = touchpoints
    state["history"] = history
    state["facts"] = as_facts(facts)
    contact: Contact = _new(Contact)
    contact.__dict__.update(state)
    return contact


#: The loader of each entity class (a complete document, nothing nested unusual).
LOADERS: Final[dict[type[Any], Callable[[dict[str, Any]], Any]]] = {
    Account: load_account,
    Stakeholder: load_stakeholder,
    Touchpoint: load_touchpoint,
    Opportunity: load_opportunity,
    StageChange: load_change,
    Contact: load_contact,
}
