"""The optimiser against a straightforward implementation, on the same instance.

The straightforward implementation is what one would write first: every hard rule
checked pair by pair in a Python loop, every cost term computed per pair, and the
model built term by term with PuLP and solved by CBC. Its single-pair rules and pair
costs are those of ``tests/matching/reference.py`` (the tests' plain re-statement of
the issue), so it shares only the postcode directory with the product. Both run end
to end (from the input tables to a plan) and the benchmark prints their times and
objectives.

Usage (from the repository root)::

    .venv/bin/python benchmarks/matching/bench_straightforward.py --children 60 --placements 2000
    .venv/bin/python benchmarks/matching/bench_straightforward.py --children 500 \\
        --placements 30000 --budget 900

``--budget`` caps the straightforward run's wall-clock seconds (CBC's time limit
is what is left of it); a run that does not finish says how far it got.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args
# the tests' plain re-statement of the rules and objective, written from the issue text
sys.path.insert(0, str(Path(__file__).parents[2] / "tests" / "matching"))

import reference
from bench_args import positive, random_seed, run, whole
from generate import generate_instance

from sufficiency.config import MatchingParams, MatchingWeights, Params
from sufficiency.geo import directory
from sufficiency.matching import run_matching

RUN_DATE = dt.date(2026, 3, 1)


def _household_ok(c: dict, p: dict) -> bool:
    """The current household's part of rules 10, 11 and 14 (the rest is in ``pair_breaks``)."""
    age, ages = c["age"], list(p["current_ages"])
    if p["current_children"] == 0:
        return True
    known = len(ages) == p["current_children"]
    return not (
        c["alongside"] == "solo"
        or (c["alongside"] == "only_older" and not (known and all(a > age for a in ages)))
        or (c["alongside"] == "only_younger" and not (known and all(a < age for a in ages)))
        or ("harm_sexual" in c["risks"] and not (known and all(a >= age for a in ages)))
        or ("harm_physical" in c["risks"] and not (known and all(a > age - 3 for a in ages)))
    )


def _conflict(a: dict, b: dict) -> bool:
    if not reference._na(a["sibling_group"]) and a["sibling_group"] == b["sibling_group"]:
        return False
    for c, o in ((a, b), (b, a)):
        if c["alongside"] == "solo" or ("harm_sexual" in c["risks"] and o["age"] < c["age"]):
            return True
        if "harm_physical" in c["risks"] and o["age"] <= c["age"] - 3:
            return True
        if c["alongside"] == "only_older" and not o["age"] > c["age"]:
            return True
        if c["alongside"] == "only_younger" and not o["age"] < c["age"]:
            return True
    return False


