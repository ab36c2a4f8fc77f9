"""``to_dict`` / ``from_dict``: round trips, the document format and error paths."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.serialization import (
    VERSION_WHEN_ABSENT,
    _converter,
    _is_document_type,
    converter,
)
from tests import strategies as s

_detailed = _converter(detailed=True)

AT = datetime(2026, 11, 22, 9, 30, tzinfo=timezone(timedelta(hours=1)))


def full_contact() -> pk.Contact:
    return pk.Contact(
        id="c-1",
        name="Jane Roe",
        email="jane@acme.example",
        phone="+49 30 1234567",
        account=pk.Account(name="Acme", employees=250, annual_revenue=pk.Money("30000000", "EUR")),
        created_at=AT,
        stage=pk.Stage.PROSPECT,
        budget=pk.Money("25000.00", "EUR"),
        authority=True,
        pains=("manual reporting",),
        timeline=date(2027, 3, 1),
        facts={"metrics": "hours saved", "seats": 40, "fit": 0.75, "champion": True},
        stakeholders=(pk.Stakeholder(name="Max", role=pk.Role.ECONOMIC_BUYER, influence=9),),
        touchpoints=(pk.Touchpoint(channel=pk.Channel.WEB_FORM, timestamp=AT, kind="demo"),),
        opportunity=pk.Opportunity(
            amount=pk.Money("25000", "EUR"), probability="0.4", competitors=["Initech"]
        ),
        history=(pk.StageChange(event="qualify", source="lead", target="prospect", at=AT),),
        version=1,
    )


def json_round_trip(obj: object) -> Any:
    return json.loads(json.dumps(pk.to_dict(obj)))


def build(data: object, cls: Any) -> object:
    """The object ``from_dict`` builds, or the SchemaError it raises (anything else escapes)."""
    try:
        return pk.from_dict(data, cls)
    except pk.SchemaError as error:
        return error


def schema_error(data: object, cls: Any) -> pk.SchemaError:
    with pytest.raises(pk.SchemaError) as info:
        pk.from_dict(data, cls)
    return info.value


class TestRoundTrip:
    @pytest.mark.parametrize(("strategy", "cls"), s.ENTITY_STRATEGIES, ids=lambda x: str(x)[:20])
    @given(data=st.data())
    def test_every_entity_round_trips_through_json(
        self, strategy: st.SearchStrategy[Any], cls: type[Any], data: st.DataObject
    ) -> None:
        """to_dict → json.dumps → json.loads → from_dict gives an equal object."""
        obj = data.draw(strategy)
        document = json_round_trip(obj)
        rebuilt = pk.from_dict(document, cls)
        assert rebuilt == obj
        assert type(rebuilt) is cls
        # and the document is stable
        assert json_round_trip(rebuilt) == document

    @given(s.contacts)
    def test_contact_hash_survives(self, contact: pk.Contact) -> None:
        """Equal documents rebuild equal, equally hashed contacts (facts are not hashed)."""
        rebuilt = pk.from_dict(json_round_trip(contact), pk.Contact)
        assert hash(rebuilt) == hash(contact)

    def test_full_contact(self) -> None:
        """A contact with every field set survives the round trip."""
        contact = full_contact()
        assert pk.from_dict(json_round_trip(contact), pk.Contact) == contact

    def test_datetime_offset_is_kept(self) -> None:
        """The UTC offset of an aware datetime is written and read back."""
        rebuilt = pk.from_dict(json_round_trip(full_contact()), pk.Contact)
        assert rebuilt.created_at is not None
        assert rebuilt.created_at.utcoffset() == timedelta(hours=1)

    def test_stage_comes_back_as_member(self) -> None:
        """Default stage names come back as Stage members; custom names stay strings."""
        assert pk.from_dict(json_round_trip(full_contact()), pk.Contact).stage is pk.Stage.PROSPECT
        custom = pk.Contact(id="c", name="n", stage="nurture")
        assert pk.from_dict(json_round_trip(custom), pk.Contact).stage == "nurture"


class TestDocumentFormat:
    def test_json_ready_builtins_only(self) -> None:
        """No Decimal, date, enum or tuple is left in the document."""

        def walk(value: object) -> None:
            assert type(value) in {dict, list, str, int, float, bool, type(None)}, value
            if type(value) is dict:
                for key, item in value.items():
                    assert type(key) is str
                    walk(item)
            elif type(value) is list:
                for item in value:
                    walk(item)

        walk(pk.to_dict(full_contact()))

    def test_fields_at_top_level_with_schema_version(self) -> None:
        """An entity's fields are at the top level, nested entities as nested dicts."""
        doc = pk.to_dict(full_contact())
        assert doc["schema_version"] == pk.SCHEMA_VERSION == 1
        assert doc["id"] == "c-1"
        assert doc["account"]["employees"] == 250
        assert "schema_version" not in doc["account"]
        assert set(doc) == {a.name for a in attrs.fields(pk.Contact)} | {"schema_version"}

    def test_value_formats(self) -> None:
        """Money, dates, datetimes, enums, tuples and facts have their documented form."""
        doc = pk.to_dict(full_contact())
        assert doc["budget"] == {"amount": "25000.00", "currency": "EUR"}
        assert doc["timeline"] == "2027-03-01"
        assert doc["created_at"] == "2026-11-22T09:30:00+01:00"
        assert doc["stage"] == "prospect"
        assert type(doc["stage"]) is str
        assert doc["stakeholders"][0]["role"] == "economic_buyer"
        assert doc["touchpoints"][0]["channel"] == "web_form"
        assert doc["pains"] == ["manual reporting"]
        assert doc["opportunity"]["probability"] == "0.4"
        assert doc["opportunity"]["competitors"] == ["Initech"]
        assert doc["facts"] == {
            "metrics": "hours saved",
            "seats": 40,
            "fit": 0.75,
            "champion": True,
        }

    def test_documents_are_fresh(self) -> None:
        """Mutating a document never touches the entity (facts are copied out)."""
        contact = full_contact()
        doc = pk.to_dict(contact)
        doc["facts"]["seats"] = 0
        assert contact.facts["seats"] == 40

    def test_input_document_not_mutated(self) -> None:
        """from_dict does not modify the caller's dict (schema_version stays)."""
        doc = pk.to_dict(full_contact())
        before = json.dumps(doc, sort_keys=True)
        pk.from_dict(doc, pk.Contact)
        assert json.dumps(doc, sort_keys=True) == before

    def test_scalars_and_generics(self) -> None:
        """Non-entity types work too, and never take a schema_version."""
        assert pk.to_dict(pk.Stage.LEAD) == "lead"
        assert pk.from_dict("lost", pk.Stage) is pk.Stage.LOST
        assert pk.from_dict([1, 2], list[int]) == [1, 2]
        assert pk.to_dict((AT,)) == ["2026-11-22T09:30:00+01:00"]


