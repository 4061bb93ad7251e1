"""Reading CSV and XLSX files, and one clear sentence for files that cannot be read."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from sufficiency.errors import InputDataError
from sufficiency.io.tables import read_tables


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("binary.csv", "binary file"),
        ("empty.csv", "is empty"),
        ("header_only.csv", "no data rows"),
        ("broken.xlsx", "not a readable Excel workbook"),
    ],
)
def test_read_tables_raises_on_malformed_file(malformed_dir, name, phrase):
    """Each malformed file gives one problem naming the file, with no traceback."""
    with pytest.raises(InputDataError) as info:
        read_tables(malformed_dir / name)
    (problem,) = info.value.problems
    assert phrase in problem.message and problem.file.endswith(name)


def test_read_tables_raises_on_missing_file(tmp_path):
    """A path that does not exist is an input error."""
    with pytest.raises(InputDataError, match="does not exist"):
        read_tables(tmp_path / "nope.csv")


def test_csv_row_numbers_survive_blank_lines(tmp_path):
    """Blank lines are skipped but later rows keep their spreadsheet row number."""
    p = tmp_path / "t.csv"
    p.write_text("a,b\n1,2\n\n3,4\n")
    (t,) = read_tables(p)
    assert [t.row_number(i) for i in t.data.index] == [2, 4]


def test_column_names_are_case_insensitive(tmp_path):
    """Column names are lower-cased; the original spelling is kept for messages."""
    p = tmp_path / "t.csv"
    p.write_text("Child_ID, DOB\nC1,01/01/2015\n")
    (t,) = read_tables(p)
    assert list(t.data.columns) == ["child_id", "dob"]
    assert t.column_label("dob") == "DOB"


def test_xlsx_dates_and_numbers_read_as_text(tmp_path):
    """Excel date cells become DD/MM/YYYY and whole floats lose their .0."""
    wb = Workbook()
    ws = wb.active
    ws.append(["child_id", "dob", "school_year"])
    ws.append(["C1", dt.datetime(2015, 2, 1), 5.0])
    p = tmp_path / "t.xlsx"
    wb.save(p)
    (t,) = read_tables(p)
    assert t.data.iloc[0].tolist() == ["C1", "01/02/2015", "5"]
    assert t.row_number(t.data.index[0]) == 2


def test_cp1252_csv_is_decoded(tmp_path):
    """A CSV saved by Excel in Windows-1252 (a pound sign) is read."""
    p = tmp_path / "t.csv"
    p.write_bytes("a,cost\nx,£600\n".encode("cp1252"))
    (t,) = read_tables(p)
    assert t.data.iloc[0, 1] == "£600"


def test_a_utf8_csv_with_rows_added_in_windows_1252_keeps_every_letter(tmp_path):
    """A UTF-8 decisions file with a row pasted in from a Windows-1252 export was read whole
    as Windows-1252: 'José Smith' reached the match report as 'JosÃ© Smith', with no word.
    Each line is now read in its own encoding; a byte neither can read is a sentence."""
    p = tmp_path / "t.csv"
    p.write_bytes(b"who,why\n" + "José Smith,ok\n".encode()
                  + "Ann Lee,Too dear £900 – café\r\n".encode("cp1252"))  # fmt: skip
    (t,) = read_tables(p)
    assert t.data["who"].tolist() == ["José Smith", "Ann Lee"]
    assert t.data["why"].tolist() == ["ok", "Too dear £900 – café"]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"who\nx\x81y\n")
    with pytest.raises(InputDataError, match="cannot be decoded as text; save it as CSV UTF-8"):
        read_tables(bad)


def test_utf16_csv_with_a_byte_order_mark_is_decoded(tmp_path):
    """A CSV saved as UTF-16 (with its byte-order mark) is read; before, it was refused as
    'a binary file, not a CSV'."""
    p = tmp_path / "u16.csv"
    p.write_bytes("child_id,dob\nC1,01/02/2015\n".encode("utf-16"))
    (t,) = read_tables(p)
    assert t.data["child_id"].tolist() == ["C1"] and t.data["dob"].tolist() == ["01/02/2015"]


def test_every_copy_of_a_duplicated_id_set_aside_names_the_other_rows(tmp_path):
    """Both copies of R002 are set aside; each names the other copy's row. Before, the
    second copy said 'also on row(s) 4' of itself, row 4."""
    from sufficiency.io.inputs import REFERRALS
    from sufficiency.io.schema import check_table
    from sufficiency.io.tables import split_rows

    p = tmp_path / "r.csv"
    p.write_text(
        "child_id,dob,sex,home_postcode\nR001,01/02/2015,F,\nR002,01/02/2014,M,\n"
        "R002,01/02/2013,M,\n"
    )
    (raw,) = read_tables(p)
    table, problems = check_table(raw, REFERRALS)
    night = split_rows(raw, table, problems, "child_id", strict=False)
    assert night.table["child_id"].tolist() == ["R001"]
    assert night.set_aside[["row", "problem"]].values.tolist() == [
        [3, "child_id: duplicate child_id: also on row(s) 4 (value 'R002')"],
        [4, "child_id: duplicate child_id: also on row(s) 3 (value 'R002')"],
    ]


def test_a_trailing_comma_on_each_row_keeps_every_value_in_its_column(tmp_path):
    """Data rows ending in a comma (as some exports write them) and a header without one:
    pandas made the first column the index and moved every value one column left, so a
    register's placement IDs were lost and its settings read as IDs (a traceback in
    validation, or worse). Now the blank extra cell is dropped."""
    path = tmp_path / "t.csv"
    path.write_text("id,setting,cost\nPL1,foster,600,\nPL2,residential,5000,\n", encoding="utf-8")
    (table,) = read_tables(path)
    assert table.data.to_dict("list") == {
        "id": ["PL1", "PL2"],
        "setting": ["foster", "residential"],
        "cost": ["600", "5000"],
    }


@pytest.mark.parametrize("first", [True, False])
def test_cells_past_the_last_column_that_hold_something_are_an_error_of_the_row(tmp_path, first):
    """A row with values beyond the header's columns: before, the first columns became the
    index and every value shifted (a traceback); then one such row refused the whole file
    (every job reading it stopped). Now each such row has an error of its own, which the
    readers set aside as they do a row with a bad value, and the other rows are read,
    whether the first data row is the wide one (pandas warns) or a later one (pandas
    refused the file)."""
    path = tmp_path / "t.csv"
    rows = ["id,setting,cost,age_min,age_max", "PL1,foster,600,0,17,x,y",
            "PL2,residential,5000,8,17", "PL3,foster,550,0,10,,z"]  # fmt: skip
    if not first:
        rows[1], rows[2] = rows[2], rows[1]
    path.write_text("\n".join(rows) + "\n", "utf-8")
    (table,) = read_tables(path)
    wide = (3, 4) if not first else (2, 4)
    assert [(p.row, p.message, p.severity) for p in table.row_errors] == [
        (r, "row has 7 cells but the header has 5 columns, and the cells past the last "
            "column are not blank (an unquoted comma in a value?): which value is in which "
            "column is unknown", "error")
        for r in wide
    ]  # fmt: skip
    assert sorted(table.data["id"]) == ["PL1", "PL2", "PL3"]
    assert table.data.loc[table.data["id"] == "PL2", "cost"].tolist() == ["5000"]


def test_a_register_with_trailing_commas_is_matched_as_without(tmp_path, sample_dir):
    """The sample register with a comma after each data row: a traceback before; now the
    same plan as the sample's."""
    from click.testing import CliRunner

    from sufficiency.cli import main

    lines = (sample_dir / "placements.csv").read_text(encoding="utf-8").splitlines()
    register = tmp_path / "placements.csv"
    register.write_text("\n".join([lines[0], *(f"{ln}," for ln in lines[1:])]) + "\n", "utf-8")
    outs = []
    for i, path in enumerate((sample_dir / "placements.csv", register)):
        out = tmp_path / f"out{i}"
        args = ["match", "--referrals", str(sample_dir / "referrals.csv"), "--placements",
                str(path), "--date", "2026-04-01", "--out", str(out)]  # fmt: skip
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        outs.append((out / "matches.csv").read_text(encoding="utf-8"))
    assert outs[0] == outs[1]


