"""Render the human-facing outputs (workbooks and HTML reports) to PDF and PNG pages.

The reusable half of ``scripts/render.py`` (``make render``), imported by the render tests
(``tests/render``) too, so the tests check the very PDFs a reviewer looks at. A dev tool,
not part of the ``sufficiency`` package. It needs Debian's packages, not Python ones:

- LibreOffice Calc (``libreoffice-calc-nogui``): ``soffice --headless --convert-to pdf``;
- Chromium (``chromium``), driven through Playwright's Python package with
  ``executable_path`` (Playwright's own browser download is never used);
- poppler (``poppler-utils``): ``pdftoppm``, ``pdftotext`` and ``pdfinfo``.

``bash scripts/install_render_tools.sh`` installs them all, with fonts.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

#: Which kinds of file are for people (CSVs and JSON are for machines).
HUMAN_SUFFIXES = (".xlsx", ".html")
#: The folder, under an outputs folder, that rendering writes (and never reads).
RENDER_DIRNAME = "render"
#: Flags Chromium needs here (root, no GPU, no network beyond the page's own files).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: PNG resolution: enough to read a page, small enough to look through quickly.
PNG_DPI = 60
TIMEOUT_S = 300
INSTALL_HINT = (
    "apt-get install libreoffice-calc-nogui chromium poppler-utils fonts-liberation "
    "fonts-crosextra-carlito (or bash scripts/install_render_tools.sh)"
)
CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
AXIS_TAGS = ("valAx", "catAx", "dateAx")


class RenderError(RuntimeError):
    """A tool is missing, or a file would not convert."""


# --- the tools -----------------------------------------------------------------------------


def soffice() -> str | None:
    """LibreOffice's command, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def chromium() -> str | None:
    """Debian's Chromium, or None (``SUFFICIENCY_CHROMIUM`` may name another build)."""
    named = os.environ.get("SUFFICIENCY_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def calibri_stand_in() -> str:
    """The font family fontconfig gives for Calibri, the workbooks' font (openpyxl's
    default), which LibreOffice prints them in: Carlito when installed, whose letters are
    Calibri's widths; without it DejaVu Sans, wider, wrapped and paged the sheets unlike
    Excel. Empty without fontconfig."""
    if shutil.which("fc-match") is None:
        return ""
    return _run(["fc-match", "-f", "%{family}", "Calibri"]).stdout.strip()


def missing_tools(*, html: bool = True, workbooks: bool = True) -> list[str]:
    """What is missing to render (empty when all is there), each with its Debian package."""
    missing = []
    if workbooks and soffice() is None:
        missing.append("LibreOffice (libreoffice-calc-nogui)")
    if workbooks and "Carlito" not in calibri_stand_in():
        missing.append("Carlito, metric-compatible with Calibri (fonts-crosextra-carlito)")
    if html and chromium() is None:
        missing.append("Chromium (chromium)")
    if html:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing.append("Playwright for Python (pip install -e '.[dev]')")
    for tool in ("pdftoppm", "pdftotext", "pdfinfo", "pdffonts"):
        if shutil.which(tool) is None:
            missing.append(f"{tool} (poppler-utils)")
    return missing


def _run(cmd: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), capture_output=True, text=True, timeout=TIMEOUT_S)


# --- finding outputs -------------------------------------------------------------------------


def human_outputs(outputs: Path) -> list[Path]:
    """Every workbook and HTML report under ``outputs`` (not its ``render`` folder), sorted."""
    found = [
        p
        for p in outputs.rglob("*")
        if p.is_file()
        and p.suffix in HUMAN_SUFFIXES
        and not p.name.startswith("~$")
        and p.relative_to(outputs).parts[0] != RENDER_DIRNAME
    ]
    return sorted(found, key=lambda p: p.relative_to(outputs).as_posix())


def rendered_pdf(outputs: Path, source: Path, render_dir: Path | None = None) -> Path:
    """Where ``source``'s PDF goes: ``render/<job>/<name>.<ext>.pdf`` (a report and a
    workbook of the same name, ``forecast.html`` and ``forecast.xlsx``, never clash)."""
    base = render_dir if render_dir is not None else outputs / RENDER_DIRNAME
    rel = source.relative_to(outputs)
    return base / rel.parent / f"{rel.name}.pdf"


# --- converting ----------------------------------------------------------------------------


