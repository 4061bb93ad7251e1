"""Synthetic regions: any number of fictional member authorities, for tests and benchmarks.

Each member's 903 history comes from :func:`sufficiency.forecast.synthetic.synthetic_history`
(a steady-state authority of a given size, written as per-year CSV returns), sized
like real authorities: log-uniformly from about 40 to 2,500 children looked after.
The bundled sample generator (:mod:`sufficiency.sample`) builds one Worcestershire-like
authority over Worcestershire's postcodes and has no size or place parameter, so it is
not used here; the forecast does not read postcodes. Codes are fictional ONS-shaped
codes (``E99000001``...), never a real authority's. Deterministic for the seed.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from sufficiency.forecast.synthetic import synthetic_history
from sufficiency.io.atomic import atomic_write_text
from sufficiency.io.ssda903 import SSDA903History
from sufficiency.region.seeds import member_seed

#: Weekly spend per child looked after behind each member's budget (all cost lines), GBP.
BUDGET_PER_CHILD_YEAR_GBP = 80_000.0


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
) -> Path:
    """Write ``num_members`` synthetic authorities and their ``members.toml``; return it.

    Each member gets ``<code>/ssda903/`` and ``<code>/budget.csv`` (the first forecast
    year at £80,000 a child); ``levers`` (a levers file) is given to every member when set.
    """
    out = Path(out_dir).resolve()
    sizes = sizes or member_sizes(num_members, seed)
    lines = ["[region]", f'name = "Synthetic region of {num_members} authorities"', ""]
    for i, size in enumerate(sizes[:num_members], start=1):
        code = f"E99{i:06d}"
        history = synthetic_history(
            size, num_years=num_years, seed=member_seed(seed, code, "history")
        )
        write_history(history, out / code / "ssda903")
        budget = size * BUDGET_PER_CHILD_YEAR_GBP
        atomic_write_text(
            out / code / "budget.csv",
            f"financial_year,cost_line,budget_gbp\n2026-27,all,{budget:.0f}\n",
        )
        lines += [
            "[[member]]",
            f'code = "{code}"',
            f'name = "Synthetic authority {i} ({size} children)"',
            f'history = "{code}/ssda903"',
            f'budget = "{code}/budget.csv"',
        ]
        if levers is not None:
            lines.append(f'levers = "{os.path.relpath(Path(levers).resolve(), out)}"')
        lines.append("")
    return atomic_write_text(out / "members.toml", "\n".join(lines))
