"""The entry trend: averaged with its absence, and said when the forecast does not carry
it on in full.

A steady rise (or fall) in entries is explained almost as well by a drifting level with
no trend, whose expected future is flat, as by a trend; see :func:`trend_averaged`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from sufficiency.forecast.model import EntryModel

#: Drifts of the entry level considered: sd of the yearly random walk, log scale.
DRIFT_GRID_PER_YEAR = np.array([0.0, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.45])

#: The trend term's posterior weight (from the penalised scores of the chosen model and
#: its twin with or without a trend) below which the twin is left out.
MIN_TREND_MODEL_WEIGHT = 0.05


def trend_averaged(
    chosen: EntryModel, twin: EntryModel, chosen_score: float, twin_score: float
) -> EntryModel:
    """``chosen`` averaged with ``twin``, the same model with or without the trend term,
    weighted by their penalised scores (as posterior odds, ``exp(-score / 2)``).

    A steady rise in entries is explained almost as well by a drifting level with no
    trend (whose expected future is flat) as by a trend: on quiet authorities whose
    entries rose 8% a year for five years, the two scored within 2 of each other and the
    trend was kept in 1 of 6, so the forecast expected flat entries. Choosing one hides
    that the data cannot tell them apart; averaging lets each path draw one, in
    proportion to its weight, so the mean follows the trend in part and the band holds
    both. A twin under :data:`MIN_TREND_MODEL_WEIGHT` is left out (the chosen model as
    before). The no-trend fits enter as trend fits with a slope of exactly 0. Used only
    between models without a level shift (a shift explains a change by itself).
    """
    w_twin = 1.0 / (1.0 + np.exp((twin_score - chosen_score) / 2))
    if w_twin < MIN_TREND_MODEL_WEIGHT:
        if chosen.has_trend:
            return replace(chosen, trend_slope_per_year=float(chosen.coef[1]))
        return chosen
    with_trend, without = (chosen, twin) if chosen.has_trend else (twin, chosen)
    w_trend = w_twin if twin is with_trend else 1.0 - w_twin
    flat_b = np.insert(without.coef_by_drift, 1, 0.0, axis=1)
    flat_c = np.insert(np.insert(without.cov_by_drift, 1, 0.0, axis=1), 1, 0.0, axis=2)
    return replace(
        with_drifts(
            replace(chosen, has_trend=True),
            np.concatenate([with_trend.coef_by_drift, flat_b]),
            np.concatenate([with_trend.cov_by_drift, flat_c]),
            np.concatenate(
                [w_trend * with_trend.drift_weights, (1 - w_trend) * without.drift_weights]
            ),
            np.concatenate([with_trend.drift_sd_per_year, without.drift_sd_per_year]),
        ),
        trend_weight=float(w_trend),
        trend_slope_per_year=float(with_trend.coef[1]),
    )


#: Said when the entries a month in the forecast's last year would be this much higher
#: (or lower) with the fitted trend carried on undamped.
TREND_CONTINUED_SAID = 0.10


def _per_month(x: float) -> str:
    return f"{x:.1f}" if x < 10 else f"{x:,.0f}"


def trend_continued_sentence(em: EntryModel, horizon_months: int) -> str | None:
    """Say when the forecast does not carry a fitted rise (or fall) in entries on in full:
    the entries a month it expects in its last year against the trend carried on
    undamped and uncapped, and a scenario that shows the difference; ``None`` without a
    trend, or when the two are within :data:`TREND_CONTINUED_SAID`.

    Quiet 700-child authorities whose entries rose 8% a year from April 2021 and went on
    rising (``benchmarks/forecast/trend_honesty.py``): forecast from 31 March 2026, the
    total rose 6.8% in three years on average where 19.1% came, and the P10-P90 band held
    the outcome in 4 of 6 at 36 months, with nothing said.
    """
    slope = em.trend_slope_per_year
    if not em.has_trend or slope == 0 or horizon_months < 1:
        return None
    dates = pd.date_range(em.anchor + pd.offsets.MonthEnd(1), periods=horizon_months, freq="ME")
    log_fc = em.log_mean(em.coef, dates)[0]
    used = float(np.clip(em.coef[1], -em.max_trend_per_year, em.max_trend_per_year))
    years = np.asarray((dates - em.anchor).days, dtype=float) / 365.25
    log_on = log_fc - used * em.design(dates)[:, 1] + slope * years
    last = slice(max(horizon_months - 12, 0), horizon_months)
    fc, on = float(np.exp(log_fc[last]).mean()), float(np.exp(log_on[last]).mean())
    if abs(on / fc - 1) < TREND_CONTINUED_SAID:
        return None
    up = slope > 0
    rose, rise = ("rose", "rise") if up else ("fell", "fall")
    why = []
    if em.trend_weight < 1:
        why.append(
            "the returns fit entries that wander about a steady level almost as well, so "
            f"{1 - em.trend_weight:.0%} of its simulated futures keep entries level"
        )
    years_on = round(1 / max(em.trend_damping_per_year, 1e-9))
    why.append(
        f"the {rise} is damped after the start (about {years_on} more "
        f"year{'' if years_on == 1 else 's'} of it on average)"
    )
    if abs(slope) > em.max_trend_per_year:
        cap = np.expm1(em.max_trend_per_year)
        why.append(f"and capped at {cap:.0%} a year")
    lever = round(100 * (np.exp(log_on).mean() / np.exp(log_fc).mean() - 1))
    end = dates[-1]
    return (
        f"Entries {rose} about {abs(np.expm1(slope)):.0%} a year in the returns from "
        f"{em.origin + pd.offsets.MonthEnd(1):%B %Y} to {em.anchor:%B %Y}, and the forecast "
        f"does not carry the {rise} on in full: {'; '.join(why)}. It expects about "
        f"{_per_month(fc)} children a month to start to be looked after in the year to "
        f"{end:%B %Y}; the {rise} carried on would bring about {_per_month(on)}. If it goes "
        f"on, the forecast of children looked after runs {'low' if up else 'high'}, and its "
        f"P10-P90 band may not hold what comes (authorities whose entries rose 8% a year for "
        "five years and went on rising: the forecast's total rose 7% in three years where "
        "19% came). To see the difference, run it with a scenario of entries "
        f"{'up' if up else 'down'} {abs(lever)}% (`[entries] change_pct = {lever}`: the "
        f"{rise} carried on, over the {horizon_months} months on average)."
    )


def trend_words(em: EntryModel) -> str:
    """The entry trend for the assumptions: fitted, in what share of the futures."""
    if not em.has_trend:
        return "none (not supported by the data)"
    if em.trend_weight >= 1:
        return "fitted"
    return (
        f"fitted, in {em.trend_weight:.0%} of the simulated futures (the others keep "
        "entries level: the returns fit both almost as well)"
    )


def with_drifts(
    model: EntryModel,
    beta: np.ndarray,
    cov: np.ndarray,
    weights: np.ndarray,
    drifts: np.ndarray = DRIFT_GRID_PER_YEAR,
) -> EntryModel:
    """``model`` with its per-drift fits, dropping drifts of negligible posterior weight."""
    keep = weights >= 1e-4 * weights.max()
    w = weights[keep] / weights[keep].sum()
    b, c = beta[keep], cov[keep]
    mean = w @ b
    dev = b - mean
    mixture_cov = np.einsum("g,gij->ij", w, c) + np.einsum("g,gi,gj->ij", w, dev, dev)
    return replace(
        model,
        coef=mean,
        cov=mixture_cov,
        coef_by_drift=b,
        cov_by_drift=c,
        drift_sd_per_year=drifts[keep],
        drift_weights=w,
    )
