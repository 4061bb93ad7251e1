"""spend.xlsx's totals are by financial year, and its Monthly sheet prints readably.

The sample authority's year-end run (the 903 history to 31 March 2026) shows 2025-26's
months from the history and three forecast years on the Monthly sheet. Its one Total row
added all 48 months (£279m): a closed year's estimate and three projections, which a
finance reader takes for one year's spend. And the sheet printed on ten pages, four
across, its chart in the middle of them.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sufficiency.cli import main
from sufficiency.finance.sheet_style import KEYS
from sufficiency.finance.summaries import financial_year
from sufficiency.io.xlsx import page_ends, sheet_widths

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
#: A total row's label: its year, then what it adds.
TOTAL = re.compile(r"(\d{4}-\d\d) (total|outturn|part year)\n")


def _spend(out: Path, *extra: str, budget: Path = SAMPLE / "budget.csv") -> Path:
    args = ["spend", "--history", str(SAMPLE / "ssda903"), "--out", str(out),
            "--budget", str(budget), "--date", "2026-04-01", "--paths", "300",
            "--store", f"sqlite:///{out.parent / 'runs.sqlite'}", *extra]  # fmt: skip
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def year_end(tmp_path_factory):
    """The sample's run on its 31 March 2026 return: 2025-26 closed, three years ahead."""
    return _spend(tmp_path_factory.mktemp("year_end") / "out")


@pytest.fixture(scope="module")
def in_year(tmp_path_factory):
    """The sample's run from 30 September 2025: 2025-26's outturn, six months to date,
    against a budget for it (the sample's budget file has none)."""
    folder = tmp_path_factory.mktemp("in_year")
    budget = folder / "budget.csv"
    budget.write_text("financial_year,cost_line,budget_gbp\n2025-26,all,69000000\n")
    return _spend(folder / "out", "--start", "2025-09-30", "--horizon-months", "24",
                  budget=budget)  # fmt: skip


def _sums(ws, formula: str) -> tuple[int, int]:
    """The first and last row a column SUM covers."""
    m = re.fullmatch(r"=SUM\([A-Z]+(\d+):[A-Z]+(\d+)\)", formula)
    assert m, formula
    return int(m[1]), int(m[2])


def _cell_sum(ws, cols: range, first: int, last: int) -> float:
    """The sum of the cells (figures, not formulas) in ``cols`` over the rows."""
    return sum(float(ws.cell(row=r, column=c).value or 0)
               for r in range(first, last + 1) for c in cols)  # fmt: skip


def test_monthly_totals_are_one_financial_year_each(year_end):
    """No total on the Monthly sheet adds two financial years; each year's total says what
    it adds and equals spend_years.csv's (forecast) or spend_to_date.csv's (history)."""
    ws = load_workbook(year_end / "spend.xlsx")["Monthly"]
    head = [c.value for c in ws[1]]
    total_col = head.index("Total (mean)") + 1
    first_line = head.index("Kinship foster care") + 1
    labels = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    assert "Total" not in labels
    months = {r: str(v)[:7] for r, v in enumerate(labels, start=1)
              if isinstance(v, str) and re.match(r"\d{4}-\d\d( history)?$", v)}  # fmt: skip
    totals = {r: TOTAL.match(v) for r, v in enumerate(labels, start=1)
              if isinstance(v, str) and TOTAL.match(v)}  # fmt: skip
    assert [m[1] for m in totals.values()] == ["2025-26", "2026-27", "2027-28", "2028-29"]
    assert labels[min(totals) - 1] == "2025-26 total\nfrom history"
    assert labels[min(totals)] == "2026-27 total\nforecast"
    years = pd.read_csv(year_end / "spend_years.csv").set_index(["financial_year", "cost_line"])
    past = pd.read_csv(year_end / "spend_to_date.csv")
    for r, m in totals.items():
        year = m[1]
        first, last = _sums(ws, ws.cell(row=r, column=first_line).value)
        covered = {financial_year(pd.Timestamp(months[k]), 4) for k in range(first, last + 1)}
        assert covered == {year}, (year, first, last)
        assert last - first + 1 == 12
        mean = _cell_sum(ws, range(first_line, total_col), first, last)
        if year == "2025-26":
            want = past.loc[past["cost_line"] == "all", "spend_gbp"].sum()
            assert ws.cell(row=r, column=total_col + 1).value is None  # no range: history
        else:
            want = years.loc[(year, "all"), "mean"]
            for k, q in enumerate(("p10", "p50", "p90"), start=1):
                got = ws.cell(row=r, column=total_col + k).value
                assert got == pytest.approx(years.loc[(year, "all"), q], abs=0.02), (year, q)
        assert mean == pytest.approx(want, abs=0.05), year
        p = [ws.cell(row=r, column=total_col + k).value for k in (1, 2, 3)]
        assert None in p or p[0] <= p[1] <= p[2], (year, p)


