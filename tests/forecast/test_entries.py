"""The entry model: pooling earlier years of an unchanged level, keeping a changed one."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from forecast_builders import FAST, episode, history

from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.estimate import fit_model
from sufficiency.forecast.states import build_spells

SIX_YEARS = (2021, 2022, 2023, 2024, 2025, 2026)
START = pd.Timestamp("2026-03-31")


def _entries(per_month_before: int, per_month_after: int):
    """Children entering on the 10th of each month from April 2020, each staying 90 days;
    ``per_month_after`` a month from April 2023 (the default reference window)."""
    eps, dobs = [], {}
    for day in pd.date_range("2020-04-01", "2026-03-01", freq="MS") + pd.Timedelta(days=9):
        n = per_month_before if day < pd.Timestamp("2023-04-01") else per_month_after
        end = day + pd.Timedelta(days=90)
        for i in range(n):
            child = f"{day:%Y%m}-{i}"
            eps.append(
                episode(child, f"{day:%Y-%m-%d}", f"{end:%Y-%m-%d}" if end <= START else None)
            )
            dobs[child] = "2015-01-01"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ForecastWarning)
        return fit_model(build_spells(history(eps, dobs, SIX_YEARS)), START, FAST).entries


def test_unchanged_entry_level_pools_earlier_years():
    """Six years of steady entries: the level is fitted on all six, with no shift."""
    em = _entries(4, 4)
    assert em.origin == pd.Timestamp("2020-04-01")
    assert not em.has_shift and not em.has_trend
    assert np.exp(em.coef[0]) == pytest.approx(4, rel=1e-3)


def test_entry_level_shift_keeps_the_reference_window_level():
    """Entries doubled three years ago: a level shift is fitted and the forecast level is
    the reference window's, not the six-year average."""
    em = _entries(3, 6)
    assert em.has_shift
    level = np.exp(em.design(pd.DatetimeIndex([START + pd.offsets.MonthEnd(1)])) @ em.coef)
    assert level[0] == pytest.approx(6, rel=0.02)
