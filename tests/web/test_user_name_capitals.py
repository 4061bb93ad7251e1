"""An administrator adding "PLACEMENT" beside the existing "placement" got a second account
(another role, another password) that the audit trail, the team's decisions ("... by
placement") and anyone reading them cannot tell from the first. It is refused, naming the
account that has the name. A Welsh name with an accent was refused as not "letters";
the sentence now says which letters. Driven in headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sufficiency.store.accounts import list_users
from tests.web.conftest import Site, browser_sign_in, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def own(tmp_path) -> Iterator[Site]:
    with site_of_its_own(tmp_path, "admin", "placement") as site:
        yield site


def _add(page, site: Site, name: str, role: str) -> str:
    page.goto(f"{site.url}/admin/users")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Role").select_option(role)
    page.get_by_role("button", name="Add the user").click()
    page.wait_for_load_state()
    return page.inner_text("main")


def test_a_user_name_differing_only_in_capitals_is_refused(own, chromium):
    page = chromium.new_page()
    browser_sign_in(page, own, "admin")

    said = _add(page, own, "PLACEMENT", "commissioner")
    assert "Nothing was changed" in said
    assert "There is already a user called 'placement'" in said, said
    assert sorted(u.username for u in list_users(own.store)) == ["admin", "placement"]

    said = _add(page, own, "Siân.Ŵyn", "placement")
    assert "letters a to z without accents" in said, said

    said = _add(page, own, "sian.wyn", "placement")
    assert "Added sian.wyn (placement)." in said
