"""Everything one forecast run produces, as tables ready for the writers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.forecast.backtest import BacktestResult, backtest
from sufficiency.forecast.estimate import fit_model
from sufficiency.forecast.model import ForecastModel
from sufficiency.forecast.params import ForecastParams
from sufficiency.forecast.result import ForecastResult, demand_table, starts_table
from sufficiency.forecast.run import default_start, forecast_from_spells
from sufficiency.forecast.scenario import BASE, Scenario
from sufficiency.forecast.states import CATEGORIES, LEGAL_GROUPS, build_spells
from sufficiency.forecast.supply import SupplyPlan, register_vacancies, shortfall, supply_table
from sufficiency.io.quality import DataQuality
from sufficiency.io.ssda903 import SSDA903History


@dataclass(frozen=True, eq=False)
class ForecastReport:
    """A forecast run: results (base and optional scenario) and their tables.

    Attributes
    ----------
    base, scenario
        Simulated results; ``scenario`` is ``None`` when no scenario was given.
    demand
        Base demand (``demand.csv``); ``scenario_demand`` the same for the scenario.
    comparison
        Base and scenario side by side for category and age band ``all`` rows.
    starts
        Placement starts per month (``starts.csv``), with a ``scenario`` column.
    supply, shortfall, purchases
        Supply per month, shortfall per quarter and external purchases (``None``
        without supply information).
    backtest
        Backtest scores, when requested.
    assumptions
        ``item, value`` rows describing the run and the fitted rates.
    quality
        What was repaired or set aside to read the 903 history (``None`` when the
        history was built in code).
    """

    base: ForecastResult
    scenario: ForecastResult | None
    demand: pd.DataFrame
    scenario_demand: pd.DataFrame | None
    comparison: pd.DataFrame | None
    starts: pd.DataFrame
    supply: pd.DataFrame | None
    shortfall: pd.DataFrame | None
    purchases: pd.DataFrame | None
    backtest: BacktestResult | None
    assumptions: pd.DataFrame
    quality: DataQuality | None = None


def assumptions_table(
    model: ForecastModel, params: ForecastParams, scenario: Scenario, start: pd.Timestamp
) -> pd.DataFrame:
    """Plain-English record of the run's settings and the fitted rates."""
    em = model.entries
    rows: list[tuple[str, str]] = [
        ("Forecast start", start.date().isoformat()),
        ("Horizon (months)", str(params.horizon_months)),
        ("Simulated paths", str(params.num_paths)),
        ("Seed", str(params.seed)),
        (
            "Reference window",
            f"{model.reference_start.date()} to {model.reference_end.date()}",
        ),
        (
            "Entries per month (reference window)",
            f"{em.monthly_counts[len(em.monthly_counts) - _window_months(model) :].mean():.1f}",
        ),
        (
            "Entry level estimated from",
            f"{em.origin.date()} to {em.anchor.date()}",
        ),
        ("Drift of the entry level (sd a year, log)", f"{em.drift_mean_per_year:.3f}"),
        ("Entry trend", "fitted" if em.has_trend else "none (not supported by the data)"),
        ("Entry seasonality", "fitted" if em.has_season else "none (not supported by the data)"),
        (
            "Entry overdispersion (gamma shape)",
            "none (Poisson)" if not np.isfinite(em.nb_shape) else f"{em.nb_shape:.1f}",
        ),
        ("Prior scale of the entry drift (sd a year, log)", f"{params.entry_drift_sd_per_year:g}"),
        ("Rate drift between paths (sd, log)", f"{params.rate_drift_sd:g}"),
        ("Shrinkage (pseudo-events)", f"{params.shrinkage_events:g}"),
        (
            "Rates depend on",
            "category x legal group (" + ", ".join(LEGAL_GROUPS) + ") x age band x time in care",
        ),
        (
            "Moves or changes followed by another in the same month",
            f"{model.repeat_event_prob:.3f}",
        ),
        ("Scenario", scenario.name + (f": {scenario.description}" if scenario.description else "")),
    ]
    exposure = model.exposure_months
    for name, rate in (
        ("exit", model.exit_mean),
        ("move to another category", model.move_mean),
        ("new placement in same category", model.change_mean),
    ):
        for c, cat in enumerate(CATEGORIES):
            w = exposure[c]
            if w.sum() <= 0:
                continue
            yearly = 12 * float((rate[c] * w).sum() / w.sum())
            rows.append((f"Rate of {name}: {cat} (per child per year)", f"{yearly:.3f}"))
    for lg, group in enumerate(LEGAL_GROUPS):
        w = exposure[:, lg]
        if w.sum() <= 0:
            continue
        for name, rate in (
            ("exit", model.exit_mean),
            ("legal-status change", model.legal_mean),
        ):
            yearly = 12 * float((rate[:, lg] * w).sum() / w.sum())
            rows.append((f"Rate of {name}: {group} (per child per year)", f"{yearly:.3f}"))
    return pd.DataFrame(rows, columns=["item", "value"])


