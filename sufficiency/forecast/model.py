"""The fitted forecast model: rates with their uncertainty, ready to simulate."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sufficiency import vocabulary


@dataclass(frozen=True)
class EntryModel:
    """Monthly entries: a drifting log level (a random walk), optional trend and seasonality.

    Time is measured from the forecast start (``anchor``) and the random walk is pinned
    there, so the level coefficient is the log of the monthly entries at the start
    whatever the trend: capping or damping the trend changes the future only, never the
    level the forecast starts from. See :mod:`.entries`.

    Attributes
    ----------
    coef, cov
        Posterior mean and covariance (over drifts) of the coefficients ``[level at the
        start, trend per year, level shift, quarter 2-4 effects]`` (terms not selected
        are absent), inflated by the dispersion.
    has_trend, has_season, has_shift
        Which terms the data supported (chosen by penalised evidence).
    nb_shape
        Gamma-Poisson shape of month-to-month overdispersion (``inf`` = Poisson).
    origin
        Start of the entry history fitted.
    anchor
        The forecast start, where the trend term and the random walk are zero.
    trend_damping_per_year
        After ``anchor`` the trend is damped: ``h`` years on, time counts as
        ``(1 - exp(-k h)) / k`` years, so growth levels off (in :meth:`log_mean`; the
        simulated paths each carry it undamped until a time of their own, with that mean
        course: :meth:`draw_log_mean`).
    max_trend_per_year
        Cap on the trend's size after ``anchor`` (log scale): the fitted slope describes
        the history, the capped one the future.
    composition_alpha
        Dirichlet parameters of the split of entries by age band x legal group x first
        category, ``(A, L, C)``.
    ages_months
        Entry ages in months observed in each age band, to draw new children's ages.
    monthly_counts
        The monthly entries fitted (from ``origin``), for the Assumptions sheet.
    shift_at
        With a level shift: the last month end before it. The shift term is 1 up to it
        (the earlier level relative to the current one) and 0 after.
    trend_weight
        With a trend: its posterior weight against the same model without it (1 when
        the model without it had under 5%); the fits without it are among
        ``coef_by_drift`` with a slope of 0, drawn by that share of the paths.
    trend_slope_per_year
        With a trend: the slope the trend fit found (log, a year), before averaging,
        capping and damping; 0 without.
    coef_by_drift, cov_by_drift, drift_sd_per_year, drift_weights
        The fit for each drift of the level considered (sd of its yearly random walk,
        log scale) and the drift's posterior weight: the simulation draws a drift, then
        coefficients given it, then continues the random walk with that drift.
    """

    coef: np.ndarray
    cov: np.ndarray
    has_trend: bool
    has_season: bool
    nb_shape: float
    origin: pd.Timestamp
    anchor: pd.Timestamp
    trend_damping_per_year: float
    max_trend_per_year: float
    composition_alpha: np.ndarray
    ages_months: tuple[np.ndarray, ...]
    monthly_counts: np.ndarray
    has_shift: bool = False
    shift_at: pd.Timestamp | None = None
    coef_by_drift: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    cov_by_drift: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0)))
    drift_sd_per_year: np.ndarray = field(default_factory=lambda: np.zeros(0))
    drift_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    shift_seen: tuple[float, float, float] | None = None
    trend_weight: float = 1.0
    trend_slope_per_year: float = 0.0

    @property
    def drift_mean_per_year(self) -> float:
        """Posterior mean drift of the level (sd of its yearly random walk, log scale)."""
        return float(self.drift_weights @ self.drift_sd_per_year)

    def design(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """Design matrix rows for month-end ``dates`` (trend uncapped)."""
        cols = [np.ones(len(dates))]
        if self.has_trend:
            years = np.asarray((dates - self.anchor).days, dtype=float) / 365.25
            ahead = np.maximum(years, 0.0)
            k = max(self.trend_damping_per_year, 1e-9)
            cols.append(np.minimum(years, 0.0) + (1 - np.exp(-k * ahead)) / k)
        if self.has_shift:
            at = self.shift_at if self.shift_at is not None else self.origin
            cols.append(np.asarray(dates <= at, dtype=float))
        if self.has_season:
            quarter = ((np.asarray(dates.month) - 1) // 3 + 3) % 4  # Apr-Jun = 0
            cols += [(quarter == q).astype(float) for q in (1, 2, 3)]
        return np.column_stack(cols)

    def log_mean(self, coef: np.ndarray, dates: pd.DatetimeIndex) -> np.ndarray:
        """Log mean entries for coefficient rows ``coef`` (``(k,)`` or ``(paths, k)``).

        After the anchor the trend coefficient is capped at ``max_trend_per_year``;
        before it the fitted slope stands, so the level at the anchor is the fitted one.
        The random walk is not included (it is zero at the anchor).
        """
        coef = np.atleast_2d(coef)
        x = self.design(dates)
        out = coef @ x.T
        if self.has_trend:
            capped = np.clip(coef[:, 1], -self.max_trend_per_year, self.max_trend_per_year)
            ahead = np.asarray(dates > self.anchor)
            out[:, ahead] += (capped - coef[:, 1])[:, None] * x[ahead, 1][None, :]
        return out

    def fitted_per_month(self, months: int = 12) -> float:
        """Mean entries a month the fit expects over the first ``months`` forecast months
        (coefficients at their posterior mean, no random walk): the level the forecast
        starts from, to set beside the reference window's average."""
        dates = pd.date_range(self.anchor + pd.offsets.MonthEnd(1), periods=months, freq="ME")
        return float(np.exp(self.log_mean(self.coef, dates)).mean())

    @property
    def shift_levels(self) -> tuple[float, float, float] | None:
        """With a level shift: entries a month *observed* in the 12 months up to it, in
        the months since and in the last 12 months; ``None`` without. Not the fitted
        levels either side: with a drifting level the walk takes part of the change, and
        a one-off surge (six months of arrivals, then back) read "a step from 16 a month
        to 38" where 37 entered a month before it (``tests/forecast/test_surge_said.py``)."""
        if not self.has_shift or self.shift_at is None:
            return None
        return self.shift_seen

    def draw_log_mean(
        self, dates: pd.DatetimeIndex, rng: np.random.Generator, num_paths: int
    ) -> np.ndarray:
        """Log mean entries in month-end ``dates`` after the anchor, one row per path.

        Each path draws a drift from its posterior weight, the coefficients given that
        drift (their normal approximation), and continues the random walk the fit
        assumed from the anchor: estimation and simulation share one model. The walk's
        steps have mean ``-sd**2 / 2``, so the drift widens the spread of entries
        without raising their mean.
        """
        g = rng.choice(len(self.drift_weights), size=num_paths, p=self.drift_weights)
        roots = np.stack([_sqrt_psd(c) for c in self.cov_by_drift])
        z = rng.standard_normal((num_paths, self.coef_by_drift.shape[1]))
        coef = self.coef_by_drift[g] + np.einsum("pij,pj->pi", roots[g], z)
        step_sd = (self.drift_sd_per_year[g] / np.sqrt(12))[:, None]
        steps = step_sd * rng.standard_normal((num_paths, len(dates))) - step_sd**2 / 2
        out = self.log_mean(coef, dates) + np.cumsum(steps, axis=1)
        if self.has_trend:
            out += self._trend_stop_offset(coef, dates, rng)
        return out

    def _trend_stop_offset(
        self, coef: np.ndarray, dates: pd.DatetimeIndex, rng: np.random.Generator
    ) -> np.ndarray:
        """Each path's trend carried on undamped until a time of its own, then held.

        The damped trend's time, ``(1 - exp(-k h)) / k`` years ``h`` years on, is the
        mean of ``min(h, T)`` for a trend that stops after ``T`` years, exponential with
        mean ``1 / k``: so each path draws its ``T``; on average (log scale) the paths
        keep the damped course, and the band holds both a rise that stops soon and one
        that goes on. With the damped trend in every path, of 48 authorities whose entries
        kept rising or falling 30 were inside P10-P90 at three years, now 34 (steps and
        steady entries unchanged: ``benchmarks/forecast/trend_honesty.py``). Returns the
        change to the log mean from the damped trend ``log_mean`` gives,
        ``(paths, months)``.
        """
        k = max(self.trend_damping_per_year, 1e-9)
        stop = rng.exponential(1.0 / k, size=len(coef))
        ahead = np.maximum(np.asarray((dates - self.anchor).days, dtype=float) / 365.25, 0.0)
        damped = (1 - np.exp(-k * ahead)) / k
        capped = np.clip(coef[:, 1], -self.max_trend_per_year, self.max_trend_per_year)
        return capped[:, None] * (np.minimum(ahead[None, :], stop[:, None]) - damped[None, :])


