"""The CRM backend example under concurrency: threads and processes on one SQLite file.

Every worker has its own connection. Whatever the interleaving, each stage change a worker
was told it won is stored exactly once, nothing else is stored, and every stored history
replays under the pipeline.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy")
import sqlalchemy as sa  # after the skip

import pipelinekit as pk

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
sys.path.insert(0, str(EXAMPLES))  # spawned workers inherit sys.path and import it too
import crm_backend  # noqa: E402


def slow_clock() -> datetime:
    """Now, after a pause: widens the gap between load and swap so workers collide."""
    time.sleep(0.001)
    return datetime.now(UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[crm_backend.ContactStore]:
    engine = crm_backend.sqlite_engine(tmp_path / "crm.sqlite")
    store = crm_backend.ContactStore(engine, clock=slow_clock)
    store.create_schema()
    yield store
    engine.dispose()


def stored_positions(store: crm_backend.ContactStore) -> list[str]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(crm_backend.stage_changes.c.contact_id, crm_backend.stage_changes.c.position)
        ).all()
    return [f"{contact_id}#{position}" for contact_id, position in rows]


def test_threads_lose_and_duplicate_nothing(store: crm_backend.ContactStore) -> None:
    ids = crm_backend.seed_contacts(store, 4)
    wins = crm_backend.run_threads(store, ids, workers=6, attempts=40)

    assert wins, "no event applied: the test exercised nothing"
    assert store.lost_races > 0, "no two workers collided: the test exercised no race"
    assert crm_backend.duplicates(wins) == set()
    assert sorted(wins) == sorted(stored_positions(store))
    assert store.check() == len(wins)  # versions count changes, histories replay


def test_processes_lose_and_duplicate_nothing(
    store: crm_backend.ContactStore, tmp_path: Path
) -> None:
    ids = crm_backend.seed_contacts(store, 3)
    path = str(tmp_path / "crm.sqlite")
    with ProcessPoolExecutor(max_workers=3, mp_context=get_context("spawn")) as pool:
        futures = [
            pool.submit(crm_backend.work_in_process, path, ids, 40, seed) for seed in range(3)
        ]
        wins = [win for future in futures for win in future.result()]

    assert wins
    assert crm_backend.duplicates(wins) == set()
    assert sorted(wins) == sorted(stored_positions(store))
    assert store.check() == len(wins)


def test_the_losing_swap_writes_nothing(store: crm_backend.ContactStore) -> None:
    store.add(pk.Contact(id="jane", name="Jane Roe"))
    first, second = store.get("jane"), store.get("jane")
    moved = store.pipeline.advance(first, "qualify", at=slow_clock()).contact
    late = store.pipeline.advance(second, "disqualify", at=slow_clock(), reason="no budget")

    assert store._swap(first, moved)
    assert not store._swap(second, late.contact)
    assert store.get("jane") == moved
    assert store.stored_changes("jane") == list(moved.history)


def test_a_retry_reloads_and_reports_an_event_that_no_longer_applies(
    store: crm_backend.ContactStore,
) -> None:
    store.add(pk.Contact(id="jane", name="Jane Roe"))
    store.advance("jane", "qualify")
    store.advance("jane", "convert")
    with pytest.raises(pk.InvalidTransition) as caught:
        store.advance("jane", "qualify")
    assert caught.value.stage == "opportunity"
    assert store.check() == 2


def test_conflict_after_every_attempt_is_lost(store: crm_backend.ContactStore) -> None:
    class AlwaysLate(crm_backend.ContactStore):
        def _swap(self, old: pk.Contact, new: pk.Contact) -> bool:
            return False

    store.add(pk.Contact(id="jane", name="Jane Roe"))
    late = AlwaysLate(store.engine, attempts=3)
    with pytest.raises(crm_backend.Conflict) as caught:
        late.advance("jane", "qualify")
    assert caught.value.attempts == 3
    assert late.lost_races == 3
    assert store.get("jane").version == 0


def test_without_the_version_check_the_suite_sees_lost_changes(
    store: crm_backend.ContactStore,
) -> None:
    """The checks above can fail: a store that swaps blindly loses or duplicates changes."""

    class Blind(crm_backend.ContactStore):
        def _swap(self, old: pk.Contact, new: pk.Contact) -> bool:
            with self.engine.begin() as connection:
                connection.execute(
                    sa.update(crm_backend.contacts)
                    .where(crm_backend.contacts.c.id == old.id)
                    .values(**crm_backend._row(new))
                )
                connection.execute(
                    sa.delete(crm_backend.stage_changes).where(
                        crm_backend.stage_changes.c.contact_id == old.id
                    )
                )
                crm_backend._insert_changes(connection, new.id, new.history, start=0)
            return True

    blind = Blind(store.engine, clock=slow_clock)
    ids = crm_backend.seed_contacts(blind, 2)
    wins = crm_backend.run_threads(blind, ids, workers=6, attempts=40)
    assert sorted(wins) != sorted(stored_positions(blind))