class TestSchemaVersion:
    def test_missing_version_is_read_as_version_1(self) -> None:
        """Documents without schema_version are read as version 1 (not "the current one")."""
        assert VERSION_WHEN_ABSENT == 1
        assert pk.from_dict({"name": "Acme"}, pk.Account) == pk.Account(name="Acme")
        assert pk.from_dict({"name": "Acme"}, pk.Account) == pk.from_dict(
            {"name": "Acme", "schema_version": 1}, pk.Account
        )

    @given(s.contacts)
    def test_nested_documents_from_to_dict_are_accepted(self, contact: pk.Contact) -> None:
        """Documents of to_dict nest as they are: schema_version is accepted at every level."""
        document = json_round_trip(contact)
        if contact.account is not None:
            document["account"] = json_round_trip(contact.account)
        if contact.budget is not None:
            document["budget"] = json_round_trip(contact.budget)
        document["stakeholders"] = [json_round_trip(x) for x in contact.stakeholders]
        document["history"] = [json_round_trip(x) for x in contact.history]
        assert pk.from_dict(document, pk.Contact) == contact
        assert converter.structure(document, pk.Contact) == contact
        assert pk.from_dict([document, document], list[pk.Contact]) == [contact, contact]

    @pytest.mark.parametrize("version", [0, 2, "1", None, True])
    def test_nested_unsupported_version_is_located(self, version: object) -> None:
        """A wrong version in a nested document is a SchemaError at that document's path."""
        contact = pk.Contact(id="c", name="n", stakeholders=[pk.Stakeholder(name="m")])
        stakeholder = pk.to_dict(contact.stakeholders[0]) | {"schema_version": version}
        document = pk.to_dict(contact) | {"stakeholders": [stakeholder]}
        error = schema_error(document, pk.Contact)
        assert error.path == "$.stakeholders[0].schema_version"
        error = schema_error([pk.to_dict(contact), document], list[pk.Contact])
        assert error.path == "$[1].stakeholders[0].schema_version"

    @pytest.mark.parametrize("version", [0, 2, "1", None, 1.0, True])
    def test_unsupported_version(self, version: object) -> None:
        """Any version other than a supported int is refused at $.schema_version."""
        error = schema_error({"name": "Acme", "schema_version": version}, pk.Account)
        assert error.path == "$.schema_version"
        assert "unsupported schema_version" in str(error)

    @pytest.mark.parametrize("tp", [list[int], dict[str, int], int | None, tuple[int, ...]])
    def test_non_class_types_are_not_documents(self, tp: Any) -> None:
        """Generic aliases and unions are not document types (no issubclass TypeError)."""
        assert not _is_document_type(tp)

    def test_schema_version_key_for_non_document(self) -> None:
        """A "schema_version" key in data for a generic type is just data."""
        assert pk.from_dict({"schema_version": 1}, dict[str, int]) == {"schema_version": 1}
        error = schema_error({"schema_version": "x"}, dict[str, int])
        assert error.path.startswith("$")


