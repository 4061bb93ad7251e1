"""End to end in headless Chromium: an administrator adds a user, who then signs in
with the password and authenticator secret shown once; the administrator uploads a
broken referrals file (the report lists each problem by file, row and column; nothing is
written), then good files (a referrals CSV and the sample's 903 folder), and accepts
them into the data folder. axe-core finds nothing serious or critical on these pages."""

from __future__ import annotations

import datetime as dt
import shutil

import pyotp
import pytest

from sufficiency.store.accounts import audit_trail
from tests.web.conftest import PASSWORD
from tests.web.test_admin import _broken_referrals, _data_files, _unusable_referrals
from tests.web.test_e2e import browser, nav  # noqa: F401  (the module's browser fixture)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _axe(page) -> None:
    """axe-core (bundled by axe-playwright-python) finds nothing serious or critical."""
    from axe_playwright_python.base import AXE_FILE_PATH

    page.evaluate(AXE_FILE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [(v["id"], v["help"]) for v in result["violations"]
           if v.get("impact") in ("serious", "critical")]  # fmt: skip
    assert not bad, (page.url, bad)


def _sign_in(page, site, name: str, password: str, code: str) -> None:
    page.goto(site.url + "/sign-in")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in").click()


def test_admin_adds_a_user_and_uploads(site, browser, sample_dir, tmp_path, monkeypatch):  # noqa: F811
    # uploads are checked as of the sample's date: from February 2027 its oldest referred
    # children are 18 by today's, each a further error of its row
    monkeypatch.setattr("sufficiency.clock.today", lambda now=None: dt.date(2026, 4, 1))
    page = browser.new_page()
    _sign_in(page, site, "admin", PASSWORD, site.code("admin"))
    nav(page, "Users")
    _axe(page)
    page.get_by_label("User name").fill("kim")
    page.get_by_label("Role").select_option("placement")
    page.get_by_label("A password and an authenticator app").check()
    page.get_by_role("button", name="Add the user").click()
    assert page.get_by_role("heading", name="Added kim (placement).").is_visible()
    _axe(page)
    password = page.locator("#new-password").inner_text()
    secret = page.locator("#new-secret").inner_text()
    page.get_by_role("link", name="Back to the users").click()
    assert page.get_by_role("row", name="kim").count() == 1

    # uploads (from an empty data folder: other tests share the site): a referrals file
    # without a required column is reported and nothing is written
    shutil.rmtree(site.data, ignore_errors=True)
    before = _data_files(site)
    broken = tmp_path / "referrals.csv"
    broken.write_bytes(_unusable_referrals(sample_dir))
    nav(page, "Uploads")
    page.get_by_label("Referrals (CSV)").check()
    page.get_by_label("Files", exact=True).set_input_files(str(broken))
    page.get_by_role("button", name="Check the upload").click()
    problems = page.get_by_role("table", name="Every problem found, by file, row and column")
    row = problems.get_by_role("row").filter(has_text="sex").first.inner_text()
    assert "referrals.csv" in row and "required column" in row
    assert "It cannot be used: nothing was written" in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name="Accept and use it").count() == 0
    _axe(page)
    page.get_by_role("button", name="Throw it away").click()
    assert _data_files(site) == before

    # one row with an error: listed, and the file can be used, that row set aside
    broken.write_bytes(_broken_referrals(sample_dir))
    page.get_by_label("Referrals (CSV)").check()
    page.get_by_label("Files", exact=True).set_input_files(str(broken))
    page.get_by_role("button", name="Check the upload").click()
    problems = page.get_by_role("table", name="Every problem found, by file, row and column")
    row = problems.get_by_role("row").filter(has_text="dob").first.inner_text()
    assert "referrals.csv" in row and "3" in row.split()
    assert "set aside the 1 row with errors" in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name="Accept and use it").count() == 1
    _axe(page)
    page.get_by_role("button", name="Throw it away").click()
    assert _data_files(site) == before

    # a good referrals file: checked, then accepted
    page.get_by_label("Referrals (CSV)").check()
    page.get_by_label("Files", exact=True).set_input_files(str(sample_dir / "referrals.csv"))
    page.get_by_role("button", name="Check the upload").click()
    assert "0 errors" in page.get_by_role("status").inner_text()
    assert not (site.data / "referrals.csv").exists()  # not until accepted
    page.get_by_role("button", name="Accept and use it").click()
    assert page.get_by_role("status").inner_text().startswith("Accepted")
    assert (site.data / "referrals.csv").read_bytes() == (sample_dir / "referrals.csv").read_bytes()

    # the 903 folder, chosen as a folder: the year folders are kept
    page.get_by_label("903 history").check()
    page.get_by_label("Or a whole 903 folder").set_input_files(str(sample_dir / "ssda903"))
    page.get_by_role("button", name="Check the upload").click()
    status = page.get_by_role("status").inner_text()
    assert "0 errors" in status, page.content()
    page.get_by_role("button", name="Accept and use it").click()
    assert page.get_by_role("status").inner_text().startswith("Accepted")
    episodes = list((site.data / "ssda903").rglob("episodes.csv"))
    assert len(episodes) == 6
    _axe(page)
    table = page.get_by_role("table", name="Inputs in the data folder").inner_text()
    assert "None yet" in table  # only the register is still missing
    page.close()

    # the new user signs in with what was shown once
    page = browser.new_page()
    _sign_in(page, site, "kim", password, pyotp.TOTP(secret).now())
    nav(page, "Tonight's matches")
    assert page.get_by_role("heading", name="Tonight's matches").is_visible()
    page.close()
    assert [e for e in audit_trail(site.store, action="upload_accepted") if e.username == "admin"]


