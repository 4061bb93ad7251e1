"""Saved scenarios, kept in the run store and shared by everyone in the authority.

Each scenario has a unique name, its author and a history: who created, changed and ran
it, and when. A run keeps the scenario as it was when run, the forecast run whose
history and settings it used, and its aggregate figures (no child is named).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sufficiency.errors import StoreError
from sufficiency.logs import without_detail
from sufficiency.pages.render import uk_time
from sufficiency.store.models import Run, SavedScenario, ScenarioEvent, ScenarioRun
from sufficiency.store.stopped import hold, release
from sufficiency.store.store import RunStore, utc


def _now(now: dt.datetime | None) -> dt.datetime:
    return utc(now) or dt.datetime.now(dt.UTC)


class ScenarioChanged(StoreError):
    """The scenario was changed by someone after the form changing it was shown: saving
    the form would undo their change unseen (a sentence saying who, and when)."""


@dataclass(frozen=True)
class ScenarioInfo:
    """A saved scenario: its name, definition (the scenario file's keys) and author."""

    id: int
    name: str
    definition: dict[str, Any]
    created_by: str
    created_at: dt.datetime
    changed_by: str
    changed_at: dt.datetime


@dataclass(frozen=True)
class HistoryLine:
    """Who did what to a scenario, and when."""

    at: dt.datetime
    username: str
    action: str
    detail: str


@dataclass(frozen=True)
class ScenarioRunInfo:
    """One run of a saved scenario."""

    id: int
    scenario_id: int
    forecast_run_id: int
    definition: dict[str, Any]
    started_by: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str  # running / succeeded / failed
    failure_reason: str | None
    host: str | None
    pid: int | None
    results: dict[str, Any] | None


def _info(s: SavedScenario) -> ScenarioInfo:
    return ScenarioInfo(s.id, s.name, dict(s.definition), s.created_by,
                        _now(s.created_at), s.changed_by, _now(s.changed_at))  # fmt: skip


def _run(r: ScenarioRun) -> ScenarioRunInfo:
    return ScenarioRunInfo(
        r.id, r.scenario_id, r.forecast_run_id, dict(r.definition), r.started_by,
        _now(r.started_at), utc(r.finished_at), r.status, r.failure_reason, r.host, r.pid,
        dict(r.results) if r.results is not None else None,
    )  # fmt: skip


def save_scenario(
    store: RunStore,
    name: str,
    definition: dict[str, Any],
    username: str,
    *,
    scenario_id: int | None = None,
    detail: str = "",
    now: dt.datetime | None = None,
    shown: dt.datetime | None = None,
) -> int:
    """Create a scenario (``scenario_id`` ``None``) or change one; return its ID.

    ``shown``: when the scenario was last changed as the form changing it showed it; a
    change saved since refuses this one (two people editing at once: the second's save
    undid the first's unseen, both told "Saved").

    Raises
    ------
    ScenarioChanged
        The scenario was changed after ``shown`` (unless it now says what this change
        would make it say: the same form sent twice saves nothing and is not refused).
    StoreError
        Another scenario has the name, or there is no scenario ``scenario_id``.
    """
    at = _now(now)
    try:
        with Session(store.engine) as s, s.begin():
            _refuse_capitals(s, name, scenario_id)
            if scenario_id is None:
                row = SavedScenario(name=name, definition=definition, created_by=username,
                                    created_at=at, changed_by=username, changed_at=at)  # fmt: skip
                s.add(row)
                s.flush()
                action = "created"
            else:
                found = s.get(SavedScenario, scenario_id, with_for_update=True)
                if found is None:
                    raise StoreError(f"there is no saved scenario {scenario_id}")
                if (found.name, dict(found.definition)) == (name, definition):
                    return int(found.id)  # no change: the form sent twice (a double click)
                if shown is not None and _now(found.changed_at) != _now(shown):
                    raise ScenarioChanged(
                        f"{found.changed_by} changed this scenario at "
                        f"{uk_time(_now(found.changed_at), '%H:%M:%S')}, after this page was "
                        "shown. Nothing was saved. The form shows your changes: compare them "
                        "with the scenario's page and save again if they still hold."
                    )
                row = found
                row.name, row.definition = name, definition
                row.changed_by, row.changed_at = username, at
                action = "changed"
            s.add(ScenarioEvent(scenario_id=row.id, at=at, username=username, action=action,
                                detail=detail or None))  # fmt: skip
            s.flush()
            return int(row.id)
    except IntegrityError:
        # saved meanwhile (the database's index on the name in lower case, migration 0006)
        with Session(store.engine) as s:
            _refuse_capitals(s, name, scenario_id)
        raise StoreError(f"there is already a scenario called {name!r}") from None


def _refuse_capitals(s: Session, name: str, scenario_id: int | None) -> None:
    """A scenario "Base" beside "base": two the list, the spend pages and the history
    cannot tell apart when read out, though the database's unique name saw two names."""
    folded = name.casefold()
    for other_id, other in s.execute(select(SavedScenario.id, SavedScenario.name)):
        if other != name and other.casefold() == folded and other_id != scenario_id:
            raise StoreError(f"there is already a scenario called {other!r} (names that "
                             "differ only in capitals are one name)")  # fmt: skip


def list_scenarios(store: RunStore) -> list[ScenarioInfo]:
    """Every saved scenario, by name."""
    with Session(store.engine) as s:
        return [_info(r) for r in s.scalars(select(SavedScenario).order_by(SavedScenario.name))]


def get_scenario(store: RunStore, scenario_id: int) -> ScenarioInfo | None:
    with Session(store.engine) as s:
        row = s.get(SavedScenario, scenario_id)
        return _info(row) if row is not None else None


def scenario_history(store: RunStore, scenario_id: int) -> list[HistoryLine]:
    """The scenario's history, newest first."""
    with Session(store.engine) as s:
        rows = s.scalars(
            select(ScenarioEvent)
            .where(ScenarioEvent.scenario_id == scenario_id)
            .order_by(ScenarioEvent.at.desc(), ScenarioEvent.id.desc())
        )
        return [HistoryLine(_now(e.at), e.username, e.action, e.detail or "") for e in rows]


def start_scenario_run(
    store: RunStore,
    scenario_id: int,
    forecast_run_id: int,
    definition: dict[str, Any],
    username: str,
    now: dt.datetime | None = None,
) -> int:
    """Record that a run of the scenario has started; return the run's ID."""
    with Session(store.engine) as s, s.begin():
        run = ScenarioRun(
            scenario_id=scenario_id, forecast_run_id=forecast_run_id, definition=definition,
            started_by=username, started_at=_now(now), status="running",
            host=socket.gethostname(), pid=os.getpid(),
        )  # fmt: skip
        s.add(run)
        s.flush()
        hold("scenario_runs", store.url, int(run.id))  # before others can see it running
        return int(run.id)


def finish_scenario_run(
    store: RunStore,
    run_id: int,
    *,
    results: dict[str, Any] | None = None,
    failure_reason: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Record how a run ended: its figures, or why it failed; the scenario's history says so."""
    at = _now(now)
    if failure_reason is not None:  # a database fault's DETAIL line quotes values
        failure_reason = without_detail(failure_reason)
    with Session(store.engine) as s, s.begin():
        run = s.get(ScenarioRun, run_id)
        if run is None:
            raise StoreError(f"there is no scenario run {run_id}")
        run.finished_at = at
        run.status = "failed" if failure_reason is not None else "succeeded"
        run.failure_reason = failure_reason
        run.results = results
        base = s.get(Run, run.forecast_run_id)
        # said by when the forecast started, as the pages name runs ("on forecast run 7"
        # named a number of the store's one sequence for every job); the number kept
        said = f"the forecast started {uk_time(base.started_at, '{day}, %H:%M')}, " if base else ""
        s.add(ScenarioEvent(
            scenario_id=run.scenario_id, at=at, username=run.started_by,
            action="run failed" if failure_reason is not None else "ran",
            detail=(failure_reason if failure_reason is not None
                    else f"on {said}run {run.forecast_run_id} in the run store"),
        ))  # fmt: skip
    release("scenario_runs", store.url, run_id)


def bases_gone(store: RunStore, runs: Collection[ScenarioRunInfo]) -> set[int]:
    """The forecast runs ``runs`` were run on that are no longer in the store (deleted by
    hand, or by a retention period before those were kept): their pages say so rather
    than name a run ``runs show`` does not know."""
    wanted = {r.forecast_run_id for r in runs}
    if not wanted:
        return set()
    with Session(store.engine) as s:
        there = set(s.scalars(select(Run.id).where(Run.id.in_(wanted))))
    return wanted - there


def get_scenario_run(store: RunStore, run_id: int) -> ScenarioRunInfo | None:
    with Session(store.engine) as s:
        row = s.get(ScenarioRun, run_id)
        return _run(row) if row is not None else None


def scenario_runs(store: RunStore, scenario_id: int, limit: int = 20) -> list[ScenarioRunInfo]:
    """The scenario's runs, newest first."""
    with Session(store.engine) as s:
        rows = s.scalars(
            select(ScenarioRun)
            .where(ScenarioRun.scenario_id == scenario_id)
            .order_by(ScenarioRun.id.desc())
            .limit(limit)
        )
        return [_run(r) for r in rows]
