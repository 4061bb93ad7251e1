"""SSDA903 reader: table and year detection, de-duplication across returns."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from sufficiency.errors import InputDataError
from sufficiency.io.ssda903 import collection_year, detect_table, read_ssda903

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN\n"
)


@pytest.mark.parametrize(
    ("path", "year"),
    [
        ("h/2026/header.csv", 2026),
        ("h/2025-26/header.csv", 2026),
        ("h/lac2025_26/episodes.csv", 2026),
        ("h/episodes_2024_25.csv", 2025),
        ("h/x/episodes.csv", None),
        # names other tools give (LIIA tools' year forms, DfE's 2025-2026, snapshots)
        ("h/903_episodes_2024-2025.csv", 2025),
        ("h/2024 to 2025/Episodes.csv", 2025),
        ("h/SSDA903_header_24-25.csv", 2025),
        ("h/episodes_2425.csv", 2025),
        ("h/episodes_31032025.csv", 2025),
        ("h/episodes_31102025.csv", 2026),
        ("h/episodes_2025-10-31.csv", 2026),
        ("h/E09000002_SSDA903_2025_episodes.csv", 2025),
        ("h/846_lac_2024_25_header.csv", 2025),
        ("h/Episodes_v2.csv", None),
    ],
)
def test_collection_year_from_names(path, year):
    """The year a collection ends is read from file or folder names in common forms."""
    assert collection_year(Path(path)) == year


def test_detect_table_from_columns():
    """Header, episodes and UASC tables are told apart by their columns, in any case."""
    assert detect_table(HEADER.strip().lower().split(",")) == "header"
    assert detect_table(EPISODES.strip().split(",")) == "episodes"
    assert detect_table(["CHILD", "SEX", "DOB", "DUC"]) == "uasc"
    assert detect_table(["child_id", "dob"]) is None


def _year(root: Path, year: int, header: str, episodes: str) -> None:
    d = root / str(year)
    d.mkdir(parents=True)
    # File names deliberately unlike DfE's: the table is detected from columns.
    (d / "a.csv").write_text(HEADER + header)
    (d / "b.csv").write_text(EPISODES + episodes)


def test_overlapping_returns_are_deduplicated_keeping_latest(tmp_path):
    """An episode repeated in the next return appears once, with the later return's values."""
    _year(tmp_path, 2025, "A1,1,01/01/2012,WBRI,,,\n",
          "A1,01/05/2024,S,C1,N1,U6,PR1,,,,WR9 8DS,WR14 1AA,\n")  # fmt: skip
    _year(tmp_path, 2026, "A1,1,01/01/2012,WBRI,,,\n",
          "A1,01/05/2024,S,C1,N1,U6,PR1,01/06/2025,X1,CARPL,WR9 8DS,WR14 1AA,\n"
          "A1,01/06/2025,P,C2,N1,U4,PR4,,,,WR9 8DS,B1 1AA,SC123456\n")  # fmt: skip
    h = read_ssda903(tmp_path)
    assert h.years == (2025, 2026)
    assert len(h.header) == 1
    assert h.episodes["DECOM"].tolist() == [pd.Timestamp(2024, 5, 1), pd.Timestamp(2025, 6, 1)]
    assert h.episodes["DEC"].iloc[0] == pd.Timestamp(2025, 6, 1)
    assert h.episodes["collection_year"].tolist() == [2026, 2026]


def test_read_ssda903_raises_without_episodes(tmp_path):
    """A history with a header but no episodes table is an error saying so."""
    (tmp_path / "2026").mkdir()
    (tmp_path / "2026" / "header.csv").write_text(HEADER + "A1,1,01/01/2012,WBRI,,,\n")
    with pytest.raises(InputDataError, match="no 903 episodes table"):
        read_ssda903(tmp_path)


def test_read_ssda903_raises_on_empty_folder(tmp_path):
    """A folder with no CSV or XLSX files is an error, not a crash."""
    with pytest.raises(InputDataError, match="no CSV or XLSX"):
        read_ssda903(tmp_path)


