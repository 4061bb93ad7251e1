"""What the nightly job says in its own log beyond its jobs' lines (kept apart from
``nightly.py``, which is at the 500-line limit).

A scheduler keeps the log file, not the console: every way a night can end must be
there with its reason, and never a child's details beyond an ID.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from sufficiency.errors import DataWarning, InputDataError, Problem
from sufficiency.io.atomic import FILE_MODE, ensure_private_dir
from sufficiency.logs import configure_logging, get_logger, rotate, without_detail
from sufficiency.retention_config import RetentionParams
from sufficiency.store.record import input_files

log = get_logger("nightly")
T = TypeVar("T")
#: A run store's database failing part-way through the night.
StoreFault = SQLAlchemyError


def failure(message: str) -> str:
    """Log ``message`` (a night ended early: the run store unusable or lost, the key unset)
    as the night's failure; return it for the console."""
    log.error("nightly run failed: %s", message)
    return message


def _state(inputs: dict[str, Path]) -> dict[str, tuple[int, int]]:
    """Each input file's size and modification time (each file of a folder's)."""
    return {label: (s.st_size, s.st_mtime_ns)
            for label, p in input_files(inputs).items() if (s := p.stat())}  # fmt: skip


def read_whole(job: Callable[[Any], T]) -> Callable[[Any], T]:
    """``job``, failed with an input error if one of its input files changed while it ran.

    An export still writing a file when the night starts gives a file cut short, read as
    fewer rows (the cut row set aside, the rows after it never seen) without a word; the
    file changing under the job is how that shows.
    """

    def checked(ctx: Any) -> T:
        before = _state(ctx.inputs)
        outcome = job(ctx)
        after = _state(ctx.inputs)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        if changed:
            files = {k: str(ctx.inputs.get(k.split("/")[0], k)) for k in changed}
            raise InputDataError(
                Problem(file, None, None, None, "changed while the night was reading it (was "
                        "the export still writing it?): run the night again once it has "
                        "finished", code="input_changed")
                for file in sorted(set(files.values()))
            )  # fmt: skip
        return outcome

    return checked


def new_log(fmt: str, path: Path | None, keep: int) -> None:
    """Start the night's log in a new file (``log_keep``), once the night holds the lock (a
    night refused while another runs adds its line to that night's file): ``nightly.log``
    becomes ``nightly.log.1``, and earlier ones move up, those past ``keep`` deleted. It
    grew by every night for ever. ``keep`` 0, no log file or an empty one: left as it is.
    A log that cannot be rotated (a folder the account may not write) is appended to, with
    a warning: the log never costs the night its matches."""
    if path is None or keep == 0 or not path.is_file() or path.stat().st_size == 0:
        return
    try:
        rotate(path, keep)
    except OSError as exc:
        log.warning("log file not rotated (%s): appended to", exc.strerror or exc,
                    extra={"log_file": str(path)})  # fmt: skip
        return
    configure_logging(fmt, file=path)


def one_line(exc: Exception, most: int = 5) -> str:
    """A job's failure for its log line: the message's lines on one line, the first
    ``most`` of them (the run store and the console have them all)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    more = f" (and {len(lines) - most:,} more: see the run store)" if len(lines) > most else ""
    return " ".join(lines[:most]) + more


def every_job_failed(
    run_date: dt.date, failures: list[tuple[str, int, str]], run_ids: list[int]
) -> tuple[int, tuple[str, ...]]:
    """The night's end when no job succeeded: logged as a night that finished (as one with
    outputs is, so a log watcher sees every night end), with the jobs that failed; the
    exit code (the worst job's) and each job's message."""
    failed = [job for job, _, _ in failures]
    log.error("nightly run finished: every job failed", extra={
        "run_date": run_date.isoformat(), "runs": run_ids, "failed_jobs": failed})  # fmt: skip
    return max(code for _, code, _ in failures), tuple(m for _, _, m in failures)


def crashed(exc: BaseException) -> str:
    """A crashed job's reason for the run store and the console: the fault's type and
    message, with a database fault's DETAIL line (it quotes the row, which can hold a
    team decision's reason about a child) left out."""
    return without_detail(f"{type(exc).__name__}: {exc}")


def for_date(store: Any, job_dir: Path, run_date: dt.date) -> bool:
    """Whether a job's published folder (``OUT/JOB``) holds outputs for ``run_date``, by
    the run store's record of the last run of the job to publish there. An output folder
    without ``{date}`` in its name holds the night before's, which must never pass for
    tonight's."""
    where = os.path.abspath(job_dir.parent)
    for run in store.list_runs(kind=job_dir.name, status="succeeded"):
        if (got := store.get(run["id"]))["out_dir"] == where:
            return bool((got["summary"] or {}).get("run_date") == run_date.isoformat())
    return False


def log_match(summary: Any, most: int = 3) -> None:
    """Tonight's matching in the log as the ``match`` command says it on the console: how
    many children were placed, the inputs' warnings (a few of each kind), a plan the
    solver did not prove best; no referral at all (a failed export looks the same) is a
    data warning, for the console too. The log had only the rows set aside."""
    s = summary
    log.info("match: %s: placed %d of %d children referred", s.status.value,
             s.children_placed, s.children_referred, extra={"job": "match"})  # fmt: skip
    seen: Counter[str] = Counter()
    for n in s.input_notes:
        seen[n.code] += 1
        if seen[n.code] <= most:
            log.warning("%s: %s", n.file, n.note, extra={"job": "match"})
    if not s.proven_optimal:
        log.warning("match: %s", s.message, extra={"job": "match"})
    if s.children_referred == 0:
        warnings.warn("no child referred tonight: matching proposed nothing (right only if "
                      "no child needs a home; an export that failed looks the same)",
                      DataWarning, stacklevel=2)  # fmt: skip


def _fault(exc: Exception) -> str:
    """A database fault's type and first line (never the values it was writing)."""
    fault = getattr(exc, "orig", None) or exc
    first = (str(fault).strip().splitlines() or [""])[0]
    return f"{type(fault).__name__}: {first}"


def store_lost(exc: Exception) -> str:
    """The sentence for a run store that failed part-way through the night (a database
    restarted or gone): the fault's first line (never the values it was writing)."""
    return (f"Error: the run store failed part-way through the night ({_fault(exc)}"
            f"): the night's runs are left unfinished in the store (the next night marks "
            "them failed) and its outputs may be missing or published without their record. "
            "Run the night again once the store answers.")  # fmt: skip


def modified(inputs: dict[str, Path]) -> dict[str, str]:
    """When each input was last written (a folder: its newest file), in UTC, for the job's
    first log line: an export that has not run since last week shows there."""
    out = {}
    for label, path in inputs.items():
        files = input_files({label: path}).values()
        newest = max((p.stat().st_mtime for p in files), default=None)
        if newest is not None:
            out[label] = f"{dt.datetime.fromtimestamp(newest, dt.UTC):%Y-%m-%dT%H:%M:%SZ}"
    return out


def store_url(url: str, base: Path) -> str:
    """``nightly.store`` with a relative SQLite file (``sqlite:///runs.sqlite``, or one
    under ``~``) taken from the configuration's folder ``base``, as every other path in
    the file is: it was taken from wherever the job started (cron's home folder, a
    person's shell), each recording its nights in a store of its own."""
    prefix = "sqlite:///"
    rest = url.removeprefix(prefix)
    if not url.startswith(prefix) or rest in ("", ":memory:"):
        return url
    path = Path(os.path.expanduser(rest))
    return f"{prefix}{path if path.is_absolute() else base / path}"


def private_dirs(folder: Path) -> None:
    """Create ``folder`` and its missing parents owner-only (0700), as every output folder
    is (they followed the umask, 0755 on most servers); one that exists keeps its mode."""
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(folder))
    ensure_private_dir(folder)


