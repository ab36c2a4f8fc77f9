"""Names and descriptions are one line of printable text, by Unicode category (issue 9, item 15)."""

from __future__ import annotations

import re
import time
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.qualifiers.verdict import UNSAFE_TEXT, escape_text

UNSAFE = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
unsafe_chars = st.characters(categories=["Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"])
safe_text = st.text(
    st.characters(exclude_categories=["Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"]),
    min_size=1,
    max_size=20,
).filter(lambda t: t.strip() != "")


@given(before=safe_text, char=unsafe_chars)
@example(before="Budget", char="\ud800")  # lone surrogate: printing it raised UnicodeEncodeError
@example(before="Budget", char="\u200f")  # RTL mark
@example(before="Budget", char="\u200b")  # zero-width space
@example(before="Budget", char="\ufeff")  # BOM
@example(before="Budget", char="\u00ad")  # soft hyphen
def test_unsafe_names_are_refused_in_constructors_and_documents(before: str, char: str) -> None:
    name = before + char
    with pytest.raises(pk.QualifierError, match="one line of printable text"):
        (pk.field("a") == 1).named(name)
    with pytest.raises(pk.QualifierError, match="one line of printable text"):
        (pk.field("a") == 1).named("ok", description=name)
    document = pk.to_dict((pk.field("a") == 1).named("ok"))
    assert isinstance(document, dict)
    with pytest.raises(pk.SchemaError) as caught:
        pk.from_dict({**document, "name": name}, pk.Qualifier)
    assert caught.value.path.endswith("name")


@given(name=safe_text)
def test_safe_names_are_kept_and_print(name: str) -> None:
    qualifier = (pk.field("a") == 1).named(name)
    assert qualifier.name == name
    text = str(qualifier.evaluate({"a": 1}))
    text.encode("utf-8")  # never a lone surrogate


@given(text=st.text(max_size=30))
def test_escaped_text_has_no_unsafe_character(text: str) -> None:
    escaped = escape_text(text)
    assert UNSAFE_TEXT.search(escaped) is None
    assert all(unicodedata.category(c) not in UNSAFE for c in escaped)
    escaped.encode("utf-8")


@pytest.mark.parametrize(
    "pattern",
    ["a{99999999999999999999}", "a{4294967296}", "(" * 499 + "a" + ")" * 499],
)
def test_hostile_patterns_are_qualifier_errors(pattern: str) -> None:
    with pytest.raises(pk.QualifierError, match="bad regular expression"):
        pk.field("a").matches(pattern)
    document = {"kind": "matches", "path": "a", "pattern": pattern}
    with pytest.raises(pk.SchemaError) as caught:
        pk.from_dict(document, pk.Qualifier)
    assert caught.value.path != "$"


@pytest.mark.parametrize(
    "pattern",
    ["(a+)+$", "(a|a)*$", "(a|aa)+$", "(.*a){20}", r"^(\w+\s?)*$", "(a*)*b", r"^(\d+)+$"],
)
def test_catastrophic_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(pk.QualifierError, match="unsafe regular expression"):
        pk.field("a").matches(pattern)
    with pytest.raises(pk.SchemaError) as caught:
        pk.from_dict({"kind": "matches", "path": "a", "pattern": pattern}, pk.Qualifier)
    assert caught.value.path.endswith("pattern")


@given(st.lists(st.sampled_from(["a", "(", ")", "|", "+", "*", "?", ".", "$", "{2}"]), max_size=12))
def test_accepted_patterns_run_in_bounded_time(parts: list[str]) -> None:
    pattern = "".join(parts)
    try:
        pk.field("a").matches(pattern)
    except pk.QualifierError:
        return
    start = time.perf_counter()
    re.search(pattern, "a" * 25 + "!")
    assert time.perf_counter() - start < 0.5
