"""How spend.xlsx reads and prints for a finance user: headers, signs, scenario, charts, pages."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from openpyxl import load_workbook

from sufficiency.finance.workbook import LINE_LABELS, SIGN_CONVENTION
from sufficiency.io.xlsx_style import VARIANCE

#: Sheets with a header row in row 1 over a table (the Summary's headers are in rows 4 and 19).
TABLE_SHEETS = ("Monthly", "Cumulative", "Quarterly", "Financial years", "Scenario comparison",
                "Budget")  # fmt: skip


@pytest.fixture(scope="module")
def book(workbook):
    out, _ = workbook
    return load_workbook(out / "spend.xlsx")


def _header_rows(wb):
    """(sheet, header row) of every table in the workbook."""
    rows = [(wb[name], 1) for name in TABLE_SHEETS]
    summary = wb["Summary"]
    rows += [(summary, r) for r in range(1, summary.max_row + 1)
             if summary.cell(row=r, column=1).value == "Financial year"]  # fmt: skip
    return rows


def _numeric(value):
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float) or (isinstance(value, str) and value.startswith("="))


def test_headers_over_numeric_columns_are_right_aligned(book):
    """A header over a column of figures is right-aligned, like the figures; text columns not."""
    checked = 0
    for ws, row in _header_rows(book):
        for col in range(1, ws.max_column + 1):
            head = ws.cell(row=row, column=col)
            if head.value is None:
                continue
            below = ws.cell(row=row + 1, column=col).value
            if _numeric(below):
                assert head.alignment.horizontal == "right", (ws.title, head.coordinate)
                checked += 1
            elif isinstance(below, str):
                assert head.alignment.horizontal in (None, "general", "left"), (
                    ws.title, head.coordinate)  # fmt: skip
    assert checked > 50


def test_wrapped_header_rows_are_tall_enough(book):
    """A header row that wraps has a height for its lines, so it does not cover row 2."""
    for ws, row in _header_rows(book):
        height = ws.row_dimensions[row].height
        assert height is not None and height >= 30, (ws.title, row)


def test_user_facing_headers_are_plain_words(book):
    """No header has an underscore, and cost lines are named in plain words."""
    for ws, row in _header_rows(book):
        for cell in ws[row]:
            assert "_" not in str(cell.value or ""), (ws.title, cell.coordinate, cell.value)
    assert [c.value for c in book["Budget"][1]][:4] == [
        "Financial year", "Cost line", "Months forecast", "Budget (£)"]  # fmt: skip
    lines = {c.value for c in book["Budget"]["B"][1:] if c.value}
    assert "IFA foster care" in lines and "All placements" in lines
    assert not any("_" in v for v in lines)
    monthly_heads = [c.value for c in book["Monthly"][1]]
    assert LINE_LABELS["external_residential"] in monthly_heads
    assert LINE_LABELS["external_residential"] == "External children's homes"


def test_machine_csvs_keep_internal_names(workbook):
    """The CSVs still name cost lines and columns as before (machine-facing)."""
    out, _ = workbook
    head = (out / "budget_comparison.csv").read_text().splitlines()
    assert head[0].startswith("financial_year,cost_line,months,budget_gbp")
    assert any(",ifa_foster," in line for line in head)


def test_scenario_summary_shows_base_scenario_and_difference(book, workbook):
    """With a scenario, the Summary labels the base case and shows scenario and difference."""
    _, report = workbook
    ws = book["Summary"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Base case") for t in texts)
    assert any(t.startswith("Scenario:") for t in texts)
    head = next(r for r in range(6, ws.max_row + 1)
                if ws.cell(row=r, column=1).value == "Financial year")  # fmt: skip
    labels = [ws.cell(row=head, column=c).value for c in range(1, 9)]
    assert labels[2:5] == ["Base case (mean)", "Scenario (mean)", "Difference (scenario - base)"]
    comp = report.comparison[report.comparison["cost_line"] == "all"].set_index("financial_year")
    row = head + 1
    fy = ws.cell(row=row, column=1).value
    assert ws.cell(row=row, column=3).value == pytest.approx(comp.loc[fy, "base_mean"], abs=0.01)
    assert ws.cell(row=row, column=4).value == pytest.approx(comp.loc[fy, "scenario_mean"],
                                                             abs=0.01)  # fmt: skip
    assert ws.cell(row=row, column=5).value == f"=D{row}-C{row}"


def _summary_sheet(proj, tmp_path):  # type: ignore[no-untyped-def]
    """The Summary sheet of a spend workbook for ``proj`` with no budget or scenario."""
    import datetime as dt

    from sufficiency.finance.summaries import monthly_table, period_table, reconciliation
    from sufficiency.finance.workbook import SpendReport, write_workbook

    report = SpendReport(proj, None, monthly_table(proj), period_table(proj, "quarter"),
                         period_table(proj, "financial_year"), None, None,
                         reconciliation(proj), [("Item", "value")])  # fmt: skip
    path = write_workbook(
        report, tmp_path / "s.xlsx", {"run_date": dt.date(2026, 4, 1).isoformat()}
    )
    return load_workbook(path)["Summary"]


def test_no_scenario_summary_has_no_scenario_block(tmp_path):
    """Without a scenario the Summary says base case and has no scenario table."""
    import numpy as np
    import pandas as pd

    from sufficiency.finance.projection import UnitCosts, project_spend

    months = pd.DatetimeIndex(["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"])
    costs = UnitCosts({"in_house_foster": 600.0, "ifa_foster": 900.0}, {})
    proj = project_spend(np.ones((2, 4, 2), dtype=np.int32), months,
                         ("in_house_foster", "ifa_foster"), costs, inflation_rate=0.0)  # fmt: skip
    ws = _summary_sheet(proj, tmp_path)
    assert ws["A3"].value == "Base case"
    assert not any(str(c.value).startswith("Scenario") for row in ws.iter_rows() for c in row)


def test_the_summary_heading_writes_its_dates_one_way(tmp_path):
    """The heading read 'Data to 31 March 2026; run 2026-04-01': two forms of date in one
    line for people. Both are now written as a person reads them (the CSVs keep ISO)."""
    import numpy as np
    import pandas as pd

    from sufficiency.finance.projection import UnitCosts, project_spend

    months = pd.DatetimeIndex(["2026-03-31", "2026-04-30", "2026-05-31"])
    costs = UnitCosts({"in_house_foster": 600.0}, {})
    proj = project_spend(np.ones((2, 3, 1), dtype=np.int32), months, ("in_house_foster",),
                         costs, inflation_rate=0.0)  # fmt: skip
    heading = str(_summary_sheet(proj, tmp_path)["A2"].value)
    assert heading.startswith("Data to 31 March 2026; run 1 April 2026; "), heading
    assert "2026-04-01" not in heading


def test_underspend_is_not_red_and_sign_convention_is_stated(book):
    """Variance cells: red only in the positive (overspend) section; the convention is stated."""
    positive, negative = VARIANCE.split(";")[:2]
    assert "[Red]" in positive and "[Red]" not in negative and "-" in negative
    budget = book["Budget"]
    col = next(c.column_letter for c in budget[1] if str(c.value).startswith("Variance"))
    variance_cells = [book["Summary"]["G5"], book["Summary"]["G6"], *budget[col][1:]]
    assert sum(c.value is not None for c in variance_cells) >= 3
    for cell in variance_cells:
        if cell.value is None:
            continue
        sections = cell.number_format.split(";")
        assert "[Red]" in sections[0] and len(sections) > 1, cell.coordinate
        assert "[Red]" not in sections[1], cell.coordinate
    for name in book.sheetnames:  # nothing else colours a negative red
        for row in book[name].iter_rows():
            for cell in row:
                parts = cell.number_format.split(";")
                assert len(parts) < 2 or "[Red]" not in parts[1], (name, cell.coordinate)
    for name in ("Summary", "Budget"):
        texts = [c.value for row in book[name].iter_rows() for c in row]
        assert SIGN_CONVENTION in texts, name
    assert "overspend (adverse" in SIGN_CONVENTION and "underspend (favourable" in SIGN_CONVENTION


def test_cumulative_chart_is_unsmoothed_and_never_drops_within_a_year(book):
    """One series per year and budget; none smoothed; plotted values rise month on month."""
    ws = book["Cumulative"]
    (chart,) = ws._charts
    assert len(chart.series) >= 2
    for series in chart.series:
        assert series.smooth is False
    for col in range(2, ws.max_column + 1):
        values = [ws.cell(row=r, column=col).value for r in range(2, 14)]
        values = [v for v in values if v is not None]
        assert values, col
        assert all(b >= a for a, b in itertools.pairwise(values)), col
    title = "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))
    assert "each financial year" in title


def test_every_chart_has_visible_titled_axes(book):
    """openpyxl deletes axes unless told; every chart keeps both, with titles."""
    charts = [c for ws in book.worksheets for c in ws._charts]
    assert len(charts) == 2
    for chart in charts:
        assert chart.x_axis.delete is False and chart.y_axis.delete is False
        assert chart.title is not None
        assert chart.x_axis.title is not None and chart.y_axis.title is not None


def test_charts_start_after_a_page_break(book):
    """Each chart is anchored on the row after a manual page break, so none is split."""
    for ws in book.worksheets:
        breaks = {b.id for b in ws.row_breaks.brk}
        for chart in ws._charts:
            row = chart.anchor._from.row  # zero-based: the row after break id
            assert row in breaks, ws.title


def test_every_sheet_prints_a4_landscape_fit_to_width_with_titles(book):
    """Landscape, A4, one page wide at 85% or more or at full size on pages across with
    its key columns on each (one page wide, Monthly printed at 38%, Budget at 48%, the
    Summary at 59%), any height, header rows repeated on every sheet."""
    from print_checks import assert_prints_readably

    from sufficiency.finance.sheet_style import KEYS

    for ws in book.worksheets:
        assert_prints_readably(ws, KEYS.get(ws.title, 1))
        assert ws.print_title_rows, ws.title
    assert book["Summary"].sheet_properties.pageSetUpPr.fitToPage  # one page wide
    assert book["Summary"].print_title_rows == "$1:$2"  # title and data line
    for name in TABLE_SHEETS:
        assert book[name].print_title_rows == "$1:$1", name  # the header row


def test_starting_point_labels_wrap_instead_of_being_cut(tmp_path):
    """The run-rate's label says what it is built from; when that is longer than the label
    column it wraps in a row tall enough, rather than being cut at the figure beside it."""
    import math

    import numpy as np
    import pandas as pd

    from sufficiency.finance.projection import UnitCosts, project_spend
    from sufficiency.io.xlsx_text import available_points, text_points

    months = pd.DatetimeIndex(["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"])
    costs = UnitCosts({"in_house_foster": 600.0, "ifa_foster": 900.0}, {},
                      {"ifa_foster": (1, 900.0)})  # fmt: skip
    proj = project_spend(np.full((2, 4, 2), 40, dtype=np.int32), months,
                         ("in_house_foster", "ifa_foster"), costs, inflation_rate=0.0,
                         actual_weekly_gbp=900.0)  # fmt: skip
    ws = _summary_sheet(proj, tmp_path)
    label = ws["A10"]
    # the month in words: "Run-rate for 2026-02-28" read as a day's run-rate
    assert label.value.startswith("Run-rate for February 2026 (the council's actual weekly")
    assert len(label.value) > ws.column_dimensions["A"].width + ws.column_dimensions["B"].width
    assert label.alignment.wrap_text
    # as many lines as Calibri (Carlito) prints it in: wrapped at word breaks
    # at least as many lines as its width in points over the column's
    room = available_points(ws.column_dimensions["A"].width)
    lines = math.ceil(text_points(label.value) / room)
    assert lines > 1 and ws.row_dimensions[10].height >= 15 * lines


def test_scenario_csvs_name_their_scenario(workbook):
    """spend_scenario.csv and scenario_comparison.csv say which scenario they price (they
    did not: a finance user holding the file could not tell), as the forecast's do."""
    out, _ = workbook
    for name in ("spend_scenario.csv", "scenario_comparison.csv"):
        df = pd.read_csv(out / name)
        assert set(df["scenario"]) == {"Fewer in care"}, name
    base = pd.read_csv(out / "spend.csv")
    assert "scenario" not in base.columns


