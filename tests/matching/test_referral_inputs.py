"""Referrals as councils write them: the Placements Data Standard v2 labels and answers,
near-miss column names, rows with errors set aside, and a night with no referrals."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from test_matching_command import write_inputs

from sufficiency.commands.match import match
from sufficiency.errors import InputDataError
from sufficiency.io.inputs import (
    REFERRALS,
    RISK_ANSWERS,
    load_referrals,
    read_tonight,
    referral_field_for,
)
from sufficiency.io.schema import column_key

PUBLISHED = json.loads(
    (Path(__file__).parents[1] / "data" / "pds_v2_fields.json").read_text(encoding="utf-8")
)["fields"]
#: Published labels of the "Actual placement" and quality-assurance groups: outcome
#: fields a referral may carry; read, not used by matching.
RUN_DATE = "2026-03-01"


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(match, [*args, "--date", RUN_DATE])
    return result.exit_code, result.output


def test_every_published_label_is_a_known_column() -> None:
    """Every field label of PDS v2, exactly as published, maps to a contract field."""
    missing = [f["label"] for f in PUBLISHED if referral_field_for(f["label"]) is None]
    assert missing == []
    assert len(PUBLISHED) >= 40  # the whole published list, not a sample of it


@pytest.mark.parametrize(
    ("label", "field"),
    [("When placement is needed by", "needed_by"),
     ("Can the child live with pets/animals?", "pets"),
     ("Who can the child be cared for alongside?", "alongside"),
     ("Supported Accomodation suitability", "supported_suitability"),
     ("Number of siblings to place with", "siblings_to_place_with")],
)  # fmt: skip
def test_the_labels_that_were_lost_map_to_their_fields(label: str, field: str) -> None:
    """The labels that used to be dropped without notice reach the rule they feed."""
    found = REFERRALS.field_for(label)
    assert found is not None and found.name == field


def test_every_published_answer_maps_to_a_contract_value() -> None:
    """Every published option of a coded field the matching uses is accepted."""
    for f in PUBLISHED:
        if referral_field_for(f["label"]) == "risks":
            assert all(o.lower() in RISK_ANSWERS for o in f["options"]), f["label"]
            continue
        field = REFERRALS.field_for(f["label"])
        assert field is not None
        if field.choices is None or not f["options"]:
            continue
        for option in f["options"]:
            if option.lower() == "none" and field.name == "communication":
                continue
            assert option.lower() in field.choices, (f["label"], option)
    risk = [f for f in PUBLISHED if f["label"].startswith("Risk to") and f["options"]]
    assert {o for f in risk for o in f["options"]} == {"No known risk", "Risk Present"}


def _standard_referrals(path: Path, sample: Path, *, pets_label: str) -> None:
    """The sample's referrals rewritten with PDS v2 labels and answers."""
    df = pd.read_csv(sample / "referrals.csv", dtype=str, keep_default_na=False)
    needed = {"today": "Today", "<5 days": "in less than 5 days", ">5 days": "in more than 5 days"}
    pets = {"must": "Yes - must", "can": "Yes - can", "no": "No", "unknown": "Not Known"}
    df["needed_by"] = df["needed_by"].map(lambda v: needed.get(v, v))
    df["pets"] = df["pets"].map(lambda v: pets.get(v, v))
    df = df.rename(columns={"needed_by": "When placement is needed by", "pets": pets_label,
                            "alongside": "Who can the child be cared for alongside?"})  # fmt: skip
    df.to_csv(path, index=False)


def test_standard_labels_give_the_same_matches_as_the_contract(
    tmp_path: Path, sample_dir: Path
) -> None:
    """The sample written with PDS v2 labels and answers matches exactly as the sample."""
    std = tmp_path / "pds.csv"
    _standard_referrals(std, sample_dir, pets_label="Can the child live with pets/animals?")
    plc = sample_dir / "placements.csv"
    a = read_tonight(sample_dir / "referrals.csv", plc, run_date=pd.Timestamp(RUN_DATE).date())
    b = read_tonight(std, plc, run_date=pd.Timestamp(RUN_DATE).date())
    cols = ["child_id", "needed_by", "pets", "alongside"]
    pd.testing.assert_frame_equal(a.referrals.table[cols], b.referrals.table[cols])
    assert not [p for p in b.problems if p.code == "unknown_column"]


