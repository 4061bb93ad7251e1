"""Estimate the forecast model's rates from a reference window of care spells.

Exit, move and within-category change rates are events per child-month in each
category x age band x time-in-care cell. Sparse cells are shrunk towards a parent: a
gamma prior worth ``shrinkage_events`` pseudo-events centred on the parent's rate.
The parent of (category, age band, time in care) is the (category, age band) rate
times a time-in-care factor for that age band pooled over categories; its parent is
the category's rate, whose parent is the overall rate. Each (category, age band) is
then rebalanced to reproduce its observed events. Entries are a Poisson regression
whose trend and seasonality terms are kept only when they improve the quasi-AIC by
more than a strict penalty.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from sufficiency.forecast.entries import fit_entries
from sufficiency.forecast.errors import ForecastError, ForecastWarning
from sufficiency.forecast.model import ForecastModel
from sufficiency.forecast.params import ForecastParams
from sufficiency.forecast.states import (
    CATEGORIES,
    DAYS_PER_MONTH,
    NUM_AGE_BANDS,
    NUM_CATEGORIES,
    PREVALENT_TIC_EDGES_MONTHS,
    CareSpells,
    age_band_of_years,
    tic_band,
    tic_days,
)

_NS_PER_DAY = 86_400 * 10**9


def _days(x: np.ndarray) -> np.ndarray:
    return x.astype("datetime64[D]").astype(np.int64)


def _cell_index(
    cat: np.ndarray, age_days: np.ndarray, tic: np.ndarray, prevalent: np.ndarray, edges: np.ndarray
):
    band = age_band_of_years((age_days / 365.25).astype(np.int64))
    n_tic = len(edges) + len(PREVALENT_TIC_EDGES_MONTHS)
    return (cat * NUM_AGE_BANDS + band) * n_tic + tic_band(tic, prevalent, edges)


def _shrink(events: np.ndarray, exposure: np.ndarray, prior_mean: np.ndarray, a: float):
    shape = events + a
    rate = exposure + a / np.maximum(prior_mean, 1e-9)
    return shape, rate


def _rates(events: np.ndarray, exposure: np.ndarray, a: float):
    """Hierarchically shrunk gamma posteriors for a (C, A, T) array of events."""
    overall = events.sum() / max(exposure.sum(), 1e-9)
    s1, r1 = _shrink(events.sum((1, 2)), exposure.sum((1, 2)), np.full(NUM_CATEGORIES, overall), a)
    s2, r2 = _shrink(events.sum(2), exposure.sum(2), (s1 / r1)[:, None], a)
    ca = s2 / r2
    # time in care matters differently by age (adoption at 1-2 years for the young,
    # staying to 18 for teenagers), so its factor is pooled over categories, not ages
    expected = (exposure * ca[:, :, None]).sum(0)
    tic_factor = (events.sum(0) + a) / (expected + a)
    shape, rate = _shrink(events, exposure, ca[:, :, None] * tic_factor[None, :, :], a)
    # shrinkage pulls busy cells down more than it lifts quiet ones; rebalance so each
    # (category, age band) reproduces its observed events on the window's exposure
    predicted = (shape / rate * exposure).sum(2)
    balance = (events.sum(2) + 1) / (predicted + 1)
    return shape, rate / balance[:, :, None]


def _exposure_and_events(
    care: CareSpells,
    window_start: pd.Timestamp,
    start: pd.Timestamp,
    edges: np.ndarray,
    half_life_days: float | None = None,
):
    sp = care.spells
    n_tic = len(edges) + len(PREVALENT_TIC_EDGES_MONTHS)
    n_cells = NUM_CATEGORIES * NUM_AGE_BANDS * n_tic
    w0, w1 = (
        _days(np.array([window_start.to_datetime64()]))[0],
        _days(np.array([start.to_datetime64()]))[0],
    )
    s = _days(sp["start"].to_numpy())
    e_raw = sp["end"].to_numpy()
    e = np.where(np.isnat(e_raw), np.iinfo(np.int64).max // 4, _days(e_raw))
    dob = _days(sp["dob"].to_numpy())
    cat = sp["category"].to_numpy(np.int64)
    lo = np.maximum(s, w0)
    hi = np.minimum(np.minimum(e, w1), dob + int(18 * 365.25))
    n = np.maximum(hi - lo, 0)
    rows = np.repeat(np.arange(len(sp)), n)
    offs = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    day = lo[rows] + offs
    cells = _cell_index(cat[rows], day - dob[rows], *tic_days(care, rows, day), edges)

    def weight(days: np.ndarray) -> np.ndarray | None:
        if half_life_days is None:
            return None
        return np.exp2(-(w1 - days) / half_life_days)

    exposure = np.bincount(cells, weights=weight(day), minlength=n_cells) / DAYS_PER_MONTH

    in_window = (e > w0) & (e <= w1)
    last_day = e - 1
    end_cell = _cell_index(
        cat, last_day - dob, *tic_days(care, np.arange(len(sp)), last_day), edges
    )
    next_kind = np.append(sp["kind"].to_numpy(str)[1:], "entry")
    next_cat = np.r_[cat[1:], -1]
    end_kind = sp["end_kind"].to_numpy(str)
    is_exit = in_window & (end_kind == "exit")
    is_move = in_window & (end_kind == "continue") & (next_kind == "move")
    is_change = in_window & (end_kind == "continue") & (next_kind == "change")
    ew = weight(e)
    exits = np.bincount(end_cell[is_exit], None if ew is None else ew[is_exit], n_cells)
    moves = np.bincount(end_cell[is_move], None if ew is None else ew[is_move], n_cells)
    changes = np.bincount(end_cell[is_change], None if ew is None else ew[is_change], n_cells)
    dest = np.zeros((NUM_CATEGORIES, NUM_AGE_BANDS, NUM_CATEGORIES))
    ca = end_cell[is_move] // n_tic
    np.add.at(dest, (ca // NUM_AGE_BANDS, ca % NUM_AGE_BANDS, next_cat[is_move]), 1)
    shape = (NUM_CATEGORIES, NUM_AGE_BANDS, n_tic)
    return (
        exposure.reshape(shape),
        exits.reshape(shape).astype(float),
        moves.reshape(shape).astype(float),
        changes.reshape(shape).astype(float),
        dest,
    )


def _repeat_events(
    care: CareSpells, window_start: pd.Timestamp, start: pd.Timestamp
) -> tuple[float, float]:
    """How often a child has more than one placement start in a calendar month.

    Returns the probability that a move or change is followed by another in the same
    month (``1 - eventful child-months / events``, so the number in a month is
    geometric), and the share of exits from care preceded by a move or change in
    the month of leaving. The simulation takes both from the data rather than from a
    Poisson assumption: real moves are more regular than Poisson (a placement rarely
    ends within days of starting) or, after emergency placements, less.
    """
    sp = care.spells
    kind = sp["kind"].to_numpy(str)
    when = sp["start"]
    in_win = (when > window_start) & (when <= start)
    ev = sp[np.isin(kind, ["move", "change"]) & in_win.to_numpy()]
    month = ev["start"].dt.to_period("M")
    eventful = pd.MultiIndex.from_arrays([ev["child"], month]).nunique()
    repeat = 1 - eventful / len(ev) if len(ev) else 0.0
    end = sp["end"]
    left = sp[sp["end_kind"].isin(["exit", "age_out"]) & (end > window_start) & (end <= start)]
    if len(left) == 0:
        return float(repeat), 0.0
    keys = set(zip(ev["child"], month, strict=True))
    left_month = left["end"].dt.to_period("M")
    before = [(c, m) in keys for c, m in zip(left["child"], left_month, strict=True)]
    return float(repeat), float(np.mean(before))


def fit_model(care: CareSpells, start: pd.Timestamp, params: ForecastParams) -> ForecastModel:
    """Estimate every rate from the reference window ending at ``start``.

    Raises
    ------
    ForecastError
        Less than a year of history before ``start``, or ``start`` outside the data.
    """
    start = pd.Timestamp(start).normalize()
    if start < care.data_start or start > care.data_end:
        raise ForecastError(
            f"The start date {start.date()} is outside the 903 history, which covers "
            f"{care.data_start.date()} to {care.data_end.date()}."
        )
    available_days = (start - care.data_start).days + 1
    if available_days < 365:
        raise ForecastError(
            f"Only {available_days} days of 903 history before {start.date()}; the forecast "
            "needs at least a year to estimate rates. Add earlier returns or a later start."
        )
    months = round(params.reference_years * 12)
    window_start = max(
        start - pd.DateOffset(months=months) + pd.offsets.MonthEnd(0), care.data_start
    )
    window_start = pd.Timestamp(window_start)
    if (start - window_start).days < params.reference_years * 365.25 - 31:
        warnings.warn(
            f"Only {(start - window_start).days / 365.25:.1f} years of history before "
            f"{start.date()}; rates use that instead of {params.reference_years:g} years.",
            ForecastWarning,
            stacklevel=2,
        )
    edges = np.asarray(params.tic_band_edges_months, dtype=float)
    half_life = params.rate_half_life_years * 365.25 if params.rate_half_life_years else None
    exposure, exits, moves, changes, dest = _exposure_and_events(
        care, window_start, start, edges, half_life
    )
    entries = fit_entries(care, start, window_start, params)
    entered = entries.composition_alpha.sum(0) >= 1
    empty = [
        CATEGORIES[c]
        for c in range(NUM_CATEGORIES)
        if exposure[c].sum() == 0 and not entered[c] and CATEGORIES[c] != "other"
    ]
    if empty:
        warnings.warn(
            "No child was in " + ", ".join(empty) + " during the reference window: the "
            "forecast has no children entering there, and any moving in take pooled rates.",
            ForecastWarning,
            stacklevel=2,
        )
    a = params.shrinkage_events
    prior_dest = dest.sum((0, 1)) + 0.5
    cat_dest = dest.sum(1)
    alpha = np.empty_like(dest)
    for c in range(NUM_CATEGORIES):
        base = prior_dest.copy()
        base[c] = 0
        cat_prior = cat_dest[c] + a * base / base.sum()
        cat_prior[c] = 0
        alpha[c] = dest[c] + a * cat_prior / cat_prior.sum()
        alpha[c, :, c] = 0
    exit_shape, exit_rate = _rates(exits, exposure, a)
    move_shape, move_rate = _rates(moves, exposure, a)
    change_shape, change_rate = _rates(changes, exposure, a)
    repeat, before_exit = _repeat_events(care, window_start, start)
    return ForecastModel(
        reference_start=window_start,
        reference_end=start,
        tic_edges_months=edges,
        prevalent_tic_edges_months=np.asarray(PREVALENT_TIC_EDGES_MONTHS, dtype=float),
        exposure_months=exposure,
        exit_shape=exit_shape,
        exit_rate=exit_rate,
        move_shape=move_shape,
        move_rate=move_rate,
        change_shape=change_shape,
        change_rate=change_rate,
        dest_alpha=alpha,
        repeat_event_prob=repeat,
        exit_month_event_prob=before_exit,
        entries=entries,
    )
