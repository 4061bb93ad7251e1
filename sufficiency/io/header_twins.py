"""A 903 header (or uasc) table giving a child's row once for each of their episodes.

A case system's report joining the header to the episodes, or a header copied out of
such a sheet, gives each child's ``CHILD``, ``SEX``, ``DOB``... on as many rows as they
have episodes, every cell the same. The forecast reads the child once, but ``validate``
called each repeat an error, "duplicate CHILD": the sample so written gave 2,855 errors
and ``validate`` refused a history the forecast reads whole. A row that repeats an
earlier row cell for cell is now left out, said once a table with how many and the
first; a child on two rows that differ in any cell is still the error it was.
"""

from __future__ import annotations

from dataclasses import replace

from sufficiency.errors import Problem
from sufficiency.io.tables import RawTable

CODE = "repeated_child_row"


def drop_twin_rows(raw: RawTable) -> tuple[RawTable, list[Problem]]:
    """``raw`` without each row that repeats an earlier row cell for cell (a child's
    ``CHILD`` given), and a warning saying how many and naming the first."""
    data = raw.data
    if data.empty or "child" not in data.columns:
        return raw, []
    twin = data.astype("string").fillna("").duplicated(keep="first") & data["child"].notna()
    if not twin.any():
        return raw, []
    rows = data.index[twin.to_numpy(bool)]
    n = len(rows)
    note = raw.problem(
        rows[0], "child", None,
        f"{n:,} row{'s' if n > 1 else ''} from this row on repeat an earlier row cell for "
        "cell (a child given once for each episode, as a report joining the header to the "
        "episodes does): each child read once", severity="warning", code=CODE,
        action="left out",
    )  # fmt: skip
    return replace(raw, data=data.drop(index=rows)), [note]
