"""``from_dict`` / ``to_dict``: the behaviours the mutation run of serialization.py found unpinned.

The exact path and message of every refusal a user reads (each structure hook names what it
expected and what it got), what each generic container type is built as, optional and tuple
types, the order sets are written in, the documents of ``InvalidTransition`` and
``StageInfo``, and the targets ``from_dict`` refuses. See docs/quality.md.
"""

from __future__ import annotations

import typing
from collections import abc
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

import pipelinekit as pk

AT = datetime(2026, 11, 22, 9, 30, tzinfo=timezone(timedelta(hours=1)))
SUPPORTED = (
    "pass a type such as pk.Contact, pk.Account, pk.Money, pk.Qualifier, pk.Verdict, "
    "pk.Stage, list[pk.Contact] or str"
)
STAGES = "'lead', 'prospect', 'opportunity', 'customer', 'disqualified', 'lost'"


def refusal(data: object, cls: Any) -> str:
    """``str`` of the SchemaError ``from_dict(data, cls)`` raises: its path and problem."""
    with pytest.raises(pk.SchemaError) as info:
        pk.from_dict(data, cls)
    return str(info.value)


class TestScalarRefusals:
    @pytest.mark.parametrize(
        ("data", "cls", "text"),
        [
            ("12", int, "$: expected int, got str '12'"),
            (True, int, "$: expected int, got bool True"),
            (1, str, "$: expected str, got int 1"),
            (1, bool, "$: expected bool, got int 1"),
            (True, float, "$: expected number, got bool True"),
            ("1", float, "$: expected number, got str '1'"),
            (None, float, "$: expected number, got None"),
            (1.5, Decimal, "$: expected a decimal number as a string, got float 1.5"),
            ("1_0", Decimal, "$: expected a decimal number as a string, got str '1_0'"),
            (" 1", Decimal, "$: expected a decimal number as a string, got str ' 1'"),
            (
                "2026-13-01",
                date,
                "$: expected an ISO 8601 date string (YYYY-MM-DD), got str '2026-13-01'",
            ),
            (
                20260101,
                date,
                "$: expected an ISO 8601 date string (YYYY-MM-DD), got int 20260101",
            ),
            (
                "2026-01-01T00:00:00",
                datetime,
                "$: datetime must be timezone-aware, got naive 2026-01-01T00:00:00",
            ),
            (
                "2026-01-01",
                datetime,
                (
                    "$: expected an ISO 8601 date-time string with offset"
                    " (YYYY-MM-DDTHH:MM:SS+HH:MM), got str '2026-01-01'"
                ),
            ),
            (
                "2026-01-01T25:00:00+00:00",
                datetime,
                (
                    "$: expected an ISO 8601 date-time string with offset"
                    " (YYYY-MM-DDTHH:MM:SS+HH:MM), got str '2026-01-01T25:00:00+00:00'"
                ),
            ),
            (1, pk.Stage, f"$: expected one of {STAGES}, got int 1"),
            ("Lead", pk.Stage, f"$: expected one of {STAGES}, got str 'Lead'"),
        ],
    )
    def test_message(self, data: object, cls: Any, text: str) -> None:
        assert refusal(data, cls) == text

    @pytest.mark.parametrize(
        ("data", "cls", "expected"),
        [
            (1, float, 1.0),
            (2.5, float, 2.5),
            (5, Decimal, Decimal(5)),
            ("-0.50", Decimal, Decimal("-0.50")),
            ("1e3", Decimal, Decimal("1e3")),
            ("2026-01-02", date, date(2026, 1, 2)),
            ("lead", pk.Stage, pk.Stage.LEAD),
            ("champion", pk.Role, pk.Role.CHAMPION),
            ("x", str, "x"),
            (3, int, 3),
            (False, bool, False),
        ],
    )
    def test_accepted(self, data: object, cls: Any, expected: object) -> None:
        loaded = pk.from_dict(data, cls)
        assert loaded == expected
        assert type(loaded) is type(expected)

    def test_an_int_becomes_a_float(self) -> None:
        assert type(pk.from_dict(1, float)) is float

    def test_a_datetime_keeps_its_offset(self) -> None:
        moment = pk.from_dict("2026-01-01T10:00:00+02:00", datetime)
        assert moment.utcoffset() == timedelta(hours=2)

    def test_an_enum_field_of_an_entity(self) -> None:
        doc = {"name": "Ann", "role": "boss"}
        assert refusal(doc, pk.Stakeholder).startswith("$.role: expected one of 'decision_maker'")
        assert pk.from_dict({"name": "Ann", "role": "champion"}, pk.Stakeholder).role is (
            pk.Role.CHAMPION
        )


