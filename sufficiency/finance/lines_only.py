"""A budget of cost lines only, with no whole placements line, said where the year's total is.

A finance team's budget sheet often gives each cost line (IFA foster care, external
residential, ...) and no line for all placements. Each line was compared on the Budget
sheet, but the Summary's row for the year left Budget, Variance and Probability of
overspend blank, and the console's headline gave the year's spend with no word of the
budget: read as the budget not having been read at all. Both now say that the budget
gives cost lines only, so the year's total has none to be compared with, and where each
line's comparison is.
"""

from __future__ import annotations

import pandas as pd

from sufficiency.finance.summaries import ALL, WHOLE_YEAR

#: What is said of a year whose budget gives cost lines only.
LINES_ONLY = (
    "the budget gives cost lines only, no whole placements line ('all'), so the year's "
    "total has no budget to be compared with: each line against its own budget is on the "
    "Budget sheet and in budget_comparison.csv"
)


def lines_only_years(budget: pd.DataFrame | None) -> list[str]:
    """The years a budget comparison covers whole whose lines hold no whole placements line."""
    if budget is None:
        return []
    whole = budget[budget["basis"] == WHOLE_YEAR]
    years = whole.groupby(whole["financial_year"].astype(str))["cost_line"]
    return sorted(str(fy) for fy, lines in years if ALL not in set(lines))


def lines_only_words(budget: pd.DataFrame | None, financial_year: str) -> str:
    """``; the budget gives cost lines only ...`` for the console's year, or ''."""
    return f"; {LINES_ONLY}" if financial_year in lines_only_years(budget) else ""


def lines_only_notes(budget: pd.DataFrame | None) -> dict[str, str]:
    """A sentence for each such year, for the Summary under its table."""
    return {fy: f"{fy}: {LINES_ONLY}." for fy in lines_only_years(budget)}