class TestErrors:
    @pytest.mark.parametrize(
        ("data", "path", "problem"),
        [
            (None, "$", "expected an object, got None"),
            ([], "$", "expected an object, got list"),
            ({}, "$.id", "required field is missing"),
            ({"id": "c", "name": "n", "bogus": 1}, "$", "unknown field(s) 'bogus'"),
            ({"id": 1, "name": "n"}, "$.id", "expected str, got int 1"),
            ({"id": " ", "name": "n"}, "$.id", "must not be blank"),
            ({"id": "c", "name": "n", "stage": None}, "$.stage", "expected str"),
            (
                {"id": "c", "name": "n", "account": {"name": "A", "employees": "12"}},
                "$.account.employees",
                "expected int, got str '12'",
            ),
            (
                {"id": "c", "name": "n", "account": {"name": "A", "employees": -3}},
                "$.account.employees",
                "must be >= 0",
            ),
            (
                {"id": "c", "name": "n", "account": {"name": "A", "employees": True}},
                "$.account.employees",
                "expected int, got bool",
            ),
            (
                {"id": "c", "name": "n", "account": ["Acme"]},
                "$.account",
                "expected an object, got list",
            ),
            (
                {"id": "c", "name": "n", "budget": {"amount": 1.5, "currency": "EUR"}},
                "$.budget.amount",
                "float 1.5 is not exact, use a string",
            ),
            (
                {"id": "c", "name": "n", "budget": {"amount": [], "currency": "EUR"}},
                "$.budget.amount",
                "expected a decimal string, got list []",
            ),
            (
                {"id": "c", "name": "n", "budget": {"amount": "1", "currency": "EUR", "x": 1}},
                "$.budget",
                "unknown field(s) 'x'",
            ),
            (
                {"id": "c", "name": "n", "budget": {"amount": "1"}},
                "$.budget.currency",
                "required field is missing",
            ),
            (
                {"id": "c", "name": "n", "budget": {"currency": "EUR"}},
                "$.budget.amount",
                "required field is missing",
            ),
            (
                {"id": "c", "name": "n", "budget": "1 EUR"},
                "$.budget",
                'expected {"amount": "<decimal string>", "currency": "<ISO 4217 code>"}, got str',
            ),
            (
                {"id": "c", "name": "n", "budget": {"amount": "1e-999999999", "currency": "EUR"}},
                "$.budget.amount",
                "must have at most 12 decimal places",
            ),
            (
                {"id": "c", "name": "n", "budget": {"amount": "1_000", "currency": "EUR"}},
                "$.budget.amount",
                "not a decimal number: '1_000'",
            ),
            (
                {"id": "c", "name": "n", "budget": {"amount": "-1", "currency": "EUR"}},
                "$.budget",
                "must not be negative",
            ),
            ({"id": "c", "name": "n", "title": ""}, "$.title", "must not be blank"),
            ({"id": "c", "name": "n", "stage": "LEAD"}, "$.stage", "only by case"),
            ({"id": "c", "name": "n", "timeline": "20270301"}, "$.timeline", "(YYYY-MM-DD)"),
            ({"id": "c", "name": "n", "timeline": "2027-W09-1"}, "$.timeline", "(YYYY-MM-DD)"),
            (
                {"id": "c", "name": "n", "created_at": "20261122T093000+0100"},
                "$.created_at",
                "ISO 8601 date-time",
            ),
            (
                {"id": "c", "name": "n", "created_at": "2026-11-22T09:30:00,5+01:00"},
                "$.created_at",
                "ISO 8601 date-time",
            ),
            (
                {"id": "c", "name": "n", "account": {"name": "A", "schema_version": 2}},
                "$.account.schema_version",
                "unsupported schema_version 2",
            ),
            (
                {"id": "c", "name": "n", "history": [{"event": "e", "source": None}]},
                "$.history[0].source",
                "expected str, got None",
            ),
            (
                {"id": "c", "name": "n", "budget": {"amount": "1", "currency": "eur"}},
                "$.budget.currency",
                "three upper-case letters",
            ),
            (
                {"id": "c", "name": "n", "budget": {"amount": "abc", "currency": "EUR"}},
                "$.budget.amount",
                "not a decimal number",
            ),
            (
                {"id": "c", "name": "n", "budget": {"amount": "Infinity", "currency": "EUR"}},
                "$.budget.amount",
                "not a decimal number",
            ),
            ({"id": "c", "name": "n", "email": "nope"}, "$.email", "not a valid email"),
            ({"id": "c", "name": "n", "timeline": "2027-02-30"}, "$.timeline", "ISO 8601 date"),
            (
                {"id": "c", "name": "n", "created_at": "2026-11-22T09:30:00"},
                "$.created_at",
                "timezone-aware",
            ),
            ({"id": "c", "name": "n", "created_at": 17}, "$.created_at", "ISO 8601 date-time"),
            ({"id": "c", "name": "n", "pains": "x"}, "$.pains", "expected a list, got str"),
            ({"id": "c", "name": "n", "pains": ["a", 2]}, "$.pains[1]", "expected str"),
            ({"id": "c", "name": "n", "facts": []}, "$.facts", "expected an object of facts"),
            ({"id": "c", "name": "n", "facts": {"a": None}}, "$.facts.a", "expected str, bool"),
            ({"id": "c", "name": "n", "facts": {"1a": 1}}, "$.facts", "not an identifier"),
            (
                {"id": "c", "name": "n", "touchpoints": [{"channel": "fax", "timestamp": "x"}]},
                "$.touchpoints[0].channel",
                "expected one of 'web_form'",
            ),
            (
                {
                    "id": "c",
                    "name": "n",
                    "touchpoints": [
                        {"channel": "call", "timestamp": "2026-11-22T09:30:00Z"},
                        {"channel": "call"},
                    ],
                },
                "$.touchpoints[1].timestamp",
                "required field is missing",
            ),
            (
                {"id": "c", "name": "n", "stakeholders": [{"name": "a", "role": "boss"}]},
                "$.stakeholders[0].role",
                "expected one of",
            ),
            (
                {"id": "c", "name": "n", "opportunity": {"probability": "1.5"}},
                "$.opportunity.probability",
                "between 0 and 1",
            ),
            (
                {"id": "c", "name": "n", "opportunity": {"competitors": [None]}},
                "$.opportunity.competitors[0]",
                "expected str, got None",
            ),
            (
                {"id": "c", "name": "n", "history": [{"event": "e"}]},
                "$.history[0].source",
                "required field is missing",
            ),
            ({"id": "c", "name": "n", "version": 1.0}, "$.version", "expected int, got float"),
        ],
    )
    def test_path_and_problem(self, data: object, path: str, problem: str) -> None:
        """Each bad input names where it is and what was wrong."""
        error = schema_error(data, pk.Contact)
        assert error.path == path
        assert problem in error.problem
        assert str(error) == f"{path}: {error.problem}"
        assert isinstance(error, ValueError)
        assert isinstance(error, pk.PipelineError)
        assert error.__cause__ is None
        assert error.__suppress_context__

    def test_scalar_targets(self) -> None:
        """Bad scalars for a non-entity type are reported at the root."""
        assert schema_error("gone", pk.Stage).path == "$"
        assert schema_error(1, str).problem == "expected str, got int 1"
        assert schema_error([1, "a"], list[int]).path == "$[1]"
        assert schema_error({"amount": 1.5, "currency": "EUR"}, pk.Money).path == "$.amount"
        assert schema_error({"a": "x"}, dict[str, int]).path == "$.a"
        assert schema_error({"a b": "x"}, dict[str, int]).path == '$["a b"]'
        assert schema_error({"x": {"a": "1"}}, dict[str, dict[str, int]]).path == "$.x.a"

    def test_deeply_nested_value_is_located(self) -> None:
        """JSON nested ~990 deep inside a fact is reported at its field, not as a RecursionError."""
        value: object = 1
        for _ in range(990):
            value = [value]
        error = schema_error({"id": "c", "name": "n", "facts": {"a": value}}, pk.Contact)
        assert error.path == "$.facts.a"
        assert error.problem.startswith("expected str, bool, int or float, got list [[[")

    def test_huge_string_is_cut_in_the_message(self) -> None:
        error = schema_error({"id": "c", "name": "n", "version": "x" * 10_000_000}, pk.Contact)
        assert error.path == "$.version"
        assert len(str(error)) < 200

    @given(s.json_values)
    def test_arbitrary_json_for_contact(self, data: object) -> None:
        """Arbitrary JSON builds a Contact or raises SchemaError, nothing else."""
        result = build(data, pk.Contact)
        if isinstance(result, pk.SchemaError):
            assert result.path.startswith("$")
        else:
            assert isinstance(result, pk.Contact)

    @pytest.mark.parametrize(("strategy", "cls"), s.ENTITY_STRATEGIES, ids=lambda x: str(x)[:20])
    @given(data=st.data())
    def test_keyed_json_for_every_entity(
        self, strategy: st.SearchStrategy[Any], cls: type[Any], data: st.DataObject
    ) -> None:
        """JSON objects with mostly real keys reach the field hooks; still only SchemaError."""
        keys = [a.name for a in attrs.fields(cls)]
        document = data.draw(s.keyed_json(keys) | s.json_values)
        result = build(document, cls)
        if isinstance(result, pk.SchemaError):
            assert result.path.startswith("$")
        else:
            assert isinstance(result, cls)


# --- mutations of valid documents -------------------------------------------------


def _locations(value: Any, path: str) -> list[tuple[str, Any, Any]]:
    """Every (container path, container, key or index) inside a document."""
    found: list[tuple[str, Any, Any]] = []
    if type(value) is dict:
        for key, item in value.items():
            found.append((path, value, key))
            found.extend(_locations(item, f"{path}.{key}"))
    elif type(value) is list:
        for index, item in enumerate(value):
            found.append((path, value, index))
            found.extend(_locations(item, f"{path}[{index}]"))
    return found


def _within(error_path: str, container: str) -> bool:
    return error_path == container or error_path.startswith((container + ".", container + "["))


def mutate(document: dict[str, Any], data: st.DataObject) -> tuple[str, str]:
    """Drop a key, swap a value or add a key somewhere in ``document``; say what and where."""
    locations = _locations(document, "$")
    action = data.draw(st.sampled_from(["drop", "replace", "add"]))
    if action == "add" or not locations:
        containers = [(p, c) for p, c, _ in locations if type(c) is dict]
        where, container = data.draw(st.sampled_from([("$", document), *containers]))
        container[data.draw(st.text(max_size=5))] = data.draw(s.replacement_values)
        return "add", where
    where, container, key = data.draw(st.sampled_from(locations))
    if action == "drop":
        del container[key]
    else:
        container[key] = data.draw(s.replacement_values)
    return action, where


