"""A 903 return's CHILD that is a child's name, not an ID: an error of its row, shown by
its shape, and the child never named by it (sufficiency.io.id_shape)."""

from __future__ import annotations

import re
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
    "child",
    ["1.00211E+05", "100,211", "LA-0123", "AB_1234/5", "R001", "C1234", "ABC12", "100 211",
     "Zoë-9", "X", "X1" * 10],
)  # fmt: skip
def test_ids_councils_write_are_read(tmp_path, child):
    """IDs as councils' exports write them (digits, thousands separators, Excel's
    scientific form, prefixes with hyphens or slashes, letters and digits, up to 20
    characters) are no error. (The 20 characters were ``X`` * 20 until letters alone
    became a name: see test_one_word_of_letters_is_a_name.)"""
    _, problems = load_ssda903([_return(tmp_path, child)])
    assert not [p for p in problems if p.code == "not_an_id"]


def test_the_shape_rule():
    """Letters with no digit (a first name, a note), two words of letters (a name, a
    note), or over 20 characters."""
    from sufficiency.io.id_shape import not_an_id

    values = pd.Series([NAME, "Notes: moved", "X1" * 11, "Bethan", "Siân Jones", "O'Neil",
                        "Mary-Jane", "TBC", "101150", "C1", "SW02STG1", "X", None, ""],
                       dtype="string")  # fmt: skip
    assert not_an_id(values).tolist() == [True] * 8 + [False] * 6


@pytest.mark.parametrize("name", ["Bethan", "Oliver", "OLIVER", "Siân"])
def test_one_word_of_letters_is_a_name(tmp_path, name):
    """A first name typed as CHILD (``Bethan``) passed: counted, forecast and printed as
    the child's ID. No case system's ID is letters alone: now an error of its rows, shown
    by its shape (an accented letter too: ``Siân`` showed as ``AAâA``)."""
    _, problems = load_ssda903([_return(tmp_path, name)])
    named = [p for p in problems if p.code == "not_an_id"]
    assert {(Path(p.file).name, p.row, p.value) for p in named} == {
        ("episodes.csv", 3, "A" * len(name)), ("header.csv", 3, "A" * len(name))}  # fmt: skip
    assert name not in _said(problems) and name.lower() not in _said(problems).lower()
    assert read_history(tmp_path).header["CHILD"].tolist() == ["101150"]


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


def _xml_child(child: str, dob: str) -> str:
    return (
        f"<CHILD><HEADER><CHILDID>{child}</CHILDID><SEX>1</SEX><DOB>{dob}</DOB>"
        "<ETHNIC>WBRI</ETHNIC><UASC /></HEADER><EPISODE><DECOM>01/09/2025</DECOM><RNE>S</RNE>"
        "<LS>C2</LS><CIN>N1</CIN><PL>U1</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC />"
        "</EPISODE></CHILD>"
    )


def test_a_name_in_an_xml_return_is_set_aside_as_in_csv(tmp_path):
    """The DfE XML return's CHILDID is read as CHILD: a first name (``Oliver``) or a name
    with an accent (``Siân Jones``, whose ``â`` let it pass as one word) was the child's
    ID there, as in a CSV return; now the same error of its rows, by shape only."""
    children = (("101150", "01/01/2012"), ("Oliver", "02/02/2013"), ("Siân Jones", "03/03/2013"))
    body = "".join(_xml_child(c, d) for c, d in children)
    (tmp_path / "SSDA903_2026.xml").write_text(
        f"<?xml version='1.0' encoding='utf-8'?>\n<EXPSSDA903>{body}</EXPSSDA903>", "utf-8"
    )
    history = read_history(tmp_path)
    assert history.header["CHILD"].tolist() == ["101150"]
    assert history.episodes["CHILD"].tolist() == ["101150"]
    _, problems = load_ssda903([tmp_path])
    named = [p for p in problems if p.code == "not_an_id"]
    assert sorted((p.file.rsplit("[", 1)[1], p.row, p.value) for p in named) == [
        ("episodes]", 2, "AAAAAA"), ("episodes]", 3, "AAAA AAAAA"),
        ("header]", 2, "AAAAAA"), ("header]", 3, "AAAA AAAAA")]  # fmt: skip
    said = _said(problems) + _said(history.quality.problems)
    assert not {"Oliver", "Siân", "Jones", "â"} & set(re.findall(r"\w+|â", said))


def test_a_first_name_as_a_referrals_child_id_is_set_aside(tmp_path):
    """``Bethan`` as a referral's child_id was a child's ID: matched, and printed as the
    ID in every output. Now an error of its row (set aside, listed with no ID), by shape."""
    from sufficiency.io.inputs import read_referrals_for_night

    sample = Path(__file__).resolve().parent.parent / "data" / "sample" / "referrals.csv"
    rows = pd.read_csv(sample, dtype=str, keep_default_na=False).iloc[:3].copy()
    rows.loc[rows.index[0], "child_id"] = "Bethan"
    rows.to_csv(tmp_path / "referrals.csv", index=False)
    night = read_referrals_for_night(tmp_path / "referrals.csv", default_responsible_la="E10000034")
    assert "Bethan" not in night.table["child_id"].tolist() and len(night.table) == 2
    (p,) = [p for p in night.problems if p.code == "not_an_id"]
    assert (p.row, p.column, p.value) == (2, "child_id", "AAAAAA")
    assert night.set_aside["id"].isna().all() and "Bethan" not in _said(night.problems)
