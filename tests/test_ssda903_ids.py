"""A 903 return's CHILD that is a child's name, not an ID: an error of its row, shown by
its shape, and the child never named by it (sufficiency.io.id_shape)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sufficiency.errors import InputDataError
from sufficiency.io.ssda903 import load_ssda903, read_history

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN\n"
)
NAME = "Zebedee Quaxworth"


def _return(root: Path, child: str = NAME) -> Path:
    d = root / "2026"
    d.mkdir(parents=True)
    (d / "header.csv").write_text(
        HEADER + "101150,1,01/01/2012,WBRI,,,\n" + f"{child},2,02/02/2013,WBRI,,,\n"
    )
    (d / "episodes.csv").write_text(
        EPISODES
        + "101150,01/05/2025,S,C2,N1,U1,PR1,,,,,,\n"
        + f"{child},01/06/2025,S,C2,N1,U1,PR1,,,,,,\n"
    )
    return root


def _said(problems) -> str:
    return "\n".join(str(p) for p in problems)


def test_a_name_typed_as_child_is_set_aside_never_quoted(tmp_path):
    """A child's name in CHILD was read as the child's ID: counted, forecast, and printed
    as the ID in every output. Now each of its rows is an error, set aside, shown as
    ``AAAAAAA AAAAAAAAA``; the other child is read."""
    history = read_history(_return(tmp_path))
    assert history.episodes["CHILD"].tolist() == ["101150"]
    assert history.header["CHILD"].tolist() == ["101150"]
    assert history.quality is not None
    named = [p for p in history.quality.problems if p.code == "not_an_id"]
    assert sorted((Path(p.file).name, p.row, p.action) for p in named) == [
        ("episodes.csv", 3, "row set aside"),
        ("header.csv", 3, "row set aside"),
    ]
    assert "Quaxworth" not in _said(history.quality.problems)


def test_validate_and_strict_say_it_by_shape(tmp_path):
    """``validate`` names the row and column and shows the value's shape; ``--strict``
    refuses; the child's other checks (not in the header...) never quote the name."""
    _, problems = load_ssda903([_return(tmp_path)])
    named = [p for p in problems if p.code == "not_an_id"]
    assert {(Path(p.file).name, p.row, p.column, p.value) for p in named} == {
        ("episodes.csv", 3, "CHILD", "AAAAAAA AAAAAAAAA"),
        ("header.csv", 3, "CHILD", "AAAAAAA AAAAAAAAA"),
    }
    assert all(p.severity == "error" for p in named)
    assert "Quaxworth" not in _said(problems)
    with pytest.raises(InputDataError) as exc:
        read_history(tmp_path, strict=True)
    assert "not_an_id" in {p.code for p in exc.value.problems}
    assert "Quaxworth" not in _said(exc.value.problems)


@pytest.mark.parametrize(
    "child", ["1.00211E+05", "100,211", "LA-0123", "AB_1234/5", "R001", "100 211", "X" * 20]
)
def test_ids_councils_write_are_read(tmp_path, child):
    """IDs as councils' exports write them (digits, thousands separators, Excel's
    scientific form, prefixes with hyphens or slashes, up to 20 characters) are no error."""
    _, problems = load_ssda903([_return(tmp_path, child)])
    assert not [p for p in problems if p.code == "not_an_id"]


def test_the_shape_rule():
    """Two words of letters (a name, a note), or over 20 characters."""
    from sufficiency.io.id_shape import not_an_id

    values = pd.Series([NAME, "Notes: moved", "X" * 21, "101150", "C1", None, ""], dtype="string")
    assert not_an_id(values).tolist() == [True, True, True, False, False, False, False]


def test_a_uasc_date_of_birth_unlike_the_headers_is_said(tmp_path):
    """15/12/2009 in the header and 16/12/2009 in uasc (an age assessment revised one)
    was not reported: now a warning naming both files, rows and the column, the value by
    shape only, and saying the header's date is the one the forecast uses."""
    root = _return(tmp_path, "990013")
    (root / "2026" / "header.csv").write_text(
        HEADER + "101150,1,01/01/2012,WBRI,,,\n990013,1,15/12/2009,WBRI,,,\n"
    )
    (root / "2026" / "uasc.csv").write_text(
        "CHILD,SEX,DOB,DUC\n101150,1,01/01/2012,01/01/2030\n990013,1,16/12/2009,16/12/2027\n"
    )
    for problems in (read_history(root).quality.problems, load_ssda903([root])[1]):
        said = [p for p in problems if p.code == "uasc_dob_differs"]
        assert len(said) == 1, _said(problems)
        p = said[0]
        assert (Path(p.file).name, p.row, p.column, p.value, p.severity) == (
            "uasc.csv", 3, "DOB", "99/99/9999", "warning")  # fmt: skip
        assert "header.csv row 3 (DOB)" in p.message and "990013" in p.message
        assert "the one the forecast uses" in p.message
        assert "2009" not in _said(problems)
    assert read_history(root).header.set_index("CHILD").at["990013", "DOB"] == pd.Timestamp(
        2009, 12, 15
    )


