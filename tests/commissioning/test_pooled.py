"""Several authorities: pooling never costs more on the paths it was optimised on."""

from __future__ import annotations

import pytest

from sufficiency.commissioning.pooled import optimise_pooled, pooled_demand
from sufficiency.errors import ConfigError

from .conftest import make_demand


def test_pooled_is_no_dearer_in_sample(tiny_levers, tiny_params):
    """The members' alone plans together are feasible pooled, so pooling costs no more."""
    demands = [make_demand(8, 24, seed=s) for s in (1, 2, 3)]
    fresh = [make_demand(8, 24, seed=s) for s in (11, 12, 13)]
    result = optimise_pooled(demands, fresh, tiny_levers, tiny_params)
    alone = sum(p.objective_gbp for p in result.alone_plans)
    assert result.pooled_plan.objective_gbp <= alone + 1e-6 * alone
    assert len(result.alone_scores) == 3
    assert result.saving_gbp == pytest.approx(
        result.alone_cost_gbp - result.pooled_score.expected_cost_gbp
    )


def test_pooled_raises_mismatched_paths():
    """Members must share the start date, horizon and number of paths."""
    with pytest.raises(ConfigError, match="same start date"):
        pooled_demand([make_demand(8, 24, 1), make_demand(5, 24, 2)])
