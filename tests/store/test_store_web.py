"""The web application's tables (migration 0003) on SQLite and PostgreSQL: accounts,
throttling, the audit trail, settings, and the team's decisions written as the
decisions file the next matching run reads."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from sufficiency.errors import StoreError
from sufficiency.io.decisions import read_decisions
from sufficiency.store import RunStore
from sufficiency.store.accounts import (
    LOCK_MINUTES,
    MAX_FAILURES,
    add_user,
    audit,
    audit_trail,
    begin_sign_in,
    get_user,
    locked,
    record_failure,
    record_success,
    secret_setting,
)
from sufficiency.store.team_decisions import (
    add_decision,
    decisions_in_force,
    withdraw_decision,
    write_decisions_file,
)

from .old_store import at_revision

NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


def test_accounts_throttling_and_audit(store_url):
    store = RunStore(store_url)
    add_user(store, "jo", "placement", "hash", "SECRET", now=NOW)
    with pytest.raises(StoreError, match="already a user called 'jo'"):
        add_user(store, "jo", "finance", "hash", None)
    with pytest.raises(StoreError, match="unknown role"):
        add_user(store, "al", "manager", "hash", None)
    with pytest.raises(StoreError, match="cannot use"):
        add_user(store, "bad name", "admin", "hash", None)
    for _ in range(MAX_FAILURES - 1):
        assert begin_sign_in(store, "jo", NOW)
        assert not record_failure(store, "jo", NOW)
    assert begin_sign_in(store, "jo", NOW)
    assert record_failure(store, "jo", NOW)
    u = get_user(store, "jo")
    assert u is not None and locked(u, NOW)
    assert not begin_sign_in(store, "jo", NOW)  # refused unchecked while locked
    assert not locked(u, NOW + dt.timedelta(minutes=LOCK_MINUTES, seconds=1))
    record_success(store, "jo", NOW)
    assert not locked(get_user(store, "jo"), NOW)
    # attempts being checked count: a sixth at once is refused before any has failed
    assert all(begin_sign_in(store, "jo", NOW) for _ in range(MAX_FAILURES))
    assert not begin_sign_in(store, "jo", NOW)
    record_success(store, "jo", NOW)
    assert begin_sign_in(store, "jo", NOW)
    record_success(store, "jo", NOW)
    audit(store, "jo", "view_child", child_id="R001", run_id=3, detail="opened R001", now=NOW)
    rows = audit_trail(store, child_id="R001")
    assert [(r.username, r.action, r.run_id, r.at) for r in rows] == [("jo", "view_child", 3, NOW)]
    key = secret_setting(store, "web_session_key")
    assert len(key) > 40 and secret_setting(store, "web_session_key") == key
    store.close()


def test_team_decisions_feed_the_next_run(store_url, tmp_path):
    store = RunStore(store_url)
    pin = add_decision(store, "R001", "PL0013", "pin", "agreed at panel", "jo", now=NOW)
    add_decision(store, "R004", "PL0032", "exclude", "contact plan", "jo",
                 until=dt.date(2026, 4, 2), now=NOW)  # fmt: skip
    # a new decision on the same pair replaces the old one
    add_decision(store, "R001", "PL0013", "pin", "agreed at panel again", "al", now=NOW)
    assert [d.reason for d in decisions_in_force(store, dt.date(2026, 4, 1), "R001")] == [
        "agreed at panel again"
    ]
    assert len(decisions_in_force(store, dt.date(2026, 4, 3))) == 1  # R004's has expired
    n = write_decisions_file(store, tmp_path / "d.csv", on=dt.date(2026, 4, 1))
    table = read_decisions(tmp_path / "d.csv")
    assert n == 2 and list(table["child_id"]) == ["R001", "R004"]
    assert list(table["decision"]) == ["pin", "exclude"]
    assert table.loc[0, "decided_by"] == "al"
    with pytest.raises(StoreError, match="no decision"):
        withdraw_decision(store, pin.id, "jo")  # already replaced
    current = decisions_in_force(store, dt.date(2026, 4, 1), "R001")[0]
    withdraw_decision(store, current.id, "jo")
    assert [d.child_id for d in decisions_in_force(store, dt.date(2026, 4, 1))] == ["R004"]
    with pytest.raises(StoreError, match="needs a reason"):
        add_decision(store, "R001", "PL0013", "pin", "  ", "jo")
    store.close()


def test_a_last_day_matching_cannot_read_is_refused_when_the_decision_is_made(store_url, tmp_path):
    """A pin kept 'until 9999-12-31' (no end, as databases write it) was accepted, then
    written to the night's decisions file, whose reader stopped matching with pandas'
    OutOfBoundsDatetime; matching reads no date after 2099, so the page refuses it, naming
    the last day it takes and saying a blank means no end."""
    store = RunStore(store_url)
    with pytest.raises(StoreError, match=r"no later than 31 December 2099; leave it blank"):
        add_decision(store, "R001", "PL0013", "pin", "panel", "jo", until=dt.date(9999, 12, 31))
    add_decision(store, "R001", "PL0013", "pin", "panel", "jo", until=dt.date(2099, 12, 31))
    write_decisions_file(store, tmp_path / "d.csv", on=dt.date(2026, 4, 1))
    assert read_decisions(tmp_path / "d.csv")["until"].tolist() == [pd.Timestamp(2099, 12, 31)]
    store.close()


def test_totp_codes_are_good_once(store_url):
    """Migration 0005: the step of the last code accepted is kept; a code of that step or
    an earlier one is refused, a later one accepted; a new secret starts afresh."""
    import pyotp

    from sufficiency.store.accounts import reset_credentials, set_active_by_id, use_totp_step
    from sufficiency.web.auth import hash_password, sign_in, totp_step

    store = RunStore(store_url)
    secret = pyotp.random_base32()
    user = add_user(store, "jo", "placement", hash_password("a long test password"), secret)
    totp = pyotp.TOTP(secret)
    step = totp.timecode(NOW)
    code = totp.generate_otp(step)
    assert totp_step(secret, code, NOW) == step
    assert totp_step(secret, totp.generate_otp(step + 2), NOW) is None  # too far ahead
    assert sign_in(store, "jo", "a long test password", code, NOW).account is not None
    # the same code again, even within its 30 seconds, is refused like a wrong code
    again = sign_in(store, "jo", "a long test password", code, NOW + dt.timedelta(seconds=5))
    assert again.account is None and "is not right" in again.message
    # the previous step's code (still inside the drift window) is refused too
    earlier = totp.generate_otp(step - 1)
    assert sign_in(store, "jo", "a long test password", earlier, NOW).account is None
    later = NOW + dt.timedelta(seconds=30)
    assert sign_in(store, "jo", "a long test password", totp.generate_otp(step + 1),
                   later).account is not None  # fmt: skip
    assert not use_totp_step(store, "jo", step + 1) and use_totp_step(store, "jo", step + 2)
    # a new secret forgets the step; it also ends sessions and lifts a lock
    new = pyotp.random_base32()
    after = reset_credentials(store, user.id, None, new)
    assert after.session_version > user.session_version
    assert sign_in(store, "jo", "a long test password", pyotp.TOTP(new).generate_otp(step),
                   NOW).account is not None  # fmt: skip
    off = set_active_by_id(store, user.id, False)
    assert not off.active and off.session_version > after.session_version
    assert set_active_by_id(store, user.id, True).active
    with pytest.raises(StoreError, match="no user with ID"):
        set_active_by_id(store, 999999, True)
    store.close()


def test_migration_0005_keeps_existing_accounts(store_url):
    """A store at 0004 with a user upgrades to 0005 on opening; the user is kept, with no
    code step recorded yet."""
    from sqlalchemy import text

    import sufficiency.store.store as module

    with at_revision(store_url, "0004") as conn:
        conn.execute(text(
            "INSERT INTO users (username, role, password_hash, totp_secret, active, "
            "failed_sign_ins, session_version, created_at) VALUES ('old', 'finance', 'h', "
            "'SECRET', :t, 0, 0, :now)"), {"t": True, "now": NOW})  # fmt: skip
    store = RunStore(store_url)
    old = get_user(store, "old")
    assert old is not None and old.role == "finance" and old.has_totp
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            module.HEAD_REVISION
        )
        assert conn.execute(text("SELECT totp_last_step FROM users")).scalar() is None
    store.close()


def test_a_pin_ends_with_its_last_day_in_england_not_in_utc(store_url, tmp_path):
    """A pin 'until 1 June' holds through 1 June in England. At 00:30 on 2 June (BST,
    23:30 UTC on 1 June) the list of decisions in force no longer showed it, but pinning
    the child elsewhere was refused ('R001 is already pinned to PL0013 ... withdraw that
    pin first'), the store taking the date in UTC; and a decision made then was written
    to the night's file as decided on 1 June."""
    store = RunStore(store_url)
    made = dt.datetime(2026, 5, 20, 9, 0, tzinfo=dt.UTC)
    add_decision(store, "R001", "PL0013", "pin", "panel", "jo", until=dt.date(2026, 6, 1), now=made)
    late = dt.datetime(2026, 6, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 on 2 June in England
    assert decisions_in_force(store, dt.date(2026, 6, 2)) == []
    pin = add_decision(store, "R001", "PL0020", "pin", "new home", "jo", now=late)
    assert pin.placement_id == "PL0020"
    write_decisions_file(store, tmp_path / "d.csv", on=dt.date(2026, 6, 2))
    assert read_decisions(tmp_path / "d.csv")["decided_on"].tolist() == [pd.Timestamp(2026, 6, 2)]
    store.close()


def test_a_rerun_for_an_earlier_date_keeps_exclusions_made_since(store_url):
    """A back-dated rerun reads the decisions as they stand now (docs/matching.md, "Team
    decisions"): an exclusion made after the run date applies, one withdrawn since does not,
    so a rerun never proposes a match the team has since ruled out."""
    store = RunStore(store_url)
    later = NOW + dt.timedelta(days=10)
    add_decision(store, "R002", "PL0007", "exclude", "allegation", "jo", now=later)
    gone = add_decision(store, "R003", "PL0008", "exclude", "old concern", "jo", now=NOW)
    withdraw_decision(store, gone.id, "al", now=later)
    before = (NOW - dt.timedelta(days=5)).date()
    assert [(d.child_id, d.placement_id) for d in decisions_in_force(store, before)] == [
        ("R002", "PL0007")
    ]
    store.close()