def _window_months(model: ForecastModel) -> int:
    """Months in the reference window (the last of the entry model's monthly counts)."""
    ends = pd.date_range(model.reference_start, model.reference_end, freq="ME")
    return max(len(ends) - int(len(ends) > 0 and ends[0] == model.reference_start), 1)


def _comparison(base: pd.DataFrame, scen: pd.DataFrame, name: str) -> pd.DataFrame:
    keep = ["month", "category", "age_band", "mean", "p10", "p90"]
    b = base[(base["age_band"] == "all")][keep].drop(columns="age_band")
    s = scen[(scen["age_band"] == "all")][keep].drop(columns="age_band")
    out = b.merge(s, on=["month", "category"], suffixes=("_base", "_scenario"))
    out.insert(2, "scenario", name)
    out["difference_mean"] = (out["mean_scenario"] - out["mean_base"]).round(2)
    return out


def run_forecast(
    history: SSDA903History,
    params: ForecastParams | None = None,
    start: pd.Timestamp | None = None,
    scenario: Scenario | None = None,
    supply: SupplyPlan | None = None,
    placements: pd.DataFrame | None = None,
    backtest_cutoffs: Sequence[pd.Timestamp] = (),
    progress: Callable[[int], None] | None = None,
) -> ForecastReport:
    """Forecast demand (and a scenario), compare with supply, optionally backtest.

    Parameters
    ----------
    history
        The 903 history (:func:`sufficiency.io.ssda903.read_ssda903`).
    params
        Forecast parameters (defaults when ``None``).
    start
        Last observed day; defaults to the end of the history.
    scenario
        Changes to simulate alongside the base forecast.
    supply, placements
        Supply file and placement register; either enables the shortfall tables.
    backtest_cutoffs
        Cutoffs at which to backtest (12-month horizon).
    progress
        Called with the month number as the simulation advances.
    """
    params = params or ForecastParams()
    care = build_spells(history)
    start = pd.Timestamp(start if start is not None else default_start(care)).normalize()
    model = fit_model(care, start, params)
    base = forecast_from_spells(care, params, start, BASE, progress, model)
    scen = None
    if scenario is not None and not scenario.is_base:
        scen = forecast_from_spells(care, params, start, scenario, progress, model)
    demand = demand_table(base)
    scen_demand = demand_table(scen) if scen is not None else None
    starts = starts_table(base)
    starts.insert(0, "scenario", "base")
    if scen is not None:
        more = starts_table(scen)
        more.insert(0, "scenario", scen.scenario)
        starts = pd.concat([starts, more], ignore_index=True)
    sup = short = buys = None
    if supply is not None or placements is not None:
        vac = register_vacancies(placements)
        sup = supply_table(base, supply, vac)
        parts = [(base, "base")] + ([(scen, scen.scenario)] if scen is not None else [])
        shorts, purchases = [], []
        for res, name in parts:
            s, b = shortfall(res, supply, vac)
            s.insert(0, "scenario", name)
            b.insert(0, "scenario", name)
            shorts.append(s)
            purchases.append(b)
        short = pd.concat(shorts, ignore_index=True)
        buys = pd.concat(purchases, ignore_index=True)
    bt = backtest(history, list(backtest_cutoffs), 12, params) if backtest_cutoffs else None
    return ForecastReport(
        base=base,
        scenario=scen,
        demand=demand,
        scenario_demand=scen_demand,
        comparison=(
            _comparison(demand, scen_demand, scen.scenario)
            if scen is not None and scen_demand is not None
            else None
        ),
        starts=starts,
        supply=sup,
        shortfall=short,
        purchases=buys,
        backtest=bt,
        assumptions=assumptions_table(model, params, scenario or BASE, start),
        quality=history.quality,
    )
