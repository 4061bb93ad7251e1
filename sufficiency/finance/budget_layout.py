"""A budget sheet with its months as columns, refused in words that say the layout read.

Finance keeps a budget by month as a grid: a row per cost line, a column per month
(``Apr-26`` ... ``Mar-27``), often a ``Total``. ``spend --budget`` reads a row per cost
line and month (or per cost line and year), so such a sheet was refused with "column
budget_gbp: required column is missing" after twelve warnings that each month's column
"is ignored": true, but no word of what the file should look like. It now says that the
months are columns and which layout to give instead.
"""

from __future__ import annotations

from collections.abc import Callable

from sufficiency.errors import Problem
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable

#: What a budget by month must look like, said when its months are columns.
LAYOUT = (
    "spend --budget reads one row per cost line and month, with columns financial_year, "
    "cost_line, month and budget_gbp (or one row per cost line and year, without month): "
    "give the months as rows of a month column, each with its figure in budget_gbp"
)


def months_as_columns(raw: RawTable, month: Callable[[object], str | None]) -> Problem | None:
    """A problem naming the month columns of a budget with no figure column (``budget_gbp``
    or ``budget``) but two or more columns headed by a month (``month`` reads a heading as
    ``2026-04``, or ``None``); ``None`` for any other sheet."""
    if any(column_key(str(c)) in ("budget_gbp", "budget") for c in raw.data.columns):
        return None
    heads = [raw.column_label(str(c)) for c in raw.data.columns]
    months = [h for h in heads if month(h) is not None]
    if len(months) < 2:
        return None
    return Problem(raw.source, None, None, None,
                   f"gives its months as columns ({months[0]} to {months[-1]}, "
                   f"{len(months)} columns), not as rows: {LAYOUT}",
                   code="malformed_file")  # fmt: skip
