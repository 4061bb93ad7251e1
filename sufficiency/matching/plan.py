"""Evaluate a plan (each child's placement or none) term by term."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.config import MatchingWeights
from sufficiency.matching.costs import (
    ALL_TERMS,
    PAIR_TERMS,
    pair_distances,
    pair_terms,
    sibling_split_cost,
    unplaced_cost,
)
from sufficiency.matching.gates import INADEQUATE, KS4_GATE, NO_URN, OUT_OF_AREA, pair_flags
from sufficiency.matching.maybe_alongside import maybe_alongside_flags
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.sibling_alongside import sibling_alongside_flags
from sufficiency.matching.sibling_risks import flags_added, sibling_risk_flags


def evaluate_plan(
    prob: MatchProblem, place_of_child: np.ndarray, weights: MatchingWeights
) -> pd.DataFrame:
    """One row per child (sorted by ``child_id``) with its placement and every term.

    ``place_of_child`` holds placement row indices, -1 for unplaced. A sibling
    group's split penalty is shown against its first placed member by ID, so
    the term columns sum to the plan's objective.
    """
    n = prob.num_children
    placed = place_of_child >= 0
    ci = np.nonzero(placed)[0]
    pi = place_of_child[placed]
    terms = pair_terms(prob, ci, pi, weights)
    out = pd.DataFrame({"child_id": prob.referrals["child_id"].astype(str).to_numpy()})
    plc = prob.placements
    pid = np.full(n, None, dtype=object)
    pid[ci] = plc["placement_id"].astype(str).to_numpy()[pi]
    out["placement_id"] = pd.array(pid, dtype="string")
    for col in ("setting", "provider"):
        vals = np.full(n, None, dtype=object)
        vals[ci] = plc[col].astype(str).to_numpy()[pi]
        out[col] = pd.array(vals, dtype="string")
    cost = np.full(n, np.nan)
    cost[ci] = plc["weekly_cost"].to_numpy(float)[pi]
    out["weekly_cost"] = cost
    home, school = pair_distances(prob, ci, pi)
    for name, vals_ in (("miles_from_home", home), ("miles_from_school", school)):
        miles = np.full(n, np.nan)
        miles[ci] = vals_
        out[name] = miles
    for t in PAIR_TERMS:
        term = np.zeros(n)
        term[ci] = terms[t]
        out[t] = term
    flags = np.full(n, "", dtype=object)
    flags[ci] = pair_flags(prob, ci, pi, weights)
    # siblings together where one is a risk to the younger: the plan's, not the pair's
    flags = flags_added(flags, sibling_risk_flags(prob, place_of_child))
    flags = flags_added(flags, sibling_alongside_flags(prob, place_of_child))
    # rows that may be one home, each with a child proposed: is it one household?
    out["flags"] = flags_added(flags, maybe_alongside_flags(prob, place_of_child))
    split = np.zeros(n)
    per_group = sibling_split_cost(prob, place_of_child, weights)
    together = np.full(n, pd.NA, dtype=object)
    home = prob.household_of(place_of_child)  # rows of one home are one home
    for g in range(prob.num_groups):
        members = np.nonzero(prob.child_group == g)[0]
        got = members[placed[members]]
        if len(got):
            split[got[0]] = per_group[g]
        used = np.unique(home[members])
        together[members] = bool(len(used) == 1 and used[0] >= 0)
    out["sibling_split_gbp"] = split
    out["unplaced_gbp"] = np.where(placed, 0.0, unplaced_cost(prob, weights))
    out["siblings_together"] = pd.array(together, dtype="boolean")
    return out


def plan_objective(plan: pd.DataFrame) -> float:
    """Objective of an evaluated plan: the sum of every term."""
    return float(plan[list(ALL_TERMS)].to_numpy().sum())


def plan_figures(
    prob: MatchProblem, plan: pd.DataFrame, weights: MatchingWeights
) -> dict[str, float | int]:
    """Headline figures of a plan for the run summary."""
    placed = plan["placement_id"].notna()
    # gates are counted from the facts (the flags), so a weight of 0 hides none
    flags = plan["flags"].fillna("").astype(str)
    groups = prob.child_group
    together = plan["siblings_together"].fillna(False).to_numpy(bool)
    # a group none of whose children is placed parts no child from a sibling: it is not
    # split (its children are listed as not placed)
    kept = sum(
        bool(together[np.nonzero(groups == g)[0][0]] or not placed[groups == g].any())
        for g in range(prob.num_groups)
    )
    # placed with no distance from home: left out of "over 20 miles", counted by why
    lost = (placed & plan["miles_from_home"].isna()).to_numpy(bool)
    given = prob.child_home_given
    located = ~np.isnan(prob.child_home_east)
    return {
        "objective_gbp": round(plan_objective(plan), 2),
        "priority_score": round(plan_objective(plan), 2),
        "weekly_cost_gbp": round(float(plan["weekly_cost"].fillna(0).sum()), 2),
        "children_placed": int(placed.sum()),
        "children_unplaced": int((~placed).sum()),
        "sibling_groups": int(prob.num_groups),
        "sibling_groups_kept_together": int(kept),
        "placed_over_20_miles": int((plan["miles_from_home"].fillna(0) > 20).sum()),
        "placed_no_home_postcode": int((lost & ~given).sum()),
        "placed_home_not_located": int((lost & given & ~located).sum()),
        "placed_placement_not_located": int((lost & given & located).sum()),
        "placed_out_of_area": int(flags.str.contains(OUT_OF_AREA, regex=False).sum()),
        "ks4_school_moves": int(flags.str.contains(KS4_GATE, regex=False).sum()),
        "total_weekly_cost_gbp": round(float(plan["weekly_cost"].fillna(0).sum()), 2),
        "ofsted_checks": int(
            (
                flags.str.contains(INADEQUATE, regex=False)
                | flags.str.contains(NO_URN, regex=False)
            ).sum()
        ),
    }
