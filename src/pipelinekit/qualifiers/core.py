"""Qualifier nodes and the operators that combine them.

SKELETON: the qualifier issue fills this module in. The lifecycle relies only on the
interface below: ``q(subject, at=...) -> bool`` (True only on PASS) and
``q.evaluate(subject, at=...) -> Verdict``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from datetime import datetime
from typing import TypeVar

from pipelinekit.qualifiers.verdict import Verdict

__all__ = ["Qualifier"]

S = TypeVar("S")


class Qualifier(ABC):
    """A criterion over a subject, evaluated under three-valued logic."""

    __slots__ = ()

    @abstractmethod
    def evaluate(self, subject: object, *, at: datetime | None = None) -> Verdict:
        """Evaluate with a full explanation."""

    def __call__(self, subject: object, *, at: datetime | None = None) -> bool:
        """The fast boolean: ``True`` only when the outcome is PASS."""
        return self.evaluate(subject, at=at).passed

    def filter(self, subjects: Iterable[S], *, at: datetime | None = None) -> list[S]:
        """The subjects that PASS, in order."""
        return [s for s in subjects if self(s, at=at)]
