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
