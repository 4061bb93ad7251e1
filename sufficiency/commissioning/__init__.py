"""Commissioning optimiser: what to recruit, block-buy or spot-purchase under uncertainty.

Public API: :func:`load_levers`, :func:`demand_from_forecast`, :func:`optimise`,
:func:`status_quo_plan`, :func:`evaluate_plan`, :func:`compare_plans`,
:func:`optimise_pooled`, :class:`CommissioningParams` (and
:func:`.sensitivity.sensitivity`, from its submodule: the names coincide).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sufficiency.commissioning.demand import GROUPS, DemandPaths, demand_from_forecast
    from sufficiency.commissioning.evaluate import Comparison, Score, compare_plans, evaluate_plan
    from sufficiency.commissioning.levers import Levers, load_levers
    from sufficiency.commissioning.params import CommissioningParams
    from sufficiency.commissioning.pooled import PooledResult, optimise_pooled
    from sufficiency.commissioning.solve import Plan, optimise, status_quo_plan

#: Where each public name lives; imported on first use, so that reading the
#: configuration (which needs only :mod:`.params`) does not load the optimiser.
_HOME = {
    "GROUPS": "demand", "DemandPaths": "demand", "demand_from_forecast": "demand",
    "Comparison": "evaluate", "Score": "evaluate", "compare_plans": "evaluate",
    "evaluate_plan": "evaluate", "Levers": "levers", "load_levers": "levers",
    "CommissioningParams": "params", "PooledResult": "pooled", "optimise_pooled": "pooled",
    "Plan": "solve", "optimise": "solve",
    "status_quo_plan": "solve",
}  # fmt: skip

__all__ = [
    "GROUPS",
    "CommissioningParams",
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


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"sufficiency.commissioning.{_HOME[name]}"), name)
    raise AttributeError(name)
