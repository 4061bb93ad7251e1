"""``sufficiency runs``: list, show, diff and prune the run history."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

import click

from sufficiency.commands.common import config_option, store_option, user_errors
from sufficiency.plurals import numbered


def _store(url: str | None) -> Any:
    from sufficiency.store import RunStore

    return RunStore(url)


def _ended_stopped(store: Any) -> frozenset[int]:
    """Record the runs a stopped process left "running" as failed, so a run killed on
    another machine is not listed as running for ever (what the next night would record;
    the listing is the same whoever looks first). A store this account may only read (a
    read-only file or folder, a PostgreSQL role without write rights) records nothing:
    the IDs of the runs taken as stopped, still recorded as running, are returned, for the
    listing to show them as stopped with a note."""
    from sqlalchemy.exc import SQLAlchemyError

    from sufficiency.store.stopped import stopped_unrecorded

    try:
        store.mark_interrupted()
        return frozenset()
    except SQLAlchemyError:
        with contextlib.suppress(SQLAlchemyError):
            return frozenset(stopped_unrecorded(store).runs)
    return frozenset()


def _unrecorded_note(ids: frozenset[int], url: str) -> str:
    """What ``runs list`` and ``runs show`` say of runs taken as stopped on a store this
    account may only read."""
    which = ", ".join(str(i) for i in sorted(ids))
    from sufficiency.store.stopped import RUN_STOPPED_HOURS

    run, its, it, it_was, they = (
        ("Run", "its", "it", "it was", "it") if len(ids) == 1
        else ("Runs", "their", "them", "they were", "they")
    )  # fmt: skip
    return (f"{run} {which}: stopped, not seen to finish ({its} process ended during {it}, "
            f"or {it_was} still running {RUN_STOPPED_HOURS} hours after {they} started), but "
            "still recorded as running: this account may not write the run store "
            f"{store_words(url)}; the next night, or a command of an account that may, "
            f"records {it} as failed.")  # fmt: skip


def _as_shown(run: dict[str, Any], unrecorded: frozenset[int], url: str) -> dict[str, Any]:
    """A run as ``--format json`` gives it: one taken as stopped on a store this account
    may only read as the text shows it, ``stopped``, with the status it is still recorded
    as (``recorded_status``) and the text's note (it said ``running`` with no word)."""
    if run["id"] not in unrecorded:
        return run
    note = _unrecorded_note(frozenset({run["id"]}), url)
    return {**run, "status": "stopped", "recorded_status": run["status"], "note": note}


def store_words(url: str) -> str:
    """The run store's URL as told to the user: a password in it shown as ``***``."""
    return re.sub(r"://([^:/@]+):[^@]+@", r"://\1:***@", url)


