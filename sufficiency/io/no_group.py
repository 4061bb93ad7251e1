"""A referral's ``sibling_group`` saying "no group": N/A, None, NULL, a dash.

Children sharing a ``sibling_group`` are placed together. A team's tracker fills the
cell of a child with no siblings in care with ``N/A``, ``None`` or ``-``, and a
database export with ``NULL``: read as written, every such child was in one sibling
group, unrelated children matched as siblings to one home or left unplaced together,
without a word. Such a value is read as no group (a blank cell), said in one warning
naming its rows.
"""

from __future__ import annotations

from dataclasses import replace

from sufficiency.errors import Problem
from sufficiency.io.tables import RawTable
from sufficiency.io.unnamed import some_rows

#: What a sibling_group cell holds to say the child is in no group (lower case).
NO_GROUP = frozenset({
    "n/a", "na", "n.a.", "n.a", "none", "null", "(null)", "nil", "nan", "no", "-", "--", "—",
    "not applicable", "no group", "no siblings", "no sibling group",
})  # fmt: skip


def no_group(raw: RawTable, column: str) -> tuple[RawTable, list[Problem]]:
    """``raw`` with each ``column`` (the file's sibling_group column) cell that says
    "no group" (:data:`NO_GROUP`) blank, and a warning naming their rows."""
    if column not in raw.data.columns:
        return raw, []
    cells = raw.data[column]
    hit = cells.str.strip().str.lower().isin(NO_GROUP).fillna(False).astype(bool)
    if not hit.any():
        return raw, []
    rows = [raw.row_number(int(i)) for i in raw.data.index[hit.to_numpy(bool)]]
    word = str(cells[hit].iloc[0]).strip()
    note = raw.problem(
        None, column, None,
        f"says no group with {word!r} (row{'s' if len(rows) > 1 else ''} {some_rows(rows)}): "
        "read as blank, each such child in no sibling group (read as written, they would "
        "all be one group, to be placed together)",
        severity="warning", code="no_group",
    )  # fmt: skip
    return replace(raw, data=raw.data.assign(**{column: cells.mask(hit)})), [note]
