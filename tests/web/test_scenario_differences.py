"""A scenario run's page gives the base and the scenario rounded, and their difference: the
difference was the means' difference rounded, so a row could not be subtracted. On the
sample with entries 10% up (1,000 futures): kinship foster care 124 in the base, 132
under the scenario, "9" more (8.91 rounded); all children 851 and 909, "+57" at the top
of the page; kinship starts 128.1 and 137.7 a year, "9.7" more. Each difference is now
the page's own figures subtracted. Read in headless Chromium, as a commissioner does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sufficiency.store.saved_scenarios import (
    finish_scenario_run,
    save_scenario,
    start_scenario_run,
)
from tests.web.conftest import Site, browser_sign_in, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# the figures of a run of the sample's forecast with entries up 10% (trimmed)
RESULTS = {
    "forecast_run_id": 7, "start": "2026-03-31", "horizon": "2029-03-31", "num_paths": 1000,
    "seed": 2026,
    "totals": {"month": ["2029-02-28", "2029-03-31"], "base_p10": [788.0, 789.0],
               "base_p50": [848.0, 849.0], "base_p90": [912.0, 913.0],
               "scenario_p50": [905.0, 907.0]},
    "by_category": [
        {"category": "Kinship foster care", "base_mean": 123.55, "base_p10": 105.0,
         "base_p90": 142.0, "scenario_mean": 132.46, "scenario_p10": 112.0,
         "scenario_p90": 152.0, "difference": 8.91},
        {"category": "In-house foster care", "base_mean": 230.78, "base_p10": 204.0,
         "base_p90": 257.0, "scenario_mean": 245.06, "scenario_p10": 219.0,
         "scenario_p90": 272.1, "difference": 14.28},
        {"category": "All children looked after", "base_mean": 851.47, "base_p10": 789.0,
         "base_p90": 913.0, "scenario_mean": 908.88, "scenario_p10": 840.0,
         "scenario_p90": 983.1, "difference": 57.41},
    ],
    "starts": [{"category": "Kinship foster care", "base": 128.05, "scenario": 137.71,
                "difference": 9.66}],
    "shortfall": [],
    "cost": {"financial_year": [
        {"period": "2026-27", "months": 12, "base_mean": 67269766.97, "base_p10": 64759876.07,
         "base_p90": 69845297.86, "scenario_mean": 68420391.12, "scenario_p10": 65882452.14,
         "scenario_p90": 70923169.64, "difference": 1150624.15},
        {"period": "2027-28", "months": 12, "base_mean": 1000.5, "base_p10": 900.0,
         "base_p90": 1100.0, "scenario_mean": 1002.4, "scenario_p10": 901.0,
         "scenario_p90": 1103.0, "difference": 1.9},
    ]},
    "cost_basis": "the configuration's weekly cost per category", "step_downs": [],
}  # fmt: skip


@pytest.fixture
def own(tmp_path) -> Iterator[Site]:
    with site_of_its_own(tmp_path, "commissioner") as site:
        yield site


def _rows(page, caption: str) -> list[list[str]]:
    table = page.get_by_role("table", name=caption)
    return [
        [c.strip() for c in r.split("\t")] for r in table.get_by_role("row").all_inner_texts()[1:]
    ]


def _number(text: str) -> float:
    return float(text.replace("£", "").replace(",", ""))


def test_each_difference_is_the_page_s_own_figures_subtracted(own, chromium):
    definition = {"name": "Entries up 10%", "entries": {"change_pct": 10.0}}
    sid = save_scenario(own.store, "Entries up 10%", definition, "commissioner")
    run = start_scenario_run(own.store, sid, 7, definition, "commissioner")
    finish_scenario_run(own.store, run, results=RESULTS)

    page = chromium.new_page()
    browser_sign_in(page, own, "commissioner")
    page.goto(f"{own.url}/scenarios/runs/{run}")
    headline = " ".join(page.locator("ul.headline").inner_text().split())
    assert "909 under the scenario (+58)" in headline, headline

    cats = _rows(page, "Children looked after by placement category at the end of the forecast")
    # category, base mean, P10, P90, scenario mean, P10, P90, difference
    assert [(r[0], r[1], r[4], r[7]) for r in cats] == [
        ("Kinship foster care", "124", "132", "8"),
        ("In-house foster care", "231", "245", "14"),
        ("All children looked after", "851", "909", "58"),
    ]
    starts = _rows(page, "Mean placement starts a year over the forecast")
    assert starts == [["Kinship foster care", "128.1", "137.7", "9.6"]]
    for r in _rows(page, "Placement spend by financial year"):
        base, scenario, difference = _number(r[2]), _number(r[5]), _number(r[8])
        assert scenario - base == difference, r
