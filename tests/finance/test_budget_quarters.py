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
    # the profile follows the quarters, a third of each a month (Q3's £18.5m as written)
    assert table["month_profile"].tolist() == [
        (6_166_666.67, 6_166_666.67, 6_166_666.66) * 4,
        (916_666.67, 916_666.67, 916_666.66) * 4,
    ]
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


def test_the_budget_profile_follows_the_quarters(tmp_path):
    """Spread evenly through the year before: £18.5m to the end of June, where finance's
    quarters profiled £20m."""
    path = tmp_path / "budget.csv"
    path.write_text("financial_year,cost_line,quarter,budget_gbp\n"
                    + "".join(f"2026-27,all,Q{q},{f}\n" for q, f in
                              ((4, 17e6), (1, 20e6), (2, 18e6), (3, 19e6))))  # fmt: skip
    table, notes = budget_for_run(path, CATEGORIES)
    profile = table["month_profile"].iloc[0]
    assert table["budget_gbp"].tolist() == [74e6]
    assert [round(sum(profile[:k]), 2) for k in (3, 6, 9, 12)] == [20e6, 38e6, 57e6, 74e6]
    said = next(n for n in notes if "by quarter" in n)
    assert said.endswith("profile following its quarters, each spread evenly over its three "
                         "months"), said  # fmt: skip
