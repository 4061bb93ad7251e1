"""The finance workbook: Summary, Monthly, Quarterly, Financial years, Scenario
comparison, Budget and Assumptions sheets, with live total formulas and native charts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sufficiency.finance.projection import SpendProjection
from sufficiency.finance.summaries import financial_year, quarter
from sufficiency.io.quality import DataQuality
from sufficiency.io.quality_writers import add_quality_sheet
from sufficiency.io.xlsx import save_workbook

GBP = '"£"#,##0;[Red]-"£"#,##0'
PCT = "0.0%"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)


@dataclass(frozen=True)
class SpendReport:
    """Everything the finance outputs show."""

    base: SpendProjection
    scenario: SpendProjection | None
    monthly: pd.DataFrame
    quarterly: pd.DataFrame
    yearly: pd.DataFrame
    budget: pd.DataFrame | None
    comparison: pd.DataFrame | None
    reconciliation: dict[str, Any]
    assumptions: list[tuple[str, str]]
    quality: DataQuality | None = None


def _label(line: str) -> str:
    return line.replace("_", " ").capitalize()


def _header(ws: Worksheet, row: int, names: Sequence[str]) -> None:
    for j, name in enumerate(names, start=1):
        c = ws.cell(row=row, column=j, value=name)
        c.font = BOLD
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(ws: Worksheet, first: int = 14, rest: int = 14) -> None:
    for j in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(j)].width = first if j == 1 else rest


def _period_sheet(
    wb: Workbook, title: str, proj: SpendProjection, keys: list[str], key_name: str
) -> Worksheet:
    """One row per period (month, quarter or year): mean by line, total formula, percentiles."""
    ws = wb.create_sheet(title)
    lines = proj.cost_lines
    names = [key_name, "Months", *(_label(x) for x in lines), "Total (mean)",
             "Total P10", "Total P50", "Total P90"]  # fmt: skip
    _header(ws, 1, names)
    ws.freeze_panes = "C2"
    uniq = list(dict.fromkeys(keys))
    total_paths = proj.total()
    first_line_col, last_line_col = 3, 2 + len(lines)
    for i, key in enumerate(uniq):
        r = i + 2
        idx = [k for k, v in enumerate(keys) if v == key]
        ws.cell(row=r, column=1, value=key)
        ws.cell(row=r, column=2, value=len(idx))
        means = proj.spend[:, idx, :].sum(axis=1).mean(axis=0)
        for j, value in enumerate(means):
            ws.cell(
                row=r, column=first_line_col + j, value=round(float(value), 2)
            ).number_format = GBP
        a, b = get_column_letter(first_line_col), get_column_letter(last_line_col)
        tc = ws.cell(row=r, column=last_line_col + 1, value=f"=SUM({a}{r}:{b}{r})")
        tc.number_format = GBP
        tc.font = BOLD
        q = np.quantile(total_paths[:, idx].sum(axis=1), (0.1, 0.5, 0.9))
        for k, value in enumerate(q):
            ws.cell(
                row=r, column=last_line_col + 2 + k, value=round(float(value), 2)
            ).number_format = GBP
    n = len(uniq) + 1
    tr = n + 1
    ws.cell(row=tr, column=1, value="Total").font = BOLD
    for col in range(first_line_col, last_line_col + 2):
        letter = get_column_letter(col)
        c = ws.cell(row=tr, column=col, value=f"=SUM({letter}2:{letter}{n})")
        c.number_format = GBP
        c.font = BOLD
    ws.cell(row=tr + 2, column=1,
            value="Means add up across rows and columns; P10/P50/P90 are percentiles of each "
                  "simulated path's total and do not add.")  # fmt: skip
    _widths(ws, 14, 15)
    return ws


def _monthly_sheet(wb: Workbook, report: SpendReport) -> Worksheet:
    proj = report.base
    keys = [m.strftime("%Y-%m") for m in proj.months]
    ws = _period_sheet(wb, "Monthly", proj, keys, "Month")
    lines = proj.cost_lines
    n = len(keys) + 1
    # Cumulative spend within each financial year, and the matching budget profile.
    cum_col = 3 + len(lines) + 4
    budget_col = cum_col + 1
    ws.cell(row=1, column=cum_col, value="Cumulative in year (mean)").font = BOLD
    ws.cell(row=1, column=budget_col, value="Cumulative budget").font = BOLD
    for col in (cum_col, budget_col):
        ws.cell(row=1, column=col).fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = 18
    total_letter = get_column_letter(3 + len(lines))
    fy = [financial_year(m, proj.financial_year_start_month) for m in proj.months]
    budget_all = {}
    if report.budget is not None:
        b = report.budget
        budget_all = dict(
            zip(b.loc[b["cost_line"] == "all", "financial_year"],
                b.loc[b["cost_line"] == "all", "budget_gbp"], strict=True)
        )  # fmt: skip
    for i in range(len(keys)):
        r = i + 2
        same_year_start = next(k for k in range(len(keys)) if fy[k] == fy[i]) + 2
        c = ws.cell(
            row=r, column=cum_col, value=f"=SUM({total_letter}{same_year_start}:{total_letter}{r})"
        )
        c.number_format = GBP
        if fy[i] in budget_all:
            months_done = r - same_year_start + 1
            v = round(float(budget_all[fy[i]]) * months_done / 12, 2)
            ws.cell(row=r, column=budget_col, value=v).number_format = GBP
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Projected spend by cost line (mean)"
    chart.y_axis.title = "GBP"
    chart.y_axis.numFmt = '"£"#,##0'
    data = Reference(ws, min_col=3, max_col=2 + len(lines), min_row=1, max_row=n)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n))
    chart.height, chart.width = 10, 24
    ws.add_chart(chart, f"A{n + 5}")
    line = LineChart()
    line.title = "Cumulative spend in the year against budget"
    line.y_axis.title = "GBP"
    line.y_axis.numFmt = '"£"#,##0'
    line.add_data(Reference(ws, min_col=cum_col, max_col=budget_col, min_row=1, max_row=n),
                  titles_from_data=True)  # fmt: skip
    line.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n))
    line.height, line.width = 10, 24
    ws.add_chart(line, f"A{n + 27}")
    return ws


def _table_sheet(wb: Workbook, title: str, df: pd.DataFrame, money: set[str],
                 pct: set[str] = frozenset()) -> Worksheet:  # type: ignore[assignment]  # fmt: skip
    ws = wb.create_sheet(title)
    _header(ws, 1, list(df.columns))
    ws.freeze_panes = "A2"
    for i, rec in enumerate(df.itertuples(index=False), start=2):
        for j, (name, value) in enumerate(zip(df.columns, rec, strict=True), start=1):
            v = value.item() if hasattr(value, "item") else value
            c = ws.cell(row=i, column=j, value=None if pd.isna(v) else v)
            if name in money:
                c.number_format = GBP
            elif name in pct:
                c.number_format = PCT
    _widths(ws, 16, 16)
    return ws


def _summary_sheet(wb: Workbook, report: SpendReport, run_info: dict[str, str]) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = "Summary"
    proj = report.base
    ws["A1"] = "Placement spend projection"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (f"Data to {proj.start:%d %B %Y}; run {run_info['run_date']}; "
                f"{proj.num_paths:,} simulated paths; all figures GBP.")  # fmt: skip
    fy_now = financial_year(proj.months[0], proj.financial_year_start_month)
    years = list(dict.fromkeys(financial_year(m, proj.financial_year_start_month)
                               for m in proj.months))[:2]  # fmt: skip
    names = ["Financial year", "Months forecast", "Projected (mean)", "P10", "P90", "Budget",
             "Variance (mean - budget)", "Probability of overspend"]  # fmt: skip
    _header(ws, 4, names)
    yearly = report.yearly[report.yearly["cost_line"] == "all"].set_index("financial_year")
    budget = {}
    prob = {}
    if report.budget is not None:
        b = report.budget[report.budget["cost_line"] == "all"].set_index("financial_year")
        budget = b["budget_gbp"].to_dict()
        prob = b["prob_overspend"].to_dict()
    for i, fy in enumerate(years):
        r = 5 + i
        row = yearly.loc[fy]
        ws.cell(row=r, column=1, value=fy + (" (current)" if fy == fy_now else ""))
        ws.cell(row=r, column=2, value=int(row["months"]))
        for col, key in ((3, "mean"), (4, "p10"), (5, "p90")):
            ws.cell(row=r, column=col, value=float(row[key])).number_format = GBP
        if fy in budget:
            ws.cell(row=r, column=6, value=float(budget[fy])).number_format = GBP
            ws.cell(row=r, column=7, value=f"=C{r}-F{r}").number_format = GBP
            ws.cell(row=r, column=8, value=float(prob[fy])).number_format = PCT
    rec = report.reconciliation
    ws["A9"] = "Starting point"
    ws["A9"].font = BOLD
    pairs = [
        (f"Run-rate for {rec['first_month']} ({rec['run_rate_basis']})", rec["run_rate_gbp"]),
        ("Forecast for the same month (mean)", rec["forecast_first_month_mean_gbp"]),
        ("Difference (forecast - run-rate)", rec["difference_gbp"]),
    ]
    for i, (text, value) in enumerate(pairs):
        ws.cell(row=10 + i, column=1, value=text)
        ws.cell(row=10 + i, column=3, value=float(value)).number_format = GBP
    ws["A14"] = (
        "The difference is children the forecast expects to start or leave during the first "
        "month, and any gap between unit costs and what today's placements actually cost."
    )
    ws["A16"] = ("Percentiles do not add: the P10/P90 of a year are those of each path's yearly "
                 "total, not sums of monthly percentiles. Means add exactly.")  # fmt: skip
    ws.column_dimensions["A"].width = 48
    for letter in "BCDEFGH":
        ws.column_dimensions[letter].width = 17
    ws.freeze_panes = "A5"


def write_workbook(report: SpendReport, path: Path, run_info: dict[str, str]) -> Path:
    """Write ``spend.xlsx`` atomically."""
    wb = Workbook()
    _summary_sheet(wb, report, run_info)
    _monthly_sheet(wb, report)
    proj = report.base
    _period_sheet(
        wb,
        "Quarterly",
        proj,
        [quarter(m, proj.financial_year_start_month) for m in proj.months],
        "Quarter",
    )
    _period_sheet(wb, "Financial years", proj,
                  [financial_year(m, proj.financial_year_start_month) for m in proj.months],
                  "Financial year")  # fmt: skip
    if report.comparison is not None:
        ws = _table_sheet(wb, "Scenario comparison", report.comparison,
                          {"base_mean", "scenario_mean", "difference"})  # fmt: skip
        for r in range(2, ws.max_row + 1):
            ws.cell(row=r, column=5, value=f"=D{r}-C{r}").number_format = GBP
    else:
        ws = wb.create_sheet("Scenario comparison")
        ws["A1"] = "No scenario was given (use --scenario FILE to price one)."
    if report.budget is not None:
        ws = _table_sheet(wb, "Budget", report.budget,
                          {"budget_gbp", "mean", "p10", "p50", "p90", "variance_gbp"},
                          {"prob_overspend"})  # fmt: skip
        col = list(report.budget.columns).index("variance_gbp") + 1
        mean_col = get_column_letter(list(report.budget.columns).index("mean") + 1)
        bud_col = get_column_letter(list(report.budget.columns).index("budget_gbp") + 1)
        for r in range(2, ws.max_row + 1):
            ws.cell(row=r, column=col, value=f"={mean_col}{r}-{bud_col}{r}").number_format = GBP
    assumptions = pd.DataFrame(report.assumptions, columns=["Item", "Value"])
    ws = _table_sheet(wb, "Assumptions", assumptions, set())
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 90
    add_quality_sheet(wb, report.quality)
    for sheet in wb.worksheets:
        _print_setup(sheet)
    return save_workbook(wb, path, _run_date(run_info))


def _run_date(run_info: dict[str, str]) -> dt.date:
    return dt.date.fromisoformat(run_info["run_date"])


def _print_setup(ws: Worksheet) -> None:
    """Landscape, one page wide, so the workbook prints and converts to PDF readably."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
