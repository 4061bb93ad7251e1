"""A column named twice in one table (an export joining two tables, ``SELECT e.*, p.*``).

pandas reads a CSV's second ``DEC`` as ``DEC.1``, and that was then an unknown column,
ignored with a warning: the first ``DEC`` was read whatever the second held. The
sample's 2025-26 episodes with a blank ``DEC`` and a second ``DEC`` holding the dates
counted 1,023 children looked after on 31/03/2026, not 869, said only as "unknown
column DEC.1". Here the copies of a column named twice are read as one where they agree
on every row (or all but one are blank there), and said; where they differ, the file
cannot be read, naming the column and the first row where they differ.
"""

from __future__ import annotations

import re

import pandas as pd

from sufficiency.errors import Problem


def header_names(columns: list[str], cells: list[str]) -> list[str]:
    """``columns`` as pandas named them, with a repeated name's ``.1``, ``.2`` that pandas
    added taken off again, by the header's own ``cells``."""
    if len(cells) != len(columns):
        return columns
    return [
        cell if name != cell and re.fullmatch(re.escape(cell) + r"\.\d+", name) else name
        for name, cell in zip(columns, cells, strict=True)
    ]


def one_of_each(
    df: pd.DataFrame, source: str, first_data_row: int
) -> tuple[pd.DataFrame, list[Problem], list[Problem]]:
    """``df`` with each column named twice (ignoring case and spaces) read as one: a note
    for each merged, and an error for each whose copies differ on a row."""
    keys = [str(c).strip().lower() for c in df.columns]
    notes: list[Problem] = []
    errors: list[Problem] = []
    keep: list[int] = []
    merged: dict[int, pd.Series] = {}
    for i, key in enumerate(keys):
        copies = [j for j, k in enumerate(keys) if k == key]
        if copies[0] != i:
            continue
        keep.append(i)
        if len(copies) == 1 or not key or key.startswith("unnamed"):
            continue
        label = str(df.columns[i]).strip()
        cols = [df.iloc[:, j].astype("string").str.strip().replace("", pd.NA) for j in copies]
        value = cols[0]
        clash = pd.Series(False, index=df.index)
        for other in cols[1:]:
            clash |= (value.notna() & other.notna() & (value != other)).fillna(False)
            value = value.fillna(other)
        if clash.any():
            row = int(df.index.get_loc(clash.idxmax())) + first_data_row
            errors.append(
                Problem(source, row, label, None,
                        f"column appears {len(copies)} times and the copies differ (first on "
                        f"this row): keep the one that is the return's {label}",
                        code="duplicate_column")
            )  # fmt: skip
            continue
        merged[i] = value.fillna("")
        notes.append(
            Problem(source, 1, label, None,
                    f"column appears {len(copies)} times (an export joining tables?); the "
                    "copies agree on every row, or all but one are blank there: read as one",
                    severity="warning", code="column_twice", action="read as one column")
        )  # fmt: skip
    if not notes and not errors:
        return df, [], []
    out = pd.DataFrame(
        {str(df.columns[i]): merged.get(i, df.iloc[:, i]) for i in keep}, index=df.index
    )
    return out, notes, errors


__all__ = ["header_names", "one_of_each"]
