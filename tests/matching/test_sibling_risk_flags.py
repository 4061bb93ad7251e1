"""A sibling group proposed in one home where one sibling is a risk of sexual harm to
younger children (rule 11), or of physical harm to children 3 or more years younger (rule
14), and a sibling is younger: the rules keep siblings apart from neither, so the plan
proposes them together, and before, matches.csv, the report and the console said nothing
of it (`match` on a 13-year-old with harm_sexual and a 7-year-old sibling, one empty
foster home: both placed there, flags blank). Each such proposal now carries a check
naming the siblings and the rule, on every solve path and in the greedy baseline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from match_builders import (
    RUN_DATE,
    referral,
    sibling_night,
)
from solve_paths import plan_by_path

from sufficiency.config import MatchingParams, Params
from sufficiency.matching import build_problem, run_matching
from sufficiency.matching.plan import evaluate_plan
from sufficiency.matching.sibling_risks import SIBLING_RISK

PATHS = ["compact", "column_generation", "national", "greedy", "legal_plan"]


def _night(risk: str, young: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [
        referral("K1", age=13, sibling_group="G1", risks=(risk,)),
        referral("K2", age=young, sibling_group="G1"),
        referral("K3", age=12),
    ]
    return sibling_night(rows)


@pytest.mark.parametrize("path", PATHS)
def test_a_sibling_who_is_a_risk_of_sexual_harm_is_flagged_with_the_younger(path: str) -> None:
    refs, plcs = _night("harm_sexual")
    prob = build_problem(refs, plcs, RUN_DATE)
    where = plan_by_path(prob, path)
    plan = evaluate_plan(prob, where, MatchingParams().weights).set_index("child_id")
    assert plan.loc["K1", "placement_id"] == plan.loc["K2", "placement_id"] == "F1"
    said = (
        "K1 is a risk of sexual harm to younger children and is proposed with K2, a younger "
        f"sibling (rule 11 does not keep siblings apart): {SIBLING_RISK}"
    )
    assert plan.loc["K1", "flags"] == said
    assert plan.loc["K2", "flags"] == said
    assert plan.loc["K3", "flags"] == ""


def test_the_check_is_on_matches_csv_and_the_physical_rule_too() -> None:
    refs, plcs = _night("harm_physical", young=9)
    run = run_matching(refs, plcs, RUN_DATE, Params())
    flags = run.matches.set_index("child_id")["flags"]
    said = (
        "K1 is a risk of physical harm to younger children and is proposed with K2, a sibling "
        f"3 or more years younger (rule 14 does not keep siblings apart): {SIBLING_RISK}"
    )
    assert flags["K1"] == flags["K2"] == said
    assert flags["K3"] == ""


def test_no_check_where_the_sibling_is_older_or_not_with_them() -> None:
    """The younger child of the two is the risk (nobody younger with them); a sibling 2
    years younger is within rule 14's 3; siblings in two homes are not together."""
    refs, plcs = _night("harm_sexual", young=15)  # K2 older than K1
    prob = build_problem(refs, plcs, RUN_DATE)
    plan = evaluate_plan(prob, plan_by_path(prob, "compact"), MatchingParams().weights)
    assert not plan["flags"].str.contains(SIBLING_RISK, regex=False).any()
    refs, plcs = _night("harm_physical", young=11)
    prob = build_problem(refs, plcs, RUN_DATE)
    plan = evaluate_plan(prob, plan_by_path(prob, "compact"), MatchingParams().weights)
    assert not plan["flags"].str.contains(SIBLING_RISK, regex=False).any()
    refs, plcs = _night("harm_sexual")
    prob = build_problem(refs, plcs, RUN_DATE)
    apart = np.array([0, 1, -1])  # K1 at F1, K2 at F2 (the register's order)
    assert list(prob.placements["placement_id"]) == ["F1", "F2"]
    plan = evaluate_plan(prob, apart, MatchingParams().weights)
    assert not plan["flags"].str.contains(SIBLING_RISK, regex=False).any()
