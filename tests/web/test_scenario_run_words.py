"""The scenario pages and the Spend page's saved scenarios named runs by number: "Run 2"
(the scenario runs' own sequence, shared by every scenario), "Forecast run (base)" with a
bare 3, "on forecast run 3" in the scenario's history, a table "Scenario X (run 2)" and "It
was run on forecast run 3; the latest forecast is run 5". The matching, forecast and spend
pages say a run by when it started and keep the store number in a muted note for an
administrator; these now do too. Their run states were the store's codes ("succeeded").
Driven in headless Chromium on a store of its own (runs recorded at known times)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from sufficiency.store.saved_scenarios import (
    finish_scenario_run,
    save_scenario,
    start_scenario_run,
)
from sufficiency.web.saved_costs import saved_scenario_costs
from tests.web.conftest import browser_sign_in, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
T0 = dt.datetime(2026, 3, 31, 19, tzinfo=dt.UTC)  # 20:00 in England (summer time)
RESULTS = {
    "start": "2026-03-31", "horizon": "2026-05-31", "num_paths": 100, "seed": 1,
    "totals": {"month": ["2026-04-30", "2026-05-31"], "base_p10": [90.0, 91.0],
               "base_p50": [100.0, 101.0], "base_p90": [110.0, 112.0],
               "scenario_p50": [99.0, 98.0]},
    "by_category": [], "starts": [], "shortfall": [],
    "cost": {"financial_year": [{"period": "2026-27", "months": 12, "base_mean": 1000.0,
                                 "base_p10": 900.0, "base_p90": 1100.0,
                                 "scenario_mean": 1100.0, "scenario_p10": 1000.0,
                                 "scenario_p90": 1200.0, "difference": 100.0}]},
    "cost_basis": "the configuration's weekly costs", "step_downs": [],
}  # fmt: skip


def _run(store, kind: str, hours: int) -> int:
    rid = store.start(kind, {}, now=T0 + dt.timedelta(hours=hours))
    store.finish(rid, succeeded=True, now=T0 + dt.timedelta(hours=hours, minutes=3))
    return rid


def _words(page, selector: str = "main") -> str:
    return " ".join(page.inner_text(selector).split())


def test_scenario_pages_say_runs_by_when_they_started(tmp_path, chromium):
    with site_of_its_own(tmp_path, "commissioner", "finance") as site:
        _run(site.store, "match", 0)  # the store's numbers count every job's runs
        forecast = _run(site.store, "forecast", 1)  # run 2: 31 March 2026, 21:00
        sid = save_scenario(
            site.store, "Entries up 5%", {"name": "Entries up 5%", "entries_pct": 5}, "commissioner"
        )
        for minutes in (10, 20):  # scenario runs 1 and 2, at 22:10 and 22:20
            at = T0 + dt.timedelta(hours=2, minutes=minutes)
            run = start_scenario_run(site.store, sid, forecast, {"name": "Entries up 5%",
                                     "entries_pct": 5}, "commissioner", now=at)  # fmt: skip
            finish_scenario_run(site.store, run, results=RESULTS, now=at)
        spend = _run(site.store, "spend", 3)  # run 3, 23:00
        newer = _run(site.store, "forecast", 4)  # run 4, 1 April 2026, 00:00

        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        browser_sign_in(page, site, "commissioner")
        page.goto(f"{site.url}/scenarios")
        row = _words(page, "table tbody tr")
        assert "31 March 2026, 22:20: finished" in row, row  # not "succeeded"

        page.goto(f"{site.url}/scenarios/{sid}")
        runs = page.get_by_role("table", name="Runs of this scenario, newest first")
        heads = [" ".join(h.split()) for h in runs.locator("thead th").all_inner_texts()]
        assert heads == ["Started", "By", "Base: the forecast it was run on", "Result"]
        first = " ".join(runs.locator("tbody tr").first.inner_text().split())
        assert first.startswith("31 March 2026, 22:20 commissioner started 31 March 2026, "
                                f"21:00 (run {forecast} in the run store)"), first  # fmt: skip
        assert not re.search(r"\bRun \d", _words(page)), _words(page)
        history = _words(page, "table >> nth=1")
        assert f"on the forecast started 31 March 2026, 21:00, run {forecast} in the run store" in (
            history
        ), history
        assert "on forecast run" not in history

        runs.get_by_role("link", name="31 March 2026, 22:20").click()
        assert page.title().startswith("Scenario Entries up 5%: the run started 31 March 2026, "
                                       "22:20")  # fmt: skip
        note = _words(page, "p.note >> nth=0")
        assert note == (
            "The run of Entries up 5% started by commissioner on 31 March 2026, 22:20, on the "
            "history and settings of the forecast that started 31 March 2026, 21:00 (run "
            f"{forecast} in the run store, for an administrator)."
        ), note
        said = _words(page, "#cost-base")
        assert said.startswith("The base here is the forecast that started 31 March 2026, "
                               "21:00 and finished 31 March 2026, 21:03, ")  # fmt: skip
        assert ("The Spend page shows the spend forecast that started 31 March 2026, 23:00 "
                "and finished 31 March 2026, 23:03") in said, said  # fmt: skip
        assert said.endswith(f"In the run store, the forecast is run {forecast} and the spend "
                             f"forecast run {spend}: the numbers an administrator looks them "
                             "up by.")  # fmt: skip
        page.close()

        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        browser_sign_in(page, site, "finance")
        page.goto(f"{site.url}/spend")
        caption = _words(page, "table caption >> text=Scenario Entries up 5%")
        assert caption == ("Scenario Entries up 5% (its run started 31 March 2026, 22:20): "
                           "spend by financial year, mean"), caption  # fmt: skip
        page.close()

        # the Spend page's saved scenarios: the table and its note (the page reads the
        # spend run's files, which these runs have not: the notes are read as it builds them)
        shown = saved_scenario_costs(site.store, site.store.get(spend))
        assert len(shown) == 1
        note = shown[0]["note"]
        assert note.startswith("Its base is the forecast that started 31 March 2026, 21:00 "
                               "and finished 31 March 2026, 21:03, not the spend forecast "
                               "above.")  # fmt: skip
        assert (
            f"A newer forecast started 1 April 2026, 00:00 (run {newer} in the run "
            "store): run the scenario again to see it on that one."
        ) in note
        assert not re.search(r"(forecast|spend) run \d", note.split("In the run store")[0]), note
