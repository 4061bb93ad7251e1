"""A child's pin form when the sibling groups cannot be read again, in Chromium. The
siblings come from the referrals file the matching run read, only while its SHA-256
still matches; when the file had moved or changed (or the web server runs on another
computer), the page said nothing, and a pin that splits a sibling group was recorded
without the question. The page now says the siblings could not be checked, and why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sufficiency.cli import main
from tests.web.conftest import RUN_DATE, browser_sign_in, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def _match_from_a_copy(store_url: str, tmp: Path) -> Path:
    """A matching run on a copy of the sample's referrals; the copy's path."""
    copy = tmp / "inputs"
    copy.mkdir()
    for name in ("referrals.csv", "placements.csv"):
        shutil.copy(SAMPLE / name, copy / name)
    result = CliRunner().invoke(main, [
        "match", "--referrals", str(copy / "referrals.csv"), "--placements",
        str(copy / "placements.csv"), "--date", RUN_DATE, "--out", str(tmp / "match"),
        "--store", store_url,
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    return copy / "referrals.csv"


def _pin_note(page) -> str:
    pin = page.get_by_role("group", name="Pin: the team agrees this home")
    assert pin.get_by_label("Home").get_attribute("aria-describedby") == "pin-siblings"
    return " ".join(pin.locator("#pin-siblings").inner_text().split())


@pytest.mark.parametrize("what", ["moved", "changed"])
def test_siblings_that_cannot_be_checked_are_said_to_be(tmp_path, chromium, what):
    with site_of_its_own(tmp_path, "placement") as site:
        referrals = _match_from_a_copy(site.store_url, tmp_path)
        if what == "moved":
            referrals.rename(referrals.with_name("referrals-old.csv"))
        else:
            referrals.write_text(referrals.read_text() + "\n")
        page = chromium.new_page()
        try:
            browser_sign_in(page, site, "placement")
            page.goto(f"{site.url}/matching/children/R001")
            note = _pin_note(page)
            page.screenshot(path=str(tmp_path / f"unchecked-{what}.png"), full_page=True)
            why = {
                "moved": "is no longer where the run read it on this server: moved or deleted "
                "since, or the run was made on another computer",
                "changed": "has changed since the run read it",
            }[what]
            assert note == (
                "Siblings could not be checked: the referrals file matching run 1 read "
                f"(referrals.csv) {why}, so a pin here is not checked against the child's "
                "sibling group. Check the sibling group in the case system before pinning."
            )
        finally:
            page.close()


def test_siblings_read_from_the_copy_while_it_is_unchanged(tmp_path, chromium):
    with site_of_its_own(tmp_path, "placement") as site:
        _match_from_a_copy(site.store_url, tmp_path)
        page = chromium.new_page()
        try:
            browser_sign_in(page, site, "placement")
            page.goto(f"{site.url}/matching/children/R001")
            assert _pin_note(page).startswith("Siblings: R001 is in a sibling group with R002")
        finally:
            page.close()
