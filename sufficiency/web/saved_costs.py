"""The cost of each saved scenario's latest run against its base, for the spend pages."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sufficiency.store import RunStore
from sufficiency.store.saved_scenarios import list_scenarios, scenario_runs


def saved_scenario_costs(store: RunStore) -> list[dict[str, Any]]:
    """Per saved scenario with a finished run: its name, run and cost by financial year."""
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
        out.append({"id": s.id, "name": s.name, "run": run,
                    "table": table.rename(columns={"period": "financial_year"})})  # fmt: skip
    return out
