"""A str where a collection is expected is refused everywhere, never split into letters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

import pipelinekit as pk
from pipelinekit._checks import not_text

loose: Any = pk  # the package, untyped: to pass wrong types on purpose
NOW = datetime(2026, 11, 22, tzinfo=UTC)

CASES: list[tuple[str, Callable[[], object], type[Exception]]] = [
    (
        "PipelineSpec.stages",
        lambda: loose.PipelineSpec(stages="ab", transitions=[]),
        pk.InvalidPipeline,
    ),
    (
        "PipelineSpec.transitions",
        lambda: loose.PipelineSpec(stages=["a"], transitions="ab"),
        pk.InvalidPipeline,
    ),
    ("Contact.pains", lambda: loose.Contact(id="c", name="n", pains="cost"), pk.FieldTypeError),
    ("Opportunity.competitors", lambda: loose.Opportunity(competitors="acme"), pk.FieldTypeError),
    ("Contact.history", lambda: loose.Contact(id="c", name="n", history="x"), pk.FieldTypeError),
    ("is_in", lambda: pk.field("a").is_in("ab"), pk.QualifierError),
    ("not_in", lambda: pk.field("a").not_in("ab"), pk.QualifierError),
    ("is_in bytes", lambda: pk.field("a").is_in(b"ab"), pk.QualifierError),
    (
        "IdealCustomerProfile.industries",
        lambda: loose.frameworks.IdealCustomerProfile(industries="software"),
        pk.QualifierError,
    ),
    (
        "IdealCustomerProfile.countries",
        lambda: loose.frameworks.IdealCustomerProfile(countries="DE"),
        pk.QualifierError,
    ),
    ("Qualifier.filter", lambda: (pk.field("a") == 1).filter("abc"), pk.QualifierError),
    (
        "composite filter",
        lambda: ((pk.field("a") == 1) & (pk.field("b") == 1)).filter("abc"),
        pk.QualifierError,
    ),
    (
        "advance_many",
        lambda: pk.Pipeline().advance_many(loose.__name__, "qualify", at=NOW),
        pk.FieldTypeError,
    ),
    ("weighted", lambda: loose.weighted("ab", threshold=1), pk.QualifierError),
]


#: Where the message is the shared helper's (the others keep their own words).
HELPER_WORDS = {"PipelineSpec.stages", "PipelineSpec.transitions", "advance_many"}
HELPER_WORDS |= {"Qualifier.filter", "composite filter", "IdealCustomerProfile.industries"}
HELPER_WORDS |= {"IdealCustomerProfile.countries"}


@pytest.mark.parametrize(("where", "call", "error"), CASES, ids=[c[0] for c in CASES])
def test_text_is_refused(where: str, call: Callable[[], object], error: type[Exception]) -> None:
    match = "a str is not a collection" if where in HELPER_WORDS else None
    with pytest.raises(error, match=match):
        call()


def test_helper_message_says_how_to_wrap() -> None:
    assert not_text("ab", "a list") == (
        "expected a list, got str 'ab' (a str is not a collection: wrap it, ['ab'])"
    )
    assert not_text(("ab",), "a list") is None
    assert not_text(b"ab", "a list") is not None
