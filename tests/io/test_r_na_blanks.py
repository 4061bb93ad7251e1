"""A 903 return saved by R's ``write.csv`` writes every empty cell ``NA``: read as blank,
as ``NULL`` and ``nan`` are (sufficiency.io.tables.blank_nulls)."""

from __future__ import annotations

import pandas as pd
from one_return903 import ep, write_return

from sufficiency.io.ssda903 import load_ssda903, read_history


def _na(text: str) -> str:
    """Each empty cell of a CSV's rows written ``NA``, as R writes it."""
    head, *rows = text.splitlines()
    cells = [",".join(c or "NA" for c in row.split(",")) for row in rows]
    return "\n".join([head, *cells]) + "\n"


def test_r_na_cells_are_blank(tmp_path):
    """The sample so written read its figures right but validate refused it: 'NA' was
    no date in MC_DOB, no code in REC or MOTHER, no postcode (2,390 errors in 2020-21's
    episodes alone). Now NA is blank, one warning a table, no error."""
    root = write_return(tmp_path, [ep("101", "01/04/2025", "14/07/2025", "E13"),
                                   ep("102", "01/05/2025", "", "")])  # fmt: skip
    for name in ("header.csv", "episodes.csv"):
        path = root / "2026" / name
        path.write_text(_na(path.read_text()))
    assert "NA" in (root / "2026" / "episodes.csv").read_text()
    h = read_history(root)
    e = h.episodes.set_index("CHILD")
    assert pd.isna(e.loc["102", "DEC"]) and pd.isna(e.loc["102", "REC"])
    assert h.quality is not None and h.quality.num_looked_after == 1
    _, problems = load_ssda903([root])
    assert not [p for p in problems if p.severity == "error"]
    said = [p for p in problems if p.code == "null_blanks"]
    assert len(said) == 2 and all("as NA" in p.message for p in said)
