"""A negative budget figure read as the credit finance means by it, and said once.

A finance budget carries credits: a month's correction, an income line, a recharge,
written ``-1,200`` or ``(1,200)``. The budget's figure column had a least value of 0, so
such a row was set aside (and a budget by month lost its whole line with it). It is now
read: the credit reduces its line's budget (the year's, when the file gives months), the
totals and variances follow, and one note names the file, each row and its figure as
written. A line whose YEAR comes out below nothing is warned of as likely a mistake (a
sign lost, a credit given a line of its own): it is compared as given, since the file
says so, but not without a word. A grid's month (``Apr-26`` ... across) below nothing was
read alike, silently: it is named too (:func:`grid_credits`), as are its figures written
with a multiplier (:func:`grid_money`: each month's, where one a row was said before).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sufficiency import vocabulary
from sufficiency.errors import Problem
from sufficiency.finance.pence import pounds
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable


def _month(text: object) -> str:
    """``, March 2027`` from ``2027-03``; nothing for a budget by year."""
    if not isinstance(text, str):
        return ""
    return f", {dt.datetime.strptime(str(text), '%Y-%m'):%B %Y}"


def credit_notes(
    raw: RawTable,
    table: pd.DataFrame,
    name: str,
    bracketed: dict[int, tuple[str, str]],
    set_aside: set[int],
) -> list[str]:
    """One sentence naming each row of ``table`` whose budget figure is negative, with the
    figure as the file writes it (``bracketed`` keeps those written in brackets,
    :func:`~sufficiency.finance.brackets.read_brackets`); rows ``set_aside`` (spreadsheet
    row numbers) are not read, so not named."""
    figures = pd.to_numeric(table["budget_gbp"], errors="coerce")
    kept = pd.Series(
        [raw.row_number(int(str(i))) not in set_aside for i in table.index],
        index=table.index,
        dtype=bool,
    )
    below = table[(figures < 0) & kept]
    if below.empty:
        return []
    column = next((c for c in raw.data.columns if column_key(str(c)) in ("budget_gbp", "budget")),
                  None)  # fmt: skip
    said = []
    for i, r in below.iterrows():
        row = raw.row_number(int(str(i)))
        if row in bracketed:
            written = bracketed[row][1]
        elif column is not None:
            written = str(raw.data.at[i, column]).strip()
        else:
            written = pounds(float(r["budget_gbp"]))
        line = vocabulary.category(str(r["cost_line"]))
        month = _month(r["month"]) if "month" in below.columns else ""
        said.append(f"row {row} ({r['financial_year']} {line}{month}: {written})")
    count = "a negative figure" if len(said) == 1 else f"{len(said)} negative figures"
    return [
        f"{name} gives {count}, read as a credit that reduces its line's budget: {'; '.join(said)}."
    ]


def negative_year_notes(year: pd.DataFrame, name: str) -> list[str]:
    """A sentence for each line of the budget by year (after a budget by month is added
    up) whose year's budget is below nothing: likely a mistake, compared as given."""
    out = []
    for r in year[year["budget_gbp"].astype(float) < 0].itertuples():
        out.append(
            f"{name}: the {r.financial_year} {vocabulary.category(str(r.cost_line))} budget "
            f"comes to {pounds(float(r.budget_gbp))} for the year, below nothing: likely a "
            "mistake (a sign lost, or a credit given a line of its own). It is compared as "
            "given, so its variance is the whole projected spend and more; correct the file "
            "if it is not meant."
        )
    return out


def grid_credits(raw: RawTable, figures: pd.DataFrame, written: pd.DataFrame) -> list[Problem]:
    """A note naming each month of a budget grid whose figure is negative (row, line, month
    column and figure as ``written`` in the file): a credit that reduces its line's month."""
    line = next((c for c in raw.data.columns if column_key(str(c)) == "cost_line"), None)
    said = []
    for c in figures.columns:
        for i in figures.index[(figures[c] < 0).fillna(False).to_numpy(bool)]:
            name = (
                "" if line is None or pd.isna(raw.data.at[i, line]) else f"{raw.data.at[i, line]}, "
            )
            said.append(f"row {raw.row_number(int(str(i)))} ({name}{raw.column_label(str(c))}: "
                        f"{str(written.at[i, c]).strip()})")  # fmt: skip
    if not said:
        return []
    count = "a negative month" if len(said) == 1 else f"{len(said)} negative months"
    return [Problem(raw.source, None, None, None, f"gives {count}, read as a credit that "
                    f"reduces its line's budget: {'; '.join(sorted(said, key=_row))}",
                    severity="warning", code="credit")]  # fmt: skip


def _row(said: str) -> int:
    return int(said.split()[1])


def grid_money(raw: RawTable, read: dict[tuple[int, str], tuple[str, str, str]]) -> list[Problem]:
    """One warning naming a grid's figures read from a multiplier (``£6m``), by row and month
    column as written and as read (the first six, and how many more): keyed by row alone,
    as a budget by year's are, a row's twelve months were said as its last one."""
    if not read:
        return []
    said = [f"row {r}, {c} {w.strip()!r} as {pounds(float(v))}" for (r, c), (_, w, v)
            in sorted(read.items(), key=lambda kv: kv[0][0])[:6]]  # fmt: skip
    more = f"; and {len(read) - 6} more" if len(read) > 6 else ""
    return [Problem(raw.source, None, None, None,
                    f"{vocabulary.counted(len(read), 'figure')} of its months written with a "
                    f"multiplier (k a thousand, m a million) read as pounds: {'; '.join(said)}"
                    f"{more}. Check none was meant otherwise (a k typed for an m is a "
                    "thousandfold error)", severity="warning",
                    code="money_multiplier")]  # fmt: skip
