"""Which run each spend figure comes from, said where a scenario's cost meets the base.

A saved scenario's run repeats the latest *forecast* run with the scenario and prices
both at the configuration's weekly costs (:mod:`sufficiency.web.scenario_run`); the
Spend page shows the latest *spend* run, a run of its own (its own forecast, costs and
budget, perhaps on another day or history). The scenario's page and the Spend page's
saved scenarios gave "the base" with no word of which run it was, so a commissioner
setting the two side by side saw two bases for the same year and nothing said why. Each
now names its run by when it started and finished (the run store numbers in a last
sentence, for an administrator), and says, year by year, where the two bases differ.
"""

from __future__ import annotations

from typing import Any

from sufficiency.io.csv_text import read_csv_output
from sufficiency.pages.render import gbp
from sufficiency.store import RunStore
from sufficiency.store.saved_scenarios import ScenarioRunInfo
from sufficiency.web.run_words import get_run, run_named, store_note
from sufficiency.web.store_files import latest_shown, output


def _spend_means(run: dict[str, Any]) -> dict[str, float]:
    """The spend run's mean spend (all cost lines) by financial year ({} if not read)."""
    path = output(run, "spend_years.csv")
    years = read_csv_output(path) if path is not None else None
    if years is None or "cost_line" not in years:
        return {}
    rows = years[years["cost_line"] == "all"]
    return {str(y): float(m) for y, m in zip(rows["financial_year"], rows["mean"], strict=True)}


def _forecast_words(store: RunStore, scenario_run: ScenarioRunInfo) -> str:
    return run_named(get_run(store, scenario_run.forecast_run_id), "forecast")


def _numbers(scenario_run: ScenarioRunInfo, spend: dict[str, Any] | None) -> str:
    runs = [("forecast", scenario_run.forecast_run_id)]
    return store_note(runs + ([("spend forecast", int(spend["id"]))] if spend else []))


def _differences(scenario_run: ScenarioRunInfo, spend: dict[str, Any]) -> str:
    """Where the spend run's mean differs from this run's base, by year, in words."""
    means = _spend_means(spend)
    rows = ((scenario_run.results or {}).get("cost") or {}).get("financial_year") or []
    apart = [f"{r['period']}: {gbp(means[str(r['period'])])} there, {gbp(r['base_mean'])} here"
             for r in rows if str(r["period"]) in means
             and gbp(means[str(r["period"])]) != gbp(r["base_mean"])]  # fmt: skip
    shared = [r for r in rows if str(r["period"]) in means]
    if not shared:
        return "It covers none of the same financial years."
    if not apart:
        return "Its base (mean) is the same as this one's for each year shown here."
    return "Its base (mean) differs from this one's: " + "; ".join(apart) + "."


def base_sentence(store: RunStore, scenario_run: ScenarioRunInfo) -> str:
    """Under a scenario run's cost table: which run its base is, and the Spend page's."""
    said = (f"The base here is {_forecast_words(store, scenario_run)}, with this "
            "scenario's run priced the same way.")  # fmt: skip
    spend, problem, _ = latest_shown(store, "spend")
    if spend is None or problem:
        return (f"{said} There is no spend forecast to show on the Spend page. "
                f"{_numbers(scenario_run, None)}")  # fmt: skip
    return (
        f"{said} The Spend page shows {run_named(spend, 'spend forecast')}, a run of "
        f"its own (its own forecast and costs). {_differences(scenario_run, spend)} "
        f"{_numbers(scenario_run, spend)}"
    )


def saved_note(store: RunStore, scenario_run: ScenarioRunInfo, spend: dict[str, Any]) -> str:
    """Beside a saved scenario's table on the Spend page: its base is not the spend
    forecast's above."""
    return (
        f"Its base is {_forecast_words(store, scenario_run)}, not the spend forecast above. "
        f"{_differences(scenario_run, spend)} {_numbers(scenario_run, spend)}"
    )