def open_lock(path: Path) -> IO[str]:
    """The nightly lock file, opened to read and append; created owner-only (0600) in
    folders created owner-only, as every output is."""
    private_dirs(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, FILE_MODE)
    return os.fdopen(fd, "a+", encoding="utf-8")


def identical_message(store: Any, run_id: int) -> str:
    """The night's note on a run: recorded, or the same inputs and configuration as an
    earlier run, with whether its outputs came out the same."""
    run = store.get(run_id)
    prev = store.previous_identical(run_id)
    if prev is None:
        return f"{run['kind']}: run {run_id} recorded."
    summary, before = run["summary"] or {}, store.get(prev)["summary"] or {}
    mine = summary.get("outputs_content_sha256", {})
    theirs = before.get("outputs_content_sha256", {})
    same = f"{run['kind']}: run {run_id} had the same inputs and configuration as run {prev}"
    if before.get("run_date") and summary.get("run_date") != before["run_date"]:
        # a later date ages the children and opens placements: differences are expected
        return f"{same} (run for {before['run_date']}), for another run date."
    if mine == theirs:
        return f"{same}, and its outputs are identical (run times aside)."
    differ = sorted(k for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k))
    return f"{same} but these outputs differ: {', '.join(differ)}."


def prune(
    store: Any, keep: RetentionParams, now: dt.datetime | None = None
) -> tuple[int, list[str]]:
    """The configuration's ``[retention]`` applied to the night's store once its runs are
    recorded (as ``runs prune --config`` does), in a sentence for the console and a log
    line with the counts; nothing without a period set. A council that scheduled only the
    night kept every run, page view and ended decision for ever.

    Returns the exit code (2 when the store failed: the night's outputs and runs are
    recorded all the same) and what to say.
    """
    from sufficiency.store.retention import Retention, apply_retention, retention_sentence

    ages = {k: v or None for k, v in keep.model_dump().items()}
    if not any(ages.values()):
        return 0, []
    try:
        removed = apply_retention(store, Retention.from_ages(ages), now=now)
    except StoreFault as exc:
        return 2, [failure(
            f"Error: the retention periods ([retention]) were not applied: the run store "
            f"failed ({_fault(exc)}); tonight's outputs are published and "
            "its runs recorded. Run `sufficiency runs prune --config FILE` once the store "
            "answers."
        )]  # fmt: skip
    log.info("retention applied", extra={
        "runs_deleted": removed.runs, "audit_events_deleted": removed.audit_events,
        "decisions_deleted": removed.decisions, "scenario_runs_deleted": removed.scenario_runs,
        **{f"retention_{k}": v for k, v in ages.items() if v}})  # fmt: skip
    return 0, [f"[retention]: {retention_sentence(removed, ages, '')}"]


def referral_gaps(ctx: Any) -> Callable[[Any], Any] | None:
    """For the match job (a ``JobContext``): the nights each child tonight's decisions
    name was not referred, from the night's run store (``ctx.store``)."""
    from sufficiency.store.referral_gaps import gaps_in

    return gaps_in(ctx.store, ctx.inputs["referrals"], ctx.run_date, ctx.pseudonym_key)