def outcome(run: Any) -> bool:
    try:
        run()
    except Exception:  # any failure counts as a rejection here
        return False
    return True


class TestMutatedDocuments:
    @pytest.mark.parametrize(("strategy", "cls"), s.ENTITY_STRATEGIES, ids=lambda x: str(x)[:20])
    @given(data=st.data())
    def test_mutation_gives_object_or_located_error(
        self, strategy: st.SearchStrategy[Any], cls: type[Any], data: st.DataObject
    ) -> None:
        """Drop a key, swap a value or add a key anywhere: SchemaError points inside the change."""
        document = json_round_trip(data.draw(strategy))
        action, where = mutate(document, data)
        note(f"{action} at {where}: {document!r}")
        result = build(document, cls)
        if isinstance(result, pk.SchemaError):
            note(str(result))
            assert _within(result.path, where)
            assert result.problem
        else:
            assert type(result) is cls

    @pytest.mark.parametrize(("strategy", "cls"), s.ENTITY_STRATEGIES, ids=lambda x: str(x)[:20])
    @given(data=st.data())
    def test_fast_and_detailed_paths_agree(
        self, strategy: st.SearchStrategy[Any], cls: type[Any], data: st.DataObject
    ) -> None:
        """The fast path accepts exactly the JSON documents the detailed pass accepts."""
        document = json_round_trip(data.draw(strategy))
        document.pop("schema_version", None)
        if data.draw(st.booleans()):
            mutate(document, data)
        fast = outcome(lambda: converter.structure(document, cls))
        assert fast == outcome(lambda: _detailed.structure(document, cls))
        if fast:
            assert converter.structure(document, cls) == _detailed.structure(document, cls)

    @given(s.contacts, st.data())
    def test_swapping_a_scalar_field_type(self, contact: pk.Contact, data: st.DataObject) -> None:
        """A present field given a value of a JSON type it never has is reported at that field."""
        document = json_round_trip(contact)
        field = data.draw(st.sampled_from(["id", "name", "stage", "version", "pains", "facts"]))
        document[field] = data.draw(st.sampled_from([None, 1.5, [[]], {"a": {}}]))
        error = schema_error(document, pk.Contact)
        assert _within(error.path, f"$.{field}")


class TestDateText:
    """Dates and date-times are read in the forms to_dict writes (RFC 3339), nothing looser."""

    @given(st.dates())
    def test_every_written_date_reads_back(self, day: date) -> None:
        assert pk.from_dict(pk.to_dict(day), date) == day

    @given(st.text(alphabet="0123456789-W+T: ", max_size=12) | st.text(max_size=12))
    def test_only_yyyy_mm_dd(self, text: str) -> None:
        """A string is a date exactly when it is YYYY-MM-DD (ASCII digits) naming a real day."""
        try:
            expected: object = date.fromisoformat(text)
        except ValueError:
            expected = None
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            expected = None
        result = build(text, date)
        assert (result if isinstance(result, date) else None) == expected

    @given(
        st.datetimes(
            timezones=st.integers(min_value=-86399, max_value=86399).map(
                lambda seconds: timezone(timedelta(seconds=seconds))
            )
        )
    )
    def test_every_written_datetime_reads_back(self, moment: datetime) -> None:
        """Microseconds and offsets with seconds included: the same instant and offset."""
        back = pk.from_dict(pk.to_dict(moment), datetime)
        assert back == moment
        assert back.utcoffset() == moment.utcoffset()

    @pytest.mark.parametrize(
        "text", ["2026-11-22T09:30:00Z", "2026-11-22T09:30:00.5Z", "2026-11-22T09:30+01:00"]
    )
    def test_rfc3339_forms_read(self, text: str) -> None:
        assert pk.from_dict(text, datetime).utcoffset() is not None

    @pytest.mark.parametrize(
        "text",
        [
            "20261122T093000Z",
            "2026-W47-7T09:30:00Z",
            "2026-11-22T09:30:00+0100",
            "2026-11-22T0930Z",
            "2026-11-22T09Z",
            "2026-11-22 09:30:00+01:00",
            "2026-11-22t09:30:00z",
            " 2026-11-22T09:30:00Z",
        ],
    )
    def test_other_iso_forms_refused(self, text: str) -> None:
        assert schema_error(text, datetime).problem.startswith("expected an ISO 8601 date-time")


class TestUnstructure:
    def test_to_dict_of_unknown_type_passes_through(self) -> None:
        """Builtins pass through unchanged."""
        assert pk.to_dict({"a": [1, "b"]}) == {"a": [1, "b"]}

    def test_money_document(self) -> None:
        """A Money alone is a document too; nested Money has no schema_version."""
        assert pk.to_dict(pk.Money("1.50", "EUR")) == {
            "amount": "1.50",
            "currency": "EUR",
            "schema_version": 1,
        }
        assert pk.from_dict(pk.to_dict(pk.Money("1.50", "EUR")), pk.Money) == pk.Money("1.5", "EUR")

    def test_datetime_utc_written_with_offset(self) -> None:
        """UTC datetimes are written with +00:00 and read back as aware."""
        tp = pk.Touchpoint(channel=pk.Channel.CALL, timestamp=datetime(2026, 1, 1, tzinfo=UTC))
        doc = pk.to_dict(tp)
        assert doc["timestamp"] == "2026-01-01T00:00:00+00:00"
        assert pk.from_dict(doc, pk.Touchpoint).timestamp.tzinfo is not None

    @given(
        st.tuples(
            st.integers(min_value=-(10**6), max_value=10**6),
            st.integers(min_value=-12, max_value=11),
        ).map(lambda t: Decimal(t[0]).scaleb(t[1])),
        s.currencies,
    )
    def test_amounts_are_fixed_point_and_exact(self, amount: Decimal, currency: str) -> None:
        """Any amount within bounds is written fixed-point (never "1E+6") and read back equal."""
        money = pk.Money(amount, currency)
        text = pk.to_dict(money)["amount"]
        assert re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text), text
        assert Decimal(text) == amount
        assert pk.from_dict(json_round_trip(money), pk.Money) == money

    def test_large_amount_written_in_full(self) -> None:
        assert pk.to_dict(pk.Money("1e6", "EUR"))["amount"] == "1000000"
        assert pk.to_dict(pk.Money("25000.00", "EUR"))["amount"] == "25000.00"

    def test_decimal_document(self) -> None:
        """A bare Decimal is written as a string."""
        assert pk.to_dict(Decimal("0.10")) == "0.10"