def test_xlsx_workbook_with_header_and_episodes_sheets(tmp_path):
    """A workbook holding both tables as sheets is read, tables detected from columns."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet A"
    for row in (HEADER.strip().split(","), ["A1", "1", "01/01/2012", "WBRI", "", "", ""]):
        ws.append(row)
    ws2 = wb.create_sheet("Sheet B")
    ws2.append(EPISODES.strip().split(","))
    ws2.append(["A1", "01/05/2024", "S", "C1", "N1", "U6", "PR1", "", "", "", "WR9 8DS",
                "WR14 1AA", ""])  # fmt: skip
    path = tmp_path / "lac2024_25.xlsx"
    wb.save(path)
    h = read_ssda903(path)
    assert h.years == (2025,) and h.episodes["CHILD"].tolist() == ["A1"]


def test_one_file_of_several_years_with_a_year_column(tmp_path):
    """Social Finance's LIIA tools merge a council's returns into one file per table
    (``SSDA903_Episodes_merged.csv``), with ISO dates and LA and YEAR columns: each row is
    read as part of the return its YEAR names, not the whole file as the latest year."""
    ep = (
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
        "HOME_POST,PL_POST,URN,LA,YEAR\n"
        "1,2024-09-01,S,C2,N1,U1,PR1,,,,WR14 9,WR8 0,,Barking and Dagenham,2026\n"
        "2,2023-06-01,S,C2,N1,U1,PR1,2024-02-01,E11,,WR14 9,WR8 0,,Barking and Dagenham,2024\n"
        "3,2024-05-01,S,C2,N1,U1,PR1,2025-03-01,E11,,WR14 9,WR8 0,,Barking and Dagenham,2025\n"
    )
    hd = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,LA,YEAR\n" + "".join(
        f"{c},1,2012-01-01,WBRI,,,,Barking and Dagenham,{y}\n"
        for c, y in (("1", 2025), ("1", 2026), ("2", 2024), ("3", 2025))
    )
    (tmp_path / "SSDA903_Episodes_merged.csv").write_text(ep)
    (tmp_path / "SSDA903_Header_merged.csv").write_text(hd)
    history = read_ssda903(tmp_path)
    assert history.years == (2024, 2025, 2026)
    assert history.start == pd.Timestamp(2023, 4, 1)
    assert len(history.episodes) == 3
    codes = [p.code for p in history.quality.problems]
    assert "year_column" in codes
    assert "dec_before_year" not in codes


def test_a_file_of_several_councils_is_refused(tmp_path):
    """LIIA tools' pan-London files hold every council's returns, told apart by an LA
    column: read as one council they summed the councils' children with no word."""
    ep = EPISODES.strip() + ",LA,YEAR\n"
    for la, child in (("Barking and Dagenham", "1"), ("Camden", "2")):
        ep += f"{child},2025-09-01,S,C2,N1,U1,PR1,,,,,,,{la},2026\n"
    hd = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,LA,YEAR\n"
    hd += "1,1,2012-01-01,WBRI,,,,Barking and Dagenham,2026\n2,1,2012-01-01,WBRI,,,,Camden,2026\n"
    (tmp_path / "pan_London_SSDA903_Episodes.csv").write_text(ep)
    (tmp_path / "pan_London_SSDA903_Header.csv").write_text(hd)
    with pytest.raises(InputDataError, match="2 local authorities in its LA column"):
        read_ssda903(tmp_path)
    (tmp_path / "pan_London_SSDA903_Episodes.csv").write_text(
        ep.replace("Camden", "barking and dagenham ")
    )
    (tmp_path / "pan_London_SSDA903_Header.csv").write_text(
        hd.replace("Camden", "Barking and Dagenham")
    )
    assert read_ssda903(tmp_path).episodes["CHILD"].nunique() == 2


