"""Runs a stopped process left "running", recorded as failed: every kind of run alike (the
runs of the commands, the nightly job and the web's re-runs, and the web's scenario runs).

A run records the machine and process running it. It is taken as stopped when its
process, on this machine, has ended (or is this process, which no longer holds it: a
server restarted with the same process ID, as in a container), and, wherever it ran (a
nightly job on one server, the web application on another, sharing a PostgreSQL store),
once it is still "running" longer after it started than any run takes. Before, a run of
another machine's process stayed "running" for ever, and retention never deleted it. A
run so recorded that does finish after all is recorded as it ends.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sufficiency.io.atomic import process_alive
from sufficiency.store.models import Run, ScenarioEvent, ScenarioRun

if TYPE_CHECKING:
    from sufficiency.store.store import RunStore

#: A run of a command or the nightly job still "running" this long after it started is
#: taken as stopped, wherever it ran. There is no run time limit to take it from: the
#: longest runs documented take minutes (a national matching run's 180 s solver limit, a
#: commissioning run's couple of minutes), a solver's limit may be set higher, and the
#: nightly job runs once a day.
RUN_STOPPED_HOURS = 24
RUN_STOPPED_AFTER = dt.timedelta(hours=RUN_STOPPED_HOURS)
#: The same for a web scenario run (seconds to minutes on a large history).
SCENARIO_STOPPED_AFTER = dt.timedelta(hours=2)
#: A matching run's time limit covers the whole run (reading to outputs), so one still
#: "running" this many times its limit after it started, and at least
#: :data:`MATCH_STOPPED_AT_LEAST`, is taken as stopped: a nightly match killed on another
#: server held the web's re-runs back for a day before.
MATCH_STOPPED_TIMES_LIMIT = 4
MATCH_STOPPED_AT_LEAST = dt.timedelta(hours=1)

#: Why a run whose process, on the machine that checked, ended is recorded as failed.
INTERRUPTED = "interrupted: the process ended before the run finished"
#: Why a run still "running" :data:`RUN_STOPPED_AFTER` after it started is (the start).
NOT_SEEN = "not seen to finish"
#: Why a scenario run whose server stopped during it is recorded as failed.
STOPPED = ("stopped before it finished: the server running it was stopped or restarted; "
           "run the scenario again")  # fmt: skip

#: The runs this process is running (table, store URL, ID): recorded as they start,
#: forgotten as they end. A run of this process's ID that is not here is another's
#: process's that had the same ID (a restart).
_HELD: set[tuple[str, str, int]] = set()
_HELD_LOCK = threading.Lock()


def hold(table: str, url: str, run_id: int) -> None:
    """Note that this process runs ``run_id`` (before the run is committed, so no other
    thread sees it running and not held)."""
    with _HELD_LOCK:
        _HELD.add((table, url, run_id))


def release(table: str, url: str, run_id: int) -> None:
    """Note that this process no longer runs ``run_id`` (it ended, or its thread did)."""
    with _HELD_LOCK:
        _HELD.discard((table, url, run_id))


def _held(table: str, url: str, run_id: int) -> bool:
    with _HELD_LOCK:
        return (table, url, run_id) in _HELD


def stopped_how(
    host: str | None,
    pid: int | None,
    started: dt.datetime,
    at: dt.datetime,
    after: dt.timedelta,
    held_here: Callable[[], bool],
) -> str | None:
    """How a run (or a claim) still marked running has stopped: ``"ended"``, its process on
    this machine ended (or it is this process's ID and ``held_here()`` is false), or
    ``"late"``, still running ``after`` it started, wherever it ran; ``None``: it may
    still be running (another machine's process is trusted until then)."""
    if host == socket.gethostname() and pid is not None:
        if pid == os.getpid():
            if not held_here():
                return "ended"
        elif not process_alive(pid):
            return "ended"
    return "late" if at - started > after else None


@dataclass(frozen=True)
class Ended:
    """The runs and scenario runs just recorded as failed, by ID."""

    runs: tuple[int, ...] = ()
    scenario_runs: tuple[int, ...] = ()

    @property
    def total(self) -> int:
        return len(self.runs) + len(self.scenario_runs)


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def stopped_after(kind: str, config: dict[str, Any] | None) -> dt.timedelta:
    """How long after it started a run still "running" is taken as stopped: a matching
    run's limit (``config``'s ``matching.time_limit_seconds``) :data:`MATCH_STOPPED_TIMES_LIMIT`
    times over, at least :data:`MATCH_STOPPED_AT_LEAST`; any other run (or a matching run
    recorded with no limit) :data:`RUN_STOPPED_AFTER`."""
    matching = (config or {}).get("matching") if kind == "match" else None
    limit = matching.get("time_limit_seconds") if isinstance(matching, dict) else None
    if isinstance(limit, int | float) and not isinstance(limit, bool) and limit > 0:
        after = dt.timedelta(seconds=MATCH_STOPPED_TIMES_LIMIT * float(limit))
        return min(RUN_STOPPED_AFTER, max(MATCH_STOPPED_AT_LEAST, after))
    return RUN_STOPPED_AFTER


def _said(after: dt.timedelta) -> str:
    hours = after.total_seconds() / 3600
    if hours >= 1 and hours == int(hours):
        return f"{int(hours)} hour{'s' if hours != 1 else ''}"
    return f"{round(after.total_seconds() / 60)} minutes"


def not_seen(host: str | None, after: dt.timedelta = RUN_STOPPED_AFTER) -> str:
    """The failure reason of a run still "running" ``after`` it started (a matching
    run's :func:`stopped_after`, else :data:`RUN_STOPPED_AFTER`)."""
    on = f" on {host}" if host else ""
    longest = ("longer than any run takes" if after == RUN_STOPPED_AFTER
               else "long past its time limit")  # fmt: skip
    return (f"{NOT_SEEN}: still recorded as running {_said(after)} after it "
            f"started{on}, {longest}, so taken as stopped (its process "
            "killed or its machine restarted)")  # fmt: skip


def unfinished(reason: str | None) -> bool:
    """Whether a failed run's reason is that it was not seen to finish (its process
    stopped during it), not a fault of the run."""
    return bool(reason) and str(reason).startswith((INTERRUPTED, NOT_SEEN, STOPPED))


def end_stopped_in(s: Session, url: str, at: dt.datetime) -> Ended:
    """Record, in ``s``, the runs and scenario runs of the store at ``url`` that stopped
    (:func:`stopped_how`) as failed, finished at ``at``; a scenario's history says it."""
    at = _aware(at)
    runs = []
    for run in s.scalars(select(Run).where(Run.status == "running")):
        info = run.summary or {}
        pid = info.get("pid")
        host = info.get("host")
        after = stopped_after(run.kind, run.config)
        how = stopped_how(host, None if pid is None else int(pid), _aware(run.started_at), at,
                          after, partial(_held, "runs", url, run.id))  # fmt: skip
        if how is None:
            continue
        run.status, run.finished_at = "failed", at
        run.failure_reason = INTERRUPTED if how == "ended" else not_seen(host, after)
        runs.append(int(run.id))
    scenario_runs = []
    for sr in s.scalars(select(ScenarioRun).where(ScenarioRun.status == "running")):
        if stopped_how(sr.host, sr.pid, _aware(sr.started_at), at, SCENARIO_STOPPED_AFTER,
                       partial(_held, "scenario_runs", url, sr.id)) is None:  # fmt: skip
            continue
        sr.status, sr.failure_reason, sr.finished_at = "failed", STOPPED, at
        s.add(ScenarioEvent(scenario_id=sr.scenario_id, at=at, username=sr.started_by,
                            action="run failed", detail=STOPPED))  # fmt: skip
        scenario_runs.append(int(sr.id))
    return Ended(tuple(runs), tuple(scenario_runs))


def end_stopped(store: RunStore, now: dt.datetime | None = None) -> Ended:
    """Record the runs and scenario runs a stopped process left "running" as failed
    (:func:`end_stopped_in`), in one transaction."""
    at = dt.datetime.now(dt.UTC) if now is None else now
    with Session(store.engine) as s, s.begin():
        return end_stopped_in(s, store.url, at)


def stopped_unrecorded(store: RunStore, now: dt.datetime | None = None) -> Ended:
    """The runs and scenario runs :func:`end_stopped` would record as failed, recorded
    nowhere: for a store this account may only read (a read-only SQLite file or folder, a
    PostgreSQL role without write rights), which ``runs list`` and ``runs show`` show as
    stopped, with a note, as recorded otherwise."""
    at = dt.datetime.now(dt.UTC) if now is None else now
    with Session(store.engine) as s, s.no_autoflush:
        try:
            return end_stopped_in(s, store.url, at)
        finally:
            s.rollback()
