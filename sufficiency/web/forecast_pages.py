"""The latest forecast as pages: fan charts by category and age band, starts, shortfall,
the backtest record and the data quality of the history behind them.

Figures come from the forecast run's recorded output files (each checked against the
SHA-256 the store holds); charts are the reports' matplotlib SVG fan charts, each with
its data table. Drawing is cached by run, so a page is drawn once per forecast run.
Aggregate figures only: nothing here names a child.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup
from starlette.responses import Response

from sufficiency import vocabulary
from sufficiency.forecast.backtest import BacktestResult, backtest_sentences
from sufficiency.io.csv_text import read_csv_output
from sufficiency.io.quality_writers import quality_html
from sufficiency.pages import Chart, fan_chart
from sufficiency.pages.render import MEANS, SHORTFALL, count, percent, percent1
from sufficiency.store import RunStore
from sufficiency.web.framework import AGGREGATE, Ctx, Page, render
from sufficiency.web.inputs_age import forecast_history_note
from sufficiency.web.scenario_run import BaseNotAvailable, base_run
from sufficiency.web.store_files import drawn, files_key, latest_run, latest_shown, output

#: The forecast's pages: path, menu label, heading.
SECTIONS = (
    ("/forecast", "Overview", "The latest forecast"),
    (
        "/forecast/categories",
        "By placement category",
        "Children looked after by placement category",
    ),
    ("/forecast/age-bands", "By age band", "Children looked after by age band"),
    ("/forecast/starts", "Placement starts", "Placement starts per month (placements to find)"),
    ("/forecast/shortfall", "Shortfall", "Supply and shortfall"),
    ("/forecast/backtest", "Backtest", "Backtest: how accurate were past forecasts?"),
    (
        "/forecast/data-quality",
        "Data quality",
        "Data quality of the 903 history behind the forecast",
    ),
)


def _fan(title: str, rows: pd.DataFrame, scen: pd.DataFrame | None, name: str) -> Chart:
    dates = list(pd.to_datetime(rows["month"]))
    s50 = None
    if scen is not None and len(scen) == len(rows):
        s50 = scen["p50"].to_numpy(float)
    return fan_chart(title, dates, rows["p10"].to_numpy(float), rows["p50"].to_numpy(float),
                     rows["p90"].to_numpy(float), scenario=s50, scenario_name=name)  # fmt: skip


def _assumption(run: dict[str, Any], item: str) -> list[str]:
    """The values of ``item``'s rows in the run's assumptions.csv (none without it)."""
    path = output(run, "assumptions.csv")
    if path is None:
        return []
    table = read_csv_output(path, dtype=str)
    return [str(v) for v in table.loc[table["item"] == item, "value"]]


def _notes(run: dict[str, Any]) -> list[str]:
    """The model's warnings for the run (assumptions.csv's "Read with care" rows), and
    whether its history is over a year older than today, the day the page is read."""
    notes = _assumption(run, "Read with care")
    start = _assumption(run, "Forecast start")
    old = forecast_history_note(start[0], notes) if start else ""
    return [*notes, *([old] if old else [])]


def _scenario_name(run: dict[str, Any]) -> str:
    found = _assumption(run, "Scenario")
    return found[0].split(":")[0] if found else "Scenario"


def _demand_charts(
    demand: Path, scenario: Path | None, name: str, by: str, _key: str
) -> list[Chart]:
    d = read_csv_output(demand)
    s = read_csv_output(scenario) if scenario is not None else None
    if by == "total":
        keys, by, other = ["all"], "category", "age_band"
    else:
        other = "age_band" if by == "category" else "category"
        keys = [k for k in dict.fromkeys(d[by]) if k != "all"]
    charts = []
    for key in keys:
        rows = d[(d[by] == key) & (d[other] == "all")]
        if rows["p90"].max() == 0:
            continue
        srows = s[(s[by] == key) & (s[other] == "all")] if s is not None else None
        title = ("Children looked after (all placements)" if key == "all" else
                 vocabulary.category(key) if by == "category" else f"Aged {key}")  # fmt: skip
        charts.append(_fan(title, rows, srows, name))
    return charts


def _charts(run: dict[str, Any], by: str) -> list[Chart]:
    demand = output(run, "demand.csv")
    if demand is None:
        return []
    scen = output(run, "demand_scenario.csv")
    name = _scenario_name(run) if scen is not None else ""
    key = f"demand {by} {files_key(run)}"
    return drawn(key, lambda: _demand_charts(demand, scen, name, by, key))


def _year_ends(run: dict[str, Any]) -> pd.DataFrame | None:
    path = output(run, "demand.csv")
    if path is None:
        return None
    d = read_csv_output(path)
    tot = d[(d["category"] == "all") & (d["age_band"] == "all")].reset_index(drop=True)
    keep = [i for i in range(len(tot)) if i % 12 == 0 or i == len(tot) - 1]
    out = tot.loc[keep, ["month", "mean", "p10", "p50", "p90"]].copy()
    out["month"] = pd.to_datetime(out["month"])
    return out


def _starts(run: dict[str, Any]) -> tuple[list[Chart], pd.DataFrame | None]:
    path = output(run, "starts.csv")
    if path is None:
        return [], None
    st = read_csv_output(path)
    base = st[st["scenario"] == "base"]
    # starts.csv has a row per category and one for all of them ("all", with the band
    # of each future's total): the chart draws that row, never a sum over the rows.
    total = base[base["category"] == "all"].sort_values("month")
    months = list(pd.to_datetime(total["month"]))
    charts = [] if total.empty else [
        fan_chart("Placement starts per month, all categories", months,
                  total["p10"].to_numpy(float), total["p50"].to_numpy(float),
                  total["p90"].to_numpy(float), y_label="Placement starts")
    ]  # fmt: skip
    years = max(base["month"].nunique() / 12, 1e-9)
    per_year = base.groupby("category", sort=False)["mean"].sum() / years
    table = pd.DataFrame({
        "category": [vocabulary.category(c) for c in per_year.index],
        "starts per year": per_year.to_numpy().round(1),
    })  # fmt: skip
    return charts, table


def _shortfall(run: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"shortfall": None, "purchases": None}
    if (p := output(run, "shortfall.csv")) is not None:
        sf = read_csv_output(p)
        sf = sf[sf["scenario"] == "base"].drop(columns="scenario")
        out["shortfall"] = sf.assign(category=sf["category"].map(vocabulary.category),
                                     quarter_end=pd.to_datetime(sf["quarter_end"]))  # fmt: skip
    if (p := output(run, "purchases.csv")) is not None:
        pu = read_csv_output(p)
        out["purchases"] = (
            pu[pu["scenario"] == "base"]
            .drop(columns="scenario")
            .assign(quarter_end=lambda f: pd.to_datetime(f["quarter_end"]),
                    purchase=lambda f: f["purchase"].map(vocabulary.purchase))
        )  # fmt: skip
    return out


def _backtest(run: dict[str, Any]) -> dict[str, Any]:
    scores, coverage = output(run, "backtest.csv"), output(run, "backtest_coverage.csv")
    if scores is None or coverage is None:
        return {"backtest": None, "backtest_lines": []}
    starts = output(run, "backtest_starts.csv")  # runs before it had none
    result = BacktestResult(read_csv_output(scores), read_csv_output(coverage),
                            *([read_csv_output(starts)] if starts is not None else []))  # fmt: skip
    table = result.summary()
    for col in table.columns:
        if col != "horizon_months":
            table[col] = table[col] / 100
    table = table.rename(columns={m: vocabulary.method(m) for m in
                                  ("model", "persistence", "stock_flow")})  # fmt: skip
    # the errors to 0.1% as the report, the workbook and the sentences above give them
    formats = {c: percent1 for c in table.columns if c != "horizon_months"}
    formats["p10_p90_coverage_pct"] = percent
    return {"backtest": table, "backtest_lines": backtest_sentences(result),
            "backtest_formats": formats}  # fmt: skip


def _quality(history: Path, key: str) -> str:
    """The history's data-quality summary as HTML, read once per set of files."""
    from sufficiency.forecast.run import read_903

    where = "data_quality.csv, in the forecast's output folder (ask whoever runs the forecast)"
    return drawn("quality:" + key, lambda: quality_html(read_903(history).quality, where))


