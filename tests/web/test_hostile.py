"""Hostile and unlucky input against the live application, over HTTP: a fault's page
keeps the security headers, scenario names that look like formulas, a workbook whose
declared size is huge, and uploads left waiting."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from markupsafe import escape

from sufficiency.config import WebParams
from sufficiency.store import RunStore
from sufficiency.web.app import create_app
from sufficiency.web.framework import SECURITY_HEADERS
from tests.web.conftest import Site, _Keep, _serve, csrf, sign_in, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def own_site(tmp_path_factory):
    """A site with a store of its own (the runs recorded here would be the latest of
    their kind on the shared site)."""
    with site_of_its_own(tmp_path_factory.mktemp("hostile"), "finance") as site:
        yield site


def test_a_fault_page_keeps_the_security_headers(own_site):
    """Starlette answers a fault (500) outside every middleware: the page had no content
    security policy, no ``no-store`` and no framing rule, unlike every other page."""
    folder = own_site.out / "spend-damaged"
    folder.mkdir()
    (folder / "spend_years.csv").write_text("financial_year\n2026-27\n")
    run_id = own_site.store.start("spend", {})
    own_site.store.finish(run_id, succeeded=True, out_dir=folder,
                          outputs={"spend_years.csv": folder / "spend_years.csv"})  # fmt: skip
    r = own_site.client("finance").get("/spend")
    assert r.status_code == 500 and "Something went wrong" in r.text
    assert "Traceback" not in r.text
    for name, value in SECURITY_HEADERS.items():
        assert r.headers.get(name) == value, name


def _scenario_form(token: str, name: str) -> dict[str, str]:
    return {"csrftoken": token, "name": name, "description": "", "entries_pct": "10",
            "step_from": "external_residential", "step_to": "in_house_foster",
            "step_per_month": "", "step_start": "1", "step_end": "", "shift_from": "ifa_foster",
            "shift_to": "in_house_foster", "shift_pct": ""}  # fmt: skip


@pytest.mark.parametrize("name", ["Save $2m and $3m", r"Plan $\notacommand{$ x"])
def test_a_scenario_name_with_dollar_signs_is_drawn_as_typed(site, forecast_run, name):
    """A scenario's name labels its dashed line in the chart. matplotlib read text between
    two dollar signs as TeX: "Save $2m and $3m" was drawn "Save 2mand3m" in italics, and
    a name it could not parse made the run's page a fault (500) every time it was opened."""
    c = site.client("commissioner")
    r = c.post("/scenarios/new", data=_scenario_form(csrf(c), name))
    assert r.status_code == 303, r.text
    r = c.post(r.headers["location"] + "/run", data={"csrftoken": csrf(c)})
    assert r.status_code == 303
    for _ in range(12):  # the page waits up to 20 s for the run, then says "Still running"
        page = c.get(r.headers["location"], timeout=60)
        if "Still running" not in page.text:
            break
    assert page.status_code == 200, page.text[:300]
    legend = f"{escape(name)} (P50)</text>"  # svg.fonttype "none": labels are SVG text
    assert legend in page.text


