"""Stage semantics: outcome, forecast and label of a stage, and what a spec derives from them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk
from tests.lifecycle.specs import ALLOWED_FORECASTS, CLOSED_PROBABILITY, semantic_specs

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

#: ``pk.to_dict(pk.DEFAULT_SPEC)`` as pipelinekit 0.1.0 wrote it (copied from its output).
DEFAULT_SPEC_V1: dict[str, Any] = {
    "stages": [
        {"name": "lead", "final": False, "probability": "0.05", "action": "nurture"},
        {"name": "prospect", "final": False, "probability": "0.1", "action": "discovery"},
        {"name": "opportunity", "final": False, "probability": "0.4", "action": "close"},
        {"name": "customer", "final": True, "probability": "1", "action": None},
        {"name": "disqualified", "final": False, "probability": "0", "action": "nurture later"},
        {"name": "lost", "final": False, "probability": "0", "action": "win back"},
    ],
    "transitions": [
        {"event": "qualify", "sources": ["lead"], "target": "prospect", "reason_required": False},
        {
            "event": "convert",
            "sources": ["prospect"],
            "target": "opportunity",
            "reason_required": False,
        },
        {
            "event": "win",
            "sources": ["opportunity"],
            "target": "customer",
            "reason_required": False,
        },
        {"event": "lose", "sources": ["opportunity"], "target": "lost", "reason_required": True},
        {
            "event": "disqualify",
            "sources": ["lead", "prospect"],
            "target": "disqualified",
            "reason_required": True,
        },
        {
            "event": "recycle",
            "sources": ["disqualified", "lost"],
            "target": "lead",
            "reason_required": False,
        },
    ],
    "guards": {},
    "name": "SalesPipeline",
    "schema_version": 1,
}


def deals() -> pk.PipelineSpec:
    """A deal pipeline with three open sub-stages, a won and a lost final stage."""
    return pk.PipelineSpec(
        name="Deals",
        stages=[
            pk.StageSpec("discovery", probability="0.1", label="Discovery", action="discovery"),
            pk.StageSpec(
                "proposal", probability="0.5", forecast="best_case", label="Proposal/Price Quote"
            ),
            pk.StageSpec(
                "negotiation", probability="0.9", forecast="commit", label="Negotiation/Review"
            ),
            pk.StageSpec(
                "closed_won", final=True, outcome="won", probability="1", label="Closed Won"
            ),
            pk.StageSpec(
                "closed_lost", final=True, outcome="lost", probability="0", label="Closed Lost"
            ),
        ],
        transitions=[
            pk.Transition("propose", "discovery", "proposal"),
            pk.Transition("negotiate", "proposal", "negotiation"),
            pk.Transition("close_won", "negotiation", "closed_won"),
            pk.Transition(
                "close_lost",
                ("discovery", "proposal", "negotiation"),
                "closed_lost",
                reason_required=True,
            ),
        ],
    )


class TestOutcome:
    def test_default_is_open(self) -> None:
        stage = pk.StageSpec("nurture")
        assert (stage.outcome, stage.is_open) == ("open", True)

    @pytest.mark.parametrize("outcome", ["open", "won", "lost", "disqualified"])
    def test_every_outcome_is_accepted(self, outcome: str) -> None:
        assert pk.StageSpec("x", outcome=outcome).outcome == outcome  # type: ignore[arg-type]

    def test_public_names_list_every_outcome(self) -> None:
        assert pk.STAGE_OUTCOMES == ("open", "won", "lost", "disqualified")
        assert set(pk.STAGE_OUTCOMES) == set(pk.StageOutcome.__args__)  # type: ignore[attr-defined]

    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            ("wonn", "'wonn'; did you mean 'won'?"),
            ("Won", "'Won'; did you mean 'won'?"),
            ("", "''"),
            (None, "None"),
            (1, "1"),
            (["won"], "['won']"),
        ],
    )
    def test_bad_outcome_names_stage_field_and_choices(self, value: object, shown: str) -> None:
        with pytest.raises(pk.InvalidPipeline) as caught:
            pk.StageSpec("proposal", outcome=value)  # type: ignore[arg-type]
        assert str(caught.value) == (
            "stage 'proposal': outcome must be one of 'open', 'won', 'lost', 'disqualified',"
            f" got {shown}"
        )

    def test_a_str_subclass_is_not_an_outcome(self) -> None:
        """Only plain str values: a StrEnum member would not round-trip as itself."""

        class Kind(StrEnum):
            WON = "won"

        with pytest.raises(pk.InvalidPipeline, match="outcome must be one of"):
            pk.StageSpec("x", outcome=Kind.WON)  # type: ignore[arg-type]


class TestForecast:
    @pytest.mark.parametrize(
        ("outcome", "forecast"),
        [("open", "pipeline"), ("won", "closed"), ("lost", "omitted"), ("disqualified", "omitted")],
    )
    def test_default_follows_the_outcome(self, outcome: str, forecast: str) -> None:
        assert pk.StageSpec("x", outcome=outcome).forecast == forecast  # type: ignore[arg-type]

    def test_public_names_list_every_category(self) -> None:
        assert pk.FORECAST_CATEGORIES == ("pipeline", "best_case", "commit", "closed", "omitted")
        assert set(pk.FORECAST_CATEGORIES) == set(pk.ForecastCategory.__args__)  # type: ignore[attr-defined]

    @given(
        outcome=st.sampled_from(pk.STAGE_OUTCOMES),
        forecast=st.sampled_from(pk.FORECAST_CATEGORIES),
    )
    def test_accepted_exactly_when_the_outcome_allows_it(self, outcome: str, forecast: str) -> None:
        """Won is closed; lost and disqualified are omitted; open is anything but closed."""
        if forecast in ALLOWED_FORECASTS[outcome]:
            stage = pk.StageSpec("x", outcome=outcome, forecast=forecast)  # type: ignore[arg-type]
            assert (stage.outcome, stage.forecast) == (outcome, forecast)
        else:
            with pytest.raises(pk.InvalidPipeline) as caught:
                pk.StageSpec("x", outcome=outcome, forecast=forecast)  # type: ignore[arg-type]
            assert str(caught.value).startswith(
                f"stage 'x': forecast {forecast!r} contradicts outcome {outcome!r}"
            )

    def test_open_stage_message_lists_the_allowed_categories(self) -> None:
        with pytest.raises(pk.InvalidPipeline) as caught:
            pk.StageSpec("proposal", forecast="closed")
        assert str(caught.value) == (
            "stage 'proposal': forecast 'closed' contradicts outcome 'open'; a stage with"
            " outcome 'open' is forecast one of 'pipeline', 'best_case', 'commit', 'omitted'"
        )

    @pytest.mark.parametrize("value", ["Commit", "best case", None, 0])
    def test_bad_forecast_names_the_choices(self, value: object) -> None:
        with pytest.raises(pk.InvalidPipeline) as caught:
            pk.StageSpec("proposal", forecast=value)  # type: ignore[arg-type]
        assert str(caught.value).startswith(
            "stage 'proposal': forecast must be one of 'pipeline', 'best_case', 'commit',"
            " 'closed', 'omitted', got "
        )


class TestFinalAndProbability:
    def test_a_final_stage_cannot_be_open(self) -> None:
        with pytest.raises(pk.InvalidPipeline) as caught:
            pk.StageSpec("done", final=True)
        assert str(caught.value).startswith("stage 'done': a final stage must be closed")

    @pytest.mark.parametrize("outcome", ["won", "lost", "disqualified"])
    def test_a_final_stage_can_be_any_closed_outcome(self, outcome: str) -> None:
        assert pk.StageSpec("done", final=True, outcome=outcome).final  # type: ignore[arg-type]

    @pytest.mark.parametrize("outcome", ["won", "lost", "disqualified"])
    def test_a_closed_stage_need_not_be_final(self, outcome: str) -> None:
        """The default lost and disqualified stages recycle: closed, not final."""
        assert not pk.StageSpec("x", outcome=outcome).final  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("outcome", "probability", "accepted"),
        [
            ("won", "1", True),
            ("won", None, True),
            ("won", "0.99", False),
            ("won", "0", False),
            ("lost", "0", True),
            ("lost", "0.01", False),
            ("disqualified", "0", True),
            ("disqualified", "1", False),
            ("open", "0", True),
            ("open", "1", True),
        ],
    )
    def test_closed_probability(
        self, outcome: str, probability: str | None, accepted: bool
    ) -> None:
        fields: dict[str, Any] = {"outcome": outcome, "probability": probability}
        if accepted:
            assert pk.StageSpec("x", **fields).outcome == outcome
        else:
            expected = CLOSED_PROBABILITY[outcome]
            with pytest.raises(pk.InvalidPipeline) as caught:
                pk.StageSpec("x", **fields)
            assert str(caught.value) == (
                f"stage 'x': probability {probability} contradicts outcome {outcome!r}; a stage"
                f" with outcome {outcome!r} has probability {expected} (or None)"
            )


class TestLabel:
    def test_default_shows_the_name(self) -> None:
        stage = pk.StageSpec("proposal")
        assert (stage.label, stage.display) == (None, "proposal")

    @pytest.mark.parametrize("label", ["Closed Won", "Proposal/Price Quote", "Café ✓", "x" * 200])
    def test_accepted(self, label: str) -> None:
        stage = pk.StageSpec("x", label=label)
        assert stage.label == stage.display == label

    @pytest.mark.parametrize(
        ("label", "problem"),
        [
            ("", "label must not be blank; use None to show the name"),
            ("   ", "label must not be blank; use None to show the name"),
            (" Won", "label ' Won' has leading or trailing whitespace"),
            ("x" * 201, "label is longer than 200 characters"),
            ("Won\nLost", "label must be one line of printable text; found '\\n' at index 3"),
            ("Won\x00", "label must be one line of printable text; found '\\x00' at index 3"),
            ("\u202eWon", "label must be one line of printable text; found '\\u202e' at index 0"),
            (5, "label must be a str or None, got int 5"),
        ],
    )
    def test_refused(self, label: object, problem: str) -> None:
        with pytest.raises(pk.InvalidPipeline) as caught:
            pk.StageSpec("x", label=label)  # type: ignore[arg-type]
        assert str(caught.value) == f"stage 'x': {problem}"

    def test_a_str_enum_label_is_stored_as_plain_str(self) -> None:
        class Labels(StrEnum):
            WON = "Closed Won"

        label = pk.StageSpec("x", label=Labels.WON).label
        assert type(label) is str
        assert label == "Closed Won"


class TestDefaultSpec:
    def test_semantics(self) -> None:
        got = [(s.name, s.outcome, s.forecast, s.label) for s in pk.DEFAULT_SPEC.stages]
        assert got == [
            ("lead", "open", "pipeline", "Lead"),
            ("prospect", "open", "pipeline", "Prospect"),
            ("opportunity", "open", "pipeline", "Opportunity"),
            ("customer", "won", "closed", "Customer"),
            ("disqualified", "disqualified", "omitted", "Disqualified"),
            ("lost", "lost", "omitted", "Lost"),
        ]

    def test_everything_else_is_as_in_0_1_0(self) -> None:
        """Names, finals, probabilities, actions and transitions are unchanged."""
        old = pk.PipelineSpec.from_dict(DEFAULT_SPEC_V1)
        assert [(s.name, s.final, s.probability, s.action) for s in pk.DEFAULT_SPEC.stages] == [
            (s.name, s.final, s.probability, s.action) for s in old.stages
        ]
        assert pk.DEFAULT_SPEC.transitions == old.transitions
        assert pk.DEFAULT_SPEC.name == old.name

    @pytest.mark.parametrize("stage", list(pk.Stage))
    def test_one_source_of_truth(self, stage: pk.Stage) -> None:
        """The spec's stage, Stage.outcome and StageInfo agree (all derive from one table)."""
        spec = pk.DEFAULT_SPEC.stage(stage)
        assert spec.outcome == stage.outcome
        assert spec.label == stage.label
        assert spec.final is stage.is_terminal
        assert spec.probability == stage.default_probability
        assert stage.is_closed is (stage.outcome != "open")
        assert stage.is_won is (stage.outcome == "won")

    def test_stage_outcomes(self) -> None:
        assert [s.outcome for s in pk.Stage] == [
            "open",
            "open",
            "open",
            "won",
            "disqualified",
            "lost",
        ]


