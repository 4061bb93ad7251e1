"""``forecast.html``: the forecast as a self-contained page, from a Jinja2 template.

The page is ``pages/templates/forecast.html``; the charts are matplotlib SVG from
:mod:`sufficiency.pages`, each with its figures in a table beside it. Nothing is
fetched from elsewhere, so the page opens offline and prints on A4 landscape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from markupsafe import Markup

from sufficiency import figures, vocabulary
from sufficiency.forecast.backtest import backtest_sentences
from sufficiency.io.quality_writers import quality_html
from sufficiency.pages import Chart, render_page
from sufficiency.pages import fan_chart as draw_fan
from sufficiency.pages.render import MEANS, SHORTFALL, count, percent, percent1

if TYPE_CHECKING:
    from sufficiency.forecast.report import ForecastReport
    from sufficiency.forecast.result import ForecastResult


def _fan(
    title: str,
    paths: np.ndarray,
    dates: pd.DatetimeIndex,
    history: np.ndarray | None = None,
    history_dates: pd.DatetimeIndex | None = None,
    scenario: np.ndarray | None = None,
    scenario_name: str = "",
    y_label: str = "Children",
) -> Chart:
    p10, p50, p90 = np.quantile(paths, [0.1, 0.5, 0.9], axis=0)
    if history is not None and history_dates is not None and len(history):
        # The history runs into the forecast's start month, which is observed too.
        history = np.r_[history, paths[0, 0]]
        history_dates = history_dates.append(dates[:1])
    return draw_fan(
        title,
        list(dates),
        p10,
        p50,
        p90,
        history_dates=list(history_dates) if history_dates is not None else (),
        history=history,
        scenario=np.quantile(scenario, 0.5, axis=0) if scenario is not None else None,
        scenario_name=scenario_name,
        y_label=y_label,
    )


def _year_ends(base: ForecastResult, demand: pd.DataFrame) -> pd.DataFrame:
    tot = demand[(demand["category"] == "all") & (demand["age_band"] == "all")]
    picks = [
        m.strftime("%Y-%m-%d")
        for i, m in enumerate(base.month_ends)
        if i % 12 == 0 or i == base.horizon_months
    ]
    rows = tot[tot["month"].isin(picks)][["month", "mean", "p10", "p50", "p90"]].copy()
    rows["month"] = pd.to_datetime(rows["month"])
    return rows.reset_index(drop=True)


def _starts_per_year(report: ForecastReport) -> pd.DataFrame:
    base = report.base
    st = report.starts[report.starts["scenario"] == "base"]
    per_year = st.groupby("category", sort=False)["mean"].sum() / max(
        base.horizon_months / 12, 1e-9
    )
    return pd.DataFrame(
        {
            "category": [vocabulary.category(c) for c in per_year.index],
            "starts per year": per_year.to_numpy().round(1),
        }
    )


def _headlines(report: ForecastReport) -> list[dict[str, str]]:
    base, scen = report.base, report.scenario
    p10, p50, p90 = base.total_at_end()
    end = f"{base.month_ends[-1]:%B %Y}"
    items = [
        {
            "figure": count(base.total()[0, 0]),
            "label": f" children looked after on {figures.day(base.start)}",
        },
        {
            "figure": count(p50),
            "label": f" middle forecast (P50) for {end} (8 in 10 futures: {count(p10)} to "
            f"{count(p90)})",
        },
    ]
    if scen is not None:
        s50 = float(np.quantile(scen.total()[:, -1], 0.5))
        items.append(
            {
                "figure": count(s50),
                "label": f" middle forecast (P50) for {end} under the scenario {scen.scenario}",
            }
        )
    starts = base.starts[:, 1:].sum(axis=2).sum(axis=1).mean() / max(base.horizon_months / 12, 1)
    items.append({"figure": count(starts), "label": " placements to find a year (mean)"})
    return items


def _appendix(report: ForecastReport) -> pd.DataFrame:
    """The assumptions table without its Read with care rows that the page's Read with
    care list already says: each warning was given twice, at the top and again in the
    appendix (assumptions.csv and the workbook keep them, having no list above)."""
    said = {str(n) for n in report.notes}
    table = report.assumptions
    if table.empty or "item" not in table.columns:
        return table
    repeated = (table["item"] == "Read with care") & table["value"].astype(str).isin(said)
    return table[~repeated]


def render_html(report: ForecastReport) -> str:
    """The whole page as a string."""
    base, scen = report.base, report.scenario
    scen_name = scen.scenario if scen is not None else ""
    appendix = _appendix(report)
    hist_dates = base.history_month_ends
    total = _fan(
        "Children looked after (all placements)",
        base.total(),
        base.month_ends,
        base.history_stock.sum(axis=(1, 2)),
        hist_dates,
        scen.total() if scen is not None else None,
        scen_name,
    )
    categories, skipped = [], []
    for c, cat in enumerate(base.categories):
        hist = base.history_stock[:, c].sum(axis=1)
        paths = base.stock[:, :, c].sum(axis=2)
        if np.nanmax(hist, initial=0) == 0 and np.quantile(paths, 0.9, axis=0).max(initial=0) == 0:
            skipped.append(vocabulary.category(cat))
            continue
        categories.append(
            _fan(
                vocabulary.category(cat),
                paths,
                base.month_ends,
                hist,
                hist_dates,
                scen.stock[:, :, c].sum(axis=2) if scen is not None else None,
                scen_name,
            )
        )
    starts = _fan(
        "Placement starts per month, all categories",
        base.starts[:, 1:].sum(axis=2),
        base.month_ends[1:],
        y_label="Placement starts",
    )
    shortfall = purchases = None
    if report.shortfall is not None and report.purchases is not None:
        shortfall = report.shortfall[report.shortfall["scenario"] == "base"].drop(
            columns="scenario"
        )
        shortfall = shortfall.assign(
            category=shortfall["category"].map(vocabulary.category),
            quarter_end=pd.to_datetime(shortfall["quarter_end"]),
        )
        purchases = report.purchases.copy()
        if "category" in purchases:
            purchases["category"] = purchases["category"].map(vocabulary.category)
        # as the workbook's External purchases sheet says them: Base, a date, a capital
        purchases = purchases.assign(
            scenario=purchases["scenario"].replace({"base": "Base"}),
            quarter_end=pd.to_datetime(purchases["quarter_end"]),
            purchase=purchases["purchase"].map(vocabulary.purchase),
        )
    backtest = backtest_lines = None
    if report.backtest is not None:
        backtest = report.backtest.summary()
        for col in backtest.columns:
            if col != "horizon_months":
                backtest[col] = backtest[col] / 100
        backtest = backtest.rename(
            columns={m: vocabulary.method(m) for m in ("model", "persistence", "stock_flow")}
        )
        backtest_lines = backtest_sentences(report.backtest)
    lead = (
        f"Forecast from {figures.day(base.start)} (the last day of the 903 history used), "
        f"{base.horizon_months} months ahead, from {base.num_paths:,} simulated futures."
    )
    percent_cols = {c: percent1 for c in (backtest.columns if backtest is not None else [])}
    percent_cols.pop("horizon_months", None)
    percent_cols["p10_p90_coverage_pct"] = percent  # the errors to 0.1%, as the workbook
    return render_page(
        "forecast.html",
        title=f"Forecast of children looked after, to {base.month_ends[-1]:%B %Y}",
        lead=lead,
        headlines=_headlines(report),
        scenario_name=scen_name,
        total=total,
        total_table=_year_ends(base, report.demand),
        counts={c: count for c in ("mean", "p10", "p50", "p90")},
        one_decimal=MEANS,
        categories=categories,
        skipped=", ".join(skipped),
        starts=starts,
        starts_per_year=_starts_per_year(report),
        shortfall=shortfall,
        shortfall_lead=(
            "Expected shortfall: the mean number of children above the places available; "
            "chance demand exceeds places: the share of simulated futures with a gap."
        ),
        shortfall_formats=SHORTFALL,
        purchases=purchases,
        backtest=backtest,
        backtest_lines=backtest_lines,
        percents=percent_cols,
        quality=Markup(quality_html(report.quality)),
        notes=report.notes,
        # as the workbook shows them: codes in words, dates day first (the CSV keeps ISO);
        # the warnings said under Read with care at the top not said again here
        assumptions=appendix.map(lambda v: vocabulary.plain(str(v))),
        notes_left_out=len(report.assumptions) - len(appendix),
    )
