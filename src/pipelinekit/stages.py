"""The stages of the default pipeline and what each one means.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Final, NamedTuple

__all__ = ["Stage", "StageInfo"]


class StageInfo(NamedTuple):
    """Metadata of a stage.

    Attributes:
        order: Position in the pipeline (1 = lead); off-funnel closed stages come last.
        is_terminal: No event leaves the stage in the default pipeline.
        is_closed: The contact is out of the active funnel (won, lost or disqualified).
        is_won: The stage counts as won.
        default_probability: Chance of winning at this stage, used by the weighted pipeline
            unless an opportunity overrides it.
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


_INFO: Final[dict[Stage, StageInfo]] = {
    Stage.LEAD: StageInfo(
        1, is_terminal=False, is_closed=False, is_won=False, default_probability=Decimal("0.05")
    ),
    Stage.PROSPECT: StageInfo(
        2, is_terminal=False, is_closed=False, is_won=False, default_probability=Decimal("0.1")
    ),
    Stage.OPPORTUNITY: StageInfo(
        3, is_terminal=False, is_closed=False, is_won=False, default_probability=Decimal("0.4")
    ),
    Stage.CUSTOMER: StageInfo(
        4, is_terminal=True, is_closed=True, is_won=True, default_probability=Decimal(1)
    ),
    Stage.DISQUALIFIED: StageInfo(
        5, is_terminal=False, is_closed=True, is_won=False, default_probability=Decimal(0)
    ),
    Stage.LOST: StageInfo(
        6, is_terminal=False, is_closed=True, is_won=False, default_probability=Decimal(0)
    ),
}
