"""A 903 table's total or note row: a report's ``Total`` line below the children's rows.

A council's 903 tables saved from a report or a spreadsheet often end with a line that
is no child: Excel's Total Row (``Total`` and a count), a report's ``Total episodes:
1857`` or ``Notes: ...``. The analytic commands set it aside as a row whose CHILD is no
child's ID, but ``validate`` gave it an error for each column it read (5 for an
episodes table's ``Total,1857``: CHILD, DECOM, RNE, LS and PLACE), on a return DfE
would accept. Such a row, recognised as the referrals reader recognises one
(:mod:`.stray_rows`: a label word first, the child's details blank or counts; or only
numbers below the last child's row, its CHILD blank or a count of those above; or, below
the last child's row, a report's footer line, ``Report run 01/04/2026`` or ``Produced by
LCS``: words that are no ID, with a word in lower case or a figure, no date or code in
the child's columns), is left out before either reads the table, and named in a
warning. A row with a date, a code or a child's ID is always read, as a child's.
"""

from __future__ import annotations

from dataclasses import replace

from sufficiency.errors import Problem
from sufficiency.io.stray_rows import not_records
from sufficiency.io.tables import RawTable

CODE = "total_row"
#: A child's details in each table (lower case, as read), and what they are in words.
_DETAILS = {
    "decom": (
        ("decom", "dec", "rne", "ls", "place"),
        "no dates, reason, legal status or placement",
    ),
    "dob": (("dob", "sex", "duc"), "no date of birth or sex"),
}
_SAID = ": set aside and not counted as one"


def drop_total_rows(raw: RawTable) -> tuple[RawTable, list[Problem]]:
    """``raw`` (a 903 table) without its total and note rows, and a warning for each."""
    data = raw.data
    found = next((d for key, d in _DETAILS.items() if key in data.columns), None)
    if data.empty or "child" not in data.columns or found is None:
        return raw, []
    details, lacks = found
    strays = not_records(raw, "child", details, what="a child's row", lacks=lacks, notes_below=True)
    if not strays:
        return raw, []
    notes = [
        raw.problem(i, "child", None, said.removesuffix(_SAID) + ": not read as data",
                    severity="warning", code="total_row", action="left out")
        for i, said in sorted(strays.items())
    ]  # fmt: skip
    return replace(raw, data=data.drop(index=list(strays))), notes


__all__ = ["CODE", "drop_total_rows"]
