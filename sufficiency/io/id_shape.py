"""A child's ID that cannot be an ID: a name or a note typed into the ID column.

DfE's 903 specification makes ``CHILD`` up to 10 letters and digits; the referrals'
``child_id`` is the same ID or the case system's. A value such as ``Zebedee Quaxworth``
in that column is a child's name: read as an ID it was printed as "the child's ID" in
every output, console and log. Such a value is an error of its row (the row set aside;
``--strict`` refuses), shown by its shape only, never quoted, and the row set aside is
named by its row, never by that value.

What real IDs look like was measured before deciding: the sample returns' ``CHILD`` are
six digits, the referrals' ``R001``; councils' exports also write numbers with
thousands separators (``100,211``, ``100.211``, ``100 211``), Excel's scientific form
(``1.00211E+05``), and prefixes with hyphens, underscores or slashes (``LA-0123``).
None of those is refused, nor any character a case system may put in an ID (``R#7``,
``Zoë-9``, ``123/45``), nor codes of letters and digits (``C1234``, ``ABC12``,
``SW02STG1``), nor one letter. Refused: letters with no digit (``Bethan``, ``OLIVER``,
``O'Neil``, ``Mary-Jane``: a first name; ``TBC``, ``Unknown``: a note), two words of
letters (``Zebedee Quaxworth``, ``Siân Jones``), or more than :data:`MAX_ID_LENGTH`
characters (twice DfE's 10, room for any case system's prefix); and placeholders
(``N/A``, ``#N/A``, ``NULL``, ``TBC``, ``-``: :data:`~sufficiency.io.shape.PLACEHOLDERS`),
with the same sentence, whatever pandas would read them as (``N/A`` passed, having a
slash, where ``NA`` was refused, and ``#N/A`` was said as Excel's error value). Letters alone are
refused because no case system's ID is letters alone (Liquidlogic's and Mosaic's are
numbers, a council's spreadsheet's a letter and a number, ``R001``; DfE's ``CHILD`` is
letters and digits, and this tool's own pseudonyms ``C`` and 16 hexadecimal digits), and
a name printed as an ID would be printed in every output: a code of letters alone set
aside by mistake is said, row by row, where a name let through would not be.
"""

from __future__ import annotations

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.enotation import exact_integers
from sufficiency.io.shape import MAX_ID_LENGTH, mask_value, not_an_id
from sufficiency.io.tables import NOT_AN_ID, RawTable

__all__ = ["NOT_AN_ID", "decimal_id_notes", "id_problems", "not_an_id"]

#: Why such a value is refused, as its problem says.
NOT_AN_ID_MESSAGE = (
    "cannot be a child's ID (a placeholder such as N/A, #N/A, NULL, TBC or -, letters with "
    f"no digit, two words of letters, or over {MAX_ID_LENGTH} characters): a name or a note "
    "in the ID column? Shown by its shape only, as it may be a child's name; put the "
    "child's ID there"
)


def id_problems(raw: RawTable, table: pd.DataFrame, column: str) -> list[Problem]:
    """An error for each row of ``table`` (read from ``raw``) whose ``column`` cannot be
    an ID, its value shown by its shape only."""
    bad = not_an_id(table[column])
    return [
        raw.problem(i, column.lower(), mask_value(str(table.at[i, column])), NOT_AN_ID_MESSAGE,
                    code=NOT_AN_ID)
        for i in table.index[bad.to_numpy(bool)]
    ]  # fmt: skip


#: A whole number a spreadsheet wrote with a decimal point (``101434.0``).
_DECIMAL_ID = r"^\d+\.0+$"


def decimal_id_notes(raw: RawTable, table: pd.DataFrame, column: str) -> list[Problem]:
    """A warning listing the rows whose ``column`` is a whole number written as a decimal
    (``101434.0``): an ID a spreadsheet turned into a number. It is kept as written, so a
    decision or the next night's referral that writes ``101434`` names another child."""
    ids = table[column].astype("string")
    at = table.index[ids.str.fullmatch(_DECIMAL_ID).fillna(False).to_numpy(bool)]
    whole = exact_integers(ids)  # 1.00211E+05, every digit written: said the same way
    return [
        raw.problem(i, column.lower(), str(table.at[i, column]),
                    "is a whole number written as a decimal, as a spreadsheet writes an ID it "
                    "took for a number: kept as written, so a decision or a later night's "
                    "referral writing it without the decimal point names another child; "
                    "format the column as text", severity="warning", code="decimal_id")
        for i in at
    ] + [
        raw.problem(i, column.lower(), str(table.at[i, column]),
                    f"is the whole number {whole.at[i]} in Excel's scientific notation, as a "
                    "spreadsheet writes an ID it took for a number: kept as written, so a "
                    f"decision or a later night's referral writing {whole.at[i]} names another "
                    "child; format the column as text", severity="warning", code="decimal_id")
        for i in table.index[whole.notna().to_numpy(bool)]
    ]  # fmt: skip
