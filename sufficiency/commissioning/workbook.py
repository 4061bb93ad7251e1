"""``commissioning.xlsx``: the commissioning case, sheet by sheet.

Recommendation (three A4 landscape pages at 85% or more: headline figures, how sure and
what to do; year by year; spot purchase against true shortfall), Reasons (caps that bind,
end-of-horizon effects, what planning for uncertainty is worth, the plans compared with a chart,
sensitivity in words), Pooling (with other
authorities: each member alone against its share of the pooled plan), Plan by year (each commitment
and its cost), Sensitivity, Forecast behind it, Assumptions, Data quality, and Method
last. Plain words throughout; every sheet prints A4 landscape, one page wide, with its
header row repeated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sufficiency import vocabulary
from sufficiency.commissioning import case
from sufficiency.commissioning.pooled import pooling_case
from sufficiency.commissioning.report import (
    CommissioningReport,
    planning_sentence,
    recommendation,
)
from sufficiency.io.quality_writers import add_quality_sheet
from sufficiency.io.xlsx import (
    CHANCE,
    first_page_note,
    print_a4_landscape,
    print_sheet,
    save_workbook,
    sheet_widths,
    show_axes,
    wrapped_lines,
)
from sufficiency.io.xlsx_gaps import indent_after_figures, widen_to_contents
from sufficiency.io.xlsx_style import BOLD, COUNT, HEADER_FILL, WRAP

#: Money, a negative sum in red (the house GBP, io/xlsx_style.py, shows it in black).
GBP = '"£"#,##0;[Red]-"£"#,##0'
ONE_DP = "#,##0.0"
TITLE = Font(name="Calibri", bold=True, size=14)
#: The Recommendation sheet's columns (characters): the first, then each year's figures.
RECOMMENDATION_WIDTHS = (40, 13)


def plan_by_year(report: CommissioningReport) -> pd.DataFrame:
    """What the plan does each year, as in the Recommendation sheet (plain words)."""
    return case.year_table(report)


def _print(ws: Worksheet, title_rows: str | None = None) -> None:
    print_a4_landscape(ws)
    if title_rows:
        ws.print_title_rows = title_rows


def _text(ws: Worksheet, row: int, text: str, width: int, last_col: int, font: Font | None = None
          ) -> int:  # fmt: skip
    """A wrapped paragraph across columns A..``last_col``; returns the next row."""
    cell = ws.cell(row=row, column=1, value=text)
    cell.alignment = WRAP
    if font is not None:
        cell.font = font
    if last_col > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    lines = wrapped_lines(text, width)
    ws.row_dimensions[row].height = 15 * lines + 2
    return row + 1


def _table(
    ws: Worksheet,
    top: int,
    frame: pd.DataFrame,
    formats: dict[str, str] | None = None,
    row_formats: Sequence[str] | None = None,
) -> int:
    """``frame`` with a bold filled header at ``top``; returns the row after it.

    ``formats`` gives a column's number format; ``row_formats`` one per row instead.
    """
    formats = formats or {}
    numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
               and frame[c].dtype != bool}  # fmt: skip
    for j, name in enumerate(frame.columns, start=1):
        c = ws.cell(row=top, column=j, value=str(name))
        c.font, c.fill = BOLD, HEADER_FILL
        right = name in numeric or (row_formats is not None and j > 1)
        c.alignment = Alignment(wrap_text=True, vertical="bottom",
                                horizontal="right" if right else "left")  # fmt: skip
    for i, rec in enumerate(frame.itertuples(index=False), start=top + 1):
        for j, (name, value) in enumerate(zip(frame.columns, rec, strict=True), start=1):
            v = value.item() if isinstance(value, np.generic) else value
            if v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                v = None  # a blank cell: a case not tested has no figures
            c = ws.cell(row=i, column=j, value=v)
            # every cell from the top of its row: beside a wrapped first column, a figure or
            # date left at the foot of the row read as the next row's
            c.alignment = Alignment(vertical="top")
            if row_formats is not None and j > 1:
                c.number_format = row_formats[i - top - 1]
                c.alignment = Alignment(horizontal="right", vertical="top")
            elif name in formats:
                c.number_format = formats[name]
            if j == 1:
                c.alignment = WRAP
                width = ws.column_dimensions["A"].width or 8.43
                lines = wrapped_lines(str(v or ""), width)
                if lines > 1:
                    ws.row_dimensions[i].height = 15 * lines
    return top + len(frame) + 1


def _header_height(ws: Worksheet, row: int) -> None:
    """Make a header row tall enough for its wrapped text (spreadsheets do not grow it)."""
    lines = 1
    for j in range(1, ws.max_column + 1):
        v = ws.cell(row=row, column=j).value
        if isinstance(v, str):
            width = ws.column_dimensions[get_column_letter(j)].width or 8.43
            lines = max(lines, wrapped_lines(v, width, bold=True))
    ws.row_dimensions[row].height = 15 * lines + 3


def _widths(ws: Worksheet, first: float, rest: float, count: int) -> None:
    ws.column_dimensions["A"].width = first
    for j in range(2, count + 1):
        ws.column_dimensions[get_column_letter(j)].width = rest


def _year_formats(units: pd.Series) -> list[str]:
    out = []
    for u in units:
        out.append(GBP if u == "£" else ONE_DP if "average" in u else COUNT)
    return out


def _recommendation(wb: Workbook, report: CommissioningReport) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = "Recommendation"
    table = case.year_table(report)
    cols = case.year_columns(table)
    ncol = 1 + len(cols)
    # an A4 landscape page wide at 88% (at most five plan years and all years): at 66 and 17
    # (168 across), held to one page, the sheet printed at 48%
    _widths(ws, RECOMMENDATION_WIDTHS[0], RECOMMENDATION_WIDTHS[1], max(ncol, 6))
    width = RECOMMENDATION_WIDTHS[0] + RECOMMENDATION_WIDTHS[1] * (max(ncol, 6) - 1)
    ws["A1"] = "Commissioning case: what to recruit, block-buy or leave to spot purchase"
    ws["A1"].font = TITLE
    head = case.headline(report)
    row = 3
    for item in head.items():
        label = str(item["label"])
        ws.cell(row=row, column=1, value=label).font = BOLD
        ws.cell(row=row, column=1).alignment = WRAP
        # wrapped in the first column, a label as tall as its lines (it overprinted the next)
        ws.row_dimensions[row].height = 15 * wrapped_lines(label, RECOMMENDATION_WIDTHS[0]) + 2
        row += 1
    c = report.comparison
    values = [
        (c.stochastic.expected_cost_gbp, GBP),
        (c.status_quo.expected_cost_gbp, GBP),
        (c.saving_vs_status_quo_gbp, GBP),
        (c.chance_cheaper, CHANCE),
    ]
    for k, (value, fmt) in enumerate(values):
        cell = ws.cell(row=3 + k, column=2, value=round(float(value), 4))
        cell.number_format = fmt
        cell.font = BOLD
        cell.alignment = Alignment(vertical="top")  # beside its label's first line
    row = _text(ws, row + 1, head.sentence(), width, ncol)
    row += 1
    # what to do, as the page says it: a recruit's approval and a home's first beds dated
    ws.cell(row=row, column=1, value="What to do").font = BOLD
    row += 1
    for line in recommendation(report)[:-2]:
        row = _text(ws, row, line, width, ncol)
    row += 1
    # each table on a page of its own, at 85% or more: held to one page with the case,
    # the sheet printed at 48%; flowing on, the spot-purchase table's title was left at
    # the foot of the year table's page
    ws.cell(row=row, column=1, value="Year by year").font = BOLD
    ws.row_breaks.append(_break(row - 1))
    row += 1
    shown = pd.DataFrame(
        {
            "What": [
                a if u == "yes or no" else f"{a} ({u})"
                for a, u in zip(table["action"], table["unit"], strict=True)
            ]
        }
    )
    for col in cols:
        values_col = [("Yes" if v > 0 else "No") if u == "yes or no" else float(v)
                      for u, v in zip(table["unit"], table[col], strict=True)]  # fmt: skip
        shown["All years" if col == "all" else col] = values_col
    header = row
    row = _table(ws, row, shown, row_formats=_year_formats(table["unit"]))
    _header_height(ws, header)
    row = _text(ws, row, case.YEAR_ROUNDING_NOTE, width, ncol) + 1
    ws.cell(row=row, column=1, value="To be spot-purchased, and true shortfall").font = BOLD
    ws.row_breaks.append(_break(row - 1))
    row += 1
    split = case.supply_split(report).rename(columns=case.SPLIT_HEADERS)
    header = row
    row = _table(ws, row, split, {k: ONE_DP for k in split.columns[1:]})
    _header_height(ws, header)
    for line in case.split_note(report):
        row = _text(ws, row, line, width, ncol)
    _print(ws)


def _reasons(wb: Workbook, report: CommissioningReport) -> None:
    ws = wb.create_sheet("Reasons")
    _widths(ws, 34, 14, 7)  # at 60 and 20 (180 across) the sheet printed at 58%
    width = 34 + 14 * 6
    ws["A1"] = "Reasons"
    ws["A1"].font = TITLE
    row = 3
    sections = [
        ("Where the caps bind", case.binding_caps(report)
         or ["No lever is at its cap: the plan takes as much of each as pays."]),
        ("The end of the planning horizon", case.end_of_horizon(report)
         or ["No end-of-horizon effect shows in the plan."]),
        ("Why plan for uncertainty", ["The recommended plan is made for the whole range of "
         "futures. " + planning_sentence(report.comparison, report.central)]),
        ("If things turn out differently", case.sensitivity_sentences(report)
         or ["Sensitivity was not run."]),
    ]  # fmt: skip
    for title, lines in sections:
        ws.cell(row=row, column=1, value=title).font = BOLD
        row += 1
        for line in lines:
            row = _text(ws, row, line, width, 7)
        row += 1
    ws.cell(row=row, column=1, value="The plans compared on the same fresh futures").font = BOLD
    row += 1
    plans = case.plans_table(report)
    header = row
    end = _table(ws, row, plans, {c: GBP if "£" in c else COUNT for c in plans.columns[1:]})
    _header_height(ws, header)
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Expected cost of each plan"
    chart.add_data(Reference(ws, min_col=2, min_row=header, max_row=end - 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=end - 1))
    show_axes(chart, "Plan", "Expected cost (£)")
    chart.y_axis.numFmt = '"£"#,##0.0,,"m"'
    chart.y_axis.scaling.min = 0
    chart.height, chart.width = 7, 22
    ws.add_chart(chart, f"A{end + 1}")
    ws.row_breaks.append(_break(row - 2))
    _print(ws)


def _break(row: int) -> object:
    from openpyxl.worksheet.pagebreak import Break

    return Break(id=row)


def _simple(wb: Workbook, title: str, frame: pd.DataFrame, widths: tuple[float, float],
            formats: dict[str, str] | None = None, note: str = "") -> Worksheet:  # fmt: skip
    ws = wb.create_sheet(title)
    count = max(len(frame.columns), 1)
    _widths(ws, widths[0], widths[1], count)
    # a table of figures too wide at 80% prints at full size on pages across, its first
    # column on each (printed one page wide, the forecast's fourteen columns shrank to 47%);
    # the note above it wrapped within the first page's columns, not cut off at its edge
    figures = all(pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns[1:])
    top = 1
    if note and figures:
        top = 3  # the note written when the table's columns are there (first_page_note)
    elif note:
        top = _text(ws, 1, note, int(widths[0] + widths[1] * (count - 1)), count) + 1
    _table(ws, top, frame, formats)
    widen_to_contents(ws, top)  # one width for all broke "Recommende-d", ran costs together
    indent_after_figures(ws, top)  # "Homes opened" ran into "Raise carers' fees": "2 No"
    _header_height(ws, top)
    if note and figures:  # printed across: not cut at a page's edge
        first_page_note(ws, 1, note, keep=1)
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    _print(ws, f"{top}:{top}")
    if figures:
        print_sheet(ws)
    return ws


def _wrap_rows(ws: Worksheet) -> None:
    """Every cell under the header row wrapped from the top, each row as tall as its
    longest cell's lines: four columns of 46 characters, the sources unwrapped, printed
    the Assumptions at 46%; narrowed, a row sized for its lever alone overprinted the
    wrapped source of the row below."""
    top = int(str(ws.print_title_rows).split(":")[0].lstrip("$"))
    widths = sheet_widths(ws)
    for row in ws.iter_rows(min_row=top + 1):
        for cell in row:
            cell.alignment = WRAP
        lines = max(wrapped_lines(str(c.value or ""), w) for c, w in zip(row, widths, strict=False))
        ws.row_dimensions[row[0].row].height = 15 * lines + 2


def _forecast_frame(report: CommissioningReport) -> pd.DataFrame:
    """Per month: all children looked after (P10, P50, P90) and, per group, the middle
    demand beyond today's in-house places and the places the plan adds."""
    demand = report.demand
    out: dict[str, object] = {"Month end": [d.date() for d in demand.month_ends[1:]]}
    h = demand.horizon_months
    f = report.forecast
    if f is not None:
        total = f.stock[:, 1 : h + 1].sum(axis=(2, 3)).astype(float)
        for q, name in ((0.1, "lower (P10)"), (0.5, "middle (P50)"), (0.9, "upper (P90)")):
            out[f"All children looked after: {name}"] = np.quantile(total, q, axis=0)
    added = np.zeros(demand.demand.shape[1:])
    plan = report.stochastic
    for d, v in zip(plan.decisions, plan.values, strict=True):
        added += v * (d.fixed_capacity + d.variable_capacity)
    for g, code in enumerate(demand.groups):
        words = vocabulary.group(code)
        out[f"{words}: needing a place beyond in-house (P50)"] = np.quantile(
            demand.demand[:, :, g], 0.5, axis=0
        )
        out[f"{words}: places the plan adds"] = added[:, g]
    return pd.DataFrame(out)


