"""Rules 13-15 (harm to animals, physical harm to younger children, unlocatable
placements) on every path that decides a plan, and their settings."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)

from sufficiency.config import MatchingParams, Params
from sufficiency.figures import day
from sufficiency.matching import build_problem, run_matching, solve, write_match_outputs
from sufficiency.matching.candidates import RULE_CODES, children_conflict, generate_candidates
from sufficiency.matching.costs import pair_terms
from sufficiency.matching.decisions import conflict_rule


def _placed(refs: pd.DataFrame, plcs: pd.DataFrame, **mp: object) -> dict[str, str | None]:
    params = MatchingParams(**mp)  # type: ignore[arg-type]
    result = solve(build_problem(refs, plcs, RUN_DATE, params), params)
    return {
        str(r.child_id): None if pd.isna(r.placement_id) else str(r.placement_id)
        for r in result.plan.itertuples()
    }


def test_risk_to_animals_is_never_placed_with_pets_even_when_cheaper() -> None:
    """The cheap home with pets goes to nobody at risk of harming animals (rule 13)."""
    refs = referrals_frame([referral("C1", risks=("harm_animals",), pets="can")])
    plcs = placements_frame([placement("P1", has_pets=True, weekly_cost=300.0),
                             placement("P2", has_pets=False, weekly_cost=900.0)])  # fmt: skip
    assert _placed(refs, plcs) == {"C1": "P2"}


def test_pets_must_and_harm_animals_takes_the_safer_reading() -> None:
    """'Must live with pets' and a risk to animals: no home with pets, a home without
    pets is acceptable (the child is not left unplaced by the contradiction)."""
    refs = referrals_frame([referral("C1", risks=("harm_animals",), pets="must")])
    plcs = placements_frame([placement("P1", has_pets=True, weekly_cost=300.0),
                             placement("P2", has_pets=False, weekly_cost=900.0)])  # fmt: skip
    assert _placed(refs, plcs) == {"C1": "P2"}


def test_no_pets_and_a_risk_to_animals_count_a_home_with_pets_under_both_rules() -> None:
    """A child who may not live with pets and is a risk to animals, left unplaced: the
    home with pets and the home that does not say break rule 7 (pets) as well as rule 13,
    and unplaced.csv counts them under both, as it does for any home breaking two rules.
    Rule 13's safer reading (never "must" have pets) turned the child's "no" into "any",
    so `excluded_pets` said 0: the team read that the pets answer excluded nothing."""
    refs = referrals_frame([referral("C1", risks=("harm_animals",), pets="no"),
                            referral("C2", risks=("harm_animals",), pets="must")])  # fmt: skip
    plcs = placements_frame([placement("P1", has_pets=True), placement("P2", has_pets=None)])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    rows = run.unplaced.set_index("child_id")
    assert rows.loc["C1", "excluded_pets"] == 2
    assert rows.loc["C1", "excluded_harm_animals"] == 2
    assert rows.loc["C1", "nearest_breaks"] == "pets; harm_animals"
    # "must" yields to the risk (the safer reading): only rule 13 excludes them
    assert rows.loc["C2", "excluded_pets"] == 0
    assert rows.loc["C2", "excluded_harm_animals"] == 2


def test_rule_13_can_be_turned_off() -> None:
    """With harm_animals_excludes_pets = false the cheaper home with pets is used."""
    refs = referrals_frame([referral("C1", risks=("harm_animals",), pets="can")])
    plcs = placements_frame([placement("P1", has_pets=True, weekly_cost=300.0),
                             placement("P2", has_pets=False, weekly_cost=900.0)])  # fmt: skip
    assert _placed(refs, plcs, harm_animals_excludes_pets=False) == {"C1": "P1"}


def test_physical_harm_and_a_much_younger_referred_child_never_share() -> None:
    """A 15-year-old at risk of physical harm and a 4-year-old (not siblings) are never
    placed together, though one home for both would be cheapest (rule 14)."""
    refs = referrals_frame([referral("C1", age=15, risks=("harm_physical",)),
                            referral("C2", age=4)])  # fmt: skip
    plcs = placements_frame([placement("P1", vacancies=2, weekly_cost=400.0),
                             placement("P2", weekly_cost=2000.0)])  # fmt: skip
    plan = _placed(refs, plcs)
    assert plan["C1"] is not None and plan["C2"] is not None
    assert plan["C1"] != plan["C2"]
    prob = build_problem(refs, plcs, RUN_DATE)
    assert children_conflict(prob, pd.Series([0]).to_numpy(), pd.Series([1]).to_numpy())[0]


def test_physical_harm_rule_spares_siblings_and_near_ages() -> None:
    """Siblings are never each other's others, and a child under 3 years younger is
    no conflict."""
    refs = referrals_frame([
        referral("C1", age=15, risks=("harm_physical",), sibling_group="G"),
        referral("C2", age=4, sibling_group="G"),
        referral("C3", age=13),
    ])  # fmt: skip
    prob = build_problem(refs, placements_frame([placement("P1", vacancies=3)]), RUN_DATE)
    a, b = pd.Series([0, 0]).to_numpy(), pd.Series([1, 2]).to_numpy()
    assert not children_conflict(prob, a, b).any()


def test_physical_harm_gap_is_configurable_and_zero_turns_it_off() -> None:
    """harm_physical_years_younger sets the gap; 0 switches the rule off."""
    refs = referrals_frame([referral("C1", age=15, risks=("harm_physical",))])
    plcs = placements_frame([placement("P1", current_children=1, current_ages=(11,))])
    assert generate_candidates(build_problem(refs, plcs, RUN_DATE)).num_pairs == 0
    wide = MatchingParams(harm_physical_years_younger=5)
    assert generate_candidates(build_problem(refs, plcs, RUN_DATE, wide)).num_pairs == 1
    off = MatchingParams(harm_physical_years_younger=0)
    unknown = placements_frame([placement("P1", current_children=1, current_ages=())])
    assert generate_candidates(build_problem(refs, unknown, RUN_DATE, off)).num_pairs == 1


def test_sexual_harm_never_with_a_current_child_who_may_be_younger() -> None:
    """A current child of the same whole-year age may be months younger: a child who is
    a risk of sexual harm is not proposed there (rule 11), an older household is fine."""
    refs = referrals_frame([referral("C1", age=13, risks=("harm_sexual",))])
    same = placements_frame([placement("P1", current_children=1, current_ages=(13,),
                                       weekly_cost=300.0),
                             placement("P2", current_children=1, current_ages=(14,),
                                       weekly_cost=900.0)])  # fmt: skip
    assert _placed(refs, same) == {"C1": "P2"}
    cands = generate_candidates(build_problem(refs, same, RUN_DATE))
    assert cands.excluded_counts[0][list(RULE_CODES).index("harm_sexual")] == 1


@pytest.mark.parametrize("method", ["compact", "auto"])
def test_sexual_harm_never_with_a_referred_child_born_later_in_the_same_year(
    method: str,
) -> None:
    """Two 12-year-olds, not siblings: the one at risk of sexual harm is 10 months older,
    so the other is a younger child and they never share the cheap home (rule 11), in the
    plan or today's practice; a child born earlier is not younger and may share it."""
    older = pd.Timestamp(RUN_DATE.year - 13, RUN_DATE.month, 1) + pd.Timedelta(days=20)
    later = pd.Timestamp(RUN_DATE.year - 12, 1, 15)
    refs = referrals_frame([referral("C1", dob=older, risks=("harm_sexual",)),
                            referral("C2", dob=later)])  # fmt: skip
    plcs = placements_frame([placement("P1", vacancies=2, weekly_cost=400.0),
                             placement("P2", weekly_cost=2000.0)])  # fmt: skip
    prob = build_problem(refs, plcs, RUN_DATE)
    assert list(prob.child_age_years) == [12, 12]
    result = solve(prob, MatchingParams(), method=method)  # type: ignore[arg-type]
    assert result.place_of_child[0] != result.place_of_child[1]
    assert result.greedy_place_of_child[0] != result.greedy_place_of_child[1]
    assert children_conflict(prob, pd.Series([0]).to_numpy(), pd.Series([1]).to_numpy())[0]
    assert conflict_rule(prob, 0, 1) == "harm_sexual"
    born_earlier = referrals_frame([referral("C1", dob=later, risks=("harm_sexual",)),
                                    referral("C2", dob=older)])  # fmt: skip
    prob = build_problem(born_earlier, plcs, RUN_DATE)
    assert not children_conflict(prob, pd.Series([0]).to_numpy(), pd.Series([1]).to_numpy())[0]


