"""An upload's check in Chromium: Back and Refresh are safe (POST, redirect, GET).

The check's page was the answer to the upload's POST: Back to it from the next page
showed Chromium's "Confirm form resubmission" (net::ERR_CACHE_MISS: pages are sent
no-store), and Refresh sent the files again, checking a second upload. Now the POST
redirects to the check's own address, which carries the upload's random identifier only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sufficiency.store.accounts import audit_trail
from tests.web.conftest import Site, browser_sign_in, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def test_back_and_refresh_after_an_upload_check_show_the_check_again(tmp_path, chromium):
    with site_of_its_own(tmp_path, "admin") as site:
        page = chromium.new_page()
        browser_sign_in(page, site, "admin")
        page.goto(f"{site.url}/admin/uploads")
        page.check("#kind-referrals")
        page.set_input_files("#files", str(SAMPLE / "referrals.csv"))
        page.get_by_role("button", name="Check the upload").click()
        page.wait_for_load_state()
        assert re.fullmatch(rf"{re.escape(site.url)}/admin/uploads/[A-Za-z0-9_-]{{24}}", page.url)
        said = page.get_by_role("status").inner_text()
        assert "Nothing has been written yet" in said
        checked = _checks(site)

        page.reload()
        assert page.get_by_role("status").inner_text() == said
        page.get_by_role("link", name="Users").click()
        page.wait_for_load_state()
        page.go_back()
        page.wait_for_load_state()
        assert page.get_by_role("status").inner_text() == said
        assert _checks(site) == checked  # nothing sent again, nothing checked twice

        page.get_by_role("button", name="Accept and use it").click()
        page.wait_for_load_state()
        assert "now in the data folder" in page.get_by_role("status").inner_text()
        page.go_back()  # the check's page: the upload is in the data folder, not waiting
        page.wait_for_load_state()
        assert "This upload was accepted already" in page.get_by_role("status").inner_text()


def _checks(site: Site) -> int:
    return len(audit_trail(site.store, action="upload_checked"))
