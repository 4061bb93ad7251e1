"""Benchmark pooled commissioning on many members of different sizes and shapes.

Run from the repository root::

    OMP_NUM_THREADS=1 SUFFICIENCY_SIMULATION_THREADS=1 taskset -c 1 \\
        .venv/bin/python benchmarks/commissioning/bench_pool_many.py --members 17 --paths 200

Writes ``--members`` synthetic authorities into ``--out``: all but three from
:func:`sufficiency.region.synthetic.write_region` (sizes from 40 to 1,200 children,
log-spaced), then a falling one (entries thinned to a quarter over the history), a rising
one (thinned from a third up to all) and one with every child in a children's home (its
demand in one capacity group). Each is forecast (``--paths`` paths to optimise on and as
many fresh), then commissioned alone and pooled on ``hard_levers.toml`` (every kind of
lever, contracts of up to 10 years, approval and lead times of 36 and 48 months, a block
larger than any member's demand, a block priced £1 below spot, a home dearer than spot).
Prints the time of the members' plans alone and of the pooled cutting planes, the pooled
plan's status, rounds and gap, the saving, and the process's peak memory. The forecasts
are timed apart, not counted.
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

import numpy as np
import pandas as pd
from bench_args import out_folder, positive, random_seed, run, settings, whole

from sufficiency.commissioning import load_levers, optimise_pooled
from sufficiency.commissioning.run import pool_inputs
from sufficiency.config import CommissioningParams, ForecastParams
from sufficiency.forecast.synthetic import synthetic_history
from sufficiency.io.ssda903 import SSDA903History
from sufficiency.region.synthetic import write_history, write_region

HERE = Path(__file__).resolve().parent
#: The three members of a shape of their own: falling, rising, all in children's homes.
SHAPED = ("falling", "rising", "concentrated")


def _thin(history: SSDA903History, first: float, last: float, seed: int) -> SSDA903History:
    """``history`` keeping each child with a chance rising (or falling) linearly from
    ``first`` for those entering by April 2020 to ``last`` for those entering in March 2026."""
    rng = np.random.default_rng(seed)
    ep = history.episodes
    entry = ep.groupby("CHILD")["DECOM"].min()
    t0, t1 = pd.Timestamp(2020, 4, 1), pd.Timestamp(2026, 3, 31)
    share = ((entry - t0).dt.days / (t1 - t0).days).clip(0, 1)
    keep = set(entry.index[rng.random(len(entry)) < first + (last - first) * share])
    return replace(
        history,
        episodes=ep[ep["CHILD"].isin(keep)].reset_index(drop=True),
        header=history.header[history.header["CHILD"].isin(keep)].reset_index(drop=True),
    )


def write_members(out: Path, members: int, seed: int) -> list[Path]:
    """The members' 903 folders: ``members - 3`` of the region's, then the three shaped."""
    plain = members - len(SHAPED)
    sizes = [round(math.exp(x)) for x in np.linspace(math.log(40), math.log(1200), plain)]
    write_region(out / "region", plain, seed, sizes=sizes, num_years=4)
    folders = [out / "region" / f"E99{i:06d}" / "ssda903" for i in range(1, plain + 1)]
    shaped = {
        "falling": _thin(synthetic_history(500, 4, seed=seed + 1), 1.0, 0.25, seed),
        "rising": _thin(synthetic_history(500, 4, seed=seed + 2), 0.3, 1.0, seed),
    }
    homes = synthetic_history(300, 4, seed=seed + 3)
    ep = homes.episodes.copy()
    ep["PLACE"] = pd.Series("K2", index=ep.index, dtype="string")
    ep["PLACE_PROVIDER"] = pd.Series("PR4", index=ep.index, dtype="string")
    shaped["concentrated"] = replace(homes, episodes=ep)
    for name in SHAPED:
        folders.append(write_history(shaped[name], out / name / "ssda903"))
    return folders


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=whole(5), default=17)
    parser.add_argument("--paths", type=whole(10), default=200)
    parser.add_argument("--seed", type=random_seed, default=2026)
    parser.add_argument("--time-limit", type=positive, default=120.0,
                        help="[commissioning] time_limit_seconds (default 120)")  # fmt: skip
    parser.add_argument("--out", type=out_folder, default=Path("/tmp/bench_pool_many"))
    args = parser.parse_args()
    params = settings(
        parser, CommissioningParams,
        {"num_paths": "--paths", "eval_paths": "--paths", "seed": "--seed",
         "time_limit_seconds": "--time-limit"},
        num_paths=args.paths, eval_paths=args.paths, seed=args.seed,
        time_limit_seconds=args.time_limit,
    )  # fmt: skip
    levers = load_levers(HERE / "hard_levers.toml")
    warnings.simplefilter("ignore")
    t = time.perf_counter()
    folders = write_members(args.out, args.members, args.seed)
    pool = pool_inputs(folders, ForecastParams(), params)
    print(f"{args.members} members written and forecast in {time.perf_counter() - t:.1f} s "
          "(not counted below)")  # fmt: skip
    t = time.perf_counter()
    result = optimise_pooled(pool.demands, pool.fresh, levers, params, names=pool.names)
    wall = time.perf_counter() - t
    s = result.solve
    alone = [p.runtime_seconds for p in result.alone_plans]
    print(
        f"alone and pooled: {wall:.1f} s in all; the members' {len(alone)} plans alone "
        f"{sum(alone):.1f} s to solve (longest {max(alone):.1f} s, "
        f"{sum(p.status == 'optimal' for p in result.alone_plans)} optimal); pooled "
        f"cutting planes {s.runtime_seconds:.1f} s, {s.rounds} round(s), {s.status}, "
        f"gap {s.gap:.2e}"
    )
    print(f"in sample: members alone £{sum(p.objective_gbp for p in result.alone_plans):,.0f}, "
          f"pooled £{s.objective_gbp:,.0f}, proven bound £{s.bound_gbp:,.0f}")  # fmt: skip
    pooled = result.pooled_score.expected_cost_gbp
    print(f"out of sample: alone £{result.alone_cost_gbp:,.0f}, pooled £{pooled:,.0f}, "
          f"saving £{result.saving_gbp:,.0f}")  # fmt: skip
    print(result.proof())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (resident, this process) {peak:,.0f} MiB")


if __name__ == "__main__":
    run(main)
