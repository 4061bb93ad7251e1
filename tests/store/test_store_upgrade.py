"""Upgrading a store written by an older version, on SQLite and PostgreSQL: an upgrade
stopped part-way leaves the store at its old revision, and processes that open an old
store at once take turns instead of failing."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text

from sufficiency.errors import StoreError
from sufficiency.store import RunStore
from sufficiency.store.migrate import HEAD_REVISION

from .old_store import at_revision

T = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)


def _old_store(url: str, revision: str) -> None:
    """A store at ``revision`` holding one matching run with a child's outcome and the
    team's pin recorded with it."""
    with at_revision(url, revision) as conn:
        conn.execute(text(
            "INSERT INTO runs (id, kind, started_at, status, software_version, config, "
            "config_sha256) VALUES (1, 'match', :t, 'succeeded', '0.9', '{}', :h)"
        ), {"t": T, "h": "a" * 64})  # fmt: skip
        conn.execute(text(
            "INSERT INTO run_outcomes (run_id, child_id, placement_id) VALUES (1, 'R001', 'PL1')"
        ))  # fmt: skip
        conn.execute(text(
            "INSERT INTO run_decisions (run_id, child_id, placement_id, decision, status, "
            "reason) VALUES (1, 'R001', 'PL1', 'pin', 'applied', 'siblings nearby')"
        ))  # fmt: skip


def _state(url: str) -> tuple[str, list[tuple[str, ...]]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        rows = conn.execute(
            text("SELECT child_id, placement_id, decision, reason FROM run_decisions")
        ).all()
    engine.dispose()
    return version, [tuple(r) for r in rows]


def _drop(url: str, table: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {table}"))
    engine.dispose()


KEPT = [("R001", "PL1", "pin", "siblings nearby")]


def test_an_upgrade_that_fails_part_way_leaves_the_store_as_it_was(store_url):
    """A store at 0002 whose upgrade failed at migration 0004 (a table of that name was
    already there) was left half upgraded on SQLite: 0003's tables created, the revision
    still 0002. With the cause removed every later open failed ('table users already
    exists (is it a sufficiency run-store database?)'). Now the failure is a sentence
    saying nothing changed, and the store upgrades once the cause is gone."""
    _old_store(store_url, "0002")
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE scenarios (note TEXT)"))
    engine.dispose()
    with pytest.raises(StoreError) as err:
        RunStore(store_url)
    message = str(err.value)
    assert "could not be upgraded from schema revision 0002 to " + HEAD_REVISION in message
    assert "nothing was changed" in message and "scenarios" in message
    assert _state(store_url) == ("0002", KEPT)
    _drop(store_url, "scenarios")
    RunStore(store_url).close()
    assert _state(store_url) == (HEAD_REVISION, KEPT)


_KILL_AT = """
import os, sys
from alembic.operations import Operations
create = Operations.create_table
def create_or_die(self, name, *args, **kwargs):
    if name == "team_decisions":
        os._exit(9)
    return create(self, name, *args, **kwargs)
Operations.create_table = create_or_die
from sufficiency.store import RunStore
RunStore(sys.argv[1])
"""


def test_an_upgrade_killed_part_way_leaves_the_store_usable(store_url):
    """The process upgrading a store is killed in the middle of migration 0003: the
    store is still at 0002 with its rows, and the next open upgrades it."""
    _old_store(store_url, "0002")
    done = subprocess.run([sys.executable, "-c", _KILL_AT, store_url], check=False)
    assert done.returncode == 9
    assert _state(store_url) == ("0002", KEPT)
    RunStore(store_url).close()
    assert _state(store_url) == (HEAD_REVISION, KEPT)


_SLOW = """
import sys, time
from alembic.operations import Operations
create = Operations.create_table
def slow_create(self, name, *args, **kwargs):
    if name == "users":
        print("upgrading", flush=True)
        time.sleep(3)
    return create(self, name, *args, **kwargs)
Operations.create_table = slow_create
from sufficiency.store import RunStore
RunStore(sys.argv[1]).close()
"""


def test_two_processes_opening_an_old_store_at_once_both_start(store_url):
    """The nightly job and the web server open a store at 0002 at once: the second
    waits for the first's upgrade instead of upgrading too. It failed on both databases
    ('table users already exists'; on PostgreSQL 'duplicate key value violates
    unique constraint "pg_type_typname_nsp_index"')."""
    _old_store(store_url, "0002")
    first = subprocess.Popen(
        [sys.executable, "-c", _SLOW, store_url], stdout=subprocess.PIPE, text=True
    )
    assert first.stdout is not None and first.stdout.readline().strip() == "upgrading"
    time.sleep(0.5)
    RunStore(store_url).close()  # the second process, while the first is upgrading
    assert first.wait(timeout=60) == 0
    assert _state(store_url) == (HEAD_REVISION, KEPT)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_store_is_upgraded_on_its_own_connection(url):
    """An in-memory SQLite store (a test's, a notebook's) gets its tables: the upgrade
    runs on the store's own connection, not on a new, empty, in-memory database."""
    store = RunStore(url)
    assert store.count() == 0 and store.list_runs() == []
    store.close()
