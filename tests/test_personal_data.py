"""Personal data never appears in full in an error message or a verdict's text.

One masking rule (``_checks.mask_text``) serves entity errors, ``SchemaError`` messages and
verdict reasons; it masks by the field's name and by the value's shape.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit._checks import looks_like_phone, mask_text, personal_mask
from tests import strategies as s

_digits = st.text("0123456789", min_size=3, max_size=4)
#: Phone numbers as people type them: an international prefix and digit groups.
phones = st.builds(
    lambda country, groups, sep: "+" + country + sep + sep.join(groups),
    st.text("123456789", min_size=1, max_size=3),
    st.lists(_digits, min_size=2, max_size=4),
    st.sampled_from([" ", "-", "."]),
)
int_phones = st.integers(min_value=10**7, max_value=10**15)


def _nearly(valid: str, kind: str) -> st.SearchStrategy[str]:
    """Invalid variants a user might type: stray spaces, doubled separators, a suffix."""
    variants = [valid + " ", " " + valid, valid + ".", valid.replace("@", "@@"), valid + "x"]
    if kind == "email":
        variants += [valid.replace("@", " @"), valid.rsplit(".", 1)[0] + "..example"]
    else:
        variants += [valid + " ext", valid + "#", "(" + valid]
    return st.sampled_from(variants)


near_emails = s.emails.flatmap(lambda e: _nearly(e, "email"))
near_phones = phones.flatmap(lambda p: _nearly(p, "phone"))


def _hidden(secret: str, text: str) -> None:
    secret = secret.strip()
    assert secret not in text, text


def _error_text(run: Any) -> str:
    with pytest.raises(pk.PipelineError) as info:
        run()
    return str(info.value)


class TestErrors:
    @given(bad=near_emails)
    @example(bad="jane.roe@acme.example ")
    @example(bad="jane.roe@@acme.example")
    def test_a_nearly_valid_email_is_masked(self, bad: str) -> None:
        """Entity errors and from_dict paths (top level and nested) mask the address."""
        for run in (
            lambda: pk.Contact(id="c", name="J", email=bad),
            lambda: pk.Stakeholder(name="J", email=bad),
            lambda: pk.from_dict({"id": "c", "name": "J", "email": bad}, pk.Contact),
            lambda: pk.from_dict(
                {"id": "c", "name": "J", "stakeholders": [{"name": "x", "email": bad}]},
                pk.Contact,
            ),
        ):
            try:
                run()
            except pk.PipelineError as error:
                _hidden(bad, str(error))

    @given(bad=near_phones)
    @example(bad="+49 151 1234567x")
    def test_a_nearly_valid_phone_is_masked(self, bad: str) -> None:
        runs: list[Callable[[], object]] = [
            lambda: pk.Contact(id="c", name="J", phone=bad),
            lambda: pk.from_dict({"id": "c", "name": "J", "phone": bad}, pk.Contact),
        ]
        for run in runs:
            try:
                run()
            except pk.PipelineError as error:
                _hidden(bad, str(error))

    @given(number=int_phones)
    def test_a_phone_stored_as_an_int_is_masked(self, number: int) -> None:
        """The type error names the type, not the number."""
        for run in (
            lambda: pk.Contact(id="c", name="J", phone=number),  # type: ignore[arg-type]
            lambda: pk.from_dict({"id": "c", "name": "J", "phone": number}, pk.Contact),
        ):
            text = _error_text(run)
            assert "expected str, got int" in text
            _hidden(str(number), text)

    @given(email=s.emails, phone=phones)
    def test_personal_data_echoed_in_any_schema_error_is_masked(
        self, email: str, phone: str
    ) -> None:
        """By shape: an email or phone echoed as part of a wrong value is masked too."""
        for data, cls in (
            ([email, phone], pk.Contact),
            ({"amount": email, "currency": "EUR"}, pk.Money),
            (email, list[str]),
            (phone, pk.Outcome),
            ({"name": "J", "role": email}, pk.Stakeholder),
        ):
            text = _error_text(lambda data=data, cls=cls: pk.from_dict(data, cls))
            _hidden(email, text)
            _hidden(phone, text)


_rows = st.one_of(
    st.builds(lambda p: ({"phone": p}, "phone"), int_phones),
    st.builds(lambda e: ({"contact": {"work": e}}, "contact.work"), s.emails | near_emails),
    st.builds(lambda p: ({"mobile": p}, "mobile"), phones | near_phones),
    st.builds(lambda p: ({"notes": {"line": p}}, "notes.line"), phones),
    st.builds(lambda e, p: ({"info": {"mail": e, "phone": p}}, "info"), s.emails, int_phones),
)


def _secrets(row: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for value in row.values():
        if isinstance(value, dict):
            found += _secrets(value)
        else:
            found.append(str(value))
    return found


class TestVerdicts:
    @given(row_and_path=_rows, criterion=st.sampled_from(["eq", "known", "matches", "in", "lt"]))
    @example(row_and_path=({"phone": 4915112345678}, "phone"), criterion="eq")
    @example(
        row_and_path=({"contact": {"work": "jane@acme.example"}}, "contact.work"), criterion="eq"
    )
    def test_no_personal_value_appears_in_a_verdict(
        self, row_and_path: tuple[dict[str, Any], str], criterion: str
    ) -> None:
        """Reason, str() and the document of the verdict: on dict rows, any path, any check."""
        row, path = row_and_path
        field = pk.field(path)
        qualifier = {
            "eq": field == "x",
            "known": field.is_known(),
            "matches": field.matches("^zz"),
            "in": field.is_in(["a", "b"]),
            "lt": field < 3,  # not comparable for text: the error text masks too
        }[criterion]
        verdict = qualifier.evaluate(row)
        texts = [verdict.reason, str(verdict), json.dumps(pk.to_dict(verdict))]
        for secret in _secrets(row):
            for text in texts:
                _hidden(secret, text)

    def test_the_outcome_uses_the_real_value(self) -> None:
        row = {"contact": {"work": "jane@acme.example"}}
        assert (pk.field("contact.work") == "jane@acme.example")(row)


class TestTheRule:
    @pytest.mark.parametrize(
        "text",
        [
            "2026-11-22",
            "12",
            "EUR",
            "software",
            "1,000.00 EUR",
            "v1.2.3",
            # dates in the shapes people type, which a date field's refusal must show
            "2026-1-01",
            "2026-11-2",
            "2026/11/22",
            "2026.11.22",
            " 2026-11-22 10:30",
            "22.11.2026",
            "1/5/2026",
            "22-11-2026",
        ],
    )
    def test_ordinary_values_are_not_phones(self, text: str) -> None:
        assert not looks_like_phone(text)
        assert personal_mask(text, "industry") is None
        assert mask_text(f"industry {text!r} != 'x'", "industry", text) == (
            f"industry {text!r} != 'x'"
        )

    @pytest.mark.parametrize(
        "text",
        ["030 1234-5678", "2026-11 2233", "22.11.20261", "0151/1234567", "22.11.2026 1234"],
    )
    def test_phones_that_begin_like_dates_are_phones(self, text: str) -> None:
        assert looks_like_phone(text)

    def test_a_malformed_date_is_shown_in_its_refusal(self) -> None:
        with pytest.raises(pk.SchemaError) as caught:
            pk.from_dict("2026-1-01", dt.date)
        assert "'2026-1-01'" in str(caught.value)

    @given(email=s.emails)
    def test_masks_keep_the_domain_and_the_first_letter(self, email: str) -> None:
        local, _, domain = email.rpartition("@")
        assert personal_mask(email) == f"{local[0]}***@{domain}"
        assert mask_text(f"got {email!r}") == f"got '{local[0]}***@{domain}'"

    @given(phone=phones)
    def test_phones_keep_their_last_two_digits(self, phone: str) -> None:
        digits = [c for c in phone if c.isdigit()]
        assert personal_mask(phone) == "***" + "".join(digits[-2:])


class TestMaskingShortcuts:
    """The cheap tests that let ``mask_text`` skip a regex never skip a match."""

    WORDS = ("phone", "mobile", "fax", "email", "e_mail")  # what _NAMED_VALUE names
    texts = st.lists(
        st.sampled_from(
            [*WORDS, "PHONE", "E_Mail", "mob\u0130le", "ma\u0131l", ": ", "=", "'", '"']
        )
        | st.sampled_from(["+49 151 1234567", "12", "2026-12-01", " ", "x", "_", "\\"])
        | st.text(max_size=4),
        max_size=12,
    ).map("".join)

    @given(texts)
    @example("mob\u0130le: +49 151 1234567")
    @example("Ma\u0131l = 'jane'")
    def test_named_values_are_found_whenever_the_regex_matches(self, text: str) -> None:
        from pipelinekit._checks import _NAMED_VALUE, _may_name_personal  # noqa: PLC0415

        if _NAMED_VALUE.search(text) is not None:
            assert _may_name_personal(text)

    def test_the_case_rule_holds_over_all_of_unicode(self) -> None:
        """Every character that ``(?i)`` matches with a letter of the words is covered."""
        import re  # noqa: PLC0415
        import sys  # noqa: PLC0415

        from pipelinekit._checks import _NAMED_VALUE, _may_name_personal  # noqa: PLC0415

        letters = sorted(set("".join(self.WORDS)))
        either = re.compile(f"(?i)[{''.join(letters)}]")
        odd = [chr(cp) for cp in range(0x80, sys.maxunicode + 1) if either.fullmatch(chr(cp))]
        assert odd  # the Turkish i's: the test looks at something
        for char in odd:
            for word in self.WORDS:
                for i, letter in enumerate(word):
                    if re.fullmatch(f"(?i){letter}", char):
                        text = f"{word[:i]}{char}{word[i + 1 :]}: '+49 151 1234567'"
                        assert _NAMED_VALUE.search(text), text
                        assert _may_name_personal(text), text

    @given(texts)
    @example("'+49 151 1234567'")
    @example("'1234567'")
    def test_quoted_values_are_masked_only_with_seven_digits(self, text: str) -> None:
        from pipelinekit._checks import _QUOTED, _mask_quoted  # noqa: PLC0415

        digits = sum(char in "0123456789" for char in text)
        if _QUOTED.sub(lambda m: _mask_quoted(m, named=False), text) != text:
            assert digits >= 7

    def test_a_turkish_i_still_masks(self) -> None:
        assert mask_text("mob\u0130le: 4915112345678") == "mob\u0130le: '***78'"
