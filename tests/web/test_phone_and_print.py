"""The pages on a phone's screen and printed, in Chromium: nothing runs off the side of a
narrow screen, and a child's page printed (to PDF for the child's file) holds what the
page says, not the menu, buttons and empty forms."""

from __future__ import annotations

import pytest

from sufficiency.store.team_decisions import add_decision
from tests.web.conftest import browser_sign_in, run_match, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
PHONE = {"width": 390, "height": 844}
#: Everything a person works rather than reads: none of it belongs on paper.
CONTROLS = """() => [...document.querySelectorAll('nav, form, button, select, textarea, input')]
    .filter(e => e.getClientRects().length).map(e => e.outerHTML.slice(0, 80))"""


def test_pages_fit_a_phone_screen(site, chromium):
    """At 390 px wide a child's page ran 72 px off the screen (the pin and exclude boxes
    were as wide as the reason's 40 columns, however narrow the screen), and the
    commissioner's menu, one line that did not wrap, put "Spend" off it."""
    wide = []
    for role, paths in (
        ("placement", ["/matching/children/R001", "/matching", "/decisions", "/matching/changes"]),
        ("commissioner", ["/", "/scenarios/new"]),
    ):
        context = chromium.new_context(viewport=PHONE)
        page = context.new_page()
        browser_sign_in(page, site, role)
        for path in paths:
            page.goto(site.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide.append((role, path, width))
        context.close()
    assert wide == []


def test_a_childs_page_prints_what_it_says(tmp_path, chromium):
    """A child's page printed to PDF carried the menu, "Sign out", a Withdraw button beside
    each decision and the empty pin and exclude forms (a third of its pages); so did the
    Decisions page's Withdraw column and tonight's re-run button."""
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    run_match(url, tmp_path / "match")
    with site_of_its_own(tmp_path, "placement", store_url=url) as site:
        add_decision(site.store, "R001", "PL0013", "pin", "Carer knows the child", "placement")
        context = chromium.new_context()
        page = context.new_page()
        browser_sign_in(page, site, "placement")
        for path in ("/matching/children/R001", "/decisions", "/matching"):
            page.goto(site.url + path)
            page.emulate_media(media="screen")
            assert page.evaluate(CONTROLS), path  # on screen, the page has its controls
            page.emulate_media(media="print")
            assert page.evaluate(CONTROLS) == [], path
        page.goto(site.url + "/matching/children/R001")
        page.emulate_media(media="print")
        for heading in ("Proposal", "Other options and why not", "Decisions in force"):
            assert page.get_by_role("heading", name=heading).is_visible(), heading
        assert page.get_by_text("Pinned to PL0013 by placement: Carer knows the child").is_visible()
        assert not page.get_by_role("heading", name="Record a decision").is_visible()
        assert page.pdf(format="A4").startswith(b"%PDF")
        context.close()
