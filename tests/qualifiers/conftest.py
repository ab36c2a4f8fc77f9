"""Realistic contacts for the qualifier tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

import pipelinekit as pk

AT = datetime(2026, 11, 22, 12, tzinfo=UTC)


@pytest.fixture
def acme_lead() -> pk.Contact:
    """A well-qualified lead at a 250-person software company."""
    return pk.Contact(
        id="c-1",
        name="Jane Roe",
        title="VP Engineering",
        account=pk.Account(name="Acme", industry="software", employees=250, country="DE"),
        budget=pk.Money("25000", "EUR"),
        authority=True,
        need="manual reporting eats two days a month",
        pains=("manual reporting",),
        timeline=AT.date() + timedelta(days=60),
        interest=True,
        stakeholders=(
            pk.Stakeholder(name="Max", role=pk.Role.ECONOMIC_BUYER),
            pk.Stakeholder(name="Ana", role=pk.Role.CHAMPION, influence=8),
        ),
        touchpoints=(pk.Touchpoint(channel=pk.Channel.MEETING, timestamp=AT - timedelta(days=3)),),
        facts={
            "metrics": "save 2 days per month",
            "decision_criteria": "SSO, EU hosting",
            "decision_process": "pilot, then CFO sign-off",
            "paper_process": "MSA + DPA",
            "competition": "spreadsheets",
            "challenges": "manual reporting",
            "goals": "close books in 3 days",
            "plans": "replace spreadsheets in Q1",
            "negative_consequences": "late filings",
            "positive_implications": "faster month end",
            "prioritized": True,
            "urgent": True,
        },
    )


@pytest.fixture
def tiny_lead() -> pk.Contact:
    """The seed's case: a 3-person company, most facts unknown."""
    return pk.Contact(
        id="c-2",
        name="Sam Poe",
        account=pk.Account(name="Tiny", industry="software", employees=3, country="FR"),
        timeline=date(2028, 1, 1),
    )