class TestMoneyDocuments:
    @pytest.mark.parametrize(
        ("data", "text"),
        [
            ({"amount": 1.5, "currency": "EUR"}, "$.amount: float 1.5 is not exact, use a string"),
            ({"amount": "1", "currency": "EUR", "x": 1}, "$: unknown field(s) 'x'"),
            (
                {"amount": "1", "currency": "EUR", "x": 1, "a": 2},
                "$: unknown field(s) 'a', 'x'",
            ),
            ({"currency": "EUR"}, "$.amount: required field is missing"),
            ({"amount": "1"}, "$.currency: required field is missing"),
            (
                {"amount": [1], "currency": "EUR"},
                "$.amount: expected a decimal string, got list [1]",
            ),
            (
                {"amount": "1", "currency": "EUR", "schema_version": 2},
                "$.schema_version: unsupported schema_version 2; this pipelinekit reads 1 to 1",
            ),
            (
                "1 EUR",
                (
                    '$: expected {"amount": "<decimal string>", "currency": "<ISO 4217 code>"},'
                    " got str '1 EUR'"
                ),
            ),
        ],
    )
    def test_message(self, data: object, text: str) -> None:
        assert refusal(data, pk.Money) == text

    @pytest.mark.parametrize(
        "data",
        [
            {"amount": "12.50", "currency": "EUR"},
            {"amount": "12.5", "currency": "EUR", "schema_version": 1},
            {"amount": "12.50", "currency": "EUR", "schema_version": 1},
        ],
    )
    def test_accepted(self, data: dict[str, object]) -> None:
        money = pk.from_dict(data, pk.Money)
        assert money.amount == Decimal("12.5")
        assert money.currency == "EUR"

    def test_an_int_amount_with_a_version(self) -> None:
        doc = {"amount": 12, "currency": "JPY", "schema_version": 1}
        assert pk.from_dict(doc, pk.Money) == pk.Money(12, "JPY")

    def test_nested_money_with_a_version(self) -> None:
        doc = {"name": "Acme", "annual_revenue": {"amount": "5", "currency": "USD"}}
        doc["annual_revenue"]["schema_version"] = 1  # type: ignore[index]
        account = pk.from_dict(doc, pk.Account)
        assert account.annual_revenue == pk.Money("5", "USD")


