"""Test-only guards: read one custom fact and answer PASS, FAIL or UNKNOWN."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Final

import attrs

import pipelinekit as pk

NOW: Final = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


@attrs.frozen
class FactGuard(pk.Qualifier):
    """PASS when ``facts[key]`` is true, FAIL when false, UNKNOWN when it is missing.

    Counts its boolean calls and evaluations, so tests can check the fast path.
    """

    key: str
    calls: list[str] = attrs.field(factory=list, eq=False, repr=False)

    @property
    def label(self) -> str:
        return f"facts.{self.key}"

    def outcome(self, subject: object, at: datetime | None = None) -> pk.Outcome:
        facts: Mapping[str, object] = getattr(subject, "facts", {})
        value = facts.get(self.key)
        if value is None:
            return pk.Outcome.UNKNOWN
        return pk.Outcome.PASS if value else pk.Outcome.FAIL

    def __call__(self, subject: object, *, at: datetime | None = None) -> bool:
        self.calls.append("call")
        return self.outcome(subject) is pk.Outcome.PASS

    def evaluate(self, subject: object, *, at: datetime | None = None) -> pk.Verdict:
        self.calls.append("evaluate")
        outcome = self.outcome(subject)
        facts: Mapping[str, object] = getattr(subject, "facts", {})
        return pk.Verdict(
            outcome=outcome,
            label=self.label,
            reason=f"{self.label} is {facts.get(self.key)!r}",
            path=self.label,
        )

    def __str__(self) -> str:
        return self.label


def contact(stage: str = "lead", **facts: bool) -> pk.Contact:
    """A contact at ``stage`` with the given custom facts."""
    return pk.Contact(id="c-1", name="Jane Roe", stage=stage, facts=facts)
