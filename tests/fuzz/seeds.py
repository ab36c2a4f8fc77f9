"""Valid seed objects for every ``from_dict`` target, and the target list from the public API."""

from __future__ import annotations

import inspect
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pipelinekit as pk


def _contact() -> pk.Contact:
    return pk.Contact(
        id="c-1",
        name="Jane Roe",
        email="jane@acme.example",
        phone="+1 555 0100",
        account=pk.Account(id="a-1", name="Acme", employees=12),
        budget=pk.Money("1200.50", "EUR"),
        timeline=date(2026, 3, 1),
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        pains=("slow",),
        facts={"tier": "gold", "seats": 3},
    )


def _verdict() -> pk.Verdict:
    q = pk.field("account.employees") >= 10
    return q.evaluate(_contact())


def seeds() -> dict[type, Any]:
    """One valid object per document type, built through the public constructors."""
    contact = _contact()
    verdict = _verdict()
    change = pk.StageChange(
        event="qualify",
        source="lead",
        target="prospect",
        at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    step = pk.Step(contact=contact, changes=(change,))
    qualifier = pk.all_of(
        pk.field("account.employees") >= 10,
        pk.field("email").is_known(),
        pk.field("stage").is_in(["lead", "prospect"]),
    )
    return {
        pk.Contact: contact,
        pk.Account: contact.account,
        pk.Money: pk.Money("1200.50", "EUR"),
        pk.StageChange: change,
        pk.Verdict: verdict,
        pk.Qualifier: qualifier,
        pk.Step: step,
        pk.BulkResult: pk.BulkResult(advanced=(step,), blocked=((contact, verdict),)),
        pk.NextAction: pk.NextAction(action="call", event="qualify", reason="ready"),
        pk.StageSpec: pk.StageSpec("lead", probability=Decimal("0.05"), action="nurture"),
        pk.Transition: pk.Transition("qualify", "lead", "prospect"),
        pk.StageInfo: pk.Stage.LEAD.info,
        pk.PipelineSpec: pk.DEFAULT_SPEC,
        pk.Outcome: pk.Outcome.PASS,
        pk.Opportunity: pk.Opportunity(amount=pk.Money("10", "EUR"), probability="0.5"),
        pk.Stakeholder: pk.Stakeholder(name="Sam", role=pk.Role.DECISION_MAKER, influence=3),
        pk.Touchpoint: pk.Touchpoint(
            channel=pk.Channel.EMAIL, timestamp=datetime(2026, 1, 3, tzinfo=UTC)
        ),
        pk.Stage: pk.Stage.LEAD,
        pk.Channel: pk.Channel.EMAIL,
        pk.Role: pk.Role.DECISION_MAKER,
        pk.Checklist: (qualifier | ~qualifier.children[0]).named("ICP", "fit").checklist(),
        pk.ChecklistItem: pk.ChecklistItem(depth=1, text="☐ a >= 1", heading=True),
        **_scoring_seeds(qualifier),
    }


def _scoring_seeds(qualifier: pk.Qualifier) -> dict[type, Any]:
    """Points and grade models and their parts (docs/scoring.md)."""
    decay = pk.Decay.linear(percent=25, every=timedelta(days=7))
    rule = pk.Rule(qualifier, points=20)
    event = pk.EventRule(channel="event", kind="webinar", points="2.5", decay=decay, max_events=3)
    matrix = pk.ScoreMatrix(fit=(20, 10), engagement=(5,))
    criterion = pk.Criterion(qualifier, steps=2)
    return {
        pk.Decay: decay,
        pk.Rule: rule,
        pk.EventRule: event,
        pk.ScoreMatrix: matrix,
        pk.Criterion: criterion,
        pk.PointsModel: pk.PointsModel(
            rules=[rule, event, pk.EventRule(channel="email", points=-1, window=timedelta(days=3))],
            group_caps={"engagement": 50},
            group_floors={"fit": -10},
            cap=100,
            floor=-5,
            thresholds={"mql": 20, "sql": 40},
            matrix=matrix,
        ),
        pk.GradeModel: pk.GradeModel(criteria=[criterion], start="C"),
    }


#: Scoring results: computed from a model, a contact and ``at``, not stored (to_dict refuses them).
_RESULTS = {"Score", "ScoreLine", "Grade", "GradeLine"}


def public_document_types() -> list[type]:
    """Every public class whose instances ``to_dict`` writes (new document types join here)."""
    found = []
    for name in pk.__all__:
        obj = getattr(pk, name)
        if not inspect.isclass(obj) or issubclass(obj, BaseException):
            continue
        if name in {"Pipeline", "Field", "Document", "JSON", "FactValue"} | _RESULTS:
            continue
        found.append(obj)
    return found
