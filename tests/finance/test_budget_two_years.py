"""A budget grid whose months across run over two financial years (Apr-26 ... Mar-28)."""

from __future__ import annotations

import pytest

from sufficiency.errors import InputDataError
from sufficiency.finance.inputs import budget_for_run
from sufficiency.forecast import CATEGORIES

from .budget_book import budget_workbook as _workbook

MONTHS = [f"{m}-{y}" for y, ms in ((26, "Apr May Jun Jul Aug Sep Oct Nov Dec"),
          (27, "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"), (28, "Jan Feb Mar"))
          for m in ms.split()]  # fmt: skip


def test_each_month_is_read_as_its_year_s(tmp_path):
    """Refused before: 'the months across are not one financial year's twelve'."""
    first = [5e6] * 6 + [7e6] * 6
    path = _workbook(tmp_path / "budget.xlsx", [
        ["Cost line", *MONTHS, "Total"],
        ["All", *first, *[6.5e6] * 12, 150e6],
        ["IFA", *[1e6] * 24, 24e6],
    ])  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    got = table.sort_values(["financial_year", "cost_line"])
    assert got[["financial_year", "cost_line", "budget_gbp"]].values.tolist() == [
        ["2026-27", "all", 72e6], ["2026-27", "ifa_foster", 12e6],
        ["2027-28", "all", 78e6], ["2027-28", "ifa_foster", 12e6],
    ]  # fmt: skip
    assert got["month_profile"].iloc[0] == tuple(first)
    assert notes[0] == (f"{path}: gives 24 months across (Apr-26 to Mar-28), 2 financial "
                        "years: each month is read as its year's (2026-27, 2027-28)")  # fmt: skip


def test_a_grid_short_of_a_month_in_its_second_year_is_still_refused(tmp_path):
    path = _workbook(tmp_path / "budget.xlsx", [["Cost line", *MONTHS[:-1]],
                                                ["All", *[6e6] * 23]])  # fmt: skip
    with pytest.raises(InputDataError) as err:
        budget_for_run(path, CATEGORIES)
    assert "not one financial year's twelve" in err.value.problems[0].message
