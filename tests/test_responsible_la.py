"""A council other than the sample's sets the tool up: its own code decides what is in
area, and no code of the sample's (Worcestershire, E10000034) is ever assumed for it."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.config import Params, load_params
from sufficiency.errors import ConfigError
from sufficiency.io.inputs import load_referrals

#: Leeds (E08000035) postcodes, all in the postcode directory.
LEEDS = ("LS1 1UR", "LS6 1AA", "LS2 9JT", "LS1 4AP")


def _leeds_inputs(tmp_path):
    """Two Leeds children and two Leeds foster homes, as a council's export has them:
    no responsible_la column."""
    refs = tmp_path / "referrals.csv"
    pd.DataFrame({
        "child_id": ["C1", "C2"], "dob": ["01/02/2015", "03/04/2013"], "sex": ["F", "M"],
        "home_postcode": LEEDS[:2], "needed_by": ["today", "today"],
        "foster_suitability": ["preferred"] * 2, "residential_suitability": ["suitable"] * 2,
        "supported_suitability": ["unsuitable"] * 2, "pets": ["can"] * 2, "risks": ["", ""],
        "dolo": ["N", "N"],
    }).to_csv(refs, index=False)  # fmt: skip
    plcs = tmp_path / "placements.csv"
    pd.DataFrame({
        "placement_id": ["P1", "P2"], "setting": ["foster"] * 2, "provider": ["in_house"] * 2,
        "postcode": LEEDS[2:], "vacancies": [1, 1], "weekly_cost": [600, 650],
        "age_min": [0, 0], "age_max": [17, 17], "sex": ["any"] * 2, "current_children": [0, 0],
        "risk_exclusions": ["", ""], "has_pets": ["N", "N"],
    }).to_csv(plcs, index=False)  # fmt: skip
    return refs, plcs


def _match(tmp_path, *extra, keep_inputs=False):
    refs, plcs = (tmp_path / "referrals.csv", tmp_path / "placements.csv")
    if not keep_inputs:
        refs, plcs = _leeds_inputs(tmp_path)
    out = tmp_path / "out"
    args = ["match", "--referrals", str(refs), "--placements", str(plcs),
            "--date", "2026-04-01", "--out", str(out), *extra]  # fmt: skip
    return CliRunner().invoke(main, args), out


def test_one_blank_code_sets_aside_its_referral_not_the_night(tmp_path):
    """The export gives each referral's code, and one night one cell is blank with no
    council configured: that referral is set aside with the reason and the other matched
    (the whole night was refused: one blank cell blocked every child's match)."""
    refs, _ = _leeds_inputs(tmp_path)
    frame = pd.read_csv(refs, dtype=str)
    frame["responsible_la"] = ["E08000035", ""]
    frame.to_csv(refs, index=False)
    result, out = _match(tmp_path, keep_inputs=True)
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out / "matches.csv")["child_id"].tolist() == ["C1"]
    unplaced = pd.read_csv(out / "unplaced.csv")
    assert unplaced["child_id"].tolist() == ["C2"]
    assert "[general] responsible_la is not set" in unplaced["reason"].iloc[0]


def test_a_council_that_has_not_set_its_code_is_told_to_not_given_the_samples(tmp_path):
    """Leeds's referrals without a responsible_la column, no council configured: every
    child was taken for Worcestershire's (the default was E10000034), so both Leeds homes
    read as out of area (2 of 2 children flagged, exit 0, no warning). The run now stops
    with a sentence saying what to set."""
    assert Params().general.responsible_la == ""
    result, out = _match(tmp_path)
    assert result.exit_code == 1, result.output
    assert "2 referral(s) name no responsible authority" in result.output
    assert "set [general] responsible_la to your council's ONS code" in result.output
    assert "Traceback" not in result.output
    assert not (out / "matches.csv").exists()


def test_a_council_s_own_homes_are_in_its_area(tmp_path):
    """With Leeds's code configured, Leeds homes are in area: nobody is flagged."""
    config = tmp_path / "leeds.toml"
    config.write_text('[general]\nresponsible_la = "E08000035"\n')
    result, out = _match(tmp_path, "--config", str(config))
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["children_placed"] == 2
    assert (pd.read_csv(out / "matches.csv")["out_of_area_gbp"] == 0).all()


