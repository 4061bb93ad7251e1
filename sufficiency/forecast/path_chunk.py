"""One chunk of simulated paths moving month by month (see :mod:`.simulate`).

Each child is a slot in its path's row; the rows are compacted every few months. The
random numbers are drawn in a fixed order, so a chunk's paths depend only on its stream.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.config import ForecastParams
from sufficiency.forecast.model import ForecastModel
from sufficiency.forecast.rate_draws import draw_entries, draw_rate_tables
from sufficiency.forecast.scenario import Scenario, StepDown
from sufficiency.forecast.states import (
    AGE_BAND_LOWER_YEARS,
    CAT,
    LEAVING_AGE_MONTHS,
    NUM_AGE_BANDS,
    NUM_CATEGORIES,
    NUM_LEGAL_GROUPS,
    NUM_STATES,
)

_C, _A, _L, _S = NUM_CATEGORIES, NUM_AGE_BANDS, NUM_LEGAL_GROUPS, NUM_STATES
_DEAD = _S
_COMPACT_EVERY_MONTHS = 6
#: Further moves or placement changes a child may have in a month after the first.
_MAX_EXTRA_EVENTS = 3
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


def band_table(model: ForecastModel) -> np.ndarray:
    """``(age band * T + tic band)`` for every ``age * _K + tic`` index.

    Time-in-care values below ``_PREVALENT_AT`` are ordinary months in care; from it
    on, months since the returns began for a prevalent period of care.
    """
    age_band, tic_band, n_tic = _bands(model)
    return (age_band[:, None] * n_tic + tic_band[None, :]).reshape(-1).astype(np.int32)


def _bands(model: ForecastModel) -> tuple[np.ndarray, np.ndarray, int]:
    """Age band of each age and time-in-care band of each time-in-care index (``_K`` each)."""
    band_edges = np.asarray(AGE_BAND_LOWER_YEARS[1:]) * 12
    ages = np.arange(_K)
    age_band = np.searchsorted(band_edges, ages, side="right").clip(0, _A - 1)
    ordinary = np.searchsorted(model.tic_edges_months, ages, side="right") - 1
    prev_edges = np.asarray(model.prevalent_tic_edges_months) + _PREVALENT_AT
    prevalent = len(model.tic_edges_months) + np.searchsorted(prev_edges, ages, side="right") - 1
    tic_band = np.where(ages >= _PREVALENT_AT, prevalent, ordinary).clip(0)
    n_tic = len(model.tic_edges_months) + len(model.prevalent_tic_edges_months)
    return age_band, tic_band, n_tic


def months_to_change(model: ForecastModel) -> np.ndarray:
    """Months until a child's cell (age band x time-in-care band) next changes, or they
    reach 18, for every ``age * _K + tic`` index (at least 1; large if never on the axes)."""
    age_band, tic_band, _ = _bands(model)
    never = 10 * _K

    def ahead(band: np.ndarray, stop: int) -> np.ndarray:
        out = np.full(_K, never, dtype=np.int64)
        for i in range(_K - 2, -1, -1):
            changes = band[i + 1] != band[i] or i + 1 == stop
            out[i] = 1 if changes else min(out[i + 1] + 1, never)
        return out

    by_age = ahead(age_band, LEAVING_AGE_MONTHS)
    by_tic = ahead(tic_band, -1)
    return np.minimum(by_age[:, None], by_tic[None, :]).reshape(-1).astype(np.int32)


def _tic_axis(model: ForecastModel, initial: InitialStock, h: int) -> np.ndarray:
    """Initial positions on the time-in-care axis; capped where the bands stop changing."""
    ordinary = np.minimum(initial.tic_months, int(np.max(model.tic_edges_months)))
    prev = _PREVALENT_AT + np.minimum(
        initial.tic_months, int(np.max(model.prevalent_tic_edges_months))
    )
    if ordinary.max(initial=0) + h >= _PREVALENT_AT or prev.max(initial=0) + h >= _K:
        raise ValueError("time-in-care bands too wide for the simulation's axis")
    return np.where(initial.prevalent, prev, ordinary).astype(np.int32)


@dataclass(frozen=True)
class Axes:
    """Lookups on the ``age * _K + tic`` axis, the same for every chunk."""

    cell_of: np.ndarray  # age band * T + tic band
    months_to_change: np.ndarray  # see :func:`months_to_change`


def _pick(v: np.ndarray, thresholds: tuple[np.ndarray, ...], index: np.ndarray) -> np.ndarray:
    """How many of each row's cumulative ``thresholds`` lie below ``v``: the outcome drawn."""
    out = (v > thresholds[0].take(index)).astype(np.int8)
    for column in thresholds[1:]:
        out += v > column.take(index)
    return out


