"""Every document an earlier version wrote keeps loading, to the same value.

``tests/documents/<version>/`` holds one document of each kind as that version's
``pk.to_dict`` wrote it (made by ``tests/documents/make.py``; the 0.1.0 ones from the tag's
source). Today's code must read all of them, and read each old document to the same value as
the current version's document of the same name; the current version's documents are
written today exactly as stored, so a change to a format shows up here (and needs a new
``schema_version`` if old readers could misread it, docs/versioning.md).
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

import pipelinekit as pk
from tests.documents import make

HERE = Path(__file__).parent
CURRENT = "0.2.0"
STORED = sorted(HERE.glob("*/*.json"))


def _load(path: Path) -> tuple[Any, Any]:
    stored = json.loads(path.read_text(encoding="utf-8"))
    return stored["document"], getattr(pk, stored["class"])


def test_every_version_is_stored() -> None:
    versions = {path.parent.name for path in STORED}
    assert {"0.1.0", CURRENT} <= versions
    assert {path.stem for path in STORED if path.parent.name == CURRENT} == set(make.DOCUMENTS)


@pytest.mark.parametrize("path", STORED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_stored_document_loads_to_todays_value(path: Path) -> None:
    document, cls = _load(path)
    loaded = pk.from_dict(document, cls)
    current, _ = _load(HERE / CURRENT / path.name)
    assert loaded == pk.from_dict(current, cls)


@pytest.mark.parametrize("name", sorted(make.DOCUMENTS))
def test_todays_documents_are_written_as_stored(name: str) -> None:
    build, _ = make.DOCUMENTS[name]
    document, _ = _load(HERE / CURRENT / f"{name}.json")
    assert json.loads(json.dumps(pk.to_dict(build()))) == document


def test_an_old_spec_document_is_version_1_and_reads_as_version_2() -> None:
    old, cls = _load(HERE / "0.1.0" / "pipeline_spec.json")
    assert old["schema_version"] == 1
    assert pk.to_dict(pk.from_dict(old, cls))["schema_version"] == 2


def test_a_verdict_pickled_by_0_1_0_unpickles_to_todays_value() -> None:
    """0.1.0 pickled a verdict as its fields (``_restore``); today's code still reads that.

    ``0.1.0/verdict.pickle`` was written by the tag's source (``git archive v0.1.0 src``):
    ``pickle.dumps(((field("a") > 1).named("A") & (field("b") == "x").named("B"))
    .evaluate({"a": 2, "b": "y"}), protocol=4)``.
    """
    data = (HERE / "0.1.0" / "verdict.pickle").read_bytes()
    assert b"_restore" in data  # the old form, not today's preorder one
    q = (pk.field("a") > 1).named("A") & (pk.field("b") == "x").named("B")
    restored = pickle.loads(data)  # our own stored file
    assert restored == q.evaluate({"a": 2, "b": "y"})
    assert [v.name for v in restored.children] == ["A", "B"]
    assert restored.children[1].hint == "b == 'x'"