def test_tables_whose_shown_pounds_do_not_add_say_they_are_rounded(book):
    """The monthly, quarterly and yearly tables show pounds and total the unrounded figures
    (live SUMs): on the sample 26 of 36 months' cost lines shown did not add to the Total
    (mean) shown, by up to £2, under 'Means add up across rows and columns' and no word of
    rounding. Each table now says its figures are rounded and its totals add the unrounded."""
    from openpyxl.utils import get_column_letter

    from sufficiency.finance.sheet_style import KEYS
    from sufficiency.finance.summaries import MEANS_NOTE

    assert "shown to the nearest pound" in MEANS_NOTE
    for name in ("Monthly", "Quarterly", "Financial years"):
        ws = book[name]
        head = [c.value for c in ws[1]]
        total = head.index("Total (mean)")
        months = [r for r in ws.iter_rows(min_row=2, values_only=True)
                  if isinstance(r[2], float) and not isinstance(r[total], str)]  # fmt: skip
        assert not months  # the totals are formulas, worked out from the unrounded figures
        assert ws.cell(row=2, column=total + 1).value.startswith("=SUM(")
        assert ws["C2"].number_format.startswith('"£"#,##0')  # shown to the pound
        first = get_column_letter(KEYS[name] + 1)  # the first column not repeated on each page
        texts = [c.value for c in ws[first] if isinstance(c.value, str)]  # on page 1, not cut
        assert any(t.startswith(MEANS_NOTE) for t in texts), name


