"""Backtest the forecast on several synthetic authorities, not just the bundled one.

The bundled sample is one draw of a random process; whether the forecast beats
persistence on nine of its quarter ends depends partly on luck. This generates other
authorities from the same generator (``sufficiency sample`` with other seeds) into a
temporary folder and backtests each at month ends from 31 March 2023 to 31 March 2025
(every ``--step`` months), printing each authority's mean absolute percentage error
of the total at 3 and 12 months for our model, persistence and stock-and-flow, with
the P10-P90 coverage. Takes 10-20 s per authority: the default eight took 2 min 13 s
(88 s of CPU) on the shared 2-core machine on December 5, 2026.

Run: .venv/bin/python benchmarks/forecast/backtest_many.py [--seeds 1 2 3 4 5 6 7 8]
     [--cache DIR] [--param NAME=VALUE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

import pandas as pd
from bench_args import out_folder, random_seed, run, whole
from param_option import add_param_option, forecast_params, param_update

from sufficiency.errors import DataWarning
from sufficiency.forecast.backtest import backtest
from sufficiency.io.ssda903 import read_ssda903
from sufficiency.sample.generate import generate_sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=random_seed, nargs="+", default=[1, 2, 3, 4, 5, 6, 7, 8])
    parser.add_argument("--step", type=whole(1), default=2, help="months between cutoffs")
    parser.add_argument("--paths", type=int, default=200)
    parser.add_argument("--cache", type=out_folder, help="keep the generated authorities here")
    add_param_option(parser)
    args = parser.parse_args()
    options = {"num_paths": "--paths"}
    update = param_update(parser, args, options)
    warnings.simplefilter("ignore", DataWarning)
    cutoffs = list(pd.date_range("2023-03-31", "2025-03-31", freq="ME")[:: args.step])
    params = forecast_params(parser, options, num_paths=args.paths, **update)
    rows: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            folder = (args.cache or Path(tmp)) / str(seed)
            if not (folder / "ssda903").exists():
                generate_sample(seed, folder)
            history = read_ssda903(folder / "ssda903")
            s = backtest(history, cutoffs, 12, params).summary().set_index("horizon_months")
            row: dict[str, float] = {}
            for h in (3, 12):
                for method in ("model", "persistence", "stock_flow"):
                    row[f"{method}_{h}m"] = s.loc[h, method]
            row["coverage"] = s["p10_p90_coverage_pct"].iloc[0]
            rows[f"seed {seed}"] = row
            print(f"seed {seed} done", flush=True)
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.loc["mean"] = table.mean()
    pd.set_option("display.width", 140)
    print("Mean absolute percentage error of the total (%) and P10-P90 coverage (%):")
    print(table.round(2).to_string())


if __name__ == "__main__":
    run(main)
