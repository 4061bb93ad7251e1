"""Hard nights for the safety checks: a crowded register in one county, most children in
sibling groups, and many of the risks and needs the hard rules turn on (harm_physical,
harm_sexual, harm_animals, pets must and no, who the child can live alongside, DoLOs),
with homes that do not say whether they have pets or how old their children are, that
open later (some children turn 18 first), and homes on two rows (one ``home_id``, some a
foster row joined to a children's home's).

Built on ``benchmarks/matching/generate.generate_crowded`` (its postcodes and sibling
groups), then made harder; nothing is real data."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "matching"))
from generate import generate_crowded, shared_rows

RUN_DATE = dt.date(2026, 3, 1)
HARM = ("harm_physical", "harm_sexual", "harm_animals")


def hard_night(
    num_children: int, num_placements: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Referrals and register, in the contract's types, for a hard night (see the module)."""
    refs, plcs = generate_crowded(num_children, num_placements, seed=seed, run_date=RUN_DATE)
    rng = np.random.default_rng(seed + 104729)
    n, m = len(refs), len(plcs)
    rates = {"harm_physical": 0.3, "harm_sexual": 0.2, "harm_animals": 0.2}
    refs["risks"] = [
        tuple(sorted(set(r) | {h for h in HARM if rng.random() < rates[h]})) for r in refs["risks"]
    ]
    refs["pets"] = rng.choice(["can", "no", "must", "unknown"], n, p=[0.35, 0.3, 0.15, 0.2])
    refs["alongside"] = rng.choice(
        ["no_preference", "with_others", "only_older", "only_younger", "solo"], n,
        p=[0.4, 0.1, 0.2, 0.2, 0.1],
    )  # fmt: skip
    refs["dolo"] = rng.random(n) < 0.05
    refs["needed_by"] = rng.choice(["today", "<5 days", ">5 days"], n, p=[0.4, 0.3, 0.3])
    # some 17-year-olds turn 18 within weeks: a home opening after that is no home for them
    old = np.nonzero(rng.random(n) < 0.1)[0]
    refs.loc[old, "dob"] = [
        pd.Timestamp(RUN_DATE) - pd.DateOffset(years=18) + pd.Timedelta(days=int(d))
        for d in rng.integers(1, 30, len(old))
    ]
    pets = pd.array(rng.random(m) < 0.4, dtype="boolean")
    pets[rng.random(m) < 0.2] = pd.NA  # does not say: may have pets
    plcs["has_pets"] = pets
    unknown = (rng.random(m) < 0.2) & (plcs["current_children"].to_numpy(int) > 0)
    plcs["current_ages"] = [() if u else a for u, a in zip(unknown, plcs["current_ages"],
                                                           strict=True)]  # fmt: skip
    opens = pd.Timestamp(RUN_DATE) + pd.to_timedelta(rng.integers(0, 40, m), unit="D")
    plcs["available_from"] = pd.Series(opens).where(rng.random(m) < 0.4, pd.NaT).to_numpy()
    plcs["risk_exclusions"] = [tuple(sorted(set(r) - set(HARM))) if rng.random() < 0.5 else r
                               for r in plcs["risk_exclusions"]]  # fmt: skip
    plcs = shared_rows(plcs, 0.3, seed=seed)
    # a few households' second rows are a children's home's: the stricter reading applies
    second = plcs["placement_id"].astype(str).str.endswith("-B").to_numpy(bool)
    flip = second & (rng.random(len(plcs)) < 0.2)
    plcs.loc[flip, "setting"] = "residential"
    plcs.loc[flip, "provider"] = "external"
    return refs, plcs
