"""A register and referrals as a placement team's really come: current ages no one living
in a placement can be or fewer than the children there, a sibling set aside for a bad row
while the rest of the group is matched, and a home whose other row is set aside. Each is
read the safer way and said, on the real command (tests/matching/test_home_rating.py
shares its helpers: rows of one home whose Ofsted ratings disagree)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sufficiency.commands.match import match
from sufficiency.io.inputs import load_placements, read_tonight

RUN_DATE = "2026-04-01"
REFERRALS = (
    "child_id,dob,sex,home_postcode,sibling_group,school_postcode,school_year,needed_by,"
    "foster_suitability,residential_suitability,supported_suitability,alongside,pets,risks,"
    "communication,adaptations,dolo,responsible_la\n"
)
PLACEMENTS = (
    "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,age_max,sex,"
    "current_children,current_ages,risk_exclusions,has_pets,communication,adapted,"
    "ofsted_rating,urn,available_from,tier\n"
)


def _child(cid: str, dob: str, group: str = "", risks: str = "", foster: str = "suitable",
           residential: str = "unsuitable") -> str:  # fmt: skip
    return (f"{cid},{dob},F,WR11 4AN,{group},,,today,{foster},{residential},unsuitable,"
            f"no_preference,unknown,{risks},,N,N,E10000034\n")  # fmt: skip


def _home(pid: str, setting: str = "residential", postcode: str = "WR14 2PZ", cost: int = 4000,
          current: int = 0, ages: str = "", rating: str = "Good", urn: str = "",
          vacancies: int = 1) -> str:  # fmt: skip
    return (f"{pid},{setting},external,{postcode},{vacancies},{cost},0,17,any,{current},"
            f'"{ages}",,N,,N,{rating},{urn},,\n')  # fmt: skip


def _write(folder: Path, refs: str, plcs: str) -> tuple[Path, Path]:
    paths = folder / "referrals.csv", folder / "placements.csv"
    paths[0].write_text(REFERRALS + refs)
    paths[1].write_text(PLACEMENTS + plcs)
    return paths


def _run(folder: Path, refs: Path, plcs: Path, solver: str = "highspy") -> tuple[str, Path]:
    out = folder / f"out-{solver}"
    res = CliRunner().invoke(match, ["--referrals", str(refs), "--placements", str(plcs),
                                     "--date", RUN_DATE, "--out", str(out),
                                     "--solver", solver])  # fmt: skip
    assert res.exit_code == 0, res.output
    return res.output, out


def test_ages_no_one_living_there_can_be_are_set_aside_and_a_short_list_is_said(
    tmp_path: Path,
) -> None:
    """'25' in a children's home (2;5 run together?) set the row aside, as '-3' does; 22
    in supported accommodation (a care leaver) is read; one age for three children is
    warned of (the ages are read as not known)."""
    path = tmp_path / "placements.csv"
    path.write_text(PLACEMENTS + _home("RH-I", current=1, ages="25", urn="SC1")
                    + _home("S-A", setting="supported", current=1, ages="22", urn="SC2")
                    + _home("RH-G", current=3, ages="16", urn="SC3"))  # fmt: skip
    _, problems = load_placements(path)
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.row, p.column) for p in errors] == [(2, "current_ages")]
    assert "gives an age of 25" in errors[0].message
    short = [p for p in problems if p.code == "ages_not_all_given"]
    assert [p.row for p in short] == [4]
    assert "lists 1 age for 3 current children" in short[0].message


def test_a_harm_sexual_child_is_not_proposed_where_25_may_be_2_and_5(tmp_path: Path) -> None:
    """Read as written, RH-I's '25' was an older child, and a 16-year-old who is a risk of
    sexual harm to younger children was proposed there; now it is set aside."""
    refs, plcs = _write(tmp_path, _child("C3", "01/05/2009", risks="harm_sexual",
                                         foster="unsuitable", residential="suitable"),
                        _home("RH-I", current=1, ages="25", urn="SC1", cost=3000)
                        + _home("RH-Z", postcode="WR9 7GB", cost=6000, urn="SC2"))  # fmt: skip
    for solver in ("highspy", "ortools", "highs", "cbc"):
        output, out = _run(tmp_path, refs, plcs, solver)
        assert (out / "matches.csv").read_text().splitlines()[1].startswith("C3,RH-Z,")
        assert "SET ASIDE" in output and "RH-I" in output


def test_a_sibling_set_aside_is_said_beside_the_siblings_matched_without_them(
    tmp_path: Path,
) -> None:
    """S2's date of birth is not a date: S1 and S3 (its group SG1) are matched together,
    and a warning at S2's row says they are matched without S2, whose place the home
    proposed for them may not have (console and summary.json's input notes). P1, whose
    only sibling P2 is set aside, is named the same way."""
    refs, plcs = _write(
        tmp_path,
        _child("S1", "01/04/2014", "SG1") + _child("S2", "31/02/2016", "SG1")
        + _child("S3", "01/04/2012", "SG1") + _child("P1", "01/04/2011", "SG2")
        + _child("P2", "2011-13-01", "SG2"),
        _home("F-A", setting="foster", vacancies=2) + _home("F-B", setting="foster",
                                                          postcode="WR9 7GB"),
    )  # fmt: skip
    tonight = read_tonight(refs, plcs, run_date=None)
    said = {p.row: p.message for p in tonight.referrals.problems if p.code == "sibling_set_aside"}
    assert set(said) == {3, 6}
    assert said[3].startswith("S2, of sibling group SG1, is set aside for errors, so S1 and "
                              "S3 are matched tonight without S2")  # fmt: skip
    assert "P1 is matched tonight without P2" in said[6]
    output, out = _run(tmp_path, refs, plcs)
    assert "S1 and S3 are matched tonight without S2" in output
    notes = json.loads((out / "summary.json").read_text())["input_notes"]
    assert [n["row"] for n in notes if n["code"] == "sibling_set_aside"] == [3, 6]
    placed = dict(line.split(",")[:2] for line in
                  (out / "matches.csv").read_text().splitlines()[1:])  # fmt: skip
    assert placed["S1"] == placed["S3"] == "F-A"


def test_a_home_whose_other_row_is_set_aside_is_not_proposed(tmp_path: Path) -> None:
    """F-A and F-B are one household (one home_id). F-A, giving pets and a 4- and a
    6-year-old, is set aside for its weekly cost ('£800pw'). Before, F-B (no pets, nobody
    there) was proposed for a child who may not live with pets and is a risk of sexual
    harm to younger children, on every solver; now F-B is set aside with it, saying
    which row, and the child goes to F-Z."""
    refs = tmp_path / "referrals.csv"
    refs.write_text(REFERRALS + "N1,01/01/2012,M,WR11 4AN,,,,today,suitable,unsuitable,"
                    "unsuitable,no_preference,no,harm_sexual,,N,N,E10000034\n")  # fmt: skip
    plcs = tmp_path / "placements.csv"
    plcs.write_text(
        PLACEMENTS.replace("tier\n", "tier,home_id\n")
        + "F-A,foster,ifa,WR14 2PZ,1,£800pw,0,17,any,2,4;6,,Y,,N,,,,,H1\n"
        + "F-B,foster,ifa,WR14 2PZ,1,800,0,17,any,0,,,N,,N,,,,,H1\n"
        + "F-Z,foster,ifa,WR9 7GB,2,1900,0,17,any,0,,,N,,N,,,,,H2\n"
    )  # fmt: skip
    for solver in ("highspy", "ortools", "highs", "cbc"):
        output, out = _run(tmp_path, refs, plcs, solver)
        assert (out / "matches.csv").read_text().splitlines()[1].startswith("N1,F-Z,")
        aside = json.loads((out / "summary.json").read_text())["set_aside"]
        assert [(a["row"], a["id"]) for a in aside] == [(2, "F-A"), (3, "F-B")]
        assert aside[1]["problem"].startswith("a row of the same home (row 2, ")
        assert "row 3 (F-B): a row of the same home (row 2" in output
