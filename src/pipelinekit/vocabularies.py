"""Ready pipelines and two-way stage mappings for the CRMs users come from.

Each supported system (:data:`SYSTEMS`: ``"salesforce"``, ``"hubspot"``, ``"odoo"``,
``"frappe"``) has a *ready spec*, a :class:`~pipelinekit.PipelineSpec` whose deal stages are
the vendor's default ones (with their probabilities, forecast categories and labels), and
one :class:`Vocabulary` per vendor field that holds a stage: a data table of
:class:`Term` rows, each naming the vendor page it follows.

:func:`to_pipelinekit` reads a vendor value as a stage of the system's ready spec;
:func:`from_pipelinekit` writes a stage back as a vendor value. Where the vendor's model and
pipelinekit's differ the mapping is *lossy*, and the row says why (:attr:`Term.note`):

- several vendor values name one stage (HubSpot's subscriber, lead and MQL are all
  leads): reading gives the stage, writing it back gives the stage's one canonical value;
- one vendor value stands for several stages (Salesforce's "Closed - Converted" is every
  stage after conversion): reading gives the first of them, writing any of them back gives
  the value;
- a vendor field has no value for a stage (HubSpot has no lost lifecycle stage, Odoo no
  lost stage and no prospect stage at all): writing it back is a
  :class:`~pipelinekit.FieldValueError` that says where the vendor keeps that state.

>>> from pipelinekit import vocabularies
>>> vocabularies.to_pipelinekit("salesforce", "Negotiation/Review")
'negotiation_review'
>>> vocabularies.from_pipelinekit("hubspot", "customer")
'closedwon'
>>> vocabularies.from_pipelinekit("hubspot", "customer", vocabulary="lifecyclestage")
'customer'
>>> vocabularies.ready_spec("salesforce").stage("proposal_price_quote").probability
Decimal('0.75')

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal, TypeAlias

import attrs

from pipelinekit._checks import describe, got
from pipelinekit.errors import FieldTypeError, FieldValueError, InvalidPipeline
from pipelinekit.lifecycle import PipelineSpec, StageSpec, Transition
from pipelinekit.stages import did_you_mean

# TEMP until helper s's StageSpec(outcome=, forecast=, label=) lands on main: drop the
# fields the current StageSpec does not have yet. Removed at the merge.
ForecastCategory: TypeAlias = str
_FIELDS: Final = set(attrs.fields_dict(StageSpec))


def _stage_spec(name: str, **fields: object) -> StageSpec:
    return StageSpec(name, **{k: v for k, v in fields.items() if k in _FIELDS})  # type: ignore[arg-type]


__all__ = [
    "SYSTEMS",
    "System",
    "Term",
    "Vocabulary",
    "from_pipelinekit",
    "ready_spec",
    "tables",
    "to_pipelinekit",
]

#: A CRM whose vocabulary pipelinekit knows.
System: TypeAlias = Literal["salesforce", "hubspot", "odoo", "frappe"]
#: Every :data:`System`.
SYSTEMS: Final[tuple[System, ...]] = ("salesforce", "hubspot", "odoo", "frappe")

_NAMES: Final[dict[str, str]] = {
    "salesforce": "Salesforce",
    "hubspot": "HubSpot",
    "odoo": "Odoo",
    "frappe": "Frappe CRM",
}


def _all_stages(term: Term) -> tuple[str, ...]:
    return (term.stage,)


@attrs.frozen(kw_only=True)
class Term:
    """One vendor value and the stage of the system's ready spec it means.

    Attributes:
        value: The value as the vendor stores it (the API value or internal id).
        label: The value as the vendor's screens show it by default.
        stage: What :func:`to_pipelinekit` gives for ``value``.
        stages: The stages :func:`from_pipelinekit` writes back as ``value`` (in this
            vocabulary): ``(stage,)`` for a one-to-one row (the default), several for a
            value that stands for several stages, none for a value that never comes back
            (another value is its stage's canonical one).
        note: Why the row is lossy; every row that is not one-to-one has one.
    """

    value: str
    label: str
    stage: str
    stages: tuple[str, ...] = attrs.field(default=attrs.Factory(_all_stages, takes_self=True))
    note: str | None = None

    @property
    def round_trips(self) -> bool:
        """Whether writing back the stage read from ``value`` gives ``value`` again."""
        return self.stage in self.stages


@attrs.frozen(kw_only=True)
class Vocabulary:
    """The values of one vendor field that holds a stage, as a table with its source.

    Attributes:
        system: The CRM.
        name: The table's name among the system's (``vocabulary=`` of the functions).
        field: The vendor field whose values these are (``"Opportunity.StageName"``).
        source: The vendor page (or source file) the table follows.
        terms: The rows, in the vendor's order.
        gap: Where the vendor keeps the stages this field has no value for.
    """

    system: System
    name: str
    field: str
    source: str
    terms: tuple[Term, ...]
    gap: str

    def __attrs_post_init__(self) -> None:
        values = [t.value for t in self.terms]
        covered = [s for t in self.terms for s in t.stages]
        for what, items in (("value", values), ("written-back stage", covered)):
            twice = sorted({i for i in items if items.count(i) > 1})
            if twice:
                raise InvalidPipeline(f"vocabulary {self.name!r}: {what}s listed twice: {twice}")
        lossy = [t.value for t in self.terms if t.stages != (t.stage,) and t.note is None]
        if lossy:
            raise InvalidPipeline(f"vocabulary {self.name!r}: lossy rows without a note: {lossy}")

    @property
    def values(self) -> tuple[str, ...]:
        """Every value of the field, in the vendor's order."""
        return tuple(t.value for t in self.terms)

    def term(self, value: str) -> Term:
        """The row of ``value`` (a :class:`~pipelinekit.FieldValueError` if none)."""
        return _find(self.system, (self,), value)

    def to_pipelinekit(self, value: str) -> str:
        """The stage ``value`` means (see :func:`to_pipelinekit`)."""
        return self.term(value).stage

    def from_pipelinekit(self, stage: str) -> str:
        """The value this field holds for ``stage`` (see :func:`from_pipelinekit`)."""
        name = _check_stage(self.system, stage)
        found = next((t for t in self.terms if name in t.stages), None)
        if found is None:
            raise FieldValueError(
                "stage",
                f"{_NAMES[self.system]}'s {self.field} has no value for stage {stage!r}:"
                f" {self.gap}",
            )
        return found.value


def _text(field: str, value: object) -> str:
    if not isinstance(value, str):
        raise FieldTypeError(field, f"expected str, got {got(value)}")
    return value


def _check_system(system: object) -> System:
    name = _text("system", system)
    if name not in _NAMES:
        raise FieldValueError(
            "system",
            f"{describe(name)} is not a supported system; systems: {', '.join(SYSTEMS)}"
            f"{did_you_mean(name, SYSTEMS)}",
        )
    return name  # type: ignore[return-value]  # one of SYSTEMS


def _check_stage(system: System, stage: object) -> str:
    name = _text("stage", stage)
    names = [s.name for s in _SPECS[system].stages]
    if name not in names:
        raise FieldValueError(
            "stage",
            f"{describe(name)} is not a stage of the {_NAMES[system]} pipeline:"
            f" {', '.join(names)}{did_you_mean(name, names)}",
        )
    return name


def _chosen(system: System, vocabulary: object) -> tuple[Vocabulary, ...]:
    if vocabulary is None:
        return _TABLES[system]
    name = _text("vocabulary", vocabulary)
    for table in _TABLES[system]:
        if table.name == name:
            return (table,)
    names = [t.name for t in _TABLES[system]]
    raise FieldValueError(
        "vocabulary",
        f"{describe(name)} is not a vocabulary of {_NAMES[system]}: {', '.join(names)}"
        f"{did_you_mean(name, names)}",
    )


def _find(system: System, chosen: Iterable[Vocabulary], value: object) -> Term:
    text = _text("value", value)
    chosen = tuple(chosen)
    for table in chosen:
        for term in table.terms:
            if term.value == text:
                return term
    values = [v for table in chosen for v in table.values]
    fields = ", ".join(table.field for table in chosen)
    raise FieldValueError(
        "value",
        f"{describe(text)} is not a value of {_NAMES[system]}'s {fields}:"
        f" {', '.join(map(repr, values))}{did_you_mean(text, values)}",
    )


def to_pipelinekit(system: System, value: str, *, vocabulary: str | None = None) -> str:
    """The stage of ``system``'s ready spec that a vendor value means.

    Args:
        system: The CRM (one of :data:`SYSTEMS`).
        value: The value as the vendor stores it: case and spelling count (``"Closed
            Won"``, ``"closedwon"``); a near miss is refused with the closest value.
        vocabulary: The vendor field to look in (a :attr:`Vocabulary.name`); by default
            every field of the system (their values never collide).

    A value that stands for several stages gives the first of them ("Closed - Converted"
    gives Salesforce's first deal stage); :func:`tables` lists every row and its note.

    >>> to_pipelinekit("hubspot", "salesqualifiedlead")
    'prospect'
    >>> to_pipelinekit("salesforce", "Closed won")
    Traceback (most recent call last):
    ...
    pipelinekit.errors.FieldValueError: value: 'Closed won' is not a value of Salesforce's \
Opportunity.StageName, Lead.Status, Lead.Status: 'Prospecting', 'Qualification', \
'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', \
'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost', \
'Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', \
'Closed - Not Converted', 'Open', 'Contacted', 'Qualified', 'Unqualified'; \
did you mean 'Closed Won'?

    Raises:
        FieldTypeError: An argument is not a ``str``.
        FieldValueError: An unknown system, vocabulary or value (with the closest one).
    """
    known = _check_system(system)
    return _find(known, _chosen(known, vocabulary), value).stage


def from_pipelinekit(system: System, stage: str, *, vocabulary: str | None = None) -> str:
    """The vendor value for a stage of ``system``'s ready spec.

    Args:
        system: The CRM (one of :data:`SYSTEMS`).
        stage: A stage name of :func:`ready_spec` of the system.
        vocabulary: The vendor field to write (a :attr:`Vocabulary.name`); by default the
            first of the system's fields that has a value for the stage, deal fields first
            (so a won contact gives HubSpot's ``"closedwon"``, not ``"customer"``).

    >>> from_pipelinekit("salesforce", "lead")
    'Open - Not Contacted'
    >>> from_pipelinekit("salesforce", "lead", vocabulary="lead_status_short")
    'Open'
    >>> from_pipelinekit("hubspot", "lost", vocabulary="lifecyclestage")
    Traceback (most recent call last):
    ...
    pipelinekit.errors.FieldValueError: stage: HubSpot's lifecyclestage has no value for \
stage 'lost': HubSpot has no lost lifecycle stage; a contact whose deal is lost keeps its \
lifecycle stage, and the deal's dealstage says closedlost

    Raises:
        FieldTypeError: An argument is not a ``str``.
        FieldValueError: An unknown system, vocabulary or stage (with the closest one), or
            a stage the chosen field has no value for (with where the vendor keeps it).
    """
    known = _check_system(system)
    if vocabulary is not None:
        return _chosen(known, vocabulary)[0].from_pipelinekit(stage)
    return _WRITE[known][_check_stage(known, stage)]


def ready_spec(system: System) -> PipelineSpec:
    """The ready :class:`~pipelinekit.PipelineSpec` of ``system``.

    Its stages are ``lead`` (and ``prospect`` where the vendor has a qualified lead), the
    vendor's open deal stages in order, ``customer`` (won), ``disqualified`` and ``lost``,
    labelled with the vendor's words. The events are the default pipeline's (``qualify``,
    ``convert``, ``win``, ``lose``, ``disqualify``, ``recycle``) plus ``move_to_<stage>``
    between open deal stages, either way, so guards written for the default pipeline
    apply.

    >>> [s.name for s in ready_spec("odoo").stages]
    ['lead', 'new', 'qualified', 'proposition', 'customer', 'disqualified', 'lost']
    """
    return _SPECS[_check_system(system)]


def tables(system: System) -> tuple[Vocabulary, ...]:
    """The vocabularies of ``system``, in the order :func:`from_pipelinekit` tries them."""
    return _TABLES[_check_system(system)]


# --- the ready specs ---------------------------------------------------------------------

_Deal: TypeAlias = tuple[str, str, str | None, ForecastCategory]  # name, label, probability


def _spec(
    name: str,
    *,
    lead: str,
    prospect: str | None,
    deals: tuple[_Deal, ...],
    won: str,
    lost: str,
    disqualified: str,
) -> PipelineSpec:
    open_deals = [d[0] for d in deals]
    early = ["lead"] if prospect is None else ["lead", "prospect"]
    stages = [_stage_spec("lead", label=lead, action="nurture")]
    transitions = []
    if prospect is not None:
        stages.append(_stage_spec("prospect", label=prospect, action="discovery"))
        transitions.append(Transition("qualify", "lead", "prospect"))
    stages += [
        _stage_spec(d, label=label, probability=p, forecast=forecast, action="close")
        for d, label, p, forecast in deals
    ]
    stages += [
        _stage_spec("customer", final=True, outcome="won", probability=1, label=won),
        _stage_spec(
            "disqualified",
            outcome="disqualified",
            probability=0,
            label=disqualified,
            action="nurture later",
        ),
        _stage_spec("lost", outcome="lost", probability=0, label=lost, action="win back"),
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


_SALESFORCE_DEALS: Final[tuple[_Deal, ...]] = (
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

_HUBSPOT_DEALS: Final[tuple[_Deal, ...]] = (
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

_ODOO_DEALS: Final[tuple[_Deal, ...]] = (
    ("new", "New", None, "pipeline"),
    ("qualified", "Qualified", None, "pipeline"),
    ("proposition", "Proposition", None, "pipeline"),
)
"""Odoo CRM's default stages, addons/crm/data/crm_stage_data.xml (github.com/odoo/odoo):
New, Qualified, Proposition, then Won (is_won). Current stages carry no probability (an
older version of the file had 10, 30, 70, 100): Odoo computes each opportunity's own
probability by predictive lead scoring, which Opportunity.probability carries."""

_FRAPPE_DEALS: Final[tuple[_Deal, ...]] = (
    ("qualification", "Qualification", "0.1", "pipeline"),
    ("demo_making", "Demo/Making", "0.25", "pipeline"),
    ("proposal_quotation", "Proposal/Quotation", "0.5", "pipeline"),
    ("negotiation", "Negotiation", "0.7", "pipeline"),
    ("ready_to_close", "Ready to Close", "0.9", "pipeline"),
)
"""Frappe CRM's default CRM Deal Status records (type Open/Ongoing, probability), crm/install.py
(github.com/frappe/crm): then Won (100) and Lost (0)."""

_SPECS: Final[dict[System, PipelineSpec]] = {
    "salesforce": _spec(
        "Salesforce",
        lead="Open - Not Contacted",
        prospect="Working - Contacted",
        deals=_SALESFORCE_DEALS,
        won="Closed Won",
        lost="Closed Lost",
        disqualified="Closed - Not Converted",
    ),
    "hubspot": _spec(
        "HubSpot",
        lead="Lead",
        prospect="Sales Qualified Lead",
        deals=_HUBSPOT_DEALS,
        won="Closed Won",
        lost="Closed Lost",
        disqualified="Other",
    ),
    "odoo": _spec(
        "Odoo",
        lead="Lead",
        prospect=None,
        deals=_ODOO_DEALS,
        won="Won",
        lost="Lost",
        disqualified="Lost lead",
    ),
    "frappe": _spec(
        "FrappeCRM",
        lead="New",
        prospect="Qualified",
        deals=_FRAPPE_DEALS,
        won="Won",
        lost="Lost",
        disqualified="Unqualified",
    ),
}


# --- the vocabularies --------------------------------------------------------------------


def _deal_terms(deals: tuple[_Deal, ...]) -> list[Term]:
    return [Term(value=label, label=label, stage=name) for name, label, _, _ in deals]


def _after(deals: tuple[_Deal, ...]) -> tuple[str, ...]:
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
    return Vocabulary(
        system="salesforce",
        name=name,
        field="Lead.Status",
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
                stages=_after(_SALESFORCE_DEALS),
                note=_CONVERTED,
            ),
            Term(value=not_converted, label=not_converted, stage="disqualified"),
        ),
        gap="every stage has a lead status",
    )


_SALESFORCE: Final = (
    Vocabulary(
        system="salesforce",
        name="opportunity_stage",
        field="Opportunity.StageName",
        source=_SALESFORCE_SOURCE + "object-opportunitystage.html",
        terms=(
            *_deal_terms(_SALESFORCE_DEALS),
            Term(value="Closed Won", label="Closed Won", stage="customer"),
            Term(value="Closed Lost", label="Closed Lost", stage="lost"),
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

_HUBSPOT_OPEN: Final = tuple(d[0] for d in _HUBSPOT_DEALS)
_HUBSPOT: Final = (
    Vocabulary(
        system="hubspot",
        name="dealstage",
        field="dealstage",
        source="https://developers.hubspot.com/docs/api-reference/crm-pipelines-v3/guide"
        " (the default deal pipeline, id 'default', and its internal stage ids)",
        terms=(
            *[Term(value=d[0], label=d[1], stage=d[0]) for d in _HUBSPOT_DEALS],
            Term(value="closedwon", label="Closed Won", stage="customer"),
            Term(value="closedlost", label="Closed Lost", stage="lost"),
        ),
        gap="a contact without a deal has no dealstage; its state is its lifecyclestage",
    ),
    Vocabulary(
        system="hubspot",
        name="lifecyclestage",
        field="lifecyclestage",
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

_ODOO_OPEN: Final = tuple(d[0] for d in _ODOO_DEALS)
_ODOO_SOURCE: Final = "https://github.com/odoo/odoo/blob/master/addons/crm/"
_ODOO: Final = (
    Vocabulary(
        system="odoo",
        name="stage_id",
        field="crm.lead.stage_id",
        source=_ODOO_SOURCE + "data/crm_stage_data.xml",
        terms=(
            *_deal_terms(_ODOO_DEALS),
            Term(value="Won", label="Won", stage="customer"),
        ),
        gap="Odoo has no lost stage (a lost lead or opportunity is archived with a lost"
        " reason and keeps its stage: see won_status) and a lead is type 'lead'",
    ),
    Vocabulary(
        system="odoo",
        name="type",
        field="crm.lead.type",
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
    Vocabulary(
        system="odoo",
        name="won_status",
        field="crm.lead.won_status",
        source="Odoo's computed crm.lead won_status: won (active, probability 100), lost"
        " (archived, probability 0), pending",
        terms=(
            Term(
                value="pending",
                label="Pending",
                stage="lead",
                stages=("lead", *_ODOO_OPEN),
                note="pending is every open record; read as a lead (type and stage_id say more)",
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
_FRAPPE: Final = (
    Vocabulary(
        system="frappe",
        name="deal_status",
        field="CRM Deal.status",
        source=_FRAPPE_SOURCE + " (add_default_deal_statuses)",
        terms=(
            *_deal_terms(_FRAPPE_DEALS),
            Term(value="Won", label="Won", stage="customer"),
            Term(value="Lost", label="Lost", stage="lost"),
        ),
        gap="a CRM Lead has no deal status; its state is its lead status",
    ),
    Vocabulary(
        system="frappe",
        name="lead_status",
        field="CRM Lead.status",
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

_TABLES: Final[dict[System, tuple[Vocabulary, ...]]] = {
    "salesforce": _SALESFORCE,
    "hubspot": _HUBSPOT,
    "odoo": _ODOO,
    "frappe": _FRAPPE,
}


def _check_tables() -> None:
    """Every row names stages of its ready spec, and no value is in two of a system's tables."""
    for system, chosen in _TABLES.items():
        names = {s.name for s in _SPECS[system].stages}
        values = [v for table in chosen for v in table.values]
        if len(values) != len(set(values)):
            raise InvalidPipeline(f"{system}: a value is in two vocabularies")
        for table in chosen:
            for term in table.terms:
                unknown = {term.stage, *term.stages} - names
                if unknown:
                    raise InvalidPipeline(f"{table.name} {term.value!r}: no stage {unknown}")


_check_tables()


def _writes(system: System) -> dict[str, str]:
    """The value :func:`from_pipelinekit` gives for each stage: the first table's that has one."""
    writes: dict[str, str] = {}
    for table in reversed(_TABLES[system]):
        writes.update({stage: term.value for term in table.terms for stage in term.stages})
    missing = [s.name for s in _SPECS[system].stages if s.name not in writes]
    if missing:
        raise InvalidPipeline(f"{system}: no vocabulary writes {missing}")
    return writes


_WRITE: Final = {system: _writes(system) for system in SYSTEMS}
