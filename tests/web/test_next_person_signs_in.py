"""After one person signed out and a colleague of another role signed in on the same
browser, the colleague landed on the first person's page, "Not open to your role": the
page kept for going back after signing in is the browser's, not the person's. A kept page
the person signing in may not open is forgotten; they land on their own start page.
Driven in headless Chromium."""

from __future__ import annotations

import pytest

from tests.web.conftest import browser_sign_in

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_a_colleague_of_another_role_lands_on_their_own_start_page(site, chromium):
    context = chromium.new_context()
    page = context.new_page()
    browser_sign_in(page, site, "placement")
    page.goto(f"{site.url}/matching/children/R007")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{site.url}/sign-in")
    page.go_back()  # the child's page asked for again, signed out: kept, then sign in
    page.wait_for_load_state()
    assert page.url == f"{site.url}/sign-in"

    browser_sign_in(page, site, "commissioner")
    assert page.url == f"{site.url}/"
    assert "Not open to your role" not in page.inner_text("body")
    assert "with the role of" in page.inner_text("main")
    assert "R007" not in page.content()

    # a colleague of the same role still goes back to the page
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{site.url}/sign-in")
    page.goto(f"{site.url}/matching/children/R007")
    assert page.url == f"{site.url}/sign-in"
    browser_sign_in(page, site, "placement")
    assert page.url == f"{site.url}/matching/children/R007"
    context.close()