class TestContainers:
    @pytest.mark.parametrize(
        ("cls", "expected"),
        [
            (list[int], [2, 1, 2]),
            (abc.MutableSequence[int], [2, 1, 2]),
            (abc.Sequence[int], (2, 1, 2)),
            (abc.Iterable[int], [2, 1, 2]),
            (abc.Collection[int], [2, 1, 2]),
            (set[int], {1, 2}),
            (abc.MutableSet[int], {1, 2}),
            (frozenset[int], frozenset({1, 2})),
            (abc.Set[int], frozenset({1, 2})),
            (list, [2, 1, 2]),
            (set, {1, 2}),
            (tuple[int, ...], (2, 1, 2)),
        ],
    )
    def test_what_a_list_becomes(self, cls: Any, expected: object) -> None:
        loaded = pk.from_dict([2, 1, 2], cls)
        assert loaded == expected
        assert type(loaded) is type(expected)

    @pytest.mark.parametrize(
        "cls", [dict[str, int], abc.Mapping[str, int], abc.MutableMapping[str, int], dict]
    )
    def test_what_an_object_becomes(self, cls: Any) -> None:
        loaded = pk.from_dict({"a": 1, "b": 2}, cls)
        assert loaded == {"a": 1, "b": 2}
        assert type(loaded) is dict

    @pytest.mark.parametrize(
        ("data", "cls", "text"),
        [
            ("ab", list[str], "$: expected a list, got str 'ab'"),
            ({"a": 1}, list[str], "$: expected a list, got dict {'a': 1}"),
            ([1, "a"], list[int], "$[1]: expected int, got str 'a'"),
            (["a"], frozenset[int], "$[0]: expected int, got str 'a'"),
            ([[1]], set[list[int]], "$: a set holds hashable items, got list [[1]]"),
            ({"a": 1, "b": "x"}, dict[str, int], "$.b: expected int, got str 'x'"),
            ({1: 1}, dict[str, int], "$[1]: expected str, got int 1"),
            ([1], dict[str, int], "$: expected an object, got list [1]"),
            ("x", tuple[int, ...], "$: expected a list, got str 'x'"),
            ([1, "x"], tuple[int, ...], "$[1]: expected int, got str 'x'"),
            ([1], tuple[int, str], "$: expected a list of 2 items, got list [1]"),
            ([1, 2, 3], tuple[int, int], "$: expected a list of 2 items, got list [1, 2, 3]"),
            ("ab", tuple[int, str], "$: expected a list of 2 items, got str 'ab'"),
            ([1, 2], tuple[int, str], "$[1]: expected str, got int 2"),
            ([[1, "a"], [2, 3]], list[tuple[int, str]], "$[1][1]: expected str, got int 3"),
            ({"k": [1, "a"]}, dict[str, list[int]], "$.k[1]: expected int, got str 'a'"),
            ([1, "x"], list[int | None], "$[1]: expected int, got str 'x'"),
        ],
    )
    def test_message(self, data: object, cls: Any, text: str) -> None:
        assert refusal(data, cls) == text

    @pytest.mark.parametrize(
        ("data", "cls", "expected"),
        [
            (["a", 1], tuple[str, int], ("a", 1)),
            ([], tuple[str, ...], ()),
            ([1, None], list[int | None], [1, None]),
            (None, int | None, None),
            (3, int | None, 3),
            (None, typing.Optional[int], None),  # noqa: UP045  # the typing spelling too
            (3, typing.Union[int, None], 3),  # noqa: UP007
            ([None, "2026-01-02"], list[date | None], [None, date(2026, 1, 2)]),
            ({"a": None}, dict[str, Decimal | None], {"a": None}),
            ({"a": "1.5"}, dict[str, Decimal | None], {"a": Decimal("1.5")}),
        ],
    )
    def test_accepted(self, data: object, cls: Any, expected: object) -> None:
        loaded = pk.from_dict(data, cls)
        assert loaded == expected
        assert type(loaded) is type(expected)

    def test_an_optional_refuses_what_its_type_refuses(self) -> None:
        assert refusal("x", int | None) == "$: expected int, got str 'x'"
        assert refusal("x", typing.Optional[Decimal]) == (  # noqa: UP045
            "$: expected a decimal number as a string, got str 'x'"
        )


