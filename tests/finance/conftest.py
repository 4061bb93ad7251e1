"""Finance fixtures: a forecast result built by hand, and a written spend workbook."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sufficiency.config import FinanceParams
from sufficiency.finance.report import default_costs, spend_report
from sufficiency.finance.writers import write_spend_outputs
from sufficiency.forecast.result import ForecastResult
from sufficiency.forecast.states import AGE_BANDS, CATEGORIES


def _result(
    stock_by_cat: np.ndarray, months: pd.DatetimeIndex, name: str = "base"
) -> ForecastResult:
    """A ForecastResult whose children are all in the first age band."""
    paths, m, c = stock_by_cat.shape
    stock = np.zeros((paths, m, len(CATEGORIES), len(AGE_BANDS)), dtype=np.int32)
    stock[:, :, :c, 0] = stock_by_cat
    zeros = np.zeros((paths, m, len(CATEGORIES)), dtype=np.int32)
    return ForecastResult(months, CATEGORIES, AGE_BANDS, stock, zeros, zeros, zeros,
                          pd.DatetimeIndex([]), np.zeros((0, len(CATEGORIES), len(AGE_BANDS))),
                          name, 1)  # fmt: skip


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    """A spend workbook over 24 months of random paths, with a budget and a scenario."""
    import datetime as dt

    rng = np.random.default_rng(3)
    months = pd.date_range("2026-03-31", periods=25, freq="ME")
    base = _result(rng.poisson(30, size=(200, 25, 10)).astype(np.int32), months)
    scen = _result(rng.poisson(28, size=(200, 25, 10)).astype(np.int32), months, "Fewer in care")
    budget = pd.DataFrame({"financial_year": ["2026-27", "2026-27"],
                           "cost_line": ["all", "ifa_foster"],
                           "budget_gbp": [2.0e7, 1.3e6]})  # fmt: skip
    params = FinanceParams()
    report = spend_report(base, params, costs=default_costs(params), run_date=dt.date(2026, 4, 1),
                          budget=budget, scenario=scen)  # fmt: skip
    out = tmp_path_factory.mktemp("spend")
    write_spend_outputs(report, out, dt.date(2026, 4, 1))
    return out, report
