"""903 dates with full stops and a two-digit year (``01.04.25``, a German Excel's short
date, as its semicolon CSVs write it): read as 20YY, as ``01/04/25`` is
(sufficiency.io.dates)."""

from __future__ import annotations

import pandas as pd
from one_return903 import ep, write_return

from sufficiency.io.ssda903 import load_ssda903, read_history


def test_a_dotted_two_digit_year_date_is_read(tmp_path):
    """The sample so written was no date at all: 11,145 errors and no episode read, the
    forecast refused. Now each date is its day, and said."""
    root = write_return(tmp_path, [ep("101", "13.04.25", "14.07.25", "E13"),
                                   ep("102", "01.05.25", "", "")])  # fmt: skip
    path = root / "2026" / "header.csv"
    path.write_text(path.read_text().replace("01/01/2012", "13.01.12"))
    h = read_history(root)
    e = h.episodes.set_index("CHILD")
    assert e.loc["101", "DECOM"] == pd.Timestamp("2025-04-13")
    assert e.loc["101", "DEC"] == pd.Timestamp("2025-07-14")
    assert e.loc["102", "DECOM"] == pd.Timestamp("2025-05-01") and pd.isna(e.loc["102", "DEC"])
    assert (h.header["DOB"] == pd.Timestamp("2012-01-13")).all()
    _, problems = load_ssda903([root])
    assert not [p for p in problems if p.severity == "error"]