def _fmt_time(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else "-"


@click.group()
def runs() -> None:
    """The run history: what ran, when, with which inputs, and what it proposed.

    Example: sufficiency runs list --limit 10
    """


@runs.command("list")
@store_option
@click.option("--limit", type=int, default=50, show_default=True, help="0 lists every run.")
@click.option("--kind", default=None, help="Only runs of this kind (match, forecast, ...).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@user_errors
def list_cmd(store_url: str | None, limit: int, kind: str | None, fmt: str) -> None:
    """List recorded runs, most recent first.

    Example: sufficiency runs list --kind match
    """
    from sufficiency.store.stopped import RUN_STOPPED_HOURS, unfinished

    store = _store(store_url)
    unrecorded = _ended_stopped(store)
    rows = store.list_runs(limit=limit or None, kind=kind)
    if fmt == "json":
        as_shown = [_as_shown(r, unrecorded, store.url) for r in rows]
        click.echo(json.dumps(as_shown, default=str, indent=2))
        return
    w = max([9, *(len(r["kind"]) + 1 for r in rows)])  # "commission" is 10 letters
    click.echo(f"{'id':>6}  {'kind':<{w}} {'started (UTC)':<19}  {'status':<10} {'solver':<12} "
               "objective")  # fmt: skip

    def stopped(r: dict[str, Any]) -> bool:
        return r["id"] in unrecorded or (
            r["status"] == "failed" and unfinished(r["failure_reason"])
        )

    for r in rows:
        obj = f"{r['objective']:,.2f}" if r["objective"] is not None else "-"
        status = "stopped" if stopped(r) else r["status"]
        click.echo(
            f"{r['id']:>6}  {r['kind']:<{w}} {_fmt_time(r['started_at']):<19}  {status:<10} "
            f"{(r['solver_status'] or '-'):<12} {obj}"
        )
    if any(r["status"] == "failed" and unfinished(r["failure_reason"]) for r in rows):
        click.echo(f"stopped: not seen to finish (its process ended during it, or it was still "
                   f"running {RUN_STOPPED_HOURS} hours after it started), recorded "
                   "as failed; runs show ID says which.")  # fmt: skip
    if shown := unrecorded & {r["id"] for r in rows}:
        click.echo(_unrecorded_note(frozenset(shown), store.url))
    # named: run as another account (root, not the nightly job's), or with --store left
    # out, it is another store, and "0 run(s)" read as the nights not being recorded
    click.echo(f"{numbered(len(rows), 'run(s)')} shown of {store.count()} in the run store "
               f"{store_words(store.url)}.")  # fmt: skip


@runs.command("show")
@click.argument("run_id", type=int)
@store_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@user_errors
def show_cmd(run_id: int, store_url: str | None, fmt: str) -> None:
    """Everything recorded about one run.

    Example: sufficiency runs show 12
    """
    store = _store(store_url)
    unrecorded = _ended_stopped(store) & {run_id}
    run = _as_shown(store.get(run_id), unrecorded, store.url)  # the text says as the JSON
    if fmt == "json":
        click.echo(json.dumps(run, default=str, indent=2))
        return
    if unrecorded:
        click.echo(run["note"])
    for key in ("id", "kind", "status", "recorded_status", "failure_reason", "started_at",
                "finished_at", "software_version", "solver_status", "objective", "gap",
                "out_dir", "config_sha256", "inputs_sha256"):  # fmt: skip
        if run.get(key) is not None:
            click.echo(f"{key}: {run[key]}")
    click.echo("files:")
    for f in run["files"]:
        click.echo(f"  {f['role']:<6} {f['label']:<14} {f['sha256'][:16]}  {f['path']}")
    if run["summary"]:
        click.echo("summary: " + json.dumps(run["summary"], sort_keys=True, default=str))
    if run["outcomes"]:
        click.echo("outcomes:")
        for o in run["outcomes"]:
            where = o["placement_id"] or f"unplaced: {o['reason']}"
            click.echo(f"  {o['child_id']}: {where}")
    if run.get("decisions"):
        click.echo("decisions:")
        for d in run["decisions"]:
            click.echo(f"  {d['status']} {d['decision']} {d['child_id']} -> {d['placement_id']}: "
                       f"{d['note']}")  # fmt: skip


@runs.command("diff")
@click.argument("run_a", type=int)
@click.argument("run_b", type=int)
@store_option
@user_errors
def diff_cmd(run_a: int, run_b: int, store_url: str | None) -> None:
    """Which children's proposals changed between two matching runs, and why.

    Example: sufficiency runs diff 41 42
    """
    store = _store(store_url)
    rows = store.diff(run_a, run_b)
    if not rows:
        click.echo(f"No child's proposal changed between runs {run_a} and {run_b}.")
        return
    for r in rows:
        click.echo(f"{r.child_id}: {r.before} -> {r.after} ({r.reason})")
    click.echo(f"{len(rows)} child(ren) changed.")
    said = _not_proven(
        [
            rid
            for rid in (run_a, run_b)
            if store.get(rid).get("solver_status") not in (None, "optimal")
        ]
    )
    if said:
        click.echo(said)


def _not_proven(runs: list[int]) -> str:
    """What the web's What changed page says when either run's plan is not proven best: a
    move with no cause of its own may come from that alone (the page's words, plain as the
    match report's page 1: "the solver stopped before proving it" was the solver's)."""
    if not runs:
        return ""
    if len(runs) == 2:
        first = (f"The plans of runs {runs[0]} and {runs[1]} may not be the best ones: each "
                 "search stopped before proving its plan the best (the first page of each "
                 "match report says more).")  # fmt: skip
    else:
        first = (f"The plan of run {runs[0]} may not be the best one: the search stopped "
                 "before proving it the best (the first page of its match report says "
                 "more).")  # fmt: skip
    return (first + ' A child above whose move has no cause of its own ("the best overall '
            'plan changed", or a place that went to such a child) may have moved for that '
            "alone, between plans about as good.")  # fmt: skip


@runs.command("prune")
@click.option("--older-than", default=None, help="Delete runs older than this age, e.g. 90d.")
@click.option(
    "--audit-older-than",
    default=None,
    help="Delete audit trail events (page views, with child IDs) older than this age.",
)
@click.option(
    "--decisions-older-than",
    default=None,
    help="Delete the team's decisions that ended (withdrawn or past their last "
    "day) longer ago than this age.",
)
@click.option(
    "--scenario-runs-older-than", default=None, help="Delete scenario runs older than this age."
)
@click.option("--dry-run", is_flag=True, help="Say what would be deleted; delete nothing.")
@config_option
@store_option
@user_errors
def prune_cmd(older_than: str | None, audit_older_than: str | None,
              decisions_older_than: str | None, scenario_runs_older_than: str | None,
              dry_run: bool, config_path: Path | None, store_url: str | None) -> None:  # fmt: skip
    """Apply a retention period: delete old runs, audit trail, ended decisions and scenario
    runs, in one transaction; what the tool still uses is kept. Ages: 90d, 12w, 6m or 1y.
    With --config, the ages not given here come from its [retention] and the store from
    nightly.store. The nightly job applies its file's [retention] itself after each
    night; use this to try the periods first (--dry-run) or on a store no night uses.

    Example: sufficiency runs prune --config nightly.toml --dry-run
    """
    from sufficiency.store.retention import Retention, apply_retention, retention_sentence

    ages = {
        "runs": older_than,
        "audit": audit_older_than,
        "decisions": decisions_older_than,
        "scenario_runs": scenario_runs_older_than,
    }
    if config_path is not None:
        store_url, ages = _from_config(config_path, store_url, ages)
    if not any(ages.values()):
        raise click.UsageError(
            "give at least one age: --older-than (runs), --audit-older-than, "
            "--decisions-older-than or --scenario-runs-older-than, or a configuration "
            "(--config) that sets them in [retention]."
        )
    keep = Retention(**{k: _age(v) for k, v in ages.items()})
    store = _store(store_url)
    size = _file_mb(store.url)
    removed = apply_retention(store, keep, dry_run=dry_run)
    click.echo(retention_sentence(removed, ages, store_words(store.url), dry_run))
    now = _file_mb(store.url) if removed.total and not dry_run and size is not None else None
    if now is not None:
        click.echo(f"The file went from {size:,.1f} MB to {now:,.1f} MB.")


def _from_config(
    path: Path, store_url: str | None, ages: dict[str, str | None]
) -> tuple[str | None, dict[str, str | None]]:
    """The store and ages ``runs prune --config`` uses: those given on the command line
    (or $SUFFICIENCY_STORE), else the configuration's nightly.store and [retention]."""
    from sufficiency.config import load_params
    from sufficiency.nightly_checks import store_url as relative_store

    params = load_params(path)
    if store_url is None and params.nightly.store:
        store_url = relative_store(params.nightly.store, path.resolve().parent)
    setting = params.retention.model_dump()
    return store_url, {k: v or setting[k] or None for k, v in ages.items()}


def _age(text: str | None) -> Any:
    from sufficiency.store import parse_age

    return parse_age(text) if text else None


def _file_mb(url: str) -> float | None:
    """A SQLite store's file size in MB; ``None`` for a database server."""
    if not url.startswith("sqlite") or ":///" not in url:
        return None
    path = Path(url.split(":///", 1)[1])
    return path.stat().st_size / 1e6 if path.is_file() else None
