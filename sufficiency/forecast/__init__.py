"""Sufficiency forecast: demand with intervals, placement starts, supply, shortfall, backtests.

Library entry points (files are written by :mod:`.writers`; the command line is
:mod:`sufficiency.commands.forecast`):

- :func:`forecast_history` -- the one forecast entry: history -> fit -> simulate base
  (and a scenario), a :class:`ForecastRun` out;
- :func:`run_forecast` -- a 903 history in, a :class:`ForecastReport` out;
- :func:`forecast_from_spells` -- the simulation alone, a :class:`ForecastResult` out;
- :func:`.backtest.backtest` -- refit at cutoffs and score against what happened (import
  it from :mod:`.backtest`: the name is also the submodule's, so the package does not
  re-export it).
"""

from __future__ import annotations

from sufficiency.config import ForecastParams
from sufficiency.forecast.backtest import BacktestResult, truncate_history
from sufficiency.forecast.errors import (
    ForecastError,
    ForecastWarning,
    history_old_opening,
    history_over_a_year_old,
    history_said_old,
    notes_kept,
)
from sufficiency.forecast.html_report import render_html
from sufficiency.forecast.projection import forecast_from_spells
from sufficiency.forecast.report import ForecastReport, assumptions_table
from sufficiency.forecast.result import ForecastResult, demand_table, starts_table
from sufficiency.forecast.run import (
    BacktestReport,
    ForecastRun,
    fit_spells,
    forecast_history,
    read_903,
    run_backtest,
    run_forecast,
    with_notes,
)
from sufficiency.forecast.scenario import BASE, Scenario, load_scenario
from sufficiency.forecast.states import (
    AGE_BANDS,
    CATEGORIES,
    LEAVING_AGE_MONTHS,
    CareSpells,
    age_months_at,
    build_spells,
    stock_at,
)
from sufficiency.forecast.supply import SupplyPlan, load_supply, shortfall

__all__ = [
    "AGE_BANDS",
    "BASE",
    "CATEGORIES",
    "LEAVING_AGE_MONTHS",
    "BacktestReport",
    "BacktestResult",
    "CareSpells",
    "ForecastError",
    "ForecastParams",
    "ForecastReport",
    "ForecastResult",
    "ForecastRun",
    "ForecastWarning",
    "Scenario",
    "SupplyPlan",
    "age_months_at",
    "assumptions_table",
    "build_spells",
    "demand_table",
    "fit_spells",
    "forecast_from_spells",
    "forecast_history",
    "history_old_opening",
    "history_over_a_year_old",
    "history_said_old",
    "load_scenario",
    "load_supply",
    "notes_kept",
    "read_903",
    "render_html",
    "run_backtest",
    "run_forecast",
    "shortfall",
    "starts_table",
    "stock_at",
    "truncate_history",
    "with_notes",
]