_XML = (
    "<?xml version='1.0' encoding='{enc}'?>\n<EXPSSDA903{ns}><CHILD><HEADER><CHILDID>7</CHILDID>"
    "<SEX>1</SEX><DOB>01/01/2012</DOB><ETHNIC>WBRI</ETHNIC><UASC /></HEADER><EPISODE>"
    "<DECOM>01/09/2025</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL>"
    "<PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC /></EPISODE></CHILD></EXPSSDA903>"
)


@pytest.mark.parametrize(
    ("ns", "enc"),
    [
        ("", "utf-16"),  # as .NET and other Windows tools write XML
        (' xmlns="http://example.org/ssda903"', "utf-8"),
        (' xmlns:x="http://example.org/x" x:version="1"', "utf-8"),
    ],
)
def test_xml_return_in_utf16_or_a_namespace(tmp_path, ns, enc):
    """The DfE XML return is read whatever its encoding or namespace: a UTF-16 file was
    skipped as 'not a 903 return' and a namespaced one refused as holding no CHILD."""
    (tmp_path / "SSDA903_2026.xml").write_bytes(_XML.format(ns=ns, enc=enc).encode(enc))
    history = read_ssda903(tmp_path)
    assert history.episodes["CHILD"].tolist() == ["7"]
    assert history.episodes["PLACE"].tolist() == ["U1"]


def _recase(text: str, how) -> str:
    return re.sub(r"<(/?)([A-Z_]+)", lambda m: f"<{m.group(1)}{how(m.group(2))}", text)


@pytest.mark.parametrize(
    "how",
    [str.lower, str.title, lambda t: t if t in ("CHILD", "HEADER", "EPISODE") else t.lower()],
)
def test_xml_return_with_its_element_names_in_another_case(tmp_path, how):
    """An XML return whose element names are in another case (<Child>, <decom>) was
    refused as 'XML but holds no CHILD elements' (the sample so written stopped every
    command), and one whose fields alone were (<CHILD> holding <decom>) had every field
    blank: 'no episode in the 903 history can be used'. DfE's names are read in any case."""
    (tmp_path / "SSDA903_2026.xml").write_text(_recase(_XML.format(ns="", enc="utf-8"), how))
    history = read_ssda903(tmp_path)
    assert history.episodes["CHILD"].tolist() == ["7"]
    assert history.episodes["PLACE"].tolist() == ["U1"]
    assert history.header["DOB"].tolist() == [pd.Timestamp(2012, 1, 1)]


@pytest.mark.parametrize("declared", ["", "<?xml version='1.0' encoding='UTF-8'?>\n"])
def test_xml_return_in_windows_1252_saying_utf8_is_read_and_said(tmp_path, declared):
    """A Windows tool's XML holding a letter in Windows-1252 (Café, in a note) with no
    declaration, or declaring UTF-8, was refused as 'not well-formed XML (invalid token)'.
    It is read as Windows-1252, as a CSV so written is, and said once; one declaring
    windows-1252 is read as declared, with nothing to say."""
    body = (
        _XML.format(ns="", enc="utf-8")
        .split("?>", 1)[1]
        .replace("<UASC />", "<UASC /><NOTE>Café – 3rd</NOTE>")
    )
    (tmp_path / "SSDA903_2026.xml").write_bytes((declared + body).encode("cp1252"))
    history = read_ssda903(tmp_path)
    assert history.episodes["CHILD"].tolist() == ["7"]
    codes = [p.code for p in history.quality.problems]
    assert codes.count("xml_windows_1252") == 1
    assert any("XML in Windows-1252, not UTF-8, in 1 file" in line
               for line in history.quality.summary_lines())  # fmt: skip
    (tmp_path / "SSDA903_2026.xml").write_bytes(
        ("<?xml version='1.0' encoding='windows-1252'?>\n" + body).encode("cp1252")
    )
    history = read_ssda903(tmp_path)
    assert "xml_windows_1252" not in [p.code for p in history.quality.problems]
    assert history.episodes["CHILD"].tolist() == ["7"]
    (tmp_path / "SSDA903_2026.xml").write_bytes((body + "<").encode("cp1252"))
    with pytest.raises(InputDataError, match="is not well-formed XML"):
        read_ssda903(tmp_path)


