"""The forecast workbook for commissioners (openpyxl, native Excel line charts)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sufficiency.io.quality_writers import add_quality_sheet

if TYPE_CHECKING:
    from sufficiency.forecast.report import ForecastReport

_BOLD = Font(bold=True)


def _put(ws: Worksheet, df: pd.DataFrame, first_row: int = 1) -> None:
    ws.append([]) if first_row > 1 and ws.max_row < first_row - 1 else None
    for j, col in enumerate(df.columns, start=1):
        ws.cell(row=first_row, column=j, value=str(col)).font = _BOLD
    for i, row in enumerate(df.itertuples(index=False), start=first_row + 1):
        for j, value in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=None if pd.isna(value) else value)


def _finish(ws: Worksheet, freeze: str = "B2") -> None:
    ws.freeze_panes = freeze
    for col in ws.columns:
        width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
        ws.column_dimensions[get_column_letter(col[0].column)].width = min(max(width + 2, 9), 45)


def _chart(ws: Worksheet, title: str, y_title: str, cols: range, rows: int, anchor: str) -> None:
    chart = LineChart()
    chart.title = title
    chart.y_axis.title = y_title
    chart.x_axis.title = "Month end"
    chart.height, chart.width = 9, 22
    data = Reference(ws, min_col=cols.start, max_col=cols.stop - 1, min_row=1, max_row=rows + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=rows + 1))
    ws.add_chart(chart, anchor)


def _wide(report: ForecastReport, by: str) -> pd.DataFrame:
    d = report.demand
    if by == "category":
        rows = d[(d["age_band"] == "all") & (d["category"] != "all")]
        key = "category"
    else:
        rows = d[(d["category"] == "all") & (d["age_band"] != "all")]
        key = "age_band"
    wide = rows.pivot(index="month", columns=key, values="mean")
    order = list(dict.fromkeys(rows[key]))
    wide = wide[order].reset_index()
    total = d[(d["category"] == "all") & (d["age_band"] == "all")].set_index("month")
    for q in ("p10", "p50", "p90"):
        wide[f"total_{q}"] = wide["month"].map(total[q])
    return wide


def write_workbook(report: ForecastReport, path: Path) -> None:
    """Write the Summary, demand, starts, supply, shortfall, backtest and assumptions sheets."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Summary"
    tot = report.demand[(report.demand["category"] == "all") & (report.demand["age_band"] == "all")]
    summary = tot[["month", "mean", "p10", "p50", "p90"]].reset_index(drop=True)
    if report.comparison is not None:
        comp = report.comparison[report.comparison["category"] == "all"].set_index("month")
        summary[f"scenario: {report.scenario.scenario if report.scenario else ''}"] = summary[
            "month"
        ].map(comp["mean_scenario"])
    _put(ws, summary)
    _chart(ws, "Children looked after: total", "Children", range(2, 6), len(summary), "H2")
    _finish(ws)

    for title, by in (("Demand by category", "category"), ("Demand by age band", "age_band")):
        ws = wb.create_sheet(title)
        wide = _wide(report, by)
        _put(ws, wide)
        n_series = wide.shape[1] - 4
        _chart(
            ws,
            title + " (mean)",
            "Children",
            range(2, 2 + n_series),
            len(wide),
            "B" + str(len(wide) + 4),
        )
        _finish(ws)

    ws = wb.create_sheet("Placement starts")
    st = report.starts[report.starts["scenario"] == "base"]
    wide = st.pivot(index="month", columns="category", values="mean")
    wide = wide[list(dict.fromkeys(st["category"]))].reset_index()
    _put(ws, wide)
    _chart(
        ws,
        "Placement starts per month (mean)",
        "Starts",
        range(2, wide.shape[1] + 1),
        len(wide),
        "B" + str(len(wide) + 4),
    )
    _finish(ws)

    ws = wb.create_sheet("Supply vs demand")
    if report.shortfall is not None:
        sh = report.shortfall[report.shortfall["scenario"] == "base"]
        cols = ["quarter_end", "category", "places", "demand_mean", "demand_p10", "demand_p90"]
        _put(ws, sh[cols])
        foster = sh[sh["category"] == "in_house_foster"][
            ["quarter_end", "places", "demand_mean", "demand_p90"]
        ]
        start_col = len(cols) + 2
        for j, col in enumerate(foster.columns):
            ws.cell(row=1, column=start_col + j, value=f"in-house foster {col}").font = _BOLD
            for i, v in enumerate(foster[col], start=2):
                ws.cell(row=i, column=start_col + j, value=v)
        chart = LineChart()
        chart.title = "In-house foster: places vs demand"
        chart.height, chart.width = 9, 22
        chart.add_data(
            Reference(
                ws, min_col=start_col + 1, max_col=start_col + 3, min_row=1, max_row=len(foster) + 1
            ),
            titles_from_data=True,
        )
        chart.set_categories(Reference(ws, min_col=start_col, min_row=2, max_row=len(foster) + 1))
        ws.add_chart(chart, get_column_letter(start_col + 5) + "2")
    else:
        ws.append(["No supply file or placement register was given."])
    _finish(ws)

    ws = wb.create_sheet("Shortfall")
    if report.shortfall is not None and report.purchases is not None:
        _put(ws, report.shortfall)
        _put(ws, report.purchases, first_row=len(report.shortfall) + 4)
    else:
        ws.append(["No supply file or placement register was given."])
    _finish(ws)

    ws = wb.create_sheet("Backtest")
    if report.backtest is not None:
        summ = report.backtest.summary()
        _put(ws, summ)
        _put(ws, report.backtest.scores, first_row=len(summ) + 4)
    else:
        ws.append(["No backtest was run (use --backtest-cutoff or the backtest command)."])
    _finish(ws)

    ws = wb.create_sheet("Assumptions")
    _put(ws, report.assumptions)
    _finish(ws, "A2")
    add_quality_sheet(wb, report.quality)
    wb.save(path)
