"""Each simulated path's own rates and entries, drawn from the fitted model's posteriors.

A chunk of paths draws its rates (parameter uncertainty, with a drift of the exit and
move levels), its destinations and legal groups, and a drifting entry level with
gamma-Poisson monthly entries; the rates become flat lookup tables, one row per path x
state x cell, for :mod:`.path_chunk`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.config import ForecastParams
from sufficiency.forecast.model import ForecastModel
from sufficiency.forecast.scenario import Scenario
from sufficiency.forecast.states import (
    AGE_BANDS,
    CAT,
    NUM_AGE_BANDS,
    NUM_CATEGORIES,
    NUM_LEGAL_GROUPS,
    NUM_STATES,
)

_C, _A, _L, _S = NUM_CATEGORIES, NUM_AGE_BANDS, NUM_LEGAL_GROUPS, NUM_STATES


@dataclass(frozen=True)
class RateTables:
    """One chunk's drawn rates as flat lookup tables, a row per path x state x cell.

    Cumulative shares are kept one threshold per array (the last, always 1, dropped):
    the count of thresholds below a uniform number is the outcome drawn.
    """

    p_any: np.ndarray  # (paths * rows,) probability of an event in a month
    p_half: np.ndarray  # same for half a month (entrants: first time-in-care band only)
    cum: tuple[np.ndarray, ...]  # 3 x (paths * rows,): exit, change, legal change (else a move)
    p_more_change: np.ndarray  # (paths * rows,) a further event is a change, not a move
    dest: tuple[np.ndarray, ...]  # C - 1 x (paths * rows / T,) where a move goes
    legal_after: tuple[np.ndarray, ...]  # L - 1 x (paths * L * A * C,) legal group after placement
    legal_dest: tuple[np.ndarray, ...]  # L - 1 x (paths * L * A,) after a legal change alone
    num_rows: int
    num_tic: int


def draw_rate_tables(
    model: ForecastModel,
    params: ForecastParams,
    scenario: Scenario,
    rng: np.random.Generator,
    p: int,
) -> RateTables:
    """Each of ``p`` paths' rates (from their gamma posteriors, with a drift and the
    scenario's changes), destinations and legal groups (Dirichlet), as lookup tables."""
    drift = params.rate_drift_sd
    exit_mult = np.ones(_C)
    for cat, pct in scenario.exit_rate_change_pct.items():
        exit_mult[CAT[cat]] = 1 + pct / 100

    def draw(shape: np.ndarray, rate: np.ndarray) -> np.ndarray:
        return rng.gamma(shape, 1 / rate, size=(p, *shape.shape))

    exit_r = draw(model.exit_shape, model.exit_rate)
    move_r = draw(model.move_shape, model.move_rate)
    chg_r = draw(model.change_shape, model.change_rate)
    legal_r = draw(model.legal_shape, model.legal_rate)
    # log-normal multipliers with mean 1: the drift widens the spread, not the mean
    exit_r *= np.exp(rng.normal(-(drift**2) / 2, drift, (p, 1, 1, 1, 1)))
    exit_r *= exit_mult[None, :, None, None, None]
    move_r *= np.exp(rng.normal(-(drift**2) / 2, drift, (p, 1, 1, 1, 1)))
    dest = rng.gamma(model.dest_alpha, 1.0, size=(p, *model.dest_alpha.shape))
    dest = _apply_shifts(dest, scenario)
    dest /= np.maximum(dest.sum(-1, keepdims=True), 1e-300)
    n_tic = model.exit_shape.shape[-1]
    # (p, C, L, A, T) -> (p, S, A, T): one axis of states
    exit_r, move_r, chg_r, legal_r = (
        x.reshape(p, _S, _A, n_tic).astype(np.float32) for x in (exit_r, move_r, chg_r, legal_r)
    )
    rows = (_S + 1) * _A * n_tic
    shape = (p, _S + 1, _A, n_tic)
    # the dead state's rows: no event, and thresholds of 1 (never reached)
    p_any = np.zeros(shape, dtype=np.float32)
    p_half = np.zeros(shape, dtype=np.float32)
    cum = tuple(np.ones(shape, dtype=np.float32) for _ in range(3))
    p_more_change = np.ones(shape, dtype=np.float32)
    _outcomes(
        exit_r,
        move_r,
        chg_r,
        legal_r,
        p_any[:, :_S],
        p_half[:, :_S],
        tuple(c[:, :_S] for c in cum),
        p_more_change[:, :_S],
    )
    cum_dest = np.cumsum(dest.reshape(p, _S, _A, _C), axis=-1)
    planes = []
    for j in range(_C - 1):
        plane = np.ones((p, _S + 1, _A), dtype=np.float32)
        plane[:, :_S] = cum_dest[..., j]
        planes.append(plane.reshape(-1))
    return RateTables(
        p_any=p_any.reshape(-1),
        p_half=p_half.reshape(-1),
        cum=tuple(c.reshape(-1) for c in cum),
        p_more_change=p_more_change.reshape(-1),
        dest=tuple(planes),
        legal_after=_cum_dirichlet(model.legal_after_placement_alpha, rng, p),
        legal_dest=_cum_dirichlet(model.legal_dest_alpha, rng, p),
        num_rows=rows,
        num_tic=n_tic,
    )


