"""The plan each solver path proposes for a small problem, for tests holding every path
to one rule: the compact model, column generation, the national path (pairs by
distance), the greedy baseline, and the legal plan and the repair from a hint putting
every child somewhere on the register's rows (as the solvers' plans may)."""

from __future__ import annotations

from typing import Any

import numpy as np

from sufficiency.config import MatchingParams
from sufficiency.matching import greedy_plan, solve
from sufficiency.matching.master import repair
from sufficiency.matching.transport import legal_plan


def plan_by_path(prob: Any, path: str, params: MatchingParams | None = None) -> np.ndarray:
    """Each child's placement (-1 unplaced) as ``path`` proposes it; a solver's plan is
    asserted optimal."""
    params = params or MatchingParams()
    if path == "greedy":
        return greedy_plan(prob, params)
    if path in ("legal_plan", "repair"):
        n, m = prob.num_children, prob.num_placements
        hint = np.arange(n) % m
        if path == "repair":
            return repair(prob, hint, np.ones(n))
        child, place = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
        return legal_plan(prob, params, hint, child, place, np.ones(n * m))
    if path == "national":
        result = solve(prob, params, spatial_above_pairs=0)
        assert result.method.startswith("column generation over pairs by distance")
    else:
        result = solve(prob, params, method=path)
    assert result.status.value == "optimal", result.message
    return result.place_of_child
