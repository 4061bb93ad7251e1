"""An episode ending X1 (a new episode starts the same day) that no episode follows: the
child reads as leaving care, so each such row is named."""

from __future__ import annotations

import csv
import shutil

import pandas as pd
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.io.reconcile import dfe_count
from sufficiency.io.ssda903 import read_history
from sufficiency.io.x1_gap import X1_UNFOLLOWED


def test_an_x1_episode_whose_next_is_missing_is_named(sample_dir, tmp_path):
    """Ten children's open episodes after an X1 lost from the 2025-26 return: 859 children
    looked after on 31/03/2026, not 869, and 10 more exits, said nowhere (validate
    neither)."""
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    path = history / "2026" / "episodes.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    lost: list[int] = []
    for i in range(1, len(rows)):
        a, b = rows[i - 1], rows[i]
        follows = a["CHILD"] == b["CHILD"] and a["REC"] == "X1" and a["DEC"] == b["DECOM"]
        if len(lost) < 10 and follows and not b["DEC"]:
            lost.append(i)
    x1_rows = [i - 1 + 2 for i in lost]  # spreadsheet rows of the X1 episodes (header row 1)
    kept = [r for i, r in enumerate(rows) if i not in set(lost)]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(kept)
    # the rows above a lost one keep their numbers only up to it: renumber by what is kept
    x1_rows = [r - sum(1 for j in lost if j < r - 2) for r in x1_rows]
    h = read_history(history)
    assert dfe_count(h.episodes, h.header, pd.Timestamp("2026-03-31")) == 859
    assert h.quality is not None
    said = [p for p in h.quality.problems if p.code == X1_UNFOLLOWED]
    assert sorted(p.row for p in said) == sorted(x1_rows)
    assert {(p.column, p.severity) for p in said} == {("REC", "warning")}
    assert "check the return for the missing episode" in said[0].action
    out = CliRunner().invoke(main, ["validate", "--date", "2026-04-01", str(history)]).output
    assert "column REC: episode ends X1 (a new episode starts the same day), but no" in out
    clean = read_history(sample_dir / "ssda903")
    assert clean.quality is not None
    assert X1_UNFOLLOWED not in {p.code for p in clean.quality.problems}
