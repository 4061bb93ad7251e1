"""A scenario's cost beside the base, and the Spend page, in Chromium as a commissioner
reads them. The scenario run's base is the latest forecast run priced at the
configuration's costs; the Spend page's is the latest spend run, a run of its own. On the
shared site they differ (the forecast has 100 futures, the spend run 40), and the two
pages gave two "base" figures for 2026-27 with no word of which run each was. Each now
names its run and says where the two bases differ."""

from __future__ import annotations

import re

import pytest

from sufficiency.pages.render import uk_time
from tests.web.conftest import browser_sign_in, until

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_the_scenario_and_spend_pages_say_which_run_each_base_is(
    site, chromium, forecast_run, spend_run
):
    forecast = site.store.list_runs(limit=1, kind="forecast", status="succeeded")[0]
    spend = site.store.list_runs(limit=1, kind="spend", status="succeeded")[0]
    page = chromium.new_page()
    try:
        browser_sign_in(page, site, "commissioner")
        page.goto(site.url + "/spend")
        main = page.get_by_role("table", name=re.compile("Spend by financial year, all cost"))
        row = main.get_by_role("row").filter(has_text="2026-27").get_by_role("cell")
        spend_mean = row.all_inner_texts()[1]  # months, mean (the year heads the row)
        assert spend_mean.startswith("£")

        page.goto(site.url + "/scenarios/new")
        page.get_by_label("Name", exact=True).fill("Bases named: entries up 5%")
        page.get_by_label("Change in entries (%)").fill("5")
        page.get_by_role("button", name="Save scenario").click()
        page.get_by_role("button", name="Run this scenario").click()
        until(page, lambda: page.get_by_role("heading", name="Cost").count() == 1)
        cost = page.get_by_role("table", name="Placement spend by financial year: base and "
                                "scenario")  # fmt: skip
        cells = cost.get_by_role("row").filter(has_text="2026-27").get_by_role("cell")
        base_mean = cells.all_inner_texts()[1]
        assert base_mean != spend_mean  # two bases for one year: the page must say why
        priced = " ".join(page.locator("p.note", has_text="Priced at").inner_text().split())
        assert priced == (  # it said "([finance] weekly_cost_gbp)" and no more to a commissioner
            "Priced at each placement category's weekly cost, and its yearly rise, as the "
            "configuration sets them for whoever runs sufficiency (weekly_cost_gbp in [finance])."
        ), priced
        said = " ".join(page.locator("#cost-base").inner_text().split())
        f_at, s_at = (uk_time(r["started_at"], "{day}, %H:%M") for r in (forecast, spend))
        assert said.startswith(f"The base here is the forecast that started {f_at} and "
                               "finished "), said  # fmt: skip
        assert f"The Spend page shows the spend forecast that started {s_at} and finished " in said
        assert f"2026-27: {spend_mean} there, {base_mean} here" in said
        # by when they started, as the other pages say runs; the numbers in a last sentence
        assert not re.search(r"(forecast|spend) run \d", said.split("In the run store")[0])
        assert said.endswith(f"In the run store, the forecast is run {forecast['id']} and the "
                             f"spend forecast run {spend['id']}: the numbers an administrator "
                             "looks them up by.")  # fmt: skip

        page.goto(site.url + "/spend")
        notes = page.locator("p.note", has_text="Its base is the forecast").all_inner_texts()
        mine = [" ".join(n.split()) for n in notes if f"2026-27: {spend_mean} there," in n]
        assert mine, notes  # every saved scenario's run names its base
        assert f"Its base is the forecast that started {f_at} and finished " in mine[0]
        assert "not the spend forecast above" in mine[0]
        assert not re.search(r"(forecast|spend) run \d", mine[0].split("In the run store")[0])
    finally:
        page.close()
