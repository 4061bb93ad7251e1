"""A placeholder typed as a child's ID (N/A, #N/A, NULL, TBC, -): refused as no child's
ID with one sentence, in referrals and 903 returns alike (sufficiency.io.shape)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.io.id_shape import NOT_AN_ID_MESSAGE
from sufficiency.io.inputs import load_referrals
from sufficiency.io.ssda903 import load_ssda903, read_history

PLACEHOLDERS = ["N/A", "n/a", "#N/A", "NA", "NULL", "None", "-", "TBC", "unknown", "?", "N/K"]


@pytest.mark.parametrize("word", PLACEHOLDERS)
def test_a_placeholder_referral_id_is_refused_with_one_sentence(tmp_path, word):
    """ "N/A" (a slash: not letters alone) and "-" were accepted as a child's ID, and
    "#N/A" was said as Excel's error while "NA" was refused as a name: three sentences
    for one mistake, two of the rows matched as a child called N/A. Every placeholder is
    now refused with the same sentence, its row set aside; a real ID beside it is read."""
    p = tmp_path / "r.csv"
    p.write_text("child_id,dob,sex,home_postcode,risks,dolo\n"
                 f"{word},03/02/2014,M,WR1 1AA,,N\nR002,03/02/2012,F,WR1 1AA,,N\n")  # fmt: skip
    t, problems = load_referrals(p, default_responsible_la="E10000034")
    errors = [(x.row, x.column, x.code, x.message) for x in problems if x.severity == "error"]
    assert errors == [(2, "child_id", "not_an_id", NOT_AN_ID_MESSAGE)]
    assert "R002" in set(t["child_id"])


@pytest.mark.parametrize("word", ["N/A", "#N/A", "-", "TBC"])
def test_a_placeholder_child_in_a_903_return_is_no_child(tmp_path, word):
    """In a 903 return "N/A" and "#N/A" were children: every row so written read as one
    child, counted in care. Now set aside, named by row, as a name typed there is."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text(
        f"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n101150,1,01/01/2012,WBRI,,,\n"
        f"{word},2,02/02/2013,WBRI,,,\n"
    )
    (d / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        f"PL_POST,URN\n101150,01/05/2025,S,C2,N1,U4,PR1,,,,,,\n{word},01/06/2025,S,C2,N1,U4,"
        f"PR1,,,,,,\n{word},01/07/2025,S,C2,N1,U4,PR1,,,,,,\n"
    )
    h = read_history(tmp_path)
    assert set(h.episodes["CHILD"]) == {"101150"} and h.quality.num_looked_after == 1
    aside = sorted((Path(p.file).name, p.row) for p in h.quality.problems if p.code == "not_an_id")
    assert aside == [("episodes.csv", 3), ("episodes.csv", 4), ("header.csv", 3)]
    _, problems = load_ssda903([tmp_path])
    said = {(Path(p.file).name, p.row, p.message) for p in problems if p.code == "not_an_id"}
    assert said == {("header.csv", 3, NOT_AN_ID_MESSAGE), ("episodes.csv", 3, NOT_AN_ID_MESSAGE),
                    ("episodes.csv", 4, NOT_AN_ID_MESSAGE)}  # fmt: skip


def test_a_referral_id_in_scientific_notation_is_warned_of(tmp_path):
    """A referral's child_id 1.00211E+05 (Excel's form of 100211 in a narrow column) was
    kept as written with no word, so a decision or the next night's referral for 100211
    named another child; it is now said as 101434.0 is (kept as written: see
    sufficiency.io.id_shape.decimal_id_notes), and 1.0021E+05, digits lost, is an error."""
    p = tmp_path / "r.csv"
    p.write_text("child_id,dob,sex,home_postcode,risks,dolo\n1.00211E+05,03/02/2014,M,WR1 1AA,,N\n"
                 "1.0021E+05,03/02/2012,F,WR1 1AA,,N\n")  # fmt: skip
    t, problems = load_referrals(p, default_responsible_la="E10000034")
    said = sorted((x.row, x.severity, x.code) for x in problems if x.column == "child_id")
    assert said == [(2, "warning", "decimal_id"), (3, "error", "excel_scientific")]
    assert "the whole number 100211" in next(x.message for x in problems if x.row == 2)
    assert t["child_id"].iloc[0] == "1.00211E+05"  # kept as written
