"""Rows of tonight's files that are not records: a total, a note, the header again.

A council's referrals sheet often ends in a total row (Excel's table "Total Row":
``Total`` in the first cell, a count beside it) or a line of notes, and two exports
pasted one under the other repeat the header row. Such a row has errors (no date of
birth, no sex) and is set aside like any bad row, but it is no child: counted as one,
it made "placed 44 of 47 children referred" of a night with 45 children, and listed an
unplaced "child" called ``Total``.

A row is recognised as not a record only where no child (or placement) can be meant:

- **the header again**: at least two cells filled, and every filled cell (four in five,
  allowing a column retitled) is its own column's name;
- **a label row**: its first filled cell begins with a label word (``Total``,
  ``Totals``, ``Sub-total``, ``Grand total``, ``Count``, ``Sum``, ``Notes``, ``Note``,
  ``NB``, ``Comments``, ``Source``, ``Key``), its ID cell is blank or is that cell, and
  the record's identifying details (a referral's date of birth and sex; a placement's
  setting and provider) are all blank, or plain numbers (a count or sum of the column;
  in a workbook's date column, a date cell in 1900 to 1902, as Excel shows a count of
  up to a thousand or so in a column formatted as dates: 45 is 14/02/1900).

- **a totals row without a label**: Excel's Total Row with its label cell cleared, or a
  sum typed below the table: below the last record (no date of birth or sex below it),
  every filled cell a plain number, its identifying details blank or numbers, and its
  ID cell blank or the count of the IDs above it (as Excel's Total Row counts them). It
  made "placed 44 of 46 children referred" of a night with 45, and listed an unplaced
  "child" ``(no ID, row 47)``.

A row with a child ID, or with a date of birth or sex, is always a child's: set aside
for its errors and counted as a child referred. So is a row with none of them but no
label word either (cells of a referral may have been lost, and the team must see it);
one that is numbers only below the last record, its ID a number that is no count of
the IDs above, is a child's too (the ID may be one), and said to be perhaps a totals
row (:func:`maybe_totals`).
The sentence quotes only the label word, never the rest of a note (it may name a child).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.schema import column_key
from sufficiency.io.shape import not_an_id
from sufficiency.io.tables import NOT_A_RECORD, RawTable

#: A plain number, as a count or sum of a column: 47, 1,234.50, £600.
_NUMBER = r"£?\d[\d,]*(?:\.\d+)?"

_LABEL = re.compile(
    r"(grand[\s-]*total|sub[\s-]*totals?|totals?|count|sum|notes?|n\.?\s?b\.?|comments?|"
    r"source|key)(?=$|[\s:;,.()])",
    re.IGNORECASE,
)


def not_records(
    raw: RawTable,
    id_column: str,
    details: Sequence[str],
    *,
    what: str,
    lacks: str,
    notes_below: bool = False,
) -> dict[int, str]:
    """The rows of ``raw`` that are not records, by index, each with its sentence.

    ``id_column`` and ``details`` are ``raw``'s own (lower-case) columns for the ID and
    the identifying details (absent columns count as blank); ``what`` names a record
    ("a child's referral"), ``lacks`` its details in words ("no date of birth or sex").
    ``notes_below``: a line of words below the last record is a note too
    (:func:`_notes_below`).
    """
    data = raw.data
    if data.empty:
        return {}
    names = pd.Series({c: column_key(str(raw.column_label(c))) for c in data.columns})
    filled = data.notna()
    count = filled.sum(axis=1)
    same = data.apply(
        lambda s: s.map(lambda v: column_key(str(v)), na_action="ignore") == names[s.name]
    ).fillna(False)
    hits = same.sum(axis=1)
    out: dict[int, str] = {}
    for idx in data.index[((hits >= 2) & (hits >= (0.8 * count).map(math.ceil))).to_numpy(bool)]:
        out[int(idx)] = (
            f"repeats the header row (its cells are the columns' names), not {what}: set "
            "aside and not counted as one"
        )
    blank = _details_blank(raw, details)
    for idx in data.index[blank.to_numpy(bool)]:
        if int(idx) in out:
            continue
        row = data.loc[idx]
        first = next((str(v) for v in row if pd.notna(v)), "")
        m = _LABEL.match(first.strip())
        ident = row.get(id_column)
        if m is None or (pd.notna(ident) and str(ident) != first):
            continue
        word = m.group(1)
        kind = "total" if re.match(r"grand|sub|total|count|sum", word, re.I) else "notes"
        out[int(idx)] = (
            f"looks like a {kind} row, not {what} (it begins {word!r} and has {lacks}): set "
            "aside and not counted as one"
        )
    for idx in _notes_below(raw, id_column, details, out) if notes_below else []:
        out[idx] = (
            f"looks like a note below the table (a line of words that is no ID, as a "
            f"report's footer is, and {lacks}), not {what}: set aside and not counted as one"
        )
    for idx, counted in _numbers_below(raw, id_column, details, out).items():
        if counted is None:
            out[idx] = (
                f"looks like a totals row without its label, not {what} (it is below the "
                f"last one, holds only numbers, its ID blank or a count of those above, and has "
                f"{lacks}): set aside and not counted as one"
            )
    return out


def maybe_totals(
    raw: RawTable, id_column: str, details: Sequence[str], strays: dict[int, str], *, what: str
) -> list[Problem]:
    """An error for each row below the last record that holds only numbers, its ID one
    (:func:`not_records` takes it for a totals row only where the ID is a count of the IDs
    above): it is a record's, counted as one, and may be a totals row, as said."""
    return [
        raw.problem(idx, id_column, None,
                    "may be a totals row without its label (below the last record, only "
                    f"numbers, and its ID, {ident}, no count of the IDs above): set aside, and "
                    f"counted as {what} as its ID may be one; if it is a totals row, delete "
                    "it", code="maybe_total")
        for idx, ident in _numbers_below(raw, id_column, details, strays).items()
        if ident is not None
    ]  # fmt: skip


