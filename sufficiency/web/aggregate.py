"""Commissioners' and finance's pages: the latest forecast and spend, aggregate only.

Both read the latest successful run of their kind from the store and its recorded
output files, checked against the SHA-256 the store holds. Nothing here names a child.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from starlette.responses import FileResponse, HTMLResponse, Response

from sufficiency.io.atomic import sha256_file
from sufficiency.store import RunStore
from sufficiency.store.accounts import audit
from sufficiency.web.framework import AGGREGATE, FINANCE, Ctx, Page, not_found, render

#: Files finance may download from the latest spend run, with their content types.
DOWNLOADS = {
    "spend.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "spend.csv": "text/csv; charset=utf-8",
}


def _latest(store: RunStore, kind: str) -> dict[str, Any] | None:
    for run in store.list_runs(limit=50, kind=kind):
        if run["status"] == "succeeded":
            return store.get(int(run["id"]))
    return None


def _output(run: dict[str, Any], name: str) -> Path | None:
    """The run's output ``name`` if it is still there and unchanged since the run."""
    for f in run["files"]:
        if f["role"] == "output" and f["label"] == name:
            path = Path(f["path"])
            if path.is_file() and sha256_file(path) == f["sha256"]:
                return path
    return None


def forecast(ctx: Ctx) -> Response:
    run = _latest(ctx.store, "forecast")
    report = _output(run, "forecast.html") if run else None
    return render(ctx, "forecast_page.html", run=run, has_report=report is not None)


def forecast_report(ctx: Ctx) -> Response:
    run = _latest(ctx.store, "forecast")
    report = _output(run, "forecast.html") if run else None
    if report is None:
        return not_found(ctx, "There is no forecast report in the store yet.")
    return HTMLResponse(report.read_text(encoding="utf-8"))


def spend(ctx: Ctx) -> Response:
    run = _latest(ctx.store, "spend")
    years = budget = None
    if run:
        if (p := _output(run, "spend_years.csv")) is not None:
            years = pd.read_csv(p)
        if (p := _output(run, "budget_comparison.csv")) is not None:
            budget = pd.read_csv(p)
    files = [n for n in DOWNLOADS if run and _output(run, n) is not None]
    return render(
        ctx,
        "spend.html",
        run=run,
        years=years,
        budget=budget,
        files=files,
        can_download=ctx.user is not None and ctx.user.role in FINANCE,
    )


def download(ctx: Ctx) -> Response:
    name = ctx.path_param("name")
    run = _latest(ctx.store, "spend")
    path = _output(run, name) if run and name in DOWNLOADS else None
    if path is None or run is None:
        return not_found(ctx, "There is no such file in the latest spend run.")
    audit(
        ctx.store,
        ctx.username,
        "download",
        run_id=int(run["id"]),
        detail=f"downloaded {name} of spend run {run['id']}",
    )
    return FileResponse(path, media_type=DOWNLOADS[name], filename=name)


ROUTES = [
    Page("/forecast", forecast, roles=AGGREGATE),
    Page("/forecast/report", forecast_report, roles=AGGREGATE),
    Page("/spend", spend, roles=AGGREGATE),
    Page("/spend/download/{name}", download, roles=FINANCE),
]
