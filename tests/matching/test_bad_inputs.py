"""Awkward inputs give complete outputs with reasons, or one clear error; never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from match_builders import RUN_DATE, placement, placements_frame, referral, referrals_frame

from sufficiency.config import MatchingParams, Params
from sufficiency.errors import InputDataError
from sufficiency.matching import build_problem, run_matching, solve, write_match_outputs
from sufficiency.matching.writers import OUTPUT_FILES


def _run(refs: pd.DataFrame, plcs: pd.DataFrame, out: Path) -> dict:
    run = run_matching(refs, plcs, RUN_DATE, Params())
    write_match_outputs(run, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    return json.loads((out / "summary.json").read_text())


def test_zero_vacancies_leaves_everyone_unplaced_with_reasons(tmp_path: Path) -> None:
    """A register with no vacancies gives every child a capacity reason."""
    refs = referrals_frame([referral("C1"), referral("C2", needed_by=">5 days")])
    plcs = placements_frame([placement("P1", vacancies=0), placement("P2", vacancies=0)])
    summary = _run(refs, plcs, tmp_path)
    assert summary["children_placed"] == 0
    assert summary["status"] == "optimal"
    unplaced = pd.read_csv(tmp_path / "unplaced.csv")
    assert list(unplaced["excluded_capacity"]) == [2, 2]
    assert unplaced["reason"].str.contains("has no vacancy").all()


def test_sibling_group_that_never_fits_is_explained(tmp_path: Path) -> None:
    """Siblings who must stay together but fit nowhere are unplaced with a reason each."""
    refs = referrals_frame([referral(f"C{i}", sibling_group="G", age=5 + i) for i in range(3)])
    plcs = placements_frame([placement("P1", vacancies=2)])
    run = run_matching(refs, plcs, RUN_DATE, Params(matching=MatchingParams(siblings="together")))
    write_match_outputs(run, tmp_path)
    assert run.summary.children_placed == 2
    assert len(run.unplaced) == 1
    assert "needed for other children" in run.unplaced["reason"].iloc[0]


def test_every_child_unplaceable_gives_nearest_option(tmp_path: Path) -> None:
    """When no placement suits anyone, each child gets the nearest option and its broken rule."""
    refs = referrals_frame([referral("C1", sex="F"), referral("C2", sex="F", dolo=True)])
    plcs = placements_frame([placement("P1", sex="M"), placement("P2", sex="M", vacancies=2)])
    summary = _run(refs, plcs, tmp_path)
    unplaced = pd.read_csv(tmp_path / "unplaced.csv")
    assert summary["children_placed"] == 0
    assert unplaced["nearest_placement_id"].notna().all()
    assert unplaced["nearest_breaks"].str.contains("sex").all()


def test_no_placements_at_all(tmp_path: Path) -> None:
    """An empty register still writes every output, with one sentence per child."""
    refs = referrals_frame([referral("C1")])
    summary = _run(refs, placements_frame([]), tmp_path)
    assert summary["children_placed"] == 0
    assert "No placements" in pd.read_csv(tmp_path / "unplaced.csv")["reason"].iloc[0]


def test_no_referrals_at_all(tmp_path: Path) -> None:
    """No referrals tonight gives empty tables and a zero objective."""
    summary = _run(referrals_frame([]), placements_frame([placement("P1")]), tmp_path)
    assert summary["objective_gbp"] == 0


def test_build_problem_raises_on_missing_column() -> None:
    """A placement table without a contract column raises InputDataError naming it."""
    plcs = placements_frame([placement("P1")]).drop(columns=["vacancies"])
    with pytest.raises(InputDataError, match="vacancies"):
        build_problem(referrals_frame([referral("C1")]), plcs, RUN_DATE)


def test_unknown_extra_columns_are_ignored() -> None:
    """Extra placement columns do not change the proposal."""
    refs = referrals_frame([referral("C1")])
    plcs = placements_frame([placement("P1")])
    base = solve(build_problem(refs, plcs, RUN_DATE), MatchingParams())
    plcs["colour_of_door"] = "red"
    again = solve(build_problem(refs, plcs, RUN_DATE), MatchingParams())
    assert again.objective_gbp == base.objective_gbp


def test_summary_counts_sibling_groups_kept_together(tmp_path: Path) -> None:
    """Two siblings sharing one placement count as one group kept together."""
    refs = referrals_frame([referral("C1", sibling_group="G"), referral("C2", sibling_group="G")])
    summary = _run(refs, placements_frame([placement("P1", vacancies=2)]), tmp_path)
    assert summary["sibling_groups_kept_together"] == 1
