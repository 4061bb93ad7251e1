"""Tonight's placement register and referrals for the synthetic sample authority.

Weekly costs follow DOMAIN.md section 7 (2025 prices): in-house foster about
£550-700, IFA £800-1,100, children's homes £4,500-10,000 with a tail to about
£15,000, supported accommodation (16-17s) £1,500-3,000.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from sufficiency.sample.careers import WORCESTER_EN
from sufficiency.sample.places import SAMPLE_LA, Estate, pick_near

RISKS = ["self_harm", "cse", "cce", "substances", "eating_disorder", "missing",
         "harm_physical", "harm_sexual", "fire_setting", "harm_animals"]  # fmt: skip
COMMUNICATION = ["esol", "bsl", "makaton", "other"]
REGISTER_COLUMNS = [
    "placement_id", "setting", "provider", "postcode", "vacancies", "weekly_cost",
    "age_min", "age_max", "sex", "current_children", "current_ages", "risk_exclusions",
    "has_pets", "communication", "adapted", "ofsted_rating", "urn", "available_from", "tier",
]  # fmt: skip
_RATINGS = ["outstanding", "good", "requires_improvement", "inadequate"]


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _pick(rng: np.random.Generator, items: list[str], k: int) -> str:
    k = min(k, len(items))
    if k == 0:
        return ""
    idx = np.sort(rng.choice(len(items), size=k, replace=False))
    return ";".join(items[int(i)] for i in idx)


def make_register(rng: np.random.Generator, estate: Estate, run_date: date) -> pd.DataFrame:
    """One row per placement offer available tonight (see the module docstring for costs)."""
    rows: list[dict[str, object]] = []
    e0, n0 = WORCESTER_EN

    def add(
        setting: str,
        provider: str,
        postcode: str,
        cost: float,
        age_min: int,
        age_max: int,
        urn: str,
        vacancies: int,
        current: int,
        sex: str = "any",
        risks: str = "",
        tier: str = "",
        rating: str | None = None,
    ) -> None:
        ages = sorted(int(a) for a in rng.integers(age_min, age_max + 1, current))
        known = current == 0 or rng.random() > 0.1
        later = rng.random() < 0.15
        rows.append({
            "placement_id": f"PL{len(rows) + 1:04d}", "setting": setting, "provider": provider,
            "postcode": postcode, "vacancies": vacancies, "weekly_cost": round(cost, 2),
            "age_min": age_min, "age_max": age_max, "sex": sex, "current_children": current,
            "current_ages": ";".join(map(str, ages)) if known else "",
            "risk_exclusions": risks, "has_pets": "Y" if rng.random() < 0.35 else "N",
            "communication": _pick(rng, COMMUNICATION, int(rng.random() < 0.15)),
            "adapted": "Y" if rng.random() < 0.06 else "N",
            "ofsted_rating": "" if rating is None else rating,
            "urn": urn,
            "available_from": _fmt(run_date + timedelta(days=int(rng.integers(1, 29)) if later
                                                         else -int(rng.integers(0, 30)))),
            "tier": tier,
        })  # fmt: skip

    def rating() -> str:
        return str(rng.choice(_RATINGS, p=[0.15, 0.65, 0.17, 0.03]))

    for _ in range(int(rng.integers(60, 91))):  # in-house foster households
        i = pick_near(rng, estate.county, e0, n0, 0, 25)
        lo = int(rng.choice([0, 0, 2, 5, 8]))
        add(
            "foster",
            "in_house",
            str(estate.county.postcode[i]),
            rng.uniform(550, 700),
            lo,
            int(rng.choice([10, 14, 17, 17])) if lo < 8 else 17,
            "",
            int(rng.integers(1, 4)),
            int(rng.choice([0, 0, 1, 1, 2, 3])),
            risks=_pick(rng, RISKS, int(rng.integers(0, 3))),
        )
    for _ in range(int(rng.integers(150, 251))):  # IFA offers
        i = pick_near(rng, estate.everywhere, e0, n0, 0, 60)
        urn, _prov = estate.ifa_agencies[int(rng.integers(len(estate.ifa_agencies)))]
        lo = int(rng.choice([0, 0, 3, 5, 8, 11]))
        add(
            "foster",
            "ifa",
            str(estate.everywhere.postcode[i]),
            rng.uniform(800, 1100),
            lo,
            17 if lo >= 5 or rng.random() < 0.5 else 11,
            urn,
            int(rng.integers(1, 3)),
            int(rng.choice([0, 0, 1, 2])),
            risks=_pick(rng, RISKS, int(rng.integers(0, 4))),
            tier=str(rng.choice(["1", "2", "3", ""], p=[0.4, 0.3, 0.2, 0.1])),
            rating=rating(),
        )
    for s in estate.homes_in_house:
        add(
            "residential",
            "in_house",
            s.postcode,
            rng.uniform(4500, 6500),
            int(rng.choice([8, 10, 11])),
            17,
            s.urn,
            int(rng.integers(0, 2)),
            int(rng.integers(2, 4)),
            risks=_pick(rng, RISKS, int(rng.integers(1, 4))),
            rating=rating(),
        )
    for s in estate.homes_external:
        if rng.random() < 0.45:
            continue
        cost = rng.lognormal(np.log(6200), 0.3) if rng.random() < 0.9 else rng.uniform(10000, 15000)
        add(
            "residential",
            "external",
            s.postcode,
            float(np.clip(cost, 4500, 15000)),
            int(rng.choice([8, 10, 11, 12])),
            17,
            s.urn,
            int(rng.integers(1, 3)),
            int(rng.integers(0, 4)),
            sex=str(rng.choice(["any", "M", "F"], p=[0.7, 0.18, 0.12])),
            risks=_pick(rng, RISKS, int(rng.integers(1, 5))),
            tier=str(rng.choice(["1", "2", "3", ""], p=[0.3, 0.3, 0.2, 0.2])),
            rating=rating(),
        )
    for s in estate.supported:
        add(
            "supported",
            "external",
            s.postcode,
            rng.uniform(1500, 3000),
            16,
            17,
            s.urn,
            int(rng.integers(1, 4)),
            int(rng.integers(0, 5)),
            risks=_pick(rng, RISKS, int(rng.integers(0, 3))),
            rating=rating(),
        )
    return pd.DataFrame(rows, columns=REGISTER_COLUMNS)


def _school_year(dob: date, run_date: date) -> int:
    """National curriculum year: age on the 31 August before ``run_date``, minus 4."""
    ref = date(run_date.year - (1 if run_date.month < 9 else 0), 8, 31)
    age = ref.year - dob.year - ((ref.month, ref.day) < (dob.month, dob.day))
    return age - 4


def make_referrals(rng: np.random.Generator, estate: Estate, run_date: date) -> pd.DataFrame:
    """Children needing a placement tonight: 45-55 rows with sibling groups and UASC."""
    n_target = int(rng.integers(45, 56))
    rows: list[dict[str, object]] = []
    groups = 0
    # The list always holds five sibling groups and three unaccompanied children, the
    # cases the matcher treats specially, however the draws fall: a sample night should
    # exercise them. The other referrals are drawn.
    first_kinds = ["siblings"] * 5 + ["uasc"] * 3
    while len(rows) < n_target:
        if first_kinds:
            kind = first_kinds.pop(0)
        else:
            r = rng.random()
            kind = "siblings" if r < 0.12 else "uasc" if r < 0.22 else "single"
        size = int(rng.choice([2, 3, 4], p=[0.6, 0.3, 0.1])) if kind == "siblings" else 1
        uasc = kind == "uasc"
        label = ""
        if size > 1:
            groups += 1
            label = f"SG{groups:02d}"
        home = (
            ""
            if uasc
            else str(estate.county.postcode[int(rng.integers(len(estate.county.postcode)))])
        )
        needed = str(rng.choice(["today", "<5 days", ">5 days"], p=[0.4, 0.3, 0.3]))
        lo, hi = (15.1, 17.9) if uasc else (0.3, 14.0) if size > 1 else (0.05, 17.9)
        for _ in range(size):
            age_days = int(rng.uniform(lo, hi) * 365.25)
            dob = run_date - timedelta(days=age_days)
            age = (run_date - dob).days / 365.25
            year = _school_year(dob, run_date)
            risks = _pick(rng, RISKS, int(rng.integers(0, 4)) if age >= 10 else 0)
            supported_ok = age >= 16
            resi = (
                "unsuitable"
                if age < 8
                else str(rng.choice(["preferred", "suitable", "unsuitable"], p=[0.15, 0.45, 0.4]))
            )
            rows.append({
                "child_id": f"R{len(rows) + 1:03d}", "dob": _fmt(dob),
                "sex": "M" if rng.random() < (0.9 if uasc else 0.55) else "F",
                "home_postcode": home, "sibling_group": label,
                "school_postcode": "" if year < 0 or year > 13 else str(
                    estate.county.postcode[int(rng.integers(len(estate.county.postcode)))]),
                "school_year": "" if year < 0 or year > 13 else year,
                "needed_by": needed,
                "foster_suitability": "preferred" if age < 12 or rng.random() < 0.6 else "suitable",
                "residential_suitability": resi,
                "supported_suitability": str(rng.choice(["preferred", "suitable"]))
                if supported_ok else "unsuitable",
                "alongside": str(rng.choice(["solo", "with_others", "only_older", "only_younger",
                                             "no_preference"], p=[0.1, 0.1, 0.1, 0.15, 0.55])),
                "pets": str(rng.choice(["must", "can", "no", "unknown"], p=[0.05, 0.6, 0.1, 0.25])),
                "risks": risks,
                "communication": "esol" if uasc and rng.random() < 0.7 else _pick(
                    rng, COMMUNICATION, int(rng.random() < 0.05)),
                "adaptations": "Y" if rng.random() < 0.05 else "N",
                "dolo": "Y" if age >= 13 and rng.random() < 0.05 else "N",
                "responsible_la": SAMPLE_LA,
            })  # fmt: skip
    return pd.DataFrame(rows)