class TestSpecReaders:
    def test_default(self) -> None:
        spec = pk.DEFAULT_SPEC
        assert spec.open_stages == ("lead", "prospect", "opportunity")
        assert spec.won_stages == ("customer",)
        assert spec.lost_stages == ("lost",)
        assert spec.disqualified_stages == ("disqualified",)
        assert spec.closed_stages == ("customer", "disqualified", "lost")
        assert spec.forward_stages == ("lead", "prospect", "opportunity", "customer")

    def test_custom_keeps_pipeline_order(self) -> None:
        spec = deals()
        assert spec.open_stages == ("discovery", "proposal", "negotiation")
        assert spec.won_stages == ("closed_won",)
        assert spec.lost_stages == ("closed_lost",)
        assert spec.disqualified_stages == ()
        assert spec.forward_stages == ("discovery", "proposal", "negotiation", "closed_won")
        assert [spec.outcome_of(name) for name in ("proposal", "closed_won", "closed_lost")] == [
            "open",
            "won",
            "lost",
        ]

    def test_outcome_of_an_unknown_stage(self) -> None:
        with pytest.raises(pk.InvalidPipeline, match="'prospekt' is not a stage of SalesPipeline"):
            pk.DEFAULT_SPEC.outcome_of("prospekt")

    @given(spec=semantic_specs())
    def test_partitions(self, spec: pk.PipelineSpec) -> None:
        """Open and closed stages partition the spec; closed = won + lost + disqualified."""
        names = [s.name for s in spec.stages]
        assert sorted(spec.open_stages + spec.closed_stages) == sorted(names)
        assert set(spec.closed_stages) == set(
            spec.won_stages + spec.lost_stages + spec.disqualified_stages
        )
        assert spec.forward_stages == tuple(
            n for n in names if n in spec.open_stages or n in spec.won_stages
        )
        for name in names:
            assert spec.outcome_of(name) == spec.stage(name).outcome


