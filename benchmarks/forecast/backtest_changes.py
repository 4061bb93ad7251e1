"""Backtest three authorities whose entries change clearly: falling, stepped, UASC arriving.

Each is a 700-child authority of the calibration family (``family.quiet_spec``: steady
entries, little noise, no drift) with one change: entries falling 25% a year from April
2021, entries up 60% from April 2024, or unaccompanied 16-17-year-olds adding 60% to
entries from July 2024. Prints the mean 12-month absolute percentage error of the
total for our model, persistence and stock-and-flow, and the P10-P90 coverage of
monthly totals, over cutoffs every six months from 31 March 2023 to 31 March 2025.
The tests (``tests/forecast/test_entry_regimes.py``) check the last cutoff of each.

Run: .venv/bin/python benchmarks/forecast/backtest_changes.py [--paths 200]
"""

from __future__ import annotations

import argparse
import warnings
from dataclasses import replace

import pandas as pd
from param_option import forecast_params

from sufficiency.forecast.backtest import backtest
from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.family import family_history, quiet_spec

CHANGES = {
    "falling 25% a year": dict(trend_per_year=-0.25, trend_from=pd.Timestamp("2021-04-01")),
    "up 60% from April 2024": dict(step_at=pd.Timestamp("2024-04-01"), step_factor=1.6),
    "UASC from July 2024": dict(uasc_from=pd.Timestamp("2024-07-01"), uasc_share=0.6),
}
CUTOFFS = ["2023-03-31", "2023-09-30", "2024-03-31", "2024-09-30", "2025-03-31"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paths", type=int, default=200)
    args = parser.parse_args()
    warnings.simplefilter("ignore", ForecastWarning)
    params = forecast_params(parser, {"num_paths": "--paths"}, num_paths=args.paths, seed=7)
    rows = {}
    for name, change in CHANGES.items():
        history = family_history(replace(quiet_spec(3), **change))
        result = backtest(history, list(pd.to_datetime(CUTOFFS)), 12, params)
        s = result.scores
        ape = s[(s["category"] == "all") & (s["horizon_months"] == 12)]
        row = ape.groupby("method")["ape_pct"].mean().to_dict()
        row["coverage"] = 100 * result.coverage["inside"].mean()
        rows[name] = row
    print("Mean 12-month APE of the total (%) and P10-P90 coverage (%):")
    print(pd.DataFrame.from_dict(rows, orient="index").round(2).to_string())


if __name__ == "__main__":
    from bench_args import run  # on the path once its sibling is imported

    run(main)
