"""Rendering as a check (issue 16): every human-facing output of ``make demo`` rendered as a
person would see it (LibreOffice for workbooks, Chromium for HTML reports), and the PDFs
checked: each converts, page 1 carries the headline, no table column is cut, every sheet
prints at 85% or more, charts declare visible axes, HTML reports pass axe-core.

A check a report is known to fail goes in ``KNOWN`` with its reason (none today).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rendering
from render_jobs import ROOT, demo_jobs, require

#: Page 1 of each report must carry every one of these phrases (case and spacing ignored).
HEADLINES = {
    "match/match_report.xlsx": ("children placed",),
    "match/match_report.html": ("Tonight's matches", "children placed"),
    # The forecast workbook opens on its summary table, with no title row (yet).
    "forecast/forecast.xlsx": ("Month", "Mean", "Median", "(P10)", "(P90)"),
    "forecast/forecast.html": ("Forecast of children looked after", "middle forecast (P50) for"),
    "spend/spend.xlsx": ("Placement spend projection", "Base case", "Budget"),
    "commission/commissioning.xlsx": ("Recommendation",),
    "commission/commissioning.html": ("Recommendation", "Expected saving"),
}
#: Checks a report is known to fail, by check (none: every report passes every check).
KNOWN: dict[str, dict[str, pytest.MarkDecorator]] = {}


def _cases(check: str, suffix: str = "") -> list:
    """Every report of the table ending in ``suffix``, each marked if known to fail ``check``."""
    known = KNOWN.get(check, {})
    return [
        pytest.param(name, marks=[known[name]] if name in known else [], id=name)
        for name in HEADLINES
        if name.endswith(suffix)
    ]


def _get(rendered: dict[str, rendering.Rendered], name: str) -> rendering.Rendered:
    assert name in rendered, f"{name} was not written by the demo jobs"
    return rendered[name]


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- what is rendered ------------------------------------------------------------------------


def test_fixture_runs_every_job_of_make_demo():
    """The fixture's jobs are ``make demo``'s, so every output the demo writes is checked."""
    makefile = (ROOT / "Makefile").read_text()
    demo = re.search(r"^demo:.*?\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert demo is not None
    folders = set(re.findall(r"--out \$\(OUT\)/(\w+)", demo.group(1)))
    assert folders == set(demo_jobs(Path("out")))
    # the forecast's backtest too: its Backtest sheet printed over nine pages, unchecked
    cutoffs = re.findall(r"--backtest-cutoff (\S+)", demo.group(1))
    forecast = demo_jobs(Path("out"))["forecast"]
    assert cutoffs == [forecast[forecast.index("--backtest-cutoff") + 1]]


def test_render_script_refuses_a_folder_without_outputs(tmp_path, capsys):
    """``scripts/render.py`` (``make render``) exits 1 with a reason when there is nothing
    to render, rather than printing nothing."""
    import render

    assert render.main([str(tmp_path / "absent")]) == 1
    assert "make demo" in capsys.readouterr().err
    require()
    (tmp_path / "match").mkdir()
    (tmp_path / "match" / "matches.csv").write_text("a,b\n")
    assert render.main([str(tmp_path)]) == 1
    assert "no workbook or HTML report" in capsys.readouterr().err


def test_every_output_is_rendered_and_has_a_headline(rendered):
    """Each workbook and HTML report is rendered, a PNG per PDF page, and has a row in the
    headline table (a new report must say what its page 1 carries)."""
    assert {"forecast/forecast.xlsx", "spend/spend.xlsx", "forecast/forecast.html"} <= set(rendered)
    for name, item in rendered.items():
        assert name in HEADLINES, f"{name}: add its page-1 headline to HEADLINES"
        assert item.pdf.name == f"{Path(name).name}.pdf"
        assert item.pages == rendering.page_count(item.pdf) >= 1, name
        assert all(p.stat().st_size > 1000 for p in item.pngs), name
        for path in (item.pdf, *item.pngs, item.pdf.parent):
            assert path.stat().st_mode & 0o077 == 0, f"{path.name} is readable by others"


# --- workbooks --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", _cases("converts"))
def test_report_converts_to_pdf(rendered, name):
    """LibreOffice opens each workbook (no repair) and prints it, Chromium prints each HTML
    report: a complete PDF of one page or more."""
    pdf = _get(rendered, name).pdf
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert rendering.page_count(pdf) >= 1


@pytest.mark.parametrize("name", _cases("axes", ".xlsx"))
def test_workbook_charts_declare_visible_axes(rendered, name):
    """Every chart axis says ``<c:delete val="0"/>`` (Excel may hide an axis without it)."""
    assert rendering.hidden_chart_axes(_get(rendered, name).source) == []


@pytest.mark.parametrize("name", _cases("columns", ".xlsx"))
def test_no_table_column_is_cut(sheets, name):
    """No sheet prints its columns across pages: printed alone, each sheet takes no more
    pages than when forced one page wide."""
    assert name in sheets, f"{name} was not written by the demo jobs"
    cut = [f"{s.title} ({s.pages} pages, {s.pages_one_wide} one page wide)"
           for s in sheets[name] if s.columns_cut]  # fmt: skip
    assert cut == [], f"{name}: columns cut on {'; '.join(cut)}"


#: The smallest a sheet may print at: below it, 9-point text and smaller, a reader squints.
LEAST_SCALE = 0.85
#: Sheets known to print below it, with why. A sheet here that prints at 85% or more
#: fails the test, so the list only shrinks. None: commissioning's Recommendation (48%)
#: and the match report's Summary (57%), each held to one page, now print at 85% or more
#: on pages of their own (test_match_report_summary_prints_at_full_size).
SMALL: dict[str, dict[str, str]] = {}


@pytest.mark.parametrize("name", _cases("scale", ".xlsx"))
def test_every_sheet_prints_at_85_percent_or_more(sheets, name):
    """Every sheet prints its text at 85% or more, measured on the PDF (the height of its
    words against the same font at full size): fitted one page wide, spend's Monthly
    printed at 38%, forecast's Summary at 41% (a headline sentence in one cell ran past the
    table), commissioning's Recommendation at 48%, the match report's Children placed at
    64%. A table too wide for that prints across pages with its key columns repeated."""
    assert name in sheets, f"{name} was not written by the demo jobs"
    known = SMALL.get(name, {})
    small = [f"{s.title} ({s.scale:.0%})" for s in sheets[name] if s.title not in known
             and s.scale is not None and s.scale < LEAST_SCALE]  # fmt: skip
    assert small == [], f"{name}: printed below {LEAST_SCALE:.0%}: {'; '.join(small)}"
    mended = [s.title for s in sheets[name] if s.title in known
              and (s.scale is None or s.scale >= LEAST_SCALE)]  # fmt: skip
    assert mended == [], f"{name}: {mended} print at 85% or more: take them out of SMALL"


@pytest.mark.parametrize("name", _cases("fonts", ".xlsx"))
def test_workbooks_print_in_calibris_metrics(rendered, name):
    """Every workbook prints in Carlito (Calibri's widths, as Excel lays it out): without
    fonts-crosextra-carlito LibreOffice printed them in DejaVu Sans, wider, and the titles
    and headers whose font named no family (spend's, the forecast's) in DejaVu Serif."""
    fonts = rendering.pdf_fonts(_get(rendered, name).pdf)
    assert fonts and all(f.startswith("Carlito") for f in fonts), f"{name}: {sorted(fonts)}"


#: The match workbook's printed pages on the sample night, at most (measured 9, 17 and 35
#: with each sentence on a row across the page; 19, 34 and 62 with the sentences in narrow
#: wrapped columns beside the figures, each child's row ten lines tall and more).
#: Children placed: 11 until the sample's 4 children whose pets answer is not known,
#: proposed to homes with pets, each carried that check (3 of them a Flags row more): 12.
MATCH_PAGES = {"Children placed": 12, "Other options": 20, "match_report.xlsx": 40}


def test_match_report_children_placed_prints_one_page_wide(sheets, rendered):
    """Children placed and Other options print one page wide at full size, each child's
    figures on a line or two and each sentence about them across the page under them:
    printed across at full size, Children placed took 22 pages (two across for each four
    children, the figures apart from the sentences about them) and Other options 38; one
    page wide at 85% with the sentences in narrow columns, 19 and 34 (the workbook 62)."""
    found = {s.title: s for s in sheets["match/match_report.xlsx"]}
    for title in ("Children placed", "Other options"):
        sheet = found[title]
        assert sheet.pages == sheet.pages_one_wide <= MATCH_PAGES[title], sheet
        assert not sheet.keys_repeated and sheet.scale is not None and sheet.scale >= 0.95
    pages = _get(rendered, "match/match_report.xlsx").pages
    assert pages <= MATCH_PAGES["match_report.xlsx"], pages


def test_a4_landscape_holds_its_characters_at_full_size(tmp_path):
    """Columns of A4_LANDSCAPE_CHARS characters print on one A4 landscape page at full size
    and a fifth more do not: the figure the sheets are laid out by holds for the font they
    print in (104, measured in DejaVu Sans, left a fifth of each page empty in Carlito)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS

    require(html=False)
    books = []
    for total in (A4_LANDSCAPE_CHARS, round(A4_LANDSCAPE_CHARS * 1.2)):
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        widths = [10] * (total // 10) + ([total % 10] if total % 10 else [])
        for j, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(j)].width = width
            sheet.cell(row=1, column=j, value="x")  # within its column, however narrow
        sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", 9
        books.append(tmp_path / f"w{total}.xlsx")
        book.save(books[-1])
    pdfs = [b.with_suffix(".pdf") for b in books]
    rendering.workbooks_to_pdf(books, pdfs)
    assert [rendering.page_count(p) for p in pdfs] == [1, 2]


def test_render_tools_want_carlito(monkeypatch):
    """Rendering without Carlito is refused, naming its package: the pages would not be
    the ones Excel prints."""
    monkeypatch.setattr(rendering, "calibri_stand_in", lambda: "DejaVu Sans")
    assert any("fonts-crosextra-carlito" in m for m in rendering.missing_tools(html=False))
    monkeypatch.setattr(rendering, "calibri_stand_in", lambda: "Carlito")
    assert not any("carlito" in m for m in rendering.missing_tools(html=False))


@pytest.mark.parametrize("name", _cases("footer", ".xlsx"))
def test_every_printed_page_names_its_sheet_and_page(rendered, name):
    """Every sheet's printed pages say which sheet and page they are ("Shortfall - page 3
    of 10"): the match report's, the forecast's and the region's pages said neither, so a
    loose page of a 40-page print could not be put back."""
    from openpyxl import load_workbook

    book = load_workbook(_get(rendered, name).source)
    footers = {ws.title: str(ws.oddFooter.center.text) for ws in book.worksheets}
    bare = [title for title, text in footers.items() if "&A" not in text or "&P" not in text]
    assert bare == [], f"{name}: no sheet name and page in the footer of {bare}"
    text = rendering.page_text(_get(rendered, name).pdf, 1)
    assert re.search(r"page 1 of \d+", text), text[-300:]


def test_match_report_summary_prints_at_full_size(rendered, sheets):
    """The match report's first sheet (what a team manager reads at 8am) was held to one
    page and printed at 57%. It prints at full size on two pages at most, the headline
    and the night's cost on the first, the flags' header row again atop the second."""
    first = sheets["match/match_report.xlsx"][0]
    assert first.title == "Summary" and first.scale is not None and first.scale >= 0.97
    assert first.pages <= 2, f"{first.title} prints on {first.pages} pages"
    pages = rendering.page_texts(_get(rendered, "match/match_report.xlsx").pdf)[: first.pages]
    assert "Children placed:" in pages[0] and "Weekly cost of the plan" in pages[0]
    if first.pages == 2:
        head = next(line.split() for line in pages[1].splitlines() if line.strip())
        assert head[:3] == ["Flag", "Count", "Check?"], pages[1][:300]


# --- every report ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", _cases("headline"))
def test_page_one_carries_the_headline(rendered, name):
    """Page 1 of the printed report says what the reader came for."""
    page1 = _plain(rendering.page_text(_get(rendered, name).pdf, 1))
    missing = [p for p in HEADLINES[name] if _plain(p) not in page1]
    assert missing == [], f"{name}: page 1 lacks {missing}; it starts: {page1[:300]!r}"


# --- accessibility --------------------------------------------------------------------------

BLOCKING = ("serious", "critical")


@pytest.mark.parametrize("name", _cases("axe", ".html"))
def test_html_report_has_no_serious_accessibility_violation(rendered, chrome, name):
    """axe-core in headless Chromium finds nothing serious or critical (WCAG 2.2 AA)."""
    found = rendering.axe_violations(chrome, _get(rendered, name).source)
    blocking = [v for v in found if v.get("impact") in BLOCKING]
    assert blocking == [], f"{name}:\n{rendering.describe_violations(blocking)}"


# --- the checks can fail --------------------------------------------------------------------


def test_axe_harness_catches_missing_alt_and_low_contrast(chrome, tmp_path):
    """A page with an image without alt text and pale grey text on white fails the check."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><title>Bad</title></head><body><main>'
        '<h1>Report</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="color:#eeeeee;background:#ffffff">Hard to read</p></main></body></html>'
    )
    found = {v["id"]: v["impact"] for v in rendering.axe_violations(chrome, page)}
    assert found.get("image-alt") == "critical"
    assert found.get("color-contrast") == "serious"


def _wide_workbook(path: Path, *, fit_width: bool, keys: bool = False) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Wide"
    sheet.append([f"Column {i} with a long header" for i in range(1, 31)])
    for r in range(20):
        sheet.append([f"value {r}-{i}" for i in range(1, 31)])
    for col in sheet.columns:
        sheet.column_dimensions[col[0].column_letter].width = 28
    if fit_width:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
    if keys:
        sheet.print_title_cols = "A:A"
    book.save(path)
    return path


def test_column_cut_check_catches_a_wide_sheet(tmp_path):
    """A 30-column sheet without fit-to-width prints across pages: the check says so; the
    same sheet set one page wide passes, and so does one printed across with its key
    column repeated on every page. The scale check measures the first and last at full
    size and the one fitted to a page far below 85%."""
    require(html=False)
    wide = _wide_workbook(tmp_path / "wide.xlsx", fit_width=False)
    fitted = _wide_workbook(tmp_path / "fitted.xlsx", fit_width=True)
    keyed = _wide_workbook(tmp_path / "keyed.xlsx", fit_width=False, keys=True)
    found = rendering.sheet_pages([wide, fitted, keyed], tmp_path / "sheets")
    assert [s.columns_cut for s in found[wide]] == [True]
    assert [s.columns_cut for s in found[fitted]] == [False]
    assert [s.columns_cut for s in found[keyed]] == [False]
    assert [s.pages > 1 for s in found[keyed]] == [True]
    (full,), (small,), (keyed_full,) = found[wide], found[fitted], found[keyed]
    assert full.scale == pytest.approx(1.0, abs=0.03)
    assert keyed_full.scale == pytest.approx(1.0, abs=0.03)
    assert small.scale is not None and small.scale < 0.3


def test_hidden_axis_check_catches_an_axis_without_delete(tmp_path):
    """openpyxl's default chart leaves ``delete`` unset: flagged; set to visible: passes."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    def book_with_chart(path: Path, visible: bool) -> Path:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in [("a", 1), ("b", 2)]:
            sheet.append(row)
        chart = BarChart()
        chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=2))
        if visible:
            chart.x_axis.delete = False
            chart.y_axis.delete = False
        sheet.add_chart(chart, "D2")
        book.save(path)
        return path

    assert len(rendering.hidden_chart_axes(book_with_chart(tmp_path / "h.xlsx", False))) == 2
    assert rendering.hidden_chart_axes(book_with_chart(tmp_path / "v.xlsx", True)) == []


def test_a_table_header_is_never_left_at_a_page_foot(rendered):
    """match_report.html printed 'Children not placed', its caption and the table's
    header row at the foot of a page, and the one child's row on the next."""
    texts = rendering.page_texts(_get(rendered, "match/match_report.html").pdf)
    (page,) = [t for t in texts if "Children not placed, with the reasons in full" in t]
    assert re.search(r"^\s*R016\b", page, re.MULTILINE), page[-600:]
