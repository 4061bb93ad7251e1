"""The run store on SQLite and PostgreSQL: record, read, diff, prune, failure modes."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys

import pytest

from sufficiency.errors import StoreError
from sufficiency.store import RunStore, parse_age
from sufficiency.store.types import ChildOutcome, InputRow

T0 = dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.UTC)


def _night(store, when, referrals, placements, outcomes):
    """Record one matching night: input row fingerprints and per-child outcomes."""
    rows = [InputRow("referral", c, h, None) for c, h in referrals.items()]
    rows += [InputRow("placement", p, h, v) for p, (h, v) in placements.items()]
    rid = store.start("match", {"solver": "highs"}, rows=rows, now=when)
    store.finish(rid, succeeded=True, objective=1.0, solver_status="optimal",
                 outcomes=[ChildOutcome(c, p, None if p else "no option", None)
                           for c, p in outcomes.items()],
                 now=when + dt.timedelta(seconds=5))  # fmt: skip
    return rid


def test_record_and_read_back_a_run(store_url, tmp_path):
    """Inputs and outputs are hashed; config, figures and outcomes come back as recorded."""
    store = RunStore(store_url)
    inp = tmp_path / "referrals.csv"
    inp.write_text("child_id\nC1\n")
    out = tmp_path / "matches.csv"
    out.write_text("child_id,placement_id\nC1,P1\n")
    rid = store.start("match", {"weights": {"unplaced": 100000}}, inputs={"referrals": inp})
    store.finish(rid, succeeded=True, solver_status="optimal", objective=1234.5, gap=0.0,
                 summary={"children_placed": 1}, outputs={"matches": out},
                 outcomes=[ChildOutcome("C1", "P1", None, {"weekly_cost": 600})])  # fmt: skip
    run = store.get(rid)
    assert run["status"] == "succeeded" and run["objective"] == 1234.5
    assert run["config"] == {"weights": {"unplaced": 100000}}
    assert run["summary"]["children_placed"] == 1
    assert {f["label"]: f["role"] for f in run["files"]} == {
        "referrals": "input",
        "matches": "output",
    }
    import hashlib

    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert [f["sha256"] for f in run["files"] if f["label"] == "matches"] == [digest]
    assert run["outcomes"] == [{"child_id": "C1", "placement_id": "P1", "reason": None}]
    store.close()


def test_list_runs_newest_first(store_url):
    """Runs are listed most recent first, and the limit applies."""
    store = RunStore(store_url)
    ids = [store.start("forecast", {}, now=T0 + dt.timedelta(days=i)) for i in range(5)]
    listed = store.list_runs(limit=3)
    assert [r["id"] for r in listed] == ids[::-1][:3]
    assert all(r["status"] == "running" for r in listed)
    store.close()


def test_diff_explains_why_proposals_changed(store_url):
    """A filled vacancy, a changed referral and a new referral are named as causes."""
    store = RunStore(store_url)
    a = _night(store, T0, {"C1": "a", "C2": "b", "C3": "c"},
               {"P1": ("x", 1), "P2": ("y", 1), "P3": ("z", 1)},
               {"C1": "P1", "C2": "P2", "C3": None})  # fmt: skip
    b = _night(store, T0 + dt.timedelta(days=1), {"C1": "a", "C2": "B!", "C3": "c", "C4": "d"},
               {"P1": ("x0", 0), "P2": ("y", 1), "P3": ("z", 1), "P4": ("w", 1)},
               {"C1": "P4", "C2": "P3", "C3": None, "C4": "P2"})  # fmt: skip
    rows = {r.child_id: r for r in store.diff(a, b)}
    assert set(rows) == {"C1", "C2", "C4"}
    assert rows["C1"].before == "P1" and rows["C1"].after == "P4"
    assert "no vacancy now" in rows["C1"].reason
    assert rows["C2"].reason == "the child's referral changed"
    assert rows["C4"].reason == "new referral" and rows["C4"].before == "not referred"
    store.close()


def test_diff_says_a_child_referred_again_came_back_not_a_new_referral(store_url, tmp_path):
    """A child ID the same referrals file referred before, then not for some nights, is
    referred again after those nights away (it read 'new referral': the ID may be another
    child's, and the team should know); a child never referred before is new. Another
    referrals file's nights do not count."""
    store = RunStore(store_url)
    ours, theirs = tmp_path / "referrals.csv", tmp_path / "other.csv"
    for f in (ours, theirs):
        f.write_text("child_id\n")

    def night(day, children, referrals=ours):
        when = T0 + dt.timedelta(days=day)
        rows = [InputRow("referral", c, c, None) for c in children]
        rid = store.start("match", {}, inputs={"referrals": referrals}, rows=rows, now=when)
        store.finish(rid, succeeded=True, objective=1.0,
                     summary={"run_date": f"{when.date():%Y-%m-%d}"},
                     outcomes=[ChildOutcome(c, None, "no option", None) for c in children],
                     now=when)  # fmt: skip
        return rid

    night(0, ["C1", "C2"])
    n2 = night(1, ["C1"])
    night(2, ["C2"], referrals=theirs)
    n3 = night(2, ["C1"])
    n4 = night(3, ["C1", "C2", "C3"])
    why = {r.child_id: r.reason for r in store.diff(n3, n4)}
    back = "referred again after 2 nights away (not referred from 2 April 2026 to 3 April 2026)"
    assert why == {"C2": back, "C3": "new referral"}
    assert {r.child_id: r.reason for r in store.diff(n2, n4)}["C2"] == back
    store.close()


def test_diff_says_a_placement_lost_a_vacancy_and_who_took_the_places_it_pushed_out(store_url):
    """A home that goes from 2 vacancies to 1 is said to have fewer vacancies (it read as
    'placement P1's register entry changed'); the children pushed out of the home the
    moved children took are told who took it and why (they read 'other children's
    referrals or vacancies changed'), and an unrelated team decision recorded with the
    later night is not blamed (it read 'the team's decisions changed')."""
    store = RunStore(store_url)
    refs = {"C1": "a", "C2": "b", "C3": "c"}
    a = _night(store, T0, refs, {"P1": ("x", 2), "P2": ("y", 1), "P3": ("z", 1)},
               {"C1": "P1", "C2": "P1", "C3": "P2"})  # fmt: skip
    rows = [InputRow("referral", c, h, None) for c, h in refs.items()]
    rows += [
        InputRow("placement", p, h, v)
        for p, (h, v) in {"P1": ("x1", 1), "P2": ("y", 1), "P3": ("z", 1)}.items()
    ]
    b = store.start("match", {}, rows=rows, now=T0 + dt.timedelta(days=1))
    unrelated = {"child_id": "C3", "placement_id": "P9", "decision": "exclude",
                 "status": "applied", "note": "", "reason": "carer on leave",
                 "decided_by": "J Smith", "decided_on": None, "until": None}  # fmt: skip
    store.finish(b, succeeded=True, objective=1.0, solver_status="optimal",
                 outcomes=[ChildOutcome("C1", "P1", None, None),
                           ChildOutcome("C2", "P2", None, None),
                           ChildOutcome("C3", "P3", None, None)],
                 decisions=[unrelated], now=T0 + dt.timedelta(days=1))  # fmt: skip
    why = {r.child_id: r.reason for r in store.diff(a, b)}
    assert why == {
        "C2": "placement P1 has fewer vacancies now: 1, was 2",
        "C3": "its place at P2 went to C2 (placement P1 has fewer vacancies now: 1, was 2)",
    }
    store.close()


def test_diff_says_a_child_moved_with_the_child_it_lives_with(store_url):
    """Two children at P1 (a sibling group) move together to P2 because one's referral
    changed; a third child takes P1. The second sibling moved with the first: it read
    'its place at P1 went to C3', which blamed the child who came after."""
    store = RunStore(store_url)
    plc = {"P1": ("x", 2), "P2": ("y", 2), "P3": ("z", 1)}
    a = _night(store, T0, {"S1": "a", "S2": "b", "C3": "c"}, plc,
               {"S1": "P1", "S2": "P1", "C3": "P3"})  # fmt: skip
    b = _night(store, T0 + dt.timedelta(days=1), {"S1": "a2", "S2": "b", "C3": "c2"}, plc,
               {"S1": "P2", "S2": "P2", "C3": "P1"})  # fmt: skip
    why = {r.child_id: r.reason for r in store.diff(a, b)}
    assert why == {
        "S1": "the child's referral changed",
        "S2": "moved from P1 together with S1 (the child's referral changed)",
        "C3": "the child's referral changed",
    }
    store.close()


def test_diff_says_who_left_a_full_home_free(store_url):
    """A child who moves into a home that was full the night before is told who left it
    and why; into one that had room anyway, nobody is said to have left it free."""
    store = RunStore(store_url)
    for room, expected in ((1, "P1 was left free by C1 (no longer referred)"),
                           (2, "other children's referrals or vacancies changed, so the best "
                               "overall plan changed")):  # fmt: skip
        plc = {"P1": ("x", room), "P2": ("y", 1)}
        a = _night(store, T0, {"C1": "a", "C2": "b"}, plc, {"C1": "P1", "C2": "P2"})
        b = _night(store, T0 + dt.timedelta(days=1), {"C2": "b"}, plc, {"C2": "P1"})
        why = {r.child_id: r.reason for r in store.diff(a, b)}
        assert why == {"C1": "no longer referred", "C2": expected}, room
    store.close()


def test_diff_blames_no_input_change_that_did_not_happen(store_url):
    """With the same referrals, register and decisions, a child who moved is not said to
    have moved because other children's referrals or vacancies changed."""
    store = RunStore(store_url)
    refs, plc = {"C1": "a"}, {"P1": ("x", 1), "P2": ("y", 1)}
    a = _night(store, T0, refs, plc, {"C1": "P1"})
    b = _night(store, T0 + dt.timedelta(days=1), refs, plc, {"C1": "P2"})
    (row,) = store.diff(a, b)
    assert row.reason == (
        "the referrals, the register and the team's decisions are the same: the plan "
        "changed with the settings or the version of the software, or between equally good "
        "plans"
    )
    store.close()


def test_diff_says_a_referral_set_aside_was_not_a_child_gone_or_new(store_url):
    """A child whose referral row is set aside for an error is recorded unplaced with no
    referral fingerprint: the diff says the row was set aside, not 'no longer referred'
    (nor 'new referral' the night it is read again)."""
    store = RunStore(store_url)
    plc = {"P1": ("x", 1), "P2": ("y", 1)}
    a = _night(store, T0, {"C1": "a", "C2": "b"}, plc, {"C1": "P1", "C2": "P2"})
    b = _night(store, T0 + dt.timedelta(days=1), {"C1": "a"}, plc, {"C1": "P1", "C2": None})
    c = _night(store, T0 + dt.timedelta(days=2), {"C1": "a", "C2": "b"}, plc,
               {"C1": "P1", "C2": "P2"})  # fmt: skip
    (row,) = store.diff(a, b)
    assert (row.child_id, row.after) == ("C2", "unplaced")
    assert row.reason == (
        "the child's referral was set aside for an error (its reason for not being placed "
        "says which)"
    )
    (row,) = store.diff(b, c)
    assert row.reason == "the child's referral was set aside for an error in the earlier run"
    store.close()


def test_diff_refuses_a_run_with_no_proposals(store_url):
    """Diffing a validate run, or a matching run that failed, would call every child a new
    referral (or no longer referred): it is refused in a sentence instead."""
    store = RunStore(store_url)
    good = _night(store, T0, {"C1": "a"}, {"P1": ("x", 1)}, {"C1": "P1"})
    other = store.start("validate", {}, now=T0)
    store.finish(other, succeeded=True, now=T0)
    failed = store.start("match", {}, now=T0)
    store.finish(failed, succeeded=False, failure_reason="input errors", now=T0)
    running = store.start("match", {}, now=T0)
    with pytest.raises(StoreError, match=f"run {other} is a validate run; runs diff compares"):
        store.diff(other, good)
    with pytest.raises(StoreError, match=rf"matching run {failed} failed \(input errors\)"):
        store.diff(good, failed)
    with pytest.raises(StoreError, match=f"matching run {running} is still running"):
        store.diff(running, good)
    store.close()


def test_prune_deletes_old_runs_and_their_records(store_url):
    """Runs older than the cutoff go, with their outcomes; newer runs stay."""
    store = RunStore(store_url)
    old = _night(store, T0, {"C1": "a"}, {"P1": ("x", 1)}, {"C1": "P1"})
    new = _night(store, T0 + dt.timedelta(days=100), {"C1": "a"}, {"P1": ("x", 1)}, {"C1": "P1"})
    assert store.prune(parse_age("90d"), now=T0 + dt.timedelta(days=101)) == 1
    assert [r["id"] for r in store.list_runs()] == [new]
    with pytest.raises(StoreError, match=f"no run {old}"):
        store.get(old)
    store.close()


def test_prune_keeps_the_latest_run_of_each_kind_and_runs_still_running(store_url):
    """However old, the latest successful run of each kind stays (the web application's
    proposals and the next night's diff need it), and so does a run still running (a
    night recording as the prune runs); an older or failed run of the same kind goes, and
    so does one "running" 400 days on (recorded as failed first: it was kept for ever)."""
    store = RunStore(store_url)
    older = _night(store, T0, {"C1": "a"}, {"P1": ("x", 1)}, {"C1": "P1"})
    latest = _night(store, T0 + dt.timedelta(days=1), {"C1": "a"}, {"P1": ("x", 1)},
                    {"C1": "P1"})  # fmt: skip
    failed = store.start("match", {}, now=T0 + dt.timedelta(days=2))
    store.finish(failed, succeeded=False, failure_reason="input errors",
                 now=T0 + dt.timedelta(days=2))  # fmt: skip
    forecast = store.start("forecast", {}, now=T0)
    store.finish(forecast, succeeded=True, now=T0)
    stale = store.start("spend", {}, now=T0)
    now = T0 + dt.timedelta(days=400)
    running = store.start("spend", {}, now=now - dt.timedelta(hours=1))
    assert store.prune(parse_age("90d"), now=now) == 3
    assert sorted(r["id"] for r in store.list_runs()) == sorted([latest, forecast, running])
    assert store.get(running)["status"] == "running" and stale not in (latest, forecast)
    assert store.get(latest)["outcomes"] == [{"child_id": "C1", "placement_id": "P1",
                                              "reason": None}]  # fmt: skip
    assert older != latest
    store.close()


def test_prune_gives_a_sqlite_files_space_back(tmp_path):
    """A year of nights pruned to the last one left the SQLite file its full size (the
    deleted runs' rows in free pages of the file): the prune now compacts it."""
    path = tmp_path / "runs.sqlite"
    store = RunStore(f"sqlite:///{path}")
    placements = {f"P{j}": (f"{j:064d}", 1) for j in range(200)}
    for night in range(30):
        kids = {f"C{j}": f"{night}-{j}" for j in range(50)}
        _night(store, T0 + dt.timedelta(days=night), kids, placements,
               {c: f"P{j}" for j, c in enumerate(kids)})  # fmt: skip
    full = path.stat().st_size
    assert store.prune(parse_age("1d"), now=T0 + dt.timedelta(days=30)) == 29
    assert path.stat().st_size < full / 5
    assert len(store.get(store.list_runs()[0]["id"])["outcomes"]) == 50
    store.close()


def test_latest_successful_run_found_after_many_failed_nights(store_url):
    """The web pages show the latest run that succeeded however many failed since: after
    60 failed nights they said there was no run at all (only the newest 50 were looked at)."""
    from sufficiency.web.store_files import latest_run

    store = RunStore(store_url)
    good = _night(store, T0, {"C1": "a"}, {"P1": ("x", 1)}, {"C1": "P1"})
    for day in range(1, 61):
        rid = store.start("match", {}, now=T0 + dt.timedelta(days=day))
        store.finish(rid, succeeded=False, failure_reason="input errors",
                     now=T0 + dt.timedelta(days=day))  # fmt: skip
    run = latest_run(store, "match")
    assert run is not None and run["id"] == good
    assert [r["id"] for r in store.list_runs(kind="match", status="succeeded")] == [good]
    assert len(store.list_runs(limit=None, kind="match", status="failed")) == 60
    store.close()


def test_mark_interrupted_fails_runs_of_dead_processes(store_url):
    """A run whose process died before finishing is marked failed, with the reason."""
    code = (
        "from sufficiency.store import RunStore; import sys;"
        "print(RunStore(sys.argv[1]).start('match', {}))"
    )
    out = subprocess.run([sys.executable, "-c", code, store_url], capture_output=True,
                         text=True, check=True)  # fmt: skip
    rid = int(out.stdout.strip())
    store = RunStore(store_url)
    live = store.start("match", {})
    assert store.mark_interrupted() == 1
    assert store.get(rid)["status"] == "failed"
    assert "interrupted" in store.get(rid)["failure_reason"]
    assert store.get(live)["status"] == "running"
    store.close()


def _ran_on(store, run_id, host, pid):
    """Record the run as started by process ``pid`` of machine ``host``."""
    from sqlalchemy.orm import Session

    from sufficiency.store.models import Run

    with Session(store.engine) as s, s.begin():
        run = s.get(Run, run_id)
        run.summary = {**run.summary, "host": host, "pid": pid}


def test_a_run_another_machine_left_running_is_failed_a_day_after_it_started(store_url):
    """A nightly run killed on one server stayed "running" for ever in a store another
    server (the web application) shares: only runs of this machine's ended processes were
    marked. Any run still running a day after it started, wherever it ran, is recorded as
    failed, not seen to finish (runs list and runs show say it); one of another machine
    started lately, or this process's own, is left running; a late finish is recorded."""
    from click.testing import CliRunner

    from sufficiency.cli import main
    from sufficiency.store.stopped import release, unfinished

    now = dt.datetime.now(dt.UTC)
    store = RunStore(store_url)
    killed = store.start("match", {}, now=now - dt.timedelta(hours=25))
    _ran_on(store, killed, "nightly-1", 4242)
    lately = store.start("forecast", {}, now=now - dt.timedelta(hours=23))
    _ran_on(store, lately, "nightly-1", 4242)
    mine = store.start("spend", {}, now=now - dt.timedelta(hours=1))
    restarted = store.start("commission", {}, now=now - dt.timedelta(hours=1))
    release("runs", store.url, restarted)  # its process restarted with the same ID
    assert store.mark_interrupted(now=now) == 2
    got = {
        name: store.get(rid)
        for name, rid in [
            ("killed", killed),
            ("lately", lately),
            ("mine", mine),
            ("restarted", restarted),
        ]
    }
    assert {n: r["status"] for n, r in got.items()} == {
        "killed": "failed",
        "lately": "running",
        "mine": "running",
        "restarted": "failed",
    }
    assert got["killed"]["failure_reason"] == (
        "not seen to finish: still recorded as running 24 hours after it started on "
        "nightly-1, longer than any run takes, so taken as stopped (its process killed or "
        "its machine restarted)"
    )
    assert got["killed"]["finished_at"] == now
    assert got["restarted"]["failure_reason"].startswith("interrupted: the process ended")
    assert unfinished(got["killed"]["failure_reason"]) and not unfinished("input errors")
    assert store.mark_interrupted(now=now) == 0  # once only
    listed = CliRunner().invoke(main, ["runs", "list", "--store", store_url])
    assert listed.exit_code == 0, listed.output
    line = next(x for x in listed.output.splitlines() if x.split()[:2] == [str(killed), "match"])
    assert line.split()[4] == "stopped"
    assert "stopped: not seen to finish" in listed.output
    shown = CliRunner().invoke(main, ["runs", "show", str(killed), "--store", store_url])
    assert "status: failed" in shown.output
    assert "failure_reason: not seen to finish: still recorded as running 24" in shown.output
    assert store.get(lately)["status"] == "running"  # 23 hours: runs list left it
    store.finish(killed, succeeded=True)  # it did finish after all: recorded
    assert store.get(killed)["status"] == "succeeded"
    store.close()


def test_a_matching_run_another_machine_left_running_stops_long_past_its_time_limit(store_url):
    """A night's matching killed on the scheduler's server held the web application's
    re-runs back for 24 hours (any run of another machine was trusted for a day). A
    matching run's time limit covers the whole run: four times it, at least an hour,
    after it started it is taken as stopped; a limit of two hours gives eight; a
    matching run recorded with no limit, or another kind of run, still a day."""
    from sufficiency.store.stopped import stopped_after

    now = dt.datetime.now(dt.UTC)
    store = RunStore(store_url)
    config = {"matching": {"time_limit_seconds": 60.0}}
    killed = store.start("match", config, now=now - dt.timedelta(minutes=61))
    lately = store.start("match", config, now=now - dt.timedelta(minutes=59))
    long_limit = store.start(
        "match", {"matching": {"time_limit_seconds": 7200}}, now=now - dt.timedelta(hours=7)
    )
    no_limit = store.start("match", {}, now=now - dt.timedelta(hours=2))
    forecast = store.start("forecast", config, now=now - dt.timedelta(hours=2))
    for rid in (killed, lately, long_limit, no_limit, forecast):
        _ran_on(store, rid, "nightly-1", 4242)
    assert store.mark_interrupted(now=now) == 1
    assert store.get(killed)["status"] == "failed"
    assert store.get(killed)["failure_reason"] == (
        "not seen to finish: still recorded as running 1 hour after it started on "
        "nightly-1, long past its time limit, so taken as stopped (its process killed or "
        "its machine restarted)"
    )
    for rid in (lately, long_limit, no_limit, forecast):
        assert store.get(rid)["status"] == "running"
    assert store.mark_interrupted(now=now + dt.timedelta(hours=1, minutes=1)) == 2  # 8 h
    assert store.get(long_limit)["status"] == "failed"
    assert "running 8 hours after it started" in store.get(long_limit)["failure_reason"]
    assert stopped_after("match", {"matching": {"time_limit_seconds": 1e6}}) == dt.timedelta(
        hours=24
    )
    assert stopped_after("match", {"matching": {"time_limit_seconds": True}}) == (
        dt.timedelta(hours=24)
    )
    store.close()


def test_store_raises_on_file_that_is_not_a_database(tmp_path):
    """A store path holding some other file gives a clear StoreError."""
    bad = tmp_path / "runs.sqlite"
    bad.write_text("this is a spreadsheet, honest\n" * 50)
    with pytest.raises(StoreError, match="not a database"):
        RunStore(f"sqlite:///{bad}")


def test_store_written_by_a_newer_version_is_a_clear_error(tmp_path):
    """A store whose schema is past this version's newest migration is refused in words."""
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    RunStore(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="written by a newer version of sufficiency"):
        RunStore(url)


def test_sqlite_store_is_owner_only(tmp_path):
    """A new SQLite store file is 0600 and its new folder 0700."""
    RunStore(f"sqlite:///{tmp_path / 'new' / 'runs.sqlite'}").close()
    assert stat.S_IMODE(os.stat(tmp_path / "new" / "runs.sqlite").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "new").st_mode) == 0o700