class TestWinProbability:
    def contact(self, stage: str, probability: str | None = None, **kw: Any) -> pk.Contact:
        opportunity = pk.Opportunity(probability=probability, **kw)
        return pk.Contact(id="c-1", name="Jane", stage=stage, opportunity=opportunity)

    def test_the_opportunity_wins(self) -> None:
        assert pk.win_probability(self.contact("opportunity", "0.7")) == Decimal("0.7")

    def test_an_explicit_zero_counts(self) -> None:
        assert pk.win_probability(self.contact("opportunity", "0")) == Decimal(0)

    def test_else_the_stage(self) -> None:
        assert pk.win_probability(self.contact("prospect")) == Decimal("0.1")
        assert pk.win_probability(pk.Contact(id="c", name="n")) == Decimal("0.05")

    def test_else_none(self) -> None:
        spec = pk.PipelineSpec(
            stages=["new", pk.StageSpec("won", final=True, outcome="won")],
            transitions=[pk.Transition("win", "new", "won")],
        )
        assert pk.win_probability(pk.Contact(id="c", name="n", stage="new"), spec) is None

    @pytest.mark.parametrize(
        ("stage", "expected"), [("customer", 1), ("lost", 0), ("disqualified", 0)]
    )
    def test_closed_stages_are_decided(self, stage: str, expected: int) -> None:
        """A closed deal's chance is its outcome, whatever the opportunity still says."""
        assert pk.win_probability(self.contact(stage, "0.5")) == Decimal(expected)

    def test_custom_sub_stages(self) -> None:
        spec = deals()
        for stage, expected in [("discovery", "0.1"), ("proposal", "0.5"), ("negotiation", "0.9")]:
            assert pk.win_probability(self.contact(stage), spec) == Decimal(expected)
            assert pk.win_probability(self.contact(stage, "0.3"), spec) == Decimal("0.3")
        assert pk.win_probability(self.contact("closed_lost", "0.3"), spec) == Decimal(0)

    def test_a_stage_the_spec_lacks(self) -> None:
        with pytest.raises(pk.InvalidPipeline, match="'proposal' is not a stage of SalesPipeline"):
            pk.win_probability(self.contact("proposal"))

    @pytest.mark.parametrize("spec", [pk.Pipeline(), "SalesPipeline", {}])
    def test_spec_must_be_a_spec(self, spec: object) -> None:
        with pytest.raises(pk.InvalidPipeline, match="spec must be a PipelineSpec or None"):
            pk.win_probability(self.contact("lead"), spec)  # type: ignore[arg-type]

    def test_a_non_contact(self) -> None:
        with pytest.raises(pk.InvalidPipeline, match="takes a Contact, got dict"):
            pk.win_probability({"stage": "lead"})  # type: ignore[arg-type]


