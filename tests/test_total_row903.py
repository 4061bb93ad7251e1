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


def test_a_report_footer_below_the_children_is_a_note_not_a_child(tmp_path):
    """'Report run 01/04/2026' and 'Produced by LCS' under the episodes: validate gave
    each an error for its CHILD (a note, not an ID) and its blank DECOM, RNE, LS and
    PLACE; now each is one warning, and the children are counted as before."""
    footer = "Report run 01/04/2026\nProduced by LCS\n"
    history, problems = load_ssda903([_return(tmp_path / "f", footer)])
    assert history is not None
    assert not [p for p in problems if p.severity == "error"]
    said = sorted(p.row for p in problems if p.code == CODE and p.file.endswith("episodes.csv"))
    assert said == [5, 6]
    assert not any("LCS" in p.message or "Report run" in p.message for p in problems)
    assert dfe_count(history.episodes, history.header, history.end) == 3


def test_a_footer_that_may_be_a_childs_row_is_still_read_as_one(tmp_path):
    """Ambiguous lines stay a child's row (an error): a date in DECOM's column, a child's
    name alone, an ID-like line, and a note above the last child's row."""
    for n, footer in enumerate(("Report run,01/04/2026\n", "Siân Jones\n", "AB 12345\n")):
        _, problems = load_ssda903([_return(tmp_path / str(n), footer)])
        eps = [p for p in problems if p.row == 5 and p.file.endswith("episodes.csv")]
        assert not [p for p in eps if p.code == CODE], footer
        assert any(p.severity == "error" for p in eps), footer
    folder = _return(tmp_path / "above", "")
    eps = folder / "2026" / "episodes.csv"
    lines = eps.read_text().splitlines(keepends=True)
    eps.write_text("".join([*lines[:2], "Produced by LCS\n", *lines[2:]]))
    _, problems = load_ssda903([folder])
    assert any(p.severity == "error" and p.row == 3 and p.file.endswith("episodes.csv")
               for p in problems)  # fmt: skip
