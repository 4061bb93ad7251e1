"""A team's exclusion of a child from one row of a home on several rows holds for the
home. Before, ``match`` with ``C1,RA,exclude`` ("the home refused him after a visit"),
where RA and RB are one children's home (the same URN and postcode), proposed C1 at RB,
and ``C2,FA,exclude`` ("carer not suitable") proposed C2 at FB, the same household (one
``home_id``): each flagged only as "same home as RA". Now neither is proposed there, on
every solve path, the exclusion's note names the other row, and a pin to the other row
is refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from match_builders import POSTCODES, RUN_DATE, placement, placements_frame, referral
from match_builders import referrals_frame as refs_frame
from reference import id_plan
from solve_paths import plan_by_path
from test_decisions import decision, decisions_frame

from sufficiency.config import Params
from sufficiency.matching import build_problem, run_matching
from sufficiency.matching.decisions import apply_decisions

PATHS = ["compact", "column_generation", "national", "greedy", "legal_plan", "repair"]
FAR = POSTCODES["birmingham"]


def _night() -> tuple[pd.DataFrame, pd.DataFrame]:
    refs = refs_frame([
        referral("C1", age=13, foster_suitability="unsuitable",
                 residential_suitability="preferred"),
        referral("C2", age=9),
    ])  # fmt: skip
    plcs = placements_frame([
        placement("RA", setting="residential", provider="external", weekly_cost=4000.0,
                  age_min=8, urn="SC444444"),
        placement("RB", setting="residential", provider="external", weekly_cost=4100.0,
                  age_min=8, urn="SC444444"),
        placement("RC", setting="residential", provider="external", weekly_cost=6000.0,
                  age_min=8, urn="SC555555", postcode=FAR),
        placement("FA", weekly_cost=500.0, home_id="HH1"),
        placement("FB", provider="ifa", weekly_cost=900.0, home_id="HH1"),
        placement("FC", provider="ifa", weekly_cost=1200.0, postcode=FAR),
    ])  # fmt: skip
    return refs, plcs


def _excluded() -> pd.DataFrame:
    return decisions_frame([
        decision("C1", "RA", "exclude", reason="the home refused him after a visit"),
        decision("C2", "FA", "exclude", reason="carer not suitable"),
    ])  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
def test_an_exclusion_from_one_row_keeps_the_child_from_the_homes_other_rows(path: str) -> None:
    refs, plcs = _night()
    prob, _ = apply_decisions(build_problem(refs, plcs, RUN_DATE), _excluded())
    plan = id_plan(prob, plan_by_path(prob, path))
    assert plan["C1"] not in ("RA", "RB")
    assert plan["C2"] not in ("FA", "FB")
    if path not in ("legal_plan", "repair"):  # these two only keep the hint legal
        assert plan == {"C1": "RC", "C2": "FC"}


def test_the_note_names_the_other_rows_and_a_pin_there_is_refused() -> None:
    refs, plcs = _night()
    table = pd.concat([_excluded(), decisions_frame([decision("C1", "RB")])])
    run = run_matching(refs, plcs, RUN_DATE, Params(), decisions=table)
    notes = {(n.child_id, n.placement_id): (n.status, n.note) for n in run.decisions.notes}
    one_home = "one home: the same Ofsted URN and postcode, or the same home_id"
    assert notes[("C1", "RA")] == (
        "applied",
        f"the child is not matched to this placement, nor to RB, the same home ({one_home}).",
    )
    assert notes[("C2", "FA")][1].endswith(f"nor to FB, the same home ({one_home}).")
    assert notes[("C1", "RB")] == (
        "refused",
        f"the same child is excluded by a decision from RA, a row of the same home ({one_home}).",
    )
    placed = dict(zip(run.matches["child_id"], run.matches["placement_id"], strict=True))
    assert placed == {"C1": "RC", "C2": "FC"}


def test_a_home_on_one_row_is_as_before() -> None:
    refs, plcs = _night()
    plcs = plcs.assign(home_id=pd.NA, urn=["SC1", "SC2", "SC3", pd.NA, pd.NA, pd.NA])
    prob, outcome = apply_decisions(build_problem(refs, plcs, RUN_DATE), _excluded())
    assert [n.note for n in outcome.notes] == ["the child is not matched to this placement."] * 2
    assert len(prob.decision_excluded) == 2
    assert id_plan(prob, plan_by_path(prob, "compact")) == {"C1": "RB", "C2": "FB"}
    assert np.all(prob.decision_pin == -1)


def test_an_exclusion_names_rows_that_may_be_one_household() -> None:
    """Two carers of one agency at one postcode with no home_id may be one household
    (warned of when the register is read, matched as two homes; often two households): the
    exclusion from one does not hold on the other, but its note names it and what to do."""
    refs = refs_frame([referral("C2", age=9)])
    plcs = placements_frame([
        placement("FA", provider="ifa", weekly_cost=800.0),
        placement("FB", provider="ifa", weekly_cost=900.0),
        placement("FC", provider="ifa", weekly_cost=1200.0, postcode=FAR),
    ])  # fmt: skip
    table = decisions_frame([decision("C2", "FA", "exclude")])
    run = run_matching(refs, plcs, RUN_DATE, Params(), decisions=table)
    assert list(run.matches["placement_id"]) == ["FB"]
    (note,) = run.decisions.notes
    assert note.note == (
        "the child is not matched to this placement; FB may be the same home (foster carers "
        "of one provider at one postcode, with no home_id: the exclusion does not hold there; "
        "exclude the child there too, or give the rows one home_id, if they are one "
        "household)."
    )
    # with home_ids saying they are two households, nothing more is said
    plcs = plcs.assign(home_id=["H-A", "H-B", "H-C"])
    run = run_matching(refs, plcs, RUN_DATE, Params(), decisions=table)
    assert run.decisions.notes[0].note == "the child is not matched to this placement."
