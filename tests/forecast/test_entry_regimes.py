"""Backtests on authorities whose entries change: falling, stepped, and UASC arriving.

Each is an authority of the calibration family with one clear change in its entries
before the cutoff; the forecast must see it. Persistence ("no change") cannot, so the
model's 12-month error must be no larger, and the outcome inside its P10-P90 band.
"""

from __future__ import annotations

import pandas as pd
import pytest
from forecast_builders import FAST, regime_history

from sufficiency.forecast.backtest import backtest

pytestmark = pytest.mark.filterwarnings("ignore::sufficiency.forecast.errors.ForecastWarning")
CUTOFF = pd.Timestamp("2025-03-31")

REGIMES = {
    "falling": dict(trend_per_year=-0.25, trend_from=pd.Timestamp("2021-04-01")),
    "stepped": dict(step_at=pd.Timestamp("2024-04-01"), step_factor=1.6),
    "uasc": dict(uasc_from=pd.Timestamp("2024-07-01"), uasc_share=0.6),
}


@pytest.mark.parametrize("regime", list(REGIMES))
def test_changed_entries_beat_persistence_within_the_band(regime: str):
    """12 months on, the model's error is at most persistence's and the band covers."""
    result = backtest(regime_history(3, **REGIMES[regime]), CUTOFF, 12, FAST)
    s = result.scores
    ape = s[(s["category"] == "all") & (s["horizon_months"] == 12)].set_index("method")["ape_pct"]
    assert ape["model"] <= ape["persistence"]
    last = result.coverage.iloc[-1]
    assert last["p10"] <= last["actual"] <= last["p90"]
