"""End to end in headless Chromium (Debian's, driven by Playwright): a placement worker
signs in with password and TOTP code, reviews tonight's proposals, opens a child's page,
pins one match and excludes another with reasons, and sees both listed; presses "Re-run
matching now", which matches tonight's inputs again with those decisions, and "What
changed" shows the changed matches and names each decision as the cause. The server's log
for the whole run holds no date of birth or postcode."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from sufficiency.store.accounts import audit_trail
from sufficiency.web.placement import latest_match_run
from tests.web.conftest import PASSWORD, require_browser

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ])  # fmt: skip
        yield b
        b.close()


def nav(page, name: str) -> None:
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name=name).click()


def test_placement_reviews_pins_and_excludes(site, browser, sample_dir):
    page = browser.new_page()
    page.goto(site.url + "/matching")
    assert page.url.endswith("/sign-in")
    page.get_by_label("User name").fill("placement")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(site.code("placement"))
    page.get_by_role("button", name="Sign in").click()
    nav(page, "Tonight's matches")
    assert page.get_by_role("heading", name="Tonight's matches").is_visible()
    table = page.get_by_role("table", name="Proposals, one row per child placed")
    assert table.get_by_role("row").count() == 45  # 44 children placed and the header
    assert "No placement meets every hard rule" in page.content()  # R016, not placed

    # R004: exclude its proposal; R001: pin its next best option
    page.get_by_role("link", name="R004", exact=True).first.click()
    assert page.get_by_role("heading", name="Child R004").is_visible()
    assert page.get_by_text("Why this home").is_visible()
    proposed = page.locator("dd").first.inner_text().split(":")[0]
    form = page.locator("form", has=page.get_by_role("button", name="Exclude"))
    form.get_by_label("Home").select_option(proposed)
    form.get_by_label("Reason").fill("the home cannot meet the child's contact plan")
    form.get_by_role("button", name="Exclude").click()
    assert page.get_by_role("status").inner_text().startswith(f"Recorded: Excluded from {proposed}")

    page.goto(site.url + "/matching/children/R001")
    form = page.locator("form", has=page.get_by_role("button", name="Pin"))
    form.get_by_label("Home").select_option("PL0013")
    form.get_by_label("Reason").fill("agreed at the placement panel")
    form.get_by_role("button", name="Pin").click()
    assert "Pinned to PL0013" in page.get_by_role("status").inner_text()

    nav(page, "Decisions")
    rows = page.get_by_role("table", name="Pins and exclusions, by child").get_by_role("row")
    text = rows.all_inner_texts()
    assert any("R001" in t and "PL0013" in t and "agreed at the placement panel" in t
               for t in text)  # fmt: skip
    assert any("R004" in t and proposed in t and "Exclude" in t for t in text)

    # re-run matching now: the same inputs as tonight's run, with these decisions
    nav(page, "Tonight's matches")
    tonight_run = latest_match_run(site.store)
    page.get_by_role("button", name="Re-run matching now").click()
    # the status page refreshes itself (no script) until the run is done, then "What changed"
    page.wait_for_url("**/matching/changes", timeout=120_000)
    assert page.get_by_role("status").inner_text().startswith("Matching re-run with the decisions")
    rerun = latest_match_run(site.store)
    assert rerun["id"] != tonight_run["id"] and rerun["summary"]["rerun_of"] == tonight_run["id"]
    decisions = pd.read_csv(f"{rerun['out_dir']}/team_decisions.csv")
    assert set(decisions["child_id"]) >= {"R001", "R004"}
    matches = pd.read_csv(f"{rerun['out_dir']}/matches.csv").set_index("child_id")
    assert matches.loc["R001", "placement_id"] == "PL0013"
    assert matches.loc["R004", "placement_id"] != proposed
    changed = page.get_by_role("table", name="Children whose proposal changed").inner_text()
    assert re.search(r"R001\s+PL0073\s+PL0013\s+pinned by placement on \S+: agreed at the "
                     "placement panel", changed)  # fmt: skip
    assert re.search(rf"R004\s+{proposed}\s+\S+\s+excluded from {proposed} by placement on \S+: "
                     "the home cannot meet the child's contact plan", changed)  # fmt: skip
    assert f"re-ran the inputs of run {tonight_run['id']}" in page.content()
    assert audit_trail(site.store, action="rerun_matching")[0].run_id == rerun["id"]

    assert audit_trail(site.store, action="view_child", child_id="R004")
    assert audit_trail(site.store, action="decision", child_id="R001")
    page.close()

    # no date of birth or postcode of any referred child in the server's log
    refs = pd.read_csv(sample_dir / "referrals.csv", dtype=str)
    personal = {v for c in ("dob", "home_postcode", "school_postcode") for v in refs[c].dropna()}
    log = "\n".join(site.log.lines)
    assert "GET /matching/children/R004" in log  # the log was captured
    leaked = sorted(v for v in personal if v in log)
    assert not leaked, f"personal details in the server log: {leaked[:3]}"
