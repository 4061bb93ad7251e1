"""An Ofsted judgement is the home's, not the offer's: rows of one home (the same Ofsted
URN and postcode, or one ``home_id``) that give different ``ofsted_rating`` are read the
stricter way, inadequate on every row if any row says so. Before, a home on two rows, one
rated inadequate and the other good, was proposed on its good row at no cost and with no
flag, so the team never saw the judgement its other row gave.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.matching.problem import MatchProblem, on_any_row
from sufficiency.vocabulary import listed


def rated_inadequate(placements: pd.DataFrame) -> np.ndarray:
    """Whether each placement's own ``ofsted_rating`` says inadequate (in any case)."""
    rating = placements.get("ofsted_rating", pd.Series(pd.NA, index=placements.index))
    said = rating.astype("string").str.strip().str.lower().eq("inadequate")
    return said.fillna(False).to_numpy(bool)


def home_inadequate(prob: MatchProblem) -> np.ndarray:
    """Per placement, whether any row of its home is rated inadequate."""
    return on_any_row(prob.place_home, rated_inadequate(prob.placements))


def inadequate_flags(prob: MatchProblem, flag: str) -> np.ndarray:
    """Per placement, its inadequate ``flag`` ("" where no row of its home is rated
    inadequate); on a row that is not itself so rated, naming the rows that are."""
    own = rated_inadequate(prob.placements)
    ids = prob.placements["placement_id"].astype(str).to_numpy(object)
    out = np.full(prob.num_placements, "", dtype=object)
    for p in np.nonzero(home_inadequate(prob))[0].tolist():
        if own[p]:
            out[p] = flag
            continue
        rated = np.nonzero((prob.place_home == prob.place_home[p]) & own)[0].tolist()
        out[p] = (f"{flag} (its row {listed([str(ids[q]) for q in rated])} of the register, "
                  "the same home, says inadequate)")  # fmt: skip
    return out
