"""Tonight's referrals and register as case-management systems and commissioners'
spreadsheets export them: each read right and said, or refused naming the cell."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from sufficiency.io.inputs import load_placements, load_referrals

_REGISTER = "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,age_max"


def _write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_a_date_after_its_day_of_the_week_is_read_only_where_it_is_that_day(tmp_path):
    """A report's long date format writes Mon 03/02/2014: it was 'not a date', and the
    child was set aside. Read now, the day of the week checked: Mon 02/03/2014 (a Sunday,
    day and month swapped by whoever typed it) is not read as either date."""
    p = _write(tmp_path, "r.csv", "child_id,dob,sex,home_postcode,risks,dolo\n"
               "C1,Mon 03/02/2014,M,WR1 1AA,,N\nC2,\"Monday, 3 February 2014\",F,WR1 1AA,,N\n"
               "C3,Mon 02/03/2014,F,WR1 1AA,,N\n")  # fmt: skip
    t, problems = load_referrals(p, default_responsible_la="E10000034")
    assert t["dob"].tolist()[:2] == [pd.Timestamp(2014, 2, 3)] * 2
    assert pd.isna(t["dob"].iloc[2])
    errors = [(x.row, x.column, x.value) for x in problems if x.severity == "error"]
    assert errors == [(4, "dob", "AAA 99/99/9999")]  # a date of birth's shape, not itself
    (note,) = [x for x in problems if x.code == "weekday_dates"]
    assert note.message.startswith("writes dates with the day of the week (Mon 03/02/2014)")


def test_a_day_of_the_week_not_the_dates_says_so(tmp_path):
    """``Tuesday 3 March 2025`` (3 March 2025 was a Monday) was 'not a date in the form
    DD/MM/YYYY', as if its form were wrong. Now the error says the day of the week is not
    the date's, naming file, row and column, without saying either day (a date of
    birth's); in a 903 return too, as validate and the forecast's data quality list it."""
    from pathlib import Path

    from sufficiency.io.ssda903 import load_ssda903, read_history

    p = _write(tmp_path, "r.csv", "child_id,dob,sex,home_postcode\n"
               "C1,Tuesday 3 March 2025,M,WR1 1AA\nC2,Mon 31/02/2014,F,WR1 1AA\n"
               "C3,Tue 02/04/2024,F,WR1 1AA\n")  # fmt: skip
    _, problems = load_referrals(p, default_responsible_la="E10000034")
    errors = {(x.row, x.column, x.value, x.message) for x in problems if x.severity == "error"}
    assert errors == {  # 31 February is no date, whatever its day of the week
        (2, "dob", "AAAAAAA 9 AAAAA 9999", WEEKDAY),
        (3, "dob", "AAA 99/99/9999", "is not a date in the form DD/MM/YYYY or YYYY-MM-DD"),
    }
    root = tmp_path / "903" / "2026"
    root.mkdir(parents=True)
    (root / "header.csv").write_text("CHILD,SEX,DOB\n101150,1,01/01/2012\n101151,2,02/02/2013\n")
    (root / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC\n101150,01/05/2025,S,C2,N1,U1,PR1,\n"
        "101151,Tuesday 3 March 2025,S,C2,N1,U1,PR1,\n")  # fmt: skip
    _, problems = load_ssda903([root.parent])
    (bad,) = [x for x in problems if x.severity == "error" and x.column == "DECOM"]
    assert (Path(bad.file).name, bad.row, bad.column, bad.message) == (
        "episodes.csv", 3, "DECOM", WEEKDAY)  # fmt: skip
    (aside,) = [x for x in read_history(root.parent).quality.problems if x.code == "decom_invalid"]
    assert (aside.row, aside.message) == (3, f"episode start (DECOM) {WEEKDAY}")


WEEKDAY = (
    "begins with a day of the week that is not that date's day of the week: the day, "
    "the month (or the two swapped) or the day of the week is mistyped; correct it"
)


def test_a_tick_or_a_cross_is_a_yes_or_a_no(tmp_path):
    """A commissioner's register marks a home with pets with a tick: '✓' was refused
    ('must be Y or N') and the home set aside. A tick is a yes, a cross a no."""
    p = _write(tmp_path, "p.csv", f"{_REGISTER},has_pets,adapted,risk_exclusions\n"
               "P1,foster,in_house,WR1 1AA,1,600,0,17,✓,✗,\n"
               "P2,foster,in_house,WR1 1AA,1,600,0,17,✘,✔,\n"
               "P3,foster,in_house,WR1 1AA,1,600,0,17,x,N,\n")  # fmt: skip
    t, problems = load_placements(p)
    assert t["has_pets"].tolist()[:2] == [True, False] and t["adapted"].tolist()[:2] == [
        False,
        True,
    ]
    errors = [(x.row, x.column, x.message) for x in problems if x.severity == "error"]
    assert errors == [(4, "has_pets", "must be Y or N (or yes, no, 1, 0, true, false, a tick "
                                      "or a cross)")]  # fmt: skip


def test_wingdings_ticks_and_symbol_crosses_in_every_yes_no_column(tmp_path):
    """Ticks typed in Excel's Wingdings font reach the file as ``ü`` (a tick) and ``û`` (a
    cross), and a cross is often ``×`` or ``❌``: each was refused in every yes/no column
    (a flag, pets, a suitability, the Placements Data Standard's risk columns) and the
    child or home set aside; ``✓`` was refused in pets and the suitabilities. Now a tick
    is the column's yes and a cross its no, said in one warning per column naming its
    rows (not which holds which); ``x`` is still an error."""
    p = _write(tmp_path, "r.csv", "child_id,dob,sex,home_postcode,risks,dolo,adaptations,pets,"
               "foster_suitability,Risk to child: Self-harm\n"
               "C1,01/02/2014,M,WR1 1AA,,ü,×,✓,û,ü\nC2,01/02/2014,F,WR1 1AA,,û,✔,❌,þ,û\n"
               "C3,01/02/2014,F,WR1 1AA,,N,N,x,,\n")  # fmt: skip
    t, problems = load_referrals(p, default_responsible_la="E10000034")
    assert t["dolo"].tolist()[:2] == [True, False]
    assert t["adaptations"].tolist()[:2] == [False, True]
    assert t["pets"].tolist()[:2] == ["can", "no"]
    assert t["foster_suitability"].tolist()[:2] == ["unsuitable", "suitable"]
    assert [list(r) for r in t["risks"]][:2] == [["self_harm"], []]
    notes = {x.column: x.message for x in problems if x.code == "ticks"}
    assert set(notes) == {"dolo", "adaptations", "pets", "foster_suitability",
                          "Risk to child: Self-harm"}  # fmt: skip
    assert notes["dolo"].endswith("each tick read as Y, each cross as N (rows 2, 3): check them")
    assert "Wingdings" in notes["dolo"] and "Wingdings" not in notes["adaptations"]
    assert all(x.severity == "warning" for x in problems if x.code == "ticks")
    errors = [(x.row, x.column) for x in problems if x.severity == "error"]
    assert errors == [(4, "pets")]
    register = _write(tmp_path, "p.csv", f"{_REGISTER},has_pets,adapted\n"
                      "P1,foster,in_house,WR1 1AA,1,600,0,17,ü,×\n"
                      "P2,foster,in_house,WR1 1AA,1,600,0,17,û,✅\n")  # fmt: skip
    t, problems = load_placements(register)
    assert t["has_pets"].tolist() == [True, False] and t["adapted"].tolist() == [False, True]
    assert {x.column for x in problems if x.code == "ticks"} == {"has_pets", "adapted"}
    assert not [x for x in problems if x.severity == "error"]


def test_a_figure_with_a_full_stop_before_three_digits_in_a_european_csv_is_not_read(tmp_path):
    """A European Excel's CSV (semicolons between columns) writes a weekly cost of £1,094
    as 1.094: it was read as £1.09 a week, and the night matched at it, the plan's cost a
    fifth of the truth. Such a figure is an error of its row now, naming the cell; 950
    and 1094 are read, and in a comma-separated file 1.094 is still a decimal."""
    rows = ["P1;foster;in_house;WR1 1AA;1;1.094;0;17", "P2;foster;in_house;WR1 1AA;1;950;0;17",
            "P3;foster;in_house;WR1 1AA;1.000;1094;0;17"]  # fmt: skip
    p = _write(tmp_path, "p.csv", "\r\n".join([_REGISTER.replace(",", ";"), *rows]), "cp1252")
    t, problems = load_placements(p)
    assert t["weekly_cost"].tolist()[1:] == [950.0, 1094.0]
    errors = sorted((x.row, x.column, x.value) for x in problems if x.severity == "error")
    assert errors == [(2, "weekly_cost", "1.094"), (4, "vacancies", "1.000")]
    said = next(x.message for x in problems if x.severity == "error")
    assert said.startswith("is a number with a full stop before three digits in a file with "
                           "semicolons between its columns")  # fmt: skip
    comma = _write(tmp_path, "c.csv", f"{_REGISTER}\nP1,foster,in_house,WR1 1AA,1,1.094,0,17\n")
    t, problems = load_placements(comma)
    assert t["weekly_cost"].tolist() == [1.094]
    assert not [x for x in problems if x.severity == "error"]


_HOMES = ["Café Lodge", "Crèche Cottage", "Zoë’s House", "Müller Court – annexe", "Ashfield"]


def test_excels_csv_macintosh_keeps_every_accented_letter(tmp_path):
    """Excel's 'CSV (Macintosh)' writes Mac Roman: read as Windows-1252, 'Café Lodge' was
    'CafŽ Lodge' without a word, and a file with an è was refused as 'cannot be decoded
    as text'. Each letter is read as written now, and the reading said; a Windows CSV
    with the same homes (a curly apostrophe, an en dash) is read as before, unsaid."""
    from sufficiency.io.tables import read_tables

    rows = ["placement_id,home_name,tier", *(f"P{i},{name},£ band A" for i, name in
                                             enumerate(_HOMES))]  # fmt: skip
    for encoding, newline, said in (("mac_roman", "\r", True), ("mac_roman", "\r\n", True),
                                    ("cp1252", "\r\n", False)):  # fmt: skip
        p = _write(tmp_path, f"{encoding}.csv", newline.join(rows) + newline, encoding)
        (table,) = read_tables(p)
        assert table.data["home_name"].tolist() == _HOMES, encoding
        assert table.data["tier"].unique().tolist() == ["£ band A"]
        assert [n.code for n in table.notes] == (["mac_roman"] if said else [])
    # a pound sign alone is the same byte in both: lines ending in CR alone say Mac Roman
    p = _write(tmp_path, "pounds.csv", "placement_id,tier\rP1,£ band A\r", "mac_roman")
    assert [n.code for n in read_tables(p)[0].notes] == ["mac_roman"]


def test_a_formula_with_no_value_saved_is_named_not_read_as_blank(tmp_path):
    """A register written by a program (formulas, no values worked out: Excel works them
    out when it saves) read each formula cell as blank: homes whose risk_exclusions a
    formula filled took any risk, and none was adapted, without a word. Each such cell of
    a column read is an error of its row; a formula in a column not read is no matter."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([*_REGISTER.split(","), "risk_exclusions", "adapted", "notes"])
    ws.append(["P1", "foster", "in_house", "WR1 1AA", 1, 600, 0, 17, "cse", "N", '=""'])
    ws.append(["P2", "foster", "in_house", "WR1 1AA", 1, 600, 0, 17, '=IF(1,"cse","")',
               '=IF(1,"Y","N")', "=1+1"])  # fmt: skip
    p = tmp_path / "p.xlsx"
    wb.save(p)
    _, problems = load_placements(p)
    errors = sorted((x.row, x.column, x.code) for x in problems if x.severity == "error")
    assert errors == [(3, "adapted", "excel_uncalculated"),
                      (3, "risk_exclusions", "excel_uncalculated")]  # fmt: skip
    assert next(x.message for x in problems if x.severity == "error").startswith(
        "holds a formula whose value was never worked out"
    )


def test_only_a_formula_cell_without_its_value_is_uncalculated():
    """Excel saves a formula's value beside it, an empty text as <v></v> with t="str";
    a program that does not calculate saves no value, or an empty one."""
    from sufficiency.io.xlsx_formulas import _uncalculated

    xml = (b'<row r="2"><c r="A2" t="str"><f>""</f><v></v></c><c r="B2"><f>1+1</f><v>2</v>'
           b'</c><c r="C2"><f>1+1</f></c><c r="D2" s="1"><f>1</f><v /></c><c r="E2"><v>3</v>'
           b'</c><x:c r="F2"><x:f t="shared" si="0"/></x:c></row>')  # fmt: skip
    assert _uncalculated(xml) == [(2, 3), (2, 4), (2, 6)]


def test_a_header_over_two_rows_is_refused_naming_the_row(tmp_path):
    """A commissioner's sheet names a group over its columns ('Suitability' merged over
    three) and the columns in the row below ('Foster', 'Residential', 'Supported'): the
    three were dropped as unknown or unnamed, with a warning each, and every child read as
    suitable for every kind of home, the row of names set aside as a child. Refused now,
    naming the row and its columns; a group row above a whole header is still a title."""
    from openpyxl import Workbook

    from sufficiency.errors import InputDataError
    from sufficiency.io.tables import read_tables

    names = ["child_id", "dob", "sex", "Suitability", None, None, "dolo"]
    wb = Workbook()
    ws = wb.active
    ws.append(names)
    ws.append([None, None, None, "Foster", "Residential", "Supported", None])
    ws.append(["C1", "01/02/2015", "F", "preferred", "unsuitable", "unsuitable", "N"])
    for col in "ABCG":
        ws.merge_cells(f"{col}1:{col}2")
    ws.merge_cells("D1:F1")
    p = tmp_path / "r.xlsx"
    wb.save(p)
    csv = _write(tmp_path, "r.csv", "child_id,dob,sex,Suitability,,,dolo\n,,,Foster,Residential,"
                 "Supported,\nC1,01/02/2015,F,preferred,unsuitable,unsuitable,N\n")  # fmt: skip
    for path in (p, csv):
        with pytest.raises(InputDataError) as err:
            read_tables(path)
        (problem,) = err.value.problems
        assert (problem.row, problem.code) == (2, "two_row_header")
        assert problem.message.startswith("holds names in columns D, E, F, under a name merged")
    wb = Workbook()  # a group row above a whole header
    ws = wb.active
    ws.append(["Child", None, None, "Suitability", None, None, None])
    ws.append(["child_id", "dob", "sex", "foster_suitability", "residential_suitability",
               "supported_suitability", "dolo"])  # fmt: skip
    ws.append(["C1", "01/02/2015", "F", "preferred", "unsuitable", "unsuitable", "N"])
    ws.merge_cells("A1:C1")
    ws.merge_cells("D1:F1")
    wb.save(p)
    (table,) = read_tables(p)
    assert table.first_data_row == 3
    assert table.data["residential_suitability"].tolist() == ["unsuitable"]


def test_a_few_month_first_dates_cast_doubt_on_the_rest(tmp_path):
    """A US export of four children: 02/13/2014 and 11/25/2015 cannot be day first (too
    few to read the file month first), and were refused; 03/04/2012 and 05/06/2016 were
    read day first, perhaps day and month swapped, without a word. A warning names their
    rows now (not their dates: dates of birth)."""
    p = _write(tmp_path, "r.csv", "child_id,dob,sex,home_postcode,risks,dolo\n"
               "C1,02/13/2014,M,WR1 1AA,,N\nC2,03/04/2012,F,WR1 1AA,,N\n"
               "C3,11/25/2015,F,WR1 1AA,,N\nC4,05/06/2016,F,WR1 1AA,,N\n"
               "C5,07/07/2016,F,WR1 1AA,,N\n")  # fmt: skip
    _, problems = load_referrals(p, default_responsible_la="E10000034")
    (doubt,) = [x for x in problems if x.code == "month_first_doubt"]
    assert doubt.severity == "warning" and "(rows 2, 4)" in doubt.message
    assert (
        "its 2 date(s) whose day and month could be either way round are read day first "
        "and may be wrong (rows 3, 5)" in doubt.message
    )
    assert "03/04" not in doubt.message
    uk = _write(tmp_path, "uk.csv", "child_id,dob,sex,home_postcode,risks,dolo\n"
                "C1,25/12/2014,M,WR1 1AA,,N\nC2,03/04/2012,F,WR1 1AA,,N\n")  # fmt: skip
    _, problems = load_referrals(uk, default_responsible_la="E10000034")
    assert not [x for x in problems if x.code == "month_first_doubt"]


def test_a_count_under_a_date_format_in_a_total_row_is_no_child(tmp_path):
    """Excel's Total Row counting the dob column shows the count as a date where the column
    is formatted as dates (2 as 02/01/1900): the row 'Total' was read as a child born in
    1900, set aside and counted among the children referred. It is a total row now."""
    from openpyxl import Workbook

    from sufficiency.io.inputs import read_referrals_for_night

    wb = Workbook()
    ws = wb.active
    ws.append(["child_id", "dob", "sex", "home_postcode", "risks", "dolo"])
    ws.append(["C1", dt.datetime(2014, 2, 3), "F", "WR1 1AA", None, "N"])
    ws.append(["C2", dt.datetime(2012, 5, 3), "M", "WR1 1AA", None, "N"])
    ws.append(["Total", dt.datetime(1900, 1, 2), None, None, None, None])
    for row in range(2, 5):
        ws.cell(row, 2).number_format = "dd/mm/yyyy"
    p = tmp_path / "r.xlsx"
    wb.save(p)
    night = read_referrals_for_night(p, default_responsible_la="E10000034")
    assert night.table["child_id"].tolist() == ["C1", "C2"]
    (row,) = night.set_aside.to_dict("records")
    assert row["not_a_child"] and row["problem"].startswith("looks like a total row")


def test_a_cell_written_as_a_text_formula_is_read_as_its_text(tmp_path):
    """Case systems' CSV exports write ="00123" to keep an ID's leading zeros in Excel:
    the child's ID was read as ="00123" (not the 00123 the team's decisions give), and a
    date so written was no date, the child set aside. The text inside is read, and said."""
    p = _write(tmp_path, "r.csv", "child_id,dob,sex,home_postcode,risks,dolo\n"
               '="00123",="03/02/2014",F,="WR1 1AA",,N\n'
               "00124,03/02/2014,M,WR1 1AA,,N\n")  # fmt: skip
    t, problems = load_referrals(p, default_responsible_la="E10000034")
    assert t["child_id"].tolist() == ["00123", "00124"]
    assert t["dob"].tolist() == [pd.Timestamp(2014, 2, 3)] * 2
    assert [(x.code, x.severity) for x in problems] == [("text_formulas", "warning")]
    assert problems[0].message.startswith('writes 3 cell(s) as ="..."')


def test_a_european_csv_is_read_whole_or_its_doubtful_figures_set_aside_never_refused(tmp_path):
    """A European Excel's CSV writes £1,234.50 as 1.234,50 and £691.21 as 691,21: one such
    figure refused the whole file (no night), while a 1.094 set aside only its row. A file
    whose figures all say European is read so now, said in a note (1.094 is 1094); in one
    whose figures also say English (600.50) a decimal comma, and any figure that may be
    either (1.094, 1,234), is an error of its row naming the cell, the rest read."""
    head = _REGISTER.replace(",", ";")
    costs = ["1.234,50", "1.094", "691,21", "950"]
    rows = [f"P{i};foster;in_house;WR1 1AA;1;{c};0;17" for i, c in enumerate(costs)]
    p = _write(tmp_path, "eu.csv", "\r\n".join([head, *rows]), "cp1252")
    t, problems = load_placements(p)
    assert t["weekly_cost"].tolist() == [1234.5, 1094.0, 691.21, 950.0]
    assert not [x for x in problems if x.severity == "error"]
    (note,) = [x for x in problems if x.code == "european_figures"]
    assert "('1.234,50' in row 2, column weekly_cost): read so" in note.message
    costs = ["600.50", "1.094", "691,21", "1,234"]
    rows = [f"P{i};foster;in_house;WR1 1AA;1;{c};0;17" for i, c in enumerate(costs)]
    p = _write(tmp_path, "mixed.csv", "\r\n".join([head, *rows]), "cp1252")
    t, problems = load_placements(p)
    assert t["weekly_cost"].tolist()[0] == 600.5 and t["weekly_cost"].isna().sum() == 3
    errors = sorted((x.row, x.column, x.value) for x in problems if x.severity == "error")
    assert errors == [(3, "weekly_cost", "1.094"), (4, "weekly_cost", "691,21"),
                      (5, "weekly_cost", "1,234")]  # fmt: skip
    said = {x.value: x.message for x in problems if x.severity == "error"}
    assert said["691,21"].startswith("is a number with a decimal comma, as a European Excel "
                                     "writes one, in a file whose other figures have decimal "
                                     "points ('600.50', row 2, column weekly_cost)")  # fmt: skip
    assert not [x for x in problems if x.code in ("european_figures", "malformed_file")]


def test_a_totals_row_without_a_label_is_no_child_referred(tmp_path):
    """Excel's Total Row with its label cleared leaves a count in the ID column (or a
    number under blanks): it was set aside as a child's referral and counted, 'placed 44
    of 46 children referred' of a night with 45, with an unplaced '(no ID, row 47)'. Below
    the last child, numbers only, its ID blank or a count of the IDs above, it is no child
    now; a number there that is no such count may be a child's ID: counted, and said to
    be perhaps a totals row. A child's row with lost cells is still counted, unsaid."""
    from sufficiency.io.inputs import read_referrals_for_night

    head = "child_id,dob,sex,home_postcode,school_year\n"
    kids = "".join(f"C{i},01/02/2015,F,WR1 1AA,3\n" for i in range(3))
    for tail, child in (("3,,,,\n", False), (",,,,9\n", False), ("100211,,,,\n", True),
                        ("C9,,,,\n", True)):  # fmt: skip
        p = _write(tmp_path, "r.csv", head + kids + tail)
        night = read_referrals_for_night(p, default_responsible_la="E10000034")
        (row,) = night.set_aside.to_dict("records")
        assert (row["row"], row["not_a_child"]) == (5, not child), tail
        said = "may be a totals row without its label" in row["problem"]
        assert said == (tail == "100211,,,,\n"), row["problem"]
        if not child:
            assert row["id"] is None and row["problem"].startswith(
                "looks like a totals row without its label, not a child's referral"
            )


@pytest.mark.parametrize("chunk", [1 << 20, 29])
def test_a_column_hidden_in_a_workbook_is_read_and_named(tmp_path, monkeypatch, chunk):
    """A commissioner hides a column of old fees in the register: it was read like any
    other without a word (hidden rows were named). It is still read (which was meant is
    not known), and a warning names each hidden column with a name, by name and letter;
    the sheet is scanned a piece at a time, a tag cut between two pieces read whole."""
    from openpyxl import Workbook

    from sufficiency.io import xlsx_hidden

    monkeypatch.setattr(xlsx_hidden, "_CHUNK", chunk)
    wb = Workbook()
    ws = wb.active
    ws.title = "Register"
    ws.append([*_REGISTER.split(","), "old_cost", "notes"])
    ws.append(["P1", "foster", "in_house", "WR1 1AA", 1, 600, 0, 17, 550, "x"])
    for letter in ("F", "I", "J", "K"):  # weekly_cost, old_cost, notes, and a blank column
        ws.column_dimensions[letter].hidden = True
    p = tmp_path / "p.xlsx"
    wb.save(p)
    t, problems = load_placements(p)
    assert t["weekly_cost"].tolist() == [600.0]
    (note,) = [x for x in problems if x.code == "hidden_columns"]
    assert note.severity == "warning" and note.message.startswith(
        "has 3 column(s) hidden in Excel (sheet Register: weekly_cost (F), old_cost (I), "
        "notes (J)): they are read like the others"
    )


def test_a_tsv_file_is_read_as_tab_separated_text(tmp_path):
    """Tab-separated values as databases and case systems' reports save them (.tsv) were
    refused ('has extension .tsv; expected .csv or .xlsx', though .txt with tabs is read):
    read now, with the note every file with tabs has."""
    p = _write(tmp_path, "r.tsv", "child_id\tdob\tsex\thome_postcode\trisks\tdolo\n"
               "C1\t03/02/2014\tM\tWR1 1AA\t\tN\n")  # fmt: skip
    t, problems = load_referrals(p, default_responsible_la="E10000034")
    assert t["child_id"].tolist() == ["C1"]
    assert not [x for x in problems if x.severity == "error"]
    assert [x.code for x in problems if x.code == "delimiter"] == ["delimiter"]


@pytest.mark.parametrize("word", ["N/A", "None", "NULL", "-", "n/a"])
def test_a_sibling_group_saying_no_group_puts_no_children_together(tmp_path, word):
    """A tracker writes N/A (a database export NULL) in the sibling_group of a child with
    no siblings in care: every such child was one sibling group, unrelated children
    matched together ('no home on tonight's register has room for all 3') without a word.
    Now such a cell is no group, said in one warning naming its rows; a real group stays."""
    p = _write(tmp_path, "r.csv", "child_id,dob,sex,home_postcode,risks,dolo,sibling_group\n"
               f"C1,03/02/2014,M,WR1 1AA,,N,{word}\nC2,03/02/2012,F,WR1 1AA,,N,{word}\n"
               f"C3,03/02/2010,F,WR1 1AA,,N,{word}\nC4,03/02/2011,F,WR1 1AA,,N,S1\n"
               "C5,03/02/2013,F,WR1 1AA,,N,S1\n")  # fmt: skip
    t, problems = load_referrals(p, default_responsible_la="E10000034")
    assert t["sibling_group"].isna().tolist() == [True, True, True, False, False]
    (note,) = [x for x in problems if x.code == "no_group"]
    assert (note.column, note.severity) == ("sibling_group", "warning")
    assert f"says no group with {word!r} (rows 2, 3, 4): read as blank" in note.message
    assert not [x for x in problems if x.severity == "error"]


def test_a_cell_merged_down_rows_is_read_in_each_row(tmp_path):
    """A team merges two siblings' sibling_group cells (and a 903 sheet a child's CHILD
    over their episodes): the file holds the value in the first row only, so the second
    sibling was in no group, matched apart ('a group of one member'). The value is read
    in each row the merged cell spans, as Excel shows it, and said; a merge across
    columns, or in the header, is left alone."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Referrals tonight"])
    ws.merge_cells("A1:C1")
    ws.append(["child_id", "dob", "sex", "home_postcode", "risks", "dolo", "sibling_group"])
    for row in (["C1", "03/02/2014", "M", "WR1 1AA", "", "N", "S1"],
                ["C2", "03/02/2012", "F", "WR1 1AA", "", "N", None],
                ["C3", "03/02/2010", "F", "WR1 1AA", "", "N", None]):  # fmt: skip
        ws.append(row)
    ws.merge_cells("G3:G4")  # C1 and C2: siblings
    ws.merge_cells("D5:E5")  # across columns: not read into the next column
    wb.save(tmp_path / "r.xlsx")
    t, problems = load_referrals(tmp_path / "r.xlsx", default_responsible_la="E10000034")
    assert t["sibling_group"].tolist()[:2] == ["S1", "S1"] and pd.isna(t["sibling_group"][2])
    assert t["risks"].tolist()[2] == ()
    (note,) = [x for x in problems if x.code == "merged_cells"]
    assert "(sibling_group rows 3 to 4)" in note.message and note.severity == "warning"
    assert "lone_sibling" not in {x.code for x in problems}