def test_numeric_codes_saved_as_decimals_are_valid(tmp_path):
    """pandas saves a number column with blanks as 1.0 (LIIA tools' merged files, the CSC
    data synthesiser): MOTHER 1.0 and SEX 2.0 are the codes 1 and 2, not errors."""
    from sufficiency.io.ssda903 import load_ssda903

    (tmp_path / "2026").mkdir()
    (tmp_path / "2026" / "header.csv").write_text(
        HEADER + "1,2.0,01/01/2008,WBRI,,1.0,01/02/2025\n2,1,01/01/2012,WBRI,,,\n"
    )
    (tmp_path / "2026" / "episodes.csv").write_text(
        EPISODES + "1,01/09/2025,S,C2,N1,U1,PR1,,,,,,\n2,01/10/2025,S,C2,N1,U1,PR1,,,,,,\n"
    )
    history, problems = load_ssda903([tmp_path])
    assert [p.message for p in problems if p.severity == "error"] == []
    assert history is not None and history.episodes["CHILD"].nunique() == 2


def test_workbook_with_a_sheet_per_year(tmp_path):
    """A workbook of several years, one sheet a year (``Episodes 2025``, or a workbook per
    table with sheets ``2024-25``, ``2025-26``): each sheet is its year's table. The header
    sheets of every year were put in the latest return ('are 2 header tables for 2025-26;
    two versions of one return?')."""
    from sufficiency.io.ssda903 import load_ssda903

    years = {
        2025: ("1,01/05/2024,S,C2,N1,U1,PR1,01/03/2025,E11,,,,", "1,1,01/01/2012,WBRI,,,"),
        2026: ("2,01/05/2025,S,C2,N1,U1,PR1,,,,,,", "2,1,01/01/2013,WBRI,,,"),
    }
    with pd.ExcelWriter(tmp_path / "903_history.xlsx") as w:
        for y, (ep, hd) in years.items():
            for name, text in (("Episodes", EPISODES + ep), ("Header", HEADER + hd)):
                rows = [line.split(",") for line in text.strip().split("\n")]
                frame = pd.DataFrame(rows[1:], columns=rows[0])
                frame.to_excel(w, sheet_name=f"{name} {y}", index=False)
    history, problems = load_ssda903([tmp_path])
    assert history is not None and history.years == (2025, 2026)
    assert [p.message for p in problems if p.code == "duplicate_table"] == []
    assert [p.message for p in problems if p.severity == "error"] == []


def test_year_column_written_as_a_range_or_left_blank(tmp_path):
    """A YEAR column may say 2024/25 (a slash, as in a spreadsheet) and miss a row: each
    row is read as its year, the blank one by its dates, and the blank is named."""
    from sufficiency.io.ssda903 import load_ssda903

    ep = EPISODES.strip() + ",YEAR\n"
    ep += "1,01/05/2024,S,C2,N1,U1,PR1,01/03/2025,E11,,,,,2024/25\n"
    ep += "2,01/05/2025,S,C2,N1,U1,PR1,,,,,,,2025/26\n"
    ep += "3,01/06/2025,S,C2,N1,U1,PR1,,,,,,,\n"
    hd = HEADER.strip() + ",YEAR\n"
    hd += "1,1,01/01/2012,WBRI,,,,2024/25\n2,1,01/01/2012,WBRI,,,,2025/26\n"
    hd += "3,1,01/01/2012,WBRI,,,,2025/26\n"
    (tmp_path / "episodes.csv").write_text(ep)
    (tmp_path / "header.csv").write_text(hd)
    history, problems = load_ssda903([tmp_path])
    assert history is not None and history.years == (2025, 2026)
    assert sorted(history.episodes["CHILD"]) == ["1", "2", "3"]
    assert any(p.code == "year_blank" and p.row == 4 for p in problems)
    assert [p.message for p in problems if p.severity == "error"] == []


