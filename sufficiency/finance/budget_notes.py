"""The Budget sheet's notes under its table: the outturn's, and a pointer to what reading
the budget file did.

Run on a budget workbook as finance sends it, the Budget sheet listed the lines compared
and nothing else: a line set aside for an error (a blank month, a subtotal row), a year
outside the forecast or a credit read into a line were said only under "Read with
care" on the Assumptions sheet, so the sheet read as if the file held only those
lines. It now says, under the table, how many such notes there are and where.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sufficiency.finance.outturn import outturn_note
from sufficiency.vocabulary import counted

if TYPE_CHECKING:
    from sufficiency.finance.workbook import SpendReport

#: Words of the notes about reading the budget (finance.inputs, finance.credits,
#: finance.report): a row set aside, a year set aside, a credit read, a year below nothing.
MARKS = ("budget row", ": budget year ", "read as a credit", "budget comes to")


def budget_sheet_notes(report: SpendReport) -> list[str]:
    """The sentences under the Budget sheet's table (the sign convention is said apart)."""
    out = []
    if report.budget is not None and (note := outturn_note(report.budget)):
        out.append(note)
    read = [n for n in report.notes if any(m in n for m in MARKS)]
    if read:
        out.append(f"Read with care: not every line of the budget file is here as written "
                   f"({counted(len(read), 'note')} on reading it: lines or years set aside, "
                   "credits read): see the Assumptions sheet.")  # fmt: skip
    return out
