"""The JSON Schemas ``pk.json_schema`` publishes are the stored ones (tests/schemas/*.json).

Each stored file is the whole schema, so every keyword, pattern, bound and reference is
pinned: a change fails here until ``python -m tests.schemas.snapshot --update`` and a
CHANGELOG.md entry record it on purpose.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

import pipelinekit as pk
from tests.schemas import snapshot


@pytest.mark.parametrize("name", sorted(snapshot.TARGETS))
def test_the_schema_is_the_stored_one(name: str) -> None:
    stored = json.loads(snapshot.path(name).read_text(encoding="utf-8"))
    assert pk.json_schema(snapshot.TARGETS[name]) == stored, (
        f"pk.json_schema({name}) changed: if on purpose, run "
        "`python -m tests.schemas.snapshot --update` and say so in CHANGELOG.md"
    )


def _refs(schema: Any) -> list[str]:
    if isinstance(schema, dict):
        return [v for k, v in schema.items() if k == "$ref"] + [
            r for v in schema.values() for r in _refs(v)
        ]
    if isinstance(schema, list):
        return [r for v in schema for r in _refs(v)]
    return []


#: The schemas that refer to definitions (the others hold no nested entity or node).
WITH_REFERENCES = ("Account", "Contact", "Opportunity", "Qualifier", "Verdict")


@pytest.mark.parametrize("name", WITH_REFERENCES)
def test_a_ref_template_changes_the_references_and_nothing_else(name: str) -> None:
    default = pk.json_schema(snapshot.TARGETS[name])
    openapi = pk.json_schema(snapshot.TARGETS[name], ref_template="#/components/schemas/{name}")
    assert _refs(default), f"{name} has no references to rewrite"
    assert "$defs" in default
    assert all(r.startswith("#/$defs/") for r in _refs(default))
    assert [r.removeprefix("#/components/schemas/") for r in _refs(openapi)] == [
        r.removeprefix("#/$defs/") for r in _refs(default)
    ]
    rewritten = re.sub(r'"#/components/schemas/', '"#/$defs/', json.dumps(openapi))
    assert json.loads(rewritten) == default


def test_the_script_reports_no_difference() -> None:
    assert snapshot.main([]) == 0


@pytest.mark.parametrize("name", sorted(set(snapshot.TARGETS) - set(WITH_REFERENCES)))
def test_schemas_without_references_ignore_the_template(name: str) -> None:
    cls = snapshot.TARGETS[name]
    assert pk.json_schema(cls, ref_template="#/components/schemas/{name}") == pk.json_schema(cls)
