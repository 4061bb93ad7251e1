"""Pounds and pence, one rule for every spend output.

Each month's spend on each cost line (the mean of the simulated paths, or a month before
the forecast start estimated from the 903 history) is rounded to the penny ONCE, and
every total of means adds those penny figures: a month's all placements, a quarter, a
financial year, an outturn, a budget variance, and the workbook's total formulas. So
a finance officer who adds a column of spend.xlsx in Excel gets the total the sheet
shows, and spend.csv, spend_quarterly.csv, spend_years.csv, budget_comparison.csv and
the console's headline give the same total to the penny. (Rounding each total
separately from the unrounded figures left the workbook's SUM of penny cells a few pence
from the CSV's total.) P10/P50/P90 are percentiles of each path's total, rounded once,
and do not add.

A figure shown to the pound (a budget as given, the workbook's cells) is rounded half
up, as finance does and as Excel shows it: £1,234.50 is £1,235 (Python's ``round`` and
``format`` round half to even, £1,234).
"""

from __future__ import annotations

import numpy as np

from sufficiency.figures import half_up, money

#: Said under the workbook's tables and in docs/data-contract's spend columns.
PENNY_RULE = (
    "Each month's spend on each cost line is rounded to the penny once, and every total "
    "adds those penny figures (as the sheet's SUM formulas do), so the totals here, "
    "spend.csv and the console agree to the penny."
)


def pence(values: np.ndarray | float | tuple[float, ...]) -> np.ndarray:
    """``values`` rounded to the penny (half up; the figures are sums of simulated paths,
    so a tie is all but impossible and the rule matters for figures as given)."""
    a = np.asarray(values, dtype=float)
    return np.sign(a) * np.floor(np.abs(a) * 100 + 0.5 + 1e-9) / 100


def penny_sum(values: np.ndarray, axis: int | tuple[int, ...] | None = None) -> np.ndarray:
    """The sum of figures already in pence, to the penny (no binary fraction left over)."""
    return np.round(np.asarray(values, dtype=float).sum(axis=axis), 2)


def month_means(spend: np.ndarray) -> np.ndarray:
    """``[month, line]``: each month's mean spend on each cost line over the simulated
    paths (``spend[path, month, line]``), to the penny: the figures every total adds."""
    return pence(spend.mean(axis=0))


def pounds(gbp: float) -> str:
    """``£1,235`` from 1234.5: a figure to the pound, half up, as Excel's £#,##0 shows it
    (``f'{x:,.0f}'`` gave £1,234)."""
    whole = int(half_up(gbp))
    return f"-£{-whole:,}" if whole < 0 else f"£{whole:,}"


def budget_words(gbp: float) -> str:
    """A budget as given, said in a sentence beside sums from the simulated futures in the
    same form as they are (:func:`~sufficiency.figures.money`): in millions from £1m,
    to money's places or as many more as it takes to say the budget to the £1,000 (at
    most three), so the console reads ``£67.4m ...; budget £74.0m`` (it read ``budget
    £74,000,000`` beside ``£67.4m``) and £73,950,000 is £73.95m, not £74.0m. Under £1m it
    is said to the pound, as given."""
    if abs(gbp) < 999_500:
        return pounds(gbp)
    said = money(gbp)
    places = len(said.rstrip("m").partition(".")[2])
    while places < 3 and abs(half_up(gbp / 1e6, places) * 1e6 - half_up(gbp, -3)) >= 0.5:
        places += 1
    text = f"£{half_up(abs(gbp) / 1e6, places):,.{places}f}m"
    return f"-{text}" if gbp < 0 else text
