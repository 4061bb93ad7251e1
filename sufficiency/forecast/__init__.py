"""Sufficiency forecast: demand with intervals, placement starts, supply, shortfall, backtests.

Library entry points (I/O stays in :mod:`.writers` and :mod:`.command`):

- :func:`run_forecast` -- a 903 history in, a :class:`ForecastReport` out;
- :func:`forecast_from_spells` -- the simulation alone, a :class:`ForecastResult` out;
- :func:`backtest` -- refit at cutoffs and score against what happened.
"""

from sufficiency.forecast.backtest import BacktestResult, backtest, truncate_history
from sufficiency.forecast.errors import ForecastError, ForecastWarning
from sufficiency.forecast.params import ForecastParams, load_forecast_params
from sufficiency.forecast.report import ForecastReport, run_forecast
from sufficiency.forecast.result import ForecastResult, demand_table, starts_table
from sufficiency.forecast.run import forecast_from_spells
from sufficiency.forecast.scenario import Scenario, load_scenario
from sufficiency.forecast.states import AGE_BANDS, CATEGORIES, build_spells, stock_at
from sufficiency.forecast.supply import SupplyPlan, load_supply, shortfall

__all__ = [
    "AGE_BANDS",
    "CATEGORIES",
    "BacktestResult",
    "ForecastError",
    "ForecastParams",
    "ForecastReport",
    "ForecastResult",
    "ForecastWarning",
    "Scenario",
    "SupplyPlan",
    "backtest",
    "build_spells",
    "demand_table",
    "forecast_from_spells",
    "load_forecast_params",
    "load_scenario",
    "load_supply",
    "run_forecast",
    "shortfall",
    "starts_table",
    "stock_at",
    "truncate_history",
]
