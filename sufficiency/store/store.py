"""The run store: record runs, list and show them, diff two nights, prune old runs.

SQLite (a file under the user's data folder) is the default; PostgreSQL and any
other SQLAlchemy URL work too. The schema is created and upgraded with Alembic
whenever a store is opened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import socket
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from sufficiency import __version__
from sufficiency.errors import StoreError
from sufficiency.io.atomic import DIR_MODE, FILE_MODE, sha256_file
from sufficiency.logs import without_detail
from sufficiency.retention_config import age_days
from sufficiency.store.causes import input_cause, knock_on_causes
from sufficiency.store.decision_causes import applied_keys as _applied_keys
from sufficiency.store.decision_causes import decision_cause as _decision_cause
from sufficiency.store.decision_causes import decision_key as _key
from sufficiency.store.migrate import HEAD_REVISION as HEAD_REVISION
from sufficiency.store.migrate import migrate
from sufficiency.store.models import Outcome, Run, RunDecision, RunFile, RunRow
from sufficiency.store.record import inputs_modified
from sufficiency.store.referred import nights_away
from sufficiency.store.respelt import Respelt, lifted, renamed, respelt
from sufficiency.store.splits import sibling_details, split_causes
from sufficiency.store.stopped import end_stopped, hold, release
from sufficiency.store.types import ChildOutcome, InputRow, RowFingerprint

STORE_ENV = "SUFFICIENCY_STORE"
_NO_VACANCY = RowFingerprint("", 0)


def default_store_url() -> str:
    """``$SUFFICIENCY_STORE``, else SQLite in the user's data folder."""
    if os.environ.get(STORE_ENV):
        return os.environ[STORE_ENV]
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('sufficiency')) / 'runs.sqlite'}"


def parse_age(text: str) -> dt.timedelta:
    """``90d``, ``12w``, ``6m`` (30-day months) or ``1y`` -> a duration."""
    days = age_days(text)
    if days is None:
        raise StoreError(f"cannot read age {text!r}: use a number and d, w, m or y, e.g. 90d")
    return dt.timedelta(days=days)


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """``value`` as an aware UTC time (SQLite gives naive UTC times back); ``None`` kept."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _where(path: Path | str) -> str:
    """A file's path as recorded: whole (absolute), so a server or re-run started in
    another folder than the command finds the files the run read and wrote."""
    return os.path.abspath(path)


def config_digest(config: Mapping[str, Any]) -> str:
    """SHA-256 of a configuration's canonical JSON."""
    return hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class DiffRow:
    """How one child's outcome changed between two matching runs, and why."""

    child_id: str
    before: str  # placement ID, "unplaced" or "not referred"
    after: str
    reason: str


def _prepare_sqlite(url: str) -> None:
    path_text = url.split(":///", 1)[1] if ":///" in url else ""
    if not path_text or path_text == ":memory:" or path_text.startswith("file:"):
        return  # file: an SQLite URI (``?mode=ro&uri=true``), opened as given: not a path
    path = Path(path_text)
    try:  # a service account with no home folder (the default store's) was a traceback
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=DIR_MODE)
            os.chmod(path.parent, DIR_MODE)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE)
            os.close(fd)
        elif path.is_dir():
            raise StoreError(f"run store {path} is a folder, not a database file")
    except OSError as exc:
        raise StoreError(
            f"cannot create the run store {path} ({exc.strerror or exc}): give --store (or "
            f"${STORE_ENV}) a database this account may write, such as sqlite:////var/lib/"
            "sufficiency/runs.sqlite"
        ) from None


