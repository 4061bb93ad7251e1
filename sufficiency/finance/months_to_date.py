"""The months of the financial year before the forecast start, month by month: a
month-end run's months already past (or a year-end run's closed year), priced from the
903 history as an outturn's spend to date is, for the Monthly and Cumulative sheets
(marked 'history') and ``spend_to_date.csv``."""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from sufficiency.config import FinanceParams
from sufficiency.errors import ConfigError
from sufficiency.finance.outturn import (
    ESTIMATED,
    SpendToDate,
    closed_year,
    history_short,
    spend_to_date,
    whole_year_budgets,
    year_bounds,
)
from sufficiency.finance.pence import pence, penny_sum, pounds
from sufficiency.finance.projection import SpendProjection
from sufficiency.finance.summaries import financial_year
from sufficiency.forecast import CareSpells


def months_to_date(
    care: CareSpells, proj: SpendProjection, params: FinanceParams, known: dict[str, SpendToDate]
) -> tuple[SpendToDate | None, str | None]:
    """The months of the financial year the forecast starts inside that are already past
    (its first day to the forecast start), priced from the 903 history as an outturn's
    spend to date is (the one in ``known``, a budget year's, when it is that year), with
    or without a budget: the Monthly and Cumulative sheets show them as actual months.
    A year-end run (the forecast starts on a year's last day) gives the closed year's
    twelve months, its outturn, budget or not (without one they went unshown, with no
    word: :mod:`~sufficiency.finance.closed_year`); ``(None, why)`` when the history
    cannot give them."""
    fy = financial_year(proj.start + pd.Timedelta(days=1), proj.financial_year_start_month)
    begins = year_bounds(fy, proj.financial_year_start_month)[0]
    if begins > proj.start:  # a year-end run: the closed year's months, its outturn, with
        fy = str(closed_year(proj))  # or without its budget (none was shown without one)
        begins = year_bounds(fy, proj.financial_year_start_month)[0]
    if fy in known:
        return known[fy], None
    if (why := history_short(care, begins, proj.start)) is not None:
        return None, why
    with warnings.catch_warnings():  # the projection said what of the costs needs saying
        warnings.simplefilter("ignore")
        try:
            return spend_to_date(care, proj, params, fy, begins), None
        except ConfigError as err:  # a past cost line with no cost: the months go unshown
            return None, str(err)


def profiled_budgets(
    budget: pd.DataFrame | None,
    to_date: SpendToDate | None,
    profiles: Mapping[str, tuple[float, ...]] | None = None,
) -> dict[str, list[float]]:
    """The cumulative budget profile, month by month of the year, of each year with a whole
    placements budget the workbook profiles (:func:`whole_year_budgets`, and the outturn
    year's when its months to date are shown: its cumulative spend then runs from the
    year's first month, as its profile does): the budget file's months added up when it
    gives them (``profiles``, :data:`~sufficiency.finance.inputs.PROFILE`), else a twelfth
    of the year a month (straight-line), each to the penny."""
    out = whole_year_budgets(budget)
    if budget is not None and to_date is not None:
        b = budget[(budget["cost_line"] == "all")
                   & (budget["financial_year"] == to_date.financial_year)]  # fmt: skip
        out.update({to_date.financial_year: float(b["budget_gbp"].iloc[0])} if len(b) else {})
    given = profiles or {}
    return {fy: [float(v) for v in np.round(np.cumsum(pence(given[fy])), 2)] if fy in given
            else [float(pence(total * (i + 1) / 12)) for i in range(12)]
            for fy, total in out.items()}  # fmt: skip


def profile_heading(
    profiled: Mapping[str, object], profiles: Mapping[str, tuple[float, ...]] | None
) -> str:
    """The Monthly sheet's budget column heading, saying how the profile is spread."""
    given = {fy in (profiles or {}) for fy in profiled}
    how = ("" if not given else " (budget file's months)" if given == {True}
           else " (straight-line)" if given == {False} else " (see the note)")  # fmt: skip
    return "Cumulative budget" + how


