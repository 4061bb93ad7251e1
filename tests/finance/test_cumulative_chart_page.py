"""The Cumulative sheet's chart prints whole on its own page, under the header row printed
on every page: it was 15 cm, a page's height, under a 48-point (1.7 cm) header row, and
LibreOffice printed its legend's last rows on a page of their own."""

from __future__ import annotations

import re
import zipfile

import openpyxl

from sufficiency.finance.sheet_style import PAGE_CM

TITLE = "Cumulative spend within each financial year against cumulative budget"
EMU_PER_CM = 360_000


def _chart_cm(xlsx, title):
    """The (width, height) in cm a workbook's drawing gives the chart titled ``title``."""
    with zipfile.ZipFile(xlsx) as z:
        for name in z.namelist():
            if not re.fullmatch(r"xl/drawings/drawing\d+\.xml", name):
                continue
            rels = z.read(name.replace("drawings/", "drawings/_rels/") + ".rels").decode()
            chart = re.search(r'Target="(?:\.\./charts/|/xl/charts/)(chart\d+\.xml)"', rels)
            if chart and title in z.read(f"xl/charts/{chart[1]}").decode():
                ext = re.search(r'<(?:xdr:)?ext cx="(\d+)" cy="(\d+)"', z.read(name).decode())
                return int(ext[1]) / EMU_PER_CM, int(ext[2]) / EMU_PER_CM
    raise AssertionError(f"no chart titled {title!r}")


def test_the_cumulative_chart_and_the_header_row_fit_a_page(workbook):
    out, _ = workbook
    ws = openpyxl.load_workbook(out / "spend.xlsx")["Cumulative"]
    header_cm = ws.row_dimensions[1].height / 72 * 2.54
    assert header_cm > 1  # the header row wraps to three lines: the case this is about
    width, height = _chart_cm(out / "spend.xlsx", TITLE)
    assert height + header_cm <= PAGE_CM[1] + 1e-6, (width, height, header_cm)
    assert width / height == 24 / 15  # its shape kept