def test_validate_reads_an_xml_return_given_as_a_file(tmp_path):
    """`sufficiency validate return.xml` refused the DfE XML return: 'has extension .xml;
    expected .csv or .xlsx' (a folder holding it was read)."""
    import datetime as dt

    from sufficiency.validate import validate_paths

    path = tmp_path / "SSDA903_2026.xml"
    path.write_text(_XML.format(ns="", enc="utf-8"))
    report = validate_paths([path], run_date=dt.date(2026, 4, 1), default_responsible_la="X")
    assert report.checked[0][1].startswith("903 history")
    assert [p.message for p in report.problems if p.severity == "error"] == []


def test_unknown_and_misspelt_xml_elements_are_named_never_their_text(tmp_path):
    """Elements no 903 table has were ignored in silence: a <NAME> a case system added, and
    a misspelt <DECOMM>, whose episode then had no start date. Each is named with how many
    there are (a near miss as such), never with its text (a child's name, say); a group of
    unknown name holding 903 fields (a table of a later year) and the root are not."""
    from sufficiency.io.ssda903 import load_ssda903

    xml = (_XML.format(ns="", enc="utf-8")
           .replace("<SEX>", "<NAME>Jo Bloggs</NAME><SEX>")
           .replace("<DECOM>01/09/2025</DECOM>", "<DECOMM>01/09/2025</DECOMM>")
           .replace("</HEADER>", "<SWGROUP><SW_ID>SW1</SW_ID></SWGROUP></HEADER>"))  # fmt: skip
    (tmp_path / "SSDA903_2026.xml").write_text(xml)
    _, problems = load_ssda903([tmp_path])
    notes = {p.code: p for p in problems if p.code.endswith("_xml_element")}
    assert set(notes) == {"unknown_xml_element", "misspelt_xml_element"}
    assert notes["unknown_xml_element"].message == (
        "holds 1 <NAME> element, which no 903 table has; not read (its values are not "
        "shown: they may be a child's details)")  # fmt: skip
    assert notes["misspelt_xml_element"].message.startswith(
        "holds 1 <DECOMM> element, which no 903 table has: is it a misspelt <DECOM>?"
    )
    assert all(p.severity == "warning" for p in notes.values())
    assert "Bloggs" not in repr(problems)
    from sufficiency.io.ssda903 import read_history

    (tmp_path / "SSDA903_2026.xml").write_text(xml.replace("DECOMM", "DECOM"))
    quality = read_history(tmp_path).quality
    assert quality.num_findings() == 0  # no row was repaired or set aside
    assert "; 1 kind of XML element no 903 table has, not read." in quality.summary_lines()[1]


def test_upns_are_checked_as_dfe_does_and_never_printed(tmp_path):
    """A UPN was never checked: a mistyped one (its check letter wrong) or one that is
    not a UPN at all passed validate without a word, where DfE's return would flag it.
    Each is a warning naming file, row and column, the value only by its shape; the
    reason codes UN1 to UN5 (any case) and a right UPN pass."""
    import datetime as dt

    from sufficiency.io.upn import check_letter
    from sufficiency.validate import validate_paths

    assert check_letter("A950000178301") == "A" and check_letter("R247962919251") == "Q"
    (tmp_path / "2026").mkdir()
    upns = ["A950000178301", "R247962919251", "12345", "un2", "UN7", "", "H24327854415A",
            "a950000178301 ", "UN2"]  # fmt: skip
    rows = "".join(f"{i},1,01/01/2012,WBRI,{u},,\n" for i, u in enumerate(upns, start=1))
    (tmp_path / "2026" / "header.csv").write_text(HEADER + rows)
    (tmp_path / "2026" / "episodes.csv").write_text(
        EPISODES + "".join(f"{i},01/09/2025,S,C2,N1,U1,PR1,,,,,,\n" for i in range(1, 10))
    )
    report = validate_paths([tmp_path], run_date=dt.date(2026, 4, 1), default_responsible_la="X")
    found = [p for p in report.problems if p.code == "invalid_upn"]
    assert [(p.row, p.column, p.value, p.severity) for p in found] == [
        (3, "UPN", None, "warning"), (4, "UPN", "99999", "warning"),
        (6, "UPN", "AA9", "warning"), (8, "UPN", None, "warning"),
    ]  # fmt: skip
    assert found[0].message.startswith("is a UPN with the wrong check letter")
    assert found[1].message.startswith("is not a UPN: a UPN is 13 characters")
    assert not [p for p in report.problems if p.severity == "error"]
    assert not any(u in repr(report.problems) for u in upns if len(u) > 3)
    # one UPN on two rows (rule 444); the reason codes may repeat
    twice = [(p.row, p.message) for p in report.problems if p.code == "duplicate_upn"]
    assert twice == [
        (2, "is the same UPN as row(s) 9: one UPN is one pupil (DfE's rule 444)"),
        (9, "is the same UPN as row(s) 2: one UPN is one pupil (DfE's rule 444)"),
    ]


