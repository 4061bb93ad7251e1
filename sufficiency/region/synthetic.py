"""Synthetic regions: any number of member authorities, for tests and benchmarks.

Each member's 903 history comes from :func:`sufficiency.forecast.synthetic.synthetic_history`
(a steady-state authority of a given size, written as per-year CSV returns), sized
like real authorities: log-uniformly from about 40 to 2,500 children looked after.

``places="fictional"`` (the default, for tests): ONS-shaped codes that are no real
authority's (``E99000001``...) and no postcodes. ``places="england"`` (the national
benchmark): each member is a different English upper-tier authority, drawn for the
seed, with its real code and its name marked *Synthetic*; each child's home postcode is
one of that authority's own postcodes (from the postcode directory the package
installs) and each placement's postcode is one of them too, or, for about a quarter of
placements, anywhere in England (placed out of area). Only the places are real: every
child, episode and figure is invented. Deterministic for the seed.
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from sufficiency.forecast.synthetic import synthetic_history
from sufficiency.io.atomic import atomic_write_text
from sufficiency.io.ssda903 import SSDA903History
from sufficiency.region.seeds import member_seed

#: Weekly spend per child looked after behind each member's budget (all cost lines), GBP.
BUDGET_PER_CHILD_YEAR_GBP = 80_000.0
#: With ``places="england"``: the share of placements inside the child's own authority.
IN_AREA_SHARE = 0.75
PLACES = ("fictional", "england")


@functools.cache
def postcodes_by_authority() -> dict[str, np.ndarray]:
    """Every English upper-tier authority's postcodes on the grid, sorted (cached)."""
    from sufficiency.geo import directory, upper_tier_authority

    d = directory()
    d.load_all()
    df = d.districts()
    df = df[df["district"].notna() & df["easting"].notna() & df["northing"].notna()]
    districts = sorted(set(df["district"].astype(str)))
    upper = upper_tier_authority(pd.Series(districts, dtype="string"))
    to_upper = {k: str(u) for k, u in zip(districts, upper, strict=True) if pd.notna(u)}
    df = df.assign(authority=df["district"].astype(str).map(to_upper))
    df = df[df["authority"].fillna("").str.startswith("E")]
    return {
        str(code): np.sort(group["postcode"].astype(str).to_numpy(object))
        for code, group in df.groupby("authority", sort=True)
    }


def england_members(num_members: int, seed: int) -> list[str]:
    """``num_members`` different English upper-tier authorities' codes, drawn for ``seed``."""
    codes = sorted(postcodes_by_authority())
    if num_members > len(codes):
        raise ValueError(
            f"England has {len(codes)} upper-tier authorities in the postcode directory; "
            f"{num_members} members were asked for."
        )
    rng = np.random.default_rng(seed)
    return [codes[i] for i in rng.choice(len(codes), size=num_members, replace=False)]


def with_postcodes(history: SSDA903History, code: str, seed: int) -> SSDA903History:
    """``history`` with each child's home postcode drawn from authority ``code``'s own and
    each placement's from them or, for a quarter, from anywhere in England."""
    pools = postcodes_by_authority()
    own = pools[code]
    everywhere = np.concatenate([pools[k] for k in sorted(pools)])
    rng = np.random.default_rng(seed)
    ep = history.episodes.copy()
    children = pd.unique(ep["CHILD"])
    home = dict(zip(children, own[rng.integers(0, len(own), len(children))], strict=True))
    ep["HOME_POST"] = ep["CHILD"].map(home).astype("string")
    inside = rng.random(len(ep)) < IN_AREA_SHARE
    near = own[rng.integers(0, len(own), len(ep))]
    far = everywhere[rng.integers(0, len(everywhere), len(ep))]
    ep["PL_POST"] = pd.Series(np.where(inside, near, far), index=ep.index, dtype="string")
    return replace(history, episodes=ep)


def member_sizes(num_members: int, seed: int, low: int = 40, high: int = 2500) -> list[int]:
    """Children looked after per member: log-uniform between ``low`` and ``high``."""
    rng = np.random.default_rng(seed)
    return [round(math.exp(x)) for x in rng.uniform(math.log(low), math.log(high), num_members)]


def write_history(history: SSDA903History, folder: Path) -> Path:
    """Write ``history`` as one return per collection year (``<YYYY>/header.csv`` and
    ``episodes.csv``), each holding the episodes open during its year, later end dates
    blanked as on its 31 March."""
    for year in history.years:
        start, end = pd.Timestamp(year - 1, 4, 1), pd.Timestamp(year, 3, 31)
        ep = history.episodes.drop(columns="collection_year")
        ep = ep[(ep["DECOM"] <= end) & (ep["DEC"].isna() | (ep["DEC"] >= start))].copy()
        later = ep["DEC"] > end
        ep.loc[later, "DEC"] = pd.NaT
        ep.loc[later, ["REC", "REASON_PLACE_CHANGE"]] = pd.NA
        for col in ("DECOM", "DEC"):
            ep[col] = ep[col].dt.strftime("%d/%m/%Y")
        head = history.header[history.header["CHILD"].isin(set(ep["CHILD"]))].copy()
        head["DOB"] = head["DOB"].dt.strftime("%d/%m/%Y")
        for name, df in (("episodes", ep), ("header", head)):
            atomic_write_text(
                folder / str(year) / f"{name}.csv", df.to_csv(index=False, lineterminator="\n")
            )
    return folder


def write_region(
    out_dir: Path | str,
    num_members: int,
    seed: int = 2026,
    *,
    sizes: list[int] | None = None,
    num_years: int = 4,
    levers: Path | str | None = None,
    places: str = "fictional",
) -> Path:
    """Write ``num_members`` synthetic authorities and their ``members.toml``; return it.

    Each member gets ``<code>/ssda903/`` and ``<code>/budget.csv`` (the first forecast
    year at £80,000 a child); ``levers`` (a levers file) is given to every member when set.
    ``places``: ``"fictional"`` codes and no postcodes, or ``"england"`` (see the module).
    """
    from sufficiency.geo import authority_name

    if places not in PLACES:
        raise ValueError(f"places must be one of {', '.join(PLACES)}, not {places!r}")
    out = Path(out_dir).resolve()
    sizes = sizes or member_sizes(num_members, seed)
    codes = (
        england_members(num_members, seed)
        if places == "england"
        else [f"E99{i:06d}" for i in range(1, num_members + 1)]
    )
    lines = ["[region]", f'name = "Synthetic region of {num_members} authorities"', ""]
    for i, (code, size) in enumerate(zip(codes, sizes[:num_members], strict=False), start=1):
        history = synthetic_history(
            size, num_years=num_years, seed=member_seed(seed, code, "history")
        )
        if places == "england":
            history = with_postcodes(history, code, member_seed(seed, code, "postcodes"))
        write_history(history, out / code / "ssda903")
        budget = size * BUDGET_PER_CHILD_YEAR_GBP
        atomic_write_text(
            out / code / "budget.csv",
            f"financial_year,cost_line,budget_gbp\n2026-27,all,{budget:.0f}\n",
        )
        lines += [
            "[[member]]",
            f'code = "{code}"',
            f'name = "Synthetic {authority_name(code)} ({size} children)"'
            if places == "england"
            else f'name = "Synthetic authority {i} ({size} children)"',
            f'history = "{code}/ssda903"',
            f'budget = "{code}/budget.csv"',
        ]
        if levers is not None:
            lines.append(f'levers = "{os.path.relpath(Path(levers).resolve(), out)}"')
        lines.append("")
    return atomic_write_text(out / "members.toml", "\n".join(lines))
