"""903 dates written with a time of day on the 12-hour clock (``01/04/2025 12:00:00 AM``,
as .NET, SSRS and a US-set Excel write a date-time): the time is ignored, as
``00:00:00`` is (sufficiency.io.dates)."""

from __future__ import annotations

import pandas as pd
import pytest
from one_return903 import ep, write_return

from sufficiency.io.ssda903 import load_ssda903, read_history


@pytest.mark.parametrize(
    ("decom", "dec", "later", "dob"),
    [
        ("13/04/2025 12:00:00 AM", "14/07/2025 12:00:00 AM", "15/07/2025 1:30 PM",
         "13/01/2012 12:00:00 AM"),
        ("4/13/2025 12:00:00 AM", "7/14/2025 12:00:00 AM", "7/15/2025 1:30 PM",
         "1/13/2012 12:00:00 AM"),
        ("2025-04-13 12:00 PM", "2025-07-14 12:00 PM", "2025-07-15 1:30 pm",
         "2012-01-13 12:00 PM"),
    ],
)  # fmt: skip
def test_a_twelve_hour_time_after_a_date_is_ignored(tmp_path, decom, dec, later, dob):
    """The sample so written (every date with ``12:00:00 AM``) was no date at all: 11,145
    errors and no episode read, the forecast refused. Now each date is its day, and said."""
    root = write_return(
        tmp_path, [ep("101", decom, dec, "E13"), ep("102", decom, "", ""), ep("103", later, "", "")]
    )
    header = (root / "2026" / "header.csv").read_text().replace("01/01/2012", dob)
    (root / "2026" / "header.csv").write_text(header)
    h = read_history(root)
    e = h.episodes.set_index("CHILD")
    assert e.loc["101", "DECOM"] == pd.Timestamp("2025-04-13")
    assert e.loc["101", "DEC"] == pd.Timestamp("2025-07-14")
    assert pd.isna(e.loc["102", "DEC"]) and e.loc["103", "DECOM"] == pd.Timestamp("2025-07-15")
    assert (h.header["DOB"] == pd.Timestamp("2012-01-13")).all()
    _, problems = load_ssda903([root])
    assert not [p for p in problems if p.severity == "error"]
    assert any("time of day" in p.message for p in problems)