def write_workbook(
    report: CommissioningReport, path: Path, run_date: dt.date, run_info: Sequence[tuple[str, str]]
) -> Path:
    """Write ``commissioning.xlsx`` atomically (fixed timestamps: same input, same bytes)."""
    wb = Workbook()
    _recommendation(wb, report)
    _reasons(wb, report)
    if report.pooled is not None:
        table, sentences = pooling_case(report.pooled)
        _simple(wb, "Pooling", table, (20, 18),
                {c: "0.00%" if "%)" in c else GBP for c in table.columns[1:]},
                note=" ".join(sentences))  # fmt: skip
    commitments = case.commitments_table(report)
    _simple(wb, "Plan by year", commitments, (50, 13), {"Cost over the horizon (£)": GBP},
            note=case.COMMITMENTS_NOTE)  # fmt: skip
    sens = case.sensitivity_table(report)
    if len(sens):
        _simple(wb, "Sensitivity", sens, (24, 12), {c: GBP for c in sens.columns if "£" in c})
    else:
        ws = wb.create_sheet("Sensitivity")
        ws["A1"] = "Sensitivity was not run."
        _print(ws)
    frame = _forecast_frame(report)
    _simple(wb, "Forecast behind it", frame, (12, 16),
            {c: ONE_DP for c in frame.columns[1:]} | {"Month end": "mmm yyyy"},
            note="Children per month end over the simulated futures the plan is optimised on; "
            "P10 to P90 holds 8 in 10 futures.")  # fmt: skip
    note = "Every lever figure and where it comes from; [est] marks an estimate."
    _wrap_rows(_simple(wb, "Assumptions", case.assumptions_table(report), (22, 27), note=note))
    starts = case.starts_by_year(report)
    if len(starts):
        _simple(wb, "Placement starts", starts, (26, 14), {c: ONE_DP for c in starts.columns[1:]},
                note="Placement starts the forecast expects in each plan year (mean over the "
                "simulated futures).")  # fmt: skip
    add_quality_sheet(wb, report.quality)
    method = pd.DataFrame([*case.method_rows(report), *run_info], columns=["Item", "Value"])
    about = case.forecast_rows(report).rename(columns={"item": "Item", "value": "Value"})
    # a row the run's own rows already say (the forecast start) is said once, not twice
    about = about[~about.apply(tuple, axis=1).isin(set(method.apply(tuple, axis=1)))]
    _simple(wb, "Method", pd.concat([method, about], ignore_index=True), (30, 74))
    for sheet in wb.worksheets:  # a long text wraps in its column, not past the page
        for row in sheet.iter_rows(min_col=2):
            for cell in row:
                text = isinstance(cell.value, str) and len(cell.value) > 40
                if text and not cell.alignment.wrap_text:  # headers keep theirs
                    cell.alignment = WRAP
    return save_workbook(wb, path, run_date)
