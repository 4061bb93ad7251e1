"""The forecast's data-quality section says where its findings are listed: on the web page
"every finding is in data_quality.csv" named a file the commissioner reading it cannot
download; it now says where it is and whom to ask. With no finding it says so."""

from __future__ import annotations

import dataclasses

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.quality import DataQuality
from sufficiency.io.quality_writers import quality_html

NONE = DataQuality(problems=(), returns=(), missing_years=(), not_used=(),
                   data_end=pd.Timestamp(2026, 3, 31), num_looked_after=3,
                   num_set_aside_open=0)  # fmt: skip


def test_the_quality_section_says_where_its_findings_are_or_that_there_are_none():
    assert "nothing in it was repaired or set aside." in quality_html(NONE)
    assert "every finding is in" not in quality_html(NONE)
    found = Problem("episodes.csv", 2, "DECOM", None, "a start after its end", "warning",
                    "invalid", "set aside")  # fmt: skip
    some = dataclasses.replace(NONE, problems=(found,))
    assert "every finding is in data_quality.csv.</p>" in quality_html(some)
    where = "data_quality.csv, in the forecast's output folder (ask whoever runs the forecast)"
    assert f"every finding is in {where}.</p>" in quality_html(some, where).replace("&#x27;", "'")
