"""Why an alternative in ``alternatives.csv`` was not chosen.

An option with ``extra_cost_gbp < 0`` costs the child less than the proposal. The
reasons are read from the plan itself, never guessed: the placement's places go to
named children, the move would split a sibling group (or break ``siblings =
"together"``), or a child placed there may not live with this one. If none applies,
moving the child there alone breaks no rule and lowers the plan's score, so the plan is
optimal only within its gap (or not proven optimal): the sentence says so, never that
the plan as a whole is cheaper this way, which it is not. An option no cheaper for the
child says how it compares on the child's own terms (:func:`compared`: further from
home, a higher fee, ...; or as good, a tie), then whatever in the plan stops it too.
Children are named by ID only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.config import MatchingWeights
from sufficiency.geo import council_name
from sufficiency.matching.costs import pair_distances, pair_terms
from sufficiency.matching.decisions import conflict_causes, rule_label, whose_name
from sufficiency.matching.homes import home_reason
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.rules import children_conflict
from sufficiency.matching.solver import MatchResult
from sufficiency.vocabulary import listed

#: An option cheaper for the child that nothing in an optimal plan stops: moving the child
#: there alone would lower the plan's score (pair cost down, no split added, a place and
#: nobody there who clashes), so the plan is optimal only within its gap. It said the plan
#: as a whole was cheaper this way (knock-on effects), which such a move shows false.
WITHIN_GAP = (
    "Nothing in the plan stops it: the plan is optimal only within its gap (see the "
    "summary), and moving the child there alone breaks no rule and scores less, so this "
    "option may be worth considering."
)
NOT_PROVEN = (
    "Nothing in the plan stops it: the plan is not proven optimal (see the summary), "
    "so this option may be worth considering."
)

#: An option with a place for a child not placed that nothing in the plan stops: the
#: child's reason for not being placed says why the plan leaves it (the weights, a sibling
#: group kept together, a plan not proven optimal).
UNPLACED_FREE = (
    "Nothing else in the plan stops it: the reason the child is not placed says why the "
    "plan does not use it."
)


def plan_reasons(
    prob: MatchProblem, result: MatchResult, c: int, p: int, together: bool
) -> list[tuple[str, str]]:
    """What in the plan stops child ``c`` going to placement ``p``, each as a kind
    (``taken``: its places go to others; ``home_full``: its row has a place, but its home,
    on several rows of the register, has none across them; ``conflict``: a child placed
    there may not live with this one; ``siblings``: it would split the sibling group) and
    a sentence."""
    where = result.place_of_child
    kid = prob.referrals["child_id"].astype(str).to_numpy(object)
    pid = prob.placements["placement_id"].astype(str).to_numpy(object)
    pinned = prob.decision_pin if prob.decision_pin is not None else np.full(len(where), -1)
    there = [int(o) for o in np.nonzero(where == p)[0] if o != c]
    reasons: list[tuple[str, str]] = []
    grp = prob.child_group
    sibs: list[int] = (
        np.nonzero((grp == grp[c]) & (np.arange(len(grp)) != c))[0].tolist() if grp[c] >= 0 else []
    )
    n = len(there) + 1
    room = int(prob.place_capacity[p])
    if prob.place_foster_empty[p] and grp[c] >= 0 and all(grp[o] == grp[c] for o in there):
        room = max(room, int(prob.place_vacancies[p]))  # the sibling exemption
    if n > room:
        named = [f"{kid[o]} (pinned there by a team decision)" if pinned[o] == p else str(kid[o])
                 for o in there]  # fmt: skip
        # a sibling group under the exemption fills more than the usual three
        taken = max(room, len(there))
        places = "its only place goes" if taken == 1 else f"its {taken} places go"
        reasons.append(
            ("taken", f"{places[0].upper()}{places[1:]} to {listed(named)} in the plan.")
        )
    elif (full := home_reason(prob, where, c, p)) is not None:
        reasons.append(("home_full", full))  # the row has a place; its home's rows have none
    home = prob.place_home
    # the children of the home, on this row or another row of the same home
    mates = [int(o) for o in np.nonzero((where >= 0) & (home[np.maximum(where, 0)] == home[p]))[0]
             if o != c]  # fmt: skip
    if mates:
        bad = children_conflict(prob, np.full(len(mates), c), np.array(mates))
        for o in np.array(mates)[bad].tolist():
            # every rule that keeps the two apart, whose each is (one alone may not be
            # enough to change): the first as before, the others naming whose it is
            (whose, words, rule), *more = conflict_causes(prob, c, o)
            said = "".join(f"; and {whose_name(w, o, kid[o], 'this child')} {t}: "
                           f"{rule_label(r)}" for w, t, r in more)  # fmt: skip
            first = " and" if whose == o else f", and {whose_name(whose, o, kid[o], 'this child')}"
            on = "there" if where[o] == p else f"in the same home (its row {pid[where[o]]})"
            reasons.append(
                ("conflict", f"{kid[o]} is placed {on}{first} {words}: {rule_label(rule)}{said}.")
            )
    placed_sibs = [int(s) for s in sibs if where[s] >= 0]
    if placed_sibs:  # by home: siblings on rows of one home live together
        at_home = prob.household_of(where)
        before = {int(at_home[s]) for s in placed_sibs} | (
            {int(at_home[c])} if where[c] >= 0 else set()
        )
        after = {int(at_home[s]) for s in placed_sibs} | {int(home[p])}
        if len(after) > len(before) or (together and len(after) > 1):
            at = sorted({f"{kid[s]} at {pid[where[s]]}" for s in placed_sibs
                         if at_home[s] != home[p]})  # fmt: skip
            reasons.append(("siblings", f"It would split the sibling group ({listed(at)})."))
    return reasons


def why_not(prob: MatchProblem, result: MatchResult, c: int, p: int, together: bool) -> str:
    """Why child ``c`` is not at placement ``p`` in the plan, in a sentence or two."""
    reasons = plan_reasons(prob, result, c, p, together)
    if reasons:
        return " ".join(text for _, text in reasons)
    return WITHIN_GAP if result.status.value == "optimal" else NOT_PROVEN


#: A pair term that differs between an option and the proposal, in words:
#: (when the option is worse on it, when better). Weekly fee and miles are said apart.
_TERM_WORDS: dict[str, tuple[str, str]] = {
    "far_from_home_gbp": ("over {far} miles from home", "within {far} miles of home"),
    "out_of_area_gbp": ("out of area for {council}", "in {council}'s area"),
    "distance_from_school_gbp": ("further from school", "nearer school"),
    "ks4_school_move_gbp": ("a key stage 4 school move", "no key stage 4 school move"),
    "not_preferred_setting_gbp": ("not the preferred type of home", "the preferred type of home"),
    "ofsted_inadequate_gbp": ("rated inadequate by Ofsted", "not rated inadequate by Ofsted"),
}


def compared(
    prob: MatchProblem, weights: MatchingWeights, c: int, p: int, own: int, extra: float
) -> str:
    """How option ``p`` compares with the proposal ``own`` on child ``c``'s own terms, for
    an option no cheaper for the child (``extra`` >= 0, the priority score above the
    proposal's): what makes it worse, and what is better about it."""
    terms = pair_terms(prob, np.array([c, c]), np.array([p, own]), weights)
    home, _ = pair_distances(prob, np.array([c, c]), np.array([p, own]))
    fee = prob.placements["weekly_cost"].to_numpy(float)[[p, own]]
    worse: list[str] = []
    better: list[str] = []
    unweighed: list[str] = []  # differences the plan's weights set to 0 do not count

    def differs(d: float, weight: float, words: str) -> None:
        (unweighed if weight <= 0 else worse if d > 0 else better).append(words)

    if abs(fee[0] - fee[1]) >= 0.5:
        gap = f"£{abs(fee[0] - fee[1]):,.0f} a week"
        differs(fee[0] - fee[1], weights.weekly_cost,
                f"{gap} {'dearer' if fee[0] > fee[1] else 'cheaper'}")  # fmt: skip
    if not np.isnan(home).any() and abs(home[0] - home[1]) >= 0.05:
        miles = f"{abs(home[0] - home[1]):.1f} miles"
        differs(home[0] - home[1], weights.per_mile_from_home,
                f"{miles} {'further from' if home[0] > home[1] else 'nearer'} home")  # fmt: skip
    far = f"{weights.far_from_home_miles:g}"
    council = council_name(str(prob.referrals["responsible_la"].iloc[c]))
    for term, (bad, good) in _TERM_WORDS.items():
        d = float(terms[term][0] - terms[term][1])
        if abs(d) >= 0.005:
            words = (bad if d > 0 else good).format(far=far, council=council)
            (worse if d > 0 else better).append(words)
    aside = f" Not weighed by the plan's priorities: {listed(unweighed)}." if unweighed else ""
    if extra < 0.005:
        said = "As good for this child as the proposal on the plan's priorities"
        return said + (f" ({', '.join(worse + better)})." if worse or better else ".") + aside
    # the score's difference ("by 21.59") means nothing to a social worker: what makes it
    # up is said instead, and a difference too small to put in words is "slightly"
    said = "Worse for this child on the plan's priorities"
    if worse:
        said += ": " + listed(worse)
    else:
        said = "Slightly w" + said[1:]
    return said + (f", though {listed(better)}." if better else ".") + aside


def add_why_not(
    prob: MatchProblem,
    result: MatchResult,
    alternatives: pd.DataFrame,
    together: bool,
    weights: MatchingWeights | None = None,
) -> pd.DataFrame:
    """``alternatives`` with a ``why_not`` column: for an option of a child not placed,
    what in the plan stops it (its places go to others...); for an option cheaper for the
    child than their proposal (``extra_cost_gbp < 0``), what in the plan stops it; for any
    other, how it compares for the child (:func:`compared`) and what in the plan stops
    it as well."""
    weights = weights if weights is not None else MatchingWeights()
    out = alternatives.copy()
    kid_row = {str(c): i for i, c in enumerate(prob.referrals["child_id"])}
    place_row = {str(p): i for i, p in enumerate(prob.placements["placement_id"])}
    texts: list[object] = []
    for child, place, extra in zip(
        out["child_id"], out["placement_id"], out["extra_cost_gbp"], strict=True
    ):
        c, p = kid_row[str(child)], place_row[str(place)]
        if result.place_of_child[c] < 0:  # no proposal to compare with: what stops it
            stops = plan_reasons(prob, result, c, p, together)
            texts.append(" ".join(t for _, t in stops) if stops else UNPLACED_FREE)
            continue
        if extra < 0:
            texts.append(why_not(prob, result, c, p, together))
            continue
        own = int(result.place_of_child[c])
        stops = plan_reasons(prob, result, c, p, together)
        text = compared(prob, weights, c, p, own, float(extra))
        if stops:
            first = stops[0][1]
            first = first[0].lower() + first[1:] if first.startswith("It") else first
            text += (" But " if extra < 0.005 else " Also, ") + " ".join(
                [first] + [t for _, t in stops[1:]]
            )
        elif extra < 0.005:
            text += " Nothing in the plan stops it: either would do."
        texts.append(text)
    out["why_not"] = pd.Series(texts, index=out.index, dtype="string")
    return out
