"""The Decisions page's Until column was blank for a decision with no last day: a
placement worker could not tell "no end" from "not recorded". It says "until withdrawn";
one with a last day says the day in words. In headless Chromium."""

from __future__ import annotations

import datetime as dt

import pytest

from sufficiency.store.team_decisions import add_decision
from tests.web.conftest import browser_sign_in, run_match, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_a_decision_with_no_last_day_says_until_withdrawn(tmp_path, chromium):
    with site_of_its_own(tmp_path, "placement") as site:
        run_match(site.store_url, tmp_path / "night")
        add_decision(site.store, "R010", "PL0036", "exclude", "carer off sick", "placement")
        add_decision(site.store, "R003", "PL0013", "exclude", "agreed at panel", "placement",
                     until=dt.date(2099, 4, 30))  # fmt: skip
        page = chromium.new_page()
        browser_sign_in(page, site, "placement")
        page.goto(f"{site.url}/decisions")
        table = page.get_by_role("table", name="Pins and exclusions, by child")
        heads = [" ".join(h.split()) for h in table.locator("thead th").all_inner_texts()]
        until = heads.index("Until")
        cells = {
            r.locator("th").inner_text().strip(): r.locator("th, td").nth(until).inner_text()
            for r in table.locator("tbody tr").all()
        }
        assert cells == {"R003": "30 April 2099", "R010": "until withdrawn"}, cells
        page.close()
