"""Open episodes whose end date is written as a case system writes "no end"
(``31/12/9999``, ``31/12/2099``, ``-``): read as open (sufficiency.io.open_end)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sufficiency.forecast.states import build_spells
from sufficiency.io.reconcile import dfe_count
from sufficiency.io.ssda903 import load_ssda903, read_history


def _figures(folder: Path) -> tuple:
    """The years read, the children looked after on each 31 March, and the periods of
    care with their kinds of start and end, as the forecast reads the history."""
    h = read_history(folder)
    counts = tuple(dfe_count(h.episodes, h.header, pd.Timestamp(y, 3, 31)) for y in h.years)
    sp = build_spells(h).spells
    kinds = tuple(sp["kind"].value_counts().sort_index().items())
    ends = tuple(sp["end_kind"].value_counts().sort_index().items())
    return h.years, h.end, counts, sp["period"].nunique(), kinds, ends


@pytest.fixture(scope="module")
def clean(sample_dir: Path) -> tuple:
    return _figures(sample_dir / "ssda903")


def _open_ends(folder: Path, written: str) -> int:
    """Write every blank DEC of every return as ``written``; how many."""
    n = 0
    for path in sorted(folder.glob("*/episodes.csv")):
        with path.open(newline="") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            if not row["DEC"]:
                row["DEC"], n = written, n + 1
        with path.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    return n


def _read_with_open_ends(tmp_path, sample_dir, clean, written):  # type: ignore[no-untyped-def]
    """The sample with each open episode's DEC ``written``: read as the clean sample, with
    one open-end warning a table; the warnings and every problem."""
    folder = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", folder)
    assert _open_ends(folder, written) > 5000
    assert _figures(folder) == clean
    _, problems = load_ssda903([folder])
    said = [p for p in problems if p.code == "open_end_date"]
    assert len(said) == 6 and {p.column for p in said} == {"DEC"}
    return said, problems


@pytest.mark.parametrize("written", ["31/12/9999", "31/12/2099", "9999-12-31 00:00:00",
                                     "2958465", "-"])  # fmt: skip
def test_an_open_episodes_no_end_date_is_read_as_open(tmp_path, sample_dir, clean, written):
    """The sample with each open episode's DEC written as its case system holds 'no end'.
    31/12/9999 (and Excel's serial for it, and '-') was no date, every open episode set
    aside: 0 children looked after on 31/03/2026 (not 869), and the forecast ran from
    none. 31/12/2099 is a date, and made every return the one for 2099-00: six years read
    as one, 0 looked after on 31/03/2100. Now the history read is the clean sample's, and
    validate warns once per table, naming its first such row."""
    said, problems = _read_with_open_ends(tmp_path, sample_dir, clean, written)
    first = {Path(p.file).parent.name: p.row for p in said}
    assert first["2021"] == 2 and first["2022"] == 3
    assert "read as blank (open at the end of the return)" in said[0].message
    assert not [p for p in problems if p.severity == "error" and p.column == "DEC"]


@pytest.mark.parametrize("written", ["01/01/1900", "1900-01-01 00:00:00.000", "30/12/1899"])
def test_an_open_episodes_day_zero_end_is_read_as_open(tmp_path, sample_dir, clean, written):
    """SQL Server's and Excel's day zero, as a report turning an empty date into a date
    writes an open episode's DEC. It was read as written: each open episode ended before
    it started, 4,005 set aside as errors, and an earlier return's open episode read as
    the child's latest: 1,023 children looked after on 31/03/2026, not 869. Now the
    history read is the clean sample's, said once per table."""
    _, problems = _read_with_open_ends(tmp_path, sample_dir, clean, written)
    assert not [p for p in problems if p.severity == "error"]
