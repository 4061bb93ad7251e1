"""An independent, deliberately plain re-statement of the issue's rules and objective.

Written row by row from the issue text (not from the library) so tests can
check the optimiser against it. Slow; for tiny instances only.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
from typing import Any

import pandas as pd

from sufficiency.config import MatchingWeights
from sufficiency.geo import directory

NEEDED_DAYS = {"today": 0, "<5 days": 4, ">5 days": 28}


def _age(dob: Any, day: dt.date) -> int:
    d = pd.Timestamp(dob)
    return day.year - d.year - ((day.month, day.day) < (d.month, d.day))


def _na(v: Any) -> bool:
    return v is None or (not isinstance(v, tuple) and pd.isna(v))


def _grid(postcode: Any) -> tuple[float, float] | None:
    return None if _na(postcode) else _grid_of(str(postcode))


@functools.cache
def _grid_of(postcode: str) -> tuple[float, float] | None:
    lk = directory().lookup([postcode])
    e, n = lk.easting[0], lk.northing[0]
    return None if math.isnan(e) or math.isnan(n) else (e, n)


def miles(a: Any, b: Any) -> float | None:
    """DfE miles between two postcodes, ``None`` if either is unknown."""
    ga, gb = _grid(a), _grid(b)
    if ga is None or gb is None:
        return None
    return round(math.hypot(ga[0] - gb[0], ga[1] - gb[1]) / 1000 / 1.6093, 1)


@functools.cache
def _upper_tier(postcode: str) -> str | None:
    v = directory().lookup([postcode]).upper_tier.iloc[0]
    return None if _na(v) else str(v)


def home_view(rows: list[dict]) -> dict:
    """The facts of one home read across its register rows, the stricter way as
    docs/matching.md says: the most current children any row gives, the youngest and
    oldest of any row's ages (not known if any row does not give them all), a sex any row
    names (none where rows name both), every risk any row excludes, pets if any row says
    so (not known if none says so and one does not say), a foster household if any row is
    foster care, adapted only if every row is, and a communication need supported only if
    every row supports it (a home on one row: its own facts)."""
    now = max(int(r["current_children"]) for r in rows)
    ages = [a for r in rows for a in r["current_ages"]]
    named = {r["sex"] for r in rows} - {"any"}
    pets = [r["has_pets"] for r in rows]
    has_pets: Any = False
    if any(not _na(v) and bool(v) for v in pets):
        has_pets = True
    elif any(_na(v) for v in pets):
        has_pets = pd.NA
    return {
        "now": now,
        "known": all(len(r["current_ages"]) == r["current_children"] for r in rows),
        "lo": min(ages, default=math.inf),
        "hi": max(ages, default=-math.inf),
        "sex": "any" if not named else named.pop() if len(named) == 1 else "none",
        "risk_exclusions": {x for r in rows for x in r["risk_exclusions"]},
        "has_pets": has_pets,
        "foster": any(r["setting"] == "foster" for r in rows),
        # adapted only if every row says so, a need supported only if every row supports it
        "adapted": all(bool(r["adapted"]) for r in rows),
        "communication": set.intersection(*(set(r["communication"]) for r in rows)),
    }


def pair_breaks(c: dict, p: dict, day: dt.date, home: dict | None = None) -> list[str]:
    """Rules broken by placing child ``c`` in ``p`` alone (rules 2-8, 12, 13, 15 and the
    current household parts of 1, 9, 10, 11, 14); ``home``: :func:`home_view` of ``p``'s
    home where it is on several rows."""
    h = home if home is not None else home_view([p])
    out = []
    age = _age(c["dob"], day)
    if p["vacancies"] < 1:
        out.append("capacity")
    if h["foster"] and h["now"] >= 3:
        out.append("fostering_limit")
    # rule 3 on the day the home opens (the run date when it is free now)
    opens = p["available_from"]
    at_open = (
        age
        if _na(opens) or pd.Timestamp(opens).date() <= day
        else _age(c["dob"], pd.Timestamp(opens).date())
    )
    if not p["age_min"] <= at_open <= p["age_max"] or (
        p["setting"] == "supported" and at_open not in (16, 17)
    ):
        out.append("age")
    if c[f"{p['setting']}_suitability"] == "unsuitable" or (
        c["dolo"] and p["setting"] != "residential"
    ):
        out.append("setting")
    if h["sex"] not in ("any", c["sex"]):
        out.append("sex")
    if set(c["risks"]) & h["risk_exclusions"]:
        out.append("risks")
    must = c["pets"] == "must" and "harm_animals" not in c["risks"]  # rule 13's safer reading
    # a home that does not say whether it has pets may have them
    maybe_pets = _na(h["has_pets"]) or bool(h["has_pets"])
    sure_pets = not _na(h["has_pets"]) and bool(h["has_pets"])
    if (c["pets"] == "no" and maybe_pets) or (must and not sure_pets):
        out.append("pets")
    if not set(c["communication"]) <= h["communication"]:
        out.append("communication")
    if c["adaptations"] and not h["adapted"]:
        out.append("adaptations")
    avail = p["available_from"]
    if not _na(avail) and pd.Timestamp(avail) > pd.Timestamp(day) + pd.Timedelta(
        days=NEEDED_DAYS[c["needed_by"]]
    ):
        out.append("availability")
    if "harm_animals" in c["risks"] and maybe_pets:
        out.append("harm_animals")
    if "harm_physical" in c["risks"] and h["now"] > 0 and (not h["known"] or h["lo"] <= age - 3):
        out.append("harm_physical")
    if _grid(p["postcode"]) is None:
        out.append("unlocatable")
    return out


def _siblings(a: dict, b: dict) -> bool:
    return not _na(a["sibling_group"]) and a["sibling_group"] == b["sibling_group"]


def home_key(p: dict) -> tuple:
    """Which home a register row is: rows the team gives one ``home_id`` (case and spaces
    aside) are one home, and so are rows of a children's home or supported accommodation
    with the same Ofsted URN and postcode; any other row is its own. (A row linked to
    others both ways, which the property tests never draw, is not followed here.)"""
    home_id = p.get("home_id")
    if not _na(home_id) and str(home_id).strip():
        return ("team", str(home_id).replace(" ", "").upper())
    urn, postcode = p.get("urn"), p["postcode"]
    if p["setting"] != "foster" and not _na(urn) and str(urn).strip() and not _na(postcode):
        return ("home", str(urn).strip().upper(), str(postcode).replace(" ", "").upper())
    return ("row", p["placement_id"])


def id_plan(prob: Any, where: Any) -> dict[str, str | None]:
    """An optimiser's plan (placement index per child, -1 unplaced) as child ID -> placement
    ID, the form the checks below read."""
    ids = prob.placements["placement_id"].astype(str).to_numpy()
    return {
        str(c): (None if p < 0 else str(ids[p]))
        for c, p in zip(prob.referrals["child_id"], where, strict=True)
    }


def plan_violations(
    refs: pd.DataFrame, plcs: pd.DataFrame, plan: dict[str, str | None], day: dt.date,
    siblings_together: bool = False,
) -> list[str]:  # fmt: skip
    """Every hard rule the plan breaks, as readable strings (empty when none)."""
    kids = {r["child_id"]: r for r in refs.to_dict("records")}
    homes = {r["placement_id"]: r for r in plcs.to_dict("records")}
    rows: dict[tuple, list[dict]] = {}
    for r in homes.values():
        rows.setdefault(home_key(r), []).append(r)
    view = {key: home_view(of) for key, of in rows.items()}
    out: list[str] = []
    by_place: dict[str, list[dict]] = {}
    for cid, pid in plan.items():
        if pid is not None:
            h = view[home_key(homes[pid])]
            out += [f"{cid}@{pid}: {r}" for r in pair_breaks(kids[cid], homes[pid], day, h)]
            by_place.setdefault(pid, []).append(kids[cid])
    by_home: dict[tuple, list[dict]] = {}
    for pid, placed in by_place.items():
        p = homes[pid]
        if len(placed) > p["vacancies"]:
            out.append(f"{pid}: over capacity")
        by_home.setdefault(home_key(p), []).extend(placed)
    for key, placed in by_home.items():
        # the usual fostering limit, the household's across its rows (Sch 7): siblings
        # alone in an empty household excepted
        h = view[key]
        one_group = not _na(placed[0]["sibling_group"]) and all(
            _siblings(placed[0], c) for c in placed
        )
        if h["foster"] and h["now"] + len(placed) > 3 and not (h["now"] == 0 and one_group):
            out.append(f"{key}: usual fostering limit")
        of = rows[key]
        given = [int(r["home_places"]) for r in of if not _na(r.get("home_places"))]
        places = min(given) if given else max(int(r["vacancies"]) for r in of)
        if len(of) > 1 and len(placed) > places:
            out.append(f"{key}: more children than its places across its rows")
    # who lives alongside whom: every child of the home, whichever of its rows, and the
    # home's current children, whichever row gives them
    for key, placed in by_home.items():
        h = view[key]
        current = [h["lo"], h["hi"]] if h["now"] > 0 and h["known"] else []
        unknown = h["now"] > 0 and not h["known"]
        for c in placed:
            pid = str(plan[c["child_id"]])
            age = _age(c["dob"], day)
            others = [_age(o["dob"], day) for o in placed if o is not c and not _siblings(o, c)]
            others += current
            need = c["alongside"]
            if need == "solo" and (others or h["now"] > 0):
                out.append(f"{c['child_id']}@{pid}: not solo")
            if need == "only_older" and (unknown or any(o <= age for o in others)):
                out.append(f"{c['child_id']}@{pid}: someone not older")
            if need == "only_younger" and (unknown or any(o >= age for o in others)):
                out.append(f"{c['child_id']}@{pid}: someone not younger")
            # rule 11: a referred child born later is younger; a current child of the
            # same whole-year age may be
            younger = [
                o
                for o in placed
                if o is not c
                and not _siblings(o, c)
                and pd.Timestamp(o["dob"]) > pd.Timestamp(c["dob"])
            ]
            if "harm_sexual" in c["risks"] and (
                unknown or younger or any(o <= age for o in current)
            ):
                out.append(f"{c['child_id']}@{pid}: younger child present")
            if "harm_physical" in c["risks"] and (unknown or any(o <= age - 3 for o in others)):
                out.append(f"{c['child_id']}@{pid}: child 3+ years younger present")
    if siblings_together:  # in one home: rows of one home are one home
        groups: dict[str, set[tuple]] = {}
        for cid, pid in plan.items():
            g = kids[cid]["sibling_group"]
            if pid is not None and not _na(g):
                groups.setdefault(g, set()).add(home_key(homes[pid]))
        out += [f"group {g} split" for g, used in groups.items() if len(used) > 1]
    return out


def pair_cost(c: dict, p: dict, w: MatchingWeights) -> float:
    """The objective terms, GBP per week, of placing child ``c`` in ``p``."""
    total = w.weekly_cost * p["weekly_cost"]
    home = miles(c["home_postcode"], p["postcode"]) or 0.0
    total += w.per_mile_from_home * home
    total += w.far_from_home if home > w.far_from_home_miles else 0.0
    tier = _upper_tier(p["postcode"])
    total += w.out_of_area if tier is not None and tier != c["responsible_la"] else 0.0
    school = miles(c["school_postcode"], p["postcode"]) or 0.0
    total += w.per_mile_from_school * max(school - w.school_free_miles, 0.0)
    ks4 = not _na(c["school_year"]) and int(c["school_year"]) in (10, 11)
    total += w.ks4_school_move if ks4 and school > w.school_free_miles else 0.0
    suits = [c[f"{s}_suitability"] for s in ("foster", "residential", "supported")]
    if "preferred" in suits and c[f"{p['setting']}_suitability"] != "preferred":
        total += w.not_preferred_setting
    rating = p.get("ofsted_rating")
    if not _na(rating) and str(rating).strip().lower() == "inadequate":
        total += w.ofsted_inadequate
    return float(total)


def plan_cost(
    refs: pd.DataFrame, plcs: pd.DataFrame, plan: dict[str, str | None], w: MatchingWeights
) -> float:
    """The issue's objective, GBP per week, for a plan."""
    kids = {r["child_id"]: r for r in refs.to_dict("records")}
    homes = {r["placement_id"]: r for r in plcs.to_dict("records")}
    total = 0.0
    groups: dict[str, set[tuple]] = {}  # the homes each group uses (a split per extra)
    for cid, pid in plan.items():
        c = kids[cid]
        if pid is None:
            total += w.unplaced_needed_today if c["needed_by"] == "today" else w.unplaced
            continue
        total += pair_cost(c, homes[pid], w)
        if not _na(c["sibling_group"]):
            groups.setdefault(c["sibling_group"], set()).add(home_key(homes[pid]))
    total += sum(w.sibling_split * (len(used) - 1) for used in groups.values())
    return total


def best_by_enumeration(
    refs: pd.DataFrame, plcs: pd.DataFrame, day: dt.date, w: MatchingWeights,
    siblings_together: bool = False,
) -> float:  # fmt: skip
    """Optimal objective by trying every plan (tiny instances only)."""
    ids = list(refs["child_id"])
    options = [None, *plcs["placement_id"]]
    best = math.inf
    for combo in itertools.product(options, repeat=len(ids)):
        plan = dict(zip(ids, combo, strict=True))
        if not plan_violations(refs, plcs, plan, day, siblings_together):
            best = min(best, plan_cost(refs, plcs, plan, w))
    return best
