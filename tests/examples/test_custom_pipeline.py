"""The custom pipeline example: a pipeline of the CRM's own, loaded from a JSON document."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import pipelinekit as pk

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))
import custom_pipeline as example  # noqa: E402


@pytest.fixture(scope="module")
def pipeline() -> pk.Pipeline:
    return pk.Pipeline(spec=pk.PipelineSpec.from_dict(json.loads(example.PIPELINE_DOCUMENT)))


def test_main_moves_one_deal_and_explains_the_other(capsys: pytest.CaptureFixture[str]) -> None:
    example.main()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "Deals: stages ['discovery', 'nurture', 'proposal', 'won', 'lost'],"
        " events ['park', 'wake', 'propose', 'win', 'lose']"
    )
    assert out[1] == "Acme renewal: discovery -> proposal (PASS Ready for a proposal)"
    assert out[2].startswith("Globex pilot: blocked, FAIL Ready for a proposal: Pain recorded")
    assert out[3].startswith("  next: find the pain (propose is blocked")
    assert out[4] == "Acme renewal: ['propose', 'win'] -> won, version 2"
    assert out[5] == "history replays to: won"
    assert "stateDiagram-v2" in out


def test_the_document_round_trips(pipeline: pk.Pipeline) -> None:
    document = pk.to_dict(pipeline.spec)
    assert pk.PipelineSpec.from_dict(document) == pipeline.spec


def test_the_guard_reads_budget_and_pains(pipeline: pk.Pipeline) -> None:
    poor = pk.Contact(
        id="d-3",
        name="Initech",
        stage="discovery",
        pains=("no forecast",),
        budget=pk.Money("4999", "EUR"),
    )
    with pytest.raises(pk.TransitionBlocked):
        pipeline.advance(poor, "propose", at=example.NOW)
    assert poor.stage == "discovery"
    assert not poor.history


def test_losing_needs_a_reason(pipeline: pk.Pipeline) -> None:
    deal = pk.Contact(id="d-4", name="Umbrella", stage="discovery")
    with pytest.raises(pk.ReasonRequired):
        pipeline.advance(deal, "lose", at=example.NOW)
    lost = pipeline.advance(deal, "lose", at=example.NOW, reason="no budget").contact
    assert lost.stage == "lost"