class RunStore:
    """A connection to the run store. Opening it creates or upgrades the schema."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_store_url()
        if self.url.startswith("sqlite"):
            _prepare_sqlite(self.url)
        try:
            # A fault's message leaves out the values it was writing (a decision's reason,
            # a child's ID): it goes to the server's log, which should hold neither.
            self.engine: Engine = create_engine(self.url, hide_parameters=True)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(f"cannot open run store {self._safe_url}: {exc}") from None
        if self.url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._migrate()

    @property
    def _safe_url(self) -> str:
        return re.sub(r"://([^:/@]+):[^@]+@", r"://\1:***@", self.url)

    def _migrate(self) -> None:
        migrate(self.engine, self.url, self._safe_url, _sqlite_pragmas)

    def close(self) -> None:
        self.engine.dispose()

    # --- recording ---------------------------------------------------------------

    def start(
        self,
        kind: str,
        config: Mapping[str, Any],
        inputs: Mapping[str, Path] | None = None,
        rows: Iterable[InputRow] = (),
        now: dt.datetime | None = None,
    ) -> int:
        """Record the start of a run; return its ID.

        ``rows`` are fingerprints of input rows (:class:`InputRow`), used by
        :meth:`diff` to explain changes between runs.
        """
        files = [
            RunFile(role="input", label=label, path=_where(p), sha256=sha256_file(p),
                    size_bytes=Path(p).stat().st_size)
            for label, p in sorted((inputs or {}).items())
            if Path(p).is_file()
        ]  # fmt: skip
        inputs_digest = hashlib.sha256(
            "".join(f"{f.label}:{f.sha256};" for f in files).encode()
        ).hexdigest()
        run = Run(
            kind=kind,
            started_at=utc(now) or dt.datetime.now(dt.UTC),
            status="running",
            software_version=__version__,
            config=json.loads(json.dumps(dict(config), default=str)),
            config_sha256=config_digest(config),
            inputs_sha256=inputs_digest,
            summary={
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "inputs_modified": inputs_modified(dict(inputs or {})),
            },
        )
        with Session(self.engine) as s, s.begin():
            s.add(run)
            s.flush()
            hold("runs", self.url, int(run.id))  # before others can see it running
            for f in files:
                f.run_id = run.id
                s.add(f)
            _add_rows(s, run.id, rows)
            return int(run.id)

    def finish(
        self,
        run_id: int,
        *,
        succeeded: bool,
        failure_reason: str | None = None,
        solver_status: str | None = None,
        objective: float | None = None,
        gap: float | None = None,
        summary: Mapping[str, Any] | None = None,
        outputs: Mapping[str, Path] | None = None,
        out_dir: Path | str | None = None,
        outcomes: Iterable[ChildOutcome] = (),
        rows: Iterable[InputRow] = (),
        now: dt.datetime | None = None,
        decisions: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        """Record how a run ended, its figures, output files and per-child outcomes.

        ``decisions`` are the placement team's decisions the run read, as
        :meth:`sufficiency.matching.decisions.DecisionNote.as_dict` gives them.
        """
        with Session(self.engine) as s, s.begin():
            _add_rows(s, run_id, rows)
            run = s.get(Run, run_id)
            if run is None:
                raise StoreError(f"no run {run_id} in the store")
            run.finished_at = utc(now) or dt.datetime.now(dt.UTC)
            run.status = "succeeded" if succeeded else "failed"
            # A database fault's DETAIL line quotes the row it could not write.
            run.failure_reason = None if failure_reason is None else without_detail(failure_reason)
            run.solver_status = solver_status
            run.objective = objective
            run.gap = gap
            run.summary = json.loads(json.dumps({**(run.summary or {}), **(summary or {})},
                                                default=str))  # fmt: skip
            run.out_dir = _where(out_dir) if out_dir is not None else None
            for label, p in sorted((outputs or {}).items()):
                s.add(
                    RunFile(
                        run_id=run_id,
                        role="output",
                        label=label,
                        path=_where(p),
                        sha256=sha256_file(p),
                        size_bytes=Path(p).stat().st_size,
                    )
                )
            for o in map(ChildOutcome._make, outcomes):
                s.add(Outcome(run_id=run_id, child_id=o.child_id, placement_id=o.placement_id,
                              reason=o.reason, details=o.details))  # fmt: skip
            _add_decisions(s, run_id, decisions)
        release("runs", self.url, run_id)

    def moved_files(self, run_ids: Iterable[int], old_dir: Path, new_dir: Path) -> int:
        """Record that files the runs read or wrote under ``old_dir`` are now under
        ``new_dir`` (a folder renamed into place); return how many paths changed."""
        ids = list(run_ids)
        # paths are recorded whole (_where); a store written before that may hold them
        # as given, relative to the folder the command ran in
        prefixes = {str(d).rstrip("/") + "/" for d in (_where(old_dir), old_dir)}
        n = 0
        with Session(self.engine) as s, s.begin():
            for f in s.scalars(select(RunFile).where(RunFile.run_id.in_(ids))):
                for prefix in prefixes:
                    if f.path.startswith(prefix):
                        f.path = str(Path(_where(new_dir)) / f.path[len(prefix) :])
                        n += 1
                        break
        return n

    def mark_interrupted(self, now: dt.datetime | None = None) -> int:
        """Record the runs and scenario runs a stopped process left "running" as failed
        (:mod:`sufficiency.store.stopped`: of an ended process of this machine at once, of
        any machine a day after they started); return how many."""
        return end_stopped(self, now).total

    # --- reading ----------------------------------------------------------------

    def list_runs(
        self, limit: int | None = 50, kind: str | None = None, status: str | None = None
    ) -> list[dict[str, Any]]:
        """Most recent runs first, as plain dictionaries (of ``kind`` and ``status`` if given)."""
        q = select(
            Run.id, Run.kind, Run.started_at, Run.finished_at, Run.status, Run.solver_status,
            Run.objective, Run.failure_reason,
        ).order_by(Run.started_at.desc(), Run.id.desc())  # fmt: skip
        if kind:
            q = q.where(Run.kind == kind)
        if status:
            q = q.where(Run.status == status)
        if limit:
            q = q.limit(limit)
        with Session(self.engine) as s:
            return [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "started_at": utc(r.started_at),
                    "finished_at": utc(r.finished_at),
                    "status": r.status,
                    "solver_status": r.solver_status,
                    "objective": r.objective,
                    "failure_reason": r.failure_reason,
                }
                for r in s.execute(q)
            ]

    def count(self) -> int:
        with Session(self.engine) as s:
            return int(s.scalar(select(func.count()).select_from(Run)) or 0)

    def get(self, run_id: int) -> dict[str, Any]:
        """Everything recorded about one run."""
        with Session(self.engine) as s:
            run = s.get(Run, run_id)
            if run is None:
                raise StoreError(f"no run {run_id} in the store")
            files = s.scalars(select(RunFile).where(RunFile.run_id == run_id)
                              .order_by(RunFile.role, RunFile.label)).all()  # fmt: skip
            outcomes = s.scalars(select(Outcome).where(Outcome.run_id == run_id)
                                 .order_by(Outcome.child_id)).all()  # fmt: skip
            decisions = _decisions(s, run_id)
            return {
                "id": run.id,
                "kind": run.kind,
                "status": run.status,
                "failure_reason": run.failure_reason,
                "started_at": utc(run.started_at),
                "finished_at": utc(run.finished_at),
                "software_version": run.software_version,
                "config": run.config,
                "config_sha256": run.config_sha256,
                "inputs_sha256": run.inputs_sha256,
                "solver_status": run.solver_status,
                "objective": run.objective,
                "gap": run.gap,
                "summary": run.summary,
                "out_dir": run.out_dir,
                "files": [
                    {
                        "role": f.role,
                        "label": f.label,
                        "path": f.path,
                        "sha256": f.sha256,
                        "size_bytes": f.size_bytes,
                    }
                    for f in files
                ],
                "outcomes": [
                    {"child_id": o.child_id, "placement_id": o.placement_id, "reason": o.reason}
                    for o in outcomes
                ],
                "decisions": decisions,
            }

    def previous_identical(self, run_id: int) -> int | None:
        """An earlier successful run of the same kind with identical inputs and config."""
        with Session(self.engine) as s:
            run = s.get(Run, run_id)
            if run is None:
                return None
            q = (
                select(Run.id)
                .where(Run.kind == run.kind, Run.id != run_id, Run.status == "succeeded",
                       Run.config_sha256 == run.config_sha256,
                       Run.inputs_sha256 == run.inputs_sha256)
                .order_by(Run.id.desc())
                .limit(1)
            )  # fmt: skip
            found = s.scalar(q)
            return int(found) if found is not None else None

    def output_hashes(self, run_id: int) -> dict[str, str]:
        with Session(self.engine) as s:
            q = select(RunFile.label, RunFile.sha256).where(
                RunFile.run_id == run_id, RunFile.role == "output"
            )
            return {label: digest for label, digest in s.execute(q)}

    def diff(self, run_a: int, run_b: int) -> list[DiffRow]:
        """Children whose proposal changed between two matching runs, with the likely cause."""
        with Session(self.engine) as s:
            for rid in (run_a, run_b):
                run = s.get(Run, rid)
                if run is None:
                    raise StoreError(f"no run {rid} in the store")
                # any other run has no proposals: every child would read as new or gone
                if run.kind != "match":
                    raise StoreError(f"run {rid} is a {run.kind} run; runs diff compares two "
                                     "matching runs (runs list shows their kind)")  # fmt: skip
                if run.status != "succeeded":
                    why = f" ({run.failure_reason})" if run.failure_reason else ""
                    state = "is still running" if run.status == "running" else run.status
                    raise StoreError(f"matching run {rid} {state}{why}, so it has no "
                                     "proposals to compare; choose one that succeeded")  # fmt: skip

            def outcomes(rid: int) -> dict[str, str]:
                q = select(Outcome.child_id, Outcome.placement_id).where(Outcome.run_id == rid)
                return {c: (p or "unplaced") for c, p in s.execute(q)}

            groups, homes = sibling_details(s, run_a, run_b)  # and homes on several rows

            def rows(rid: int, table: str) -> dict[str, RowFingerprint]:
                q = select(RunRow.key, RunRow.row_sha256, RunRow.vacancies).where(
                    RunRow.run_id == rid, RunRow.table == table
                )
                return {k: RowFingerprint(h, v) for k, h, v in s.execute(q)}

            # a child whose ID run B wrote in another case or spacing is one child, as in
            # matching: run A's records of them are taken under run B's spelling
            oa, ob = outcomes(run_a), outcomes(run_b)
            pa, pb = rows(run_a, "placement"), rows(run_b, "placement")
            spelt = Respelt(respelt(oa, ob), respelt(pa, pb))  # IDs of one child (home)
            oa, homes, pa = spelt.outcomes(oa), spelt.homes(homes), renamed(pa, spelt.places)
            ra, rb = renamed(rows(run_a, "referral"), spelt.children), rows(run_b, "referral")
            da = spelt.decisions(_decisions(s, run_a))
            db = _decisions(s, run_b)
            off = {k: lifted(s, k, run_b) for k in _applied_keys(da) - _applied_keys(db)}
            back = {c for c in ob if c not in oa and c in rb}
            away = nights_away(s, run_a, run_b, back)
        moves = {c: (oa.get(c, "not referred"), ob.get(c, "not referred"))
                 for c in sorted(set(oa) | set(ob))}  # fmt: skip
        moves = {c: m for c, m in moves.items() if m[0] != m[1]}
        redone = {c for c in ra.keys() & rb.keys() if ra[c].row_sha256 != rb[c].row_sha256}
        causes = {c: _decision_cause(c, b, a, da, db, off, c in redone)
                  or input_cause(c, b, a, ra, rb, pa, pb, away)
                  for c, (b, a) in moves.items()}  # fmt: skip
        changed = (ra != rb) or (pa != pb)
        held = Counter(p for p in oa.values() if p not in ("unplaced", "not referred"))
        full = frozenset(p for p, n in held.items() if n >= (pa.get(p, _NO_VACANCY).vacancies or 0))
        new = [d for d in db if d["status"] == "applied" and _key(d) not in _applied_keys(da)]
        causes = split_causes(causes, oa, ob, groups, new, homes)  # a team decision's splits named
        causes |= knock_on_causes(
            moves, causes, changed, _applied_keys(da) != _applied_keys(db), full
        )
        return [DiffRow(c, b, a, str(causes[c]) + spelt.note(c, b, run_a))
                for c, (b, a) in moves.items()]  # fmt: skip

    def prune(self, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
        """Delete runs (and everything recorded with them) started before ``now - older_than``.

        Never deleted, however old: the latest successful run of each kind (what the web
        application shows, and what the next night's ``runs diff`` compares with) and a
        run still running (a nightly run recording into the store as the prune runs).
        The audit trail, decisions and scenario runs: :mod:`sufficiency.store.retention`.
        """
        from sufficiency.store.retention import Retention, apply_retention

        return apply_retention(self, Retention(runs=older_than), now).runs


def _decisions(s: Session, run_id: int) -> list[dict[str, Any]]:
    q = (select(RunDecision).where(RunDecision.run_id == run_id)
         .order_by(RunDecision.child_id, RunDecision.placement_id))  # fmt: skip
    return [
        {
            "child_id": d.child_id, "placement_id": d.placement_id, "decision": d.decision,
            "status": d.status, "note": d.note, "reason": d.reason, "decided_by": d.decided_by,
            "decided_on": d.decided_on, "until": d.until,
        }
        for d in s.scalars(q)
    ]  # fmt: skip


def _add_decisions(s: Session, run_id: int, decisions: Iterable[Mapping[str, Any]]) -> None:
    def day(value: Any) -> dt.date | None:
        if value is None or isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value))

    seen: set[tuple[str, str]] = set()
    for d in decisions:
        key = (str(d["child_id"]), str(d["placement_id"]))
        if key in seen:
            continue
        seen.add(key)
        s.add(RunDecision(run_id=run_id, child_id=key[0], placement_id=key[1],
                          decision=str(d["decision"]), status=str(d["status"]),
                          note=d.get("note"), reason=d.get("reason"),
                          decided_by=d.get("decided_by"), decided_on=day(d.get("decided_on")),
                          until=day(d.get("until"))))  # fmt: skip


def _add_rows(s: Session, run_id: int, rows: Iterable[InputRow]) -> None:
    seen: set[tuple[str, str]] = set()
    for r in map(InputRow._make, rows):
        if (r.table, r.key) in seen:
            continue
        seen.add((r.table, r.key))
        s.add(RunRow(run_id=run_id, table=r.table, key=r.key, row_sha256=r.row_sha256,
                     vacancies=r.vacancies))  # fmt: skip


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()
