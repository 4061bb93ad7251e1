"""The entry model: pooling an unchanged level, following a changed one, capping trends."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from forecast_builders import FAST, episode, history

from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.estimate import fit_model
from sufficiency.forecast.model import EntryModel
from sufficiency.forecast.projection import forecast_from_spells
from sufficiency.forecast.states import CareSpells, build_spells

SIX_YEARS = (2021, 2022, 2023, 2024, 2025, 2026)
START = pd.Timestamp("2026-03-31")
MONTHS = pd.date_range("2020-04-01", "2026-03-01", freq="MS")


def _spells(counts: np.ndarray) -> CareSpells:
    """Six years of returns; ``counts[m]`` children enter on the 10th of month ``m`` (from
    April 2020), each staying 90 days."""
    eps, dobs = [], {}
    for day, n in zip(MONTHS + pd.Timedelta(days=9), counts, strict=True):
        end = day + pd.Timedelta(days=90)
        for i in range(int(n)):
            child = f"{day:%Y%m}-{i}"
            eps.append(
                episode(child, f"{day:%Y-%m-%d}", f"{end:%Y-%m-%d}" if end <= START else None)
            )
            dobs[child] = "2015-01-01"
    return build_spells(history(eps, dobs, SIX_YEARS))


def _fit(counts: np.ndarray) -> EntryModel:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ForecastWarning)
        return fit_model(_spells(counts), START, FAST).entries


def _level_at_start(em: EntryModel) -> float:
    """Fitted mean entries in the first forecast month."""
    first = pd.DatetimeIndex([START + pd.offsets.MonthEnd(1)])
    return float(np.exp(em.log_mean(em.coef, first))[0, 0])


def _falling_counts() -> np.ndarray:
    """Entries falling by 43% a year for six years, from 20 a month to about 0.7 (whole
    children, rounded on the cumulative count so the months add up)."""
    rate = 20 * np.exp(-0.56 * np.arange(len(MONTHS)) / 12)
    return np.diff(np.r_[0.0, np.floor(np.cumsum(rate) + 0.5)])


def test_unchanged_entry_level_pools_earlier_years():
    """Six years of steady entries: the level is fitted on all six, with no trend or shift,
    and the level is not thought to drift."""
    em = _fit(np.full(len(MONTHS), 4))
    assert em.origin == pd.Timestamp("2020-04-01")
    assert not em.has_shift and not em.has_trend
    assert _level_at_start(em) == pytest.approx(4, rel=1e-3)
    assert em.drift_mean_per_year < FAST.entry_drift_sd_per_year


def test_entry_drift_prior_of_zero_runs_without_a_numpy_warning():
    """``entry_drift_sd_per_year = 0`` (allowed: a level that does not drift) gave the
    console NumPy's "RuntimeWarning: divide by zero encountered in log" with a source
    line; the level is then fitted as fixed, quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", ForecastWarning)
        params = FAST.model_copy(update={"entry_drift_sd_per_year": 0.0})
        em = fit_model(_spells(np.full(len(MONTHS), 4)), START, params).entries
    assert em.drift_mean_per_year == 0
    assert _level_at_start(em) == pytest.approx(4, rel=1e-3)


@pytest.mark.parametrize("step_month", ["2023-04", "2024-10"])
def test_entry_level_step_keeps_the_level_since(step_month: str):
    """Entries doubled (at the reference window's start, or within it): the forecast
    level is the new one, not the six-year average nor a line through the step."""
    counts = np.where(pd.Timestamp(step_month) > MONTHS, 3, 6)
    em = _fit(counts)
    assert em.has_shift and not em.has_trend
    assert _level_at_start(em) == pytest.approx(6, rel=0.02)


def test_falling_entries_start_from_the_recent_level():
    """Entries fell from 20 a month to about 0.7: the fitted level at the start is the
    recent one (a trend capped at 10% a year without refitting its level gave 11 a
    month against 0.67 observed) and the simulated entries follow it."""
    counts = _falling_counts()
    recent = counts[-12:].mean()  # 0.92: the level falls through the year
    em = _fit(counts)
    assert em.has_trend
    assert 0.5 < _level_at_start(em) < recent
    care = _spells(counts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ForecastWarning)
        result = forecast_from_spells(care, FAST)
    simulated = result.entries[:, 1:4].sum(axis=2).mean()
    assert 0.5 < simulated < 1.1


def test_trend_is_capped_after_the_start_only():
    """The history keeps its fitted slope (-43% a year); the future falls at most by the
    cap, damped, so the level one year on is within 10% (and the damping) of the start."""
    em = _fit(_falling_counts())
    assert em.coef[1] == pytest.approx(-0.56, abs=0.1)
    ahead = pd.DatetimeIndex([START, START + pd.DateOffset(years=1)])
    drop = np.diff(em.log_mean(em.coef, ahead)[0])[0]
    k = FAST.entry_trend_damping_per_year
    cap = np.log1p(FAST.max_entry_trend_pct_per_year / 100)
    assert drop == pytest.approx(-cap * (1 - np.exp(-k)) / k, rel=1e-3)


def test_start_in_a_missing_year_is_warned_as_approximate():
    """With no 2023-24 return, who was in care on 31/12/2023 is inferred from the returns
    either side: a forecast (or backtest cutoff) starting then says its starting figures
    are approximate; one starting after the gap does not."""
    spells = _spells(np.full(len(MONTHS), 3))
    care = CareSpells(
        spells.spells,
        spells.data_start,
        spells.data_end,
        ((pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31")),),
    )
    with pytest.warns(ForecastWarning, match="falls in a collection year with no return"):
        fit_model(care, pd.Timestamp("2023-12-31"), FAST)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        fit_model(care, START, FAST)
    assert not [w for w in seen if "no return" in str(w.message)]
