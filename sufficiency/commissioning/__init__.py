"""Commissioning optimiser: what to recruit, block-buy or spot-purchase under uncertainty.

Public API: :func:`load_levers`, :func:`demand_from_forecast`, :func:`optimise`,
:func:`status_quo_plan`, :func:`evaluate_plan`, :func:`compare_plans`,
:func:`optimise_pooled` (its parameters are
:class:`sufficiency.config.CommissioningParams`; and
:func:`.sensitivity.sensitivity`, from its submodule: the names coincide).
"""

from __future__ import annotations

from sufficiency.commissioning.demand import GROUPS, DemandPaths, demand_from_forecast
from sufficiency.commissioning.evaluate import Comparison, Score, compare_plans, evaluate_plan
from sufficiency.commissioning.levers import Levers, load_levers
from sufficiency.commissioning.pooled import PooledResult, optimise_pooled
from sufficiency.commissioning.solve import Plan, optimise, status_quo_plan

__all__ = [
    "GROUPS",
    "Comparison",
    "DemandPaths",
    "Levers",
    "Plan",
    "PooledResult",
    "Score",
    "compare_plans",
    "demand_from_forecast",
    "evaluate_plan",
    "load_levers",
    "optimise",
    "optimise_pooled",
    "status_quo_plan",
]
