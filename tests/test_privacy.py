"""No date of birth or postcode of a referred child leaks into outputs or logs."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd

from sufficiency.nightly import EXIT_OK, run_nightly


def _texts(folder: Path) -> dict[str, str]:
    """Every output's text: CSV/JSON/HTML/logs as read, workbooks as their XML parts."""
    out = {}
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        if f.suffix == ".xlsx":
            with zipfile.ZipFile(f) as z:
                out[str(f)] = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        else:
            out[str(f)] = f.read_text(encoding="utf-8", errors="replace")
    return out


def _personal_strings(sample_dir: Path) -> set[str]:
    """The referrals' dates of birth (several spellings) and home and school postcodes."""
    ref = pd.read_csv(sample_dir / "referrals.csv", dtype=str, keep_default_na=False)
    found: set[str] = set()
    for dob in ref["dob"]:
        d = dt.datetime.strptime(dob, "%d/%m/%Y").date()
        found |= {dob, d.isoformat(), d.strftime("%d-%m-%Y")}
    for col in ("home_postcode", "school_postcode"):
        for pc in ref[col]:
            if pc:
                found |= {pc, pc.replace(" ", "")}
    return found


def test_nightly_outputs_and_logs_hold_no_dob_or_postcode(tmp_path, sample_dir):
    """Run validate, match and spend over the sample; scan every output and the log."""
    cfg = tmp_path / "nightly.toml"
    cfg.write_text(
        "[nightly]\n"
        'jobs = ["validate", "match", "spend"]\n'
        'output_dir = "out/{date}"\n'
        f'referrals = "{sample_dir / "referrals.csv"}"\n'
        f'placements = "{sample_dir / "placements.csv"}"\n'
        f'history = "{sample_dir / "ssda903"}"\n'
        f'budget = "{sample_dir / "budget.csv"}"\n'
        f'store = "sqlite:///{tmp_path / "runs.sqlite"}"\n'
        'log_format = "json"\nlog_file = "logs/nightly.log"\n'
        "[forecast]\nnum_paths = 100\n"
    )
    report = run_nightly(cfg, dt.date(2026, 4, 1))
    assert report.exit_code == EXIT_OK, report.messages
    texts = _texts(tmp_path / "out") | _texts(tmp_path / "logs")
    assert any(name.endswith("matches.csv") for name in texts)
    personal = _personal_strings(sample_dir)
    leaks = sorted((name, s) for name, text in texts.items() for s in personal if s in text)
    assert leaks == []


def _history_with(tmp_path: Path, sample_dir: Path, header_rows, episode_rows) -> Path:
    """A copy of the sample's 903 history with rows added to its 2025-26 return."""
    import shutil

    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    for name, rows in (("header.csv", header_rows), ("episodes.csv", episode_rows)):
        path = history / "2026" / name
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        first = table.iloc[0].to_dict()
        added = pd.DataFrame([{**first, "DEC": "", "REC": "", **r} for r in rows])
        pd.concat([table, added], ignore_index=True).to_csv(path, index=False)
    return history


def test_pseudonymised_validation_names_no_set_aside_child(tmp_path, sample_dir, monkeypatch):
    """A child whose episodes are set aside (born after an episode starts; no valid date of
    birth, with overlapping episodes) is quoted by ID in validate's problems: on a
    pseudonymised night that ID was left as it was in validation.json and the log (only
    the IDs of children kept, and of child-ID columns, were replaced)."""
    from sufficiency.pseudonymise import pseudonym

    born_late, no_dob = "991001", "991002"
    history = _history_with(
        tmp_path, sample_dir,
        [{"CHILD": born_late, "DOB": "15/10/2025"}, {"CHILD": no_dob, "DOB": "31/02/2012"}],
        [{"CHILD": born_late, "DECOM": "01/06/2025"},
         {"CHILD": no_dob, "DECOM": "01/06/2025", "DEC": "01/09/2025"},
         {"CHILD": no_dob, "DECOM": "01/08/2025"}],
    )  # fmt: skip
    cfg = tmp_path / "nightly.toml"
    cfg.write_text(
        '[nightly]\njobs = ["validate"]\noutput_dir = "out/{date}"\n'
        f'history = "{history}"\nstore = "sqlite:///{tmp_path / "runs.sqlite"}"\n'
        'log_format = "json"\nlog_file = "logs/nightly.log"\npseudonymise = true\n'
    )
    key = "a-secret-key-of-some-length"
    monkeypatch.setenv("SUFFICIENCY_PSEUDONYM_KEY", key)
    report = run_nightly(cfg, dt.date(2026, 4, 1))
    assert report.exit_code == EXIT_OK, report.messages
    texts = _texts(tmp_path / "out") | _texts(tmp_path / "logs")
    validation = next(t for name, t in texts.items() if name.endswith("validation.json"))
    for child in (born_late, no_dob):
        assert pseudonym(child, key.encode()) in validation
        assert not [name for name, t in texts.items() if child in t], child


def test_register_current_ages_quote_no_date_of_birth(tmp_path, sample_dir):
    """current_ages holds the ages of the children living in a home: a date of birth or a
    name typed there was quoted whole in validate's error and the match outputs' set-aside
    list ('must be a semicolon list of whole-year ages, e.g. 7;12 (value '13/07/2011')');
    its shape is shown instead."""
    from sufficiency.io.inputs import load_placements

    table = pd.read_csv(sample_dir / "placements.csv", dtype=str, keep_default_na=False)
    table.loc[0, "current_ages"] = "13/07/2011"
    table.loc[1, "current_ages"] = "Zebedee Quaxworth"
    path = tmp_path / "placements.csv"
    table.to_csv(path, index=False)
    _, problems = load_placements(path)
    ages = [p for p in problems if p.column == "current_ages"]
    assert [p.value for p in ages] == ["99/99/9999", "AAAAAAA AAAAAAAAA"]
    text = "\n".join(p.describe() for p in problems)
    assert "13/07/2011" not in text and "Quaxworth" not in text


