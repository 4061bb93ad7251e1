"""A financial year the projection covers only in part, said with the months it covers.

A run whose forecast starts inside a financial year (with no spend to date from the 903
history to make it an outturn), or whose horizon ends inside one, projects that year's
months only: the headline said "2026-27: £6.42m (P10 ..., 6 months)" and the Summary sheet
"2026-27 (current)" beside £6,422,000, which a reader took for the year's spend, half the
whole year's. Both now name the months: "2026-27, October 2026 to March 2027 only (6 of
its 12 months)" and "2026-27 (current, Oct-Mar only)". The Summary's run-rate names its
month so too: "Run-rate for 2026-04-30" read as a day's, beside "Forecast for the same
month".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from sufficiency.finance.projection import SpendProjection
from sufficiency.finance.summaries import financial_year


def year_months(months: pd.DatetimeIndex, fy: str, start_month: int) -> list[pd.Timestamp]:
    """The months of ``months`` in financial year ``fy``."""
    return [m for m in months if financial_year(m, start_month) == fy]


def part_year_words(months: pd.DatetimeIndex, fy: str, start_month: int) -> str:
    """``October 2026 to March 2027 only (6 of its 12 months)`` for a year covered in
    part; ``""`` for one covered whole."""
    mine = year_months(months, fy, start_month)
    if not mine or len(mine) >= 12:
        return ""
    first, last = mine[0], mine[-1]
    span = (f"{first:%B %Y}" if first == last else f"{first:%B} to {last:%B %Y}"
            if first.year == last.year else f"{first:%B %Y} to {last:%B %Y}")  # fmt: skip
    return f"{span} only ({len(mine)} of its 12 months)"


def run_rate_label(rec: Mapping[str, Any]) -> str:
    """``Run-rate for April 2026 (what it is built from)``, from the Summary's starting
    point (:func:`~sufficiency.finance.summaries.reconciliation`)."""
    first = str(rec.get("first_month") or "")
    month = f" for {pd.Timestamp(first):%B %Y}" if first else ""
    return f"Run-rate{month} ({rec['run_rate_basis']})"


def summary_label(proj: SpendProjection, fy: str, current: bool, outturn: bool) -> str:
    """The Summary sheet's financial year: ``2026-27 (current)``, ``2026-27 (current,
    outturn)``, or for a year covered in part its months, ``2026-27 (current, Oct-Mar
    only)``."""
    mine = year_months(proj.months, fy, proj.financial_year_start_month)
    if not outturn and mine and len(mine) < 12:
        first, last = mine[0], mine[-1]
        span = f"{first:%b}" if first == last else f"{first:%b}-{last:%b}"
        return f"{fy} ({'current, ' * current}{span} only)"
    return fy + ("" if not current else " (current, outturn)" if outturn else " (current)")
