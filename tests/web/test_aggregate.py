"""Commissioners and finance: the spend page (aggregate only) and finance's downloads,
from a real spend run recorded in the store (40 simulated paths, to keep it quick)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.store.accounts import audit_trail


@pytest.fixture(scope="module")
def spend_run(site, sample_dir):
    cfg = site.out / "fast.toml"
    cfg.write_text("[forecast]\nnum_paths = 40\n")
    r = CliRunner().invoke(main, [
        "spend", "--history", str(sample_dir / "ssda903"), "--out", str(site.out / "spend"),
        "--date", "2026-04-01", "--config", str(cfg), "--store", site.store_url,
    ])  # fmt: skip
    assert r.exit_code == 0, r.output
    return site.out / "spend"


def test_finance_downloads_the_workbook_and_commissioners_cannot(site, spend_run):
    fin = site.client("finance")
    page = fin.get("/spend")
    assert page.status_code == 200 and "Spend by financial year" in page.text
    assert 'href="/spend/download/spend.xlsx"' in page.text
    r = fin.get("/spend/download/spend.xlsx")
    assert r.status_code == 200
    assert r.content == (spend_run / "spend.xlsx").read_bytes()
    assert openpyxl.load_workbook(io.BytesIO(r.content)).sheetnames
    assert fin.get("/spend/download/spend.csv").text.startswith(
        (spend_run / "spend.csv").read_text(encoding="utf-8")[:50]
    )
    assert fin.get("/spend/download/spend_years.csv").status_code == 404  # not offered
    assert [a for a in audit_trail(site.store, action="download") if a.username == "finance"]

    com = site.client("commissioner")
    page = com.get("/spend")
    assert page.status_code == 200 and "/spend/download/" not in page.text
    assert com.get("/spend/download/spend.xlsx").status_code == 403
    # aggregate pages name no child
    assert "R001" not in page.text and "R001" not in com.get("/forecast").text
