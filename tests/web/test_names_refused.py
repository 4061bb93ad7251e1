"""Names and reasons too long, or differing only in capitals, are refused in words, never
cut or saved twice (in Chromium, as staff type or paste them).

- A 300-character user name was cut to 200 by the form (``maxlength``) and again by the
  server, and the account made under the cut name, with nothing said.
- A decision's reason pasted from a case note over 500 characters was cut to 500 by
  the form, and the cut reason recorded, mid-sentence, with nothing said.
- Scenarios "Base case" and "base case" were both saved: two names nobody can tell
  apart when read out (user names were refused so already).
"""

from __future__ import annotations

import pytest

from sufficiency.store.accounts import get_user, list_users
from sufficiency.store.saved_scenarios import list_scenarios
from sufficiency.store.team_decisions import decisions_in_force
from tests.web.conftest import browser_sign_in, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_a_long_user_name_is_refused_not_cut(tmp_path, chromium):
    with site_of_its_own(tmp_path, "admin") as site:
        page = chromium.new_page()
        browser_sign_in(page, site, "admin")
        page.goto(f"{site.url}/admin/users")
        name = "j" * 300
        page.get_by_label("User name").fill(name)
        page.get_by_label("Role").select_option("placement")
        page.get_by_label("A password and an authenticator app").check()
        page.get_by_role("button", name="Add the user").click()
        page.wait_for_load_state()
        said = page.get_by_role("alert").inner_text()
        assert "Give a user name of 200 characters or fewer: this one has 300." in said
        assert [u.username for u in list_users(site.store)] == ["admin"]
        assert get_user(site.store, name[:200]) is None
        assert page.get_by_label("User name").input_value() == name  # kept, to correct


def test_a_scenario_name_in_other_capitals_is_refused(tmp_path, chromium):
    with site_of_its_own(tmp_path, "commissioner") as site:
        page = chromium.new_page()
        browser_sign_in(page, site, "commissioner")
        for name in ("Base case plus", "BASE CASE Plus"):
            page.goto(f"{site.url}/scenarios/new")
            page.get_by_label("Name", exact=True).fill(name)
            page.get_by_label("Change in entries (%)").fill("10")
            page.get_by_role("button", name="Save scenario").click()
            page.wait_for_load_state()
        said = page.get_by_role("alert").inner_text()
        assert ("another saved scenario is called 'Base case plus', and names that differ "
                "only in capitals are one name; choose another") in said  # fmt: skip
        assert [s.name for s in list_scenarios(site.store)] == ["Base case plus"]


def test_a_long_reason_is_refused_not_cut(site, chromium):
    page = chromium.new_page()
    browser_sign_in(page, site, "placement")
    page.goto(f"{site.url}/matching/children/R001")
    before = len(decisions_in_force(site.store, child_id="R001"))
    form = page.locator("form", has=page.get_by_role("button", name="Exclude"))
    reason = "agreed at the placement panel on 3 March, " * 15  # 630 characters
    form.get_by_label("Reason").fill(reason)
    form.get_by_role("button", name="Exclude").click()
    page.wait_for_load_state()
    said = page.get_by_role("alert").inner_text()
    assert "Keep the reason to 500 characters or fewer (629 now)." in said
    assert len(decisions_in_force(site.store, child_id="R001")) == before