@pytest.mark.parametrize("method", ["compact", "auto"])
def test_a_home_that_does_not_say_whether_it_has_pets_may_have_them(method: str) -> None:
    """has_pets blank is not 'no pets': the cheap home that does not say takes no child who
    cannot live with pets, must have them, or is a risk to animals (rules 7 and 13); a
    child who can live with pets may go there. It was read as N: a child who must not
    live with pets was proposed to a home whose pets were never recorded."""
    kids = [
        referral("NO", pets="no"),
        referral("MUST", pets="must"),
        referral("RISK", risks=("harm_animals",), pets="can"),
        referral("CAN", pets="can"),
    ]
    plcs = placements_frame(
        [
            placement("UNSAID", has_pets=pd.NA, vacancies=4, weekly_cost=300.0),
            placement("PETS", has_pets=True, vacancies=1, weekly_cost=900.0),
            placement("NONE", has_pets=False, vacancies=2, weekly_cost=900.0),
        ]
    )
    prob = build_problem(referrals_frame(kids), plcs, RUN_DATE)
    result = solve(prob, MatchingParams(), method=method)  # type: ignore[arg-type]
    pid = prob.placements["placement_id"].to_numpy(object)
    kid = prob.referrals["child_id"].to_numpy(object)
    for place in (result.place_of_child, result.greedy_place_of_child):
        placed = {str(k): str(pid[p]) for k, p in zip(kid, place, strict=True)}
        assert placed["CAN"] in {"UNSAID", "NONE"}
        assert placed["MUST"] == "PETS" and placed["NO"] == "NONE" == placed["RISK"]
    assert dict(zip(kid, pid[result.place_of_child], strict=True))["CAN"] == "UNSAID"
    prob = build_problem(referrals_frame(kids[:1]), plcs, RUN_DATE, MatchingParams())
    from sufficiency.matching.rules import broken_text

    unsaid = list(prob.placements["placement_id"]).index("UNSAID")
    assert broken_text(prob, "pets", 0, unsaid) == (
        "does not say whether it has pets, and the child cannot live with pets"
    )


