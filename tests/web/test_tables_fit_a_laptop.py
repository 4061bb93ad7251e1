"""The Spend page's budget tables on a 1280 px laptop, in Chromium. "Against the budget"
(13 columns) was 1117 px in a 1102 px page, so its last column, Basis, was cut at "whole
year forecas" behind a sideways scroll a finance officer had no reason to look for
(headless Chromium hides scroll bars, as many laptops do until the pointer moves). The
cells sit a little closer on screen now (4 px apart, not 7) and every table of the spend
pages fits. A table wider than a tablet still scrolls inside its own box, as designed."""

from __future__ import annotations

import pytest

from tests.web.conftest import browser_sign_in

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
LAPTOP = {"width": 1280, "height": 800}
#: each table that does not fit its box: its caption and how far over it runs
CUT = """() => [...document.querySelectorAll('.table-wrap')]
    .filter(w => w.scrollWidth > w.clientWidth)
    .map(w => (w.querySelector('caption') || w).innerText.slice(0, 60) + ': '
              + (w.scrollWidth - w.clientWidth) + ' px over')"""


def test_the_spend_pages_tables_fit_a_laptop(site, chromium, spend_run):
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    try:
        browser_sign_in(page, site, "finance")
        seen, cut = 0, []
        for path in ("/spend", "/spend/quarters", "/spend/months"):
            page.goto(site.url + path)
            seen += page.locator(".table-wrap").count()
            cut += [f"{path}: {c}" for c in page.evaluate(CUT)]
            if path == "/spend":  # the widest: the budget's 13 columns
                assert page.get_by_role("table", name="Against the budget", exact=True).count() == 1
        assert seen >= 5  # the test looked at the tables it means
        assert cut == [], cut
    finally:
        context.close()