def test_a_year_in_a_folder_above_the_one_given_is_not_a_returns(tmp_path):
    """A council files its returns under folders of its own ('LAC 2044 archive'); a year
    in a folder above the one given was taken as the return's year, with no word, for a
    file straight in the folder (pytest's own 'pytest-2044' folder once did it)."""
    from sufficiency.io.ssda903 import load_ssda903

    given = tmp_path / "LAC 2044 archive" / "ssda903"
    given.mkdir(parents=True)
    ep = EPISODES.strip() + ",YEAR\n"
    ep += "1,01/05/2024,S,C2,N1,U1,PR1,01/03/2025,E11,,,,,2024/25\n"
    ep += "3,01/06/2025,S,C2,N1,U1,PR1,,,,,,,\n"
    hd = HEADER.strip() + ",YEAR\n"
    hd += "1,1,01/01/2012,WBRI,,,,2024/25\n3,1,01/01/2012,WBRI,,,,2025/26\n"
    (given / "episodes.csv").write_text(ep)
    (given / "header.csv").write_text(hd)
    history, _problems = load_ssda903([given])
    assert history is not None and 2044 not in history.years
    assert history.years == (2025, 2026)


def test_read_history_takes_a_path_written_as_a_string():
    """A path given as a string was read as a list of its characters (each one a
    "folder"), so a notebook's ``read_history("data/sample/ssda903")`` failed with no
    return found; a string is one path, as a ``Path`` is."""
    from sufficiency.io.ssda903 import read_history

    folder = Path(__file__).resolve().parents[1] / "data" / "sample" / "ssda903"
    by_path, by_str = read_history(folder), read_history(str(folder))
    assert by_str.years == by_path.years
    pd.testing.assert_frame_equal(by_str.episodes, by_path.episodes)
    assert len(by_str.episodes) > 1000


def test_a_child_merged_down_its_episodes_rows_is_each_episodes_child(tmp_path):
    """A hand-kept 903 workbook merges a child's CHILD over their episodes' rows: the file
    holds it in the first row only, and the later episodes were set aside ('row has no
    CHILD'). Each is now that child's, said in a warning."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "episodes"
    ws.append(["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC"])
    ws.append(["101150", "01/05/2025", "S", "C2", "N1", "U1", "PR1", "01/08/2025", "X1"])
    ws.append([None, "01/08/2025", "P", "C2", "N1", "U4", "PR1", None, None])
    ws.merge_cells("A2:A3")
    header = wb.create_sheet("header")
    header.append(["CHILD", "SEX", "DOB"])
    header.append(["101150", "1", "01/01/2012"])
    (tmp_path / "2026").mkdir()
    wb.save(tmp_path / "2026" / "return.xlsx")
    history = read_ssda903(tmp_path)
    assert history.episodes["CHILD"].tolist() == ["101150", "101150"]
    assert "child_blank" not in {p.code for p in history.quality.problems}
    assert "merged_cells" in {p.code for p in history.quality.problems}
