"""What an upload's check says of files that leave nothing to read, in words an
administrator can act on: every error names the file, and no program term (an
exception's name such as BadZipFile) is shown."""

from __future__ import annotations

import html
import io
import re
import zipfile

import httpx
import pytest

from tests.web.conftest import csrf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def _check(c: httpx.Client, kind: str, files: list[tuple[str, bytes]]) -> list[list[str]]:
    """The check's table of problems, row by row (file, row, column, value, problem, kind);
    the upload is thrown away after."""
    r = c.post("/admin/uploads", data={"csrftoken": csrf(c), "kind": kind},
               files=[("files", (n, b, "application/octet-stream")) for n, b in files])  # fmt: skip
    assert r.status_code == 303, r.text
    page = c.get(r.headers["location"]).text
    assert "Traceback" not in page
    upload = r.headers["location"].rsplit("/", 1)[1]
    c.post(f"/admin/uploads/{upload}/discard", data={"csrftoken": csrf(c)})
    body = page.split("Every problem found", 1)[1].split("</table>")[0]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in
             re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            for row in body.split("<tbody>")[1].split("</tr>") if "<t" in row]  # fmt: skip


def _errors(rows: list[list[str]]) -> list[tuple[str, str]]:
    return [(r[0], r[4]) for r in rows if r[5] == "Error"]


def test_an_upload_with_no_903_table_says_why_it_cannot_be_used(site, sample_dir):
    """An empty zip was said to be "no file was sent: choose a file first"; a zip of
    zips, or a PDF sent as the history, had only a warning ("skipped") and 0 errors, yet
    "It cannot be used", with no error saying why."""
    admin = site.client("admin")
    episodes = (sample_dir / "ssda903" / "2026" / "episodes.csv").read_bytes()
    said = ("holds no 903 table (CSV, XLSX or XML) to read: send the folder of 903 returns, "
            "or one zip of that folder")  # fmt: skip
    assert _errors(_check(admin, "history", [("ssda903.zip", _zip([]))])) == [
        ("ssda903.zip", said)]  # fmt: skip
    inner = _zip([("2026/episodes.csv", episodes)])
    assert _errors(_check(admin, "history", [("ssda903.zip", _zip([("2026.zip", inner)]))])) == [
        ("ssda903.zip", said)]  # fmt: skip
    assert _errors(_check(admin, "history", [("ssda903.pdf", b"%PDF-1.4")])) == [
        ("ssda903.pdf", said)]  # fmt: skip
    assert _errors(_check(admin, "history", [("notes.docx", b"x"), ("a.pdf", b"y")])) == [
        ("the 2 files sent", said)]  # fmt: skip


def test_a_damaged_workbook_and_a_long_name_are_said_in_plain_words(site, sample_dir):
    """A damaged workbook was "not a readable Excel workbook (BadZipFile)"; a file name
    over 120 characters of letters was told to use letters."""
    admin = site.client("admin")
    rows = _check(admin, "history", [("2026/episodes.xlsx", b"PK\x03\x04 not a workbook")])
    assert _errors(rows) == [("2026/episodes.xlsx", "is not a readable Excel workbook (damaged, "
                              "or another kind of file named .xlsx): open it in Excel and save "
                              "it again")]  # fmt: skip
    name = "referrals-" + "a" * 120 + ".csv"
    rows = _check(admin, "referrals", [(name, (sample_dir / "referrals.csv").read_bytes())])
    assert _errors(rows) == [(name[:120], "cannot use this file name: use at most 120 letters, "
                              "digits, spaces and . _ - ( )")]  # fmt: skip
