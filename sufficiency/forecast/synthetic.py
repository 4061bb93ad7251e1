"""A quick synthetic 903 history of a given size, for tests and benchmarks.

Not the bundled sample authority (``sufficiency.sample``): a plain steady-state
process with entries at a constant rate, placement moves and exits, good enough to
exercise the forecast at any scale in a fraction of a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.io.ssda903 import SSDA903History

#: (PLACE, PLACE_PROVIDER) by age band: the settings a child of that age is placed in.
_SETTINGS: dict[int, list[tuple[str, str, float]]] = {
    0: [("U3", "PR1", 0.25), ("U6", "PR1", 0.4), ("U6", "PR4", 0.25), ("P1", "PR0", 0.1)],
    1: [("U3", "PR1", 0.2), ("U6", "PR1", 0.35), ("U6", "PR4", 0.25), ("A6", "PR1", 0.1),
        ("P1", "PR0", 0.1)],
    2: [("U1", "PR1", 0.2), ("U4", "PR1", 0.35), ("U4", "PR4", 0.3), ("K2", "PR4", 0.05),
        ("P1", "PR0", 0.1)],
    3: [("U1", "PR1", 0.15), ("U4", "PR1", 0.3), ("U4", "PR5", 0.3), ("K2", "PR1", 0.05),
        ("K2", "PR4", 0.15), ("P1", "PR0", 0.05)],
    4: [("U4", "PR1", 0.2), ("U6", "PR4", 0.25), ("K2", "PR4", 0.15), ("K3", "PR4", 0.35),
        ("P1", "PR0", 0.05)],
}  # fmt: skip
_ENTRY_AGE_WEIGHTS = np.array([0.16, 0.14, 0.15, 0.27, 0.28])
_BAND_YEARS = [(0, 1), (1, 5), (5, 10), (10, 16), (16, 18)]
_MEAN_STAY_MONTHS = [40.0, 36.0, 40.0, 30.0, 14.0]
_MEAN_MONTHS_BETWEEN_MOVES = 14.0
_K3_FROM = pd.Timestamp("2024-04-01")
_H5_UNTIL = pd.Timestamp("2025-03-31")


def _band(age_days: float) -> int:
    years = age_days / 365.25
    return next(i for i, (lo, hi) in enumerate(_BAND_YEARS) if lo <= years < hi or i == 4)


def synthetic_history(
    num_in_care: int = 1000, num_years: int = 6, end_year: int = 2026, seed: int = 0
) -> SSDA903History:
    """A steady-state authority with about ``num_in_care`` children looked after.

    Parameters
    ----------
    num_in_care
        Children in care at any time, approximately.
    num_years
        Collection years returned, ending 31 March ``end_year``.
    seed
        Seed of the generator; the same seed gives the same history.
    """
    rng = np.random.default_rng(seed)
    data_end = pd.Timestamp(end_year, 3, 31)
    data_start = pd.Timestamp(end_year - num_years, 4, 1)
    burn_in = data_start - pd.DateOffset(years=12)
    mean_stay_days = 30.4 * float(_ENTRY_AGE_WEIGHTS @ np.array(_MEAN_STAY_MONTHS)) * 0.85
    per_day = num_in_care / mean_stay_days
    span = (data_end - burn_in).days
    num_entries = rng.poisson(per_day * span)
    entry_days = np.sort(rng.integers(0, span, num_entries))
    rows, header = [], []
    for k, day in enumerate(entry_days):
        child = f"C{k:06d}"
        entry = burn_in + pd.Timedelta(days=int(day))
        band = int(rng.choice(5, p=_ENTRY_AGE_WEIGHTS))
        lo, hi = _BAND_YEARS[band]
        age_days = int(rng.uniform(lo, hi) * 365.25)
        dob = entry - pd.Timedelta(days=age_days)
        eighteenth = dob + pd.DateOffset(years=18)
        stay = int(rng.exponential(_MEAN_STAY_MONTHS[band] * 30.4)) + 1
        leave = min(entry + pd.Timedelta(days=stay), eighteenth)
        if leave <= data_start:
            continue
        header.append({"CHILD": child, "SEX": str(rng.integers(1, 3)), "DOB": dob})
        t, rne = entry, "S"
        while t < leave:
            b = _band((t - dob).days)
            opts = _SETTINGS[b]
            w = np.array([o[2] for o in opts])
            place, provider, _ = opts[int(rng.choice(len(opts), p=w / w.sum()))]
            nxt = t + pd.Timedelta(days=int(rng.exponential(_MEAN_MONTHS_BETWEEN_MOVES * 30.4)) + 1)
            end = min(nxt, leave)
            if place == "K3" and t < _K3_FROM:
                # K3 is valid from 2024-25; H5 until 2024-25 (as DfE's code lists)
                place, end = "H5", min(end, _H5_UNTIL)
            final = end >= leave
            rows.append(
                {
                    "CHILD": child,
                    "DECOM": t,
                    "RNE": rne,
                    "LS": "C2" if rne != "S" else "C1",
                    "CIN": "N1",
                    "PLACE": place,
                    "PLACE_PROVIDER": provider,
                    "DEC": end if end <= data_end else pd.NaT,
                    "REC": ("E17" if leave == eighteenth else "E13") if final else "X1",
                    "REASON_PLACE_CHANGE": None if final else "CARPL",
                }
            )
            t, rne = end, "P"
    ep = pd.DataFrame(rows)
    ep = ep[(ep["DECOM"] <= data_end) & (ep["DEC"].isna() | (ep["DEC"] >= data_start))]
    ep.loc[ep["DEC"].isna(), ["REC", "REASON_PLACE_CHANGE"]] = None
    last = ep["DEC"].fillna(data_end)
    ep["collection_year"] = (last.dt.year + (last.dt.month >= 4)).astype("Int64")
    for col in ("HOME_POST", "PL_POST", "URN"):
        ep[col] = pd.NA
    ep = ep.sort_values(["CHILD", "DECOM"], kind="stable").reset_index(drop=True)
    for col in ("CHILD", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC"):
        ep[col] = ep[col].astype("string")
    head = pd.DataFrame(header)
    head = head[head["CHILD"].isin(set(ep["CHILD"]))].reset_index(drop=True)
    head["CHILD"] = head["CHILD"].astype("string")
    years = tuple(range(end_year - num_years + 1, end_year + 1))
    return SSDA903History(header=head, episodes=ep, uasc=pd.DataFrame(), years=years)
