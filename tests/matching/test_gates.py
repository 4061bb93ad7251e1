"""Gates (CPPCR regs 10 and 11): a proposal out of area or moving a key stage 4 pupil's
school says which approval it needs, on every output that shows it, whatever the weights
(a weight of 0 makes the gate cost nothing; the law still asks for the approval)."""

from __future__ import annotations

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

from sufficiency.config import MatchingParams, MatchingWeights, Params
from sufficiency.matching.gates import (
    INADEQUATE,
    KS4_BY_AGE,
    KS4_MOVE,
    KS4_SCHOOL_UNKNOWN,
    NO_URN,
    out_of_area_flag,
)
from sufficiency.matching.run import run_matching
from sufficiency.matching.text_rows import fold_texts


def _night(weights: MatchingWeights) -> tuple[pd.DataFrame, pd.DataFrame, Params]:
    refs = referrals_frame([
        referral("KS4", age=15, school_year=11, school_postcode=POSTCODES["home"]),
        referral("KS4X", age=14, school_year=10),  # school not given
        referral("OOA", age=8),
    ])  # fmt: skip
    plcs = placements_frame([
        placement("P_FAR", postcode=POSTCODES["evesham"], age_min=15, age_max=15),
        placement("P_KX", postcode=POSTCODES["near"], age_min=14, age_max=14),
        placement("P_BHM", postcode=POSTCODES["birmingham"], age_min=7, age_max=9),
        placement("P_BHM2", postcode=POSTCODES["birmingham"], age_min=7, age_max=9),
    ])  # fmt: skip
    params = Params(matching=MatchingParams(weights=weights))
    return refs, plcs, params


@pytest.mark.parametrize(
    "weights",
    [MatchingWeights(), MatchingWeights(out_of_area=0.0, ks4_school_move=0.0)],
    ids=["default", "gates_weighted_zero"],
)
def test_gated_proposals_carry_their_approval_on_every_output(
    weights: MatchingWeights, tmp_path: Path
) -> None:
    refs, plcs, params = _night(weights)
    run = run_matching(refs, plcs, RUN_DATE, params)
    run.write(tmp_path)
    m = pd.read_csv(tmp_path / "matches.csv", dtype=str).set_index("child_id")["flags"]
    assert m["OOA"] == out_of_area_flag("E10000034")
    assert m["KS4"] == KS4_MOVE
    assert m["KS4X"] == KS4_SCHOOL_UNKNOWN
    assert "Director of Children's Services" in m["OOA"]
    # the other out-of-area home, listed as an option, says so too
    alts = pd.read_csv(tmp_path / "alternatives.csv", dtype=str)
    assert alts.loc[alts["placement_id"] == "P_BHM2", "flags"].tolist() == [m["OOA"]]
    sheets = pd.read_excel(tmp_path / "match_report.xlsx", sheet_name=None, dtype=str)
    placed = fold_texts(sheets["Children placed"], "Children placed").set_index("Child")
    flags_col = next(c for c in placed.columns if c.lower().startswith("flag"))
    assert m["OOA"] in placed.loc["OOA", flags_col]
    assert KS4_MOVE in placed.loc["KS4", flags_col]
    assert KS4_SCHOOL_UNKNOWN in placed.loc["KS4X", flags_col]
    # a row's flags are separated as on Other options and in the CSV ("; "): a comma ran
    # an approval into the next flag ("...the council's), over 20 miles")
    assert placed.loc["OOA", flags_col] == f"{m['OOA']}; over 20 miles"
    assert run.summary.plan.placed_out_of_area == 1
    # the known move (KS4) and the possible one (KS4X, school not known) both need approval
    assert run.summary.plan.ks4_school_moves == 2
    html = (tmp_path / "match_report.html").read_text(encoding="utf-8")
    assert html.count("nominated officer&#39;s approval") >= 3