@pytest.mark.parametrize(("text", "days"), [("90d", 90), ("2w", 14), ("6m", 180), ("1y", 365)])
def test_parse_age(text, days):
    """Ages like 90d, 2w, 6m and 1y are understood."""
    assert parse_age(text) == dt.timedelta(days=days)


def test_parse_age_raises_on_nonsense():
    """An unreadable age is a StoreError with an example."""
    with pytest.raises(StoreError, match="90d"):
        parse_age("ninety days")


def test_head_revision_constant_matches_migrations():
    """HEAD_REVISION names the newest Alembic migration, so the fast path is safe."""
    from pathlib import Path

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    import sufficiency.store.store as module

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(module.__file__).parent / "migrations"))
    assert ScriptDirectory.from_config(cfg).get_current_head() == module.HEAD_REVISION


def test_moved_files_follow_a_renamed_folder(store_url, tmp_path):
    """Paths under a folder renamed into place are recorded at their new place; others
    and other runs' stay as they were."""
    store = RunStore(store_url)
    partial, final = tmp_path / ".night.partial-1", tmp_path / "night"
    (partial / "match").mkdir(parents=True)
    read = partial / "match" / "team_decisions.csv"
    read.write_text("child_id\n")
    other = tmp_path / "referrals.csv"
    other.write_text("child_id\nC1\n")
    rid = store.start("match", {}, inputs={"decisions": read, "referrals": other})
    untouched = store.start("match", {}, inputs={"decisions": read})
    partial.rename(final)
    assert store.moved_files([rid], partial, final) == 1
    paths = {f["label"]: f["path"] for f in store.get(rid)["files"]}
    assert paths == {"decisions": str(final / "match" / "team_decisions.csv"),
                     "referrals": str(other)}  # fmt: skip
    assert store.get(untouched)["files"][0]["path"] == str(read)
    store.close()


