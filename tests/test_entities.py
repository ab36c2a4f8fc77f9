"""Entities: validated at construction, frozen, unchanged on error, PII masked in repr."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit._checks import instance_of
from pipelinekit._codegen import generated_source
from pipelinekit.entities import trusted_evolve
from tests import strategies as s

AT = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
NAIVE = datetime(2026, 11, 22, 9, 30)


def touchpoint(**changes: Any) -> pk.Touchpoint:
    defaults: dict[str, Any] = {"channel": pk.Channel.CALL, "timestamp": AT}
    return pk.Touchpoint(**(defaults | changes))


def stage_change(**changes: Any) -> pk.StageChange:
    defaults: dict[str, Any] = {
        "event": "qualify",
        "source": "lead",
        "target": "prospect",
        "at": AT,
    }
    return pk.StageChange(**(defaults | changes))


#: (factory, field, bad value, error class, message regex) for every validated field.
BAD_VALUES: list[tuple[Any, str, object, type[pk.FieldError], str]] = [
    (pk.Account, "name", "", pk.FieldValueError, "must not be blank"),
    (pk.Account, "name", " \t", pk.FieldValueError, "must not be blank"),
    (pk.Account, "name", None, pk.FieldTypeError, "expected str, got None"),
    (pk.Account, "industry", 3, pk.FieldTypeError, "expected str, got int 3"),
    (pk.Account, "employees", -1, pk.FieldValueError, "must be >= 0, got -1"),
    (pk.Account, "employees", 1.0, pk.FieldTypeError, "expected int, got float"),
    (pk.Account, "employees", True, pk.FieldTypeError, "expected int, got bool"),
    (pk.Account, "employees", "12", pk.FieldTypeError, "expected int, got str '12'"),
    (pk.Account, "annual_revenue", 100, pk.FieldTypeError, "expected Money"),
    (pk.Account, "annual_revenue", pk.Money("-1", "EUR"), pk.FieldValueError, "not be negative"),
    (pk.Account, "industry", " ", pk.FieldValueError, "must not be blank"),
    (pk.Account, "country", "", pk.FieldValueError, "must not be blank"),
    (pk.Account, "country", b"DE", pk.FieldTypeError, "expected str"),
    (pk.Account, "website", ["x"], pk.FieldTypeError, "expected str"),
    (pk.Stakeholder, "role", "boss", pk.FieldValueError, "expected one of 'decision_maker', "),
    (pk.Stakeholder, "role", "CHAMPION", pk.FieldValueError, "expected one of .*, got str"),
    (pk.Stakeholder, "role", 1, pk.FieldTypeError, "expected Role or its value as a str, got int"),
    (pk.Stakeholder, "role", pk.Channel.EMAIL, pk.FieldValueError, "expected one of"),
    (pk.Stakeholder, "title", "", pk.FieldValueError, "must not be blank; use None"),
    (pk.Stakeholder, "email", "jane", pk.FieldValueError, "not a valid email address"),
    (pk.Stakeholder, "email", "a@b", pk.FieldValueError, "not a valid email address"),
    (pk.Stakeholder, "email", 5, pk.FieldTypeError, "expected str"),
    (pk.Stakeholder, "influence", 11, pk.FieldValueError, "must be <= 10, got 11"),
    (pk.Stakeholder, "is_primary", 1, pk.FieldTypeError, "expected bool, got int"),
    (pk.Stakeholder, "is_primary", None, pk.FieldTypeError, "expected bool, got None"),
    (touchpoint, "channel", "fax", pk.FieldValueError, "expected one of 'web_form', .*'fax'"),
    (touchpoint, "channel", None, pk.FieldTypeError, "its value as a str, got None$"),
    (touchpoint, "timestamp", NAIVE, pk.FieldValueError, "must be timezone-aware"),
    (touchpoint, "timestamp", date(2026, 1, 1), pk.FieldTypeError, "expected datetime"),
    (touchpoint, "timestamp", "2026-01-01T00:00:00Z", pk.FieldTypeError, "expected datetime"),
    (touchpoint, "kind", 1, pk.FieldTypeError, "expected str"),
    (pk.Opportunity, "amount", Decimal(1), pk.FieldTypeError, "expected Money"),
    (pk.Opportunity, "amount", pk.Money("-0.01", "EUR"), pk.FieldValueError, "not be negative"),
    (pk.Opportunity, "expected_close", AT, pk.FieldTypeError, "expected date, got datetime"),
    (pk.Opportunity, "probability", "1.01", pk.FieldValueError, "between 0 and 1, got 1.01"),
    (pk.Opportunity, "probability", -1, pk.FieldValueError, "between 0 and 1"),
    (pk.Opportunity, "probability", "NaN", pk.FieldValueError, "not a decimal number: 'NaN'"),
    (pk.Opportunity, "probability", "x", pk.FieldValueError, "not a decimal number: 'x'"),
    (pk.Opportunity, "probability", 0.5, pk.FieldTypeError, "expected Decimal, str or int"),
    (pk.Opportunity, "competitors", "Initech", pk.FieldTypeError, "expected a tuple or list"),
    (pk.Opportunity, "competitors", ("a", 1), pk.FieldTypeError, r"expected str, got int 1"),
    (stage_change, "event", "", pk.FieldValueError, "must not be blank"),
    (stage_change, "source", "", pk.FieldValueError, "must not be blank"),
    (stage_change, "source", None, pk.FieldTypeError, "^source: expected str, got None$"),
    (stage_change, "source", 1, pk.FieldTypeError, "^source: expected str, got int 1$"),
    (stage_change, "target", pk.Role.USER.__class__, pk.FieldTypeError, "^target: expected str"),
    (stage_change, "target", " lead", pk.FieldValueError, "leading or trailing whitespace"),
    (stage_change, "target", "Lead", pk.FieldValueError, "only by case; did you mean 'lead'"),
    (stage_change, "at", NAIVE, pk.FieldValueError, "must be timezone-aware"),
    (stage_change, "by", 7, pk.FieldTypeError, "expected str"),
]

CONTACT_BAD_VALUES: list[tuple[str, object, type[pk.FieldError], str]] = [
    ("id", "", pk.FieldValueError, "must not be blank"),
    ("name", 1, pk.FieldTypeError, "expected str, got int 1"),
    ("email", "not-an-email", pk.FieldValueError, "not a valid email address"),
    ("email", "a" * 250 + "@b.co", pk.FieldValueError, "not a valid email address"),
    ("phone", "call me", pk.FieldValueError, "not a valid phone number"),
    ("account", {"name": "Acme"}, pk.FieldTypeError, "expected Account, got dict"),
    ("created_at", NAIVE, pk.FieldValueError, "must be timezone-aware"),
    ("stage", "  ", pk.FieldValueError, "must not be blank"),
    ("stage", None, pk.FieldTypeError, "expected str, got None$"),
    ("stage", "LEAD", pk.FieldValueError, "'LEAD' differs from the built-in stage 'lead' only"),
    ("stage", "Customer", pk.FieldValueError, "only by case; did you mean 'customer'"),
    ("stage", " lead", pk.FieldValueError, "' lead' has leading or trailing whitespace"),
    ("stage", "nurture\n", pk.FieldValueError, "leading or trailing whitespace"),
    ("title", "", pk.FieldValueError, "must not be blank; use None when it is unknown"),
    ("source", " ", pk.FieldValueError, "must not be blank"),
    ("owner", "", pk.FieldValueError, "must not be blank"),
    ("budget", pk.Money("-5", "EUR"), pk.FieldValueError, "must not be negative, got -5.00 EUR"),
    ("budget", "1000", pk.FieldTypeError, "expected Money"),
    ("authority", "yes", pk.FieldTypeError, "expected bool"),
    ("pains", "slow", pk.FieldTypeError, "expected a tuple or list of str"),
    ("pains", {"slow": 1}, pk.FieldTypeError, "expected a tuple or list of str"),
    ("timeline", AT, pk.FieldTypeError, "expected date, got datetime"),
    ("interest", 0, pk.FieldTypeError, "expected bool, got int"),
    ("facts", [("a", 1)], pk.FieldTypeError, "expected a mapping"),
    ("facts", {"a b": 1}, pk.FieldValueError, "is not an identifier"),
    ("facts", {"x" * 65: 1}, pk.FieldValueError, "is not an identifier"),
    ("facts", {"a": None}, pk.FieldTypeError, "expected str, bool, int or float, got None"),
    ("facts", {"a": float("inf")}, pk.FieldValueError, "must be finite"),
    ("stakeholders", ["Jane"], pk.FieldTypeError, r"expected Stakeholder, got str"),
    ("touchpoints", (touchpoint(), None), pk.FieldTypeError, "expected Touchpoint, got None"),
    ("opportunity", pk.Money("1", "EUR"), pk.FieldTypeError, "expected Opportunity"),
    ("history", [stage_change(), "x"], pk.FieldTypeError, "expected StageChange"),
    ("version", -1, pk.FieldValueError, "must be >= 0"),
    ("version", None, pk.FieldTypeError, "expected int, got None"),
]

FIELD_OF_ERROR = {"pains": "pains", "touchpoints": "touchpoints[1]", "history": "history[1]"}


def _base(factory: Any) -> dict[str, Any]:
    return {"name": "x"} if factory in (pk.Account, pk.Stakeholder) else {}


def _test_id(text: str) -> str:
    """``text`` without backslashes, as a test id: pytest escapes a backslash in an id again
    each time it collects in one process (as mutmut does), so such an id is not found twice.
    """
    return text.replace("\\", "~")


class TestValidation:
    @pytest.mark.parametrize(
        ("factory", "field", "value", "error", "message"),
        BAD_VALUES,
        ids=[_test_id(f"{getattr(f, '__name__', f)}.{n}={v!r}"[:60]) for f, n, v, *_ in BAD_VALUES],
    )
    def test_bad_value_names_field(
        self,
        factory: Any,
        field: str,
        value: object,
        error: type[pk.FieldError],
        message: str,
    ) -> None:
        """Each invalid value raises the right FieldError naming the field and the problem."""
        with pytest.raises(error, match=message) as info:
            factory(**(_base(factory) | {field: value}))
        assert info.value.field.split("[")[0] == field
        assert str(info.value).startswith(f"{info.value.field}: ")

    @pytest.mark.parametrize(
        ("field", "value", "error", "message"),
        CONTACT_BAD_VALUES,
        ids=[_test_id(f"{n}={v!r}"[:40]) for n, v, *_ in CONTACT_BAD_VALUES],
    )
    def test_contact_bad_value_names_field(
        self, field: str, value: object, error: type[pk.FieldError], message: str
    ) -> None:
        """Every Contact field refuses bad values with a message naming it."""
        with pytest.raises(error, match=message) as info:
            pk.Contact(**{"id": "c", "name": "n", field: value})  # type: ignore[arg-type]
        assert info.value.field.split("[")[0].split(".")[0] == field

    def test_bad_item_index_in_field(self) -> None:
        """A bad item in a tuple field is named with its index."""
        with pytest.raises(pk.FieldTypeError) as info:
            pk.Contact(id="c", name="n", touchpoints=(touchpoint(), None))  # type: ignore[arg-type]
        assert info.value.field == "touchpoints[1]"

    def test_facts_value_named_by_key(self) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            pk.Contact(id="c", name="n", facts={"seats": [1]})  # type: ignore[dict-item]
        assert info.value.field == "facts.seats"

    @pytest.mark.parametrize("email", ["jane@acme.example", "j.roe+crm@mail.acme.co.uk", "a@b.cd"])
    def test_good_emails(self, email: str) -> None:
        assert pk.Contact(id="c", name="n", email=email).email == email

    @pytest.mark.parametrize(
        "phone", ["+49 30 1234567", "(030) 123-4567", "+1 555.123.4567 ext. 12", "0301234"]
    )
    def test_good_phones(self, phone: str) -> None:
        assert pk.Contact(id="c", name="n", phone=phone).phone == phone

    def test_defaults(self) -> None:
        """Only id and name are required; the rest default to None or empty."""
        contact = pk.Contact(id="c", name="n")
        assert contact.stage is pk.Stage.LEAD
        assert contact.version == 0
        assert contact.pains == ()
        assert contact.stakeholders == ()
        assert contact.touchpoints == ()
        assert contact.history == ()
        assert dict(contact.facts) == {}
        assert contact.email is None
        assert contact.budget is None
        assert contact.opportunity is None

    def test_required(self) -> None:
        with pytest.raises(TypeError, match="name"):
            pk.Contact(id="c")  # type: ignore[call-arg]

    def test_keyword_only(self) -> None:
        with pytest.raises(TypeError):
            pk.Account("Acme")  # type: ignore[call-arg]

    def test_lists_become_tuples(self) -> None:
        contact = pk.Contact(id="c", name="n", pains=["a", "b"], touchpoints=[touchpoint()])
        assert contact.pains == ("a", "b")
        assert type(contact.touchpoints) is tuple

    def test_stage_names(self) -> None:
        """Default stage names become Stage members; custom names stay plain strings."""
        assert pk.Contact(id="c", name="n", stage="customer").stage is pk.Stage.CUSTOMER
        custom = pk.Contact(id="c", name="n", stage="nurture")
        assert custom.stage == "nurture"
        assert type(custom.stage) is str

    def test_stage_change_stores_plain_names(self) -> None:
        change = stage_change(source=pk.Stage.LEAD, target=pk.Stage.PROSPECT)
        assert type(change.source) is str
        assert change.source == "lead"

    def test_stage_change_takes_str_enums_as_their_value(self) -> None:
        """Any StrEnum member is stored as its value (a plain str), never str() of a non-str."""

        class Custom(StrEnum):
            NURTURE = "nurture"

        change = stage_change(source=Custom.NURTURE, target="won-back")
        assert (change.source, type(change.source)) == ("nurture", str)
        assert change.target == "won-back"

    @pytest.mark.parametrize("value", ["champion", pk.Role.CHAMPION])
    def test_role_from_its_value(self, value: object) -> None:
        """A role's value builds the member, as a stage name does for Contact.stage."""
        assert pk.Stakeholder(name="n", role=value).role is pk.Role.CHAMPION  # type: ignore[arg-type]

    @pytest.mark.parametrize("value", ["call", pk.Channel.CALL])
    def test_channel_from_its_value(self, value: object) -> None:
        assert touchpoint(channel=value).channel is pk.Channel.CALL

    def test_zero_amounts_are_not_negative(self) -> None:
        """Zero (even -0) is a valid revenue, budget or deal amount."""
        for amount in ("0", "-0", "0.00"):
            money = pk.Money(amount, "EUR")
            assert pk.Account(name="A", annual_revenue=money).annual_revenue == money
            assert pk.Opportunity(amount=money).amount == money
            assert pk.Contact(id="c", name="n", budget=money).budget == money

    @given(s.stage_names)
    def test_accepted_stage_names_round_trip(self, name: str) -> None:
        """Every accepted stage name is kept: the member, or the very same plain name."""
        stage = pk.Contact(id="c", name="n", stage=name).stage
        assert stage == name
        assert type(stage) is (pk.Stage if name in set(pk.Stage) else str)

    def test_aware_datetimes_any_offset(self) -> None:
        tz = timezone(timedelta(hours=-5))
        assert touchpoint(timestamp=AT.astimezone(tz)).timestamp == AT

    def test_probability_forms(self) -> None:
        assert pk.Opportunity(probability="0.25").probability == Decimal("0.25")
        assert pk.Opportunity(probability=1).probability == Decimal(1)
        assert pk.Opportunity(probability=Decimal(0)).probability == 0

    def test_account_domain(self) -> None:
        acme = pk.Account(name="Acme", website="HTTPS://WWW.Acme.example:443/about")
        assert acme.domain == "acme.example"
        assert pk.Account(name="Acme").domain is None


