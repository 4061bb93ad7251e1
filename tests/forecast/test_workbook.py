"""forecast.xlsx as a commissioner reads and prints it: formats, dates, charts, backtest, print."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.chart.text import Text
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from print_checks import assert_prints_readably

from sufficiency.commands.forecast import forecast
from sufficiency.forecast.workbook import CATEGORY_NAMES
from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS, CHANCE, MIN_PRINT_SCALE, page_ends, sheet_widths
from sufficiency.io.xlsx_style import COUNT

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
#: Sheets of tables (everything but the charts and the data-quality record).
NOT_DATA = {"Charts", "Data quality"}


def _forecast(out: Path, *extra: str) -> Workbook:
    args = ["--history", str(SAMPLE / "ssda903"), "--out", str(out), "--paths", "60",
            "--date", "2026-04-01", *extra]  # fmt: skip
    result = CliRunner().invoke(forecast, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out / "forecast.xlsx")


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    """The sample with supply, placements and a scenario, no backtest."""
    out = tmp_path_factory.mktemp("full")
    return _forecast(
        out,
        "--supply", str(SAMPLE / "supply.toml"),
        "--placements", str(SAMPLE / "placements.csv"),
        "--scenario", str(SAMPLE / "scenarios" / "step_down_and_in_house.toml"),
    )  # fmt: skip


@pytest.fixture(scope="module")
def backtested(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    """The sample forecast with a backtest at 31 March 2024."""
    return _forecast(tmp_path_factory.mktemp("bt"), "--backtest-cutoff", "2024-03-31")


def _text(title: object) -> str:
    """The words of a chart or axis title."""
    assert isinstance(title, openpyxl.chart.title.Title), "no title"
    tx = title.tx
    assert isinstance(tx, Text) and tx.rich is not None
    return "".join(run.t for p in tx.rich.p for run in (p.r or []))


def _header_row(ws: Worksheet) -> int:
    """The table's header row: the Summary's follows its title and headline lines."""
    return 4 if ws.title == "Summary" else 1


def _header(ws: Worksheet, name: str) -> int:
    for cell in ws[_header_row(ws)]:
        if cell.value == name:
            return cell.column
    raise AssertionError(f"{ws.title} has no column {name!r}: {[c.value for c in ws[1]]}")


def _ref_value(wb: Workbook, ref: str) -> object:
    m = re.fullmatch(r"'?(.+?)'?!\$([A-Z]+)\$(\d+)", ref)
    assert m, ref
    return wb[m.group(1).replace("''", "'")][f"{m.group(2)}{m.group(3)}"].value


def test_counts_are_whole_numbers_and_months_are_dates(full: Workbook):
    """Children shown without decimals (values kept); months are dates shown as month and year."""
    for sheet, cols in (
        ("Summary", ["Mean", "Lower (P10)", "Median (P50)", "Upper (P90)"]),
        ("Demand by category", [CATEGORY_NAMES["in_house_foster"], "Total: upper (P90)"]),
        ("Demand by age band", ["Aged 10 to 15"]),
        ("Placement starts", [CATEGORY_NAMES["ifa_foster"], "All categories"]),
        ("Supply vs demand", ["Places", "Demand (mean)"]),
        ("Shortfall", ["Places", "Demand (mean)", "Expected spare places"]),
    ):
        ws = full[sheet]
        for name in cols:
            j = _header(ws, name)
            cells = [ws.cell(row=i, column=j) for i in range(_header_row(ws) + 1, ws.max_row + 1)]
            cells = [c for c in cells if c.value is not None]
            assert cells, (sheet, name)
            assert all(c.number_format == COUNT for c in cells), (sheet, name)
    # the underlying means keep their decimals (a format rounds, the value does not)
    means = [full["Summary"].cell(row=i, column=2).value for i in range(6, 13)]
    assert any(v != round(v) for v in means)
    dated = [("Summary", "Month"), ("Demand by category", "Month"),
             ("Placement starts", "Month"), ("Shortfall", "Quarter ending")]  # fmt: skip
    for sheet, name in dated:
        ws = full[sheet]
        j = _header(ws, name)
        cells = [ws.cell(row=i, column=j) for i in range(_header_row(ws) + 1, ws.max_row + 1)]
        cells = cells[: next((k for k, c in enumerate(cells) if c.value is None), len(cells))]
        assert all(isinstance(c.value, dt.datetime) for c in cells), (sheet, name)
        assert all(c.is_date and "yyyy" in c.number_format for c in cells), (sheet, name)


def test_headers_and_categories_are_plain_words(full: Workbook):
    """No snake_case on the sheets people read."""
    for ws in full.worksheets:
        if ws.title in NOT_DATA:
            continue
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    assert not re.search(r"[a-z]_[a-z]", v), (ws.title, v)
    assert full["Shortfall"]["C2"].value in CATEGORY_NAMES.values()


def test_every_chart_has_axes_titles_and_worded_series(full: Workbook, backtested: Workbook):
    """Axes shown (delete False), chart and axis titles, series named in full words."""
    for wb in (full, backtested):
        charts = [c for ws in wb.worksheets for c in ws._charts]
        assert len(charts) >= 4
        assert all(c in wb["Charts"]._charts for c in charts)  # charts on their own sheet
        for chart in charts:
            assert chart.x_axis.delete is False and chart.y_axis.delete is False
            assert len(_text(chart.title)) > 10
            # the P10 and P90 are drawn as two dashed lines: no title calls them a band
            assert "P90 band" not in _text(chart.title), _text(chart.title)
            assert _text(chart.x_axis.title) and _text(chart.y_axis.title)
            assert chart.legend is not None and chart.legend.position == "b"
            for series in chart.series:
                name = _ref_value(wb, series.tx.strRef.f)
                assert isinstance(name, str) and len(name) >= 3, name
                assert re.search(r"[A-Za-z]{3,}", name) and "_" not in name, name
        names = [_ref_value(wb, s.tx.strRef.f) for s in wb["Charts"]._charts[0].series]
        assert names[:4] == ["Mean", "Lower (P10)", "Median (P50)", "Upper (P90)"]


def test_demand_chart_axis_starts_near_the_band(full: Workbook):
    """The total's y-axis starts above 0 and below the lowest P10, so the band is visible."""
    chart = full["Charts"]._charts[0]
    low = chart.y_axis.scaling.min
    ws = full["Summary"]
    p10 = [ws.cell(row=i, column=3).value for i in range(5, ws.max_row + 1)]
    assert low is not None and 0 < low < min(p10)
    assert min(p10) - low <= 0.25 * min(p10)


