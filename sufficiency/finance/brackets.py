"""A budget figure in brackets, ``(1,200)``, read as the negative figure accountants write so.

A finance team's budget sheet writes a negative figure in brackets, and a CSV saved from it
keeps them: ``(1,200)`` was "not a number" and its row set aside as if unreadable. It is
now read as -1,200: a credit that reduces its line's budget, said in a note naming its row
(:mod:`~sufficiency.finance.credits`); a problem with its row (another error on the cell)
says how it was read. The budget's figure column is the only one read so: a bracketed weekly
fee or count elsewhere is not a convention of those files.
"""

from __future__ import annotations

import dataclasses
import re

from sufficiency.errors import Problem
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable

#: A figure in brackets, a pound sign (inside or before them, ``£(1,234)`` as Excel's
#: accounting format shows one), thousands commas or spaces and a multiplier allowed:
#: ``(1,200)``, ``(£1,200.50)``, ``( 75 )``, ``£(1 200)``, ``(£1.2m)``; the figure inside is
#: then read as every money cell is (:mod:`~sufficiency.io.money`).
BRACKETED = re.compile(
    r"£?\s*\(\s*£?\s*(?P<figure>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+"
    r"(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>k|m|mn|bn)?\s*\)",
    re.IGNORECASE,
)
#: What is said of such a figure, after the check's own words.
SAID = "{written} is read as -{figure} (brackets mark a negative figure, as accountants write one)"


def read_brackets(raw: RawTable, columns: tuple[str, ...]) -> dict[int, tuple[str, str]]:
    """Rewrite each bracketed figure of ``columns`` (named as the schema matches a column:
    any case, punctuation and a £ sign aside, so ``Budget £`` too) as its negative
    (``(1,200)`` as ``-1,200``), in place; returns the spreadsheet rows rewritten, each
    with its column as the file names it and the figure as written."""
    written: dict[int, tuple[str, str]] = {}
    keys = {column_key(c) for c in columns}  # 'Budget £' is the budget, as the schema reads it
    for name in (c for c in raw.data.columns if column_key(str(c)) in keys):
        cells = raw.data[name].astype("string")
        for index, text in cells.dropna().items():
            found = BRACKETED.fullmatch(str(text))
            if found:
                raw.data.at[index, name] = f"-{found['figure']}{found['unit'] or ''}"
                written[raw.row_number(int(str(index)))] = (raw.column_label(name), str(text))
    return written


def _said(text: str) -> str:
    found = BRACKETED.fullmatch(text)
    return SAID.format(
        written=text, figure=f"{found['figure']}{found['unit'] or ''}" if found else text
    )


def said_of_brackets(problems: list[Problem], written: dict[int, tuple[str, str]]) -> list[Problem]:
    """``problems`` with each one about a bracketed figure saying how it was read, the
    figure as written its value."""
    out = []
    for p in problems:
        if p.row in written and p.column == written[p.row][0]:
            text = written[p.row][1]
            p = dataclasses.replace(p, value=text, message=f"{p.message}: {_said(text)}")
        out.append(p)
    return out
