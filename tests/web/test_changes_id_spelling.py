"""What changed took a child whose ID the next night's referrals wrote with a space and in
lower case (``R007``, then ``r 007``) for two children: ``R007`` "no longer referred" and
``r 007`` a "new referral", though matching took them as one child and proposed the same
home. Driven in headless Chromium, as the team would."""

from __future__ import annotations

import re
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
    assert lead.startswith("The latest matching (started "), lead
    assert lead.endswith("): no child's proposal changed."), lead
    assert "no longer referred" not in page.content()
    page.close()


def test_a_respelt_child_who_moved_reads_the_real_cause_and_a_respelt_home_no_move(
    own, tmp_path, chromium
):
    """The next night writes R039 ``r039`` and its home PL0006 is full, and writes PL0007
    (R034's and R044's home) ``pl0007``: r039 moved because PL0006 is full (was: "the
    child's referral changed"), and R034 and R044 did not move (was: to pl0007, "placement
    PL0007 is no longer on the register")."""
    text = (SAMPLE / "referrals.csv").read_text(encoding="utf-8")
    register = (SAMPLE / "placements.csv").read_text(encoding="utf-8")
    (tmp_path / "referrals.csv").write_text(text.replace("\nR039,", "\nr039,"), encoding="utf-8")
    (tmp_path / "placements.csv").write_text(
        register.replace("\nPL0007,", "\npl0007,").replace(
            "\nPL0006,foster,in_house,WR14 2YJ,3,", "\nPL0006,foster,in_house,WR14 2YJ,0,"),
        encoding="utf-8")  # fmt: skip
    for day, folder in (("2026-04-01", SAMPLE), ("2026-04-02", tmp_path)):
        run_cli("match", "--referrals", str(folder / "referrals.csv"), "--placements",
                str(folder / "placements.csv"), "--date", day, "--out",
                str(tmp_path / day), "--store", own.store_url)  # fmt: skip
    page = chromium.new_page()
    browser_sign_in(page, own, "placement")
    page.goto(f"{own.url}/matching/changes")
    row = page.get_by_role("row", name=re.compile(r"^r039 ")).inner_text()
    assert "placement PL0006 has no vacancy now (filled)" in row, row
    assert "the same child, whose ID run 1 wrote R039" in row, row
    body = page.locator("main").inner_text()
    assert "referral changed" not in body and "no longer on the register" not in body
    assert "R034" not in body and "R044" not in body
    page.close()
