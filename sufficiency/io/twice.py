"""A 903 column named twice in one table (an export joining two tables, ``SELECT e.*, p.*``).

pandas reads a CSV's second ``DEC`` as ``DEC.1``, and that was then an unknown column,
ignored with a warning: the first ``DEC`` was read whatever the second held. The
sample's 2025-26 episodes with a blank ``DEC`` and a second ``DEC`` holding the dates
counted 1,023 children looked after on 31/03/2026, not 869, said only as "unknown
column DEC.1". In a table recognised as a 903 table by its columns (so its first row is
column names, not a child's details), the copies of a column named twice are read as one
where they agree on every row (or all but one are blank there), and said; where they
differ, the file cannot be read, naming the column and the first row where they differ.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from sufficiency.errors import InputDataError, Problem
from sufficiency.io.tables import RawTable

#: pandas' name for a repeated column: ``dec.1`` for the second ``dec``.
_COPY = re.compile(r"^(.+)\.(\d+)$")


def one_of_each(raw: RawTable) -> RawTable:
    """``raw`` with each column named twice read as one, noted; raises
    :class:`InputDataError` where the copies differ on a row."""
    data = raw.data
    copies: dict[str, list[str]] = {}
    for col in data.columns:
        m = _COPY.match(str(col))
        if m and m.group(1) in data.columns:
            copies.setdefault(m.group(1), []).append(str(col))
    if not copies:
        return raw
    notes: list[Problem] = []
    errors: list[Problem] = []
    for base, others in copies.items():
        value = data[base]
        clash = pd.Series(False, index=data.index)
        for other in others:
            clash |= (value.notna() & data[other].notna() & (value != data[other])).fillna(False)
            value = value.fillna(data[other])
        if clash.any():
            errors.append(
                raw.problem(clash.idxmax(), base, None,
                            f"column appears {len(others) + 1} times and the copies differ "
                            f"(first on this row): keep only the return's {raw.column_label(base)}",
                            code="duplicate_column")
            )  # fmt: skip
            continue
        data = data.assign(**{base: value}).drop(columns=others)
        notes.append(
            raw.problem(None, base, None,
                        f"column appears {len(others) + 1} times (an export joining tables?); "
                        "the copies agree on every row, or all but one are blank there: read "
                        "as one", severity="warning", code="column_twice",
                        action="read as one column")
        )  # fmt: skip
    if errors:
        raise InputDataError(errors)
    kept = {k: v for k, v in raw.original_columns.items() if k in data.columns}
    return replace(raw, data=data, original_columns=kept, notes=(*raw.notes, *notes))


__all__ = ["one_of_each"]
