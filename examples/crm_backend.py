"""A CRM service layer on a real SQLite database, through SQLAlchemy 2.

Run it with ``python examples/crm_backend.py`` (SQLAlchemy comes with the test extra:
``pip install -e ".[test]"``; pipelinekit itself never needs it).

What a CRM backend does with pipelinekit, and what to copy:

- A contact is a row: its ``pk.to_dict`` document in a JSON column, plus the columns a
  CRM queries (``stage``) and the ``version`` used for optimistic locking.
- Every stage change is also a row of its own table (``stage_changes``), written in the
  same transaction as the contact, keyed by (contact, position in the history), so a
  change can be neither lost nor recorded twice.
- ``advance`` is pure: load the contact, let ``Pipeline.advance`` compute the new
  contact, then store it with a compare-and-swap,
  ``UPDATE contacts ... WHERE id = :id AND version = :expected``. Of two workers that
  loaded the same version, exactly one update matches a row; the other reloads and
  tries again (the event may no longer apply: then it reports that), or gives up with
  :class:`Conflict` after a few attempts.
- Time is read once per attempt, after loading, so a retry never back-dates a change.

``tests/examples/test_crm_backend.py`` runs several threads and several processes, each
with its own connection, against one database file, and checks that no stage change is
lost or duplicated and that every stored history replays.
"""

from __future__ import annotations

import random
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import pipelinekit as pk

metadata = sa.MetaData()

contacts = sa.Table(
    "contacts",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    # Denormalised from the document for queries (``WHERE stage = 'prospect'``).
    sa.Column("stage", sa.String, nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.JSON, nullable=False),
)

stage_changes = sa.Table(
    "stage_changes",
    metadata,
    sa.Column("contact_id", sa.ForeignKey("contacts.id"), primary_key=True),
    # 1 for the contact's first change, 2 for the second...: a change has one place.
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("event", sa.String, nullable=False),
    sa.Column("target", sa.String, nullable=False),
    sa.Column("document", sa.JSON, nullable=False),
)


class Conflict(Exception):
    """Other workers kept changing the contact: no attempt could store its change."""

    def __init__(self, contact_id: str, attempts: int) -> None:
        super().__init__(f"contact {contact_id!r} changed under us {attempts} times; giving up")
        self.contact_id = contact_id
        self.attempts = attempts


def sqlite_engine(path: Path) -> sa.Engine:
    """An engine for a SQLite file shared by threads and processes.

    WAL lets readers work while one writer writes; the busy timeout makes a writer wait
    for the lock instead of failing with "database is locked".
    """
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


