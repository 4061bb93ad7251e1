"""A decision the child's page refuses (here a reason over 500 characters), in Chromium.
The refusal was the answer to the form's POST, so Reload or Back asked "Confirm form
resubmission" (ERR_CACHE_MISS) and sent the form again. It is now shown by the child's
page itself (POST, then GET): same status, sentence and form filled in, once; Reload and
Back are GETs and record nothing."""

from __future__ import annotations

import pytest

from sufficiency.store.team_decisions import decisions_in_force
from tests.web.conftest import browser_sign_in, run_match, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_a_refused_decision_is_a_page_reload_and_back_do_not_send_again(tmp_path, chromium):
    with site_of_its_own(tmp_path, "placement") as site:
        run_match(site.store_url, tmp_path / "match")
        page = chromium.new_page()
        try:
            browser_sign_in(page, site, "placement")
            url = f"{site.url}/matching/children/R007"
            page.goto(url)
            form = page.locator("form", has=page.get_by_role("button", name="Exclude"))
            reason = "too far from school and from the contact centre " * 11  # 527 folded
            form.get_by_label("Reason").fill(reason)
            with page.expect_navigation() as sent:
                form.get_by_role("button", name="Exclude").click()
            answer = sent.value
            assert answer is not None and answer.request.method == "GET"
            assert answer.status == 400 and page.url == url
            alert = " ".join(page.get_by_role("alert").last.inner_text().split())
            assert "The decision was not recorded" in alert
            assert "Keep the reason to 500 characters or fewer (527 now)." in alert
            form = page.locator("form", has=page.get_by_role("button", name="Exclude"))
            assert form.get_by_label("Reason").input_value() == reason
            page.screenshot(path=str(tmp_path / "refused.png"))

            again = page.reload()  # a GET: shown once, nothing sent
            assert again is not None and again.request.method == "GET" and again.status == 200
            assert "The decision was not recorded" not in page.inner_text("main")
            back = page.go_back()
            assert back is not None and back.request.method == "GET"
            assert decisions_in_force(site.store, child_id="R007") == []
        finally:
            page.close()
