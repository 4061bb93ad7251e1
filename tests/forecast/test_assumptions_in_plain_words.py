"""The forecast workbook's Assumptions sheet as a commissioner reads it: 'Simulated paths
1000' had no thousands separator, and 'Entry overdispersion (gamma shape)' or 'Shrinkage
(pseudo-events)' nothing to say what they mean. The technical names stay, a column of
plain words beside them; assumptions.csv keeps its two columns as they were."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from openpyxl import load_workbook

from sufficiency.commands.forecast import forecast
from sufficiency.forecast.assumption_words import PLAIN, with_plain_words

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
TECHNICAL = (
    "Entry overdispersion (gamma shape)",
    "Shrinkage (pseudo-events)",
    "Rate drift between paths (sd, log)",
    "Drift of the entry level (sd a year, log)",
    "Prior scale of the entry drift (sd a year, log)",
)


def test_counts_have_separators_and_technical_terms_plain_words() -> None:
    rate = "Rate of exit: Care order (per child per year)"
    table = pd.DataFrame({
        "item": ["Simulated paths", "Seed", *TECHNICAL, rate],
        "value": ["1000", "2026", "89.7", "5", "0.08", "0.028", "0.2", "0.198"],
    })  # fmt: skip
    out = with_plain_words(table).set_index("item")
    assert out.loc["Simulated paths", "value"] == "1,000"
    assert out.loc["Seed", "value"] == "2026"  # a seed is a label, not a count
    for item in [*TECHNICAL, rate]:
        assert len(out.loc[item, PLAIN].split()) >= 8, item
    assert list(table.columns) == ["item", "value"]  # the report's own table unchanged


def test_the_workbook_sheet_says_them_and_the_csv_keeps_its_columns(tmp_path: Path) -> None:
    args = ["--history", str(SAMPLE / "ssda903"), "--out", str(tmp_path), "--paths", "1000"]
    result = CliRunner().invoke(forecast, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "forecast.xlsx")["Assumptions"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Item", "Value", "In plain words")
    said = {r[0]: r[1:] for r in rows[1:]}
    assert said["Simulated paths"][0] == "1,000"
    for item in ("Entry overdispersion (gamma shape)", "Shrinkage (pseudo-events)"):
        assert item in said and said[item][1], item
    widths = [sheet.column_dimensions[c].width for c in "ABC"]
    assert sum(widths) <= 124  # one A4 landscape page across at full size
    # printed one page wide: the plain words beside their items, not on pages of their own
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and not sheet.col_breaks.brk
    csv = pd.read_csv(tmp_path / "assumptions.csv", dtype=str)
    assert list(csv.columns) == ["item", "value"]
    assert csv.set_index("item").loc["Simulated paths", "value"] == "1000"
