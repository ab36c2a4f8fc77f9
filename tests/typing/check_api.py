"""Type-only checks of the foundation API, run by ``mypy --strict`` (never executed)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import assert_type

import attrs

import pipelinekit as pk

money = pk.Money("25000", "EUR")
assert_type(money.amount, Decimal)
assert_type(money.currency, str)
assert_type(money + money, pk.Money)
assert_type(money - money, pk.Money)
assert_type(money * 2, pk.Money)
assert_type(money / 2, pk.Money)
assert_type(-money, pk.Money)
assert_type(money < pk.Money("1", "EUR"), bool)
assert_type(pk.Money.zero("EUR"), pk.Money)
assert_type(str(money), str)

assert_type(pk.Stage.LEAD.order, int)
assert_type(pk.Stage.LEAD.default_probability, Decimal)
assert_type(pk.Stage.LEAD.info, pk.StageInfo)

contact = pk.Contact(id="c-1", name="Jane")
assert_type(contact.stage, str)
assert_type(contact.email, str | None)
assert_type(contact.account, pk.Account | None)
assert_type(contact.budget, pk.Money | None)
assert_type(contact.timeline, date | None)
assert_type(contact.created_at, datetime | None)
assert_type(contact.facts, Mapping[str, pk.FactValue])
assert_type(contact.stakeholders, tuple[pk.Stakeholder, ...])
assert_type(contact.touchpoints, tuple[pk.Touchpoint, ...])
assert_type(contact.history, tuple[pk.StageChange, ...])
assert_type(contact.version, int)
assert_type(contact.repr_unmasked(), str)
assert_type(attrs.evolve(contact, name="Jo"), pk.Contact)

touchpoint = pk.Touchpoint(channel=pk.Channel.CALL, timestamp=datetime(2026, 1, 1, tzinfo=UTC))
assert_type(touchpoint.channel, pk.Channel)
assert_type(touchpoint.timestamp, datetime)
assert_type(pk.Stakeholder(name="Max").role, pk.Role | None)
assert_type(pk.Opportunity(probability="0.5").probability, Decimal | None)
assert_type(pk.Account(name="Acme").domain, str | None)

# from_dict returns the requested type; to_dict returns a document (a JSON object) for
# documents, JSON for anything else; from_dict takes what to_dict wrote.
assert_type(pk.from_dict({}, pk.Contact), pk.Contact)
assert_type(pk.from_dict({}, pk.Money), pk.Money)
assert_type(pk.to_dict(contact), pk.Document)
assert_type(pk.to_dict(pk.Stage.LEAD), pk.JSON)
assert_type(pk.from_dict(pk.to_dict(contact), pk.Contact), pk.Contact)
assert_type(pk.from_dict(pk.to_dict([contact]), list[pk.Contact]), list[pk.Contact])

error = pk.SchemaError("$", "expected an object")
assert_type(error.path, str)
assert_type(error.problem, str)
assert_type(pk.FieldValueError("f", "bad").field, str)

pk.Account(name="Acme", employees="12")  # type: ignore[arg-type]
pk.Money(1.5, "EUR")  # type: ignore[arg-type]
pk.Contact(id="c")  # type: ignore[call-arg]
pk.Account("Acme")  # type: ignore[call-arg]

# Qualifiers: builders, the fast boolean, verdicts, loading documents.
icp = (pk.field("account.employees") >= 100) & pk.field("account.industry").is_in({"software"})
assert_type(icp(contact), bool)
assert_type(icp.filter([contact]), list[pk.Contact])
assert_type(icp.evaluate(contact).outcome, pk.Outcome)
assert_type(icp.evaluate(contact).missing(), tuple[str, ...])
assert_type(pk.from_dict({}, pk.Qualifier), pk.Qualifier)
bant: pk.Qualifier = pk.frameworks.bant(min_budget=pk.Money("1", "EUR"), within=timedelta(days=9))
assert_type(bant(contact, at=datetime(2026, 1, 1, tzinfo=UTC)), bool)

# Lifecycle: a step carries the new contact and the change.
step = pk.Pipeline().advance(contact, "qualify", at=datetime(2026, 1, 1, tzinfo=UTC))
assert_type(step.contact, pk.Contact)
assert_type(step.change, pk.StageChange)

# Every public return can be annotated with public names, as a dependent writes them.
size: pk.Compare = pk.field("account.employees") >= 100
assert_type(pk.field("a") >= 1, pk.Compare)
assert_type(size.named("Size"), pk.Compare)
fit: pk.Qualifier = size & pk.field("budget").is_known()
assert_type(size & size, pk.Qualifier)
assert_type(size | size, pk.Qualifier)
assert_type(~size, pk.Qualifier)
assert_type(fit.named("Fit", "big enough"), pk.Qualifier)
assert_type(fit.children, tuple[pk.Qualifier, ...])
assert_type(fit.name, str | None)
assert_type(fit.description, str | None)
assert_type(fit.label, str)
assert_type(pk.all_of(size, fit), pk.Qualifier)
assert_type(pk.at_least(1, size, fit), pk.AtLeast)
assert_type(pk.weighted({size: 1, fit: 2}, threshold=2), pk.Weighted)
assert_type(pk.field("timeline").within(timedelta(days=9)), pk.Within)
assert_type(pk.field("timeline").older_than(timedelta(days=9)), pk.OlderThan)
assert_type(pk.field("industry").is_in({"software"}), pk.IsIn)
assert_type(pk.field("title").matches("CTO"), pk.Matches)
assert_type(pk.any_item("stakeholders", pk.field("name").is_known()), pk.AnyItem)
assert_type(pk.frameworks.bant(), pk.AtLeast)
assert_type(pk.frameworks.meddic(), pk.Qualifier)
depth_limit: int = pk.MAX_DEPTH


class HasMeeting(pk.Qualifier):
    """A custom qualifier as the docs show it: ``outcome`` is the one method to implement."""

    def outcome(self, subject: object, at: datetime | None) -> pk.Outcome:
        return pk.Outcome.PASS


met = HasMeeting()
assert_type(met.named("Met"), HasMeeting)
assert_type(met & size, pk.Qualifier)
assert_type(pk.at_least(1, met, size), pk.AtLeast)
assert_type(met.evaluate(contact).outcome, pk.Outcome)
assert_type(met.filter([contact]), list[pk.Contact])
assert_type(pk.Pipeline(guards={"qualify": met}).guards, Mapping[str, pk.Qualifier])

# A contact's stage metadata, typed (Contact.stage is a plain str).
stage_spec = pk.DEFAULT_SPEC.stage_of(contact)
assert_type(stage_spec, pk.StageSpec)
assert_type(stage_spec.probability, Decimal | None)
assert_type(stage_spec.final, bool)
assert_type(pk.Pipeline().spec.stage_of(contact).action, str | None)
