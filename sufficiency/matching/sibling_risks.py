"""Siblings proposed together where one is a risk to younger children: a check the
proposal carries (``flags`` on ``matches.csv`` and the report).

Rules 11 and 14 keep a child who is a risk of sexual harm to younger children, or of
physical harm to children some years younger, from living with such a child, but never
from their own siblings (siblings are never each other's *others*,
:func:`.rules.children_conflict`): keeping a sibling group together is the duty (Children
Act 1989 s22C(8)(c)), and whether these siblings can live together is the social
worker's together-or-apart assessment, which the referral does not record. The plan may
therefore propose them in one home, and before this check said nothing of it: each such
proposal now names the siblings and the rule, on the row of the child who is the risk
and of each younger sibling with them, so the team checks the assessment before agreeing.
"""

from __future__ import annotations

import numpy as np

from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.rules import birth_days
from sufficiency.vocabulary import listed

#: What every such flag says after the children (the report may count them by it).
SIBLING_RISK = "check the siblings' together-or-apart assessment before placing them together"


def sibling_risk_flags(prob: MatchProblem, place_of_child: np.ndarray) -> np.ndarray:
    """Per child, the check its proposal carries ("" for most): where a child who is a risk
    of sexual harm to younger children (rule 11) is proposed in one home (rows of one home
    are one home) with a sibling born after them, or a child who is a risk of physical
    harm (rule 14, when on) with a sibling ``harm_physical_years_younger`` or more whole
    years younger: *"K1 is a risk of sexual harm to younger children and is proposed with
    K2, a younger sibling (rule 11 does not keep siblings apart): check ..."*."""
    n = prob.num_children
    out: list[list[str]] = [[] for _ in range(n)]
    home = prob.household_of(np.asarray(place_of_child, np.int64))
    kid = prob.referrals["child_id"].astype(str).to_numpy(object)
    born = prob.derived("_birth_days", birth_days)
    age = prob.child_age_years
    gap = prob.harm_physical_years_younger
    physical = prob.child_harm_physical & (gap > 0)
    # only the groups with a child who is such a risk (most nights: none of them)
    risky = (prob.child_harm_sexual | physical) & (prob.child_group >= 0)
    for g in np.unique(prob.child_group[risky]).tolist():
        members = np.nonzero((prob.child_group == g) & (home >= 0))[0]
        for c in members.tolist():
            with_c = [o for o in members.tolist() if o != c and home[o] == home[c]]
            risks: list[tuple[list[int], str, str, int]] = []
            if prob.child_harm_sexual[c]:
                younger = [o for o in with_c if born[o] > born[c]]
                risks.append((younger, "sexual harm to younger children", "younger", 11))
            if physical[c]:
                younger = [o for o in with_c if age[o] <= age[c] - gap]
                risks.append((younger, "physical harm to younger children",
                              f"{gap} or more years younger", 14))  # fmt: skip
            for younger, risk, how, rule in (r for r in risks if r[0]):
                names = listed([str(kid[o]) for o in younger])
                whom = f"{'a ' * (len(younger) == 1)}{how} sibling{'s' * (len(younger) > 1)}"
                if how != "younger":
                    whom = f"{'a sibling' if len(younger) == 1 else 'siblings'} {how}"
                text = (
                    f"{kid[c]} is a risk of {risk} and is proposed with {names}, {whom} "
                    f"(rule {rule} does not keep siblings apart): {SIBLING_RISK}"
                )
                for o in [c, *younger]:
                    out[o].append(text)
    return np.array(["; ".join(said) for said in out], dtype=object)


def flags_added(flags: np.ndarray, more: np.ndarray) -> np.ndarray:
    """Each child's ``flags`` with its ``more`` after them ("; " between; "" when none)."""
    both = (flags != "") & (more != "")
    return np.where(both, flags + "; " + more, np.where(more != "", more, flags))
