"""The message after a decision ("Recorded: ...", "Withdrawn: ...") quotes its reason and
travels to the next page in the session cookie. A reason of 500 characters in Welsh or
Polish made that cookie larger than a browser keeps (4,096 bytes: the session's JSON
writes each letter such as "ŵ" or "ł" as six characters, then the cookie is base64 twice),
so Chromium dropped it and the team saw no confirmation that the decision was recorded.
Driven in headless Chromium, as the team would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.conftest import RUN_DATE, Site, browser_sign_in, run_match, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# 500 characters, as the reason box takes at most: the panel's note in Welsh and Polish
WELSH = (
    "Cytunwyd yn y panel lleoli: mae'r plentyn yn siarad Cymraeg gartref, ŵyr i'r gofalwr, "
    "ymweliadau â'r ysgol bob dydd Llun; Łódź: zgoda rodziców, źródło ŻŹĆŃ. "
)
REASON = (WELSH * 10)[:500].strip()
OTHER = ("Ŵŷ âêîôû ąęłńóśźż " * 40)[:500].strip()


@pytest.fixture
def own(tmp_path) -> Iterator[Site]:
    with site_of_its_own(tmp_path, "placement") as site:
        run_match(site.store_url, tmp_path / "match")
        yield site


def _exclude(page, site: Site, child: str, reason: str) -> str:
    page.goto(f"{site.url}/matching/children/{child}")
    form = page.locator("form", has=page.get_by_role("button", name="Exclude"))
    form.get_by_label("Home").select_option(index=0)
    form.get_by_label("Reason").fill(reason)
    form.get_by_role("button", name="Exclude").click()
    page.wait_for_load_state()
    status = page.get_by_role("status")
    return status.inner_text() if status.count() else ""


def test_a_long_reason_in_welsh_is_confirmed(own, chromium):
    assert RUN_DATE == "2026-04-01"
    context = chromium.new_context()
    page = context.new_page()
    browser_sign_in(page, own, "placement")

    said = _exclude(page, own, "R030", REASON)
    assert said.startswith("Recorded: Excluded from PL"), said
    assert REASON[:60] in said
    # the decision is listed in full below, whatever the message quotes
    assert REASON in page.inner_text("main")

    # a second on the same home replaces the first: the message quotes both reasons
    said = _exclude(page, own, "R030", OTHER)
    assert said.startswith("Recorded: Excluded from PL"), said
    assert OTHER[:40] in said and "It replaces decision" in said, said
    assert REASON[:40] in said  # the one it replaces, shortened
    assert OTHER in page.inner_text("main")

    # withdrawing it quotes the reason too
    page.get_by_role("button", name="Withdraw").first.click()
    page.wait_for_load_state()
    status = page.get_by_role("status")
    assert status.count() and status.inner_text().startswith("Withdrawn: Excluded from PL")

    # the session kept working through it all: still signed in
    page.goto(f"{own.url}/matching")
    assert not page.url.endswith("/sign-in")
    assert all(len(c["value"]) < 4000 for c in context.cookies())
    context.close()
