"""Hard rules, applied to every child-placement pair before any solver variable exists.

Rules that involve one child and one placement (its current household included)
are evaluated here, vectorised over blocks of children against all placements.
Rules between two referred children sharing a placement (who they live
alongside, harm to younger children) are pairwise conflicts: see
:func:`children_conflict`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sufficiency.config import MatchingParams
from sufficiency.matching.problem import MatchProblem

#: Hard rules as (code, short description for a social worker), in report order.
RULES: tuple[tuple[str, str], ...] = (
    ("capacity", "has no vacancy"),
    ("fostering_limit", "would exceed the usual fostering limit of three"),
    ("age", "does not take the child's age (supported accommodation is for 16-17)"),
    ("setting", "is a setting marked unsuitable (or not residential under a DoLO)"),
    ("sex", "does not accept the child's sex"),
    ("risks", "excludes one of the child's risks"),
    ("pets", "does not meet the child's pets requirement"),
    ("communication", "does not meet the child's communication needs"),
    ("adaptations", "is not adapted"),
    ("alongside", "has current children the child cannot live alongside"),
    ("harm_sexual", "has younger children (or children of unknown age)"),
    ("availability", "is not available by the date needed"),
)
RULE_CODES: tuple[str, ...] = tuple(code for code, _ in RULES)
RULE_TEXT: dict[str, str] = dict(RULES)
_MAX_BLOCK_PAIRS = 2_000_000


@dataclass(frozen=True, eq=False)
class Candidates:
    """Child-placement pairs that break no single-pair hard rule (all of them, or those
    an optimal plan or the greedy baseline could need, see :func:`generate_candidates`).

    Attributes
    ----------
    child, place
        Row indices into the problem's sorted referrals and placements, sorted
        by child then placement.
    excluded_counts
        ``(num_children, len(RULES))``: how many placements each rule excludes
        for each child (a placement breaking two rules counts under both).
    num_suitable
        How many placements meet every single-pair rule for each child (more than
        the pairs held when provably unneeded pairs were dropped).
    """

    child: np.ndarray
    place: np.ndarray
    excluded_counts: np.ndarray
    num_suitable: np.ndarray

    @property
    def num_pairs(self) -> int:
        """Number of candidate pairs."""
        return len(self.child)


def rule_breaks(prob: MatchProblem, ci: np.ndarray, pi: np.ndarray) -> np.ndarray:
    """Which rules each pair breaks, shape ``(len(RULES), *broadcast(ci, pi).shape)``.

    ``ci`` and ``pi`` are index arrays that broadcast against each other.
    """
    r, p = prob.referrals, prob.placements
    age = prob.child_age_years[ci]
    setting = p["setting"].to_numpy(object)[pi]
    foster = setting == "foster"
    current = p["current_children"].to_numpy(np.int64)[pi]
    suit = np.select(
        [setting == "foster", setting == "residential"],
        [
            r["foster_suitability"].to_numpy(object)[ci],
            r["residential_suitability"].to_numpy(object)[ci],
        ],
        r["supported_suitability"].to_numpy(object)[ci],
    )
    supported = setting == "supported"
    psex = p["sex"].to_numpy(object)[pi]
    pets = r["pets"].to_numpy(object)[ci]
    has_pets = p["has_pets"].to_numpy(bool)[pi]
    along = r["alongside"].to_numpy(object)[ci]
    known = prob.place_ages_known[pi]
    lo, hi = prob.place_min_age[pi], prob.place_max_age[pi]
    none_there = current == 0
    harm_sexual = prob.child_harm_sexual[ci]
    vac = p["vacancies"].to_numpy(np.int64)[pi]
    breaks = [
        vac <= 0,
        foster & (current >= 3),
        (age < p["age_min"].to_numpy(np.int64)[pi])
        | (age > p["age_max"].to_numpy(np.int64)[pi])
        | (supported & ((age < 16) | (age > 17))),
        (suit == "unsuitable") | (r["dolo"].to_numpy(bool)[ci] & (setting != "residential")),
        (psex != "any") & (psex != r["sex"].to_numpy(object)[ci]),
        (prob.child_risk_bits[ci] & prob.place_exclusion_bits[pi]) != 0,
        ((pets == "no") & has_pets) | ((pets == "must") & ~has_pets),
        (prob.child_comm_bits[ci] & ~prob.place_comm_bits[pi]) != 0,
        r["adaptations"].to_numpy(bool)[ci] & ~p["adapted"].to_numpy(bool)[pi],
        ((along == "solo") & ~none_there)
        | ((along == "only_older") & ~none_there & ~(known & (lo > age)))
        | ((along == "only_younger") & ~none_there & ~(known & (hi < age))),
        harm_sexual & ~none_there & ~(known & (lo >= age)),
        prob.place_available_days[pi] > prob.child_needed_days[ci],
    ]
    return np.stack(np.broadcast_arrays(*breaks))


def generate_candidates(prob: MatchProblem, params: MatchingParams | None = None) -> Candidates:
    """Apply the single-pair hard rules to every child against every placement.

    Work is done in blocks of children so memory stays bounded at national scale.
    With ``params``, each block keeps only the pairs an optimal plan or the greedy
    baseline could need (:func:`~sufficiency.matching.pruning.undominated` with every
    referred child counted as a competitor, and each child's first placements in the
    greedy order), so memory grows with the children, not children x placements.
    """
    from sufficiency.matching.costs import pair_cost
    from sufficiency.matching.greedy import greedy_order
    from sufficiency.matching.pruning import dominance_slack, undominated

    n_c, n_p = prob.num_children, prob.num_placements
    counts = np.zeros((n_c, len(RULES)), dtype=np.int64)
    suitable = np.zeros(n_c, dtype=np.int64)
    kids: list[np.ndarray] = []
    places: list[np.ndarray] = []
    block = max(1, _MAX_BLOCK_PAIRS // max(n_p, 1))
    all_p = np.arange(n_p)[None, :]
    slack = None if params is None else dominance_slack(prob, params)
    for start in range(0, n_c, block):
        ci = np.arange(start, min(start + block, n_c))[:, None]
        br = rule_breaks(prob, ci, all_p)  # (rules, block, places)
        counts[ci[:, 0]] = br.sum(axis=2).T
        ok_c, ok_p = np.nonzero(~br.any(axis=0))
        kid = ci[ok_c, 0]
        suitable[ci[:, 0]] = np.bincount(ok_c, minlength=len(ci))
        if params is not None and slack is not None and len(kid) > len(ci) * n_c:
            cost = pair_cost(prob, kid, ok_p, params.weights)
            need = undominated(kid, ok_p, cost, n_c, slack, competitors=n_c)
            need |= greedy_order(prob, kid, ok_p)[1] < n_c
            kid, ok_p = kid[need], ok_p[need]
        kids.append(kid)
        places.append(ok_p)
    child = np.concatenate(kids) if kids else np.empty(0, np.int64)
    place = np.concatenate(places) if places else np.empty(0, np.int64)
    return Candidates(child.astype(np.int64), place.astype(np.int64), counts, suitable)


def children_conflict(prob: MatchProblem, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """True where children ``a`` and ``b`` may not share a placement (rules 10-11).

    Siblings are never each other's *others*, so siblings never conflict.
    """
    r = prob.referrals
    along = r["alongside"].to_numpy(object)
    hs = prob.child_harm_sexual
    age = prob.child_age_years
    grp = prob.child_group
    siblings = (grp[a] >= 0) & (grp[a] == grp[b])

    def one_way(c: np.ndarray, o: np.ndarray) -> np.ndarray:
        return (
            (along[c] == "solo")
            | ((along[c] == "only_older") & ~(age[o] > age[c]))
            | ((along[c] == "only_younger") & ~(age[o] < age[c]))
            | (hs[c] & (age[o] < age[c]))
        )

    return ~siblings & (one_way(a, b) | one_way(b, a))