def test_quarters_and_years_print_across_with_the_note_whole(book):
    """The Quarterly and Financial years sheets (sixteen columns, 239 characters across)
    printed one page wide at 43%: they print at full size on pages across, the period and
    its months on each (test_every_sheet_prints_a4_landscape_fit_to_width_with_titles),
    the note under the table a paragraph wrapped from column C on the first page, not one
    line running far past the table."""
    from openpyxl.utils import get_column_letter

    from sufficiency.finance.summaries import MEANS_NOTE
    from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS, page_ends, sheet_widths

    for title in ("Quarterly", "Financial years"):
        ws = book[title]
        widths = sheet_widths(ws)
        assert sum(widths) > A4_LANDSCAPE_CHARS, title  # why it is printed across
        ends = page_ends(widths, 2)
        assert [b.id for b in ws.col_breaks.brk] == ends[:-1], title
        note = next(c for row in ws.iter_rows() for c in row if str(c.value).startswith(MEANS_NOTE))
        assert note.column == 3 and note.alignment.wrap_text, title
        merged = f"C{note.row}:{get_column_letter(ends[0])}{note.row}"
        assert merged in {str(r) for r in ws.merged_cells.ranges}, title


def test_budget_and_scenario_comparison_print_on_few_pages_with_every_figure_whole(book):
    """Columns of whole pounds 16 (and 20) characters wide for figures of 11: the Scenario
    comparison (125 across) printed on two pages across, the scenario's name alone on the
    second, and Budget (218) on four, the last holding two columns of figures. The
    comparison prints one page wide at 85% or more, its names one indent clear of the
    difference before them (it printed "£6,290Step-downs"), Budget on three pages across,
    and every figure still fits its column."""
    from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS, MIN_PRINT_SCALE, page_ends, sheet_widths

    comparison, budget = book["Scenario comparison"], book["Budget"]
    assert sum(sheet_widths(comparison)) <= A4_LANDSCAPE_CHARS / MIN_PRINT_SCALE
    assert not comparison.col_breaks.brk
    names = [row[5] for row in comparison.iter_rows(min_row=2) if row[5].value]
    assert names and all(c.alignment.indent >= 1 for c in names)  # clear of the figure before
    assert len(page_ends(sheet_widths(budget), 2)) <= 3
    for ws in (comparison, budget):
        widths = sheet_widths(ws)
        for row in ws.iter_rows(min_row=2):
            for cell, width in zip(row, widths, strict=False):
                if isinstance(cell.value, int | float) and "£" in cell.number_format:
                    shown = f"-£{abs(cell.value):,.0f}" if cell.value < 0 else f"£{cell.value:,.0f}"
                    assert len(shown) + 2 <= width, (ws.title, cell.coordinate, shown, width)