def test_backtest_sheet_holds_summary_and_plain_sentences(backtested: Workbook):
    """Mean error of the total by method and horizon, coverage, and a sentence per horizon."""
    ws = backtested["Backtest"]
    header = [c.value for c in ws[1] if c.value is not None]
    assert header[0] == "Horizon (months)"
    assert any("no change" in h.lower() for h in header) and any("P10-P90" in h for h in header)
    horizons = [ws.cell(row=i, column=1).value for i in (2, 3, 4)]
    assert horizons == [3, 6, 12]
    assert all(ws.cell(row=2, column=j).number_format.endswith("%") for j in range(2, 6))
    texts = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    sentences = [t for t in texts if "no change" in t and "months ahead" in t]
    assert len(sentences) == 3
    assert all(("better" in s) or ("worse" in s) or ("as well" in s) for s in sentences)
    assert "Backtest scores" in backtested.sheetnames


def test_backtest_sheet_prints_one_page_wide_its_sentences_under_the_table(
    backtested: Workbook,
):
    """Each sentence in one cell of column A made it 90 characters wide: the sheet printed
    across nine pages, a sentence or a column of figures on each. The table prints one
    page wide at 85% or more, each sentence a paragraph across its columns."""
    ws = backtested["Backtest"]
    widths = sheet_widths(ws)
    assert sum(widths) <= A4_LANDSCAPE_CHARS / MIN_PRINT_SCALE, widths
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert not ws.col_breaks.brk and not ws.print_title_cols
    merged = {r.min_row: r for r in ws.merged_cells.ranges}
    rows = [c.row for c in ws["A"] if isinstance(c.value, str) and "months ahead" in c.value]
    assert len(rows) == 3
    for row in rows:
        assert (merged[row].min_col, merged[row].max_col) == (1, len(widths)), row
        assert ws.cell(row=row, column=1).alignment.wrap_text
        assert ws.row_dimensions[row].height > 15


def test_summary_opens_with_a_title_and_the_headline(full: Workbook):
    """Page 1 says what the forecast is and its headline figures before the table."""
    ws = full["Summary"]
    assert str(ws["A1"].value).startswith("Forecast of children looked after, to ")
    assert ws["A1"].font.bold
    assert re.search(
        r"Children looked after on .*: [\d,]+; middle forecast \(P50\) for .*: [\d,]+ \(8 in 10",
        ws["A2"].value,
    )
    assert ws["A4"].value == "Month" and ws.print_title_rows == "$4:$4"


def test_with_a_scenario_the_summary_says_the_other_sheets_are_the_base(full: Workbook):
    """Only the Summary's last column is the scenario: the summary says the other sheets
    are the base forecast (before: the Placement starts and Shortfall sheets of a
    step-down scenario's run showed the base's figures with no word of it)."""
    assert full["Summary"]["A3"].value == (
        "Scenario Step-downs and in-house shift: its total is the last column below; every "
        "other sheet shows the base forecast (no scenario). The scenario's figures by "
        "category are in the CSV files written beside this workbook. Read with care: 2 "
        "warnings about this forecast, at the end of the Assumptions sheet."
    )  # the scenario's, and the sample's unaccompanied children (test_uasc_said)


def test_no_backtest_sheet_without_a_backtest(full: Workbook):
    """No sheet whose only content says that no backtest was run."""
    assert "Backtest" not in full.sheetnames
    for ws in full.worksheets:
        texts = [v for row in ws.iter_rows(values_only=True) for v in row if v is not None]
        assert not (len(texts) == 1 and "backtest" in str(texts[0]).lower()), ws.title


