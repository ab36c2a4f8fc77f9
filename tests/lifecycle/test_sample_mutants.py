"""Tests that kill the sampled mutants of pipelinekit.lifecycle that survived the suite.

A pickled pipeline keeps its whole policy: ``allow_skips`` as well as ``forward_only``.
"""

from __future__ import annotations

import pickle

import pytest

import pipelinekit as pk


class TestPickledPolicy:
    """A pipeline read back from a pickle has the same repr and fires the same events."""

    @pytest.mark.parametrize("forward_only", [False, True])
    def test_allow_skips_survives_pickling(self, forward_only: bool) -> None:
        pipeline = pk.Pipeline(forward_only=forward_only, allow_skips=True)
        restored = pickle.loads(pickle.dumps(pipeline))
        assert repr(restored) == repr(pipeline)
        assert repr(restored).endswith("allow_skips=True>")
        lead = pk.Contact(id="c-1", name="Jane", stage="lead")
        assert restored.possible_events(lead) == {"qualify", "disqualify", "convert", "win"}


class TestPipelineArguments:
    def test_a_spec_that_is_not_one_is_refused_by_name(self) -> None:
        with pytest.raises(pk.FieldTypeError, match="expected PipelineSpec, got int") as caught:
            pk.Pipeline(spec=5)  # type: ignore[arg-type]
        assert caught.value.field == "spec"


class TestFrozenModel:
    """Binding a frozen object says what to do instead, whole (sample 2027)."""

    def test_the_whole_refusal(self) -> None:
        with pytest.raises(pk.FieldTypeError) as info:
            pk.Pipeline().machine_class(model=pk.Contact(id="c", name="n"), state_field="stage")
        assert info.value.field == "model"
        assert str(info.value) == (
            "model: expected a mutable object, got a frozen Contact: the machine assigns its"
            " state field; advance a Contact with Pipeline.advance, or bind a mutable object"
            " of your own"
        )


class TestFinalOpenStage:
    def test_the_whole_refusal(self) -> None:
        with pytest.raises(pk.InvalidPipeline) as info:
            pk.PipelineSpec(
                name="X",
                stages=[pk.StageSpec("a"), pk.StageSpec("b", final=True, outcome="open")],
                transitions=[pk.Transition("go", "a", "b")],
            )
        assert str(info.value) == (
            "stage 'b': a final stage must be closed: give it outcome='won', 'lost' or"
            " 'disqualified' (no event leaves it, so it cannot be open)"
        )


class TestGuardDocuments:
    """A guard's own schema_version is checked and shown when refused (sample 2027)."""

    def test_a_guard_of_another_version_is_refused_showing_it(self) -> None:
        guard = {**pk.to_dict(pk.field("fit") == True), "schema_version": "1"}  # noqa: E712
        document = {
            "stages": ["lead", {"name": "won", "final": True, "outcome": "won"}],
            "transitions": [{"event": "win", "sources": "lead", "target": "won"}],
            "guards": {"win": guard},
        }
        with pytest.raises(pk.SchemaError) as info:
            pk.PipelineSpec.from_dict(document)
        assert info.value.path == "$.guards.win.schema_version"
        assert info.value.problem == "unsupported schema_version str '1'; this pipelinekit reads 1"


class TestProbabilityText:
    def test_a_probability_that_is_no_number(self) -> None:
        with pytest.raises(pk.InvalidPipeline) as info:
            pk.StageSpec("a", probability="abc")
        assert str(info.value) == (
            "probability not a decimal number: 'abc' (write ASCII digits with an optional"
            " decimal point, as in '0.25')"
        )
