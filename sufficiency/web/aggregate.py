"""Finance's and commissioners' spend pages, the forecast report file, and the downloads.

Spend by financial year, quarter and month, with P10/P50/P90, against the budget and the
spend run's scenario, from the latest spend run's recorded output files (checked
against the SHA-256 the store holds). Nothing here names a child.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from starlette.responses import Response

from sufficiency import clock, vocabulary
from sufficiency.finance.summaries import WHOLE_YEAR, quarter
from sufficiency.io.csv_text import read_csv_output
from sufficiency.pages import fan_chart
from sufficiency.pages.render import gbp, percent
from sufficiency.store import RunStore
from sufficiency.store.accounts import audit
from sufficiency.web import for_excel
from sufficiency.web.framework import (
    AGGREGATE,
    FINANCE,
    Ctx,
    Page,
    long_date,
    not_found,
    render,
)
from sufficiency.web.inputs_age import workbook_notes
from sufficiency.web.run_words import started
from sufficiency.web.saved_costs import saved_scenario_costs
from sufficiency.web.store_files import (
    drawn,
    files_key,
    latest_run,
    latest_shown,
    output,
    stored_report,
)

#: The row of spend.xlsx's Assumptions giving the forecast's start (the history's end).
SPEND_START = "Data cut-off (forecast start)"
#: Files finance may download from the latest spend run, with their content types.
DOWNLOADS = {
    "spend.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "spend.csv": "text/csv; charset=utf-8",
}
#: The spend pages: path, menu label, heading.
SPEND_PAGES = (
    ("/spend", "By financial year", "Spend by financial year"),
    ("/spend/quarters", "By quarter", "Spend by quarter"),
    ("/spend/months", "By month", "Spend by month"),
)
MONEY = ("mean", "p10", "p50", "p90", "budget_gbp", "variance_gbp", "scenario_mean",
         "difference", "base_mean", "spend_to_date_estimated_gbp",
         "rest_of_year_mean_gbp")  # fmt: skip


def _read(run: dict[str, Any], name: str) -> pd.DataFrame | None:
    path = output(run, name)
    return read_csv_output(path) if path is not None else None


def _fy_start(run: dict[str, Any]) -> int:
    return int(
        ((run.get("config") or {}).get("finance") or {}).get("financial_year_start_month", 4)
    )


def _all(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    if frame is None:
        return None
    return frame[frame["cost_line"] == "all"].drop(columns="cost_line").reset_index(drop=True)


def _scenario_name(run: dict[str, Any]) -> str:
    headline = str((run.get("summary") or {}).get("headline", ""))
    if "Scenario '" in headline:
        return headline.split("Scenario '", 1)[1].split("'", 1)[0]
    return "Scenario"


def _by_year(run: dict[str, Any]) -> dict[str, Any]:
    years = _all(_read(run, "spend_years.csv"))
    budget = _all(_read(run, "budget_comparison.csv"))
    comparison = _all(_read(run, "scenario_comparison.csv"))
    table = years
    if table is not None and budget is not None:
        if "basis" in budget.columns:  # an outturn year's budget is set against its outturn,
            budget = budget[budget["basis"] == WHOLE_YEAR]  # shown under "Against the budget"
        b = budget[["financial_year", "budget_gbp", "variance_gbp", "prob_overspend"]]
        table = table.merge(b, on="financial_year", how="left")
    if table is not None and comparison is not None:
        c = comparison[["financial_year", "scenario_mean", "difference"]]
        table = table.merge(c, on="financial_year", how="left")
    scenario_budget = _in_words(_read(run, "scenario_budget_comparison.csv"))
    if scenario_budget is not None:  # its name is in the heading, once
        scenario_budget = scenario_budget.drop(columns="scenario", errors="ignore")
    return {"main": table, "lines": _in_words(_read(run, "spend_years.csv")),
            "budget": _in_words(_read(run, "budget_comparison.csv")),
            "scenario_budget": scenario_budget}  # fmt: skip


def year_over(run: dict[str, Any], today: dt.date | None = None) -> str:
    """A sentence when the first financial year the run projects has ended: a page kept
    up past April, or a spend run left on last year's 903 return, showed a year already
    over as a forecast with no word. ``""`` otherwise."""
    years = _read(run, "spend_years.csv")
    if years is None or years.empty:
        return ""
    fy = str(years["financial_year"].iloc[0])  # "2026-27" (or "2026", a January year)
    ends = dt.date(int(fy[:4]) + 1, _fy_start(run), 1) - dt.timedelta(days=1)
    if (today or clock.today()) <= ends:
        return ""
    when = started(run.get("started_at"))  # by when it started, as the pages name runs
    return (
        f"{fy} ended on {long_date(ends.isoformat())}: its figures here are the forecast of "
        f"the spend run{' started ' + when if when else ''}, not what was spent. Run "
        "spend on the latest 903 return."
    )


def _in_words(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """Cost lines as spend.xlsx names them (``ifa_foster`` -> ``IFA foster care``)."""
    if frame is None:
        return None
    return frame.assign(cost_line=frame["cost_line"].map(lambda v: vocabulary.category(str(v))))


def _scenario_monthly(run: dict[str, Any]) -> pd.DataFrame | None:
    scen = _all(_read(run, "spend_scenario.csv"))
    return (
        scen[["month", "mean", "p50"]].rename(columns={"mean": "scenario_mean",
                                                       "p50": "scenario_p50"})
        if scen is not None
        else None
    )  # fmt: skip


def _by_quarter(run: dict[str, Any]) -> dict[str, Any]:
    table = _all(_read(run, "spend_quarterly.csv"))
    scen = _scenario_monthly(run)
    if table is not None and scen is not None:
        start = _fy_start(run)
        scen["quarter"] = [quarter(pd.Timestamp(m), start) for m in scen["month"]]
        # Means add up from months to quarters (percentiles do not).
        sums = scen.groupby("quarter", sort=False)["scenario_mean"].sum().reset_index()
        table = table.merge(sums, on="quarter", how="left")
        table["difference"] = table["scenario_mean"] - table["mean"]
    return {"main": table}


def _by_month(run: dict[str, Any]) -> dict[str, Any]:
    table = _all(_read(run, "spend.csv"))
    scen = _scenario_monthly(run)
    if table is not None:
        table["month"] = pd.to_datetime(table["month"])
    if table is not None and scen is not None:
        scen["month"] = pd.to_datetime(scen["month"])
        table = table.merge(scen[["month", "scenario_mean"]], on="month", how="left")
        table["difference"] = table["scenario_mean"] - table["mean"]
    return {"main": table}


def _chart(run: dict[str, Any]) -> Any:
    """Monthly spend in £ million (P10-P90 band, P50, the scenario's P50 dashed), or in
    £ thousand where no month's P90 reaches £1 million: a small authority's chart and
    its data table read '£0.0 million' and '0.0' or '0.1' in every month."""
    monthly = _all(_read(run, "spend.csv"))
    if monthly is None or monthly.empty:
        return None
    scen = _scenario_monthly(run)
    m, unit, fmt = 1e6, "million", "£{:,.1f} million"
    if float(monthly["p90"].max()) < 1e6:
        m, unit, fmt = 1e3, "thousand", "£{:,.0f} thousand"
    return fan_chart(
        f"Placement spend per month, all cost lines (£ {unit})",
        list(pd.to_datetime(monthly["month"])),
        monthly["p10"].to_numpy(float) / m, monthly["p50"].to_numpy(float) / m,
        monthly["p90"].to_numpy(float) / m,
        scenario=scen["scenario_p50"].to_numpy(float) / m if scen is not None and
        len(scen) == len(monthly) else None,
        scenario_name=_scenario_name(run), y_label=f"£ {unit} a month", value_format=fmt,
    )  # fmt: skip


def warm(store: RunStore) -> None:
    """Draw the latest spend run's chart now (see :func:`.forecast_pages.warm`)."""
    run = latest_run(store, "spend")
    if run is not None:
        drawn("spend " + files_key(run), lambda: _chart(run))


def spend_page(path: str) -> Any:
    heading = {p: h for p, _l, h in SPEND_PAGES}[path]
    build = {"/spend": _by_year, "/spend/quarters": _by_quarter, "/spend/months": _by_month}[path]

    def handler(ctx: Ctx) -> Response:
        run, problem, stale = latest_shown(ctx.store, "spend")
        context: dict[str, Any] = {"main": None, "lines": None, "budget": None, "chart": None,
                                   "scenario_budget": None, "saved": []}  # fmt: skip
        if run is not None and not problem:
            context.update(build(run))
            context["chart"] = drawn("spend " + files_key(run), lambda: _chart(run))
            if path == "/spend":
                context["saved"] = saved_scenario_costs(ctx.store, run)
        files = [n for n in DOWNLOADS if run and not problem and output(run, n) is not None]
        formats = {c: gbp for c in MONEY} | {"prob_overspend": percent}
        return render(ctx, "spend.html", run=run, pages=SPEND_PAGES, section=path,
                      heading=heading, files=files, formats=formats, problem=problem,
                      stale=stale, over=year_over(run) if run and not problem else "",
                      notes=workbook_notes(run, "spend.xlsx", SPEND_START)
                      if run and not problem else [],
                      scenario_name=_scenario_name(run) if run else "",
                      can_download=ctx.user is not None and ctx.user.role in FINANCE,
                      **context)  # fmt: skip

    handler.__name__ = "spend_" + (path.rsplit("/", 1)[-1] or "years")
    return handler


def download(ctx: Ctx) -> Response:
    name = ctx.path_param("name")
    run = latest_run(ctx.store, "spend")
    path = output(run, name) if run and name in DOWNLOADS else None
    if path is None or run is None:
        return not_found(ctx, "There is no such file in the latest spend run.")
    audit(
        ctx.store,
        ctx.username,
        "download",
        run_id=int(run["id"]),
        detail=f"downloaded {name} of spend run {run['id']}",
    )
    return for_excel.download(path, DOWNLOADS[name], name)


FORECAST_REPORT = stored_report(
    "forecast", "forecast.html", "There is no forecast report in the store yet."
)

ROUTES = [
    Page("/forecast/report", FORECAST_REPORT, roles=AGGREGATE),
    *[Page(p, spend_page(p), roles=AGGREGATE) for p, _l, _h in SPEND_PAGES],
    Page("/spend/download/{name}", download, roles=FINANCE),
]
