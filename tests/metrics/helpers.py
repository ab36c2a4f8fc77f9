"""Contacts with histories for the metric tests, built from a path of stages and days."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pipelinekit as pk

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def day(n: float) -> datetime:
    """``T0`` plus ``n`` days."""
    return T0 + n * DAY


def event_for(spec: pk.PipelineSpec, source: str, target: str) -> str:
    """The spec's event from ``source`` to ``target`` (``"skip"`` when there is none)."""
    for transition in spec.transitions:
        if source in transition.sources and transition.target == target:
            return transition.event
    return "skip"


def person(
    id: str,  # noqa: A002  # the Contact field it fills
    *path: tuple[str, float] | tuple[str, float, str],
    start: str = "lead",
    created: float | None = None,
    spec: pk.PipelineSpec = pk.DEFAULT_SPEC,
    **fields: Any,
) -> pk.Contact:
    """A contact that started in ``start`` and moved along ``path``: (stage, day[, reason]).

    ``created`` is the day of ``created_at`` (``None``: no ``created_at``).
    """
    history = []
    stage = start
    for step in path:
        target, when = step[0], step[1]
        reason = step[2] if len(step) > 2 else None
        history.append(
            pk.StageChange(
                event=event_for(spec, stage, target),
                source=stage,
                target=target,
                at=day(when),
                reason=reason,
            )
        )
        stage = target
    return pk.Contact(
        id=id,
        name=f"Person {id}",
        stage=stage,
        created_at=None if created is None else day(created),
        history=history,
        version=len(history),
        **fields,
    )


def deal(amount: str, currency: str = "EUR", probability: str | None = None) -> pk.Opportunity:
    """An opportunity of ``amount`` (and its own probability, when given)."""
    return pk.Opportunity(amount=pk.Money(amount, currency), probability=probability)


#: A custom pipeline with deal sub-stages, each with its probability and forecast category;
#: its won and lost stages have names no default stage has, so only outcomes tell them.
DEALS = pk.PipelineSpec(
    name="Deals",
    stages=[
        pk.StageSpec("lead", probability="0.05"),
        pk.StageSpec("discovery", probability="0.2", label="Discovery"),
        pk.StageSpec("proposal", probability="0.5", forecast="best_case"),
        pk.StageSpec("negotiation", probability="0.8", forecast="commit"),
        pk.StageSpec("signed", final=True, outcome="won", probability="1"),
        pk.StageSpec("dead", outcome="lost", probability="0"),
        pk.StageSpec("junk", outcome="disqualified"),
    ],
    transitions=[
        pk.Transition("qualify", "lead", "discovery"),
        pk.Transition("propose", "discovery", "proposal"),
        pk.Transition("negotiate", "proposal", "negotiation"),
        pk.Transition("sign", "negotiation", "signed"),
        pk.Transition(
            "lose", ("discovery", "proposal", "negotiation"), "dead", reason_required=True
        ),
        pk.Transition("reject", "lead", "junk", reason_required=True),
        pk.Transition("revive", ("dead", "junk"), "lead"),
    ],
)


def rows_of(table: Iterable[Mapping[str, object]]) -> list[dict[str, Any]]:
    """A result's rows, typed for arithmetic in the tests (cells are the contract's types)."""
    return [dict(row) for row in table]
