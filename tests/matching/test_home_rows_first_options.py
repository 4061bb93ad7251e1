"""A home on several rows of the register is one option, not one per row, when matching
drops the pairs no plan needs (the dominance test and the greedy baseline's first
options). A children's home offered on two rows of one place (one URN and postcode), a
third home dearer, and two children: counted in rows, the one home's two rows were each
child's first two options, the third home's pairs were dropped, and one child was left
unplaced in a plan called optimal (today's practice too), with the third home free.

A foster household on two rows (one ``home_id``) whose rows give one child each, a
4-year-old on one and a 15-year-old on the other, has two children now (ages read over
its rows are two children, not one): the usual fostering limit of three leaves it one
place, not two."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from match_builders import POSTCODES, RUN_DATE, placement, placements_frame, referral
from match_builders import referrals_frame as refs_frame
from solve_paths import plan_by_path

from sufficiency.config import MatchingParams
from sufficiency.matching import build_problem, generate_candidates, solve
from sufficiency.matching.backends import available_backends

PATHS = ["compact", "column_generation", "national", "greedy", "legal_plan"]


def _one_bed_twice() -> pd.DataFrame:
    """One children's home on two rows of one place (no home_places), and another home."""
    home = {"setting": "residential", "provider": "external", "urn": "SC100001",
            "postcode": POSTCODES["near"], "weekly_cost": 4000.0}  # fmt: skip
    return placements_frame([
        placement("RH-A", **home),
        placement("RH-B", **home),
        placement("RH-Z", setting="residential", provider="external", urn="SC100002",
                  postcode=POSTCODES["malvern"], weekly_cost=5000.0),
    ])  # fmt: skip


def _household_two_children() -> pd.DataFrame:
    """A foster household on two rows whose rows each give one child, of different ages."""
    return placements_frame([
        placement("F-A", provider="ifa", vacancies=2, weekly_cost=800.0, home_id="H1",
                  current_children=1, current_ages=(4,)),
        placement("F-B", provider="ifa", vacancies=2, weekly_cost=800.0, home_id="H1",
                  current_children=1, current_ages=(15,)),
        placement("F-Z", provider="ifa", vacancies=2, weekly_cost=1900.0,
                  postcode=POSTCODES["malvern"]),
    ])  # fmt: skip


def _two_children(**kw: Any) -> pd.DataFrame:
    return refs_frame([referral("K1", age=12, **kw), referral("K2", age=13, **kw)])


CASES = {
    "one_bed_twice": (lambda: _two_children(foster_suitability="unsuitable"), _one_bed_twice),
    "household": (_two_children, _household_two_children),
}


def _at_most_one_in_the_shared_home(prob: Any, where: np.ndarray) -> None:
    shared = prob.home_rows[np.maximum(where, 0)] > 1
    assert int(((where >= 0) & shared).sum()) == 1, where


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("path", PATHS)
def test_both_children_are_placed_on_every_path(case: str, path: str) -> None:
    refs, plcs = CASES[case]
    prob = build_problem(refs(), plcs(), RUN_DATE)
    where = plan_by_path(prob, path)
    assert (where >= 0).all(), f"{path}: {where}"
    _at_most_one_in_the_shared_home(prob, where)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("backend", available_backends())
def test_every_backend_places_both(case: str, backend: str) -> None:
    refs, plcs = CASES[case]
    prob = build_problem(refs(), plcs(), RUN_DATE)
    result = solve(prob, MatchingParams(solver=backend))  # type: ignore[arg-type]
    assert result.status.value == "optimal", result.message
    assert (result.place_of_child >= 0).all(), result.place_of_child
    _at_most_one_in_the_shared_home(prob, result.place_of_child)


def test_the_third_home_is_kept_among_the_candidates() -> None:
    """The pruned candidates keep each child's pair with the third home (a first option
    counted in homes), as the unpruned ones do."""
    prob = build_problem(_two_children(foster_suitability="unsuitable"), _one_bed_twice(),
                         RUN_DATE)  # fmt: skip
    cands = generate_candidates(prob, MatchingParams())
    z = int(np.nonzero(prob.placements["placement_id"] == "RH-Z")[0][0])
    assert sorted(cands.child[cands.place == z].tolist()) == [0, 1]


def test_a_households_rows_giving_different_children_count_them_all() -> None:
    """Ages 4 and 15, each on one row giving one child, are two children now: one place
    left under the usual fostering limit of three, on either row."""
    prob = build_problem(_two_children(), _household_two_children(), RUN_DATE)
    assert prob.place_current.tolist() == [2, 2, 0]
    assert prob.place_home_room.tolist()[:2] == [1, 1]
    assert prob.place_ages_known.tolist() == [True, True, True]
