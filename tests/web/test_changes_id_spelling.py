"""What changed took a child whose ID the next night's referrals wrote with a space and in
lower case (``R007``, then ``r 007``) for two children: ``R007`` "no longer referred" and
``r 007`` a "new referral", though matching took them as one child and proposed the same
home. Driven in headless Chromium, as the team would."""

from __future__ import annotations

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


def test_a_child_whose_id_is_written_otherwise_has_not_changed(own, tmp_path, chromium):
    text = (SAMPLE / "referrals.csv").read_text(encoding="utf-8")
    spaced = tmp_path / "referrals.csv"
    spaced.write_text(text.replace("\nR007,", "\nr 007,"), encoding="utf-8")
    for day, referrals in (("2026-04-01", SAMPLE / "referrals.csv"), ("2026-04-02", spaced)):
        run_cli("match", "--referrals", str(referrals), "--placements",
                str(SAMPLE / "placements.csv"), "--date", day, "--out",
                str(tmp_path / day), "--store", own.store_url)  # fmt: skip
    page = chromium.new_page()
    browser_sign_in(page, own, "placement")
    page.goto(f"{own.url}/matching/changes")
    lead = page.locator("p.lead").inner_text()
    assert lead == "Matching run 1 against run 2: no child's proposal changed.", lead
    assert "no longer referred" not in page.content()
    page.close()
