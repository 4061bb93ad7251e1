"""A budget monitoring sheet's columns beside the budget: the ledger's spend to date
(``Actual YTD``, ``Spend to date``, ``Outturn to date``) and finance's own forecast
(``Forecast outturn``, ``Variance``).

A budget exported from budget monitoring has them, and each was said only as "unknown
column for a budget file; it is ignored", as if it were a typing error. They are not
used, and cannot be: the file does not say to which day its spend to date runs (the
ledger's period closes weeks after the month), and the workbook's own spend to date and
outturn are estimated from the 903 history, to set against the budget alike. Each is now
named in a warning saying what it is and why it is not read, quoting the spend to date
as the file writes it (its first rows) so a reader can set it beside the workbook's
estimate. The budget's versions (original, revised) are read by
:mod:`~sufficiency.finance.budget_versions`.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.finance.budget_versions import revised_budget
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable

_UNITS = r"(?:_gbp)?(?:_(?:k|000s?|thousands?))?(?:_gbp)?"
_PERIOD = r"(?:_(?:p|per|period|m|mth|month)_?\d{1,2})?"
#: The ledger's spend to date: Actual YTD, YTD actuals, Spend to date, Outturn to date,
#: Actual spend to date P8, Expenditure YTD £k.
TO_DATE = re.compile(
    r"(?:(?:actual_)?(?:actuals?|spend|expenditure|outturn|net_spend)_(?:to_date|ytd|year_to_date)"
    r"|(?:ytd|year_to_date)(?:_(?:actuals?|spend|expenditure|outturn|net_spend))?)"
    + _PERIOD
    + _UNITS
)
#: Finance's own forecast of the year: Forecast outturn, Projected outturn, Variance.
FORECAST = re.compile(
    r"(?:(?:forecast|projected|full_year|fy)_(?:outturn|spend|forecast)|outturn|variance"
    r"|forecast_variance|(?:forecast|projected)_variance|variance_to_budget)" + _PERIOD + _UNITS
)
#: Rows of the spend to date quoted in its warning.
_SHOWN = 3


def monitoring_columns(raw: RawTable) -> tuple[RawTable, list[Problem]]:
    """``raw`` with its budget read from its versions (:func:`revised_budget`), and its
    spend to date and forecast outturn columns left out, a warning naming each."""
    raw, said = revised_budget(raw)
    to_date = [c for c in raw.data.columns if TO_DATE.fullmatch(column_key(str(c)))]
    forecast = [c for c in raw.data.columns if FORECAST.fullmatch(column_key(str(c)))]
    if not to_date and not forecast:
        return raw, said
    said += [_to_date(raw, c) for c in to_date]
    if forecast:
        named = " and ".join(repr(raw.column_label(str(c))) for c in forecast)
        named = ("s " if len(forecast) > 1 else " ") + named
        said.append(_warning(raw, f"{named}, finance's own forecast of the year: not read; the "
                             "workbook's outturn is projected from the 903 history (the Budget "
                             "sheet's mean, P10 and P90 against the same budget)"))  # fmt: skip
    gone = {*to_date, *forecast}
    columns = {k: v for k, v in raw.original_columns.items() if k not in gone}
    return replace(raw, data=raw.data.drop(columns=list(gone)), original_columns=columns), said


def _to_date(raw: RawTable, column: object) -> Problem:
    """The warning of a spend to date column, quoting its first figures as written."""
    line = next((c for c in raw.data.columns if column_key(str(c)) == "cost_line"), None)
    cells = raw.data[column].dropna()
    shown = []
    for i, text in list(cells.items())[:_SHOWN]:
        name = raw.data.at[i, line] if line is not None else None
        where = f"row {raw.row_number(int(str(i)))}" + ("" if pd.isna(name) else f" {name}")
        shown.append(f"{where}: {text}")
    more = f"; and {len(cells) - _SHOWN} more" if len(cells) > _SHOWN else ""
    figures = f" ({'; '.join(shown)}{more})" if shown else " (blank on every row)"
    return _warning(raw, f" {raw.column_label(str(column))!r}, the ledger's spend to date"
                    f"{figures}: not used, as the file does not say to which day it runs; the "
                    "workbook's spend to date is estimated from the 903 history "
                    "(spend_to_date_estimated_gbp in budget_comparison.csv), so set the two "
                    "side by side to check the estimate")  # fmt: skip


def _warning(raw: RawTable, said: str) -> Problem:
    return Problem(raw.source, None, None, None, "gives the column" + said, severity="warning",
                   code="monitoring_columns")  # fmt: skip