def test_workbook_cells_right_of_the_header_and_under_blank_headers_are_reported(tmp_path):
    """Cells right of a sheet's last named column were dropped without a word (a note typed
    beside tonight's referrals, a column whose header was forgotten), and two blank header
    cells between named columns refused the whole workbook ("row 1: column appears
    twice"). Now a column without a header is dropped, with a warning naming the sheet,
    its letter and the rows holding values (never the values: a note may name a child),
    as a CSV's blank header cell is."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tonight"
    ws.append(["child_id", "", "dob", None, "sex"])
    ws.append(["C1", None, "01/02/2015", None, "F", None, "Jo Bloggs's nan"])
    for i in range(2, 9):
        ws.append([f"C{i}", None, "01/02/2015", None, "M", None, "x"])
    ws.cell(row=3, column=2, value="note")
    p = tmp_path / "t.xlsx"
    wb.save(p)
    (t,) = read_tables(p)
    assert list(t.data.columns) == ["child_id", "dob", "sex"]
    assert [(n.column, n.severity, n.message) for n in t.notes] == [
        ("B", "warning", "has no header but holds values (sheet Tonight, row 3): they are not "
                         "read; give the column a header if it holds a field, or clear it"),
        ("G", "warning", "has no header but holds values (sheet Tonight, rows 2, 3, 4, 5, 6 "
                         "and 3 more): they are not read; give the column a header if it "
                         "holds a field, or clear it"),
    ]  # fmt: skip
    assert "Bloggs" not in repr(t.notes)
    csv = tmp_path / "t.csv"
    csv.write_text("child_id,,dob,,sex\nC1,,01/02/2015,,F\nC2,note,01/02/2015,,M\n", "utf-8")
    (c,) = read_tables(csv)
    assert list(c.data.columns) == ["child_id", "dob", "sex"]
    assert [(n.column, n.message[:36]) for n in c.notes] == [
        ("B", "has no header but holds values (row ")
    ]


def test_a_european_csv_with_decimal_commas_is_read_as_semicolon_separated(tmp_path):
    """Excel set to a European language saves CSV with semicolons between columns and
    commas for decimal points: one comma in the first rows (691,21) let the file past
    the semicolon check, and it was refused as no known kind of file ('cannot tell which
    input this is'). A semicolon file is read now, its cells as written (the figures of
    its number columns are read by the schema: sufficiency.io.european). A comma file
    whose cells hold semicolons is still read."""
    path = tmp_path / "register.csv"
    path.write_text("placement_id;setting;weekly_cost\nP1;foster;700\nP2;foster;691,21\n")
    (table,) = read_tables(path)
    assert table.delimiter == ";" and table.data["weekly_cost"].tolist() == ["700", "691,21"]
    assert [n.code for n in table.notes] == ["delimiter"]
    comma = tmp_path / "decisions.csv"
    comma.write_text('child_id,placement_id,decision,reason\nC1,P1,pin,"carer; school; a;b;c"\n')
    (table,) = read_tables(comma)
    assert table.data["reason"].tolist() == ["carer; school; a;b;c"]


_EPISODES = [["CHILD", "DECOM", "RNE", "PLACE", "REASON"], ["1001", "01/04/2025", "S", "U1", ""],
             ["1002", "02/04/2025", "S", "K2", "Oak House, Leeds"]]  # fmt: skip


@pytest.mark.parametrize(
    ("suffix", "sep", "encoding", "newline", "said"),
    [
        (".txt", "\t", "cp1252", "\r\n", "tabs between columns (Excel's 'Text (Tab delimited)'"),
        (".txt", "\t", "utf-16", "\r\n", "tabs between columns (Excel's 'Text (Tab delimited)'"),
        (".csv", ";", "cp1252", "\r\n", "semicolons between columns (Excel's CSV in a Europ"),
        (".csv", ",", "mac_roman", "\r", None),  # CSV (Macintosh): CR line endings
        (".csv", ",", "utf-8-sig", "\r\n", None),  # CSV UTF-8: a byte-order mark
    ],
)
def test_excels_other_save_as_forms_are_read(tmp_path, suffix, sep, encoding, newline, said):
    """Excel's 'Text (Tab delimited)' (.txt, tabs), 'Unicode Text' (UTF-16 with its BOM,
    tabs) and a European Excel's CSV (semicolons) were refused ('uses tabs between
    columns, not commas'): a 903 history so saved stopped every command. Each is read as
    the CSV is, cell for cell (a quoted comma in a value kept), and said once; a title
    row above the header is still found."""
    path = tmp_path / f"episodes{suffix}"
    lines = [
        "SSDA903 episodes 2025-26, Anytown",
        *(
            sep.join(f'"{c}"' if ("," in c and sep != ",") or sep in c else c for c in r)
            for r in _EPISODES
        ),
    ]
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    (table,) = read_tables(path)
    assert list(table.data.columns) == ["child", "decom", "rne", "place", "reason"]
    assert table.data.fillna("").to_numpy().tolist() == [r for r in _EPISODES[1:]]
    assert table.first_data_row == 3
    notes = [n.message for n in table.notes if n.code == "delimiter"]
    if said is None:
        assert notes == []
    else:
        assert len(notes) == 1 and notes[0].startswith(f"was read with {said}")


def test_a_file_split_by_vertical_bars_is_read_and_said(tmp_path):
    """Case-management systems and databases export with vertical bars between columns:
    such a file was refused; it is read, with a note saying how."""
    path = tmp_path / "episodes.csv"
    path.write_text("CHILD|DECOM\n1001|01/04/2025\n")
    (table,) = read_tables(path)
    assert table.data.to_dict("list") == {"child": ["1001"], "decom": ["01/04/2025"]}
    assert [n.message for n in table.notes if n.code == "delimiter"] == [
        "was read with vertical bars between columns (as case-management systems and "
        "databases export)"
    ]


@pytest.mark.parametrize("chunk", [1 << 20, 37])
def test_rows_hidden_in_a_workbook_are_read_and_named(tmp_path, monkeypatch, chunk):
    """A referrals sheet filtered to tonight's children (or with placed children's rows
    hidden): every hidden row was read and matched as if shown, without a word. They are
    still read (which rows were meant is not known), and a warning names them; the sheet
    is scanned a piece at a time, a row tag cut between two pieces read whole."""
    from sufficiency.io import xlsx_hidden

    monkeypatch.setattr(xlsx_hidden, "_CHUNK", chunk)
    wb = Workbook()
    ws = wb.active
    ws.title = "Tonight"
    ws.append(["Referrals, week 14"])
    ws.append(["child_id", "dob", "sex"])
    for i in range(1, 10):
        ws.append([f"C{i}", "01/02/2015", "F"])
    for row in (1, 4, 5, 11, 12):  # the title, data rows 4, 5 and 11, and a blank row
        ws.row_dimensions[row].hidden = True
    p = tmp_path / "t.xlsx"
    wb.save(p)
    (t,) = read_tables(p)
    assert len(t.data) == 9
    (note,) = [n for n in t.notes if n.code == "hidden_rows"]
    assert note.severity == "warning" and note.message.startswith(
        "has 3 row(s) hidden in Excel (sheet Tonight, rows 4, 5, 11): they are read like the "
        "others")  # fmt: skip
