"""The lifecycle with the real qualifiers as guards, including guards loaded from a document."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import pipelinekit as pk
from tests.lifecycle.guards import NOW

ICP = (pk.field("account.employees") >= 100) & pk.field("account.industry").is_in(
    {"software", "fintech"}
)


def lead(employees: int | None, industry: str | None = "software") -> pk.Contact:
    return pk.Contact(
        id="c-1",
        name="Jane Roe",
        account=pk.Account(name="Acme", employees=employees, industry=industry),
    )


class TestRealGuards:
    def test_success_summary_matches_the_verdict(self) -> None:
        """The summary recorded on success is what evaluating the guard would say."""
        pipeline = pk.Pipeline(guards={"qualify": ICP})
        step = pipeline.advance(lead(250), "qualify", at=NOW)
        assert step.change.verdict == ICP.evaluate(lead(250), at=NOW).summary()

    def test_blocked_lists_every_problem(self) -> None:
        pipeline = pk.Pipeline(guards={"qualify": ICP})
        with pytest.raises(pk.TransitionBlocked) as e:
            pipeline.advance(lead(3, "retail"), "qualify", at=NOW)
        assert len(e.value.verdict.failures()) == 2
        with pytest.raises(pk.TransitionBlocked, match=r"missing account\.employees") as e:
            pipeline.advance(lead(None), "qualify", at=NOW)
        assert e.value.verdict.missing() == ("account.employees",)

    def test_time_relative_guard_gets_at(self) -> None:
        soon = pk.field("timeline").within(timedelta(days=180))
        pipeline = pk.Pipeline(guards={"convert": soon})
        prospect = pk.Contact(id="c-1", name="Jane", stage="prospect", timeline=date(2027, 1, 15))
        assert pipeline.advance(prospect, "convert", at=NOW).contact.stage == "opportunity"
        with pytest.raises(pk.TransitionBlocked):
            pipeline.advance(prospect, "convert", at=NOW + timedelta(days=400))

    def test_framework_guard_next_action(self) -> None:
        bant = pk.frameworks.bant(min_budget=pk.Money("10000", "EUR"))
        pipeline = pk.Pipeline(guards={"convert": bant})
        prospect = pk.Contact(id="c-1", name="Jane", stage="prospect", authority=True)
        action = pipeline.next_action(prospect, at=NOW)
        assert action.action == "discover"
        assert "budget" in action.missing


class TestGuardsFromDocument:
    def test_spec_document_with_guards(self) -> None:
        """Guards in a pipeline document are loaded as qualifiers with pk.from_dict."""
        document = {
            "name": "Inbound",
            "stages": ["lead", "prospect", {"name": "customer", "final": True}],
            "transitions": [
                {"event": "qualify", "sources": "lead", "target": "prospect"},
                {"event": "win", "sources": ["prospect"], "target": "customer"},
            ],
            "guards": {
                "qualify": {
                    "kind": "compare",
                    "path": "account.employees",
                    "op": ">=",
                    "value": 100,
                }
            },
        }
        pipeline = pk.Pipeline(spec=pk.PipelineSpec.from_dict(document))
        assert pipeline.advance(lead(250), "qualify", at=NOW).contact.stage == "prospect"
        with pytest.raises(pk.TransitionBlocked):
            pipeline.advance(lead(3), "qualify", at=NOW)

    def test_round_trip_of_guard_documents(self) -> None:
        document = {
            "stages": ["lead", {"name": "won", "final": True}],
            "transitions": [{"event": "win", "sources": "lead", "target": "won"}],
            "guards": {"win": pk.to_dict(ICP)},
        }
        spec = pk.PipelineSpec.from_dict(document)
        assert str(spec.guards["win"]) == str(ICP)


class TestMachineWithRealGuards:
    def test_orm_like_object(self) -> None:
        class Row:
            def __init__(self) -> None:
                self.status = "lead"
                self.account = pk.Account(name="Acme", employees=3, industry="software")

        row = Row()
        machine = pk.Pipeline(guards={"qualify": ICP}).machine_class(
            model=row, state_field="status"
        )
        with pytest.raises(pk.TransitionBlocked, match=r"account\.employees 3 < 100"):
            machine.send("qualify", at=NOW)
        row.account = pk.Account(name="Acme", employees=300, industry="software")
        machine.send("qualify", at=NOW)
        assert row.status == "prospect"
