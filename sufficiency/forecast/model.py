"""The fitted forecast model: rates with their uncertainty, ready to simulate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class EntryModel:
    """Monthly entries: a log-linear level (optional trend, level shift, seasonality).

    Attributes
    ----------
    coef, cov
        Poisson-regression coefficients ``[level, trend per year, level shift, quarter
        2-4 effects]`` (terms not selected are absent) and their covariance, inflated
        by the dispersion.
    has_trend, has_season, has_shift
        Which terms the data supported (chosen by quasi-AIC; see :mod:`.entries`).
    nb_shape
        Gamma-Poisson shape of month-to-month overdispersion (``inf`` = Poisson).
    origin
        Start of the entry history fitted, where the trend term is zero.
    trend_end, trend_damping_per_year
        After ``trend_end`` (the forecast start) the trend is damped: ``h`` years on,
        time counts as ``(1 - exp(-k h)) / k`` years, so growth levels off.
    composition_alpha
        Dirichlet parameters of the split of entries by age band x legal group x first
        category, ``(A, L, C)``.
    ages_months
        Entry ages in months observed in each age band, to draw new children's ages.
    monthly_counts
        The monthly entries fitted (from ``origin``), for the Assumptions sheet.
    shift_at
        The reference window's start: the level-shift term is 1 for months after it,
        so a forecast with a shift carries the window's level.
    """

    coef: np.ndarray
    cov: np.ndarray
    has_trend: bool
    has_season: bool
    nb_shape: float
    origin: pd.Timestamp
    trend_end: pd.Timestamp
    trend_damping_per_year: float
    composition_alpha: np.ndarray
    ages_months: tuple[np.ndarray, ...]
    monthly_counts: np.ndarray
    has_shift: bool = False
    shift_at: pd.Timestamp | None = None

    def design(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """Design matrix rows for month-end ``dates``."""
        cols = [np.ones(len(dates))]
        if self.has_trend:
            years = np.asarray((dates - self.origin).days, dtype=float) / 365.25
            end = (self.trend_end - self.origin).days / 365.25
            ahead = np.maximum(years - end, 0.0)
            k = max(self.trend_damping_per_year, 1e-9)
            cols.append(np.minimum(years, end) + (1 - np.exp(-k * ahead)) / k)
        if self.has_shift:
            at = self.shift_at if self.shift_at is not None else self.origin
            cols.append(np.asarray(dates > at, dtype=float))
        if self.has_season:
            quarter = ((np.asarray(dates.month) - 1) // 3 + 3) % 4  # Apr-Jun = 0
            cols += [(quarter == q).astype(float) for q in (1, 2, 3)]
        return np.column_stack(cols)


@dataclass(frozen=True)
class ForecastModel:
    """Rates estimated from a reference window, as gamma/Dirichlet posteriors.

    Rate arrays have shape ``(categories, legal groups, age bands, time-in-care bands)``
    and are events per child-month; the posterior of each is Gamma(``*_shape``, ``*_rate``)
    so that each simulated path can draw its own plausible rates.

    Attributes
    ----------
    reference_start, reference_end
        The window the rates come from.
    tic_edges_months
        Lower edges of the time-in-care bands, months since the period of care began.
    prevalent_tic_edges_months
        Lower edges of the bands for prevalent periods of care (begun before the
        earliest return held), months since the returns begin; these bands follow the
        ordinary ones on the rate arrays' last axis.
    exposure_months
        Child-months in care in each cell during the window.
    exit_shape, exit_rate, move_shape, move_rate, change_shape, change_rate
        Posterior parameters of the exit, category-move and within-category
        placement-change rates.
    legal_shape, legal_rate
        Posterior parameters of the rate of a change of legal group without a new
        placement (an interim order becoming a care or placement order, say).
    dest_alpha
        Dirichlet parameters of the destination of a move, ``(category, legal group, age
        band, category)``.
    legal_after_placement_alpha
        Dirichlet parameters of the legal group after a move or placement change,
        ``(legal group, age band, new category, legal group)``.
    legal_dest_alpha
        Dirichlet parameters of the new legal group after a change of legal group alone,
        ``(legal group, age band, legal group)``.
    repeat_event_prob
        Probability that a move or placement change is followed by another in the same
        month (the window's share; the count in a month is geometric).
    exit_month_event_prob
        Share of exits from care with a move or change earlier in the month of leaving.
    entries
        The entry model.
    """

    reference_start: pd.Timestamp
    reference_end: pd.Timestamp
    tic_edges_months: np.ndarray
    prevalent_tic_edges_months: np.ndarray
    exposure_months: np.ndarray
    exit_shape: np.ndarray
    exit_rate: np.ndarray
    move_shape: np.ndarray
    move_rate: np.ndarray
    change_shape: np.ndarray
    change_rate: np.ndarray
    legal_shape: np.ndarray
    legal_rate: np.ndarray
    dest_alpha: np.ndarray
    legal_after_placement_alpha: np.ndarray
    legal_dest_alpha: np.ndarray
    repeat_event_prob: float
    exit_month_event_prob: float
    entries: EntryModel

    @property
    def exit_mean(self) -> np.ndarray:
        """Posterior mean exit rate per child-month."""
        return self.exit_shape / self.exit_rate

    @property
    def move_mean(self) -> np.ndarray:
        """Posterior mean rate of moving to another category per child-month."""
        return self.move_shape / self.move_rate

    @property
    def legal_mean(self) -> np.ndarray:
        """Posterior mean rate of a change of legal group alone per child-month."""
        return self.legal_shape / self.legal_rate

    @property
    def change_mean(self) -> np.ndarray:
        """Posterior mean rate of a new placement in the same category per child-month."""
        return self.change_shape / self.change_rate
