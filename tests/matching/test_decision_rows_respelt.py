"""A decisions file giving one child-placement pair on two rows whose IDs differ only in
case or spaces (``r007,PL1`` beside ``R007,PL1``): matching reads them as one pair, so the
rows are one decision written twice. The reader compared the IDs as written, and the team
was not told (matching dropped the copy silently)."""

from __future__ import annotations

import json
from pathlib import Path

from test_decisions_command import _matched_with

from sufficiency.io.decisions import load_decisions

HEADER = "child_id,placement_id,decision,reason,decided_by,until\n"


def test_a_pair_respelt_on_another_row_is_a_duplicate_naming_file_and_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + "r007,PL1,exclude,no,J Smith,\nR007, pl 1 ,exclude,no,J Smith,\n"
                    "C2,PL1,pin,agreed,J Smith,\n", encoding="utf-8")  # fmt: skip
    _, problems = load_decisions(path)
    said = [(p.file, p.row, p.code, p.message) for p in problems]
    assert said == [
        (str(path), 2, "duplicate_decision",
         "the same child and placement also have a decision on row(s) 3 (row 3 writes them "
         "R007 and pl 1: the same IDs but for case and spaces, as matching reads them, so "
         "one decision is written twice); keep one row per pair"),
        (str(path), 3, "duplicate_decision",
         "the same child and placement also have a decision on row(s) 2 (row 2 writes them "
         "r007 and PL1: the same IDs but for case and spaces, as matching reads them, so "
         "one decision is written twice); keep one row per pair"),
    ]  # fmt: skip


def test_a_night_applies_one_and_says_the_other_is_a_copy(tmp_path: Path) -> None:
    """``match --decisions``: the exclusion is applied once and the respelt copy listed
    under the run's notes with its file and row."""
    _matched_with(tmp_path, "C2,P2,exclude,no,J Smith,,\nc 2,p2,exclude,no,J Smith,,\n")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    applied = [(d["child_id"], d["placement_id"]) for d in summary["decisions"]["applied"]]
    assert applied == [("C2", "P2")]
    notes = [n for n in summary["input_notes"] if n["row"] == 3]
    assert [(n["file"], n["column"]) for n in notes] == [
        (str(tmp_path / "decisions.csv"), "placement_id")
    ]
    assert notes[0]["note"].startswith(
        "row 3, column placement_id: the same child and placement are excluded on row 2 "
        "(row 2 writes them C2 and P2: the same IDs but for case and spaces, as matching "
        "reads them, so one decision is written twice), which is applied; this copy is not "
        "needed"
    ), notes
