"""region.csv is UTF-8 without a byte-order mark, as every CSV the package writes: a
dashboard reads it by its column names, and a BOM would be read into the first one by
Python's csv module and R's read.csv. A name such as Ynys Môn reads whole in pandas, in
csv, in Excel's UTF-8 import (utf-8-sig) and in region.xlsx."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from sufficiency.region.members import Member, Region
from sufficiency.region.run import RegionResult
from sufficiency.region.specs import MemberFailure

NAME = "Ynys Môn – Cyngor Sir"


def test_region_csv_reads_a_name_with_accents_whole_by_its_column_names(tmp_path: Path) -> None:
    """No BOM; pandas, csv (utf-8) and Excel's UTF-8 import (utf-8-sig) read the name."""
    member = Member("E99000001", NAME, tmp_path)
    failed = MemberFailure("E99000001", NAME, "base", "Its 903 history could not be read.")
    result = RegionResult(Region("Gogledd Cymru", (member,)), ("base",), 1, (), (), None,
                          (failed,))  # fmt: skip
    result.write(tmp_path / "out")
    raw = (tmp_path / "out" / "region.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    with open(tmp_path / "out" / "region.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert next(iter(rows[0])) == "member_code"
    assert {r["member_name"] for r in rows if r["member_code"] == "E99000001"} == {NAME}
    for encoding in ("utf-8", "utf-8-sig"):
        frame = pd.read_csv(tmp_path / "out" / "region.csv", encoding=encoding)
        assert frame.loc[frame["member_code"] == "E99000001", "member_name"].iloc[0] == NAME
    book = load_workbook(tmp_path / "out" / "region.xlsx")
    cells = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert NAME in cells
