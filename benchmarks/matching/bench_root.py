"""The full model's size and the CPU seconds HiGHS takes to its root LP bound, with the
who-lives-alongside rules as clique rows (the model as built) or as one row per pair
(as it was built before), on crowded instances (``generate.generate_crowded``).

Usage (from the repository root)::

    taskset -c 1 .venv/bin/python benchmarks/matching/bench_root.py --children 200 \\
        --placements 500 --seeds 21 22 23 24

``--forms cliques`` times the model as built only; ``--highs KEY=VALUE`` (repeatable) sets
a HiGHS option on top of the solver's own (``MIP_OPTIONS``), to time the root with, say,
``presolve=off`` or ``mip_heuristic_run_feasibility_jump=false``.

The model is the full model over the candidate pairs dominance keeps (what the solver's
fallback solves), without a start. CPU seconds, not wall-clock seconds: on a shared
machine a process pinned to a busy core gets a fraction of it. HiGHS is stopped as soon
as its dual bound passes the trivial one (the root LP solved); both forms must reach the
same bound.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

from bench_args import random_seed, run, whole
from generate import generate_crowded

from sufficiency import highs_banner
from sufficiency.config import MatchingParams
from sufficiency.geo import directory
from sufficiency.matching import build_problem, generate_candidates
from sufficiency.matching.backends.highs_backend import MIP_OPTIONS, _highs
from sufficiency.matching.costs import pair_cost
from sufficiency.matching.formulation import LinearModel, build_model, conflict_pairs
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.pruning import dominance_slack, undominated

RUN_DATE = dt.date(2026, 3, 1)


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def _pairwise(prob: MatchProblem, child: np.ndarray, place: np.ndarray, cost: np.ndarray,
              params: MatchingParams) -> LinearModel:  # fmt: skip
    """The full model with one row ``x[a] + x[b] <= 1`` per conflicting pair."""
    m = build_model(prob, child, place, cost, params, conflicts=False)
    ka, kb = conflict_pairs(prob, child, place)
    r = m.num_rows + np.arange(len(ka))
    return LinearModel(
        m.obj, m.lb, m.ub, m.integer, np.concatenate([m.a_row, r, r]),
        np.concatenate([m.a_col, ka, kb]), np.concatenate([m.a_val, np.ones(2 * len(ka))]),
        np.concatenate([m.row_lb, np.full(len(ka), -np.inf)]),
        np.concatenate([m.row_ub, np.ones(len(ka))]), m.num_pairs, m.num_children,
        m.capacity_row_place,
    )  # fmt: skip


def _highs_option(text: str) -> tuple[str, bool | int | float | str]:
    """An argparse ``type=`` for ``KEY=VALUE``, a HiGHS option HiGHS accepts: ``true`` and
    ``false`` are booleans, numbers numbers, anything else a string."""
    import highspy

    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"{text!r}: should be KEY=VALUE, as presolve=off")
    value: bool | int | float | str = raw
    if raw.lower() in ("true", "false"):
        value = raw.lower() == "true"
    else:
        for kind in (int, float):
            try:
                value = kind(raw)
                break
            except ValueError:
                pass
    highs_banner.silence()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if h.setOptionValue(key, value) != highspy.HighsStatus.kOk:
        raise argparse.ArgumentTypeError(f"{text!r}: HiGHS has no option {key} taking {raw!r}")
    return key, value


def _to_root(
    model: LinearModel, gap: float, extra: dict[str, bool | int | float | str]
) -> tuple[float, float]:
    """CPU seconds from the start of HiGHS's run to its root LP bound, and the bound."""
    h = _highs(model, integer=True)
    h.setOptionValue("time_limit", 3600.0)
    h.setOptionValue("mip_rel_gap", gap)
    h.setOptionValue("random_seed", 0)
    for key, value in {**MIP_OPTIONS, **extra}.items():
        h.setOptionValue(key, value)
    trivial = float(model.obj[model.num_pairs : model.num_pairs + model.num_children].min())
    seen: dict[str, float] = {}
    began = _cpu()

    def at_bound(event) -> None:  # type: ignore[no-untyped-def]
        bound = float(event.data_out.mip_dual_bound)
        if "bound" not in seen and np.isfinite(bound) and bound > trivial + 0.5:
            seen.update(seconds=_cpu() - began, bound=bound)
            event.interrupt()

    h.cbMipInterrupt.subscribe(at_bound)
    h.run()
    return seen.get("seconds", float("nan")), seen.get("bound", float("nan"))


def main() -> None:
    """Build each seed's full model both ways and time each to its root bound."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--children", type=whole(1), default=200)
    ap.add_argument("--placements", type=whole(1), default=500)
    ap.add_argument("--seeds", type=random_seed, nargs="+", default=[21, 22, 23, 24])
    ap.add_argument("--forms", nargs="+", choices=["cliques", "pairwise"],
                    default=["cliques", "pairwise"])  # fmt: skip
    ap.add_argument("--highs", type=_highs_option, action="append", default=[],
                    metavar="KEY=VALUE")  # fmt: skip
    args = ap.parse_args()
    extra = dict(args.highs)
    params = MatchingParams(solver="highspy")
    directory().load_all()
    rows = []
    for seed in args.seeds:
        refs, plcs = generate_crowded(args.children, args.placements, seed=seed)
        prob = build_problem(refs, plcs, RUN_DATE)
        cands = generate_candidates(prob, params)
        cost = pair_cost(prob, cands.child, cands.place, params.weights)
        kept = undominated(cands.child, cands.place, cost, prob.num_children,
                           dominance_slack(prob, params))  # fmt: skip
        child, place, cost = cands.child[kept], cands.place[kept], cost[kept]
        for form in args.forms:
            began = _cpu()
            model = (build_model(prob, child, place, cost, params) if form == "cliques"
                     else _pairwise(prob, child, place, cost, params))  # fmt: skip
            built = _cpu() - began
            seconds, bound = _to_root(model, params.mip_gap, extra)
            row = {"seed": seed, "rows": form, "pairs": len(child), "model_rows": model.num_rows,
                   "nonzeros": len(model.a_row), "build_cpu_s": round(built, 2),
                   "root_cpu_s": round(seconds, 2), "root_bound": round(bound, 2),
                   "highs": extra}  # fmt: skip
            print(json.dumps(row), flush=True)
            rows.append(row)


if __name__ == "__main__":
    run(main)