class TestFacts:
    def test_read_only_private_copy(self) -> None:
        """Facts are copied into a read-only mapping: the caller's dict can change freely."""
        given_facts: dict[str, pk.FactValue] = {"seats": 10}
        contact = pk.Contact(id="c", name="n", facts=given_facts)
        given_facts["seats"] = 99
        assert contact.facts["seats"] == 10
        with pytest.raises(TypeError):
            contact.facts["seats"] = 1  # type: ignore[index]

    def test_scalars_accepted(self) -> None:
        facts: dict[str, pk.FactValue] = {"a": "x", "b": True, "c": 3, "d": 0.5}
        assert dict(pk.Contact(id="c", name="n", facts=facts).facts) == facts


class TestUnchangedOnError:
    @given(s.contacts, st.sampled_from(CONTACT_BAD_VALUES))
    def test_evolve_with_bad_value(
        self, contact: pk.Contact, bad: tuple[str, object, type[pk.FieldError], str]
    ) -> None:
        """evolve with a bad value raises and leaves the original exactly as it was."""
        field, value, error, _ = bad
        before = contact.repr_unmasked()
        document = pk.to_dict(contact)
        with pytest.raises(error):
            attrs.evolve(contact, **{field: value})  # type: ignore[arg-type]
        assert contact.repr_unmasked() == before
        assert pk.to_dict(contact) == document

    @pytest.mark.parametrize(
        "entity",
        [
            pk.Account(name="Acme"),
            pk.Stakeholder(name="Jane"),
            touchpoint(),
            pk.Opportunity(),
            stage_change(),
            pk.Contact(id="c", name="n"),
        ],
        ids=lambda e: type(e).__name__,
    )
    def test_frozen(self, entity: Any) -> None:
        """Entities cannot be changed in place."""
        name = attrs.fields(type(entity))[0].name
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(entity, name, getattr(entity, name))

    def test_evolve_validates(self) -> None:
        acme = pk.Account(name="Acme", employees=3)
        assert attrs.evolve(acme, employees=4).employees == 4
        with pytest.raises(pk.FieldValueError, match="employees"):
            attrs.evolve(acme, employees=-4)
        assert acme.employees == 3

    def test_derive_copies_without_touching_original(self) -> None:
        """trusted_evolve (for trusted callers) returns a new contact and leaves the old one."""
        contact = pk.Contact(id="c", name="n")
        moved = trusted_evolve(contact, stage=pk.Stage.PROSPECT, version=1)
        assert (moved.stage, moved.version) == (pk.Stage.PROSPECT, 1)
        assert (contact.stage, contact.version) == (pk.Stage.LEAD, 0)
        assert moved.name == "n"
        assert type(moved) is pk.Contact


