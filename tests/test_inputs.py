"""Referral and placement-register contracts: typed reading, aliases, defaults."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from sufficiency.errors import InputDataError
from sufficiency.io.inputs import read_placements, read_referrals


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_read_referrals_types_and_defaults(tmp_path):
    """Values are typed; blank optional fields take their documented defaults."""
    p = _write(
        tmp_path, "r.csv",
        "child_id,dob,sex,home_postcode,risks,communication\n"
        "C1,01/02/2015,1,wr1 1aa,cse;Self_harm,ESOL;none\n"
        "C2,2012-03-04,F,,,\n",
    )  # fmt: skip
    t = read_referrals(p, default_responsible_la="E10000034", run_date=dt.date(2026, 4, 1))
    assert t["dob"].tolist() == [pd.Timestamp(2015, 2, 1), pd.Timestamp(2012, 3, 4)]
    assert t["sex"].tolist() == ["M", "F"]
    assert t["home_postcode"].tolist()[0] == "WR1 1AA" and pd.isna(t["home_postcode"][1])
    assert t["risks"][0] == ("cse", "self_harm") and t["risks"][1] == ()
    assert t["communication"][0] == ("esol",)
    assert t["needed_by"].tolist() == ["today", "today"]
    assert t["alongside"][0] == "no_preference" and t["pets"][0] == "unknown"
    assert t["responsible_la"].tolist() == ["E10000034"] * 2
    assert t["adaptations"].tolist() == [False, False]


def test_read_referrals_accepts_placements_standard_labels(tmp_path):
    """DfE Placements Data Standard v2 labels and wide risk columns are understood."""
    p = _write(
        tmp_path, "r.csv",
        "Child ID,DOB,Sex,home_postcode,When do you need this placement by,"
        "Who can the child be cared for alongside,Can child live with pets/animals?,"
        "Foster care suitability,Risk to child: Self-harm,"
        "Risk to others or property: Fire-setting\n"
        "C1,01/02/2015,M,WR1 1AA,<5 days,Only with other older children,Yes - must,"
        "Suitable but not preferred,Risk Present,No known risk\n",
    )  # fmt: skip
    t = read_referrals(p, default_responsible_la="E10000034")
    row = t.iloc[0]
    assert row["needed_by"] == "<5 days" and row["alongside"] == "only_older"
    assert row["pets"] == "must" and row["foster_suitability"] == "suitable"
    assert row["risks"] == ("self_harm",)


def test_read_referrals_raises_listing_every_error(tmp_path):
    """All errors are raised together, not just the first."""
    text = "child_id,dob,sex,home_postcode,risks,dolo\nC1,xx,Q,WR1 1AA,,\nC1,,M,,,\n"
    p = _write(tmp_path, "r.csv", text)
    with pytest.raises(InputDataError) as info:
        read_referrals(p, default_responsible_la="E10000034")
    codes = sorted(x.code for x in info.value.problems)
    assert codes == ["duplicate_id", "invalid_value", "invalid_value", "invalid_value"]


def test_read_placements_maps_903_provider_codes(tmp_path):
    """PR4 is an IFA for foster settings and external for homes; PR1 is in-house."""
    p = _write(
        tmp_path, "p.csv",
        "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,age_max,"
        "current_children,current_ages\n"
        "A,foster,PR4,B1 1AA,2,£900,0,17,2,3;11\n"
        "B,residential,pr4,B1 1AA,1,\"6,100\",8,17,,\n"
        "C,Foster,PR1,WR1 1AA,1,600,0,17,1,\n",
    )  # fmt: skip
    t = read_placements(p)
    assert t["provider"].tolist() == ["ifa", "external", "in_house"]
    assert t["weekly_cost"].tolist() == [900.0, 6100.0, 600.0]
    assert t["current_ages"].tolist() == [(3, 11), (), ()]
    # B leaves current_children blank: a children's home has residents (current_blank.py)
    assert t["current_children"].tolist() == [2, 1, 1]
    assert t["sex"].tolist() == ["any"] * 3
    assert t["vacancies"].dtype == "int64"


def test_read_placements_raises_on_inverted_age_range(tmp_path):
    """age_min above age_max is an error naming the row."""
    p = _write(
        tmp_path, "p.csv",
        "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,age_max\n"
        "A,foster,ifa,B1 1AA,1,900,12,8\n",
    )  # fmt: skip
    with pytest.raises(InputDataError) as info:
        read_placements(p)
    (problem,) = [p for p in info.value.problems if p.severity == "error"]
    assert problem.row == 2 and problem.code == "age_range"


def _workbook(path, sheets):
    with pd.ExcelWriter(path) as w:
        for name, frame in sheets.items():
            frame.to_excel(w, sheet_name=name, index=False)
    return path


def test_workbook_with_two_sheets_of_referrals_says_which_is_read(tmp_path):
    """Tonight's referrals beside an old copy: before, one was read in silence (the first
    of equals, so an old copy placed first would have been matched instead of tonight's)."""
    from sufficiency.io.inputs import load_referrals

    tonight = pd.DataFrame({"child_id": ["C1", "C2"], "dob": ["01/02/2015", "03/04/2012"]})
    p = _workbook(tmp_path / "r.xlsx", {"Instructions": pd.DataFrame({"Notes": ["Read me"]}),
                                        "Tonight": tonight, "Old": tonight.head(1)})  # fmt: skip
    table, problems = load_referrals(p, default_responsible_la="E10000034",
                                     run_date=dt.date(2026, 4, 1))  # fmt: skip
    assert table["child_id"].tolist() == ["C1", "C2"]
    (note,) = [x for x in problems if x.code == "other_sheets"]
    assert note.severity == "warning" and note.file == str(p)
    assert note.message.startswith("has 2 sheets that read as referrals: Tonight, Old; only "
                                   "Tonight is read (the first of them)")  # fmt: skip


