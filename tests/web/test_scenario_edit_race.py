"""Two commissioners change one saved scenario at once, each from the form as it was when
they opened it. The second save undid the first unseen, and both were told "Saved": the
scenario named "Entries up 10%" said 5% fewer, and the first commissioner's change was
gone. The second is now refused (409) saying who changed it and when, with their own
values kept in the form to save again on purpose. Driven in headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sufficiency.store.saved_scenarios import (
    get_scenario,
    list_scenarios,
    save_scenario,
    scenario_history,
)
from tests.web.conftest import Site, browser_sign_in, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def own(tmp_path) -> Iterator[Site]:
    with site_of_its_own(tmp_path, "commissioner") as site:
        site.add("commissioner2", "commissioner")
        yield site


def _pct(site: Site, sid: int) -> float:
    return float(get_scenario(site.store, sid).definition["entries"]["change_pct"])


def _save(page, entries: str) -> None:
    page.get_by_label("Change in entries (%)").fill(entries)
    page.get_by_role("button", name="Save scenario").click()
    page.wait_for_load_state()


def test_a_change_saved_meanwhile_is_not_undone_unseen(own, chromium):
    sid = save_scenario(own.store, "Entries up 10%", {"name": "Entries up 10%",
                        "entries": {"change_pct": 10.0}}, "commissioner")  # fmt: skip
    ann, bob = chromium.new_context().new_page(), chromium.new_context().new_page()
    browser_sign_in(ann, own, "commissioner")
    browser_sign_in(bob, own, "commissioner2")
    ann.goto(f"{own.url}/scenarios/{sid}/edit")
    bob.goto(f"{own.url}/scenarios/{sid}/edit")

    _save(ann, "20")
    assert ann.get_by_role("status").inner_text().startswith("Saved the scenario")

    _save(bob, "-5")
    assert bob.url.endswith(f"/scenarios/{sid}/edit")
    alert = bob.get_by_role("alert").inner_text()
    assert "The scenario was not saved" in alert
    assert "commissioner changed this scenario at" in alert and "Nothing was saved" in alert
    assert _pct(own, sid) == 20.0
    # bob's value is kept in the form, and saving it again now is meant: it is saved
    assert bob.get_by_label("Change in entries (%)").input_value() == "-5"
    bob.get_by_role("button", name="Save scenario").click()
    bob.wait_for_load_state()
    assert bob.get_by_role("status").inner_text().startswith("Saved the scenario")
    assert _pct(own, sid) == -5.0
    changed = [h.username for h in scenario_history(own.store, sid) if h.action == "changed"]
    assert sorted(changed) == ["commissioner", "commissioner2"]

    # a form with an error keeps what it showed: a change saved meanwhile still refuses it
    ann.goto(f"{own.url}/scenarios/{sid}/edit")
    _save(ann, "lots")
    assert "The scenario was not saved" in ann.get_by_role("alert").inner_text()
    save_scenario(own.store, "Entries up 10%", {"name": "Entries up 10%",
                  "entries": {"change_pct": 1.0}}, "commissioner2", scenario_id=sid)  # fmt: skip
    _save(ann, "30")
    assert "commissioner2 changed this scenario at" in ann.get_by_role("alert").inner_text()
    assert _pct(own, sid) == 1.0


def _double_click(page) -> None:
    """Press Save scenario twice, as a double click does: Chromium sends the form twice and
    shows the second answer (the server's log has both POSTs)."""
    page.get_by_role("button", name="Save scenario").dblclick(delay=30)
    page.wait_for_load_state("networkidle")


def test_a_double_click_on_save_saves_once_and_says_so(own, chromium):
    """Save scenario pressed twice (a double click): the first saved it, and the page then
    said both "Saved the scenario" and "The scenario was not saved: another saved scenario
    has this name; choose another", so the commissioner renamed it and saved a copy.
    Changing it, the second press was refused as a change made by someone meanwhile."""
    page = chromium.new_context().new_page()
    browser_sign_in(page, own, "commissioner")
    page.goto(f"{own.url}/scenarios/new")
    page.get_by_label("Name", exact=True).fill("Entries up 5%")
    page.get_by_label("Change in entries (%)").fill("5")
    _double_click(page)
    text = page.inner_text("main")
    assert "The scenario was not saved" not in text and "choose another" not in text, text
    status = page.get_by_role("status").inner_text()
    assert status.startswith(("Saved the scenario Entries up 5%", "Already saved")), status
    (sid,) = [s.id for s in list_scenarios(own.store) if s.name.startswith("Entries up 5%")]
    assert [h.action for h in scenario_history(own.store, sid)] == ["created"]

    page.goto(f"{own.url}/scenarios/{sid}/edit")
    page.get_by_label("Change in entries (%)").fill("6")
    _double_click(page)
    text = page.inner_text("main")
    assert "Nothing was saved" not in text and "The scenario was not saved" not in text, text
    assert _pct(own, sid) == 6.0
