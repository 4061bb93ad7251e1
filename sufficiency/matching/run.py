"""The nightly matching job as one library call: optimise, compare, explain, summarise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from sufficiency.config import Params
from sufficiency.matching.decisions import DecisionOutcome, apply_decisions
from sufficiency.matching.explain import alternatives_table, unplaced_table
from sufficiency.matching.plan import evaluate_plan, plan_figures
from sufficiency.matching.problem import build_problem
from sufficiency.matching.solve import MatchResult, solve
from sufficiency.matching.why_not import add_why_not

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
    "The priority score is the objective the solver minimises: weekly costs plus "
    "weighted penalties (distance, out of area, school moves, sibling splits, children "
    "left unplaced); it is not money. The weekly cost is the sum of the proposed "
    "placements' weekly fees.",
    "Team decisions: a pin is obeyed only if it breaks no other hard rule; refused and "
    "ignored decisions are listed on the Decisions sheet with the reason.",
)


@dataclass(frozen=True, eq=False)
class MatchRun:
    """Everything the nightly job reports."""

    result: MatchResult
    matches: pd.DataFrame
    unplaced: pd.DataFrame
    alternatives: pd.DataFrame
    summary: dict[str, Any]
    decisions: DecisionOutcome = field(default_factory=DecisionOutcome)


def run_matching(
    referrals: pd.DataFrame,
    placements: pd.DataFrame,
    run_date: dt.date,
    params: Params,
    *,
    input_sha256: dict[str, str] | None = None,
    decisions: pd.DataFrame | None = None,
) -> MatchRun:
    """Optimise tonight's matches, run the greedy baseline and explain the outcome.

    ``decisions`` is the team's table (:func:`sufficiency.io.decisions.read_decisions`).
    """
    mp = params.matching
    together = mp.siblings == "together"
    prob = build_problem(referrals, placements, run_date)
    prob, outcome = apply_decisions(prob, decisions, siblings_together=together)
    result = solve(prob, mp)
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
        "objective_gbp": round(result.objective_gbp, 2),
        "priority_score": round(result.objective_gbp, 2),
        "weekly_cost_gbp": figures["weekly_cost_gbp"],
        "bound_gbp": None if result.bound_gbp is None else round(result.bound_gbp, 2),
        "gap": result.gap,
        "runtime_seconds": round(result.runtime_seconds, 3),
        "num_children": prob.num_children,
        "num_placements": prob.num_placements,
        "num_candidate_pairs": result.candidates.num_pairs,
        "num_pairs_in_model": result.num_pairs_in_model,
        "pruning_rounds": result.pruning_rounds,
        **{k: v for k, v in figures.items() if k not in ("objective_gbp", "priority_score")},
        "greedy_baseline": plan_figures(prob, greedy, mp.weights),
        "decisions": outcome.summary(),
    }
    return MatchRun(
        result=result,
        matches=matches,
        unplaced=unplaced_table(prob, result),
        alternatives=add_why_not(
            prob, result, alternatives_table(prob, result, mp.num_alternatives), together
        ),
        summary=summary,
        decisions=outcome,
    )


def pseudonymise_run(run: MatchRun, child_ids: Iterable[str], key: bytes) -> MatchRun:
    """``run`` with keyed pseudonyms for child IDs in every table, in the ``why_not`` and
    decision sentences, and in the summary's decision lists."""
    from sufficiency.pseudonymise import pseudonymise_frame, pseudonymise_text

    ids = [str(c) for c in child_ids]
    alternatives = pseudonymise_frame(run.alternatives, key)
    alternatives["why_not"] = (
        alternatives["why_not"]
        .map(lambda t: t if pd.isna(t) else pseudonymise_text(str(t), ids, key))
        .astype("string")
    )
    notes = tuple(
        replace(n, child_id=pseudonymise_text(n.child_id, ids, key),
                note=pseudonymise_text(n.note, ids, key))
        for n in run.decisions.notes
    )  # fmt: skip
    decisions = DecisionOutcome(notes)
    return replace(
        run,
        matches=pseudonymise_frame(run.matches, key),
        unplaced=pseudonymise_frame(run.unplaced, key),
        alternatives=alternatives,
        summary={**run.summary, "decisions": decisions.summary()},
        decisions=decisions,
    )