def test_print_setup(full: Workbook, backtested: Workbook):
    """A4 landscape, one page wide at 85% or more, or at full size on pages across with
    the columns left of its frozen pane on each (printed one page wide, the Shortfall
    shrank to 77% and Demand by category to 67%); every data sheet repeats its header row
    and freezes it."""
    for wb in (full, backtested):
        for ws in wb.worksheets:
            keep = max(ws[ws.freeze_panes].column - 1, 1) if ws.freeze_panes else 1
            assert_prints_readably(ws, keep)
            if ws.title in NOT_DATA or ws.max_row == 1:  # charts, or a one-line note
                continue
            h = _header_row(ws)
            assert ws.print_title_rows == f"${h}:${h}", ws.title
            assert ws.freeze_panes is not None, ws.title
        # a chart a page: a manual page break between consecutive charts
        charts = wb["Charts"]
        assert len(charts.row_breaks.brk) == len(charts._charts) - 1


def test_same_forecast_gives_the_same_bytes(tmp_path: Path):
    """The workbook carries no save time: the same inputs and seed give the same file."""
    _forecast(tmp_path / "a")
    _forecast(tmp_path / "b")
    assert (tmp_path / "a" / "forecast.xlsx").read_bytes() == (
        tmp_path / "b" / "forecast.xlsx"
    ).read_bytes()


def test_demand_sheets_columns_add_to_a_total_they_are_shown_beside(full: Workbook):
    """The category (and age band) columns are means and were shown beside the total's
    P10/P50/P90 only: on the sample March 2029's categories added to 851.46 against a
    'Total: median (P50)' of 849, with no word that the columns were means. The sheets now
    carry Total (mean), which the columns add to, and say the percentiles do not add."""
    from sufficiency.forecast.workbook import DEMAND_SHEET_NOTE

    for sheet in ("Demand by category", "Demand by age band"):
        ws = full[sheet]
        head = [c.value for c in ws[1]]
        total = head.index("Total (mean)")
        assert head[total + 1 :] == ["Total: lower (P10)", "Total: median (P50)",
                                     "Total: upper (P90)"]  # fmt: skip
        rows = [r for r in ws.iter_rows(min_row=2, values_only=True)
                if isinstance(r[0], dt.datetime)]  # fmt: skip
        assert rows
        for r in rows:
            assert sum(r[1:total]) == pytest.approx(r[total], abs=0.06), (sheet, r[0])
        # a paragraph wrapped across the table's first printed page (from column B when the
        # table prints across, its month on each page), not one line running past its edge
        note = next(c for row in ws.iter_rows() for c in row if c.value == DEMAND_SHEET_NOTE)
        ends = page_ends(sheet_widths(ws), 1)
        first = "A" if len(ends) == 1 else "B"
        assert note.alignment.wrap_text and ws.row_dimensions[note.row].height > 15
        assert f"{first}{note.row}:{get_column_letter(ends[0])}{note.row}" in {
            str(r) for r in ws.merged_cells.ranges
        }


def test_starts_and_demand_sheets_say_their_whole_children_are_rounded(full: Workbook):
    """Means shown to whole children (a number format) beside totals of the unrounded means:
    on the sample 18 of 36 months' starts shown did not add to All categories shown, and 21
    of 37 months' categories to Total (mean), by one or two, with no word of rounding."""
    from sufficiency.forecast.workbook import DEMAND_SHEET_NOTE, STARTS_SHEET_NOTE

    assert "worked out before rounding" in DEMAND_SHEET_NOTE
    ws = full["Placement starts"]
    assert ws["B2"].number_format == COUNT
    assert STARTS_SHEET_NOTE in [c.value for row in ws.iter_rows() for c in row]


def test_a_chance_near_none_or_all_is_not_shown_as_none_or_all(full: Workbook, tmp_path: Path):
    """The Shortfall sheet's chance that demand exceeds the places shows a tenth of a point
    below 1% and above 99%, as the report's sentences say it (figures.chance): a chance of
    0.4% read '0%' and one of 99.6% '100%' in the cell's old format ('0%'). Read as
    LibreOffice shows the cells, rendered to PDF."""
    ws = full["Shortfall"]
    col = _header(ws, "Chance demand exceeds places")
    cells = [ws.cell(row=r, column=col) for r in range(2, ws.max_row + 1)]
    assert cells and all(c.number_format == CHANCE for c in cells if c.value is not None)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    shares = [0, 0.004, 0.013, 0.5, 0.987, 0.996, 1]
    for r, share in enumerate(shares, start=1):
        sheet.cell(row=r, column=1, value=share).number_format = CHANCE
    wb.save(tmp_path / "chance.xlsx")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "chance.xlsx")],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "chance.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert text == ["0.0%", "0.4%", "1%", "50%", "99%", "99.6%", "100.0%"]
