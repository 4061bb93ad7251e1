"""A 903 column named twice in one table (an export joining two tables): read as one where
the copies agree, refused where they differ; pandas' ``DEC.1`` was ignored as unknown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.io.reconcile import dfe_count
from sufficiency.io.ssda903 import read_history

END = pd.Timestamp("2026-03-31")


def _second_dec(sample_dir: Path, tmp_path: Path, differ: int = 0) -> Path:
    """The sample, its 2025-26 episodes' DEC blank and a second DEC holding the dates
    (``differ`` rows of the first given another date)."""
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    path = history / "2026" / "episodes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [lines[0] + ",DEC"]
    for i, line in enumerate(lines[1:]):
        cells = line.split(",")
        dec, cells[7] = cells[7], ("01/01/2026" if i < differ else "")
        out.append(",".join(cells) + "," + dec)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return history


def test_a_second_column_of_one_name_holding_the_values_is_read(sample_dir, tmp_path):
    """Read as written, 1,023 children were looked after on 31/03/2026, not 869."""
    h = read_history(_second_dec(sample_dir, tmp_path))
    assert dfe_count(h.episodes, h.header, END) == 869
    assert h.quality is not None
    said = [p for p in h.quality.problems if p.code == "column_twice"]
    assert [(p.row, p.column, p.severity) for p in said] == [(None, "DEC", "warning")]
    assert "read as one" in said[0].message


def test_copies_that_differ_are_refused_naming_the_column_and_row(sample_dir, tmp_path):
    history = _second_dec(sample_dir, tmp_path, differ=3)
    result = CliRunner().invoke(main, ["validate", "--date", "2026-04-01", str(history)])
    assert result.exit_code == 1
    assert (
        "ERROR: row 2, column DEC: column appears 2 times and the copies differ (first on "
        "this row): keep only the return's DEC"
    ) in result.output
    assert "Traceback" not in result.output
