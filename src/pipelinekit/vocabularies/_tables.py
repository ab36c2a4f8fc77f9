"""The vocabularies: each vendor field that holds a stage, as a table with its source.

Each table names the vendor page (or source file) it follows in its ``source``; every row
that is not one-to-one says why in its ``note`` (docs/vocabularies.md lists them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Final

from pipelinekit.errors import InvalidPipeline
from pipelinekit.vocabularies._specs import (
    FRAPPE_DEALS,
    HUBSPOT_DEALS,
    ODOO_DEALS,
    SALESFORCE_DEALS,
    Deal,
    spec_of,
)
from pipelinekit.vocabularies._terms import System, Term, Vocabulary

__all__ = ["tables_of"]


def _table(
    system: System, name: str, field: str, *, source: str, terms: Iterable[Term], gap: str
) -> Vocabulary:
    return Vocabulary(
        system=system,
        spec=spec_of(system),
        name=name,
        field=field,
        source=source,
        terms=tuple(terms),
        gap=gap,
    )


def _deal_terms(
    deals: tuple[Deal, ...], *closed: tuple[str, str, str], by_id: bool = False
) -> list[Term]:
    """The open deal stages' rows (valued by label, or by id), then ``closed`` rows.

    Each of ``closed`` is (value, label, stage).
    """
    rows = [Term(value=n if by_id else label, label=label, stage=n) for n, label, _, _ in deals]
    return rows + [Term(value=v, label=label, stage=stage) for v, label, stage in closed]


def _after(deals: tuple[Deal, ...]) -> tuple[str, ...]:
    """Every stage a converted lead can be in: the open deal stages, won and lost."""
    return (*(d[0] for d in deals), "customer", "lost")


_SALESFORCE_SOURCE: Final = (
    "https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/"
)
_CONVERTED: Final = (
    "conversion is one event that makes an Account, a Contact and (optionally) an"
    " Opportunity of the lead: the lead's status only says it was converted, the"
    " Opportunity's StageName says where the deal is; read as the first deal stage"
)


def _salesforce_leads(name: str, values: tuple[str, str, str, str]) -> Vocabulary:
    new, working, converted, not_converted = values
    return _table(
        "salesforce",
        name,
        "Lead.Status",
        source=_SALESFORCE_SOURCE + "object-leadstatus.html (IsConverted marks the"
        " converted value); conversion: https://developer.salesforce.com/docs/atlas.en-us"
        ".api.meta/object_ref/sforce_api_calls_convertlead.htm",
        terms=(
            Term(value=new, label=new, stage="lead"),
            Term(value=working, label=working, stage="prospect"),
            Term(
                value=converted,
                label=converted,
                stage="prospecting",
                stages=_after(SALESFORCE_DEALS),
                note=_CONVERTED,
            ),
            Term(value=not_converted, label=not_converted, stage="disqualified"),
        ),
        gap="every stage has a lead status",
    )


def _salesforce() -> tuple[Vocabulary, ...]:
    return (
        _table(
            "salesforce",
            "opportunity_stage",
            "Opportunity.StageName",
            source=_SALESFORCE_SOURCE + "object-opportunitystage.html",
            terms=_deal_terms(
                SALESFORCE_DEALS,
                ("Closed Won", "Closed Won", "customer"),
                ("Closed Lost", "Closed Lost", "lost"),
            ),
            gap="a lead has no Opportunity yet; its state is its Lead.Status",
        ),
        _salesforce_leads(
            "lead_status",
            (
                "Open - Not Contacted",
                "Working - Contacted",
                "Closed - Converted",
                "Closed - Not Converted",
            ),
        ),
        _salesforce_leads("lead_status_short", ("Open", "Contacted", "Qualified", "Unqualified")),
    )


_HUBSPOT_OPEN: Final = tuple(d[0] for d in HUBSPOT_DEALS)


def _hubspot() -> tuple[Vocabulary, ...]:
    return (
        _table(
            "hubspot",
            "dealstage",
            "dealstage",
            source="https://developers.hubspot.com/docs/api-reference/crm-pipelines-v3/guide"
            " (the default deal pipeline, id 'default', and its internal stage ids)",
            terms=_deal_terms(
                HUBSPOT_DEALS,
                ("closedwon", "Closed Won", "customer"),
                ("closedlost", "Closed Lost", "lost"),
                by_id=True,
            ),
            gap="a contact without a deal has no dealstage; its state is its lifecyclestage",
        ),
        _table(
            "hubspot",
            "lifecyclestage",
            "lifecyclestage",
            source="https://knowledge.hubspot.com/records/use-lifecycle-stages"
            " (default lifecycle stages: internal values)",
            terms=(
                Term(
                    value="subscriber",
                    label="Subscriber",
                    stage="lead",
                    stages=(),
                    note="a subscriber only opted in to hear more; pipelinekit has no stage"
                    " before lead, so it reads as a lead, and a lead is written back as 'lead'",
                ),
                Term(value="lead", label="Lead", stage="lead"),
                Term(
                    value="marketingqualifiedlead",
                    label="Marketing Qualified Lead",
                    stage="lead",
                    stages=(),
                    note="an MQL is marketing's hand-off that sales has not accepted yet, still"
                    " a lead in pipelinekit (MQL is a score grade there, not a stage); a lead"
                    " is written back as 'lead'",
                ),
                Term(value="salesqualifiedlead", label="Sales Qualified Lead", stage="prospect"),
                Term(
                    value="opportunity",
                    label="Opportunity",
                    stage=_HUBSPOT_OPEN[0],
                    stages=_HUBSPOT_OPEN,
                    note="the lifecycle stage only says a deal exists, the deal's dealstage says"
                    " where it is; read as the first deal stage",
                ),
                Term(value="customer", label="Customer", stage="customer"),
                Term(
                    value="evangelist",
                    label="Evangelist",
                    stage="customer",
                    stages=(),
                    note="an evangelist is a customer who advocates; pipelinekit's pipeline ends"
                    " at customer, which is written back as 'customer'",
                ),
                Term(
                    value="other",
                    label="Other",
                    stage="disqualified",
                    note="HubSpot's catch-all for contacts outside the buyer journey (partners,"
                    " staff, vendors); pipelinekit reads it as disqualified, the nearest stage",
                ),
            ),
            gap="HubSpot has no lost lifecycle stage; a contact whose deal is lost keeps its"
            " lifecycle stage, and the deal's dealstage says closedlost",
        ),
    )


_ODOO_OPEN: Final = tuple(d[0] for d in ODOO_DEALS)
_ODOO_SOURCE: Final = "https://github.com/odoo/odoo/blob/master/addons/crm/"


def _odoo() -> tuple[Vocabulary, ...]:
    return (
        _table(
            "odoo",
            "stage_id",
            "crm.lead.stage_id",
            source=_ODOO_SOURCE + "data/crm_stage_data.xml",
            terms=_deal_terms(ODOO_DEALS, ("Won", "Won", "customer")),
            gap="Odoo has no lost stage (a lost lead or opportunity is archived with a lost"
            " reason and keeps its stage: see won_status) and a lead is type 'lead'",
        ),
        _table(
            "odoo",
            "type",
            "crm.lead.type",
            source=_ODOO_SOURCE + "models/crm_lead.py (type: lead or opportunity)",
            terms=(
                Term(value="lead", label="Lead", stage="lead"),
                Term(
                    value="opportunity",
                    label="Opportunity",
                    stage=_ODOO_OPEN[0],
                    stages=(*_ODOO_OPEN, "customer"),
                    note="the type only says the record is an opportunity, its stage_id says"
                    " where; read as the first stage",
                ),
            ),
            gap="a lost record keeps its type; won_status says it is lost",
        ),
        _table(
            "odoo",
            "won_status",
            "crm.lead.won_status",
            source="Odoo's computed crm.lead won_status: won (active, probability 100), lost"
            " (archived, probability 0), pending",
            terms=(
                Term(
                    value="pending",
                    label="Pending",
                    stage="lead",
                    stages=("lead", *_ODOO_OPEN),
                    note="pending is every open record; read as a lead (type and stage_id"
                    " say more)",
                ),
                Term(value="won", label="Won", stage="customer"),
                Term(
                    value="lost",
                    label="Lost",
                    stage="lost",
                    stages=("lost", "disqualified"),
                    note="Odoo marks a lead it drops (disqualified) and an opportunity it loses"
                    " the same way, archived with a lost reason; read as lost",
                ),
            ),
            gap="every stage has a won_status",
        ),
    )


_FRAPPE_SOURCE: Final = "https://github.com/frappe/crm/blob/develop/crm/install.py"


def _frappe() -> tuple[Vocabulary, ...]:
    return (
        _table(
            "frappe",
            "deal_status",
            "CRM Deal.status",
            source=_FRAPPE_SOURCE + " (add_default_deal_statuses)",
            terms=_deal_terms(FRAPPE_DEALS, ("Won", "Won", "customer"), ("Lost", "Lost", "lost")),
            gap="a CRM Lead has no deal status; its state is its lead status",
        ),
        _table(
            "frappe",
            "lead_status",
            "CRM Lead.status",
            source=_FRAPPE_SOURCE + " (add_default_lead_statuses)",
            terms=(
                Term(value="New", label="New", stage="lead"),
                Term(
                    value="Contacted",
                    label="Contacted",
                    stage="lead",
                    stages=(),
                    note="contacted but not qualified: still a lead, written back as 'New'",
                ),
                Term(
                    value="Nurture",
                    label="Nurture",
                    stage="lead",
                    stages=(),
                    note="a lead being nurtured: still a lead, written back as 'New'",
                ),
                Term(value="Qualified", label="Qualified", stage="prospect"),
                Term(value="Unqualified", label="Unqualified", stage="disqualified"),
                Term(
                    value="Junk",
                    label="Junk",
                    stage="disqualified",
                    stages=(),
                    note="junk is disqualified too; disqualified is written back as 'Unqualified'",
                ),
            ),
            gap="a converted lead is a CRM Deal; its state is the deal's status",
        ),
    )


_BUILDERS: Final[dict[str, Callable[[], tuple[Vocabulary, ...]]]] = {
    "salesforce": _salesforce,
    "hubspot": _hubspot,
    "odoo": _odoo,
    "frappe": _frappe,
}


@functools.cache
def tables_of(system: System) -> tuple[Vocabulary, ...]:
    """The vocabularies of ``system``, built (and checked) on first use.

    No value is in two of a system's tables, so a value alone says what it means.
    """
    chosen = _BUILDERS[system]()
    values = [v for table in chosen for v in table.values]
    twice = sorted({v for v in values if values.count(v) > 1})
    if twice:
        raise InvalidPipeline(f"{system}: values in two vocabularies: {twice}")
    return chosen
