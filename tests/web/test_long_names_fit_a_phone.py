"""A long name with no space (a scenario named by pasting, a file name) made a page wider
than a phone: at 360 px the saved scenario's page was 1,258 px wide, its heading and
"Saved the scenario ..." running off the screen, so the whole page scrolled sideways.
Words too long for the line now break (``overflow-wrap``, base.html); tables keep their own
scrolling box. A name holding ``<script>`` is shown as text."""

from __future__ import annotations

import pytest

from tests.web.conftest import browser_sign_in, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_a_long_scenario_name_fits_a_phone_and_is_shown_as_text(tmp_path, chromium):
    name = "<script>alert(1)</script>" + "Entriesupbytenpercentinthenorthofthecounty" + "X" * 30
    assert len(name) <= 100
    with site_of_its_own(tmp_path, "commissioner") as site:
        page = chromium.new_page(viewport={"width": 360, "height": 740})
        browser_sign_in(page, site, "commissioner")
        page.goto(site.url + "/scenarios/new")
        page.get_by_label("Name").fill(name)
        page.get_by_label("Change in entries (%)").fill("10")
        page.get_by_role("button", name="Save").first.click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == f"Scenario: {name}"
        for path in (page.url, site.url + "/scenarios"):
            page.goto(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, (path, width)
            assert name in page.inner_text("main")
            assert "<script>alert(1)" not in page.content()  # escaped, never markup
        page.close()
