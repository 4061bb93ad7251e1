"""Sufficiency forecast: demand with intervals, placement starts, supply, shortfall, backtests.

Library entry points (I/O stays in :mod:`.writers` and :mod:`.command`):

- :func:`forecast_history` -- the one forecast entry: history -> fit -> simulate base
  (and a scenario), a :class:`ForecastRun` out;
- :func:`run_forecast` -- a 903 history in, a :class:`ForecastReport` out;
- :func:`forecast_from_spells` -- the simulation alone, a :class:`ForecastResult` out;
- :func:`.backtest.backtest` -- refit at cutoffs and score against what happened (import
  it from :mod:`.backtest`: the name is also the submodule's, so the package does not
  re-export it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sufficiency.forecast.backtest import BacktestResult, truncate_history
    from sufficiency.forecast.errors import ForecastError, ForecastWarning
    from sufficiency.forecast.params import ForecastParams
    from sufficiency.forecast.projection import forecast_from_spells
    from sufficiency.forecast.report import ForecastReport
    from sufficiency.forecast.result import ForecastResult, demand_table, starts_table
    from sufficiency.forecast.run import ForecastRun, forecast_history, run_forecast
    from sufficiency.forecast.scenario import Scenario, load_scenario
    from sufficiency.forecast.states import AGE_BANDS, CATEGORIES, build_spells, stock_at
    from sufficiency.forecast.supply import SupplyPlan, load_supply, shortfall

#: Where each public name lives; imported on first use, so that reading the
#: configuration (which needs only :mod:`.params`) does not load the model.
_HOME = {
    "BacktestResult": "backtest", "truncate_history": "backtest",
    "ForecastError": "errors", "ForecastWarning": "errors", "ForecastParams": "params",
    "ForecastReport": "report", "run_forecast": "run", "forecast_history": "run",
    "ForecastRun": "run",
    "ForecastResult": "result", "demand_table": "result", "starts_table": "result",
    "forecast_from_spells": "projection", "Scenario": "scenario", "load_scenario": "scenario",
    "AGE_BANDS": "states", "CATEGORIES": "states", "build_spells": "states",
    "stock_at": "states", "SupplyPlan": "supply", "load_supply": "supply",
    "shortfall": "supply",
}  # fmt: skip

__all__ = [
    "AGE_BANDS",
    "CATEGORIES",
    "BacktestResult",
    "ForecastError",
    "ForecastParams",
    "ForecastReport",
    "ForecastResult",
    "ForecastRun",
    "ForecastWarning",
    "Scenario",
    "SupplyPlan",
    "build_spells",
    "demand_table",
    "forecast_from_spells",
    "forecast_history",
    "load_scenario",
    "load_supply",
    "run_forecast",
    "shortfall",
    "starts_table",
    "stock_at",
    "truncate_history",
]


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"sufficiency.forecast.{_HOME[name]}"), name)
    raise AttributeError(name)
