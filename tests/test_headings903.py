"""903 tables headed by DfE's names for the fields (``Date episode commenced``), not codes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from sufficiency.errors import InputDataError
from sufficiency.io.aliases903 import ALIASES, BY_KEY
from sufficiency.io.schema import column_key
from sufficiency.io.ssda903 import detect_table, load_ssda903, read_ssda903
from sufficiency.io.ssda903_xml import DFE_TABLES
from sufficiency.validate import classify

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "ssda903"
#: The sample's codes as a council's data request heads them (the fields without a
#: name in words keep their code).
LONG = {
    "DECOM": "Date episode commenced", "RNE": "Reason for new episode", "LS": "Legal status",
    "CIN": "Category of need", "PLACE": "Placement type",
    "PLACE_PROVIDER": "Placement provider", "DEC": "Date episode ceased",
    "REC": "Reason episode ceased", "REASON_PLACE_CHANGE": "Reason for placement change",
    "HOME_POST": "Home postcode", "PL_POST": "Placement postcode", "DOB": "Date of birth",
    "ETHNIC": "Ethnic origin", "DUC": "Date UASC ceased",
}  # fmt: skip
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA1,1,01/01/2012,WBRI,,,\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\nA1,01/05/2025,S,C1,N1,U6,PR1,,\n"


def _headed(root: Path, name: Callable[[str], str]) -> Path:
    """A copy of the sample history, each heading replaced by ``name(heading)``."""
    shutil.copytree(SAMPLE, root)
    for csv in root.rglob("*.csv"):
        head, rest = csv.read_text(encoding="utf-8").split("\n", 1)
        csv.write_text(",".join(name(h) for h in head.split(",")) + "\n" + rest)
    return root


def _one_year(root: Path, episodes: str) -> Path:
    d = root / "2026"
    d.mkdir(parents=True)
    (d / "header.csv").write_text(HEADER)
    (d / "episodes.csv").write_text(episodes)
    return root


def _episodes_said(root: Path, renamed: tuple[str, str]) -> list:
    """What reading a year whose episodes' headings are ``renamed`` says of episodes.csv."""
    _one_year(root, EPISODES.replace(*renamed))
    _, problems = load_ssda903([root])
    return [p for p in problems if p.file.endswith("episodes.csv")]


@pytest.mark.parametrize(
    "name",
    [lambda h: LONG.get(h, h), lambda h: column_key(LONG.get(h, h))],
    ids=["words", "snake_case"],
)
def test_the_sample_headed_by_dfes_names_reads_as_headed_by_codes(tmp_path, name):
    """The sample headed 'Date episode commenced' (or 'date_episode_commenced'), as
    councils' data requests head it, was refused: 'no 903 header or episodes table
    found'. It reads as the sample does, each file said once with what was read as what."""
    clean = read_ssda903(SAMPLE)
    history, problems = load_ssda903([_headed(tmp_path / "h", name)])
    assert history is not None
    assert not [p for p in problems if p.severity == "error"]
    pd.testing.assert_frame_equal(history.episodes, clean.episodes)
    pd.testing.assert_frame_equal(history.header, clean.header)
    pd.testing.assert_frame_equal(history.uasc, clean.uasc)
    said = [p for p in problems if p.code == "heading_alias"]
    files = sorted(str(Path(p.file).relative_to(tmp_path / "h")) for p in said)
    assert files == sorted(f"{y}/{k}.csv" for y in range(2021, 2027)
                           for k in ("episodes", "header", "uasc"))  # fmt: skip
    episodes = next(p for p in said if p.file.endswith("2026/episodes.csv"))
    assert f"'{name('DECOM')}' as DECOM, " in episodes.message
    assert f"'{name('PL_POST')}' as PL_POST" in episodes.message
    assert episodes.severity == "warning"


def test_child_id_is_still_named_not_read(tmp_path):
    """With every other heading in words, 'child_id' is not taken for CHILD (a system's
    own person number may not be the 903 identifier): the table is named as the episodes
    table, with the heading to rename; it was 'not a 903 table; skipped'."""
    said = _episodes_said(tmp_path, ("CHILD,DECOM,", "child_id,Date episode commenced,"))
    assert [(p.code, p.column, p.severity) for p in said] == [
        ("no_child_column", "child_id", "error")
    ]
    assert said[0].message.startswith("has the 903 episodes table's columns (DECOM, RNE")
    assert "'child_id' looks like CHILD: rename it CHILD" in said[0].message