@pytest.mark.parametrize(("code", "said"), [
    ("373", "is a DfE LA number; give the council's 9-character ONS code"),
    ("E07000234", "is the code of Bromsgrove, a district council; give the code of the "
                  "council responsible for its children, E10000034 (Worcestershire)"),
    ("E08000019", "is Sheffield's code before April 2023, which the postcode directory no "
                  "longer uses, so every placement would read as out of area: give E08000039"),
    ("E10000006", "give E06000063 (Cumberland) or E06000064 (Westmorland and Furness)"),
    ("W06000004", "names Denbighshire (W06000004), a council in Wales: this tool is for "
                  "councils in England"),
    ("Wrecsam", "names Wrexham (W06000006), a council in Wales"),
    ("Leeds", "is a council's name, not its ONS code: give E08000035 (Leeds)"),
    ("Worcester", "is the name of Worcester, a district council, not an ONS code: give the "
                  "code of the council responsible for its children, E10000034 (Worcestershire)"),
])  # fmt: skip
def test_a_code_no_placement_can_be_in_the_area_of_is_a_configuration_error(tmp_path, code,
                                                                             said):  # fmt: skip
    """A code accepted before (an old one: Sheffield's before 2023, Cumbria's) put every
    placement out of area without a word; a DfE number or a Welsh code met only a regular
    expression ("String should match pattern")."""
    p = tmp_path / "c.toml"
    p.write_text(f'[general]\nresponsible_la = "{code}"\n')
    with pytest.raises(ConfigError, match=r"general\.responsible_la") as err:
        load_params(p)
    assert said in str(err.value)
    assert "pattern" not in str(err.value)


def test_a_code_in_lower_case_is_read_as_the_code(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text('[general]\nresponsible_la = " e08000035 "\n')
    assert load_params(p).general.responsible_la == "E08000035"


def test_a_referral_with_an_old_code_is_an_error_naming_the_new_one(tmp_path):
    """A referral naming Sheffield's code before 2023 was matched with every Sheffield
    home out of area; now its row is an error saying which code to give."""
    refs, _ = _leeds_inputs(tmp_path)
    df = pd.read_csv(refs, dtype=str).assign(responsible_la=["E08000019", "e08000039"])
    df.to_csv(refs, index=False)
    table, problems = load_referrals(refs, default_responsible_la="")
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.row, p.column, p.value) for p in errors] == [(2, "responsible_la", "E08000019")]
    assert "give E08000039 (Sheffield)" in errors[0].message
    assert table["responsible_la"].tolist()[1] == "E08000039"


def test_a_referral_naming_its_council_by_name_is_set_aside_saying_the_code(tmp_path):
    """A regional export with the council's name ("Manchester", "Leeds City Council") for
    its code: the row is set aside with the code to give, quoting the cell as written (it
    was "is not the ONS code of an English county or unitary authority ... (value
    'MANCHESTER')")."""
    refs, _ = _leeds_inputs(tmp_path)
    df = pd.read_csv(refs, dtype=str).assign(responsible_la=["Manchester", "Leeds City Council"])
    df.to_csv(refs, index=False)
    _, problems = load_referrals(refs, default_responsible_la="")
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.row, p.value, p.message) for p in errors] == [
        (2, "Manchester", "is a council's name, not its ONS code: give E08000003 (Manchester)"),
        (3, "Leeds City Council", "is a council's name, not its ONS code: give E08000035 (Leeds)"),
    ]


def test_a_blank_code_on_a_regional_night_is_read_as_the_configured_council_and_said(tmp_path):
    """Referrals of several councils, one with its code blank and a council configured:
    the child is read as the configured council's, as the contract says, but no longer
    silently (a Bury child read as Manchester's was placed in Manchester with no
    out-of-area flag and no word). A blank among referrals naming only the configured
    council is the ordinary single-council export: nothing said."""
    refs, _ = _leeds_inputs(tmp_path)
    df = pd.read_csv(refs, dtype=str).assign(responsible_la=["E08000002", ""])
    df.to_csv(refs, index=False)
    table, problems = load_referrals(refs, default_responsible_la="E08000035")
    assert table["responsible_la"].tolist() == ["E08000002", "E08000035"]
    (note,) = [p for p in problems if p.code == "responsible_la_assumed"]
    assert (note.severity, note.row, note.column) == ("warning", 3, "responsible_la")
    assert note.message.startswith(
        "is blank, so the child is read as Leeds's (E08000035, [general] responsible_la), "
        "while other referrals name other councils (Bury): check the child's council"
    )
    df.assign(responsible_la=["E08000035", ""]).to_csv(refs, index=False)
    _, problems = load_referrals(refs, default_responsible_la="E08000035")
    assert not [p for p in problems if p.code == "responsible_la_assumed"]


