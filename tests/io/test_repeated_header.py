"""A 903 table's header row repeated among its rows, two exports joined one after the
other (sufficiency.io.repeated_header): left out, named, the other rows read."""

from __future__ import annotations

from sufficiency.io.ssda903 import load_ssda903, read_history

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN\n"
)


def test_a_header_row_repeated_among_the_rows_is_left_out(tmp_path):
    """Two episodes exports joined (the second's header row at row 3). validate refused
    the file with an error for each of row 3's 12 columns, none saying what the row
    was; now it is one warning naming row 3, and a later row's error still names its
    own row (5)."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text(HEADER + "100001,1,01/01/2012,WBRI,,,\n"
                                  + HEADER + "100002,2,02/02/2013,WBRI,,,\n")  # fmt: skip
    (d / "episodes.csv").write_text(EPISODES
        + "100001,01/05/2025,S,C2,N1,U4,PR1,,,,,,\n" + EPISODES
        + "100002,01/06/2025,S,C2,N1,U4,PR1,,,,,,\n"
        + "100002,01/06/2025,S,C2,N9,U4,PR1,,,,,,\n")  # fmt: skip
    _, problems = load_ssda903([tmp_path])
    said = sorted((p.file.rsplit("/", 1)[-1], p.row, p.column, p.severity, p.code)
                  for p in problems if (p.row is not None and p.column != "CHILD") or
                  p.code == "repeated_header")  # fmt: skip
    assert said == [  # row 5 is row 4's episode (its CIN apart), as the forecast reads it
        ("episodes.csv", 3, "CHILD", "warning", "repeated_header"),
        ("episodes.csv", 5, "CIN", "error", "invalid_value"),
        ("episodes.csv", 5, "DECOM", "warning", "duplicate_episode"),
        ("header.csv", 3, "CHILD", "warning", "repeated_header"),
    ]
    h = read_history(tmp_path)
    assert sorted(h.episodes["CHILD"]) == ["100001", "100002"]
    assert h.quality.num_looked_after == 2
    assert [p.code for p in h.quality.problems if p.row == 3] == ["repeated_header"] * 2
