"""Re-run matching now, from the web application, with today's decisions from the store.

The re-run uses exactly the inputs of the latest successful matching run: the referrals
and placement register the store recorded for it (each file must still be where it was,
with the same SHA-256), its configuration and its run date. Only the team's decisions
change: those in force today are written to ``team_decisions.csv`` in a new output
folder beside the run's own (``<folder>-rerun-<UTC time>``), and the run reads them, as
``sufficiency match --decisions-from-store`` does. The new run is recorded in the store
like any other, so "What changed" compares it with the run before and names the decision
behind each change. A run set to pseudonymise child IDs is not re-run here (its re-run
would write real IDs beside pseudonymised outputs).

It runs in a background thread of the server; its state is kept in the store
(``settings``, row ``matching_rerun``) so every server process sees it, and claiming that
row is the lock: one re-run at a time across processes. A claim left by a process that
has ended (or older than :data:`STALE_AFTER`) no longer holds.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import socket
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from sufficiency import clock
from sufficiency.config import Params
from sufficiency.errors import SufficiencyError
from sufficiency.io.atomic import DIR_MODE, sha256_file
from sufficiency.pages.render import uk_time
from sufficiency.store import RunStore
from sufficiency.store.accounts import audit
from sufficiency.store.models import Setting
from sufficiency.store.stopped import end_stopped, stopped_how
from sufficiency.store.team_decisions import write_decisions_file
from sufficiency.web import faults

log = logging.getLogger("sufficiency.web")
SETTING = "matching_rerun"
#: A claim older than this no longer holds (a re-run of the sample takes seconds).
STALE_AFTER = dt.timedelta(hours=1)
#: The inputs a matching run is re-run on; any other input it read is not used.
SAME_INPUTS = {"referrals": "referrals file", "placements": "placement register"}
#: The background thread's name (a claim of this process holds while it is alive).
_THREAD = "sufficiency-matching-rerun"
#: Claim and start in one step within this process.
_start_lock = threading.Lock()


class Refused(Exception):
    """The re-run cannot start; the message says why in a sentence."""


@dataclass(frozen=True)
class RerunState:
    """The latest re-run: running, succeeded or failed, who started it and its result."""

    state: str  # running / succeeded / failed
    by: str
    started_at: str  # ISO, UTC
    based_on: int  # the matching run whose inputs it re-uses
    pid: int
    host: str
    finished_at: str = ""
    run_id: int | None = None  # the new matching run
    message: str = ""
    time_limit_seconds: float | None = None

    @property
    def running(self) -> bool:
        return self.state == "running"

    def started(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.started_at)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @staticmethod
    def from_json(text: str) -> RerunState:
        return RerunState(**json.loads(text))


def current(store: RunStore) -> RerunState | None:
    """The latest re-run's state, if any re-run was ever started."""
    with Session(store.engine) as s:
        row = s.get(Setting, SETTING)
        return RerunState.from_json(row.value) if row is not None else None


def still_holds(state: RerunState, now: dt.datetime | None = None) -> bool:
    """Whether a running claim still holds: its process is alive (its thread, if this
    process's), and it is not stale; as a run's (:func:`stopped_how`)."""
    now = now or dt.datetime.now(dt.UTC)
    if not state.running:
        return False
    return stopped_how(state.host, state.pid, state.started(), now, STALE_AFTER,
                       _thread_alive) is None  # fmt: skip


def _thread_alive() -> bool:
    return any(t.name == _THREAD and t.is_alive() for t in threading.enumerate())


def claim(store: RunStore, state: RerunState) -> RerunState | None:
    """Record ``state`` (running) if no other re-run holds the claim; return the holder's
    state otherwise. Atomic across processes: an insert, or a compare-and-swap of the
    settings row; a clash with another claim at the same moment is tried again."""
    for attempt in range(5):
        try:
            return _claim_once(store, state)
        except (IntegrityError, OperationalError):  # another claim won the race, or is writing
            time.sleep(0.05 * (attempt + 1))
    raise Refused("The run store is busy; try again in a moment.")