def test_workbook_with_one_sheet_of_placements_and_notes_reads_it_quietly(tmp_path):
    """A notes sheet beside the register is not a second register: no warning."""
    from sufficiency.io.inputs import load_placements

    register = pd.DataFrame({"placement_id": ["P1"], "setting": ["foster"],
                             "provider": ["in_house"], "postcode": ["WR1 1AA"],
                             "weekly_cost": ["600"], "capacity": ["1"]})  # fmt: skip
    p = _workbook(
        tmp_path / "p.xlsx",
        {"Register": register, "Notes": pd.DataFrame({"Notes": ["Updated daily"]})},
    )
    table, problems = load_placements(p)
    assert table["placement_id"].tolist() == ["P1"]
    assert not [x for x in problems if x.code == "other_sheets"]


def test_infinity_and_overflowing_figures_are_not_numbers(sample_dir, tmp_path):
    """A register's weekly_cost of 'inf', 'Infinity' or '1e400' was read as an infinite
    price: the home was kept on the register and never proposed, and nothing said why.
    Now such a figure is 'not a number' and the row is set aside, as 'nan' was."""
    from click.testing import CliRunner

    from sufficiency.cli import main
    from sufficiency.io.schema import parse_numbers

    parsed = parse_numbers(pd.Series(["inf", "-Infinity", "1e400", "£1,200.50", "nan"]))
    assert parsed.isna().tolist() == [True, True, True, False, True]
    assert parsed.iloc[3] == 1200.5
    lines = (sample_dir / "placements.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("PL0001,") and ",691.21," in lines[1]
    lines[1] = lines[1].replace(",691.21,", ",Infinity,")
    register = tmp_path / "placements.csv"
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["match", "--referrals", str(sample_dir / "referrals.csv"), "--placements",
            str(register), "--date", "2026-04-01", "--out", str(tmp_path / "out")]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "SET ASIDE" in result.output and "row 2 (PL0001): weekly_cost: is not a number" in (
        result.output
    )


def test_a_year_outside_1900_to_2099_is_named_not_a_traceback(sample_dir, tmp_path):
    """A date of birth typed 22/12/0212 (for 2012), or a decision's until of 31/12/9999 for
    "no end", stopped validate and match with pandas' OutOfBoundsDatetime traceback, and a
    903 header's DOB of 10/09/0212 made the child 1,813 years old: left out of the forecast
    (868 looked after, not 869) without a word. Each is now a date outside 1900 to 2099,
    named with its file, row and column."""
    from click.testing import CliRunner

    from sufficiency.cli import main
    from sufficiency.io.ssda903 import load_ssda903, read_history

    lines = (sample_dir / "referrals.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("R001,22/12/2012,")
    lines[1] = lines[1].replace("22/12/2012", "22/12/0212")
    refs = _write(tmp_path, "referrals.csv", "\n".join(lines) + "\n")
    decisions = _write(
        tmp_path, "decisions.csv",
        "child_id,placement_id,decision,reason,decided_by,until,decided_on\n"
        "R002,PL0001,exclude,panel,J Smith,9999-12-31,\n",
    )  # fmt: skip
    args = ["match", "--referrals", str(refs), "--placements", str(sample_dir / "placements.csv"),
            "--decisions", str(decisions), "--date", "2026-04-01",
            "--out", str(tmp_path / "o")]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "row 2 (R001): dob: is a date outside the years 1900 to 2099; check the year" in out
    assert "column until: is a date outside the years 1900 to 2099" in out
    assert "the exclusion is applied all the same" in out
    # the 903 history: read strictly (validate) and repaired (the forecast)
    history = tmp_path / "903"
    for year in (2025, 2026):
        (history / str(year)).mkdir(parents=True)
        for name in ("header.csv", "episodes.csv"):
            text = (sample_dir / "ssda903" / str(year) / name).read_text(encoding="utf-8")
            if year == 2026 and name == "header.csv":
                assert "\n101434,M,10/09/2012," in text
                text = text.replace("\n101434,M,10/09/2012,", "\n101434,M,10/09/0212,")
            (history / str(year) / name).write_text(text, encoding="utf-8")
    _, problems = load_ssda903([history])
    [bad] = [p for p in problems if p.column == "DOB"]
    assert bad.row == 2 and bad.message.startswith("is a date outside the years 1900 to 2099")
    read = read_history(history)
    assert "101434" not in set(read.episodes["CHILD"])
    assert read.quality is not None and "no valid date of birth" in read.quality.table().to_csv()


@pytest.mark.parametrize(
    ("written", "form"),
    [
        ("2012-12-22 00:00:00", "with a time of day"),  # pandas' and databases' exports
        ("2012-12-22T00:00:00", "with a time of day"),
        ("22/12/2012 00:00", "with a time of day"),
        ("22-Dec-2012", "with the month's name"),
        ("22 December 2012", "with the month's name"),
        ("22-Dec-12", "with the month's name"),
        ("22/12/12", "years with two digits"),
    ],
)
def test_referral_dates_written_as_other_tools_write_them_are_read_and_noted(
    tmp_path, written, form
):
    """A referral's DOB written 2012-12-22 00:00:00 (a database or pandas export),
    22-Dec-2012 or 22/12/12 was 'not a date in the form DD/MM/YYYY or YYYY-MM-DD': the
    child was set aside from the night's matching. The 903 reader reads such dates and
    says so; so now do the referrals, register and decisions readers."""
    from sufficiency.io.decisions import load_decisions
    from sufficiency.io.inputs import load_referrals

    text = f"child_id,dob,sex,home_postcode,risks,dolo\nC1,{written},M,WR1 1AA,,N\n"
    p = _write(tmp_path, "r.csv", text)
    t, problems = load_referrals(p, default_responsible_la="E10000034")
    assert t["dob"].tolist() == [pd.Timestamp(2012, 12, 22)]
    assert [p.severity for p in problems] == ["warning"] and form in problems[0].message
    d = _write(
        tmp_path, "d.csv",
        "child_id,placement_id,decision,reason,decided_by,until\n"
        f"C1,P1,pin,panel,J Smith,{written}\n",
    )  # fmt: skip
    table, problems = load_decisions(d)
    assert [p.severity for p in problems] == ["warning"]
    assert table["until"].tolist() == [pd.Timestamp(2012, 12, 22)]


def test_plain_iso_dates_are_read_without_a_note(tmp_path):
    """The contracts take YYYY-MM-DD as written (the web writes a decision's last day so):
    no note for it each night."""
    from sufficiency.io.decisions import load_decisions

    d = _write(tmp_path, "d.csv", "child_id,placement_id,decision,reason,decided_by,until\n"
               "C1,P1,pin,panel,J Smith,2026-12-22\n")  # fmt: skip
    table, problems = load_decisions(d)
    assert problems == [] and table["until"].tolist() == [pd.Timestamp(2026, 12, 22)]


def test_a_total_row_in_a_workbook_is_no_child_but_a_labelled_child_row_is(tmp_path):
    """Which rows are not records (docs/matching.md): a workbook's total row ('Total' with a
    count), a 'Total' row of the register (a sum of vacancies and fees); but a row with a
    child ID, or a date of birth, is a child's whatever its first cell says."""
    from sufficiency.io.inputs import read_placements_for_night, read_referrals_for_night

    refs = pd.DataFrame({
        "child_id": ["C1", "Notes", "", "", "Total", "Grand total: 3"],
        "dob": ["01/02/2015", "03/04/2012", "", "", "6", ""],  # Excel's Total Row: a count
        "sex": ["F", "M", "", "", "", ""],
        "home_postcode": ["WR1 1AA", "", "", "", "", ""],
        "needed_by": ["today", "today", "today", "NB Jo Bloggs moved", "", ""],
        "school_year": ["", "", "", "", "3", "3"],
    })  # fmt: skip
    night = read_referrals_for_night(
        _workbook(tmp_path / "r.xlsx", {"Referrals": refs}), default_responsible_la="E10000034"
    )
    aside = night.set_aside.set_index("row")
    # row 3 has a date of birth: a child (whose ID, letters alone, cannot be an ID: set
    # aside but counted); row 4 begins with no label word
    assert night.table["child_id"].tolist() == ["C1"]
    assert aside["not_a_child"].to_dict() == {3: False, 4: False, 5: True, 6: True, 7: True}
    assert "cannot be a child's ID" in aside.loc[3, "problem"]
    assert aside.loc[5, "problem"] == (
        "looks like a notes row, not a child's referral (it begins 'NB' and has no date "
        "of birth or sex): set aside and not counted as one")  # fmt: skip
    assert aside.loc[6, "problem"].startswith("looks like a total row")
    assert aside.loc[7, "problem"].startswith("looks like a total row")
    assert aside.loc[[5, 6, 7], "id"].isna().all()
    from sufficiency.io.stray_rows import _LABEL

    # a label word is a whole word: a child ID such as KEY-01 or NB123 is no label
    assert [bool(_LABEL.match(t)) for t in ("KEY-01", "NB123", "Totals:", "N.B. see")] == [
        False, False, True, True]  # fmt: skip
    register = _write(tmp_path, "p.csv",
                      "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,"
                      "age_max,has_pets\nP1,foster,in_house,WR1 1AA,1,600,0,17,N\n"
                      "Total,,,,1,600,,,\n")  # fmt: skip
    night = read_placements_for_night(register)
    assert night.table["placement_id"].tolist() == ["P1"]
    (row,) = night.set_aside.to_dict("records")
    assert row["id"] is None and row["problem"].startswith("looks like a total row, not a "
                                                           "placement")  # fmt: skip
    assert not [p for p in night.problems if p.code == "pets_unknown"]  # not a home


def test_a_decimal_comma_is_named_not_read_as_thousands(tmp_path):
    """A European Excel writes £691.21 as 691,21: the comma was dropped as a thousands
    separator and the home cost £69,121 a week, without a word. A comma is read only
    between thousands (1,234.50); a decimal comma is an error of the row, said so."""
    from sufficiency.io.inputs import load_placements

    p = _write(tmp_path, "p.csv",
               "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,age_max\n"
               'P1,foster,in_house,WR1 1AA,1,"691,21",0,17\n'
               'P2,foster,in_house,WR1 1AA,1,"£1,234.50",0,17\n'
               'P3,foster,in_house,WR1 1AA,1,"12,3456",0,17\n')  # fmt: skip
    table, problems = load_placements(p)
    assert table["weekly_cost"].tolist()[1] == 1234.5
    assert table["weekly_cost"].isna().tolist() == [True, False, True]
    errors = sorted((x.row, x.message) for x in problems if x.severity == "error")
    assert errors == [
        (2, "has a decimal comma: write the decimal point as a full stop (691.21, not "
            "691,21); a comma is read only between thousands"),
        (4, "is not a number"),
    ]  # fmt: skip


def test_serial_dates_of_a_1904_workbook_are_read_in_its_date_system(tmp_path):
    """A workbook saved in Excel for Mac's 1904 date system counts its serial numbers from
    1 January 1904: a date of birth typed as a number (40208, 31/01/2014 there) was read
    in the 1900 system, 30/01/2010, four years out, with a note giving the 1900 system's
    example. Real date cells were right (openpyxl reads them in the workbook's system)."""
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    from sufficiency.io.inputs import load_referrals

    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    wb.active.append(["child_id", "dob", "sex", "home_postcode"])
    wb.active.append(["C1", dt.date(2015, 2, 1), "F", None])
    wb.active.append(["C2", 40208, "M", None])
    wb.save(tmp_path / "mac.xlsx")
    table, problems = load_referrals(tmp_path / "mac.xlsx", default_responsible_la="E10000034")
    assert table["dob"].tolist() == [pd.Timestamp("2015-02-01"), pd.Timestamp("2014-01-31")]
    (note,) = [p for p in problems if p.code == "excel_serial_dates"]
    assert "1904 date system" in note.message


def test_excel_error_values_are_errors_of_their_row_said_once(tmp_path):
    """A lookup that found nothing leaves #N/A: three unrelated children whose sibling
    group lookups failed shared the group '#N/A' and were matched as siblings, without a
    word. An Excel error value is an error of its cell, named as Excel's and said once
    (a required cell is not also 'blank'); the row is set aside like any bad row."""
    from sufficiency.io.inputs import load_referrals

    p = _write(tmp_path, "r.csv",
               "child_id,dob,sex,home_postcode,sibling_group\n"
               "C1,01/02/2015,F,,#N/A\nC2,01/02/2012,M,,#n/a\nC3,01/02/2013,M,,#N/A\n"
               "#REF!,01/02/2014,F,,\nC5,#VALUE!,F,,G1\nC6,01/02/2011,F,,G1\n")  # fmt: skip
    table, problems = load_referrals(p, default_responsible_la="E10000034")
    errors = sorted((x.row, x.column, x.value, x.code) for x in problems if x.severity == "error")
    assert errors == [
        (2, "sibling_group", "#N/A", "excel_error"), (3, "sibling_group", "#n/a", "excel_error"),
        (4, "sibling_group", "#N/A", "excel_error"), (5, "child_id", "#REF!", "excel_error"),
        (6, "dob", "#VALUE!", "excel_error"),
    ]  # fmt: skip
    assert problems[0].message.startswith("holds Excel's error value, not a value")
    assert table["sibling_group"].tolist()[:3] == [pd.NA] * 3  # no group of three '#N/A'


def test_identifier_excel_saved_in_scientific_notation_is_an_error_of_its_row(tmp_path):
    """Excel shows a number of 12 digits or more in a General column as 1.23457E+11 and
    saves a CSV with the other digits lost: two children's IDs became one. Such a value
    in an identifier is an error of its row naming Excel, the row set aside (not a
    'duplicate child_id' of two children, nor one child); a number field is not checked."""
    from sufficiency.io.inputs import load_referrals

    p = _write(tmp_path, "r.csv",
               "child_id,dob,sex,home_postcode\n1.23457E+11,01/02/2015,F,\n"
               "1.23457E+11,01/02/2012,M,\n123456789014,01/02/2013,M,\n")  # fmt: skip
    table, problems = load_referrals(p, default_responsible_la="E10000034")
    errors = sorted((x.row, x.column, x.value, x.code) for x in problems if x.severity == "error")
    assert errors == [(2, "child_id", "1.23457E+11", "excel_scientific"),
                      (3, "child_id", "1.23457E+11", "excel_scientific")]  # fmt: skip
    assert "Excel's scientific notation" in problems[0].message
    assert table["child_id"].tolist()[:2] == [pd.NA, pd.NA]


def test_a_register_without_risk_exclusions_is_said_to_accept_every_risk(tmp_path):
    """A register with no risk_exclusions column was read as every home taking a child
    with any risk (fire-setting, sexual harm), without a word, where a missing has_pets
    column was warned of. Now it is a warning; a column of blanks (no exclusions) is not."""
    from sufficiency.io.inputs import load_placements

    head = "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,age_max"
    row = "P1,foster,in_house,WR1 1AA,1,600,0,17"
    _, problems = load_placements(_write(tmp_path, "p.csv", f"{head}\n{row}\n"))
    (note,) = [p for p in problems if p.code == "no_risk_exclusions"]
    assert note.severity == "warning" and note.message.startswith(
        "there is no risk_exclusions column: every home is read as able to take a child with "
        "any risk")  # fmt: skip
    _, problems = load_placements(_write(tmp_path, "q.csv", f"{head},risk_exclusions\n{row},\n"))
    assert not [p for p in problems if p.code == "no_risk_exclusions"]


def test_referrals_without_risks_or_dolo_columns_are_warned_of(tmp_path):
    """A referrals file with no risks and no dolo column read every child as having no
    known risk and no DoLO, without a word: a child who sets fires could be proposed a
    home excluding fire-setting. Now one warning says so; the columns given (even blank,
    or as the Placements Data Standard's wide risk columns) are not warned of."""
    from sufficiency.io.inputs import load_referrals

    p = _write(tmp_path, "r.csv", "child_id,dob,sex,home_postcode\nC1,01/02/2015,F,\n")
    _, problems = load_referrals(p, default_responsible_la="E10000034")
    (note,) = [x for x in problems if x.code == "safety_column_absent"]
    assert note.severity == "warning" and note.message.startswith(
        "has no risks or dolo column: every child is read as having no known risk and no "
        "deprivation of liberty order")  # fmt: skip
    p = _write(tmp_path, "s.csv", "child_id,dob,sex,home_postcode,Risk to child: Self-harm,"
               "Deprivation of Liberty Order\nC1,01/02/2015,F,,No known risk,\n")  # fmt: skip
    _, problems = load_referrals(p, default_responsible_la="E10000034")
    assert not [x for x in problems if x.code == "safety_column_absent"]


def test_a_postcode_the_directory_lacks_may_be_newer_than_it(tmp_path):
    """A council's new home on a new estate (LS29 9ZZ, not in the directory): the warning
    said only '(mistyped or terminated?)', sending staff to look for a typing slip in a
    right postcode, and the home was left out every night; it now says the directory may
    be older than the postcode and what to give instead."""
    from sufficiency.io.inputs import load_placements

    p = tmp_path / "p.csv"
    p.write_text(
        "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,age_max\n"
        "P1,foster,in_house,LS29 9ZZ,1,600,0,17\n"
    )
    _, problems = load_placements(p)
    (found,) = [q for q in problems if q.code == "unlocatable"]
    assert "newer than the directory's release" in found.message
    assert "give the nearest postcode it has to locate it" in found.message


def test_a_day_fee_in_the_register_is_doubted_and_the_home_kept(sample_dir, tmp_path):
    """A register row giving a day's fee as its weekly_cost (£85 for an IFA carer, £900
    for a children's home) was matched as a very cheap home, with nothing said: the
    unplaced child's 'cheapest option' was the £85 IFA home. Now a weekly cost under a
    fifth of what a week of its kind usually costs is warned of on the console and in
    summary.json, naming row, column, figure and the usual cost; the home is still matched."""
    import json

    from click.testing import CliRunner

    from sufficiency.cli import main

    register = pd.read_csv(sample_dir / "placements.csv", dtype=str, keep_default_na=False)
    ifa = register.index[(register["setting"] == "foster") & (register["provider"] == "ifa")][0]
    home = register.index[(register["setting"] == "residential")
                          & (register["provider"] == "external")][0]  # fmt: skip
    register.loc[[ifa, home], "weekly_cost"] = ["85", "900"]
    register.to_csv(tmp_path / "placements.csv", index=False)
    args = ["match", "--referrals", str(sample_dir / "referrals.csv"), "--placements",
            str(tmp_path / "placements.csv"), "--date", "2026-04-01", "--out",
            str(tmp_path / "out")]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    said = [f"row {ifa + 2}, column weekly_cost: £85.00 a week is under a fifth of what a week "
            "usually costs in such a home (IFA foster care: about £900); is it a day's fee "
            "(£595.00 a week)? The home is matched at the figure given: give pounds a week "
            "(value '85')",
            f"row {home + 2}, column weekly_cost: £900.00 a week is under a fifth of what a "
            "week usually costs in such a home (External children's home: about £6,100); is "
            "it a day's fee (£6,300.00 a week)?"]  # fmt: skip
    assert all(s in result.output for s in said), result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    notes = [n for n in summary["input_notes"] if n["code"] == "cheap_for_kind"]
    assert [(n["row"], n["column"]) for n in notes] == [(ifa + 2, "weekly_cost"),
                                                       (home + 2, "weekly_cost")]  # fmt: skip
    assert summary["num_placements"] == len(register)  # kept, not set aside


def test_only_a_cost_far_under_its_kinds_is_doubted(tmp_path):
    """A 903 provider code is doubted as the provider it stands for; an in-house carer's
    low allowance (over a fifth of £600), supported accommodation (no usual cost known),
    a weekly cost of £0 (warned of as zero) and a usual fee are not."""
    from sufficiency.io.inputs import load_placements

    head = "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,age_max"
    rows = ["P1,foster,PR4,WR1 1AA,1,120,0,17", "P2,foster,in_house,WR1 1AA,1,150,0,17",
            "P3,supported,external,WR1 1AA,1,300,16,17", "P4,foster,ifa,WR1 1AA,1,0,0,17",
            "P5,residential,in_house,WR1 1AA,1,1099.99,0,17",
            "P6,residential,in_house,WR1 1AA,1,5400,0,17"]  # fmt: skip
    text = "\n".join([head, *rows]) + "\n"
    _, problems = load_placements(_write(tmp_path, "p.csv", text))
    doubted = [(p.row, p.value) for p in problems if p.code == "cheap_for_kind"]
    assert doubted == [(2, "120"), (6, "1099.99")]
    assert all(p.severity == "warning" for p in problems if p.code == "cheap_for_kind")


def test_a_register_s_council_column_is_read_as_codes(tmp_path):
    """A register several councils share may give each home's council (``council``): read
    as its ONS code in capitals; a code that names no council (a council's name, a DfE LA
    number) is warned of, naming row and column, and not said; the home is kept."""
    from sufficiency.io.inputs import load_placements

    head = "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,age_max,council"
    home = "foster,in_house,WR1 1AA,1,600,0,17"
    rows = [f"P1,{home}, e08000025", f"P2,{home},", f"P3,{home},885"]
    table, problems = load_placements(_write(tmp_path, "p.csv", "\n".join([head, *rows]) + "\n"))
    assert table["council"].tolist()[:2] == ["E08000025", pd.NA]
    assert pd.isna(table["council"].tolist()[2]) and len(table) == 3
    (bad,) = [p for p in problems if p.code == "council_not_known"]
    assert (bad.row, bad.column, bad.value, bad.severity) == (4, "council", "885", "warning")
    assert "is a DfE LA number" in bad.message and bad.message.endswith(
        "; the home is matched, its council not said"
    )


def test_a_suitability_column_under_another_name_is_said_not_lost(tmp_path):
    """Suitability columns headed "Foster", "Residential" and "Supported" (a group title
    "Suitability" above them, in the council's sheet) were each warned of as an unknown
    column, and every child read as suitable for every setting without a word that the
    suitability was lost: a child assessed unsuitable for foster care could be proposed a
    foster home. Each such column now says the suitability it may hold is read as
    suitable, and the name to give it; a file naming its suitabilities, or with no column
    that names a setting, is not warned of."""
    from sufficiency.io.inputs import load_referrals

    head = "child_id,dob,sex,home_postcode"
    p = _write(tmp_path, "r.csv", f"{head},Foster,Residential care\nC1,01/02/2012,F,,unsuitable,\n")
    table, problems = load_referrals(p, default_responsible_la="E10000034")
    said = {x.column: x for x in problems if x.code == "suitability_column_unread"}
    assert set(said) == {"Foster", "Residential care"}
    assert said["Foster"].severity == "warning" and said["Foster"].message == (
        "the file has no foster_suitability column, so every child is read as suitable for "
        "foster care; if this column gives that suitability (preferred, suitable or "
        "unsuitable), name it foster_suitability")  # fmt: skip
    assert table["foster_suitability"].tolist() == ["suitable"]  # what the warning says
    p = _write(tmp_path, "s.csv", f"{head},foster_suitability,Foster notes\n"
               "C1,01/02/2012,F,,unsuitable,\n")  # fmt: skip
    _, problems = load_referrals(p, default_responsible_la="E10000034")
    assert not [x for x in problems if x.code == "suitability_column_unread"]


def test_a_child_id_a_spreadsheet_wrote_as_a_decimal_is_kept_and_said(tmp_path):
    """A referral's child_id written ``101434.0`` (a spreadsheet took the ID for a number)
    was kept as written with no note: the team's decision for child 101434, or the next
    night's referral written without the decimal point, then named another child. It is
    still kept as written (an ID is never changed), with a warning naming the row; an ID
    with a point that is not a whole number's is not warned of."""
    from sufficiency.io.inputs import load_referrals

    p = _write(tmp_path, "r.csv", "child_id,dob,sex,home_postcode\n101434.0,01/02/2015,F,\n"
               "1.5,01/02/2015,M,\nR001,01/02/2015,M,\n")  # fmt: skip
    table, problems = load_referrals(p, default_responsible_la="E10000034")
    assert table["child_id"].tolist() == ["101434.0", "1.5", "R001"]
    (note,) = [x for x in problems if x.code == "decimal_id"]
    assert (note.row, note.column, note.value, note.severity) == (
        2,
        "child_id",
        "101434.0",
        "warning",
    )
    assert note.message.startswith("is a whole number written as a decimal")
