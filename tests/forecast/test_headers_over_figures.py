"""forecast.xlsx's headers sit over their figures: right-aligned over numbers and months,
left over words."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sufficiency.commands.forecast import forecast

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    out = tmp_path_factory.mktemp("heads")
    args = ["--history", str(SAMPLE / "ssda903"), "--out", str(out), "--paths", "20",
            "--date", "2026-04-01"]  # fmt: skip
    result = CliRunner().invoke(forecast, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out / "forecast.xlsx")


def test_headers_over_figures_are_right_aligned(book: openpyxl.Workbook) -> None:
    """The Summary's "Mean", "Lower (P10)"... printed left-aligned over right-aligned
    counts, each header over the gap before its figures (render of the sample's Summary)."""
    ws = book["Summary"]
    (row,) = [r for r in range(1, 10) if ws.cell(row=r, column=1).value == "Month"]
    heads = {c.value: c for c in ws[row] if isinstance(c.value, str)}
    assert {"Month", "Mean", "Lower (P10)"} <= set(heads)
    for name in ("Month", "Mean", "Lower (P10)", "Upper (P90)"):
        assert heads[name].alignment.horizontal == "right", name
        assert heads[name].alignment.wrap_text, name
    # a column of words keeps its header left: Assumptions' items
    items = book["Assumptions"].cell(row=1, column=1)
    assert items.alignment.horizontal in (None, "left", "general")
