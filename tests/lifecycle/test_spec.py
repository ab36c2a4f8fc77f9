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
        with pytest.raises(pk.InvalidPipeline, match="is not a stage of SalesPipeline"):
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
        ("document", "path", "problem"),
        [
            ([], "$", "expected a pipeline document"),
            ({"stages": [], "transitions": [], "extra": 1}, "$.extra", "a pipeline document has:"),
            ({"transitions": []}, "$", "missing key 'stages'"),
            ({"stages": "lead", "transitions": []}, "$.stages", "expected a list of stages"),
            ({"stages": None, "transitions": []}, "$.stages", "got None"),
            ({"stages": ["a"], "transitions": {"event": "x"}}, "$.transitions", "expected a list"),
            ({"stages": [{"final": True}], "transitions": []}, "$.stages[0]", "missing key 'name'"),
            ({"stages": ["a", 5], "transitions": []}, "$.stages[1]", "expected a stage object"),
            (
                {"stages": ["a", {"name": 5}], "transitions": []},
                "$.stages[1].name",
                "must be a str",
            ),
            ({"stages": ["a", "two words"], "transitions": []}, "$.stages[1]", "not an identifier"),
            (
                {"stages": [{"name": "a", "colour": "red"}], "transitions": []},
                "$.stages[0].colour",
                "a stage has: action, final, name, probability",
            ),
            (
                {"stages": [{"name": "a", "final": 1}], "transitions": []},
                "$.stages[0].final",
                "bool",
            ),
            (
                {"stages": [{"name": "a", "probability": "2"}], "transitions": []},
                "$.stages[0].probability",
                "between 0 and 1",
            ),
            ({"stages": ["a"], "transitions": [{"event": "x"}]}, "$.transitions[0]", "'sources'"),
            ({"stages": ["a"], "transitions": ["x"]}, "$.transitions[0]", "transition object"),
            (
                {"stages": ["a"], "transitions": [{"event": "go", "sources": [5], "target": "a"}]},
                "$.transitions[0].sources[0]",
                "stage name must be a str",
            ),
            (
                {
                    "stages": ["a"],
                    "transitions": [{"event": "go", "sources": {"a": 1}, "target": "a"}],
                },
                "$.transitions[0].sources",
                "expected a list of stage names",
            ),
            (
                {
                    "stages": ["a"],
                    "transitions": [{"event": "go", "sources": "a", "target": "b", "guard": 1}],
                },
                "$.transitions[0].guard",
                "a transition has: event, reason_required, sources, target",
            ),
            (
                {
                    "stages": ["a"],
                    "transitions": [{"event": "go", "sources": ["a", "a"], "target": "a"}],
                },
                "$.transitions[0]",
                "source stage twice",
            ),
            ({"name": "my pipeline", "stages": ["a"], "transitions": []}, "$.name", "identifier"),
            (
                {"stages": ["a"], "transitions": [], "guards": {"go": {}}},
                "$.guards.go",
                "not an event of the pipeline",
            ),
        ],
    )
    def test_from_dict_errors(self, document: Any, path: str, problem: str) -> None:
        """Every malformed part of a document is a SchemaError whose path points at it."""
        with pytest.raises(pk.SchemaError) as info:
            pk.PipelineSpec.from_dict(document)
        assert info.value.path == path
        assert problem in info.value.problem
        assert isinstance(info.value, ValueError)

    def test_from_dict_pipeline_errors_stay_invalid_pipeline(self) -> None:
        """A well-formed document of a pipeline that cannot work: InvalidPipeline."""
        document = {"stages": ["a", {"name": "b", "final": True}], "transitions": []}
        with pytest.raises(pk.InvalidPipeline, match="'b' is unreachable"):
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
            (lambda: pk.StageSpec("model"), "'model' is reserved by python-statemachine"),
            (lambda: pk.Transition("state_field", "a", "b"), "'state_field' is reserved"),
            (lambda: loose.StageSpec(7), "must be a str"),
            (lambda: loose.StageSpec("a", final="yes"), "final must be a bool"),
            (lambda: loose.StageSpec("a", action=3), "action must be a str"),
            (lambda: pk.StageSpec("a", probability="1.5"), "between 0 and 1"),
            (lambda: pk.StageSpec("a", probability="NaN"), "between 0 and 1"),
            (lambda: pk.StageSpec("a", probability="abc"), "not a number"),
            (lambda: loose.StageSpec("a", probability=0.5), "expected Decimal, str or int"),
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


class TestReservedNames:
    @pytest.mark.parametrize(
        "name",
        ["model", "state_field", "listeners", "history_values", "start_configuration_values"],
    )
    def test_instance_attributes_are_reserved(self, name: str) -> None:
        """Names python-statemachine sets on each machine are refused, for stages and events."""
        with pytest.raises(pk.InvalidPipeline, match=f"stage name {name!r} is reserved"):
            pk.StageSpec(name)
        with pytest.raises(pk.InvalidPipeline, match=f"event name {name!r} is reserved"):
            pk.Transition(name, "a", "b")

    def test_every_instance_attribute_is_reserved(self) -> None:
        """Whatever a bound machine sets on itself is refused (checked on a live machine)."""
        machine = pk.Pipeline().machine_class()
        own = {s.name for s in pk.DEFAULT_SPEC.stages} | set(pk.DEFAULT_SPEC.events)
        for name in vars(machine):
            if name.startswith("_") or name in own:
                continue
            with pytest.raises(pk.InvalidPipeline, match="reserved"):
                pk.StageSpec(name)

    def test_ordinary_names_still_work(self) -> None:
        pipeline = pk.Pipeline(
            spec=spec(stages=["new", "nurture", pk.StageSpec("won", final=True)])
        )
        assert pipeline.machine_class is not None


class TestSourcesOrder:
    def test_set_sources_are_sorted(self) -> None:
        """A set has no order: it is sorted, so equal specs compare and serialize alike."""
        names = {"nurture", "new", "alpha", "zeta", "mid"}
        transition = pk.Transition("win", names, "won")
        assert transition.sources == ("alpha", "mid", "new", "nurture", "zeta")
        assert transition == pk.Transition("win", frozenset(names), "won")

    def test_sequences_keep_their_order(self) -> None:
        assert pk.Transition("win", ["nurture", "new"], "won").sources == ("nurture", "new")
        assert pk.Transition("win", iter(["nurture", "new"]), "won").sources == ("nurture", "new")

    def test_set_sources_serialize_stably(self) -> None:
        first = spec(
            transitions=[
                pk.Transition("park", "new", "nurture"),
                pk.Transition("wake", "nurture", "new"),
                pk.Transition("win", {"nurture", "new"}, "won"),
            ]
        )
        assert pk.to_dict(first)["transitions"][2]["sources"] == ["new", "nurture"]


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
        with pytest.raises(pk.SchemaError, match="mapping event names") as info:
            pk.PipelineSpec.from_dict(document)
        assert info.value.path == "$.guards"
