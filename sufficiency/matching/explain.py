"""Explanations a social worker can act on: why a child is unplaced, and alternatives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.config import MatchingWeights
from sufficiency.matching.advice import NO_ROUTE, full_home_advice, home_advice, unplaced_advice
from sufficiency.matching.backends import SolveStatus
from sufficiency.matching.breaks import NEAREST_COLUMNS
from sufficiency.matching.candidates import generate_candidates
from sufficiency.matching.costs import pair_cost, pair_distances, unplaced_cost
from sufficiency.matching.homes import full_per_pair, home_full
from sufficiency.matching.limiting import most_limiting
from sufficiency.matching.maybe_alongside import option_flags
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.rules import RULE_CODES, broken_text, children_conflict, rule_breaks
from sufficiency.matching.sibling_notes import nearest as _nearest
from sufficiency.matching.sibling_notes import sibling_notes as sibling_notes
from sufficiency.matching.solver import MatchResult
from sufficiency.matching.why_not import plan_reasons
from sufficiency.vocabulary import counted, listed

UNPLACED_COLUMNS: tuple[str, ...] = (
    "child_id", "reason", "num_suitable_placements", *(f"excluded_{r}" for r in RULE_CODES),
    *NEAREST_COLUMNS,
)  # fmt: skip
ALTERNATIVE_COLUMNS: tuple[str, ...] = (
    "child_id", "rank", "placement_id", "setting", "provider", "weekly_cost",
    "miles_from_home", "pair_cost_gbp", "extra_cost_gbp", "vacancy_left_in_plan", "flags",
)  # fmt: skip


def _lawful(prob: MatchProblem, c: int) -> np.ndarray:
    """Every placement on the register that meets every single-pair hard rule for child
    ``c``: not only the pairs the solver held (within a radius of home on the national
    path, or left by dominance), so the nearest lawful home is named wherever it is."""
    all_p = np.arange(prob.num_placements)
    return all_p[~rule_breaks(prob, np.full(len(all_p), c), all_p).any(axis=0)]


def _ruled_out_by_team(prob: MatchProblem, c: int) -> np.ndarray:
    """The placements that break only the ``decision`` rule for child ``c``."""
    if prob.decision_excluded is None or not len(prob.decision_excluded):
        return np.zeros(0, np.int64)
    all_p = np.arange(prob.num_placements)
    broken = rule_breaks(prob, np.full(len(all_p), c), all_p)
    only = broken[RULE_CODES.index("decision")] & (broken.sum(axis=0) == 1)
    return all_p[only]


def unplaced_table(
    prob: MatchProblem, result: MatchResult, together: bool = False,
    weights: MatchingWeights | None = None,
) -> pd.DataFrame:  # fmt: skip
    """One row per unplaced child: a reason sentence, exclusions per rule, nearest option.

    ``weights`` are the run's (the defaults without them): a child an optimal plan leaves
    unplaced beside a home with a place for them is left there because of them."""
    weights = weights if weights is not None else MatchingWeights()
    counts = result.candidates.excluded_counts
    num_ok = result.candidates.num_suitable
    all_p = np.arange(prob.num_placements)
    rows = []
    for c in (int(i) for i in np.nonzero(result.place_of_child < 0)[0]):
        row: dict[str, object] = {"child_id": str(prob.referrals["child_id"].iat[c])}
        row.update({f"excluded_{r}": int(counts[c, i]) for i, r in enumerate(RULE_CODES)})
        row["num_suitable_placements"] = int(num_ok[c])
        near_id: str | None = None
        near_miles, breaks = np.nan, ""
        # with the child's home unknown no option is nearest: _nearest takes the cheapest
        known = not np.isnan(prob.child_home_east[c])
        near = "nearest" if known else "cheapest (the child's home is not known)"
        option = "nearest option" if known else "cheapest option (the child's home is not known)"
        if prob.num_placements == 0:
            reason = "No placements were offered in tonight's register; search for a vacancy."
        elif num_ok[c] == 0 and (ruled := _ruled_out_by_team(prob, c)).size:
            # the team's exclusions, not the register, leave the child nowhere to go
            home = int(ruled[0] if (q := _nearest(prob, c, ruled)) is None else q)
            near_id, breaks = str(prob.placements["placement_id"].iat[home]), "decision"
            near_miles = float(pair_distances(prob, np.array([c]), np.array([home]))[0][0])
            ids = listed([str(prob.placements["placement_id"].iat[int(q)]) for q in ruled])
            reason = (
                "No placement meets every hard rule because of the team's decisions: "
                f"{counted(ruled.size, 'placement')} ({ids}) "
                f"{'meets' if ruled.size == 1 else 'meet'} every other rule but the team "
                f"excluded the child from {'it' if ruled.size == 1 else 'them'}; the {option} "
                f"is {near_id}. "
                "Review the exclusions, or consider a wider search."
            )
        elif num_ok[c] == 0 and (p := _nearest(prob, int(c), all_p)) is not None:
            broken = rule_breaks(prob, np.array([c]), np.array([p]))[:, 0]
            codes = [RULE_CODES[i] for i in np.nonzero(broken)[0]]
            limiting = most_limiting(counts[c], prob.num_placements)
            near_id, breaks = str(prob.placements["placement_id"].iat[p]), "; ".join(codes)
            near_miles = float(pair_distances(prob, np.array([c]), np.array([p]))[0][0])
            reason = (
                "No placement meets every hard rule. "
                + (f"{limiting} " if limiting else "")
                + f"The {option}, {near_id}, {broken_text(prob, codes[0], c, p)}"
                + (f" (and breaks {counted(len(codes) - 1, 'other rule')})" if codes[1:] else "")
                + ". "
                + unplaced_advice(prob, c, p, codes)
            )
        elif (p := _nearest(prob, c, held := _lawful(prob, c))) is None:
            reason = (
                f"{_meeting(int(num_ok[c]))} every hard rule, but none could take this "
                f"child in the best plan alongside the other children. {NO_ROUTE}"
            )
        else:
            near_id, breaks = str(prob.placements["placement_id"].iat[p]), "taken"
            near_miles = float(pair_distances(prob, np.array([c]), np.array([p]))[0][0])
            there = [str(prob.referrals["child_id"].iat[int(k)])
                     for k in np.nonzero(result.place_of_child == p)[0]]  # fmt: skip
            holders = f" ({listed(there)})" if there else ""
            stops = plan_reasons(prob, result, c, p, together)
            kinds = {k for k, _ in stops}
            said = " ".join(t for k, t in stops if k == "conflict")
            rules = "these rules" if said.count(" rule ") > 1 else "this rule"
            # a child placed there who may not live with this one is said too, and then no
            # exemption to the fostering limit or emergency route is offered for the home:
            # with a place more the child still could not go there
            q = p
            reason = (
                f"{_meeting(int(num_ok[c]))} every hard rule, but each is needed for other "
                f"children or cannot take this child alongside them; the {near}, {near_id}, is "
                f"proposed for {'another child' if len(there) <= 1 else 'other children'}"
                f"{holders}. "
                + (f"Also, {said} No exemption lifts {rules}. {NO_ROUTE}" if said
                   else full_home_advice(prob, c, p, len(there)))
            )  # fmt: skip
            if "home_full" in kinds and "taken" not in kinds:
                # a place is left on the row, but none across the rows of its home
                full = " ".join(t for k, t in stops if k == "home_full")
                reason, breaks = (
                    f"{_meeting(int(num_ok[c]))} every hard rule, but each is needed for "
                    f"other children or cannot take this child alongside them; the {near}, "
                    f"{near_id}, has a place left on its row, but {full[0].lower()}{full[1:]}"
                    + (f" Also, {said} No exemption lifts {rules}." if said else "")
                    + f" {home_advice(prob, c, p)}",
                    "home_full",
                )
            elif "taken" not in kinds and "conflict" in kinds:
                # a place is left there, but a child proposed there may not live with this one
                reason, breaks = (
                    f"{_meeting(int(num_ok[c]))} every hard rule, but each is needed for "
                    f"other children or cannot take this child alongside them; the {near}, "
                    f"{near_id}, has a place left, but {said} Consider another home for one "
                    f"of them (no exemption lifts {rules}), or a wider search.",
                    "conflict",
                )
            named = None
            if not kinds & {"taken", "conflict", "home_full"}:  # a place left for the child
                named = (p, f"{near}, {near_id}")
            elif (o := _nearest(prob, c, _open_to(prob, result, c, held))) is not None:
                # the nearest is needed, but another home has a place left for this child
                named = (o, f"{near} with a place left, {prob.placements['placement_id'].iat[o]}")
            if named is not None:
                reason, breaks, q = _free_nearest(
                    prob, result, c, named, int(num_ok[c]), together, weights
                )
            if q != p:  # the home the reason names: one with a place left for the child
                near_id = str(prob.placements["placement_id"].iat[q])
                near_miles = float(pair_distances(prob, np.array([c]), np.array([q]))[0][0])
        row.update(
            reason=reason,
            nearest_placement_id=near_id,
            nearest_miles_from_home=near_miles,
            nearest_breaks=breaks,
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(UNPLACED_COLUMNS))


def _open_to(prob: MatchProblem, result: MatchResult, c: int, places: np.ndarray) -> np.ndarray:
    """Of ``places`` (each meeting every hard rule for unplaced child ``c``), those with a
    place left for ``c`` in the plan, on the row and across the rows of its home, and no
    child placed in its home (on any of the home's rows) who may not live with them."""
    where = result.place_of_child
    used = np.bincount(where[where >= 0], minlength=prob.num_placements)
    room = _room(prob, where, used, np.full(len(places), c), places)
    left = places[used[places] < room]
    left = left[[not home_full(prob, c, int(q), where) for q in left.tolist()]]
    home = prob.place_home
    there = np.nonzero((where >= 0) & np.isin(home[np.maximum(where, 0)], home[left]))[0]
    bad = there[children_conflict(prob, np.full(len(there), c), there)]
    return left[~np.isin(home[left], home[where[bad]])]


def _free_nearest(
    prob: MatchProblem, result: MatchResult, c: int, option: tuple[int, str], num_ok: int,
    together: bool, weights: MatchingWeights,
) -> tuple[str, str, int]:  # fmt: skip
    """Reason, ``nearest_breaks`` and the placement it names for an unplaced child whose
    nearest suitable placement has a place left for the child in the plan: the child's
    siblings are placed elsewhere and must stay together (``siblings = "together"``), the
    plan is not proven optimal, or (an optimal plan) placing the child there scores more
    than leaving them unplaced under the run's weights. ``option`` is the placement's row
    and its name: ``(3, "nearest, P2")``; the siblings' home is named instead when it has
    a place left for the child (a plan not proven optimal, or optimal within its gap)."""
    place, nearest = option
    where = result.place_of_child
    grp = prob.child_group
    kid = prob.referrals["child_id"].astype(str).to_numpy(object)
    pid = prob.placements["placement_id"].astype(str).to_numpy(object)
    sibs = (
        [int(s) for s in np.nonzero((grp == grp[c]) & (where >= 0))[0]]
        if together and grp[c] >= 0
        else []
    )
    homes = np.nonzero(np.isin(prob.place_home, prob.place_home[where[sibs]]))[0]  # all rows
    sibs = [] if prob.place_home[place] in prob.place_home[homes] else sibs  # joins them
    lawful = homes[~rule_breaks(prob, np.full(len(homes), c), homes).any(axis=0)]
    if len(joined := _open_to(prob, result, c, lawful)):
        # the siblings' home can take the child as well: said as a place left there (it
        # said the placement could not take the child, which a plan within its gap left)
        place, nearest, sibs = int(joined[0]), f"child's siblings' home, {pid[joined[0]]}", []
    if sibs:
        pin = prob.decision_pin
        pinned = sorted(str(kid[s]) for s in sibs if pin is not None and pin[s] == where[s])
        at = sorted({f"{kid[s]} at {pid[where[s]]}"
                     + (", pinned there by the team" if kid[s] in pinned else "")
                     for s in sibs})  # fmt: skip
        named = listed(at)
        review = f"Review the team's pin of {listed(pinned)}, or consider" if pinned else "Consider"
        ruled = rule_breaks(prob, np.full(len(homes), c), homes)[RULE_CODES.index("decision")]
        cannot = ("the team excluded this child from it" if ruled.all()
                  else "that placement cannot take this child as well")  # fmt: skip
        return (
            f"{_meeting(num_ok)} every hard rule, but the child's siblings must stay "
            f"together ({named}) and {cannot}; the "
            f"{nearest}, would split the group. {review} a placement that can take "
            "the whole group (the usual fostering limit does not apply to siblings alone), "
            "a wider search or a spot purchase.",
            "siblings_together",
            place,
        )
    if result.status is not SolveStatus.OPTIMAL:
        return (
            f"{_meeting(num_ok)} every hard rule and the {nearest}, has a place left in the "
            "plan, but the plan is not proven optimal (see the summary): consider it.",
            "not_proven",
            place,
        )
    # an optimal plan leaves the child out of a home with room only because placing them
    # there scores no less than leaving them unplaced (the weights, or a sibling split)
    score = float(pair_cost(prob, np.array([c]), np.array([place]), weights)[0])
    left = float(unplaced_cost(prob, weights)[c])
    # a split only if the group's placed members are elsewhere and none is there already
    sibs_placed = (grp == grp[c]) & (np.arange(len(grp)) != c) & (where >= 0)
    joins = (sibs_placed & (prob.household_of(where) == prob.place_home[place])).any()
    split = weights.sibling_split if grp[c] >= 0 and sibs_placed.any() and not joins else 0.0
    if score + split < left:  # optimal only within the gap: placing the child is better
        return (
            f"{_meeting(num_ok)} every hard rule and the {nearest}, has a place left in the "
            "plan, but the plan is optimal only within its gap (see the summary): consider it.",
            "not_proven",
            place,
        )
    plus = f" plus the sibling split's {split:,.0f}" if split else ""
    return (
        f"{_meeting(num_ok)} every hard rule and the {nearest}, has a place left in the "
        "plan, but with this run's weights placing the child there scores no less than "
        f"leaving them unplaced ({score:,.0f}{plus}, against {left:,.0f}; a priority score, "
        "not money), so the plan leaves them unplaced. Check [matching.weights]: the weight "
        "for a child left unplaced should be more than any placement's score.",
        "cost",
        place,
    )


def cheapest_per_child(
    child: np.ndarray, place: np.ndarray, cost: np.ndarray, k: int
) -> np.ndarray:
    """Positions of each child's ``k`` cheapest pairs (ties: lower placement first), in
    child, cost, placement order: the first ``k`` per child of a sort by (child, cost,
    placement), found in ``k`` linear passes when pairs come sorted by child then
    placement, as candidates do (millions of pairs at national scale)."""
    n = len(child)
    ordered = n < 2 or bool(
        np.all((child[1:] > child[:-1]) | ((child[1:] == child[:-1]) & (place[1:] > place[:-1])))
    )
    if not ordered:
        idx = np.lexsort((place, cost, child))
        rank = np.arange(n) - np.searchsorted(child[idx], child[idx], side="left")
        return idx[rank < k]
    if n == 0 or k <= 0:
        return np.zeros(0, np.int64)
    starts = np.flatnonzero(np.r_[True, child[1:] != child[:-1]])
    seg = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, n]))
    left = np.asarray(cost, float).copy()
    chosen, ranks = [], []
    for r in range(k):
        low = np.minimum.reduceat(left, starts)
        hit = np.flatnonzero((left == low[seg]) & np.isfinite(left))
        first = hit[np.unique(seg[hit], return_index=True)[1]]
        if not len(first):
            break
        chosen.append(first)
        ranks.append(np.full(len(first), r))
        left[first] = np.inf
    if not chosen:
        return np.zeros(0, np.int64)
    out, rank = np.concatenate(chosen), np.concatenate(ranks)
    return out[np.lexsort((rank, child[out]))]


