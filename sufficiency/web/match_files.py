"""The placement team's downloads of a matching run's outputs: the match report workbook
(the 8am report's sheets, which the team works in in Excel) and the CSV tables beside it.

Only a matching run's recorded outputs named in :data:`DOWNLOADS` are served, each only
while unchanged since the run wrote it (its SHA-256 as recorded), to the roles that see
tonight's matches; the file's path is the store's, never built from the URL. Each
download is written to the audit trail.
"""

from __future__ import annotations

from starlette.responses import Response

from sufficiency.errors import StoreError
from sufficiency.store.accounts import audit
from sufficiency.web import for_excel
from sufficiency.web.framework import PLACEMENT, Ctx, Page, not_found
from sufficiency.web.store_files import output

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: A matching run's outputs the team may download, in the order offered, with their types.
DOWNLOADS = {
    "match_report.xlsx": XLSX,
    "matches.csv": "text/csv; charset=utf-8",
    "unplaced.csv": "text/csv; charset=utf-8",
    "alternatives.csv": "text/csv; charset=utf-8",
}


def download(ctx: Ctx) -> Response:
    """One of :data:`DOWNLOADS` of matching run ``run_id``, as the run wrote it."""
    rid, name = int(ctx.path_param("run_id")), ctx.path_param("name")
    try:
        run = ctx.store.get(rid) if name in DOWNLOADS else None
    except StoreError:
        run = None
    if run is None or run["kind"] != "match" or run["status"] != "succeeded":
        return not_found(ctx, f"Matching run {rid} has no file {name} to download.")
    path = output(run, name)
    if path is None:
        return not_found(ctx, f"{name} of matching run {rid} has moved or changed since the "
                         "run wrote it, so it is not given; re-run matching.")  # fmt: skip
    audit(ctx.store, ctx.username, "download", run_id=rid,
          detail=f"downloaded {name} of matching run {rid}")  # fmt: skip
    return for_excel.download(path, DOWNLOADS[name], name)


ROUTES = [Page("/matching/runs/{run_id:int}/download/{name}", download, roles=PLACEMENT)]