def test_a_council_shaped_903_zip_is_checked_as_validate_does(site, browser, tmp_path):  # noqa: F811
    """A zip of a 903 folder with XML returns and the lock files Office leaves: the XML
    years are kept and read, lock files and notes are skipped with a warning, as
    `validate` does. Before, the XML returns were dropped without a word (a year
    missing from the history) and a lock file refused the whole upload as "an unsafe
    name or an encrypted file"."""
    import io
    import zipfile

    from messy903 import xml_and_csv_returns

    folder = xml_and_csv_returns(tmp_path / "903").path
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:  # the site takes 2 MB
        for p in sorted(x for x in folder.rglob("*") if x.is_file()):
            z.write(p, f"903/{p.relative_to(folder).as_posix()}")
        z.writestr("903/2026/~$episodes.xlsx", b"owner")
        z.writestr("903/2026/.~lock.episodes.csv#", b"lock")
        z.writestr("903/.DS_Store", b"\0")
        z.writestr("903/notes.md", "read me")
    assert any(n.endswith(".xml") for n in z.namelist())
    upload = tmp_path / "903.zip"
    upload.write_bytes(buf.getvalue())

    page = browser.new_page()
    _sign_in(page, site, "admin", PASSWORD, site.code("admin"))
    nav(page, "Uploads")
    page.get_by_label("903 history").check()
    page.get_by_label("Files", exact=True).set_input_files(str(upload))
    page.get_by_role("button", name="Check the upload").click()
    main = page.inner_text("main")
    assert "0 errors" in page.get_by_role("status").inner_text(), main[:2000]
    assert "collection years ending 2021, 2022, 2023, 2024, 2025, 2026" in main, main[:3000]
    problems = page.get_by_role("table", name="Every problem found, by file, row and column")
    for said in ("2026/~$episodes.xlsx\t\t\t\tis an Office lock file; skipped\tWarning",
                 "2026/.~lock.episodes.csv#\t\t\t\tis a LibreOffice lock file; skipped",
                 "903/notes.md\t\t\t\tis not a CSV, XLSX or XML file; skipped"):  # fmt: skip
        assert said in problems.inner_text()
    assert ".DS_Store" not in main
    assert page.get_by_role("button", name="Accept and use it").count() == 1
    page.get_by_role("button", name="Throw it away").click()
    page.close()


def test_excel_text_referrals_upload(site, browser, sample_dir, tmp_path, monkeypatch):  # noqa: F811
    """`validate` and the nightly job read a referrals file saved as Excel's "Text (Tab
    delimited)" (.txt) or as .tsv; the upload refused both ("is not a CSV file") and the
    form's file picker offered only .csv, .xlsx, .xml and .zip. Now the picker offers
    every type `validate` reads, and a .tsv is checked, accepted and kept as the
    referrals the night reads."""
    from sufficiency.io.inputs import read_referrals_for_night
    from sufficiency.web.upload_types import ACCEPT

    monkeypatch.setattr("sufficiency.clock.today", lambda now=None: dt.date(2026, 4, 1))
    text = (sample_dir / "referrals.csv").read_text().replace(",", "\t")
    tsv = tmp_path / "referrals tonight.tsv"
    tsv.write_text(text)
    page = browser.new_page()
    _sign_in(page, site, "admin", PASSWORD, site.code("admin"))
    nav(page, "Uploads")
    offered = page.get_by_label("Files", exact=True).get_attribute("accept").split(",")
    assert {".csv", ".txt", ".tsv", ".xlsx", ".xml", ".zip"} <= set(offered)
    assert set(offered) == set(ACCEPT.split(","))
    page.get_by_label("Referrals (CSV)").check()
    page.get_by_label("Files", exact=True).set_input_files(str(tsv))
    page.get_by_role("button", name="Check the upload").click()
    main = page.inner_text("main")
    assert "0 errors" in page.get_by_role("status").inner_text(), main[:2000]
    assert "is not a CSV file" not in main
    page.get_by_role("button", name="Accept and use it").click()
    assert page.get_by_role("status").inner_text().startswith("Accepted")
    kept = site.data / "referrals.csv"
    assert kept.read_text() == text
    night = read_referrals_for_night(kept, default_responsible_la="E10000034",
                                     run_date=dt.date(2026, 4, 1))  # fmt: skip
    assert len(night.table) == len(text.splitlines()) - 1 and night.set_aside.empty
    page.close()