@pytest.mark.parametrize("weight", [2000.0, 0.0])
def test_an_inadequate_home_costs_its_weight_and_is_always_flagged(
    weight: float, tmp_path: Path
) -> None:
    """An 'inadequate' Ofsted judgement is a local policy (soft): a weighted cost, and a
    flag on every output showing the match whatever the weight. A children's home with
    no URN on the register is flagged: registration cannot be shown."""
    refs = referrals_frame([
        referral("C1", age=6),
        referral("C2", age=14, foster_suitability="unsuitable"),
    ])  # fmt: skip
    plcs = placements_frame([
        placement("BAD", provider="ifa", ofsted_rating=" Inadequate", urn="SC1", weekly_cost=500.0),
        placement("OK", provider="ifa", ofsted_rating="good", urn="SC2", weekly_cost=900.0),
        placement("CH", setting="residential", provider="external", age_min=12, urn=pd.NA,
                  weekly_cost=5000.0),
    ])  # fmt: skip
    params = Params(matching=MatchingParams(weights=MatchingWeights(ofsted_inadequate=weight)))
    run = run_matching(refs, plcs, RUN_DATE, params)
    run.write(tmp_path)
    m = pd.read_csv(tmp_path / "matches.csv", dtype=str).set_index("child_id")
    if weight:  # the dearer 'good' home is proposed; the inadequate one is an option
        assert m.loc["C1", "placement_id"] == "OK"
        alts = pd.read_csv(tmp_path / "alternatives.csv", dtype=str).set_index("placement_id")
        assert alts.loc["BAD", "flags"] == INADEQUATE
        assert "rated inadequate by Ofsted" in alts.loc["BAD", "why_not"]
    else:  # the weight off: proposed, and flagged
        assert m.loc["C1", "placement_id"] == "BAD"
        assert m.loc["C1", "flags"] == INADEQUATE
    assert m.loc["C2", "flags"] == NO_URN
    placed = pd.read_excel(tmp_path / "match_report.xlsx", "Children placed", dtype=str)
    text = " ".join(placed.fillna("").astype(str).to_numpy().ravel())
    assert NO_URN in text and (weight or INADEQUATE in text)
    # page 1 counts them, whatever the weight
    assert run.summary.plan.ofsted_checks == (1 if weight else 2)
    summary = pd.read_excel(tmp_path / "match_report.xlsx", "Summary", header=None, dtype=str)
    row = summary[summary[0] == "Ofsted to check"].iloc[0].tolist()
    assert row[1] == str(1 if weight else 2) and row[2] == "Check"


def test_a_child_of_key_stage_4_age_with_no_school_year_is_flagged() -> None:
    """No school year given, but the date of birth puts the child in year 10 (14 on the
    31 August before the run date): a school move may need the nominated officer's
    approval, so the proposal says so; a 10-year-old's does not."""
    refs = referrals_frame([referral("Y10", age=15), referral("Y5", age=10)])
    plcs = placements_frame([  # two households (home_id), not "may be one home"
        placement("A", age_min=15, age_max=15, home_id="HA"),
        placement("B", age_min=10, age_max=10, home_id="HB"),
    ])  # fmt: skip
    run = run_matching(refs, plcs, RUN_DATE, Params())
    flags = run.matches.set_index("child_id")["flags"]
    assert flags["Y10"] == KS4_BY_AGE
    assert flags["Y5"] == ""


def test_page_one_counts_every_key_stage_4_approval(tmp_path: Path) -> None:
    """Page 1's key stage 4 row counts every proposal whose row asks for the nominated
    officer's approval of a school move: one known (over school_free_miles), one whose
    school is not given, one whose school year is not given. It counted only the first
    (1, no "Check" when only the others were there) while three rows asked for approval."""
    refs = referrals_frame([
        referral("KS4", age=16, school_year=11, school_postcode=POSTCODES["home"]),
        referral("KS4X", age=14, school_year=10),  # school not given
        referral("Y10", age=15),  # school year not given, year 10 by age
    ])  # fmt: skip
    plcs = placements_frame([  # P_KX, P_Y10: two households (home_id), not "may be one home"
        placement("P_FAR", postcode=POSTCODES["evesham"], age_min=16, age_max=16),
        placement("P_KX", postcode=POSTCODES["near"], age_min=14, age_max=14, home_id="HK"),
        placement("P_Y10", postcode=POSTCODES["near"], age_min=15, age_max=15, home_id="HY"),
    ])  # fmt: skip
    run = run_matching(refs, plcs, RUN_DATE, Params())
    run.write(tmp_path)
    flags = pd.read_csv(tmp_path / "matches.csv", dtype=str).set_index("child_id")["flags"]
    assert (flags["KS4"], flags["KS4X"], flags["Y10"]) == (KS4_MOVE, KS4_SCHOOL_UNKNOWN, KS4_BY_AGE)
    asking = int(flags.str.contains("nominated officer's approval", regex=False).sum())
    assert asking == 3
    assert run.summary.plan.ks4_school_moves == asking
    summary = pd.read_excel(tmp_path / "match_report.xlsx", sheet_name="Summary", header=None,
                            dtype=str)  # fmt: skip
    row = summary[summary[0] == "Key stage 4 school moves"].iloc[0].tolist()
    assert row[1] == "3" and row[2] == "Check"
    assert "whose school or school year is not known" in row[3]
    html = (tmp_path / "match_report.html").read_text(encoding="utf-8")
    assert "Check: Key stage 4 school moves: 3." in html
    # today's practice is counted the same way, and said as approvals, not certain moves
    assert "need approval for 3 key stage 4 school moves (plan: 3)" in html