class TestWritingContainers:
    def test_sets_are_written_sorted(self) -> None:
        assert pk.to_dict({3, 1, 2}) == [1, 2, 3]
        assert pk.to_dict(frozenset({"b", "a", "c"})) == ["a", "b", "c"]

    def test_mixed_sets_are_sorted_by_type_name_then_repr(self) -> None:
        assert pk.to_dict({"b", 2, "a", 1}) == [1, 2, "a", "b"]
        assert pk.to_dict({2.5, 1, "a"}) == [2.5, 1, "a"]  # float < int < str by name

    def test_set_items_are_written_as_documents(self) -> None:
        assert pk.to_dict(frozenset({pk.Stage.LEAD, pk.Stage.PROSPECT})) == ["lead", "prospect"]
        assert pk.to_dict({date(2026, 1, 2), date(2025, 1, 1)}) == ["2025-01-01", "2026-01-02"]

    def test_tuples_and_optionals(self) -> None:
        assert pk.to_dict((1, "a")) == [1, "a"]
        assert pk.to_dict([pk.Money("1", "EUR"), None]) == [
            {"amount": "1", "currency": "EUR"},
            None,
        ]

    @pytest.mark.parametrize(
        ("value", "document"),
        [
            (pk.Stage.LEAD, "lead"),
            (pk.Role.CHAMPION, "champion"),
            (Decimal("1.50"), "1.50"),
            (date(2026, 1, 2), "2026-01-02"),
            (datetime(2026, 1, 2, tzinfo=UTC), "2026-01-02T00:00:00+00:00"),
        ],
    )
    def test_scalars(self, value: object, document: object) -> None:
        assert pk.to_dict(value) == document

    def test_fields_of_entities(self) -> None:
        opportunity = pk.Opportunity(
            amount=pk.Money("10", "EUR"),
            expected_close=date(2026, 3, 1),
            probability=Decimal("0.5"),
            competitors=("b", "a"),
        )
        doc = pk.to_dict(opportunity)
        assert doc["amount"] == {"amount": "10", "currency": "EUR"}
        assert doc["expected_close"] == "2026-03-01"
        assert doc["probability"] == "0.5"
        assert doc["competitors"] == ["b", "a"]
        assert doc["schema_version"] == 1
        assert pk.from_dict(doc, pk.Opportunity) == opportunity


class TestErrorDocuments:
    def test_round_trip_with_a_stage_member(self) -> None:
        error = pk.InvalidTransition("qualify", pk.Stage.LEAD, frozenset({"b", "a"}), "msg")
        doc = pk.to_dict(error)
        assert doc == {"event": "qualify", "stage": "lead", "allowed": ["a", "b"], "message": "msg"}
        loaded = pk.from_dict(doc, pk.InvalidTransition)
        assert loaded.event == "qualify"
        assert loaded.stage is pk.Stage.LEAD
        assert loaded.allowed == frozenset({"a", "b"})
        assert str(loaded) == "msg"

    def test_round_trip_with_a_custom_stage_and_none(self) -> None:
        custom = pk.from_dict(
            {"event": "go", "stage": "custom", "allowed": [], "message": "m2"},
            pk.InvalidTransition,
        )
        assert custom.stage == "custom"
        assert type(custom.stage) is str
        assert str(custom) == "m2"
        none = pk.from_dict(
            {"event": "go", "stage": None, "allowed": ["x"], "message": "m3"},
            pk.InvalidTransition,
        )
        assert none.stage is None
        assert none.allowed == frozenset({"x"})

    def test_a_version_is_accepted_and_checked(self) -> None:
        doc: dict[str, Any] = {
            "event": "e",
            "stage": None,
            "allowed": [],
            "message": "m",
            "schema_version": 1,
        }
        assert str(pk.from_dict(doc, pk.InvalidTransition)) == "m"
        doc["schema_version"] = 9
        assert refusal(doc, pk.InvalidTransition).startswith(
            "$.schema_version: unsupported schema_version 9"
        )

    @pytest.mark.parametrize(
        ("data", "text"),
        [
            (
                {"event": "e", "stage": None, "allowed": ["a"], "message": "m", "zzz": 1},
                "$: unknown field(s) 'zzz'",
            ),
            (
                {"event": "e", "stage": 3, "allowed": ["a"], "message": "m"},
                "$.stage: expected str or null, got int 3",
            ),
            (
                {"event": "e", "stage": None, "allowed": "a", "message": "m"},
                "$.allowed: expected a list of event names, got str 'a'",
            ),
            (
                {"event": "e", "stage": None, "allowed": ["a", 1], "message": "m"},
                "$.allowed[1]: expected str, got int 1",
            ),
            (
                {"event": 1, "stage": None, "allowed": [], "message": "m"},
                "$.event: expected str, got int 1",
            ),
            (
                {"event": "e", "stage": None, "allowed": [], "message": None},
                "$.message: expected str, got None",
            ),
            ([], "$: expected an error object, got list []"),
            (
                {"event": "e", "stage": None, "allowed": []},
                "$.message: required field is missing",
            ),
        ],
    )
    def test_message(self, data: object, text: str) -> None:
        assert refusal(data, pk.InvalidTransition) == text


