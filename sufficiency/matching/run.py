"""Matching as one library call: read, optimise, compare, explain, summarise (:func:`match`)."""

from __future__ import annotations

import datetime as dt
import numbers
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from sufficiency import geo
from sufficiency.config import MatchingParams, Params, as_params, option_date, with_overrides
from sufficiency.errors import ConfigError, Problem, notes_said_not_raised
from sufficiency.io.atomic import is_path, out_folder, sha256_file, user_path
from sufficiency.io.inputs import Tonight, read_tonight
from sufficiency.matching.backends import SolveStatus
from sufficiency.matching.by_council import council_figures
from sufficiency.matching.candidates import RULES, Candidates
from sufficiency.matching.decisions import DecisionOutcome, apply_decisions
from sufficiency.matching.explain import alternatives_table, sibling_notes, unplaced_table
from sufficiency.matching.plan import evaluate_plan, plan_figures
from sufficiency.matching.problem import NEEDED_BY_RANK, MatchProblem, build_problem
from sufficiency.matching.solver import MatchResult, solve
from sufficiency.matching.stop import Stages
from sufficiency.matching.summary import MatchSummary, PlanFigures, SetAsideRow, input_notes
from sufficiency.matching.why_not import add_why_not
from sufficiency.matching.writers import write_match_outputs
from sufficiency.results import BriefRepr, result_dataclass
from sufficiency.store.types import ReferralGaps

#: Columns of matches.csv, in order (the objective terms follow the placement facts).
MATCH_COLUMNS: tuple[str, ...] = (
    "child_id", "placement_id", "setting", "provider", "weekly_cost", "miles_from_home",
    "miles_from_school", "siblings_together", "weekly_cost_gbp", "distance_from_home_gbp",
    "far_from_home_gbp", "out_of_area_gbp", "distance_from_school_gbp", "ks4_school_move_gbp",
    "not_preferred_setting_gbp", "ofsted_inadequate_gbp", "sibling_split_gbp", "distance_note",
    "sibling_note", "flags",
)  # fmt: skip


@result_dataclass
class MatchRun(BriefRepr):
    """Everything a matching run reports: the proposals, the children left unplaced and
    why, each child's alternatives, the typed :class:`MatchSummary` and the team's
    decisions. ``referrals`` and ``placements`` are the input tables it matched.

    :meth:`write` writes the outputs (:data:`~sufficiency.matching.writers.OUTPUT_FILES`).
    """

    result: MatchResult
    matches: pd.DataFrame
    unplaced: pd.DataFrame
    alternatives: pd.DataFrame
    summary: MatchSummary
    decisions: DecisionOutcome = field(default_factory=DecisionOutcome)
    referrals: pd.DataFrame = field(default_factory=pd.DataFrame)
    placements: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Children whose referral was set aside for errors (as in ``unplaced``), to their
    #: ``needed_by`` where that cell was read without an error ("today": urgent).
    set_aside_needed_by: Mapping[str, str] = field(default_factory=dict)

    @notes_said_not_raised
    def write(self, out_dir: Path | str) -> list[Path]:
        """Write matches.csv, unplaced.csv, alternatives.csv, summary.json and
        the 8am match report (match_report.xlsx and match_report.html) into ``out_dir``
        (created if missing), each atomically."""
        return write_match_outputs(self, out_folder(out_dir))


def matching_params(
    params: Params, *, solver: str | None = None, time_limit_seconds: float | None = None
) -> Params:
    """``params`` with the solver and time limit overridden where given (ConfigError if
    out of range: a time limit of -1 seconds, say)."""
    section = with_overrides(params.matching, "matching", solver=solver,
                             time_limit_seconds=time_limit_seconds)  # fmt: skip
    return params if section is params.matching else params.model_copy(update={"matching": section})


def read_under(
    params: Params,
    referrals: Path | str,
    placements: Path | str,
    run_date: dt.date,
    *,
    strict: bool = False,
    decisions: Path | str | None = None,
) -> Tonight:
    """Tonight's inputs read as ``params`` says (the responsible authority to assume, rule
    13's reading of a referral's pets answer): the one read of the command, the API and
    the web's re-run."""
    return read_tonight(
        referrals,
        placements,
        default_responsible_la=params.general.responsible_la,
        run_date=run_date,
        strict=strict,
        decisions=decisions,
        harm_animals_excludes_pets=params.matching.harm_animals_excludes_pets,
    )