def test_quarterly_totals_are_by_year_and_the_years_total_says_what_it_adds(year_end):
    """The Quarterly sheet's totals are by year (its 12 quarters were added into one); the
    Financial years sheet's one total names the months it adds and says it is no year's."""
    book = load_workbook(year_end / "spend.xlsx")
    ws = book["Quarterly"]
    labels = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    assert "Total" not in labels
    quarters = {r: v for r, v in enumerate(labels, start=1) if isinstance(v, str) and " Q" in v}
    for r, v in enumerate(labels, start=1):
        if isinstance(v, str) and (m := TOTAL.match(v)):
            first, last = _sums(ws, ws.cell(row=r, column=3).value)
            assert {quarters[k][:7] for k in range(first, last + 1)} == {m[1]}
            assert last - first + 1 == 4
    ws = book["Financial years"]
    labels = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    assert "Total 2026-04\nto 2029-03\n(36 months)" in labels
    said = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "it is no one year's spend" in said


def test_an_outturn_year_total_adds_history_and_forecast_as_the_budget_sheet(in_year):
    """Run from 30 September 2025: 2025-26's total on the Monthly sheet is its outturn,
    six months from the history and six forecast, equal to budget_comparison.csv's
    (mean and P10/P50/P90); the last year, six months (to September 2027), is said to be
    part of a year."""
    ws = load_workbook(in_year / "spend.xlsx")["Monthly"]
    head = [c.value for c in ws[1]]
    total_col = head.index("Total (mean)") + 1
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    r = rows["2025-26 outturn\nhistory + forecast"]
    assert "2027-28 part year\n6 months forecast" in rows
    comp = pd.read_csv(in_year / "budget_comparison.csv").set_index(["financial_year", "cost_line"])
    want = comp.loc[("2025-26", "all")]
    first, last = _sums(ws, ws.cell(row=r, column=2).value)
    assert _cell_sum(ws, range(2, total_col), first, last) == pytest.approx(want["mean"], abs=0.05)
    for k, q in enumerate(("p10", "p50", "p90"), start=1):
        got = ws.cell(row=r, column=total_col + k).value
        assert got == pytest.approx(want[q], abs=1.0), q


def test_monthly_prints_two_pages_across_in_reading_order(year_end):
    """Month on every page, two pages across at full size (four at 15 characters a
    column), printed across then down so a month's two halves are pages 1 and 2."""
    ws = load_workbook(year_end / "spend.xlsx")["Monthly"]
    assert KEYS["Monthly"] == 1 and ws.print_title_cols == "$A:$A"
    assert len(page_ends(sheet_widths(ws), 1)) == 2
    assert ws.page_setup.pageOrder == "overThenDown"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_monthly_prints_on_six_pages_at_full_size(year_end, tmp_path):
    """Rendered by LibreOffice, the Monthly sheet of 48 months prints on six pages at full
    size (ten before), none of its columns cut from the month."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import rendering

    sheets = {s.title: s for s in rendering.sheet_pages([year_end / "spend.xlsx"], tmp_path)[
        year_end / "spend.xlsx"]}  # fmt: skip
    monthly = sheets["Monthly"]
    assert monthly.pages <= 6, monthly
    assert monthly.scale is not None and monthly.scale >= 0.97
    assert not monthly.columns_cut
    assert sheets["Quarterly"].pages <= 3 and sheets["Financial years"].pages <= 3
    assert sheets["Cumulative"].pages <= 3  # its chart was cut onto a fourth page


def test_a_month_the_forecast_starts_inside_is_labelled_whole(tmp_path):
    """From 15 September 2025, the row of September's first half from the history,
    '2025-09 history to 15th', printed as '2025-09 history t' in its column (14 wide): a
    half month's spend read as September's. The label wraps in a row tall enough."""
    out = _spend(tmp_path / "out", "--start", "2025-09-15", "--horizon-months", "7")
    ws = load_workbook(out / "spend.xlsx")["Monthly"]
    row = next(r for r in range(2, ws.max_row + 1)
               if ws.cell(row=r, column=1).value == "2025-09 history to 15th")  # fmt: skip
    assert ws.cell(row=row, column=1).alignment.wrap_text
    assert ws.row_dimensions[row].height >= 30
    assert not ws.cell(row=row - 1, column=1).alignment.wrap_text  # '2025-08 history' fits


def test_every_chart_is_within_its_first_printed_page(year_end):
    """A sheet prints its chart on its first page's columns (all its columns when it is
    one page across, a chart wider than them adding a page across): the Cumulative
    sheet's chart, 24 cm wide over columns 18.8 cm wide, was cut, its right edge printed
    on a page of its own. Columns in Calibri 11: 7w + 5 pixels."""
    from sufficiency.finance.sheet_style import KEYS
    from sufficiency.io.xlsx import page_ends, sheet_widths

    checked = 0
    for ws in load_workbook(year_end / "spend.xlsx").worksheets:
        widths = sheet_widths(ws)
        ends = page_ends(widths, KEYS.get(ws.title, 1))  # one page across: all its columns
        first = sum(7 * w + 5 for w in widths[: ends[0]]) / 96 * 2.54
        for chart in ws._charts:  # as written: the anchor's extent (EMU, 360,000 a cm)
            wide = chart.anchor.ext.width / 360_000
            assert wide <= first + 0.01, (ws.title, wide, first)
            checked += 1
    assert checked >= 2  # Monthly and Cumulative
