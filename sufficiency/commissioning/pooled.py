"""Several authorities (a regional care co-operative) commissioning together.

Pooled, the co-operative commissions every lever once for the members' summed demand:
a block place, a co-operative carer household or a home bed can take a child from any
member. Caps (households a year, places, homes) are the sum of the members' caps. Alone,
each member optimises its own plan on its own demand. Both are scored on fresh paths;
the saving from pooling is the sum of the members' costs alone minus the pooled cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sufficiency.commissioning.demand import DemandPaths
from sufficiency.commissioning.evaluate import Score, evaluate_plan
from sufficiency.commissioning.levers import Levers
from sufficiency.commissioning.params import CommissioningParams
from sufficiency.commissioning.solve import Plan, optimise
from sufficiency.errors import ConfigError


@dataclass(frozen=True, eq=False)
class PooledResult:
    """Plans and fresh-path scores of each member alone and of the co-operative."""

    alone_plans: tuple[Plan, ...]
    alone_scores: tuple[Score, ...]
    pooled_plan: Plan
    pooled_score: Score

    @property
    def alone_cost_gbp(self) -> float:
        """Sum of the members' expected costs commissioning alone."""
        return float(sum(s.expected_cost_gbp for s in self.alone_scores))

    @property
    def saving_gbp(self) -> float:
        """Expected saving from pooling (alone minus pooled)."""
        return self.alone_cost_gbp - self.pooled_score.expected_cost_gbp


def pool_levers(levers: Levers, num_members: int) -> Levers:
    """The co-operative's levers: member terms, caps multiplied by ``num_members``."""
    n = num_members
    recruit = tuple(
        r.model_copy(update={"max_households_per_year": r.max_households_per_year * n})
        for r in levers.recruit
    )
    block = tuple(b.model_copy(update={"max_places": b.max_places * n}) for b in levers.block)
    home = (
        levers.home.model_copy(update={"max_homes": levers.home.max_homes * n})
        if levers.home
        else None
    )
    uplift = levers.fee_uplift
    if uplift is not None:
        uplift = uplift.model_copy(
            update={
                "existing_households": uplift.existing_households * n,
                "extra_households_per_year": uplift.extra_households_per_year * n,
            }
        )
    return levers.model_copy(
        update={"recruit": recruit, "block": block, "home": home, "fee_uplift": uplift}
    )


def pooled_demand(demands: Sequence[DemandPaths]) -> DemandPaths:
    """The members' demand summed path by path (paths are paired by index)."""
    first = demands[0]
    for d in demands[1:]:
        if d.num_paths != first.num_paths or not d.month_ends.equals(first.month_ends):
            raise ConfigError("Pooled authorities need the same start date, horizon and paths.")
    total = np.sum([d.demand for d in demands], axis=0)
    existing = np.sum([d.existing_in_house for d in demands], axis=0)
    return DemandPaths(first.month_ends, first.groups, total, existing, first.seed)


def optimise_pooled(
    demands: Sequence[DemandPaths],
    fresh: Sequence[DemandPaths],
    levers: Levers,
    params: CommissioningParams,
    *,
    inflation_rate: float = 0.06,
) -> PooledResult:
    """Each member alone and the co-operative together, scored on ``fresh`` paths.

    Parameters
    ----------
    demands
        Each member's demand paths to optimise on.
    fresh
        Each member's independent paths to score on (same order).
    levers
        The lever terms every member can buy on.
    """
    if len(demands) < 2 or len(demands) != len(fresh):
        raise ConfigError("Pooling needs two or more authorities, each with fresh paths.")
    alone = [
        optimise(d, levers, params, inflation_rate=inflation_rate, name=f"alone {i + 1}")
        for i, d in enumerate(demands)
    ]
    scores = [
        evaluate_plan(p, f, levers, inflation_rate=inflation_rate)
        for p, f in zip(alone, fresh, strict=True)
    ]
    group = pool_levers(levers, len(demands))
    plan = optimise(
        pooled_demand(demands), group, params, inflation_rate=inflation_rate, name="pooled"
    )
    score = evaluate_plan(plan, pooled_demand(fresh), group, inflation_rate=inflation_rate)
    return PooledResult(tuple(alone), tuple(scores), plan, score)
