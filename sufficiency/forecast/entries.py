"""The entry model: how many children start to be looked after each month, and who.

Monthly entries are a Poisson regression (quasi-likelihood for overdispersion) with a
level and, only where the data support them, a trend, quarterly seasonality and a
level shift. Terms are chosen by quasi-AIC with a strict penalty per term.

The level is estimated from the longest history available up to
``entry_history_years``, not only the reference window: three years of entries pin an
authority's level down to about 3% (a 12-month forecast carries that error), and more
years of an unchanged level pin it down better. The extra years are kept only when
they do not contradict the window: a *level shift* at the start of the reference
window is one of the candidate terms, and a trend is tested over the whole history,
so a council whose entries have risen or stepped up keeps a level from its recent
data. The split of entries by age band and first placement, and entrants' ages, come
from the reference window alone.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from itertools import product

import numpy as np
import pandas as pd

from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.model import EntryModel
from sufficiency.forecast.params import ForecastParams
from sufficiency.forecast.states import (
    DAYS_PER_MONTH,
    NUM_AGE_BANDS,
    NUM_CATEGORIES,
    NUM_LEGAL_GROUPS,
    CareSpells,
    age_band_of_years,
)

#: Months of history before the reference window needed to consider pooling them.
MIN_EXTRA_MONTHS = 1


def _days(x: np.ndarray) -> np.ndarray:
    return x.astype("datetime64[D]").astype(np.int64)


def poisson_fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Poisson regression by IRLS: coefficients, covariance and log-likelihood kernel."""
    beta = np.zeros(x.shape[1])
    beta[0] = np.log(max(y.mean(), 0.1))
    for _ in range(50):
        mu = np.exp(x @ beta)
        w = mu
        z = x @ beta + (y - mu) / mu
        xtw = x.T * w
        new = np.linalg.solve(xtw @ x + 1e-9 * np.eye(x.shape[1]), xtw @ z)
        if np.max(np.abs(new - beta)) < 1e-10:
            beta = new
            break
        beta = new
    mu = np.exp(x @ beta)
    cov = np.linalg.inv((x.T * mu) @ x + 1e-9 * np.eye(x.shape[1]))
    loglik = float(np.sum(y * np.log(np.maximum(mu, 1e-12)) - mu))
    return beta, cov, loglik


def _monthly_counts(
    care: CareSpells, first: pd.Timestamp, start: pd.Timestamp
) -> tuple[np.ndarray, pd.DatetimeIndex]:
    """Entries per month in ``(first, start]`` and the months' end dates."""
    sp = care.spells
    ent = sp[(sp["kind"] == "entry") & (sp["start"] > first) & (sp["start"] <= start)]
    edges = pd.date_range(first, start, freq="ME")
    if len(edges) == 0 or edges[0] != first:
        edges = pd.DatetimeIndex([first, *edges])
    month = np.searchsorted(edges.to_numpy(), ent["start"].to_numpy(), side="left") - 1
    num_months = len(edges) - 1
    y = np.bincount(month.clip(0, num_months - 1), minlength=num_months).astype(float)
    ends = edges[1:]
    if care.gaps:
        # a month in a collection year with no return has unknown entries, not none
        seen = ~care.in_gap(ends.to_numpy())
        return y[seen], ends[seen]
    return y, ends


def _history_start(
    care: CareSpells, start: pd.Timestamp, window_start: pd.Timestamp, params: ForecastParams
) -> pd.Timestamp:
    months = round(params.entry_history_years * 12)
    first = max(start - pd.DateOffset(months=months) + pd.offsets.MonthEnd(0), care.data_start)
    first = pd.Timestamp(first)
    if first >= window_start or len(pd.date_range(first, window_start, freq="ME")) < (
        MIN_EXTRA_MONTHS
    ):
        return window_start
    return first