def _read_only(url: str) -> str:
    """``url`` opened by an account that may read it and not write it: SQLite's read-only
    mode, or PostgreSQL refusing every write (as for a role with SELECT rights only)."""
    if url.startswith("sqlite:///"):
        return f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true"
    return f"{url}?options=-c%20default_transaction_read_only%3Don"


def test_runs_list_and_show_on_a_store_this_account_may_only_read(store_url, tmp_path,
                                                                   monkeypatch):  # fmt: skip
    """``runs list`` and ``runs show`` record a stopped run as failed; on a store the account
    may only read (an auditor's account, a read-only copy) they showed it as "running"
    with no word, the stopped process's run looking live. They show it as stopped with a
    note that it is still recorded as running (``runs show``'s text said ``status: running``
    under that note: now ``status: stopped`` and ``recorded_status: running``, as its JSON),
    write nothing, and exit 0; an SQLite URI (``file:...?mode=ro``) is opened as given, not
    made into folders named ``file:``."""
    from click.testing import CliRunner

    from sufficiency.cli import main

    code = ("from sufficiency.store import RunStore; import sys;"
            "print(RunStore(sys.argv[1]).start('match', {}))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code, store_url], capture_output=True,
                         text=True, check=True)  # fmt: skip
    dead = int(out.stdout.strip())
    monkeypatch.chdir(tmp_path)
    read_only = _read_only(store_url)
    listed = CliRunner().invoke(main, ["runs", "list", "--store", read_only])
    assert listed.exit_code == 0 and listed.exception is None, listed.output
    row = next(x for x in listed.output.splitlines() if x.split()[:2] == [str(dead), "match"])
    assert row.split()[4] == "stopped"
    note = f"Run {dead}: stopped, not seen to finish (its process ended during it"
    assert note in listed.output
    assert "but still recorded as running: this account may not write the run store" in (
        " ".join(listed.output.split())
    )
    shown = CliRunner().invoke(main, ["runs", "show", str(dead), "--store", read_only])
    assert shown.exit_code == 0 and shown.exception is None, shown.output
    assert shown.output.startswith(note)  # said as stopped, as the listing and the JSON say
    assert "\nstatus: stopped\nrecorded_status: running\n" in shown.output, shown.output
    assert not (tmp_path / "file:").exists()
    store = RunStore(store_url)
    assert store.get(dead)["status"] == "running"  # nothing written
    listed = CliRunner().invoke(main, ["runs", "list", "--store", store_url])
    assert "may not write" not in listed.output
    assert store.get(dead)["status"] == "failed"  # an account that may write records it
    store.close()


