"""Is the one-county plan's gap in the plan or in the bound? A neighbourhood search.

The hardest case (5,000 children from one county against 100,000 vacancies) ends with
a gap of about 16% (docs/matching.md, "Known limit"). This asks whether the plan itself
could easily be better: for every sibling group the solver's plan splits over two or more
placements, it tries the cheapest placements every member may go to (among the
pairs the solver held), moving as many single children out of the placement as the group
needs, each to its cheapest pair where it may live (or unplaced), and counts the whole
change, split weight included. It prints how many groups such a move would improve and
by how much (none, in December 2026: see docs/matching.md).

Run, from the repository root (about four minutes)::

    .venv/bin/python benchmarks/matching/one_county_moves.py

Options: ``--children 5000 --placements 100000 --time-limit 180 --tries 50``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

from bench_args import positive, run, whole
from generate import generate_instance

from sufficiency.config import MatchingParams
from sufficiency.geo import directory
from sufficiency.matching.costs import sibling_split_cost, unplaced_cost
from sufficiency.matching.greedy import can_join
from sufficiency.matching.plan import evaluate_plan, plan_objective
from sufficiency.matching.problem import MatchProblem, build_problem
from sufficiency.matching.solver import solve
from sufficiency.matching.transport import _Pairs

RUN_DATE = dt.date(2026, 3, 1)
#: Of each evicted child's pairs, the cheapest this many are tried.
_MOVE_TRIES = 30


def _gain(
    prob: MatchProblem, where: np.ndarray, members: dict[int, list[int]], pairs: _Pairs,
    unplaced: np.ndarray, g: int, now: float, tries: int,
) -> tuple[float, int, list[tuple[int, int]]] | None:  # fmt: skip
    """The best move of group ``g`` whole to one placement, moving single children out:
    (change in cost, placement, [(child moved out, where it goes)]), or None."""
    grp = prob.child_group
    kids = np.nonzero(grp == g)[0]
    common, total = pairs.common(kids)
    best = None
    for j in np.argsort(total, kind="stable")[:tries].tolist():
        if total[j] >= now:
            break
        p = int(common[j])
        others = [m for m in members.get(p, []) if grp[m] != g]
        trial = where.copy()
        trial[kids] = -1
        moves = []  # (change, child, where it goes) for each child that could move out
        for o in others:
            if grp[o] >= 0:
                continue  # a sibling elsewhere stays: moving it could split its own group
            here = pairs.cost_at(o, p)
            change, to = float(unplaced[o]) - here, -1
            places, costs = pairs.of_child(o)
            for i in np.argsort(costs, kind="stable")[:_MOVE_TRIES].tolist():
                q = int(places[i])
                if q == p or costs[i] - here >= change:
                    continue
                if can_join(prob, o, q, [m for m in members.get(q, []) if grp[m] != g],
                            True, trial):  # fmt: skip
                    change, to = float(costs[i]) - here, q
                    break
            moves.append((change, o, to))
        moves.sort()
        # move out the fewest children (the cheapest to move first) that lets the group in
        for e in range(len(moves) + 1):
            moved = {o for _, o, _ in moves[:e]}
            stay = [o for o in others if o not in moved]
            after = trial.copy()
            for _, o, q in moves[:e]:
                after[o] = q
            joined, fits = list(stay), True
            for k in kids.tolist():
                if not can_join(prob, k, p, joined, True, after):
                    fits = False
                    break
                joined.append(k)
                after[k] = p
            if fits:
                delta = float(total[j]) - now + sum(c for c, _, _ in moves[:e])
                if delta < -1e-6 and (best is None or delta < best[0]):
                    best = (delta, p, [(o, q) for _, o, q in moves[:e]])
                break
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--children", type=whole(1), default=5000)
    parser.add_argument("--placements", type=whole(1), default=100000)
    parser.add_argument("--time-limit", type=positive, default=180.0)
    parser.add_argument("--tries", type=whole(1), default=50)
    args = parser.parse_args()
    refs, plcs = generate_instance(args.children, args.placements, seed=1, county="E10000034")
    directory().load_all()
    params = MatchingParams(time_limit_seconds=args.time_limit, mip_gap=0.001)
    prob = build_problem(refs, plcs, RUN_DATE, params)
    t0 = time.perf_counter()
    result = solve(prob, params)
    print(
        f"solver: {result.status.value} in {time.perf_counter() - t0:.0f} s, plan "
        f"{result.objective_gbp:,.0f}, bound {result.bound_gbp or 0:,.0f}; {result.message}"
    )
    print(f"solver stages (s): {result.stage_seconds}")
    where = result.place_of_child.copy()
    cands = result.candidates
    pairs = _Pairs.of(cands.child, cands.place, result.pair_cost_gbp, prob.num_children)
    unplaced = unplaced_cost(prob, params.weights)
    split = sibling_split_cost(prob, where, params.weights)
    members: dict[int, list[int]] = {}
    for c in np.nonzero(where >= 0)[0].tolist():
        members.setdefault(int(where[c]), []).append(c)
    t0 = time.perf_counter()
    found, gain = 0, 0.0
    for g in np.nonzero(split > 0)[0].tolist():
        kids = np.nonzero(prob.child_group == g)[0]
        now = float(split[g]) + float(unplaced[kids[where[kids] < 0]].sum())
        for k in kids[where[kids] >= 0].tolist():
            now += pairs.cost_at(k, int(where[k]))
        move = _gain(prob, where, members, pairs, unplaced, g, now, args.tries)
        if move is None:
            continue
        delta, p, out = move
        found, gain = found + 1, gain - delta
        for k in kids.tolist():
            if where[k] >= 0:
                members[int(where[k])].remove(k)
        for o, q in out:
            members[p].remove(o)
            where[o] = q
            if q >= 0:
                members.setdefault(q, []).append(o)
        where[kids] = p
        members.setdefault(p, []).extend(kids.tolist())
    after = plan_objective(evaluate_plan(prob, where, params.weights))
    print(
        f"{int((split > 0).sum())} split groups; {found} kept together by moving others out "
        f"(gain {gain:,.0f}); plan after the moves {after:,.0f} "
        f"({time.perf_counter() - t0:.0f} s)"
    )


if __name__ == "__main__":
    run(main)