def test_a_near_miss_column_is_an_error_naming_the_field(tmp_path: Path, sample_dir: Path) -> None:
    """'Can child live with pet/animals' is refused, naming the field it resembles,
    instead of being dropped so that children who must not live with pets get them."""
    std = tmp_path / "typo.csv"
    _standard_referrals(std, sample_dir, pets_label="Can the child live with pet/animal")
    with pytest.raises(InputDataError) as err:
        load_and_raise(std)
    text = str(err.value)
    assert "resembles 'pets'" in text and "Can the child live with pet/animal" in text
    code, out = _cli("--referrals", str(std), "--placements", str(sample_dir / "placements.csv"),
                     "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 1 and "resembles 'pets'" in out and "Traceback" not in out


def load_and_raise(path: Path) -> None:
    """Read referrals and raise on errors."""
    _, problems = load_referrals(path, default_responsible_la="E10000034")
    if any(p.severity == "error" for p in problems):
        raise InputDataError(problems)


def test_unknown_column_is_printed_and_in_the_report(tmp_path: Path) -> None:
    """A column match does not recognise is printed once and listed in the report."""
    refs, plcs = write_inputs(tmp_path)
    df = pd.read_csv(refs, dtype=str)
    df["favourite_colour"] = "blue"
    df.to_csv(refs, index=False)
    code, out = _cli("--referrals", str(refs), "--placements", str(plcs),
                     "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 0
    assert "favourite_colour" in out and "unknown column" in out
    notes = json.loads((tmp_path / "out" / "summary.json").read_text())["input_notes"]
    assert [n["column"] for n in notes if n["code"] == "unknown_column"] == ["favourite_colour"]
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "out" / "match_report.xlsx")["Input notes"]
    assert any(row[2] == "favourite_colour" for row in ws.iter_rows(values_only=True))


def test_a_night_with_no_referrals_is_normal(tmp_path: Path) -> None:
    """A referrals file with a header and no rows: empty outputs, exit 0."""
    refs, plcs = write_inputs(tmp_path)
    header = refs.read_text().splitlines()[0]
    refs.write_text(header + "\n")
    code, out = _cli("--referrals", str(refs), "--placements", str(plcs),
                     "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 0, out
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["num_children"] == 0 and summary["status"] == "optimal"
    assert summary["message"] == "No referrals tonight: nothing to match."
    assert pd.read_csv(tmp_path / "out" / "matches.csv").empty


def test_one_malformed_referral_is_set_aside_and_the_rest_matched(tmp_path: Path) -> None:
    """A US-format date of birth sets that referral aside (exit 0, the problem in a
    sentence in unplaced.csv and the console); --strict refuses as before."""
    refs, plcs = write_inputs(tmp_path)
    df = pd.read_csv(refs, dtype=str, keep_default_na=False)
    df.loc[df["child_id"] == "C3", "dob"] = "12/31/2011"
    df.to_csv(refs, index=False)
    code, out = _cli("--referrals", str(refs), "--placements", str(plcs),
                     "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 0, out
    assert "1 input row set aside" in out and "row 4" in out and "dob" in out
    assert "12/31/2011" not in out  # a date of birth is never echoed
    unplaced = pd.read_csv(tmp_path / "out" / "unplaced.csv")
    (reason,) = unplaced.loc[unplaced["child_id"] == "C3", "reason"]
    assert reason.startswith("Set aside for errors") and "dob" in reason
    matches = pd.read_csv(tmp_path / "out" / "matches.csv")
    assert set(matches["child_id"]) == {"C1", "C2"}
    code, out = _cli("--referrals", str(refs), "--placements", str(plcs),
                     "--out", str(tmp_path / "strict"), "--strict")  # fmt: skip
    assert code == 1 and "row 4, column dob" in out and not (tmp_path / "strict").exists()


def test_summary_counts_the_children_referred_with_those_set_aside(tmp_path: Path) -> None:
    """summary.json's num_children and children_unplaced count the children matched tonight:
    a referral set aside for errors was in neither, so a dashboard adding them said 2
    children referred where the report and console said 3. children_referred and
    children_set_aside state them all (placed + unplaced + set aside)."""
    refs, plcs = write_inputs(tmp_path)
    df = pd.read_csv(refs, dtype=str, keep_default_na=False)
    df.loc[df["child_id"] == "C3", "dob"] = "12/31/2011"
    df.to_csv(refs, index=False)
    code, out = _cli("--referrals", str(refs), "--placements", str(plcs),
                     "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 0, out
    s = json.loads((tmp_path / "out" / "summary.json").read_text())
    referred = df["child_id"].nunique()
    assert f"placed {s['children_placed']} of {referred} children referred" in out
    assert (s["num_children"], s["children_set_aside"], s["children_referred"]) == (2, 1, 3)
    total = s["children_placed"] + s["children_unplaced"] + s["children_set_aside"]
    assert total == s["children_referred"] == referred
    assert s["children_unplaced"] + s["children_set_aside"] == len(
        pd.read_csv(tmp_path / "out" / "unplaced.csv")
    )


def test_a_referral_without_an_id_is_set_aside_as_no_id_not_nan(tmp_path: Path) -> None:
    """A referral with a blank child_id beside another set aside with its ID: the set-aside
    list's ID column became a text column, the blank NaN, so the console said "(nan)" and
    summary.json held NaN, which is not JSON (a browser's JSON.parse refuses the file)."""
    refs, plcs = write_inputs(tmp_path)
    df = pd.read_csv(refs, dtype=str, keep_default_na=False)
    df.loc[df["child_id"] == "C3", "dob"] = "12/31/2011"
    df.loc[df["child_id"] == "C2", "child_id"] = ""
    df.to_csv(refs, index=False)
    code, out = _cli("--referrals", str(refs), "--placements", str(plcs),
                     "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 0, out
    assert "row 3 (no ID)" in out and "nan" not in out.lower()
    text = (tmp_path / "out" / "summary.json").read_text()
    s = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in summary.json"))
    assert [(a["row"], a["id"]) for a in s["set_aside"]] == [(3, None), (4, "C3")]


def test_total_notes_and_repeated_header_rows_are_set_aside_but_not_counted(
    tmp_path: Path,
) -> None:
    """A total row, a notes row and the header repeated (two exports pasted together) are
    set aside, each said to be what it looks like, but are no child: the night of three
    children said "placed 2 of 6 children referred", listing unplaced children called
    'Total' and 'Notes: ...'. A child with a bad cell, or with no ID, still counts."""
    refs, plcs = write_inputs(tmp_path)
    df = pd.read_csv(refs, dtype=str, keep_default_na=False)
    df.loc[df["child_id"] == "C3", "dob"] = "12/31/2011"  # a child: counted, set aside
    blank = dict.fromkeys(df.columns, "")
    df = pd.concat([
        df.iloc[:1], pd.DataFrame([dict(zip(df.columns, df.columns, strict=True))]),
        df.iloc[1:], pd.DataFrame([{**blank, "child_id": "Total", "school_year": "3"},
                                   {**blank, "child_id": "Notes: Jo Bloggs moved"},
                                   {**df.iloc[0].to_dict(), "child_id": ""}]),
    ])  # fmt: skip
    df.to_csv(refs, index=False)
    code, out = _cli("--referrals", str(refs), "--placements", str(plcs),
                     "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 0, out
    s = json.loads((tmp_path / "out" / "summary.json").read_text())
    # C1, C2 matched; C3 (bad date of birth) and the row without an ID set aside
    assert (s["num_children"], s["children_set_aside"], s["children_referred"]) == (2, 2, 4)
    assert "placed 2 of 4 children referred" in out
    problems = {a["row"]: (a["id"], a["problem"]) for a in s["set_aside"]}
    assert problems[3] == (None, "repeats the header row (its cells are the columns' names), "
                           "not a child's referral: set aside and not counted as one")  # fmt: skip
    assert problems[6][0] is None and problems[6][1].startswith("looks like a total row")
    assert problems[7][0] is None and problems[7][1].startswith("looks like a notes row")
    assert "Jo Bloggs" not in out + json.dumps(s)  # a note may name a child: never echoed
    unplaced = pd.read_csv(tmp_path / "out" / "unplaced.csv")
    assert sorted(unplaced["child_id"]) == ["(no ID, row 8)", "C3"]
    html = (tmp_path / "out" / "match_report.html").read_text()
    assert "Children placed: 2 of 4 referred" in html
    sheet = pd.read_excel(tmp_path / "out" / "match_report.xlsx", sheet_name="Not placed")
    assert sorted(sheet["Child"].astype(str)) == ["(no ID, row 8)", "C3"]


def test_bad_register_row_is_set_aside(tmp_path: Path) -> None:
    """A register row with a bad vacancy count is set aside; the others are offered."""
    refs, plcs = write_inputs(tmp_path)
    df = pd.read_csv(plcs, dtype=str, keep_default_na=False)
    df.loc[df["placement_id"] == "P2", "vacancies"] = "two"
    df.to_csv(plcs, index=False)
    code, out = _cli("--referrals", str(refs), "--placements", str(plcs),
                     "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 0, out
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert [(a["id"], a["row"]) for a in summary["set_aside"]] == [("P2", 3)]
    assert "P2" not in set(pd.read_csv(tmp_path / "out" / "matches.csv")["placement_id"])


def test_validate_flags_pets_and_harm_to_animals(tmp_path: Path) -> None:
    """A referral saying pets 'Yes - can' and a risk to animals is flagged by validate."""
    refs, _ = write_inputs(tmp_path)
    df = pd.read_csv(refs, dtype=str, keep_default_na=False)
    df.loc[df["child_id"] == "C3", "risks"] = "harm_animals"
    df.loc[df["child_id"] == "C3", "pets"] = "Yes - can"
    df.to_csv(refs, index=False)
    _, problems = load_referrals(refs, default_responsible_la="E10000034")
    flagged = [p for p in problems if p.code == "pets_harm_animals"]
    assert len(flagged) == 1 and flagged[0].row == 4 and "safer reading" in flagged[0].message
    assert column_key(flagged[0].column or "") == "pets"


def test_free_text_risk_is_flagged_under_the_label_the_file_uses(tmp_path: Path) -> None:
    """A PDS 'Other (please specify)' risk is a warning naming the file's own column."""
    refs, _ = write_inputs(tmp_path)
    df = pd.read_csv(refs, dtype=str, keep_default_na=False)
    label = "Risk to others or property: Other (please specify)"
    df[label] = ["", "", "see case notes"]
    df.to_csv(refs, index=False)
    _, problems = load_referrals(refs, default_responsible_la="E10000034")
    (flag,) = [p for p in problems if p.code == "free_text_risk"]
    assert (flag.row, flag.column, flag.value) == (4, label, None)


def test_a_file_with_the_standards_risk_columns_keeps_its_row_errors_and_notes(
    tmp_path: Path,
) -> None:
    """Folding the Placements Data Standard's wide risk columns into one list rebuilt the
    table without what reading found: a row with more cells than the header (an unquoted
    comma: which value is in which column unknown) was matched as read, and the title row
    and date-form warnings were dropped, where the same file with a risks column said so."""
    path = tmp_path / "r.csv"
    path.write_text(
        "Referrals week 14\n"
        "child_id,dob,sex,home_postcode,Risk to child: Self-harm\n"
        "C1,01/02/2015,F,WR1 1AA,No known risk\n"
        "C2,03/04/2012,M,WR1 1AA,Risk Present,extra, cells\n"
        "C3,2012-04-03 00:00:00,M,WR1 1AA,No known risk\n"
    )
    _, problems = load_referrals(path, default_responsible_la="E10000034")
    codes = {(p.code, p.row) for p in problems}
    assert {("extra_cells", 4), ("title_rows", None), ("dates_with_time", None)} <= codes
    night = read_tonight(path, write_inputs(tmp_path)[1], default_responsible_la="E10000034")
    assert night.referrals.table["child_id"].tolist() == ["C1", "C3"]


@pytest.mark.parametrize("excludes", [True, False])
def test_pets_and_harm_to_animals_note_follows_rule_13_setting(
    tmp_path: Path, excludes: bool
) -> None:
    """The warning on a referral saying pets 'can' and a risk to animals says what matching
    does under the configuration given: with rule 13 switched off it no longer says no
    home with pets is proposed (one is: every home here has pets), in validate, the
    match's summary and its console alike."""
    from sufficiency.cli import main

    refs, plcs = write_inputs(tmp_path)
    df = pd.read_csv(refs, dtype=str, keep_default_na=False)
    df.loc[df["child_id"] == "C3", ["risks", "pets"]] = ["harm_animals", "can"]
    df.to_csv(refs, index=False)
    homes = pd.read_csv(plcs, dtype=str, keep_default_na=False).assign(has_pets="Y")
    homes.to_csv(plcs, index=False)
    config = tmp_path / "config.toml"
    config.write_text(f"[matching]\nharm_animals_excludes_pets = {str(excludes).lower()}\n")
    said = ("the safer reading applies: no home with pets is proposed (rule 13)"
            if excludes else "rule 13 is switched off ([matching] harm_animals_excludes_pets "
            "= false), so a home with pets may be proposed")  # fmt: skip
    checked = CliRunner().invoke(main, ["validate", str(refs), "--config", str(config),
                                        "--date", RUN_DATE])  # fmt: skip
    assert said in checked.output and ("safer reading" in checked.output) == excludes
    code, out = _cli("--referrals", str(refs), "--placements", str(plcs), "--config",
                     str(config), "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 0, out
    assert said in out and ("safer reading" in out) == excludes
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    (note,) = [n for n in summary["input_notes"] if n["code"] == "pets_harm_animals"]
    assert said in note["note"]
    placed = set(pd.read_csv(tmp_path / "out" / "matches.csv")["child_id"])
    assert ("C3" in placed) != excludes