@notes_said_not_raised
def match(
    referrals: Path | str | Tonight,
    placements: Path | str | None = None,
    *,
    run_date: dt.date | str,
    params: Params | Path | str | None = None,
    decisions: Path | str | None = None,
    strict: bool = False,
    solver: str | None = None,
    time_limit_seconds: float | None = None,
    started: float | None = None,
    input_sha256: Mapping[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
    pseudonym_key: bytes | None = None,
    gaps: Callable[[pd.DataFrame], ReferralGaps] | None = None,
) -> MatchRun:
    """Read tonight's referrals and placement register, propose the best matches and
    explain the outcome.

    Parameters
    ----------
    referrals, placements
        The referrals and the placement register (CSV or XLSX paths); or, as
        ``referrals`` alone, inputs already read with
        :func:`sufficiency.io.inputs.read_tonight` (their decisions included).
    run_date
        Ages and availability are judged on this date (a date or 'YYYY-MM-DD').
    params
        Parameters, or a TOML file overriding ``configs/default.toml`` (default: the
        defaults).
    decisions
        The team's decisions (pins and exclusions), a CSV or XLSX path.
    strict
        Refuse to run if any input row has an error (by default such rows are set aside
        and the rest matched).
    solver, time_limit_seconds
        Override ``matching.solver`` and ``matching.time_limit_seconds``.
    started
        A ``time.perf_counter()`` reading the time limit counts from (default: now,
        so reading the inputs counts).
    input_sha256
        The inputs' SHA-256 by role, for the summary, when ``referrals`` is a ``Tonight``
        (files named by path are hashed here).
    progress
        Called with a few words as each stage starts (reading the inputs when given
        paths, building the candidates, solving, explaining); ``print`` will do.
    pseudonym_key
        The key of a night whose outputs name children by pseudonym: a decision may name
        a child by the pseudonym the team saw (made in the web application on such a
        night's pages) and is applied to that child.
    gaps
        Given the decisions, the earlier nights each child they name was not referred:
        :func:`sufficiency.store.referral_gaps.gaps_in` over the run store. A pin made
        before such a night is refused, an exclusion kept with a note to check it.

    Raises
    ------
    InputDataError
        An input cannot be used at all, or ``strict`` and a row has an error.
    ConfigError
        The parameters file is not valid, ``run_date`` is not a date, or an input is
        not a path (a DataFrame, say).
    """
    ConfigError.check_kind("started", started, numbers.Real, "a time.perf_counter() reading")
    started = time.perf_counter() if started is None else started
    ConfigError.check_run_options(strict, progress=progress)
    run_date = option_date(run_date, "run_date")
    if pseudonym_key is not None and not isinstance(pseudonym_key, bytes):
        # else hmac's TypeError "key: expected bytes or bytearray", after reading the inputs
        raise ConfigError.wrong_kind("pseudonym_key", "bytes (the key file's contents)",
                                     pseudonym_key)  # fmt: skip
    params = matching_params(
        as_params(params), solver=solver, time_limit_seconds=time_limit_seconds
    )
    ConfigError.check_kind("input_sha256", input_sha256, Mapping, "a dict of SHA-256s by role")
    hashes = dict(input_sha256 or {})
    if isinstance(referrals, Tonight):
        if placements is not None or decisions is not None:
            raise ConfigError("match() takes inputs already read (a Tonight) on their own.")
        tonight = referrals
    else:
        if placements is None:
            raise ConfigError("match() needs the placement register as well as the referrals.")
        named = {"referrals": referrals, "placements": placements, "decisions": decisions}
        for name, given in named.items():
            if given is not None and not is_path(given):
                also = " (or, as referrals alone, what read_tonight returns)"
                raise ConfigError.wrong_kind(
                    name, "the path of a CSV or XLSX file" + also * (name == "referrals"), given
                )
        referrals, placements = user_path(referrals), user_path(placements)
        decisions = None if decisions is None else user_path(decisions)
        if progress is not None:
            progress("Reading the referrals and the placement register")
        tonight = read_under(params, referrals, placements, run_date, strict=strict,
                             decisions=decisions)  # fmt: skip
        # Hashed once read: a missing file is the reader's InputDataError naming it.
        paths = {"referrals": referrals, "placements": placements, "decisions": decisions}
        hashes |= {k: sha256_file(Path(p)) for k, p in paths.items() if p is not None}
    table = None if tonight.decisions is None else tonight.decisions.table
    return run_matching(tonight.referrals.table, tonight.placements.table, run_date, params,
                        input_sha256=hashes, set_aside=tonight.set_aside,
                        notes=tonight.problems, decisions=table, started=started,
                        progress=progress, pseudonym_key=pseudonym_key, gaps=gaps)  # fmt: skip


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
    progress: Callable[[str], None] | None = None,
    pseudonym_key: bytes | None = None,
    gaps: Callable[[pd.DataFrame], ReferralGaps] | None = None,
) -> MatchRun:
    """Optimise tonight's matches, run the greedy baseline and explain the outcome.

    ``set_aside`` lists input rows left out for errors (:data:`SET_ASIDE_COLUMNS`):
    referrals among them are reported unplaced with the problem. ``notes`` are the
    inputs' warnings, kept in the summary and the report. ``decisions`` is the team's
    table (:func:`sufficiency.io.decisions.read_decisions`). ``started`` (a
    ``time.perf_counter()`` reading, default now) is when the run began: the time limit
    counts from it, reading the inputs included. ``progress`` is told each stage as it
    starts. With ``pseudonym_key`` a decision may name a child by their pseudonym.
    ``gaps`` gives the nights the decisions' children were not referred (see :func:`match`).
    """
    say = progress or (lambda _stage: None)
    mp = params.matching
    together = mp.siblings == "together"
    stages = Stages(started)
    stages.lap("reading")
    say("Building the candidate placements for each child")
    prob = build_problem(referrals, placements, run_date, mp)
    aliases = _pseudonyms(referrals, set_aside, pseudonym_key)
    prob, outcome = apply_decisions(prob, decisions, siblings_together=together,
                                    set_aside=set_aside, aliases=aliases,
                                    gaps=None if gaps is None or decisions is None
                                    else gaps(decisions))  # fmt: skip
    stages.lap("problem")
    say("Finding the best matches")
    result = solve(prob, mp, started=started) if prob.num_children else _nobody(prob, mp)
    stages.lap("solver")
    say("Explaining the matches and the children unplaced")
    greedy = evaluate_plan(prob, result.greedy_place_of_child, mp.weights)
    plan = result.plan.assign(distance_note=distance_notes(prob, at := result.place_of_child),
                              sibling_note=sibling_notes(prob, at, set_aside))  # fmt: skip
    matches = plan.loc[plan["placement_id"].notna(), list(MATCH_COLUMNS)].reset_index(drop=True)
    figures = plan_figures(prob, plan, mp.weights)
    aside = _set_aside(prob, set_aside)
    unplaced = unplaced_table(prob, result, together, mp.weights)
    unplaced = unplaced.assign(distance_note=plan.set_index("child_id")["distance_note"]
                               .reindex(unplaced["child_id"]).to_numpy(object))  # fmt: skip
    refs_aside = aside[(aside["file_kind"] == "referrals") & ~_not_children(set_aside, aside)]
    extra = pd.DataFrame()
    needed_by: dict[str, str] = {}
    if len(refs_aside):
        # one row per child ID (a duplicated ID is set aside on every row it is on)
        who: dict[str, list[str]] = {}
        for f, r, i, t in refs_aside[["file", "row", "id", "problem"]].itertuples(index=False):
            who.setdefault(_aside_key(i, r), []).append(f"row {r} of {f}: {t}")
        needed_by = _set_aside_needed_by(set_aside)
        extra = pd.DataFrame({
            "child_id": list(who),
            "reason": [f"Set aside for errors ({'; '.join(v)}). Correct the referral and "
                       "re-run; this child was not matched tonight." for v in who.values()],
        })  # fmt: skip
        counts = [c for c in unplaced.columns if c == "num_suitable_placements"
                  or c.startswith("excluded_")]  # fmt: skip
        unplaced = pd.concat([unplaced, extra], ignore_index=True)[list(unplaced.columns)]
        # counts stay whole numbers (blank for a child set aside), not "3.00"
        unplaced[counts] = unplaced[counts].astype("Int64")
    table = alternatives_table(prob, result, mp.num_alternatives, mp.weights)
    alternatives = add_why_not(prob, result, table, together, mp.weights)
    stages.lap("explanations")
    # the solver's own stages in its place, in the order they ran
    timing = stages.as_dict()
    stage_seconds = {"reading": timing["reading"], "problem": timing["problem"],
                     **result.stage_seconds, "explanations": timing["explanations"]}  # fmt: skip
    summary = MatchSummary(
        run_date=run_date,
        inputs_sha256=dict(sorted((input_sha256 or {}).items())),
        config=params,
        solver=result.solver,
        status=result.status,
        message=result.message,
        method=result.method,
        objective_gbp=round(result.objective_gbp, 2),
        bound_gbp=None if result.bound_gbp is None else round(result.bound_gbp, 2),
        gap=result.gap,
        runtime_seconds=round(result.runtime_seconds, 3),
        stage_seconds=stage_seconds,
        num_children=prob.num_children,
        num_placements=prob.num_placements,
        num_candidate_pairs=result.candidates.num_pairs,
        num_pairs_in_model=result.num_pairs_in_model,
        pruning_rounds=result.pruning_rounds,
        plan=PlanFigures.from_figures(figures),
        greedy_baseline=PlanFigures.from_figures(plan_figures(prob, greedy, mp.weights)),
        set_aside=tuple(SetAsideRow(**a) for a in aside.to_dict("records")),
        distance_unknown=int(
            matches["distance_note"].str.contains("unknown|charged as far", regex=True).sum()
        ),
        input_notes=input_notes(notes),
        decisions=outcome,
        children_set_aside=len(extra),
        by_council=council_figures(prob, plan),
    )
    return MatchRun(
        result=result,
        matches=matches,
        unplaced=unplaced,
        alternatives=alternatives,
        summary=summary,
        decisions=outcome,
        referrals=referrals,
        placements=placements,
        set_aside_needed_by=needed_by,
    )


