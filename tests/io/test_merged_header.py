"""A 903 episodes table with the header's fields (SEX, DOB, ETHNIC) as columns and no
header table, as an analyst's merged table gives it: read as the header, one row a
child (sufficiency.io.merged_header)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from one_return903 import ep, write_return

from sufficiency.io.ssda903 import load_ssda903, read_history

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "ssda903"


def _merge(root: Path, dest: Path) -> Path:
    """``dest`` holding ``root``'s returns with each year's header joined to its
    episodes (SEX, DOB, ETHNIC as columns) and no header file."""
    for year in sorted(p for p in root.iterdir() if p.is_dir()):
        head = pd.read_csv(year / "header.csv", dtype=str)
        eps = pd.read_csv(year / "episodes.csv", dtype=str)
        (dest / year.name).mkdir(parents=True)
        merged = eps.merge(head[["CHILD", "SEX", "DOB", "ETHNIC"]], on="CHILD", how="left")
        merged.to_csv(dest / year.name / "episodes.csv", index=False)
    return dest


def test_the_sample_merged_reads_as_the_sample(tmp_path):
    """Refused outright before, "no 903 header table found"; now the sample so written
    reads as the clean one: 869 looked after on 31 March 2026, the same episodes and
    the same children, and validate finds no error, one warning a year."""
    merged = _merge(SAMPLE, tmp_path / "merged")
    clean, h = read_history(SAMPLE), read_history(merged)
    assert h.quality is not None and h.quality.num_looked_after == 869
    pd.testing.assert_frame_equal(h.episodes, clean.episodes)
    assert h.header["CHILD"].nunique() == clean.header["CHILD"].nunique()
    _, problems = load_ssda903([merged])
    assert not [p for p in problems if p.severity == "error"]
    said = [p for p in problems if p.code == "header_from_episodes"]
    assert len(said) == 6 and "(SEX, DOB, ETHNIC)" in said[0].message
    assert not [p for p in problems if "unknown column" in p.message]


def test_a_child_whose_rows_disagree_is_a_header_giving_the_child_twice(tmp_path):
    """Rows of one child giving two dates of birth: the duplicate CHILD a header giving
    the child twice is, named by the child's ID; no date of birth is printed."""
    root = write_return(tmp_path, [ep("101", "01/04/2025", "14/07/2025", "X1"),
                                   ep("101", "14/07/2025", "", ""),
                                   ep("102", "01/05/2025", "", "")])  # fmt: skip
    d = root / "2026"
    eps = pd.read_csv(d / "episodes.csv", dtype=str, keep_default_na=False)
    eps["SEX"], eps["DOB"] = "1", ["01/01/2012", "03/02/2012", "05/06/2013"]
    (d / "header.csv").unlink()
    eps.to_csv(d / "episodes.csv", index=False)
    h = read_history(root)
    assert h.quality is not None and h.quality.num_looked_after == 2
    _, problems = load_ssda903([root])
    errors = [p for p in problems if p.severity == "error"]
    assert [(e.code, e.value) for e in errors] == [("duplicate_id", "101")]
    said = [p for p in problems if p.code == "header_from_episodes"]
    assert len(said) == 1 and "1 child's rows differ" in said[0].message
    text = " ".join(f"{p.value} {p.message}" for p in problems)
    assert "2012" not in text and "2013" not in text