def workbooks_to_pdf(workbooks: Sequence[Path], pdfs: Sequence[Path], jobs: int = 2) -> None:
    """Convert each workbook to the PDF at the same place in ``pdfs``: LibreOffice runs
    (``jobs`` at once, each converting its share), each with a private profile so parallel
    runs and a desktop LibreOffice never clash."""
    if len(workbooks) != len(pdfs):
        raise ValueError("one PDF path per workbook")
    if not workbooks:
        return
    office = soffice()
    if office is None:
        raise RenderError(f"LibreOffice is not installed: {INSTALL_HINT}")
    pairs = list(zip(workbooks, pdfs, strict=True))
    shares = [pairs[i::jobs] for i in range(max(1, min(jobs, len(pairs))))]
    with ThreadPoolExecutor(len(shares)) as pool:
        for done in [pool.submit(_convert_share, office, share) for share in shares]:
            done.result()


def _convert_share(office: str, pairs: Sequence[tuple[Path, Path]]) -> None:
    with tempfile.TemporaryDirectory(prefix="sufficiency-render-") as tmp:
        work = Path(tmp)
        copies = []
        for i, (book, _) in enumerate(pairs):
            # Numbered copies: two workbooks of the same name in different folders don't clash.
            copy = work / f"book{i:04d}{book.suffix}"
            shutil.copyfile(book, copy)
            copies.append(copy)
        profile = (work / "profile").as_uri()
        result = _run(
            [office, f"-env:UserInstallation={profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(work / "pdf"), *map(str, copies)]
        )  # fmt: skip
        for (book, pdf), copy in zip(pairs, copies, strict=True):
            made = work / "pdf" / f"{copy.stem}.pdf"
            if result.returncode != 0 or not made.is_file() or page_count(made) < 1:
                raise RenderError(
                    f"LibreOffice did not convert {book.name} "
                    f"(exit {result.returncode}): {result.stderr.strip()[-500:]}"
                )
            pdf.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(made, pdf)


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Debian Chromium under Playwright (a ``playwright.sync_api.Browser``)."""
    exe = chromium()
    if exe is None:
        raise RenderError(f"Chromium is not installed: {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=exe, args=list(CHROMIUM_ARGS))
        try:
            yield launched
        finally:
            launched.close()


def _offline(route: Any) -> None:
    """Let a page load its own files and inline data, nothing from the network."""
    if route.request.url.startswith(("file:", "data:", "about:")):
        route.continue_()
    else:
        route.abort()


@contextmanager
def open_page(browser_: Any, html: Path) -> Iterator[Any]:
    """``html`` loaded in a new page of ``browser_`` (A4-landscape-wide viewport, offline)."""
    page = browser_.new_page(viewport={"width": 1123, "height": 794})
    try:
        page.route("**/*", _offline)
        page.goto(html.resolve().as_uri(), wait_until="load", timeout=TIMEOUT_S * 1000)
        yield page
    finally:
        page.close()


def html_to_pdf(browser_: Any, html: Path, pdf: Path) -> None:
    """Print ``html`` to ``pdf`` as Chromium would: A4 landscape, backgrounds on."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with open_page(browser_, html) as page:
        page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True)
    if not pdf.is_file() or page_count(pdf) < 1:
        raise RenderError(f"Chromium did not print {html.name}")


def pdf_to_png(pdf: Path, dpi: int = PNG_DPI) -> list[Path]:
    """One PNG a page beside the PDF, ``<pdf name without .pdf>-<page>.png``."""
    prefix = pdf.with_suffix("")
    for old in pdf.parent.glob(f"{prefix.name}-*.png"):
        old.unlink()
    result = _run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)])
    if result.returncode != 0:
        raise RenderError(f"pdftoppm failed on {pdf.name}: {result.stderr.strip()}")
    pattern = re.compile(re.escape(prefix.name) + r"-\d+\.png")
    return sorted(p for p in pdf.parent.iterdir() if pattern.fullmatch(p.name))


# --- reading PDFs ----------------------------------------------------------------------------


