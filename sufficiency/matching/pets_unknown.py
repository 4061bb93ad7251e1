"""A check a proposal carries where the child's pets answer is not known and the home has
pets, or does not say whether it has (``flags`` on ``matches.csv``, ``alternatives.csv``
and the report).

Rule 7 keeps a child whose pets answer is ``no`` from every home that has or may have
pets, and one whose answer is ``must`` from every home without; a child whose answer is
``unknown`` (or blank, read as unknown) may go to any home, as one who ``can`` live with
pets may. Before this check such a child was proposed to a home with pets with nothing on
the proposal: a child who is allergic to dogs, or frightened of them, would be found out
on the doorstep. It stays a check, not a rule: keeping every such child from homes with
pets would leave many unplaced for an answer nobody has asked yet.
"""

from __future__ import annotations

import numpy as np

from sufficiency.matching.problem import MatchProblem, on_any_row

#: What every such flag says (page 1 counts the children whose flags hold it).
PETS_NOT_KNOWN = "can live with pets is not known"
#: The two flags' short words (before the colon, as "Next best option" shows them) and
#: endings: the home has pets (Y), or does not say (blank: it may have).
HAS_PETS = ("pets not known, home has pets", ": check before agreeing it")
MAY_HAVE_PETS = (
    "pets not known, home may have pets",
    ", and this home does not say whether it has pets: check both before agreeing it",
)


def _home_pets(prob: MatchProblem) -> tuple[np.ndarray, np.ndarray]:
    """Per placement, whether its home has pets (Y on any row) and whether it may have
    (Y, or blank, on any row): rules 7 and 13 read a home the same way."""
    home = prob.place_home
    said = prob.placements["has_pets"].astype("boolean")
    has = on_any_row(home, said.fillna(False).to_numpy(bool))
    maybe = on_any_row(home, said.fillna(True).to_numpy(bool))
    return has, maybe


def pets_unknown_flags(prob: MatchProblem, ci: np.ndarray, pi: np.ndarray) -> np.ndarray:
    """Per pair ``(ci[k], pi[k])``, *"pets not known, home has pets: whether R012 can live
    with pets is not known: check before agreeing it"* where the child's ``pets`` is
    ``unknown`` and the home has pets (``has_pets`` Y on any of its rows), or *"pets not
    known, home may have pets: whether R012 can live with pets is not known, and this
    home does not say whether it has pets: check both before agreeing it"* where it does
    not say (blank); "" for every other pair."""
    ci, pi = np.asarray(ci, np.int64), np.asarray(pi, np.int64)
    has, maybe = prob.derived("_home_pets", _home_pets)
    pets = prob.referrals["pets"].astype("string").fillna("unknown").to_numpy(object)
    kid = prob.referrals["child_id"].astype(str).to_numpy(object)
    unknown = pets[ci] == "unknown"
    out = np.full(len(ci), "", dtype=object)
    for k in np.nonzero(unknown & maybe[pi])[0].tolist():
        short, end = HAS_PETS if has[pi[k]] else MAY_HAVE_PETS
        out[k] = f"{short}: whether {kid[ci[k]]} {PETS_NOT_KNOWN}{end}"
    return out
