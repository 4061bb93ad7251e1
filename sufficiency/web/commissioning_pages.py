"""Commissioners' page: the latest commissioning recommendation and its comparison.

From the latest commission run: the recommendation the run recorded (the commissioning
case's sentences), the plan year by year (``plan.csv``), the plans compared
(``comparison.csv``: recommended, central forecast, buying spot as now), the sensitivity
(``sensitivity.csv``) and the whole case (``commissioning.html``). Files are served only
while unchanged since the run. Nothing here names a child.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from sufficiency import vocabulary
from sufficiency.commissioning.case import sensitivity_frame
from sufficiency.io.csv_text import read_csv_output
from sufficiency.pages.render import gbp
from sufficiency.web.framework import Ctx, Page, render
from sufficiency.web.store_files import (
    changed_outputs,
    latest_run,
    newer_failure,
    output,
    stored_report,
)

COMMISSIONER = frozenset({"commissioner"})
_MONEY = ("cost_gbp", "expected_cost_gbp", "p10_cost_gbp", "p90_cost_gbp", "commitments_gbp",
          "status_quo_cost_gbp", "saving_gbp", "base_plan_cost_gbp")  # fmt: skip


_SENSITIVITY_MONEY = ("Expected cost of the re-made plan (£)",
                      "Expected cost of today's practice (£)", "Saving (£)",
                      "Recommended plan's cost in this case (£)")  # fmt: skip


def commissioning(ctx: Ctx) -> Response:
    run = latest_run(ctx.store, "commission")
    tables: dict[str, Any] = {"plan": None, "comparison": None,
                                              "sensitivity": None}  # fmt: skip
    summary: dict[str, Any] = {}
    problem = changed_outputs(run, "commission") if run is not None else ""
    if run is not None and not problem:
        summary = dict(run.get("summary") or {})
        for name in tables:
            if (p := output(run, f"{name}.csv")) is not None:
                tables[name] = read_csv_output(p)
        if tables["sensitivity"] is not None:
            # as the case shows it: "Demand -20%", the re-made plan's cost named so
            tables["sensitivity"] = sensitivity_frame(tables["sensitivity"])
        if tables["comparison"] is not None:
            c = tables["comparison"]
            tables["comparison"] = c.assign(plan=c["plan"].map(
                lambda v: vocabulary.plan(str(v))))  # fmt: skip
    lines = [str(x) for x in summary.get("recommendation", []) or []]
    return render(ctx, "commissioning_page.html", run=run, lines=lines, problem=problem,
                  stale=newer_failure(ctx.store, "commission", run),
                  has_report=bool(run and output(run, "commissioning.html")),
                  saving=summary.get("saving_vs_status_quo_gbp"),
                  formats={c: gbp for c in _MONEY} | {c: gbp for c in _SENSITIVITY_MONEY},
                  **tables)  # fmt: skip


COMMISSIONING_REPORT = stored_report(
    "commission", "commissioning.html", "There is no commissioning case in the store yet."
)

ROUTES = [
    Page("/commissioning", commissioning, roles=COMMISSIONER),
    Page("/commissioning/report", COMMISSIONING_REPORT, roles=COMMISSIONER),
]
