"""Gates on a proposal: what must be approved before a match can take effect, read from
the facts of the pair, never from the weights (a weight of 0 makes a gate cost nothing,
but the law still asks for the approval).

- **Out of area** (Care Planning, Placement and Case Review (England) Regulations 2010,
  reg 11): a placement outside the responsible authority's area needs the nominated
  officer's approval; one "at a distance" (not in an adjoining authority either) needs
  the Director of Children's Services'. The register and the postcode directory do not
  say which authorities adjoin, so the flag names both approvals.
- **Key stage 4 school move** (reg 10): a child in school year 10 or 11 placed more than
  ``school_free_miles`` from their school; a change that disrupts their education takes
  effect only once a nominated officer approves it. A key stage 4 child whose school is
  not known is flagged too: the move may change school; so is a child whose school year
  is not given but whose date of birth puts them in year 10 or 11 (no cost: the year is
  not known for certain).

A pair also carries the checks of :mod:`.pets_unknown` (a child whose pets answer is not
known, at a home that has or may have pets).

Each pair's flags are one string, ``"; "``-joined ("" when none), written as the
``flags`` column of ``matches.csv`` and ``alternatives.csv`` and shown in the report.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sufficiency.config import MatchingWeights
from sufficiency.geo import council_name
from sufficiency.matching.costs import _cost_arrays, out_of_area, pair_distances
from sufficiency.matching.home_rating import inadequate_flags
from sufficiency.matching.pets_unknown import pets_unknown_flags
from sufficiency.matching.problem import MatchProblem, age_in_whole_years
from sufficiency.vocabulary import listed

#: What every out-of-area flag starts with (page 1 counts them); the flag names the
#: child's own responsible authority (:func:`out_of_area_flag`), as a regional team
#: matches several councils' children in one night and "the council's" says whose not.
OUT_OF_AREA = "out of area for "
KS4_MOVE = "key stage 4 school move: needs the nominated officer's approval"
KS4_SCHOOL_UNKNOWN = (
    "key stage 4, school not known: a school move needs the nominated officer's approval"
)
KS4_BY_AGE = (
    "key stage 4 by age (school year not given): a school move needs the nominated "
    "officer's approval"
)
#: What every key stage 4 flag starts with: page 1's count of school moves to approve
#: counts them all (a move known, or possible as the school or school year is not known).
KS4_GATE = "key stage 4"
INADEQUATE = "rated inadequate by Ofsted: check the child's council's policy before placing"
NO_URN = "no Ofsted URN on the register: check the home is registered with Ofsted"
#: A home on several rows of the register (one row's ID, or several, in place of {}).
SAME_HOME = (
    "same home as {}: the same Ofsted URN and postcode, home_id, or row repeated, so check "
    "the home has a place for each child proposed on its rows"
)


def out_of_area_flag(code: str) -> str:
    """The out-of-area flag of a child whose responsible authority is ``code``: *"out of
    area for Bury: needs Bury's nominated officer's approval (its Director of Children's
    Services' if the home's area does not adjoin Bury)"*."""
    name = council_name(code)
    return (
        f"{OUT_OF_AREA}{name}: needs {name}'s nominated officer's approval (its Director of "
        f"Children's Services' if the home's area does not adjoin {name})"
    )


