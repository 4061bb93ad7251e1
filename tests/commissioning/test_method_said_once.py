"""The commissioning workbook's Method sheet says the forecast start once: the run's own
row ("Forecast start: 31 March 2026") and the forecast's settings ("Forecast start:
31/03/2026") both gave it, in two spellings, one under the other."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from openpyxl import load_workbook

from sufficiency.commissioning.levers import parse_levers
from sufficiency.commissioning.report import commission
from sufficiency.commissioning.writers import write_outputs
from sufficiency.config import CommissioningParams
from sufficiency.figures import day

from .conftest import make_forecast, tiny_levers_data


def test_the_method_sheet_says_the_forecast_start_once_as_people_write_it(tmp_path):
    """The forecast's settings give the start as ISO (as its assumptions.csv keeps it)."""
    params = CommissioningParams(horizon_months=12, mip_gap=0.0, sensitivity_steps=())
    report = commission(
        make_forecast(10, 12, 1), make_forecast(10, 12, 2), parse_levers(tiny_levers_data()), params
    )
    start = pd.Timestamp(report.start)
    iso = f"{start:%Y-%m-%d}"
    about = pd.DataFrame({"item": ["Forecast start", "Reference window"],
                          "value": [iso, f"2023-03-31 to {iso}"]})  # fmt: skip
    write_outputs(replace(report, forecast_assumptions=about), tmp_path)
    rows = list(load_workbook(tmp_path / "commissioning.xlsx")["Method"].values)
    starts = [r[1] for r in rows if r[0] == "Forecast start"]
    assert starts == [day(start)]
    assert ("Reference window", f"31 March 2023 to {day(start)}") in [r[:2] for r in rows]