def _headerless(root: Path, first: str) -> Path:
    d = root / "2026"
    d.mkdir(parents=True)
    (d / "header.csv").write_text(first + "101151,2,02/02/2013,WBRI,UN1,0,\n")
    (d / "episodes.csv").write_text(
        EPISODES
        + "101150,01/05/2025,S,C2,N1,U1,PR1,,,,,,\n"
        + "101151,01/06/2025,S,C2,N1,U1,PR1,,,,,,\n"
    )
    return root


@pytest.mark.parametrize(
    ("first", "read"),
    [("101150,1,01/01/2012,WBRI,UN1,0,\n", 2), ("101150,1,01/01/2012,WBRI,,,\n", 0)],
)
def test_a_header_file_without_its_header_row_is_read_by_its_values(tmp_path, first, read):
    """A header file exported without its header row was skipped ("is not a 903 table"):
    that year's dates of birth were lost and its children's episodes set aside. Its
    values are a header's (an ID, a sex code, a date of birth): read so, with a note; the
    columns after DOB only when all seven are there (a blank first cell drops one)."""
    root = _headerless(tmp_path, first)
    history = read_history(root)
    assert history.header["CHILD"].tolist() == ["101150", "101151"]
    assert history.header["DOB"].tolist() == [pd.Timestamp(2012, 1, 1), pd.Timestamp(2013, 2, 2)]
    assert sorted(history.episodes["CHILD"].unique()) == ["101150", "101151"]
    assert history.header["UPN"].notna().sum() == read
    (note,) = [p for p in history.quality.problems if p.code == "header_row_missing"]
    assert note.file.endswith("header.csv") and "has no header row" in note.message
    assert "its row 1 as a child's row" in note.message
    assert "01/01/2012" not in _said(history.quality.problems)


def test_a_header_file_that_is_no_header_says_what_is_lost(tmp_path):
    """A header file that cannot be told for one (its dates in no form a header has) is
    still skipped, and the warning now says how many children's episodes that sets
    aside."""
    root = _headerless(tmp_path, "101150,1,2012 Jan 1,WBRI,UN1,0,\n")
    (root / "2025").mkdir()  # a year before, with its header: only 2026's is lost
    (root / "2025" / "header.csv").write_text(HEADER + "101149,1,01/01/2011,WBRI,,,\n")
    (root / "2025" / "episodes.csv").write_text(
        EPISODES + "101149,01/05/2024,S,C2,N1,U1,PR1,01/06/2024,E11,,,,\n"
    )
    history = read_history(root)
    assert history.episodes["CHILD"].tolist() == ["101149"]
    (note,) = [p for p in history.quality.problems if p.code == "no_header"]
    assert "2 of its children appear in no other return's header" in note.message
    assert "skipped as not a 903 table" in note.message


def test_a_name_typed_twice_as_the_id_is_not_quoted_as_a_duplicate(tmp_path):
    """Two referrals with a name as child_id were listed as a duplicate ID, quoting the
    name ('Zebedee Quaxworth' on rows 2 and 3); now its shape."""
    from sufficiency.io.inputs import read_referrals_for_night

    sample = pd.read_csv(
        Path(__file__).resolve().parent.parent / "data" / "sample" / "referrals.csv",
        dtype=str,
        keep_default_na=False,
    )
    rows = sample.iloc[:3].copy()
    rows.loc[rows.index[:2], "child_id"] = NAME
    rows.to_csv(tmp_path / "referrals.csv", index=False)
    night = read_referrals_for_night(tmp_path / "referrals.csv", default_responsible_la="E10000034")
    assert "Quaxworth" not in _said(night.problems)
    assert "duplicate_id" in {p.code for p in night.problems}
    assert night.set_aside["id"].isna().all() and len(night.set_aside) == 2
