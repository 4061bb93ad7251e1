"""A zipped 903 history sent on the Uploads page is read as `sufficiency validate` and the
nightly job read it (:mod:`sufficiency.io.zip903`): the same problems, in the same words,
with the same counts, and the night reads as many episodes from what was accepted.

The upload unpacked zips with rules of its own before: a member in a folder named with an
accent ("Données") or one leading outside the zip (``../``) refused the whole history ("an
unsafe name or an encrypted file": 2 errors, unusable, nothing checked) where `validate`
read the zip with 6 warnings; a zip inside the zip was named differently.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from pathlib import Path

import pytest

from sufficiency.io.ssda903 import read_history
from sufficiency.validate import validate_paths
from tests.web.conftest import browser_sign_in, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "ssda903"
RUN_DATE = dt.date(2026, 4, 1)


def _council_zip(path: Path) -> Path:
    """The sample's returns in a folder, with what a council's zip also holds."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("episodes.csv", (SAMPLE / "2026" / "episodes.csv").read_bytes())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(f for f in SAMPLE.rglob("*") if f.is_file()):
            z.write(p, f"903 returns/{p.relative_to(SAMPLE).as_posix()}")
        z.writestr("903 returns/2027.zip", inner.getvalue())  # a zip inside the zip
        z.writestr("903 returns/notes.pdf", b"%PDF-1.4")
        z.writestr("903 returns/Données/header.csv", (SAMPLE / "2026" / "header.csv").read_bytes())
        z.writestr("../../outside.csv", "CHILD\n1\n")
    return path


def _problems(page) -> list[tuple[str, str, str]]:
    """(file, problem, kind) of each row of the check's table."""
    table = page.get_by_role("table", name="Every problem found, by file, row and column")
    rows = []
    for row in table.locator("tbody tr").all():
        cells = [c.inner_text() for c in row.locator("th, td").all()]
        rows.append((cells[0], cells[4], cells[5]))
    return rows


def _checked(chromium, site, sent: Path):  # type: ignore[no-untyped-def]
    """A page of ``site``'s uploads, signed in as admin, with ``sent`` checked as a 903
    history."""
    page = chromium.new_page()
    browser_sign_in(page, site, "admin")
    page.goto(f"{site.url}/admin/uploads")
    page.get_by_label("903 history").check()
    page.get_by_label("Files", exact=True).set_input_files(str(sent))
    page.get_by_role("button", name="Check the upload").click()
    page.wait_for_load_state()
    return page


def test_a_zipped_history_is_checked_and_read_as_validate_reads_it(tmp_path, chromium, monkeypatch):
    monkeypatch.setattr("sufficiency.clock.today", lambda now=None: RUN_DATE)
    sent = _council_zip(tmp_path / "903_returns.zip")
    cli = validate_paths([sent], run_date=RUN_DATE, default_responsible_la="E10000034")
    want = sorted((p.file.replace(str(tmp_path) + "/", ""), p.message,
                   "Error" if p.severity == "error" else "Warning")
                  for p in cli.problems)  # fmt: skip
    assert len(want) == 5 and cli.num_errors == 0  # the zip read, 4 things passed over
    (tmp_path / "site").mkdir()
    with site_of_its_own(tmp_path / "site", "admin") as site:
        page = _checked(chromium, site, sent)
        status = page.get_by_role("status").inner_text()
        assert "0 errors, 5 warnings" in status, status
        assert sorted(_problems(page)) == want
        main = page.inner_text("main")
        assert "unsafe name" not in main and "sufficiency-903zip" not in main
        assert "903_returns.zip/903 returns/2027.zip" in main  # the zip inside, named
        page.get_by_role("button", name="Accept and use it").click()
        page.wait_for_load_state()
        assert "now in the data folder" in page.get_by_role("status").inner_text()
        kept = tmp_path / "site" / "data" / "ssda903"
        night, direct = read_history(kept), read_history(sent)
        assert night.years == direct.years == (2021, 2022, 2023, 2024, 2025, 2026)
        assert len(night.episodes) == len(direct.episodes) == len(read_history(SAMPLE).episodes)
        page.close()


def test_an_empty_zip_is_said_as_validate_says_it(tmp_path, chromium):
    """An empty zip sent to `validate` said the temporary folder standing for it "does
    not exist" (its name under /tmp) and "read its 0 file(s) in place ()"."""
    empty = tmp_path / "ssda903.zip"
    zipfile.ZipFile(empty, "w").close()
    cli = validate_paths([empty], run_date=RUN_DATE, default_responsible_la="E10000034")
    said = {(Path(p.file).name, p.message) for p in cli.problems}
    assert said == {("ssda903.zip", "no CSV or XLSX files found"),
                    ("ssda903.zip", "is a zip holding no file to read")}  # fmt: skip
    (tmp_path / "site").mkdir()
    with site_of_its_own(tmp_path / "site", "admin") as site:
        page = _checked(chromium, site, empty)
        assert {(f, m) for f, m, _k in _problems(page)} == said
        table = page.get_by_role("table", name="Every problem found, by file, row and column")
        said_here = html.unescape(table.inner_text())
        assert not re.search(r"/tmp|903zip|does not exist|\(\)", said_here), said_here
        assert "It cannot be used" in page.get_by_role("status").inner_text()
        page.close()


def test_a_zip_unpacking_to_more_than_the_upload_may_is_refused_unread(site):
    """A zip may unpack to four times the upload limit (the shared site's: 2 MB x 4), as
    a workbook may, judged by the sizes its entries declare before anything is read; the
    reader's own limit (1 GB) is the command line's."""
    from tests.web.conftest import csrf

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("2026/episodes.csv", b"0" * (12 << 20))  # 12 MB from some 12 KB
    admin = site.client("admin")
    r = admin.post("/admin/uploads", data={"csrftoken": csrf(admin), "kind": "history"},
                   files=[("files", ("903.zip", buf.getvalue(), "application/zip"))])  # fmt: skip
    page = html.unescape(admin.get(r.headers["location"]).text)
    assert "It cannot be used" in page
    assert ("903.zip</th><td class=\"num\"></td><td></td><td></td><td>unpacks to 12 MB, more "
            "than the 8 MB an upload may unpack to: is it the right zip? Send the folder in "
            "parts") in page  # fmt: skip
    assert "is a zip: read" not in page  # refused before the reader unpacked it