class TestDocuments:
    def test_version_2_round_trip(self) -> None:
        spec = deals()
        document = json.loads(json.dumps(pk.to_dict(spec)))
        assert document["schema_version"] == 2
        assert document["stages"][1] == {
            "name": "proposal",
            "final": False,
            "probability": "0.5",
            "action": None,
            "outcome": "open",
            "forecast": "best_case",
            "label": "Proposal/Price Quote",
        }
        assert pk.PipelineSpec.from_dict(document) == spec
        assert pk.from_dict(document, pk.PipelineSpec) == spec

    def test_entities_stay_at_version_1(self) -> None:
        assert pk.to_dict(pk.Contact(id="c", name="n"))["schema_version"] == pk.SCHEMA_VERSION == 1

    @pytest.mark.parametrize(
        "value",
        [pk.StageSpec("won", final=True, outcome="won", label="Won"), pk.Transition("a", "b", "c")],
    )
    def test_parts_round_trip_with_their_version(self, value: pk.StageSpec | pk.Transition) -> None:
        document = pk.to_dict(value)
        assert document["schema_version"] == 2
        assert pk.from_dict(document, type(value)) == value

    def test_containers_of_stages_round_trip(self) -> None:
        """Items in a list carry no version; their keys say they are version 2."""
        stages = list(deals().stages)
        assert (
            pk.from_dict(json.loads(json.dumps(pk.to_dict(stages))), list[pk.StageSpec]) == stages
        )

    def test_version_1_default_spec_loads_as_the_default(self) -> None:
        assert pk.PipelineSpec.from_dict(DEFAULT_SPEC_V1) == pk.DEFAULT_SPEC
        assert pk.from_dict(DEFAULT_SPEC_V1, pk.PipelineSpec) == pk.DEFAULT_SPEC
        unversioned = {k: v for k, v in DEFAULT_SPEC_V1.items() if k != "schema_version"}
        assert pk.from_dict(unversioned, pk.PipelineSpec) == pk.DEFAULT_SPEC

    @pytest.mark.parametrize(
        ("stage", "outcome"),
        [
            ({"name": "won", "final": True}, "won"),
            ({"name": "won", "final": True, "probability": "1"}, "won"),
            ({"name": "dropped", "final": True, "probability": "0"}, "lost"),
            ({"name": "lost", "final": True}, "lost"),  # a default name keeps its meaning
            ({"name": "customer", "final": True}, "won"),
        ],
    )
    def test_version_1_final_stages(self, stage: dict[str, Any], outcome: str) -> None:
        document = {
            "schema_version": 1,
            "stages": ["new", "parked", stage],
            "transitions": [
                {"event": "park", "sources": "new", "target": "parked"},
                {"event": "end", "sources": ["new", "parked"], "target": stage["name"]},
            ],
        }
        spec = pk.PipelineSpec.from_dict(document)
        assert [s.outcome for s in spec.stages] == ["open", "open", outcome]
        assert [s.label for s in spec.stages[:2]] == [None, None]

    def test_version_1_stage_names_from_the_default_get_their_label(self) -> None:
        spec = pk.from_dict({"name": "lead"}, pk.StageSpec)
        assert (spec.outcome, spec.label) == ("open", "Lead")

    def test_version_1_final_stage_with_a_middle_probability(self) -> None:
        document = {
            "stages": ["new", {"name": "maybe", "final": True, "probability": "0.5"}],
            "transitions": [{"event": "end", "sources": "new", "target": "maybe"}],
        }
        with pytest.raises(pk.SchemaError) as caught:
            pk.PipelineSpec.from_dict(document)
        assert caught.value.path == "$.stages[1]"
        assert "neither won (1) nor lost (0)" in str(caught.value)

    @pytest.mark.parametrize("key", ["outcome", "forecast", "label"])
    def test_version_1_refuses_the_new_keys(self, key: str) -> None:
        value = {"outcome": "won", "forecast": "closed", "label": "Won"}[key]
        document = {
            "schema_version": 1,
            "stages": ["new", {"name": "won", "final": True, key: value}],
            "transitions": [{"event": "win", "sources": "new", "target": "won"}],
        }
        for read in (pk.PipelineSpec.from_dict, lambda d: pk.from_dict(d, pk.PipelineSpec)):
            with pytest.raises(pk.SchemaError) as caught:
                read(document)
            assert caught.value.path == f"$.stages[1].{key}"
            assert f"{key!r} needs schema_version 2; this document is version 1" in str(
                caught.value
            )

    def test_no_version_with_new_keys_is_version_2(self) -> None:
        document = {
            "stages": ["new", {"name": "won", "final": True, "outcome": "won"}],
            "transitions": [{"event": "win", "sources": "new", "target": "won"}],
        }
        assert pk.PipelineSpec.from_dict(document).stage("won").outcome == "won"
        # ... so every stage follows version 2: a final stage must say its outcome.
        document["stages"].append({"name": "gone", "final": True})  # type: ignore[attr-defined]
        document["transitions"].append({"event": "go", "sources": "new", "target": "gone"})  # type: ignore[attr-defined]
        with pytest.raises(pk.SchemaError) as caught:
            pk.from_dict(document, pk.PipelineSpec)
        assert caught.value.path == "$.stages[2]"
        assert str(caught.value).startswith("$.stages[2]: a final stage must be closed")

    @pytest.mark.parametrize(
        ("stage", "path", "problem"),
        [
            (
                {"name": "won", "final": True, "outcome": "wn"},
                "$.stages[1].outcome",
                "outcome must be one of",
            ),
            (
                {"name": "won", "final": True, "outcome": "won", "forecast": 1},
                "$.stages[1].forecast",
                "forecast must be one of",
            ),
            (
                {"name": "won", "final": True, "outcome": "won", "label": "a\nb"},
                "$.stages[1].label",
                "label must be one line",
            ),
            (
                {"name": "won", "final": True, "outcome": "won", "forecast": "commit"},
                "$.stages[1]",
                "forecast 'commit' contradicts",
            ),
        ],
    )
    def test_version_2_errors_have_paths(
        self, stage: dict[str, Any], path: str, problem: str
    ) -> None:
        document = {
            "schema_version": 2,
            "stages": ["new", stage],
            "transitions": [{"event": "win", "sources": "new", "target": "won"}],
        }
        with pytest.raises(pk.SchemaError) as caught:
            pk.PipelineSpec.from_dict(document)
        assert caught.value.path == path
        assert problem in str(caught.value)

    def test_version_3_is_refused(self) -> None:
        with pytest.raises(pk.SchemaError, match="this pipelinekit reads 1 to 2"):
            pk.from_dict({**pk.to_dict(deals()), "schema_version": 3}, pk.PipelineSpec)

    @given(spec=semantic_specs())
    @example(spec=pk.DEFAULT_SPEC)
    def test_any_spec_round_trips(self, spec: pk.PipelineSpec) -> None:
        document = json.loads(json.dumps(pk.to_dict(spec)))
        assert pk.PipelineSpec.from_dict(document) == spec
        assert pk.from_dict(document, pk.PipelineSpec) == spec
        back = pk.from_dict(document, pk.PipelineSpec)
        assert [(s.outcome, s.forecast, s.label) for s in back.stages] == [
            (s.outcome, s.forecast, s.label) for s in spec.stages
        ]


