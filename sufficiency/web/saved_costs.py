"""The cost of each saved scenario's latest run against its base, for the spend pages."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sufficiency.pages.render import uk_time
from sufficiency.store import RunStore
from sufficiency.store.saved_scenarios import list_scenarios, scenario_runs
from sufficiency.web.cost_bases import saved_note
from sufficiency.web.run_words import started
from sufficiency.web.scenario_form import describe
from sufficiency.web.store_files import latest_run


def saved_scenario_costs(store: RunStore, spend: dict[str, Any]) -> list[dict[str, Any]]:
    """Per saved scenario with a finished run: its name, run and cost by financial year,
    and a note naming its base (not spend run ``spend``'s) and when the run no longer
    matches the scenario or the latest forecast."""
    forecast = latest_run(store, "forecast")
    out = []
    for s in list_scenarios(store):
        done = [r for r in scenario_runs(store, s.id) if r.status == "succeeded" and r.results]
        if not done:
            continue
        run = done[0]
        assert run.results is not None
        rows = run.results.get("cost", {}).get("financial_year", [])
        table = pd.DataFrame(rows, columns=["period", "months", "base_mean", "scenario_mean",
                                            "difference"])  # fmt: skip
        notes = [saved_note(store, run, spend)]
        if run.definition != s.definition:
            said = " ".join(describe(run.definition)) or "no change."
            notes.append(f"This run is of the scenario as it was before it was changed on "
                         f"{uk_time(s.changed_at)}: {said} Run it again to see it as "
                         "it is now.")  # fmt: skip
        if forecast is not None and int(forecast["id"]) != run.forecast_run_id:
            notes.append(f"A newer forecast started {started(forecast['started_at'])} (run "
                         f"{forecast['id']} in the run store): run the scenario again to see "
                         "it on that one.")  # fmt: skip
        out.append({"id": s.id, "name": str(run.definition.get("name", s.name)), "run": run,
                    "note": " ".join(notes),
                    "table": table.rename(columns={"period": "financial_year"})})  # fmt: skip
    return out
