"""A session that ends (30 minutes without use: the browser drops its cookie) while a
placement worker is on a child's page, in Chromium: signing in again goes back to the
page asked for (it went to the home page), and a form sent after the session ended says
nothing was recorded."""

from __future__ import annotations

import pytest

from sufficiency.store.team_decisions import decisions_in_force
from sufficiency.web.come_back import take
from tests.web.conftest import PASSWORD, browser_sign_in, run_match

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _sign_in_again(page, site) -> None:
    page.get_by_label("User name").fill("placement")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(site.code("placement"))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_signing_in_after_the_session_ended_goes_back_to_the_page(site, chromium):
    context = chromium.new_context()
    page = context.new_page()
    browser_sign_in(page, site, "placement")
    page.goto(f"{site.url}/matching/children/R007")
    before = len(decisions_in_force(site.store, child_id="R007"))

    context.clear_cookies()  # the session ends
    form = page.locator("form", has=page.get_by_role("button", name="Exclude"))
    form.get_by_label("Reason").fill("the home cannot meet the contact plan")
    form.get_by_role("button", name="Exclude").click()
    page.wait_for_load_state()
    assert "nothing was recorded or changed. Sign in, then send it again" in page.inner_text("main")
    assert len(decisions_in_force(site.store, child_id="R007")) == before

    page.goto(f"{site.url}/matching/children/R007")  # the child's page again: sign in first
    assert page.url == f"{site.url}/sign-in"
    _sign_in_again(page, site)
    assert page.url == f"{site.url}/matching/children/R007"
    assert page.get_by_role("heading", level=1).inner_text() == "Child R007"
    context.close()


@pytest.mark.parametrize("kept", ["//evil.example/x", "https://evil.example/", "/sign-out",
                                  "\\\\evil", 5, "/ok\nLocation: x"])  # fmt: skip
def test_only_this_sites_own_pages_are_gone_back_to(kept):
    assert take({"next": kept}) == "/"
    assert take({"next": "/matching/children/R%20007?x=1"}) == "/matching/children/R%20007?x=1"
    assert take({}) == "/"


def _exclude_after_the_session_ends(page, context, reason: str) -> str:
    """Fill in the Exclude form, lose the session, send it; the home chosen."""
    form = page.locator("form", has=page.get_by_role("button", name="Exclude"))
    home = form.get_by_label("Home").locator("option").nth(1).get_attribute("value")
    form.get_by_label("Home").select_option(home)
    form.get_by_label("Reason").fill(reason)
    context.clear_cookies()  # the session ends
    form.get_by_role("button", name="Exclude").click()
    page.wait_for_load_state()
    return str(home)


def test_what_was_sent_after_the_session_ended_is_filled_in_again(tmp_path, chromium):
    """Before, signing in again opened the child's page empty: the reason typed (minutes
    of work, for a panel) had to be written again from memory."""
    from tests.web.conftest import site_of_its_own

    reason = "the home cannot meet the contact plan agreed at panel on Tuesday"
    with site_of_its_own(tmp_path, "placement") as site:
        run_match(site.store_url, tmp_path / "match")
        site.add("colleague", "placement")
        context = chromium.new_context()
        page = context.new_page()
        browser_sign_in(page, site, "placement")
        page.goto(f"{site.url}/matching/children/R007")
        home = _exclude_after_the_session_ends(page, context, reason)
        said = " ".join(page.inner_text("main").split())
        assert "nothing was recorded or changed" in said
        assert ("Sign in as placement within 15 minutes and the child's page opens with what "
                "you sent filled in (the reason too), to check and send.") in said  # fmt: skip
        assert decisions_in_force(site.store, child_id="R007") == []

        page.goto(f"{site.url}/sign-in")
        _sign_in_again(page, site)
        assert page.url == f"{site.url}/matching/children/R007"
        assert "Your session ended before this decision was sent, so it was not recorded" in (
            page.get_by_role("alert").inner_text()
        )
        form = page.locator("form", has=page.get_by_role("button", name="Exclude"))
        assert form.get_by_label("Reason").input_value() == reason
        assert form.get_by_label("Home").input_value() == home
        page.screenshot(path=str(tmp_path / "filled-in-again.png"), full_page=True)
        form.get_by_role("button", name="Exclude").click()
        page.wait_for_load_state()
        assert [(d.placement_id, d.reason) for d in
                decisions_in_force(site.store, child_id="R007")] == [(home, reason)]  # fmt: skip
        page.reload()  # kept once only: not filled in again
        form = page.locator("form", has=page.get_by_role("button", name="Exclude"))
        assert form.get_by_label("Reason").input_value() == ""

        # another person signing in on that computer is not shown it
        page.goto(f"{site.url}/matching/children/R007")
        _exclude_after_the_session_ends(page, context, "a second reason")
        page.goto(f"{site.url}/sign-in")
        page.get_by_label("User name").fill("colleague")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Code from your authenticator app").fill(site.code("colleague"))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        page.goto(f"{site.url}/matching/children/R007")
        form = page.locator("form", has=page.get_by_role("button", name="Exclude"))
        assert form.get_by_label("Reason").input_value() == ""
        assert "a second reason" not in page.content()
        context.close()
