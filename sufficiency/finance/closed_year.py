"""A year-end run's closed year with no budget for it: its outturn, said as such.

A run on the return to 31 March (the run date in April, before the new year's budget is
set, or with a budget file holding the new year only) showed nothing of the year just
closed: its months were priced from the 903 history only when the budget file had a
line for that year, so finance saw next year alone, with no word. Now its twelve months
are shown from the history (the Monthly sheet's 'history' rows, the Cumulative sheet's
line, ``spend_to_date.csv``) and its outturn is said on the Summary and the console,
with the budget said to be missing, so no variance.

The weekly costs are the prices of the financial year the forecast begins in unless
``[finance] costs_price_year`` names another: the run on the 31 March return prices
the closed year, and the year ahead, at the NEW year's prices, said only on the
Assumptions sheet. The console and the Summary now say which year's prices were used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from sufficiency import figures
from sufficiency.finance.outturn import SpendToDate, estimated
from sufficiency.finance.summaries import financial_year

if TYPE_CHECKING:
    from sufficiency.finance.projection import SpendProjection
    from sufficiency.finance.workbook import SpendReport


def price_year(proj: SpendProjection) -> str:
    """The financial year whose prices the weekly costs are (``2026-27``)."""
    return financial_year(pd.Timestamp(proj.price_date), proj.financial_year_start_month)


def prices_words(proj: SpendProjection) -> str:
    """``weekly costs taken as 2026-27 prices (the financial year the forecast begins in;
    [finance] costs_price_year names another)``, or ``(as [finance] costs_price_year
    sets)`` when that is another year."""
    first = financial_year(proj.start + pd.Timedelta(days=1), proj.financial_year_start_month)
    year = price_year(proj)
    why = ("the financial year the forecast begins in; [finance] costs_price_year names "
           "another" if year == first else "as [finance] costs_price_year sets")  # fmt: skip
    return f"weekly costs taken as {year} prices ({why})"


def closed_without_budget(
    to_date: SpendToDate | None, budget: pd.DataFrame | None, start_month: int
) -> str | None:
    """The closed year of a year-end run when the budget compared gives no line for it
    (``None`` otherwise: an in-year run, or a closed year compared as its outturn)."""
    if to_date is None or to_date.last_day < to_date.first_day + pd.DateOffset(years=1) - (
        pd.Timedelta(days=1)
    ):
        return None  # months to date of a year the forecast carries on into
    fy = to_date.financial_year
    if financial_year(to_date.last_day, start_month) != fy:
        return None
    if budget is not None and (budget["financial_year"].astype(str) == fy).any():
        return None
    return fy


def closed_words(to_date: SpendToDate, prices: str) -> str:
    """The sentence on a closed year with no budget: its outturn, all from the history, at
    ``prices`` (a year's, ``2026-27``)."""
    return (
        f"{to_date.financial_year} outturn, the year closed at the forecast start (every month "
        f"from the 903 history, none forecast): {figures.money(to_date.total_gbp)} "
        f"({to_date.dates}) at {prices} prices, {estimated(to_date.basis)}; budget missing "
        f"(no budget line for {to_date.financial_year} was given), so no variance"
    )


def closed_note(report: SpendReport) -> dict[str, str]:
    """The Summary's note on a closed year with no budget, keyed by its year ({} if none)."""
    past = report.to_date
    fy = closed_without_budget(past, report.budget, report.base.financial_year_start_month)
    if past is None or fy is None:
        return {}
    return {fy: f"{closed_words(past, price_year(report.base))}: month by month as the "
                "Monthly sheet's 'history' rows and spend_to_date.csv."}  # fmt: skip