def _sqrt_psd(cov: np.ndarray) -> np.ndarray:
    """A square root of a covariance matrix (by eigenvalues: tolerates singular ones)."""
    vals, vecs = np.linalg.eigh((cov + cov.T) / 2)
    return vecs * np.sqrt(np.clip(vals, 0.0, None))


def _posterior_mean(kind: str, doc: str) -> property:
    """A gamma posterior's mean, ``<kind>_shape / <kind>_rate``, as a read-only attribute."""

    def mean(self: object) -> np.ndarray:
        return np.asarray(getattr(self, f"{kind}_shape") / getattr(self, f"{kind}_rate"))

    return property(mean, doc=doc)


def category_in_words(code: str) -> str:
    """A category in plain words inside a sentence (``secure`` -> ``secure children's
    homes``; ``IFA foster care`` keeps its capitals)."""
    label = vocabulary.category(code)
    return label if label.split()[0].isupper() else label[0].lower() + label[1:]


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
    empty_categories
        Categories (codes) no child was in during the window and none entered: the
        forecast has no children entering them, and any moving in take pooled rates.
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
    empty_categories: tuple[str, ...] = ()

    def empty_in_words(self) -> str:
        """The empty categories in plain words inside a sentence."""
        return ", ".join(map(category_in_words, self.empty_categories))

    exit_mean = _posterior_mean("exit", "Posterior mean exit rate per child-month.")
    move_mean = _posterior_mean(
        "move", "Posterior mean rate of moving to another category per child-month."
    )
    legal_mean = _posterior_mean(
        "legal", "Posterior mean rate of a change of legal group alone per child-month."
    )
    change_mean = _posterior_mean(
        "change", "Posterior mean rate of a new placement in the same category per child-month."
    )
