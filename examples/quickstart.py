"""pipelinekit quick start: build contacts, qualify them, advance them, and say why.

Run it with ``python examples/quickstart.py``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pipelinekit as pk

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def build_contacts() -> list[pk.Contact]:
    """Three contacts: a good fit, a tiny company, and one nobody has asked much yet."""
    return [
        pk.Contact(
            id="c-1",
            name="Jane Roe",
            email="jane@acme.example",
            title="VP Operations",
            account=pk.Account(name="Acme", industry="software", employees=250, country="DE"),
            source="webinar",
            budget=pk.Money("40000", "EUR"),
            authority=True,
            need="Manual reporting eats two days a month",
            timeline=date(2027, 2, 1),
            stakeholders=(pk.Stakeholder(name="Jane Roe", role=pk.Role.DECISION_MAKER),),
        ),
        pk.Contact(
            id="c-2",
            name="Sam Smith",
            email="sam@tiny.example",
            account=pk.Account(name="Tiny & Co", industry="retail", employees=3, country="FR"),
            source="web_form",
            budget=pk.Money("500", "EUR"),
            authority=True,
        ),
        pk.Contact(
            id="c-3",
            name="Li Wei",
            email="li@globex.example",
            account=pk.Account(name="Globex", industry="fintech", country="SG"),
            source="trade show",
        ),
    ]


def advance_all(contacts: list[pk.Contact]) -> list[pk.Contact]:
    """Qualify every lead, then convert those who made it; say what happened and why."""
    icp = (
        (pk.field("account.employees") >= 100)
        & pk.field("account.industry").is_in({"software", "fintech"})
    ).named("ICP")
    bant = pk.frameworks.bant(min_budget=pk.Money("10000", "EUR"))
    pipeline = pk.Pipeline(guards={"qualify": icp, "convert": bant})
    result = pipeline.advance_many(contacts, "qualify", at=NOW, by="rep-7")
    moved = {step.contact.id: step.contact for step in result.advanced}
    for contact, verdict in result.blocked:
        print(f"{contact.name}: stays a lead, {verdict.summary()}")
        action = pipeline.next_action(contact, at=NOW)
        missing = f", find out {', '.join(action.missing)}" if action.missing else ""
        print(f"  next: {action.action}{missing}")
    for prospect in list(moved.values()):
        print(f"{prospect.name}: qualified ({prospect.history[-1].verdict})")
        try:
            step = pipeline.advance(prospect, "convert", at=NOW, by="rep-7")
        except pk.TransitionBlocked as blocked:
            print(f"  not converted: {blocked}")
        else:
            moved[prospect.id] = step.contact
            print(f"  converted: now {step.contact.stage}, version {step.contact.version}")
    return [moved.get(c.id, c) for c in contacts]


def main() -> None:
    """Print what happened to each contact, and why."""
    contacts = advance_all(build_contacts())
    print()
    for contact in contacts:
        print(
            f"{contact.name} ({contact.account.name if contact.account else '-'}):"
            f" stage={contact.stage}, budget={contact.budget or 'unknown'}"
        )
    document = pk.to_dict(contacts[0])
    print(f"\nJSON document of the first contact (schema_version {document['schema_version']}):")
    print(json.dumps(document, indent=2)[:400], "...")
    print("round trip equal:", pk.from_dict(document, pk.Contact) == contacts[0])


if __name__ == "__main__":
    main()
