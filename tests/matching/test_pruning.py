"""The duality and dominance facts candidate pruning relies on."""

from __future__ import annotations

import numpy as np
import pytest
from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)

from sufficiency.config import MatchingParams
from sufficiency.matching import available_backends, build_problem, generate_candidates
from sufficiency.matching.backends import solve_lp
from sufficiency.matching.costs import pair_cost
from sufficiency.matching.formulation import build_model
from sufficiency.matching.pruning import undominated


def crowded_problem():  # type: ignore[no-untyped-def]
    """Five children, two of them siblings, wanting the same few cheap local homes."""
    refs = referrals_frame([
        referral("C1", sibling_group="G", age=9), referral("C2", sibling_group="G", age=7),
        referral("C3", age=12), referral("C4", age=5, alongside="solo"), referral("C5", age=15),
    ])  # fmt: skip
    spots = list(POSTCODES.values())
    plcs = placements_frame([
        placement(f"P{j}", postcode=spots[j % len(spots)], vacancies=1 + j % 2,
                  weekly_cost=500.0 + 40 * j)
        for j in range(8)
    ])  # fmt: skip
    return build_problem(refs, plcs, RUN_DATE)


@pytest.mark.parametrize("backend", [b for b in available_backends() if b != "cbc"])
def test_lp_duals_price_every_column_non_negative(backend: str) -> None:
    """At the LP optimum, reduced costs obj - A.T @ duals are non-negative on every column."""
    prob = crowded_problem()
    cands = generate_candidates(prob)
    cost = pair_cost(prob, cands.child, cands.place, MatchingParams().weights)
    model = build_model(prob, cands.child, cands.place, cost, MatchingParams()).relaxation()
    lp = solve_lp(backend, model)
    at = np.zeros(model.num_vars)
    np.add.at(at, model.a_col, model.a_val * lp.row_duals[model.a_row])
    reduced = model.obj - at
    assert reduced.min() >= -1e-6
    assert lp.objective == pytest.approx(float(model.obj @ lp.values), rel=1e-9)


def test_undominated_keeps_as_many_cheaper_options_as_there_are_children() -> None:
    """Two placeable children: each keeps its two cheapest pairs, and those within the slack."""
    child = np.array([0, 0, 0, 0, 1, 1, 1])
    place = np.array([0, 1, 2, 3, 0, 1, 2])
    cost = np.array([10.0, 20.0, 30.0, 40.0, 5.0, 6.0, 7.0])
    plain = undominated(child, place, cost, 3, np.zeros(3))
    assert plain.tolist() == [True, True, False, False, True, True, False]
    # child 0 has siblings: a pair is dropped only when two others are 15 or more cheaper
    slack = undominated(child, place, cost, 3, np.array([15.0, 0.0, 0.0]))
    assert slack.tolist() == [True, True, True, False, True, True, False]
    together = undominated(child, place, cost, 3, np.array([np.inf, 0.0, 0.0]))
    assert together[:4].all()