def _not_children(set_aside: pd.DataFrame | None, aside: pd.DataFrame) -> pd.Series:
    """Per row of ``aside`` (``set_aside``'s rows first, as :func:`_set_aside` puts them),
    whether it is a total, notes or repeated header row of the referrals: set aside, but
    no child referred (``not_a_child``, from :func:`read_referrals_for_night`)."""
    out = pd.Series(False, index=aside.index)
    if set_aside is not None and "not_a_child" in set_aside:
        flags = set_aside["not_a_child"].fillna(False).astype(bool).to_numpy()
        out.iloc[: len(flags)] = flags
    return out


def _aside_key(child_id: object, row: object) -> str:
    """How ``unplaced`` names a set-aside referral: its ID, or its row without one."""
    return str(child_id) if pd.notna(child_id) else f"(no ID, row {row})"


def _set_aside_needed_by(set_aside: pd.DataFrame | None) -> dict[str, str]:
    """Each set-aside referral's ``needed_by`` where it was read (keyed as ``unplaced``
    names the child); of copies of a duplicated ID, the most urgent."""
    if set_aside is None or "needed_by" not in set_aside:
        return {}
    refs = set_aside[(set_aside["file_kind"] == "referrals") & set_aside["needed_by"].notna()]
    out: dict[str, str] = {}
    for r, i, v in refs[["row", "id", "needed_by"]].itertuples(index=False):
        key = _aside_key(i, r)
        if key not in out or NEEDED_BY_RANK.get(str(v), 3) < NEEDED_BY_RANK.get(out[key], 3):
            out[key] = str(v)
    return out