def _select(
    y: np.ndarray,
    month_ends: pd.DatetimeIndex,
    proto: EntryModel,
    can_shift: bool,
    penalty: float,
) -> EntryModel:
    """The candidate model with the lowest quasi-AIC, its covariance scaled by dispersion."""
    num_months = len(y)
    candidates = [
        (trend, season, shift)
        for trend, season, shift in product((False, True), repeat=3)
        if (num_months >= 24 or not season) and (can_shift or not shift)
    ]
    fits = []
    for trend, season, shift in candidates:
        model = replace(proto, has_trend=trend, has_season=season, has_shift=shift)
        x = model.design(month_ends)
        fits.append((model, x, *poisson_fit(x, y)))
    # dispersion from the richest candidate (Burnham and Anderson's c-hat), so a real
    # change of level or trend is not mistaken for noise
    _, x_full, beta_full, _, _ = fits[-1]
    mu = np.exp(x_full @ beta_full)
    dof = max(num_months - x_full.shape[1], 1)
    phi = max(1.0, float(np.sum((y - mu) ** 2 / mu) / dof))
    best: tuple[float, EntryModel] | None = None
    for model, x, beta, cov, loglik in fits:
        # a term must earn its place: extrapolated noise costs more than a missed weak
        # effect, so the penalty per term is well above AIC's 2
        qaic = -2 * loglik / phi + penalty * x.shape[1]
        if best is None or qaic < best[0] - 1e-9:
            best = (qaic, replace(model, coef=beta, cov=cov * phi))
    assert best is not None
    return best[1]


def fit_entries(
    care: CareSpells, start: pd.Timestamp, window_start: pd.Timestamp, params: ForecastParams
) -> EntryModel:
    """Fit the entry model at ``start``; the mix of entrants from ``(window_start, start]``."""
    first = _history_start(care, start, window_start, params)
    y, month_ends = _monthly_counts(care, first, start)
    window_y, _ = _monthly_counts(care, window_start, start)
    if window_y.sum() == 0:
        warnings.warn(
            "No child started to be looked after in the reference window: the forecast "
            "assumes no entries.",
            ForecastWarning,
            stacklevel=3,
        )
    proto = EntryModel(
        coef=np.zeros(0),
        cov=np.zeros((0, 0)),
        has_trend=False,
        has_season=False,
        nb_shape=np.inf,
        origin=first,
        trend_end=start,
        trend_damping_per_year=params.entry_trend_damping_per_year,
        composition_alpha=np.zeros(0),
        ages_months=(),
        monthly_counts=y,
        has_shift=False,
        shift_at=window_start,
    )
    chosen = _select(y, month_ends, proto, first < window_start, params.entry_term_penalty)
    if window_y.sum() == 0:
        chosen = replace(
            chosen,
            has_trend=False,
            has_season=False,
            has_shift=False,
            coef=np.array([-30.0]),
            cov=np.zeros((1, 1)),
        )
    coef = chosen.coef.copy()
    if chosen.has_trend:
        cap = np.log1p(params.max_entry_trend_pct_per_year / 100)
        coef[1] = float(np.clip(coef[1], -cap, cap))
    mu = np.exp(chosen.design(month_ends) @ coef)
    excess = float(np.sum((y - mu) ** 2 - mu))
    nb_shape = float(np.sum(mu**2) / excess) if excess > 0 else np.inf
    alpha, ages = _composition(care, start, window_start)
    return replace(chosen, coef=coef, nb_shape=nb_shape, composition_alpha=alpha, ages_months=ages)


def _composition(
    care: CareSpells, start: pd.Timestamp, window_start: pd.Timestamp
) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Dirichlet parameters of entrants' age band x legal group x first category, and ages."""
    sp = care.spells
    ent = sp[(sp["kind"] == "entry") & (sp["start"] > window_start) & (sp["start"] <= start)]
    # simulated entrants join at the end of their entry month, so take ages then
    entry_month_end = (pd.DatetimeIndex(ent["start"]) + pd.offsets.MonthEnd(0)).to_numpy()
    age_days = _days(entry_month_end) - _days(ent["dob"].to_numpy())
    age_months = np.floor(age_days / DAYS_PER_MONTH).astype(np.int64).clip(0, 215)
    band = age_band_of_years(age_months // 12)
    counts = np.zeros((NUM_AGE_BANDS, NUM_LEGAL_GROUPS, NUM_CATEGORIES))
    legal = ent["legal"].to_numpy(np.int64)
    np.add.at(counts, (band, legal, ent["category"].to_numpy(np.int64)), 1)
    # one pseudo-entrant in all, spread as the margins (a legal group by age band)
    prior = (counts.sum(2) + 0.1)[:, :, None] * (counts.sum((0, 1)) + 0.1)[None, None, :]
    alpha = counts + prior / prior.sum()
    ages = []
    for b in range(NUM_AGE_BANDS):
        found = np.sort(age_months[band == b])
        if len(found) == 0:
            lo = [0, 12, 60, 120, 192][b]
            hi = [12, 60, 120, 192, 216][b]
            found = np.arange(lo, hi)
        ages.append(found)
    return alpha, tuple(ages)
