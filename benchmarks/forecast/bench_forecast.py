"""Time the forecast simulation: a 1,000-child authority, 60 months, 2,000 paths.

Target: under 3 s on one core (fit + simulate; reading files excluded), with results
identical for a seed to the simulation before it was optimised
(``tests/forecast/test_random_stream.py`` pins them).

Measured (December 2026) on the shared 2-core development machine, pinned to one core,
process CPU time, two runs each, old and new code alternating, ``uptime`` load
averages 6.0-10.9 from other work (so wall times were 14-41 s): before the speed work
10.7-13.3 s, after it 9.1-10.8 s. Not yet under the 3 s target: drawing the random
numbers alone (the same draws, in the same order, as results must not change) took
2-2.9 s of it as first measured by hand, 1.3 s by ``profile_forecast.py`` (every
generator call timed; December 6, load about 4). See docs/forecast.md, "Speed".

Run, on one core:

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 taskset -c 0 \\
        .venv/bin/python benchmarks/forecast/bench_forecast.py --repeats 3

Options: ``--children 1000 --paths 2000 --months 60``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

from bench_args import run, whole
from param_option import forecast_params

from sufficiency.config import ForecastParams
from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.projection import forecast_from_spells
from sufficiency.forecast.states import CareSpells, build_spells
from sufficiency.forecast.synthetic import synthetic_history


def add_instance_options(parser: argparse.ArgumentParser) -> None:
    """The authority's size and the run's: ``--children``, ``--paths``, ``--months``."""
    parser.add_argument("--children", type=whole(1), default=1000)
    parser.add_argument("--paths", type=int, default=2000)
    parser.add_argument("--months", type=int, default=60)


def instance(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> tuple[CareSpells, ForecastParams]:
    """The synthetic authority's care spells and the forecast's parameters (seed 1), its
    warnings silenced: what this benchmark times and ``profile_forecast.py`` profiles."""
    params = forecast_params(parser, {"num_paths": "--paths", "horizon_months": "--months"},
                             num_paths=args.paths, horizon_months=args.months, seed=1)  # fmt: skip
    warnings.simplefilter("ignore", ForecastWarning)
    return build_spells(synthetic_history(args.children, seed=1)), params


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_instance_options(parser)
    parser.add_argument("--repeats", type=whole(1), default=3)
    args = parser.parse_args()
    care, params = instance(parser, args)
    wall, cpu = [], []
    for _ in range(args.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        result = forecast_from_spells(care, params)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    in_care = int(result.stock[0, 0].sum())
    print(
        f"{in_care} children in care, {args.months} months x {args.paths} paths "
        f"(fit + simulate), over {args.repeats} runs: wall min {min(wall):.2f} s, "
        f"median {statistics.median(wall):.2f} s; process CPU min {min(cpu):.2f} s, "
        f"median {statistics.median(cpu):.2f} s"
    )


if __name__ == "__main__":
    run(main)
