"""Synthetic matching instances over real postcodes, for benchmarks.

Children live mostly in one county (Worcestershire by default) and go to school
near home; vacancies are spread over England, Scotland and Wales in proportion
to postcodes. Proportions of siblings, school years, risks, needs and settings
are rough but plausible (see the constants below); nothing is real data.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sufficiency.geo import directory, upper_tier_authority

RISKS = ("self_harm", "cse", "cce", "substances", "eating_disorder", "missing",
         "harm_physical", "harm_sexual", "fire_setting", "harm_animals")  # fmt: skip
RISK_RATE = (0.12, 0.06, 0.06, 0.08, 0.02, 0.10, 0.06, 0.02, 0.02, 0.02)
COMMUNICATION = ("esol", "bsl", "makaton", "other")


def _draw_codes(rng: np.random.Generator, codes: tuple, rates: tuple) -> tuple:
    return tuple(sorted(c for c, p in zip(codes, rates, strict=True) if rng.random() < p))


def _postcodes(rng: np.random.Generator, county: str | None, n_home: int, n_any: int) -> tuple:
    """Homes (with their upper-tier authority), the postcodes of the homes' authorities,
    and postcodes anywhere. ``county=None`` spreads homes over every English authority
    in proportion to postcodes (a national batch)."""
    d = directory()
    d.load_all()
    frame = d.districts().dropna(subset=["easting", "northing"])
    frame = frame[~frame["district"].str.startswith(("N", "L", "M")).fillna(True)]
    frame = frame.assign(tier=upper_tier_authority(frame["district"]).to_numpy())
    if county is None:
        local = frame[frame["tier"].astype(str).str.startswith("E")]
    else:
        local = frame[(frame["tier"] == county).to_numpy()]
    home = local.iloc[rng.integers(0, len(local), n_home)].reset_index(drop=True)
    anywhere = frame.iloc[rng.integers(0, len(frame), n_any)]["postcode"].to_numpy(object)
    return home, local.reset_index(drop=True), anywhere


def _near_postcodes(rng: np.random.Generator, local: pd.DataFrame, tiers: np.ndarray) -> np.ndarray:
    """A random postcode in each given upper-tier authority."""
    by_tier = local.groupby("tier").indices
    return np.array(
        [local["postcode"].iat[int(rng.choice(by_tier[t]))] for t in tiers], dtype=object
    )


def generate_instance(
    num_children: int, num_placements: int, seed: int = 1, county: str | None = "E10000034",
    run_date: dt.date = dt.date(2026, 3, 1), local_share: float = 0.02,
) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """Referrals and placements in the normalised input contract.

    Children live in ``county`` (an upper-tier authority code), or all over England
    when it is ``None``; schools and the local share of vacancies are in the child's
    own authority.
    """
    rng = np.random.default_rng(seed)
    home, local, anywhere = _postcodes(rng, county, num_children, num_placements)
    n = num_children
    weight = np.r_[np.full(5, 2.0), np.full(7, 3.0), np.full(6, 6.0)]  # teenagers most common
    age = rng.choice(np.arange(18), n, p=weight / weight.sum())
    # siblings: about 30% of children in groups of 2-4 with nearby ages and one home
    group = np.full(n, None, dtype=object)
    i, g = 0, 0
    while i < n:
        size = rng.choice([1, 2, 3, 4], p=[0.7, 0.2, 0.08, 0.02]) if i < n - 1 else 1
        if size > 1:
            size = min(size, n - i)
            group[i : i + size] = f"G{g:04d}"
            home.iloc[i : i + size, :] = home.iloc[i].to_numpy()
            age[i : i + size] = np.clip(age[i] + np.arange(size) * -2, 0, 17)
            g += 1
        i += size
    # schools near home: a local postcode within the county for school-age children
    school_age = (age >= 5) & (age <= 16)
    home_tier = home["tier"].to_numpy(object)
    if county is None:
        school = _near_postcodes(rng, local, home_tier)
    else:
        school = local.iloc[rng.integers(0, len(local), n)]["postcode"].to_numpy(object)
    near = rng.random(n) < 0.7
    school = np.where(near, home["postcode"].to_numpy(object), school)
    teen = age >= 13
    refs = pd.DataFrame({
        "child_id": [f"R{k:05d}" for k in range(n)],
        "dob": [pd.Timestamp(run_date) - pd.Timedelta(days=int(a * 365.25 + rng.integers(30, 330)))
                for a in age],
        "sex": rng.choice(["M", "F"], n),
        "home_postcode": pd.array(np.where(rng.random(n) < 0.03, None, home["postcode"]),
                                  dtype="string"),
        "sibling_group": pd.array(group, dtype="string"),
        "school_postcode": pd.array(np.where(school_age, school, None), dtype="string"),
        "school_year": pd.array(np.where(school_age, np.clip(age - 4, 0, 11), None), dtype="Int64"),
        "needed_by": rng.choice(["today", "<5 days", ">5 days"], n, p=[0.4, 0.3, 0.3]),
        "foster_suitability": np.where(teen & (rng.random(n) < 0.2), "suitable", "preferred"),
        "residential_suitability": np.where(teen, "suitable", "unsuitable"),
        "supported_suitability": np.where(age >= 16, "suitable", "unsuitable"),
        "alongside": rng.choice(["no_preference", "with_others", "only_older", "only_younger",
                                 "solo"], n, p=[0.6, 0.15, 0.1, 0.1, 0.05]),
        "pets": rng.choice(["can", "no", "must", "unknown"], n, p=[0.6, 0.15, 0.05, 0.2]),
        "risks": [_draw_codes(rng, RISKS, RISK_RATE) for _ in range(n)],
        "communication": [("esol",) if x < 0.05 else ("bsl",) if x < 0.06 else ()
                          for x in rng.random(n)],
        "adaptations": rng.random(n) < 0.03,
        "dolo": rng.random(n) < 0.01,
        "responsible_la": home_tier,
    })  # fmt: skip
    m = num_placements
    setting = rng.choice(["foster", "residential", "supported"], m, p=[0.75, 0.15, 0.10])
    foster, resi = setting == "foster", setting == "residential"
    provider = np.where(
        foster, rng.choice(["in_house", "ifa", "other_la"], m, p=[0.35, 0.6, 0.05]), "external"
    )
    other_cost = np.where(resi, rng.uniform(4500, 12000, m), rng.uniform(1200, 3000, m))
    cost = np.where(foster, rng.uniform(550, 1100, m), other_cost)
    current = np.where(foster, rng.choice([0, 1, 2], m, p=[0.6, 0.3, 0.1]),
                       np.where(resi, rng.integers(0, 4, m), rng.integers(0, 3, m)))  # fmt: skip
    ages = [tuple(sorted(int(a) for a in rng.integers(2, 18, c))) if rng.random() < 0.9 else ()
            for c in current]  # fmt: skip
    age_min = np.where(setting == "supported", 16, np.where(resi, rng.choice([8, 11, 13], m), 0))
    # some vacancies are in the county itself
    in_county = rng.random(m) < local_share
    if county is None:
        where = anywhere.copy()
        where[in_county] = _near_postcodes(
            rng, local, home_tier[rng.integers(0, n, in_county.sum())]
        )
    else:
        pick = rng.integers(0, len(local), m)
        where = np.where(in_county, local["postcode"].to_numpy(object)[pick], anywhere)
    avail = pd.Series(pd.Timestamp(run_date) + pd.to_timedelta(rng.integers(0, 40, m), unit="D"))
    plcs = pd.DataFrame({
        "placement_id": [f"V{k:06d}" for k in range(m)],
        "setting": setting,
        "provider": provider,
        "postcode": where,
        "vacancies": np.where(foster, rng.choice([1, 2], m, p=[0.8, 0.2]), rng.integers(1, 4, m)),
        "weekly_cost": np.round(cost, 2),
        "age_min": age_min,
        "age_max": 17,
        "sex": rng.choice(["any", "M", "F"], m, p=[0.8, 0.1, 0.1]),
        "current_children": current,
        "current_ages": ages,
        "risk_exclusions": [tuple(sorted(set(rng.choice(RISKS, rng.integers(0, 3)))))
                            for _ in range(m)],
        "has_pets": rng.random(m) < 0.4,
        "communication": [tuple(c for c, p in zip(COMMUNICATION, (0.1, 0.02, 0.05, 0.02),
                                                   strict=True) if rng.random() < p)
                          for _ in range(m)],
        "adapted": rng.random(m) < 0.05,
        "ofsted_rating": pd.NA,
        "urn": pd.NA,
        "tier": pd.NA,
        "available_from": avail.where(rng.random(m) < 0.3, pd.NaT),
    })  # fmt: skip
    return refs, plcs


def generate_crowded(
    num_children: int = 80, num_placements: int = 250, seed: int = 1,
    county: str = "E10000034", run_date: dt.date = dt.date(2026, 3, 1),
) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """A crowded instance: every home in or near one county, few homes for the children
    and their needs, most children in sibling groups of 2-5, many who may only live
    alone or with older or younger children, risks, and homes with current children of
    known ages. Every candidate pair competes with many others, which is where column
    generation over sibling patterns struggles to close its gap."""
    rng = np.random.default_rng(seed)
    home, local, anywhere = _postcodes(rng, county, num_children, num_placements)
    n = num_children
    age = rng.integers(2, 18, n)
    group = np.full(n, None, dtype=object)
    i, g = 0, 0
    while i < n:
        size = int(rng.choice([1, 2, 3, 4, 5], p=[0.3, 0.3, 0.2, 0.12, 0.08]))
        size = min(size, n - i)
        if size > 1:
            group[i : i + size] = f"G{g:04d}"
            home.iloc[i : i + size, :] = home.iloc[i].to_numpy()
            age[i : i + size] = np.clip(age[i] - 2 * np.arange(size), 0, 17)
            g += 1
        i += size
    school_age = (age >= 5) & (age <= 16)
    school = local.iloc[rng.integers(0, len(local), n)]["postcode"].to_numpy(object)
    school = np.where(rng.random(n) < 0.6, home["postcode"].to_numpy(object), school)
    teen = age >= 13
    refs = pd.DataFrame({
        "child_id": [f"K{k:04d}" for k in range(n)],
        "dob": [pd.Timestamp(run_date) - pd.Timedelta(days=int(a * 365.25 + rng.integers(30, 330)))
                for a in age],
        "sex": rng.choice(["M", "F"], n),
        "home_postcode": pd.array(home["postcode"].to_numpy(object), dtype="string"),
        "sibling_group": pd.array(group, dtype="string"),
        "school_postcode": pd.array(np.where(school_age, school, None), dtype="string"),
        "school_year": pd.array(np.where(school_age, np.clip(age - 4, 0, 11), None), dtype="Int64"),
        "needed_by": rng.choice(["today", "<5 days", ">5 days"], n, p=[0.5, 0.3, 0.2]),
        "foster_suitability": np.where(teen & (rng.random(n) < 0.3), "suitable", "preferred"),
        "residential_suitability": np.where(age >= 8, "suitable", "unsuitable"),
        "supported_suitability": np.where(age >= 16, "suitable", "unsuitable"),
        "alongside": rng.choice(["no_preference", "with_others", "only_older", "only_younger",
                                 "solo"], n, p=[0.3, 0.1, 0.2, 0.2, 0.2]),
        "pets": rng.choice(["can", "no", "must", "unknown"], n, p=[0.7, 0.15, 0.02, 0.13]),
        "risks": [_draw_codes(rng, RISKS, tuple(min(3 * r, 0.3) for r in RISK_RATE))
                  for _ in range(n)],
        "communication": [("esol",) if x < 0.03 else () for x in rng.random(n)],
        "adaptations": rng.random(n) < 0.02,
        "dolo": rng.random(n) < 0.01,
        "responsible_la": county,
    })  # fmt: skip
    m = num_placements
    setting = rng.choice(["foster", "residential", "supported"], m, p=[0.75, 0.17, 0.08])
    foster, resi = setting == "foster", setting == "residential"
    provider = np.where(
        foster, rng.choice(["in_house", "ifa", "other_la"], m, p=[0.4, 0.55, 0.05]), "external"
    )
    other_cost = np.where(resi, rng.uniform(4500, 9000, m), rng.uniform(1200, 2500, m))
    cost = np.where(foster, rng.uniform(550, 1000, m), other_cost)
    current = np.where(foster, rng.choice([0, 1, 2], m, p=[0.12, 0.48, 0.4]),
                       rng.integers(1, 4, m))  # fmt: skip
    ages = [tuple(sorted(int(a) for a in rng.integers(2, 18, c))) for c in current]
    age_min = np.where(setting == "supported", 16, np.where(resi, rng.choice([8, 11], m), 0))
    pick = rng.integers(0, len(local), m)
    where = np.where(rng.random(m) < 0.85, local["postcode"].to_numpy(object)[pick], anywhere)
    vac = np.where(foster, rng.choice([1, 2, 3, 4], m, p=[0.25, 0.4, 0.2, 0.15]),
                   rng.integers(2, 5, m))  # fmt: skip
    plcs = pd.DataFrame({
        "placement_id": [f"H{k:05d}" for k in range(m)],
        "setting": setting,
        "provider": provider,
        "postcode": where,
        "vacancies": vac,
        "weekly_cost": np.round(cost, 2),
        "age_min": age_min,
        "age_max": 17,
        "sex": rng.choice(["any", "M", "F"], m, p=[0.85, 0.075, 0.075]),
        "current_children": current,
        "current_ages": ages,
        "risk_exclusions": [tuple(sorted(set(rng.choice(RISKS, rng.integers(0, 5)))))
                            for _ in range(m)],
        "has_pets": rng.random(m) < 0.4,
        "communication": [("esol",) if x < 0.1 else () for x in rng.random(m)],
        "adapted": rng.random(m) < 0.05,
        "ofsted_rating": pd.NA,
        "urn": pd.NA,
        "tier": pd.NA,
        "available_from": pd.Series([pd.NaT] * m, dtype="datetime64[ns]"),
    })  # fmt: skip
    return refs, plcs


def shared_rows(plcs: pd.DataFrame, share: float, seed: int = 1) -> pd.DataFrame:
    """The register with ``share`` of its homes given on a second row as well (a home or
    household offered through two frameworks), both rows with one ``home_id``: half as one
    place offered twice (no ``home_places``: the home takes the most vacancies of any row),
    half as separate beds (``home_places`` the two rows' vacancies together). The second
    row is the first's facts under a new ID at a price up to 8% higher."""
    rng = np.random.default_rng(seed + 7919)
    m = len(plcs)
    picked = np.sort(rng.choice(m, round(share * m), replace=False))
    out = plcs.assign(home_id=pd.array([pd.NA] * m, dtype="string"),
                      home_places=pd.array([pd.NA] * m, dtype="Int64"))  # fmt: skip
    ids = out["placement_id"].astype(str).to_numpy(object)
    out.loc[picked, "home_id"] = ids[picked]
    beds = picked[rng.random(len(picked)) < 0.5]
    out.loc[beds, "home_places"] = 2 * out.loc[beds, "vacancies"].to_numpy(np.int64)
    second = out.loc[picked].copy()
    second["placement_id"] = [f"{p}-B" for p in ids[picked]]
    second["weekly_cost"] = np.round(
        second["weekly_cost"].to_numpy(float) * rng.uniform(1.0, 1.08, len(picked)), 2
    )
    return pd.concat([out, second], ignore_index=True)