class TestDealSubStagesEndToEnd:
    def test_advance_through_every_sub_stage(self) -> None:
        pipeline = pk.Pipeline(spec=deals())
        deal = pk.Contact(id="d-1", name="Acme deal", stage="discovery")
        for event, stage in [
            ("propose", "proposal"),
            ("negotiate", "negotiation"),
            ("close_won", "closed_won"),
        ]:
            deal = pipeline.advance(deal, event, at=NOW).contact
            assert deal.stage == stage
        assert pipeline.replay(deal) == "closed_won"
        assert pipeline.allowed_events(deal, at=NOW) == frozenset()

    def test_lost_from_any_sub_stage_needs_a_reason(self) -> None:
        pipeline = pk.Pipeline(spec=deals())
        deal = pk.Contact(id="d-1", name="Acme deal", stage="proposal")
        with pytest.raises(pk.ReasonRequired):
            pipeline.advance(deal, "close_lost", at=NOW)
        lost = pipeline.advance(deal, "close_lost", at=NOW, reason="price").contact
        assert (lost.stage, deals().outcome_of(lost.stage)) == ("closed_lost", "lost")

    def test_machine_drives_a_mutable_object(self) -> None:
        class Row:
            status = "discovery"

        row = Row()
        machine = pk.Pipeline(spec=deals()).machine_class(model=row, state_field="status")
        machine.send("propose")
        machine.send("negotiate")
        assert row.status == "negotiation"
        assert [state.name for state in machine.configuration] == ["Negotiation/Review"]
        assert [s.value for s in machine.final_states] == ["closed_won", "closed_lost"]

    def test_mermaid_shows_labels_and_marks_outcomes(self) -> None:
        text = pk.Pipeline(spec=deals()).to_mermaid()
        assert '    state "Proposal/Price Quote" as proposal\n' in text
        assert "    discovery --> proposal : propose\n" in text
        assert text.endswith(
            "    classDef won fill:#dcfce7,stroke:#15803d\n"
            "    class closed_won won\n"
            "    classDef lost fill:#fee2e2,stroke:#b91c1c\n"
            "    class closed_lost lost\n"
        )
        assert "disqualified" not in text

    def test_dot_shows_labels_and_marks_outcomes(self) -> None:
        pytest.importorskip("pydot")
        text = pk.Pipeline(spec=deals()).to_dot()
        assert 'proposal [label="Proposal/Price Quote",' in text
        won = next(line for line in text.splitlines() if line.startswith("closed_won ["))
        assert 'label="Closed Won"' in won
        assert 'fillcolor="#dcfce7"' in won
        discovery = next(line for line in text.splitlines() if line.startswith("discovery ["))
        assert "fillcolor=white" in discovery
        assert text == pk.Pipeline(spec=deals()).to_dot()

    def test_documents(self) -> None:
        spec = deals()
        assert pk.from_dict(pk.to_dict(spec), pk.PipelineSpec) == spec
        pipeline = pk.Pipeline(spec=spec)
        step = pipeline.advance(pk.Contact(id="d", name="n", stage="discovery"), "propose", at=NOW)
        assert pk.from_dict(pk.to_dict(step.contact), pk.Contact) == step.contact