class TestStageInfoDocuments:
    def test_round_trip(self) -> None:
        info = pk.Stage.LEAD.info
        doc = pk.to_dict(info)
        assert doc["default_probability"] == str(info.default_probability)
        assert doc["order"] == info.order
        assert pk.from_dict(doc, pk.StageInfo) == info

    @pytest.mark.parametrize(
        ("key", "value", "text"),
        [
            ("order", "1", "$.order: expected int, got str '1'"),
            ("is_won", 0, "$.is_won: expected bool, got int 0"),
            (
                "default_probability",
                0.1,
                "$.default_probability: expected a decimal number as a string, got float 0.1",
            ),
        ],
    )
    def test_message(self, key: str, value: object, text: str) -> None:
        doc: dict[str, Any] = pk.to_dict(pk.Stage.LEAD.info)
        doc[key] = value
        assert refusal(doc, pk.StageInfo) == text

    def test_not_an_object(self) -> None:
        assert refusal([1], pk.StageInfo) == "$: expected a stage metadata object, got list [1]"


class TestTargets:
    @pytest.mark.parametrize(
        ("cls", "named"),
        [
            (object, "object"),
            (pk.Pipeline, "pk.Pipeline"),
            (pk.Pipeline | None, "pk.Pipeline | None"),
            ("notatype", "'notatype'"),
            (list[object], "list[object]"),
            (dict[str, object], "dict[str, object]"),
            (tuple[int, object], "tuple[int, object]"),
            (list[list[object]], "list[list[object]]"),
            (int | object, "int | object"),
        ],
    )
    def test_refused_targets_are_named(self, cls: Any, named: str) -> None:
        with pytest.raises(pk.UnsupportedType) as info:
            pk.from_dict([1], cls)
        assert str(info.value) == f"from_dict cannot build {named}: {SUPPORTED}"
        assert info.value.type == cls

    @pytest.mark.parametrize(
        ("data", "cls"),
        [
            ([1, None], list[int | None]),
            ({"a": [1]}, dict[str, list[int]]),
            ([[1, "a"]], list[tuple[int, str]]),
        ],
    )
    def test_nested_generic_targets_are_accepted(self, data: object, cls: Any) -> None:
        assert pk.from_dict(data, cls) is not None

    def test_an_unknown_class_is_refused_before_reading(self) -> None:
        class Mine:
            pass

        with pytest.raises(pk.UnsupportedType):
            pk.from_dict({}, Mine)