def test_a_register_with_blank_pets_reads_them_as_not_known(tmp_path: Path) -> None:
    """The reader keeps a blank has_pets as not known (not N) and says so once, naming
    the rows; a register with no has_pets column says that no home says."""
    from sufficiency.io.inputs import load_placements

    sample = Path(__file__).parents[2] / "data" / "sample" / "placements.csv"
    plcs = pd.read_csv(sample, dtype=str)
    plcs.loc[:6, "has_pets"] = ""
    plcs.to_csv(tmp_path / "blank.csv", index=False)
    table, problems = load_placements(tmp_path / "blank.csv")
    assert table["has_pets"].isna().sum() == 7 and table["has_pets"].notna().sum() == len(plcs) - 7
    (note,) = [p for p in problems if p.code == "pets_unknown"]
    assert note.severity == "warning"
    assert "has_pets is blank on 7 rows (2, 3, 4, 5, 6 and 2 more)" in note.message
    plcs.drop(columns="has_pets").to_csv(tmp_path / "nocol.csv", index=False)
    table, problems = load_placements(tmp_path / "nocol.csv")
    assert table["has_pets"].isna().all()
    assert any("there is no has_pets column" in p.message for p in problems)


def test_unlocatable_placement_is_set_aside_and_listed(tmp_path: Path) -> None:
    """A cheap home with a mistyped postcode takes nobody (rule 15) and is listed as
    set aside in summary.json and the report."""
    refs = referrals_frame([referral(f"C{i}") for i in range(3)])
    plcs = placements_frame([placement("BAD", postcode="ZZ9 9ZZ", vacancies=3, weekly_cost=50.0),
                             placement("OK", vacancies=3, weekly_cost=600.0),
                             placement("NI", postcode="BT1 1AA", weekly_cost=60.0)])  # fmt: skip
    run = run_matching(refs, plcs, RUN_DATE, Params())
    assert set(run.matches["placement_id"]) == {"OK"}
    aside = run.summary.set_aside
    assert [a.id for a in aside] == ["BAD", "NI"] and "rule 15" in aside[0].problem
    # each says why its postcode cannot be located (the Belfast home was called 'blank,
    # malformed or not in the postcode directory', though the register's warning said NI)
    assert aside[0].problem.startswith("its postcode is not in the postcode directory, so")
    assert aside[1].problem.startswith("its postcode is in Northern Ireland, on a different")
    write_match_outputs(run, tmp_path)
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "match_report.xlsx")["Set aside"]
    assert [c.value for c in ws[2]][2] == "BAD"
    assert json.loads((tmp_path / "summary.json").read_text())["rows_set_aside"] == 2


