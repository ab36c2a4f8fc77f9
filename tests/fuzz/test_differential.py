"""Differential test: the library against a reference evaluator written from the docs.

The reference follows docs/qualifiers.md and docs/qualifier-format.md only: Kleene's
three-valued logic, a missing (``None``/absent/NaN) fact is UNKNOWN, a present value that is
not comparable with the criterion (numbers with numbers, ``bool`` not a number, text with
text, money with money of the same currency, dates with dates, aware datetimes with aware
datetimes) is UNKNOWN, ``at_least`` / ``weighted`` / ``count_items`` are decided only when
the unknown children can no longer change the result, and an empty ``any_item`` fails.
The leaves' table: ``contains`` on a collection or text (an empty one FAILs, a mapping is
not a collection), ``matches`` is ``re.search`` on text, and the time rules measure the
distance from ``at`` (from its date for a plain date): ``within`` ``abs(value - at) <=
delta``, ``within_next`` ``at <= value <= at + delta``, ``within_last`` ``at - delta <=
value <= at``, ``older_than`` ``value < at - delta``.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import pipelinekit as pk

P, F, U = pk.Outcome.PASS, pk.Outcome.FAIL, pk.Outcome.UNKNOWN
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
KEYS = ["a", "b", "c"]
OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
MISSING = object()

# --- the reference ---------------------------------------------------------------------


def _kind(value: object) -> object:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, pk.Money):
        return ("money", value.currency)
    if isinstance(value, datetime):
        return "datetime" if value.utcoffset() is not None else "naive datetime"
    return type(value).__name__


def _ordered(value: object) -> object:
    """What a comparison compares: a Money's amount (same currency: checked by the kind)."""
    return value.amount if isinstance(value, pk.Money) else value


def _time(kind: str, value: object, delta: timedelta, at: datetime) -> pk.Outcome:
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            return U  # naive: not comparable with the aware ``at``
        distance = value - at
    elif isinstance(value, date):
        distance = value - at.date()
    else:
        return U
    holds = {
        "within": abs(distance) <= delta,
        "within_next": timedelta(0) <= distance <= delta,
        "within_last": -delta <= distance <= timedelta(0),
        "older_than": distance < -delta,
    }[kind]
    return P if holds else F


def _contains(value: object, item: object) -> pk.Outcome:
    if isinstance(value, str):
        return (P if item in value else F) if isinstance(item, str) else U
    if isinstance(value, list):
        found = any(_kind(x) == _kind(item) and x == item for x in value)
        return P if found else F
    return U  # a number, a date, money, a mapping: not a collection


def _get(subject: dict[str, Any], key: str) -> object:
    value = subject.get(key, MISSING)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return value


def _all(outcomes: list[pk.Outcome]) -> pk.Outcome:
    return F if F in outcomes else U if U in outcomes else P


def _any(outcomes: list[pk.Outcome]) -> pk.Outcome:
    return P if P in outcomes else U if U in outcomes else F


def _at_least(k: float, passed: float, unknown: float) -> pk.Outcome:
    if passed >= k:
        return P
    return F if passed + unknown < k else U


TIME_RULES = ("within", "within_next", "within_last", "older_than")


