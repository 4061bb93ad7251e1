"""A run's recorded output files, served only while unchanged since the run, and the
charts drawn from them, kept so each is drawn once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import openpyxl
from starlette.responses import HTMLResponse, Response

from sufficiency.io.atomic import sha256_file
from sufficiency.store import RunStore
from sufficiency.store.stopped import RUN_STOPPED_HOURS, end_stopped, unfinished
from sufficiency.web.framework import Ctx, not_found
from sufficiency.web.run_words import started

T = TypeVar("T")

#: The item a workbook's cautions are under ("Read with care (Name, pooled)" for others').
CAUTION = "Read with care"


def latest_run(store: RunStore, kind: str) -> dict[str, Any] | None:
    """The latest successful run of ``kind``, with its files, however many runs since failed."""
    runs = store.list_runs(limit=1, kind=kind, status="succeeded")
    return store.get(int(runs[0]["id"])) if runs else None


def newer_failure(store: RunStore, kind: str, shown: dict[str, Any] | None) -> str:
    """A sentence if a run of ``kind`` newer than ``shown`` (the latest successful one)
    failed, or did not finish (its process stopped; a run of another machine still
    "running" a day after it started is recorded so first): the page then shows an earlier
    run's figures, and says so. The failure's reason is not repeated (it may quote an
    input); ``sufficiency runs show`` has it."""
    end_stopped(store)
    for run in store.list_runs(limit=50, kind=kind):
        if shown is not None and int(run["id"]) == int(shown["id"]):
            return ""
        if run["status"] == "failed":
            # said by when each started, as the pages name runs; the store numbers last,
            # for whoever runs sufficiency ("run 5 ... shows run 4" sent readers looking)
            at = f", started {started(run['started_at'])}," if run["started_at"] else ""
            earlier = (f"this page shows the one started {started(shown['started_at'])}, the "
                       "latest that succeeded" if shown is not None
                       else "no earlier run succeeded")  # fmt: skip
            words = {"match": "matching", "commission": "commissioning"}.get(kind, kind)
            how = ("did not finish (its process stopped during it, or it was still running "
                   f"{RUN_STOPPED_HOURS} hours after it started)"
                   if unfinished(run["failure_reason"]) else "failed")  # fmt: skip
            return (f"The latest {words} run{at} {how}: {earlier}. For whoever runs "
                    f"sufficiency: it is run {run['id']} in the run store, and sufficiency "
                    f"runs show {run['id']} says why.")  # fmt: skip
    return ""


def latest_shown(store: RunStore, kind: str) -> tuple[dict[str, Any] | None, str, str]:
    """The run of ``kind`` a page shows (:func:`latest_run`) with the page's two warnings:
    its outputs moved or changed since (:func:`changed_outputs`: its figures are then not
    shown), and a newer run failed (:func:`newer_failure`); ``""`` for either that does
    not apply."""
    run = latest_run(store, kind)
    problem = changed_outputs(run, kind) if run is not None else ""
    return run, problem, newer_failure(store, kind, run)


#: SHA-256 of files already hashed, by path and status (size, modification and change
#: times, inode): a page reads the same outputs on every view, and hashing them each time
#: was most of a page's work. Any write changes the change time (``st_ctime_ns``, which
#: no program can set back), so a file changed since it was hashed is hashed again.
_HASHED: dict[tuple[str, int, int, int, int], str] = {}
_HASHED_LOCK = threading.Lock()
MAX_HASHED = 256


def _sha256(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    key = (str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    with _HASHED_LOCK:
        if key in _HASHED:
            return _HASHED[key]
    digest = sha256_file(path)
    with _HASHED_LOCK:
        if len(_HASHED) >= MAX_HASHED:
            _HASHED.pop(next(iter(_HASHED)))
        _HASHED[key] = digest
    return digest


def unchanged(f: dict[str, Any]) -> Path | None:
    """A recorded file's path if it is still there and its SHA-256 matches the store's."""
    path = Path(f["path"])
    return path if path.is_file() and _sha256(path) == f["sha256"] else None


def output(run: dict[str, Any], name: str) -> Path | None:
    """The run's output ``name`` if it is still there and unchanged since the run."""
    for f in run["files"]:
        if f["role"] == "output" and f["label"] == name:
            return unchanged(f)
    return None


