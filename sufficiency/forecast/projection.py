"""The simulation driver: the stock at the start, the default start, simulate from spells."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sufficiency.config import ForecastParams
from sufficiency.forecast.estimate import fit_model
from sufficiency.forecast.model import ForecastModel
from sufficiency.forecast.result import ForecastResult
from sufficiency.forecast.scenario import BASE, Scenario
from sufficiency.forecast.simulate import InitialStock, simulate
from sufficiency.forecast.states import (
    AGE_BANDS,
    CATEGORIES,
    DAYS_PER_MONTH,
    LEAVING_AGE_MONTHS,
    CareSpells,
    age_months_at,
    month_ends,
    stock_at,
    tic_days,
)

HISTORY_MONTHS_SHOWN = 36


def initial_stock(care: CareSpells, start: pd.Timestamp) -> InitialStock:
    """Children in care at the end of ``start``: category, legal group, age and time in care.

    Time in care counts from the period's start, or for a prevalent period (begun
    before the earliest return) from the first day of the returns.
    """
    sp = care.spells
    d = np.datetime64(pd.Timestamp(start), "ns")
    end = sp["end"].to_numpy("datetime64[ns]")
    live = (sp["start"].to_numpy("datetime64[ns]") <= d) & (np.isnat(end) | (end > d))
    rows = sp[live]
    age = age_months_at(rows["dob"], pd.Timestamp(start))
    keep = age < LEAVING_AGE_MONTHS
    day = np.full(len(rows), np.datetime64(pd.Timestamp(start), "D").astype(np.int64))
    days_in_care, prevalent = tic_days(care, np.flatnonzero(live), day)
    tic = np.floor(days_in_care / DAYS_PER_MONTH).astype(np.int32)
    return InitialStock(
        category=rows["category"].to_numpy(np.int32)[keep],
        age_months=age[keep].astype(np.int32),
        tic_months=tic[keep],
        prevalent=prevalent[keep],
        legal=rows["legal"].to_numpy(np.int64)[keep],
    )


def default_start(care: CareSpells) -> pd.Timestamp:
    """The last day the history covers (31 March of the latest return)."""
    return care.data_end


def forecast_from_spells(
    care: CareSpells,
    params: ForecastParams,
    start: pd.Timestamp | None = None,
    scenario: Scenario = BASE,
    progress: Callable[[int], None] | None = None,
    model: ForecastModel | None = None,
) -> ForecastResult:
    """Fit (unless ``model`` is given) and simulate from already-built spells."""
    start = pd.Timestamp(start if start is not None else default_start(care)).normalize()
    if model is None:
        model = fit_model(care, start, params)
    months = month_ends(start, params.horizon_months)
    stock, starts, entries, exits = simulate(
        model, initial_stock(care, start), months, params, scenario, progress
    )
    first_hist = max(start - pd.DateOffset(months=HISTORY_MONTHS_SHOWN), care.data_start)
    hist_months = pd.date_range(first_hist, start, freq="ME")
    hist_months = hist_months[hist_months < start]
    return ForecastResult(
        month_ends=months,
        categories=CATEGORIES,
        age_bands=AGE_BANDS,
        stock=stock,
        starts=starts,
        entries=entries,
        exits=exits,
        history_month_ends=hist_months,
        history_stock=stock_at(care, hist_months),
        scenario=scenario.name,
        seed=params.seed,
    )
