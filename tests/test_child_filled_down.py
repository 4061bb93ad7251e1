"""An episodes table giving each child's CHILD on their first row only (a pivot table or a
report grouped by child): read as the child above, each row named."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd

from sufficiency.io.fill_down import FILLED_DOWN
from sufficiency.io.reconcile import dfe_count
from sufficiency.io.ssda903 import read_history

END = pd.Timestamp("2026-03-31")


def _rewrite(sample_dir: Path, tmp_path: Path, blank) -> tuple[Path, list[int]]:
    """The sample with ``blank(rows, i)`` deciding which 2025-26 episode rows lose CHILD."""
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    path = history / "2026" / "episodes.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    hit = [i for i in range(len(rows)) if blank(rows, i)]
    for i in hit:
        rows[i]["CHILD"] = ""
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return history, [i + 2 for i in hit]


def _key(h) -> list[tuple]:
    ep = h.episodes.sort_values(["CHILD", "DECOM"])
    return list(zip(ep["CHILD"], ep["DECOM"], ep["DEC"].fillna(pd.Timestamp(0)), strict=True))


def test_a_childs_id_on_their_first_row_only_is_read_down(sample_dir, tmp_path):
    """Read as written, 677 rows had no child and were set aside: 471 children looked
    after on 31/03/2026, not 869."""
    history, blanked = _rewrite(
        sample_dir, tmp_path, lambda rows, i: i > 0 and rows[i]["CHILD"] == rows[i - 1]["CHILD"]
    )
    assert len(blanked) == 677
    clean, h = read_history(sample_dir / "ssda903"), read_history(history)
    assert dfe_count(h.episodes, h.header, END) == 869
    assert _key(h) == _key(clean)
    assert h.quality is not None
    said = [p for p in h.quality.problems if p.code == FILLED_DOWN]
    assert sorted(p.row for p in said) == blanked
    assert {(p.column, p.severity, p.action) for p in said} == {
        ("CHILD", "warning", "read as the CHILD of the row above")
    }
    assert "child_blank" not in {p.code for p in h.quality.problems}


def test_a_few_blank_ids_not_following_on_are_set_aside(sample_dir, tmp_path):
    """Three rows of different children with CHILD lost, none starting when the row above
    ended: not a report's layout; each is set aside as before, not given another's ID."""
    picked: list[int] = []

    def lone(rows, i) -> bool:
        ok = i > 0 and rows[i]["CHILD"] != rows[i - 1]["CHILD"] and len(picked) < 3
        ok = ok and rows[i]["DECOM"] != rows[i - 1]["DEC"]
        if ok:
            picked.append(i)
        return ok

    history, blanked = _rewrite(sample_dir, tmp_path, lone)
    h = read_history(history)
    assert h.quality is not None
    codes = [(p.code, p.row) for p in h.quality.problems]
    assert [r for c, r in codes if c == "child_blank"] == blanked
    assert FILLED_DOWN not in {c for c, _ in codes}