class TestDiagramEscaping:
    def spec(self, label: str) -> pk.PipelineSpec:
        return pk.PipelineSpec(
            stages=[pk.StageSpec("a", label=label), pk.StageSpec("b", final=True, outcome="won")],
            transitions=[pk.Transition("go", "a", "b")],
        )

    @pytest.mark.parametrize(
        ("label", "written"),
        [
            ('Say "hi"', "Say #quot;hi#quot;"),
            ("#1; <b>&", "#35;1#59; #lt;b#gt;#amp;"),
            ("#quot;", "#35;quot#59;"),
        ],
    )
    def test_mermaid_entities(self, label: str, written: str) -> None:
        text = pk.Pipeline(spec=self.spec(label)).to_mermaid()
        assert f'    state "{written}" as a\n' in text

    def test_dot_escapes_quotes_and_backslashes(self) -> None:
        pytest.importorskip("pydot")
        text = pk.Pipeline(spec=self.spec('a\\n "b"')).to_dot()
        assert 'a [label="a\\\\n \\"b\\"",' in text

    def test_a_label_equal_to_the_name_draws_no_description(self) -> None:
        text = pk.Pipeline(spec=self.spec("a")).to_mermaid()
        assert "state " not in text

    @given(label=st.text(min_size=1, max_size=20).filter(lambda t: t == t.strip()))
    def test_mermaid_description_never_breaks_out(self, label: str) -> None:
        """Whatever a label holds, the description line keeps one pair of quotes."""
        try:
            spec = self.spec(label)
        except pk.InvalidPipeline:
            return  # unsafe text is refused before it reaches a diagram
        lines = [
            line for line in pk.Pipeline(spec=spec).to_mermaid().splitlines() if "as a" in line
        ]
        if label == "a":
            assert lines == []
            return
        (line,) = lines
        assert line.count('"') == 2
        assert line.startswith('    state "')
        assert line.endswith('" as a')


def test_evolve_checks_the_new_fields() -> None:
    """attrs.evolve goes through the same checks."""
    stage = pk.StageSpec("won", final=True, outcome="won")
    with pytest.raises(pk.InvalidPipeline, match="a final stage must be closed"):
        attrs.evolve(stage, outcome="open")
