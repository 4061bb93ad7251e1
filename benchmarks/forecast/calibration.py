"""Calibrate the forecast's bands on a family of authorities it was not tuned on.

Backtests (12-month horizon) the forecast on synthetic authorities from
:mod:`sufficiency.forecast.family`: sizes from about 40 to 3,000 children looked after,
entries steady, rising, falling, stepped, joined by UASC, or rising then falling, with
legal statuses, returns to care and the 903's code changes. For each authority and
overall it prints the P10-P90 coverage of the monthly total (months 1-12, as
``BacktestResult.coverage``), the coverage at 12 months alone, and the mean 12-month
absolute percentage error of the total for our model, persistence (no change) and the
stock-and-flow baseline.

Two sets of seeds: *development* seeds (0-35), on which the band width was tuned, and
*held-out* seeds (1000-1035), kept for reporting. Each regime has six authorities in
each set. Also printed: the mean interval score of the P10-P90 band (its width plus
ten times any miss, as a percentage of the actual total), a proper score that the
true P10 and P90 minimise, used to tune the band on development seeds. Cutoffs every six months from
31 March 2023 to 31 March 2025; 200 paths. Both sets (the default) take about 2 minutes
with ``--jobs 2`` (authorities in two processes) on two free cores, as docs/forecast.md
measured them, and about twice that on one core (the default ``--jobs 1``); ``--quick``
about 40 s with ``--jobs 2``.

Run: .venv/bin/python benchmarks/forecast/calibration.py [--set dev|held-out|both]
     [--quick] [--paths 200] [--jobs 1] [--seeds 0 1 2 ...] [--csv out.csv]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

import pandas as pd
from bench_args import out_file, random_seed, run, whole
from param_option import add_param_option, forecast_params, param_update

from sufficiency.config import ForecastParams
from sufficiency.errors import DataWarning
from sufficiency.forecast.backtest import backtest
from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.family import family_history, family_spec
from sufficiency.forecast.states import build_spells, stock_at

SETS = {"dev": list(range(36)), "held-out": list(range(1000, 1036))}
CUTOFFS = ["2023-03-31", "2023-09-30", "2024-03-31", "2024-09-30", "2025-03-31"]
QUICK_CUTOFFS = ["2023-09-30", "2024-09-30"]


def one_authority(seed: int, cutoffs: list[str], paths: int, params_update: dict) -> dict:
    """Backtest the authority of ``seed``; its scores as one row."""
    warnings.simplefilter("ignore", ForecastWarning)
    warnings.simplefilter("ignore", DataWarning)
    spec = family_spec(seed)
    history = family_history(spec)
    params = ForecastParams(num_paths=paths, **params_update)
    t0 = time.perf_counter()
    result = backtest(history, list(pd.to_datetime(cutoffs)), 12, params)
    s = result.scores
    tot = s[(s["category"] == "all") & (s["horizon_months"] == 12)]
    ape = tot.groupby("method")["ape_pct"].mean()
    cov = result.coverage
    last = cov.groupby("cutoff").tail(1)
    # interval score of the P10-P90 band (Gneiting and Raftery 2007), % of the actual:
    # its width plus 10 times any miss; lowest in expectation for the true P10 and P90
    miss = (cov["p10"] - cov["actual"]).clip(lower=0) + (cov["actual"] - cov["p90"]).clip(lower=0)
    score = (cov["p90"] - cov["p10"] + miss / 0.1) / cov["actual"]
    size = stock_at(build_spells(history), [pd.Timestamp(cutoffs[0])])[0].sum()
    return {
        "seed": seed,
        "regime": spec.regime,
        "in_care": int(size),
        "coverage": 100 * cov["inside"].mean(),
        "coverage_12m": 100 * last["inside"].mean(),
        "interval_score": 100 * score.mean(),
        "model_12m": ape["model"],
        "persistence_12m": ape["persistence"],
        "stock_flow_12m": ape["stock_flow"],
        "seconds": time.perf_counter() - t0,
    }


def _summary(table: pd.DataFrame) -> pd.DataFrame:
    cols = [
        "coverage",
        "coverage_12m",
        "interval_score",
        "model_12m",
        "persistence_12m",
        "stock_flow_12m",
    ]
    by_regime = table.groupby("regime")[cols].mean()
    by_regime.loc["all"] = table[cols].mean()
    by_regime["authorities"] = [*table.groupby("regime").size(), len(table)]
    by_regime["model_beats_persistence"] = [
        *table.groupby("regime").apply(lambda t: (t.model_12m <= t.persistence_12m).sum()),
        int((table.model_12m <= table.persistence_12m).sum()),
    ]
    return by_regime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", choices=["dev", "held-out", "both"], default="both")
    parser.add_argument("--seeds", type=random_seed, nargs="+", help="instead of --set")
    parser.add_argument("--quick", action="store_true", help="12 authorities a set, 2 cutoffs")
    parser.add_argument("--paths", type=int, default=200)
    parser.add_argument("--jobs", type=whole(1), default=1)
    parser.add_argument("--csv", type=out_file, help="also write the per-authority table here")
    add_param_option(parser)
    args = parser.parse_args()
    options = {"num_paths": "--paths"}
    update = param_update(parser, args, options)
    # the figures checked before any work, as the forecast checks them
    forecast_params(parser, options, num_paths=args.paths, **update)
    cutoffs = QUICK_CUTOFFS if args.quick else CUTOFFS
    if args.seeds:
        sets = {"chosen": args.seeds}
    else:
        chosen = ["dev", "held-out"] if args.set == "both" else [args.set]
        sets = {k: SETS[k][:12] if args.quick else SETS[k] for k in chosen}
    print("Command: .venv/bin/python benchmarks/forecast/calibration.py " + " ".join(sys.argv[1:]))
    print(f"Cutoffs: {', '.join(cutoffs)}; horizon 12 months; {args.paths} paths")
    pd.set_option("display.width", 160)
    t0 = time.perf_counter()
    for name, seeds in sets.items():
        jobs = [(seed, cutoffs, args.paths, update) for seed in seeds]
        if args.jobs > 1:
            with ProcessPoolExecutor(args.jobs) as pool:
                rows = list(pool.map(one_authority, *zip(*jobs, strict=True)))
        else:
            rows = [one_authority(*job) for job in jobs]
        table = pd.DataFrame(rows).set_index("seed")
        if args.csv:
            table.assign(set=name).to_csv(args.csv, mode="a", header=name == next(iter(sets)))
        print(f"\n== {name} seeds: per authority (coverage %, 12-month APE of the total %) ==")
        print(table.round(1).to_string())
        print(f"\n== {name} seeds: mean by regime and overall ==")
        print(_summary(table).round(2).to_string())
    print(f"\nTotal time {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    run(main)
