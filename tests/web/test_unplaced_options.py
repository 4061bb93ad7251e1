"""A child not placed for want of room, in Chromium as the placement team uses it: every
home meeting the rules is full (the plan gives their places to other children). Before,
the report and the child's page named only the nearest such home, the only one the team
could pin; the others meeting every rule were offered nowhere. Now they are listed, each
with its miles and weekly cost and what in the plan stops it, and pinning one that is not
the nearest is kept and honoured by the next run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from sufficiency.store.team_decisions import decisions_in_force
from tests.web.conftest import RUN_DATE, Site, browser_sign_in, run_cli, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture
def small_night(tmp_path) -> Iterator[tuple[Site, Path]]:
    """A store holding a run of the sample's referrals on its first 20 homes: 18 children
    not placed, most of them for want of room."""
    lines = (SAMPLE / "placements.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    register = tmp_path / "placements.csv"
    register.write_text("".join(lines[:21]), encoding="utf-8")
    with site_of_its_own(tmp_path, "placement") as site:
        yield site, register


def _match(site: Site, register: Path, out: Path, *extra: str) -> Path:
    run_cli("match", "--referrals", str(SAMPLE / "referrals.csv"), "--placements",
            str(register), "--date", RUN_DATE, "--out", str(out), "--store", site.store_url,
            *extra)  # fmt: skip
    return out


def test_a_child_not_placed_for_want_of_room_can_be_pinned_to_any_home_meeting_the_rules(
    small_night, chromium, tmp_path
):
    site, register = small_night
    out = _match(site, register, tmp_path / "night1")
    unplaced = pd.read_csv(out / "unplaced.csv", dtype={"child_id": str}).set_index("child_id")
    r037 = unplaced.loc["R037"]
    assert (r037["nearest_breaks"], r037["num_suitable_placements"]) == ("taken", 8)
    nearest = str(r037["nearest_placement_id"])
    options = pd.read_csv(out / "alternatives.csv", dtype={"child_id": str})
    mine = options[options["child_id"] == "R037"]
    # the run's outputs list the homes meeting every rule, best first, beyond the nearest
    others = [p for p in mine["placement_id"] if p != nearest]
    assert len(mine) == 3 and others, mine
    assert mine["extra_cost_gbp"].isna().all()  # no proposal to set them against
    assert all(w.startswith("Its ") and " in the plan." in w for w in mine["why_not"])
    report = (out / "match_report.html").read_text(encoding="utf-8")
    assert "Other homes meeting every rule for the children not placed" in report
    choice = mine[mine["placement_id"] == others[0]].iloc[0]

    page = chromium.new_page(viewport={"width": 390, "height": 900})  # a phone
    try:
        browser_sign_in(page, site, "placement")
        page.goto(f"{site.url}/matching/children/R037")
        # the nearest option with its miles, as the report's "Not placed" sheet has them
        near = page.locator("p", has_text="Nearest option:")
        assert f"{nearest}, {r037['nearest_miles_from_home']:.1f} miles from home" in (
            near.inner_text()
        )
        table = page.get_by_role("table", name=re.compile("Other homes meeting every rule"))
        row = table.get_by_role("row").filter(has_text=str(choice["placement_id"]))
        cells = row.get_by_role("cell").all_inner_texts()
        assert f"£{choice['weekly_cost']:,.0f}" in cells
        assert f"{choice['miles_from_home']:.1f}" in cells
        assert choice["why_not"] in cells
        headers = " ".join(table.get_by_role("columnheader").all_inner_texts())
        assert "against the proposal" not in headers  # there is no proposal
        pin = page.get_by_role("group", name="Pin: the team agrees this home")
        # each offered as the table gives it: the team chooses from the form, not from IDs
        offered = pin.get_by_label("Home").locator("option").all_inner_texts()
        assert f"{nearest} (nearest option, {r037['nearest_miles_from_home']:.1f} miles)" in (
            offered
        )
        for o in mine.to_dict("records"):
            said = f"£{o['weekly_cost']:,.0f} a week, {o['miles_from_home']:.1f} miles"
            assert f"{o['placement_id']} ({said})" in offered, offered
        pin.get_by_label("Home").select_option(str(choice["placement_id"]))
        pin.get_by_label("Reason").fill("nearer school; agreed at the placement panel")
        pin.get_by_role("button", name="Pin").click()
        page.wait_for_load_state()
        assert f"Recorded: Pinned to {choice['placement_id']} by placement" in page.inner_text(
            "body"
        )
        kept = [(d.placement_id, d.decision) for d in decisions_in_force(site.store, None, "R037")]
        assert kept == [(choice["placement_id"], "pin")]

        # the next night's run reads the team's decisions and honours the pin
        out2 = _match(site, register, tmp_path / "night2", "--decisions-from-store")
        matches = pd.read_csv(out2 / "matches.csv", dtype={"child_id": str})
        assert matches.set_index("child_id").loc["R037", "placement_id"] == choice["placement_id"]
        page.goto(f"{site.url}/matching/children/R037")
        text = " ".join(page.inner_text("main").split())
        assert f"Home {choice['placement_id']}:" in text
        assert "The latest matching applied it: the child is matched to this placement." in text
    finally:
        page.close()
