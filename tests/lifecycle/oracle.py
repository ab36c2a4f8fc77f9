"""What a pipeline spec says should happen, computed without the compiled table.

Both engines (the table behind ``advance`` and the generated machine class, which is
built from the table's routes) are checked against this model. It reads the spec's
transitions directly and finds skip routes by enumerating every path, not by the
table's breadth-first search, so a routing bug in ``compile_table`` shows up as a
disagreement instead of being copied into both engines.

Outcomes: ``("invalid", None)``, ``("reason", None)``, ``("blocked", None)`` or
``("moved", (target, events))`` with the events of every recorded change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pipelinekit as pk

Outcome = tuple[str, Any]


def _usable(spec: pk.PipelineSpec, t: pk.Transition, source: str, *, forward_only: bool) -> bool:
    order = [s.name for s in spec.stages]
    return source in t.sources and (
        not forward_only or order.index(t.target) >= order.index(source)
    )


def route(
    spec: pk.PipelineSpec, stage: str, event: str, *, forward_only: bool, allow_skips: bool
) -> list[pk.Transition] | None:
    """The transitions ``event`` takes from ``stage`` under the policy, or ``None``."""
    names = [s.name for s in spec.stages]
    by_event = {t.event: t for t in spec.transitions}
    wanted = by_event.get(event)
    if stage not in names or wanted is None:
        return None
    if _usable(spec, wanted, stage, forward_only=forward_only):
        return [wanted]
    if not allow_skips:
        return None

    def skippable(t: pk.Transition, source: str) -> bool:
        return (
            _usable(spec, t, source, forward_only=forward_only)
            and names.index(t.target) > names.index(source)
            and not t.reason_required
        )

    # Every forward, reason-free path from the stage (finite: each hop moves forward);
    # the route is the shortest one ending with the event, ties to earlier transitions.
    found: list[list[int]] = []
    index = {t.event: i for i, t in enumerate(spec.transitions)}

    def walk(at: str, path: list[int]) -> None:
        for t in spec.transitions:
            if not skippable(t, at):
                continue
            if t.event == event:
                found.append([*path, index[t.event]])
            else:
                walk(t.target, [*path, index[t.event]])

    walk(stage, [])
    if not found:
        return None
    best = min(found, key=lambda p: (len(p), p))
    return [spec.transitions[i] for i in best]


def expected(
    spec: pk.PipelineSpec,
    guard_keys: Mapping[str, str],
    *,
    stage: str,
    facts: Mapping[str, object],
    event: str,
    reason: str | None,
    forward_only: bool = False,
    allow_skips: bool = False,
) -> Outcome:
    """What firing ``event`` at a contact in ``stage`` with ``facts`` should do.

    ``guard_keys`` maps each guarded event to the fact its guard reads (a
    :class:`~tests.lifecycle.guards.FactGuard` passes only when the fact is ``True``).
    """
    hops = route(spec, stage, event, forward_only=forward_only, allow_skips=allow_skips)
    if hops is None:
        return ("invalid", None)
    if hops[-1].reason_required and not (reason and reason.strip()):
        return ("reason", None)
    for hop in hops:
        key = guard_keys.get(hop.event)
        if key is not None and facts.get(key) is not True:
            return ("blocked", None)
    return ("moved", (hops[-1].target, tuple(h.event for h in hops)))
