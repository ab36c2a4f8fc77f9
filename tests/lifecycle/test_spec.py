"""Pipeline definitions: the default spec, custom pipelines, and clear errors for bad ones."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

import pipelinekit as pk
from tests.lifecycle.guards import NOW, FactGuard, contact

loose: Any = pk  # the package, untyped: to pass wrong types on purpose


def spec(**changes: Any) -> pk.PipelineSpec:
    """A small valid pipeline, with ``changes`` applied."""
    fields: dict[str, Any] = {
        "stages": ["new", "nurture", pk.StageSpec("won", final=True)],
        "transitions": [
            pk.Transition("park", "new", "nurture"),
            pk.Transition("wake", "nurture", "new"),
            pk.Transition("win", ("new", "nurture"), "won"),
        ],
    }
    fields.update(changes)
    return pk.PipelineSpec(**fields)


class TestDefaultSpec:
    def test_events(self) -> None:
        assert pk.DEFAULT_SPEC.events == (
            "qualify",
            "convert",
            "win",
            "lose",
            "disqualify",
            "recycle",
        )
        assert pk.DEFAULT_SPEC.initial == "lead"

    def test_reasons(self) -> None:
        required = {t.event for t in pk.DEFAULT_SPEC.transitions if t.reason_required}
        assert required == {"lose", "disqualify"}

    def test_stage_metadata_matches_stage_enum(self) -> None:
        for stage in pk.DEFAULT_SPEC.stages:
            member = pk.Stage(stage.name)
            assert stage.probability == member.default_probability
            assert stage.final == member.is_terminal

    def test_lookup(self) -> None:
        assert pk.DEFAULT_SPEC.stage("prospect").action == "discovery"
        assert pk.DEFAULT_SPEC.transition("lose").target == "lost"
        with pytest.raises(pk.InvalidPipeline, match="unknown stage"):
            pk.DEFAULT_SPEC.stage("nowhere")
        with pytest.raises(pk.InvalidPipeline, match="unknown event"):
            pk.DEFAULT_SPEC.transition("teleport")


class TestCustomPipeline:
    def test_nurture_stage(self) -> None:
        """Custom pipelines advance contacts whose stage is a plain string."""
        pipeline = pk.Pipeline(spec=spec())
        step = pipeline.advance(contact("new"), "park", at=NOW)
        assert step.contact.stage == "nurture"
        assert pipeline.advance(step.contact, "win", at=NOW).contact.stage == "won"

    def test_deal_substages_with_probabilities(self) -> None:
        deals = pk.PipelineSpec(
            name="Deals",
            stages=[
                pk.StageSpec("discovery", probability="0.1"),
                pk.StageSpec("proposal", probability=Decimal("0.5")),
                pk.StageSpec("negotiation", probability="0.8"),
                pk.StageSpec("won", final=True, probability=1),
                pk.StageSpec("lost", final=True, probability=0),
            ],
            transitions=[
                pk.Transition("propose", "discovery", "proposal"),
                pk.Transition("negotiate", "proposal", "negotiation"),
                pk.Transition("close_won", "negotiation", "won"),
                pk.Transition(
                    "close_lost",
                    ("discovery", "proposal", "negotiation"),
                    "lost",
                    reason_required=True,
                ),
            ],
        )
        assert [s.probability for s in deals.stages] == [
            Decimal("0.1"),
            Decimal("0.5"),
            Decimal("0.8"),
            Decimal(1),
            Decimal(0),
        ]
        pipeline = pk.Pipeline(spec=deals)
        assert pipeline.possible_events(contact("proposal")) == {"negotiate", "close_lost"}
        assert pipeline.machine_class.__name__ == "DealsMachine"

    def test_guards_in_spec_and_pipeline(self) -> None:
        """Guards given to Pipeline add to the spec's, and replace them for the same event."""
        first, second, third = FactGuard("a"), FactGuard("b"), FactGuard("c")
        pipeline = pk.Pipeline(
            guards={"win": second, "wake": third}, spec=spec(guards={"win": first, "park": first})
        )
        assert dict(pipeline.guards) == {"win": second, "park": first, "wake": third}

    def test_from_dict(self) -> None:
        document = {
            "name": "Nurture",
            "stages": [
                "new",
                {"name": "nurture", "action": "send content"},
                {"name": "won", "final": True},
            ],
            "transitions": [
                {"event": "park", "sources": "new", "target": "nurture"},
                {"event": "wake", "sources": ["nurture"], "target": "new"},
                {
                    "event": "win",
                    "sources": ["new", "nurture"],
                    "target": "won",
                    "reason_required": False,
                },
            ],
        }
        loaded = pk.PipelineSpec.from_dict(document)
        assert loaded == spec(
            name="Nurture",
            stages=[
                "new",
                pk.StageSpec("nurture", action="send content"),
                pk.StageSpec("won", final=True),
            ],
        )

    @pytest.mark.parametrize(
        ("document", "message"),
        [
            ([], "must be a mapping"),
            ({"stages": [], "transitions": [], "extra": 1}, "unknown keys"),
            ({"stages": [{"final": True}], "transitions": []}, "lacks name"),
            ({"stages": ["a"], "transitions": [{"event": "x"}]}, "lacks sources, target"),
            ({"stages": [{"name": "a", "colour": "red"}], "transitions": []}, "bad pipeline"),
            ({"stages": ["a"], "transitions": ["x"]}, "must be a mapping"),
        ],
    )
    def test_from_dict_errors(self, document: Any, message: str) -> None:
        with pytest.raises(pk.InvalidPipeline, match=message):
            pk.PipelineSpec.from_dict(document)