def profile_words(years: list[str], profiles: Mapping[str, tuple[float, ...]] | None) -> str:
    """How the budget profile of ``years`` is spread, for the Cumulative sheet's note and
    the Monthly sheet's budget column: straight-line (a twelfth of the year a month), or
    the budget file's months; '' without a year."""
    given = [fy for fy in sorted(years) if fy in (profiles or {})]
    even = [fy for fy in sorted(years) if fy not in given]
    said = []
    if given:
        said.append(f"follows the budget file's months ({', '.join(given)})")
    which = f" ({', '.join(even)})" if given else ""
    if even:
        said.append("is straight-line, the year's whole placements budget spread evenly, a "
                    f"twelfth a month{which}: the budget file gives no months (a month "
                    "column) for it")  # fmt: skip
    return "The budget profile " + "; it ".join(said) + "." if said else ""


def actual_months(to_date: SpendToDate | None) -> list[tuple[pd.Timestamp, str, np.ndarray]]:
    """Each month of the year before the forecast start: its last day counted, its label on
    the Monthly sheet (``2025-04 history``; ``2025-09 history to 15th`` for a month the
    forecast starts inside) and its spend by cost line."""
    if to_date is None:
        return []
    out = []
    for end, values in zip(to_date.month_ends, to_date.monthly, strict=True):
        whole = end == end + pd.offsets.MonthEnd(0)
        label = f"{end:%Y-%m} history" + ("" if whole else f" to {end.day}{_nth(end.day)}")
        out.append((pd.Timestamp(end), label, values))
    return out


def months_table(to_date: SpendToDate, lines: tuple[str, ...]) -> pd.DataFrame:
    """``spend_to_date.csv``: ``month`` (its last day counted), ``financial_year``,
    ``cost_line`` (and ``all``), ``spend_gbp`` and ``basis`` for each month before the
    forecast start."""
    each = [
        (end, (*values, penny_sum(values)))  # a month's total adds its lines' pence
        for end, values in zip(to_date.month_ends, to_date.monthly, strict=True)
    ]
    rows = [{"month": f"{end:%Y-%m-%d}", "financial_year": to_date.financial_year,
             "cost_line": line, "spend_gbp": round(float(v), 2),
             "basis": _past_basis(to_date)}
            for end, values in each
            for line, v in zip((*lines, "all"), values, strict=True)]  # fmt: skip
    return pd.DataFrame(rows)


def _past_basis(to_date: SpendToDate) -> str:
    """``history: spend estimated from the 903 history at unit costs, not the ledger``."""
    how = to_date.basis.removeprefix("outturn: spend to date ").removesuffix(" + forecast")
    return f"history: spend {how}, not the ledger"


def months_words(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """The months from ``first`` to ``last`` in words: ``April to September 2025``;
    ``April 2025`` for one month (it said 'April to April 2025'); ``April 2024 to
    February 2025`` across a calendar year's end (it said 'April to February 2025')."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{last:%B %Y}"
    return f"{first:%B}{f' {first:%Y}' * (first.year != last.year)} to {last:%B %Y}"


def forecast_alone(to_date: SpendToDate | None, first_month: pd.Timestamp) -> str:
    """The Quarterly and Financial years sheets' words on the year the forecast starts
    inside ('' when none of it is past): their rows are its forecast months alone, its
    months to date on the Monthly sheet and its outturn on the Summary (the Financial
    years sheet's 2025-26 of £17.0m was the 3 forecast months beside the Summary's
    outturn of £68.6m)."""
    if to_date is None or first_month <= to_date.last_day:
        return ""
    if to_date.last_day + pd.Timedelta(days=1) >= to_date.first_day + pd.DateOffset(years=1):
        return ""  # a year-end run's closed year: no row of these sheets
    return (f" {to_date.financial_year} is here its forecast months alone, from "
            f"{first_month:%B %Y}: its months to date "
            f"({months_words(to_date.first_day, to_date.last_day)}, "
            f"{pounds(to_date.total_gbp)}, estimated from the 903 history) are on the "
            "Monthly sheet, and the year's outturn on the Summary.")  # fmt: skip


def _nth(day: int) -> str:
    return "th" if 10 < day < 14 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


#: Under the Monthly sheet when it shows months before the forecast start.
ACTUAL_NOTE = (
    "Months marked 'history' are past, before the forecast start: their spend is "
    f"{ESTIMATED} (the same figures a budget year's spend to date adds up), so they have "
    "no range (P10-P90 blank). The other months are forecast: the mean of the simulated "
    "paths. Weekly costs become monthly spend by days, not weeks: child-days x weekly "
    "cost / 7 (a 31-day month is 4.43 weeks, a 30-day one 4.29, February 4.00, or 4.14 "
    "in a leap year)."
)
