"""CSV outputs are safe to open in a spreadsheet: text that begins like a formula is
written with an apostrophe first, and read back without it.

Before, a referral whose child ID was ``@R001`` (or a home named ``=HYPERLINK(...)``, a
decision's reason ``=cmd|...``) went into matches.csv as written, and Excel ran it as a
formula when a placement officer opened the file.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.io.csv_text import csv_text
from sufficiency.io.decisions import read_decisions
from sufficiency.io.tables import read_tables
from sufficiency.store import RunStore
from sufficiency.store.team_decisions import add_decision, write_decisions_file

_RISKY = ("=", "+", "-", "@", "\t", "\r")


def test_text_like_a_formula_is_quoted_and_numbers_are_not():
    frame = pd.DataFrame(
        {
            "id": ["=1+2", "-5", "- none", "@SUM(A1)", None, "R1"],
            "cost": [1.5, -2.0, 3.0, 4.0, 5.0, 6.0],
            "note": pd.Series(["+44", "x", "\tx", "y", "z", pd.NA], dtype="string"),
        }
    )
    assert csv_text(frame, "%.2f").splitlines() == [
        "id,cost,note",
        "'=1+2,1.50,+44",
        "-5,-2.00,x",
        "'- none,3.00,'\tx",
        "'@SUM(A1),4.00,y",
        ",5.00,z",
        "R1,6.00,",
    ]


def test_match_outputs_quote_an_id_like_a_formula_and_read_it_back(tmp_path, sample_dir):
    shutil.copy(sample_dir / "placements.csv", tmp_path / "placements.csv")
    referrals = (sample_dir / "referrals.csv").read_text(encoding="utf-8")
    assert "\nR001," in referrals
    (tmp_path / "referrals.csv").write_text(referrals.replace("\nR001,", "\n@R001,"), "utf-8")
    out = tmp_path / "out"
    args = ["match", "--referrals", str(tmp_path / "referrals.csv"), "--placements",
            str(tmp_path / "placements.csv"), "--date", "2026-04-01",
            "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = (out / "matches.csv").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("'@R001,") for line in lines)
    for name in ("matches.csv", "unplaced.csv", "alternatives.csv"):
        table = pd.read_csv(out / name, dtype=str, keep_default_na=False)
        for column in table.columns:
            cells = table[column]
            numbers = pd.to_numeric(cells, errors="coerce").notna()
            assert not (cells.str.startswith(_RISKY) & ~numbers).any(), (name, column)
    (read,) = read_tables(out / "matches.csv")
    assert "@R001" in set(read.data["child_id"])


def test_exported_decisions_are_quoted_and_read_back_as_they_were(tmp_path):
    store = RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    now = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
    add_decision(store, "=R1", "PL1", "exclude", '=HYPERLINK("http://x";"y")', "jo", now=now)
    path = tmp_path / "decisions.csv"
    assert write_decisions_file(store, path, on=dt.date(2026, 4, 1)) == 1
    text = path.read_text(encoding="utf-8")
    assert "'=R1,PL1,exclude,\"'=HYPERLINK(" in text
    table = read_decisions(path)
    assert table.loc[0, "child_id"] == "=R1"
    assert table.loc[0, "reason"] == '=HYPERLINK("http://x";"y")'
    store.close()


def test_an_output_read_back_for_a_page_has_its_text_as_it_was(tmp_path):
    """The web pages read outputs back: a scenario named '+20% entries' showed as
    "'+20% entries" once the CSV quoted it."""
    from sufficiency.io.csv_text import read_csv_output

    frame = pd.DataFrame({"scenario": ["base", "+20% entries", None], "mean": [1.5, -2.0, 3.0]})
    path = tmp_path / "t.csv"
    path.write_text(csv_text(frame), encoding="utf-8")
    assert "'+20% entries" in path.read_text(encoding="utf-8")
    back = read_csv_output(path)
    assert back["scenario"].tolist()[:2] == ["base", "+20% entries"]
    assert pd.isna(back["scenario"].iloc[2]) and back["mean"].tolist() == [1.5, -2.0, 3.0]
    assert read_csv_output(path, dtype=str)["scenario"].tolist()[1] == "+20% entries"


def test_a_figure_that_rounds_to_zero_has_no_minus_sign():
    """pooling.csv gave a saving of '-0.00' (a tiny negative rounding to nothing), read by
    finance as a loss; NaN stays blank and other figures keep their sign."""
    frame = pd.DataFrame({"gbp": [-0.001, -0.005, -0.006, float("nan"), 2.5], "n": [1, 2, 3, 4, 5]})
    text = csv_text(frame, "%.2f")
    assert text.splitlines() == ["gbp,n", "0.00,1", "-0.01,2", "-0.01,3", ",4", "2.50,5"]
    assert csv_text(frame) == frame.to_csv(index=False, lineterminator="\n")