class TestBadDefinitions:
    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"stages": []}, "at least one stage"),
            (
                {"stages": ["new", "new", pk.StageSpec("won", final=True)]},
                "duplicate stage 'new'",
            ),
            (
                {
                    "transitions": [
                        pk.Transition("win", "new", "won"),
                        pk.Transition("win", "nurture", "won"),
                    ]
                },
                "duplicate event 'win'",
            ),
            (
                {"transitions": [pk.Transition("win", "new", "wonn")]},
                "unknown stage 'wonn'",
            ),
            (
                {"transitions": [pk.Transition("win", "new", "won")]},
                "stage 'nurture' is unreachable from the initial stage 'new'",
            ),
            (
                {
                    "stages": ["new", "nurture", "parked", pk.StageSpec("won", final=True)],
                    "transitions": [
                        pk.Transition("win", "new", "won"),
                        pk.Transition("park", "new", "nurture"),
                        pk.Transition("shelve", "nurture", "parked"),
                        pk.Transition("wake", "parked", "nurture"),
                    ],
                },
                "stage 'nurture' has no path to a final stage",
            ),
            (
                {"stages": ["new", "nurture", "won"]},
                "needs a final stage",
            ),
            (
                {
                    "stages": [
                        "new",
                        pk.StageSpec("nurture", final=True),
                        pk.StageSpec("won", final=True),
                    ]
                },
                "final stage 'nurture' must have no outgoing event",
            ),
            (
                {"stages": ["new", "nurture", pk.StageSpec("won", final=True), "park"]},
                "names both a stage and an event",
            ),
            ({"guards": {"teleport": FactGuard("x")}}, "unknown events"),
            ({"guards": {"win": lambda c: True}}, "must be a Qualifier"),
            ({"guards": [("win", FactGuard("x"))]}, "must be a mapping"),
            ({"transitions": ["win"]}, "expected a Transition"),
            ({"name": "my pipeline"}, "not an identifier"),
        ],
    )
    def test_rejected(self, changes: dict[str, Any], message: str) -> None:
        with pytest.raises(pk.InvalidPipeline, match=message):
            spec(**changes)

    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (lambda: pk.StageSpec("two words"), "not an identifier"),
            (lambda: pk.StageSpec("class"), "not an identifier"),
            (lambda: pk.StageSpec("send"), "reserved by python-statemachine"),
            (lambda: loose.StageSpec(7), "must be a str"),
            (lambda: loose.StageSpec("a", final="yes"), "final must be a bool"),
            (lambda: loose.StageSpec("a", action=3), "action must be a str"),
            (lambda: pk.StageSpec("a", probability="1.5"), "between 0 and 1"),
            (lambda: pk.StageSpec("a", probability="NaN"), "between 0 and 1"),
            (lambda: pk.StageSpec("a", probability="abc"), "not a number"),
            (lambda: loose.StageSpec("a", probability=0.5), "must be a Decimal"),
            (lambda: pk.Transition("go", (), "b"), "no source stage"),
            (lambda: pk.Transition("go", ("a", "a"), "b"), "source stage twice"),
            (lambda: pk.Transition("go", {"a": 1}, "b"), "sources must be"),
            (lambda: loose.Transition("go", "a", "b", reason_required=1), "must be a bool"),
            (lambda: pk.Transition("go-now", "a", "b"), "not an identifier"),
        ],
    )
    def test_bad_parts(self, build: Any, message: str) -> None:
        with pytest.raises(pk.InvalidPipeline, match=message):
            build()


class TestSpecDocuments:
    def _spec(self) -> pk.PipelineSpec:
        icp = (pk.field("account.employees") >= 100).named("ICP")
        return pk.PipelineSpec(
            name="Deals",
            stages=pk.DEFAULT_SPEC.stages,
            transitions=pk.DEFAULT_SPEC.transitions,
            guards={"qualify": icp},
        )

    def test_to_dict_round_trips_through_json(self) -> None:
        """``pk.to_dict(spec)`` is read back by both readers, guards included."""
        spec = self._spec()
        document = json.loads(json.dumps(pk.to_dict(spec)))
        assert document["schema_version"] == pk.SCHEMA_VERSION
        for back in (pk.PipelineSpec.from_dict(document), pk.from_dict(document, pk.PipelineSpec)):
            assert back == spec
            assert dict(back.guards) == dict(spec.guards)

    def test_bad_guard_document_names_its_place(self) -> None:
        """A bad guard's SchemaError path points into the pipeline document."""
        document: dict[str, Any] = {
            "stages": ["a", {"name": "b", "final": True}],
            "transitions": [{"event": "go", "sources": "a", "target": "b"}],
            "guards": {"go": {"kind": "compare", "path": "x", "op": "=~", "value": 1}},
        }
        with pytest.raises(pk.SchemaError) as info:
            pk.PipelineSpec.from_dict(document)
        assert info.value.path == "$.guards.go.op"

    def test_guards_must_be_a_mapping(self) -> None:
        document: dict[str, Any] = {
            "stages": ["a", {"name": "b", "final": True}],
            "transitions": [{"event": "go", "sources": "a", "target": "b"}],
            "guards": ["go"],
        }
        with pytest.raises(pk.InvalidPipeline, match="guards must map event names"):
            pk.PipelineSpec.from_dict(document)
