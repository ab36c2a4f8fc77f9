"""``pk.json_schema(pk.Qualifier)`` and ``pk.json_schema(pk.Verdict)``: every written document
is valid, and a schema never refuses a document ``pk.from_dict`` accepts (checked with
jsonschema)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.qualifiers.visitors import node_kinds
from tests.qualifiers.strategies import AT, qualifiers, subjects
from tests.test_serialization import build, json_round_trip, mutate

jsonschema = pytest.importorskip("jsonschema")


def json_schema(cls: type[Any], **options: Any) -> Any:
    """``pk.json_schema``, typed for indexing in tests."""
    return pk.json_schema(cls, **options)


SCHEMA = json_schema(pk.Qualifier)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == pk.schemas.DIALECT
    assert SCHEMA["title"] == "Qualifier"


def test_one_definition_per_node_kind() -> None:
    defs = SCHEMA["$defs"]
    for kind, cls in node_kinds().items():
        assert defs[cls.__name__]["properties"]["kind"] == {"const": kind}
    assert len(defs["Qualifier"]["oneOf"]) == len(node_kinds())


@settings(max_examples=300, deadline=None)
@given(q=qualifiers())
def test_every_written_document_is_valid(q: pk.Qualifier) -> None:
    errors = [e.message for e in VALIDATOR.iter_errors(json_round_trip(q))]
    assert not errors


@settings(max_examples=500, deadline=None)
@given(q=qualifiers(), data=st.data())
def test_no_accepted_document_is_refused(q: pk.Qualifier, data: st.DataObject) -> None:
    """Dropped, swapped and added keys anywhere: whatever ``from_dict`` accepts is valid."""
    document = json_round_trip(q)
    action, where = mutate(document, data)
    note(f"{action} at {where}: {document!r}")
    if not isinstance(build(document, pk.Qualifier), pk.SchemaError):
        assert VALIDATOR.is_valid(document)


REFUSED: list[dict[str, Any]] = [
    {"kind": "nope", "path": "a"},
    {"kind": "compare", "path": "a", "op": "=~", "value": 1},
    {"kind": "compare", "path": "a", "op": "==", "value": None},
    {"kind": "compare", "path": "a", "op": "=="},
    {"kind": "compare", "path": "a.__class__", "op": "==", "value": 1},
    {"kind": "known", "path": "a", "extra": 1},
    {"kind": "within", "path": "a", "delta": {"weeks": 1}},
    {"kind": "within", "path": "a", "delta": {"days": -1}},
    {"kind": "in", "path": "a", "values": [{"amount": "1"}]},
    {"kind": "not", "child": {"kind": "known"}},
    {"kind": "all_of", "children": [{"kind": "known", "path": "a"}, 3]},
    {"kind": "weighted", "threshold": 1, "children": [{"kind": "known", "path": "a"}]},
    {"kind": "matches", "path": "a", "pattern": "x", "ignore_case": "yes"},
    {"kind": "known", "path": "a", "name": " "},
]


@pytest.mark.parametrize("document", REFUSED, ids=lambda d: str(d)[:50])
def test_what_the_schema_can_say_it_refuses(document: dict[str, Any]) -> None:
    assert isinstance(build(document, pk.Qualifier), pk.SchemaError)
    assert not VALIDATOR.is_valid(document)


def test_a_full_tree_validates() -> None:
    q = pk.weighted(
        {
            pk.field("budget") >= pk.Money("10000", "EUR"): 2,
            pk.any_item("touchpoints", pk.field("timestamp").within_last(timedelta(days=30))): 1,
            ~pk.field("account.country").is_in({"DE", "FR"}).named("Outside the EU"): 1.5,
        },
        threshold=3,
    )
    assert VALIDATOR.is_valid(pk.to_dict(q))


def test_a_node_class_is_a_document_of_its_kind() -> None:
    schema = json_schema(pk.qualifiers.Compare)
    assert schema["title"] == "Compare"
    compare = jsonschema.Draft202012Validator(schema)
    assert compare.is_valid(pk.to_dict(pk.field("a") == 1))
    assert not compare.is_valid(pk.to_dict(pk.field("a").is_known()))


def test_references_follow_the_template_for_openapi_components() -> None:
    schema = json_schema(pk.Qualifier, ref_template="#/components/schemas/{name}")
    assert schema["$ref"] == "#/components/schemas/Qualifier"
    assert schema["$defs"]["Not"]["properties"]["child"] == {
        "$ref": "#/components/schemas/Qualifier"
    }


def test_each_call_gives_a_new_schema() -> None:
    first = json_schema(pk.Qualifier)
    first["$defs"]["Compare"]["properties"]["op"]["enum"].append("=~")
    assert "=~" not in json_schema(pk.Qualifier)["$defs"]["Compare"]["properties"]["op"]["enum"]


def test_a_custom_qualifier_has_no_schema() -> None:
    class Mine(pk.Qualifier):
        def outcome(self, subject: object, at: Any) -> pk.Outcome:
            return pk.Outcome.PASS

    with pytest.raises(pk.UnsupportedType, match="custom qualifier"):
        json_schema(Mine)


# --- verdicts ------------------------------------------------------------------------

VERDICT_VALIDATOR = jsonschema.Draft202012Validator(json_schema(pk.Verdict))


def test_the_verdict_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json_schema(pk.Verdict)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == "Verdict"
    assert schema["$defs"]["Verdict"]["properties"]["children"]["items"] == {
        "$ref": "#/$defs/Verdict"
    }


@settings(max_examples=200, deadline=None)
@given(q=qualifiers(), subject=subjects())
def test_every_written_verdict_is_valid(q: pk.Qualifier, subject: Any) -> None:
    document = json_round_trip(q.evaluate(subject, at=AT))
    assert not [e.message for e in VERDICT_VALIDATOR.iter_errors(document)]


@settings(max_examples=300, deadline=None)
@given(q=qualifiers(), subject=subjects(), data=st.data())
def test_no_accepted_verdict_is_refused(q: pk.Qualifier, subject: Any, data: st.DataObject) -> None:
    document = json_round_trip(q.evaluate(subject, at=AT))
    action, where = mutate(document, data)
    note(f"{action} at {where}: {document!r}")
    if not isinstance(build(document, pk.Verdict), pk.SchemaError):
        assert VERDICT_VALIDATOR.is_valid(document)


@pytest.mark.parametrize(
    "change",
    [{"outcome": "maybe"}, {"negated": 1}, {"children": {}}, {"label": None}, {"extra": 1}],
    ids=str,
)
def test_what_the_verdict_schema_can_say_it_refuses(change: dict[str, Any]) -> None:
    document = {**json_round_trip((pk.field("a") == 1).evaluate({"a": 1})), **change}
    assert isinstance(build(document, pk.Verdict), pk.SchemaError)
    assert not VERDICT_VALIDATOR.is_valid(document)
