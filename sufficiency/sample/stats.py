"""Summary statistics of a 903 history, to compare with DfE's national figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from sufficiency.geo import directory

_GROUPS = {
    "kinship_foster": {"U1", "U2", "U3"},
    "children_homes": {"K1", "K2"},
    "supported": {"H5", "P2", "K3"},
    "with_parents": {"P1"},
    "adoption": {"A3", "A4", "A5", "A6"},
}
_AGE_EDGES = [0, 1, 5, 10, 16, 99]
_AGE_LABELS = ["under_1", "1_4", "5_9", "10_15", "16_plus"]


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


def _ages(dob: pd.Series, on: date) -> np.ndarray:
    d = pd.to_datetime(dob, format="%d/%m/%Y")
    before = (d.dt.month > on.month) | ((d.dt.month == on.month) & (d.dt.day > on.day))
    return (on.year - d.dt.year - before.astype(int)).to_numpy()


def _age_mix(ages: np.ndarray) -> dict[str, float]:
    bands = pd.cut(ages, _AGE_EDGES, right=False, labels=_AGE_LABELS)
    counts = pd.Series(bands).value_counts(normalize=True)
    return {f"age_{k}": float(counts.get(k, 0.0)) for k in _AGE_LABELS}


def sample_statistics(ssda903_dir: Path, year: int = 2026) -> dict[str, float]:
    """Headline aggregates of one collection year of a 903 history.

    Parameters
    ----------
    ssda903_dir
        Folder with one sub-folder per collection year (``2026/episodes.csv`` ...).
    year
        Collection year by its end year; the snapshot is 31 March of ``year``.

    Returns
    -------
    dict
        ``stock`` (children looked after at 31 March), ``place_<group>`` shares of the
        stock by placement (foster, kinship_foster, in_house_foster, ifa_foster,
        children_homes, supported, with_parents, adoption, other), ``age_<band>`` shares,
        ``starts`` and ``starts_to_stock``, ``starts_male``, ``starts_uasc`` and
        ``starts_age_<band>`` shares, ``over_20_miles`` (share of the stock placed more than
        20 miles from home; unknown distances count in the denominator, as DfE's do),
        ``outside_la`` and ``three_plus_placements`` (share of the stock with three or more
        placements during the year).
    """
    folder = Path(ssda903_dir) / str(year)
    eps = _read(folder, "episodes.csv")
    header = _read(folder, "header.csv").set_index("CHILD")
    uasc = set(_read(folder, "uasc.csv")["CHILD"])
    start, end = date(year - 1, 4, 1), date(year, 3, 31)
    eps["decom"] = pd.to_datetime(eps["DECOM"], format="%d/%m/%Y")
    eps = eps.sort_values(["CHILD", "decom"], kind="stable")
    open_at_end = eps[eps["DEC"] == ""]
    stock = len(open_at_end)
    out: dict[str, float] = {"stock": float(stock)}

    place, prov = open_at_end["PLACE"], open_at_end["PLACE_PROVIDER"]
    foster = place.isin(["U1", "U2", "U3", "U4", "U5", "U6"])
    mainstream = place.isin(["U4", "U5", "U6"])
    shares = {
        "foster": foster,
        "in_house_foster": mainstream & (prov == "PR1"),
        "ifa_foster": mainstream & prov.isin(["PR4", "PR5"]),
        **{k: place.isin(list(v)) for k, v in _GROUPS.items()},
    }
    grouped = np.zeros(stock, bool)
    for name, mask in shares.items():
        out[f"place_{name}"] = float(mask.mean()) if stock else 0.0
        if name not in ("in_house_foster", "ifa_foster", "kinship_foster"):
            grouped |= mask.to_numpy()
    out["place_other"] = float((~grouped).mean()) if stock else 0.0

    dob = header.loc[open_at_end["CHILD"], "DOB"]
    out.update(_age_mix(_ages(dob, end)))

    starts = eps[(eps["RNE"] == "S") & (eps["decom"] >= pd.Timestamp(start))]
    out["starts"] = float(len(starts))
    out["starts_to_stock"] = len(starts) / stock if stock else 0.0
    sex = header.loc[starts["CHILD"], "SEX"]
    out["starts_male"] = float(sex.isin(["1", "M"]).mean())
    out["starts_uasc"] = float(starts["CHILD"].isin(uasc).mean())
    start_ages = (
        starts["decom"]
        - pd.to_datetime(header.loc[starts["CHILD"], "DOB"].to_numpy(), format="%d/%m/%Y")
    ).dt.days / 365.25
    for k, v in _age_mix(np.floor(start_ages.to_numpy())).items():
        out[f"starts_{k}"] = v

    d = directory()
    miles = d.distance_miles(open_at_end["HOME_POST"], open_at_end["PL_POST"])
    out["over_20_miles"] = float(np.mean(np.nan_to_num(miles, nan=0.0) > 20)) if stock else 0.0
    pl_la = d.lookup(open_at_end["PL_POST"]).upper_tier
    out["outside_la"] = float((pl_la != "E10000034").fillna(True).mean()) if stock else 0.0

    moves = eps["RNE"].isin(["P", "B", "T", "U"]) & (eps["decom"] >= pd.Timestamp(start))
    n_placements = 1 + moves.groupby(eps["CHILD"]).sum()
    at_end = n_placements.loc[open_at_end["CHILD"]]
    out["three_plus_placements"] = float((at_end >= 3).mean()) if stock else 0.0
    return out


#: Placement types counted as supported accommodation (as in ``place_supported``).
SUPPORTED = frozenset(_GROUPS["supported"])


def history_episodes(ssda903_dir: Path) -> pd.DataFrame:
    """Every collection year's episodes, each once, as the latest return has it.

    Parameters
    ----------
    ssda903_dir
        Folder with one sub-folder per collection year (``2026/episodes.csv`` ...).

    Returns
    -------
    pandas.DataFrame
        DfE's episode columns plus ``decom`` and ``dec`` (timestamps; ``dec`` NaT while
        open), one row per (CHILD, DECOM), sorted by child and start. An episode open at
        the end of one year is taken from the next year's return, which closes it.
    """
    frames = []
    for folder in sorted(p for p in Path(ssda903_dir).iterdir() if p.name.isdigit()):
        eps = _read(folder, "episodes.csv")
        eps["_year"] = int(folder.name)
        frames.append(eps)
    eps = pd.concat(frames, ignore_index=True)
    eps = eps.sort_values("_year", kind="stable").drop_duplicates(["CHILD", "DECOM"], keep="last")
    eps["decom"] = pd.to_datetime(eps["DECOM"], format="%d/%m/%Y")
    eps["dec"] = pd.to_datetime(eps["DEC"].replace("", None), format="%d/%m/%Y")
    return eps.drop(columns="_year").sort_values(["CHILD", "decom"], kind="stable")


def looked_after_on(episodes: pd.DataFrame, day: date, places: frozenset[str] | None = None) -> int:
    """Children looked after at the end of ``day`` (in one of ``places``, if given).

    ``episodes`` is :func:`history_episodes`' table; a child counts if an episode started
    on or before ``day`` and had not ended by it, as DfE counts the 31 March stock.
    """
    at = pd.Timestamp(day)
    open_ = (episodes["decom"] <= at) & (episodes["dec"].isna() | (episodes["dec"] > at))
    if places is not None:
        open_ &= episodes["PLACE"].isin(list(places))
    return int(open_.sum())


def returns_to_care(episodes: pd.DataFrame) -> pd.DataFrame:
    """Periods of care that began after an earlier one in the same history.

    Parameters
    ----------
    episodes
        :func:`history_episodes`' table.

    Returns
    -------
    pandas.DataFrame
        One row per return: ``CHILD``, ``year`` (collection year of the new start, by its
        end year), ``start``, ``left`` (the day the previous period ended), ``gap_days``
        and ``left_rec`` (how the previous period ended).
    """
    prev_dec = episodes.groupby("CHILD")["dec"].shift()
    prev_rec = episodes.groupby("CHILD")["REC"].shift()
    back = (episodes["RNE"] == "S") & prev_dec.notna()
    out = pd.DataFrame(
        {
            "CHILD": episodes.loc[back, "CHILD"],
            "start": episodes.loc[back, "decom"],
            "left": prev_dec[back],
            "left_rec": prev_rec[back],
        }
    )
    out["year"] = out["start"].dt.year + (out["start"].dt.month >= 4).astype(int)
    out["gap_days"] = (out["start"] - out["left"]).dt.days
    return out.reset_index(drop=True)
