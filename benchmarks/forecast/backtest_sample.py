"""Backtest the forecast on the bundled sample authority at quarterly cutoffs.

Prints, for 3, 6 and 12 months ahead, the mean absolute percentage error of the total
for our model, persistence and the stock-and-flow baseline, and the P10-P90 coverage
of monthly totals.

Run: .venv/bin/python benchmarks/forecast/backtest_sample.py [--history data/sample/ssda903]
     [--param NAME=VALUE]

``--every-month`` backtests at every month end from the first to the last published
cutoff instead (25 cutoffs), a check that a result does not hang on which quarter
ends were chosen.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

import pandas as pd
from bench_args import folder, run
from param_option import add_param_option, forecast_params, param_update

from sufficiency.errors import DataWarning, InputDataError
from sufficiency.forecast.backtest import backtest
from sufficiency.io.ssda903 import read_ssda903

ROOT = Path(__file__).resolve().parents[2]
CUTOFFS = [
    "2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31", "2024-03-31",
    "2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--history", type=folder, default=ROOT / "data/sample/ssda903")
    parser.add_argument("--paths", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--every-month", action="store_true")
    add_param_option(parser)
    args = parser.parse_args()
    options = {"num_paths": "--paths", "seed": "--seed"}
    update = param_update(parser, args, options)
    params = forecast_params(parser, options,
                             num_paths=args.paths, seed=args.seed, **update)  # fmt: skip
    warnings.simplefilter("ignore", DataWarning)
    try:
        history = read_ssda903(args.history)
    except InputDataError as exc:
        parser.error(f"--history {exc}")
    cutoffs = list(pd.to_datetime(CUTOFFS))
    if args.every_month:
        cutoffs = list(pd.date_range(cutoffs[0], cutoffs[-1], freq="ME"))
    result = backtest(history, cutoffs, 12, params)
    pd.set_option("display.width", 120)
    print(f"Cutoffs: {', '.join(c.date().isoformat() for c in cutoffs)}")
    print("Mean absolute percentage error of the total (%), and P10-P90 coverage (%):")
    print(result.summary().round(2).to_string(index=False))
    s = result.scores
    per_cutoff = s[(s["category"] == "all") & (s["horizon_months"] == 12)].pivot(
        index="cutoff", columns="method", values="ape_pct"
    )
    print("\n12-month APE of the total by cutoff (%):")
    print(per_cutoff.round(2).to_string())
    by_cat = s[(s["horizon_months"] == 12) & (s["category"] != "all")]
    print("\n12-month APE by category, mean over cutoffs (%):")
    print(by_cat.groupby(["category", "method"])["ape_pct"].mean().unstack().round(1).to_string())


if __name__ == "__main__":
    run(main)
