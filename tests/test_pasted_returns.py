"""A 903 return file holding last year's rows too, pasted above or below this year's
(sufficiency.io.reconcile, rule 1): each episode counts once, as its latest state."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.io.ssda903 import load_ssda903, read_history

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN\n"
)


def _ep(child: str, decom: str, dec: str = "", rec: str = "") -> str:
    return f"{child},{decom},S,C2,N1,U4,PR1,{dec},{rec},,,,\n"


@pytest.mark.parametrize("last_year_below", [False, True])
def test_last_years_rows_pasted_into_this_years_return_count_once(tmp_path, last_year_below):
    """The 2025-26 file held the 2024-25 return's rows too. Pasted above this year's, the
    later rows (this year's) stood; pasted below, the open 2024-25 version of an episode
    that ended in 2025-26 stood, the child counted in care on 31/03/2026 (the sample so
    edited: 981 for 869). An episode's version with an end date is its later state, used
    whatever the order."""
    heads = HEADER + "100001,1,01/01/2012,WBRI,,,\n100002,2,02/02/2013,WBRI,,,\n"
    last = [_ep("100001", "01/05/2024"), _ep("100002", "01/06/2024")]
    this = [_ep("100001", "01/05/2024", "01/09/2025", "E13"), _ep("100002", "01/06/2024")]
    for year, rows in (("2025", last), ("2026", this + last if last_year_below else last + this)):
        d = tmp_path / year
        d.mkdir()
        (d / "header.csv").write_text(heads)
        (d / "episodes.csv").write_text(EPISODES + "".join(rows))
    h = read_history(tmp_path)
    assert h.quality.num_looked_after == 1
    ep = h.episodes[h.episodes["CHILD"] == "100001"]
    assert len(ep) == 1 and str(ep["DEC"].iloc[0].date()) == "2025-09-01"
    said = [p for p in h.quality.problems if p.code == "overlapping_episodes"]
    assert {(Path(p.file).parent.name, p.row) for p in said} == {
        ("2026", 4 if last_year_below else 2)}  # fmt: skip
    assert said[0].action == "the one with an end date used, else the later row"


def test_a_child_twice_in_a_header_with_two_dates_of_birth_is_said(tmp_path):
    """A header listing 100001 twice, born 2010 and 2015: the forecast used the later row
    ("child appears twice in this header: the later row used") and validate said only
    "duplicate CHILD", neither that the dates of birth differ, on which the child's age
    band hangs. Both now say so, naming the row used, never the dates."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text(HEADER + "100001,1,03/05/2010,WBRI,,,\n"
                                  "100002,2,02/02/2013,WBRI,,,\n100001,1,01/01/2015,WBRI,,,\n"
                                  "100002,2,02/02/2013,WBRI,,,\n")  # fmt: skip
    (d / "episodes.csv").write_text(EPISODES + _ep("100001", "01/05/2025")
                                    + _ep("100002", "01/05/2025"))  # fmt: skip
    h = read_history(tmp_path)
    said = {(p.row, p.column, p.message) for p in h.quality.problems if p.code == "duplicate_child"}
    assert said == {(2, "DOB", "child appears twice in this header with different dates of "
                     "birth: row 4's is used; check which is right")}  # fmt: skip
    # 100002's row repeated cell for cell is read once (header_twins), said so
    assert [p.row for p in h.quality.problems if p.code == "repeated_child_row"] == [5]
    _, problems = load_ssda903([tmp_path])
    warned = [p for p in problems if p.code == "duplicate_child"]
    assert [(p.row, p.column, p.severity) for p in warned] == [(2, "DOB", "warning")]
    assert "the forecast uses row 4's" in warned[0].message
    assert "2010" not in str(problems) and "2015" not in str(problems)


def test_a_block_of_excel_serial_dates_names_its_rows(tmp_path):
    """Episodes whose DECOM are DD/MM/YYYY but for a block pasted from Excel as serial
    numbers (45778): read as dates, but the note named the column only, as it does for a
    column of serials throughout, so the analyst could not find the rows to check. Such a
    block's rows are now named; a column of serials throughout is said as before."""
    d = tmp_path / "2026"
    d.mkdir()
    heads = [f"10000{i},1,01/01/2012,WBRI,,,\n" for i in (1, 2, 3)]
    (d / "header.csv").write_text(HEADER + "".join(heads))
    (d / "episodes.csv").write_text(EPISODES + _ep("100001", "01/05/2025") + _ep("100002", "45778")
                                    + _ep("100003", "45779"))  # fmt: skip
    h = read_history(tmp_path)
    assert sorted(str(x.date()) for x in h.episodes["DECOM"]) == [
        "2025-05-01", "2025-05-01", "2025-05-02"]  # fmt: skip
    notes = [p.message for p in h.quality.problems if p.code == "excel_serial_dates"]
    assert len(notes) == 1 and "on rows 3-4 only" in notes[0], notes
    (d / "episodes.csv").write_text(EPISODES + _ep("100001", "45778") + _ep("100002", "45778"))
    notes = [p.message for p in read_history(tmp_path).quality.problems
             if p.code == "excel_serial_dates"]  # fmt: skip
    assert len(notes) == 1 and "only" not in notes[0]