def test_a_sibling_group_naming_two_councils_is_warned_of_and_still_matched(tmp_path):
    """A regional night's brother recorded under Bury and sister under Bolton, one sibling
    group: each child was judged against their own council and nothing said the group spans
    councils (siblings are almost always one council's, so it is a data error). It is now
    a warning naming the group and each council with its rows, in `validate` and the match
    run's input notes; a group of one council's children, and a code set aside, say nothing."""
    refs, _ = _leeds_inputs(tmp_path)
    frame = pd.read_csv(refs, dtype=str)
    frame = pd.concat([frame, frame.assign(child_id=["C3", "C4"])], ignore_index=True)
    frame = frame.assign(
        responsible_la=["E08000002", "E08000001", "E08000002", "E08000035"],
        sibling_group=["S4", "S4", "S4", ""],
    )
    frame.to_csv(refs, index=False)
    table, problems = load_referrals(refs, default_responsible_la="")
    (note,) = [p for p in problems if p.code == "siblings_across_councils"]
    assert (note.severity, note.row, note.column, note.value) == (
        "warning", None, "sibling_group", "S4",
    )  # fmt: skip
    assert note.message.startswith(
        "the referrals of sibling group S4 name different responsible authorities: Bury "
        "(E08000002) on rows 2 and 4 and Bolton (E08000001) on row 3. Siblings are almost "
        "always one council's responsibility"
    )
    assert table["responsible_la"].tolist()[:3] == ["E08000002", "E08000001", "E08000002"]
    frame.assign(responsible_la=["E08000002", "Bolton", "E08000002", "E08000035"]).to_csv(
        refs, index=False
    )
    _, problems = load_referrals(refs, default_responsible_la="")
    assert not [p for p in problems if p.code == "siblings_across_councils"]

    frame.to_csv(refs, index=False)
    result = CliRunner().invoke(main, ["validate", str(refs)])
    assert result.exit_code == 0, result.output
    assert "the referrals of sibling group S4 name different responsible authorities" in (
        result.output
    )
    result, out = _match(tmp_path, keep_inputs=True)
    assert result.exit_code == 0, result.output
    notes = json.loads((out / "summary.json").read_text())["input_notes"]
    assert [n["code"] for n in notes if n["column"] == "sibling_group"] == [
        "siblings_across_councils"
    ]


@pytest.mark.parametrize(("given", "council"), [
    ("Ynys Môn", "Isle of Anglesey (W06000001)"), ("Ynys Mon", "Isle of Anglesey (W06000001)"),
    ("Rhondda Cynon Taf", "Rhondda Cynon Taf (W06000016)"),
    ("Bro Morgannwg", "Vale of Glamorgan (W06000014)"), ("Wrexham", "Wrexham (W06000006)"),
    ("Wrecsam", "Wrexham (W06000006)"), ("Cyngor Sir Ddinbych", "Denbighshire (W06000004)"),
    ("Wrexham County Borough Council", "Wrexham (W06000006)"),
    ("W06000015", "Cardiff (W06000015)"),
])  # fmt: skip
def test_a_council_in_wales_by_any_name_is_said_to_be_outside_england(tmp_path, given, council):
    """A referral naming a council in Wales as its responsible authority, by its Welsh name
    or its English one, was 'not the ONS code of an English county or unitary authority'
    with the name shown as if a child's detail ('AAAA AAA'), or, for a name beginning with
    W ('Wrexham'), 'is not an English authority's code'. Now it is named, with its code,
    as a council in Wales, which the tool, for councils in England, cannot judge in or
    out of area by; the row set aside, the name quoted as written."""
    refs, _ = _leeds_inputs(tmp_path)
    df = pd.read_csv(refs, dtype=str).assign(responsible_la=[given, "E08000035"])
    df.to_csv(refs, index=False, encoding="utf-8")
    _, problems = load_referrals(refs, default_responsible_la="")
    (error,) = [p for p in problems if p.severity == "error"]
    assert (error.row, error.value) == (2, given)
    assert error.message.startswith(f"names {council}, a council in Wales: this tool is for "
                                    "councils in England")  # fmt: skip


@pytest.mark.parametrize(("given", "said"), [
    ("S12000049", "names an authority in Scotland"),
    ("N09000003", "names an authority in Northern Ireland"),
    ("St Helens", "is a council's name, not its ONS code: give E08000013 (St. Helens)"),
    ("Stockport", "is a council's name, not its ONS code: give E08000007 (Stockport)"),
])  # fmt: skip
def test_a_code_outside_england_or_a_name_beginning_so_is_said_as_what_it_is(tmp_path, given,
                                                                              said):  # fmt: skip
    """Any value beginning W, S or N was 'not an English authority's code', a name such as
    'St Helens' too (the lookup writes 'St. Helens'), and a Scottish code was shown by its
    shape ('A99999999')."""
    refs, _ = _leeds_inputs(tmp_path)
    pd.read_csv(refs, dtype=str).assign(responsible_la=[given, "E08000035"]).to_csv(
        refs, index=False)  # fmt: skip
    _, problems = load_referrals(refs, default_responsible_la="")
    (error,) = [p for p in problems if p.severity == "error"]
    assert (error.row, error.value) == (2, given) and error.message.startswith(said)
