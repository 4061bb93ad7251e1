"""Objective terms, GBP per week, for each child-placement pair and for the plan.

Pair terms depend only on the child and the placement; the sibling-split term
depends on the whole plan and the unplaced term on the child alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.config import MatchingWeights
from sufficiency.geo import dfe_distance_miles
from sufficiency.matching.home_rating import home_inadequate
from sufficiency.matching.problem import SETTING_CODE, MatchProblem

#: Objective terms that belong to a placed child, in report order.
PAIR_TERMS: tuple[str, ...] = (
    "weekly_cost_gbp",
    "distance_from_home_gbp",
    "far_from_home_gbp",
    "out_of_area_gbp",
    "distance_from_school_gbp",
    "ks4_school_move_gbp",
    "not_preferred_setting_gbp",
    "ofsted_inadequate_gbp",
)
#: Every objective term, in report order.
ALL_TERMS: tuple[str, ...] = (*PAIR_TERMS, "sibling_split_gbp", "unplaced_gbp")


def pair_distances(
    prob: MatchProblem, ci: np.ndarray, pi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """DfE miles from home and from school for each pair (NaN when unknown)."""
    home = dfe_distance_miles(
        prob.child_home_east[ci],
        prob.child_home_north[ci],
        prob.place_east[pi],
        prob.place_north[pi],
    )
    school = dfe_distance_miles(
        prob.child_school_east[ci],
        prob.child_school_north[ci],
        prob.place_east[pi],
        prob.place_north[pi],
    )
    return home, school


@dataclass(frozen=True, eq=False)
class _CostArrays:
    """Per-child and per-placement inputs of the pair terms as numbers, derived once."""

    ks4: np.ndarray
    preferred: np.ndarray  # (children, 3): preferred for foster, residential, supported
    any_preferred: np.ndarray
    setting: np.ndarray  # 0 foster, 1 residential, 2 supported
    child_la: np.ndarray  # code of the responsible authority, -2 when unknown
    place_tier: np.ndarray  # code of the placement's upper-tier authority, -1 when unknown
    inadequate: np.ndarray  # the placement's latest Ofsted judgement is "inadequate"


def _cost_arrays(prob: MatchProblem) -> _CostArrays:
    r, p = prob.referrals, prob.placements
    year = pd.to_numeric(r["school_year"]).astype("Float64").to_numpy(float, na_value=np.nan)
    preferred = np.stack(
        [(r[col] == "preferred").to_numpy(bool) for col in
         ("foster_suitability", "residential_suitability", "supported_suitability")], axis=1,
    )  # fmt: skip
    la = r["responsible_la"].astype("string").fillna("").to_numpy(object)
    tier = prob.place_upper_tier
    vocab = {v: i for i, v in enumerate(sorted({str(x) for x in la} | {str(x) for x in tier}))}
    child_la = np.array([vocab[str(v)] for v in la], np.int64)
    place_tier = np.array([vocab[str(v)] if v != "" else -1 for v in tier], np.int64)
    out = _CostArrays(
        ks4=np.isin(year, (10.0, 11.0)),
        preferred=preferred,
        any_preferred=np.asarray(preferred.any(axis=1)),
        setting=np.array([SETTING_CODE.get(v, 2) for v in p["setting"]], np.int64),
        child_la=child_la,
        place_tier=place_tier,
        inadequate=home_inadequate(prob),  # the home's judgement, any row's
    )
    return out


def out_of_area(prob: MatchProblem, ci: np.ndarray, pi: np.ndarray) -> np.ndarray:
    """Whether each pair's placement is outside the child's responsible authority (a
    placement that cannot be located, kept with ``unlocatable = "assume_far"``, counts)."""
    a = prob.derived("_cost_arrays", _cost_arrays)
    assumed = ~prob.place_located[pi] & (prob.unlocatable == "assume_far")
    tier = a.place_tier[pi]
    return np.asarray(((tier >= 0) & (tier != a.child_la[ci])) | assumed, bool)


def pair_terms(
    prob: MatchProblem, ci: np.ndarray, pi: np.ndarray, weights: MatchingWeights
) -> dict[str, np.ndarray]:
    """Every pair term for pairs ``(ci[k], pi[k])``.

    A distance unknown because the child's home or school is unknown costs nothing;
    a placement that cannot be located (kept only with ``unlocatable = "assume_far"``,
    rule 15) is charged as ``far_from_home_miles`` from home and school and out of area.
    """
    p = prob.placements
    home, school = pair_distances(prob, ci, pi)
    assumed = ~prob.place_located[pi] & (prob.unlocatable == "assume_far")
    far_miles = weights.far_from_home_miles
    home0 = np.where(assumed, far_miles, np.nan_to_num(home, nan=0.0))
    school_known = ~np.isnan(prob.child_school_east[ci])
    school0 = np.where(assumed & school_known, far_miles, np.nan_to_num(school, nan=0.0))
    far_school = school0 > weights.school_free_miles
    a = prob.derived("_cost_arrays", _cost_arrays)
    ks4 = a.ks4[ci]
    preferred = a.preferred[ci, a.setting[pi]]
    outside = out_of_area(prob, ci, pi)
    any_pref = a.any_preferred[ci]
    return {
        "weekly_cost_gbp": weights.weekly_cost * p["weekly_cost"].to_numpy(float)[pi],
        "distance_from_home_gbp": weights.per_mile_from_home * home0,
        "far_from_home_gbp": np.where((home0 > far_miles) | assumed, weights.far_from_home, 0.0),
        "out_of_area_gbp": np.where(outside, weights.out_of_area, 0.0),
        "distance_from_school_gbp": weights.per_mile_from_school
        * np.maximum(school0 - weights.school_free_miles, 0.0),
        "ks4_school_move_gbp": np.where(ks4 & far_school, weights.ks4_school_move, 0.0),
        "not_preferred_setting_gbp": np.where(
            any_pref & ~preferred, weights.not_preferred_setting, 0.0
        ),
        "ofsted_inadequate_gbp": np.where(a.inadequate[pi], weights.ofsted_inadequate, 0.0),
    }


def pair_cost(
    prob: MatchProblem, ci: np.ndarray, pi: np.ndarray, weights: MatchingWeights
) -> np.ndarray:
    """Sum of the pair terms for each pair."""
    terms = pair_terms(prob, ci, pi, weights)
    return np.sum([terms[t] for t in PAIR_TERMS], axis=0) if len(ci) else np.zeros(0)


def unplaced_cost(prob: MatchProblem, weights: MatchingWeights) -> np.ndarray:
    """Penalty for leaving each child unplaced (higher when needed today)."""
    today = (prob.referrals["needed_by"] == "today").to_numpy(bool)
    base = np.where(today, weights.unplaced_needed_today, weights.unplaced)
    if prob.decision_pin is None:
        return base
    # a child the team pinned must be placed: see matching/decisions.py
    return base + pin_penalty(prob, weights)


def sibling_split_cost(
    prob: MatchProblem, place_of_child: np.ndarray, weights: MatchingWeights
) -> np.ndarray:
    """Split penalty per sibling group: weight x (homes used - 1), at least 0.

    ``place_of_child`` holds each child's placement index, -1 when unplaced. Rows of one
    home (``prob.place_home``) are one home: siblings on two of them live together.
    """
    out = np.zeros(prob.num_groups)
    home = prob.household_of(place_of_child)
    for g in range(prob.num_groups):
        used = np.unique(home[(prob.child_group == g) & (home >= 0)])
        out[g] = weights.sibling_split * max(len(used) - 1, 0)
    return out


def pin_penalty(prob: MatchProblem, weights: MatchingWeights) -> np.ndarray:
    """Extra penalty for leaving each pinned child unplaced (0 for everyone else).

    It exceeds anything leaving the child unplaced could free: the child's own pair
    cost and one sibling split, plus the unplaced penalties of everyone who could be at
    the pinned placement (its vacancies) or would have to leave the child's siblings
    (the group's size). So a plan leaving a validly pinned child unplaced is never optimal.
    """
    pin = prob.decision_pin
    out = np.zeros(prob.num_children)
    if pin is None or not (pin >= 0).any():
        return out
    kids = np.nonzero(pin >= 0)[0]
    places = pin[kids]
    grp = prob.child_group
    size = np.array([int((grp == grp[c]).sum()) if grp[c] >= 0 else 1 for c in kids])
    most = max(weights.unplaced, weights.unplaced_needed_today, 1.0)
    out[kids] = (
        (prob.place_vacancies[places] + size + 2) * most
        + weights.sibling_split
        + pair_cost(prob, kids, places, weights)
    )
    return out
