"""Drive your own ORM objects with the generated state machine, recording every change.

Run it with ``python examples/bind_orm_object.py`` (SQLAlchemy comes with the test
extra: ``pip install -e ".[test]"``).

``Pipeline.advance`` works on frozen ``pk.Contact`` values. A CRM whose leads are ORM rows
it mutates in place can bind ``pipeline.machine_class`` to a row instead: the machine
checks the pipeline's guards against the row (its attributes are read like a contact's,
so ``account.employees`` is ``row.account.employees``), moves the row's ``status`` column,
and calls a listener after each transition, which records a ``pk.StageChange`` row in the
same session. The session commits the new status and its history row together.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

import pipelinekit as pk


class Base(DeclarativeBase):
    pass


class AccountRow(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    employees: Mapped[int | None]


class LeadRow(Base):
    """A lead as the CRM stores it: mutable, with its stage in ``status``."""

    __tablename__ = "leads"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    status: Mapped[str] = mapped_column(default="lead")
    need: Mapped[str | None]
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id"))
    account: Mapped[AccountRow | None] = relationship()
    changes: Mapped[list[ChangeRow]] = relationship(order_by="ChangeRow.id")


class ChangeRow(Base):
    """One recorded stage change; ``to_change`` gives it back as a ``pk.StageChange``."""

    __tablename__ = "stage_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("leads.id"))
    event: Mapped[str]
    source: Mapped[str]
    target: Mapped[str]
    at: Mapped[str]  # ISO 8601 with its offset, as pk.to_dict writes it
    by: Mapped[str | None]
    reason: Mapped[str | None]

    def to_change(self) -> pk.StageChange:
        return pk.from_dict(
            {
                "event": self.event,
                "source": self.source,
                "target": self.target,
                "at": self.at,
                "by": self.by,
                "reason": self.reason,
            },
            pk.StageChange,
        )


class Recorder:
    """A python-statemachine listener: records each transition of ``lead`` in ``session``."""

    def __init__(self, session: Session, lead: LeadRow) -> None:
        self.session, self.lead = session, lead

    def after_transition(  # python-statemachine passes these by name
        self,
        *,
        event: Any,
        source: Any,
        target: Any,
        at: datetime,
        by: str | None = None,
        reason: str | None = None,
    ) -> None:
        # Built as a pk.StageChange first: the same checks as advance (aware `at`, ...).
        change = pk.StageChange(
            event=str(event), source=source.value, target=target.value, at=at, by=by, reason=reason
        )
        row = ChangeRow(event=change.event, source=str(change.source), target=str(change.target))
        row.at, row.by, row.reason = change.at.isoformat(), change.by, change.reason
        self.lead.changes.append(row)
        self.session.add(row)


def pipeline() -> pk.Pipeline:
    """The default pipeline; qualifying needs 50+ employees and a stated need."""
    icp = (pk.field("account.employees") >= 50) & pk.field("need").is_not_empty()
    return pk.Pipeline(guards={"qualify": icp})


def fire(session: Session, machine_class: Any, lead: LeadRow, event: str, **arguments: Any) -> None:
    """Send ``event`` to ``lead`` through a machine bound to it, recording the change."""
    machine = machine_class(model=lead, state_field="status", listeners=[Recorder(session, lead)])
    machine.send(event, **arguments)


def main() -> None:
    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    machine_class = pipeline().machine_class
    now = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)

    with Session(engine) as session:
        acme = LeadRow(
            name="Jane Roe", need="reports", account=AccountRow(name="Acme", employees=250)
        )
        tiny = LeadRow(name="Bo", account=AccountRow(name="Tiny", employees=3))
        session.add_all([acme, tiny])
        session.commit()

        fire(session, machine_class, acme, "qualify", at=now, by="sam")
        fire(session, machine_class, acme, "convert", at=now)
        try:
            fire(session, machine_class, tiny, "qualify", at=now)
        except pk.TransitionBlocked as blocked:
            print("Bo stays a lead:", blocked.verdict.summary())
        session.commit()

    with Session(engine) as session:
        for lead in session.scalars(sa.select(LeadRow).order_by(LeadRow.id)):
            history = [change.to_change() for change in lead.changes]
            replayed = pipeline().replay(history)
            print(f"{lead.name}: {lead.status}, history replays to {replayed!s}")
            print("  ", [(c.event, str(c.source), str(c.target), c.by) for c in history])


if __name__ == "__main__":
    main()