def test_sufficiency_serve_logs_refusals_by_user_and_role(tmp_path):
    """`sufficiency serve` configured uvicorn's loggers only, so the application's own
    INFO lines (a refusal by user name and role, a failed sign-in, an upload checked or
    accepted) went nowhere: the log docs/web.md describes was empty."""
    store_url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    store = RunStore(store_url)
    site = Site("", store, store_url, tmp_path, {}, _Keep(), None, None)  # type: ignore[arg-type]
    site.add("finance", "finance")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    server = subprocess.Popen(
        [sys.executable, "-c", "from sufficiency.cli import main; main()", "serve",
         "--store", store_url, "--port", str(port)],
        stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        site.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(site.url + "/sign-in", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "no server"
                time.sleep(0.2)
        c = site.client("finance")
        assert c.get("/matching/children/R001").status_code == 403
        assert sign_in(site.client(), "finance", "not the password", "000000").status_code == 401
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=30)
        store.close()
    assert "refused: finance (finance) GET /matching/children/{child_id}" in err, err
    assert "R001" not in err  # the route, never the child's ID (access line included)
    assert "failed sign-in" in err
    # the documented deployment, 127.0.0.1 behind an HTTPS proxy, is told to make cookies Secure
    assert 'set secure_cookies = "always"' in err


def _huge_declared_workbook(csv_path: Path) -> bytes:
    """The table of ``csv_path`` as a workbook with one stray cell in its last cell
    (XFD1048576): tens of KB, declaring 16,384 columns by 1,048,576 rows."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for line in csv_path.read_text(encoding="utf-8").splitlines():
        ws.append(line.split(","))
    ws["XFD1048576"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_small_workbook_declaring_a_huge_sheet_is_read_as_found(site, sample_dir):
    """A 903 history whose 2026 header table is a 52 KB workbook with a cell in XFD1048576.
    openpyxl padded every row to the size the sheet declares, and the check read them
    all: gigabytes of memory (MemoryError at 3 GB, else the server was killed) before
    the administrator saw a word. It is read as found: the table, the stray cell beyond
    the header's columns ignored as ever."""
    files = [(f"{p.parent.name}/{p.name}", p.read_bytes())
             for p in sorted((sample_dir / "ssda903").rglob("*.csv"))
             if p.relative_to(sample_dir / "ssda903") != Path("2026/header.csv")]  # fmt: skip
    book = _huge_declared_workbook(sample_dir / "ssda903" / "2026" / "header.csv")
    assert len(book) < 100_000
    files.append(("2026/header.xlsx", book))
    admin = site.client("admin")
    started = time.monotonic()
    sent = [("files", (n, b, "application/octet-stream")) for n, b in files]
    r = admin.post("/admin/uploads", data={"csrftoken": csrf(admin), "kind": "history"},
                   files=sent)  # fmt: skip
    assert time.monotonic() - started < 60
    r = admin.get(r.headers["location"])  # the check, as the POST's redirect shows it
    assert r.status_code == 200, r.text[:2000]
    assert "read as 903 history (collection years ending" in r.text
    upload = r.text.split('action="/admin/uploads/')[1].split("/")[0]
    assert admin.post(f"/admin/uploads/{upload}/discard",
                      data={"csrftoken": csrf(admin)}).status_code == 303  # fmt: skip


def _dense_workbook(rows: int) -> bytes:
    """A workbook of ``rows`` rows of 50 cells, its sheet written directly: a few hundred
    KB that unpack to ``rows`` times 750 bytes (a zip bomb's shape)."""
    from tests.xlsx_bombs import workbook_unpacking_to

    out = io.BytesIO()
    row = b"<row>" + b"<c><v>1</v></c>" * 50 + b"</row>"
    workbook_unpacking_to(out, [f"C{j}" for j in range(50)], [row * rows])
    return out.getvalue()


def test_a_workbook_unpacking_to_far_more_than_the_upload_limit_is_refused(site):
    """An XLSX is a zip: one of 2.4 MB unpacking to 760 MB (a million rows of 50 cells)
    kept the upload's check busy for over five minutes. A workbook may unpack to four
    times the upload limit, as a zip may; past that it is an error naming the file."""
    book = _dense_workbook(16_000)  # about 12 MB unpacked; the site's limit is 2 MB x 4
    assert len(book) < 500_000
    admin = site.client("admin")
    started = time.monotonic()
    sent = [("files", ("2026/episodes.xlsx", book, "application/octet-stream"))]
    r = admin.post("/admin/uploads", data={"csrftoken": csrf(admin), "kind": "history"},
                   files=sent)  # fmt: skip
    assert time.monotonic() - started < 30
    r = admin.get(r.headers["location"])
    assert "It cannot be used" in r.text
    assert "2026/episodes.xlsx" in r.text
    assert "unpacks to 12 MB, more than the 8 MB an upload may unpack to" in r.text


def _upload_referrals(admin, body: bytes) -> tuple[httpx.Response, str, Path]:
    """Upload ``body`` as referrals.csv: the response, the upload's ID and its staging
    folder."""
    r = admin.post("/admin/uploads", data={"csrftoken": csrf(admin), "kind": "referrals"},
                   files=[("files", ("referrals.csv", body, "text/csv"))])  # fmt: skip
    r = admin.get(r.headers["location"])  # the check, as the POST's redirect shows it
    upload = r.text.split('action="/admin/uploads/')[1].split("/")[0]
    return r, upload, Path(tempfile.gettempdir()) / f"sufficiency-upload-{upload}"


def test_uploads_do_not_linger_in_the_staging_folder(site, sample_dir):
    """An upload with errors can only be thrown away, yet its files (children's records)
    stayed in the system's temporary folder until someone uploaded again more than two
    hours later; an upload left waiting stayed there too if nobody uploaded again. Now
    the files of an upload with errors go as soon as it is checked, and an upload older
    than two hours goes when anyone opens the Uploads page."""
    admin = site.client("admin")
    lines = (sample_dir / "referrals.csv").read_text().splitlines(keepends=True)
    lines[0] = lines[0].replace(",sex,", ",gender,")  # a required column missing: unusable
    broken = "".join(lines).encode()
    r, upload, folder = _upload_referrals(admin, broken)
    assert "It cannot be used" in r.text and "Throw it away" in r.text
    # the manifest and the check's report (problems by file, row and column, values as
    # their shape) stay until it is thrown away, for its page; no file of the upload
    kept = {"manifest.json", "report.json"}
    assert folder.is_dir() and not [p for p in folder.rglob("*") if p.name not in kept]
    r = admin.post(f"/admin/uploads/{upload}/discard", data={"csrftoken": csrf(admin)})
    assert r.status_code == 303 and not folder.exists()

    good = (sample_dir / "referrals.csv").read_bytes()
    r, _, folder = _upload_referrals(admin, good)
    assert r.status_code == 200
    assert (folder / "files" / "referrals.csv").is_file()
    three_hours_ago = time.time() - 3 * 3600
    os.utime(folder, (three_hours_ago, three_hours_ago))
    assert admin.get("/admin/uploads").status_code == 200
    assert not folder.exists()


def test_an_upload_nobody_comes_back_to_goes_whatever_page_is_opened(site, sample_dir):
    """An upload left waiting (a child's records in the system's temporary folder) went
    only when someone uploaded again or opened the Uploads page: on a site where the
    administrator never came back it stayed for good (measured: still there after
    placement, finance and sign-in pages were opened). Now any request, and the server
    starting, throws away uploads over two hours old."""
    from sufficiency.config import WebParams
    from sufficiency.web import uploads
    from sufficiency.web.app import create_app

    def waiting_upload() -> Path:
        admin = site.client("admin")
        good = (sample_dir / "referrals.csv").read_bytes()
        r, _, folder = _upload_referrals(admin, good)
        assert r.status_code == 200
        assert (folder / "files" / "referrals.csv").is_file()
        return folder

    folder = waiting_upload()
    placement = site.client("placement")
    assert placement.get("/matching").status_code == 200
    assert folder.exists()  # younger than two hours: kept
    three_hours_ago = time.time() - 3 * 3600
    os.utime(folder, (three_hours_ago, three_hours_ago))
    uploads.sweep_due.last = None  # requests sweep at most once a minute: a minute later
    assert placement.get("/matching").status_code == 200
    assert not folder.exists()
    # an anonymous look at the sign-in page does it too, and so does the server starting
    for start in (lambda: site.client().get("/sign-in"),
                  lambda: create_app(site.store, WebParams(data_dir=str(site.data)))):  # fmt: skip
        folder = waiting_upload()
        os.utime(folder, (three_hours_ago, three_hours_ago))
        uploads.sweep_due.last = None
        start()
        assert not folder.exists()


ODD_IDS = ("AB 123", "123/45", "R#7", "Zoë-9")


def test_a_child_whose_id_has_a_space_slash_hash_or_accent_has_a_page(tmp_path, sample_dir):
    """Child IDs are the case system's own. Tonight's list linked each child as the ID was
    typed, and the page allowed only letters, digits and ``_ . -``: a child "AB 123",
    "123/45" or "Zoë-9" was on the list, but their page said "There is no child with that
    ID in tonight's run" (or "no such page"), so no one could see why or pin a home;
    "R#7" led to child "R"'s page, were there one. Each now has their page and decisions."""
    import pandas as pd

    from tests.web.conftest import RUN_DATE, run_cli

    def child_url(child: str) -> str:
        return "/matching/children/" + quote(child, safe="")

    referrals = pd.read_csv(sample_dir / "referrals.csv", dtype=str, keep_default_na=False)
    referrals.loc[: len(ODD_IDS) - 1, "child_id"] = ODD_IDS
    referrals.to_csv(tmp_path / "referrals.csv", index=False)
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    run_cli("match", "--referrals", str(tmp_path / "referrals.csv"), "--placements",
            str(sample_dir / "placements.csv"), "--date", RUN_DATE, "--out",
            str(tmp_path / "out"), "--store", url)  # fmt: skip
    store = RunStore(url)
    server, thread, address = _serve(create_app(store, WebParams()))
    try:
        site = Site(address, store, url, tmp_path, {}, _Keep(), server, None)
        c = site.client(site.add("placement", "placement"))
        listed = c.get("/matching").text
        for child in ODD_IDS:
            link = child_url(child)
            assert f'href="{link}"' in listed, child
            page = c.get(link)
            assert page.status_code == 200, (child, page.text[:300])
            assert f"<h1>Child {escape(child)}</h1>" in page.text
            home = page.text.split('<option value="')[1].split('"')[0]
            form = {"csrftoken": csrf(c), "decision": "exclude", "placement_id": home,
                    "reason": "a test"}  # fmt: skip
            r = c.post(link + "/decisions", data=form)
            assert r.status_code == 303 and r.headers["location"] == link, child
            page = c.get(link).text
            decision = page.split('action="/decisions/')[1].split("/")[0]
            r = c.post(f"/decisions/{decision}/withdraw", data={"csrftoken": csrf(c),
                                                                 "back": link})  # fmt: skip
            assert r.status_code == 303 and r.headers["location"] == link, child
        assert c.get(child_url("R")).status_code == 404
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()