def test_a_register_with_no_urn_column_is_not_checked_for_urns(tmp_path: Path) -> None:
    """docs/matching.md: "a register with no `urn` column is not checked". The reader
    gave every register a blank `urn` column, so a register without one had every
    children's home and supported accommodation proposal flagged "no Ofsted URN on the
    register" (and counted under Ofsted to check); a register with the column still is."""
    from sufficiency.matching import match

    (tmp_path / "referrals.csv").write_text(
        "child_id,dob,sex,home_postcode,foster_suitability,responsible_la\n"
        "C1,01/02/2012,M,WR1 1AA,unsuitable,E10000034\n"
    )
    head = "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,age_max"
    row = "CH,residential,external,WR5 1AA,1,5000,12,17"
    (tmp_path / "with.csv").write_text(f"{head},has_pets,risk_exclusions,urn\n{row},N,,\n")
    (tmp_path / "without.csv").write_text(f"{head},has_pets,risk_exclusions\n{row},N,\n")
    for name, urn_checked in (("with", True), ("without", False)):
        run = match(tmp_path / "referrals.csv", tmp_path / f"{name}.csv", run_date=RUN_DATE)
        flags = run.matches.set_index("child_id")["flags"]
        assert flags["C1"] == (NO_URN if urn_checked else ""), name
        assert run.summary.plan.ofsted_checks == int(urn_checked), name


def test_out_of_area_is_each_child_s_own_council_s_and_says_whose(tmp_path: Path) -> None:
    """A regional night: a Birmingham child and a Worcestershire child, and a configured
    council that is neither. Each is out of area where the home is outside their own
    council, in the cost, the flags on every output and page 1's count, and the flag names
    that council (it said "the Director of Children's Services' if the area does not adjoin
    the council's", whichever council's children were matched)."""
    refs = referrals_frame([
        referral("BHM", age=8, home_postcode=POSTCODES["birmingham"], responsible_la="E08000025"),
        referral("WOR", age=8),  # E10000034, Worcestershire
        referral("BHM2", age=8, home_postcode=POSTCODES["birmingham"], responsible_la="E08000025"),
    ])  # fmt: skip
    plcs = placements_frame([
        placement("P_WOR", postcode=POSTCODES["bromsgrove"]),  # Worcestershire
        placement("P_BHM", postcode=POSTCODES["birmingham"], vacancies=2),
    ])  # fmt: skip
    params = Params.model_validate({"general": {"responsible_la": "E06000023"}})  # Bristol
    run = run_matching(refs, plcs, RUN_DATE, params)
    run.write(tmp_path)
    m = pd.read_csv(tmp_path / "matches.csv", dtype=str).set_index("child_id")
    assert m["placement_id"].to_dict() == {"BHM": "P_BHM", "BHM2": "P_BHM", "WOR": "P_WOR"}
    assert m["flags"].isna().all() and (m["out_of_area_gbp"].astype(float) == 0).all()
    assert run.summary.plan.placed_out_of_area == 0
    alts = pd.read_csv(tmp_path / "alternatives.csv", dtype=str).set_index("child_id")
    assert alts.loc["WOR", "placement_id"] == "P_BHM"
    assert alts.loc["WOR", "flags"] == (
        "out of area for Worcestershire: needs Worcestershire's nominated officer's approval "
        "(its Director of Children's Services' if the home's area does not adjoin "
        "Worcestershire)"
    )
    assert alts.loc["BHM", "flags"] == out_of_area_flag("E08000025")
    assert "out of area for Birmingham:" in alts.loc["BHM", "flags"]
    # the one Worcestershire home gone, the Worcestershire child goes to Birmingham
    run = run_matching(refs, plcs[plcs["placement_id"] == "P_BHM"].reset_index(drop=True),
                       RUN_DATE, params)  # fmt: skip
    plan = run.result.plan.set_index("child_id")
    placed = plan[plan["placement_id"].notna()]
    assert placed["flags"].to_dict() == {
        c: (out_of_area_flag("E10000034") if c == "WOR" else "") for c in placed.index
    }
    assert run.summary.plan.placed_out_of_area == int(placed.index.isin(["WOR"]).sum())
    assert out_of_area_flag("E06000023").startswith("out of area for City of Bristol: ")
