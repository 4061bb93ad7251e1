"""Page 1 of the match report counts the children proposed in one home with a sibling
who is a risk to them, as it counts every other check a proposal carries: the rows said
it, and page 1 (the Summary sheet and the page's flags) did not."""

from __future__ import annotations

from pathlib import Path

from match_builders import (
    RUN_DATE,
    referral,
    sibling_night,
)
from openpyxl import load_workbook

from sufficiency.config import Params
from sufficiency.matching import run_matching
from sufficiency.matching.html import render_html
from sufficiency.matching.report import MatchReport, match_report
from sufficiency.matching.workbook import write_workbook


def _report(risk: bool) -> MatchReport:
    rows = [
        referral("K1", age=13, sibling_group="G1", risks=("harm_sexual",) if risk else ()),
        referral("K2", age=7, sibling_group="G1"),
        referral("K3", age=12),
    ]
    return match_report(run_matching(*sibling_night(rows), RUN_DATE, Params()))


def test_page_one_counts_siblings_placed_together_where_one_is_a_risk(tmp_path: Path) -> None:
    """K1 (a risk of sexual harm to younger children) with K2, younger: 2 children flagged,
    raised on page 1 and pointing to the Children placed sheet; none without the risk."""
    flag = {f.key: f for f in _report(risk=True).flags}["sibling_risks"]
    assert (flag.count, flag.raised, flag.sheet) == (2, True, "Children placed")
    assert flag.label == "Siblings placed together, one a risk to the other"
    assert "together-or-apart assessment" in flag.sentence
    html = render_html(_report(risk=True))
    assert "Siblings placed together, one a risk to the other" in html
    write_workbook(_report(risk=True), tmp_path / "r.xlsx")
    summary = [
        [c for c in row if c is not None]
        for row in load_workbook(tmp_path / "r.xlsx")["Summary"].values
    ]
    assert summary_row(summary) == ["Siblings placed together, one a risk to the other", 2]
    quiet = {f.key: f for f in _report(risk=False).flags}["sibling_risks"]
    assert (quiet.count, quiet.raised) == (0, False)


def summary_row(rows: list[list[object]]) -> list[object]:
    """The Summary sheet's flag row for the sibling risk: its label and count."""
    row = next(r for r in rows if r and r[0] == "Siblings placed together, one a risk to the other")
    return row[:2]