def page_count(pdf: Path) -> int:
    """How many pages ``pdf`` has (``pdfinfo``)."""
    result = _run(["pdfinfo", str(pdf)])
    if result.returncode != 0:
        raise RenderError(f"pdfinfo failed on {pdf.name}: {result.stderr.strip()}")
    found = re.search(r"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
    if found is None:
        raise RenderError(f"pdfinfo gave no page count for {pdf.name}")
    return int(found.group(1))


def pdf_fonts(pdf: Path) -> set[str]:
    """The fonts ``pdf`` prints in (``pdffonts``; subset prefixes dropped): ``Carlito``."""
    result = _run(["pdffonts", str(pdf)])
    if result.returncode != 0:
        raise RenderError(f"pdffonts failed on {pdf.name}: {result.stderr.strip()}")
    names = [line.split()[0] for line in result.stdout.splitlines()[2:] if line.strip()]
    return {n.split("+", 1)[-1] for n in names}


def page_text(pdf: Path, first: int = 1, last: int | None = None) -> str:
    """The text of pages ``first`` to ``last`` (default: ``first`` alone), laid out."""
    last = first if last is None else last
    result = _run(["pdftotext", "-layout", "-f", str(first), "-l", str(last), str(pdf), "-"])
    if result.returncode != 0:
        raise RenderError(f"pdftotext failed on {pdf.name}: {result.stderr.strip()}")
    return result.stdout


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, in order."""
    return page_text(pdf, 1, page_count(pdf)).split("\f")[: page_count(pdf)]


# --- rendering a whole outputs folder -------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """One output rendered: where from, its PDF, its pages as PNGs."""

    source: Path
    pdf: Path
    pngs: tuple[Path, ...]

    @property
    def pages(self) -> int:
        return len(self.pngs)


def render_outputs(
    outputs: Path, render_dir: Path | None = None, *, png: bool = True
) -> list[Rendered]:
    """Render every human-facing output under ``outputs`` into ``render_dir`` (default
    ``outputs/render``, emptied first): a PDF each, and its pages as PNGs."""
    target = render_dir if render_dir is not None else outputs / RENDER_DIRNAME
    sources = human_outputs(outputs)
    if not sources:
        raise RenderError(f"no workbook or HTML report under {outputs} (run `make demo` first)")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    pdfs = {s: rendered_pdf(outputs, s, target) for s in sources}
    books = [s for s in sources if s.suffix == ".xlsx"]
    workbooks_to_pdf(books, [pdfs[b] for b in books])
    reports = [s for s in sources if s.suffix == ".html"]
    if reports:
        with browser() as chrome:
            for report in reports:
                html_to_pdf(chrome, report, pdfs[report])
    done = []
    for source in sources:
        pngs = tuple(pdf_to_png(pdfs[source])) if png else ()
        done.append(Rendered(source, pdfs[source], pngs))
    _owner_only(target)
    return done


def _owner_only(folder: Path) -> None:
    """Renders show what the outputs hold (children's details): readable by their owner only,
    as the outputs are (docs/data-protection.md)."""
    folder.chmod(0o700)
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


# --- checks on workbooks ----------------------------------------------------------------------


def hidden_chart_axes(workbook: Path) -> list[str]:
    """Chart axes that do not declare themselves visible (``<c:delete val="0"/>``): Excel
    may draw none for an axis without it. Each as ``chart file: axis kind #n``."""
    problems = []
    with zipfile.ZipFile(workbook) as book:
        charts = sorted(n for n in book.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        for name in charts:
            root = ElementTree.fromstring(book.read(name))
            for tag in AXIS_TAGS:
                for i, axis in enumerate(root.iter(f"{{{CHART_NS}}}{tag}"), start=1):
                    delete = axis.find(f"{{{CHART_NS}}}delete")
                    value = None if delete is None else delete.get("val")
                    if value not in ("0", "false"):
                        problems.append(f"{name}: {tag} #{i} has delete={value}")
    return problems


def one_sheet_copies(workbook: Path, folder: Path, *, fit_width: bool = False) -> list[Path]:
    """A copy of ``workbook`` per sheet, holding that sheet alone, as
    ``folder/<stem>.sheetNN.xlsx``; with ``fit_width``, each copy is set to print one page wide
    (all else as the sheet has it)."""
    from openpyxl import load_workbook
    from openpyxl.worksheet.properties import PageSetupProperties

    folder.mkdir(parents=True, exist_ok=True)
    titles = load_workbook(workbook, read_only=True).sheetnames
    copies = []
    for i, title in enumerate(titles):
        book = load_workbook(workbook)
        for other in [ws for ws in book.worksheets if ws.title != title]:
            book.remove(other)
        sheet = book[title]
        book.active = 0
        sheet.sheet_view.tabSelected = True
        # Names pointing at removed sheets would not load: keep only this sheet's.
        for name in list(book.defined_names):
            del book.defined_names[name]
        if fit_width:
            if sheet.sheet_properties.pageSetUpPr is None:
                sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
            sheet.page_setup.fitToWidth = 1
            sheet.page_setup.fitToHeight = 0
        tag = "fit" if fit_width else "sheet"
        copy = folder / f"{workbook.stem}.{tag}{i:02d}.xlsx"
        book.save(copy)
        copies.append(copy)
    return copies


@dataclass(frozen=True)
class SheetPages:
    """A sheet printed alone: its pages as set up, and when forced one page wide; whether
    its key columns are repeated on every page; the size its text prints at."""

    title: str
    pages: int
    pages_one_wide: int
    keys_repeated: bool = False
    scale: float | None = None

    @property
    def columns_cut(self) -> bool:
        """More pages than when one page wide, its key columns not repeated on each: a
        column printed on a page apart from its row's key (a sheet one page wide gets only
        as many pages as it has rows for; one printed across with its key columns repeated,
        ``print_title_cols``, shows whose row each page's columns are)."""
        return self.pages > self.pages_one_wide and not self.keys_repeated


#: The text a sheet's printed size is measured against: at full size, in the workbooks'
#: font (Calibri 11, openpyxl's default and the match report's).
_SCALE_REFERENCE = ("Reference text at full size", "Children placed 1,234")


def _word_heights(pdf: Path) -> Counter[float]:
    """How many words of each height (points, to a tenth) ``pdf``'s pages hold."""
    result = _run(["pdftotext", "-bbox", str(pdf), "-"])
    if result.returncode != 0:
        raise RenderError(f"pdftotext failed on {pdf.name}: {result.stderr.strip()}")
    found = re.findall(r'<word [^>]*yMin="([\d.]+)" [^>]*yMax="([\d.]+)"', result.stdout)
    return Counter(round(float(b) - float(a), 1) for a, b in found)


def print_scale(pdf: Path, reference: Path) -> float | None:
    """The size ``pdf`` (a sheet printed) prints its text at, against ``reference`` (the
    same font at full size): the height of its commonest words over the reference's (a
    sheet fitted to its page shrinks every word alike; headings and titles are fewer).
    None for a sheet without text (charts alone)."""
    heights, full = _word_heights(pdf), _word_heights(reference)
    if not heights or not full:
        return None
    return heights.most_common(1)[0][0] / full.most_common(1)[0][0]


def _scale_reference(folder: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for text in _SCALE_REFERENCE:
        sheet.append([text])
    path = folder / "scale_reference.xlsx"
    book.save(path)
    return path


def sheet_pages(workbooks: Sequence[Path], folder: Path) -> dict[Path, list[SheetPages]]:
    """Every sheet of each workbook printed alone, as set up and forced one page wide, and
    the size it prints at as set up (all the copies converted together, so LibreOffice
    starts only once or twice)."""
    from openpyxl import load_workbook

    folder.mkdir(parents=True, exist_ok=True)
    copies: list[Path] = [_scale_reference(folder)]
    titles: dict[Path, list[str]] = {}
    keys: dict[Path, list[bool]] = {}
    for k, book in enumerate(workbooks):
        loaded = load_workbook(book)
        titles[book] = loaded.sheetnames
        keys[book] = [bool(ws.print_title_cols) for ws in loaded.worksheets]
        for fit in (False, True):
            where = folder / f"{k:02d}" / ("one_wide" if fit else "as_set")
            copies += one_sheet_copies(book, where, fit_width=fit)
    pdfs = [c.with_suffix(".pdf") for c in copies]
    workbooks_to_pdf(copies, pdfs)
    reference, printed = pdfs[0], iter(pdfs[1:])
    found = {}
    for book in workbooks:
        as_set = [next(printed) for _ in titles[book]]
        one_wide = [next(printed) for _ in titles[book]]
        found[book] = [
            SheetPages(t, page_count(a), page_count(w), key, print_scale(a, reference))
            for t, a, w, key in zip(titles[book], as_set, one_wide, keys[book], strict=True)
        ]
    return found


# --- accessibility ---------------------------------------------------------------------------


def axe_violations(browser_: Any, html: Path) -> list[dict[str, Any]]:
    """axe-core's violations on ``html`` loaded in ``browser_`` (axe's default rules: WCAG 2.0
    to 2.2 A and AA, and best practice). axe-core comes from the PyPI package
    ``axe-playwright-python``, which bundles it: nothing is fetched."""
    from axe_playwright_python.base import AXE_FILE_PATH

    with open_page(browser_, html) as page:
        page.evaluate(AXE_FILE_PATH.read_text(encoding="utf-8"))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def describe_violations(violations: Sequence[dict[str, Any]]) -> str:
    """One line per violation: id, impact, how many elements, the help text, the first one."""
    lines = []
    for v in violations:
        nodes = v.get("nodes") or [{}]
        target = " ".join(str(t) for t in nodes[0].get("target", []))
        lines.append(
            f"{v['id']} ({v.get('impact')}, {len(v.get('nodes', []))} elements): "
            f"{v.get('help')}; first: {target}"
        )
    return "\n".join(lines)
