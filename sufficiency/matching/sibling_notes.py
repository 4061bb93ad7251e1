"""Why the plan splits a sibling group (``sibling_note`` on ``matches.csv``): whether any
home on the register has room for the whole group and meets every hard rule for each of
them, and, when only the team's decisions rule such homes out, which decisions. Siblings
on rows of one home (``prob.place_home``) live together: the plan does not split them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.matching.aside_siblings import with_siblings_aside
from sufficiency.matching.costs import pair_distances
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.rules import RULE_CODES, rule_breaks
from sufficiency.vocabulary import counted, listed


def nearest(prob: MatchProblem, c: int, among: np.ndarray) -> int | None:
    """Nearest placement to the child's home among ``among`` (cheapest if home unknown);
    ``None`` when ``among`` is empty."""
    if len(among) == 0:
        return None
    miles, _ = pair_distances(prob, np.full(len(among), c), among)
    cost = prob.placements["weekly_cost"].to_numpy(float)[among]
    key = np.where(np.isnan(miles), np.inf, miles)
    return int(among[np.lexsort((among, cost, key))[0]])


def _pets_apart(prob: MatchProblem, members: np.ndarray) -> str:
    """When the group's own answers keep them apart (one must live with pets, another may
    not, or is a risk to animals under rule 13), that clause: no home can take both."""
    pets = prob.referrals["pets"].astype(str).to_numpy(object)[members]
    animals = prob.child_harm_animals[members] & prob.harm_animals_excludes_pets
    kid = prob.referrals["child_id"].astype(str).to_numpy(object)[members]
    must = kid[(pets == "must") & ~animals]
    if not len(must) or not (animals.any() or (pets == "no").any()):
        return ""
    said = [f"{k} is a risk to animals (rule 13)" for k in kid[animals]]
    said += [f"{k} may not live with pets (rule 7)" for k in kid[(pets == "no") & ~animals]]
    them = "both" if len(members) == 2 else "them all"
    return (
        f": {listed(list(must))} must live with pets (rule 7) and {listed(said)}, so no "
        f"home can take {them}"
    )


_DECISION = RULE_CODES.index("decision")


def _decided_apart(prob: MatchProblem, members: np.ndarray, fits: np.ndarray) -> str:
    """Which team decisions rule out every home in ``fits`` for a sibling group: the pins
    of its members (each to a home the others cannot share), else its exclusions."""
    kid = prob.referrals["child_id"].astype(str).to_numpy(object)
    pid = prob.placements["placement_id"].astype(str).to_numpy(object)
    pin = prob.decision_pin if prob.decision_pin is not None else np.full(prob.num_children, -1)
    pinned = [f"{kid[c]} is pinned to {pid[pin[c]]}" for c in members if pin[c] >= 0]
    if pinned:
        return listed(pinned)
    out = []
    for c in members:
        hit = fits[rule_breaks(prob, np.array([c]), fits)[_DECISION]]
        if len(hit):
            out.append(f"{kid[c]} is excluded from {listed([str(pid[p]) for p in hit[:3]])}"
                       + (f" and {len(hit) - 3} more" if len(hit) > 3 else ""))  # fmt: skip
    return listed(out)


def sibling_notes(
    prob: MatchProblem, place_of_child: np.ndarray, set_aside: pd.DataFrame | None = None
) -> np.ndarray:
    """Per child of a sibling group the plan splits, why it may be split: whether any home
    on the register has room for the whole group and meets every hard rule for each of
    them, and when only the team's decisions rule such homes out (a pin of one sibling, an
    exclusion), which decisions; "" for every other child. A sibling set aside for errors
    (``set_aside``, the input rows left out) is said on each matched child of the group
    (:mod:`sufficiency.matching.aside_siblings`)."""
    notes = np.full(prob.num_children, "", dtype=object)
    pid = prob.placements["placement_id"].astype(str).to_numpy(object)
    room = prob.group_room
    lo, hi = (prob.placements[c].to_numpy(float) for c in ("age_min", "age_max"))  # rule 3 first
    for g in range(prob.num_groups):
        members = np.nonzero(prob.child_group == g)[0]
        at = prob.household_of(place_of_child[members])  # rows of one home: together
        if (at < 0).all() or (len(np.unique(at)) == 1):
            continue  # together, or none placed (each is listed as not placed)
        n = len(members)
        ages = prob.child_age_years[members]
        # a home opening after a birthday takes the child a year older (rule 3)
        fits = np.nonzero((room >= n) & (lo <= ages.min() + 1) & (hi >= ages.max()))[0]
        ruled_out = np.zeros(len(fits), bool)  # by the team's decisions alone
        for c in members:  # one child at a time: the homes left to check shrink
            broken = rule_breaks(prob, np.array([c]), fits)
            keep = ~np.delete(broken, _DECISION, axis=0).any(axis=0)
            fits, ruled_out = fits[keep], (ruled_out | broken[_DECISION])[keep]
        whole = "both" if n == 2 else f"all {n}"
        if ruled_out.all() and len(fits):  # a pin or exclusion keeps them apart, not the rules
            notes[members] = (f"{counted(len(fits), 'home')} could take {whole} under the "
                              "other hard rules, but the team's decisions rule them out: "
                              + _decided_apart(prob, members, fits))  # fmt: skip
            continue
        fits = fits[~ruled_out]
        if len(fits) == 0:
            notes[members] = (f"no home on tonight's register has room for {whole} and "
                              "meets every hard rule for each of them"
                              + _pets_apart(prob, members))  # fmt: skip
            continue
        best = nearest(prob, int(members[0]), fits)
        miles = float(pair_distances(prob, members[:1], np.array([best]))[0][0])
        where = f"{miles:.1f} miles from home" if not np.isnan(miles) else "the cheapest"
        notes[members] = (
            f"{counted(len(fits), 'home')} could take {whole} under the hard rules, the nearest "
            f"{pid[best]} ({where}), but the plan needs their places for other children or "
            "finds keeping the group there worse on its priorities"
        )
    return with_siblings_aside(prob, notes, set_aside)
