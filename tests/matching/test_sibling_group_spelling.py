"""Sibling group codes differing only in case or spacing (``Smith1``, ``smith1``,
``SMITH 1``) are one family. Before, they were read as separate groups: the siblings
were matched apart with no split counted or explained, and each row was warned of only
as "a sibling group of one member". Now they are one group, under its first row's
spelling, and one warning names the rows, never the code (often the family's name)."""

from __future__ import annotations

from pathlib import Path

from sufficiency.io.inputs import load_referrals

_HEAD = "child_id,dob,sex,home_postcode,risks,dolo,sibling_group\n"


def test_codes_differing_in_case_or_spaces_are_one_group(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        _HEAD + "C1,03/02/2014,M,WR1 1AA,,N,Smith1\nC2,03/02/2012,F,WR1 1AA,,N,smith1\n"
        "C3,03/02/2010,F,WR1 1AA,,N,SMITH 1\nC4,03/02/2011,F,WR1 1AA,,N,Jones\n"
        "C5,03/02/2013,F,WR1 1AA,,N,Jones\n"
    )
    table, problems = load_referrals(path, default_responsible_la="E10000034")
    assert table["sibling_group"].tolist() == ["Smith1"] * 3 + ["Jones"] * 2
    (note,) = [p for p in problems if p.code == "group_spelling"]
    assert (note.column, note.severity) == ("sibling_group", "warning")
    assert note.message.startswith("rows 2, 3, 4 write one sibling group's code")
    assert "mith" not in note.message and "MITH" not in note.message
    assert "lone_sibling" not in {p.code for p in problems}


def test_codes_written_alike_are_not_warned_of(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(_HEAD + "C1,03/02/2014,M,WR1 1AA,,N,G1\nC2,03/02/2012,F,WR1 1AA,,N,G1\n")
    _, problems = load_referrals(path, default_responsible_la="E10000034")
    assert "group_spelling" not in {p.code for p in problems}
