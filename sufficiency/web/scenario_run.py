"""Run a saved scenario on the latest forecast run's history and settings, in the background.

The forecast run recorded its 903 history (each file with its SHA-256), its ``[forecast]``
settings, its configuration file, supply and register, and its start (in
``assumptions.csv``). A scenario run reads them back, checks no file has changed since,
and calls :func:`sufficiency.api.forecast` with the scenario: the same seed gives the
same base, so base and scenario differ by the scenario alone. It keeps aggregate
figures only (children by category at the horizon, starts, shortfall, cost): nothing
that names a child.

A run takes seconds on the sample and longer on a large authority, so it runs in a
background thread; the page showing it waits for it to end (no JavaScript).
One run at a time per server process: a second waits its turn.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sufficiency import api, vocabulary
from sufficiency.config import ForecastParams, Params, load_params
from sufficiency.errors import SufficiencyError
from sufficiency.finance.report import default_costs, project_forecast
from sufficiency.finance.summaries import period_table
from sufficiency.forecast import ForecastReport, ForecastResult, Scenario
from sufficiency.forecast.projection import step_downs_made
from sufficiency.io.csv_text import read_csv_output
from sufficiency.store import RunStore
from sufficiency.store.saved_scenarios import (
    ScenarioRunInfo,
    finish_scenario_run,
    scenario_runs,
    start_scenario_run,
)
from sufficiency.store.stopped import end_stopped, release
from sufficiency.web import faults
from sufficiency.web.store_files import latest_run, unchanged

log = logging.getLogger("sufficiency.web")


class BaseNotAvailable(SufficiencyError):
    """The latest forecast run cannot be repeated: none, or its inputs changed."""


@dataclass(frozen=True)
class BaseRun:
    """What the latest forecast run read, as the run store recorded it."""

    run_id: int
    history: Path
    params: Params
    start: pd.Timestamp | None
    supply: Path | None
    placements: Path | None


def base_run(store: RunStore) -> BaseRun:
    """The latest forecast run's history and settings.

    Raises
    ------
    BaseNotAvailable
        No forecast run, or one of its input files is missing or changed since.
    """
    run = latest_run(store, "forecast")
    if run is None:
        raise BaseNotAvailable(
            "There is no forecast in the store yet to run the scenario on: ask whoever runs "
            "the forecast to record one (for them: sufficiency forecast --store ...)."
        )
    rid = int(run["id"])
    inputs: dict[str, Path] = {}
    history: Path | None = None
    for f in run["files"]:
        if f["role"] != "input":
            continue
        path = unchanged(f)
        if path is None:
            raise BaseNotAvailable(
                f"Input {f['label']} of forecast run {rid} has moved or changed since the run "
                f"({f['path']}); run the forecast again to make a new base."
            )
        label = str(f["label"])
        if label.startswith("history/"):
            rel = label.removeprefix("history/")
            history = Path(str(path)[: -len(rel)].rstrip("/\\") or ".")
        else:
            inputs[label] = path
    history = history or inputs.get("history")
    if history is None:
        raise BaseNotAvailable(f"Forecast run {rid} recorded no 903 history.")
    params = load_params(inputs.get("config"))
    recorded = (run.get("config") or {}).get("forecast")
    if recorded:
        params = params.model_copy(update={"forecast": ForecastParams(**recorded)})
    start = None
    for f in run["files"]:
        if f["role"] == "output" and f["label"] == "assumptions.csv" and unchanged(f):
            table = read_csv_output(f["path"], dtype=str)
            found = table.loc[table["item"] == "Forecast start", "value"]
            start = pd.Timestamp(found.iloc[0]) if len(found) else None
    return BaseRun(rid, history, params, start, inputs.get("supply"), inputs.get("placements"))


def _q(values: np.ndarray, axis: int = 0) -> tuple[float, float, float, float]:
    p10, p50, p90 = np.quantile(values, [0.1, 0.5, 0.9], axis=axis)
    return _round(values.mean(axis=axis)), _round(p10), _round(p50), _round(p90)


def _round(x: float) -> float:
    return round(float(x), 2)


def _by_category(base: ForecastResult, scen: ForecastResult) -> list[dict[str, Any]]:
    rows = []
    for c, cat in [*enumerate(base.categories), (-1, "all")]:
        b = base.total() if c < 0 else base.stock[:, :, c].sum(axis=2)
        s = scen.total() if c < 0 else scen.stock[:, :, c].sum(axis=2)
        bm, b10, _b50, b90 = _q(b[:, -1])
        sm, s10, _s50, s90 = _q(s[:, -1])
        if c >= 0 and max(b90, s90, b[:, 0].max()) == 0:
            continue
        rows.append({"category": "All children looked after" if c < 0 else
                     vocabulary.category(cat), "base_mean": bm, "base_p10": b10,
                     "base_p90": b90, "scenario_mean": sm, "scenario_p10": s10,
                     "scenario_p90": s90, "difference": _round(sm - bm)})  # fmt: skip
    return rows


def _starts(report: ForecastReport, name: str) -> list[dict[str, Any]]:
    years = max(report.base.horizon_months / 12, 1e-9)
    st = report.starts
    rows: list[dict[str, Any]] = []
    for cat in [*report.base.categories]:
        b = st[(st["scenario"] == "base") & (st["category"] == cat)]["mean"].sum() / years
        s = st[(st["scenario"] == name) & (st["category"] == cat)]["mean"].sum() / years
        if b == 0 and s == 0:
            continue
        rows.append({"category": vocabulary.category(cat), "base": _round(b),
                     "scenario": _round(s), "difference": _round(s - b)})  # fmt: skip
    tb, ts = sum(r["base"] for r in rows), sum(r["scenario"] for r in rows)
    rows.append({"category": "All categories", "base": _round(tb), "scenario": _round(ts),
                 "difference": _round(ts - tb)})  # fmt: skip
    return rows


def _shortfall(report: ForecastReport, name: str) -> list[dict[str, Any]]:
    sf = report.shortfall
    if sf is None:
        return []
    last = sf["quarter_end"].max()
    rows = []
    for cat in dict.fromkeys(sf["category"]):
        b = sf[(sf["scenario"] == "base") & (sf["category"] == cat)]
        s = sf[(sf["scenario"] == name) & (sf["category"] == cat)]
        bl, sl = b[b["quarter_end"] == last], s[s["quarter_end"] == last]
        if bl.empty or sl.empty:
            continue
        rows.append({
            "category": vocabulary.category(str(cat)),
            "places": _round(bl["places"].iloc[0]),
            "base_gap": _round(bl["expected_gap"].iloc[0]),
            "scenario_gap": _round(sl["expected_gap"].iloc[0]),
            "base_prob": _round(bl["prob_demand_exceeds_supply"].iloc[0]),
            "scenario_prob": _round(sl["prob_demand_exceeds_supply"].iloc[0]),
        })  # fmt: skip
    return rows


def _cost(report: ForecastReport, params: Params) -> dict[str, list[dict[str, Any]]]:
    assert report.scenario is not None
    costs = default_costs(params.finance)
    b = project_forecast(report.base, params.finance, costs)
    s = project_forecast(report.scenario, params.finance, costs)
    out: dict[str, list[dict[str, Any]]] = {}
    for period in ("financial_year", "quarter"):
        tb, ts = period_table(b, period), period_table(s, period)
        tb, ts = tb[tb["cost_line"] == "all"], ts[ts["cost_line"] == "all"]
        out[period] = [
            {"period": str(x[period]), "months": int(x["months"]),
             "base_mean": x["mean"], "base_p10": x["p10"], "base_p50": x["p50"],
             "base_p90": x["p90"], "scenario_mean": y["mean"], "scenario_p10": y["p10"],
             "scenario_p50": y["p50"], "scenario_p90": y["p90"],
             "difference": _round(y["mean"] - x["mean"])}
            for x, y in zip(tb.to_dict("records"), ts.to_dict("records"), strict=True)
        ]  # fmt: skip
    return out


def summarise(report: ForecastReport, params: Params, base_run_id: int) -> dict[str, Any]:
    """The figures a scenario page compares, as JSON-ready aggregates (no child named)."""
    base, scen = report.base, report.scenario
    assert scen is not None
    bt, st = base.total(), scen.total()
    b10, b50, b90 = np.quantile(bt, [0.1, 0.5, 0.9], axis=0)
    return {
        "forecast_run_id": base_run_id,
        "start": f"{base.start:%Y-%m-%d}",
        "horizon": f"{base.month_ends[-1]:%Y-%m-%d}",
        "num_paths": base.num_paths,
        "seed": base.seed,
        "totals": {
            "month": [f"{m:%Y-%m-%d}" for m in base.month_ends],
            "base_p10": [_round(v) for v in b10],
            "base_p50": [_round(v) for v in b50],
            "base_p90": [_round(v) for v in b90],
            "scenario_p50": [_round(v) for v in np.quantile(st, 0.5, axis=0)],
        },
        "by_category": _by_category(base, scen),
        "starts": _starts(report, scen.scenario),
        "shortfall": _shortfall(report, scen.scenario),
        "cost": _cost(report, params),
        "cost_basis": "each placement category's weekly cost, and its yearly rise, as the "
        "configuration sets them for whoever runs sufficiency (weekly_cost_gbp in [finance])",
    }


def run_scenario(base: BaseRun, scenario: Scenario) -> dict[str, Any]:
    """Forecast ``base`` with ``scenario`` and summarise (seconds on the sample)."""
    report = api.forecast(base.history, base.params, start=base.start, scenario=scenario,
                          supply=base.supply, placements=base.placements)  # fmt: skip
    results = summarise(report, base.params, base.run_id)
    assert report.scenario is not None
    # each step-down as asked and as made: fewer when its category ran out of children
    results["step_downs"] = [f"{label}: {said}." for label, said, _ in
                             step_downs_made(scenario, report.scenario)]  # fmt: skip
    return results


# --- in the background ---------------------------------------------------------------

#: One scenario run at a time per process: the forecast uses the machine's cores.
_SLOT = threading.BoundedSemaphore(1)


def _work(store: RunStore, run_id: int, base: BaseRun, scenario: Scenario) -> None:
    try:
        with _SLOT:
            results = run_scenario(base, scenario)
        finish_scenario_run(store, run_id, results=results)
    except SufficiencyError as exc:
        finish_scenario_run(store, run_id, failure_reason=str(exc))
    except Exception as exc:
        faults.log_fault(log, f"scenario run {run_id} failed", exc)  # where, not the message
        reason = faults.said("the scenario")
        finish_scenario_run(store, run_id, failure_reason=reason[0].upper() + reason[1:] + ".")
    finally:  # a run this thread no longer runs is taken as stopped if still "running"
        release("scenario_runs", store.url, run_id)


def start_run(
    store: RunStore, scenario_id: int, scenario: Scenario, definition: dict[str, Any], user: str
) -> int:
    """Start a run of a saved scenario in a background thread; return the run's ID.

    Raises
    ------
    BaseNotAvailable
        There is no forecast run to repeat, or its inputs changed.
    AlreadyRunning
        A run of the scenario as it says now is running (the button clicked twice).
    """
    with _STARTING:  # the second click's request waits for the first's run to be recorded
        end_stopped(store)
        latest = scenario_runs(store, scenario_id, limit=1)
        if latest and latest[0].status == "running" and latest[0].definition == definition:
            raise AlreadyRunning(latest[0])
        base = base_run(store)
        run_id = start_scenario_run(store, scenario_id, base.run_id, definition, user)
    threading.Thread(target=_work, args=(store, run_id, base, scenario), daemon=True,
                     name=f"scenario-run-{run_id}").start()  # fmt: skip
    return run_id


_STARTING = threading.Lock()


class AlreadyRunning(Exception):
    """A run of the scenario, saying what it says now, is under way: ``run``."""

    def __init__(self, run: ScenarioRunInfo) -> None:
        super().__init__(f"scenario run {run.id} is running")
        self.run = run
