"""The classic qualification frameworks as ready-made, inspectable qualifier trees.

Each function returns a named tree whose children are named after the framework's
criteria, so explanations read in the framework's words and you can take a tree apart,
extend it or re-combine it (``frameworks.bant(...) & my_icp``). They read the facts a
:class:`~pipelinekit.Contact` carries (or the same keys of a dict row):

======================  ==================================================================
criterion               reads
======================  ==================================================================
budget / money / funds  ``budget`` (Money) ``>= min_budget``, or a positive amount
authority               ``authority is True``, or a stakeholder with role decision maker
                        or economic buyer
need / identify pain    ``need``: a stated, non-blank need, or recorded ``pains``
timeframe / timing      ``timeline`` (the decision date) ahead of ``at``, at most
                        ``within`` away (a past date fails)
interest                ``interest is True``
economic buyer          a stakeholder with role ``economic_buyer``
champion                a stakeholder with role ``champion``
the long tail           ``facts.<key>``: non-blank text for ``metrics``,
                        ``decision_criteria``, ``decision_process``, ``paper_process``,
                        ``competition``, ``challenges``, ``goals``, ``plans``,
                        ``negative_consequences``, ``positive_implications``;
                        ``True`` for ``prioritized`` and ``urgent``
======================  ==================================================================

A fact nobody recorded is UNKNOWN, never FAIL, so the verdict's ``unknown_facts()`` is the
list of questions still to ask (``missing()``: those that would settle an UNKNOWN outcome).
An empty ``stakeholders`` tuple (the default) counts as not recorded: the stakeholder
criteria are UNKNOWN and ``unknown_facts()`` names ``stakeholders``.
Sources are listed in ``docs/frameworks.md``.

>>> import pipelinekit as pk
>>> from datetime import datetime, timedelta, timezone
>>> bant = pk.frameworks.bant(min_budget=pk.Money("10000", "EUR"), within=timedelta(days=180))
>>> [child.name for child in bant.children]
['Budget', 'Authority', 'Need', 'Timeframe']
>>> lead = pk.Contact(id="c-1", name="Jane", budget=pk.Money("20000", "EUR"), authority=True)
>>> verdict = bant.evaluate(lead, at=datetime(2026, 11, 22, tzinfo=timezone.utc))
>>> verdict.outcome.value, verdict.missing()
('unknown', ('need', 'timeline'))

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Final, Literal

import attrs

from pipelinekit._checks import describe, got, not_text
from pipelinekit._pretty import repr_pretty
from pipelinekit.entities import Role
from pipelinekit.errors import QualifierError
from pipelinekit.qualifiers.composites import AtLeast, all_of, any_of, at_least
from pipelinekit.qualifiers.core import Qualifier, format_delta
from pipelinekit.qualifiers.fields import field
from pipelinekit.qualifiers.items import any_item
from pipelinekit.values import Money

__all__ = [
    "IdealCustomerProfile",
    "anum",
    "bant",
    "champ",
    "faint",
    "gpctba_ci",
    "interest",
    "match",
    "meddic",
    "opportunity_level",
    "organization_level",
    "pain",
    "pain_interest_match",
    "stakeholder_level",
    "three_level",
]

#: The default window for a decision date to count as a real timeline.
DEFAULT_WITHIN: Final = timedelta(days=180)
_DECIDERS: Final = frozenset({Role.DECISION_MAKER, Role.ECONOMIC_BUYER})


def _stated(path: str) -> Qualifier:
    """Non-blank text at ``path`` (UNKNOWN when absent, FAIL when blank)."""
    return field(path).matches(r"\S")


def _stakeholder(criterion: Qualifier) -> Qualifier:
    """A stakeholder passes ``criterion``; no stakeholders recorded yet is UNKNOWN."""
    return any_item("stakeholders", criterion, empty_is_unknown=True)


def _role(role: Role) -> Qualifier:
    return _stakeholder(field("role") == role)


def _check_min_budget(framework: str, min_budget: object) -> None:
    if min_budget is None:
        return
    if not isinstance(min_budget, Money):
        raise QualifierError(
            f"{framework}: min_budget must be Money (pk.Money('10000', 'EUR')) or None, "
            f"got {got(min_budget)}"
        )
    if min_budget.amount < 0:
        raise QualifierError(f"{framework}: min_budget must not be negative, got {min_budget}")


def _check_within(framework: str, within: object) -> None:
    if type(within) is not timedelta:
        hint = " (did you mean timedelta(days=...)?)" if type(within) in (int, float) else ""
        raise QualifierError(f"{framework}: within must be a timedelta, got {got(within)}{hint}")
    if within < timedelta(0):
        raise QualifierError(
            f"{framework}: within must not be negative, got {format_delta(within)}"
        )


def _check_icp(framework: str, icp: object) -> None:
    if not isinstance(icp, IdealCustomerProfile):
        raise QualifierError(
            f"{framework}: icp must be a pk.frameworks.IdealCustomerProfile, got {got(icp)}"
        )


def _budget(min_budget: Money | None, name: str) -> Qualifier:
    if min_budget is None:
        return (field("budget.amount") > 0).named(name, "a budget is allocated")
    return (field("budget") >= min_budget).named(name, f"a budget of at least {min_budget}")


def _authority(name: str = "Authority") -> Qualifier:
    return any_of(
        field("authority") == True,  # noqa: E712  # builds a qualifier
        _stakeholder(field("role").is_in(_DECIDERS)),
    ).named(name, "the contact can decide, or a decision maker is identified")


def _need(name: str = "Need") -> Qualifier:
    return any_of(_stated("need"), field("pains").is_not_empty()).named(
        name, "a need the product solves is stated, or pains are recorded"
    )


def _timeline(within: timedelta, name: str) -> Qualifier:
    description = f"a decision date within the next {format_delta(within)}"
    return field("timeline").within_next(within).named(name, description)


def bant(
    *, min_budget: Money | None = None, within: timedelta = DEFAULT_WITHIN, required: int = 3
) -> AtLeast:
    """BANT (IBM): Budget, Authority, Need, Timeframe; qualified when ``required`` hold (3 of 4).

    >>> import pipelinekit as pk
    >>> str(pk.frameworks.bant())
    'at_least(3, Budget, Authority, Need, Timeframe)'
    >>> pk.frameworks.bant(required=5)
    Traceback (most recent call last):
    ...
    pipelinekit.errors.QualifierError: bant: required must be between 1 and 4, got 5

    Raises:
        QualifierError: an argument is out of range or of the wrong type (named).
    """
    _check_min_budget("bant", min_budget)
    _check_within("bant", within)
    if type(required) is not int:
        raise QualifierError(f"bant: required must be an int, got {got(required)}")
    if not 1 <= required <= 4:
        raise QualifierError(f"bant: required must be between 1 and 4, got {required}")
    criteria = (
        _budget(min_budget, "Budget"),
        _authority(),
        _need(),
        _timeline(within, "Timeframe"),
    )
    return at_least(required, *criteria).named(
        "BANT", f"{required} of budget, authority, need, timeframe"
    )


def champ(*, min_budget: Money | None = None) -> Qualifier:
    """CHAMP: Challenges, Authority, Money, Prioritization; all must hold."""
    _check_min_budget("champ", min_budget)
    challenges = any_of(_stated("facts.challenges"), _stated("need")).named(
        "Challenges", "challenges (or a need) are stated"
    )
    prioritized = (field("facts.prioritized") == True).named(  # noqa: E712  # builds a qualifier
        "Prioritization", "solving it is a priority"
    )
    return all_of(challenges, _authority(), _budget(min_budget, "Money"), prioritized).named(
        "CHAMP"
    )


def anum(*, min_budget: Money | None = None) -> Qualifier:
    """ANUM: Authority, Need, Urgency, Money, in that order of priority; all must hold."""
    _check_min_budget("anum", min_budget)
    urgency = (field("facts.urgent") == True).named("Urgency", "they need it solved soon")  # noqa: E712
    return all_of(_authority(), _need(), urgency, _budget(min_budget, "Money")).named("ANUM")


def faint(*, min_budget: Money | None = None, within: timedelta = DEFAULT_WITHIN) -> Qualifier:
    """FAINT: Funds, Authority, Interest, Need, Timing; all must hold."""
    _check_min_budget("faint", min_budget)
    _check_within("faint", within)
    return all_of(
        _budget(min_budget, "Funds"), _authority(), interest(), _need(), _timeline(within, "Timing")
    ).named("FAINT")


def meddic(variant: Literal["MEDDIC", "MEDDICC", "MEDDPICC"] = "MEDDIC") -> Qualifier:
    """MEDDIC and its extensions: MEDDICC adds Competition, MEDDPICC adds Paper process too.

    >>> import pipelinekit as pk
    >>> [c.name for c in pk.frameworks.meddic("MEDDPICC").children]
    ['Metrics', 'Economic buyer', 'Decision criteria', 'Decision process', 'Paper process',
     'Identify pain', 'Champion', 'Competition']
    """
    if variant not in ("MEDDIC", "MEDDICC", "MEDDPICC"):
        raise QualifierError(
            f"meddic: variant must be 'MEDDIC', 'MEDDICC' or 'MEDDPICC', got {describe(variant)}"
        )
    criteria = [
        _stated("facts.metrics").named("Metrics", "the quantified gain is known"),
        _role(Role.ECONOMIC_BUYER).named("Economic buyer", "the economic buyer is identified"),
        _stated("facts.decision_criteria").named("Decision criteria"),
        _stated("facts.decision_process").named("Decision process"),
    ]
    if variant == "MEDDPICC":
        criteria.append(_stated("facts.paper_process").named("Paper process"))
    criteria += [
        _need("Identify pain"),
        _role(Role.CHAMPION).named("Champion", "a champion is identified"),
    ]
    if variant in ("MEDDICC", "MEDDPICC"):
        criteria.append(_stated("facts.competition").named("Competition"))
    return all_of(*criteria).named(variant)


def gpctba_ci(*, min_budget: Money | None = None, within: timedelta = DEFAULT_WITHIN) -> Qualifier:
    """GPCTBA/C&I (HubSpot): Goals, Plans, Challenges, Timeline, Budget, Authority,
    Negative consequences, Positive implications; all must hold.
    """  # noqa: D205
    _check_min_budget("gpctba_ci", min_budget)
    _check_within("gpctba_ci", within)
    return all_of(
        _stated("facts.goals").named("Goals"),
        _stated("facts.plans").named("Plans"),
        _stated("facts.challenges").named("Challenges"),
        _timeline(within, "Timeline"),
        _budget(min_budget, "Budget"),
        _authority(),
        _stated("facts.negative_consequences").named("Negative consequences"),
        _stated("facts.positive_implications").named("Positive implications"),
    ).named("GPCTBA/C&I")


def _names(values: object, what: str) -> frozenset[str] | None:
    # ``object``: callers may pass anything; the checks below are the validation.
    if values is None:
        return None
    if (problem := not_text(values, "a collection of str")) is not None:
        raise QualifierError(f"{what}: {problem}")
    if not isinstance(values, Iterable) or isinstance(values, Mapping):
        raise QualifierError(f"{what} must be a collection of str, got {describe(values)}")
    names: frozenset[object] = frozenset(values)
    if not names:
        raise QualifierError(f"{what} must not be empty (use None for any)")
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise QualifierError(f"{what} must hold non-blank str values, got {describe(name)}")
    return names  # type: ignore[return-value]  # every member checked to be a str


def _industries(values: Iterable[str] | None) -> frozenset[str] | None:
    return _names(values, "industries")


def _countries(values: Iterable[str] | None) -> frozenset[str] | None:
    return _names(values, "countries")


def _check_employees(_: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is not None and (type(value) is not int or value < 0):
        raise QualifierError(f"{attribute.name} must be an int >= 0, got {value!r}")


def _check_revenue(_: object, attribute: attrs.Attribute[Money | None], value: object) -> None:
    if value is not None and not isinstance(value, Money):
        raise QualifierError(f"{attribute.name} must be Money, got {value!r}")


@attrs.frozen(kw_only=True)
class IdealCustomerProfile:
    """Who the product is built for; ``None`` means "any".

    >>> import pipelinekit as pk
    >>> icp = pk.frameworks.IdealCustomerProfile(min_employees=100, industries={"software"})
    >>> tiny = pk.Contact(id="c-2", name="Sam", account=pk.Account(name="Tiny", employees=3))
    >>> print(pk.frameworks.match(icp).evaluate(tiny))
    ✗ Match — 0 of 2 passed, 1 failed, 1 unknown
      ? Industry — account.industry is missing (to pass: find out account.industry)
      ✗ Company size — account.employees 3 < 100 (to pass: account.employees >= 100)
    """

    industries: frozenset[str] | None = attrs.field(default=None, converter=_industries)
    min_employees: int | None = attrs.field(default=None, validator=_check_employees)
    max_employees: int | None = attrs.field(default=None, validator=_check_employees)
    countries: frozenset[str] | None = attrs.field(default=None, converter=_countries)
    min_revenue: Money | None = attrs.field(default=None, validator=_check_revenue)

    _repr_pretty_ = repr_pretty  # IPython: one field a line

    def __attrs_post_init__(self) -> None:
        low, high = self.min_employees, self.max_employees
        if low is not None and high is not None and low > high:
            raise QualifierError(
                f"max_employees must be >= min_employees ({low}), got {high}: no company fits"
            )

    def criteria(self) -> tuple[Qualifier, ...]:
        """The organization-level criteria this profile sets."""
        found: list[Qualifier] = []
        if self.industries is not None:
            found.append(field("account.industry").is_in(self.industries).named("Industry"))
        size = []
        if self.min_employees is not None:
            size.append(field("account.employees") >= self.min_employees)
        if self.max_employees is not None:
            size.append(field("account.employees") <= self.max_employees)
        if size:
            found.append(all_of(*size).named("Company size"))
        if self.countries is not None:
            found.append(field("account.country").is_in(self.countries).named("Location"))
        if self.min_revenue is not None:
            found.append((field("account.annual_revenue") >= self.min_revenue).named("Revenue"))
        if not found:
            raise QualifierError("the ideal customer profile sets no criterion")
        return tuple(found)


def organization_level(icp: IdealCustomerProfile) -> Qualifier:
    """Level 1: the account matches the ideal customer profile (industry, size, location)."""
    _check_icp("organization_level", icp)
    return all_of(*icp.criteria()).named("Organization level")


def opportunity_level(
    *, min_budget: Money | None = None, within: timedelta = DEFAULT_WITHIN
) -> Qualifier:
    """Level 2: they would benefit: a need, a budget and a timeline."""
    _check_min_budget("opportunity_level", min_budget)
    _check_within("opportunity_level", within)
    return all_of(_need(), _budget(min_budget, "Budget"), _timeline(within, "Timeline")).named(
        "Opportunity level"
    )


def stakeholder_level() -> Qualifier:
    """Level 3: the contact can decide, or a decision maker is identified among stakeholders."""
    return _authority().named("Stakeholder level")


def three_level(
    icp: IdealCustomerProfile,
    *,
    min_budget: Money | None = None,
    within: timedelta = DEFAULT_WITHIN,
) -> Qualifier:
    """The three-level qualification: organization, opportunity and stakeholder levels."""
    _check_icp("three_level", icp)
    _check_min_budget("three_level", min_budget)
    _check_within("three_level", within)
    return all_of(
        organization_level(icp),
        opportunity_level(min_budget=min_budget, within=within),
        stakeholder_level(),
    ).named("Three-level qualification")


def pain() -> Qualifier:
    """Pain: a need the product solves is stated."""
    return _need("Pain")


def interest() -> Qualifier:
    """Interest: they want to solve it now (``interest is True``)."""
    return (field("interest") == True).named("Interest", "they want to solve it now")  # noqa: E712


def match(icp: IdealCustomerProfile) -> Qualifier:
    """Match: the product fits them (the account matches the ideal customer profile)."""
    _check_icp("match", icp)
    return all_of(*icp.criteria()).named("Match")


def pain_interest_match(icp: IdealCustomerProfile) -> Qualifier:
    """Pain, interest and match: the three attributes every real opportunity shares."""
    _check_icp("pain_interest_match", icp)
    return all_of(pain(), interest(), match(icp)).named("Pain, interest, match")
