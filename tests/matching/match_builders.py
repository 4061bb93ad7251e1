"""Tiny input tables for matching tests, in the normalised input contract.

Postcodes are real Worcestershire (E10000034) and Birmingham ones so distances
and authorities come from the bundled postcode directory.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

RUN_DATE = dt.date(2026, 3, 1)
#: Real postcodes with their rough position relative to WR1 1AA (home).
POSTCODES = {
    "home": "WR1 1AA",
    "near": "WR5 1AA",  # under a mile, Worcestershire
    "malvern": "WR14 1AA",  # about 5 miles, Worcestershire
    "evesham": "WR11 1AA",  # over 20 miles, Worcestershire
    "birmingham": "B1 1AA",  # over 20 miles, out of area
    "bromsgrove": "B60 1AA",  # under 20 miles, Worcestershire
}


def dob_for_age(age: int, on: dt.date = RUN_DATE) -> pd.Timestamp:
    """A date of birth giving ``age`` whole years on ``on`` (birthday was a month ago)."""
    return pd.Timestamp(on.year - age, max(on.month - 1, 1), 1)


def referral(child_id: str, **kw: Any) -> dict[str, Any]:
    """One referral row with ordinary defaults: a 10-year-old boy, foster preferred."""
    row: dict[str, Any] = {
        "child_id": child_id,
        "dob": dob_for_age(kw.pop("age", 10)),
        "sex": "M",
        "home_postcode": POSTCODES["home"],
        "sibling_group": pd.NA,
        "school_postcode": pd.NA,
        "school_year": pd.NA,
        "needed_by": "today",
        "foster_suitability": "preferred",
        "residential_suitability": "suitable",
        "supported_suitability": "unsuitable",
        "alongside": "no_preference",
        "pets": "can",
        "risks": (),
        "communication": (),
        "adaptations": False,
        "dolo": False,
        "responsible_la": "E10000034",
    }
    row.update(kw)
    return row


def placement(placement_id: str, **kw: Any) -> dict[str, Any]:
    """One placement row with ordinary defaults: an empty in-house foster home nearby."""
    row: dict[str, Any] = {
        "placement_id": placement_id,
        "setting": "foster",
        "provider": "in_house",
        "postcode": POSTCODES["near"],
        "vacancies": 1,
        "weekly_cost": 600.0,
        "age_min": 0,
        "age_max": 17,
        "sex": "any",
        "current_children": 0,
        "current_ages": (),
        "risk_exclusions": (),
        "has_pets": False,
        "communication": (),
        "adapted": False,
        "ofsted_rating": pd.NA,
        "urn": pd.NA,
        "tier": pd.NA,
        "available_from": pd.NaT,
    }
    row.update(kw)
    return row


def referrals_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Referral rows as a frame with the contract's dtypes."""
    df = pd.DataFrame(rows, columns=list(referral("x").keys()))
    for col in ("home_postcode", "sibling_group", "school_postcode"):
        df[col] = df[col].astype("string")
    df["school_year"] = pd.array(df["school_year"].tolist(), dtype="Int64")
    df["dob"] = pd.to_datetime(df["dob"])
    return df


def placements_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Placement rows as a frame with the contract's dtypes."""
    extra = [c for c in ("home_id", "home_places") if any(c in r for r in rows)]
    df = pd.DataFrame(rows, columns=[*placement("x").keys(), *extra])
    df["available_from"] = pd.to_datetime(df["available_from"])
    for col in ("vacancies", "age_min", "age_max", "current_children"):
        df[col] = df[col].astype(int)
    return df


def sibling_night(rows: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``rows`` (two siblings and another child, as the sibling-flag tests give them)
    against one foster home of two places (F1, £600) and one of one (F2, £650): the
    siblings fit together only at F1. The team's home_ids say they are two households
    (one provider at one postcode would otherwise be "may be one home", and flagged)."""
    plcs = placements_frame([
        placement("F1", vacancies=2, weekly_cost=600.0, home_id="H1"),
        placement("F2", vacancies=1, weekly_cost=650.0, home_id="H2"),
    ])  # fmt: skip
    return referrals_frame(rows), plcs
