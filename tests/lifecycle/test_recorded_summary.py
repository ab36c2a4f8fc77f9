"""The verdict text a guarded change records is cut at 120 characters (issue 8: a mutant)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import pipelinekit as pk

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def recorded(label: str) -> str | None:
    guard = (pk.field("facts.fit") == True).named(label)  # noqa: E712  # builds a qualifier
    contact = pk.Contact(id="c", name="n", facts={"fit": True})
    return pk.Pipeline(guards={"qualify": guard}).advance(contact, "qualify", at=NOW).change.verdict


class TestRecordedSummary:
    @pytest.mark.parametrize("length", [1, 119, 120])
    def test_short_labels_are_kept_whole(self, length: int) -> None:
        label = "x" * length
        assert recorded(label) == f"PASS {label}"

    @pytest.mark.parametrize("length", [121, 200])
    def test_long_labels_are_cut_to_120(self, length: int) -> None:
        label = "".join(chr(ord("a") + i % 26) for i in range(length))
        text = recorded(label)
        assert text == f"PASS {label[:119]}…"
        assert len(text) == len("PASS ") + 120