def _room(
    prob: MatchProblem, where: np.ndarray, used: np.ndarray, c: np.ndarray, p: np.ndarray
) -> np.ndarray:
    """Places at ``p`` open to child ``c`` in the plan (``used``: children the plan puts
    at each placement): the capacity, or the vacancies under the sibling exemption when
    the foster home is empty now and the plan puts only ``c``'s siblings there (as
    :func:`~.why_not.why_not` counts them)."""
    grp = prob.child_group
    at = np.nonzero(where >= 0)[0]
    n_g = max(prob.num_groups, 1)
    # how many of each sibling group the plan puts at each placement
    grouped = at[grp[at] >= 0]
    per_group = pd.Series(where[grouped] * n_g + grp[grouped]).value_counts()
    siblings_there = pd.Series(p * n_g + grp[c]).map(per_group).fillna(0).to_numpy(np.int64)
    exempt = prob.place_foster_empty[p] & (grp[c] >= 0) & (used[p] == siblings_there)
    return np.where(
        exempt, np.maximum(prob.place_capacity[p], prob.place_vacancies[p]), prob.place_capacity[p]
    )


def _pairs_to_rank(
    prob: MatchProblem, result: MatchResult, num_alternatives: int, weights: MatchingWeights
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Child, placement and pair cost of the pairs to rank the alternatives from: the
    solver's candidates, which hold each child's ``num_children`` cheapest pairs at least
    (:func:`~.pruning.undominated`), or, on a night of so few referrals that this is
    fewer than the proposal and its alternatives, every pair meeting the hard rules for
    the placed children whose pairs were pruned (few children: a cheap pass)."""
    cands, cost = result.candidates, result.pair_cost_gbp
    held = np.bincount(cands.child, minlength=prob.num_children)
    short = (result.place_of_child >= 0) & (held < cands.num_suitable)
    if prob.num_children > num_alternatives or not short.any():
        return cands.child, cands.place, cost
    full = generate_candidates(prob, None, np.nonzero(short)[0])
    keep = ~short[cands.child]
    child = np.concatenate([cands.child[keep], full.child])
    place = np.concatenate([cands.place[keep], full.place])
    cost = np.concatenate([cost[keep], pair_cost(prob, full.child, full.place, weights)])
    order = np.lexsort((place, child))
    return child[order], place[order], cost[order]


def alternatives_table(
    prob: MatchProblem,
    result: MatchResult,
    num_alternatives: int,
    weights: MatchingWeights | None = None,
) -> pd.DataFrame:
    """Up to ``num_alternatives`` next-best options per child, by pair cost (a child not
    placed: homes meeting every rule the team may pin, no ``extra_cost_gbp``).

    ``extra_cost_gbp`` is how much more the option's own terms cost than the
    proposal's (sibling and capacity effects on other children are not included).
    """
    weights = weights if weights is not None else MatchingWeights()
    child, place, cost = _pairs_to_rank(prob, result, num_alternatives, weights)
    where = result.place_of_child
    used = np.bincount(where[where >= 0], minlength=prob.num_placements)
    plc = prob.placements
    rows: pd.DataFrame | list = []
    if num_alternatives > 0 and len(child):
        own = where[child] == place
        base = np.zeros(prob.num_children)
        base[child[own]] = cost[own]
        alt = ~own  # a child not placed too: only the nearest home was named
        idx = np.nonzero(alt)[0]
        idx = idx[cheapest_per_child(child[idx], place[idx], cost[idx], num_alternatives)]
        miles, _ = pair_distances(prob, child[idx], place[idx])
        c, p = child[idx], place[idx]
        rows = pd.DataFrame({
            "child_id": prob.referrals["child_id"].astype(str).to_numpy(object)[c],
            "rank": 0,
            "placement_id": plc["placement_id"].astype(str).to_numpy(object)[p],
            "setting": plc["setting"].astype(str).to_numpy(object)[p],
            "provider": plc["provider"].astype(str).to_numpy(object)[p],
            "weekly_cost": plc["weekly_cost"].to_numpy(float)[p],
            "miles_from_home": miles.astype(float),
            "pair_cost_gbp": np.round(cost[idx], 2),
            "extra_cost_gbp": np.where(where[c] >= 0, np.round(cost[idx] - base[c], 2), np.nan),
            "vacancy_left_in_plan": (used[p] < _room(prob, where, used, c, p))
            & ~full_per_pair(prob, where, c, p),
            "flags": option_flags(prob, where, c, p, weights),
        })  # fmt: skip
    out = pd.DataFrame(rows, columns=list(ALTERNATIVE_COLUMNS))
    out["rank"] = out.groupby("child_id").cumcount() + 1
    out["vacancy_left_in_plan"] = out["vacancy_left_in_plan"].astype(bool)
    return out


def _meeting(n: int) -> str:
    """``1 placement meets``, ``3 placements meet``: a count and its verb agreeing."""
    return f"{counted(n, 'placement')} {'meets' if n == 1 else 'meet'}"
