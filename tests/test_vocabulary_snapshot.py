"""Every vendor table, field by field, is the stored one (tests/vocabularies.json).

The tables are data a CRM integration depends on: the vendors' picklist values, labels,
field names and sources, and how each row reads as a pipelinekit stage (with the note of a
lossy one). tests/test_vocabularies.py checks the values against the vendors' documentation;
this file pins every other field too, so no change goes unnoticed. After a change on
purpose: ``python -m tests.test_vocabulary_snapshot --update``, and a CHANGELOG.md entry.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, cast

import attrs

from pipelinekit import vocabularies as voc

STORED = Path(__file__).with_name("vocabularies.json")


def _plain(value: object) -> Any:
    if attrs.has(type(value)):
        fields = attrs.fields(cast("type[attrs.AttrsInstance]", type(value)))
        return {f.name: _plain(getattr(value, f.name)) for f in fields}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    return repr(value)  # a pipeline spec, say: its repr is the call that builds it


def current() -> dict[str, Any]:
    """Every table of every system, in order, as plain JSON values."""
    return {system: [_plain(table) for table in voc.tables(system)] for system in voc.SYSTEMS}


def test_every_table_is_the_stored_one() -> None:
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    assert current() == stored, (
        "a vocabulary table changed: if on purpose, run "
        "`python -m tests.test_vocabulary_snapshot --update` and say so in CHANGELOG.md"
    )


def test_the_snapshot_holds_every_row() -> None:
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    rows = sum(len(table["terms"]) for tables in stored.values() for table in tables)
    assert rows == sum(len(t.terms) for s in voc.SYSTEMS for t in voc.tables(s)) > 30


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    STORED.write_text(json.dumps(current(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
