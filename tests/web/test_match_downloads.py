"""The placement team could not download the match report workbook from tonight's
matches (only the forecast's and spend's files were offered): it now links the run's
match_report.xlsx and its CSV tables, served as the run wrote them, to the placement
team only, and only a matching run's recorded outputs of those names. Driven in headless
Chromium, as the team would."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sufficiency.store.accounts import audit_trail
from tests.web.conftest import Site, browser_sign_in, run_cli, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture
def own(tmp_path) -> Iterator[Site]:
    with site_of_its_own(tmp_path, "placement", "commissioner") as site:
        yield site


def test_the_team_downloads_the_match_report_workbook(own, tmp_path, chromium):
    out = tmp_path / "match"
    run_cli("match", "--referrals", str(SAMPLE / "referrals.csv"), "--placements",
            str(SAMPLE / "placements.csv"), "--date", "2026-04-01", "--out", str(out),
            "--store", own.store_url)  # fmt: skip
    page = chromium.new_page()
    browser_sign_in(page, own, "placement")
    page.goto(f"{own.url}/matching")
    with page.expect_download() as info:
        page.get_by_role("link", name="match_report.xlsx").click()
    got = info.value
    assert got.suggested_filename == "match_report.xlsx"
    saved = tmp_path / "downloaded.xlsx"
    got.save_as(saved)
    assert saved.read_bytes() == (out / "match_report.xlsx").read_bytes()
    assert "Children placed" in openpyxl.load_workbook(saved, read_only=True).sheetnames
    with page.expect_download() as info:
        page.get_by_role("link", name="matches.csv").click()
    # a CSV begins with the UTF-8 byte-order mark, so Excel on Windows reads '£' and 'Siân'
    # as written (without it: 'Â£', 'SiÃ¢n'); the rest is the file as the run wrote it
    csv_bytes = Path(info.value.path()).read_bytes()
    assert csv_bytes == b"\xef\xbb\xbf" + (out / "matches.csv").read_bytes()
    assert list(pd.read_csv(io.BytesIO(csv_bytes)).columns) == list(
        pd.read_csv(out / "matches.csv").columns
    )
    assert sorted(a.detail for a in audit_trail(own.store, action="download")) == [
        "downloaded match_report.xlsx of matching run 1",
        "downloaded matches.csv of matching run 1",
    ]
    page.close()

    team = own.client("placement")
    # only the outputs offered, of a matching run, by name: no other file, no path
    assert team.get("/matching/runs/1/download/summary.json").status_code == 404
    assert team.get("/matching/runs/1/download/..%2F..%2Fruns.sqlite").status_code == 404
    assert team.get("/matching/runs/2/download/match_report.xlsx").status_code == 404
    # a file changed since the run is not given
    (out / "unplaced.csv").write_text("child_id,reason\nX1,edited\n", encoding="utf-8")
    changed = team.get("/matching/runs/1/download/unplaced.csv")
    assert changed.status_code == 404 and "has moved or changed" in changed.text
    # the commissioners, who see no child, may not
    assert (
        own.client("commissioner").get("/matching/runs/1/download/match_report.xlsx").status_code
        == 403
    )
