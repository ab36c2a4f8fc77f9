"""A custom deal pipeline defined as a JSON document, guards included.

A CRM stores its pipeline definition as data; pipelinekit loads it, checks it, and runs
it. Run it with ``python examples/custom_pipeline.py``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pipelinekit as pk

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)

# What a CRM would keep in its database: stages with win probabilities, events, and
# guards as qualifier documents (the stable format of docs/qualifier-format.md).
PIPELINE_DOCUMENT = """
{
  "name": "Deals",
  "stages": [
    {"name": "discovery", "probability": "0.1", "action": "find the pain"},
    {"name": "nurture", "action": "send content"},
    {"name": "proposal", "probability": "0.5", "action": "follow up"},
    {"name": "won", "final": true, "probability": "1"},
    {"name": "lost", "final": true, "probability": "0"}
  ],
  "transitions": [
    {"event": "park", "sources": "discovery", "target": "nurture"},
    {"event": "wake", "sources": "nurture", "target": "discovery"},
    {"event": "propose", "sources": "discovery", "target": "proposal"},
    {"event": "win", "sources": "proposal", "target": "won"},
    {"event": "lose", "sources": ["discovery", "proposal"], "target": "lost",
     "reason_required": true}
  ],
  "guards": {
    "propose": {
      "kind": "all_of",
      "name": "Ready for a proposal",
      "children": [
        {"kind": "not_empty", "path": "pains", "name": "Pain recorded"},
        {"kind": "compare", "path": "budget", "op": ">=",
         "value": {"amount": "5000", "currency": "EUR"}, "name": "Budget"}
      ]
    }
  }
}
"""


def main() -> None:
    """Load the pipeline, move two deals through it, and show the diagram."""
    spec = pk.PipelineSpec.from_dict(json.loads(PIPELINE_DOCUMENT))
    pipeline = pk.Pipeline(spec=spec)
    print(f"{spec.name}: stages {[s.name for s in spec.stages]}, events {list(spec.events)}")

    ready = pk.Contact(
        id="d-1",
        name="Acme renewal",
        stage="discovery",
        pains=("renewals tracked in spreadsheets",),
        budget=pk.Money("12000", "EUR"),
    )
    early = pk.Contact(id="d-2", name="Globex pilot", stage="discovery")

    result = pipeline.advance_many([ready, early], "propose", at=NOW, by="rep-3")
    for step in result.advanced:
        print(
            f"{step.contact.name}: {step.change.source} -> {step.contact.stage}"
            f" ({step.change.verdict})"
        )
    for contact, verdict in result.blocked:
        action = pipeline.next_action(contact, at=NOW)
        print(f"{contact.name}: blocked, {verdict.summary()}")
        print(f"  next: {action.action} ({action.reason})")

    won = pipeline.advance(result.advanced[0].contact, "win", at=NOW, by="rep-3").contact
    print(f"{won.name}: {[c.event for c in won.history]} -> {won.stage}, version {won.version}")
    print(f"history replays to: {pipeline.replay(won)}")
    print()
    print(pipeline.to_mermaid())


if __name__ == "__main__":
    main()
