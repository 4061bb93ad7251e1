"""Tiny 903 histories built in code, so each forecast test states exactly what it needs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sufficiency.config import ForecastParams
from sufficiency.forecast.family import family_history, quiet_spec
from sufficiency.forecast.model import ForecastModel
from sufficiency.io.ssda903 import SSDA903History

YEARS = (2024, 2025, 2026)
END = pd.Timestamp("2026-03-31")
#: Small and quick: enough paths for stable percentiles in tests.
FAST = ForecastParams(num_paths=200, horizon_months=12, seed=7)


def episode(
    child: str,
    decom: str,
    dec: str | None = None,
    place: str = "U4",
    provider: str | None = "PR1",
    rne: str = "S",
    ls: str = "C2",
    rec: str | None = None,
    pl_post: str | None = None,
    urn: str | None = None,
) -> dict[str, Any]:
    """One episode row; ``rec`` defaults to E13 when the episode ends."""
    return {
        "CHILD": child,
        "DECOM": pd.Timestamp(decom),
        "RNE": rne,
        "LS": ls,
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": provider,
        "DEC": pd.Timestamp(dec) if dec else pd.NaT,
        "REC": rec if rec else ("E13" if dec else None),
        "REASON_PLACE_CHANGE": None,
        "HOME_POST": None,
        "PL_POST": pl_post,
        "URN": urn,
    }


def history(
    episodes: list[dict[str, Any]], dobs: dict[str, str], years: tuple[int, ...] = YEARS
) -> SSDA903History:
    """A history from episode rows and dates of birth (sex 1 for everyone)."""
    ep = pd.DataFrame(episodes)
    for col in ("CHILD", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "PL_POST", "URN"):
        ep[col] = ep[col].astype("string")
    ep["collection_year"] = max(years)
    ep = ep.sort_values(["CHILD", "DECOM"], kind="stable").reset_index(drop=True)
    header = pd.DataFrame(
        {
            "CHILD": pd.Series(list(dobs), dtype="string"),
            "SEX": "1",
            "DOB": pd.to_datetime(list(dobs.values())),
        }
    )
    return SSDA903History(header=header, episodes=ep, uasc=pd.DataFrame(), years=years)


def steady_history(num_children: int = 60, years: tuple[int, ...] = YEARS) -> SSDA903History:
    """``num_children`` 8-year-olds in in-house foster care throughout, nobody moving."""
    eps = [episode(f"S{i:03d}", "2020-01-01") for i in range(num_children)]
    return history(eps, {f"S{i:03d}": "2017-06-15" for i in range(num_children)}, years)


def write_csv_history(h: SSDA903History, folder: Path) -> Path:
    """Write ``h`` as one return per collection year (``<YYYY>/episodes.csv``), DD/MM/YYYY.

    Each return holds the episodes open during its year, with later end dates blanked
    as they would have been on its 31 March.
    """
    for year in h.years:
        start, end = pd.Timestamp(year - 1, 4, 1), pd.Timestamp(year, 3, 31)
        ep = h.episodes.drop(columns="collection_year")
        ep = ep[(ep["DECOM"] <= end) & (ep["DEC"].isna() | (ep["DEC"] >= start))].copy()
        later = ep["DEC"] > end
        ep.loc[later, "DEC"] = pd.NaT
        ep.loc[later, "REC"] = pd.NA
        for col in ("DECOM", "DEC"):
            ep[col] = ep[col].dt.strftime("%d/%m/%Y")
        head = h.header[h.header["CHILD"].isin(set(ep["CHILD"]))].copy()
        head["DOB"] = head["DOB"].dt.strftime("%d/%m/%Y")
        (folder / str(year)).mkdir(parents=True, exist_ok=True)
        ep.to_csv(folder / str(year) / "episodes.csv", index=False)
        head.to_csv(folder / str(year) / "header.csv", index=False)
    return folder


def regime_history(seed: int, **changes: Any) -> SSDA903History:
    """A 700-child authority from the calibration family with steady entries, little
    noise and no drift (:func:`~sufficiency.forecast.family.quiet_spec`), changed by
    ``changes`` (a trend, a step, UASC arriving)."""
    return family_history(replace(quiet_spec(seed), **changes))


def without_entries(model: ForecastModel) -> ForecastModel:
    """``model`` with no children entering care (a level of e^-30 a month, no drift)."""
    entries = replace(
        model.entries,
        has_trend=False,
        has_season=False,
        has_shift=False,
        coef_by_drift=np.full((1, 1), -30.0),
        cov_by_drift=np.zeros((1, 1, 1)),
        drift_sd_per_year=np.zeros(1),
        drift_weights=np.ones(1),
    )
    return replace(model, entries=entries)