def pair_flags(
    prob: MatchProblem, ci: np.ndarray, pi: np.ndarray, weights: MatchingWeights
) -> np.ndarray:
    """The gates each pair ``(ci[k], pi[k])`` passes through, one string per pair."""
    ci, pi = np.asarray(ci, np.int64), np.asarray(pi, np.int64)
    a = prob.derived("_cost_arrays", _cost_arrays)
    _, school = pair_distances(prob, ci, pi)
    assumed = ~prob.place_located[pi] & (prob.unlocatable == "assume_far")
    school_known = ~np.isnan(prob.child_school_east[ci])
    ks4 = a.ks4[ci]
    far = school_known & ((np.nan_to_num(school, nan=0.0) > weights.school_free_miles) | assumed)
    outside = out_of_area(prob, ci, pi)
    council = prob.referrals["responsible_la"].astype("string").fillna("").to_numpy(object)
    said = {code: out_of_area_flag(code) for code in set(council[ci[outside]])}
    same = prob.derived("_same_home", _same_home)[pi]
    unknown = pets_unknown_flags(prob, ci, pi)  # a check, not a gate: rule 7's unknown
    gates = (
        (outside, np.array([said.get(code, "") for code in council[ci]], dtype=object)),
        (ks4 & far, KS4_MOVE),
        (ks4 & ~school_known, KS4_SCHOOL_UNKNOWN),
        (prob.derived("_ks4_by_age", _ks4_by_age)[ci] & (far | ~school_known), KS4_BY_AGE),
        (a.inadequate[pi], prob.derived("_inadequate", _inadequate)[pi]),
        (prob.derived("_no_urn", _no_urn)[pi], NO_URN),
        (same != "", same),
        (unknown != "", unknown),
    )
    out = np.full(len(ci), "", dtype=object)
    for hit, text in gates:
        words = np.broadcast_to(np.asarray(text, dtype=object), out.shape)[hit]
        out[hit] = np.where(out[hit] == "", words, out[hit] + "; " + words)
    return out


def flag_labels(flags: object) -> str:
    """A pair's ``flags`` cell in short words for a narrow column (``out of area, key
    stage 4 school move``): each flag's words before its colon; "" when none."""
    text = "" if not isinstance(flags, str) else flags
    return ", ".join(f.split(":")[0].strip() for f in text.split("; ") if f.strip())


def option_words(placement_id: object, diff: float, flags: object) -> str:
    """The report's "Next best option" cell: the placement, its weekly fee against the
    proposal's (``diff``) and the approvals and checks it would need (``flags``), as the
    "Other options" sheet gives them in full: ``P2 (£50 a week more; out of area)``."""
    gates = flag_labels(flags)
    return f"{placement_id} ({weekly_difference(diff)}{'; ' + gates if gates else ''})"


def weekly_difference(diff: float) -> str:
    """A weekly fee against the proposal's in words: ``£50 a week more``, ``£62 a week
    less`` or ``same weekly cost`` (under 50p either way)."""
    if abs(diff) < 0.5:
        return "same weekly cost"
    return f"£{abs(diff):,.0f} a week {'more' if diff > 0 else 'less'}"


def _same_home(prob: MatchProblem) -> np.ndarray:
    """Per placement, the check a home on several register rows carries ("" for most):
    *"same home as RH-B: ..."* where the rows are one home (the same Ofsted URN and
    postcode, or the team's home_id). Rows that only may be one home (a fostering
    agency's carers at one postcode) are warned of when the register is read, not flagged
    on every proposal."""
    ids = prob.placements["placement_id"].astype(str).to_numpy(object)
    out = np.full(prob.num_placements, "", dtype=object)
    home = prob.place_home
    for at in (r.to_numpy() for _, r in pd.Series(np.arange(len(home))).groupby(home)):
        for p in at.tolist() if len(at) > 1 else []:
            out[p] = SAME_HOME.format(listed([str(ids[q]) for q in at.tolist() if q != p]))
    return out


def _inadequate(prob: MatchProblem) -> np.ndarray:
    """Per placement, the inadequate check its home carries (any row's judgement)."""
    return inadequate_flags(prob, INADEQUATE)


def _no_urn(prob: MatchProblem) -> np.ndarray:
    """Children's homes and supported accommodation (which must be registered with
    Ofsted) whose ``urn`` cell is blank; none when the register has no ``urn`` column."""
    plc = prob.placements
    if "urn" not in plc.columns:
        return np.zeros(len(plc), bool)
    blank = plc["urn"].astype("string").str.strip().fillna("").eq("").to_numpy(bool)
    return blank & plc["setting"].isin(["residential", "supported"]).to_numpy(bool)


def _ks4_by_age(prob: MatchProblem) -> np.ndarray:
    """Children with no ``school_year`` whose date of birth puts them in year 10 or 11 of
    the school year of the run date (the year is their age on 31 August before it, less 4)."""
    day = prob.run_date
    start = day.year if day.month >= 9 else day.year - 1
    year = age_in_whole_years(prob.referrals["dob"], dt.date(start, 8, 31)) - 4
    blank = pd.to_numeric(prob.referrals["school_year"]).isna().to_numpy(bool)
    return np.asarray(blank & np.isin(year, (10, 11)), bool)
