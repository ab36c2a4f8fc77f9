"""Qualifier documents, pinned where mutation testing found the tests silent.

What a user of ``pk.from_dict(doc, pk.Qualifier)`` sees: the exact path and message of
each refusal (value objects, durations, weighted entries, membership lists), the edges of
the numeric bounds, how durations are written, and personal data masked by the loader
itself (``schema.structure`` is what ``PipelineSpec.from_dict`` calls for guards).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

import pipelinekit as pk
from pipelinekit.qualifiers import schema

KNOWN = {"kind": "known", "path": "a"}
LOADERS: dict[str, Callable[[object], object]] = {
    "from_dict": lambda doc: pk.from_dict(doc, pk.Qualifier),
    "loader": schema.structure,
}
VALUE_KINDS = (
    "expected a str, number, bool, {'decimal': ...}, {'date': ...}, {'datetime': ...} "
    "or {'amount': ..., 'currency': ...}; got"
)


ALL_KINDS = (
    "'compare', 'in', 'not_in', 'known', 'missing', 'contains', 'empty', 'not_empty', 'matches',"
    " 'within', 'older_than', 'within_next', 'within_last', 'any_item', 'count_items', 'all_of',"
    " 'any_of', 'not', 'at_least', 'weighted'"
)


def compare(value: object) -> dict[str, Any]:
    return {"kind": "compare", "path": "a", "op": "==", "value": value}


def within(delta: object) -> dict[str, Any]:
    return {"kind": "within", "path": "a", "delta": delta}


REFUSALS = [
    (
        {"kind": "in", "path": "a", "values": "ab"},
        "$.values",
        "expected a list of values, got str 'ab'",
    ),
    (
        {"kind": "not_in", "path": "a", "values": {}},
        "$.values",
        "expected a list of values, got dict {}",
    ),
    (
        {"kind": "in", "path": "a", "values": [1, [2]]},
        "$.values[1]",
        f"{VALUE_KINDS} list [2]",
    ),
    (
        {"kind": "all_of", "children": "ab"},
        "$.children",
        "expected a list of qualifiers, got str 'ab'",
    ),
    (
        {"kind": "weighted", "threshold": 1, "children": {}},
        "$.children",
        "expected a list, got dict {}",
    ),
    (
        {"kind": "weighted", "threshold": 1, "children": [1]},
        "$.children[0]",
        "expected an object with 'weight' and 'child', got int 1",
    ),
    (
        {"kind": "weighted", "threshold": 1, "children": [{"weight": 1, "child": KNOWN, "x": 1}]},
        "$.children[0]",
        "expected exactly the keys 'weight' and 'child'",
    ),
    (
        {"kind": "weighted", "threshold": 1, "children": [{"weight": 1}]},
        "$.children[0]",
        "expected exactly the keys 'weight' and 'child'",
    ),
    (compare({"amount": "1", "currency": 1}), "$.value.currency", "expected a str, got int 1"),
    (
        compare({"amount": 1.5, "currency": "EUR"}),
        "$.value.amount",
        "expected a decimal string, got float 1.5",
    ),
    (
        compare({"amount": "1e99", "currency": "EUR"}),
        "$.value.amount",
        "must be less than 10**18 in magnitude, got 1.000E+99",
    ),
    (compare({"date": 1}), "$.value.date", "expected an ISO date, got int 1"),
    (compare({"datetime": 1}), "$.value.datetime", "expected an ISO date-time, got int 1"),
    (compare({"decimal": 1}), "$.value.decimal", "expected a decimal string, got int 1"),
    (
        compare({"decimal": "1" * 101}),
        "$.value.decimal",
        "numeric string longer than 100 characters",
    ),
    (compare({"x": 1, "a": 2}), "$.value", "unknown value object with keys ['a', 'x']"),
    (
        within(5),
        "$.delta",
        "expected an object with keys from days, hours, minutes, seconds, microseconds, got 5",
    ),
    (
        within({}),
        "$.delta",
        "expected an object with keys from days, hours, minutes, seconds, microseconds, got {}",
    ),
    (
        within({"weeks": 1}),
        "$.delta",
        (
            "expected an object with keys from days, hours, minutes, seconds, microseconds, got"
            " {'weeks': 1}"
        ),
    ),
    (
        within({"hours": 10**9 + 1}),
        "$.delta.hours",
        "expected an int between 0 and 10**9, got 1000000001",
    ),
    (within({"hours": -1}), "$.delta.hours", "expected an int between 0 and 10**9, got -1"),
    (within({"hours": True}), "$.delta.hours", "expected an int between 0 and 10**9, got True"),
    (within({"days": 10**9}), "$.delta", "duration out of range: {'days': 1000000000}"),
    ({}, "$.kind", "required field is missing"),
    ([], "$", "expected a qualifier object, got list []"),
    ({"kind": "nope"}, "$.kind", f"unknown kind 'nope'; expected one of {ALL_KINDS}"),
    ({"kind": "known", "path": 3}, "$.path", "expected a dotted path (str), got int 3"),
    (
        {"kind": "weighted", "threshold": 1, "children": [{"weight": "1", "child": KNOWN}]},
        "$.children[0].weight",
        "expected a number, got str '1'",
    ),
    (
        {"kind": "weighted", "threshold": 1, "children": [{"weight": -1, "child": KNOWN}]},
        "$.children[0].weight",
        "weighted: a weight must be positive, finite and at most 10**15, got -1",
    ),
    (
        {"kind": "weighted", "threshold": 1, "children": [{"weight": 1, "child": {"kind": "x"}}]},
        "$.children[0].child.kind",
        f"unknown kind 'x'; expected one of {ALL_KINDS}",
    ),
    (
        {
            "kind": "weighted",
            "threshold": 1,
            "children": [{"weight": 1, "child": KNOWN}, {"weight": 2, "child": KNOWN}],
        },
        "$.children[1]",
        "duplicate criterion",
    ),
    (
        {"kind": "weighted", "threshold": "1", "children": [{"weight": 1, "child": KNOWN}]},
        "$.threshold",
        "expected a number, got str '1'",
    ),
    (
        {"kind": "matches", "path": "phone", "pattern": "4915112345678("},  # not phone-shaped
        "$.pattern",
        "bad regular expression '***78': missing ), unterminated subpattern at position 13",
    ),
    (
        {"kind": "in", "path": 3, "values": [[1]]},  # the value is read first: no path to mask by
        "$.values[0]",
        f"{VALUE_KINDS} list [1]",
    ),
]


@pytest.mark.parametrize("load", LOADERS.values(), ids=LOADERS.keys())
@pytest.mark.parametrize(("doc", "path", "problem"), REFUSALS)
def test_each_refusal_at_its_place(
    load: Callable[[object], object], doc: dict[str, Any], path: str, problem: str
) -> None:
    with pytest.raises(pk.SchemaError) as caught:
        load(doc)
    assert caught.value.path == path
    assert caught.value.problem == problem


class TestEdges:
    def test_a_number_text_of_exactly_the_limit_loads(self) -> None:
        q = pk.from_dict(compare({"decimal": "0" * schema.MAX_NUMBER_TEXT}), pk.Qualifier)
        assert q({"a": 0})

    @pytest.mark.parametrize("unit", ["days", "hours", "minutes", "seconds", "microseconds"])
    def test_every_unit_up_to_the_bound(self, unit: str) -> None:
        amount = 10**6 if unit == "days" else 10**9  # days: timedelta's own range
        q = pk.from_dict(within({unit: amount}), pk.Qualifier)
        assert isinstance(q, pk.Qualifier)

    def test_all_five_units_together(self) -> None:
        units = {"days": 1, "hours": 2, "minutes": 3, "seconds": 4, "microseconds": 5}
        q = pk.from_dict(within(units), pk.Qualifier)
        assert pk.to_dict(q)["delta"] == {"days": 1, "seconds": 7384, "microseconds": 5}


class TestWritingDurations:
    @pytest.mark.parametrize(
        ("delta", "written"),
        [
            (timedelta(0), {"days": 0}),
            (timedelta(microseconds=5), {"days": 0, "microseconds": 5}),
            (timedelta(days=2, seconds=3), {"days": 2, "seconds": 3}),
            (timedelta(days=1, microseconds=1), {"days": 1, "microseconds": 1}),
        ],
    )
    def test_days_always_the_rest_when_not_zero(
        self, delta: timedelta, written: dict[str, int]
    ) -> None:
        doc = pk.to_dict(pk.field("a").within(delta))
        assert doc["delta"] == written
        assert pk.from_dict(doc, pk.Qualifier) == pk.field("a").within(delta)


class TestLoaderMasks:
    """``schema.structure`` masks by itself, before any caller does."""

    def test_an_email_anywhere_in_a_message(self) -> None:
        with pytest.raises(pk.SchemaError) as caught:
            schema.structure({"kind": "jane.roe@acme.example"})
        assert caught.value.path == "$.kind"
        assert caught.value.problem.startswith("unknown kind 'j***@acme.example'; expected one of")

    def test_a_message_without_personal_data_is_kept_as_it_was(self) -> None:
        with pytest.raises(pk.SchemaError) as caught:
            schema.structure({"kind": "nope"})
        assert caught.value.problem.startswith(
            "unknown kind 'nope'; expected one of 'compare', 'in'"
        )

    @pytest.mark.parametrize(
        ("number", "shown"), [(1000000, "[***00]"), (9999999, "[***99]"), (123, "[***23]")]
    )
    def test_every_number_of_a_personal_field(self, number: int, shown: str) -> None:
        """Digits are counted 0 to 9 both included, from three of them on."""
        doc = {"kind": "in", "path": "phone", "values": [[number]]}
        with pytest.raises(pk.SchemaError) as caught:
            schema.structure(doc)
        assert caught.value.problem == f"{VALUE_KINDS} list {shown}"

    def test_short_numbers_are_not_masked(self) -> None:
        with pytest.raises(pk.SchemaError) as caught:
            schema.structure({"kind": "in", "path": "phone", "values": [[12]]})
        assert caught.value.problem == f"{VALUE_KINDS} list [12]"


def test_register_puts_both_hooks_on_a_converter() -> None:
    """``register`` is how serialization's converters learn qualifiers (each built once)."""
    import cattrs  # noqa: PLC0415  # only this test builds a converter of its own

    converter = cattrs.Converter()
    schema.register(converter)
    q = (pk.field("a") >= 1) & pk.field("b").is_known()
    document = converter.unstructure(q)
    assert document == schema.unstructure(q)
    assert converter.structure(document, pk.Qualifier) == q
    leaf = pk.field("a") >= 1
    assert converter.structure(converter.unstructure(leaf), type(leaf)) == leaf
    with pytest.raises(pk.SchemaError, match="expected a Compare document, got kind 'all_of'"):
        converter.structure(document, type(leaf))
    with pytest.raises(pk.SchemaError, match="unknown kind"):
        converter.structure({"kind": "nope"}, pk.Qualifier)


def test_a_custom_qualifier_has_no_document() -> None:
    class Mine(pk.Qualifier):
        label = "mine"

        def outcome(self, subject: object, at: object = None) -> pk.Outcome:
            return pk.Outcome.PASS

    with pytest.raises(pk.UnsupportedType) as caught:
        schema.unstructure(Mine())
    assert str(caught.value).endswith(
        "pipelinekit has no document form for the custom qualifier Mine ('mine'): a custom"
        " qualifier is code, not data; store a document of the built-in parts and combine it"
        " with the custom check in code"
    )
