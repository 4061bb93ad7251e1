"""903 codes written with their descriptions, as case systems' reports write them
(sufficiency.io.code_labels): read as the codes, each column said."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np

from sufficiency.forecast.states import build_spells
from sufficiency.io.ssda903 import load_ssda903, read_history

NAMES = {
    "PLACE": {"U1": "Foster placement with relative or friend - long term fostering",
              "U4": "Foster placement with other foster carer - long term fostering",
              "U6": "Foster placement with other foster carer - not long term or FFA",
              "K2": "Children's Homes", "P1": "Placed with own parents"},
    "PLACE_PROVIDER": {"PR1": "Own provision (by the LA)", "PR4": "Private provision",
                       "PR5": "Voluntary/third sector provision"},
    "LS": {"C2": "Full care order", "V3": "Single short break", "C1": "Interim care order"},
    "RNE": {"S": "Started to be looked after", "P": "Change of placement and carer(s) only"},
}  # fmt: skip
#: How reports write a code and its description: code first, or the description first.
FORMS = ("{code} - {name}", "{code}: {name}", "{code} {name}", "{name} ({code})")


def _describe(path: Path) -> int:
    """Write each code of ``path`` (an episodes file) with its description, in turn in
    each of :data:`FORMS`; the number of cells so written."""
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    n = 0
    for i, row in enumerate(rows):
        for column, names in NAMES.items():
            code = row[column]
            if code:
                name = names.get(code, "Other")
                row[column] = FORMS[(i + n) % len(FORMS)].format(code=code, name=name)
                n += 1
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return n


def test_codes_with_their_descriptions_are_read_as_the_codes(tmp_path, sample_dir):
    """The sample's 2025-26 episodes with PLACE, PLACE_PROVIDER, LS and RNE written as a
    case system's report writes them ('U6 - Foster placement...', 'PR4: Private
    provision', 'C2 Full care order', 'Private provision (PR4)'). Before, every
    placement of the year was counted as other (1,857 'unknown placement type' findings),
    every provider as none given, and validate refused 7,000 cells; now the history read
    is the clean sample's, and validate warns once per column, naming it."""
    folder = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", folder)
    assert _describe(folder / "2026" / "episodes.csv") > 7000
    messy, clean = read_history(folder), read_history(sample_dir / "ssda903")
    columns = ["CHILD", "DECOM", "DEC", "RNE", "LS", "PLACE", "PLACE_PROVIDER"]
    assert messy.episodes[columns].equals(clean.episodes[columns])
    a, b = build_spells(messy).spells, build_spells(clean).spells
    assert np.array_equal(a["category"], b["category"]) and a["kind"].equals(b["kind"])
    assert {p.code for p in messy.quality.problems} == {"code_labels"}
    _, problems = load_ssda903([folder])
    assert not [p for p in problems if p.severity == "error"]
    said = [p for p in problems if p.code == "code_labels"]
    assert sorted(p.column for p in said) == ["LS", "PLACE", "PLACE_PROVIDER", "RNE"]
    assert {(Path(p.file).parent.name, p.row) for p in said} == {("2026", 2)}
    assert all("description" in p.message and "read as the code" in p.message for p in said)


def test_a_short_break_written_with_its_description_is_no_child_looked_after(tmp_path):
    """'V3 - Single short break' read as written was an unknown legal status, counted as
    a care order: the child on a short break counted as looked after on 31 March. Read
    as V3, they are not; a value that gives no code of its column is left as written (an
    unknown placement, counted as other), and SEX written as a word is read as its code."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
                                  "100001,Male,01/01/2012,WBRI - White British,,,\n"
                                  "100002,Female,01/01/2013,WBRI,,,\n")  # fmt: skip
    (d / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,URN\n"
        "100001,01/05/2025,S - Started to be looked after,V3 - Single short break,N2,"
        "U6 - Foster placement with other foster carer,PR1,,,,,,\n"
        "100002,01/05/2025,S,C2,N1,Foster placement,PR1,,,,,,\n"
    )  # fmt: skip
    h = read_history(tmp_path)
    assert h.quality.num_looked_after == 1
    ep = h.episodes.set_index("CHILD")
    assert ep.loc["100001", ["RNE", "LS", "PLACE"]].tolist() == ["S", "V3", "U6"]
    assert ep.loc["100002", "PLACE"] == "FOSTER PLACEMENT"  # not a code: as written
    _, problems = load_ssda903([tmp_path])
    assert [(p.column, p.row) for p in problems if p.severity == "error"] == [("PLACE", 3)]
    said = {p.column: p.message for p in problems if p.code == "code_labels"}
    assert set(said) == {"SEX", "ETHNIC", "RNE", "LS", "PLACE"}
    assert said["SEX"] == (
        "2 row(s) from this one give SEX written as a word (Male, Female), read as its code (1, 2)"
    )


def test_an_empty_code_cell_written_as_a_dash_is_blank(tmp_path):
    """A report writes an open episode's REC (and an empty REASON_PLACE_CHANGE) as '-':
    validate refused each such row ('must be one of: E11, ...'). Read as blank, with one
    warning naming the columns; a dash in a required code (PLACE) is still an error."""
    d = tmp_path / "2026"
    d.mkdir()
    (d / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
                                  "100001,1,01/01/2012,WBRI,,,\n"
                                  "100002,2,01/01/2013,-,,,\n")  # fmt: skip
    (d / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,URN\n"
        "100001,01/05/2025,S,C2,N1,U4,PR1,01/08/2025,X1,CARPL,,,\n"
        "100001,01/08/2025,P,C2,N1,U6,PR4,,-,\u2013,,,\n"
        "100002,01/05/2025,S,C2,N1,-,PR1,,N/A,-,,,\n"
    )  # fmt: skip
    _, problems = load_ssda903([tmp_path])
    assert [(p.row, p.column) for p in problems if p.severity == "error"] == [(4, "PLACE")]
    said = sorted(p.message for p in problems if p.code == "null_blanks")
    assert said == [
        "writes empty cells as - (in ETHNIC), as reports do; read as blank",
        "writes empty cells as - (in PLACE, REC, REASON_PLACE_CHANGE), as reports do; read "
        "as blank",
    ]
