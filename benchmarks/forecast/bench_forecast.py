"""Time the forecast simulation: a 1,000-child authority, 60 months, 2,000 paths.

Target: under 10 s on a 2-core machine (fit + simulate; reading files excluded).

Run: .venv/bin/python benchmarks/forecast/bench_forecast.py [--repeats 3] [--children 1000]
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

from sufficiency.config import ForecastParams
from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.projection import forecast_from_spells
from sufficiency.forecast.states import build_spells
from sufficiency.forecast.synthetic import synthetic_history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--paths", type=int, default=2000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore", ForecastWarning)
    care = build_spells(synthetic_history(args.children, seed=1))
    params = ForecastParams(num_paths=args.paths, horizon_months=args.months, seed=1)
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        result = forecast_from_spells(care, params)
        times.append(time.perf_counter() - t0)
    in_care = int(result.stock[0, 0].sum())
    print(
        f"{in_care} children in care, {args.months} months x {args.paths} paths: "
        f"min {min(times):.2f} s, median {statistics.median(times):.2f} s "
        f"over {args.repeats} runs (fit + simulate)"
    )


if __name__ == "__main__":
    main()
