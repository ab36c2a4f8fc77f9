"""Every ``_repr_html_`` escapes its text: markup in the data shows as text, never runs.

Each repr is parsed as a browser would parse it: only the tags the repr itself writes may
appear, no event-handler attribute, and the hostile text is there, as text.
"""

from __future__ import annotations

import html

import pytest

import pipelinekit as pk
from tests.display.helpers import IMG, NOW, SCRIPT, hostile_contact
from tests.display.pages import ALLOWED_TAGS, Parsed, hostile_qualifier, reprs

REPRS = reprs()


@pytest.mark.parametrize("name", sorted(REPRS))
class TestEscaped:
    def test_only_own_tags(self, name: str) -> None:
        """No tag or attribute from the data: no ``<img>``, ``<script>`` or ``on...=``."""
        parsed = Parsed(REPRS[name])
        assert set(parsed.tags) <= ALLOWED_TAGS
        assert [a for a in parsed.attributes if a.startswith("on")] == []
        assert set(parsed.attributes) <= {"class", "style", "colspan"}

    def test_hostile_text_is_text(self, name: str) -> None:
        """The markup reads as written, in the parsed text."""
        text = Parsed(REPRS[name]).text
        assert IMG in text or SCRIPT in text, text


class TestEachRepr:
    def test_verdict(self) -> None:
        """Label, reason and hint are escaped (a reason quotes the hostile value)."""
        text = hostile_qualifier().evaluate(hostile_contact(), at=NOW)._repr_html_()
        assert html.escape(SCRIPT) in text
        assert "<script" not in text
        assert "&lt;img src=x onerror" in text

    def test_verdict_built_by_hand(self) -> None:
        """A verdict loaded from a document is escaped the same way."""
        verdict = pk.Verdict(outcome=pk.Outcome.FAIL, label=IMG, reason=SCRIPT, hint=IMG)
        text = verdict._repr_html_()
        assert "<img" not in text
        assert "<script" not in text
        assert Parsed(text).text.count(IMG) == 2

    def test_checklist(self) -> None:
        text = hostile_qualifier().checklist()._repr_html_()
        assert SCRIPT in Parsed(text).text
        assert "Hostile &lt;ICP&gt;" in text

    def test_score_caption_and_cells(self) -> None:
        """The rule label (a hostile qualifier name) and the grade are escaped."""
        text = REPRS["score"]
        assert "<script" not in text
        assert html.escape(SCRIPT) in text

    def test_grade(self) -> None:
        assert html.escape(SCRIPT) in REPRS["grade"]

    def test_metric_tables(self) -> None:
        """Cells (a group from a hostile source, a lost reason, an id) are escaped."""
        assert html.escape(IMG) in REPRS["funnel"]
        assert html.escape(SCRIPT) in REPRS["lost_reasons"]
        assert html.escape(IMG) in REPRS["stale"]
