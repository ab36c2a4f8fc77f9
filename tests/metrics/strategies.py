"""Hypothesis strategies for the metric laws: populations with valid histories on a spec."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

import pipelinekit as pk
from tests.metrics.helpers import day

_probabilities = st.none() | st.decimals(min_value=0, max_value=1, places=2)
_opportunities = st.none() | st.builds(
    lambda amount, currency, probability: pk.Opportunity(
        amount=pk.Money(Decimal(amount), currency), probability=probability
    ),
    st.integers(0, 10**6),
    st.sampled_from(["EUR", "USD"]),
    _probabilities,
)


@st.composite
def people(
    draw: st.DrawFn, spec: pk.PipelineSpec, *, imported: bool = True, max_size: int = 12
) -> list[pk.Contact]:
    """Contacts whose histories walk ``spec``'s transitions, in time order.

    With ``imported``, a contact may start in any stage (an import); without, all start in
    the initial stage. Some have no ``created_at``; sources, owners and deals vary.
    """
    stages = [s.name for s in spec.stages]
    found = []
    for index in range(draw(st.integers(0, max_size))):
        stage = draw(st.sampled_from(stages)) if imported and draw(st.booleans()) else spec.initial
        moment = draw(st.integers(0, 60))
        created = None if draw(st.integers(0, 4)) == 0 else day(moment)
        history = []
        for _ in range(draw(st.integers(0, 6))):
            options = [t for t in spec.transitions if stage in t.sources]
            if not options:
                break
            transition = draw(st.sampled_from(options))
            moment += draw(st.integers(0, 20))
            reason = draw(st.sampled_from(["price", "fit", None]))
            history.append(
                pk.StageChange(
                    event=transition.event,
                    source=stage,
                    target=transition.target,
                    at=day(moment),
                    reason=reason,
                )
            )
            stage = transition.target
        touchpoints = [
            pk.Touchpoint(channel="call", timestamp=day(t))
            for t in draw(st.lists(st.integers(0, 120), max_size=2))
        ]
        found.append(
            pk.Contact(
                id=f"c{index}",
                name=f"Person {index}",
                stage=stage,
                created_at=created,
                history=history,
                version=len(history),
                source=draw(st.sampled_from(["ads", "web", None])),
                owner=draw(st.sampled_from(["ann", "bob"])),
                opportunity=draw(_opportunities),
                touchpoints=touchpoints,
            )
        )
    return found