class TestOtherDocuments:
    """Everything ``to_dict`` accepts comes out JSON-ready; the rest is refused loudly."""

    NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)

    def test_bulk_results_with_their_errors(self) -> None:
        pipeline = pk.Pipeline()
        lead = pk.Contact(id="c-1", name="Lead")
        won = pk.Contact(id="c-2", name="Won", stage="customer")
        document = pk.to_dict(pipeline.advance_many([lead, won], "qualify", at=self.NOW))
        json.dumps(document)
        assert document["advanced"][0]["contact"]["stage"] == "prospect"
        (contact_doc, error_doc) = document["invalid"][0]
        assert contact_doc["id"] == "c-2"
        assert error_doc == {
            "event": "qualify",
            "stage": "customer",
            "allowed": [],
            "message": "event 'qualify' does not apply to stage 'customer'; events that do:"
            " none (the stage is final)",
        }

    def test_sets_are_sorted_lists_and_read_back(self) -> None:
        icp = pk.frameworks.IdealCustomerProfile(industries={"software", "fintech"})
        document = pk.to_dict(icp)
        assert document["industries"] == ["fintech", "software"]
        assert pk.from_dict(json.loads(json.dumps(document)), type(icp)) == icp

    def test_stage_metadata(self) -> None:
        document = pk.to_dict(pk.Stage.OPPORTUNITY.info)
        assert document == {
            "order": 3,
            "is_terminal": False,
            "is_closed": False,
            "is_won": False,
            "default_probability": "0.4",
        }

    @pytest.mark.parametrize("value", [pk.Pipeline(), pk.field("budget"), object()])
    def test_objects_without_a_document_form_are_refused(self, value: object) -> None:
        with pytest.raises(pk.UnsupportedType, match="no document form") as info:
            pk.to_dict(value)
        assert isinstance(info.value, TypeError)
        assert info.value.type is type(value)

    @pytest.mark.parametrize("target", ["Contact", object, None, 3, list[object], pk.Pipeline])
    def test_unsupported_targets_are_the_callers_mistake(self, target: Any) -> None:
        """A target from_dict cannot build is an UnsupportedType (a TypeError), not bad data."""
        with pytest.raises(pk.UnsupportedType, match="from_dict cannot build") as info:
            pk.from_dict({"id": "c", "name": "n"}, target)
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, pk.PipelineError)
        assert not isinstance(info.value, pk.SchemaError)
        assert info.value.type is target

    @pytest.mark.parametrize("value", ["text", 3, 1.5, True, None])
    def test_scalars_pass_through(self, value: object) -> None:
        assert pk.to_dict(value) == value


NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def _bulk_result() -> pk.BulkResult:
    contacts = [
        pk.Contact(id="c-1", name="Big", account=pk.Account(name="A", employees=500)),
        pk.Contact(id="c-2", name="Small", account=pk.Account(name="B", employees=5)),
        pk.Contact(id="c-3", name="Won", stage="customer"),
    ]
    pipeline = pk.Pipeline(guards={"qualify": pk.field("account.employees") >= 100})
    return pipeline.advance_many(contacts, "qualify", at=NOW, by="rep-1")


def _step() -> pk.Step:
    return pk.Pipeline().advance(pk.Contact(id="c-1", name="Lead"), "qualify", at=NOW)


def _next_action() -> pk.NextAction:
    guard = pk.field("budget") >= pk.Money("1000", "EUR")
    return pk.Pipeline(guards={"qualify": guard}).next_action(
        pk.Contact(id="c-1", name="Lead"), at=NOW
    )


_QUALIFIER = pk.field("account.employees") >= 100

#: One example of every public class ``to_dict`` writes a document for: each must load.
#: A new public class fails ``test_every_public_class_is_listed`` until it is listed here
#: (with an example, so its documents are proved to load) or in NO_DOCUMENT (with why).
DOCUMENT_EXAMPLES: dict[str, Any] = {
    "Account": lambda: pk.Account(name="Acme", employees=3),
    "Stakeholder": lambda: pk.Stakeholder(name="Max", role="champion"),
    "Touchpoint": lambda: pk.Touchpoint(channel="call", timestamp=NOW),
    "Opportunity": lambda: pk.Opportunity(amount=pk.Money("1", "EUR"), probability="0.5"),
    "StageChange": lambda: pk.StageChange(
        event="qualify", source="lead", target="prospect", at=NOW
    ),
    "Contact": full_contact,
    "Money": lambda: pk.Money("0.100", "BHD"),
    "Stage": lambda: pk.Stage.PROSPECT,
    "Role": lambda: pk.Role.CHAMPION,
    "Channel": lambda: pk.Channel.EMAIL,
    "Outcome": lambda: pk.Outcome.UNKNOWN,
    "StageInfo": lambda: pk.Stage.OPPORTUNITY.info,
    "Verdict": lambda: _QUALIFIER.evaluate(full_contact()),
    "PipelineSpec": lambda: pk.DEFAULT_SPEC,
    "StageSpec": lambda: pk.StageSpec("proposal", probability="0.5"),
    "Transition": lambda: pk.Transition("win", ("lead",), "won"),
    "Step": _step,
    "BulkResult": _bulk_result,
    "NextAction": _next_action,
    "InvalidTransition": lambda: pk.InvalidTransition("qualify", pk.Stage.CUSTOMER),
    # qualifier trees: one node of every kind
    "Compare": lambda: _QUALIFIER,
    "IsIn": lambda: pk.field("source").is_in({"web", "event"}),
    "NotIn": lambda: pk.field("source").not_in({"web"}),
    "IsKnown": lambda: pk.field("need").is_known(),
    "IsMissing": lambda: pk.field("need").is_missing(),
    "Contains": lambda: pk.field("pains").contains("churn"),
    "IsEmpty": lambda: pk.field("pains").is_empty(),
    "IsNotEmpty": lambda: pk.field("pains").is_not_empty(),
    "Matches": lambda: pk.field("title").matches("(?i)head"),
    "Within": lambda: pk.field("timeline").within(timedelta(days=30)),
    "OlderThan": lambda: pk.field("created_at").older_than(timedelta(days=30)),
    "WithinNext": lambda: pk.field("timeline").within_next(timedelta(days=30)),
    "WithinLast": lambda: pk.field("created_at").within_last(timedelta(days=30)),
    "AllOf": lambda: _QUALIFIER & pk.field("need").is_known(),
    "AnyOf": lambda: _QUALIFIER | pk.field("need").is_known(),
    "Not": lambda: ~_QUALIFIER,
    "AtLeast": lambda: pk.at_least(1, _QUALIFIER, pk.field("need").is_known()),
    "Weighted": lambda: pk.weighted({_QUALIFIER: 2, pk.field("need").is_known(): 1}, threshold=2),
    "AnyItem": lambda: pk.any_item("stakeholders", pk.field("role") == "champion"),
    "CountItems": lambda: pk.count_items("touchpoints", pk.field("channel") == "call", at_least=2),
    "IdealCustomerProfile": lambda: pk.frameworks.IdealCustomerProfile(industries={"software"}),
    "Checklist": lambda: pk.frameworks.bant().checklist(),
    "ChecklistItem": lambda: pk.ChecklistItem(depth=0, text="Budget: budget >= 1.00 EUR"),
    "PointsModel": lambda: pk.PointsModel(
        rules=[pk.Rule(_QUALIFIER, points=10), pk.EventRule(channel="call", points=5)],
        thresholds={"mql": 10},
    ),
    "ScoreMatrix": lambda: pk.ScoreMatrix(fit=(60, 30), engagement=(50, 20)),
    "NaiveBayes": lambda: pk.scoring.NaiveBayes.fit(
        [
            pk.Contact(id="1", name="A", stage="customer", source="web"),
            pk.Contact(id="2", name="B", stage="lost", source="fair"),
        ],
        features=["source"],
        calibrate=None,
    ),
}

