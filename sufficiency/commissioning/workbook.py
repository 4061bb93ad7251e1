"""``commissioning.xlsx``: Summary, Plan by year, Cost comparison, Sensitivity, Assumptions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from sufficiency.commissioning.report import CommissioningReport, recommendation
from sufficiency.io.quality_writers import add_quality_sheet
from sufficiency.io.xlsx import save_workbook

GBP = '"£"#,##0;[Red]-"£"#,##0'
PCT = "0%"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)


def plan_by_year(report: CommissioningReport) -> pd.DataFrame:
    """Commitments as a lever x year grid (zeros where nothing is committed)."""
    plan = report.stochastic.table(report.start)
    years = range(1, -(-report.params.horizon_months // 12) + 1)
    levers = list(dict.fromkeys(d.lever for d in report.stochastic.decisions))
    grid = pd.DataFrame(
        0, index=pd.Index(levers, name="lever"), columns=[f"year {y}" for y in years]
    )
    for rec in plan.itertuples(index=False):
        grid.loc[rec.lever, f"year {rec.year}"] = int(rec.commitment)
    return grid.reset_index()


def _table(ws: Worksheet, top: int, df: pd.DataFrame, money: set[str], pct: set[str]) -> None:
    for j, name in enumerate(df.columns, start=1):
        c = ws.cell(row=top, column=j, value=str(name))
        c.font, c.fill = BOLD, HEADER_FILL
    for i, rec in enumerate(df.itertuples(index=False), start=top + 1):
        for j, (name, value) in enumerate(zip(df.columns, rec, strict=True), start=1):
            v = value.item() if hasattr(value, "item") else value
            c = ws.cell(row=i, column=j, value=v)
            if name in money:
                c.number_format = GBP
            elif name in pct:
                c.number_format = PCT
    for j in range(1, len(df.columns) + 1):
        ws.column_dimensions[ws.cell(row=top, column=j).column_letter].width = 22
    ws.freeze_panes = ws.cell(row=top + 1, column=1)


def _bar(ws: Worksheet, title: str, cats: Reference, data: Reference, anchor: str) -> None:
    chart = BarChart()
    chart.title = title
    chart.y_axis.title = "GBP"
    chart.y_axis.numFmt = GBP
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.height, chart.width = 8, 18
    ws.add_chart(chart, anchor)


def _summary(wb: Workbook, report: CommissioningReport, run_info: Sequence[tuple[str, str]]):
    ws = wb.active
    assert ws is not None
    ws.title = "Summary"
    ws["A1"] = "Commissioning plan: what to recruit, block-buy or spot-purchase"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A3"] = "Recommendation"
    ws["A3"].font = BOLD
    for i, line in enumerate(recommendation(report), start=4):
        ws.cell(row=i, column=1, value=line)
    row = 5 + len(recommendation(report))
    c = report.comparison
    figures = [
        ("Expected cost, this plan", c.stochastic.expected_cost_gbp),
        ("Expected cost, status quo (spot only)", c.status_quo.expected_cost_gbp),
        ("Expected cost, central-forecast plan", c.central.expected_cost_gbp),
        ("Saving against the status quo", c.saving_vs_status_quo_gbp),
        ("Value of planning for uncertainty", c.value_of_planning_gbp),
    ]
    for k, (name, value) in enumerate(figures):
        ws.cell(row=row + k, column=1, value=name).font = BOLD
        ws.cell(row=row + k, column=2, value=round(value, 2)).number_format = GBP
    for k, (label, text) in enumerate(run_info, start=row + len(figures) + 1):
        ws.cell(row=k, column=1, value=label).font = BOLD
        ws.cell(row=k, column=2, value=text)
    ws.column_dimensions["A"].width = 45
    ws.column_dimensions["B"].width = 22
    ws.freeze_panes = "A2"


def write_workbook(
    report: CommissioningReport, path: Path, run_date: dt.date, run_info: Sequence[tuple[str, str]]
) -> Path:
    """Write ``commissioning.xlsx`` atomically (fixed timestamps: same input, same bytes)."""
    wb = Workbook()
    _summary(wb, report, run_info)
    grid = plan_by_year(report)
    ws = wb.create_sheet("Plan by year")
    _table(ws, 1, grid, set(), set())
    ws.column_dimensions["A"].width = 55
    detail = report.stochastic.table(report.start)
    ws.cell(row=len(grid) + 3, column=1, value="Commitments and their cost").font = BOLD
    _table(ws, len(grid) + 4, detail, {"cost_gbp"}, set())
    ws.freeze_panes = "B2"
    ws = wb.create_sheet("Cost comparison")
    table = report.comparison.table()
    money = {c for c in table.columns if c.endswith("_gbp")}
    _table(ws, 1, table, money, set())
    _bar(
        ws,
        "Expected cost on fresh paths",
        Reference(ws, min_col=1, min_row=2, max_row=4),
        Reference(ws, min_col=2, max_col=4, min_row=1, max_row=4),
        "A7",
    )
    ws = wb.create_sheet("Sensitivity")
    if report.sensitivity is not None and len(report.sensitivity):
        sens = report.sensitivity.copy()
        sens.insert(
            0,
            "case",
            [f"{f} {c:+.0%}" for f, c in zip(sens["factor"], sens["change"], strict=True)],
        )
        money = {c for c in sens.columns if c.endswith("_gbp")}
        _table(ws, 1, sens, money, {"change"})
        n = len(sens) + 1
        col = list(sens.columns).index("saving_gbp") + 1
        _bar(
            ws,
            "Saving against the status quo",
            Reference(ws, min_col=1, min_row=2, max_row=n),
            Reference(ws, min_col=col, min_row=1, max_row=n),
            f"A{n + 3}",
        )
    else:
        ws["A1"] = "Sensitivity was not run."
    ws = wb.create_sheet("Assumptions")
    _table(
        ws, 1, pd.DataFrame(report.assumptions, columns=["item", "value", "source"]), set(), set()
    )
    ws.column_dimensions["A"].width = 50
    ws.column_dimensions["C"].width = 100
    add_quality_sheet(wb, report.quality)
    return save_workbook(wb, path, run_date)
