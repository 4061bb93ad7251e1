"""A scenario run's chart, "Children looked after: base and scenario", said under it "by
May 2026 the middle forecast is 101 (8 in 10 futures between 91 and 112)", the base's
figure, beside the scenario's 98, and its legend said "Middle forecast (P50)" and "8 in 10
futures" without saying whose: a commissioner reading the sentence (or hearing it: it is
the chart's description) took the base's figure for the scenario's. The legend and the
sentence now name the base, and the sentence gives the scenario's figure too."""

from __future__ import annotations

import datetime as dt

from sufficiency.store.saved_scenarios import ScenarioRunInfo
from sufficiency.web.scenarios import comparison


def test_the_chart_of_base_and_scenario_says_whose_each_figure_is():
    months = ["2026-04-30", "2026-05-31"]
    results = {
        "start": "2026-03-31", "horizon": months[-1], "num_paths": 100, "seed": 1,
        "totals": {"month": months, "base_p10": [90.0, 91.0], "base_p50": [100.0, 101.0],
                   "base_p90": [110.0, 112.0], "scenario_p50": [99.0, 98.0]},
        "by_category": [], "cost": {"financial_year": []}, "starts": [], "shortfall": [],
    }  # fmt: skip
    run = ScenarioRunInfo(7, 1, 1, {}, "x", dt.datetime(2026, 4, 1), None, "succeeded",
                          None, None, None, results)  # fmt: skip
    chart = comparison(run, "Entries up 10%")["chart"]
    assert chart.description == (
        "Children looked after: base and scenario: by May 2026 the base's middle forecast is "
        "101 (8 in 10 futures between 91 and 112); Entries up 10%'s is 98."
    )
    svg = str(chart.svg)
    assert "The base: middle forecast (P50)" in svg
    assert "The base: 8 in 10 futures (P10 to P90)" in svg
    assert "Entries up 10% (P50)" in svg
