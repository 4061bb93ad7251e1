"""Forecast parameters: one frozen pydantic model, defaults in code.

``default_section.toml`` in this folder holds the same defaults as TOML, ready to be
pasted into ``configs/default.toml`` under ``[forecast]``. Files are read by the one
loader, :func:`sufficiency.config.load_params` (``load_params(path).forecast``).
"""

from __future__ import annotations

from itertools import pairwise

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ForecastParams(BaseModel):
    """Tunables of the sufficiency forecast.

    Attributes
    ----------
    horizon_months
        Months to forecast after the start date (1-60).
    num_paths
        Simulated futures; more paths give smoother percentiles.
    seed
        Seed for :func:`numpy.random.default_rng`; the same seed gives the same forecast.
    reference_years
        Length of the reference window before the start date from which rates, and the
        mix of entrants, are estimated.
    entry_history_years
        Years of history before the start date from which the entry *level* is
        estimated (at least the reference window): earlier years are pooled unless a
        level shift at the window's start or a trend earns its place (see
        :mod:`.entries`).
    rate_half_life_years
        Recency weighting of exits, moves and changes within the reference window: an
        event or day of care this many years before the start counts half; ``0``
        weighs the whole window equally (0, the default).
    shrinkage_events
        Prior strength, in pseudo-events, pulling a sparse cell's rate towards its
        broader parent cell (category x age band -> category -> all).
    tic_band_edges_months
        Lower edges of the time-in-care bands, in months since the child's period of care
        began: increasing, from 0, the last at most 72.
    max_entry_trend_pct_per_year
        Cap on the yearly growth or decline of entries that a fitted trend may imply
        after the start date (the history keeps the fitted slope).
    entry_term_penalty
        Quasi-AIC penalty per entry-model term (trend, three seasonal terms); a term is
        kept only if it improves the fit by more (7 is roughly a 1% significance test).
    entry_trend_damping_per_year
        Damping of a fitted entry trend beyond the start date: ``h`` years ahead the
        trend has run for ``(1 - exp(-k h)) / k`` years (at most ``1 / k``).
    entry_drift_sd_per_year
        Scale of the half-normal prior on the drift of the entry level (standard
        deviation of its yearly random walk, log scale). The drift is estimated from
        each authority's history (see :mod:`.entries`); the prior matters where the
        history says little (few entries), and was tuned on the calibration family's
        development seeds (``benchmarks/forecast/calibration.py``).
    rate_drift_sd
        Standard deviation (log scale) of a per-path multiplier on exit and move rates:
        rates in the coming years need not equal those of the reference window.
    backtest_horizons_months
        Horizons at which backtests report absolute percentage errors.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    horizon_months: int = Field(default=36, ge=1, le=60)
    num_paths: int = Field(default=1000, ge=10, le=100_000)
    seed: int = 2026
    reference_years: float = Field(default=3.0, gt=0, le=10)
    entry_history_years: float = Field(default=6.0, gt=0, le=20)
    rate_half_life_years: float = Field(default=0.0, ge=0)
    shrinkage_events: float = Field(default=5.0, gt=0)
    tic_band_edges_months: tuple[int, ...] = (0, 1, 3, 6, 12, 24, 48)
    max_entry_trend_pct_per_year: float = Field(default=10.0, ge=0)
    entry_term_penalty: float = Field(default=7.0, ge=0)
    entry_trend_damping_per_year: float = Field(default=0.5, gt=0)
    entry_drift_sd_per_year: float = Field(default=0.2, ge=0)
    rate_drift_sd: float = Field(default=0.08, ge=0)
    backtest_horizons_months: tuple[int, ...] = (3, 6, 12)

    @field_validator("tic_band_edges_months")
    @classmethod
    def _edges_increase_from_zero(cls, edges: tuple[int, ...]) -> tuple[int, ...]:
        if not edges or edges[0] != 0 or any(b <= a for a, b in pairwise(edges)):
            raise ValueError("must increase from 0")
        if edges[-1] > 72:
            raise ValueError("the last edge must be at most 72 months")
        return edges
