"""The nightly matching job as one library call: optimise, compare, explain, summarise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from sufficiency.config import MatchingParams, Params
from sufficiency.errors import Problem
from sufficiency.matching.backends import SolveStatus
from sufficiency.matching.candidates import RULES, Candidates
from sufficiency.matching.decisions import DecisionOutcome, apply_decisions
from sufficiency.matching.explain import alternatives_table, unplaced_table
from sufficiency.matching.plan import evaluate_plan, plan_figures
from sufficiency.matching.problem import MatchProblem, build_problem
from sufficiency.matching.solve import MatchResult, solve
from sufficiency.matching.why_not import add_why_not

#: Columns of matches.csv, in order (the objective terms follow the placement facts).
MATCH_COLUMNS: tuple[str, ...] = (
    "child_id", "placement_id", "setting", "provider", "weekly_cost", "miles_from_home",
    "miles_from_school", "siblings_together", "weekly_cost_gbp", "distance_from_home_gbp",
    "far_from_home_gbp", "out_of_area_gbp", "distance_from_school_gbp", "ks4_school_move_gbp",
    "not_preferred_setting_gbp", "sibling_split_gbp", "distance_note",
)  # fmt: skip

#: Modelling choices a reader of the outputs should know about.
ASSUMPTIONS: tuple[str, ...] = (
    "Ages are whole years on the run date.",
    "Distances are DfE straight-line miles between postcodes, to one decimal place; "
    "a child whose home or school postcode is blank or cannot be located is matched with "
    "that distance unknown (it costs nothing) and flagged in distance_note.",
    "A placement whose postcode cannot be located is set aside (rule 15), or with "
    "unlocatable = 'assume_far' charged as over 20 miles from home and school and out of area.",
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
    set_aside: pd.DataFrame | None = None,
    notes: Sequence[Problem] = (),
    decisions: pd.DataFrame | None = None,
    started: float | None = None,
) -> MatchRun:
    """Optimise tonight's matches, run the greedy baseline and explain the outcome.

    ``set_aside`` lists input rows left out for errors (:data:`SET_ASIDE_COLUMNS`):
    referrals among them are reported unplaced with the problem. ``notes`` are the
    inputs' warnings, kept in the summary and the report. ``decisions`` is the team's
    table (:func:`sufficiency.io.decisions.read_decisions`). ``started`` (a
    ``time.perf_counter()`` reading, default now) is when the run began: the time limit
    counts from it, reading the inputs included.
    """
    mp = params.matching
    together = mp.siblings == "together"
    prob = build_problem(referrals, placements, run_date, mp)
    prob, outcome = apply_decisions(prob, decisions, siblings_together=together)
    result = solve(prob, mp, started=started) if prob.num_children else _nobody(prob, mp)
    greedy = evaluate_plan(prob, result.greedy_place_of_child, mp.weights)
    plan = result.plan.assign(distance_note=distance_notes(prob, result.place_of_child))
    matches = plan.loc[plan["placement_id"].notna(), list(MATCH_COLUMNS)].reset_index(drop=True)
    figures = plan_figures(prob, plan, mp.weights)
    aside = _set_aside(prob, set_aside)
    unplaced = unplaced_table(prob, result)
    unplaced = unplaced.assign(distance_note=plan.set_index("child_id")["distance_note"]
                               .reindex(unplaced["child_id"]).to_numpy(object))  # fmt: skip
    refs_aside = aside[aside["file_kind"] == "referrals"]
    if len(refs_aside):
        # one row per child ID (a duplicated ID is set aside on every row it is on)
        who: dict[str, list[str]] = {}
        for f, r, i, t in refs_aside[["file", "row", "id", "problem"]].itertuples(index=False):
            key = str(i) if pd.notna(i) else f"(no ID, row {r})"
            who.setdefault(key, []).append(f"row {r} of {f}: {t}")
        extra = pd.DataFrame({
            "child_id": list(who),
            "reason": [f"Set aside for errors ({'; '.join(v)}). Correct the referral and "
                       "re-run; this child was not matched tonight." for v in who.values()],
        })  # fmt: skip
        unplaced = pd.concat([unplaced, extra], ignore_index=True)[list(unplaced.columns)]
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
        "rows_set_aside": len(aside),
        "set_aside": aside.to_dict("records"),
        "distance_unknown": int(
            matches["distance_note"].str.contains("unknown|charged as far", regex=True).sum()
        ),
        "input_notes": _notes(notes),
        "decisions": outcome.summary(),
    }
    return MatchRun(
        result=result,
        matches=matches,
        unplaced=unplaced,
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
    from sufficiency.pseudonymise import pseudonym

    aside = [
        {**a, "id": pseudonym(a["id"], key)}
        if a.get("file_kind") in ("referrals", "decisions") and a["id"]
        else a
        for a in run.summary.get("set_aside", [])
    ]  # fmt: skip
    return replace(
        run,
        matches=pseudonymise_frame(run.matches, key),
        unplaced=pseudonymise_frame(run.unplaced, key),
        alternatives=alternatives,
        summary={**run.summary, "decisions": decisions.summary(), "set_aside": aside},
        decisions=decisions,
    )


#: Columns of the set-aside list in the summary and the report.
SET_ASIDE_COLUMNS: tuple[str, ...] = ("file", "row", "id", "problem")


def _set_aside(prob: MatchProblem, from_inputs: pd.DataFrame | None) -> pd.DataFrame:
    """Input rows set aside for errors, then placements set aside by rule 15."""
    cols = [*SET_ASIDE_COLUMNS, "file_kind"]
    parts = []
    if from_inputs is not None and len(from_inputs):
        parts.append(from_inputs.reindex(columns=cols))
    if prob.unlocatable == "exclude" and not prob.place_located.all():
        ids = prob.placements["placement_id"].astype(str).to_numpy(object)[~prob.place_located]
        parts.append(pd.DataFrame({
            "file": "placements", "row": None, "id": ids,
            "problem": "its postcode is blank, malformed or not in the postcode directory, so "
                       "it cannot be located; not proposed tonight (rule 15)",
            "file_kind": "placements",
        }))  # fmt: skip
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    out["row"] = out["row"].astype(object).where(out["row"].notna(), None)
    return out


def distance_notes(prob: MatchProblem, place_of_child: np.ndarray) -> np.ndarray:
    """Per child, why a distance shown for them is missing or assumed ("" when none)."""
    n = prob.num_children
    home_lost = prob.child_home_given & np.isnan(prob.child_home_east)
    school_given = prob.referrals["school_postcode"].notna().to_numpy(bool)
    school_lost = school_given & np.isnan(prob.child_school_east)
    notes = []
    for c in range(n):
        parts = []
        if not prob.child_home_given[c]:
            parts.append("no home postcode: distance from home not applicable")
        elif home_lost[c]:
            parts.append("home postcode not located: distance from home unknown")
        if school_lost[c]:
            parts.append("school postcode not located: distance from school unknown")
        p = place_of_child[c]
        if p >= 0 and not prob.place_located[p]:
            parts.append("placement postcode not located: charged as far and out of area")
        notes.append("; ".join(parts))
    return np.array(notes, dtype=object)


def _nobody(prob: MatchProblem, mp: MatchingParams) -> MatchResult:
    """A night with no referrals: nothing to match, which is proven optimal at once."""
    none = np.zeros(0, np.int64)
    cands = Candidates(none, none, np.zeros((0, len(RULES)), np.int64), none)
    return MatchResult(
        status=SolveStatus.OPTIMAL, solver=mp.solver, plan=evaluate_plan(prob, none, mp.weights),
        place_of_child=none, objective_gbp=0.0, bound_gbp=0.0, gap=0.0, runtime_seconds=0.0,
        candidates=cands, pair_cost_gbp=np.zeros(0), num_pairs_in_model=0, pruning_rounds=0,
        message="No referrals tonight: nothing to match.", greedy_place_of_child=none,
    )  # fmt: skip


def _notes(notes: Sequence[Problem]) -> list[dict[str, Any]]:
    """The inputs' warnings as records for the summary and the report."""
    return [
        {"file": n.file, "row": n.row, "column": n.column, "code": n.code, "note": n.describe()}
        for n in notes
        if n.severity == "warning"
    ]