def test_a_referrals_file_without_its_header_row_lists_no_cells(tmp_path, sample_dir):
    """A referrals export whose header row was left out: its first row, a child's details,
    was read as the column names and each listed as an unknown column ('column Zebedee
    Quaxworth: unknown column for a referrals file; it is ignored', with the address, NHS
    number and date of birth). One sentence now says so, naming no cell."""
    from sufficiency.errors import InputDataError
    from sufficiency.io.inputs import load_referrals

    lines = (sample_dir / "referrals.csv").read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    personal = {first[1], first[3], "Zebedee Quaxworth", "17 Marmalade Lane"}
    path = tmp_path / "referrals.csv"
    path.write_text(
        "\n".join(f"{line},Zebedee Quaxworth,17 Marmalade Lane" for line in lines[1:6]) + "\n"
    )
    _, problems = load_referrals(
        path, default_responsible_la="E10000034", run_date=dt.date(2026, 4, 1)
    )
    text = str(InputDataError(problems))
    assert [s for s in personal if s in text] == []
    assert "add the header row" in text


def test_a_bad_value_in_a_childs_own_details_is_shown_by_its_shape(tmp_path, sample_dir):
    """A value that is not an accepted code in a column describing the child themselves
    (a referral's risks, communication, adaptations, deprivation of liberty and sex; a
    903 return's SEX, ETHNIC, MOTHER, LS, CIN, REC and REASON_PLACE_CHANGE, and uasc's DUC,
    most often the 18th birthday) was quoted whole ('column risks: lists a value that is not
    one of: ... (value 'cse;suicidal_Quaxworth')'); its shape is shown instead, with the
    file, row and column. So is a placement code (PLACE) typed wrong: a child's episode's
    cell may hold free text about them (tests/test_privacy_canaries.py)."""
    import shutil

    from sufficiency.validate import validate_paths

    ref = pd.read_csv(sample_dir / "referrals.csv", dtype=str, keep_default_na=False)
    personal = {
        ("risks", 0): "cse;suicidal_Quaxworth", ("communication", 1): "Quaxworth signs",
        ("adaptations", 2): "wheelchair Quaxworth", ("dolo", 3): "Yes Quaxworth order",
        ("sex", 4): "Quaxworth",
    }  # fmt: skip
    for (column, row), value in personal.items():
        ref.loc[row, column] = value
    ref.to_csv(tmp_path / "referrals.csv", index=False)
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    planted = {
        "header": {"SEX": "Quaxworth", "ETHNIC": "White Quaxworth", "MOTHER": "Quaxworth"},
        "episodes": {"LS": "Quaxworth", "CIN": "Quaxworth", "REC": "Quaxworth",
                     "REASON_PLACE_CHANGE": "Quaxworth", "PLACE": "Z9"},
        "uasc": {"DUC": "03/05/20288"},
    }  # fmt: skip
    for name, cells in planted.items():
        path = history / "2026" / f"{name}.csv"
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        for i, (column, value) in enumerate(cells.items()):
            table.loc[i, column] = value
        table.to_csv(path, index=False)
    report = validate_paths(
        [tmp_path / "referrals.csv", history],
        run_date=dt.date(2026, 4, 1),
        default_responsible_la="E10000034",
    )
    flagged = {p.column for p in report.problems if p.severity == "error"}
    assert {"risks", "communication", "adaptations", "dolo", "sex"} <= flagged
    assert {"SEX", "ETHNIC", "MOTHER", "LS", "CIN", "REC", "REASON_PLACE_CHANGE", "DUC"} <= flagged
    text = "\n".join(p.describe() for p in report.problems)
    assert "Quaxworth" not in text and "20288" not in text
    assert "(value 'A9')" in text


def test_a_date_of_birth_out_of_pandas_range_is_an_error_not_a_traceback(tmp_path, sample_dir):
    """A date of birth with a mistyped year out of pandas' range (1211-07-13 for 2011) stopped
    match and validate with a traceback ending 'OutOfBoundsDatetime: Out of bounds nanosecond
    timestamp: 1211-07-13 00:00:00', the child's date of birth on screen. It is an error on
    its row, by its shape."""
    from sufficiency.io.inputs import load_referrals

    ref = pd.read_csv(sample_dir / "referrals.csv", dtype=str, keep_default_na=False)
    ref.loc[0, "dob"] = "1211-07-13"
    ref.loc[1, "dob"] = "13/07/1211"
    path = tmp_path / "referrals.csv"
    ref.to_csv(path, index=False)
    _, problems = load_referrals(
        path, default_responsible_la="E10000034", run_date=dt.date(2026, 4, 1)
    )
    dob = [(p.row, p.value) for p in problems if p.column == "dob"]
    # both rows are errors, their values shown by shape only (the dates reader may write
    # the ISO form day first before the check)
    assert [row for row, _ in dob] == [2, 3]
    assert all(set(value) <= set("9-/") for _, value in dob), dob
    assert "1211" not in "\n".join(p.describe() for p in problems)
