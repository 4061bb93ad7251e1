"""Money as a council's finance team writes it: £74m, £1.2k, 11 000 000, £(1,234)."""

from __future__ import annotations

import pandas as pd

from sufficiency.config import FinanceParams
from sufficiency.finance.inputs import budget_for_run, costs_for_run
from sufficiency.finance.report import default_costs
from sufficiency.forecast import CATEGORIES
from sufficiency.io.money import read_money
from sufficiency.io.schema import Field, TableSchema, check_table
from sufficiency.io.tables import frame_table

NBSP = "\u00a0"


def test_a_budget_in_millions_spaces_and_accounting_brackets_is_read(tmp_path):
    """The sample's budget written as finance writes it (£74m, 11 000 000 with spaces and
    with non-breaking spaces, 77.5M, £(1,234) as Excel's accounting format shows a
    negative) had every row "not a number": the spend was compared with no budget. Each
    is read; the figures read from a multiplier are named with their rows."""
    path = tmp_path / "budget.csv"
    path.write_text(
        "financial_year,cost_line,budget_gbp\n2026-27,all,£74m\n"
        '2026-27,ifa_foster,"11 000 000"\n2026-27,external_residential,£38.5m\n'
        f'2026-27,in_house_foster,"£8{NBSP}200{NBSP}000"\n2027-28,all,77.5M\n'
        '2027-28,ifa_foster,"£(1,234)"\n2027-28,in_house_foster,£(1.2k)\n',
        encoding="utf-8",
    )
    table, notes = budget_for_run(path, CATEGORIES)
    assert table["budget_gbp"].tolist() == [
        74_000_000.0, 11_000_000.0, 38_500_000.0, 8_200_000.0, 77_500_000.0, -1_234.0, -1_200.0
    ]  # fmt: skip
    assert not any("set aside" in n for n in notes), notes
    said = next(n for n in notes if "multiplier" in n)
    assert "row 2 '£74m' as £74,000,000.00" in said
    assert "row 6 '77.5M' as £77,500,000.00" in said
    assert "row 8 '£(1.2k)' as -£1,200.00" in said
    assert "row 3" not in said  # spaces between thousands are not a multiplier: not doubted
    assert any("row 7 (2027-28 IFA foster care: £(1,234))" in n for n in notes), notes


def test_a_cost_file_s_weekly_cost_in_thousands_is_read(tmp_path):
    """A weekly cost of £5.2k was "not a number" and the category kept the
    configuration's cost; it is £5,200 a week, said in a note."""
    path = tmp_path / "costs.csv"
    path.write_text("category,weekly_cost\nexternal_residential,£5.2k\nifa_foster,1 050\n")
    costs, _, notes = costs_for_run(path, CATEGORIES, default_costs(FinanceParams()))
    assert costs.weekly_cost_gbp["external_residential"] == 5_200.0
    assert costs.weekly_cost_gbp["ifa_foster"] == 1_050.0
    assert any("row 2 '£5.2k' as £5,200.00" in n for n in notes), notes


def test_a_multiplier_is_read_only_as_money():
    """'2.5m' outside a money column (a number of months, say) is not 2.5 million: the
    number check names it as before."""
    schema = TableSchema(name="t", fields=(Field("months", "number", "Months.", required=True),))
    raw = frame_table(pd.DataFrame({"months": ["2.5m", "1 000"]}), "t")
    _, problems = check_table(raw, schema)
    assert [(p.row, p.message) for p in problems] == [
        (0, "is not a number"),
        (1, "is not a number"),
    ]


def test_what_is_read_as_money_and_what_is_left():
    assert read_money("£74m") == ("74000000", True)
    assert read_money("-£2.5M") == ("-2500000", True)
    assert read_money("£1.2k") == ("1200", True)
    assert read_money("1.5bn") == ("1500000000", True)
    assert read_money(f"1{NBSP}000{NBSP}000") == ("1000000", False)
    assert read_money("1\u202f234.50") == ("1234.5", False)
    for left in ("1 00", "2.5 months", "£1,234.50", "m", "-£-2m", "1 000,5", "12 000 00"):
        assert read_money(left) is None, left
