"""Pinning one child of a sibling group to a home where their sibling is not going, in
Chromium as the placement team does it. Before, the pin was recorded at once ("The next
matching run will use it") and the split was explained only by "What changed" after the
next run. Now the Pin form names the siblings, and such a pin is shown back, naming the
sibling and what the next run does, before anything is recorded."""

from __future__ import annotations

import pytest

from sufficiency.store.team_decisions import decisions_in_force
from tests.web.conftest import browser_sign_in, run_match, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
CANCEL = "Cancel: go back to the child's page without pinning"


def _pin(page, home: str, reason: str) -> str:
    pin = page.get_by_role("group", name="Pin: the team agrees this home")
    pin.get_by_label("Home").select_option(home)
    pin.get_by_label("Reason").fill(reason)
    pin.get_by_role("button", name="Pin").click()
    page.wait_for_load_state()
    return " ".join(page.inner_text("body").split())


def _kept(site) -> list[tuple[str, str]]:
    return sorted((d.child_id, d.placement_id) for d in decisions_in_force(site.store))


def test_a_pin_parting_siblings_is_warned_of_before_it_is_recorded(tmp_path, chromium):
    # the sample's night: R001 and R002 (sibling group SG01) are both proposed at PL0073;
    # PL0066 is one of R001's other options, which would split them (alternatives.csv)
    with site_of_its_own(tmp_path, "placement") as site:
        run_match(site.store_url, tmp_path / "match")
        page = chromium.new_page()
        try:
            browser_sign_in(page, site, "placement")
            # a pin to the home the sibling is proposed at: recorded at once, as before
            page.goto(f"{site.url}/matching/children/R002")
            body = _pin(page, "PL0073", "stays with the proposal")
            assert "Recorded: Pinned to PL0073 by placement" in body
            assert "sibling" not in body.split("Recorded:", 1)[1].split(".", 1)[0]
            assert _kept(site) == [("R002", "PL0073")]

            page.goto(f"{site.url}/matching/children/R001")
            pin = page.get_by_role("group", name="Pin: the team agrees this home")
            # the form names the sibling, and the home select is described by it
            note = pin.locator("#pin-siblings").inner_text()
            assert "R001 is in a sibling group with R002 (pinned to PL0073)" in note
            assert pin.get_by_label("Home").get_attribute("aria-describedby") == "pin-siblings"
            body = _pin(page, "PL0066", "agreed at the placement panel")
            assert "Not recorded yet: this pin may split a sibling group" in body
            assert (
                "Pinning R001 to PL0066 may split R001 from their sibling R002 (pinned to "
                "PL0073): unless R002 can go to PL0066 too, the next matching run places "
                "that sibling elsewhere and the sibling group is split"
            ) in body
            assert _kept(site) == [("R002", "PL0073")]  # nothing recorded yet
            page.get_by_role("link", name=CANCEL).click()
            assert page.url.endswith("/matching/children/R001")
            assert _kept(site) == [("R002", "PL0073")]  # Cancel records nothing
            body = _pin(page, "PL0066", "agreed at the placement panel")
            assert "Not recorded yet" in body
            page.get_by_role("button", name="Pin anyway").click()
            page.wait_for_load_state()
            assert "Recorded: Pinned to PL0066 by placement" in page.inner_text("body")
            assert _kept(site) == [("R001", "PL0066"), ("R002", "PL0073")]

            # R002's page now says where R001 is pinned
            page.goto(f"{site.url}/matching/children/R002")
            note = page.locator("#pin-siblings").inner_text()
            assert "R002 is in a sibling group with R001 (pinned to PL0066)" in note
        finally:
            page.close()


def test_back_and_reload_on_the_confirmation_send_nothing_again(tmp_path, chromium):
    """The confirmation was the answer to the Pin form's POST: Reload and Back asked
    Chromium to "Confirm form resubmission" (ERR_CACHE_MISS). It is a page of its own now
    (the form kept in the session), so Reload and Back are GETs and record nothing."""
    with site_of_its_own(tmp_path, "placement") as site:
        run_match(site.store_url, tmp_path / "match")
        page = chromium.new_page()
        try:
            browser_sign_in(page, site, "placement")
            page.goto(f"{site.url}/matching/children/R001")
            body = _pin(page, "PL0066", "agreed at the placement panel")
            assert "Not recorded yet: this pin may split a sibling group" in body
            assert page.url == f"{site.url}/matching/children/R001/confirm-pin"
            again = page.reload()  # a GET: no resubmission, the same question
            assert again is not None and again.request.method == "GET" and again.ok
            assert "Not recorded yet: this pin may split a sibling group" in page.inner_text("main")
            page.screenshot(path=str(tmp_path / "confirm-reloaded.png"))
            assert _kept(site) == []
            page.get_by_role("button", name="Pin anyway").click()
            page.wait_for_load_state()
            assert page.url == f"{site.url}/matching/children/R001"
            assert "Recorded: Pinned to PL0066 by placement" in page.inner_text("body")
            back = page.go_back()  # to the confirmation's address: nothing left to confirm
            assert back is not None and back.request.method == "GET" and back.ok
            assert page.url == f"{site.url}/matching/children/R001"
            assert "Not recorded yet" not in page.inner_text("main")
            page.reload()
            assert _kept(site) == [("R001", "PL0066")]
            assert len(decisions_in_force(site.store)) == 1  # recorded once
        finally:
            page.close()