class TestRepr:
    def contact(self) -> pk.Contact:
        return pk.Contact(
            id="c-1",
            name="Jane Roe",
            email="jane.roe@acme.example",
            phone="+49 30 1234567",
            stakeholders=(pk.Stakeholder(name="Max", email="max.mustermann@acme.example"),),
        )

    def test_email_and_phone_masked(self) -> None:
        """repr never shows a full email address or phone number."""
        text = repr(self.contact())
        assert "jane.roe@acme.example" not in text
        assert "1234567" not in text
        assert "max.mustermann@" not in text
        assert "email='j***@acme.example'" in text
        assert "phone='***67'" in text

    def test_no_email_or_phone(self) -> None:
        text = repr(pk.Contact(id="c", name="n"))
        assert "email=None" in text
        assert "phone=None" in text

    def test_repr_unmasked_shows_everything(self) -> None:
        """repr_unmasked shows email and phone in full, and every field."""
        contact = self.contact()
        text = contact.repr_unmasked()
        assert "email='jane.roe@acme.example'" in text
        assert "phone='+49 30 1234567'" in text
        for field in attrs.fields(pk.Contact):
            assert re.search(rf"\b{field.name}=", text), field.name

    def test_repr_unmasked_shows_stakeholder_emails(self) -> None:
        """Nested stakeholders' emails are shown in full too, and the repr still evaluates."""
        text = self.contact().repr_unmasked()
        assert "email='max.mustermann@acme.example'" in text
        assert "Stakeholder(name='Max'" in text
        contact = pk.Contact(
            id="c", name="n", stakeholders=(pk.Stakeholder(name="A"), pk.Stakeholder(name="B"))
        )
        assert contact.repr_unmasked().count("Stakeholder(") == 2
        stakeholder = pk.Stakeholder(name="Max", email="max@acme.example")
        assert "max@acme.example" not in repr(stakeholder)
        assert "email='max@acme.example'" in stakeholder.repr_unmasked()

    @given(s.contacts)
    def test_masked_repr_never_leaks(self, contact: pk.Contact) -> None:
        """For any contact, no full email (the contact's or a stakeholder's, if it has a local
        part > 1 char) or phone number is printed."""
        text = repr(contact)
        if contact.email is not None and len(contact.email.partition("@")[0]) > 1:
            assert repr(contact.email) not in text
        if contact.phone is not None and sum(c.isdigit() for c in contact.phone) > 2:
            assert repr(contact.phone) not in text
        for stakeholder in contact.stakeholders:
            if stakeholder.email is not None and len(stakeholder.email.partition("@")[0]) > 1:
                assert stakeholder.email not in text
                assert stakeholder.email not in repr(stakeholder)


