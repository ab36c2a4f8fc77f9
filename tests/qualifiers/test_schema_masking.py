"""SchemaErrors of the qualifier loader mask personal data, whoever calls the loader.

The loader raises its SchemaErrors directly: ``pk.from_dict`` masked them afterwards, but
``PipelineSpec.from_dict`` (guards) and a direct call did not, and neither knew that a
criterion value belongs to the field the leaf reads (``{"path": "phone", "value": [...]}``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import pipelinekit as pk
from pipelinekit.qualifiers import schema

PHONE = 4915112345678
EMAIL = "jane.roe@acme.example"


def _guard(doc: dict[str, Any]) -> pk.PipelineSpec:
    spec = pk.to_dict(pk.Pipeline().spec)
    assert isinstance(spec, dict)
    return pk.PipelineSpec.from_dict({**spec, "guards": {"qualify": doc}})


LOADERS: dict[str, Callable[[dict[str, Any]], object]] = {
    "from_dict": lambda doc: pk.from_dict(doc, pk.Qualifier),
    "loader": schema.structure,
    "guard of a spec": _guard,
    "guard through from_dict": lambda doc: pk.from_dict(
        {**pk.to_dict(pk.Pipeline().spec), "guards": {"qualify": doc}},
        pk.PipelineSpec,
    ),
}
CASES = [
    (
        "phone as an int in a list",
        {"kind": "compare", "path": "phone", "op": "==", "value": [PHONE]},
        "got list [***78]",
    ),
    (
        "phone in a nested list",
        {"kind": "in", "path": "contact.work_phone", "values": [[PHONE]]},
        "got list [***78]",
    ),
    (
        "phone-shaped decimal",
        {"kind": "compare", "path": "mobile", "op": "==", "value": {"decimal": f"{PHONE}x"}},
        "{'decimal': '***78'}",
    ),
    (
        "phone as a Money amount",
        {
            "kind": "compare",
            "path": "phone",
            "op": "==",
            "value": {"amount": "+49 151 1234567", "currency": "EUR"},
        },
        "not a decimal number: '***67'",
    ),
    (
        "email as a date",
        {"kind": "compare", "path": "email", "op": "==", "value": {"date": EMAIL}},
        "Invalid isoformat string: 'j***@acme.example'",
    ),
    (
        "email as a currency, any field",
        {"kind": "in", "path": "note", "values": [{"amount": "1", "currency": EMAIL}]},
        "got 'j***@acme.example'",
    ),
]


@pytest.mark.parametrize("load", LOADERS.values(), ids=LOADERS.keys())
@pytest.mark.parametrize(("doc", "shown"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_personal_values_are_masked(
    load: Callable[[dict[str, Any]], object], doc: dict[str, Any], shown: str
) -> None:
    with pytest.raises(pk.SchemaError) as caught:
        load(doc)
    message = str(caught.value)
    assert shown in message
    assert str(PHONE) not in message
    assert EMAIL not in message
    assert "1234567" not in message


@pytest.mark.parametrize("load", LOADERS.values(), ids=LOADERS.keys())
def test_other_text_of_the_message_is_kept(load: Callable[[dict[str, Any]], object]) -> None:
    """Only the values are masked: the format's own words and numbers stay readable."""
    doc = {"kind": "in", "path": "phone", "values": [{"amount": "1", "currency": "EURO"}]}
    with pytest.raises(pk.SchemaError) as caught:
        load(doc)
    assert "expected an ISO 4217 code of three upper-case letters, got 'EURO'" in str(caught.value)
    long = {"kind": "in", "path": "work_phone", "values": [PHONE, "x" * 1001]}
    with pytest.raises(pk.SchemaError) as caught:
        load(long)
    assert "value is longer than 1000 characters" in str(caught.value)
    op = {"kind": "compare", "path": "phone", "op": "=>", "value": 1}
    with pytest.raises(pk.SchemaError) as caught:
        load(op)
    assert "unknown operator '=>'; expected one of '==', '!='" in str(caught.value)


@pytest.mark.parametrize("load", LOADERS.values(), ids=LOADERS.keys())
def test_an_int_too_large_to_render_is_still_refused_at_its_path(
    load: Callable[[dict[str, Any]], object],
) -> None:
    """Masking must not render values: Python cannot print an int of over 4,300 digits."""
    doc = {"kind": "in", "path": "phone", "values": [PHONE, 10**5000]}
    with pytest.raises(pk.SchemaError) as caught:
        load(doc)
    assert caught.value.path.endswith("values[1]")
    assert "more than 100 digits" in caught.value.problem