class ContactStore:
    """Contacts and their stage changes in a database, advanced with optimistic locking."""

    def __init__(
        self,
        engine: sa.Engine,
        pipeline: pk.Pipeline | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        attempts: int = 20,
    ) -> None:
        self.engine = engine
        self.pipeline = pipeline if pipeline is not None else pk.Pipeline()
        self.clock = clock
        self.attempts = attempts
        #: Swaps lost to another worker (each one led to a reload and a new attempt).
        self.lost_races = 0
        self._counting = threading.Lock()

    def create_schema(self) -> None:
        metadata.create_all(self.engine)

    def add(self, contact: pk.Contact) -> None:
        """Store a new contact (and the history it already has)."""
        with self.engine.begin() as connection:
            connection.execute(sa.insert(contacts).values(**_row(contact)))
            _insert_changes(connection, contact.id, contact.history, start=0)

    def get(self, contact_id: str) -> pk.Contact:
        """Load a contact; ``pk.from_dict`` checks the stored document."""
        with self.engine.connect() as connection:
            document = connection.execute(
                sa.select(contacts.c.document).where(contacts.c.id == contact_id)
            ).scalar_one()
        return pk.from_dict(document, pk.Contact)

    def stored_changes(self, contact_id: str) -> list[pk.StageChange]:
        """The contact's rows of ``stage_changes``, oldest first."""
        with self.engine.connect() as connection:
            documents = connection.execute(
                sa.select(stage_changes.c.document)
                .where(stage_changes.c.contact_id == contact_id)
                .order_by(stage_changes.c.position)
            ).scalars()
            return [pk.from_dict(document, pk.StageChange) for document in documents]

    def advance(
        self,
        contact_id: str,
        event: str,
        *,
        by: str | None = None,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> pk.Step:
        """Fire ``event`` at the stored contact and store the result.

        ``expected_version`` is the version the caller saw (a web client's ``If-Match``):
        given, the change is refused unless the contact is still at that version.

        Raises:
            pk.InvalidTransition, pk.TransitionBlocked: The event does not apply to the
                contact as it is now (also when another worker moved it first).
            pk.StaleVersion: The contact is no longer at ``expected_version``.
            Conflict: Every attempt lost the race to another worker.
        """
        for _ in range(self.attempts):
            contact = self.get(contact_id)
            step = self.pipeline.advance(
                contact,
                event,
                at=self.clock(),
                by=by,
                reason=reason,
                expected_version=expected_version,
            )
            if self._swap(contact, step.contact):
                return step
            with self._counting:
                self.lost_races += 1
        raise Conflict(contact_id, self.attempts)

    def _swap(self, old: pk.Contact, new: pk.Contact) -> bool:
        """Store ``new`` if the row still holds ``old``'s version, with its new changes."""
        with self.engine.begin() as connection:
            updated = connection.execute(
                sa.update(contacts)
                .where(contacts.c.id == old.id, contacts.c.version == old.version)
                .values(**_row(new))
            )
            if updated.rowcount != 1:
                return False  # another worker stored a change first: nothing written
            added = new.history[len(old.history) :]
            _insert_changes(connection, new.id, added, start=len(old.history))
        return True

    def check(self) -> int:
        """Check every stored contact; return how many stage changes are stored.

        For each contact: its document loads, its history replays under the pipeline, its
        version counts its changes, and the ``stage_changes`` rows are its history.
        """
        with self.engine.connect() as connection:
            ids = connection.execute(sa.select(contacts.c.id)).scalars().all()
        total = 0
        for contact_id in ids:
            contact = self.get(contact_id)
            self.pipeline.replay(contact)  # raises pk.InvalidHistory on any inconsistency
            if contact.version != len(contact.history):
                raise AssertionError(f"{contact_id}: version {contact.version}")
            if self.stored_changes(contact_id) != list(contact.history):
                raise AssertionError(f"{contact_id}: stage_changes rows differ from history")
            total += len(contact.history)
        return total


def _row(contact: pk.Contact) -> dict[str, Any]:
    return {
        "id": contact.id,
        "stage": str(contact.stage),
        "version": contact.version,
        "document": pk.to_dict(contact),
    }


def _insert_changes(
    connection: sa.Connection, contact_id: str, changes: Sequence[pk.StageChange], *, start: int
) -> None:
    rows = [
        {
            "contact_id": contact_id,
            "position": start + offset,
            "event": change.event,
            "target": change.target,
            "document": pk.to_dict(change),
        }
        for offset, change in enumerate(changes, start=1)
    ]
    if rows:
        connection.execute(sa.insert(stage_changes), rows)


#: Events a worker fires at random: every one can apply again later (no ``win``: a
#: customer is final), so workers keep meeting each other on the same contacts.
EVENTS = ("qualify", "convert", "lose", "disqualify", "recycle")


def work(store: ContactStore, ids: Sequence[str], attempts: int, seed: int) -> list[str]:
    """Fire random events at random contacts; return ``"<id>#<position>"`` per change won.

    A worker's own wins identify the rows it wrote: over all workers, the wins must be
    exactly the stored changes, each once.
    """
    rng = random.Random(seed)  # noqa: S311  # a reproducible demo, not a secret
    won: list[str] = []
    for _ in range(attempts):
        contact_id = rng.choice(ids)
        event = rng.choice(EVENTS)
        try:
            step = store.advance(contact_id, event, by=f"worker-{seed}", reason="demo")
        except (pk.InvalidTransition, pk.TransitionBlocked):
            continue  # the event does not apply to the contact as it now is
        first = step.contact.version - len(step.changes) + 1
        won += [f"{contact_id}#{position}" for position in range(first, step.contact.version + 1)]
    return won


def work_in_process(path: str, ids: Sequence[str], attempts: int, seed: int) -> list[str]:
    """``work`` with a connection of this process's own (the target of a worker process)."""
    engine = sqlite_engine(Path(path))
    try:
        return work(ContactStore(engine), ids, attempts, seed)
    finally:
        engine.dispose()


def seed_contacts(store: ContactStore, count: int) -> list[str]:
    """Add ``count`` leads; return their ids."""
    ids = [f"c-{i}" for i in range(count)]
    for contact_id in ids:
        store.add(pk.Contact(id=contact_id, name=f"Contact {contact_id}"))
    return ids


def run_threads(store: ContactStore, ids: Sequence[str], workers: int, attempts: int) -> list[str]:
    """Run ``workers`` threads of :func:`work` at once; return every win."""
    results: list[list[str]] = [[] for _ in range(workers)]

    def run(index: int) -> None:
        results[index] = work(store, ids, attempts, seed=index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [win for result in results for win in result]


def duplicates(wins: Iterable[str]) -> set[str]:
    """The wins claimed more than once (there must be none)."""
    return {win for win, count in Counter(wins).items() if count > 1}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = sqlite_engine(Path(folder) / "crm.sqlite")
        store = ContactStore(engine)
        store.create_schema()

        store.add(pk.Contact(id="jane", name="Jane Roe", email="jane@acme.example"))
        step = store.advance("jane", "qualify", by="sam")
        print(f"jane: {step.changes[0].source} -> {step.contact.stage} (v{step.contact.version})")

        # Two workers load the same version; the first to store wins the swap.
        first, second = store.get("jane"), store.get("jane")
        moved = store.pipeline.advance(first, "convert", at=store.clock()).contact
        late = store.pipeline.advance(second, "disqualify", at=store.clock(), reason="no budget")
        print("first swap stored:", store._swap(first, moved))
        print("second swap stored:", store._swap(second, late.contact))
        try:
            store.advance("jane", "disqualify", reason="no budget")
        except pk.InvalidTransition as error:
            print("retried on the reloaded contact:", error)

        before = store.check()
        ids = seed_contacts(store, 10)
        wins = run_threads(store, ids, workers=4, attempts=50)
        stored = store.check() - before  # also: every stored history replays
        print(f"4 threads on 10 contacts: {len(wins)} changes won, {stored} stored,")
        print(f"  {len(duplicates(wins))} claimed twice; every stored history replays")
        engine.dispose()


if __name__ == "__main__":
    main()
