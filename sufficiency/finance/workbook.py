"""The finance workbook: Summary, Monthly, Cumulative, Quarterly, Financial years, Scenario
comparison, Budget and Assumptions sheets, with live total formulas and native charts.

Finance conventions: variance is projected spend minus budget, so a positive variance is
an overspend (adverse, shown in red) and a negative one an underspend (favourable, not
red). Every sheet prints on A4 landscape, one page wide, with its header row repeated,
and each chart starts on a page of its own so that no chart is cut by a page break.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sufficiency import figures, vocabulary
from sufficiency.finance.budget_notes import budget_sheet_notes
from sufficiency.finance.closed_year import closed_note, prices_words
from sufficiency.finance.months_to_date import (
    actual_months,
    forecast_alone,
    profile_words,
    profiled_budgets,
)
from sufficiency.finance.outturn import (
    OUTTURN_MONEY,
    SCENARIO_OUTTURN,
    SpendToDate,
    scenario_years,
    summary_years,
)
from sufficiency.finance.part_year import run_rate_label, summary_label
from sufficiency.finance.pence import month_means, penny_sum
from sufficiency.finance.period_sheets import monthly_sheet, period_sheet
from sufficiency.finance.previous import Changes
from sufficiency.finance.projection import SpendProjection
from sufficiency.finance.sheet_style import (
    CHANGE_SIGN,
    MONEY_WIDTH,
    PCT,
    SIGN_CONVENTION,
    YEAR_COLOURS,
    axes,
    chart_on_new_page,
    finish_header,
    header,
    heading_on_new_page,
    note_lines,
    print_setup,
    widths,
)
from sufficiency.finance.summaries import financial_year, quarter
from sufficiency.io.quality import DataQuality
from sufficiency.io.quality_writers import add_quality_sheet
from sufficiency.io.xlsx import save_workbook, wrap_values
from sufficiency.io.xlsx_style import BOLD, GBP, VARIANCE, WRAP
from sufficiency.io.xlsx_text import wrapped_lines
from sufficiency.results import BriefRepr, result_dataclass

#: Plain-word names of the cost lines (one vocabulary); the CSVs keep the internal names.
LINE_LABELS = vocabulary.CATEGORIES


@result_dataclass
class SpendReport(BriefRepr):
    """Everything the finance outputs show."""

    base: SpendProjection
    scenario: SpendProjection | None
    monthly: pd.DataFrame
    quarterly: pd.DataFrame
    yearly: pd.DataFrame
    budget: pd.DataFrame | None
    comparison: pd.DataFrame | None
    reconciliation: Mapping[str, Any]
    assumptions: Sequence[tuple[str, str]]
    quality: DataQuality | None = None
    scenario_budget: pd.DataFrame | None = None  # the scenario's against the budget
    #: Every warning the projection gave, in sentences: those under "Read with care" in
    #: ``assumptions``, then each budget year set aside (a row of its own there).
    notes: tuple[str, ...] = ()
    #: The months of the current financial year before the forecast start, priced from
    #: the 903 history (the Monthly and Cumulative sheets' actual months); ``None`` when
    #: the forecast starts with a year, or the history cannot give them.
    to_date: SpendToDate | None = None
    #: The year's months beside an earlier run's (``--previous``), ``None`` without one.
    changes: Changes | None = None
    #: Each year's whole placements budget by month, when the budget file gives months.
    profiles: Mapping[str, tuple[float, ...]] | None = None


def line_label(line: str) -> str:
    """A cost line in plain words (``ifa_foster`` -> ``IFA foster care``)."""
    return vocabulary.category(line)


def _column_label(name: str) -> str:
    return vocabulary.column(name, vocabulary.FINANCE_COLUMNS)


def _cumulative_sheet(wb: Workbook, report: SpendReport) -> Worksheet:
    """Cumulative spend within each financial year against that year's budget profile.

    One row per month of the financial year, one column (and one chart series) per year,
    so no line joins the end of one year to the start of the next. The budget profile is
    the budget file's months, or straight-line without them (:func:`profiled_budgets`).
    """
    proj = report.base
    start = proj.financial_year_start_month
    ws = wb.create_sheet("Cumulative")
    past = actual_months(report.to_date)  # the year's months before the forecast start
    dates = [*(m for m, _, _ in past), *proj.months]
    totals = [*(penny_sum(v) for _, _, v in past), *penny_sum(month_means(proj.spend), 1)]
    fy = [financial_year(m, start) for m in dates]
    years = list(dict.fromkeys(fy))
    budget_all = profiled_budgets(report.budget, report.to_date, report.profiles)
    # (label, values by month of the year) for each column of the table
    columns: list[tuple[str, list[float | None]]] = []
    part_from: list[str] = []  # "2025-26 from October": a year forecast from part-way
    for year in years:
        cum: list[float | None] = [None] * 12
        running = 0.0
        months = [k for k, v in enumerate(fy) if v == year]
        for k in months:
            running += float(totals[k])
            cum[(dates[k].month - start) % 12] = round(running, 2)
        done = sum(k < len(past) for k in months)
        forecast = len(months) - done
        partial = f" ({vocabulary.counted(forecast, 'month')} forecast)" * (forecast < 12)
        if done:
            partial = f" (history to {dates[done - 1]:%B}, then forecast)" if forecast else (
                " (history: the year closed at the forecast start)")  # fmt: skip
        elif len(months) < 12 and (dates[months[0]].month - start) % 12:
            part_from.append(f"{year} from {dates[months[0]]:%B}")
        columns.append((f"{year}{' projected' * bool(forecast)}{partial}", cum))
        if year in budget_all:
            columns.append((f"{year} budget profile", list(budget_all[year])))
    header(ws, 1, ["Month of financial year", *(c[0] for c in columns)])
    ws.freeze_panes = "B2"
    for i in range(12):
        r = i + 2
        ws.cell(row=r, column=1, value=dt.date(2000, (start - 1 + i) % 12 + 1, 1).strftime("%B"))
        for j, (_, values) in enumerate(columns, start=2):
            if values[i] is not None:
                ws.cell(row=r, column=j, value=values[i]).number_format = GBP
    note = 15
    ws.cell(row=note, column=1,
            value="Cumulative spend restarts at zero each financial year: each year is its own "
                  "line, cumulative from the first month of that year (mean of the simulated "
                  "paths)" + (f", or from the first month forecast ({', '.join(part_from)}: "
                  "spend before it is not in the line)" if part_from else "") + (
                  "; a year marked 'history to' adds the months before the forecast start, "
                  "estimated from the 903 history, as the Monthly sheet shows them" if past
                  else "") + ". " + profile_words(list(budget_all), report.profiles))  # fmt: skip
    widths(ws, 22, 19)  # one page wide at 85% or more (24 and 20: across pages)
    finish_header(ws, 1, 13)
    ws.print_title_rows = "1:1"
    chart = LineChart()
    chart.title = "Cumulative spend within each financial year against cumulative budget"
    axes(chart, "Month of financial year", "Cumulative spend (£)")
    chart.add_data(Reference(ws, min_col=2, max_col=1 + len(columns), min_row=1, max_row=13),
                   titles_from_data=True)  # fmt: skip
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=13))
    colour = {year: YEAR_COLOURS[i % len(YEAR_COLOURS)] for i, year in enumerate(years)}
    for series, (label, _) in zip(chart.series, columns, strict=True):
        series.smooth = False  # a cumulative total is a polyline; smoothing invents dips
        series.marker.symbol = "none"
        line = series.graphicalProperties.line
        line.solidFill = colour[label[: label.index(" ")]]
        line.width = 28575  # 2.25 pt
        if "budget" in label:
            line.dashStyle = "dash"
    chart.height, chart.width = 15, 24  # shrunk to the first page across (first_page_cm)
    chart_on_new_page(ws, chart, note + 3)
    return ws


def _table_sheet(wb: Workbook, title: str, df: pd.DataFrame, money: set[str],
                 pct: set[str] = frozenset(), variance: set[str] = frozenset(),  # type: ignore[assignment]
                 ) -> Worksheet:  # fmt: skip
    ws = wb.create_sheet(title)
    header(ws, 1, [_column_label(c) for c in df.columns])
    ws.freeze_panes = "A2"
    for i, rec in enumerate(df.itertuples(index=False), start=2):
        for j, (name, value) in enumerate(zip(df.columns, rec, strict=True), start=1):
            v = value.item() if hasattr(value, "item") else value
            if name == "cost_line":
                v = line_label(str(v))
            c = ws.cell(row=i, column=j, value=None if pd.isna(v) else v)
            if name in variance:
                c.number_format = VARIANCE
            elif name in money:
                c.number_format = GBP
            elif name in pct:
                c.number_format = PCT
    widths(ws, 16, 16)
    for j in [j for j, name in enumerate(df.columns, 1) if name in money or name in variance]:
        ws.column_dimensions[get_column_letter(j)].width = MONEY_WIDTH  # at 16: Budget 4 pages
    if "cost_line" in df.columns:
        ws.column_dimensions[get_column_letter(list(df.columns).index("cost_line") + 1)].width = 26
    ws.print_title_rows = "1:1"
    return ws


def _summary_sheet(wb: Workbook, report: SpendReport, run_info: dict[str, str]) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = "Summary"
    proj = report.base
    ws["A1"] = "Placement spend projection"
    ws["A1"].font = Font(name="Calibri", bold=True, size=14)
    brief = report.quality.cautions_brief() if report.quality is not None else ""
    care = " Read with care: see the Assumptions sheet." if brief else ""
    ws["A2"] = (f"Data to {figures.day(proj.start)}{f' ({brief})' if brief else ''}; run "
                f"{figures.day(_run_date(run_info))}; {proj.num_paths:,} simulated paths; all "
                f"figures GBP; {prices_words(proj)}.{care}")  # fmt: skip
    ws["A3"] = "Base case" + " (no scenario applied)" * (report.scenario is not None)
    ws["A3"].font = BOLD
    fy_now = financial_year(proj.months[0], proj.financial_year_start_month)
    years = list(dict.fromkeys(financial_year(m, proj.financial_year_start_month)
                               for m in proj.months))[:2]  # fmt: skip
    names = ["Financial year", "Months forecast", "Projected (mean)", "P10", "P90", "Budget",
             "Variance (mean - budget)", "Probability of overspend"]  # fmt: skip
    header(ws, 4, names)
    yearly, budget, prob, outturn = summary_years(report)
    outturn |= closed_note(report)  # a year-end run's closed year with no budget
    for i, fy in enumerate(years):
        r = 5 + i
        row = yearly.loc[fy]
        whole = (fy in budget and fy in outturn) or (
            report.to_date is not None and report.to_date.financial_year == fy
        )
        ws.cell(row=r, column=1, value=summary_label(proj, fy, fy == fy_now, whole))
        ws.cell(row=r, column=2, value=int(row["months"]))
        for col, key in ((3, "mean"), (4, "p10"), (5, "p90")):
            ws.cell(row=r, column=col, value=float(row[key])).number_format = GBP
        if fy in budget:
            ws.cell(row=r, column=6, value=float(budget[fy])).number_format = GBP
            ws.cell(row=r, column=7, value=f"=C{r}-F{r}").number_format = VARIANCE
            ws.cell(row=r, column=8, value=float(prob[fy])).number_format = PCT
    ws["A7"] = SIGN_CONVENTION
    ws["A7"].font = Font(name="Calibri", italic=True)
    if outturn:  # a year-end run's closed year (not a row here) first, then the rows'
        ws["A8"] = " ".join(outturn[fy] for fy in sorted(outturn))
    rec = report.reconciliation
    ws["A9"] = "Starting point"
    ws["A9"].font = BOLD
    pairs = [
        (run_rate_label(rec), rec["run_rate_gbp"]),
        ("Forecast for the same month (mean)", rec["forecast_first_month_mean_gbp"]),
        ("Difference (forecast - run-rate)", rec["difference_gbp"]),
    ]
    for i, (text, value) in enumerate(pairs):
        label = ws.cell(row=10 + i, column=1, value=text)
        figure = ws.cell(row=10 + i, column=3, value=float(value))
        figure.number_format = GBP
        if len(text) > 30 + 13:  # longer than columns A and B: wrap in A, not cut at C
            label.alignment = WRAP
            figure.alignment = Alignment(vertical="top")
            ws.row_dimensions[10 + i].height = 15 * wrapped_lines(text, 30) + 3
    ws["A14"] = (
        "The difference is children the forecast expects to start or leave during the first "
        "month, and any gap between unit costs and what today's placements actually cost."
    )
    ws["A16"] = ("Percentiles do not add: the P10/P90 of a year are those of each path's yearly "
                 "total, not sums of monthly percentiles. Means add exactly.")  # fmt: skip
    ws.column_dimensions["A"].width = 30  # one page wide at 86% (48 and 17: across pages)
    for letter in "BCDEFGH":
        ws.column_dimensions[letter].width = 13
    finish_header(ws, 4, 6)
    if report.scenario is not None:
        _summary_scenario(ws, report, years, 18)
    ws.freeze_panes = "A5"
    ws.print_title_rows = "1:2"


def _summary_scenario(ws: Worksheet, report: SpendReport, years: list[str], top: int) -> None:
    """Base, scenario and difference per financial year, each labelled, from row ``top``."""
    assert report.scenario is not None
    heading_on_new_page(ws, top, f"Scenario: {report.scenario.scenario} - base case, "
                        "scenario and difference")  # fmt: skip
    names = ["Financial year", "Months forecast", "Base case (mean)", "Scenario (mean)",
             "Difference (scenario - base)", "Budget", "Scenario variance (scenario - budget)",
             "Scenario probability of overspend"]  # fmt: skip
    header(ws, top + 1, names)
    rows = scenario_years(report, years)
    for r, (label, months, base, scen, budget, prob) in enumerate(rows, start=top + 2):
        ws.cell(row=r, column=1, value=label)
        ws.cell(row=r, column=2, value=months)
        ws.cell(row=r, column=3, value=base).number_format = GBP
        ws.cell(row=r, column=4, value=scen).number_format = GBP
        ws.cell(row=r, column=5, value=f"=D{r}-C{r}").number_format = GBP
        if budget is not None:
            ws.cell(row=r, column=6, value=budget).number_format = GBP
            ws.cell(row=r, column=7, value=f"=D{r}-F{r}").number_format = VARIANCE
            ws.cell(row=r, column=8, value=prob).number_format = PCT
    ws.cell(row=top + 2 + len(years), column=1,
            value="Difference = scenario - base: a negative difference is a saving the scenario "
                  "makes against the base case. Every other sheet shows the base case; the "
                  "Scenario comparison sheet has the difference by cost line."
                  + SCENARIO_OUTTURN * any("outturn" in row[0] for row in rows))  # fmt: skip
    finish_header(ws, top + 1, top + 1 + len(years))


def write_workbook(report: SpendReport, path: Path, run_info: dict[str, str]) -> Path:
    """Write ``spend.xlsx`` atomically."""
    wb = Workbook()
    _summary_sheet(wb, report, run_info)
    monthly_sheet(wb, report)
    _cumulative_sheet(wb, report)
    proj = report.base
    alone = forecast_alone(report.to_date, proj.months[0])
    period_sheet(wb, "Quarterly", proj,
                  [quarter(m, proj.financial_year_start_month) for m in proj.months],
                  "Quarter", note=alone)  # fmt: skip
    period_sheet(wb, "Financial years", proj,
                  [financial_year(m, proj.financial_year_start_month) for m in proj.months],
                  "Financial year", note=alone)  # fmt: skip
    if report.comparison is not None:
        ws = _table_sheet(wb, "Scenario comparison", report.comparison,
                          {"base_mean", "scenario_mean", "difference"})  # fmt: skip
        last = ws.max_row
        for r in range(2, last + 1):  # the name one indent clear of the figure ("£6,290Step")
            ws.cell(row=r, column=5, value=f"=D{r}-C{r}").number_format = GBP
            ws.cell(row=r, column=6).alignment = Alignment(horizontal="left", indent=1)
        ws.column_dimensions["E"].width, ws.column_dimensions["F"].width = MONEY_WIDTH, 31
        finish_header(ws, 1, last)
        ws.cell(row=last + 2, column=1,
                value="Difference = scenario - base: a negative difference is a saving the "
                      "scenario makes against the base case.")  # fmt: skip
    else:
        ws = wb.create_sheet("Scenario comparison")
        ws["A1"] = "No scenario was given (use --scenario FILE to price one)."
        ws.print_title_rows = "1:1"
    if report.budget is not None:
        ws = _table_sheet(wb, "Budget", report.budget,
                          {"budget_gbp", "mean", "p10", "p50", "p90", *OUTTURN_MONEY},
                          {"prob_overspend"},
                          {"variance_gbp"})  # fmt: skip
        col = list(report.budget.columns).index("variance_gbp") + 1
        mean_col = get_column_letter(list(report.budget.columns).index("mean") + 1)
        bud_col = get_column_letter(list(report.budget.columns).index("budget_gbp") + 1)
        last = ws.max_row
        for r in range(2, last + 1):
            ws.cell(row=r, column=col, value=f"={mean_col}{r}-{bud_col}{r}"
                    ).number_format = VARIANCE  # fmt: skip
        finish_header(ws, 1, last)
        ws.cell(row=last + 2, column=1, value=SIGN_CONVENTION)
        for i, note in enumerate(budget_sheet_notes(report), start=3):
            ws.cell(row=last + i, column=1, value=note)
    if report.changes is not None:
        ch = report.changes.table
        ws = _table_sheet(wb, "Change since previous", ch, {"then_gbp", "now_gbp"},
                          variance={"change_gbp"})  # fmt: skip
        note_lines(ws, len(ch) + 3, report.changes.sentence + ". " + CHANGE_SIGN)
        ws.column_dimensions[get_column_letter(len(ch.columns))].width = 60
        finish_header(ws, 1, len(ch) + 1)
    assumptions = pd.DataFrame(report.assumptions, columns=["Item", "Value"])
    ws = _table_sheet(wb, "Assumptions", assumptions, set())
    ws.column_dimensions["A"].width = 40
    wrap_values(ws, 90)
    finish_header(ws, 1)
    add_quality_sheet(wb, report.quality)
    for sheet in wb.worksheets:
        print_setup(sheet)
    return save_workbook(wb, path, _run_date(run_info))


def _run_date(run_info: dict[str, str]) -> dt.date:
    return dt.date.fromisoformat(run_info["run_date"])
