"""Identifiers of 16 digits or more that Excel kept 15 of: named row by row, not merged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sufficiency.forecast.errors import ForecastError
from sufficiency.forecast.states import build_spells
from sufficiency.io.cells import excel_rounded
from sufficiency.io.ssda903 import load_ssda903, read_history

HEADER = ["CHILD", "SEX", "DOB", "ETHNIC"]
EPISODES = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC"]
#: Two children whose identifiers differ past the 15th digit, and what Excel keeps of both.
A, B = "1234567890123456781", "1234567890123456782"
KEPT = "1234567890123460000"


def _rows(ids: list[object]) -> tuple[list[list[object]], list[list[object]]]:
    dobs = ["01/01/2012", "02/02/2013", "03/03/2014"]
    head = [[c, "1", dobs[i], "WBRI"] for i, c in enumerate(ids)]
    eps = [[c, f"0{i + 1}/05/2024", "S", "C2", "N1", "U4", "PR1", "", ""]
           for i, c in enumerate(ids)]  # fmt: skip
    return head, eps


def _csv(d: Path, ids: list[object]) -> None:
    d.mkdir(parents=True)
    head, eps = _rows(ids)
    for name, cols, rows in (("header", HEADER, head), ("episodes", EPISODES, eps)):
        pd.DataFrame(rows, columns=cols).to_csv(d / f"{name}.csv", index=False)


def _workbook(path: Path, ids: list[object]) -> None:
    """A workbook as Excel saves one: the CHILD cells numbers (floats of 15 digits)."""
    from openpyxl import Workbook

    wb = Workbook()
    head, eps = _rows(ids)
    for ws, cols, rows in ((wb.active, HEADER, head), (wb.create_sheet(), EPISODES, eps)):
        ws.append(cols)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True)
    wb.save(path)


def _history(tmp_path: Path, latest: str) -> Path:
    """2024-25 as text (the identifiers whole), 2025-26 as Excel kept them."""
    _csv(tmp_path / "2025", [A, B])
    if latest == "xlsx":
        _workbook(tmp_path / "2026" / "return.xlsx", [float(KEPT), float(KEPT), 777])
    else:
        _csv(tmp_path / "2026", [KEPT, KEPT, "777"])
    return tmp_path


@pytest.mark.parametrize("latest", ["xlsx", "csv"])
def test_identifiers_excel_rounded_are_set_aside_row_by_row_not_merged(tmp_path, latest):
    """Two children of 19-digit identifiers, typed into Excel's number cells, became one
    (1234567890123460000; from the workbook, its binary expansion 1234567890123460096):
    read as one child, their episodes trimmed as overlapping. Each row is named and set
    aside; the child of a short identifier beside them is read."""
    h = read_history(_history(tmp_path, latest))
    assert KEPT not in set(h.episodes["CHILD"]) and KEPT not in set(h.header["CHILD"])
    assert {c for c in h.episodes["CHILD"] if c.startswith("12345678901234")} == {A, B}
    assert "777" in set(h.episodes["CHILD"])
    said = [(p.row, p.action) for p in h.quality.problems if p.code == "excel_rounded"]
    assert sorted(said) == [(2, "row set aside"), (2, "row set aside"),
                            (3, "row set aside"), (3, "row set aside")]  # fmt: skip
    assert "overlapping_episodes" not in {p.code for p in h.quality.problems}
    _, problems = load_ssda903([tmp_path])
    errors = [p for p in problems if p.code == "excel_rounded"]
    assert len(errors) == 4 and {p.value for p in errors} == {KEPT}
    assert all("Excel keeps 15 digits of a number" in p.message for p in errors)


def test_a_history_every_child_of_which_excel_rounded_says_so_when_it_stops(tmp_path):
    """Every identifier rounded: the forecast's refusal says why, not only a count."""
    _workbook(tmp_path / "2026" / "return.xlsx", [float(KEPT), 1.23456789012347e18])
    h = read_history(tmp_path)
    with pytest.raises(ForecastError, match="whose CHILD of 16 digits or more Excel kept 15"):
        build_spells(h)


def test_long_identifiers_whose_digits_are_kept_are_read():
    """A text column of 19-digit identifiers is read as written; a lone 16-digit identifier
    ending in 0 may be genuine (one in ten is) and is read; zero-led text is text."""
    whole = pd.Series([A, B, "1234567890123450000"])
    assert not excel_rounded(whole).any()
    assert not excel_rounded(pd.Series(["1234567890123450", "12345"])).any()
    assert not excel_rounded(pd.Series(["0123456789012340000", "0123456789012350000"])).any()
    rounded = pd.Series(["1234567890123450", "1234567890123460", "1234567890123470", "77"])
    assert excel_rounded(rounded).tolist() == [True, True, True, False]
    # saved from a column formatted with thousands separators
    shown = pd.Series(["1,234,567,890,123,460,000", "1,234,567,890,123,460,000", "7,000"])
    assert excel_rounded(shown).tolist() == [True, True, False]


def test_referrals_child_id_excel_rounded_is_an_error_of_its_row(tmp_path):
    """The same in an identifier of our own contracts (validate, match)."""
    from sufficiency.io.inputs import load_referrals

    p = tmp_path / "r.csv"
    p.write_text("child_id,dob,sex,home_postcode\n"
                 f"{KEPT},01/02/2015,F,\n{KEPT},01/02/2012,M,\nC3,01/02/2013,M,\n")  # fmt: skip
    table, problems = load_referrals(p, default_responsible_la="E10000034")
    errors = sorted((x.row, x.code) for x in problems if x.severity == "error")
    assert errors == [(2, "excel_rounded"), (3, "excel_rounded")]
    assert table["child_id"].tolist()[:2] == [pd.NA, pd.NA]
