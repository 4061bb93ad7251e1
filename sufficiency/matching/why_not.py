"""Why an alternative cheaper for the child than their proposal was not chosen.

An option in ``alternatives.csv`` with ``extra_cost_gbp < 0`` costs the child less
than the proposal. The reasons are read from the plan itself, never guessed: the
placement's places go to named children, the move would split a sibling group (or
break ``siblings = "together"``), or a child placed there may not live with this
one. If none applies the plan as a whole is cheaper (knock-on effects), or, when the
plan is not proven optimal, nothing stops the option. Children are named by ID only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.matching.decisions import conflict_rule, rule_label
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.rules import children_conflict
from sufficiency.matching.solver import MatchResult

KNOCK_ON = (
    "Nothing in the plan stops it on its own: the plan as a whole is cheaper this way "
    "(moving the child would cost other children more, knock-on effects)."
)
NOT_PROVEN = (
    "Nothing in the plan stops it: the plan is not proven optimal (see the summary), "
    "so this option may be worth considering."
)


def _names(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


def plan_reasons(
    prob: MatchProblem, result: MatchResult, c: int, p: int, together: bool
) -> list[tuple[str, str]]:
    """What in the plan stops child ``c`` going to placement ``p``, each as a kind
    (``taken``: its places go to others; ``conflict``: a child placed there may not live
    with this one; ``siblings``: it would split the sibling group) and a sentence."""
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
            ("taken", f"{places[0].upper()}{places[1:]} to {_names(named)} in the plan.")
        )
    if there:
        bad = children_conflict(prob, np.full(len(there), c), np.array(there))
        for o in np.array(there)[bad].tolist():
            reasons.append((
                "conflict",
                f"{kid[o]} is placed there and may not live with this child: "
                f"{rule_label(conflict_rule(prob, c, o))}.",
            ))  # fmt: skip
    placed_sibs = [int(s) for s in sibs if where[s] >= 0]
    if placed_sibs:
        before = {int(where[s]) for s in placed_sibs} | (
            {int(where[c])} if where[c] >= 0 else set()
        )
        after = {int(where[s]) for s in placed_sibs} | {p}
        if len(after) > len(before) or (together and len(after) > 1):
            at = sorted({f"{kid[s]} at {pid[where[s]]}" for s in placed_sibs if where[s] != p})
            reasons.append(("siblings", f"It would split the sibling group ({_names(at)})."))
    return reasons


def why_not(prob: MatchProblem, result: MatchResult, c: int, p: int, together: bool) -> str:
    """Why child ``c`` is not at placement ``p`` in the plan, in a sentence or two."""
    reasons = plan_reasons(prob, result, c, p, together)
    if reasons:
        return " ".join(text for _, text in reasons)
    return KNOCK_ON if result.status.value == "optimal" else NOT_PROVEN


def add_why_not(
    prob: MatchProblem, result: MatchResult, alternatives: pd.DataFrame, together: bool
) -> pd.DataFrame:
    """``alternatives`` with a ``why_not`` column: a reason for every option cheaper for
    the child than their proposal (``extra_cost_gbp < 0``), blank for the others."""
    out = alternatives.copy()
    kid_row = {str(c): i for i, c in enumerate(prob.referrals["child_id"])}
    place_row = {str(p): i for i, p in enumerate(prob.placements["placement_id"])}
    texts: list[object] = []
    for child, place, extra in zip(
        out["child_id"], out["placement_id"], out["extra_cost_gbp"], strict=True
    ):
        if extra < 0:
            texts.append(why_not(prob, result, kid_row[str(child)], place_row[str(place)],
                                 together))  # fmt: skip
        else:
            texts.append(None)
    out["why_not"] = pd.Series(texts, index=out.index, dtype="string")
    return out
