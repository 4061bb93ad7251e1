"""The scheduled pipeline: lock, run the configured jobs, publish the outputs whole, record.

Exit codes (documented in the README): 0 success; 1 an input or configuration
error (the run is recorded as failed with the reason); 2 a run failure (solver or
unexpected error, an unusable run store); 75 (sysexits' EX_TEMPFAIL) skipped, another
nightly run holding the lock: nothing done, nothing failed.
A job that fails does not stop the others (a broken 903 history never costs the
placement team tonight's matches): it is recorded as failed and left out of the
output folder (a re-run for the same date keeps its earlier outputs), the others'
outputs are published, and the exit code is the failure's.

Outputs are written into a hidden ``.NAME.partial-PID`` folder beside the output
folder and renamed into place only when every job has finished, so a reader
never sees a half-written output folder. A run killed part-way leaves only its
partial folder, which the next run (for any date) deletes once it holds the lock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sufficiency import nightly_checks as checks
from sufficiency.config import Params, load_params
from sufficiency.errors import ConfigError, InputDataError, StoreError, SufficiencyError
from sufficiency.io.atomic import (
    DIR_MODE,
    atomic_write_text,
    clean_stale_folders,
    replace_folder,
    sha256_file,
)
from sufficiency.io.quality import DataQuality
from sufficiency.logs import configure_logging, get_logger, warnings_logged
from sufficiency.store.record import input_files
from sufficiency.store.types import ChildOutcome, InputRow

if TYPE_CHECKING:
    from sufficiency.io.ssda903 import SSDA903History

EXIT_OK, EXIT_INPUT, EXIT_FAILURE = 0, 1, 2
#: Skipped: another night holds the lock (sysexits' EX_TEMPFAIL: try again later). Not 2:
#: a scheduler's alert on failure could not tell "still running" from "failed".
EXIT_BUSY = 75
log = get_logger("nightly")


@dataclass(frozen=True)
class JobContext:
    """What a job needs: resolved input paths, parameters, run date, its output folder."""

    params: Params
    run_date: dt.date
    out_dir: Path
    inputs: dict[str, Path]
    pseudonym_key: bytes | None
    job: str = ""
    store: Any = None  # the night's RunStore: earlier nights tell a decision's child left

    def stage(self, message: str) -> None:
        """One log line as a stage of the job starts (a scheduler's log shows where a long
        job is); nothing reaches standard output."""
        log.info("stage: %s", message, extra={"job": self.job})


@dataclass
class JobOutcome:
    """What a job reports for the run store."""

    outputs: dict[str, Path] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    solver_status: str | None = None
    objective: float | None = None
    gap: float | None = None
    outcomes: list[ChildOutcome] = field(default_factory=list)
    rows: list[InputRow] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class NightlyReport:
    """How the nightly run ended."""

    exit_code: int
    messages: tuple[str, ...]
    out_dir: Path | None = None
    run_ids: tuple[int, ...] = ()


def job_validate(ctx: JobContext) -> JobOutcome:
    """Validate every configured input; errors stop the night with exit code 1."""
    from sufficiency.validate import validate_paths

    report = validate_paths(
        list(ctx.inputs.values()),
        run_date=ctx.run_date,
        default_responsible_la=ctx.params.general.responsible_la,
        harm_animals_excludes_pets=ctx.params.matching.harm_animals_excludes_pets,
    )
    if ctx.pseudonym_key is not None:  # a problem's value may be a child's ID
        from sufficiency.pseudonymise import pseudonymise_problems

        problems = pseudonymise_problems(report.problems, ctx.pseudonym_key, report.child_ids)
        report = dataclasses.replace(report, problems=problems)
    path = atomic_write_text(ctx.out_dir / "validation.json", report.to_json() + "\n")
    # rows with errors are set aside by the jobs that read them (one bad row never
    # blocks the night); an error about a whole file stops it
    strict = ctx.params.nightly.strict
    if any(p.severity == "error" and (p.row is None or strict) for p in report.problems):
        raise InputDataError(report.problems)
    for p in report.problems:
        if p.severity == "error":
            log.warning("%s: %s", p.file, p.describe(file_named=True))
    return JobOutcome(
        outputs={"validation": path},
        summary={"num_errors": report.num_errors, "num_warnings": report.num_warnings},
    )


def job_match(ctx: JobContext) -> JobOutcome:
    """Tonight's matching: optimise, explain, write the team's outputs."""
    from sufficiency.matching.run import match, pseudonymise_run
    from sufficiency.store.record import match_records

    for name in ("referrals", "placements"):
        if name not in ctx.inputs:
            raise ConfigError(f"the match job needs nightly.{name} in the configuration")
    run = match(ctx.inputs["referrals"], ctx.inputs["placements"], run_date=ctx.run_date,
                params=ctx.params, decisions=ctx.inputs.get("decisions"), progress=ctx.stage,
                strict=ctx.params.nightly.strict, pseudonym_key=ctx.pseudonym_key,
                gaps=checks.referral_gaps(ctx))  # fmt: skip
    records = match_records(run)  # the store keeps real IDs
    recorded = [n.as_dict() for n in run.decisions.notes]
    if ctx.pseudonym_key is not None:
        run = pseudonymise_run(run, run.referrals["child_id"], ctx.pseudonym_key)
    for a in run.summary.set_aside:  # the problem quotes the value: a child ID perhaps
        log.warning("set aside %s row %s: %s", a.file, a.row, a.problem)
    ctx.stage("Writing outputs")
    written = run.write(ctx.out_dir)
    checks.log_match(s := run.summary)
    return JobOutcome(
        outputs={p.name: p for p in written},
        summary=s.to_store(),
        solver_status=s.status.value,
        objective=float(s.objective_gbp),
        gap=None if s.gap is None else float(s.gap),
        outcomes=records.outcomes,
        rows=records.rows,
        decisions=recorded,
    )


def _log_quality(quality: DataQuality | None) -> None:
    """The history's data-quality summary in the scheduler's log, a line each."""
    for line in quality.summary_lines() if quality is not None else []:
        # the returns' line names the history itself; the others say what it holds
        log.info("%s", line if line.startswith("903 history:") else f"903 history: {line}")


def _history(ctx: JobContext) -> Path | SSDA903History:
    """The 903 folder; on a pseudonymised night the history, with its findings (which
    quote children's IDs: a CHILD written two ways or changed) pseudonymised."""
    from sufficiency.forecast.run import read_903
    from sufficiency.pseudonymise import pseudonymise_problems

    if ctx.pseudonym_key is None:
        return ctx.inputs["history"]
    history = read_903(ctx.inputs["history"])
    if (quality := history.quality) is None:
        return history
    ids = {str(c) for t in (history.header, history.episodes) for c in t["CHILD"].dropna()}
    problems = pseudonymise_problems(quality.problems, ctx.pseudonym_key, ids)
    return dataclasses.replace(history, quality=dataclasses.replace(quality, problems=problems))


def job_spend(ctx: JobContext) -> JobOutcome:
    """Spend projection from the 903 history, against the budget if one is configured."""
    from sufficiency import api

    if "history" not in ctx.inputs:
        raise ConfigError("the spend job needs nightly.history in the configuration")
    result = api.spend(_history(ctx), ctx.params, budget=ctx.inputs.get("budget"),
                       costs=ctx.inputs.get("costs"), run_date=ctx.run_date,
                       stages=ctx.stage)  # fmt: skip
    ctx.stage("Writing outputs")
    result.write(ctx.out_dir)
    _log_quality(result.quality)
    outputs = {p.name: p for p in sorted(ctx.out_dir.iterdir()) if p.is_file()}
    return JobOutcome(outputs=outputs, summary={"headline": result.headline})


def job_forecast(ctx: JobContext) -> JobOutcome:
    """Sufficiency forecast from the 903 history (supply from the placement register if given)."""
    from sufficiency import api

    if "history" not in ctx.inputs:
        raise ConfigError("the forecast job needs nightly.history in the configuration")
    report = api.forecast(_history(ctx), ctx.params, placements=ctx.inputs.get("placements"),
                          stages=ctx.stage, run_date=ctx.run_date)  # fmt: skip
    ctx.stage("Writing outputs")
    written = report.write(ctx.out_dir)
    _log_quality(report.quality)
    return JobOutcome(outputs={p.name: p for p in written},
                      summary={"num_paths": ctx.params.forecast.num_paths})  # fmt: skip


#: Job name -> (function, inputs it reads).
JOBS: dict[str, tuple[Callable[[JobContext], JobOutcome], tuple[str, ...]]] = {
    "validate": (job_validate, ("referrals", "placements", "history")),
    "match": (job_match, ("referrals", "placements", "decisions")),
    "forecast": (job_forecast, ("history", "placements")),
    "spend": (job_spend, ("history", "budget", "costs")),
}


@contextmanager
def exclusive_lock(path: Path) -> Iterator[IO[str]]:
    """Hold an exclusive, non-blocking lock on ``path``; raise BlockingIOError if held.

    The kernel releases the lock when the process dies, even by SIGKILL.
    """
    fh = checks.open_lock(path)  # held for the with-block; owner-only, as the outputs are
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip()
        fh.close()
        raise BlockingIOError(holder) from None
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {dt.datetime.now(dt.UTC).isoformat()}\n")
        fh.flush()
        yield fh
    finally:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        fh.close()


#: ``decisions = "store"``: the decisions the team made in the web application.
DECISIONS_FROM_STORE = "store"


def _store_decisions(store: Any, run_date: dt.date, job_dir: Path) -> Path:
    """The run store's decisions in force on ``run_date``, written as the job's
    ``team_decisions.csv`` (what ``sufficiency match --decisions-from-store`` reads)."""
    from sufficiency.store.team_decisions import write_decisions_file

    path = job_dir / "team_decisions.csv"
    n = write_decisions_file(store, path, on=run_date)
    log.info("decisions read from the run store", extra={"num_decisions": n})
    return path


def _resolve(base: Path, text: str) -> Path | None:
    if not text:
        return None
    p = Path(os.path.expandvars(os.path.expanduser(text)))
    return p if p.is_absolute() else base / p


def run_nightly(
    config_path: Path, run_date: dt.date, store_url: str | None = None, pseudonymise: bool = False
) -> NightlyReport:
    """Run the pipeline configured in ``config_path``; never raises for user errors.

    ``pseudonymise`` forces keyed pseudonyms for child IDs in every output.
    """
    try:
        params = load_params(config_path)
    except SufficiencyError as exc:
        return NightlyReport(EXIT_INPUT, (f"Error: {exc}",))
    if pseudonymise:
        nightly_params = params.nightly.model_copy(update={"pseudonymise": True})
        params = params.model_copy(update={"nightly": nightly_params})
    nightly = params.nightly
    base = config_path.resolve().parent
    log_file = _resolve(base, nightly.log_file)
    try:
        configure_logging(nightly.log_format, file=log_file)
    except OSError as exc:
        return NightlyReport(EXIT_INPUT, (_path_error(exc, "log_file", config_path),))
    out_final = _resolve(base, nightly.output_dir.replace("{date}", run_date.isoformat()))
    assert out_final is not None
    lock_path = _resolve(base, nightly.lock_file) or out_final.parent / ".sufficiency-nightly.lock"
    try:
        with exclusive_lock(lock_path):
            checks.new_log(nightly.log_format, log_file, nightly.log_keep)
            return _locked_run(params, base, run_date, out_final, store_url)
    except BlockingIOError as exc:
        msg = (f"Error: another nightly run is in progress ({exc or 'lock held'}; lock file "
               f"{lock_path}); this run did nothing. Try again when it has finished.")  # fmt: skip
        log.warning("nightly run skipped: lock held", extra={"lock_file": str(lock_path)})
        return NightlyReport(EXIT_BUSY, (msg,))
    except checks.StoreFault as exc:  # the run store lost part-way (a database restarted)
        return NightlyReport(EXIT_FAILURE, (checks.failure(checks.store_lost(exc)),))
    except OSError as exc:  # a folder that cannot be created or written
        log.error("nightly run failed: cannot write", extra={"path": str(exc.filename)})
        return NightlyReport(EXIT_INPUT, (_path_error(exc, "output_dir or lock_file",
                                                      config_path),))  # fmt: skip


def _path_error(exc: OSError, options: str, config_path: Path) -> str:
    """``Error: cannot write /x/y (No such file or directory): check ...`` for a path the
    run could not create or write."""
    where = exc.filename or "a file"
    return (f"Error: cannot write {where} ({exc.strerror or exc}); check nightly.{options} "
            f"in {config_path}.")  # fmt: skip


def _locked_run(
    params: Params, base: Path, run_date: dt.date, out_final: Path, store_url: str | None
) -> NightlyReport:
    from sufficiency.store import RunStore

    nightly = params.nightly
    try:
        store = RunStore(store_url or checks.store_url(nightly.store, base) or None)
    except StoreError as exc:
        return NightlyReport(EXIT_FAILURE, (checks.failure(f"Error: {exc}"),))
    interrupted = store.mark_interrupted()
    if interrupted:
        log.warning("marked interrupted runs as failed", extra={"num_runs": interrupted})
    parent = out_final.parent
    checks.private_dirs(parent)
    for restored in clean_stale_folders(parent):
        log.warning("restored an output folder a killed run had moved aside",
                    extra={"out_dir": str(restored)})  # fmt: skip
    partial = parent / f".{out_final.name}.partial-{os.getpid()}"
    partial.mkdir(mode=DIR_MODE)
    key = None
    messages: list[str] = []
    run_ids: list[int] = []
    finished: list[tuple[int, JobOutcome, dict[str, Path]]] = []
    failures: list[tuple[str, int, str]] = []  # (job, exit code, message) of each failed
    try:
        if nightly.pseudonymise:
            from sufficiency.pseudonymise import load_key

            key = load_key(_resolve(base, nightly.pseudonym_key_file))
        from_store = nightly.decisions.strip().lower() == DECISIONS_FROM_STORE
        all_inputs = {
            name: p
            for name in ("referrals", "placements", "history", "budget", "costs", "decisions")
            if not (name == "decisions" and from_store)
            and (p := _resolve(base, getattr(nightly, name))) is not None
        }
        for name in nightly.jobs:
            func, wanted = JOBS[name]
            inputs = {k: v for k, v in all_inputs.items() if k in wanted}
            job_dir = partial / name
            job_dir.mkdir(mode=DIR_MODE)
            if from_store and "decisions" in wanted:
                inputs["decisions"] = _store_decisions(store, run_date, job_dir)
            config = params.model_dump(mode="json")
            run_id = store.start(name, config, inputs=input_files(inputs))
            run_ids.append(run_id)
            log.info("job started", extra={"job": name, "run_id": run_id,
                                           "inputs_modified": checks.modified(inputs)})  # fmt: skip
            ctx = JobContext(params, run_date, job_dir, inputs, key, name, store)
            outcome, code, failure = _run_job(
                checks.read_whole(func), ctx, store, run_id, from_store and key is not None
            )
            if outcome is None:
                # one job's broken input never costs the others their outputs: the job is
                # recorded as failed, left out of the folder, and the night goes on
                shutil.rmtree(job_dir, ignore_errors=True)
                failures.append((name, code, failure))
                continue
            final_outputs = {k: out_final / name / p.name for k, p in outcome.outputs.items()}
            finished.append((run_id, outcome, final_outputs))
        if not finished:  # nothing to publish: an earlier folder for the date stays
            kept_code, kept = checks.prune(store, params.retention)
            code, failed_messages = checks.every_job_failed(run_date, failures, run_ids)
            return NightlyReport(max(code, kept_code), (*failed_messages, *kept), None,
                                 tuple(run_ids))  # fmt: skip
        for job, _, _ in failures:
            # a re-run for the date whose job failed keeps that job's earlier outputs (the
            # earlier run's record still points at them) rather than deleting them
            if (earlier := out_final / job).is_dir() and checks.for_date(store, earlier, run_date):
                shutil.copytree(earlier, partial / job)
                messages.append(f"{job}: failed tonight; its outputs from the earlier run "
                                "for this date are kept.")  # fmt: skip
        # Publish first, then record success: a kill between the two leaves complete
        # outputs and a run the next night marks as interrupted, never the reverse.
        replace_folder(partial, out_final)
        store.moved_files(run_ids, partial, out_final)
        for run_id, outcome, final_outputs in finished:
            outcome.summary["run_date"] = run_date.isoformat()  # ages, availability: by date
            outcome.summary["outputs_content_sha256"] = {
                k: content_digest(p) for k, p in sorted(final_outputs.items())
            }
            store.finish(run_id, succeeded=True, solver_status=outcome.solver_status,
                         objective=outcome.objective, gap=outcome.gap, summary=outcome.summary,
                         outputs=final_outputs, out_dir=out_final, outcomes=outcome.outcomes,
                         rows=outcome.rows, decisions=outcome.decisions)  # fmt: skip
            messages.append(checks.identical_message(store, run_id))
        kept_code, kept = checks.prune(store, params.retention)  # [retention], once published
        messages += kept
    except ConfigError as exc:
        return NightlyReport(EXIT_INPUT, (checks.failure(f"Error: {exc}"),), None, tuple(run_ids))
    finally:
        shutil.rmtree(partial, ignore_errors=True)
        store.close()
    failed = [name for name, _, _ in failures]
    log.info("nightly run finished", extra={"run_date": run_date.isoformat(), "notes": messages,
             "out_dir": str(out_final), "runs": run_ids, "failed_jobs": failed})  # fmt: skip
    if failures:
        messages.insert(0, f"Outputs in {out_final}, without those of any job that "
                           f"failed ({', '.join(failed)}).")  # fmt: skip
        code = max(kept_code, *(c for _, c, _ in failures))
        return NightlyReport(code, (*(m for _, _, m in failures), *messages), out_final,
                             tuple(run_ids))  # fmt: skip
    return NightlyReport(kept_code, (f"Outputs in {out_final}", *messages), out_final,
                         tuple(run_ids))  # fmt: skip


def _run_job(
    func: Callable[[JobContext], JobOutcome],
    ctx: JobContext,
    store: Any,
    run_id: int,
    drop_decisions_file: bool,
) -> tuple[JobOutcome | None, int, str]:
    """Run one job: its outcome, or ``None`` with the exit code and message of its failure
    (recorded in the store as failed, with the reason, and logged)."""
    try:
        try:
            with warnings_logged(log, name := ctx.job):  # the night's record, not stderr only
                return func(ctx), EXIT_OK, ""
        finally:
            if drop_decisions_file:  # pseudonymised: the file names children by real IDs
                (ctx.out_dir / "team_decisions.csv").unlink(missing_ok=True)
    except InputDataError as exc:
        store.finish(run_id, succeeded=False, failure_reason=str(exc))
        n = len(exc.problems)
        log.error("job failed: input errors: %s", checks.one_line(exc),
                  extra={"job": name, "run_id": run_id, "num_problems": n})  # fmt: skip
        return None, EXIT_INPUT, f"Error in {name}: {exc}"
    except SufficiencyError as exc:
        store.finish(run_id, succeeded=False, failure_reason=str(exc))
        log.error("job failed: %s", checks.one_line(exc), extra={"job": name, "run_id": run_id})
        code = EXIT_INPUT if isinstance(exc, ConfigError) else EXIT_FAILURE
        return None, code, f"Error in {name}: {exc}"
    except Exception as exc:  # a bug or a solver crash: record it, exit 2
        store.finish(run_id, succeeded=False, failure_reason=(why := checks.crashed(exc)))
        log.exception("job crashed", extra={"job": name, "run_id": run_id})
        why = f"unexpected failure ({why}); recorded in the run store"
        return None, EXIT_FAILURE, f"Error in {name}: {why}"


def _without_timings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items()
                if "runtime" not in k and not k.endswith("_seconds")}  # fmt: skip
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def content_digest(path: Path) -> str:
    """SHA-256 of an output's content, leaving out how long the run took.

    Run times (``runtime_seconds`` in JSON, "runtime" rows in workbooks) differ between
    otherwise identical runs; everything else must match for a re-run to be identical.
    """
    if path.suffix == ".json":
        data = _without_timings(json.loads(path.read_text(encoding="utf-8")))
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        h = hashlib.sha256()
        for ws in wb.worksheets:
            h.update(ws.title.encode())
            for row in ws.iter_rows(values_only=True):
                if any("runtime" in str(c) or "_seconds" in str(c) for c in row if c is not None):
                    continue
                h.update(repr(row).encode())
        wb.close()
        return h.hexdigest()
    return sha256_file(path)