def _pseudonyms(
    referrals: pd.DataFrame, set_aside: pd.DataFrame | None, key: bytes | None
) -> dict[str, str]:
    """Each referred child's pseudonym under ``key`` (none without a key), to their ID."""
    if key is None:
        return {}
    from sufficiency.pseudonymise import pseudonym

    ids = [str(c) for c in referrals["child_id"]]
    if set_aside is not None and len(set_aside):
        kind = set_aside["file_kind"] == "referrals"
        ids += [str(i) for i in set_aside.loc[kind, "id"] if pd.notna(i)]
    return {pseudonym(c, key): c for c in ids}


def pseudonymise_run(run: MatchRun, child_ids: Iterable[str], key: bytes) -> MatchRun:
    """``run`` with keyed pseudonyms for child IDs in every table, in the ``why_not`` and
    decision sentences, and in the summary's decision lists.

    Besides ``child_ids``, the children the team's decisions name and those whose
    referral was set aside are pseudonymised too (a decision on a child not referred
    tonight, or whose row has an error, still names them)."""
    from sufficiency.pseudonymise import (
        pseudonym,  # fmt: skip
        pseudonymise_frame,
        pseudonymise_text,
        pseudonymise_texts,
    )

    ids = [str(c) for c in child_ids]
    ids += [n.child_id for n in run.decisions.notes]
    ids += [str(a.id) for a in run.summary.set_aside
            if a.file_kind in ("referrals", "decisions") and a.id]  # fmt: skip
    alternatives = pseudonymise_texts(pseudonymise_frame(run.alternatives, key), ids, key)
    notes = tuple(
        replace(n, child_id=pseudonym(n.child_id, key), note=pseudonymise_text(n.note, ids, key),
                reason=pseudonymise_text(n.reason, ids, key))
        for n in run.decisions.notes
    )  # fmt: skip
    decisions = DecisionOutcome(notes)
    aside = tuple(
        replace(a, id=pseudonym(a.id, key) if a.file_kind in ("referrals", "decisions") and a.id
                else a.id, problem=pseudonymise_text(a.problem, ids, key))
        for a in run.summary.set_aside
    )  # fmt: skip
    # a referral set aside is unplaced with its problem, which quotes the bad value
    unplaced = pseudonymise_texts(pseudonymise_frame(run.unplaced, key), ids, key)
    notes_in = tuple(replace(n, note=pseudonymise_text(n.note, ids, key))
                     for n in run.summary.input_notes)  # fmt: skip
    return replace(
        run,
        matches=pseudonymise_texts(pseudonymise_frame(run.matches, key), ids, key),
        unplaced=unplaced,
        alternatives=alternatives,
        summary=replace(run.summary, decisions=decisions, set_aside=aside, input_notes=notes_in),
        decisions=decisions,
        referrals=pseudonymise_frame(run.referrals, key),
        set_aside_needed_by={pseudonym(c, key): v for c, v in run.set_aside_needed_by.items()},
    )


