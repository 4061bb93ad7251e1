"""An ID written with Excel's text marker, ``'100314``, in one table only.

Some exports force an ID to stay text in Excel by writing the apostrophe into the CSV.
Read as written, every child of the 2024-25 episodes so written was another child than
the header's: validate gave 1,780 errors (episodes with no row in the header) and the
forecast set 1,197 children aside for no date of birth, forecasting 682 children in
care on 31/03/2029 (P10 388, P90 1,066) where the same return without apostrophes gives
851. The apostrophe is now read as the marker it is, with one note a table."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.io.inputs import load_placements, load_referrals
from sufficiency.io.ssda903 import read_history
from sufficiency.io.text_marks import text_marks


def _mark(path: Path, column: str) -> int:
    """Write ``column`` of the CSV at ``path`` with an apostrophe before each value."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    i = rows[0].index(column)
    for r in rows[1:]:
        r[i] = "'" + r[i]
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return len(rows) - 1


def test_903_ids_written_with_an_apostrophe_are_the_same_children(sample_dir, tmp_path):
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    n = _mark(history / "2025" / "episodes.csv", "CHILD")
    result = CliRunner().invoke(main, ["validate", "--date", "2026-04-01", str(history)])
    assert result.exit_code == 0, result.output
    assert "0 errors, 1 warning." in result.output
    assert (
        f"WARNING: episodes.csv writes {n:,} cell(s) with an apostrophe before them (in "
        "column CHILD), as an export writes an ID to keep it text in Excel ('100314): read "
        "without the apostrophe"
    ) in result.output

    marked, clean = read_history(history), read_history(sample_dir / "ssda903")
    pd.testing.assert_frame_equal(marked.episodes, clean.episodes)
    pd.testing.assert_frame_equal(marked.header, clean.header)


def test_referral_and_register_ids_written_with_an_apostrophe(sample_dir, tmp_path):
    shutil.copy(sample_dir / "referrals.csv", tmp_path / "referrals.csv")
    shutil.copy(sample_dir / "placements.csv", tmp_path / "placements.csv")
    _mark(tmp_path / "referrals.csv", "child_id")
    _mark(tmp_path / "placements.csv", "placement_id")
    kw = {"default_responsible_la": "E10000034"}
    refs, said = load_referrals(tmp_path / "referrals.csv", **kw)
    clean, _ = load_referrals(sample_dir / "referrals.csv", **kw)
    assert list(refs["child_id"]) == list(clean["child_id"])
    assert [p.column for p in said if p.code == "text_formulas"] == [None]
    assert any("(in column child_id)" in p.message for p in said)
    plc, said = load_placements(tmp_path / "placements.csv")
    assert list(plc["placement_id"]) == list(
        load_placements(sample_dir / "placements.csv")[0]["placement_id"]
    )
    assert any("(in column placement_id)" in p.message for p in said)


def test_an_apostrophe_that_is_not_a_text_marker_is_kept():
    data = pd.DataFrame(
        {"note": ["'twas", "'yes'", "'=A1", "'+20%", "'R001 x", "'0123"]}, dtype="string"
    )
    out, notes = text_marks(data, "t.csv", {"note": "Note"})
    assert list(out["note"]) == ["'twas", "'yes'", "'=A1", "'+20%", "'R001 x", "0123"]
    assert (
        len(notes) == 1 and "1 cell(s)" in notes[0].message and "column Note" in (notes[0].message)
    )