class TestValidators:
    def test_instance_of_refuses_bool_for_int(self) -> None:
        """bool is an int subclass, but only passes where bool is listed."""
        check = instance_of(int)
        attribute = attrs.fields(pk.Account).employees
        check(None, attribute, 3)
        with pytest.raises(pk.FieldTypeError, match="expected int, got bool True"):
            check(None, attribute, True)
        instance_of(int, bool)(None, attribute, True)

    def test_instance_of_accepts_subclasses(self) -> None:
        """A subclass of a listed type passes (a Stage is a str)."""
        instance_of(str)(None, attrs.fields(pk.Account).name, pk.Stage.LEAD)

    def test_repr_says_what_is_checked(self) -> None:
        assert repr(instance_of(str, optional=True)) == "<instance_of str | None>"


#: Every optional text field of every entity, with the other arguments it needs.
_AT = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
OPTIONAL_TEXT: list[tuple[Any, str, dict[str, Any]]] = [
    (pk.Account, "industry", {"name": "A"}),
    (pk.Account, "country", {"name": "A"}),
    (pk.Account, "website", {"name": "A"}),
    (pk.Account, "id", {"name": "A"}),
    (pk.Stakeholder, "title", {"name": "S"}),
    (pk.Stakeholder, "id", {"name": "S"}),
    (pk.Touchpoint, "kind", {"channel": "call", "timestamp": _AT}),
    (pk.Touchpoint, "note", {"channel": "call", "timestamp": _AT}),
    (pk.Opportunity, "next_step", {}),
    (pk.Opportunity, "lost_reason", {}),
    (pk.Opportunity, "id", {}),
    (pk.StageChange, "by", {"event": "e", "source": "lead", "target": "prospect", "at": _AT}),
    (pk.StageChange, "reason", {"event": "e", "source": "lead", "target": "prospect", "at": _AT}),
    (pk.StageChange, "verdict", {"event": "e", "source": "lead", "target": "prospect", "at": _AT}),
    (pk.Contact, "title", {"id": "c", "name": "n"}),
    (pk.Contact, "source", {"id": "c", "name": "n"}),
    (pk.Contact, "owner", {"id": "c", "name": "n"}),
    (pk.Contact, "need", {"id": "c", "name": "n"}),
]