#: Public classes that have no document form, and why.
NO_DOCUMENT: dict[str, str] = {
    "Pipeline": "behaviour around a PipelineSpec; store the spec",
    "Field": "a path being built into a qualifier, not a value",
    "Qualifier": "the abstract base: documents are of its concrete nodes",
    "Node": "the abstract base of qualifier nodes",
    "ValueSet": "the values of an in / not_in node: documented as that node's list",
    "Leaf": "the abstract base of qualifier leaves",
    "TimeRelative": "the abstract base of the time-relative leaves",
    "TimeBound": "one condition of a time leaf's rule: part of the node's class, not its data",
    "Visitor": "the base of interpretations of qualifier trees: code, not a value",
    "Hop": "internal to the compiled transition table",
    "Route": "internal to the compiled transition table",
    "Table": "a metric result (as is the compiled transition table's): computed, not stored",
    **dict.fromkeys(
        [
            "Funnel",
            "TimeInStage",
            "WeightedPipeline",
            "Stale",
            "LostReasons",
            "Velocity",
            "Cohorts",
            "Comparison",
        ],
        "a metric result: computed from contacts, exported by to_rows() or to_native()",
    ),
    **dict.fromkeys(
        ["Prediction", "Factor", "Evaluation", "Backtest"],
        "a scoring result: computed from a model and contacts; store the model",
    ),
}