class TestEntityPaths:
    def test_nested_paths(self) -> None:
        doc = {"id": "c-1", "name": "J", "account": {"name": "Acme", "employees": "12"}}
        assert refusal(doc, pk.Contact) == "$.account.employees: expected int, got str '12'"

    def test_list_item_paths(self) -> None:
        doc = {
            "id": "c-1",
            "name": "J",
            "touchpoints": [
                {"channel": "email", "timestamp": AT.isoformat()},
                {"channel": "email", "timestamp": "2026-01-01T00:00:00"},
            ],
        }
        assert refusal(doc, pk.Contact) == (
            "$.touchpoints[1].timestamp: datetime must be timezone-aware,"
            " got naive 2026-01-01T00:00:00"
        )

    def test_facts_paths(self) -> None:
        doc = {"id": "c", "name": "J", "facts": [1]}
        assert refusal(doc, pk.Contact) == "$.facts: expected an object of facts, got list [1]"

    def test_entity_validation_errors_keep_their_field(self) -> None:
        doc = {"name": "Acme", "employees": -1}
        assert refusal(doc, pk.Account).startswith("$.employees: ")

    def test_unknown_fields_of_an_entity(self) -> None:
        assert refusal({"name": "Acme", "zz": 1, "aa": 2}, pk.Account) == (
            "$: unknown field(s) 'aa', 'zz'"
        )

    def test_missing_fields_of_an_entity(self) -> None:
        assert refusal({"id": "c-1"}, pk.Contact) == "$.name: required field is missing"

    def test_not_an_object(self) -> None:
        assert refusal("Acme", pk.Account) == "$: expected an object, got str 'Acme'"
        assert refusal({"id": "c", "name": "J", "account": 3}, pk.Contact) == (
            "$.account: expected an object, got int 3"
        )

    def test_nested_versions_are_accepted_and_checked(self) -> None:
        doc: dict[str, Any] = {
            "id": "c",
            "name": "J",
            "account": {"name": "A", "schema_version": 1},
        }
        assert pk.from_dict(doc, pk.Contact).account == pk.Account(name="A")
        doc["account"]["schema_version"] = 7
        assert refusal(doc, pk.Contact).startswith(
            "$.account.schema_version: unsupported schema_version 7"
        )

    def test_optional_fields_take_null(self) -> None:
        doc = {"name": "Acme", "annual_revenue": None, "employees": None}
        assert pk.from_dict(doc, pk.Account) == pk.Account(name="Acme")

    def test_fields_converted_on_the_slow_path(self) -> None:
        # A document that is not plainly valid for the fast loader (a version key) but valid.
        doc = {
            "amount": {"amount": "3", "currency": "EUR"},
            "expected_close": "2026-03-01",
            "competitors": ["x"],
            "schema_version": 1,
        }
        opportunity = pk.from_dict(doc, pk.Opportunity)
        assert opportunity.amount == pk.Money("3", "EUR")
        assert opportunity.expected_close == date(2026, 3, 1)
        assert opportunity.competitors == ("x",)


class TestUnwritable:
    def test_an_object_without_a_document_form_is_named(self) -> None:
        class Thing:
            pass

        with pytest.raises(pk.UnsupportedType) as info:
            pk.to_dict(Thing())
        assert str(info.value) == "pipelinekit has no document form for Thing"
        assert info.value.type is Thing

    def test_json_scalars_pass_through(self) -> None:
        assert pk.to_dict("x") == "x"
        assert pk.to_dict(None) is None
        assert pk.to_dict(1.5) == 1.5


class TestEnumItems:
    def test_lists_and_sets_of_enum_members(self) -> None:
        assert pk.from_dict(["lead", "prospect"], list[pk.Stage]) == [
            pk.Stage.LEAD,
            pk.Stage.PROSPECT,
        ]
        assert pk.from_dict(["champion"], set[pk.Role]) == {pk.Role.CHAMPION}
        assert pk.from_dict(["lead"], tuple[pk.Stage, ...]) == (pk.Stage.LEAD,)
        assert pk.from_dict({"a": "lead"}, dict[str, pk.Stage]) == {"a": pk.Stage.LEAD}

    def test_a_bad_member_in_a_list_is_named_at_its_index(self) -> None:
        assert refusal(["lead", "x"], list[pk.Stage]) == (
            f"$[1]: expected one of {STAGES}, got str 'x'"
        )

    def test_enum_keys_of_a_mapping(self) -> None:
        assert pk.from_dict({"lead": 1}, dict[pk.Stage, int]) == {pk.Stage.LEAD: 1}
        assert refusal({"x": 1}, dict[pk.Stage, int]) == (
            f"$.x: expected one of {STAGES}, got str 'x'"
        )
