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
    caption = "by file, row and column</caption>"
    if caption not in page:
        assert "It cannot be used" not in page
        return []  # no problem at all
    body = page.split(caption, 1)[1].split("</table>")[0]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in
             re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            for row in body.split("<tbody>")[1].split("</tr>") if "<t" in row]  # fmt: skip


def _errors(rows: list[list[str]]) -> list[tuple[str, str]]:
    return [(r[0], r[4]) for r in rows if r[5] == "Error"]


def test_an_upload_with_no_903_table_says_why_it_cannot_be_used(site, sample_dir):
    """An empty zip was said to be "no file was sent: choose a file first"; a zip of
    zips (now said as `validate` says it), or a PDF sent as the history, had only a
    warning ("skipped") and 0 errors, yet "It cannot be used", with no error saying why."""
    admin = site.client("admin")
    episodes = (sample_dir / "ssda903" / "2026" / "episodes.csv").read_bytes()
    said = ("holds no 903 table (CSV, XLSX or XML) to read: send the folder of 903 returns, "
            "or one zip of that folder")  # fmt: skip
    # a zip is read as `validate` reads it (sufficiency.io.zip903), saying so in its words
    rows = _check(admin, "history", [("ssda903.zip", _zip([]))])
    assert _errors(rows) == [("ssda903.zip", "no CSV or XLSX files found")]
    assert ["ssda903.zip", "is a zip holding no file to read"] in [[r[0], r[4]] for r in rows]
    inner = _zip([("2026/episodes.csv", episodes)])
    rows = _check(admin, "history", [("ssda903.zip", _zip([("2026.zip", inner)]))])
    assert _errors(rows) == [("ssda903.zip", "no 903 header or episodes table found")]
    assert ["ssda903.zip/2026.zip", "is not a CSV, XLSX or XML file; skipped"] in [
        [r[0], r[4]] for r in rows]  # fmt: skip
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
                              "digits, spaces and . _ - ( ) ' , & +")]  # fmt: skip


def test_a_file_with_every_row_in_error_cannot_be_accepted(site, sample_dir, monkeypatch):
    """Referrals with every date of birth unreadable were offered "Accept and use it":
    "the nightly run and re-runs set aside the 40 row(s) with errors ... and read the
    rest", though there was no rest: accepted, the night would have matched no child."""
    import pandas as pd

    monkeypatch.setattr("sufficiency.clock.today", lambda now=None: __import__(
        "datetime").date(2026, 4, 1))  # fmt: skip
    admin = site.client("admin")
    frame = pd.read_csv(sample_dir / "referrals.csv", dtype=str, keep_default_na=False)
    frame["dob"] = "31/02/2015"  # no such day, in every row
    rows = _check(admin, "referrals", [("referrals.csv", frame.to_csv(index=False).encode())])
    whole = [m for f, m in _errors(rows) if f == "referrals.csv" and m.startswith("every")]
    assert whole == [f"every one of its {len(frame)} rows has an error (listed by row and "
                     "column), so the nightly run would read none of them: correct them and "
                     "upload it again"]  # fmt: skip
    assert sum(r[2] == "dob" for r in rows) == len(frame)  # each row's own error, listed
    r = admin.post("/admin/uploads", data={"csrftoken": csrf(admin), "kind": "referrals"},
                   files=[("files", ("referrals.csv", frame.to_csv(index=False).encode(),
                                     "text/csv"))])  # fmt: skip
    page = admin.get(r.headers["location"]).text
    assert "It cannot be used" in page and "Accept and use it" not in page
    upload = r.headers["location"].rsplit("/", 1)[1]
    admin.post(f"/admin/uploads/{upload}/discard", data={"csrftoken": csrf(admin)})
    # one good row left: usable, the rest set aside as before
    frame.loc[0, "dob"] = "01/02/2015"
    rows = _check(admin, "referrals", [("referrals.csv", frame.to_csv(index=False).encode())])
    assert not [m for f, m in _errors(rows) if m.startswith("every")]


def test_a_check_with_thousands_of_problems_lists_the_first_thousand(site, sample_dir):
    """A referrals file of 1.4 MB with a bad date in every row gave a page listing all
    12,000 problems (2 MB of page; at the 50 MB an upload may be, some 70 MB, more than a
    browser opens). The page lists the first 1,000 and says how many there are."""
    lines = (sample_dir / "referrals.csv").read_text(encoding="utf-8").splitlines()
    row = lines[1].split(",")
    row[1] = "31/02/2015"  # no such day
    rows = [",".join([f"X{i:05d}", *row[1:]]) for i in range(1500)]
    body = "\n".join([lines[0], *rows]).encode()
    admin = site.client("admin")
    r = admin.post("/admin/uploads", data={"csrftoken": csrf(admin), "kind": "referrals"},
                   files=[("files", ("referrals.csv", body, "text/csv"))])  # fmt: skip
    page = admin.get(r.headers["location"]).text
    upload = r.headers["location"].rsplit("/", 1)[1]
    admin.post(f"/admin/uploads/{upload}/discard", data={"csrftoken": csrf(admin)})
    assert "1,501 errors" in page  # every row's, and the whole file's: all counted
    assert "lists the first 1,000 of the 1,501 problems found" in page
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    assert table.count("<tr>") == 1000


def test_a_903_folder_named_as_windows_folders_are_is_read(site, sample_dir):
    """A 903 folder picked from "Children's Services" or "Data & returns, 2026" (each file
    sent as folder/year/file) was refused file by file: "cannot use this file name"."""
    admin = site.client("admin")
    for top in ("Children's Services", "Data & returns, 2026"):
        files = [(f"{top}/{p.parent.name}/{p.name}", p.read_bytes())
                 for p in sorted((sample_dir / "ssda903").rglob("*.csv"))]  # fmt: skip
        rows = _check(admin, "history", files)
        assert not _errors(rows), rows[:3]
