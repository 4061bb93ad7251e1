"""Baselines for backtests: persistence, and a deterministic stock-and-flow model.

The stock-and-flow baseline follows the Social Finance demand model's approach:
daily transition rates between (age band x broad placement type) states, averaged
over the reference window, with ageing as a daily rate of leaving each age band and
a constant daily entry rate into each state, projected deterministically.
Broad types as in its standard configuration: fostering, residential, supported, other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.forecast.states import (
    AGE_BAND_LOWER_YEARS,
    CAT,
    NUM_AGE_BANDS,
    NUM_CATEGORIES,
    CareSpells,
    age_band_of_years,
    stock_at,
)

BROAD = ("fostering", "residential", "supported", "other")
_BROAD_OF = np.full(NUM_CATEGORIES, 3, dtype=np.int64)
for _name in ("kinship_foster", "in_house_foster", "ifa_foster"):
    _BROAD_OF[CAT[_name]] = 0
for _name in ("in_house_residential", "external_residential"):
    _BROAD_OF[CAT[_name]] = 1
_BROAD_OF[CAT["supported"]] = 2
_NB = len(BROAD)


def _day(x: np.ndarray) -> np.ndarray:
    return x.astype("datetime64[D]").astype(np.int64)


def _band_at(dob_day: np.ndarray, day: np.ndarray) -> np.ndarray:
    return age_band_of_years(((day - dob_day) / 365.25).astype(np.int64))


def stock_flow_forecast(
    care: CareSpells, start: pd.Timestamp, months: pd.DatetimeIndex, reference_years: float = 3.0
) -> np.ndarray:
    """Deterministic projection of children per category, ``(len(months), categories)``.

    Broad-type projections are split into our categories in proportion to the
    stock on ``start``.
    """
    start = pd.Timestamp(start)
    w0 = max(start - pd.DateOffset(months=round(reference_years * 12)), care.data_start)
    d0, d1 = _day(np.array([np.datetime64(w0, "D")]))[0], _day(np.array([np.datetime64(start)]))[0]
    sp = care.spells
    n_states = NUM_AGE_BANDS * _NB
    s = _day(sp["start"].to_numpy())
    e_raw = sp["end"].to_numpy()
    e = np.where(np.isnat(e_raw), d1 + 10**6, _day(e_raw))
    dob = _day(sp["dob"].to_numpy())
    broad = _BROAD_OF[sp["category"].to_numpy(np.int64)]
    # exposure by (age band, broad type), in child-days: split each spell at band edges
    exposure = np.zeros(n_states)
    edges_years = [*AGE_BAND_LOWER_YEARS, 18]
    gaps = [(_day(np.array([np.datetime64(a, "D")]))[0], _day(np.array([np.datetime64(b, "D")]))[0])
            for a, b in care.gaps]  # fmt: skip
    for b in range(NUM_AGE_BANDS):
        lo = np.maximum.reduce([s, np.full_like(s, d0), dob + int(edges_years[b] * 365.25)])
        hi = np.minimum.reduce([e, np.full_like(e, d1), dob + int(edges_years[b + 1] * 365.25)])
        days = np.maximum(hi - lo, 0)
        for g0, g1 in gaps:  # years with no return: unknown flows, so no exposure either
            days -= np.maximum(np.minimum(hi, g1 + 1) - np.maximum(lo, g0), 0)
        np.add.at(exposure, b * _NB + broad, np.maximum(days, 0))
    flows = np.zeros((n_states, n_states + 1))  # last column: out of care
    in_win = (e > d0) & (e <= d1) & ~care.in_gap(e)
    band_end = _band_at(dob, e - 1)
    src = band_end * _NB + broad
    end_kind = sp["end_kind"].to_numpy(str)
    nxt = np.append(broad[1:], 0)
    cont = in_win & (end_kind == "continue")
    moved = cont & (nxt != broad)
    np.add.at(flows, (src[moved], band_end[moved] * _NB + nxt[moved]), 1)
    left = in_win & (end_kind == "exit")
    np.add.at(flows, (src[left], n_states), 1)
    rates = flows / np.maximum(exposure, 1.0)[:, None]
    entries = np.zeros(n_states)
    ent = (sp["kind"].to_numpy(str) == "entry") & (s > d0) & (s <= d1) & ~care.in_gap(s)
    np.add.at(entries, _band_at(dob[ent], s[ent]) * _NB + broad[ent], 1)
    seen_days = (d1 - d0) - sum(max(min(d1, g1) - max(d0, g0 - 1), 0) for g0, g1 in gaps)
    entries /= max(seen_days, 1)
    widths = np.diff(edges_years) * 365.25
    now = stock_at(care, [start])[0]  # (C, A)
    x = np.zeros(n_states)
    for c in range(NUM_CATEGORIES):
        for b in range(NUM_AGE_BANDS):
            x[b * _NB + _BROAD_OF[c]] += now[c, b]
    share = np.zeros((_NB, NUM_CATEGORIES))
    tot_c = now.sum(axis=1)
    for c in range(NUM_CATEGORIES):
        share[_BROAD_OF[c], c] += tot_c[c]
    share /= np.maximum(share.sum(axis=1, keepdims=True), 1)
    out = np.zeros((len(months), NUM_CATEGORIES))
    day = 0
    targets = [(pd.Timestamp(m) - start).days for m in months]
    for i, target in enumerate(targets):
        while day < target:
            delta = -x * rates.sum(axis=1)
            delta += x @ rates[:, :n_states]
            for b in range(NUM_AGE_BANDS):
                ageing = x[b * _NB : (b + 1) * _NB] / widths[b]
                delta[b * _NB : (b + 1) * _NB] -= ageing
                if b + 1 < NUM_AGE_BANDS:
                    delta[(b + 1) * _NB : (b + 2) * _NB] += ageing
            x = np.maximum(x + delta + entries, 0)
            day += 1
        by_broad = x.reshape(NUM_AGE_BANDS, _NB).sum(axis=0)
        out[i] = by_broad @ share
    return out


def persistence_forecast(care: CareSpells, start: pd.Timestamp, months: pd.DatetimeIndex):
    """No change: every month equals the stock on ``start``, ``(len(months), categories)``."""
    now = stock_at(care, [pd.Timestamp(start)])[0].sum(axis=1).astype(float)
    return np.repeat(now[None, :], len(months), axis=0)
