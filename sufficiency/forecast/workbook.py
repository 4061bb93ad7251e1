"""The forecast workbook for commissioners (openpyxl, native Excel line charts).

Written to be read on screen and printed: plain-word headers and category names,
months as dates, children as whole numbers, A4 landscape one page wide with the
header row repeated, and the charts on their own "Charts" sheet, one to a page.
The values are those of the CSVs (rounded only by number formats), except that
months are dates and percentages are fractions shown as percent.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference, Series
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from sufficiency import vocabulary
from sufficiency.figures import day as said_day
from sufficiency.forecast.assumption_words import lay_out, with_plain_words
from sufficiency.forecast.backtest import backtest_sentences
from sufficiency.io.quality_writers import add_quality_sheet
from sufficiency.io.xlsx import (
    CHANCE,
    first_page_note,
    notes_as_paragraphs,
    paragraphs,
    print_a4_landscape,
    print_sheet,
    save_workbook,
    sheet_widths,
    show_axes,
)
from sufficiency.io.xlsx_gaps import indent_after_figures
from sufficiency.io.xlsx_style import BOLD, COUNT
from sufficiency.io.xlsx_text import wrapped_lines

if TYPE_CHECKING:
    from sufficiency.forecast.backtest import BacktestResult
    from sufficiency.forecast.report import ForecastReport

_TITLE = Font(name="Calibri", bold=True, size=12)
#: Number formats: children (whole numbers, :data:`~sufficiency.io.xlsx_style.COUNT`),
#: percentages and month ends.
PCT = "0%"
PCT1 = "0.0%"
DATE = "mmm yyyy"

#: Words from the one vocabulary (:mod:`sufficiency.vocabulary`).
CATEGORY_NAMES = vocabulary.CATEGORIES
METHOD_NAMES = vocabulary.METHODS
#: The backtest summary's per-method columns.
_METHOD_COLUMNS = {
    k: f"Mean error of the total: {v[0].lower()}{v[1:]}" for k, v in METHOD_NAMES.items()
}

_DATE_COLS = {"month", "quarter_end", "cutoff"}
_PCT_COLS = {"prob_demand_exceeds_supply": CHANCE}
#: Columns held as percentages (0-100) in the tables, shown as percent of one.
_PCT100_COLS = {"ape_pct": PCT1, "p10_p90_coverage_pct": PCT, **dict.fromkeys(METHOD_NAMES, PCT1)}
_TEXT_COLS = {"scenario", "category", "method", "purchase", "item", "value", "horizon_months"}


def _header(col: object) -> str:
    return vocabulary.column(str(col), _METHOD_COLUMNS)


def _value(col: str, value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if col in _DATE_COLS:
        return pd.Timestamp(value).to_pydatetime()
    if col in _PCT100_COLS:
        return float(value) / 100
    if col == "scenario" and value == "base":
        return "Base"
    if col in ("item", "value") and isinstance(value, str):
        return _plain_text(value)
    if col == "purchase" and isinstance(value, str):
        return vocabulary.purchase(value)
    if col in ("category", "method") and isinstance(value, str):
        return CATEGORY_NAMES.get(value, METHOD_NAMES.get(value, value))
    return value


def _plain_text(text: str) -> str:
    """Category codes in a sentence as plain words, and no snake_case (legal groups)."""
    return vocabulary.plain(text)


def _format(col: str) -> str | None:
    if col in _DATE_COLS:
        return DATE
    if col in _PCT100_COLS:
        return _PCT100_COLS[col]
    if col in _PCT_COLS:
        return _PCT_COLS[col]
    if col in _TEXT_COLS:
        return None
    return COUNT


def _put(ws: Worksheet, df: pd.DataFrame, first_row: int = 1) -> None:
    """A table with plain-word headers in ``first_row``, formatted column by column."""
    for j, col in enumerate(df.columns, start=1):
        ws.cell(row=first_row, column=j, value=_header(col)).font = BOLD
    formats = [_format(str(col)) for col in df.columns]
    for i, row in enumerate(df.itertuples(index=False), start=first_row + 1):
        for j, (col, value) in enumerate(zip(df.columns, row, strict=True), start=1):
            cell = ws.cell(row=i, column=j, value=_value(str(col), value))
            if formats[j - 1] is not None:
                cell.number_format = formats[j - 1]


def _figure(value: object) -> bool:
    """A cell the spreadsheets align right: a number or a date (not a yes or no)."""
    return isinstance(value, int | float | dt.date) and not isinstance(value, bool)


def _finish(ws: Worksheet, freeze: str | None = "B2", title_row: int | None = 1) -> list[int]:
    """Column widths (headers wrap), frozen header, and A4 landscape one page wide with the
    header row repeated on every printed page, or, too wide for 85%, at full size on pages
    across with the columns left of ``freeze`` on each
    (:func:`~sufficiency.io.xlsx.print_sheet`); returns the columns' widths."""
    if freeze:
        ws.freeze_panes = freeze
    header_lines = 1
    top = title_row or 0
    for col in ws.columns:
        head = [c for c in col if c.row == title_row and isinstance(c.value, str)]
        body = [c for c in col if c.row > top and c.value is not None]
        width = max((_width(c.value) for c in body), default=8)
        if head:
            text = str(head[0].value)
            width = max(width, max(len(w) for w in text.split()))
            width = min(max(width + 2, 9), 90)
            # over figures or months (right-aligned), a header right-aligned too: "Mean"
            # printed left, over the gap between the months and the figures
            figures = bool(body) and all(_figure(c.value) for c in body)
            head[0].alignment = Alignment(wrap_text=True, vertical="top",
                                          horizontal="right" if figures else "left")  # fmt: skip
            header_lines = max(header_lines, wrapped_lines(text, width, bold=True))
        else:
            width = min(max(width + 2, 9), 90)
        ws.column_dimensions[get_column_letter(col[0].column)].width = width
    if title_row is not None:
        ws.row_dimensions[title_row].height = 15 * header_lines
        ws.print_title_rows = f"{title_row}:{title_row}"
    # one page wide at 85% or more, else at full size on pages across with the columns left
    # of ``freeze`` on each: printed one page wide, the Shortfall (135 characters across)
    # shrank to 77%, Demand by category to 67%; a note in one cell wrapped on the first page
    keep = max(ws[freeze].column - 1, 1) if freeze else 1
    if title_row is not None:  # "Jun 2026 In-house foster care" read as one phrase
        indent_after_figures(ws, title_row)
    notes_as_paragraphs(ws, keep)
    print_sheet(ws, keep)
    return sheet_widths(ws)


