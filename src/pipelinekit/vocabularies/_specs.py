"""The ready specs: each vendor's default deal stages as a :class:`~pipelinekit.PipelineSpec`.

Each table of deal stages names the vendor page (or source file) it follows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Final, TypeAlias

from pipelinekit.lifecycle import PipelineSpec, StageSpec, Transition
from pipelinekit.stages import ForecastCategory
from pipelinekit.vocabularies._terms import System

__all__ = ["FRAPPE_DEALS", "HUBSPOT_DEALS", "ODOO_DEALS", "SALESFORCE_DEALS", "Deal", "spec_of"]

#: One open deal stage: its name, the vendor's label, its probability, its forecast category.
Deal: TypeAlias = tuple[str, str, str | None, ForecastCategory]


def _spec(
    *,
    name: str,
    lead: str,
    prospect: str | None,
    deals: tuple[Deal, ...],
    won: str,
    lost: str,
    disqualified: str,
) -> PipelineSpec:
    open_deals = [d[0] for d in deals]
    early = ["lead"] if prospect is None else ["lead", "prospect"]
    stages = [StageSpec("lead", label=lead, action="nurture")]
    transitions = []
    if prospect is not None:
        stages.append(StageSpec("prospect", label=prospect, action="discovery"))
        transitions.append(Transition("qualify", "lead", "prospect"))
    stages += [
        StageSpec(d, label=label, probability=p, forecast=forecast, action="close")
        for d, label, p, forecast in deals
    ]
    stages += [
        StageSpec("customer", final=True, outcome="won", probability=1, label=won),
        StageSpec(
            "disqualified",
            outcome="disqualified",
            probability=0,
            label=disqualified,
            action="nurture later",
        ),
        StageSpec("lost", outcome="lost", probability=0, label=lost, action="win back"),
    ]
    transitions.append(Transition("convert", early[-1], open_deals[0]))
    transitions += [
        Transition(f"move_to_{d}", [o for o in open_deals if o != d], d) for d in open_deals
    ]
    transitions += [
        Transition("win", open_deals, "customer"),
        Transition("lose", open_deals, "lost", reason_required=True),
        Transition("disqualify", early, "disqualified", reason_required=True),
        Transition("recycle", ("disqualified", "lost"), "lead"),
    ]
    return PipelineSpec(name=name, stages=stages, transitions=transitions)


SALESFORCE_DEALS: Final[tuple[Deal, ...]] = (
    ("prospecting", "Prospecting", "0.1", "pipeline"),
    ("qualification", "Qualification", "0.1", "pipeline"),
    ("needs_analysis", "Needs Analysis", "0.2", "pipeline"),
    ("value_proposition", "Value Proposition", "0.5", "pipeline"),
    ("id_decision_makers", "Id. Decision Makers", "0.6", "pipeline"),
    ("perception_analysis", "Perception Analysis", "0.7", "pipeline"),
    ("proposal_price_quote", "Proposal/Price Quote", "0.75", "pipeline"),
    ("negotiation_review", "Negotiation/Review", "0.9", "pipeline"),
)
"""Salesforce's default Opportunity stages (OpportunityStage: MasterLabel, DefaultProbability,
ForecastCategoryName), https://developer.salesforce.com/docs/platform/object-reference/
references/standard-objects/object-opportunitystage.html. The names are confirmed; the
probabilities and the forecast category (Pipeline for every open stage) are the commonly
published defaults, not confirmed against a Salesforce page (see docs/vocabularies.md)."""

HUBSPOT_DEALS: Final[tuple[Deal, ...]] = (
    ("appointmentscheduled", "Appointment Scheduled", "0.2", "pipeline"),
    ("qualifiedtobuy", "Qualified to Buy", "0.4", "pipeline"),
    ("presentationscheduled", "Presentation Scheduled", "0.6", "pipeline"),
    ("decisionmakerboughtin", "Decision Maker Bought-In", "0.8", "pipeline"),
    ("contractsent", "Contract Sent", "0.9", "pipeline"),
)
"""HubSpot's default deal pipeline (pipeline id "default"): stage ids and win probabilities,
https://developers.hubspot.com/docs/api-reference/crm-pipelines-v3/guide. HubSpot deal
stages carry no forecast category (a deal's own hs_manual_forecast_category does), so open
stages are "pipeline", pipelinekit's default."""

ODOO_DEALS: Final[tuple[Deal, ...]] = (
    ("new", "New", None, "pipeline"),
    ("qualified", "Qualified", None, "pipeline"),
    ("proposition", "Proposition", None, "pipeline"),
)
"""Odoo CRM's default stages, addons/crm/data/crm_stage_data.xml (github.com/odoo/odoo):
New, Qualified, Proposition, then Won (is_won). Current stages carry no probability (an
older version of the file had 10, 30, 70, 100): Odoo computes each opportunity's own
probability by predictive lead scoring, which Opportunity.probability carries."""

FRAPPE_DEALS: Final[tuple[Deal, ...]] = (
    ("qualification", "Qualification", "0.1", "pipeline"),
    ("demo_making", "Demo/Making", "0.25", "pipeline"),
    ("proposal_quotation", "Proposal/Quotation", "0.5", "pipeline"),
    ("negotiation", "Negotiation", "0.7", "pipeline"),
    ("ready_to_close", "Ready to Close", "0.9", "pipeline"),
)
"""Frappe CRM's default CRM Deal Status records (type Open/Ongoing, probability), crm/install.py
(github.com/frappe/crm): then Won (100) and Lost (0)."""

_BUILDERS: Final[dict[str, Callable[[], PipelineSpec]]] = {
    "salesforce": lambda: _spec(
        name="Salesforce",
        lead="Open - Not Contacted",
        prospect="Working - Contacted",
        deals=SALESFORCE_DEALS,
        won="Closed Won",
        lost="Closed Lost",
        disqualified="Closed - Not Converted",
    ),
    "hubspot": lambda: _spec(
        name="HubSpot",
        lead="Lead",
        prospect="Sales Qualified Lead",
        deals=HUBSPOT_DEALS,
        won="Closed Won",
        lost="Closed Lost",
        disqualified="Other",
    ),
    "odoo": lambda: _spec(
        name="Odoo",
        lead="Lead",
        prospect=None,
        deals=ODOO_DEALS,
        won="Won",
        lost="Lost",
        disqualified="Lost lead",
    ),
    "frappe": lambda: _spec(
        name="FrappeCRM",
        lead="New",
        prospect="Qualified",
        deals=FRAPPE_DEALS,
        won="Won",
        lost="Lost",
        disqualified="Unqualified",
    ),
}


@functools.cache
def spec_of(system: System) -> PipelineSpec:
    """The ready spec of ``system``, built on first use.

    (Not at import: checking its names builds python-statemachine's probe machine, which
    ``import pipelinekit`` must not pay for.)
    """
    return _BUILDERS[system]()