def _quality_section(ctx: Ctx, run: dict[str, Any]) -> dict[str, Any]:
    """The history's data-quality summary: read again from the recorded (unchanged) files."""
    try:
        base = base_run(ctx.store)
    except BaseNotAvailable as exc:
        base, why = None, str(exc)
    if base is not None and base.run_id == int(run["id"]):
        key = ";".join(f"{f['label']}:{f['sha256']}" for f in run["files"] if f["role"] == "input")
        return {"quality": Markup(_quality(base.history, key)), "quality_note": ""}
    counts = None
    if (p := output(run, "data_quality.csv")) is not None:
        q = read_csv_output(p, dtype=str)
        counts = (q.groupby(["severity", "action"], dropna=False).size()
                  .reset_index(name="findings"))  # fmt: skip
    note = why if base is None else "The history of this run is no longer the latest."
    return {"quality": None, "quality_note": note, "quality_counts": counts}


def forecast_page(section: str) -> Any:
    heading = {p: h for p, _label, h in SECTIONS}[section]

    def handler(ctx: Ctx) -> Response:
        run, problem, stale = latest_shown(ctx.store, "forecast")
        context: dict[str, Any] = {"run": run, "sections": SECTIONS, "section": section,
                                   "heading": heading, "has_report": False,
                                   "problem": problem, "stale": stale}  # fmt: skip
        if run is not None and not problem:
            context["has_report"] = output(run, "forecast.html") is not None
            if section == "/forecast":
                charts = _charts(run, "total")
                context.update(charts=charts, year_ends=_year_ends(run), lead=headline(run),
                               notes=_notes(run))  # fmt: skip
            elif section in ("/forecast/categories", "/forecast/age-bands"):
                by = "category" if section.endswith("categories") else "age_band"
                context.update(charts=_charts(run, by))
            elif section == "/forecast/starts":
                charts, table = drawn("starts " + files_key(run), lambda: _starts(run))
                context.update(charts=charts, starts_per_year=table)
            elif section == "/forecast/shortfall":
                context.update(_shortfall(run))
            elif section == "/forecast/backtest":
                context.update(_backtest(run))
            else:
                context.update(_quality_section(ctx, run))
        return render(ctx, "forecast_section.html", counts={c: count for c in
                      ("mean", "p10", "p50", "p90")}, means=MEANS, percents=percent,
                      shortfall_formats=SHORTFALL, **context)  # fmt: skip

    handler.__name__ = "forecast_" + (section.rsplit("/", 1)[-1].replace("-", "_"))
    return handler


def warm(store: RunStore) -> None:
    """Draw the latest forecast's charts now (a server calls this as it starts), so the
    first people to open the forecast pages do not wait for them."""
    run = latest_run(store, "forecast")
    if run is not None:
        for by in ("total", "category", "age_band"):
            _charts(run, by)
        drawn("starts " + files_key(run), lambda: _starts(run))


def headline(run: dict[str, Any]) -> str:
    """The forecast's total at the start and the horizon, in a sentence."""
    ends = _year_ends(run)
    if ends is None or ends.empty:
        return ""
    first, last = ends.iloc[0], ends.iloc[-1]
    on = first["month"]
    return (f"{count(first['mean'])} children looked after on {on.day} {on:%B %Y}; "
            f"by {last['month']:%B %Y} the middle forecast is {count(last['p50'])} "
            f"(8 in 10 futures between {count(last['p10'])} and "
            f"{count(last['p90'])}).")  # fmt: skip


ROUTES = [Page(path, forecast_page(path), roles=AGGREGATE) for path, _l, _h in SECTIONS]
