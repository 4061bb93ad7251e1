"""The team pinned R016 to PL0017 (the home its reason names, which breaks three hard
rules), were told "The next matching run will use it", re-ran matching and were shown
"What changed": "no child's proposal changed", and not a word that the run had refused
the pin they had just made; only the child's page and the Decisions page said so.

The child's Pin form no longer offers a home breaking a hard rule (every run refuses such
a pin: docs/matching.md), saying why; and "What changed" lists each of the team's
decisions the run did not apply (refused or ignored), with the run's reason. Driven in
headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sufficiency.store.team_decisions import add_decision
from tests.web.conftest import Site, browser_sign_in, run_cli, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture
def own(tmp_path) -> Iterator[Site]:
    with site_of_its_own(tmp_path, "placement") as site:
        yield site


def _night(site: Site, out: Path) -> None:
    run_cli("match", "--referrals", str(SAMPLE / "referrals.csv"), "--placements",
            str(SAMPLE / "placements.csv"), "--date", "2026-04-01", "--out", str(out),
            "--store", site.store_url, "--decisions-from-store")  # fmt: skip


def test_what_changed_says_the_run_refused_the_team_s_pin(own, tmp_path, chromium):
    _night(own, tmp_path / "first")
    page = chromium.new_page()
    browser_sign_in(page, own, "placement")
    page.goto(f"{own.url}/matching/children/R016")
    pin = page.get_by_role("group", name="Pin: the team agrees this home")
    assert pin.get_by_role("button", name="Pin").count() == 0
    assert ("No home named above can be pinned for this child. Not offered to pin: PL0017, "
            "which breaks rule 3: does not take the child's age (it takes ages 0 to 10); rule "
            "6: excludes one of the child's risks; rule 8: does not meet the child's "
            "communication needs. A matching run refuses a pin to a home that breaks a hard "
            "rule.") in pin.inner_text()  # fmt: skip
    exclude = page.get_by_role("group", name="Exclude: this child must not go to this home")
    assert exclude.get_by_label("Home").locator("option").all_inner_texts() == [
        "PL0017 (the option its reason names)"
    ]
    # a child placed: every home named is offered to pin, as before
    page.goto(f"{own.url}/matching/children/R014")
    pin = page.get_by_role("group", name="Pin: the team agrees this home")
    assert len(pin.get_by_label("Home").locator("option").all_inner_texts()) == 4
    assert "Not offered" not in pin.inner_text()

    # the pin made all the same (a decisions file, a page of an earlier run)
    add_decision(own.store, "R016", "PL0017", "pin", "agreed at panel", "placement")

    _night(own, tmp_path / "second")
    page.goto(f"{own.url}/matching/changes")
    said = page.inner_text("main")
    assert "against the one before it (started " in said
    assert "): no child's proposal changed." in said
    assert ("The latest matching did not apply one of the team's decisions, so the "
            "proposals do not follow it.") in said  # fmt: skip
    assert ("R016: pin to PL0017 refused: the placement takes children aged 0 to 10 and the "
            "child is 16: rule 3 (age)") in said  # fmt: skip
    page.get_by_role("link", name="R016").click()
    page.wait_for_load_state()
    assert page.url == f"{own.url}/matching/children/R016"
    assert "The latest matching refused it" in page.inner_text("main")

    # withdrawn, the next run applies nothing it was not asked to: no such box
    page.get_by_role("button", name="Withdraw").click()
    page.wait_for_load_state()
    _night(own, tmp_path / "third")
    page.goto(f"{own.url}/matching/changes")
    said = page.inner_text("main")
    assert (
        "the latest is run 3 and the one before it run 2:" in said and "did not apply" not in said
    )
    page.close()