def test_unlocatable_assume_far_charges_far_and_out_of_area() -> None:
    """With unlocatable = "assume_far" the home is kept, charged as over 20 miles from
    home and school and out of area, and its proposal is flagged."""
    params = Params(matching=MatchingParams(unlocatable="assume_far"))
    w = params.matching.weights
    refs = referrals_frame([referral("C1", school_postcode=POSTCODES["home"], school_year=10)])
    plcs = placements_frame([placement("BAD", postcode="ZZ9 9ZZ", weekly_cost=50.0)])
    prob = build_problem(refs, plcs, RUN_DATE, params.matching)
    t = pair_terms(prob, pd.Series([0]).to_numpy(), pd.Series([0]).to_numpy(), w)
    assert t["far_from_home_gbp"][0] == w.far_from_home
    assert t["out_of_area_gbp"][0] == w.out_of_area
    assert t["distance_from_home_gbp"][0] == pytest.approx(w.per_mile_from_home * 20)
    assert t["ks4_school_move_gbp"][0] == w.ks4_school_move
    run = run_matching(refs, plcs, RUN_DATE, params)
    assert list(run.matches["placement_id"]) == ["BAD"]
    assert "charged as far" in run.matches["distance_note"].iloc[0]
    assert run.summary.rows_set_aside == 0 and run.summary.distance_unknown == 1


def test_child_home_unlocated_or_blank_is_flagged() -> None:
    """A home postcode given but not located is 'distance unknown'; a blank one (an
    unaccompanied child) is 'not applicable'."""
    refs = referrals_frame([referral("C1", home_postcode="ZZ9 9ZZ"),
                            referral("C2", home_postcode=pd.NA)])  # fmt: skip
    plcs = placements_frame([placement("P1", vacancies=2)])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    notes = dict(zip(run.matches["child_id"], run.matches["distance_note"], strict=True))
    assert "distance from home unknown" in notes["C1"]
    assert "not applicable" in notes["C2"]
    assert run.summary.distance_unknown == 1


def test_unplaced_reason_gives_the_nearest_homes_ages_not_supported_accommodations() -> None:
    """A 16-year-old whose only option takes children aged 0 to 10: the reason gives those
    ages. Before, it said 'does not take the child's age (supported accommodation is for
    16-17)' of a foster home (R016 in the sample's report)."""
    refs = referrals_frame([referral("C1", age=16)])
    plcs = placements_frame([placement("P1", age_min=0, age_max=10)])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    (reason,) = run.unplaced["reason"]
    assert "The nearest option, P1, takes children aged 0 to 10 and the child is 16." in reason
    assert "supported accommodation" not in reason


