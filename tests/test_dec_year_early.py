"""An episode's end (DEC) typed a year early, before its start: what is said.

``validate`` said only "episode ends (DEC) before it starts (DECOM)" and the forecast's
findings the same, with the row: not whose episode was set aside, nor that the child is
then read as out of care until their next episode (in no count if it was their only
one), nor that a year typed a year early is the likely slip. The episode is still set
aside, its dates not guessed."""

from __future__ import annotations

import csv
import shutil

import pandas as pd
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.io.set_aside import BACKWARDS, YEAR_EARLY, ends_before_start
from sufficiency.io.ssda903 import read_history

#: The sample's 2024-25 episode at row 31: child 115500, 17/11/2024 to 25/11/2024.
ROW = 31


def _year_early(sample_dir, tmp_path):
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    path = history / "2025" / "episodes.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    row = rows[ROW - 1]
    assert (row[0], row[1], row[7]) == ("115500", "17/11/2024", "25/11/2024")
    row[7] = "25/11/2023"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return history


def test_validate_says_what_is_done_and_the_likely_slip(sample_dir, tmp_path):
    history = _year_early(sample_dir, tmp_path)
    result = CliRunner().invoke(main, ["validate", "--date", "2026-04-01", str(history)])
    assert f"  ERROR: row {ROW}, column DEC: {YEAR_EARLY}\n" in result.output
    assert "reading the child as not in care from its start to their next episode" in YEAR_EARLY
    assert "a year early" in YEAR_EARLY


def test_the_forecasts_findings_name_the_child_and_set_the_episode_aside(sample_dir, tmp_path):
    history = _year_early(sample_dir, tmp_path)
    h = read_history(history)
    assert h.quality is not None
    said = [p for p in h.quality.problems if p.code == "dec_before_decom"]
    assert [(p.row, p.column, p.message, p.action) for p in said] == [
        (ROW, "DEC", f"child 115500's {YEAR_EARLY}", "episode set aside")
    ]
    # the episode is set aside, not repaired: the child's other episodes are as they were
    clean = read_history(sample_dir / "ssda903").episodes
    kept = h.episodes[h.episodes["CHILD"] == "115500"]
    before = clean[clean["CHILD"] == "115500"]
    assert len(kept) == len(before) - 1
    assert pd.Timestamp("2024-11-17") not in set(kept["DECOM"])


def test_a_dec_years_before_its_start_is_not_said_to_be_a_year_early():
    decom = pd.Series(pd.to_datetime(["2024-11-17", "2024-11-17", "2024-11-17"]))
    dec = pd.Series(pd.to_datetime(["2023-11-25", "2021-11-25", "2024-11-25"]))
    said = {m: list(hit) for m, hit in ends_before_start(dec, decom)}
    assert said == {YEAR_EARLY: [True, False, False], BACKWARDS: [False, True, False]}
