"""A retention period on the run store: the audit trail, ended decisions and scenario runs
deleted by age with old runs, in one command; what the tool still uses is kept."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sufficiency.cli import main
from sufficiency.store import RunStore, parse_age
from sufficiency.store.accounts import audit, audit_trail
from sufficiency.store.models import AuditEvent, ScenarioRun, TeamDecision
from sufficiency.store.retention import Retention, apply_retention
from sufficiency.store.saved_scenarios import (
    finish_scenario_run,
    save_scenario,
    scenario_runs,
    start_scenario_run,
)
from sufficiency.store.team_decisions import add_decision, decisions_in_force, withdraw_decision

T0 = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC)
NOW = T0 + dt.timedelta(days=500)
YEAR = parse_age("1y")


def _count(store, model):
    with Session(store.engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def _fill(store):
    """A year and more of use: page views, decisions ended long ago and lately, one in
    force since the start, and a scenario run many times."""
    for day in range(0, 500, 10):  # 50 page views, one every 10 days
        audit(store, "jo", "child page", child_id="C1", now=T0 + dt.timedelta(days=day))
    old_pin = add_decision(store, "C1", "P1", "pin", "panel", "jo", now=T0)
    withdraw_decision(store, old_pin.id, "jo", now=T0 + dt.timedelta(days=5))
    add_decision(store, "C2", "P2", "exclude", "too far", "jo",
                 until=(T0 + dt.timedelta(days=30)).date(), now=T0)  # fmt: skip
    recent = add_decision(store, "C3", "P3", "pin", "panel", "jo", now=T0)
    withdraw_decision(store, recent.id, "jo", now=NOW - dt.timedelta(days=30))
    in_force = add_decision(store, "C4", "P4", "pin", "agreed long ago", "jo", now=T0)
    sid = save_scenario(store, "More foster carers", {"x": 1}, "jo", now=T0)
    for day in (0, 10, 20):
        rid = start_scenario_run(store, sid, 1, {"x": 1}, "jo", now=T0 + dt.timedelta(days=day))
        finish_scenario_run(store, rid, results={"y": day}, now=T0 + dt.timedelta(days=day))
    failed = start_scenario_run(store, sid, 1, {"x": 1}, "jo", now=T0 + dt.timedelta(days=30))
    finish_scenario_run(store, failed, failure_reason="no forecast", now=T0 + dt.timedelta(days=30))
    return in_force, sid, rid, failed


def test_retention_deletes_old_audit_ended_decisions_and_scenario_runs(store_url):
    """Before, only runs could be pruned: a page view of a child from 500 days ago, a
    decision withdrawn a year ago and every scenario run stayed for ever."""
    store = RunStore(store_url)
    in_force, sid, last_ok, failed = _fill(store)
    removed = apply_retention(store, Retention(audit=YEAR, decisions=YEAR, scenario_runs=YEAR),
                              now=NOW)  # fmt: skip
    # page views on days 0..130 are older than 365 days at day 500: 14 of them
    assert removed.audit_events == 14 and _count(store, AuditEvent) == 36
    assert min(e.at for e in audit_trail(store, limit=100)) >= NOW - YEAR
    # withdrawn on day 5 and expired on day 30 go; withdrawn 30 days ago and in force stay
    assert removed.decisions == 2
    with Session(store.engine) as s:
        left = set(s.scalars(select(TeamDecision.child_id)))
    assert left == {"C3", "C4"}
    assert [d.id for d in decisions_in_force(store, on=NOW.date())] == [in_force.id]
    # the scenario's latest run (failed) and latest successful run stay; two older go
    assert removed.scenario_runs == 2
    assert sorted(r.id for r in scenario_runs(store, sid)) == sorted([last_ok, failed])
    store.close()


def test_dry_run_counts_and_deletes_nothing(store_url):
    store = RunStore(store_url)
    _fill(store)
    keep = Retention(audit=YEAR, decisions=YEAR, scenario_runs=YEAR)
    assert apply_retention(store, keep, now=NOW, dry_run=True).total == 18
    assert (_count(store, AuditEvent), _count(store, TeamDecision),
            _count(store, ScenarioRun)) == (50, 4, 4)  # fmt: skip
    store.close()


def test_runs_prune_applies_every_period_and_says_what_it_deleted(tmp_path):
    """One command a scheduler runs: a dry run first, then the deletion, each in a sentence."""
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    store = RunStore(url)
    for _ in range(3):  # page views of today: kept by any period
        audit(store, "jo", "child page", child_id="C1")
    audit(store, "jo", "child page", child_id="C1", now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    old = add_decision(store, "C1", "P1", "pin", "panel", "jo",
                       now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))  # fmt: skip
    withdraw_decision(store, old.id, "jo", now=dt.datetime(2020, 2, 1, tzinfo=dt.UTC))
    store.close()
    args = ["runs", "prune", "--audit-older-than", "1y", "--decisions-older-than", "1y",
            "--scenario-runs-older-than", "1y", "--store", url]  # fmt: skip
    dry = CliRunner().invoke(main, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert (
        "Would delete 1 audit trail event older than 1y, 1 decision that ended "
        "more than 1y ago and 0 scenario runs older than 1y" in dry.output
    )
    assert "Nothing was deleted (--dry-run)." in dry.output
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Deleted 1 audit trail event" in result.output
    assert "Kept however old: decisions in force;" in result.output
    store = RunStore(url)
    assert (_count(store, AuditEvent), _count(store, TeamDecision)) == (3, 0)
    store.close()


def test_runs_prune_without_an_age_says_which_to_give(tmp_path):
    result = CliRunner().invoke(main, ["runs", "prune", "--store",
                                       f"sqlite:///{tmp_path / 'runs.sqlite'}"])  # fmt: skip
    assert result.exit_code == 2
    assert "give at least one age" in result.output and "Traceback" not in result.output
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    bad = CliRunner().invoke(main, ["runs", "prune", "--audit-older-than", "a year",
                                    "--store", url])  # fmt: skip
    assert bad.exit_code == 1 and "cannot read age 'a year'" in bad.output


def test_runs_prune_reads_the_periods_and_store_from_the_nightly_configuration(tmp_path):
    """Scheduled as `runs prune --config nightly.toml`, it prunes the store the nightly
    run records into (nightly.store, relative to the file) by the file's [retention]."""
    (tmp_path / "cfg").mkdir()
    config = tmp_path / "cfg" / "nightly.toml"
    config.write_text('[nightly]\nstore = "sqlite:///night.sqlite"\n'
                      '[retention]\naudit = "1y"\n')  # fmt: skip
    store = RunStore(f"sqlite:///{tmp_path / 'cfg' / 'night.sqlite'}")
    audit(store, "jo", "child page", child_id="C1", now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    audit(store, "jo", "child page", child_id="C1")
    store.close()
    result = CliRunner(env={"SUFFICIENCY_STORE": None}).invoke(
        main, ["runs", "prune", "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    assert "Deleted 1 audit trail event older than 1y" in result.output
    assert "night.sqlite" in result.output
    store = RunStore(f"sqlite:///{tmp_path / 'cfg' / 'night.sqlite'}")
    assert _count(store, AuditEvent) == 1
    store.close()


def test_a_forecast_run_a_kept_scenario_run_was_run_on_is_kept(store_url):
    """Pruning runs deleted the forecast run a scenario run names as its base: the
    scenario's page then named a run `runs show` no longer knew. It is kept while a
    scenario run on it is kept; once that run goes too, so may the forecast run."""
    store = RunStore(store_url)
    forecasts = []
    for day in (0, 10, 20):
        fid = store.start("forecast", {}, now=T0 + dt.timedelta(days=day))
        store.finish(fid, succeeded=True, now=T0 + dt.timedelta(days=day))
        forecasts.append(fid)
    sid = save_scenario(store, "More foster carers", {"x": 1}, "jo", now=T0)
    for day, base in ((1, forecasts[0]), (11, forecasts[1])):
        rid = start_scenario_run(store, sid, base, {"x": 1}, "jo", now=T0 + dt.timedelta(days=day))
        finish_scenario_run(store, rid, results={"y": 1}, now=T0 + dt.timedelta(days=day))
    removed = apply_retention(store, Retention(runs=YEAR), now=NOW)
    assert removed.runs == 0  # the first two are scenario runs' bases, the third the latest
    assert sorted(r["id"] for r in store.list_runs()) == forecasts
    # the scenario's older run goes (its latest is kept): so does its forecast run, in
    # the same transaction
    removed = apply_retention(store, Retention(runs=YEAR, scenario_runs=YEAR), now=NOW)
    assert (removed.runs, removed.scenario_runs) == (1, 1)
    assert sorted(r["id"] for r in store.list_runs()) == forecasts[1:]
    store.close()


def test_runs_another_machine_left_running_are_failed_then_pruned_by_age(store_url):
    """A run (or a scenario run) a killed process of another machine left "running" was
    kept by every retention period (a run still running is), and was marked failed only
    when a web server started or a scenario page was opened. Pruning records such runs as
    failed first, says so, and deletes them by their age as failed runs are; a dry run
    says it and changes nothing."""
    from sufficiency.store.models import Run

    now = dt.datetime.now(dt.UTC)
    old = now - dt.timedelta(days=200)
    store = RunStore(store_url)
    killed = store.start("match", {}, now=old)
    lately = store.start("match", {}, now=now - dt.timedelta(hours=25))
    done = store.start("match", {}, now=now - dt.timedelta(days=1))
    store.finish(done, succeeded=True)
    sid = save_scenario(store, "Entries up", {"name": "Entries up"}, "ann", now=old)
    cut = start_scenario_run(store, sid, done, {"name": "Entries up"}, "ann", now=old)
    ran = start_scenario_run(store, sid, done, {"name": "Entries up"}, "ann", now=now)
    finish_scenario_run(store, ran, results={"x": 1})
    with Session(store.engine) as s, s.begin():
        for rid in (killed, lately):
            run = s.get(Run, rid)
            run.summary = {**run.summary, "host": "nightly-1", "pid": 4242}
        row = s.get(ScenarioRun, cut)
        row.host, row.pid = "web-2", 4242
    args = ["runs", "prune", "--older-than", "90d", "--scenario-runs-older-than", "90d",
            "--store", store_url]  # fmt: skip
    dry = CliRunner().invoke(main, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.startswith(
        "Would record 2 runs and 1 scenario run still marked running as failed first, "
        "not seen to finish (their process had ended, or they were still running 24 hours "
        "after they started, a scenario run 2 hours): they are deleted by age as failed runs "
        "are. Would delete 1 run older than 90d and 1 scenario run older than 90d"
    )
    assert [store.get(r)["status"] for r in (killed, lately)] == ["running", "running"]
    assert scenario_runs(store, sid)[-1].status == "running"
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Recorded 2 runs and 1 scenario run still marked "
                                    "running as failed first")  # fmt: skip
    assert "Deleted 1 run older than 90d and 1 scenario run older than 90d" in result.output
    assert [r["id"] for r in store.list_runs()] == [done, lately]
    assert store.get(lately)["status"] == "failed"  # recorded so; too young to delete
    assert [r.id for r in scenario_runs(store, sid)] == [ran]
    again = CliRunner().invoke(main, args)
    assert again.output.startswith("Deleted 0 runs"), again.output  # nothing more to record
    store.close()
