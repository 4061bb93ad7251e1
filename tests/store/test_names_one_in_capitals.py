"""User and scenario names that differ only in capitals are one name, in the database too
(migration 0006), on SQLite and PostgreSQL.

``add_user`` and ``save_scenario`` refused "JO" beside "jo" by looking first: two saves at
once could both look, find nothing and both be added (the race is played here by letting
the second's look find nothing, as it would while the first's was not yet committed).
The database's unique index on the name in lower case now refuses it. A store upgraded
with such a pair already in it keeps the older name and renames the later, saying so."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from sufficiency.errors import StoreError
from sufficiency.store import RunStore, accounts, saved_scenarios
from sufficiency.store.accounts import add_user, audit_trail, list_users
from sufficiency.store.migrate import HEAD_REVISION
from sufficiency.store.models import User
from sufficiency.store.saved_scenarios import list_scenarios, save_scenario, scenario_history

from .old_store import at_revision

NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


def _look_finds_nothing_once(monkeypatch, module) -> None:
    """The second of two saves at once: its look for the name finds nothing."""
    real, calls = module._refuse_capitals, []

    def once(*args):
        calls.append(args)
        if len(calls) > 1:
            real(*args)

    monkeypatch.setattr(module, "_refuse_capitals", once)


def test_two_saves_at_once_cannot_both_add_a_name(store_url, monkeypatch):
    store = RunStore(store_url)
    add_user(store, "jo", "placement", "hash", "SECRET", now=NOW)
    _look_finds_nothing_once(monkeypatch, accounts)
    with pytest.raises(StoreError, match=r"there is already a user called 'jo' .*capitals"):
        add_user(store, "JO", "finance", "hash", "SECRET", now=NOW)
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        row = {"username": "Jo", "role": "admin", "active": True, "failed_sign_ins": 0,
               "session_version": 0, "created_at": NOW}  # fmt: skip
        conn.execute(insert(User).values(**row))
    assert [u.username for u in list_users(store)] == ["jo"]

    save_scenario(store, "Base", {"entries_pct": 5}, "jo", now=NOW)
    _look_finds_nothing_once(monkeypatch, saved_scenarios)
    with pytest.raises(StoreError, match=r"there is already a scenario called 'Base' .*capitals"):
        save_scenario(store, "base", {"entries_pct": 9}, "jo", now=NOW)
    assert [s.name for s in list_scenarios(store)] == ["Base"]
    store.close()


def test_an_upgraded_store_holding_such_names_renames_the_later(store_url):
    with at_revision(store_url, "0005") as conn:
        for name in ("jo", "JO", "ann"):
            conn.execute(text(
                "INSERT INTO users (username, role, active, failed_sign_ins, session_version, "
                "created_at) VALUES (:n, 'finance', :t, 0, 0, :now)"),
                {"n": name, "t": True, "now": NOW})  # fmt: skip
        for name in ("Base", "base", "BASE", "Other"):
            conn.execute(text(
                "INSERT INTO scenarios (name, definition, created_by, created_at, changed_by, "
                "changed_at) VALUES (:n, '{}', 'jo', :now, 'jo', :now)"),
                {"n": name, "now": NOW})  # fmt: skip

    store = RunStore(store_url)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0006"
    assert HEAD_REVISION == "0006"
    assert sorted(u.username for u in list_users(store)) == ["JO-2", "ann", "jo"]
    renamed = audit_trail(store, action="user_renamed")
    assert [e.detail for e in renamed] == [
        "JO renamed JO-2: user names that differ only in capitals are one name (upgrade 0006)"
    ]
    scenarios = {s.name: s.id for s in list_scenarios(store)}
    assert set(scenarios) == {"Base", "base (scenario 2)", "BASE (scenario 3)", "Other"}
    line = scenario_history(store, scenarios["base (scenario 2)"])[0]
    assert line.action == "changed" and "renamed from 'base'" in line.detail
    with pytest.raises(StoreError, match="there is already a user called 'jo'"):
        add_user(store, "Jo", "admin", "hash", "SECRET", now=NOW)
    store.close()