def changed_outputs(run: dict[str, Any], kind: str) -> str:
    """A sentence if any output the run recorded is missing or changed since (then none
    of its figures are shown: a page of half its tables would look whole), else ""."""
    for f in run["files"]:
        if f["role"] == "output" and unchanged(f) is None:
            return (
                f"The outputs of {kind} run {run['id']} have moved or changed since the run "
                f"({f['label']} in {Path(f['path']).parent}), so its figures are not shown. "
                f"Run sufficiency {kind} --store ... again to record a new run."
            )
    return ""


def stored_report(kind: str, name: str, missing: str) -> Callable[[Ctx], Response]:
    """A handler serving the latest ``kind`` run's report file ``name`` (unchanged since the
    run), or saying ``missing``."""

    def page(ctx: Ctx) -> Response:
        run = latest_run(ctx.store, kind)
        report = output(run, name) if run else None
        if report is None:
            return not_found(ctx, missing)
        return HTMLResponse(report.read_text(encoding="utf-8"))

    page.__name__ = f"{kind}_report"
    return page


_DRAWN: dict[str, Any] = {}
_DRAWN_LOCK = threading.Lock()
#: A lock per key being drawn, so a chart is drawn by one thread at a time.
_DRAWING: dict[str, threading.Lock] = {}
#: Charts kept in memory (each a few hundred kilobytes of SVG at most).
MAX_DRAWN = 64


def files_key(run: dict[str, Any]) -> str:
    """What a run's pages are drawn from: its output files and their SHA-256."""
    return ";".join(f"{f['label']}:{f['sha256']}" for f in run["files"] if f["role"] == "output")


def drawn(key: str, draw: Callable[[], T]) -> T:
    """``draw()``, kept under ``key`` so a chart is drawn once (the oldest go first).

    One thread draws a key; others asking for it meanwhile wait for that drawing rather
    than drawing it again (fifty people opening a new forecast at once draw it once)."""
    with _DRAWN_LOCK:
        if key in _DRAWN:
            return cast(T, _DRAWN[key])
        lock = _DRAWING.setdefault(key, threading.Lock())
    with lock:
        with _DRAWN_LOCK:
            if key in _DRAWN:
                return cast(T, _DRAWN[key])
        value = draw()
        with _DRAWN_LOCK:
            if len(_DRAWN) >= MAX_DRAWN:
                _DRAWN.pop(next(iter(_DRAWN)))
            _DRAWN[key] = value
            _DRAWING.pop(key, None)
    return value


def workbook_items(run: dict[str, Any], workbook: str) -> list[tuple[str, str]]:
    """The run's ``workbook`` (an output) as (item, value) rows, its first two columns
    (its Assumptions' "Forecast start", "Read with care", ...); none when the workbook is
    gone or changed. Read once per run's files."""

    def read() -> list[tuple[str, str]]:
        path = output(run, workbook)
        if path is None:
            return []
        found: list[tuple[str, str]] = []
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            for sheet in book:
                for row in sheet.iter_rows(max_col=2, values_only=True):
                    item, value = [*row, None, None][:2]
                    if item is not None and value is not None:
                        found.append((str(item), str(value)))
        finally:
            book.close()
        return found

    return drawn(f"items {workbook} " + files_key(run), read)


def cautions(run: dict[str, Any], workbook: str) -> list[str]:
    """The run's "Read with care" rows, as its ``workbook`` (an output) gives them, so a
    page says the cautions the workbook says (a pooled authority's named first); none
    when the workbook is gone or changed."""
    found = []
    for item, value in workbook_items(run, workbook):
        if item.startswith(CAUTION):
            who = item[len(CAUTION) :].strip(" ()")
            found.append(f"{who}: {value}" if who else value)
    return found
