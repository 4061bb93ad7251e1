"""Commissioners' page: the latest commissioning recommendation and its comparison.

From the latest commission run: the recommendation the run recorded (the commissioning
case's sentences), the plan year by year (``plan.csv``), the plans compared
(``comparison.csv``: recommended, central forecast, buying spot as now), the sensitivity
(``sensitivity.csv``), pooling with other authorities when the run pooled
(``pooling.csv``, with the case's sentences the run recorded) and the whole case
(``commissioning.html``). Files are served only while unchanged since the run. Nothing
here names a child.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from sufficiency.commissioning.case import (
    COMMITMENTS_NOTE,
    comparison_frame,
    plan_frame,
    sensitivity_frame,
)
from sufficiency.commissioning.pooled import POOLING_HEADERS, pooling_words
from sufficiency.io.csv_text import read_csv_output
from sufficiency.pages.render import count, gbp
from sufficiency.web.framework import Ctx, Page, render
from sufficiency.web.inputs_age import workbook_notes
from sufficiency.web.store_files import latest_shown, output, stored_report

COMMISSIONER = frozenset({"commissioner"})
_MONEY = ("cost_gbp", "expected_cost_gbp", "p10_cost_gbp", "p90_cost_gbp", "commitments_gbp",
          "status_quo_cost_gbp", "saving_gbp", "base_plan_cost_gbp")  # fmt: skip


_SENSITIVITY_MONEY = ("Expected cost of the re-made plan (£)",
                      "Expected cost of today's practice (£)", "Saving (£)",
                      "Recommended plan's cost in this case (£)")  # fmt: skip
#: The plans compared and the plan's commitments, headed as the commissioning case heads them.
_CASE_MONEY = ("Expected cost (£)", "Cost: lower (P10, £)", "Cost: upper (P90, £)",
               "Commitments (£)", "Cost over the horizon (£)")  # fmt: skip
#: pooling.csv as the case shows it: pounds, and the saving's share to two places.
_POOLING_FORMATS = {h: gbp for h in POOLING_HEADERS.values() if h.endswith("(£)")} | {
    POOLING_HEADERS["saving_pct"]: lambda v: f"{v:.2%}"
}
_CASE_COUNTS = ("Children in new in-house places (child-months)",
                "Children spot-purchased (child-months)", "Households recruited",
                "Block places in year 1", "Homes opened")  # fmt: skip


def commissioning(ctx: Ctx) -> Response:
    run, problem, stale = latest_shown(ctx.store, "commission")
    tables: dict[str, Any] = {"plan": None, "comparison": None,
                                              "sensitivity": None}  # fmt: skip
    summary: dict[str, Any] = {}
    if run is not None and not problem:
        summary = dict(run.get("summary") or {})
        for name in tables:
            if (p := output(run, f"{name}.csv")) is not None:
                tables[name] = read_csv_output(p)
        if tables["sensitivity"] is not None:
            # as the case shows it: "Demand -20%", the re-made plan's cost named so
            tables["sensitivity"] = sensitivity_frame(tables["sensitivity"])
        if tables["comparison"] is not None:
            tables["comparison"] = comparison_frame(tables["comparison"])
        if tables["plan"] is not None:
            tables["plan"] = plan_frame(tables["plan"], summary.get("lever_words"))
    lines = [str(x) for x in summary.get("recommendation", []) or []]
    pooling, pooling_lines = (
        _pooling(run, summary) if run is not None and not problem else (None, [])
    )
    return render(ctx, "commissioning_page.html", run=run, lines=lines, problem=problem,
                  stale=stale,
                  notes=workbook_notes(run, "commissioning.xlsx", "Forecast start")
                  if run and not problem else [],
                  has_report=bool(run and output(run, "commissioning.html")),
                  saving=summary.get("saving_vs_status_quo_gbp"),
                  how_sure=str(summary.get("how_sure") or ""),
                  formats={c: gbp for c in (*_MONEY, *_SENSITIVITY_MONEY, *_CASE_MONEY)}
                  | {c: count for c in _CASE_COUNTS} | _POOLING_FORMATS,
                  commitments_note=COMMITMENTS_NOTE, pooling=pooling, pooling_lines=pooling_lines,
                  **tables)  # fmt: skip


def _pooling(run: dict[str, Any], summary: dict[str, Any]) -> tuple[Any, list[str]]:
    """pooling.csv headed as the case heads it (its saving a share of one, worked out
    again from the pounds: the file's percentage is rounded to two places), and the case's
    sentences: as the run recorded them, else made again from the file (without how
    close the plan was proven, which only the run knew)."""
    path = output(run, "pooling.csv")
    if path is None:
        return None, []
    table = read_csv_output(path)
    table["saving_pct"] = table["saving_gbp"] / table["alone_cost_gbp"]
    words = [str(x) for x in summary.get("pooling_words", []) or []]
    if not words:
        saving = float(summary.get("pooling_saving_gbp", table["saving_gbp"].iloc[-1]))
        words = pooling_words(table, saving, None)
    return table.rename(columns=POOLING_HEADERS), words


COMMISSIONING_REPORT = stored_report(
    "commission", "commissioning.html", "There is no commissioning case in the store yet."
)

ROUTES = [
    Page("/commissioning", commissioning, roles=COMMISSIONER),
    Page("/commissioning/report", COMMISSIONING_REPORT, roles=COMMISSIONER),
]