def reference(doc: tuple[Any, ...], subject: dict[str, Any], at: datetime = NOW) -> pk.Outcome:  # noqa: PLR0911, PLR0912  # one branch per kind
    """The outcome the docs promise for the node ``doc`` on ``subject`` at ``at``."""
    kind = doc[0]
    if kind == "compare":
        _, key, op, criterion = doc
        value = _get(subject, key)
        if value is MISSING:
            return U
        if _kind(value) != _kind(criterion):
            return U
        return P if OPS[op](_ordered(value), _ordered(criterion)) else F
    if kind in TIME_RULES:
        value = _get(subject, doc[1])
        return U if value is MISSING else _time(kind, value, doc[2], at)
    if kind == "contains":
        value = _get(subject, doc[1])
        return U if value is MISSING else _contains(value, doc[2])
    if kind == "matches":
        _, key, pattern, ignore_case = doc
        value = _get(subject, key)
        if value is MISSING or not isinstance(value, str):
            return U
        return P if re.search(pattern, value, re.IGNORECASE if ignore_case else 0) else F
    if kind in ("in", "not_in"):
        _, key, values = doc
        value = _get(subject, key)
        if value is MISSING:
            return U
        if values and _kind(value) not in {_kind(v) for v in values}:
            return U
        found = any(_kind(v) == _kind(value) and v == value for v in values)
        return P if found == (kind == "in") else F
    if kind == "known":
        return F if _get(subject, doc[1]) is MISSING else P
    if kind == "missing":
        return P if _get(subject, doc[1]) is MISSING else F
    if kind == "not":
        return {P: F, F: P, U: U}[reference(doc[1], subject, at)]
    if kind == "all_of":
        return _all([reference(c, subject, at) for c in doc[1]])
    if kind == "any_of":
        return _any([reference(c, subject, at) for c in doc[1]])
    if kind == "at_least":
        outcomes = [reference(c, subject, at) for c in doc[2]]
        return _at_least(doc[1], outcomes.count(P), outcomes.count(U))
    if kind == "weighted":
        _, threshold, pairs = doc
        weighed = [(w, reference(c, subject, at)) for w, c in pairs]
        passed = sum(w for w, o in weighed if o is P)
        unknown = sum(w for w, o in weighed if o is U)
        return _at_least(threshold, passed, unknown)
    items = _get(subject, "items")
    if items is MISSING:
        return U
    if not isinstance(items, list):
        return U  # not a collection
    outcomes = [reference(doc[-1], item, at) for item in items]
    if kind == "any_item":
        return _any(outcomes)
    return _at_least(doc[1], outcomes.count(P), outcomes.count(U))  # count_items


def build(doc: tuple[Any, ...]) -> pk.Qualifier:  # noqa: PLR0911, PLR0912  # one branch per kind
    """The same node through the public builders."""
    kind = doc[0]
    if kind == "compare":
        return _compare(*doc[1:])
    if kind in TIME_RULES:
        return getattr(pk.field(doc[1]), kind)(doc[2])  # type: ignore[no-any-return]  # a leaf
    if kind == "contains":
        return pk.field(doc[1]).contains(doc[2])
    if kind == "matches":
        return pk.field(doc[1]).matches(doc[2], ignore_case=doc[3])
    if kind == "in":
        return pk.field(doc[1]).is_in(doc[2])
    if kind == "not_in":
        return pk.field(doc[1]).not_in(doc[2])
    if kind == "known":
        return pk.field(doc[1]).is_known()
    if kind == "missing":
        return pk.field(doc[1]).is_missing()
    if kind == "not":
        return ~build(doc[1])
    if kind == "all_of":
        return pk.all_of(*[build(c) for c in doc[1]])
    if kind == "any_of":
        return pk.any_of(*[build(c) for c in doc[1]])
    if kind == "at_least":
        return pk.at_least(doc[1], *[build(c) for c in doc[2]])
    if kind == "weighted":
        return pk.weighted({build(c): w for w, c in doc[2]}, threshold=doc[1])
    if kind == "any_item":
        return pk.any_item("items", build(doc[1]))
    return pk.count_items("items", build(doc[2]), at_least=doc[1])


def _compare(key: str, op: str, value: object) -> pk.Qualifier:
    field = pk.field(key)
    return {
        "==": field == value,
        "!=": field != value,
        "<": field < value,
        "<=": field <= value,
        ">": field > value,
        ">=": field >= value,
    }[op]


# --- random documents and subjects ------------------------------------------------------

