"""Tiny named fixtures for the commissioning optimiser."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from sufficiency.commissioning.demand import GROUPS, DemandPaths
from sufficiency.commissioning.levers import Levers, parse_levers
from sufficiency.config import CommissioningParams
from sufficiency.forecast.result import ForecastResult
from sufficiency.forecast.states import AGE_BANDS, CATEGORIES

START = pd.Timestamp("2026-03-31")


def month_ends(months: int) -> pd.DatetimeIndex:
    """``months + 1`` month ends from the start date."""
    return pd.date_range(START, periods=months + 1, freq="ME")


def tiny_levers_data() -> dict[str, Any]:
    """One lever of each kind, small caps: a case small enough to enumerate."""
    return {
        "spot": {
            "foster_weekly_gbp": 900.0,
            "residential_weekly_gbp": 6000.0,
            "residential_high_cost_share": 0.1,
            "residential_high_cost_weekly_gbp": 12000.0,
        },
        "recruit": [
            {
                "group": "foster_10_15",
                "recruitment_cost_gbp": 20000.0,
                "months_to_approval": 3,
                "attrition_per_year": 0.2,
                "places_per_household": 1.5,
                "max_households_per_year": 2,
                "support_cost_gbp_per_household_year": 3000.0,
                "weekly_cost_gbp": 600.0,
            }
        ],
        "fee_uplift": {
            "weekly_gbp_per_household": 5.0,
            "existing_households": 10,
            "extra_households_per_year": 1,
        },
        "block": [
            {
                "name": "ifa",
                "group": "foster_10_15",
                "weekly_price_gbp": 800.0,
                "contract_years": 2,
                "min_places": 1,
                "max_places": 3,
            }
        ],
        "home": {
            "setup_cost_gbp": 100000.0,
            "beds": 2,
            "running_cost_gbp_per_year": 560000.0,
            "lead_time_months": 6,
            "max_homes": 1,
        },
    }


@pytest.fixture()
def tiny_levers() -> Levers:
    """Levers of :func:`tiny_levers_data`."""
    return parse_levers(tiny_levers_data())


@pytest.fixture()
def tiny_params() -> CommissioningParams:
    """Two-year horizon, exact MIP gap, one sensitivity step."""
    return CommissioningParams(horizon_months=24, mip_gap=0.0, sensitivity_steps=(0.1,))


def make_demand(num_paths: int, months: int, seed: int) -> DemandPaths:
    """Random integer demand in foster_10_15 (0-6) and residential (0-5); zero elsewhere."""
    rng = np.random.default_rng(seed)
    d = np.zeros((num_paths, months, len(GROUPS)), dtype=np.int64)
    g10 = list(GROUPS).index("foster_10_15")
    d[:, :, g10] = rng.integers(0, 7, size=(num_paths, months))
    d[:, :, -1] = rng.integers(0, 6, size=(num_paths, months))
    return DemandPaths(month_ends(months), tuple(GROUPS), d, np.zeros(len(GROUPS), int), seed)


@pytest.fixture()
def tiny_demand() -> DemandPaths:
    """Eight random paths over two years: uncertainty the plan must hedge."""
    return make_demand(8, 24, seed=1)


def make_forecast(num_paths: int, months: int, seed: int) -> ForecastResult:
    """A synthetic forecast result (random stock) with the real category/age axes."""
    rng = np.random.default_rng(seed)
    shape = (num_paths, months + 1, len(CATEGORIES), len(AGE_BANDS))
    stock = rng.integers(0, 8, size=shape).astype(np.int32)
    stock[:, 0] = stock[0, 0]
    flows = np.zeros(shape[:3], dtype=np.int32)
    return ForecastResult(
        month_ends=month_ends(months),
        categories=tuple(CATEGORIES),
        age_bands=tuple(AGE_BANDS),
        stock=stock,
        starts=flows,
        entries=flows,
        exits=flows,
        history_month_ends=pd.DatetimeIndex([]),
        history_stock=np.zeros((0, *shape[2:])),
        scenario="base",
        seed=seed,
    )
