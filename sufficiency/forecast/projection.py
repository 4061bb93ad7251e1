"""The simulation driver: the stock at the start, the default start, simulate from spells."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from sufficiency import vocabulary
from sufficiency.config import ForecastParams
from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.estimate import fit_model
from sufficiency.forecast.model import ForecastModel, category_in_words
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
    leap_day_lag,
    month_ends,
    stock_seen,
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
    age = age - leap_day_lag(rows["dob"], pd.Timestamp(start))
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
    stock, starts, entries, exits, stepped = simulate(
        model, initial_stock(care, start), months, params, scenario, progress
    )
    first_hist = max(start - pd.DateOffset(months=HISTORY_MONTHS_SHOWN), care.data_start)
    hist_months = pd.date_range(first_hist, start, freq="ME")
    hist_months = hist_months[hist_months < start]
    result = ForecastResult(
        month_ends=months,
        categories=CATEGORIES,
        age_bands=AGE_BANDS,
        stock=stock,
        starts=starts,
        entries=entries,
        exits=exits,
        history_month_ends=hist_months,
        history_stock=stock_seen(care, hist_months),
        scenario=scenario.name,
        seed=params.seed,
        step_downs=stepped,
    )
    for said in moved_into_empty(model, result):
        if scenario.name != BASE.name:
            said = f"Scenario {scenario.name}: {said[0].lower()}{said[1:]}"
        warnings.warn(said, ForecastWarning, stacklevel=2)
    for label, said, short in step_downs_made(scenario, result):
        if short:
            said = f"Scenario {scenario.name}, {label[0].lower()}{label[1:]}: {said}."
            warnings.warn(said, ForecastWarning, stacklevel=2)
    return result


def moved_into_empty(model: ForecastModel, result: ForecastResult) -> list[str]:
    """A sentence for each category no child was in during the reference window that a
    simulated child moved into (its rates there are pooled from other categories), with
    in how many futures and for how many child-months; none for a category no future
    reaches (on most histories secure children's homes, said on every run before)."""
    said = []
    for code in model.empty_categories:
        c = CATEGORIES.index(code)
        starts = result.starts[:, 1:, c].sum(axis=1)
        months = result.stock[:, 1:, c].sum(axis=(1, 2))
        reached = int(((starts > 0) | (months > 0)).sum())
        if not reached:
            continue
        words = category_in_words(code)
        futures = (
            "every simulated future"
            if reached == result.num_paths
            else f"{reached:,} of {result.num_paths:,} simulated futures"
        )
        said.append(
            f"No child was in {words} during the reference window, but children moved "
            f"there in {futures} ({vocabulary.counted(int(starts.sum()), 'placement')} and "
            f"{vocabulary.counted(int(months.sum()), 'child-month')} at month ends across "
            "them): their rates "
            f"there are pooled from other categories, so read the forecast for {words} with "
            "care."
        )
    return said


def step_downs_made(scenario: Scenario, result: ForecastResult) -> list[tuple[str, str, bool]]:
    """For each of the scenario's step-downs: a label, what was asked and made in the
    simulation (mean and P10-P90 over the paths), and whether fewer were made than asked
    (the category ran out of children in some months of some futures, said with how
    many, or none fall within the horizon)."""
    rows = []
    h = result.horizon_months
    for k, sd in enumerate(scenario.step_down):
        src, dst = vocabulary.category(sd.from_category), vocabulary.category(sd.to_category)
        label = f"Step-downs from {src} to {dst}"
        asked = sum(sd.count_in_month(m) for m in range(1, h + 1))
        if asked == 0:
            rows.append((label, f"none within the {h}-month forecast (they start in month "
                         f"{sd.start_month})", True))  # fmt: skip
            continue
        made = (result.step_downs[:, 1:, k].sum(axis=1) if result.step_downs is not None
                else np.full(result.num_paths, asked))  # fmt: skip
        p10, p90 = np.quantile(made, [0.1, 0.9])
        last = min(sd.end_month or h, h)
        said = (f"{asked:,} asked ({sd.per_month:g} a month, months {sd.start_month} to "
                f"{last}); {made.mean():,.1f} made on average (P10 {p10:,.0f}, P90 "
                f"{p90:,.0f})")  # fmt: skip
        num_short = int((made < asked).sum())
        short = num_short > 0
        if short:
            # Say in how many futures: a mean of 35.97 of 36 reads "36.0 made (P10 36, P90
            # 36)", and "too few in some months" alone then contradicts it.
            futures = (
                "every simulated future"
                if num_short == len(made)
                else f"{num_short:,} of {len(made):,} simulated futures"
            )
            said += f": {src} had too few children to step down in some months, in {futures}"
        rows.append((label, said, short))
    return rows