class TestBlankText:
    """One rule for blank text: every optional text field refuses it, naming the field."""

    def test_every_optional_text_field_is_listed(self) -> None:
        """A new optional ``str | None`` field must be listed (and so follow the rule)."""
        listed = {(cls, name) for cls, name, _ in OPTIONAL_TEXT}
        classes = (pk.Account, pk.Stakeholder, pk.Touchpoint, pk.Opportunity, pk.StageChange)
        found = {
            (cls, a.name)
            for cls in (*classes, pk.Contact)
            for a in attrs.fields(cls)
            if a.type in ("str | None", str | None) and a.name not in {"email", "phone"}
        }
        assert found == listed

    @pytest.mark.parametrize(("cls", "name", "others"), OPTIONAL_TEXT)
    @pytest.mark.parametrize("blank", ["", "  ", "\t\n", "\u3000"])
    def test_blank_is_refused(
        self, cls: Any, name: str, others: dict[str, Any], blank: str
    ) -> None:
        with pytest.raises(pk.FieldValueError, match="must not be blank; use None") as info:
            cls(**others, **{name: blank})
        assert info.value.field == name

    @pytest.mark.parametrize(("cls", "name", "others"), OPTIONAL_TEXT)
    def test_none_and_text_are_kept(self, cls: Any, name: str, others: dict[str, Any]) -> None:
        assert getattr(cls(**others, **{name: None}), name) is None
        assert getattr(cls(**others, **{name: " x "}), name) == " x "

    @pytest.mark.parametrize(("cls", "name", "others"), OPTIONAL_TEXT)
    def test_blank_in_a_document_is_located(
        self, cls: Any, name: str, others: dict[str, Any]
    ) -> None:
        document = pk.to_dict(cls(**others)) | {name: ""}
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(document, cls)
        assert (info.value.path, info.value.problem) == (
            f"$.{name}",
            "must not be blank; use None when it is unknown",
        )

    def test_need_blank_no_longer_fails_bant(self) -> None:
        """An untouched "need" field cannot turn BANT's Need from UNKNOWN into FAIL."""
        with pytest.raises(pk.FieldValueError, match="need"):
            pk.Contact(id="c", name="n", need="")

    @pytest.mark.parametrize("blank", ["", "  "])
    def test_lifecycle_by_and_reason(self, blank: str) -> None:
        """``advance``/``advance_many`` refuse blank ``by``/``reason`` before recording them."""
        pipeline = pk.Pipeline()
        lead = pk.Contact(id="c", name="n")
        for call in (pipeline.advance, pipeline.advance_many):
            subject: Any = lead if call == pipeline.advance else [lead]
            with pytest.raises(pk.FieldValueError) as info:
                call(subject, "qualify", at=_AT, by=blank)
            assert info.value.field == "by"
            with pytest.raises(pk.FieldValueError) as info:
                call(subject, "qualify", at=_AT, reason=blank)
            assert info.value.field == "reason"
        # Where a reason is required, a blank one is a missing reason, as before.
        with pytest.raises(pk.ReasonRequired):
            pipeline.advance(lead, "disqualify", at=_AT, reason=blank)