#: Columns of the set-aside list in the summary and the report.
SET_ASIDE_COLUMNS: tuple[str, ...] = ("file", "row", "id", "problem")


#: Why a placement's postcode cannot be located, by its look-up's status (rule 15).
_UNLOCATED = {
    geo.PostcodeStatus.BLANK.value: "is blank",
    geo.PostcodeStatus.MALFORMED.value: "is malformed",
    geo.PostcodeStatus.UNKNOWN.value: "is not in the postcode directory",
    geo.PostcodeStatus.NO_GRID.value: "has no grid reference (Channel Islands, Isle of Man or "
    "a non-geographic postcode)",
    geo.PostcodeStatus.NOT_GB_GRID.value: "is in Northern Ireland, on a different grid",
}


def _set_aside(prob: MatchProblem, from_inputs: pd.DataFrame | None) -> pd.DataFrame:
    """Input rows set aside for errors, then placements set aside by rule 15."""
    cols = [*SET_ASIDE_COLUMNS, "file_kind"]
    parts = []
    if from_inputs is not None and len(from_inputs):
        parts.append(from_inputs.reindex(columns=cols))
    if prob.unlocatable == "exclude" and not prob.place_located.all():
        lost = ~prob.place_located
        ids = prob.placements["placement_id"].astype(str).to_numpy(object)[lost]
        status = geo.directory().lookup(prob.placements["postcode"][lost]).status
        parts.append(pd.DataFrame({
            "file": "placements", "row": None, "id": ids,
            "problem": [f"its postcode {_UNLOCATED.get(str(s), _UNLOCATED['unknown'])}, so it "
                        "cannot be located; not proposed tonight (rule 15)" for s in status],
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
