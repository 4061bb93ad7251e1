"""A budget given per quarter: a row per cost line and quarter (``Q1`` ... ``Q4``).

Finance profiles many budgets by quarter. Such a file's ``quarter`` column was "unknown
... ignored", and its four rows of a line then "budget line appears twice for the same
year": every row set aside, the spend compared with no budget. A line's four quarters are
now added up to its year's budget, on the first quarter's row (the others left out, said
in a note naming their rows). The workbook's cumulative budget profile follows the
quarters, each quarter's figure spread evenly over its three months: profiled
straight-line through the year, as it was, a budget of £20m in Q1 and £18m in each other
quarter had £18.5m to the end of June, not the £20m finance profiled.
A line short of a quarter, or given one twice, or whose quarter's figure is not a number,
is not added up: each of its rows is named, and set aside.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from sufficiency.errors import Problem
from sufficiency.io.cells import parse_numbers
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable

#: A quarter as written: Q1, Qtr 2, Quarter 3, 4 (Q1 2026-27 too: the year is its row's).
QUARTER = re.compile(r"\s*(?:q|qtr|quarter)?\s*([1-4])\b.*", re.IGNORECASE)
_COLUMNS = ("quarter", "qtr", "budget_quarter")


def _column(raw: RawTable, keys: tuple[str, ...]) -> str | None:
    return next((c for c in raw.data.columns if column_key(str(c)) in keys), None)


def _thirds(quarter: Decimal) -> tuple[float, float, float]:
    """A quarter's figure spread over its three months to the penny, the third month
    taking what is left, so the months add up to the quarter (no penny over at March)."""
    month = (quarter / 3).quantize(Decimal("0.01"))
    return float(month), float(month), float(quarter - 2 * month)


def quarters_to_years(
    raw: RawTable,
) -> tuple[RawTable, list[Problem], dict[int, tuple[float, ...]]]:
    """``raw`` with each line's four quarters added up on its first quarter's row (the
    quarter column dropped, the other quarters' rows left out), a note saying so and a
    problem on each row of a line whose quarters cannot be added up, and each line's
    twelve months (a third of its quarter each) by its row; ``raw`` as it is without a
    quarter column."""
    quarter = _column(raw, _COLUMNS)
    figure = _column(raw, ("budget_gbp", "budget"))
    year, line = _column(raw, ("financial_year",)), _column(raw, ("cost_line",))
    if quarter is None or figure is None or year is None or line is None:
        return raw, [], {}
    data = raw.data.copy()
    q = data[quarter].astype("string").str.extract(QUARTER, expand=False)
    numbers = parse_numbers(data[figure])
    keys = data[year].astype("string").str.strip() + "|" + data[line].astype("string").str.lower()
    problems: list[Problem] = []
    left_out: list[int] = []
    said: list[str] = []
    profiles: dict[int, tuple[float, ...]] = {}
    for _, rows in data.groupby(keys.fillna(""), sort=False):
        idx = list(rows.index)
        given = q[idx]
        if sorted(given.dropna()) == ["1", "2", "3", "4"] and numbers[idx].notna().all():
            first = given.astype(str).idxmin()
            total = sum((Decimal(str(v)) for v in numbers[idx]), Decimal(0))
            data.at[first, figure] = format(total, "f")
            by_q = {str(given[i]): _thirds(Decimal(str(numbers[i]))) for i in idx}
            profiles[int(first)] = tuple(m for q in range(1, 5) for m in by_q[str(q)])
            left_out += [i for i in idx if i != first]
            said.append(f"rows {', '.join(str(raw.row_number(i)) for i in idx)}")
            continue
        why = ("gives the quarters " + (", ".join(f"Q{x}" for x in given.fillna("?")))
               + ", not Q1 to Q4 once each" if sorted(given.dropna()) != ["1", "2", "3", "4"]
               else "has a quarter whose figure is not a number")  # fmt: skip
        problems += [raw.problem(i, quarter, None, f"the budget by quarter of this line {why}:"
                                 " its year's budget cannot be added up") for i in idx]  # fmt: skip
    data = data.drop(index=left_out, columns=[quarter])
    columns = {k: v for k, v in raw.original_columns.items() if k != quarter}
    if said:
        problems.append(Problem(
            raw.source, None, raw.column_label(quarter), None,
            f"gives the budget by quarter: each line's four quarters are added up to its "
            f"year's budget ({'; '.join(said[:4])}{'; ...' if len(said) > 4 else ''}), "
            "the workbook's cumulative budget profile following its quarters, each spread "
            "evenly over its three months", severity="warning", code="quarters",
        ))  # fmt: skip
    return dataclasses.replace(raw, data=data, original_columns=columns), problems, profiles
