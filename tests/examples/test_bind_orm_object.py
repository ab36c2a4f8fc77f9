"""The ORM example: the generated machine moves a SQLAlchemy row and records its changes."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy")
import sqlalchemy as sa
from sqlalchemy.orm import Session

import pipelinekit as pk

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import bind_orm_object as example

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_changes_are_stored_with_the_status_and_replay() -> None:
    engine = sa.create_engine("sqlite://")
    example.Base.metadata.create_all(engine)
    machine_class = example.pipeline().machine_class
    with Session(engine) as session:
        lead = example.LeadRow(
            name="Jane", need="reports", account=example.AccountRow(name="A", employees=80)
        )
        session.add(lead)
        session.commit()
        example.fire(session, machine_class, lead, "qualify", at=NOW, by="sam")
        example.fire(session, machine_class, lead, "convert", at=NOW + timedelta(days=1))
        example.fire(
            session, machine_class, lead, "lose", at=NOW + timedelta(days=2), reason="price"
        )
        session.commit()

    with Session(engine) as session:
        stored = session.scalars(sa.select(example.LeadRow)).one()
        history = [change.to_change() for change in stored.changes]
        assert stored.status == "lost"
        assert [(c.event, c.by, c.reason) for c in history] == [
            ("qualify", "sam", None),
            ("convert", None, None),
            ("lose", None, "price"),
        ]
        assert history[-1].at == NOW + timedelta(days=2)
        assert example.pipeline().replay(history) == "lost"


def test_a_blocked_guard_moves_and_records_nothing() -> None:
    engine = sa.create_engine("sqlite://")
    example.Base.metadata.create_all(engine)
    with Session(engine) as session:
        lead = example.LeadRow(name="Bo", account=example.AccountRow(name="T", employees=3))
        session.add(lead)
        session.commit()
        with pytest.raises(pk.TransitionBlocked) as blocked:
            example.fire(session, example.pipeline().machine_class, lead, "qualify", at=NOW)
        assert blocked.value.verdict.outcome is pk.Outcome.FAIL
        session.commit()
        assert lead.status == "lead"
        assert session.scalars(sa.select(example.ChangeRow)).all() == []


def test_a_naive_time_is_refused_before_anything_is_recorded() -> None:
    engine = sa.create_engine("sqlite://")
    example.Base.metadata.create_all(engine)
    with Session(engine) as session:
        lead = example.LeadRow(
            name="Jane", need="x", account=example.AccountRow(name="A", employees=80)
        )
        session.add(lead)
        session.commit()
        with pytest.raises(pk.PipelineError, match="timezone-aware"):
            example.fire(
                session, example.pipeline().machine_class, lead, "qualify", at=datetime(2026, 1, 1)
            )
        assert lead.changes == []
        assert lead.status == "lead"
