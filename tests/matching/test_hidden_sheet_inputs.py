"""A referrals, register or decisions workbook with a hidden sheet read as the table.

A team hides last week's sheet rather than deleting it. The reader took the first sheet
that read as the table, hidden or not: a referrals workbook whose hidden 'Old' sheet held
5 of tonight's 45 children matched those 5 ("only Old is read", nothing said of hiding),
the other 40 not looked at. The visible sheet is now read, and the note names the hidden.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from sufficiency.io.decisions import load_decisions
from sufficiency.io.inputs import load_placements, load_referrals

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def _workbook(path: Path, frame: pd.DataFrame, old_rows: int) -> Path:
    """``frame`` on a visible sheet, after a hidden 'Old' sheet of its first rows."""
    wb = Workbook()
    for title, part in (("Old", frame.head(old_rows)), ("Tonight", frame)):
        ws = wb.active if title == "Old" else wb.create_sheet(title)
        ws.title = title
        ws.append(list(part.columns))
        for row in part.itertuples(index=False):
            ws.append([None if pd.isna(v) else v for v in row])
    wb["Old"].sheet_state = "hidden"
    wb.save(path)
    return path


def _hidden_note(problems: list) -> list[str]:
    return [p.message for p in problems if "hides sheet(s) Old" in p.message]


def test_referrals_are_read_from_the_visible_sheet(tmp_path: Path) -> None:
    frame = pd.read_csv(SAMPLE / "referrals.csv", dtype=str)
    path = _workbook(tmp_path / "referrals.xlsx", frame, old_rows=5)
    table, problems = load_referrals(path, default_responsible_la="E10000034")
    assert sorted(table["child_id"]) == sorted(frame["child_id"])
    assert _hidden_note(problems) == [
        "hides sheet(s) Old in Excel that read as referrals: Tonight is read, a hidden sheet "
        "only when no visible one reads as referrals"
    ]


def test_the_register_is_read_from_the_visible_sheet(tmp_path: Path) -> None:
    frame = pd.read_csv(SAMPLE / "placements.csv", dtype=str)
    path = _workbook(tmp_path / "placements.xlsx", frame, old_rows=3)
    table, problems = load_placements(path)
    assert sorted(table["placement_id"]) == sorted(frame["placement_id"])
    assert len(_hidden_note(problems)) == 1


def test_decisions_are_read_from_the_visible_sheet(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "child_id": ["R001", "R002"],
            "placement_id": ["PL0001", "PL0002"],
            "decision": ["exclude", "exclude"],
        }
    )
    path = _workbook(tmp_path / "decisions.xlsx", frame, old_rows=1)
    table, problems = load_decisions(path)
    assert sorted(table["child_id"]) == ["R001", "R002"]
    assert len(_hidden_note(problems)) == 1
