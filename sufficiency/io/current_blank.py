"""A register row whose ``current_children`` cell is blank: children of unknown number.

The register's ``current_children`` was read "blank = 0": a children's home row giving
its vacancy and leaving the count blank (it has other residents: that is what a
children's home is) read as an empty home, so a child who is to live with no other
child, or only older or younger children, or is a risk to younger children, was proposed
there with no word (``match``: a 13-year-old who is a risk of sexual harm to younger
children proposed at a foster home whose count was blank). A blank cell in a register
that has the column says nothing of who lives there, as a blank ``has_pets`` says
nothing of pets (rules 7 and 13 read that the safer way). It is now read the safer way:
at least one child lives there (as many as ``current_ages`` lists, where it lists any),
of ages not known unless listed, so rules 10, 11 and 14 are not met there and a foster
household counts that child against the usual limit of three; one warning names the rows.
A register with no ``current_children`` column is read as before (none living there), as
one with no ``risk_exclusions`` column is read as taking any risk: with a warning saying
what that reading lets through (before, nothing was said, and every home read as empty).
"""

from __future__ import annotations

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.tables import RawTable
from sufficiency.io.unnamed import some_rows

#: What the warning says after the rows.
READ_AS = (
    "read as at least one child living there now, of ages not known unless current_ages "
    "lists them (the safer reading, as for a blank has_pets), so a child who is to live "
    "alone, or only with older or younger children, or is a risk to younger children, is "
    "not proposed there (rules 10, 11 and 14), and a foster household counts that child "
    "against the usual limit of three. Give the number of children living there now (0 "
    "if none)."
)


def blank_counts(raw: RawTable, table: pd.DataFrame, column: str) -> pd.Series:
    """Per row of ``table``, whether the file's ``column`` (its current_children column)
    is blank there; all False where the file has no such column."""
    if column not in raw.data.columns:
        return pd.Series(False, index=table.index)
    cells = raw.data[column].reindex(table.index).astype("string").str.strip()
    return cells.isna() | (cells == "")


def not_given(
    raw: RawTable, table: pd.DataFrame, blank: pd.Series, column: str
) -> tuple[pd.Series, list[Problem]]:
    """The ``current_children`` of ``table`` (whose ``current_ages`` are parsed) with each
    ``blank`` row read as :data:`READ_AS` says, and one warning naming those rows (or
    saying the register has no such column)."""
    if column not in raw.data.columns and len(table):
        return table["current_children"], [_no_column(raw)]
    if not blank.any():
        return table["current_children"], []
    listed = table["current_ages"].map(len).astype("Int64")
    count = table["current_children"].where(~blank, listed.clip(lower=1))
    rows = [raw.row_number(int(i)) for i in table.index[blank.to_numpy(bool)]]
    label = raw.column_label(column)
    note = Problem(
        raw.source, None, label, None,
        f"is blank on row{'s' * (len(rows) > 1)} {some_rows(rows)}: {READ_AS}",
        severity="warning", code="current_not_given",
    )  # fmt: skip
    return count, [note]


def _no_column(raw: RawTable) -> Problem:
    """The warning for a register with no ``current_children`` column at all."""
    return Problem(
        raw.source, None, None, None,
        "there is no current_children column: every home is read as having no child living "
        "there now, so matching cannot keep a child who is to live alone, or only with older "
        "or younger children, or is a risk to younger children, from a home where other "
        "children live (rules 10, 11 and 14), nor count them against a foster household's "
        "limit of three. Give the number of children living in each home now (0 if none), "
        "and their ages in current_ages.",
        severity="warning", code="no_current_children",
    )  # fmt: skip
