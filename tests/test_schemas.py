"""``pk.json_schema``: the documents ``to_dict`` writes are valid, and the schema never
refuses a document ``from_dict`` accepts (checked with the jsonschema package)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import pipelinekit as pk
from tests import strategies as s
from tests.test_serialization import build, json_round_trip, mutate

jsonschema = pytest.importorskip("jsonschema")

CLASSES = [cls for _, cls in s.ENTITY_STRATEGIES]


def validator(cls: type[Any]) -> Any:
    schema = pk.json_schema(cls)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


VALIDATORS = {cls: validator(cls) for cls in CLASSES}


def valid(document: object, cls: type[Any]) -> bool:
    return bool(VALIDATORS[cls].is_valid(document))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_schema_is_a_valid_draft_2020_12_schema(cls: type[Any]) -> None:
    schema = pk.json_schema(cls)
    assert schema["$schema"] == pk.schemas.DIALECT
    assert schema["title"] == cls.__name__
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(("strategy", "cls"), s.ENTITY_STRATEGIES, ids=lambda x: str(x)[:20])
@given(data=st.data())
def test_every_written_document_is_valid(
    strategy: st.SearchStrategy[Any], cls: type[Any], data: st.DataObject
) -> None:
    document = json_round_trip(data.draw(strategy))
    errors = [error.message for error in VALIDATORS[cls].iter_errors(document)]
    assert not errors


@pytest.mark.parametrize(("strategy", "cls"), s.ENTITY_STRATEGIES, ids=lambda x: str(x)[:20])
@given(data=st.data())
def test_no_accepted_document_is_refused(
    strategy: st.SearchStrategy[Any], cls: type[Any], data: st.DataObject
) -> None:
    """Dropped, swapped and added keys anywhere: whatever ``from_dict`` accepts is valid."""
    document = json_round_trip(data.draw(strategy))
    action, where = mutate(document, data)
    note(f"{action} at {where}: {document!r}")
    if not isinstance(build(document, cls), pk.SchemaError):
        assert valid(document, cls)


NOW = "2026-12-01T09:30:00+00:00"

#: Documents ``from_dict`` refuses that the schema refuses too: what it can say.
REFUSED: list[tuple[type[Any], dict[str, Any]]] = [
    (pk.Contact, {"name": "Jane"}),  # no id
    (pk.Contact, {"id": "c-1", "name": "Jane", "nickname": "J"}),  # unknown key
    (pk.Contact, {"id": "c-1", "name": "   "}),  # blank
    (pk.Contact, {"id": "c-1", "name": "Jane", "version": True}),  # bool for int
    (pk.Contact, {"id": "c-1", "name": "Jane", "version": -1}),
    (pk.Contact, {"id": "c-1", "name": "Jane", "email": "jane@"}),
    (pk.Contact, {"id": "c-1", "name": "Jane", "created_at": "2026-12-01T09:30:00"}),  # naive
    (pk.Contact, {"id": "c-1", "name": "Jane", "timeline": "2026-12-01T09:30:00+00:00"}),
    (pk.Contact, {"id": "c-1", "name": "Jane", "stage": " lead"}),
    (pk.Contact, {"id": "c-1", "name": "Jane", "facts": {"1st": True}}),
    (pk.Contact, {"id": "c-1", "name": "Jane", "facts": {"a": None}}),
    (pk.Contact, {"id": "c-1", "name": "Jane", "budget": {"amount": 5000.5, "currency": "EUR"}}),
    (pk.Contact, {"id": "c-1", "name": "Jane", "budget": {"amount": "5", "currency": "eur"}}),
    (pk.Contact, {"id": "c-1", "name": "J", "account": {"name": "A", "schema_version": 2}}),
    (pk.Contact, {"id": "c-1", "name": "J", "pains": "slow"}),
    (pk.Stakeholder, {"name": "Sam", "influence": 11}),
    (pk.Stakeholder, {"name": "Sam", "role": "boss"}),
    (pk.Touchpoint, {"channel": "email"}),
    (pk.Touchpoint, {"channel": "EMAIL", "timestamp": NOW}),
    (pk.Opportunity, {"probability": 0.5}),
    (pk.Opportunity, {"probability": ".5"}),
    (pk.StageChange, {"event": "qualify", "source": "lead", "target": "prospect"}),
    (pk.Money, {"amount": "10."}),
    (pk.Account, {"name": "Acme", "schema_version": 2}),
]


@pytest.mark.parametrize(("cls", "document"), REFUSED, ids=repr)
def test_what_the_schema_can_say_it_refuses(cls: type[Any], document: dict[str, Any]) -> None:
    assert isinstance(build(document, cls), pk.SchemaError)  # the case is a real refusal
    assert not valid(document, cls)


def test_a_full_contact_validates() -> None:
    contact = pk.Contact(
        id="c-1",
        name="Jane Roe",
        email="jane@acme.example",
        phone="+49 151 1234567",
        account=pk.Account(name="Acme", employees=250, annual_revenue=pk.Money("1e6", "EUR")),
        stakeholders=[pk.Stakeholder(name="Sam", role=pk.Role.CHAMPION, influence=7)],
        opportunity=pk.Opportunity(amount=pk.Money("25000.00", "EUR"), probability="0.4"),
        facts={"seats": 40, "trial": True},
    )
    document = json_round_trip(contact)
    assert valid(document, pk.Contact)
    assert pk.from_dict(document, pk.Contact) == contact


def test_each_call_gives_a_new_schema() -> None:
    first = pk.json_schema(pk.Contact)
    first["properties"] = {}
    assert pk.json_schema(pk.Contact)["properties"]


@pytest.mark.parametrize("target", [pk.PipelineSpec, int, list[pk.Contact]])
def test_no_schema_for_other_types(target: Any) -> None:
    with pytest.raises(pk.UnsupportedType, match="no JSON Schema for"):
        pk.json_schema(target)


def test_references_follow_the_template_for_openapi_components() -> None:
    template = "#/components/schemas/{name}"
    schema: dict[str, Any] = pk.json_schema(pk.Contact, ref_template=template)
    components = {"Contact": schema, **schema.pop("$defs")}
    document = {"components": {"schemas": components}}
    text = repr(document)
    assert "#/$defs/" not in text
    registry_schema = {"$ref": "#/components/schemas/Contact", **document}
    checker = jsonschema.Draft202012Validator(registry_schema)
    contact = pk.Contact(id="c-1", name="Jane", account=pk.Account(name="Acme"))
    assert checker.is_valid(json_round_trip(contact))
    assert not checker.is_valid({"id": "c-1", "name": "Jane", "account": {"name": " "}})


@pytest.mark.parametrize("template", ["#/components/schemas/", 3, None, "{nam}"])
def test_a_template_without_name_is_refused(template: Any) -> None:
    with pytest.raises(pk.FieldValueError, match="ref_template"):
        pk.json_schema(pk.Contact, ref_template=template)


def test_braces_in_a_template_are_kept() -> None:
    properties: Any = pk.json_schema(pk.Opportunity, ref_template="#/x/{other}/{name}")[
        "properties"
    ]
    assert properties["amount"] == {"anyOf": [{"$ref": "#/x/{other}/Money"}, {"type": "null"}]}


def test_nested_parts_of_a_schema_are_not_shared() -> None:
    """Changing a nested part of one schema (Money's, in ``$defs``) changes no other."""
    first: Any = pk.json_schema(pk.Contact)
    first["$defs"]["Money"]["properties"]["currency"]["pattern"] = "changed"
    money: Any = pk.json_schema(pk.Money)
    assert money["properties"]["currency"] == {
        "type": "string",
        "pattern": "^[A-Z]{3}$",
    }