def _public_classes() -> dict[str, type]:
    """Every public class defined in a public module of pipelinekit (errors aside)."""
    import importlib  # noqa: PLC0415  # only this test walks the package
    import inspect  # noqa: PLC0415
    import pkgutil  # noqa: PLC0415

    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(pk.__path__, "pipelinekit."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        found |= {
            name: value
            for name, value in vars(module).items()
            if inspect.isclass(value)
            and value.__module__ == info.name
            and not name.startswith("_")
            and (not issubclass(value, BaseException) or value is pk.InvalidTransition)
        }
    return found


class TestEveryDocumentLoads:
    """Errors 14: every document ``to_dict`` writes loads back with ``from_dict``."""

    def test_every_public_class_is_listed(self) -> None:
        """A new public class needs an example that round-trips, or a reason it has no document."""
        classes = set(_public_classes())
        assert not set(DOCUMENT_EXAMPLES) & set(NO_DOCUMENT)
        assert sorted(classes - set(DOCUMENT_EXAMPLES) - set(NO_DOCUMENT)) == []

    @pytest.mark.parametrize("name", sorted(DOCUMENT_EXAMPLES))
    def test_document_loads_back(self, name: str) -> None:
        """The document reads back (after JSON) as an object that writes the same document."""
        example = DOCUMENT_EXAMPLES[name]()
        cls = _public_classes()[name]
        assert isinstance(example, cls)
        target: Any = pk.Qualifier if isinstance(example, pk.Qualifier) else cls
        document = json_round_trip(example)
        loaded = pk.from_dict(document, target)
        assert type(loaded) is type(example)
        assert pk.to_dict(loaded) == document
        if name not in {"BulkResult", "InvalidTransition"}:  # exceptions compare by identity
            assert loaded == example
        if name not in {"BulkResult", "InvalidTransition"}:
            assert pk.from_dict(document, cls) == loaded

    def test_bulk_result_keeps_its_groups(self) -> None:
        result = _bulk_result()
        loaded = pk.from_dict(json_round_trip(result), pk.BulkResult)
        assert [c.id for c in loaded.contacts] == ["c-1"]
        assert loaded.advanced == result.advanced
        assert [(c, v.outcome) for c, v in loaded.blocked] == [
            (c, v.outcome) for c, v in result.blocked
        ]
        ((contact, error),) = loaded.invalid
        assert contact.id == "c-3"
        assert (error.event, error.stage, error.allowed) == (
            "qualify",
            pk.Stage.CUSTOMER,
            frozenset(),
        )
        assert str(error) == str(result.invalid[0][1])

    def test_invalid_transition_without_a_stage(self) -> None:
        """An unknown event in a bulk call has no stage: written as null, read back as None."""
        error = pk.InvalidTransition("nope", None)
        document = pk.to_dict(error)
        assert document["stage"] is None
        assert pk.from_dict(document, pk.InvalidTransition).stage is None

    @pytest.mark.parametrize(
        ("document", "path", "problem"),
        [
            ({"event": "e", "stage": None, "allowed": []}, "$.message", "required field"),
            ({"event": 1, "stage": None, "allowed": [], "message": "m"}, "$.event", "expected str"),
            ({"event": "e", "stage": None, "allowed": "ab", "message": "m"}, "$.allowed", "list"),
            ({"event": "e", "stage": None, "allowed": [1], "message": "m"}, "$.allowed[0]", "str"),
            ({"event": "e", "stage": None, "allowed": [], "message": "m", "x": 1}, "$", "unknown"),
        ],
    )
    def test_bad_error_documents(self, document: object, path: str, problem: str) -> None:
        error = schema_error(document, pk.InvalidTransition)
        assert (error.path, problem in error.problem) == (path, True)

    @pytest.mark.parametrize("pair", [{"a": 1}, [], "ab", [{}, {}, {}]])
    def test_pairs_are_lists_of_two(self, pair: object) -> None:
        document = json_round_trip(_bulk_result())
        document["blocked"][0] = pair
        error = schema_error(document, pk.BulkResult)
        assert (error.path, error.problem[:25]) == ("$.blocked[0]", "expected a list of 2 item")

    def test_bad_error_in_a_bulk_result_is_located(self) -> None:
        document = json_round_trip(_bulk_result())
        document["invalid"][0][1]["allowed"] = [3]
        assert schema_error(document, pk.BulkResult).path == "$.invalid[0][1].allowed[0]"

    @pytest.mark.parametrize(
        ("change", "path"),
        [({"order": "1"}, "$.order"), ({"is_won": 1}, "$.is_won"), ({"x": 1}, "$")],
    )
    def test_bad_stage_metadata(self, change: dict[str, object], path: str) -> None:
        document = pk.to_dict(pk.Stage.LEAD.info) | change
        assert schema_error(document, pk.StageInfo).path == path


SPEC_DOCUMENTS: list[dict[str, Any]] = [
    {
        "name": "Deals",
        "stages": ["lead", {"name": "won", "final": True, "probability": "1"}],
        "transitions": [{"event": "win", "sources": "lead", "target": "won"}],
    },
    {
        "stages": ["lead", {"name": "won", "final": True}],
        "transitions": [{"event": "win", "sources": ["lead"], "target": "won"}],
        "guards": {"win": {"kind": "known", "path": "need"}},
    },
]


class TestOneSpecReader:
    """Errors 15: pk.from_dict and PipelineSpec.from_dict read specs alike, errors included."""

    @pytest.mark.parametrize("document", SPEC_DOCUMENTS)
    def test_same_spec(self, document: dict[str, Any]) -> None:
        assert pk.from_dict(document, pk.PipelineSpec) == pk.PipelineSpec.from_dict(document)

    @pytest.mark.parametrize(
        "document",
        [
            {"stages": ["lead", {"name": "won", "fnal": True}], "transitions": []},
            {"stages": "lead", "transitions": []},
            {"stages": ["lead", "won"], "transitions": [{"event": "win", "sources": [1]}]},
            {"stages": ["lead"], "transitions": [], "guards": {"x": {}}},
            {"stages": ["lead", "won"], "transitions": [], "extra": 1},
            {"stages": ["lead", "won"], "transitions": []},  # won is unreachable
            {"transitions": []},
            [],
        ],
    )
    def test_same_error(self, document: Any) -> None:
        with pytest.raises(pk.PipelineError) as ours:
            pk.from_dict(document, pk.PipelineSpec)
        with pytest.raises(pk.PipelineError) as theirs:
            pk.PipelineSpec.from_dict(document)
        assert type(ours.value) is type(theirs.value)
        assert str(ours.value) == str(theirs.value)

    def test_nested_spec_error_is_located(self) -> None:
        bad = {"stages": ["lead", {"name": "won", "fnal": True}], "transitions": []}
        assert schema_error([SPEC_DOCUMENTS[0], bad], list[pk.PipelineSpec]).path == (
            "$[1].stages[1].fnal"
        )

    @pytest.mark.parametrize(
        "document",
        [{"name": "x", "final": True}, {"name": "x", "final": 1}, {"name": 1}, {"nme": "x"}, 1],
    )
    def test_stage_documents_share_the_reader(self, document: Any) -> None:
        try:
            expected: object = pk.PipelineSpec.from_dict(
                {"stages": [document], "transitions": []}
            ).stages[0]
        except pk.SchemaError as error:
            expected = (error.path.replace("$.stages[0]", "$"), error.problem)
        try:
            got: object = pk.from_dict(document, pk.StageSpec)
        except pk.SchemaError as error:
            got = (error.path, error.problem)
        assert got == expected

    @pytest.mark.parametrize(
        "document",
        [
            {"event": "win", "sources": "lead", "target": "won"},
            {"event": "win", "sources": ["lead", 1], "target": "won"},
            {"event": "win", "sources": ["lead", "lead"], "target": "won"},
            {"event": "win", "target": "won"},
        ],
    )
    def test_transition_documents_share_the_reader(self, document: Any) -> None:
        spec = {"stages": ["lead", {"name": "won", "final": True}], "transitions": [document]}
        try:
            expected: object = pk.PipelineSpec.from_dict(spec).transitions[0]
        except pk.SchemaError as error:
            expected = (error.path.replace("$.transitions[0]", "$"), error.problem)
        try:
            got: object = pk.from_dict(document, pk.Transition)
        except pk.SchemaError as error:
            got = (error.path, error.problem)
        assert got == expected


class TestLazyConverters:
    """The converters are built on first use, once, whichever thread gets there first."""

    def test_import_builds_no_converter(self) -> None:
        import subprocess  # noqa: PLC0415
        import sys  # noqa: PLC0415

        code = (
            "import sys, pipelinekit, pipelinekit.serialization as s; assert not s._built;"
            " assert 'cattrs' not in sys.modules;"
            " pipelinekit.to_dict(pipelinekit.Money('1', 'EUR')); assert list(s._built) == [False]"
        )
        subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603  # fixed command

    def test_concurrent_first_use_builds_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import threading  # noqa: PLC0415
        import time  # noqa: PLC0415

        from pipelinekit import serialization  # noqa: PLC0415

        calls: list[bool] = []
        real = serialization._make_converter

        def slow(*, detailed: bool) -> Any:
            calls.append(detailed)
            time.sleep(0.05)  # wide open window for a second builder
            return real(detailed=detailed)

        monkeypatch.setattr(serialization, "_make_converter", slow)
        monkeypatch.setattr(serialization, "_built", {})
        start = threading.Barrier(8)
        results: list[object] = []

        def use() -> None:
            start.wait()
            results.append(pk.from_dict({"amount": "1", "currency": "EUR"}, pk.Money))

        threads = [threading.Thread(target=use) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert calls == [False]
        assert results == [pk.Money("1", "EUR")] * 8

    def test_module_attribute(self) -> None:
        from pipelinekit import serialization  # noqa: PLC0415

        assert serialization.converter is _converter()
        with pytest.raises(AttributeError, match="no attribute 'nope'"):
            getattr(serialization, "nope")  # noqa: B009  # the attribute access is the test


#: The rule of every field the fast loaders (pipelinekit._loaders) check inline. A change
#: here means a loader must change too: update both together.
LOADER_RULES: dict[str, dict[str, str]] = {
    "Account": {
        "name": "<non-blank str>",
        "industry": "<non-blank str | None>",
        "employees": "<int in [0, None]>",
        "country": "<non-blank str | None>",
        "annual_revenue": "<Money >= 0 | None>",
        "website": "<non-blank str | None>",
        "id": "<non-blank str | None>",
    },
    "Stakeholder": {
        "name": "<non-blank str>",
        "role": "_to_role",
        "title": "<non-blank str | None>",
        "email": "<email address>",
        "influence": "<int in [0, 10]>",
        "is_primary": "<instance_of bool>",
        "id": "<non-blank str | None>",
    },
    "Touchpoint": {
        "channel": "_to_channel",
        "timestamp": "<aware datetime>",
        "kind": "<non-blank str | None>",
        "note": "<non-blank str | None>",
    },
    "Opportunity": {
        "amount": "<Money >= 0 | None>",
        "expected_close": "<date>",
        "probability": "_to_probability",
        "next_step": "<non-blank str | None>",
        "competitors": "_to_competitors",
        "lost_reason": "<non-blank str | None>",
        "id": "<non-blank str | None>",
    },
    "StageChange": {
        "event": "<non-blank str>",
        "source": "_to_source",
        "target": "_to_target",
        "at": "<aware datetime>",
        "by": "<non-blank str | None>",
        "reason": "<non-blank str | None>",
        "verdict": "<non-blank str | None>",
    },
    "Contact": {
        "id": "<non-blank str>",
        "name": "<non-blank str>",
        "email": "<email address>",
        "phone": "<phone number>",
        "title": "<non-blank str | None>",
        "account": "<instance_of Account | None>",
        "source": "<non-blank str | None>",
        "owner": "<non-blank str | None>",
        "created_at": "<aware datetime>",
        "stage": "_to_stage",
        "budget": "<Money >= 0 | None>",
        "authority": "<instance_of bool | None>",
        "need": "<non-blank str | None>",
        "pains": "_to_pains",
        "timeline": "<date>",
        "interest": "<instance_of bool | None>",
        "facts": "_to_facts",
        "stakeholders": "_to_stakeholders",
        "touchpoints": "_to_touchpoints",
        "opportunity": "<instance_of Opportunity | None>",
        "history": "_to_history",
        "version": "<int in [0, None]>",
    },
}


class TestFastLoaders:
    """The hand-written loaders of the hot path change speed, never what is accepted."""

    def test_loaders_know_every_field_and_rule(self) -> None:
        from pipelinekit._loaders import LOADERS  # noqa: PLC0415  # private, tested here

        rules = {
            cls.__name__: {
                a.name: repr(a.validator)
                if a.validator
                else getattr(a.converter, "__name__", repr(a.converter))
                for a in attrs.fields(cls)
            }
            for cls in LOADERS
        }
        assert rules == LOADER_RULES

    @given(s.contacts)
    def test_loader_builds_what_the_constructor_builds(self, contact: pk.Contact) -> None:
        from pipelinekit._loaders import load_contact  # noqa: PLC0415

        document = json_round_trip(contact)
        del document["schema_version"]
        assert load_contact(document) in (None, contact)
        assert pk.from_dict(document, pk.Contact) == contact

    @given(
        st.one_of(
            s.accounts, s.stakeholders, s.touchpoints, s.opportunities, s.stage_changes, s.contacts
        )
    )
    @example(pk.Contact(id="c-1", name="Jane", phone="+49 30 1234567", email="jane@acme.example"))
    @example(pk.Account(name="Acme", website="https://acme.example", id="a-1", country="DE"))
    @example(pk.Stakeholder(name="Sam", role="champion", email="sam@acme.example", id="s-1"))
    # Every Money field the loaders read (a declined one only costs speed: sample 2027).
    @example(pk.Account(name="Acme", annual_revenue=pk.Money("1000000", "EUR")))
    @example(pk.Opportunity(amount=pk.Money("5000.50", "USD"), probability="0.4"))
    @example(pk.Contact(id="c-2", name="Lee", budget=pk.Money("0", "EUR")))
    @example(  # and the lists of entities they read
        pk.Contact(
            id="c-3",
            name="Kim",
            stakeholders=[pk.Stakeholder(name="Sam", role="champion")],
            touchpoints=[
                pk.Touchpoint(channel="email", timestamp=datetime(2026, 1, 2, tzinfo=UTC))
            ],
        )
    )
    def test_every_written_document_takes_the_fast_path(self, entity: object) -> None:
        """What ``to_dict`` writes is the common case the loaders exist for: none declines it.

        (A loader that declined would cost only speed, the generic path giving the same
        value, so only this test sees it.)
        """
        from pipelinekit._loaders import LOADERS  # noqa: PLC0415

        document = json_round_trip(entity)
        del document["schema_version"]
        assert LOADERS[type(entity)](document) == entity

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("id", "   ", "must not be blank"),
            ("id", "", "must not be blank"),
            ("name", " ", "must not be blank"),
            ("phone", "call me", "phone"),
            ("email", "not-an-email", "email"),
        ],
    )
    def test_a_complete_document_with_one_bad_field_is_refused_there(
        self, field: str, value: str, message: str
    ) -> None:
        """The fast loader never builds what the constructor refuses (it falls back instead)."""
        document = pk.to_dict(
            pk.Contact(id="c-1", name="Jane", phone="+49 30 1234567", email="jane@acme.example")
        )
        document[field] = value
        with pytest.raises(pk.SchemaError, match=message) as caught:
            pk.from_dict(document, pk.Contact)
        assert caught.value.path == f"$.{field}"


