"""Seeded stochastic simulation of the children looked after, month by month.

Every path is a plausible future: it first draws its own rates from their posterior
(parameter uncertainty) and a drifting entry level, then moves each child through
the months (fully vectorised over paths x children). A child's state is a category
and a legal group. A month for a child in care: leave care, move to another category,
a new placement in the same one, or a new legal group without a new placement, with
probabilities from the child's category x legal group x age band x time-in-care cell;
a child who moved (or who leaves) may move or change placement again that month, as
often as the reference window shows; a new placement may bring a new legal group
(a placement order with a move to adopters); then one month older; on their 18th
birthday they leave. Entries are gamma-Poisson (overdispersed) counts split by age
band x legal group x first category.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.config import ForecastParams
from sufficiency.forecast.model import ForecastModel
from sufficiency.forecast.scenario import BASE, Scenario
from sufficiency.forecast.states import (
    AGE_BAND_LOWER_YEARS,
    AGE_BANDS,
    CAT,
    LEAVING_AGE_MONTHS,
    NUM_AGE_BANDS,
    NUM_CATEGORIES,
    NUM_LEGAL_GROUPS,
)

_C, _A, _L = NUM_CATEGORIES, NUM_AGE_BANDS, NUM_LEGAL_GROUPS
#: A child's state is ``category * _L + legal group``; this one marks a slot whose child left.
_S = _C * _L
_DEAD = _S
_COMPACT_EVERY_MONTHS = 6
#: Further moves or placement changes a child may have in a month after the first.
_MAX_EXTRA_EVENTS = 3
#: Paths per chunk (fixed, so results depend only on the seed) and worker threads.
_CHUNK_PATHS = 500
_THREADS = 2
#: Size of the age and time-in-care axes (months): beyond 18 years plus a 60-month horizon.
_K = 288
#: Where prevalent periods' clocks start on the time-in-care axis (months); ordinary
#: times in care stay below it (they are capped at the last band edge, see ``_tic_axis``).
_PREVALENT_AT = 144


@dataclass(frozen=True)
class InitialStock:
    """Children in care on the start date: category, age and time in care, in months.

    ``prevalent`` marks periods of care begun before the earliest return held, whose
    ``tic_months`` count from the first day of the returns (see
    :func:`sufficiency.forecast.states.tic_days`). ``legal`` is each child's legal
    group (index into :data:`~sufficiency.forecast.states.LEGAL_GROUPS`); ``None``
    counts everyone as on a care order.
    """

    category: np.ndarray
    age_months: np.ndarray
    tic_months: np.ndarray
    prevalent: np.ndarray
    legal: np.ndarray | None = None

    def states(self) -> np.ndarray:
        """Each child's simulation state, ``category * num legal groups + legal group``."""
        legal = np.ones_like(self.category) if self.legal is None else self.legal
        return np.asarray(self.category, dtype=np.int64) * _L + legal


@dataclass(frozen=True)
class _Tables:
    p_any: np.ndarray  # (paths * rows,) probability of an event in a month
    p_half: np.ndarray  # same for half a month (entrants)
    cum: np.ndarray  # (paths * rows, 4) cumulative: exit, change, legal change, move
    p_more_change: np.ndarray  # (paths * rows,) a further event is a change, not a move
    cum_dest: np.ndarray  # (paths * rows / T, C) where a move goes, by path x state x age band
    cum_legal_after: np.ndarray  # (paths * L * A * C, L) legal group after a placement
    cum_legal_dest: np.ndarray  # (paths * L * A, L) new legal group after a legal change
    num_rows: int
    num_tic: int