def _cum_dirichlet(alpha: np.ndarray, rng: np.random.Generator, p: int) -> tuple[np.ndarray, ...]:
    """Per-path Dirichlet draws of ``alpha``'s last axis, cumulated, one row per leading cell.

    One array per threshold (the last, 1, dropped).
    """
    draw = rng.gamma(alpha, 1.0, size=(p, *alpha.shape))
    draw /= np.maximum(draw.sum(-1, keepdims=True), 1e-300)
    cum = np.cumsum(draw, axis=-1).reshape(-1, alpha.shape[-1])
    return tuple(cum[:, j].astype(np.float32) for j in range(alpha.shape[-1] - 1))


def _outcomes(
    exit_r: np.ndarray,
    move_r: np.ndarray,
    chg_r: np.ndarray,
    legal_r: np.ndarray,
    p_any: np.ndarray,
    p_half: np.ndarray,
    cum: tuple[np.ndarray, ...],
    p_more_change: np.ndarray,
) -> None:
    """Fill the probability of an event in a month (and half a month), the cumulative
    outcome probabilities and a further event's chance of being a change.

    Outcomes: leave care, a new placement in the same category, a new legal group alone,
    a move to another category (where to is drawn separately). A move does not stop a
    child leaving care later in the same month, so leaving has its own probability
    ``1 - exp(-exit rate)`` rather than competing with moves (competing would
    understate exits by a few percent when moves are frequent). Computed in place, in
    float32, one operation at a time (large temporaries cost more than the arithmetic).
    """
    tiny = np.float32(1e-30)
    move_chg = move_r + chg_r
    other = move_chg + legal_r
    np.divide(chg_r, np.maximum(move_chg, tiny, out=move_chg), out=p_more_change)
    p_exit = _p_event(exit_r, other, 1.0, p_any)
    # entrants start at no time in care, in the first time-in-care band (contiguous
    # copies: a vectorised math loop must see the same layout as the others)
    first = np.empty(exit_r.shape[:-1], dtype=np.float32)
    _p_event(np.ascontiguousarray(exit_r[..., 0]), np.ascontiguousarray(other[..., 0]), 0.5, first)
    p_half[..., 0] = first
    # share = (p_any - p_exit) / max(other, tiny) / max(p_any, tiny)
    share = np.subtract(p_any, p_exit, out=move_chg)
    share /= np.maximum(other, tiny, out=other)
    top = np.maximum(p_any, tiny, out=other)
    share /= top
    np.divide(p_exit, top, out=cum[0])
    np.multiply(chg_r, share, out=chg_r)
    np.add(cum[0], chg_r, out=cum[1])
    np.multiply(legal_r, share, out=legal_r)
    np.add(cum[1], legal_r, out=cum[2])


def _p_event(exit_r: np.ndarray, other_r: np.ndarray, months: float, out: np.ndarray) -> np.ndarray:
    """Fill ``out`` with the probability of leaving care or another event in ``months``
    (see :func:`_outcomes`); return the probability of leaving."""
    f = np.float32(months)
    p_exit = np.negative(exit_r)
    p_exit *= f
    np.expm1(p_exit, out=p_exit)
    np.negative(p_exit, out=p_exit)
    # p_exit + -expm1(-other * months) * (1 - p_exit)
    np.negative(other_r, out=out)
    out *= f
    np.expm1(out, out=out)
    np.negative(out, out=out)
    out *= np.subtract(np.float32(1), p_exit)
    np.add(p_exit, out, out=out)
    return p_exit


def _apply_shifts(probs: np.ndarray, scenario: Scenario) -> np.ndarray:
    """Move a fraction of the last axis' mass from one category to another: each shift's
    fraction is of what would have gone to its category without any shift, so two shifts
    of a quarter from one category move half of it (not a quarter, then a quarter of the
    rest), and a chain (A to B, B to C) moves only B's own share on."""
    if not scenario.shift:
        return probs
    before = probs.copy()
    for s in scenario.shift:
        a, b = CAT[s.from_category], CAT[s.to_category]
        moved = before[..., a] * s.fraction
        probs[..., a] -= moved
        probs[..., b] += moved
    np.maximum(probs, 0.0, out=probs)  # shifts of a category adding to 1 leave rounding
    return probs


def draw_entries(
    model: ForecastModel,
    scenario: Scenario,
    months: pd.DatetimeIndex,
    rng: np.random.Generator,
    p: int,
) -> np.ndarray:
    """Entries per path, month and (age band x legal group x first category).

    Shape ``(paths, months, A * L * C)``.
    """
    em = model.entries
    h = len(months)
    mu = np.exp(em.draw_log_mean(months, rng, p))
    if np.isfinite(em.nb_shape):
        mu = rng.gamma(em.nb_shape, mu / em.nb_shape)
    comp = rng.gamma(em.composition_alpha, 1.0, size=(p, *em.composition_alpha.shape))
    comp = _apply_shifts(comp, scenario)
    comp /= comp.sum(axis=(1, 2, 3), keepdims=True)
    mult = np.array([scenario.entries.multiplier(b) for b in AGE_BANDS])
    lam = mu[:, :, None, None, None] * (comp * mult[None, :, None, None])[:, None]
    return rng.poisson(lam).reshape(p, h, _A * _L * _C)
