"""An episode ending X1 whose child's next episode starts a day or more later
(sufficiency.io.x1_gap): one period of care, not a leaving and a return."""

from __future__ import annotations

import csv
import itertools
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

from sufficiency.forecast.states import build_spells
from sufficiency.io.ssda903 import load_ssda903, read_history

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN\n"
)


def _day(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y")


def _shift_successors(path: Path, how_many: int) -> list[int]:
    """Start ``how_many`` episodes following an X1 one a day after it ended (before 30
    March, so inside the year); the spreadsheet rows of the X1 episodes."""
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    shifted = []
    for i, (a, b) in enumerate(itertools.pairwise(rows)):
        if len(shifted) == how_many:
            break
        if (a["CHILD"] == b["CHILD"] and a["REC"] == "X1" and a["DEC"] == b["DECOM"]
                and _day(b["DECOM"]) < datetime(2026, 3, 30)):  # fmt: skip
            b["DECOM"] = (_day(b["DECOM"]) + timedelta(days=1)).strftime("%d/%m/%Y")
            shifted.append(i + 2)  # the header is row 1
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return shifted


def _figures(folder: Path) -> tuple[int, int, int, int]:
    """Looked after on 31/03/2026, periods of care, entries and exits, as the forecast
    reads the history."""
    h = read_history(folder)
    sp = build_spells(h).spells
    exits = int(sp["end_kind"].isin(["exit", "age_out"]).sum())
    entries = int((sp["kind"] == "entry").sum())
    return h.quality.num_looked_after, sp["period"].nunique(), entries, exits


def test_changes_of_placement_a_day_apart_are_no_exits_and_starts(tmp_path, sample_dir):
    """The sample's 2025-26 return with 40 changes of placement one day apart (an X1
    episode ending 01/08, the next starting 02/08, as a case system that records the
    last night in a placement writes them) counted 39 more starts and 40 more exits than
    the clean sample (2025-26 starts 364, not 325), with nothing said. Now the figures
    are the clean sample's, and validate names each row."""
    folder = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", folder)
    rows = _shift_successors(folder / "2026" / "episodes.csv", 40)
    assert len(rows) == 40
    assert _figures(folder) == _figures(sample_dir / "ssda903")
    _, problems = load_ssda903([folder])
    said = [p for p in problems if p.code == "x1_gap"]
    assert sorted(p.row for p in said) == rows
    assert {(Path(p.file).name, p.column, p.severity) for p in said} == {
        ("episodes.csv", "DEC", "warning")}  # fmt: skip
    assert "X1" in said[0].message and "starts up to a week later" in said[0].message


def test_a_new_period_after_a_gap_stays_a_new_period(tmp_path):
    """The rule reads only what both codes say: after an episode that ended X1, a next
    episode starting S a week later is a new period of care (an exit and a start), and
    one ending E13 (went home) then a change of placement later is left as written; a
    change of placement after X1 a week later meets it, and one eight days later (the
    child's whereabouts between unknown) is left as written."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text(HEADER + "".join(
        f"10000{i},1,01/01/2012,WBRI,,,\n" for i in range(1, 5)))  # fmt: skip
    (d / "episodes.csv").write_text(EPISODES + "".join((
        "100001,01/05/2025,S,C2,N1,U4,PR1,01/08/2025,X1,,,,\n",
        "100001,08/08/2025,S,C2,N1,U4,PR1,,,,,,\n",
        "100002,01/05/2025,S,C2,N1,U4,PR1,01/08/2025,E13,,,,\n",
        "100002,08/08/2025,P,C2,N1,U4,PR1,,,,,,\n",
        "100003,01/05/2025,S,C2,N1,U4,PR1,01/08/2025,x1,,,,\n",
        "100003,08/08/2025,P,C2,N1,U6,PR4,,,,,,\n",
        "100004,01/05/2025,S,C2,N1,U4,PR1,01/08/2025,X1,,,,\n",
        "100004,09/08/2025,P,C2,N1,U6,PR4,,,,,,\n",
    )))  # fmt: skip
    h = read_history(tmp_path)
    ends = h.episodes.groupby("CHILD")["DEC"].first()
    assert ends.to_dict() == {
        "100001": pd.Timestamp("2025-08-01"),
        "100002": pd.Timestamp("2025-08-01"),
        "100003": pd.Timestamp("2025-08-08"),
        "100004": pd.Timestamp("2025-08-01"),
    }
    said = [(p.row, p.action) for p in h.quality.problems if p.code == "x1_gap"]
    assert said == [(6, "read as ending when the next episode starts: one period of care, "
                     "not a leaving and a return")]  # fmt: skip
    sp = build_spells(h).spells
    assert sp.groupby("child")["period"].nunique().to_dict() == {
        "100001": 2, "100002": 2, "100003": 1, "100004": 2}  # fmt: skip
