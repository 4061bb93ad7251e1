"""A budget given per quarter: a row per cost line and quarter."""

from __future__ import annotations

from sufficiency.finance.inputs import budget_for_run
from sufficiency.forecast import CATEGORIES


def test_a_line_s_four_quarters_are_added_up_to_its_year(tmp_path):
    """The quarter column was "ignored" and the four rows of each line were "budget line
    appears twice": every row set aside, the spend compared with no budget."""
    path = tmp_path / "budget.csv"
    path.write_text(
        "financial_year,cost_line,quarter,budget_gbp\n"
        + "".join(f"2026-27,all,Q{q},18500000\n" for q in (1, 2, 4))
        + "2026-27,all,Qtr 3,£18.5m\n"
        + "".join(f"2026-27,IFA,Quarter {q},2750000\n" for q in (1, 2, 3, 4))
    )
    table, notes = budget_for_run(path, CATEGORIES)
    assert table[["cost_line", "budget_gbp"]].values.tolist() == [
        ["all", 74_000_000.0], ["ifa_foster", 11_000_000.0]
    ]  # fmt: skip
    assert "month_profile" not in table.columns  # straight-line, as a budget by year
    said = next(n for n in notes if "by quarter" in n)
    assert "(rows 2, 3, 4, 5; rows 6, 7, 8, 9)" in said, said
    assert not any("set aside" in n for n in notes), notes


def test_a_line_short_of_a_quarter_is_named_not_added_up(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text(
        "financial_year,cost_line,quarter,budget_gbp\n"
        + "".join(f"2026-27,all,Q{q},18500000\n" for q in (1, 2, 3, 3))
        + "".join(f"2026-27,ifa_foster,Q{q},{'tbc' if q == 2 else 2750000}\n" for q in (1, 2, 3, 4))
    )
    table, notes = budget_for_run(path, CATEGORIES)
    assert table.empty
    said = next(n for n in notes if "set aside" in n)
    assert (
        "row 2: quarter: the budget by quarter of this line gives the quarters Q1, Q2, "
        "Q3, Q3, not Q1 to Q4 once each: its year's budget cannot be added up"
    ) in said
    assert (
        "row 6: quarter: the budget by quarter of this line has a quarter whose figure "
        "is not a number"
    ) in said
    assert said.startswith("budget.csv: 8 budget rows set aside for errors")
