"""One date column written month first (MM/DD/YYYY) among day-first ones: read by its own
dates, as a table's are."""

from __future__ import annotations

import csv
import shutil

import pandas as pd

from sufficiency.io.reconcile import dfe_count
from sufficiency.io.ssda903 import read_history


def test_an_end_date_column_written_month_first_is_read_so(sample_dir, tmp_path):
    """The 2025-26 episodes' DEC as a US-set machine writes it, DECOM day first: read day
    first as the table is, 614 end dates were refused and the rest swapped, the return
    read as 2026-27's and 781 children counted, not 869."""
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    path = history / "2026" / "episodes.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["DEC"]:
            day, month, year = row["DEC"].split("/")
            row["DEC"] = f"{month}/{day}/{year}"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    clean, h = read_history(sample_dir / "ssda903"), read_history(history)
    end = pd.Timestamp("2026-03-31")
    assert h.end == end
    assert dfe_count(h.episodes, h.header, end) == dfe_count(clean.episodes, clean.header, end)
    assert h.episodes[["CHILD", "DECOM", "DEC"]].equals(clean.episodes[["CHILD", "DECOM", "DEC"]])
    assert h.quality is not None
    said = [p for p in h.quality.problems if p.code == "month_first_column"]
    assert [(p.column, p.row, p.severity) for p in said] == [("DEC", None, "warning")]
    assert "though the table's other dates are day first" in said[0].message
    assert {p.severity for p in h.quality.problems} <= {"warning"}
