"""A damped entry trend: each path draws when its trend stops, so the band holds a rise
that goes on.

The damped trend's time, ``(1 - exp(-k h)) / k`` years ``h`` years on, is the mean of
``min(h, T)`` for a trend that stops after ``T`` years, exponential with mean ``1 / k``.
Until December 2026 every path carried that mean: no future kept rising past about two
years, and quiet authorities whose entries rose 8% a year and went on rising were inside
P10-P90 at three years in 4 of 6 (``benchmarks/forecast/trend_honesty.py``). Each path
now draws its ``T``: the same course on average (in the log), a wider band.
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
from forecast_builders import regime_history

from sufficiency.config import ForecastParams
from sufficiency.forecast.entries import fit_entries
from sufficiency.forecast.states import build_spells

START = pd.Timestamp("2026-03-31")
DATES = pd.date_range("2026-04-30", periods=36, freq="ME")


def _rising_model():
    """The entry model of a quiet authority whose entries rose 8% a year from April
    2021, held at its trend fit's coefficients (no drift, no uncertainty): only when
    each path's trend stops is left to chance."""
    rise = {"trend_per_year": float(np.log1p(0.08)), "trend_from": pd.Timestamp("2021-04-01")}
    care = build_spells(regime_history(0, **rise))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        em = fit_entries(care, START, pd.Timestamp("2023-03-31"), ForecastParams())
    assert em.has_trend
    rising = em.coef_by_drift[em.coef_by_drift[:, 1] != 0][:1]
    return replace(
        em,
        coef_by_drift=rising,
        cov_by_drift=np.zeros((1, *em.cov_by_drift.shape[1:])),
        drift_sd_per_year=np.zeros(1),
        drift_weights=np.ones(1),
    ), float(rising[0, 1])


def test_some_paths_carry_the_trend_on_to_the_end_and_the_mean_course_is_the_damped_one():
    em, slope = _rising_model()
    k = em.trend_damping_per_year
    drawn = em.draw_log_mean(DATES, np.random.default_rng(7), 20_000)
    rise = drawn - em.log_mean(em.coef_by_drift, DATES[:1])[0, 0]  # from the first month
    years = np.asarray((DATES - START).days, dtype=float) / 365.25
    gained = drawn[:, -1] - drawn[:, 0]
    full = slope * (years[-1] - years[0])
    # a trend still going after three years: exp(-3k) of the paths (22% at k = 0.5)
    share_on = np.mean(np.isclose(gained, full, atol=1e-9))
    assert abs(share_on - np.exp(-k * years[-1])) < 0.015
    # none rises faster than the trend, none falls, and some stop within the first year
    assert (np.diff(drawn, axis=1) >= -1e-12).all()
    assert (np.diff(drawn, axis=1) <= slope * 31 / 365.25 + 1e-12).all()  # a 31-day month
    assert np.mean(gained < slope * 0.9) > 0.3
    # on average (log scale) the damped course, as before
    damped = slope * (1 - np.exp(-k * years)) / k
    assert np.allclose(rise.mean(axis=0), damped - damped[0] + rise[:, 0].mean(), atol=0.004)
    # so the third year's entries spread by when the trend stops (no walk, no doubt of
    # the coefficients here): before, every path was the same
    assert drawn[:, 24:].mean(axis=1).std() > 0.25 * full / 3