@pytest.mark.parametrize(
    ("heading", "field"),
    [("Date episode ceasd", "DEC"), ("Placement types", "PLACE"), ("Legal statu", "LS")],
)
def test_a_heading_close_to_a_missing_field_is_named_not_dropped(tmp_path, heading, field):
    """A heading near a field's name but not one this tool knows is an error naming the
    file, the heading and the field, the table not read; 'Date episode ceasd' was read
    as an extra column and every episode as open."""
    _one_year(tmp_path, EPISODES.replace(f",{field},", f",{heading},"))
    with pytest.raises(InputDataError) as exc:
        read_ssda903(tmp_path)
    said = [p for p in exc.value.problems if p.code == "heading_lookalike"]
    assert [(Path(p.file).name, p.column) for p in said] == [("episodes.csv", heading)]
    assert f"'{heading}' looks like {field}" in said[0].message


def test_a_table_known_only_by_a_close_heading_is_named_not_skipped(tmp_path):
    """'Date episode comenced' for DECOM: the table, skipped as 'not a 903 table' (the
    history then had no episodes), is named with the heading and the field."""
    said = _episodes_said(tmp_path, (",DECOM,", ",Date episode comenced,"))
    assert [(p.code, p.column, p.severity) for p in said] == [
        ("heading_lookalike", "Date episode comenced", "error")
    ]
    assert said[0].message.startswith("is not read as the 903 episodes table: ")
    assert "'Date episode comenced' looks like DECOM" in said[0].message


@pytest.mark.parametrize(
    ("heads", "named"),
    [
        ("PL,Placement type", "'PL' and 'Placement type' both give PLACE"),
        ("Placement type,placement_type", "'Placement type' and 'placement_type' both give"),
    ],
)
def test_a_field_given_twice_is_not_read(tmp_path, heads, named):
    """Two headings naming one field: neither is chosen silently."""
    rows = EPISODES.replace(",PLACE,", f",{heads},").replace(",U6,", ",U6,U6,")
    _one_year(tmp_path, rows)
    _, problems = load_ssda903([tmp_path])
    said = [p for p in problems if p.code == "heading_twice"]
    assert len(said) == 1 and named in said[0].message
    assert said[0].severity == "error" and said[0].file.endswith("episodes.csv")


def test_a_single_long_form_file_is_taken_for_903(tmp_path):
    """validate's check of one file: an episodes table in words is a 903 table."""
    path = tmp_path / "episodes.csv"
    path.write_text(EPISODES.replace("DECOM,RNE,LS", "Date episode commenced,RNE,Legal status"))
    assert classify(path) == "903"
    assert detect_table(["CHILD", "date_episode_commenced", "legal_status"]) == "episodes"


def test_each_alias_names_one_field_of_a_table_read():
    """The documented list: each alias a different heading from every field's code, and
    the field one of header, episodes or uasc's."""
    read = {c for k in ("header", "episodes", "uasc") for c in DFE_TABLES[k]}
    codes = {c.lower() for cols in DFE_TABLES.values() for c in cols}
    assert set(ALIASES.values()) <= read
    assert len(BY_KEY) == len(ALIASES) and not set(BY_KEY) & codes


def test_a_fields_code_beside_its_name_in_words_reads_the_code(tmp_path):
    """An export giving PLACE's code and, beside it, 'Placement type' (its label in words)
    was read before the names in words were known; it is not refused for them now: PLACE
    is read and the other column said."""
    rows = EPISODES.replace(",PLACE,", ",PLACE,Placement type,").replace(
        ",U6,", ",U6,Foster placement with other foster carer,"
    )
    _one_year(tmp_path, rows)
    history, problems = load_ssda903([tmp_path])
    assert history is not None
    assert not [p for p in problems if p.severity == "error"]
    assert list(history.episodes["PLACE"]) == ["U6"]
    said = [p for p in problems if p.code == "heading_beside"]
    assert [(p.column, p.severity) for p in said] == [("Placement type", "warning")]
    assert "PLACE is read, 'Placement type' is not" in said[0].message
