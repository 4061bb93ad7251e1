"""A run's recorded output files, served only while unchanged since the run, and the
charts drawn from them, kept so each is drawn once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from starlette.responses import HTMLResponse, Response

from sufficiency.io.atomic import sha256_file
from sufficiency.store import RunStore
from sufficiency.web.framework import Ctx, not_found

T = TypeVar("T")


def latest_run(store: RunStore, kind: str) -> dict[str, Any] | None:
    """The latest successful run of ``kind``, with its files."""
    for run in store.list_runs(limit=50, kind=kind):
        if run["status"] == "succeeded":
            return store.get(int(run["id"]))
    return None


def unchanged(f: dict[str, Any]) -> Path | None:
    """A recorded file's path if it is still there and its SHA-256 matches the store's."""
    path = Path(f["path"])
    return path if path.is_file() and sha256_file(path) == f["sha256"] else None


def output(run: dict[str, Any], name: str) -> Path | None:
    """The run's output ``name`` if it is still there and unchanged since the run."""
    for f in run["files"]:
        if f["role"] == "output" and f["label"] == name:
            return unchanged(f)
    return None


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
#: Charts kept in memory (each a few hundred kilobytes of SVG at most).
MAX_DRAWN = 64


def files_key(run: dict[str, Any]) -> str:
    """What a run's pages are drawn from: its output files and their SHA-256."""
    return ";".join(f"{f['label']}:{f['sha256']}" for f in run["files"] if f["role"] == "output")


def drawn(key: str, draw: Callable[[], T]) -> T:
    """``draw()``, kept under ``key`` so a chart is drawn once (the oldest go first)."""
    with _DRAWN_LOCK:
        if key in _DRAWN:
            return cast(T, _DRAWN[key])
    value = draw()
    with _DRAWN_LOCK:
        if len(_DRAWN) >= MAX_DRAWN:
            _DRAWN.pop(next(iter(_DRAWN)))
        _DRAWN[key] = value
    return value
