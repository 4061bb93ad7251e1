"""A child's date of birth in a return's UASC table that differs from the header's.

An unaccompanied child's date of birth is often revised after an age assessment, and
the two tables of one return then disagree (``15/12/2009`` in the header,
``16/12/2009`` in uasc). Nothing said so: the forecast read the header's date, and the
user could not tell which one a child's age came from. Each such row is a warning
naming both files, rows and the column, its value by shape only, and saying the
header's date is the one used (the forecast reads dates of birth from the header).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.dates import read_dates
from sufficiency.io.shape import mask_value
from sufficiency.io.ssda903_scan import Return

UASC_DOB_DIFFERS = "uasc_dob_differs"


def uasc_dob_problems(ret: Return, header: pd.DataFrame) -> list[Problem]:
    """A warning for each row of ``ret``'s uasc tables whose DOB is a date other than
    the child's DOB in ``header`` (that return's header rows: CHILD, DOB parsed, _src,
    _row)."""
    out: list[Problem] = []
    known = header.dropna(subset=["CHILD", "DOB"]).drop_duplicates("CHILD", keep="last")
    known = known.set_index("CHILD")
    for t in ret.tables.get("uasc", ()):
        raw = t.raw
        if not {"child", "dob"} <= set(raw.data.columns) or known.empty:
            continue
        child = raw.data["child"].astype("string").str.strip()
        dob = read_dates(raw.data["dob"])
        theirs = pd.Series(known["DOB"].reindex(child.to_numpy()).to_numpy(), index=child.index)
        differ = (dob.notna() & theirs.notna() & (dob != theirs)).to_numpy(bool)
        column = raw.column_label("dob")
        for idx in raw.data.index[differ]:
            h = known.loc[child[idx]]
            out.append(
                Problem(raw.source, raw.row_number(int(idx)), column,
                        mask_value(str(raw.data.at[idx, "dob"])),
                        f"child {child[idx]}'s date of birth here differs from the one in "
                        f"{h['_src']} row {int(np.int64(h['_row']))} ({column}), the one the "
                        "forecast uses: check which is right (an age assessment?) and "
                        "correct the other",
                        severity="warning", code=UASC_DOB_DIFFERS,
                        action="the header's date of birth used")
            )  # fmt: skip
    return out