_ENTITIES = st.one_of(
    s.accounts, s.stakeholders, s.touchpoints, s.opportunities, s.stage_changes, s.contacts
)


def _typed(value: object) -> object:
    """A document with the type of every value beside it, to compare types as well."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value), value)


class TestFastWriters:
    """The hand-written writers of ``to_dict``'s hot path write what cattrs' hooks write."""

    @given(_ENTITIES)
    def test_writer_writes_what_the_generic_hook_writes(self, entity: Any) -> None:
        from pipelinekit._dumpers import DUMPERS  # noqa: PLC0415  # private, tested here

        fast = DUMPERS[type(entity)](entity)
        generic = _detailed.unstructure(entity)
        assert fast == generic
        # The same types too: a Stage member equals its name, but documents hold plain str.
        assert _typed(fast) == _typed(generic)
        assert list(fast) == list(generic)  # the same key order: stable stored JSON text
        assert json.loads(json.dumps(fast)) == fast  # plain JSON, nothing shared or odd

    def test_every_entity_class_has_a_writer_that_knows_its_fields(self) -> None:
        from pipelinekit._dumpers import DUMPERS  # noqa: PLC0415
        from pipelinekit._loaders import LOADERS  # noqa: PLC0415

        assert set(DUMPERS) == set(LOADERS)
        contact = pk.Contact(
            id="c-1",
            name="Jane",
            account=pk.Account(name="Acme", annual_revenue=pk.Money("1e6", "EUR")),
            stakeholders=[pk.Stakeholder(name="Sam", role=pk.Role.CHAMPION)],
            touchpoints=[pk.Touchpoint(channel=pk.Channel.EMAIL, timestamp=datetime.now(UTC))],
            opportunity=pk.Opportunity(amount=pk.Money("10", "EUR")),
        )
        instances: list[Any] = [contact, contact.account, *contact.stakeholders]
        instances += [*contact.touchpoints]
        change = pk.StageChange(
            event="qualify", source="lead", target="prospect", at=datetime.now(UTC)
        )
        instances += [contact.opportunity, change]
        for entity in instances:
            assert entity is not None
            names = [a.name for a in attrs.fields(type(entity))]
            assert list(DUMPERS[type(entity)](entity)) == names

    def test_to_dict_uses_the_writers(self) -> None:
        from pipelinekit._dumpers import DUMPERS  # noqa: PLC0415

        for cls, writer in DUMPERS.items():
            assert _converter().get_unstructure_hook(cls) is writer


def test_import_loads_neither_cattrs_nor_statemachine() -> None:
    """``import pipelinekit`` stays light: cattrs and python-statemachine load on first use
    (python-statemachine with the first machine class, not the first Pipeline)."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = (
        "import sys, pipelinekit as pk; loaded = set(sys.modules);"
        " assert 'cattrs' not in loaded and 'statemachine' not in loaded, loaded;"
        " pipeline = pk.Pipeline(); assert 'statemachine' not in sys.modules;"
        " pipeline.machine_class; assert 'statemachine' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603  # fixed command
