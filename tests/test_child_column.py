"""A 903 table whose CHILD column is headed as a case-management system exports it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.errors import InputDataError
from sufficiency.io.ssda903 import load_ssda903, read_ssda903

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE\n"
ROWS = {
    "header": "A1,1,01/01/2012,WBRI,,,\n",
    "episodes": "A1,01/05/2024,S,C1,N1,U6,PR1,,,\n",
}


def _history(root: Path, child: dict[tuple[int, str], str]) -> Path:
    """Two years of returns, the CHILD heading of the tables in ``child`` replaced."""
    for year in (2025, 2026):
        d = root / str(year)
        d.mkdir(parents=True)
        for kind, head in (("header", HEADER), ("episodes", EPISODES)):
            heading = child.get((year, kind), "CHILD")
            (d / f"{kind}.csv").write_text(heading + head.removeprefix("CHILD") + ROWS[kind])
    return root


@pytest.mark.parametrize(
    "heading", ["Child ID", "ChildID", "Child Identifier", "CHILD_ID", "LA Child ID", "Child Ref"]
)
def test_a_child_column_headed_otherwise_is_named_not_skipped(tmp_path, heading):
    """The latest year's episodes headed 'Child ID' were skipped as 'not a 903 table' in one
    warning, the history read to the year before: the file, its table and the heading to
    rename are named, as an error."""
    _history(tmp_path, {(2026, "episodes"): heading})
    _, problems = load_ssda903([tmp_path])
    said = [p for p in problems if p.code == "no_child_column"]
    assert [(p.file, p.column, p.severity) for p in said] == [
        (str(tmp_path / "2026" / "episodes.csv"), heading, "error")
    ]
    assert said[0].message.startswith("has the 903 episodes table's columns (DECOM, RNE, LS,")
    assert f"'{heading}' looks like CHILD: rename it CHILD" in said[0].message
    assert not any(p.code == "skipped_file" for p in problems)


def test_a_history_headed_so_throughout_names_every_table(tmp_path):
    """Every table headed 'ChildID' was refused as 'no 903 header or episodes table found':
    each is named, at once."""
    tables = [(y, k) for y in (2025, 2026) for k in ("header", "episodes")]
    _history(tmp_path, dict.fromkeys(tables, "ChildID"))
    with pytest.raises(InputDataError) as exc:
        read_ssda903(tmp_path)
    problems = exc.value.problems
    assert sorted(Path(p.file).relative_to(tmp_path).as_posix() for p in problems) == [
        "2025/episodes.csv", "2025/header.csv", "2026/episodes.csv", "2026/header.csv"
    ]  # fmt: skip
    assert all("'ChildID' looks like CHILD" in p.message for p in problems)
    assert "no 903 header or episodes table found" not in str(exc.value)


def test_two_headings_like_child_are_both_named_and_none_read(tmp_path):
    """A table with 'Child ID' and 'Child Ref' names both; neither is taken for CHILD."""
    _history(tmp_path, {(2026, "header"): "Child ID,Child Ref"})
    (tmp_path / "2026" / "header.csv").write_text(
        "Child ID,Child Ref" + HEADER.removeprefix("CHILD") + "9,A1,1,01/01/2012,WBRI,,,\n"
    )
    _, problems = load_ssda903([tmp_path])
    said = [p for p in problems if p.code == "no_child_column"]
    assert len(said) == 1 and said[0].column == "Child ID"
    assert "'Child ID' and 'Child Ref' look like CHILD: rename CHILD the one" in said[0].message


def test_no_heading_like_child_says_what_to_add(tmp_path):
    """A header table with no identifier column at all says to add it."""
    _history(tmp_path, {(2026, "header"): "NAME"})
    _, problems = load_ssda903([tmp_path])
    said = [p for p in problems if p.code == "no_child_column"]
    assert len(said) == 1 and said[0].column == "CHILD"
    assert said[0].message.endswith("add the child's identifier as in the council's 903 "
                                    "return, headed CHILD")  # fmt: skip


def test_a_referrals_file_beside_the_returns_is_still_skipped(tmp_path):
    """A file sharing child_id, dob and sex with the header among other columns is no 903
    table (the referrals file): skipped in one line, as before."""
    _history(tmp_path, {})
    (tmp_path / "referrals.csv").write_text(
        "child_id,dob,sex,home_postcode,sibling_group,school_postcode,needed_by\n"
        "C1,01/01/2012,M,WR9 8DS,,,01/06/2026\n"
    )
    (tmp_path / "children.csv").write_text("child_id,dob,sex\nC1,01/01/2012,M\n")
    history, problems = load_ssda903([tmp_path])
    assert history is not None and history.years == (2025, 2026)
    assert [(p.code, p.severity) for p in problems if p.code != "skipped_file"] == []
    assert sorted(Path(p.file).name for p in problems) == ["children.csv", "referrals.csv"]


def test_validate_given_the_file_names_its_child_heading(tmp_path):
    """`validate header.csv` of a header headed 'Child Ref' took it for a referrals file
    (it has DOB) and listed the referral columns it lacked; it is named as a 903 table."""
    import datetime as dt

    from sufficiency.validate import validate_paths

    _history(tmp_path, {(2026, "header"): "Child Ref"})
    path = tmp_path / "2026" / "header.csv"
    report = validate_paths([path], run_date=dt.date(2026, 4, 1), default_responsible_la="X")
    assert [(p.code, p.column) for p in report.problems] == [("no_child_column", "Child Ref")]
