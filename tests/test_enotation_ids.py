"""A 903 CHILD that Excel wrote in scientific notation in one table and as digits in
another (sufficiency.io.enotation)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sufficiency.io.enotation import exact_integers, lost_digits
from sufficiency.io.ssda903 import load_ssda903, read_history

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN\n"
)


def _return(root: Path, header_id: str, episode_id: str = "100211") -> Path:
    d = root / "2026"
    d.mkdir(parents=True)
    (d / "header.csv").write_text(
        HEADER + "101150,1,01/01/2012,WBRI,,,\n" + f"{header_id},2,02/02/2013,WBRI,,,\n"
    )
    (d / "episodes.csv").write_text(
        EPISODES
        + "101150,01/05/2025,S,C2,N1,U4,PR1,,,,,,\n"
        + f"{episode_id},01/06/2025,S,C2,N1,U4,PR1,,,,,,\n"
    )
    return root


def test_the_forms():
    s = pd.Series(["1.00211E+05", "1.002110e+05", "1.0021E+05", "1.00211E+11", "1E+05",
                   "100211", "1E01", "1.5E+00", None], dtype="string")  # fmt: skip
    assert exact_integers(s).tolist() == ["100211", "100211", *[pd.NA] * 7]
    assert lost_digits(s).tolist() == [False, False, True, True, True, False, False, False,
                                       False]  # fmt: skip


def test_exact_scientific_child_is_linked_to_the_same_child_elsewhere(tmp_path):
    """The header wrote 100211 as 1.00211E+05 (a narrow General column), the episodes as
    100211: they were two identifiers, the child's episodes had no header row ("child has
    episodes but no row in that year's header"; the forecast set them aside, no date of
    birth). Every digit is written, so it is read as 100211, a warning naming the row."""
    _return(tmp_path, "1.00211E+05")
    h = read_history(tmp_path)
    assert sorted(h.header["CHILD"]) == ["100211", "101150"]
    assert sorted(h.episodes["CHILD"]) == ["100211", "101150"]
    assert h.quality.num_looked_after == 2
    said = [p for p in h.quality.problems if p.code == "child_id_enotation"]
    assert [(Path(p.file).name, p.row, p.column, p.value, p.action) for p in said] == [
        ("header.csv", 3, "CHILD", "1.00211E+05", "read as 100211")]  # fmt: skip
    _, problems = load_ssda903([tmp_path])
    assert not [p for p in problems if p.severity == "error"]
    warned = [p for p in problems if p.code == "child_id_enotation"]
    assert len(warned) == 1 and "read as 100211" in warned[0].message


def test_scientific_child_with_lost_digits_is_set_aside_not_linked(tmp_path):
    """1.0021E+05 may be 100210 to 100214 (a narrower column): it cannot be linked, so the
    header row is an error of its row, set aside, saying so; not read as a new child."""
    _return(tmp_path, "1.0021E+05", "100211")
    _, problems = load_ssda903([tmp_path])
    sci = [p for p in problems if p.code == "excel_scientific"]
    assert [(Path(p.file).name, p.row, p.column, p.severity) for p in sci] == [
        ("header.csv", 3, "CHILD", "error")]  # fmt: skip
    assert "linked" in sci[0].message
    h = read_history(tmp_path)
    assert "1.0021E+05" not in set(h.header["CHILD"])
    aside = [p for p in h.quality.problems if p.code == "excel_scientific"]
    assert [(p.row, p.action) for p in aside] == [(3, "row set aside")]


def test_two_forms_of_one_number_in_one_table_are_said_by_validate(tmp_path):
    """An episodes table writing one child 101434 and 0101434 (the header 101434 only):
    the forecast reads them as two children (two forms in one table may be two) and set
    aside 0101434's episodes, no date of birth, while validate passed the table, reading
    0101434 as the header's 101434. It is now an error of its row naming both forms."""
    _return(tmp_path, "101434", "0101434")
    ep = tmp_path / "2026" / "episodes.csv"
    ep.write_text(ep.read_text() + "101434,01/04/2025,S,C2,N1,U4,PR1,01/06/2025,X1,,,,\n")
    _, problems = load_ssda903([tmp_path])
    (said,) = [p for p in problems if p.code == "child_not_in_header"]
    assert (Path(said.file).name, said.row, said.value) == ("episodes.csv", 3, "0101434")
    assert "it and 101434, both in this table, are one number written two ways" in said.message
    h = read_history(tmp_path)
    assert "0101434" not in set(h.episodes["CHILD"])
    assert [p.row for p in h.quality.problems if p.code == "no_dob"] == [3]