numbers = st.integers(-3, 3) | st.sampled_from([0.5, -1.5, 2.0, Decimal("0.5"), Decimal("-3")])
texts = st.sampled_from(["x", "y", "z"])
money = st.builds(
    pk.Money,
    st.sampled_from(["-1", "0", "0.5", "2", "1000000.000000000001"]),
    st.sampled_from(["EUR", "USD"]),
)
#: Around ``NOW``: the edges of the deltas below, both sides, and the ends of the calendar.
OFFSETS = [
    timedelta(0),
    timedelta(seconds=1),
    timedelta(days=1),
    timedelta(days=7),
    timedelta(days=7, seconds=1),
]
datetimes = st.builds(
    lambda offset, sign, zone: (NOW + sign * offset).astimezone(zone),
    st.sampled_from(OFFSETS),
    st.sampled_from([1, -1]),
    st.sampled_from([UTC, timezone(timedelta(hours=-5))]),
)
dates = st.builds(
    lambda days: NOW.date() + timedelta(days=days), st.sampled_from([-8, -7, -1, 0, 1, 7, 8])
) | st.sampled_from([date.min, date.max])


def _named(strategy: st.SearchStrategy[Any], name: str) -> st.SearchStrategy[Any]:
    """``strategy`` under a short name (Hypothesis warns about reprs of 80 kB otherwise)."""

    @st.composite
    def draw(data: st.DrawFn) -> Any:
        return data(strategy)

    draw.__name__ = draw.__qualname__ = name
    return draw()


scalars = _named(numbers | texts | st.booleans() | money | dates | datetimes, "scalars")
DELTAS = [timedelta(0), timedelta(days=1), timedelta(days=7), timedelta(days=3_000_000)]
PATTERNS = ["x", "^y", "[xz]$", "x|Y"]
#: ``in`` values: mixed kinds too (``True`` and ``1`` stay apart, issue 9 item 2).
value_sets = (
    st.lists(scalars, max_size=4) | st.lists(numbers, max_size=3) | st.lists(texts, max_size=3)
)


def _leaves(keys: list[str], name: str) -> st.SearchStrategy[tuple[Any, ...]]:
    paths = st.sampled_from(keys)
    return _named(
        st.tuples(st.just("compare"), paths, st.sampled_from(list(OPS)), scalars)
        | st.tuples(st.sampled_from(["in", "not_in"]), paths, value_sets)
        | st.tuples(st.sampled_from(["known", "missing"]), paths)
        | st.tuples(st.sampled_from(TIME_RULES), paths, st.sampled_from(DELTAS))
        | st.tuples(st.just("contains"), paths, scalars)
        | st.tuples(st.just("matches"), paths, st.sampled_from(PATTERNS), st.booleans()),
        name,
    )


leaves = _leaves(KEYS, "leaves")


def _extend(inner: st.SearchStrategy[tuple[Any, ...]]) -> st.SearchStrategy[tuple[Any, ...]]:
    children = st.lists(inner, min_size=1, max_size=3, unique_by=repr)
    return (
        st.tuples(st.just("not"), inner)
        | st.tuples(st.sampled_from(["all_of", "any_of"]), children)
        | children.flatmap(
            lambda cs: st.tuples(st.just("at_least"), st.integers(1, len(cs)), st.just(cs))
        )
        | children.flatmap(
            lambda cs: st.tuples(
                st.just("weighted"),
                st.integers(1, 3 * len(cs)),
                st.tuples(*[st.tuples(st.integers(1, 3), st.just(c)) for c in cs]).map(list),
            )
        )
    )


def _top(inner: st.SearchStrategy[tuple[Any, ...]]) -> st.SearchStrategy[tuple[Any, ...]]:
    return (
        inner
        | st.tuples(st.just("any_item"), inner)
        | st.tuples(st.just("count_items"), st.integers(1, 3), inner)
    )


documents = _top(st.recursive(leaves, _extend, max_leaves=8))
#: Text to search and collections to look in, besides the criterion values.
haystacks = (
    st.sampled_from(["", "xy", "zx", "Y", "XZ"]) | st.lists(scalars, max_size=3) | st.just({"x": 1})
)
naive = st.builds(lambda offset: (NOW + offset).replace(tzinfo=None), st.sampled_from(OFFSETS))
cell = st.none() | scalars | st.just(math.nan) | haystacks | naive
rows = st.dictionaries(st.sampled_from(KEYS), cell)
subjects = st.builds(
    lambda row, items: {**row, **({} if items is None else {"items": items})},
    rows,
    st.none() | st.lists(rows, max_size=3),
)

