"""End to end on a synthetic forecast: comparison, sensitivity, byte-identical outputs."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from sufficiency.commissioning.levers import parse_levers
from sufficiency.commissioning.report import commission, planning_sentence, recommendation
from sufficiency.commissioning.writers import write_outputs
from sufficiency.config import CommissioningParams
from sufficiency.io.xlsx import CHANCE

from .conftest import make_forecast, tiny_levers_data


@pytest.fixture(scope="module")
def report():
    """A two-year commissioning run on small synthetic forecasts (seeds 1 and 2)."""
    params = CommissioningParams(horizon_months=24, mip_gap=0.0, sensitivity_steps=(-0.1, 0.1))
    return commission(
        make_forecast(30, 24, 1), make_forecast(30, 24, 2), parse_levers(tiny_levers_data()), params
    )


def test_comparison_has_three_plans(report):
    """Stochastic, central-forecast and status-quo plans are scored on the fresh paths."""
    table = report.comparison.table()
    assert list(table["plan"]) == ["stochastic", "central forecast", "status quo"]
    assert report.comparison.status_quo.commitments_gbp == 0
    assert report.comparison.num_paths == 30 and report.comparison.eval_seed == 2


def test_sensitivity_has_every_case(report):
    """Each factor is moved by each step."""
    assert len(report.sensitivity) == 3 * 2
    assert set(report.sensitivity["factor"]) == {"demand", "spot prices", "recruitment success"}


def test_outputs_are_byte_identical(report, tmp_path):
    """The same report writes the same bytes, and the workbook has every sheet."""
    a = write_outputs(report, tmp_path / "a")
    b = write_outputs(report, tmp_path / "b")
    for x, y in zip(a, b, strict=True):
        assert x.name == y.name and x.read_bytes() == y.read_bytes()
    names = load_workbook(tmp_path / "a" / "commissioning.xlsx").sheetnames
    assert names == ["Recommendation", "Reasons", "Plan by year", "Sensitivity",
                     "Forecast behind it", "Assumptions", "Method"]  # fmt: skip
    html = (tmp_path / "a" / "commissioning.html").read_text()
    assert "<svg" in html and "src=" not in html and "<link" not in html
    header = (tmp_path / "a" / "plan.csv").read_text().splitlines()[0]
    assert header == "lever,year,starts,commitment,cost_gbp"


def test_workbook_says_what_the_page_says_to_do(report, tmp_path):
    """The workbook's Recommendation sheet lists what to do as the page does (a recruit's
    approval and a home's first beds dated: 'Open an in-house children's home: 2 homes from
    April 2026 (first beds from October 2027)'), and its Reasons say what planning for
    uncertainty is worth with its margin. Before, the sheet showed only the year table (a
    home counted in year 1, its beds 18 months later with no word) and the plan made on the
    central forecast with no word of whether the difference was more than chance."""
    write_outputs(report, tmp_path)
    wb = load_workbook(tmp_path / "commissioning.xlsx")

    def said(sheet: str) -> list[str]:
        return [str(c.value) for row in wb[sheet].iter_rows() for c in row if c.value]

    first = said("Recommendation")
    assert "What to do" in first
    for line in recommendation(report)[:-2]:
        assert line in first
    reasons = " ".join(said("Reasons"))
    assert planning_sentence(report.comparison) in reasons


def test_the_page_reads_an_in_year_extract_and_a_missing_year_with_care(report, tmp_path):
    """An in-year extract and a missing year are said under "Read with care" by the
    headline (before, the commissioning page never said either: only the workbook's Data
    quality sheet did)."""
    from dataclasses import replace

    from messy903 import everything

    from sufficiency.commissioning.html import render_html
    from sufficiency.io.ssda903 import read_history

    quality = read_history(everything(tmp_path / "messy").path).quality
    assert quality is not None and quality.missing_years and quality.in_year_extract
    text = " ".join(re.sub(r"<[^>]+>", " ", render_html(replace(report, quality=quality))).split())
    care = text.index("Read with care")
    extract = text.index(
        "The 2025-26 return is an in-year extract, with data only to 31 December 2025"
    )
    missing = text.index("No return for 20")
    assert text.index("Recommended:") < care < extract < missing < text.index("Recommendation")
    assert "Read with care" not in render_html(report)


def test_the_chance_the_plan_is_cheaper_is_shown_as_the_page_says_it(report, tmp_path):
    """The Recommendation sheet's chance that the plan is cheaper than the status quo is
    in the workbook's chance format (a tenth of a point below 1% and above 99%, as
    figures.chance says it), not '0%', which showed 99.6% as '100%'."""
    write_outputs(report, tmp_path)
    ws = load_workbook(tmp_path / "commissioning.xlsx")["Recommendation"]
    # the headline's fourth figure, beside its label (the plan, status quo, saving, chance)
    cell = ws.cell(row=6, column=2)
    assert cell.value == pytest.approx(report.comparison.chance_cheaper, abs=1e-4)
    assert cell.number_format == CHANCE


def test_tables_of_figures_print_at_full_size_or_near_it(report, tmp_path):
    """Printed one page wide, Plan by year (138 characters across) and Sensitivity (170)
    shrank to 61-75% and Forecast behind it (220) to 47%. The first two now fit one page at
    85% or more; the forecast prints at full size on pages across, its month end on each,
    its note wrapped on the first page, not one line past the table."""
    from openpyxl.utils import get_column_letter
    from print_checks import assert_prints_readably

    from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS, MIN_PRINT_SCALE, page_ends, sheet_widths

    write_outputs(report, tmp_path)
    wb = load_workbook(tmp_path / "commissioning.xlsx")
    for title in ("Plan by year", "Sensitivity"):
        ws = wb[title]
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert sum(sheet_widths(ws)) <= A4_LANDSCAPE_CHARS / MIN_PRINT_SCALE, title
    ws = wb["Forecast behind it"]
    widths = sheet_widths(ws)
    assert sum(widths) > A4_LANDSCAPE_CHARS / MIN_PRINT_SCALE
    assert_prints_readably(ws, 1)
    assert not ws.sheet_properties.pageSetUpPr.fitToPage  # across, at full size
    ends = page_ends(widths, 1)
    note = next(str(r) for r in ws.merged_cells.ranges if r.min_row == 1)
    assert note == f"B1:{get_column_letter(ends[0])}1" and ws["B1"].value.startswith("Children")


def test_assumptions_and_reasons_print_at_full_size_each_row_whole(report, tmp_path):
    """Four columns of 46 characters, the sources unwrapped, printed the Assumptions at
    46%, and the Reasons (180 characters across) at 58%. Both fit an A4 landscape page
    at 85% or more; every Assumptions row is as tall as its longest wrapped cell (sized
    for its lever alone, a row overprinted the wrapped source of the row below)."""
    from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS, MIN_PRINT_SCALE, sheet_widths, wrapped_lines

    write_outputs(report, tmp_path)
    wb = load_workbook(tmp_path / "commissioning.xlsx")
    for title in ("Assumptions", "Reasons"):
        assert sum(sheet_widths(wb[title])) <= A4_LANDSCAPE_CHARS / MIN_PRINT_SCALE, title
    ws = wb["Assumptions"]
    widths = sheet_widths(ws)
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Lever")
    for row in ws.iter_rows(min_row=head + 1):
        lines = max(wrapped_lines(str(c.value or ""), w) for c, w in zip(row, widths, strict=False))
        assert ws.row_dimensions[row[0].row].height >= 15 * lines, row[0].row
        assert all(c.alignment.wrap_text for c in row if c.value is not None), row[0].row