def test_runs_list_and_show_json_on_a_store_this_account_may_only_read(store_url, tmp_path,
                                                                        monkeypatch):  # fmt: skip
    """``--format json`` of ``runs list`` and ``runs show`` on a store the account may only
    read said a stopped process's run was "running" with no flag, while the text shows it
    stopped with a note. The JSON now says ``stopped``, the status it is still recorded as
    (``recorded_status``) and the note; a finished run, and the store, are left as they are."""
    from click.testing import CliRunner

    from sufficiency.cli import main

    code = ("from sufficiency.store import RunStore; import sys;"
            "print(RunStore(sys.argv[1]).start('match', {}))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code, store_url], capture_output=True,
                         text=True, check=True)  # fmt: skip
    dead = int(out.stdout.strip())
    store = RunStore(store_url)
    done = store.start("forecast", {})
    store.finish(done, succeeded=True)
    monkeypatch.chdir(tmp_path)
    read_only = _read_only(store_url)
    listed = CliRunner().invoke(main, ["runs", "list", "--store", read_only, "--format", "json"])
    assert listed.exit_code == 0 and listed.exception is None, listed.output
    rows = {r["id"]: r for r in json.loads(listed.output)}
    note = f"Run {dead}: stopped, not seen to finish (its process ended during it"
    assert (rows[dead]["status"], rows[dead]["recorded_status"]) == ("stopped", "running")
    assert rows[dead]["note"].startswith(note) and "may not write" in rows[dead]["note"]
    assert rows[done]["status"] == "succeeded" and "recorded_status" not in rows[done]
    shown = CliRunner().invoke(main, ["runs", "show", str(dead), "--store", read_only,
                                      "--format", "json"])  # fmt: skip
    assert shown.exit_code == 0 and shown.exception is None, shown.output
    run = json.loads(shown.output)
    assert (run["status"], run["recorded_status"], run["note"]) == (
        "stopped", "running", rows[dead]["note"],
    )  # fmt: skip
    assert store.get(dead)["status"] == "running"  # nothing written
    store.close()
