"""Behaviour of the top-level modules pinned after the 2026-12-02 mutation sample.

See docs/quality.md: each test here is named for what a surviving mutant showed untested.
"""

from __future__ import annotations

from enum import StrEnum

import pytest

import pipelinekit as pk
from pipelinekit._checks import mask_text


class TestAccountDomain:
    """``Account.domain``: the host of the website, lower case, without ``www.`` or a port."""

    @pytest.mark.parametrize(
        ("website", "domain"),
        [
            ("acme.example", "acme.example"),  # no scheme
            ("www.acme.example/about", "acme.example"),
            ("HTTP://Shop.Acme.Example:8080/x", "shop.acme.example"),
            ("https://www.acme.example/", "acme.example"),
        ],
    )
    def test_domain(self, website: str, domain: str) -> None:
        assert pk.Account(name="Acme", website=website).domain == domain


class TestEmailShapes:
    """Any word with an ``@`` is masked as an email, whatever its letters; a lone ``@`` is not."""

    @pytest.mark.parametrize("text", ["X@", "jane@", "XX@XX"])
    def test_a_near_email_is_masked(self, text: str) -> None:
        masked = mask_text(f"got {text!r}")
        assert text not in masked
        assert "***@" in masked

    def test_a_lone_at_sign_is_left(self) -> None:
        assert mask_text("got '@' and @") == "got '@' and @"


class TestGenericTargets:
    """``from_dict`` refuses a generic target of ``object``, naming the whole target (2027)."""

    @pytest.mark.parametrize("target", [list[object], dict[str, object], list[list[object]]])
    def test_refused_with_the_target(self, target: object) -> None:
        with pytest.raises(pk.UnsupportedType, match="from_dict cannot build") as info:
            pk.from_dict([], target)  # type: ignore[arg-type]
        assert info.value.type == target
        assert str(info.value).startswith(f"from_dict cannot build {target}: pass a type")


class TestSample2028:
    """Survivors of the 2028 sample (decided before these tests were written)."""

    # _loaders.load_stakeholder #50: the fast loader once took a blank title for a good one.
    @pytest.mark.parametrize("blank", ["", "  ", "\t"])
    def test_a_stakeholder_document_with_a_blank_title_is_refused(self, blank: str) -> None:
        document = pk.to_dict(pk.Stakeholder(name="Sam", role="champion", title="CTO"))
        document["title"] = blank
        with pytest.raises(pk.SchemaError, match=r"^\$\.title: must not be blank") as info:
            pk.from_dict(document, pk.Stakeholder)
        assert info.value.path == "$.title"

    # _checks.check_text #2: text is any str, a str subclass (a StrEnum member) too.
    def test_a_str_subclass_is_text(self) -> None:
        class Name(StrEnum):
            ACME = "Acme"

        assert pk.Account(name=Name.ACME).name == "Acme"
        assert pk.Contact(id="c-1", name="Jane", title=Name.ACME).title == "Acme"

    # _checks.Matches #11: an email that is no str is masked as the value it is.
    def test_an_email_that_is_a_number_is_masked(self) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            pk.Contact(id="c-1", name="Jane", email=4915112345678)  # type: ignore[arg-type]
        assert str(info.value) == "email: expected str, got int 4***"
        with pytest.raises(pk.FieldTypeError) as info:
            pk.Contact(id="c-1", name="Jane", email=12.5)  # type: ignore[arg-type]
        assert str(info.value) == "email: expected str, got float 12.5"


class TestSample2029:
    """Survivors of the 2029 sample (decided before these tests were written)."""

    # _checks._mask_named #8: a value named as an email is masked as one, not as a phone.
    def test_a_value_named_as_an_email_is_masked_as_an_email(self) -> None:
        assert mask_text("{'work_email': 'janeroe'}") == "{'work_email': 'j***'}"
        assert mask_text("{'mobile': 'janeroe'}") == "{'mobile': '***'}"

    # The defect the same survivor led to: a refused nested fact showed personal data.
    def test_a_nested_fact_value_is_masked(self) -> None:
        cases = [
            ({"work_email": "janeroe"}, "{'work_email': 'j***'}"),
            ({"mobile": 4915112345678}, "{'mobile': '***78'}"),
        ]
        for value, shown in cases:
            with pytest.raises(pk.FieldTypeError) as info:
                pk.Contact(id="c-1", name="Jane", facts={"info": value})  # type: ignore[dict-item]
            assert str(info.value) == (
                f"facts.info: expected str, bool, int or float, got dict {shown}"
            )

    # _loaders.load_account #40: the fast loader takes whole numbers of employees only.
    @pytest.mark.parametrize(
        ("employees", "shown"), [(5.5, "float 5.5"), (True, "bool True"), (5.0, "float 5.0")]
    )
    def test_employees_that_are_no_int_are_refused(self, employees: object, shown: str) -> None:
        document = pk.to_dict(pk.Account(name="Acme", employees=5))
        document["employees"] = employees
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(document, pk.Account)
        assert str(info.value) == f"$.employees: expected int, got {shown}"
        contact = pk.to_dict(pk.Contact(id="c-1", name="Jane", account=pk.Account(name="Acme")))
        contact["account"]["employees"] = employees
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(contact, pk.Contact)
        assert info.value.path == "$.account.employees"
