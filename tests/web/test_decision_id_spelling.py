"""A decision made on a child's page follows the child when the next night's referrals
write its ID in another case or spacing (``r007`` one night, ``R007`` the next): matching
takes it as that child's and applies it (``sufficiency.matching.decisions``). The pages
said otherwise: the Decisions page said the run "did not read it", R007's page listed no
decision in force and tonight's matches no decision for R007, though the run had excluded
R007 from the home. Driven in headless Chromium, as the team would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import Site, browser_sign_in, run_cli, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture
def own(tmp_path) -> Iterator[Site]:
    with site_of_its_own(tmp_path, "placement") as site:
        yield site


def _night(site: Site, tmp: Path, referrals: Path, day: str) -> Path:
    out = tmp / f"match-{day}"
    run_cli("match", "--referrals", str(referrals), "--placements",
            str(SAMPLE / "placements.csv"), "--date", day, "--out", str(out),
            "--store", site.store_url, "--decisions-from-store")  # fmt: skip
    return out


def test_a_decision_on_r007_is_shown_on_r007_s_page_the_next_night(own, tmp_path, chromium):
    lower = tmp_path / "referrals.csv"
    text = (SAMPLE / "referrals.csv").read_text(encoding="utf-8")
    lower.write_text(text.replace("\nR007,", "\nr007,"), encoding="utf-8")
    _night(own, tmp_path, lower, "2026-04-01")

    page = chromium.new_page()
    browser_sign_in(page, own, "placement")
    page.goto(f"{own.url}/matching/children/r007")
    home = page.locator("dd").first.inner_text().split(":")[0]
    form = page.locator("form", has=page.get_by_role("button", name="Exclude"))
    form.get_by_label("Home").select_option(home)
    form.get_by_label("Reason").fill("the home cannot meet the contact plan")
    form.get_by_role("button", name="Exclude").click()
    assert page.get_by_role("status").inner_text().startswith(f"Recorded: Excluded from {home}")

    # the next night the referrals write the ID as the case system does
    (tmp_path / "referrals.csv").write_text(text, encoding="utf-8")
    out = _night(own, tmp_path, tmp_path / "referrals.csv", "2026-04-02")
    applied = json.loads((out / "summary.json").read_text())["decisions"]["applied"]
    assert [(r["child_id"], r["placement_id"]) for r in applied] == [("R007", home)]

    page.goto(f"{own.url}/decisions")
    row = page.get_by_role("row").filter(has_text=home)
    said = row.inner_text()
    assert "did not read it" not in said, said
    assert "applied it" in said and "R007" in said, said
    row.get_by_role("link", name="r007").click()
    assert page.get_by_role("heading", name="Child R007").is_visible()
    listed = page.locator("h2:has-text('Decisions in force') + ul").inner_text()
    assert f"Excluded from {home} by placement: the home cannot meet the contact plan" in listed
    assert "Recorded for r007" in listed and "applied it" in listed, listed

    page.goto(f"{own.url}/matching")
    proposals = page.get_by_role("table", name="Proposals, one row per child placed")
    r007 = proposals.get_by_role("row").filter(has=page.get_by_role("link", name="R007"))
    assert r007.inner_text().rstrip().endswith("Yes")
    page.close()
