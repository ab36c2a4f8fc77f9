"""Hypothesis strategies for every value object and entity, and for JSON documents."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

import pipelinekit as pk

# --- scalars -----------------------------------------------------------------------

#: Any non-blank text (entities refuse empty or whitespace-only required strings).
non_blank_text = st.text(min_size=1, max_size=20).filter(lambda s: bool(s.strip()))
#: Optional text is None or non-blank: blank text is refused (one rule for every field).
optional_text = st.none() | non_blank_text
#: Optional text fields that name something (title, source, country): None or non-blank.
optional_name = st.none() | non_blank_text

currencies = st.sampled_from(["EUR", "USD", "GBP", "JPY", "CHF"]) | st.from_regex(
    r"[A-Z]{3}", fullmatch=True
)
amounts = st.decimals(
    allow_nan=False, allow_infinity=False, places=2, min_value=-(10**12), max_value=10**12
).map(lambda d: d.normalize() if d.is_zero() else d)
monies = st.builds(pk.Money, amounts, currencies)
#: Money for fields that cannot be negative (revenue, budget, deal amount).
non_negative_monies = st.builds(pk.Money, amounts.map(abs), currencies)

#: Fixed-offset time zones: documents keep the UTC offset, not a zone name, and an
#: ambiguous zoneinfo time never compares equal across zones (PEP 495).
offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
aware_datetimes = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=offsets
)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1))

_local = st.from_regex(r"[a-z0-9][a-z0-9._+\-]{0,10}", fullmatch=True)
_label = st.from_regex(r"[a-z0-9][a-z0-9\-]{0,10}", fullmatch=True)
emails = st.builds(lambda local, host, tld: f"{local}@{host}.{tld}", _local, _label, _label)
phones = st.from_regex(r"\+?[0-9][0-9 ]{6,14}[0-9]", fullmatch=True)

fact_keys = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,15}", fullmatch=True)
fact_values = (
    st.text(max_size=10)
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
)
facts = st.dictionaries(fact_keys, fact_values, max_size=4)

probabilities = st.decimals(min_value=0, max_value=1, places=3)
_builtin_folded = {stage.value.casefold() for stage in pk.Stage}
#: Stage names a contact accepts: the built-in stages and custom names (no surrounding
#: whitespace, not a built-in name in other case).
stage_names = st.sampled_from(list(pk.Stage)) | non_blank_text.filter(
    lambda s: s == s.strip() and s.casefold() not in _builtin_folded
)


def _small_tuple(items: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[Any]:
    return st.lists(items, max_size=max_size).map(tuple)


# --- entities ----------------------------------------------------------------------

accounts = st.builds(
    pk.Account,
    name=non_blank_text,
    industry=optional_name,
    employees=st.none() | st.integers(min_value=0, max_value=10**7),
    country=st.none() | st.sampled_from(["DE", "FR", "US"]),
    annual_revenue=st.none() | non_negative_monies,
    website=st.none() | st.just("https://www.acme.example/"),
    id=optional_name,
)
stakeholders = st.builds(
    pk.Stakeholder,
    name=non_blank_text,
    role=st.none() | st.sampled_from(pk.Role),
    title=optional_name,
    email=st.none() | emails,
    influence=st.none() | st.integers(min_value=0, max_value=10),
    is_primary=st.booleans(),
    id=optional_name,
)
touchpoints = st.builds(
    pk.Touchpoint,
    channel=st.sampled_from(pk.Channel),
    timestamp=aware_datetimes,
    kind=optional_text,
    note=optional_text,
)
opportunities = st.builds(
    pk.Opportunity,
    amount=st.none() | non_negative_monies,
    expected_close=st.none() | dates,
    probability=st.none() | probabilities,
    next_step=optional_text,
    competitors=_small_tuple(st.text(max_size=10)),
    lost_reason=optional_text,
    id=optional_name,
)
stage_changes = st.builds(
    pk.StageChange,
    event=non_blank_text,
    source=stage_names,
    target=stage_names,
    at=aware_datetimes,
    by=optional_text,
    reason=optional_text,
    verdict=optional_text,
)
contacts = st.builds(
    pk.Contact,
    id=non_blank_text,
    name=non_blank_text,
    email=st.none() | emails,
    phone=st.none() | phones,
    title=optional_name,
    account=st.none() | accounts,
    source=optional_name,
    owner=optional_name,
    created_at=st.none() | aware_datetimes,
    stage=stage_names,
    budget=st.none() | non_negative_monies,
    authority=st.none() | st.booleans(),
    need=optional_text,
    pains=_small_tuple(st.text(max_size=10)),
    timeline=st.none() | dates,
    interest=st.none() | st.booleans(),
    facts=facts,
    stakeholders=_small_tuple(stakeholders),
    touchpoints=_small_tuple(touchpoints),
    opportunity=st.none() | opportunities,
    history=_small_tuple(stage_changes, 2),
    version=st.integers(min_value=0, max_value=1000),
)

#: (strategy, type) for every class with a document format.
ENTITY_STRATEGIES: list[tuple[st.SearchStrategy[Any], type[Any]]] = [
    (monies, pk.Money),
    (accounts, pk.Account),
    (stakeholders, pk.Stakeholder),
    (touchpoints, pk.Touchpoint),
    (opportunities, pk.Opportunity),
    (stage_changes, pk.StageChange),
    (contacts, pk.Contact),
]

# --- JSON --------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10)
)
#: Arbitrary JSON values (what ``json.loads`` can return).
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def keyed_json(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects whose keys are mostly real field names, so they get past the first check."""
    key = st.sampled_from(keys) | st.text(max_size=8)
    return st.dictionaries(key, json_values, max_size=len(keys) + 1)


#: Values to swap in when mutating a valid document.
replacement_values = (
    st.sampled_from(
        [None, [], {}, [None], "", " ", "x", 0, -1, 1.5, True, "2024-13-01", {"amount": 1.5}]
    )
    | json_values
)

__all__ = [
    "ENTITY_STRATEGIES",
    "accounts",
    "amounts",
    "aware_datetimes",
    "contacts",
    "currencies",
    "dates",
    "emails",
    "fact_values",
    "facts",
    "json_values",
    "keyed_json",
    "monies",
    "non_negative_monies",
    "optional_name",
    "opportunities",
    "phones",
    "replacement_values",
    "stage_changes",
    "stage_names",
    "stakeholders",
    "touchpoints",
]
