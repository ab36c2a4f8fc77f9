"""Pipeline definitions: the default spec, custom pipelines, and clear errors for bad ones."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import pipelinekit as pk
from pipelinekit.lifecycle import _documents as documents
from pipelinekit.lifecycle._rules import reserved_names
from tests.lifecycle.guards import NOW, FactGuard, contact

loose: Any = pk  # the package, untyped: to pass wrong types on purpose


def spec(**changes: Any) -> pk.PipelineSpec:
    """A small valid pipeline, with ``changes`` applied."""
    fields: dict[str, Any] = {
        "stages": ["new", "nurture", pk.StageSpec("won", final=True, outcome="won")],
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
                pk.StageSpec("won", final=True, probability=1, outcome="won"),
                pk.StageSpec("lost", final=True, outcome="lost", probability=0),
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
                pk.StageSpec("won", final=True, outcome="won"),
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
                {"stages": ["new", "new", pk.StageSpec("won", final=True, outcome="won")]},
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
                    "stages": [
                        "new",
                        "nurture",
                        "parked",
                        pk.StageSpec("won", final=True, outcome="won"),
                    ],
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
                        pk.StageSpec("nurture", final=True, outcome="won"),
                        pk.StageSpec("won", final=True, outcome="won"),
                    ]
                },
                "final stage 'nurture' must have no outgoing event",
            ),
            (
                {
                    "stages": [
                        "new",
                        "nurture",
                        pk.StageSpec("won", final=True, outcome="won"),
                        "park",
                    ]
                },
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
            (lambda: pk.StageSpec("a", probability="NaN"), "not a decimal number"),
            (lambda: pk.StageSpec("a", probability="abc"), "not a decimal number"),
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
            spec=spec(stages=["new", "nurture", pk.StageSpec("won", final=True, outcome="won")])
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
        assert document["schema_version"] == 2  # spec documents have their own version
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


class TestEqualityWithGuards:
    """Guards are part of a spec's value: "has the stored definition changed?" is answered."""

    def test_a_changed_guard_is_a_different_spec(self) -> None:
        one = pk.DEFAULT_SPEC.__class__.from_dict(
            {
                "stages": ["a", {"name": "b", "final": True}],
                "transitions": [{"event": "go", "sources": "a", "target": "b"}],
                "guards": {"go": {"kind": "compare", "path": "facts.x", "op": ">=", "value": 1}},
            }
        )
        two = attrs.evolve(one, guards={"go": pk.field("facts.x") >= 2})
        assert one != two
        assert one == attrs.evolve(one, guards={"go": pk.field("facts.x") >= 1})
        assert hash(one) == hash(attrs.evolve(one, guards={"go": pk.field("facts.x") >= 1}))

    def test_guard_order_does_not_matter(self) -> None:
        a, b = pk.field("facts.a") == 1, pk.field("facts.b") == 1
        first = pk.Pipeline(guards={"qualify": a, "convert": b}).spec
        second = pk.Pipeline(guards={"convert": b, "qualify": a}).spec
        assert first == second
        assert hash(first) == hash(second)

    def test_no_guard_differs_from_a_guard(self) -> None:
        assert pk.Pipeline(guards={"qualify": pk.field("facts.a") == 1}).spec != pk.DEFAULT_SPEC

    def test_round_trip_keeps_equality(self) -> None:
        spec = pk.Pipeline(guards={"qualify": pk.field("account.employees") >= 100}).spec
        assert pk.PipelineSpec.from_dict(pk.to_dict(spec)) == spec


class TestStageOf:
    def test_typed_metadata_of_a_contact(self) -> None:
        stage = pk.DEFAULT_SPEC.stage_of(pk.Contact(id="c", name="n", stage="opportunity"))
        assert stage.probability == pk.Stage.OPPORTUNITY.default_probability
        assert stage.action == "close"
        assert not stage.final

    def test_not_a_contact(self) -> None:
        with pytest.raises(pk.InvalidPipeline, match="takes a Contact, got str"):
            pk.DEFAULT_SPEC.stage_of("lead")  # type: ignore[arg-type]


class TestTextIsNotACollection:
    @pytest.mark.parametrize("field", ["stages", "transitions"])
    def test_spec_refuses_a_str(self, field: str) -> None:
        parts: dict[str, Any] = {
            "stages": ["a", pk.StageSpec("b", final=True, outcome="won")],
            "transitions": [pk.Transition("go", "a", "b")],
        }
        parts[field] = "ab"
        with pytest.raises(pk.InvalidPipeline, match=f"{field}: .*a str is not a collection"):
            pk.PipelineSpec(**parts)

    def test_spec_refuses_a_non_iterable(self) -> None:
        with pytest.raises(pk.InvalidPipeline, match="transitions: expected a list"):
            pk.PipelineSpec(stages=["a"], transitions=5)  # type: ignore[arg-type]


class TestModuleStructure:
    def test_no_statemachine_is_built_at_import(self) -> None:
        """The reserved-name probe runs on first use, not when pipelinekit is imported."""
        code = (
            "import statemachine.factory as f\n"
            "built = []\n"
            "orig = f.StateMachineMetaclass.__init__\n"
            "def spy(cls, *a, **k):\n"
            "    built.append(a[0])\n"
            "    orig(cls, *a, **k)\n"
            "f.StateMachineMetaclass.__init__ = spy\n"
            "import pipelinekit.lifecycle.spec\n"
            "print(built)\n"
        )
        out = subprocess.run(  # noqa: S603  # our own interpreter, fixed code
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert "_Probe" not in out, out

    def test_the_document_reader_does_not_import_the_spec_nor_serialization(self) -> None:
        source = Path(documents.__file__).read_text(encoding="utf-8")
        imported = {
            node.module
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert "pipelinekit.lifecycle.spec" not in imported
        assert not any(m.startswith("pipelinekit.serialization") for m in imported)
        assert not [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import)]


def test_default_names_are_not_reserved() -> None:
    """The names the reserved-name probe skips (the default pipeline's) are truly free."""
    spec = pk.DEFAULT_SPEC
    names = {spec.name, "Pipeline", *(s.name for s in spec.stages), *spec.events}
    assert not names & reserved_names()
    from statemachine import StateMachine  # noqa: PLC0415  # the check at import skips it too

    assert not [name for name in names if hasattr(StateMachine, name)]