class PathChunk:
    """One chunk of paths moving month by month: each child is a slot in its path's row.

    A slot holds the child's state, the month its cell (age band x time-in-care band)
    next changes or they turn 18 (``due``), and the probability of an event in a month
    for that state and cell (``prob``, 0 once they have left). Position on the age and
    time-in-care axis in month ``m`` is ``base + m * (_K + 1)``: a child's clock needs no
    update as the months pass, only the few children whose cell changes do. Counts of
    children by path x state x age band are kept as they change, so recording the
    stock is a sum, not a pass over every child.

    The random numbers are drawn in the same order and amounts as a slot-by-slot
    simulation: one uniform per slot a month for whether something happens (left
    slots included), then per event its outcome, destination and legal group.
    """

    def __init__(
        self,
        model: ForecastModel,
        initial: InitialStock,
        months: pd.DatetimeIndex,
        params: ForecastParams,
        scenario: Scenario,
        rng: np.random.Generator,
        p: int,
        axes: Axes,
    ) -> None:
        self.model, self.scenario, self.rng, self.p, self.axes = model, scenario, rng, p, axes
        self.h = h = len(months) - 1
        self.tables = t = draw_rate_tables(model, params, scenario, rng, p)
        self.entries = draw_entries(model, scenario, months[1:], rng, p)
        self.n_tic = t.num_tic
        self.stride = _A * t.num_tic
        n0 = len(initial.category)
        self.w_max = w_max = n0 + int(self.entries.sum(axis=2).max(axis=0).sum()) + 1
        self.state = np.full((p, w_max), _DEAD, dtype=np.int16)
        self.base = np.zeros((p, w_max), dtype=np.int32)
        self.due = np.zeros((p, w_max), dtype=np.int16)
        self.prob = np.zeros((p, w_max), dtype=np.float32)
        self.uniform = np.empty(p * w_max, dtype=np.float32)
        self.counts = np.zeros(p * (_S + 1) * _A, dtype=np.int64)
        self.stock = np.zeros((p, h + 1, _C, _A), dtype=np.int32)
        self.starts = np.zeros((p, h + 1, _C), dtype=np.int32)
        self.ent_out = np.zeros((p, h + 1, _C), dtype=np.int32)
        self.exits = np.zeros((p, h + 1, _C), dtype=np.int32)
        self.stepped = np.zeros((p, h + 1, len(scenario.step_down)), dtype=np.int32)
        at0 = initial.age_months.astype(np.int64) * _K + _tic_axis(model, initial, h)
        states0 = initial.states()
        self.state[:, :n0] = states0
        self.base[:, :n0] = at0 - (_K + 1)
        self.due[:, :n0] = axes.months_to_change[at0]
        rows = (np.arange(p) * t.num_rows)[:, None] + (states0 * self.stride + axes.cell_of[at0])[
            None, :
        ]
        self.prob[:, :n0] = t.p_any[rows]
        self.counts += np.bincount((rows // self.n_tic).ravel(), minlength=len(self.counts))
        self.width = n0
        self.entry_cells = np.tile(np.arange(_A * _L * _C), p)

    def run(
        self, progress: Callable[[int], None] | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Simulate every month; return stock, starts, entries, exits and step-downs made."""
        for m in range(1, self.h + 1):
            self.record(m - 1)
            self.month_events(m)
            for k, sd in enumerate(self.scenario.step_down):
                self.step_down(m, sd, k)
            self.birthdays(m)
            lo = self.width
            self.add_entrants(m)
            self.entrant_events(lo, m)
            if m % _COMPACT_EVERY_MONTHS == 0:
                self.compact()
            if progress is not None:
                progress(m)
        self.record(self.h)
        return self.stock, self.starts, self.ent_out, self.exits, self.stepped

    def count(self, path: np.ndarray, cats: np.ndarray) -> np.ndarray:
        """Children by path and category."""
        return np.bincount(path * _C + cats, minlength=self.p * _C).reshape(self.p, _C)

    def key(self, path: np.ndarray, states: np.ndarray, cell: np.ndarray) -> np.ndarray:
        """Index into ``counts`` (path x state x age band)."""
        return (path * (_S + 1) + states) * _A + cell // self.n_tic

    def row(self, path: np.ndarray, states: np.ndarray, cell: np.ndarray) -> np.ndarray:
        """Row of the tables (path x state x cell)."""
        return path * self.tables.num_rows + states * self.stride + cell

    def cell(self, slot: np.ndarray, m: int) -> np.ndarray:
        """Cell of each slot in month ``m`` (before that month's birthday)."""
        return self.axes.cell_of[self.base.reshape(-1)[slot] + m * (_K + 1)]

    def record(self, m: int) -> None:
        """The stock of month ``m`` by category and age band, from the running counts."""
        by_state = self.counts.reshape(self.p, _S + 1, _A)[:, :_S]
        self.stock[:, m] = by_state.reshape(self.p, _C, _L, _A).sum(axis=2)

    def month_events(self, m: int) -> None:
        """Whether something happens to each child this month, and what."""
        p, w = self.p, self.width
        u = self.uniform[: p * w].reshape(p, w)
        self.rng.random(dtype=np.float32, out=u)
        idx = np.flatnonzero(u < self.prob[:, :w])
        if len(idx) == 0:
            return
        pi, wi = np.divmod(idx.astype(np.int32), w)  # int32: half the memory
        slot = pi * self.w_max + wi
        old, new, cell = self.resolve(pi, slot, m, m)
        np.subtract.at(self.counts, self.key(pi, old, cell), 1)
        np.add.at(self.counts, self.key(pi, new, cell), 1)
        self.prob.reshape(-1)[slot] = self.tables.p_any[self.row(pi, new, cell)]

    def destination(self, flat_rows: np.ndarray) -> np.ndarray:
        """Category a move from each of ``flat_rows`` goes to (its path x state x age band)."""
        v = self.rng.random(len(flat_rows), dtype=np.float32)
        return _pick(v, self.tables.dest, flat_rows // self.n_tic)

    def new_legal(self, cum: tuple[np.ndarray, ...], index: np.ndarray) -> np.ndarray:
        """Legal group drawn from the cumulative shares ``cum`` of each row of ``index``."""
        v = self.rng.random(len(index), dtype=np.float32)
        return _pick(v, cum, index)

    def resolve(
        self, pi: np.ndarray, slot: np.ndarray, m: int, at_month: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Outcomes of the events of ``slot`` (paths ``pi``) in month ``m``.

        ``at_month`` is the month whose position on the age axis applies (the next one
        for entrants, who join after the month's birthdays). Returns each child's state
        before and after, and their cell.
        """
        model, t, starts = self.model, self.tables, self.starts[:, m]
        state = self.state.reshape(-1)
        old_state = state[slot].astype(np.int32)
        cell = self.cell(slot, at_month)
        flat = self.row(pi, old_state, cell)
        u = self.rng.random(len(pi), dtype=np.float32)
        outcome = _pick(u, t.cum, flat)
        old, legal = np.divmod(old_state, _L)
        is_exit = outcome == 0
        is_legal = outcome == 2
        is_move = outcome == 3
        placed = (outcome == 1) | is_move
        new = old.copy()
        new[is_move] = self.destination(flat[is_move])
        starts += self.count(pi[placed], new[placed])
        flat += (new - old) * (_L * self.stride)  # zero unless placed
        # another move or change that month; a child leaving care may have had one first
        first = np.where(is_exit, model.exit_month_event_prob, model.repeat_event_prob)
        first = np.where(is_legal, 0.0, first).astype(np.float32)
        new = self.more_events(pi, flat, new, first, m)
        self.exits[:, m] += self.count(pi[is_exit], new[is_exit])
        # a new placement may come with a new order; a legal change alone brings one
        lg = legal.copy()
        band = cell // self.n_tic
        pl = np.flatnonzero(placed)
        lg[pl] = self.new_legal(
            t.legal_after, pi[pl] * (_L * _A * _C) + (legal[pl] * _A + band[pl]) * _C + new[pl]
        )
        lc = np.flatnonzero(is_legal)
        lg[lc] = self.new_legal(t.legal_dest, pi[lc] * (_L * _A) + legal[lc] * _A + band[lc])
        new_state = new * _L + lg
        new_state[is_exit] = _DEAD
        state[slot] = new_state
        self.due.reshape(-1)[slot[is_exit]] = 0  # a child who left has nothing due
        return old_state, new_state, cell

    def more_events(
        self, pi: np.ndarray, flat: np.ndarray, old: np.ndarray, first: np.ndarray, m: int
    ) -> np.ndarray:
        """Further moves or changes in the month; returns each child's category.

        ``first`` is each child's probability of a first further event; after it, of
        another, ``model.repeat_event_prob``. Where it leads follows the current
        cell's shares of changes and moves.
        """
        cur = old.copy()
        live = np.flatnonzero(first > 0)
        prob: np.ndarray | np.float32 = first[live]
        for _ in range(_MAX_EXTRA_EVENTS):
            live = live[self.rng.random(len(live), dtype=np.float32) < prob]
            if len(live) == 0:
                break
            prob = np.float32(self.model.repeat_event_prob)
            at = flat[live]
            move = self.rng.random(len(live), dtype=np.float32) >= self.tables.p_more_change[at]
            new = cur[live]
            new[move] = self.destination(at[move])
            flat[live] += (new - cur[live]) * (_L * self.stride)
            cur[live] = new
            self.starts[:, m] += self.count(pi[live], new)
        return cur

    def step_down(self, m: int, sd: StepDown, k: int) -> None:
        """Move up to the month's number of random children per path between the
        step-down's categories (keeping their legal group); count those moved in
        ``stepped[:, m, k]`` (fewer when the category has fewer children)."""
        n, w = sd.count_in_month(m), self.width
        if n <= 0 or w == 0:
            return
        src, dst = CAT[sd.from_category], CAT[sd.to_category]
        state = self.state[:, :w]
        in_src = (state // _L == src) & (state != _DEAD)
        key = np.where(in_src, self.rng.random(state.shape), 2.0)
        n = min(n, w)
        pick = np.argpartition(key, n - 1, axis=1)[:, :n]
        ok = np.take_along_axis(key, pick, axis=1) < 2.0
        pi = np.nonzero(ok)[0]
        slot = pi * self.w_max + pick[ok]
        flat_state = self.state.reshape(-1)
        old = flat_state[slot].astype(np.int64)
        new = dst * _L + old % _L
        flat_state[slot] = new
        made = np.bincount(pi, minlength=self.p)
        self.starts[:, m, dst] += made
        self.stepped[:, m, k] = made
        cell = self.cell(slot, m)
        np.subtract.at(self.counts, self.key(pi, old, cell), 1)
        np.add.at(self.counts, self.key(pi, new, cell), 1)
        self.prob.reshape(-1)[slot] = self.tables.p_any[self.row(pi, new, cell)]

    def birthdays(self, m: int) -> None:
        """A month older: new cells for the children whose cell changes; leaving at 18.

        Only children in care have something due (a child who leaves has ``due`` 0).
        """
        w = self.width
        pi, wi = np.divmod(np.flatnonzero(self.due[:, :w] == m).astype(np.int32), w)
        slot = pi * self.w_max + wi
        states = self.state.reshape(-1)[slot].astype(np.int32)
        at = self.base.reshape(-1)[slot] + (m + 1) * (_K + 1)
        leave = at >= LEAVING_AGE_MONTHS * _K
        if leave.any():
            gone, gone_path, gone_state = slot[leave], pi[leave], states[leave]
            old_cell = self.axes.cell_of[at[leave] - (_K + 1)]
            np.subtract.at(self.counts, self.key(gone_path, gone_state, old_cell), 1)
            self.exits[:, m] += self.count(gone_path, gone_state // _L)
            self.state.reshape(-1)[gone] = _DEAD
            self.prob.reshape(-1)[gone] = 0.0
            self.due.reshape(-1)[gone] = 0
            stay = ~leave
            pi, slot, states, at = pi[stay], slot[stay], states[stay], at[stay]
        old_band = self.axes.cell_of[at - (_K + 1)] // self.n_tic
        cell = self.axes.cell_of[at]
        moved = np.flatnonzero(cell // self.n_tic != old_band)  # a new age band
        path, st = pi[moved], states[moved]
        np.subtract.at(self.counts, (path * (_S + 1) + st) * _A + old_band[moved], 1)
        np.add.at(self.counts, self.key(path, st, cell[moved]), 1)
        self.prob.reshape(-1)[slot] = self.tables.p_any[self.row(pi, states, cell)]
        self.due.reshape(-1)[slot] = m + self.axes.months_to_change[at]

    def add_entrants(self, m: int) -> None:
        """Append this month's entrants after the last column in use."""
        counts = self.entries[:, m - 1]
        p = counts.shape[0]
        per_path = counts.sum(axis=1)
        total = int(per_path.sum())
        if total == 0:
            return
        cells = np.repeat(self.entry_cells, counts.ravel())
        path = np.repeat(np.arange(p), per_path)
        pos = np.arange(total) - np.repeat(np.cumsum(per_path) - per_path, per_path)
        band, rest = np.divmod(cells, _L * _C)
        legal, first = np.divmod(rest, _C)
        ages = np.empty(total, dtype=np.int32)
        u = self.rng.random(total)
        for b, pool in enumerate(self.model.entries.ages_months):
            sel = band == b
            ages[sel] = pool[(u[sel] * len(pool)).astype(np.int64)]
        slot = path * self.w_max + self.width + pos
        at = ages.astype(np.int64) * _K
        self.state.reshape(-1)[slot] = first * _L + legal
        # entrants join after the month's birthdays: their next month is m + 1
        self.base.reshape(-1)[slot] = at - (m + 1) * (_K + 1)
        self.due.reshape(-1)[slot] = m + self.axes.months_to_change[at]
        self.width += int(per_path.max())

    def entrant_events(self, lo: int, m: int) -> None:
        """Entries counted; the entrants' events in their half month; their slots set."""
        p, bw = self.p, self.width - lo
        block = self.state[:, lo : self.width]
        idx = np.flatnonzero(block != _DEAD)
        bi, bj = np.divmod(idx.astype(np.int32), max(bw, 1))
        states = block[bi, bj].astype(np.int32)
        self.ent_out[:, m] += self.count(bi, states // _L)
        self.starts[:, m] += self.ent_out[:, m]
        if bw == 0:
            return
        slot = bi * self.w_max + lo + bj
        cell = self.cell(slot, m + 1)
        p_half = np.zeros(p * bw, dtype=np.float32)
        p_half[idx] = self.tables.p_half[self.row(bi, states, cell)]
        u = self.rng.random((p, bw), dtype=np.float32)
        hit = np.flatnonzero(u.reshape(-1) < p_half)
        if len(hit):
            hp, hw = np.divmod(hit.astype(np.int32), bw)
            self.resolve(hp, hp * self.w_max + lo + hw, m, m + 1)
            states = self.state.reshape(-1)[slot].astype(np.int32)
        rows = self.row(bi, states, cell)
        self.prob.reshape(-1)[slot] = self.tables.p_any[rows]
        self.counts += np.bincount(rows // self.n_tic, minlength=len(self.counts))

    def compact(self) -> None:
        """Move each path's children to the front of its row, in order."""
        w = self.width
        alive = self.state[:, :w] != _DEAD
        per_path = alive.sum(axis=1)
        front = np.arange(w)[None, :] < per_path[:, None]
        for arr, empty in ((self.state, _DEAD), (self.base, 0), (self.due, 0), (self.prob, 0)):
            part = arr[:, :w]
            kept = part[alive]
            part[...] = empty
            part[front] = kept
        self.width = int(per_path.max(initial=0))
