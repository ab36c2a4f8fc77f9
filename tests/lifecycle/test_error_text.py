"""Issue 9 item 18: lifecycle error messages stay one line, whatever the input holds.

``InvalidPipeline`` and ``InvalidTransition`` write the unsafe characters of the names and
values they quote (newlines, controls, bidirectional overrides, zero-width characters) as
escapes, with the one rule ``InvalidHistory`` and explanations use
(``pipelinekit._text.escape_text``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit._text import UNSAFE_TEXT

NOW = datetime(2026, 12, 1, tzinfo=UTC)
FORGED = "x\nINFO all good\u202e"


class Loud:
    """An object whose repr holds a forged log line."""

    def __repr__(self) -> str:
        return FORGED


def one_line(text: str) -> bool:
    return UNSAFE_TEXT.search(text) is None


class TestInvalidPipeline:
    def test_sources_of_a_strange_type(self) -> None:
        with pytest.raises(pk.InvalidPipeline) as caught:
            pk.Transition("go", Loud(), "t")  # type: ignore[arg-type]
        assert one_line(str(caught.value))
        assert "x\\nINFO all good\\u202e" in str(caught.value)

    def test_guards_of_a_strange_type(self) -> None:
        with pytest.raises(pk.InvalidPipeline) as caught:
            pk.PipelineSpec(
                stages=pk.DEFAULT_SPEC.stages,
                transitions=pk.DEFAULT_SPEC.transitions,
                guards=Loud(),  # type: ignore[arg-type]
            )
        assert one_line(str(caught.value))

    @given(text=st.text(max_size=30))
    @example(text=FORGED)
    def test_any_message(self, text: str) -> None:
        assert one_line(str(pk.InvalidPipeline(f"stage {text} is odd")))

    def test_safe_text_is_unchanged(self) -> None:
        assert str(pk.InvalidPipeline("stage 'Café ✓' is odd")) == "stage 'Café ✓' is odd"


class TestInvalidTransition:
    def test_message_from_a_document(self) -> None:
        """A stored InvalidTransition (in a BulkResult document) cannot forge a line."""
        error = pk.from_dict(
            {"event": "win", "stage": "lead", "allowed": [], "message": FORGED},
            pk.InvalidTransition,
        )
        assert one_line(str(error))
        assert str(error) == "x\\nINFO all good\\u202e"

    @given(event=st.text(max_size=20), stage=st.text(max_size=20), message=st.text(max_size=20))
    def test_any_message(self, event: str, stage: str, message: str) -> None:
        assert one_line(str(pk.InvalidTransition(event, stage)))
        assert one_line(str(pk.InvalidTransition(event, stage, message=message)))

    def test_escaping_twice_changes_nothing(self) -> None:
        """A document written from an escaped message reads back equal."""
        error = pk.InvalidTransition("win", "lead", message=FORGED)
        back = pk.from_dict(pk.to_dict(error), pk.InvalidTransition)
        assert str(back) == str(error)

    def test_from_the_pipeline(self) -> None:
        pipeline = pk.Pipeline()
        contact = pk.Contact(id="c", name="n", stage="lead")
        with pytest.raises(pk.InvalidTransition) as caught:
            pipeline.advance(contact, "win\nINFO ok", at=NOW)
        assert one_line(str(caught.value))
        assert caught.value.event == "win\nINFO ok"  # the attribute keeps the value itself


class TestSpecDocumentsMaskPersonalData:
    """SchemaErrors raised by the spec reader itself mask personal data, as pk.from_dict does."""

    @pytest.mark.parametrize(
        ("document", "hidden"),
        [
            (
                {"stages": ["jane.roe@acme.example", {"name": "won", "final": True}]},
                "jane.roe@acme.example",
            ),
            ({"name": "+1 415 555 0100", "stages": ["a"]}, "415 555"),
            ({"stages": ["a", {"name": "b", "label": 5, "phone": "+44 20 7946 0958"}]}, "7946"),
        ],
    )
    def test_both_readers_mask_alike(self, document: dict[str, object], hidden: str) -> None:
        document = {"transitions": [], **document}
        with pytest.raises(pk.SchemaError) as direct:
            pk.PipelineSpec.from_dict(document)
        with pytest.raises(pk.SchemaError) as library:
            pk.from_dict(document, pk.PipelineSpec)
        assert hidden not in str(direct.value)
        assert str(direct.value) == str(library.value)

    def test_a_stage_document(self) -> None:
        with pytest.raises(pk.SchemaError) as caught:
            pk.from_dict("jane.roe@acme.example", pk.StageSpec)
        assert "jane.roe" not in str(caught.value)
        assert "j***@acme.example" in str(caught.value)
