"""The stages of the default pipeline and what each one means.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Final, Literal, NamedTuple, TypeAlias

from pipelinekit._checks import got
from pipelinekit.errors import FieldTypeError, FieldValueError

__all__ = [
    "FORECAST_CATEGORIES",
    "STAGE_OUTCOMES",
    "ForecastCategory",
    "Stage",
    "StageInfo",
    "StageOutcome",
    "did_you_mean",
    "plain_name",
    "stage_name",
]

#: What reaching a stage means: still in play (``"open"``), a won deal, a lost deal, or a
#: contact disqualified before it became a deal. Metrics and scoring read it from
#: :attr:`pipelinekit.StageSpec.outcome`.
StageOutcome: TypeAlias = Literal["open", "won", "lost", "disqualified"]
#: Salesforce's forecast categories: where a deal in the stage counts in a forecast.
#: Open pipeline, best case and commit are open deals by the rep's confidence; closed
#: is won; omitted is left out of the forecast (lost, disqualified, or an open stage a
#: team excludes).
ForecastCategory: TypeAlias = Literal["pipeline", "best_case", "commit", "closed", "omitted"]

#: Every :data:`StageOutcome`, in the order the docs list them.
STAGE_OUTCOMES: Final[tuple[StageOutcome, ...]] = ("open", "won", "lost", "disqualified")
#: Every :data:`ForecastCategory`, from the least to the most certain, then omitted.
FORECAST_CATEGORIES: Final[tuple[ForecastCategory, ...]] = (
    "pipeline",
    "best_case",
    "commit",
    "closed",
    "omitted",
)


class StageInfo(NamedTuple):
    """Metadata of a stage.

    Attributes:
        order: Position in the pipeline (1 = lead); off-funnel closed stages come last.
        is_terminal: No event leaves the stage in the default pipeline.
        is_closed: The contact is out of the active funnel (won, lost or disqualified).
        is_won: The stage counts as won.
        default_probability: Chance of winning at this stage (0 to 1), as a
            :class:`~pipelinekit.StageSpec` of the default pipeline carries it in its
            ``probability``; an ``Opportunity.probability`` is the per-deal figure.
    """

    order: int
    is_terminal: bool
    is_closed: bool
    is_won: bool
    default_probability: Decimal


class Stage(StrEnum):
    """The stages of the default lead → prospect → opportunity → customer pipeline.

    A ``StrEnum``: each member *is* its name as a string, so custom pipelines can name
    their own stages as plain strings and compare them with these.

    >>> from pipelinekit import Stage
    >>> Stage.PROSPECT == "prospect"
    True
    >>> Stage.OPPORTUNITY.default_probability
    Decimal('0.4')
    >>> [s for s in Stage if s.is_closed]
    [<Stage.CUSTOMER: 'customer'>, <Stage.DISQUALIFIED: 'disqualified'>, <Stage.LOST: 'lost'>]

    .. versionadded:: 0.1.0
    """

    LEAD = "lead"
    PROSPECT = "prospect"
    OPPORTUNITY = "opportunity"
    CUSTOMER = "customer"
    DISQUALIFIED = "disqualified"
    LOST = "lost"

    @property
    def info(self) -> StageInfo:
        """All metadata of the stage."""
        return _INFO[self]

    @property
    def order(self) -> int:
        """Position in the pipeline (1 = lead)."""
        return _INFO[self].order

    @property
    def is_terminal(self) -> bool:
        """Whether no event leaves this stage in the default pipeline."""
        return _INFO[self].is_terminal

    @property
    def is_closed(self) -> bool:
        """Whether the contact is out of the active funnel."""
        return _INFO[self].is_closed

    @property
    def is_won(self) -> bool:
        """Whether the stage counts as won."""
        return _INFO[self].is_won

    @property
    def default_probability(self) -> Decimal:
        """Default chance of winning from this stage (0 to 1)."""
        return _INFO[self].default_probability

    @property
    def outcome(self) -> StageOutcome:
        """What reaching the stage means (``"open"``, ``"won"``, ``"lost"``, ``"disqualified"``).

        The default pipeline's :class:`~pipelinekit.StageSpec` of the stage carries it
        as its ``outcome``; ``is_closed`` and ``is_won`` are derived from it.

        >>> from pipelinekit import Stage
        >>> [(s.value, s.outcome) for s in Stage if s.is_closed]
        [('customer', 'won'), ('disqualified', 'disqualified'), ('lost', 'lost')]

        .. versionadded:: 0.2.0
        """
        return _SEMANTICS[self][1]

    @property
    def label(self) -> str:
        """The display text of the stage (``"Opportunity"``), as the default pipeline shows it.

        .. versionadded:: 0.2.0
        """
        return self.value.capitalize()


#: The one table of the default stages: order, outcome, terminal, default probability.
#: ``StageInfo`` (closed, won) and the default pipeline's stage specs are derived from it.
_SEMANTICS: Final[dict[Stage, tuple[int, StageOutcome, bool, Decimal]]] = {
    Stage.LEAD: (1, "open", False, Decimal("0.05")),
    Stage.PROSPECT: (2, "open", False, Decimal("0.1")),
    Stage.OPPORTUNITY: (3, "open", False, Decimal("0.4")),
    Stage.CUSTOMER: (4, "won", True, Decimal(1)),
    Stage.DISQUALIFIED: (5, "disqualified", False, Decimal(0)),
    Stage.LOST: (6, "lost", False, Decimal(0)),
}

_INFO: Final[dict[Stage, StageInfo]] = {
    stage: StageInfo(
        order,
        is_terminal=terminal,
        is_closed=outcome != "open",
        is_won=outcome == "won",
        default_probability=probability,
    )
    for stage, (order, outcome, terminal, probability) in _SEMANTICS.items()
}


#: Built-in stage names by their case-folded form, to refuse "LEAD" or " Lead".
_FOLDED: Final = {stage.value.casefold(): stage for stage in Stage}


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'prospect'?"`` for the closest of ``choices``, or ``""``.

    >>> did_you_mean("prospekt", ["lead", "prospect"])
    "; did you mean 'prospect'?"
    >>> did_you_mean("zzz", ["lead"])
    ''
    """
    options = [str.__str__(c) for c in choices]
    by_fold = {c.casefold(): c for c in options}
    folded = name.strip().casefold()
    close = [by_fold[folded]] if folded in by_fold else []
    close = close or difflib.get_close_matches(name, options, n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


def stage_name(field: str, value: object) -> str:
    """The one stage-name rule: the :class:`Stage` member, or the plain custom name.

    ``Contact.stage``, ``StageChange.source``/``target``, every stage of a
    :class:`~pipelinekit.PipelineSpec` and every document read by ``from_dict`` follow
    it. A built-in name (or its member) gives the member. A custom name is any other
    non-blank ``str`` (a ``StrEnum`` member becomes its value), except a name with
    surrounding whitespace or one that differs from a built-in stage only by case or
    whitespace (``"Customer"``, ``" lead"``): those are typos that would silently make a
    stage of their own, so they are refused with the built-in name to use.

    >>> stage_name("stage", "customer")
    <Stage.CUSTOMER: 'customer'>
    >>> stage_name("stage", "Customer")
    Traceback (most recent call last):
    ...
    pipelinekit.errors.FieldValueError: stage: stage name 'Customer' differs from the \
built-in stage 'customer' only by case; did you mean 'customer'?

    Raises:
        FieldTypeError: ``value`` is not a ``str``.
        FieldValueError: ``value`` breaks the rule; the message says how.
    """
    if not isinstance(value, str):
        raise FieldTypeError(field, f"expected str, got {got(value)}")
    member = Stage._value2member_map_.get(value)
    if member is not None:
        return member  # type: ignore[return-value]  # a Stage is a str
    name = plain_name(value)
    if not name or name.isspace():
        raise FieldValueError(field, "must not be blank")
    builtin = _FOLDED.get(name.strip().casefold())
    hint = "" if builtin is None else f"; did you mean {builtin.value!r}?"
    if name != name.strip():
        raise FieldValueError(
            field, f"stage name {name!r} has leading or trailing whitespace{hint}"
        )
    if builtin is not None:
        raise FieldValueError(
            field,
            f"stage name {name!r} differs from the built-in stage {builtin.value!r} only by"
            f" case{hint}",
        )
    return name


def plain_name(value: str) -> str:
    """A stage name as a plain ``str`` snapshot (a ``StrEnum`` member gives its value)."""
    if type(value) is str:
        return value
    untrusted: object = value
    return untrusted._value_ if isinstance(untrusted, Enum) else str.__str__(value)