def _claim_once(store: RunStore, state: RerunState) -> RerunState | None:
    with Session(store.engine) as s, s.begin():
        row = s.get(Setting, SETTING)
        if row is None:
            s.add(Setting(name=SETTING, value=state.to_json()))
            return None
        held = RerunState.from_json(row.value)
        if still_holds(held):
            return held
        done = s.execute(
            update(Setting)
            .where(Setting.name == SETTING, Setting.value == row.value)
            .values(value=state.to_json())
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise OperationalError("claim", {}, Exception("changed meanwhile"))
        return None


def _record(store: RunStore, state: RerunState) -> None:
    with Session(store.engine) as s, s.begin():
        row = s.get(Setting, SETTING)
        if row is None:
            s.add(Setting(name=SETTING, value=state.to_json()))
        else:
            row.value = state.to_json()


def check_inputs(run: dict[str, Any]) -> dict[str, Path]:
    """The referrals and register ``run`` read, if each is still where it was and unchanged;
    otherwise :class:`Refused` saying which and why."""
    files = {f["label"]: f for f in run["files"] if f["role"] == "input"}
    out: dict[str, Path] = {}
    for label, words in SAME_INPUTS.items():
        f = files.get(label)
        if f is None:
            raise Refused(
                f"The latest matching recorded no {words}, so it cannot be re-run on "
                "the same inputs."
            )
        path = Path(f["path"])
        if not path.is_file():
            raise Refused(
                f"The {words} the latest matching read ({path}) is no longer there, so "
                "matching cannot be re-run on the same inputs. Run matching on tonight's "
                "files instead (sufficiency match or the nightly job)."
            )
        if sha256_file(path) != f["sha256"]:
            raise Refused(
                f"The {words} the latest matching read ({path}) has changed since that "
                "run, so a re-run would not be on the same inputs; nothing was run. Run "
                "matching on the new files instead (sufficiency match or the nightly job)."
            )
        out[label] = path
    return out


def rerun_folder(run: dict[str, Any], now: dt.datetime) -> Path:
    """A new folder beside the one holding ``run``'s match report."""
    report = next(
        (f for f in run["files"] if f["role"] == "output" and f["label"] == "match_report.xlsx"),
        None,
    )
    if report is not None:
        base = Path(report["path"]).parent
    elif run.get("out_dir"):
        base = Path(run["out_dir"])
    else:
        raise Refused("The latest matching recorded no output folder to re-run beside.")
    # a re-run of a re-run goes beside the first run's folder: each added its suffix, and
    # the eleventh in a row was refused ("File name too long")
    name = re.sub(r"(-rerun-\d{8}T\d{6}Z)+$", "", base.name)
    return base.with_name(f"{name}-rerun-{now.strftime('%Y%m%dT%H%M%SZ')}")


def params_of(run: dict[str, Any]) -> Params:
    """The configuration ``run`` used, as it recorded it."""
    try:
        params = Params.model_validate(run["config"])
    except ValidationError:
        raise Refused(
            "The configuration recorded with the latest matching cannot be read by this "
            "version of sufficiency, so it cannot be re-run here."
        ) from None
    if params.nightly.pseudonymise:
        raise Refused(
            "The latest matching was set to pseudonymise child IDs; a re-run here would "
            "write real IDs beside its outputs, so it is not re-run from the web application."
        )
    return params


def run_date_of(run: dict[str, Any]) -> dt.date:
    text = str((run.get("summary") or {}).get("run_date", ""))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refused("The latest matching recorded no run date to re-run on.") from None


def rerun(store: RunStore, run: dict[str, Any], username: str) -> int:
    """Match again on ``run``'s inputs with today's decisions; record it; return its ID.

    Raises :class:`Refused` when the inputs are missing or changed (nothing is run), and
    :class:`~sufficiency.errors.SufficiencyError` when the run itself fails (recorded as a
    failed run).
    """
    from sufficiency import api
    from sufficiency.store.record import match_fields, recorded_run
    from sufficiency.store.referral_gaps import gaps_in

    started = time.perf_counter()
    inputs = check_inputs(run)
    day = run_date_of(run)
    params = params_of(run)
    now = dt.datetime.now(dt.UTC)
    out_dir = rerun_folder(run, now)
    try:
        out_dir.mkdir(mode=DIR_MODE)
    except FileExistsError:
        raise Refused(f"{out_dir} already exists; try again in a second.") from None
    except OSError as exc:
        raise Refused(f"Cannot make the output folder {out_dir}: {exc.strerror}.") from None
    decisions = out_dir / "team_decisions.csv"
    write_decisions_file(store, decisions, on=clock.today())  # those on the Decisions page
    # read, then check the files again: what is recorded is what was read
    tonight = _read(inputs, day, params, decisions)
    check_inputs(run)
    recorded = {**inputs, "decisions": decisions}
    hashes = {k: sha256_file(p) for k, p in recorded.items()}
    with recorded_run("match", params.model_dump(mode="json"), recorded, store.url) as rec:
        result = api.match(tonight, run_date=day, params=params, input_sha256=hashes,
                           started=started,
                           gaps=gaps_in(store, inputs["referrals"], day))  # fmt: skip
        written = result.write(out_dir)
        rec.fields = match_fields(result, written, out_dir, rerun_of=int(run["id"]),
                                  rerun_by=username)  # fmt: skip
    return rec.run_id


def _read(inputs: dict[str, Path], day: dt.date, params: Params, decisions: Path) -> Any:
    from sufficiency.matching.run import read_under

    return read_under(params, inputs["referrals"], inputs["placements"], day,
                      decisions=decisions)  # fmt: skip


def start(store: RunStore, run: dict[str, Any], username: str) -> RerunState:
    """Check the inputs, claim the lock and start the re-run in a background thread.

    Raises :class:`Refused` (nothing started) when the inputs are missing or changed or
    another re-run is running.
    """
    check_inputs(run)
    params = params_of(run)
    run_date_of(run)
    state = RerunState(
        state="running",
        by=username,
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        based_on=int(run["id"]),
        pid=os.getpid(),
        host=socket.gethostname(),
        time_limit_seconds=params.matching.time_limit_seconds,
    )
    with _start_lock:
        earlier = current(store)
        if earlier is None or not still_holds(earlier):
            _no_run_under_way(store, run)
        held = claim(store, state)
        if held is not None:
            at = uk_time(held.started(), "%H:%M:%S")
            raise Refused(
                f"A re-run started by {held.by} at {at} is still running; wait for it to "
                "finish, then re-run if you still need to."
            )
        thread = threading.Thread(
            target=_work, args=(store, run, username, state), name=_THREAD, daemon=True
        )
        thread.start()
    return state


def _no_run_under_way(store: RunStore, run: dict[str, Any]) -> None:
    """Refuse while another matching run is under way (the nightly job, or `sufficiency
    match`): a re-run started now re-runs ``run``, the one before it, and, started later,
    would have been listed after it as tonight's proposals, over the new night's."""
    end_stopped(store)  # a run whose process has ended does not hold re-runs back
    for other in store.list_runs(limit=5, kind="match", status="running"):
        if int(other["id"]) > int(run["id"]):
            at = uk_time(other["started_at"], "%H:%M:%S")
            raise Refused(
                f"A newer matching (the nightly job, or sufficiency match) started at {at} and "
                "is still running; a re-run now would re-run the one before it, shown as "
                "tonight's matches. Wait for it to finish: its proposals will be tonight's, "
                "and you can re-run them then if you still need to."
            )


def _work(store: RunStore, run: dict[str, Any], username: str, state: RerunState) -> None:
    """The background thread: run, record the outcome in the settings row and the audit."""
    fields: dict[str, Any]
    try:
        run_id = rerun(store, run, username)
    except (Refused, SufficiencyError) as exc:
        fields = {"state": "failed", "message": str(exc)}
        log.info("matching re-run failed (%s)", type(exc).__name__)
    except Exception as exc:  # a bug or a solver crash: say so on the status page
        fields = {"state": "failed", "message": faults.said("the inputs or decisions") + "."}
        faults.log_fault(log, "matching re-run crashed", exc)  # where, not the message
    else:
        fields = {"state": "succeeded", "run_id": run_id,
                  "message": "the new matching is recorded"}  # fmt: skip
    fields["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    done = RerunState(**{**asdict(state), **fields})
    try:
        _record(store, done)
        audit(store, username, "rerun_matching", run_id=done.run_id,
              detail=f"re-ran matching run {state.based_on} with the decisions in force: "
              f"{done.state}, {done.message}")  # fmt: skip
    except Exception as exc:  # the store went away: the claim goes stale in time
        log.error("could not record the matching re-run's outcome: %s", type(exc).__name__)