_budget = settings(
    settings.get_profile("fuzz"),
    max_examples=5 * settings.get_profile("fuzz").max_examples,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _build_or_skip(doc: tuple[Any, ...]) -> pk.Qualifier:
    try:
        return build(doc)
    except pk.QualifierError:
        # The builders refuse some shapes the generator makes (duplicate children after
        # normalisation): not a semantic difference.
        assume(False)
        raise


@_budget
@given(
    doc=documents,
    subject=subjects,
    at=st.sampled_from([NOW, NOW.astimezone(timezone(timedelta(hours=9)))]),
)
@example(doc=("compare", "a", ">=", 1), subject={"a": True}, at=NOW)
@example(doc=("in", "a", [1, 2]), subject={"a": "1"}, at=NOW)
@example(
    doc=("at_least", 2, [("known", "a"), ("known", "b"), ("missing", "c")]),
    subject={"a": 1},
    at=NOW,
)
# The edges of each time rule: exactly ``delta`` away, on both sides, and a second past it.
@example(doc=("within", "a", timedelta(days=7)), subject={"a": NOW - timedelta(days=7)}, at=NOW)
@example(
    doc=("within_next", "a", timedelta(days=7)), subject={"a": NOW + timedelta(days=7)}, at=NOW
)
@example(doc=("within_next", "a", timedelta(days=7)), subject={"a": NOW}, at=NOW)
@example(
    doc=("within_next", "a", timedelta(days=7)), subject={"a": NOW - timedelta(seconds=1)}, at=NOW
)
@example(
    doc=("within_last", "a", timedelta(days=7)), subject={"a": NOW - timedelta(days=7)}, at=NOW
)
@example(
    doc=("within_last", "a", timedelta(days=7)), subject={"a": NOW + timedelta(seconds=1)}, at=NOW
)
@example(doc=("older_than", "a", timedelta(days=7)), subject={"a": NOW - timedelta(days=7)}, at=NOW)
@example(
    doc=("older_than", "a", timedelta(days=7)),
    subject={"a": NOW - timedelta(days=7, seconds=1)},
    at=NOW,
)
@example(doc=("within_next", "a", timedelta(days=3_000_000)), subject={"a": date.max}, at=NOW)
@example(doc=("older_than", "a", timedelta(days=3_000_000)), subject={"a": date.min}, at=NOW)
@example(doc=("within", "a", timedelta(days=1)), subject={"a": NOW.replace(tzinfo=None)}, at=NOW)
@example(doc=("in", "a", []), subject={"a": []}, at=NOW)
@example(doc=("not_in", "a", []), subject={"a": ["x"]}, at=NOW)
@example(doc=("contains", "a", 1), subject={"a": [True, 1.0]}, at=NOW)
@example(doc=("contains", "a", True), subject={"a": [1]}, at=NOW)
@example(doc=("contains", "a", "x"), subject={"a": []}, at=NOW)
@example(doc=("contains", "a", "x"), subject={"a": {"x": 1}}, at=NOW)
@example(doc=("contains", "a", 1), subject={"a": "x1"}, at=NOW)
@example(doc=("matches", "a", "x|Y", True), subject={"a": "y"}, at=NOW)
@example(doc=("matches", "a", "x", False), subject={"a": ["x"]}, at=NOW)
@example(
    doc=("compare", "a", "<", pk.Money("2", "EUR")), subject={"a": pk.Money("2", "USD")}, at=NOW
)
@example(
    doc=("compare", "a", "<=", pk.Money("2", "EUR")), subject={"a": pk.Money("2", "EUR")}, at=NOW
)
@example(doc=("compare", "a", "==", pk.Money("2", "EUR")), subject={"a": 2}, at=NOW)
@example(
    doc=("in", "a", [pk.Money("0.5", "EUR"), 0.5]), subject={"a": pk.Money("0.50", "EUR")}, at=NOW
)
def test_library_agrees_with_the_reference(
    doc: tuple[Any, ...], subject: dict[str, Any], at: datetime
) -> None:
    q = _build_or_skip(doc)
    expected = reference(doc, subject, at)
    assert q.evaluate(subject, at=at).outcome is expected
    assert q(subject, at=at) is (expected is P)
    loaded = pk.from_dict(pk.to_dict(q), pk.Qualifier)
    assert loaded.evaluate(subject, at=at).outcome is expected


@pytest.mark.parametrize(
    ("doc", "subject"),
    [
        (("in", "a", [True, 2]), {"a": 1}),
        (("not_in", "a", [False, 2]), {"a": 0}),
    ],
)
def test_bools_and_numbers_stay_apart(doc: tuple[Any, ...], subject: dict[str, Any]) -> None:
    q = build(doc)
    assert q.evaluate(subject).outcome is reference(doc, subject)


# --- the same on pipelinekit's own entities (the generated code's direct flavour) -------

#: Contact fields of each kind the leaves check, and how the reference reads them.
CONTACT_PATHS = [
    "account.employees",
    "budget",
    "timeline",
    "created_at",
    "need",
    "pains",
    "authority",
]
texts_of_a_contact = st.sampled_from(["x", "xy", "Y", "zx"])
contacts = st.builds(
    lambda employees, budget, timeline, created, need, pains, authority: pk.Contact(
        id="c-1",
        name="Jo",
        account=None if employees is False else pk.Account(name="Acme", employees=employees),
        budget=budget,
        timeline=timeline,
        created_at=created,
        need=need,
        pains=pains,
        authority=authority,
    ),
    st.just(False) | st.none() | st.integers(0, 3),  # False: no account at all
    st.none() | money.filter(lambda m: m.amount >= 0),
    st.none() | dates,
    st.none() | datetimes,
    st.none() | texts_of_a_contact,
    st.lists(texts_of_a_contact, max_size=2).map(tuple),
    st.none() | st.booleans(),
)


def _row(contact: pk.Contact) -> dict[str, Any]:
    """The contact's values as the reference reads them (a tuple is a collection: a list)."""
    row: dict[str, Any] = {}
    for path in CONTACT_PATHS:
        value: Any = contact
        for segment in path.split("."):
            value = getattr(value, segment) if value is not None else None
        row[path] = list(value) if isinstance(value, tuple) else value
    return row


contact_documents = st.recursive(_leaves(CONTACT_PATHS, "contact_leaves"), _extend, max_leaves=8)


def _on_contact(doc: tuple[Any, ...], **fields: Any) -> Callable[[Any], Any]:
    """An explicit example: ``doc`` on a contact with ``fields``, at ``NOW``."""
    return example(doc=doc, contact=pk.Contact(id="c", name="Jo", **fields), at=NOW)


WEEK = timedelta(days=7)


@_budget
@given(doc=contact_documents, contact=contacts, at=st.sampled_from([NOW, NOW - WEEK]))
@_on_contact(("within_next", "timeline", WEEK), timeline=NOW.date() + WEEK)
@_on_contact(("within_next", "timeline", WEEK), timeline=NOW.date())
@_on_contact(("within_last", "created_at", WEEK), created_at=NOW - WEEK)
@_on_contact(("within_last", "created_at", WEEK), created_at=NOW)
@_on_contact(("older_than", "created_at", WEEK), created_at=NOW - WEEK)
@_on_contact(("older_than", "created_at", WEEK), created_at=NOW - WEEK - timedelta(seconds=1))
@_on_contact(("within", "timeline", timedelta(days=1)), timeline=NOW.date() - timedelta(days=1))
@_on_contact(("compare", "budget", ">=", pk.Money("2", "EUR")), budget=pk.Money("2", "USD"))
@_on_contact(("compare", "budget", ">=", pk.Money("2", "EUR")), budget=pk.Money("2.00", "EUR"))
def test_library_agrees_with_the_reference_on_contacts(
    doc: tuple[Any, ...], contact: pk.Contact, at: datetime
) -> None:
    q = _build_or_skip(doc)
    expected = reference(doc, _row(contact), at)
    assert q(contact, at=at) is (expected is P)
    assert q.evaluate(contact, at=at).outcome is expected