def _width(value: object) -> int:
    if isinstance(value, dt.datetime):
        return 8
    if isinstance(value, float):
        return len(f"{value:,.0f}")
    return len(str(value))


def _axis_floor(values: Iterable[float]) -> float | None:
    """A round number below the lowest value, so a band far from 0 is not flattened."""
    vals = [float(v) for v in values if v is not None and not pd.isna(v)]
    if not vals:
        return None
    lo, hi = min(vals), max(vals)
    if lo <= 0:
        return None
    step = 10 ** math.floor(math.log10(max(hi - lo, 1.0)))
    floor = math.floor(lo / step) * step
    if floor == lo:
        floor -= step
    return max(float(floor), 0.0)


class _Charts:
    """The "Charts" sheet: one chart a printed page, each drawn from a data sheet."""

    ROWS_PER_CHART = 34  # an A4 landscape page of default-height rows

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.count = 0

    def add(
        self,
        data: Worksheet,
        title: str,
        y_title: str,
        x_title: str,
        cols: Iterable[int],
        rows: range,
        header_row: int = 1,
        y_values: Iterable[float] = (),
        dashed: Iterable[int] = (),
    ) -> LineChart:
        """A line chart of ``data``'s columns ``cols`` over ``rows`` (categories in column A)."""
        chart = LineChart()
        chart.title = title
        show_axes(chart, x_title, y_title)
        chart.x_axis.number_format = DATE
        if len(rows) > 18:  # monthly: label every third month, so the labels stay level
            chart.x_axis.tickLblSkip = 3
            chart.x_axis.tickMarkSkip = 3
        chart.y_axis.number_format = COUNT
        chart.height, chart.width = 15, 25
        dashed = set(dashed)
        for col in cols:
            values = Reference(data, min_col=col, min_row=rows.start, max_row=rows.stop - 1)
            name = f"{quote_sheetname(data.title)}!${get_column_letter(col)}${header_row}"
            series = Series(values, title=None)
            series.tx = SeriesLabel(strRef=StrRef(name))
            series.smooth = False
            if col in dashed:
                series.graphicalProperties.line.dashStyle = "dash"
            chart.series.append(series)
        chart.set_categories(Reference(data, min_col=1, min_row=rows.start, max_row=rows.stop - 1))
        floor = _axis_floor(y_values)
        if floor is not None:
            chart.y_axis.scaling.min = floor
        row = 1 + self.count * self.ROWS_PER_CHART
        if self.count:
            self.ws.row_breaks.append(Break(id=row - 1))
        self.ws.cell(row=row, column=1, value=f'From the sheet "{data.title}"').font = BOLD
        self.ws.add_chart(chart, f"A{row + 1}")
        self.count += 1
        return chart


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
    for q in ("mean", "p10", "p50", "p90"):
        wide[f"total_{q}"] = wide["month"].map(total[q])
    return wide


