"""Verdict documents: JSON out for APIs and audit logs, and strictly back in."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given

import pipelinekit as pk
from pipelinekit.qualifiers import Node
from pipelinekit.qualifiers.verdict_schema import MAX_VERDICT_DEPTH
from tests.qualifiers.strategies import AT
from tests.qualifiers.test_lazy_verdicts import contact_qualifiers
from tests.strategies import contacts


def node(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "outcome": "fail",
        "label": "l",
        "reason": "r",
        "children": [],
        "path": None,
        "hint": None,
        "negated": False,
        "error": None,
    }
    doc.update(changes)
    return doc


class TestRoundTrip:
    @given(contact_qualifiers, contacts)
    def test_verdicts_round_trip_through_json(self, q: Node, contact: pk.Contact) -> None:
        """Every verdict, lazy or not, survives to_dict → JSON → from_dict unchanged."""
        verdict = q.evaluate(contact, at=AT)
        document = json.loads(json.dumps(pk.to_dict(verdict)))
        assert document["schema_version"] == pk.SCHEMA_VERSION
        back = pk.from_dict(document, pk.Verdict)
        assert back == verdict
        assert back.missing() == verdict.missing()

    def test_nested_in_other_documents(self) -> None:
        """A NextAction's verdict becomes plain JSON too."""
        action = pk.Pipeline().next_action(pk.Contact(id="c", name="n"), at=AT)
        document = pk.to_dict(action)
        assert document["verdict"]["outcome"] == "pass"
        json.dumps(document)


class TestRefusals:
    @pytest.mark.parametrize(
        ("document", "path"),
        [
            (None, "$"),
            (node(outcome="maybe"), "$.outcome"),
            (node(label=3), "$.label"),
            (node(path=["a"]), "$.path"),
            (node(negated="no"), "$.negated"),
            (node(children={}), "$.children"),
            (node(children=[node(reason=None)]), "$.children[0].reason"),
            (node(extra=1), "$"),
            ({k: v for k, v in node().items() if k != "hint"}, "$.hint"),
        ],
    )
    def test_schema_errors_name_the_place(self, document: object, path: str) -> None:
        with pytest.raises(pk.SchemaError) as info:
            pk.from_dict(document, pk.Verdict)
        assert info.value.path == path

    def test_deep_documents_are_refused_not_recursed(self) -> None:
        document = node()
        for _ in range(MAX_VERDICT_DEPTH + 5_000):
            document = node(children=[document])
        with pytest.raises(pk.SchemaError, match="deeper than"):
            pk.from_dict(document, pk.Verdict)
