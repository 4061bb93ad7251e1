"""A 903 table's total row (Excel's Total Row, a report's count) is no child's row."""

from __future__ import annotations

from pathlib import Path

from sufficiency.io.reconcile import dfe_count
from sufficiency.io.ssda903 import load_ssda903
from sufficiency.io.total_row903 import CODE

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN\n"
)


def _return(root: Path, footer: str) -> Path:
    d = root / "2026"
    d.mkdir(parents=True)
    heads = "".join(f"{c},1,01/01/2012,WBRI,,,\n" for c in "ABC")
    (d / "header.csv").write_text(HEADER + heads + "Total,3\n")
    eps = "".join(f"{c},01/05/2025,S,C2,N1,U4,PR1,,,,WR9 8DS,WR1 1AA,\n" for c in "ABC")
    (d / "episodes.csv").write_text(EPISODES + eps + footer)
    return root


def test_a_total_row_below_the_children_is_left_out_and_named(tmp_path):
    """'Total,3' below each table's rows: validate gave the episodes' one 5 errors (CHILD,
    DECOM, RNE, LS, PLACE) and the header's 3; now each is one warning, and the children
    are counted as before."""
    history, problems = load_ssda903([_return(tmp_path / "a", "Total,3\n")])
    assert history is not None
    assert not [p for p in problems if p.severity == "error"]
    said = {(Path(p.file).name, p.row) for p in problems if p.code == CODE}
    assert said == {("episodes.csv", 5), ("header.csv", 5)}
    assert dfe_count(history.episodes, history.header, history.end) == 3


def test_a_total_row_with_a_childs_details_is_read_as_one(tmp_path):
    """A row beginning 'Total' with a start date and codes may be a child's: read, its
    CHILD an error, not left out."""
    footer = "Total,01/06/2025,S,C2,N1,U4,PR1,,,,,,\n"
    _, problems = load_ssda903([_return(tmp_path / "b", footer)])
    rows = {(Path(p.file).name, p.row, p.code) for p in problems}
    assert ("episodes.csv", 5, CODE) not in rows
    assert any(p.severity == "error" and p.row == 5 and p.file.endswith("episodes.csv")
               for p in problems)  # fmt: skip
