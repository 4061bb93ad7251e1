"""Saved scenarios (migration 0004) on SQLite and PostgreSQL: created, changed and run,
each with its author and history, names unique."""

from __future__ import annotations

import datetime as dt

import pytest

from sufficiency.errors import StoreError
from sufficiency.store import RunStore
from sufficiency.store.saved_scenarios import (
    finish_scenario_run,
    get_scenario,
    get_scenario_run,
    list_scenarios,
    save_scenario,
    scenario_history,
    scenario_runs,
    start_scenario_run,
)

T0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
UP = {"name": "Entries up", "entries": {"change_pct": 20.0}}


def test_scenarios_keep_author_history_and_runs(store_url):
    store = RunStore(store_url)
    sid = save_scenario(store, "Entries up", UP, "ann", now=T0)
    with pytest.raises(StoreError, match="already a scenario called 'Entries up'"):
        save_scenario(store, "Entries up", UP, "bob")
    changed = {**UP, "entries": {"change_pct": 10.0}}
    later = T0 + dt.timedelta(hours=1)
    assert save_scenario(store, "Entries up", changed, "bob", scenario_id=sid, now=later) == sid
    s = get_scenario(store, sid)
    assert s is not None
    assert (s.created_by, s.created_at, s.changed_by, s.changed_at) == ("ann", T0, "bob", later)
    assert s.definition == changed
    assert [x.name for x in list_scenarios(store)] == ["Entries up"]

    run_id = start_scenario_run(store, sid, 7, changed, "bob", now=later)
    assert get_scenario_run(store, run_id).status == "running"  # type: ignore[union-attr]
    finish_scenario_run(store, run_id, results={"by_category": [{"difference": 3.5}]},
                        now=later + dt.timedelta(seconds=5))  # fmt: skip
    failed = start_scenario_run(store, sid, 7, changed, "ann")
    finish_scenario_run(store, failed, failure_reason="the history changed")
    runs = scenario_runs(store, sid)
    assert [(r.id, r.status) for r in runs] == [(failed, "failed"), (run_id, "succeeded")]
    assert runs[1].results == {"by_category": [{"difference": 3.5}]}
    assert runs[1].forecast_run_id == 7 and runs[0].failure_reason == "the history changed"
    history = [(h.username, h.action) for h in scenario_history(store, sid)]
    assert history == [("ann", "run failed"), ("bob", "ran"), ("bob", "changed"),
                       ("ann", "created")]  # fmt: skip
    with pytest.raises(StoreError, match="no saved scenario 999"):
        save_scenario(store, "x", UP, "ann", scenario_id=999)
    store.close()


def _ran_by(store, run_id: int, host: str, pid: int) -> None:
    """Record the run as started by process ``pid`` of ``host``."""
    from sqlalchemy.orm import Session

    from sufficiency.store.models import ScenarioRun

    with Session(store.engine) as s, s.begin():
        run = s.get(ScenarioRun, run_id)
        run.host, run.pid = host, pid


def test_a_run_its_server_stopped_during_is_recorded_as_failed(store_url):
    """A scenario run whose server was killed stayed "running" in the store for ever (the
    list of scenarios said so; retention never deleted it). A run of a process of this
    machine that has ended, or of this process but not running in it (a server restarted
    with the same process ID), or two hours old wherever it ran, is recorded as failed and
    said in the scenario's history; a run another machine started lately, or this process
    runs, is left running."""
    import os
    import socket
    import subprocess
    import sys

    from sufficiency.store.stopped import STOPPED, end_stopped, release

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = int(ended.stdout)
    now = dt.datetime.now(dt.UTC)
    store = RunStore(store_url)
    sid = save_scenario(store, "Entries up", UP, "ann", now=now)
    here, me = socket.gethostname(), os.getpid()
    runs = {}
    for name, host, pid, age in [("killed", here, dead_pid, 1), ("restarted", here, me, 1),
                                 ("mine", here, me, 1), ("elsewhere", "web-2", 1, 1),
                                 ("elsewhere long ago", "web-2", 1, 180)]:  # fmt: skip
        started = now - dt.timedelta(minutes=age)
        runs[name] = start_scenario_run(store, sid, 1, UP, "ann", now=started)
        _ran_by(store, runs[name], host, pid)
    release("scenario_runs", store.url, runs["restarted"])  # not running in this process
    ended_ids = end_stopped(store, now=now).scenario_runs
    assert sorted(ended_ids) == sorted([runs["killed"], runs["restarted"],
                                        runs["elsewhere long ago"]])  # fmt: skip
    status = {name: get_scenario_run(store, rid) for name, rid in runs.items()}
    assert {n: r.status for n, r in status.items()} == {
        "killed": "failed", "restarted": "failed", "mine": "running", "elsewhere": "running",
        "elsewhere long ago": "failed"}  # fmt: skip
    assert status["killed"].failure_reason == STOPPED and status["killed"].finished_at == now
    assert [h.action for h in scenario_history(store, sid)].count("run failed") == 3
    assert end_stopped(store, now=now).total == 0  # once only
    # a long run recorded as stopped that does finish after all is recorded as it ends
    finish_scenario_run(store, runs["elsewhere long ago"], results={"x": 1})
    assert get_scenario_run(store, runs["elsewhere long ago"]).status == "succeeded"
    store.close()


def test_a_name_differing_only_in_capitals_is_refused(store_url):
    """'Base' and 'base' were both saved (the unique name compares exactly): two
    scenarios nobody could tell apart in the list, the spend pages or the history."""
    store = RunStore(store_url)
    sid = save_scenario(store, "Entries up", UP, "ann", now=T0)
    other = save_scenario(store, "In-house push", {**UP, "name": "In-house push"}, "ann")
    with pytest.raises(StoreError, match=r"already a scenario called 'Entries up' .*capitals"):
        save_scenario(store, "ENTRIES UP", {**UP, "name": "ENTRIES UP"}, "bob")
    with pytest.raises(StoreError, match=r"already a scenario called 'Entries up' .*capitals"):
        save_scenario(store, "entries up", UP, "bob", scenario_id=other)  # renamed onto it
    # a scenario's own name in other capitals is its own
    assert save_scenario(store, "Entries Up", {**UP, "name": "Entries Up"}, "ann",
                         scenario_id=sid) == sid  # fmt: skip
    assert sorted(s.name for s in list_scenarios(store)) == ["Entries Up", "In-house push"]