class TestIds:
    """Accounts, opportunities and stakeholders carry an optional key, in documents too."""

    @pytest.mark.parametrize(
        ("cls", "others"),
        [(pk.Account, {"name": "A"}), (pk.Stakeholder, {"name": "S"}), (pk.Opportunity, {})],
    )
    def test_id(self, cls: Any, others: dict[str, Any]) -> None:
        assert cls(**others).id is None
        entity = cls(**others, id="crm-42")
        document = pk.to_dict(entity)
        assert document["id"] == "crm-42"
        assert pk.from_dict(document, cls) == entity
        with pytest.raises(pk.FieldTypeError, match="id: expected str, got int 42"):
            cls(**others, id=42)
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(document | {"id": 42}, cls)
        assert info.value.path == "$.id"

    def test_documents_without_id_still_load(self) -> None:
        assert pk.from_dict({"name": "A"}, pk.Account).id is None


class TestStageEnteredAt:
    """``stage_entered_at``: the last change's ``at``, else ``created_at``, else None."""

    CREATED = datetime(2026, 1, 1, tzinfo=UTC)

    def test_without_anything(self) -> None:
        assert pk.Contact(id="c", name="n").stage_entered_at is None

    def test_created_at(self) -> None:
        assert pk.Contact(id="c", name="n", created_at=self.CREATED).stage_entered_at == (
            self.CREATED
        )

    def test_last_change(self) -> None:
        contact = pk.Contact(id="c", name="n", created_at=self.CREATED)
        first = pk.Pipeline().advance(contact, "qualify", at=self.CREATED + timedelta(days=3))
        second = pk.Pipeline().advance(
            first.contact, "convert", at=self.CREATED + timedelta(days=9)
        )
        assert first.contact.stage_entered_at == self.CREATED + timedelta(days=3)
        assert second.contact.stage_entered_at == self.CREATED + timedelta(days=9)

    def test_not_in_documents(self) -> None:
        contact = pk.Contact(id="c", name="n", created_at=self.CREATED)
        assert "stage_entered_at" not in pk.to_dict(contact)
        with pytest.raises(pk.SchemaError, match="unknown field"):
            pk.from_dict(pk.to_dict(contact) | {"stage_entered_at": None}, pk.Contact)

    @pytest.mark.parametrize(
        ("days_in_stage", "outcome"),
        [
            (None, pk.Outcome.UNKNOWN),
            (29, pk.Outcome.FAIL),
            (30, pk.Outcome.FAIL),  # older_than is strict: exactly 30 days is not older
            (31, pk.Outcome.PASS),
        ],
    )
    def test_as_a_qualifier_path_in_both_evaluation_paths(
        self, days_in_stage: int | None, outcome: pk.Outcome
    ) -> None:
        """ "In this stage for more than 30 days": generated code and interpreter agree."""
        now = datetime(2026, 6, 1, tzinfo=UTC)
        stale = pk.field("stage_entered_at").older_than(timedelta(days=30))
        created = None if days_in_stage is None else now - timedelta(days=days_in_stage)
        contact = pk.Contact(id="c", name="n", created_at=created)
        assert "stage_entered_at" in generated_source(stale)
        assert stale(contact, at=now) is (outcome is pk.Outcome.PASS)  # generated
        assert stale.filter([contact], at=now) == ([contact] if outcome is pk.Outcome.PASS else [])
        assert stale.evaluate(contact, at=now).outcome is outcome  # generated outcome
        assert stale.outcome(contact, now) is outcome  # the interpreter
        assert stale.explain(contact, now, "").outcome is outcome
        row = {"stage_entered_at": created}  # a dict row reads the same path
        assert stale(row, at=now) is (outcome is pk.Outcome.PASS)

    def test_a_pipeline_guard_may_use_it(self) -> None:
        """The path check of pipeline guards knows the derived path."""
        stale = pk.field("stage_entered_at").older_than(timedelta(days=30))
        pipeline = pk.Pipeline(guards={"qualify": ~stale})
        fresh = pk.Contact(id="c", name="n", created_at=datetime(2026, 5, 20, tzinfo=UTC))
        step = pipeline.advance(fresh, "qualify", at=datetime(2026, 6, 1, tzinfo=UTC))
        assert step.contact.stage == pk.Stage.PROSPECT
