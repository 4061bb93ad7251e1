"""Benchmark the commissioning optimiser on the sample authority.

Run from the repository root::

    .venv/bin/python benchmarks/commissioning/bench_commission.py [--paths 1000]

1. One authority: 1,000 demand paths over 5 years (floor: solve in < 60 s), and the
   three out-of-sample figures (stochastic plan, status quo, central-forecast plan) on
   1,000 fresh paths with the value of planning for uncertainty.
2. Five authorities (the sample's fitted model simulated with five seeds, demand scaled
   by 0.6, 0.8, 1.0, 1.25 and 1.5) commissioning alone and pooled — block contracts
   shared, recruitment and homes each member's own — (floor: < 5 minutes), with each
   member's cost alone, its share of the pooled cost and its saving on fresh paths.
   With ``--own-prices`` each member buys on its own levers: spot prices scaled by
   0.85, 0.95, 1.0, 1.1 and 1.25 and in-house running costs by 1.1, 1.0, 1.0, 0.95 and
   0.9 (distinct prices for every member: the pooled model's most layers).

Forecast simulation time is reported separately from optimisation time.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

from bench_args import run, settings

from sufficiency.commissioning import (
    DemandPaths,
    Levers,
    compare_plans,
    demand_from_forecast,
    load_levers,
    optimise,
    optimise_pooled,
    status_quo_plan,
)
from sufficiency.commissioning.sensitivity import scale_spot
from sufficiency.config import CommissioningParams, ForecastParams
from sufficiency.forecast.estimate import fit_model
from sufficiency.forecast.projection import default_start, forecast_from_spells
from sufficiency.forecast.scenario import BASE
from sufficiency.forecast.states import build_spells
from sufficiency.io.ssda903 import read_ssda903

ROOT = Path(__file__).resolve().parents[2]
SCALES = (0.6, 0.8, 1.0, 1.25, 1.5)
#: ``--own-prices``: each member's spot and in-house running prices, relative to the sample's.
SPOT_SCALES = (0.85, 0.95, 1.0, 1.1, 1.25)
RUNNING_SCALES = (1.1, 1.0, 1.0, 0.95, 0.9)


def own_levers(levers: Levers, spot: float, running: float) -> Levers:
    """``levers`` with every spot price times ``spot`` and carers' weekly cost times ``running``."""
    recruit = tuple(
        r.model_copy(update={"weekly_cost_gbp": r.weekly_cost_gbp * running})
        for r in levers.recruit
    )
    return scale_spot(levers, spot).model_copy(update={"recruit": recruit})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--solver", choices=("highs", "cbc", "ortools"), default="highs")
    parser.add_argument("--own-prices", action="store_true", help="each member its own prices")
    parser.add_argument("--pooled-only", action="store_true", help="skip the one-authority part")
    args = parser.parse_args()
    # the forecast paths are drawn below with these (at least 10): checked before the work
    settings(parser, ForecastParams, {"num_paths": "--paths", "seed": "--seed"},
             horizon_months=60, num_paths=args.paths, seed=args.seed)  # fmt: skip
    params = settings(
        parser, CommissioningParams, {"num_paths": "--paths", "eval_paths": "--paths",
                                      "seed": "--seed"},
        num_paths=args.paths, eval_paths=args.paths, seed=args.seed, solver=args.solver,
    )  # fmt: skip
    levers = load_levers(ROOT / "data/sample/levers.toml")
    warnings.simplefilter("ignore")
    care = build_spells(read_ssda903(ROOT / "data/sample/ssda903"))
    start = default_start(care)

    t = time.perf_counter()
    model = None
    demands = {}
    for s in (params.seed, params.eval_seed, *range(100, 105), *range(200, 205)):
        fp = ForecastParams(horizon_months=60, num_paths=args.paths, seed=s)
        model = model or fit_model(care, start, fp)
        demands[s] = demand_from_forecast(
            forecast_from_spells(care, fp, start, BASE, model=model), 60
        )
    print(f"forecast paths simulated in {time.perf_counter() - t:.1f} s (not counted below)")

    demand, fresh = demands[params.seed], demands[params.eval_seed]
    if not args.pooled_only:
        one_authority(demand, fresh, levers, params)
    members = [demands[100 + i].scaled(k) for i, k in enumerate(SCALES)]
    members_fresh = [demands[200 + i].scaled(k) for i, k in enumerate(SCALES)]
    each = None
    if args.own_prices:
        each = [own_levers(levers, s, r) for s, r in zip(SPOT_SCALES, RUNNING_SCALES, strict=True)]
    t = time.perf_counter()
    pooled = optimise_pooled(members, members_fresh, levers, params, member_levers=each)
    pool_s = time.perf_counter() - t
    print(
        f"\n5 authorities alone + pooled{' (each on its own prices)' if each else ''}: "
        f"{pool_s:.1f} s (pooled cutting planes "
        f"{pooled.solve.runtime_seconds:.1f} s, {pooled.solve.rounds} round(s), "
        f"{pooled.solve.status}, gap {pooled.solve.gap:.1e}); floor < 300 s"
    )
    print(f"out of sample ({members_fresh[0].num_paths:,} fresh paths per member):")
    table = pooled.table()
    table.insert(1, "demand", [*(f"x{k}" for k in SCALES), ""])
    table["saving_pct"] = table["saving_pct"].map(lambda v: f"{100 * v:.2f}%")
    print(table.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    print(f"  saving from pooling £{pooled.saving_gbp:,.0f}")


def one_authority(
    demand: DemandPaths, fresh: DemandPaths, levers: Levers, params: CommissioningParams
) -> None:
    """Optimise one authority and compare its plans out of sample."""
    t = time.perf_counter()
    plan = optimise(demand, levers, params)
    solve_s = time.perf_counter() - t
    print(
        f"\n1 authority, {demand.num_paths:,} paths x {demand.horizon_months} months: "
        f"solved in {solve_s:.1f} s ({plan.status}, {plan.solver}); floor < 60 s"
    )
    central = optimise(demand.central(), levers, params, name="central forecast")
    quo = status_quo_plan(demand, levers, params)
    c = compare_plans(plan, central, quo, fresh, levers)
    print(f"out of sample ({fresh.num_paths:,} fresh paths, seed {fresh.seed}), expected cost:")
    for s in (c.stochastic, c.status_quo, c.central):
        print(
            f"  {s.name:<18} £{s.expected_cost_gbp:>14,.0f}  (P10 £{s.p10_cost_gbp:,.0f}, "
            f"P90 £{s.p90_cost_gbp:,.0f})"
        )
    print(f"  saving vs status quo          £{c.saving_vs_status_quo_gbp:,.0f}")
    print(f"  value of planning for uncertainty £{c.value_of_planning_gbp:,.0f}")


if __name__ == "__main__":
    run(main)