def test_a_home_opening_after_a_birthday_takes_the_child_a_year_older() -> None:
    """Rule 3 on the day the home opens: a 17-year-old who turns 18 before a cheap
    vacancy opens is not placed there (it was: ages were only taken on the run date),
    and the reason says the child will be 18 then; a child who turns 11 before a 11-17
    home opens may go there."""
    from sufficiency.matching.rules import broken_text

    opens = pd.Timestamp(RUN_DATE) + pd.Timedelta(days=4)
    turns_18 = pd.Timestamp(RUN_DATE.year - 18, RUN_DATE.month, RUN_DATE.day) + pd.Timedelta(days=2)
    turns_11 = pd.Timestamp(RUN_DATE.year - 11, RUN_DATE.month, RUN_DATE.day) + pd.Timedelta(days=3)
    refs = referrals_frame([referral("C17", dob=turns_18, needed_by="<5 days"),
                            referral("C10", dob=turns_11, needed_by="<5 days")])  # fmt: skip
    plcs = placements_frame([
        placement("LATER", available_from=opens, weekly_cost=300.0, age_min=0, age_max=17),
        placement("OLDER", available_from=opens, weekly_cost=250.0, age_min=11, age_max=17),
        placement("NOW", weekly_cost=900.0),
    ])  # fmt: skip
    prob = build_problem(refs, plcs, RUN_DATE)
    assert list(prob.child_age_years) == [10, 17]  # sorted by ID: C10, C17
    assert _placed(refs, plcs) == {"C10": "OLDER", "C17": "NOW"}
    later = list(prob.placements["placement_id"]).index("LATER")
    assert broken_text(prob, "age", 1, later) == (
        f"takes children aged 0 to 17 and the child will be 18 when it opens on {day(opens)}"
    )


def test_a_pets_value_that_is_not_y_or_n_is_its_error_not_a_blank(tmp_path: Path) -> None:
    """'maybe' in has_pets is an error on its row, and the blank-pets warning counts only
    the blank cells (it listed the 'maybe' row as blank too)."""
    from sufficiency.io.inputs import load_placements

    sample = Path(__file__).parents[2] / "data" / "sample" / "placements.csv"
    plcs = pd.read_csv(sample, dtype=str)
    plcs.loc[0, "has_pets"], plcs.loc[1, "has_pets"] = "maybe", ""
    plcs.to_csv(tmp_path / "messy.csv", index=False)
    _, problems = load_placements(tmp_path / "messy.csv")
    (note,) = [p for p in problems if p.code == "pets_unknown"]
    assert "has_pets is blank on 1 row (3)" in note.message
    assert any(p.row == 2 and p.column == "has_pets" and p.severity == "error" for p in problems)


def test_a_malformed_register_postcode_is_said_malformed_not_blank(tmp_path: Path) -> None:
    """Read from the register file, a home whose postcode is malformed ('NOTAPC') is set
    aside by rule 15 as malformed, as the register's warning says: the reader blanked the
    value, so the reason read 'its postcode is blank' while the warning beside it said 'is
    not a UK postcode in the form AA9 9AA'. A blank one still reads blank."""
    from click.testing import CliRunner

    from sufficiency.cli import main

    sample = Path(__file__).resolve().parents[2] / "data" / "sample"
    plcs = pd.read_csv(sample / "placements.csv", dtype=str, keep_default_na=False)
    plcs.loc[0, "postcode"], plcs.loc[1, "postcode"] = "", "NOTAPC"
    plcs.to_csv(tmp_path / "placements.csv", index=False)
    result = CliRunner().invoke(main, [
        "match", "--referrals", str(sample / "referrals.csv"), "--placements",
        str(tmp_path / "placements.csv"), "--date", "2026-04-01", "--out", str(tmp_path / "out"),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    aside = json.loads((tmp_path / "out" / "summary.json").read_text())["set_aside"]
    said = {a["id"]: a["problem"] for a in aside}
    ids = plcs["placement_id"]
    assert said[ids[0]].startswith("its postcode is blank, so")
    assert said[ids[1]].startswith("its postcode is malformed, so")