def _details_blank(raw: RawTable, details: Sequence[str]) -> pd.Series:
    """Whether each row's identifying ``details`` are blank, or a count or sum (Excel's
    Total Row counts a column)."""
    data = raw.data
    blank = pd.Series(True, index=data.index)
    for col in details:
        if col in data.columns:
            # a count in a date column of a workbook is a date cell: 45 shows as 14/02/1900
            count = r"\d+(\.\d+)?" + (r"|\d\d/\d\d/190[0-2]" if col in raw.date_cells else "")
            blank &= data[col].isna() | data[col].str.fullmatch(count).fillna(False)
    return blank


#: A report's footer line: two words or more, one of them a word in lower case ("run",
#: "by", "of") or a figure; a child's name ("Siân Jones") has neither.
_NOTE_TEXT = r"(?=.*\S\s+\S)(?=.*(?:\b[a-z]{2,}\b|\d)).*"


def _notes_below(
    raw: RawTable, id_column: str, details: Sequence[str], strays: dict[int, str]
) -> list[int]:
    """Rows (not in ``strays``) below the last row with identifying ``details``, its
    details blank, its first filled cell a line of words that cannot be an ID (a
    report's footer: ``Report run 01/04/2026``, ``Produced by LCS``) and its ID cell
    blank or that cell. A date inside the words is no date of the record's."""
    data = raw.data
    blank = _details_blank(raw, details)
    records = data.index[~blank.to_numpy(bool)]
    if data.empty or not len(records):
        return []
    below = data[(data.index > records.max()) & blank.to_numpy(bool)]
    if below.empty:
        return []
    first = below.bfill(axis=1).iloc[:, 0].astype("string")
    ids = below[id_column] if id_column in below.columns else pd.Series(pd.NA, index=below.index)
    note = first.notna() & not_an_id(first) & first.str.fullmatch(_NOTE_TEXT).fillna(False)
    note &= ids.isna() | (ids == first).fillna(False)
    return [int(i) for i in below.index[note.to_numpy(bool)] if int(i) not in strays]


def _numbers_below(
    raw: RawTable, id_column: str, details: Sequence[str], strays: dict[int, str]
) -> dict[int, str | None]:
    """Rows (not in ``strays``) below the last row with identifying ``details``, every
    filled cell a plain number: each with ``None`` where its ID cell is blank or the count
    of the ID cells filled above it (a totals row), else its ID (perhaps a record's)."""
    data = raw.data
    if data.empty:
        return {}
    blank = _details_blank(raw, details)
    records = data.index[~blank.to_numpy(bool)]
    below = data.index > (records.max() if len(records) else -1)
    numbers = data.apply(lambda s: s.str.fullmatch(_NUMBER).fillna(False) | s.isna()).all(axis=1)
    ids = data[id_column] if id_column in data.columns else pd.Series(pd.NA, index=data.index)
    out: dict[int, str | None] = {}
    for idx in data.index[(below & numbers & blank).to_numpy(bool)]:
        if int(idx) in strays:
            continue
        ident = ids.at[idx]
        filled_above = int(ids[data.index < idx].notna().sum())
        counted = pd.isna(ident) or str(ident).replace(",", "") == str(filled_above)
        out[int(idx)] = None if counted else str(ident)
    return out


def set_aside_not_records(
    raw: RawTable, problems: list[Problem], strays: dict[int, str]
) -> list[Problem]:
    """``problems`` with those of each row in ``strays`` (warnings too: a repeated header's
    "postcode" is no child's) replaced by one error saying what the row looks like."""
    if not strays:
        return problems
    rows = {raw.row_number(i): text for i, text in strays.items()}
    kept = [p for p in problems if p.row not in rows]
    return kept + [
        Problem(raw.source, row, None, None, text, code=NOT_A_RECORD) for row, text in rows.items()
    ]
