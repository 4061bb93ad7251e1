"""Estimate the forecast model's rates from a reference window of care spells.

Exit, move, within-category change and legal-status change rates are events per
child-month in each category x legal group x age band x time-in-care cell. Sparse
cells are shrunk towards a parent: a gamma prior worth ``shrinkage_events``
pseudo-events centred on the parent's rate. The parent is a product of three
factors: the (category, age band) rate, shrunk towards the category's and that
towards the overall rate; a legal-group factor for the category, shrunk towards the
legal group's over all categories; and a time-in-care factor for the legal group and
age band, pooled over categories and shrunk towards the age band's (see
:func:`_rates`). The rates are then raked so that each (category, age band) and each
(legal group, age band) reproduces its observed events. Entries are a Poisson
regression whose trend and seasonality terms are kept only when they improve the
quasi-AIC by more than a strict penalty.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.config import ForecastParams
from sufficiency.figures import day as said_day
from sufficiency.forecast.entries import fit_entries
from sufficiency.forecast.errors import ForecastError, ForecastWarning
from sufficiency.forecast.model import ForecastModel
from sufficiency.forecast.states import (
    CATEGORIES,
    DAYS_PER_MONTH,
    NUM_AGE_BANDS,
    NUM_CATEGORIES,
    NUM_LEGAL_GROUPS,
    PREVALENT_TIC_EDGES_MONTHS,
    CareSpells,
    age_band_of_years,
    tic_band,
    tic_days,
)

_NS_PER_DAY = 86_400 * 10**9


def _days(x: np.ndarray) -> np.ndarray:
    return x.astype("datetime64[D]").astype(np.int64)


_C, _L, _A = NUM_CATEGORIES, NUM_LEGAL_GROUPS, NUM_AGE_BANDS


def _cell_index(
    cat: np.ndarray,
    legal: np.ndarray,
    age_days: np.ndarray,
    tic: np.ndarray,
    prevalent: np.ndarray,
    edges: np.ndarray,
):
    band = age_band_of_years((age_days / 365.25).astype(np.int64))
    n_tic = len(edges) + len(PREVALENT_TIC_EDGES_MONTHS)
    return ((cat * _L + legal) * _A + band) * n_tic + tic_band(tic, prevalent, edges)


def _shrink(events: np.ndarray, exposure: np.ndarray, prior_mean: np.ndarray, a: float):
    shape = events + a
    rate = exposure + a / np.maximum(prior_mean, 1e-9)
    return shape, rate


def _rates(events: np.ndarray, exposure: np.ndarray, a: float, sweeps: int = 3):
    """Hierarchically shrunk gamma posteriors for a (C, L, A, T) array of events.

    The parent of each cell is ``ca * legal * tic``: the (category, age band) rate,
    shrunk towards the category's, that towards the overall rate; a legal-group factor
    for the category, and a time-in-care factor for the legal group and age band,
    pooled over categories. The legal group changes the routes out of care (a placement
    order leaves by adoption, an interim order hardly at all), and with them how the
    rate moves with time in care (accommodation often ends within weeks, a placement
    order after a year or two), so the time-in-care factor is the legal group's own,
    shrunk towards the age band's over all legal groups. The two factors are fitted by
    a few sweeps of backfitting (each given the other), each with ``a`` pseudo-events
    pulling it towards its own parent. The shrunk rates are raked to the observed
    events of each (category, age band) and each (legal group, age band).
    """
    overall = events.sum() / max(exposure.sum(), 1e-9)
    s1, r1 = _shrink(events.sum((1, 2, 3)), exposure.sum((1, 2, 3)), np.full(_C, overall), a)
    s2, r2 = _shrink(events.sum((1, 3)), exposure.sum((1, 3)), (s1 / r1)[:, None], a)
    ca = (s2 / r2)[:, None, :, None]
    legal = np.ones((_C, _L, 1, 1))
    tic = np.ones((1, _L, _A, exposure.shape[3]))
    for _ in range(sweeps):
        expected = exposure * ca * tic
        # the legal group's factor over all categories, then each category's towards it
        pooled = (events.sum((0, 2, 3)) + a) / (expected.sum((0, 2, 3)) + a)
        by_cat = (events.sum((2, 3)) + a) / (expected.sum((2, 3)) + a / pooled[None])
        legal = by_cat[:, :, None, None]
        expected = exposure * ca * legal
        by_age = (events.sum((0, 1)) + a) / (expected.sum((0, 1)) + a)
        tic = ((events.sum(0) + a) / (expected.sum(0) + a / by_age[None]))[None]
    shape, rate = _shrink(events, exposure, ca * legal * tic, a)
    # shrinkage pulls busy cells down more than it lifts quiet ones, and the lift of
    # quiet legal groups (an interim order's few exits) would come out of the busy
    # ones: rake so that each (category, age band) and each (legal group, age band)
    # reproduces its observed events on the window's exposure
    for _ in range(sweeps):
        predicted = (shape / rate * exposure).sum((1, 3))
        rate = rate / ((events.sum((1, 3)) + 1) / (predicted + 1))[:, None, :, None]
        predicted = (shape / rate * exposure).sum((0, 3))
        rate = rate / ((events.sum((0, 3)) + 1) / (predicted + 1))[None, :, :, None]
    return shape, rate


@dataclass(frozen=True)
class _WindowCounts:
    """Child-months and events of the reference window, by (C, L, A, T) cell."""

    exposure: np.ndarray
    exits: np.ndarray
    moves: np.ndarray
    changes: np.ndarray
    legal_changes: np.ndarray
    dest: np.ndarray  # (C, L, A, C): moves by destination category
    legal_after_placement: np.ndarray  # (L, A, C, L): legal group after a move or change
    legal_dest: np.ndarray  # (L, A, L): legal group after a legal-status change


def _exposure_and_events(
    care: CareSpells,
    window_start: pd.Timestamp,
    start: pd.Timestamp,
    edges: np.ndarray,
    half_life_days: float | None = None,
):
    sp = care.spells
    n_tic = len(edges) + len(PREVALENT_TIC_EDGES_MONTHS)
    n_cells = _C * _L * _A * n_tic
    w0, w1 = (
        _days(np.array([window_start.to_datetime64()]))[0],
        _days(np.array([start.to_datetime64()]))[0],
    )
    s = _days(sp["start"].to_numpy())
    e_raw = sp["end"].to_numpy()
    e = np.where(np.isnat(e_raw), np.iinfo(np.int64).max // 4, _days(e_raw))
    dob = _days(sp["dob"].to_numpy())
    cat = sp["category"].to_numpy(np.int64)
    legal = sp["legal"].to_numpy(np.int64)
    lo = np.maximum(s, w0)
    hi = np.minimum(np.minimum(e, w1), dob + int(18 * 365.25))
    n = np.maximum(hi - lo, 0)
    rows = np.repeat(np.arange(len(sp)), n)
    offs = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    day = lo[rows] + offs
    cells = _cell_index(cat[rows], legal[rows], day - dob[rows], *tic_days(care, rows, day), edges)

    def weight(days: np.ndarray) -> np.ndarray | None:
        if half_life_days is None:
            return None
        return np.exp2(-(w1 - days) / half_life_days)

    day_weight = weight(day)
    if care.gaps:
        # days in a collection year with no return: who was in care then is known only
        # from the years either side, and who left or moved not at all
        seen = ~care.in_gap(day)
        day_weight = seen.astype(float) if day_weight is None else day_weight * seen
    exposure = np.bincount(cells, weights=day_weight, minlength=n_cells) / DAYS_PER_MONTH

    in_window = (e > w0) & (e <= w1) & ~care.in_gap(e)
    last_day = e - 1
    end_cell = _cell_index(
        cat, legal, last_day - dob, *tic_days(care, np.arange(len(sp)), last_day), edges
    )
    next_kind = np.append(sp["kind"].to_numpy(str)[1:], "entry")
    next_cat = np.r_[cat[1:], -1]
    next_legal = np.r_[legal[1:], -1]
    end_kind = sp["end_kind"].to_numpy(str)
    going_on = in_window & (end_kind == "continue")
    is_exit = in_window & (end_kind == "exit")
    is_move = going_on & (next_kind == "move")
    is_change = going_on & (next_kind == "change")
    # a new legal status with no new placement (RNE L, or U with the same carers)
    is_legal = going_on & (next_kind == "none") & (next_legal != legal)
    ew = weight(e)

    def count(sel: np.ndarray) -> np.ndarray:
        return np.bincount(end_cell[sel], None if ew is None else ew[sel], n_cells)

    dest = np.zeros((_C, _L, _A, _C))
    cla = end_cell[is_move] // n_tic
    np.add.at(dest, (cla // (_L * _A), cla // _A % _L, cla % _A, next_cat[is_move]), 1)
    placed = is_move | is_change
    band = end_cell // n_tic % _A
    legal_after = np.zeros((_L, _A, _C, _L))
    np.add.at(legal_after, (legal[placed], band[placed], next_cat[placed], next_legal[placed]), 1)
    legal_dest = np.zeros((_L, _A, _L))
    np.add.at(legal_dest, (legal[is_legal], band[is_legal], next_legal[is_legal]), 1)
    shape = (_C, _L, _A, n_tic)
    return _WindowCounts(
        exposure=exposure.reshape(shape),
        exits=count(is_exit).reshape(shape).astype(float),
        moves=count(is_move).reshape(shape).astype(float),
        changes=count(is_change).reshape(shape).astype(float),
        legal_changes=count(is_legal).reshape(shape).astype(float),
        dest=dest,
        legal_after_placement=legal_after,
        legal_dest=legal_dest,
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


def _warn_short_history(care: CareSpells, start: pd.Timestamp, params: ForecastParams) -> None:
    """Say when the history is shorter than the times in care the exit rates are measured
    over: longer stays are then not seen leaving, and the forecast may be off, either way.

    Measured December 2026 (docs/forecast.md): with one year of returns the forecast ran
    high on the sample's generator (``benchmarks/forecast/short_history.py``) and low on
    the calibration family (``short_history_family.py``); with two, within about 1% of
    the forecast from every return on both.
    """
    longest = max(params.tic_band_edges_months)
    years = (start - care.data_start).days / 365.25
    if years * 12 >= longest:
        return
    said = (
        f"The history covers {years:.1f} years before {said_day(start)}, and leaving care "
        f"is measured over times in care up to {longest / 12:g} years: leaving care after "
        "longer than the history is never seen, and those times in care take the average "
        "rate of the shorter ones."
    )
    if years < 1.5:  # one return (two cover 1.998 years: 730 days)
        said += (
            " How long the children who entered care within it stay (many leave in their "
            "second or third year: special guardianship, adoption, a return home once "
            "proceedings end) is not seen either, so the forecast may run high or low: with "
            "one year of returns, backtests at two years on synthetic authorities ran 4% "
            "high on average on one kind (up to 12%), and 3% below the forecast from six "
            "years of returns on another (from 11% below to 6% above)."
        )
    else:
        said += (
            " With two or three years of returns, backtests on synthetic authorities were "
            "within about 1% on average of those from every return."
        )
    warnings.warn(
        f"{said} Add earlier returns if the council holds them.", ForecastWarning, stacklevel=3
    )


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
            f"The start date {said_day(start)} is outside the 903 history, which covers "
            f"{said_day(care.data_start)} to {said_day(care.data_end)}."
        )
    if care.in_gap(np.array([np.datetime64(start, "D")]))[0]:
        warnings.warn(
            f"The start date {said_day(start)} falls in a collection year with no return: the "
            "children looked after then are inferred from the returns either side (those "
            "who entered and left within that year are unknown), so the starting figures "
            "are approximate.",
            ForecastWarning,
            stacklevel=2,
        )
    available_days = (start - care.data_start).days + 1
    if available_days < 365:
        raise ForecastError(
            f"Only {available_days} days of 903 history before {said_day(start)}; the forecast "
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
            f"{said_day(start)}; rates use that instead of {params.reference_years:g} years.",
            ForecastWarning,
            stacklevel=2,
        )
    _warn_short_history(care, start, params)
    edges = np.asarray(params.tic_band_edges_months, dtype=float)
    half_life = params.rate_half_life_years * 365.25 if params.rate_half_life_years else None
    counts = _exposure_and_events(care, window_start, start, edges, half_life)
    exposure = counts.exposure
    entries = fit_entries(care, start, window_start, params)
    entered = entries.composition_alpha.sum((0, 1)) >= 1
    # Said after the simulation, and only when a simulated child moves into one of them
    # (forecast_from_spells): on most histories none does, and the warning was noise.
    empty = tuple(
        CATEGORIES[c]
        for c in range(NUM_CATEGORIES)
        if exposure[c].sum() == 0 and not entered[c] and CATEGORIES[c] != "other"
    )
    a = params.shrinkage_events
    exit_shape, exit_rate = _rates(counts.exits, exposure, a)
    move_shape, move_rate = _rates(counts.moves, exposure, a)
    change_shape, change_rate = _rates(counts.changes, exposure, a)
    legal_shape, legal_rate = _rates(counts.legal_changes, exposure, a)
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
        legal_shape=legal_shape,
        legal_rate=legal_rate,
        dest_alpha=_dest_alpha(counts.dest, a),
        legal_after_placement_alpha=_legal_after_alpha(counts.legal_after_placement, a),
        legal_dest_alpha=_legal_dest_alpha(counts.legal_dest, a),
        repeat_event_prob=repeat,
        exit_month_event_prob=before_exit,
        entries=entries,
        empty_categories=empty,
    )


def _dest_alpha(dest: np.ndarray, a: float) -> np.ndarray:
    """Dirichlet parameters of a move's destination, ``(C, L, A, C)``.

    Each (category, legal group, age band) is shrunk with ``a`` pseudo-moves towards its
    (category, legal group), that towards its category, that towards all moves; a
    child never moves to the category it is in.
    """
    overall = dest.sum((0, 1, 2)) + 0.5
    alpha = np.empty_like(dest)
    for c in range(_C):
        base = overall.copy()
        base[c] = 0
        cat_prior = dest[c].sum((0, 1)) + a * base / base.sum()
        cat_prior[c] = 0
        for lg in range(_L):
            cl_prior = dest[c, lg].sum(0) + a * cat_prior / cat_prior.sum()
            cl_prior[c] = 0
            alpha[c, lg] = dest[c, lg] + a * cl_prior / cl_prior.sum()
            alpha[c, lg, :, c] = 0
    return alpha


def _legal_after_alpha(counts: np.ndarray, a: float) -> np.ndarray:
    """Dirichlet parameters of the legal group after a move or change, ``(L, A, C, L)``.

    A new placement often comes with a new order (a placement order with a move to
    adopters, for young children only). Each (legal group, age band, new category) is
    shrunk with ``a`` pseudo-events towards the (legal group, age band)'s shares over
    all categories, that towards the legal group's, which hold one pseudo-event of
    keeping the status.
    """

    def norm(x: np.ndarray) -> np.ndarray:
        return x / x.sum(-1, keepdims=True)

    by_group = counts.sum((1, 2)) + np.eye(_L)
    by_age = counts.sum(2) + a * norm(by_group)[:, None, :]
    return counts + a * norm(by_age)[:, :, None, :]


def _legal_dest_alpha(counts: np.ndarray, a: float) -> np.ndarray:
    """Dirichlet parameters of the new legal group after a legal-status change, ``(L, A, L)``.

    Each (legal group, age band) is shrunk with ``a`` pseudo-events towards the group's
    shares over all ages (half a pseudo-event for every other group).
    """
    pooled = counts.sum(1) + 0.5 * (1 - np.eye(_L))
    pooled *= 1 - np.eye(_L)
    alpha = counts + a * (pooled / pooled.sum(1, keepdims=True))[:, None, :]
    for lg in range(_L):
        alpha[lg, :, lg] = 0
    return alpha