#: Under the demand sheets' tables: the columns are means, which add to the total's mean;
#: the total's percentiles are those of the total, not sums of the columns' percentiles.
DEMAND_SHEET_NOTE = (
    "Each category's (or age band's) figure is the mean over the simulated futures; the means "
    "add up to Total (mean), worked out before rounding, so the whole children shown may "
    "differ by one or two from their sum. The total's P10, P50 and P90 are percentiles of "
    "each future's total, so they do not add up from the columns."
)
#: Under the Placement starts sheet's table (on the sample 18 of its 36 months' categories
#: shown to whole children did not add to the All categories shown, by one or two).
STARTS_SHEET_NOTE = (
    "Mean placement starts over the simulated futures, shown to whole children; All "
    "categories adds the unrounded means, so it may differ by one or two from the sum of the "
    "figures shown."
)


def _backtest_sheet(wb: Workbook, result: BacktestResult) -> None:
    ws = wb.create_sheet("Backtest")
    summ = result.summary()
    _put(ws, summ)
    _finish(ws, freeze="A2")
    ws.column_dimensions["A"].width = 18
    for j in range(2, summ.shape[1] + 1):
        ws.column_dimensions[get_column_letter(j)].width = 24
    ws.row_dimensions[1].height = 45
    # the sentences paragraphs under the table, across its five columns (114 characters,
    # one page wide at 91%): each in one cell, column A sized to them (90) printed the
    # sheet over nine pages across, a sentence or a column of figures on each
    lines = dict(enumerate(backtest_sentences(result), start=len(summ) + 3))
    paragraphs(ws, lines, sheet_widths(ws))
    ws = wb.create_sheet("Backtest scores")
    _put(ws, result.scores)
    _finish(ws, freeze="E2")


#: The Summary sheet's table starts below its title and headline sentence.
_SUMMARY_HEADER_ROW = 4


def _summary_title(report: ForecastReport) -> list[tuple[str, Font]]:
    """The Summary's first lines: what the forecast is, and its headline figures."""
    base = report.base
    p10, p50, p90 = base.total_at_end()
    end = f"{base.month_ends[-1]:%B %Y}"
    now = base.total()[0, 0]
    line = (
        f"Children looked after on {said_day(base.start)}: {now:,.0f}; middle forecast (P50) "
        f"for {end}: "
        f"{p50:,.0f} (8 in 10 of {base.num_paths:,} simulated futures between {p10:,.0f} and "
        f"{p90:,.0f}). Months are month ends; the charts are on the Charts sheet."
    )
    lines = [(f"Forecast of children looked after, to {end}", _TITLE), (line, Font(name="Calibri"))]
    third = []  # one line, so the table stays on row 4
    if report.scenario is not None:
        third.append(
            f"Scenario {report.scenario.scenario}: its total is the last column below; every "
            "other sheet shows the base forecast (no scenario). The scenario's figures by "
            "category are in the CSV files written beside this workbook."
        )
    if report.notes:
        # the history's own cautions (a missing year, an in-year extract) in full, here
        cautions = report.quality.cautions() if report.quality is not None else []
        said = [c for c in cautions if c in report.notes]
        n = len(report.notes) - len(said)
        rest = (
            f"{n}{' more' if said else ''} warning{'s' if n > 1 else ''} about this forecast, "
            "at the end of the Assumptions sheet."
        )
        third.append("Read with care: " + " ".join(said + ([rest] if n else [])))
    if third:
        lines.append((" ".join(third), Font(name="Calibri", bold=report.scenario is None)))
    return lines