def _draw_tables(
    model: ForecastModel,
    params: ForecastParams,
    scenario: Scenario,
    rng: np.random.Generator,
    p: int,
) -> _Tables:
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
    p_any = np.zeros((p, _S + 1, _A, n_tic), dtype=np.float32)
    p_half = np.zeros_like(p_any)
    cum = np.ones((p, _S + 1, _A, n_tic, 4), dtype=np.float32)
    p_any[:, :_S], cum[:, :_S] = _outcomes(exit_r, move_r, chg_r, legal_r, 1.0)
    p_half[:, :_S] = _p_event(exit_r, move_r + chg_r + legal_r, 0.5)
    p_more_change = np.ones((p, _S + 1, _A, n_tic), dtype=np.float32)
    p_more_change[:, :_S] = chg_r / np.maximum(move_r + chg_r, 1e-30)
    cum_dest = np.ones((p, _S + 1, _A, _C), dtype=np.float32)
    cum_dest[:, :_S] = np.cumsum(dest.reshape(p, _S, _A, _C), axis=-1)
    cum_dest[..., -1] = 1.0
    return _Tables(
        p_any=p_any.reshape(-1),
        p_half=p_half.reshape(-1),
        cum=cum.reshape(p * rows, 4),
        p_more_change=p_more_change.reshape(-1),
        cum_dest=cum_dest.reshape(-1, _C),
        cum_legal_after=_cum_dirichlet(model.legal_after_placement_alpha, rng, p),
        cum_legal_dest=_cum_dirichlet(model.legal_dest_alpha, rng, p),
        num_rows=rows,
        num_tic=n_tic,
    )


def _cum_dirichlet(alpha: np.ndarray, rng: np.random.Generator, p: int) -> np.ndarray:
    """Per-path Dirichlet draws of ``alpha``'s last axis, cumulated, one row per leading cell."""
    draw = rng.gamma(alpha, 1.0, size=(p, *alpha.shape))
    draw /= np.maximum(draw.sum(-1, keepdims=True), 1e-300)
    cum = np.cumsum(draw, axis=-1)
    cum[..., -1] = 1.0
    return cum.reshape(-1, alpha.shape[-1]).astype(np.float32)


def _outcomes(
    exit_r: np.ndarray, move_r: np.ndarray, chg_r: np.ndarray, legal_r: np.ndarray, months: float
) -> tuple[np.ndarray, np.ndarray]:
    """Probability of an event in ``months`` and cumulative outcome probabilities.

    Outcomes: leave care, a new placement in the same category, a new legal group alone,
    a move to another category (where to is drawn separately). A move does not stop a
    child leaving care later in the same month, so leaving has its own probability
    ``1 - exp(-exit rate)`` rather than competing with moves (competing would
    understate exits by a few percent when moves are frequent).
    """
    p_exit = -np.expm1(-exit_r * months)
    other = move_r + chg_r + legal_r
    p_any = _p_event(exit_r, other, months)
    p_other = p_any - p_exit
    share = p_other / np.maximum(other, 1e-30) / np.maximum(p_any, 1e-30)
    cum = np.empty((*p_any.shape, 4), dtype=np.float32)
    cum[..., 0] = p_exit / np.maximum(p_any, 1e-30)
    cum[..., 1] = cum[..., 0] + chg_r * share
    cum[..., 2] = cum[..., 1] + legal_r * share
    cum[..., 3] = 1.0
    return p_any, cum


def _p_event(exit_r: np.ndarray, other_r: np.ndarray, months: float) -> np.ndarray:
    """Probability of leaving care or another event in ``months`` (see :func:`_outcomes`)."""
    p_exit = -np.expm1(-exit_r * months)
    return p_exit + -np.expm1(-other_r * months) * (1 - p_exit)


def _apply_shifts(probs: np.ndarray, scenario: Scenario) -> np.ndarray:
    """Move a fraction of the last axis' mass from one category to another."""
    for s in scenario.shift:
        a, b = CAT[s.from_category], CAT[s.to_category]
        moved = probs[..., a] * s.fraction
        probs[..., a] -= moved
        probs[..., b] += moved
    return probs


