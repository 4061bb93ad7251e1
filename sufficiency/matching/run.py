"""The nightly matching job as one library call: optimise, compare, explain, summarise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sufficiency.config import Params
from sufficiency.matching.explain import alternatives_table, unplaced_table
from sufficiency.matching.plan import evaluate_plan, plan_figures
from sufficiency.matching.problem import build_problem
from sufficiency.matching.solve import MatchResult, solve

#: Columns of matches.csv, in order (the objective terms follow the placement facts).
MATCH_COLUMNS: tuple[str, ...] = (
    "child_id", "placement_id", "setting", "provider", "weekly_cost", "miles_from_home",
    "miles_from_school", "siblings_together", "weekly_cost_gbp", "distance_from_home_gbp",
    "far_from_home_gbp", "out_of_area_gbp", "distance_from_school_gbp", "ks4_school_move_gbp",
    "not_preferred_setting_gbp", "sibling_split_gbp",
)  # fmt: skip

#: Modelling choices a reader of the outputs should know about.
ASSUMPTIONS: tuple[str, ...] = (
    "Ages are whole years on the run date.",
    "Distances are DfE straight-line miles between postcodes, to one decimal place; "
    "an unknown or unmatched home, school or placement postcode costs nothing for distance.",
    "Out of area means the placement's upper-tier authority differs from the child's "
    "responsible authority; a placement whose authority is unknown is not counted.",
    "Where a placement's current children have unknown ages, 'solo', 'only older', "
    "'only younger' and the harm-to-younger-children rule are treated as not met.",
    "Siblings are never each other's 'others' for the who-lives-alongside rules.",
    "A sibling group's split penalty is shown against its first placed member.",
    "With siblings = 'together', a group may not use more than one placement; "
    "members may still be left unplaced.",
    "Alternatives' extra cost compares the option's own terms with the proposal's; "
    "knock-on effects on other children are not included.",
)


@dataclass(frozen=True, eq=False)
class MatchRun:
    """Everything the nightly job reports."""

    result: MatchResult
    matches: pd.DataFrame
    unplaced: pd.DataFrame
    alternatives: pd.DataFrame
    summary: dict[str, Any]


def run_matching(
    referrals: pd.DataFrame,
    placements: pd.DataFrame,
    run_date: dt.date,
    params: Params,
    *,
    input_sha256: dict[str, str] | None = None,
    started: float | None = None,
) -> MatchRun:
    """Optimise tonight's matches, run the greedy baseline and explain the outcome.

    ``started`` (a ``time.perf_counter()`` reading, default now) is when the run began:
    the time limit counts from it, reading the inputs included.
    """
    mp = params.matching
    prob = build_problem(referrals, placements, run_date)
    result = solve(prob, mp, started=started)
    greedy = evaluate_plan(prob, result.greedy_place_of_child, mp.weights)
    plan = result.plan
    matches = plan.loc[plan["placement_id"].notna(), list(MATCH_COLUMNS)].reset_index(drop=True)
    figures = plan_figures(prob, plan, mp.weights)
    summary: dict[str, Any] = {
        "run_date": run_date.isoformat(),
        "inputs_sha256": dict(sorted((input_sha256 or {}).items())),
        "config": params.model_dump(mode="json"),
        "solver": result.solver,
        "status": result.status.value,
        "proven_optimal": result.status.value == "optimal",
        "message": result.message,
        "method": result.method,
        "objective_gbp": round(result.objective_gbp, 2),
        "bound_gbp": None if result.bound_gbp is None else round(result.bound_gbp, 2),
        "gap": result.gap,
        "runtime_seconds": round(result.runtime_seconds, 3),
        "num_children": prob.num_children,
        "num_placements": prob.num_placements,
        "num_candidate_pairs": result.candidates.num_pairs,
        "num_pairs_in_model": result.num_pairs_in_model,
        "pruning_rounds": result.pruning_rounds,
        **{k: v for k, v in figures.items() if k != "objective_gbp"},
        "greedy_baseline": plan_figures(prob, greedy, mp.weights),
    }
    return MatchRun(
        result=result,
        matches=matches,
        unplaced=unplaced_table(prob, result),
        alternatives=alternatives_table(prob, result, mp.num_alternatives),
        summary=summary,
    )
