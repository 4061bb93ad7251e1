"""One children's home on two rows of a merged register (the same Ofsted URN and postcode):
the who-lives-alongside rules hold across its rows on every solve path, in the team's
pins and in the reasons given; rows that may be one home are warned of, by row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from match_builders import POSTCODES, RUN_DATE, placement, placements_frame, referral
from match_builders import referrals_frame as refs_frame
from test_decisions import _where, decision, decisions_frame
from test_matching_command import write_inputs
from test_referral_inputs import _cli

from sufficiency.config import MatchingParams, Params
from sufficiency.io.inputs import load_placements
from sufficiency.io.same_home import home_of
from sufficiency.matching import build_problem, greedy_plan, run_matching, solve
from sufficiency.matching.decisions import apply_decisions
from sufficiency.matching.gates import pair_flags
from sufficiency.matching.transport import legal_plan


def _home_rows(**kw: Any) -> pd.DataFrame:
    """A children's home offered on two rows (two frameworks), one place each, two beds
    (``home_places``: without it the rows would give one place across them)."""
    common = {"setting": "residential", "provider": "external", "urn": "SC123456",
              "postcode": POSTCODES["near"], "home_places": 2, **kw}  # fmt: skip
    return placements_frame([
        placement("RH-A", weekly_cost=4000.0, **common),
        placement("RH-B", weekly_cost=4100.0, urn=" sc123456", **{
            k: v for k, v in common.items() if k != "urn"}),
    ])  # fmt: skip


def _physical_and_young() -> pd.DataFrame:
    """A 15-year-old who is a risk of physical harm and a 4-year-old."""
    return refs_frame([
        referral("C1", age=15, risks=("harm_physical",), foster_suitability="unsuitable"),
        referral("C2", age=4, foster_suitability="unsuitable"),
    ])  # fmt: skip


def _solo_and_another() -> pd.DataFrame:
    """A child who may live with no other child, and another."""
    return refs_frame([
        referral("C3", age=13, alongside="solo", foster_suitability="unsuitable"),
        referral("C4", age=14, foster_suitability="unsuitable"),
    ])  # fmt: skip


CASES = [_physical_and_young, _solo_and_another]


def _placed(prob: Any, where: np.ndarray) -> dict[str, str]:
    ids = prob.placements["placement_id"].astype(str).to_numpy()
    kids = prob.referrals["child_id"].astype(str).to_numpy()
    return {str(kids[c]): str(ids[p]) for c, p in enumerate(where.tolist()) if p >= 0}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("method", ["compact", "column_generation"])
def test_two_rows_of_one_home_never_take_two_children_who_may_not_live_together(
    case: Any, method: Any
) -> None:
    """Before, each row was its own home: the 15-year-old went on RH-B and the 4-year-old
    on RH-A of the same house (a 'solo' child likewise beside another)."""
    prob = build_problem(case(), _home_rows(), RUN_DATE)
    result = solve(prob, MatchingParams(), method=method)
    assert len(_placed(prob, result.place_of_child)) == 1
    assert result.status.value == "optimal"


@pytest.mark.parametrize("case", CASES)
def test_greedy_and_the_legal_plan_keep_the_rule_across_rows(case: Any) -> None:
    """Today's practice (greedy) and the plan made legal from a hint that puts the two
    children on the two rows place only one of them."""
    prob = build_problem(case(), _home_rows(), RUN_DATE)
    assert len(_placed(prob, greedy_plan(prob, MatchingParams()))) == 1
    child, place = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    hint = np.array([1, 0])
    where = legal_plan(prob, MatchingParams(), hint, child, place, np.ones(4))
    assert len(_placed(prob, where)) == 1


def test_foster_carers_at_one_postcode_are_not_one_home() -> None:
    """A fostering agency's URN is the agency's: two of its carers at one postcode are
    matched as two homes (and warned of when read from a file, below)."""
    plcs = placements_frame([
        placement("F-A", provider="ifa", urn="SC999", vacancies=1),
        placement("F-B", provider="ifa", urn="SC999", vacancies=1),
    ])  # fmt: skip
    refs = refs_frame([referral("C3", age=13, alongside="solo"), referral("C4", age=14)])
    prob = build_problem(refs, plcs, RUN_DATE)
    assert _placed(prob, solve(prob, MatchingParams()).place_of_child) == {"C3": "F-A", "C4": "F-B"}


def test_a_home_whose_rows_give_different_current_children_is_read_with_all_of_them() -> None:
    """Row RH-A says nobody lives there, RH-B a 5-year-old: the 15-year-old who is a risk
    of physical harm goes on neither row, and a 'solo' child neither."""
    plcs = _home_rows()
    plcs.loc[1, "current_children"] = 1
    plcs.at[1, "current_ages"] = (5,)
    refs = refs_frame([
        referral("C1", age=15, risks=("harm_physical",), foster_suitability="unsuitable"),
        referral("C3", age=13, alongside="solo", foster_suitability="unsuitable"),
    ])  # fmt: skip
    prob = build_problem(refs, plcs, RUN_DATE)
    assert _placed(prob, solve(prob, MatchingParams()).place_of_child) == {}


def test_pins_to_two_rows_of_one_home_who_may_not_live_together_are_refused() -> None:
    """The team pins the 15-year-old to RH-A and the 4-year-old to RH-B: both refused,
    the note naming the two rows as one home."""
    pins = decisions_frame([decision("C1", "RH-A"), decision("C2", "RH-B")])
    prob, notes = apply_decisions(build_problem(_physical_and_young(), _home_rows(), RUN_DATE),
                                  pins)  # fmt: skip
    refused = [n for n in notes.with_status("refused")]
    assert len(refused) == 2
    assert "pinned to RH-A and RH-B, rows of one home," in refused[0].note
    assert prob.decision_pin is not None and (prob.decision_pin == -1).all()


def test_the_child_left_out_is_told_of_the_child_on_the_homes_other_row() -> None:
    """The unplaced child's nearest row has a place left, but the child on the home's
    other row may not live with them: the reason says so, not 'a place left for them'."""
    refs = refs_frame([
        referral("C1", age=15, risks=("harm_physical",), foster_suitability="unsuitable"),
        referral("C2", age=4, foster_suitability="unsuitable", needed_by=">5 days"),
    ])  # fmt: skip
    plcs = _home_rows()
    plcs.loc[0, "age_max"] = 12  # one framework offers the home for younger children
    run = run_matching(refs, plcs, RUN_DATE, Params())
    assert _where(run) == {"C1": "RH-B", "C2": None}
    (row,) = run.unplaced.to_dict("records")
    assert row["child_id"] == "C2"
    assert row["nearest_breaks"] == "conflict", row["reason"]
    assert "is placed in the same home (its row RH-" in row["reason"]


def test_the_register_warns_of_one_home_on_two_rows_and_of_rows_that_may_be(
    tmp_path: Path,
) -> None:
    """validate's reader (and so the report's Input notes) names the rows and IDs of a home
    on two rows, and of foster rows that may be one household (P2-B differs from P2 in its
    fee: a row repeating another in every cell is one home, test_repeated_register_row.py);
    the sample has neither."""
    _, path = write_inputs(tmp_path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    extra = pd.DataFrame([
        {**df.iloc[2].to_dict(), "placement_id": "P3-IFA", "urn": "SC1", "current_children": "1",
         "current_ages": "9", "sex": "F"},
        {**df.iloc[1].to_dict(), "placement_id": "P2-B", "urn": "SC7", "weekly_cost": "905"},
    ])  # fmt: skip
    df.loc[df["placement_id"] == "P3", "urn"] = "SC1"
    df.loc[df["placement_id"] == "P2", "urn"] = "SC7"
    pd.concat([df, extra]).to_csv(path, index=False)
    _, problems = load_placements(path)
    found = {p.code: p for p in problems if p.code in ("same_home", "maybe_same_home")}
    same, maybe = found["same_home"], found["maybe_same_home"]
    assert same.row == 4 and same.message.startswith("rows 4 and 6 (P3, P3-IFA) are one home")
    assert "Their current children differ" in same.message and same.severity == "warning"
    assert "The rows differ in sex: every row is read the stricter way" in same.message
    assert maybe.message.startswith("rows 3 and 7 (P2, P2-B) may be one home: foster carers")


def test_the_match_report_carries_the_warning(tmp_path: Path) -> None:
    """`match` prints the warning and writes it to summary.json's input notes (the
    report's Input notes sheet), with the matches made across the home's rows."""
    refs, plcs = tmp_path / "referrals.csv", tmp_path / "placements.csv"
    write_inputs(tmp_path)
    kids = pd.read_csv(refs, dtype=str, keep_default_na=False)
    kids.loc[kids["child_id"] == "C3", "risks"] = "harm_physical"
    kids.to_csv(refs, index=False)
    homes = pd.read_csv(plcs, dtype=str, keep_default_na=False)
    homes.loc[homes["placement_id"] == "P3", "urn"] = "SC1"
    second = {**homes.loc[homes["placement_id"] == "P3"].iloc[0].to_dict(), "placement_id": "P5"}
    pd.concat([homes, pd.DataFrame([second])]).to_csv(plcs, index=False)
    code, out = _cli("--referrals", str(refs), "--placements", str(plcs),
                     "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 0, out
    assert "rows 4 and 6 (P3, P5) are one home" in out
    notes = json.loads((tmp_path / "out" / "summary.json").read_text())["input_notes"]
    assert [n["code"] for n in notes if n["code"] == "same_home"] == ["same_home"]


def test_proposals_on_a_home_of_several_rows_carry_a_check() -> None:
    """Each row of one home is flagged naming the home's other rows (check it has a place
    for each child); rows that only may be one home (two foster carers of one agency at
    one postcode) are warned of when read, not flagged."""
    plcs = pd.concat([_home_rows(), placements_frame([
        placement("F-A", provider="ifa", urn="SC999"), placement("F-B", provider="ifa",
                                                                 urn="SC999"),
        placement("F-C", provider="ifa", urn="SC999", postcode=POSTCODES["malvern"]),
    ])], ignore_index=True)  # fmt: skip
    prob = build_problem(_solo_and_another(), plcs, RUN_DATE)
    said = pair_flags(prob, np.zeros(5, np.int64), np.arange(5), Params().matching.weights)
    flags = dict(zip(prob.placements["placement_id"], said, strict=True))
    assert flags["RH-A"].startswith("same home as RH-B: the same Ofsted URN and postcode")
    assert flags["RH-B"].startswith("same home as RH-A")
    assert flags["F-A"] == flags["F-B"] == flags["F-C"] == ""


def test_a_homes_sex_risks_and_pets_are_read_over_all_its_rows() -> None:
    """One framework's row says the home takes girls only, cannot take fire-setting and
    has a dog; the other row says none of it: no row takes a boy, a fire-setter or a child
    who may not live with pets; and rows naming both sexes take nobody."""
    plcs = _home_rows()
    plcs.loc[0, "sex"] = "F"
    plcs.at[0, "risk_exclusions"] = ("fire_setting",)
    plcs.loc[0, "has_pets"] = True
    refs = refs_frame([
        referral("B1", sex="M", foster_suitability="unsuitable"),
        referral("G1", sex="F", risks=("fire_setting",), foster_suitability="unsuitable"),
        referral("G2", sex="F", pets="no", foster_suitability="unsuitable"),
        referral("G3", sex="F", foster_suitability="unsuitable"),
    ])  # fmt: skip
    prob = build_problem(refs, plcs, RUN_DATE)
    assert _placed(prob, solve(prob, MatchingParams()).place_of_child) == {"G3": "RH-A"}
    plcs.loc[1, "sex"] = "M"
    prob = build_problem(refs, plcs, RUN_DATE)
    assert _placed(prob, solve(prob, MatchingParams()).place_of_child) == {}


def _household_rows(home_ids: tuple[object, object] | None) -> pd.DataFrame:
    """A foster household on two rows (an agency's carers, one place each, two beds), with
    the team's ``home_id`` per row, or no such column."""
    plcs = placements_frame([
        placement("F-A", provider="ifa", urn="SC999", weekly_cost=900.0, home_places=2),
        placement("F-B", provider="ifa", urn="SC999", weekly_cost=950.0, home_places=2),
    ])  # fmt: skip
    if home_ids is not None:
        plcs["home_id"] = pd.Series(home_ids, dtype="string")
    return plcs


def _foster_physical_and_young() -> pd.DataFrame:
    """A 15-year-old who is a risk of physical harm and a 4-year-old, both able to foster."""
    return refs_frame([referral("C1", age=15, risks=("harm_physical",)), referral("C2", age=4)])


@pytest.mark.parametrize("method", ["compact", "column_generation", "greedy"])
def test_a_households_rows_the_team_gives_one_home_id_are_one_home(method: str) -> None:
    """Before, a foster household on two rows was two homes whatever the team knew: the
    15-year-old went on F-A and the 4-year-old on F-B, into one household. With one
    home_id (case and spaces aside) only one of them is proposed there; with different
    home_ids, or none, both are, one on each row."""

    def placed(home_ids: tuple[object, object] | None) -> dict[str, str]:
        prob = build_problem(_foster_physical_and_young(), _household_rows(home_ids), RUN_DATE)
        if method == "greedy":
            return _placed(prob, greedy_plan(prob, MatchingParams()))
        return _placed(prob, solve(prob, MatchingParams(), method=method).place_of_child)

    assert len(placed(("Smith-1", " smith-1"))) == 1
    for apart in (None, ("H1", "H2"), (pd.NA, pd.NA)):
        where = placed(apart)
        assert sorted(where) == ["C1", "C2"] and sorted(where.values()) == ["F-A", "F-B"]


def _household_register(tmp_path: Path, household: dict[str, str] | None) -> Path:
    """The sample register with P2 (an agency's foster carer) given again as P2-B at its
    postcode at another fee (a row repeating it in every cell is one home given twice:
    test_repeated_register_row.py), and a ``Household ID`` column as ``household`` says
    (none: no column)."""
    _, path = write_inputs(tmp_path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    second = {**df.loc[df["placement_id"] == "P2"].iloc[0].to_dict(), "placement_id": "P2-B",
              "weekly_cost": "905"}  # fmt: skip
    df = pd.concat([df, pd.DataFrame([second])], ignore_index=True)
    if household is not None:
        df["Household ID"] = df["placement_id"].map(household).fillna("")
    df.to_csv(path, index=False)
    return path


def _codes(path: Path) -> dict[str, list[str]]:
    _, problems = load_placements(path)
    out: dict[str, list[str]] = {}
    for p in problems:
        if p.code in ("same_home", "maybe_same_home", "home_id_differs"):
            out.setdefault(p.code, []).append(p.message)
    return out


def test_the_register_reads_the_teams_household_column(tmp_path: Path) -> None:
    """Without the column the two rows may be one household, and the warning says how to
    tell: with one Household ID they are one home (warned of as one, the matching's
    home has both rows, and no 'may be'); with two, two homes and no warning at all; one
    Household ID at two postcodes is warned of by row and ID."""
    said = _codes(_household_register(tmp_path, None))
    (maybe,) = said.pop("maybe_same_home")
    assert said == {} and maybe.startswith("rows 3 and 6 (P2, P2-B) may be one home: foster")
    assert "or give them a home_id (the same on rows of one home or household," in maybe

    path = _household_register(tmp_path, {"P2": "Smith", "P2-B": " SMITH "})
    said = _codes(path)
    (same,) = said.pop("same_home")
    assert said == {} and same.startswith(
        "rows 3 and 6 (P2, P2-B) are one home (the same Household ID): matching applies"
    )
    _, problems = load_placements(path)
    assert [p.column for p in problems if p.code == "same_home"] == ["Household ID"]
    plcs, _ = load_placements(path)
    prob = build_problem(_foster_physical_and_young(), plcs, RUN_DATE)
    homes = dict(zip(prob.placements["placement_id"], prob.place_home.tolist(), strict=True))
    assert homes["P2"] == homes["P2-B"] != homes["P1"]

    assert _codes(_household_register(tmp_path, {"P2": "H1", "P2-B": "H2"})) == {}

    path = _household_register(tmp_path, {"P2": "H1", "P2-B": "H1", "P1": "H1"})
    (differs,) = _codes(path)["home_id_differs"]
    assert differs == (
        "rows 2, 3 and 6 (P1, P2, P2-B) have one Household ID but give different postcodes: "
        "they are matched as one home (who may live alongside whom across its rows). Check "
        "the Household ID or the postcodes."
    )


def test_rows_linked_by_urn_and_by_home_id_are_one_home() -> None:
    """F-C and RH-A share a home_id, RH-A and RH-B a URN and postcode: all three are one
    home (read in either order, a row is not left in two homes); F-D, with a home_id of
    its own, is its own."""
    plcs = pd.concat([
        placements_frame([placement("F-C")]), _home_rows(), placements_frame([placement("F-D")])
    ], ignore_index=True)  # fmt: skip
    plcs["home_id"] = pd.Series(["H2", "h2", pd.NA, "H3"], dtype="string")
    assert home_of(plcs).tolist() == [0, 0, 0, 3]
    assert home_of(plcs.iloc[::-1]).tolist() == [0, 1, 1, 1]


def test_pins_to_a_households_two_rows_are_refused_and_the_proposal_flagged() -> None:
    """The team's own pins follow its home_id: the 15-year-old pinned to F-A and the
    4-year-old to F-B of one household are both refused, and each row's proposals carry
    the same-home check."""
    plcs = _household_rows(("Smith-1", "Smith-1"))
    pins = decisions_frame([decision("C1", "F-A"), decision("C2", "F-B")])
    prob, notes = apply_decisions(build_problem(_foster_physical_and_young(), plcs, RUN_DATE),
                                  pins)  # fmt: skip
    refused = list(notes.with_status("refused"))
    assert len(refused) == 2 and "pinned to F-A and F-B, rows of one home," in refused[0].note
    said = pair_flags(prob, np.zeros(2, np.int64), np.arange(2), Params().matching.weights)
    assert "same home as F-B: the same Ofsted URN and postcode, home_id, or row repeated" in said[0]