def straightforward(refs: pd.DataFrame, plcs: pd.DataFrame, budget: float) -> dict[str, Any]:
    """Loop, cost and model pair by pair; PuLP + CBC. Returns times and the objective."""
    import pulp

    t0 = time.perf_counter()
    w = MatchingWeights()
    kids = refs.to_dict("records")
    homes = plcs.to_dict("records")
    for c in kids:
        c["age"] = reference._age(c["dob"], RUN_DATE)
        c["risks"], c["communication"] = tuple(c["risks"] or ()), tuple(c["communication"] or ())
    pairs = []
    for i, c in enumerate(kids):
        for j, p in enumerate(homes):
            if time.perf_counter() - t0 > budget:
                return {"finished": False, "stage": "rules", "pairs_checked": i * len(homes) + j,
                        "seconds": round(time.perf_counter() - t0, 1)}  # fmt: skip
            if not reference.pair_breaks(c, p, RUN_DATE) and _household_ok(c, p):
                pairs.append((i, j, reference.pair_cost(c, p, w)))
    t_rules = time.perf_counter() - t0
    m = pulp.LpProblem("match", pulp.LpMinimize)
    x = {(i, j): pulp.LpVariable(f"x_{i}_{j}", cat="Binary") for i, j, _ in pairs}
    u = {i: pulp.LpVariable(f"u_{i}", 0, 1) for i in range(len(kids))}
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(kids):
        if not reference._na(c["sibling_group"]):
            groups.setdefault(str(c["sibling_group"]), []).append(i)
    groups = {g: v for g, v in groups.items() if len(v) > 1}
    cap = {j: (min(p["vacancies"], 3 - p["current_children"]) if p["setting"] == "foster"
               else p["vacancies"]) for j, p in enumerate(homes)}  # fmt: skip
    exempt_ok = {j: p["setting"] == "foster" and p["current_children"] == 0 and p["vacancies"] > 3
                 for j, p in enumerate(homes)}  # fmt: skip
    y, s, e = {}, {}, {}
    at: dict[int, list[int]] = {}
    for i, j, _ in pairs:
        at.setdefault(j, []).append(i)
    group_of = {i: g for g, v in groups.items() for i in v}
    group_places: dict[str, set[int]] = {}
    for i, j, _ in pairs:
        if i in group_of:
            group_places.setdefault(group_of[i], set()).add(j)
    for g, members in groups.items():
        s[g] = pulp.LpVariable(f"s_{g}", 0)
        for j in sorted(group_places.get(g, ())):
            y[g, j] = pulp.LpVariable(f"y_{g}_{j}", cat="Binary")
            if exempt_ok[j] and len(members) > 3:
                e[g, j] = pulp.LpVariable(f"e_{g}_{j}", cat="Binary")
    objective = [cost * x[i, j] for i, j, cost in pairs]
    for i, c in enumerate(kids):
        objective.append(
            (w.unplaced_needed_today if c["needed_by"] == "today" else w.unplaced) * u[i]
        )
    objective += [w.sibling_split * v for v in s.values()]
    m += pulp.lpSum(objective)
    mine: dict[int, list[int]] = {}
    for i, j, _ in pairs:
        mine.setdefault(i, []).append(j)
    for i in range(len(kids)):
        m += pulp.lpSum(x[i, j] for j in mine.get(i, [])) + u[i] == 1
    for j, who in at.items():
        here = [g for g in groups if (g, j) in e]
        bonus = [(homes[j]["vacancies"] - 3) * e[g, j] for g in here]
        m += pulp.lpSum(x[i, j] for i in who) <= cap[j] + pulp.lpSum(bonus)
        for g in here:
            for i in who:
                if group_of.get(i) != g:
                    m += x[i, j] + e[g, j] <= 1
        if here:
            m += pulp.lpSum(e[g, j] for g in here) <= 1
        for a in who:
            for b in who:
                if a < b and _conflict(kids[a], kids[b]):
                    m += x[a, j] + x[b, j] <= 1
    for (g, j), var in y.items():
        for i in groups[g]:
            if (i, j) in x:
                m += x[i, j] <= var
    for g in groups:
        m += (
            pulp.lpSum(y[g, j] for j in {j for i in groups[g] for j in mine.get(i, [])}) - s[g] <= 1
        )
    t_model = time.perf_counter() - t0 - t_rules
    left = budget - (time.perf_counter() - t0)
    if left <= 1:
        return {"finished": False, "stage": "model", "seconds": round(time.perf_counter() - t0, 1)}
    m.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=left, gapRel=MatchingParams().mip_gap))
    total = time.perf_counter() - t0
    # PuLP calls a CBC run stopped by its time limit with a plan "Optimal"; the solution
    # status tells the two apart
    status = pulp.LpSolution[m.sol_status]
    return {
        "finished": m.sol_status == pulp.LpSolutionOptimal, "status": status,
        "objective_gbp": round(pulp.value(m.objective), 2), "pairs": len(pairs),
        "rules_and_costs_seconds": round(t_rules, 1), "model_seconds": round(t_model, 1),
        "seconds": round(total, 1),
    }  # fmt: skip


def main() -> None:
    """Run both on one generated instance and print the comparison as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--children", type=whole(1), default=60)
    ap.add_argument("--placements", type=whole(1), default=2000)
    ap.add_argument("--seed", type=random_seed, default=1)
    ap.add_argument("--budget", type=positive, default=900.0)
    args = ap.parse_args()
    refs, plcs = generate_instance(args.children, args.placements, seed=args.seed)
    directory().load_all()
    t0 = time.perf_counter()
    run = run_matching(refs, plcs, RUN_DATE, Params(matching=MatchingParams()))
    ours = {"status": run.summary.status.value, "objective_gbp": run.summary.objective_gbp,
            "gap": run.summary.gap, "seconds": round(time.perf_counter() - t0, 2)}  # fmt: skip
    plain = straightforward(refs, plcs, args.budget)
    same = plain.get("objective_gbp") is not None and abs(
        plain["objective_gbp"] - ours["objective_gbp"]
    ) <= MatchingParams().mip_gap * abs(ours["objective_gbp"])
    print(json.dumps({
        "children": args.children, "placements": args.placements, "seed": args.seed,
        "optimiser": ours, "straightforward": plain, "same_objective": same,
        "speedup_at_least" if not plain.get("finished") else "speedup":
            round(plain["seconds"] / ours["seconds"], 1),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    run(main)
