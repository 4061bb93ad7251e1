"""The finance workbook's tables of periods: Monthly, Quarterly and Financial years.

A row per period (a month, quarter or financial year): the mean spend by cost line, a
live total formula and the total's P10/P50/P90; under the table a total per financial
year (:mod:`sufficiency.finance.year_totals`), never one adding the closed year's months
from the 903 history to the forecast years. The Monthly sheet has no Months column (each
of its rows is one month) and narrower columns, so it prints at full size on two pages
across (its Month column on each) rather than four.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sufficiency import vocabulary
from sufficiency.finance.months_to_date import (
    ACTUAL_NOTE,
    actual_months,
    profile_heading,
    profile_words,
    profiled_budgets,
)
from sufficiency.finance.pence import month_means, penny_sum
from sufficiency.finance.projection import SpendProjection
from sufficiency.finance.sheet_style import (
    ACROSS,
    axes,
    chart_on_new_page,
    finish_header,
    header,
    widths,
)
from sufficiency.finance.summaries import MEANS_NOTE, financial_year
from sufficiency.finance.year_totals import (
    YEAR_TOTALS_NOTE,
    TableRow,
    span_total,
    write_year_totals,
)
from sufficiency.io.xlsx import first_page_note
from sufficiency.io.xlsx_style import BOLD, GBP, HEADER_FILL

if TYPE_CHECKING:
    from sufficiency.finance.workbook import SpendReport

#: The Monthly sheet's column widths: its month (``2025-04 history``), then figures of up
#: to £9,999,999 a month (£99,999,999 cumulative), and its Total (mean) in bold, which
#: LibreOffice may print in a wider font (### at 11). At 15 a column it printed on four
#: pages across, and with its chart on ten pages; so on two across, the Month on each.
MONTH_WIDTH, MONTHLY_MONEY, MONTHLY_TOTAL = 14, 11, 12
#: The Monthly chart's size (cm): within the first printed page's columns (at 20 it ran
#: onto the second page across).
MONTHLY_CHART_CM = (18.0, 12.0)


def period_sheet(
    wb: Workbook,
    title: str,
    proj: SpendProjection,
    keys: list[str],
    key_name: str,
    actual: Sequence[tuple[pd.Timestamp, str, np.ndarray]] = (),
    note: str = "",
    counts: bool = True,
) -> Worksheet:
    """One row per period (month, quarter or year): mean by line, total formula, percentiles;
    ``actual`` rows first (its month, a label and the spend by line), a month each, with no
    range; under them a total per financial year. ``counts``: a Months column."""
    ws = wb.create_sheet(title)
    lines = proj.cost_lines
    start = proj.financial_year_start_month
    names = [key_name, *(["Months"] * counts), *(vocabulary.category(x) for x in lines),
             "Total (mean)", "Total P10", "Total P50", "Total P90"]  # fmt: skip
    header(ws, 1, names)
    ws.freeze_panes = "C2" if counts else "B2"
    total_paths, means = proj.total(), month_means(proj.spend)  # .pence: totals add pence
    first_line_col = 2 + counts
    last_line_col = first_line_col + len(lines) - 1
    rows: list[tuple[str, int, np.ndarray, np.ndarray | None]] = []
    table: list[TableRow] = []
    for month, label, values in actual:
        rows.append((label, 1, values, None))
        table.append(TableRow(financial_year(month, start), (f"{month:%Y-%m}",), (), values))
    for key in dict.fromkeys(keys):
        idx = [k for k, v in enumerate(keys) if v == key]
        rows.append((key, len(idx), penny_sum(means[idx], axis=0),
                     np.quantile(total_paths[:, idx].sum(axis=1), (0.1, 0.5, 0.9))))  # fmt: skip
        cal = tuple(f"{proj.months[k]:%Y-%m}" for k in idx)
        table.append(TableRow(financial_year(proj.months[idx[0]], start), cal, tuple(idx)))
    for r, (key, count, values, q) in enumerate(rows, start=2):
        ws.cell(row=r, column=1, value=key)
        if counts:
            ws.cell(row=r, column=2, value=count)
        for j, value in enumerate(values):
            ws.cell(
                row=r, column=first_line_col + j, value=round(float(value), 2)
            ).number_format = GBP
        a, b = get_column_letter(first_line_col), get_column_letter(last_line_col)
        tc = ws.cell(row=r, column=last_line_col + 1, value=f"=SUM({a}{r}:{b}{r})")
        tc.number_format = GBP
        tc.font = BOLD
        for k, value in enumerate(() if q is None else q):
            ws.cell(
                row=r, column=last_line_col + 2 + k, value=round(float(value), 2)
            ).number_format = GBP
    n = len(rows) + 1
    if counts:
        widths(ws, 14, 15)
    else:
        widths(ws, MONTH_WIDTH, MONTHLY_MONEY)
        ws.column_dimensions[get_column_letter(last_line_col + 1)].width = MONTHLY_TOTAL
    label_width = ws.column_dimensions["A"].width or 14
    fits = int(label_width) + 1  # "2025-08 history" prints whole at 14
    for r, (key, *_) in enumerate(rows, start=2):  # "2025-09 history to 15th" was cut at "t"
        if len(key) > fits:
            ws.cell(row=r, column=1).alignment = Alignment(wrap_text=True)
            ws.row_dimensions[r].height = 15 * len(textwrap.wrap(key, fits)) + 2
    if title == "Financial years":  # its rows are the years: one total, saying what it adds
        tr = n + 1
        span = (f"Total {proj.months[0]:%Y-%m}\nto {proj.months[-1]:%Y-%m}\n"
                f"({vocabulary.counted(len(proj.months), 'month')})")  # fmt: skip
        span_total(ws, tr, first_line_col, len(lines), 2, n, span, label_width)
        said = " The Total adds the forecast years together: it is no one year's spend."
    else:
        tr = write_year_totals(ws, table, 2, first_line_col, len(lines), total_paths,
                               label_width)  # fmt: skip
        said = YEAR_TOTALS_NOTE
    if title in ACROSS:  # printed across (print_setup): on the first page, not cut
        first_page_note(ws, tr + 2, MEANS_NOTE + said + note, keep=2)
    else:
        ws.cell(row=tr + 2, column=1, value=MEANS_NOTE + said + note)
    finish_header(ws, 1, n)
    ws.print_title_rows = "1:1"
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6  # inches: 30 rows a page, not 25
    ws.page_margins.header, ws.page_margins.footer = 0.2, 0.3
    return ws


def monthly_sheet(wb: Workbook, report: SpendReport) -> Worksheet:
    proj = report.base
    past = actual_months(report.to_date)
    ws = period_sheet(wb, "Monthly", proj, [m.strftime("%Y-%m") for m in proj.months], "Month",
                      past, counts=False)  # fmt: skip
    notes_top = ws.max_row  # the note under the table
    lines = proj.cost_lines
    months = [*(m for m, _, _ in past), *proj.months]
    n = len(months) + 1
    # Cumulative spend within each financial year, and the matching budget profile.
    total_col = 2 + len(lines)
    cum_col = total_col + 4
    budget_col = cum_col + 1
    ws.cell(row=1, column=cum_col, value="Cumulative in year (mean)").font = BOLD
    budget_all = profiled_budgets(report.budget, report.to_date, report.profiles)
    spread = profile_words(list(budget_all), report.profiles)  # straight-line, or by month
    ws.cell(row=1, column=budget_col, value=profile_heading(budget_all, report.profiles)
            ).font = BOLD  # fmt: skip
    for col in (cum_col, budget_col):  # the budget a character wider: £36,758,162£38,750,000
        ws.cell(row=1, column=col).fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = MONTHLY_MONEY + (col == budget_col)
    total_letter = get_column_letter(total_col)
    start = proj.financial_year_start_month
    fy = [financial_year(m, start) for m in months]
    for i, month in enumerate(months):
        r = i + 2
        same_year_start = next(k for k in range(len(months)) if fy[k] == fy[i]) + 2
        c = ws.cell(
            row=r, column=cum_col, value=f"=SUM({total_letter}{same_year_start}:{total_letter}{r})"
        )
        c.number_format = GBP
        if fy[i] in budget_all:  # the months of the year to this one's end, by the calendar
            v = budget_all[fy[i]][(month.month - start) % 12]
            ws.cell(row=r, column=budget_col, value=v).number_format = GBP
    said = " ".join(x for x in (ACTUAL_NOTE * bool(past), spread) if x)
    if said:  # a paragraph on the first page across (print_setup), under the table's note
        ws.cell(row=notes_top + 1, column=1, value=said)
    finish_header(ws, 1, n)
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = ("Spend by cost line, each month: to date from the 903 history "
                   "(estimated), then projected (mean)") if past else (
                   "Projected spend by cost line, each month (mean)")  # fmt: skip
    axes(chart, "Month", "Spend (£)")
    data = Reference(ws, min_col=2, max_col=1 + len(lines), min_row=1, max_row=n)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n))
    chart.legend.position = "r"
    chart.width, chart.height = MONTHLY_CHART_CM
    chart_on_new_page(ws, chart, notes_top + 3)
    ws.page_setup.pageOrder = "overThenDown"  # a month's figures on facing pages, 1 and 2
    return ws
