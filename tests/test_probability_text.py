"""``Opportunity.probability`` reads plain ASCII decimal text only (``_checks.to_probability``)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk

_PLAIN = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?", re.ASCII)


def _decimal_reads(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


@given(
    text=st.text(
        alphabet=st.sampled_from("0123456789.-+eE_ \t\u0660\u0665\u06f5\u0966\uff15"), max_size=8
    )
)
@example(text=" 0.5 ")
@example(text="0.5_0")
@example(text="\u0660.\u0665")  # Arabic-Indic digits: Decimal() reads 0.5
@example(text="\uff10.\uff15")  # full-width digits
@example(text="NaN")
@example(text="Infinity")
def test_only_plain_decimal_text_is_a_probability(text: str) -> None:
    """Text Decimal() reads but a person would not write is refused, in both entry points."""
    plain = _PLAIN.fullmatch(text) is not None and 0 <= Decimal(text) <= 1
    if plain:
        assert pk.Opportunity(probability=text).probability == Decimal(text)
        assert pk.from_dict({"probability": text}, pk.Opportunity).probability == Decimal(text)
        return
    with pytest.raises(pk.FieldValueError, match=r"^probability: "):
        pk.Opportunity(probability=text)
    with pytest.raises(pk.SchemaError) as info:
        pk.from_dict({"probability": text}, pk.Opportunity)
    assert info.value.path == "$.probability"


@pytest.mark.parametrize("text", [" 0.5 ", "0.5_0", "\u0660.\u0665"])
def test_the_issue_reproductions(text: str) -> None:
    assert _decimal_reads(text)  # what Decimal() alone would have accepted
    with pytest.raises(pk.FieldValueError, match=r"not a decimal number"):
        pk.Opportunity(probability=text)
    with pytest.raises(pk.SchemaError, match=r"^\$\.probability: "):
        pk.from_dict({"probability": text}, pk.Opportunity)
    with pytest.raises(pk.SchemaError, match=r"^\$: "):
        pk.from_dict(text, Decimal)