def _draw_entries(
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


def _band_table(model: ForecastModel) -> np.ndarray:
    """``(age band * T + tic band)`` for every ``age * _K + tic`` index.

    Time-in-care values below ``_PREVALENT_AT`` are ordinary months in care; from it
    on, months since the returns began for a prevalent period of care.
    """
    band_edges = np.asarray(AGE_BAND_LOWER_YEARS[1:]) * 12
    ages = np.arange(_K)
    age_band = np.searchsorted(band_edges, ages, side="right").clip(0, _A - 1)
    ordinary = np.searchsorted(model.tic_edges_months, ages, side="right") - 1
    prev_edges = np.asarray(model.prevalent_tic_edges_months) + _PREVALENT_AT
    prevalent = len(model.tic_edges_months) + np.searchsorted(prev_edges, ages, side="right") - 1
    tic_band = np.where(ages >= _PREVALENT_AT, prevalent, ordinary).clip(0)
    n_tic = len(model.tic_edges_months) + len(model.prevalent_tic_edges_months)
    return (age_band[:, None] * n_tic + tic_band[None, :]).reshape(-1).astype(np.int32)


def _tic_axis(model: ForecastModel, initial: InitialStock, h: int) -> np.ndarray:
    """Initial positions on the time-in-care axis; capped where the bands stop changing."""
    ordinary = np.minimum(initial.tic_months, int(np.max(model.tic_edges_months)))
    prev = _PREVALENT_AT + np.minimum(
        initial.tic_months, int(np.max(model.prevalent_tic_edges_months))
    )
    if ordinary.max(initial=0) + h >= _PREVALENT_AT or prev.max(initial=0) + h >= _K:
        raise ValueError("time-in-care bands too wide for the simulation's axis")
    return np.where(initial.prevalent, prev, ordinary).astype(np.int32)


def simulate(
    model: ForecastModel,
    initial: InitialStock,
    months: pd.DatetimeIndex,
    params: ForecastParams,
    scenario: Scenario = BASE,
    progress: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Simulate ``params.num_paths`` futures over ``months`` (index 0 = start date).

    Paths are simulated in fixed-size chunks, each with its own random stream spawned
    from the seed, on two threads; the result depends only on the seed and the number
    of paths, not on the number of threads or their timing.

    Returns
    -------
    tuple of numpy.ndarray
        ``stock (P, M, C, A)``, ``starts (P, M, C)``, ``entries (P, M, C)``,
        ``exits (P, M, C)``, with ``M = len(months)`` and zeros for flows at index 0.
    """
    sizes = [_CHUNK_PATHS] * (params.num_paths // _CHUNK_PATHS)
    if params.num_paths % _CHUNK_PATHS:
        sizes.append(params.num_paths % _CHUNK_PATHS)
    streams = np.random.SeedSequence(params.seed).spawn(len(sizes))

    def run(i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        rng = np.random.default_rng(streams[i])
        return _simulate_chunk(
            model, initial, months, params, scenario, rng, sizes[i], progress if i == 0 else None
        )

    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        parts = list(pool.map(run, range(len(sizes))))
    stock, starts, entries, exits = (
        np.concatenate([part[k] for part in parts], axis=0) for k in range(4)
    )
    return stock, starts, entries, exits


def _simulate_chunk(
    model: ForecastModel,
    initial: InitialStock,
    months: pd.DatetimeIndex,
    params: ForecastParams,
    scenario: Scenario,
    rng: np.random.Generator,
    p: int,
    progress: Callable[[int], None] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    h = len(months) - 1
    tables = _draw_tables(model, params, scenario, rng, p)
    entries = _draw_entries(model, scenario, months[1:], rng, p)
    n_tic = tables.num_tic
    cell_of = _band_table(model)
    state_stride = _A * n_tic
    width_needed = len(initial.category) + int(entries.sum(axis=2).max(axis=0).sum()) + 1
    # each child's state (category * _L + legal group), _DEAD once they have left
    state = np.full((p, width_needed), _DEAD, dtype=np.int16)
    # age and time in care in one index (age * _K + tic): one add ages both
    at = np.zeros((p, width_needed), dtype=np.int32)
    n0 = len(initial.category)
    state[:, :n0] = initial.states()
    at[:, :n0] = initial.age_months * _K + _tic_axis(model, initial, h)
    width = n0
    poff = (np.arange(p, dtype=np.int32) * tables.num_rows)[:, None]
    path_legal_after = np.arange(p, dtype=np.int64) * (_L * _A * _C)
    path_legal_dest = np.arange(p, dtype=np.int64) * (_L * _A)
    stock = np.zeros((p, h + 1, _C, _A), dtype=np.int32)
    starts = np.zeros((p, h + 1, _C), dtype=np.int32)
    ent_out = np.zeros((p, h + 1, _C), dtype=np.int32)
    exits = np.zeros((p, h + 1, _C), dtype=np.int32)

    def count(path: np.ndarray, cats: np.ndarray) -> np.ndarray:
        return np.bincount(path * _C + cats, minlength=p * _C).reshape(p, _C)

    def rows(lo: int, hi: int) -> np.ndarray:
        row = state[:, lo:hi] * np.int32(state_stride)
        row += np.take(cell_of, at[:, lo:hi])
        row += poff
        return row

    def record(m: int, row: np.ndarray) -> None:
        # rows // n_tic is path x state x age band
        counts = np.bincount((row // n_tic).ravel(), minlength=p * (_S + 1) * _A)
        by_state = counts.reshape(p, _S + 1, _A)[:, :_S]
        stock[:, m] = by_state.reshape(p, _C, _L, _A).sum(axis=2)

    def destination(flat_rows: np.ndarray) -> np.ndarray:
        """Category a move from each of ``flat_rows`` goes to (its path x state x age band)."""
        v = rng.random(len(flat_rows), dtype=np.float32)
        return (v[:, None] > tables.cum_dest[flat_rows // n_tic]).sum(axis=1)

    def new_legal(cum: np.ndarray, index: np.ndarray) -> np.ndarray:
        v = rng.random(len(index), dtype=np.float32)
        return (v[:, None] > cum[index]).sum(axis=1)

    def more_events(pi: np.ndarray, flat: np.ndarray, old: np.ndarray, first: np.ndarray, m: int):
        """Further moves or changes in the month; returns each child's category.

        ``first`` is each child's probability of a first further event; after it, of
        another, ``model.repeat_event_prob``. Where it leads follows the current
        cell's shares of changes and moves.
        """
        cur = old.copy()
        live = np.flatnonzero(first > 0)
        prob: np.ndarray | np.float32 = first[live]
        for _ in range(_MAX_EXTRA_EVENTS):
            live = live[rng.random(len(live), dtype=np.float32) < prob]
            if len(live) == 0:
                break
            prob = np.float32(model.repeat_event_prob)
            move = rng.random(len(live), dtype=np.float32) >= tables.p_more_change[flat[live]]
            new = cur[live].copy()
            new[move] = destination(flat[live[move]])
            flat[live] += (new - cur[live]).astype(flat.dtype) * np.int32(_L * state_stride)
            cur[live] = new
            starts[:, m] += count(pi[live], new)
        return cur

    def events(lo: int, row: np.ndarray, p_table: np.ndarray, m: int) -> None:
        hit = rng.random(row.shape, dtype=np.float32) < np.take(p_table, row)
        idx = np.flatnonzero(hit)
        if len(idx) == 0:
            return
        pi, wi = np.divmod(idx, row.shape[1])
        flat = row.ravel()[idx]
        wi += lo
        u = rng.random(len(pi), dtype=np.float32)
        outcome = (u[:, None] > tables.cum[flat]).sum(axis=1)
        old_state = state[pi, wi].astype(np.int64)
        old, legal = np.divmod(old_state, _L)
        is_exit = outcome == 0
        is_legal = outcome == 2
        is_move = outcome == 3
        placed = (outcome == 1) | is_move
        new = old.copy()
        new[is_move] = destination(flat[is_move])
        starts[:, m] += count(pi[placed], new[placed])
        flat[placed] += ((new[placed] - old[placed]) * _L * state_stride).astype(flat.dtype)
        # another move or change that month; a child leaving care may have had one first
        first = np.where(is_exit, model.exit_month_event_prob, model.repeat_event_prob)
        first = np.where(is_legal, 0.0, first).astype(np.float32)
        new = more_events(pi, flat, new, first, m)
        exits[:, m] += count(pi[is_exit], new[is_exit])
        # a new placement may come with a new order; a legal change alone brings one
        lg = legal.copy()
        band = cell_of[at[pi, wi]] // n_tic
        pl = np.flatnonzero(placed)
        lg[pl] = new_legal(
            tables.cum_legal_after,
            path_legal_after[pi[pl]] + (legal[pl] * _A + band[pl]) * _C + new[pl],
        )
        lc = np.flatnonzero(is_legal)
        lg[lc] = new_legal(
            tables.cum_legal_dest, path_legal_dest[pi[lc]] + legal[lc] * _A + band[lc]
        )
        new_state = new * _L + lg
        new_state[is_exit] = _DEAD
        state[pi, wi] = new_state

    leave_at = LEAVING_AGE_MONTHS * _K
    for m in range(1, h + 1):
        row = rows(0, width)
        record(m - 1, row)
        events(0, row, tables.p_any, m)
        for sd in scenario.step_down:
            _step_down(state[:, :width], sd.count_in_month(m), sd, rng, starts[:, m])
        at[:, :width] += _K + 1
        li, wi = np.divmod(np.flatnonzero(at[:, :width] >= leave_at), width)
        still = state[li, wi] != _DEAD
        li, wi = li[still], wi[still]
        if len(li):
            exits[:, m] += count(li, state[li, wi].astype(np.int64) // _L)
            state[li, wi] = _DEAD
        lo = width
        width = _add_entrants(state, at, width, entries[:, m - 1], model, rng)
        block = state[:, lo:width]
        bi, bj = np.divmod(np.flatnonzero(block != _DEAD), max(width - lo, 1))
        ent_out[:, m] += count(bi, block[bi, bj].astype(np.int64) // _L)
        starts[:, m] += ent_out[:, m]
        events(lo, rows(lo, width), tables.p_half, m)
        if m % _COMPACT_EVERY_MONTHS == 0:
            width = _compact(state, at, width)
        if progress is not None:
            progress(m)
    record(h, rows(0, width))
    return stock, starts, ent_out, exits


def _step_down(
    state: np.ndarray, n: int, sd: object, rng: np.random.Generator, starts_m: np.ndarray
) -> None:
    """Move up to ``n`` random children per path between the step-down's categories.

    A child stepped down keeps their legal group.
    """
    if n <= 0 or state.shape[1] == 0:
        return
    src, dst = CAT[sd.from_category], CAT[sd.to_category]  # type: ignore[attr-defined]
    in_src = (state // _L == src) & (state != _DEAD)
    key = np.where(in_src, rng.random(state.shape), 2.0)
    n = min(n, state.shape[1])
    pick = np.argpartition(key, n - 1, axis=1)[:, :n]
    ok = np.take_along_axis(key, pick, axis=1) < 2.0
    rows = np.nonzero(ok)[0]
    cols = pick[ok]
    state[rows, cols] = dst * _L + state[rows, cols] % _L
    starts_m[:, dst] += np.bincount(rows, minlength=state.shape[0])


def _add_entrants(
    state: np.ndarray,
    at: np.ndarray,
    width: int,
    counts: np.ndarray,
    model: ForecastModel,
    rng: np.random.Generator,
) -> int:
    """Append this month's entrants after column ``width``; return the new width."""
    p = counts.shape[0]
    per_path = counts.sum(axis=1)
    total = int(per_path.sum())
    if total == 0:
        return width
    cells = np.repeat(np.tile(np.arange(_A * _L * _C), p), counts.ravel())
    path = np.repeat(np.arange(p), per_path)
    pos = np.arange(total) - np.repeat(np.cumsum(per_path) - per_path, per_path)
    band, rest = np.divmod(cells, _L * _C)
    legal, first = np.divmod(rest, _C)
    ages = np.empty(total, dtype=np.int32)
    u = rng.random(total)
    for b, pool in enumerate(model.entries.ages_months):
        sel = band == b
        ages[sel] = pool[(u[sel] * len(pool)).astype(np.int64)]
    cols = width + pos
    state[path, cols] = first * _L + legal
    at[path, cols] = ages * _K
    return width + int(per_path.max())


def _compact(state: np.ndarray, at: np.ndarray, width: int) -> int:
    """Move each path's children to the front of its row; return the new width."""
    alive = state[:, :width] != _DEAD
    order = np.argsort(~alive, axis=1, kind="stable")
    new_width = int(alive.sum(axis=1).max())
    for arr in (state, at):
        arr[:, :width] = np.take_along_axis(arr[:, :width], order, axis=1)
    state[:, new_width:width] = _DEAD
    return new_width
