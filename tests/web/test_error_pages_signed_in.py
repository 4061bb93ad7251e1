"""An address that is no page (mistyped, or an old bookmark) and a method no page takes,
opened by someone signed in, in Chromium. The page answered as if they were signed out:
no site navigation and no "Sign out", so a finance officer on a mistyped address saw a
bare "Not found" and could only use the browser's Back. Now the page keeps their
navigation and sign-out, and says nothing more to anyone signed out."""

from __future__ import annotations

import pytest

from tests.web.conftest import browser_sign_in

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_a_page_that_is_not_there_keeps_the_signed_in_navigation(site, chromium):
    context = chromium.new_context()
    page = context.new_page()
    try:
        r = page.goto(site.url + "/spend/by-year")  # no such page
        assert r is not None and r.status == 404
        assert page.get_by_role("button", name="Sign out").count() == 0  # signed out: as before
        browser_sign_in(page, site, "finance")
        for path in ("/spend/by-year", "/scenarios/abc", "/forecast/%ff"):
            r = page.goto(site.url + path)
            assert r is not None and r.status == 404, path
            assert page.get_by_role("heading", name="Not found").is_visible()
            assert "Signed in as finance (finance)" in page.inner_text("body"), path
            assert page.get_by_role("button", name="Sign out").is_visible()
            nav = page.get_by_role("navigation").first
            assert nav.get_by_role("link", name="Spend").is_visible(), path
        # a method no page takes (a form sent to a page that only shows)
        r = context.request.put(site.url + "/spend")
        assert r.status == 405 and "Signed in as finance (finance)" in r.text()
        nav.get_by_role("link", name="Spend").click()
        assert page.get_by_role("heading", name="Spend by financial year").is_visible()
    finally:
        context.close()
