"""A retention period applied to the run store: old runs, audit trail, ended decisions and
scenario runs deleted in one transaction (UK GDPR storage limitation).

What the tool still uses is never deleted, however old: the latest successful run of each
kind (the web application's pages and the next night's ``runs diff``), a run still running,
a decision in force, each saved scenario's latest run and latest successful run (its
page and the spend pages read them), a scenario run still running, and the forecast run
each scenario run kept was run on (its page names that run as its base: deleting it left
the scenario pointing at a run ``runs show`` no longer knew).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine, and_, delete, func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from sufficiency.plurals import numbered
from sufficiency.retention_config import as_age
from sufficiency.store.models import (
    AuditEvent,
    Outcome,
    Run,
    RunDecision,
    RunFile,
    RunRow,
    ScenarioRun,
    TeamDecision,
)
from sufficiency.store.stopped import (
    RUN_STOPPED_HOURS,
    SCENARIO_STOPPED_AFTER,
    Ended,
    end_stopped_in,
)

if TYPE_CHECKING:
    from sufficiency.store.store import RunStore


@dataclass(frozen=True)
class Retention:
    """How long each kind of record is kept; ``None`` keeps it until deleted by hand."""

    runs: dt.timedelta | None = None
    audit: dt.timedelta | None = None
    decisions: dt.timedelta | None = None  # counted from the day a decision ended
    scenario_runs: dt.timedelta | None = None

    @staticmethod
    def from_ages(ages: Mapping[str, str | None]) -> Retention:
        """The periods from ages as written (``{"runs": "90d", "audit": None}``)."""
        return Retention(**{k: as_age(v or "") for k, v in ages.items()})


@dataclass(frozen=True)
class Removed:
    """How many records a retention period deleted (or would delete, on a dry run)."""

    runs: int = 0
    audit_events: int = 0
    decisions: int = 0
    scenario_runs: int = 0
    #: Runs and scenario runs left "running" by a process that stopped, recorded as failed
    #: first (:mod:`sufficiency.store.stopped`), so they are pruned as failed runs are.
    ended: Ended = field(default_factory=Ended)

    @property
    def total(self) -> int:
        return self.runs + self.audit_events + self.decisions + self.scenario_runs


def latest_succeeded(s: Session) -> dict[str, int]:
    """The latest successful run of each kind, by kind."""
    q = (select(Run.kind, Run.id).where(Run.status == "succeeded")
         .order_by(Run.started_at.desc(), Run.id.desc()))  # fmt: skip
    latest: dict[str, int] = {}
    for kind, rid in s.execute(q):
        latest.setdefault(kind, int(rid))
    return latest


def _old_runs(s: Session, cutoff: dt.datetime, scenario_runs_going: list[int]) -> list[int]:
    keep = {rid for (rid,) in s.execute(select(Run.id).where(Run.status == "running"))}
    keep |= set(latest_succeeded(s).values())
    bases = select(ScenarioRun.forecast_run_id).where(ScenarioRun.id.not_in(scenario_runs_going))
    keep |= {int(rid) for (rid,) in s.execute(bases.distinct())}
    return [i for i in s.scalars(select(Run.id).where(Run.started_at < cutoff)) if i not in keep]


def _old_scenario_runs(s: Session, cutoff: dt.datetime) -> list[int]:
    keep = {rid for (rid,) in s.execute(
        select(func.max(ScenarioRun.id)).group_by(ScenarioRun.scenario_id)
    )} | {rid for (rid,) in s.execute(
        select(func.max(ScenarioRun.id)).where(ScenarioRun.status == "succeeded")
        .group_by(ScenarioRun.scenario_id)
    )}  # fmt: skip
    q = select(ScenarioRun.id).where(
        ScenarioRun.started_at < cutoff, ScenarioRun.status != "running"
    )
    return [i for i in s.scalars(q) if i not in keep]


def _ended_decisions(s: Session, cutoff: dt.datetime) -> list[int]:
    """Decisions withdrawn before ``cutoff`` or whose last day was before its day: a
    decision in force (not withdrawn, no last day or one today or later) never is."""
    ended = or_(
        and_(TeamDecision.withdrawn_at.is_not(None), TeamDecision.withdrawn_at < cutoff),
        and_(TeamDecision.until.is_not(None), TeamDecision.until < cutoff.date()),
    )
    return list(s.scalars(select(TeamDecision.id).where(ended)))


def _in_chunks(s: Session, model: type, column: object, ids: list[int]) -> None:
    for i in range(0, len(ids), 500):  # SQLite's bound-parameter limit on old versions
        s.execute(delete(model).where(column.in_(ids[i : i + 500])))  # type: ignore[attr-defined]


def apply_retention(
    store: RunStore, keep: Retention, now: dt.datetime | None = None, dry_run: bool = False
) -> Removed:
    """Delete what is older than ``keep`` says, in one transaction; on SQLite compact the
    file afterwards. Runs and scenario runs a stopped process left "running" are recorded
    as failed first (:func:`end_stopped_in`): a run still "running" is kept, so one of a
    process killed on another machine was kept for ever. ``dry_run`` counts what would be
    so recorded and what would go, and changes nothing."""
    at = dt.datetime.now(dt.UTC) if now is None else now
    at = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
    with Session(store.engine) as s, s.begin():
        ended = end_stopped_in(s, store.url, at)
        s.flush()
        scen = (_old_scenario_runs(s, at - keep.scenario_runs)
                if keep.scenario_runs is not None else [])  # fmt: skip
        runs = _old_runs(s, at - keep.runs, scen) if keep.runs is not None else []
        old_audit = AuditEvent.at < (at - keep.audit if keep.audit is not None else at)
        audit = s.scalar(select(func.count()).where(old_audit)) if keep.audit is not None else 0
        decisions = _ended_decisions(s, at - keep.decisions) if keep.decisions is not None else []
        removed = Removed(len(runs), audit or 0, len(decisions), len(scen), ended)
        if dry_run:
            s.rollback()  # the runs recorded as failed too
            return removed
        for model in (Outcome, RunRow, RunFile, RunDecision):
            _in_chunks(s, model, model.run_id, runs)
        _in_chunks(s, Run, Run.id, runs)
        if audit:
            s.execute(delete(AuditEvent).where(old_audit))
        _in_chunks(s, TeamDecision, TeamDecision.id, decisions)
        _in_chunks(s, ScenarioRun, ScenarioRun.id, scen)
    if removed.total and store.url.startswith("sqlite"):
        vacuum(store.engine)
    return removed


def retention_sentence(removed: Removed, ages: Mapping[str, str | None], where: str,
                       dry_run: bool = False) -> str:  # fmt: skip
    """What a retention period deleted (or would delete), and what it kept, in one sentence;
    ``where`` names the store ("" for the night's own)."""
    parts, kept = [], []
    if ages.get("runs"):
        parts.append(f"{numbered(removed.runs, 'run(s)')} older than {ages['runs']}")
        kept.append("the latest successful run of each kind, any run still running, and "
                    "the forecast runs the scenario runs kept were run on")  # fmt: skip
    if ages.get("audit"):
        parts.append(f"{numbered(removed.audit_events, 'audit trail event(s)')} older than "
                     f"{ages['audit']}")  # fmt: skip
    if ages.get("decisions"):
        parts.append(f"{numbered(removed.decisions, 'decision(s)')} that ended more than "
                     f"{ages['decisions']} ago")  # fmt: skip
        kept.append("decisions in force")
    if ages.get("scenario_runs"):
        parts.append(f"{numbered(removed.scenario_runs, 'scenario run(s)')} older than "
                     f"{ages['scenario_runs']}")  # fmt: skip
        kept.append("each scenario's latest run and latest successful run")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    verb = "Would delete" if dry_run else "Deleted"
    text = f"{verb} {listed} from the run store{' ' + where if where else ''}."
    if removed.ended.total:
        text = _ended_sentence(removed.ended, dry_run) + " " + text
    if kept:
        text += " Kept however old: " + "; ".join(kept) + "."
    return text + (" Nothing was deleted (--dry-run)." if dry_run else "")


def _ended_sentence(ended: Ended, dry_run: bool) -> str:
    """``Recorded 1 run and 0 scenario runs ... as failed first ...``."""
    day, hours = RUN_STOPPED_HOURS, int(SCENARIO_STOPPED_AFTER.total_seconds() // 3600)
    verb = "Would record" if dry_run else "Recorded"
    return (f"{verb} {numbered(len(ended.runs), 'run(s)')} and "
            f"{numbered(len(ended.scenario_runs), 'scenario run(s)')} still marked running as "
            "failed first, not seen to finish (their process "
            f"had ended, or they were still running {day} hours after they started, a "
            f"scenario run {hours} hours): they are deleted by age as failed runs "
            "are.")  # fmt: skip


def vacuum(engine: Engine) -> None:
    """Give a SQLite file's emptied pages back (a year of nights pruned to 90 days left the
    file its full size, the deleted rows in free pages). A reader holding the file (the web
    application) only delays it: a fault leaves the pages for reuse."""
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("VACUUM")
    except SQLAlchemyError:
        pass
