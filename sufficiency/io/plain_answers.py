"""Answers a placement team writes plainly in a referral's risks and pets columns.

A team's tracker fills a child's ``risks`` cell with ``None``, ``N/A``, ``Nil`` or ``No
known risks`` where the child has none, and answers the Placements Data Standard's "Can
the child live with pets/animals?" with ``Y`` or ``N``. Read as written, each such child
was set aside ("lists a value that is not one of: cce, cse, ...") and not matched.

- ``risks``: a cell saying "no risk" as a whole (:data:`NO_RISK`, which holds the
  standard's own "No known risk" and the no of its wide risk columns,
  :data:`~sufficiency.io.inputs.RISK_ANSWERS`) is read as a blank cell, no known risk,
  as a blank already is: the reading is never less safe than the blank the column
  allows. One that says the risks are not known (``Unknown``, ``Not known``) is still
  set aside, with a sentence saying what to write: matching can only keep a child from
  the risks listed.
- ``pets``: ``N`` (and ``No pets``, ``None``) is read as ``no``, never with pets (the
  safer reading whatever the column's question). ``Y`` is read as ``can`` only under the
  standard's question "Can the child live with pets/animals?", where it is that
  question's yes (as ``Yes`` is); under a column named ``pets`` it may say the child can
  live with pets, must, or that pets are a concern, so it is still set aside, saying
  what to write instead.

Each reading is said in one warning per column naming its rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable
from sufficiency.io.unnamed import some_rows

#: The contract's descriptions of the two columns (docs/data-contract.md).
RISKS_SAID = (
    "Semicolon list of risk codes (None, N/A, Nil or No known risk: none, as blank; "
    "Unknown: set aside)."
)
PETS_SAID = (
    "must, can, no or unknown (blank = unknown; N, No pets or None = no; Y = can only "
    "under the standard's question, else set aside)."
)
#: A risks cell saying, as a whole, that the child has no known risk (lower case, a
#: final full stop dropped).
NO_RISK = frozenset({
    "none", "nil", "n/a", "na", "n.a", "no", "n", "-", "--", "\u2014", "not applicable",
    "no known risk", "no known risks", "none known", "no risk", "no risks",
    "no risks known", "none identified", "no identified risks", "no risks identified",
})  # fmt: skip
#: A risks cell saying the risks are not known: set aside.
RISKS_NOT_KNOWN = frozenset({"unknown", "not known", "not yet known", "tbc", "?"})
#: A pets cell read as ``no`` in any pets column: the safer reading.
PETS_NO = frozenset({"n", "no pets", "none"})
#: A pets cell read as ``can`` under the standard's question only.
PETS_YES = frozenset({"y"})
#: The Placements Data Standard's pets question, the header under which Y is its yes.
PETS_QUESTIONS = frozenset(
    column_key(q) for q in ("Can the child live with pets/animals?",
                            "Can child live with pets/animals?")
)  # fmt: skip


def _said(cells: pd.Series) -> pd.Series:
    return cells.astype("string").str.strip().str.lower().str.rstrip(".")


def _rows(raw: RawTable, hit: pd.Series) -> list[int]:
    return [raw.row_number(int(i)) for i in raw.data.index[hit.to_numpy(bool)]]


def rows_warning(
    raw: RawTable, column: str, hit: pd.Series, code: str, text: Callable[[str], str]
) -> Problem:
    """One warning for the ``hit`` rows of ``column``: ``text`` of where they are ("rows
    3, 5")."""
    rows = _rows(raw, hit)
    where = f"row{'s' if len(rows) > 1 else ''} {some_rows(rows)}"
    return raw.problem(None, column, None, text(where), severity="warning", code=code)


def _errors(
    raw: RawTable, column: str, hit: pd.Series, code: str, text: Callable[[str], str]
) -> list[Problem]:
    """An error at each ``hit`` row of ``column``: ``text`` of its cell, quoted."""
    cells = raw.data[column]
    return [
        raw.problem(idx, column, None, text(repr(str(cells[idx]).strip())), code=code)
        for idx in raw.data.index[hit.to_numpy(bool)]
    ]


def _words(cells: pd.Series, hit: pd.Series) -> str:
    shown = list(dict.fromkeys(str(v).strip() for v in cells[hit]))
    return ", ".join(repr(w) for w in shown[:4]) + (" ..." if len(shown) > 4 else "")


def _risks(raw: RawTable, column: str) -> tuple[pd.Series, list[Problem]]:
    cells = raw.data[column]
    said = _said(cells)
    none = said.isin(NO_RISK).fillna(False).astype(bool)
    unknown = said.isin(RISKS_NOT_KNOWN).fillna(False).astype(bool)
    found: list[Problem] = []
    if none.any():
        found.append(rows_warning(raw, column, none, "no_risk_words", lambda rows: (
            f"says no risk in words ({_words(cells, none)}, {rows}): read as no known risk, "
            "as a blank cell is; list any risk the child has (harm_sexual; missing)"
        )))  # fmt: skip
    found += _errors(raw, column, unknown, "risks_not_known", lambda cell: (
        f"says the risks are not known ({cell}): matching keeps a child only from the risks "
        "listed, so the child is set aside; list the risks known (harm_sexual; missing), or "
        "leave the cell blank (or write None) if there are none"
    ))  # fmt: skip
    return cells.mask(none | unknown), found


def _pets(raw: RawTable, column: str) -> tuple[pd.Series, list[Problem]]:
    cells = raw.data[column]
    said = _said(cells)
    question = column_key(raw.column_label(column)) in PETS_QUESTIONS
    no = said.isin(PETS_NO).fillna(False).astype(bool)
    yes = said.isin(PETS_YES).fillna(False).astype(bool)
    found: list[Problem] = []
    out = cells.mask(no, "no")
    if no.any():
        found.append(rows_warning(raw, column, no, "pets_words", lambda rows: (
            f"answers {_words(cells, no)} ({rows}): read as no, the child placed in no home "
            "with pets (the safer reading); write can if the child may live with pets"
        )))  # fmt: skip
    if yes.any() and question:
        found.append(rows_warning(raw, column, yes, "pets_words", lambda rows: (
            f"answers Y ({rows}): read as the question's yes, Yes - can (the child may live "
            "in a home with or without pets); write Yes - must if the child needs a home "
            "with pets"
        )))  # fmt: skip
        return out.mask(yes, "yes - can"), found
    found += _errors(raw, column, yes, "pets_ambiguous", lambda cell: (
        f"is {cell}, which does not say which: write can (may live with pets), must (needs "
        "a home with pets), no (may not live with pets) or unknown; or name the column "
        "'Can the child live with pets/animals?', whose Y is read as can"
    ))  # fmt: skip
    return out.mask(yes), found


def plain_answers(raw: RawTable, column_of: Callable[[str], str]) -> tuple[RawTable, list[Problem]]:
    """``raw`` with the plain answers of its risks and pets columns read (see the module),
    and a warning per column saying so; an error at each cell still not read (its cell
    blanked, the row set aside by the error)."""
    data = raw.data
    changed: dict[str, pd.Series] = {}
    found: list[Problem] = []
    for name, read in (("risks", _risks), ("pets", _pets)):
        column = column_of(name)
        if column not in data.columns:
            continue
        cells, said = read(raw, column)
        if said:
            changed[column] = cells
            found += said
    if not changed:
        return raw, []
    return replace(raw, data=data.assign(**changed)), found