def write_workbook(report: ForecastReport, path: Path) -> None:
    """Write the Summary, Charts, demand, starts, supply, shortfall, purchases, backtest
    (when one ran), assumptions and data-quality sheets."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Summary"
    charts = _Charts(wb.create_sheet("Charts"))
    tot = report.totals
    summary = tot[["month", "mean", "p10", "p50", "p90"]].reset_index(drop=True)
    if report.comparison is not None:
        comp = report.comparison[report.comparison["category"] == "all"].set_index("month")
        name = report.scenario.scenario if report.scenario else ""
        summary[f"Scenario: {name} (mean)"] = summary["month"].map(comp["mean_scenario"])
    head = _SUMMARY_HEADER_ROW
    for row, (text, font) in enumerate(_summary_title(report), start=1):
        ws.cell(row=row, column=1, value=text).font = font
    _put(ws, summary, first_row=head)
    _finish(ws, freeze=f"B{head + 1}", title_row=head)
    n = len(summary)
    body = range(head + 1, n + head + 1)
    plotted = summary.drop(columns="month")
    charts.add(
        ws,
        "Children looked after: total (mean, median, and P10 and P90 dashed)",
        "Children",
        "Month end",
        range(2, summary.shape[1] + 1),
        body,
        header_row=head,
        y_values=plotted.to_numpy().ravel(),
        dashed=(3, 5),
    )

    for title, by in (("Demand by category", "category"), ("Demand by age band", "age_band")):
        ws = wb.create_sheet(title)
        wide = _wide(report, by)
        _put(ws, wide)
        _finish(ws)
        first_page_note(ws, len(wide) + 3, DEMAND_SHEET_NOTE, keep=1)
        n_series = wide.shape[1] - 5
        charts.add(
            ws,
            f"Children looked after by {'placement category' if by == 'category' else 'age band'}"
            " (mean)",
            "Children",
            "Month end",
            range(2, 2 + n_series),
            range(2, len(wide) + 2),
        )

    ws = wb.create_sheet("Placement starts")
    st = report.starts[report.starts["scenario"] == "base"]
    wide = st.pivot(index="month", columns="category", values="mean")
    wide = wide[list(dict.fromkeys(st["category"]))].reset_index()
    _put(ws, wide)
    _finish(ws)
    first_page_note(ws, len(wide) + 3, STARTS_SHEET_NOTE, keep=1)
    cats = [j for j, c in enumerate(wide.columns, start=1) if c not in ("month", "all")]
    charts.add(
        ws,
        "Placement starts per month by category (mean)",
        "Placement starts",
        "Month end",
        cats,
        range(2, len(wide) + 2),
    )

    ws = wb.create_sheet("Supply vs demand")
    if report.shortfall is not None:
        sh = report.shortfall[report.shortfall["scenario"] == "base"]
        cols = ["category", "quarter_end", "places", "demand_mean", "demand_p10", "demand_p90"]
        order = {c: i for i, c in enumerate(dict.fromkeys(sh["category"]))}
        sh = sh.sort_values(["category", "quarter_end"], key=lambda s: s.map(order) if
                            s.name == "category" else s, kind="stable")[cols]  # fmt: skip
        sh = sh[["quarter_end", "category", *cols[2:]]].reset_index(drop=True)
        _put(ws, sh)
        _finish(ws)
        foster = sh.index[sh["category"] == "in_house_foster"]
        if len(foster):
            rows = range(int(foster[0]) + 2, int(foster[-1]) + 3)
            block = sh.loc[foster, ["places", "demand_mean", "demand_p10", "demand_p90"]]
            charts.add(
                ws,
                "In-house foster care: places against demand",
                "Children",
                "Quarter ending",
                (3, 4, 5, 6),
                rows,
                y_values=block.to_numpy().ravel(),
                dashed=(5, 6),
            )
    else:
        ws.append(
            ["No supply file or placement register was given (use --supply or --placements)."]
        )
        _finish(ws, freeze=None, title_row=None)

    if report.shortfall is not None and report.purchases is not None:
        ws = wb.create_sheet("Shortfall")
        _put(ws, report.shortfall)
        _finish(ws, freeze="D2")
        ws = wb.create_sheet("External purchases")
        _put(ws, report.purchases)
        _finish(ws, freeze="D2")

    if report.backtest is not None:
        _backtest_sheet(wb, report.backtest)

    ws = wb.create_sheet("Assumptions")
    _put(ws, with_plain_words(report.assumptions))
    _finish(ws, "A2")
    lay_out(ws)  # the settings' technical names beside plain words
    add_quality_sheet(wb, report.quality)
    print_a4_landscape(charts.ws)
    charts.ws.column_dimensions["A"].width = 9
    save_workbook(wb, path)  # fixed timestamps: the same forecast gives the same bytes
