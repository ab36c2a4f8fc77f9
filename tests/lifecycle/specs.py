"""Hypothesis strategies for pipeline specs with stage semantics (outcome, forecast, label)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

import pipelinekit as pk

#: What each outcome allows, written from docs/lifecycle.md ("Stage semantics"), not
#: from the implementation's table.
ALLOWED_FORECASTS: dict[str, frozenset[str]] = {
    "open": frozenset({"pipeline", "best_case", "commit", "omitted"}),
    "won": frozenset({"closed"}),
    "lost": frozenset({"omitted"}),
    "disqualified": frozenset({"omitted"}),
}
#: The probability a closed stage may carry besides None.
CLOSED_PROBABILITY: dict[str, str] = {"won": "1", "lost": "0", "disqualified": "0"}

labels = st.none() | st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
    min_size=1,
    max_size=40,
).filter(lambda text: text == text.strip() and bool(text))


@st.composite
def stage_fields(draw: st.DrawFn, *, final: bool) -> dict[str, Any]:
    """Keyword arguments of a valid StageSpec (besides the name)."""
    outcome = draw(
        st.sampled_from(["won", "lost", "disqualified"] if final else list(pk.STAGE_OUTCOMES))
    )
    fields: dict[str, Any] = {"final": final, "outcome": outcome, "label": draw(labels)}
    if draw(st.booleans()):
        fields["forecast"] = draw(st.sampled_from(sorted(ALLOWED_FORECASTS[outcome])))
    if outcome == "open":
        fields["probability"] = draw(st.none() | st.decimals(0, 1, places=2))
    else:
        fields["probability"] = draw(st.sampled_from([None, CLOSED_PROBABILITY[outcome]]))
    fields["action"] = draw(st.none() | st.sampled_from(["nurture", "close"]))
    return fields


@st.composite
def semantic_specs(draw: st.DrawFn) -> pk.PipelineSpec:
    """A valid chain of open stages to one or more closed final stages, with semantics."""
    size = draw(st.integers(1, 5))
    finals = draw(st.integers(1, 3))
    names = [f"s{i}" for i in range(size)] + [f"end{i}" for i in range(finals)]
    stages = [
        pk.StageSpec(name, **draw(stage_fields(final=name.startswith("end")))) for name in names
    ]
    # Every open stage moves on to the next; the last open one to every final stage.
    transitions = [pk.Transition(f"go{i}", f"s{i}", f"s{i + 1}") for i in range(size - 1)]
    transitions += [
        pk.Transition(f"close{i}", f"s{size - 1}", f"end{i}", reason_required=draw(st.booleans()))
        for i in range(finals)
    ]
    return pk.PipelineSpec(name="Drawn", stages=stages, transitions=transitions)
