"""A child referred ``solo`` (or ``only_older``, ``only_younger``) proposed in one home with
their own siblings: rule 10 never keeps siblings apart (keeping them together is the duty),
so the plan proposes them together, and before, matches.csv and the report said nothing
of it (`match` on a solo 9-year-old and an 11-year-old sibling, one empty foster home of
two places: both placed there, flags blank). Each such proposal now carries a check
naming the siblings and the need, on every solve path and in the greedy baseline."""

from __future__ import annotations

import pandas as pd
import pytest
from match_builders import (
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
    sibling_night,
)
from reference import id_plan, plan_violations
from solve_paths import plan_by_path

from sufficiency.config import MatchingParams, Params
from sufficiency.matching import build_problem, run_matching
from sufficiency.matching.plan import evaluate_plan
from sufficiency.matching.sibling_alongside import SIBLING_ALONGSIDE

PATHS = ["compact", "column_generation", "national", "greedy", "legal_plan"]


def _night(along: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [
        referral("S1", age=9, sibling_group="G1", alongside=along),
        referral("S2", age=11, sibling_group="G1"),
        referral("S3", age=12),
    ]
    return sibling_night(rows)


@pytest.mark.parametrize("path", PATHS)
def test_a_solo_child_with_their_siblings_is_flagged_on_both_rows(path: str) -> None:
    refs, plcs = _night("solo")
    prob = build_problem(refs, plcs, RUN_DATE)
    where = plan_by_path(prob, path)
    assert plan_violations(refs, plcs, id_plan(prob, where), RUN_DATE) == []
    plan = evaluate_plan(prob, where, MatchingParams().weights).set_index("child_id")
    assert plan.loc["S1", "placement_id"] == plan.loc["S2", "placement_id"] == "F1"
    said = (
        f"siblings S1 and S2 together, though S1 is to live with no other child: "
        f"{SIBLING_ALONGSIDE}"
    )
    assert plan.loc["S1", "flags"] == plan.loc["S2", "flags"] == said
    assert plan.loc["S3", "flags"] == ""


def test_only_younger_is_flagged_with_an_older_sibling_only_older_is_not() -> None:
    refs, plcs = _night("only_younger")  # S2 is older than S1: the need rules S2 out
    run = run_matching(refs, plcs, RUN_DATE, Params())
    flags = dict(zip(run.matches["child_id"], run.matches["flags"], strict=True))
    assert "though S1 is to live only with younger children" in flags["S1"]
    assert flags["S1"] == flags["S2"]
    refs, plcs = _night("only_older")  # S2 is older: met, no check
    run = run_matching(refs, plcs, RUN_DATE, Params())
    assert not run.matches["flags"].str.contains(SIBLING_ALONGSIDE, regex=False).any()


def test_siblings_apart_carry_no_check() -> None:
    refs, plcs = _night("solo")
    plcs = placements_frame([placement("F1", weekly_cost=600.0),
                             placement("F2", weekly_cost=650.0),
                             placement("F3", weekly_cost=700.0)])  # fmt: skip
    run = run_matching(refs, plcs, RUN_DATE, Params())
    assert not run.matches["flags"].str.contains(SIBLING_ALONGSIDE, regex=False).any()


def test_a_group_of_three_with_two_needs_carries_one_sentence() -> None:
    """R007 (only with younger children, say) and R008 (with no other child) proposed with R006:
    each row carried both children's sentences, 451 characters, and the workbook's Children
    placed sheet printed one child a page. One sentence for the group now, on each row."""
    refs = referrals_frame([
        referral("T1", age=14, sibling_group="G"),
        referral("T2", age=10, sibling_group="G", alongside="only_younger"),
        referral("T3", age=12, sibling_group="G", alongside="solo"),
    ])  # fmt: skip
    plcs = placements_frame([placement("F1", vacancies=3, weekly_cost=600.0)])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    flags = dict(zip(run.matches["child_id"], run.matches["flags"], strict=True))
    said = (
        "siblings T1, T2 and T3 together, though T2 is to live only with younger "
        f"children and T3 with no other child: {SIBLING_ALONGSIDE}"
    )
    assert flags == {"T1": said, "T2": said, "T3": said}
