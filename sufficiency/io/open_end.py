"""An open episode's end date as case systems write "no end": ``31/12/9999`` or ``-``.

DfE leaves ``DEC`` blank for an episode open at 31 March. Case-management databases
hold an open placement's end as a date far in the future (``9999-12-31``, SQL Server's
and Oracle's largest date; ``31/12/2099``; ``01/01/3000``) or Excel's serial for one
(``2958465``), and reports write it as a dash, ``N/A``, ``open`` or ``ongoing``; an
extract of such a system gives them in ``DEC``. Read as written, ``31/12/9999`` is no
date (out of the years any input may hold), so every open episode was set aside: the
sample with its open episodes so written forecast from no child looked after on
31/03/2026 (869), only "5,228 end dates not a date" said. ``31/12/2099`` is a date,
and each return's latest dates (2099) made it the return for 2099-00: six years read as
one, and the forecast was of no one. A ``DEC`` in 2099 or later, or so written, is
read as blank (open), said once per table with how many rows and the first.

SQL Server's and Excel's day zero is the other "no date": a report that turns an empty
date into a date writes ``01/01/1900`` (``1900-01-01 00:00:00.000``) or ``30/12/1899``.
Read as written, each open episode ended before it started: the sample with its open
ends so written had 4,005 episodes set aside as errors and counted 1,023 children
looked after on 31/03/2026, not 869 (an earlier return's open episode, no longer
superseded, read as the child's latest). A ``DEC`` in 1900 or before is read as open too:
no child in a 903 return left care then.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.tables import RawTable

#: No episode in a return ends this year or later: a "no end" date.
FAR_YEAR = 2099
#: No episode in a return ends this year or earlier: day zero, a "no date" date.
ZERO_YEAR = 1900
#: Excel's serial numbers of 1 January and 31 December 9999 (a 5-digit serial is read as
#: a date before this is: 73050 is 31/12/2099, a far date).
_SERIALS_9999 = (2958101, 2958465)
#: How reports write an end date that is not there.
_NO_END_WORDS = frozenset({"-", "\u2013", "\u2014", "n/a", "na", "open", "ongoing", "current"})


def _no_end(values: pd.Series) -> pd.Series:
    """Whether each value (as :func:`~sufficiency.io.dates.normalise_dates` left it)
    writes "no end": a far date, or a word or dash."""
    text = values.astype("string").str.strip()
    year = pd.to_numeric(text.str.extract(r"^\d{1,2}/\d{1,2}/(\d{4})$")[0], errors="coerce")
    serial = pd.to_numeric(text.str.extract(r"^(\d{7})(?:\.0+)?$")[0], errors="coerce")
    words = text.str.lower().isin(_NO_END_WORDS)
    far = (year >= FAR_YEAR) | (year <= ZERO_YEAR)
    return (far | serial.between(*_SERIALS_9999) | words).fillna(False).astype(bool)


def blank_open_ends(raw: RawTable) -> tuple[RawTable, list[Problem]]:
    """``raw`` (an episodes table) with each ``DEC`` written as "no end" made blank, and a
    warning saying so (how many rows, the first row and how the first was written)."""
    if "dec" not in raw.data.columns:
        return raw, []
    hit = _no_end(raw.data["dec"])
    if not hit.any():
        return raw, []
    rows = raw.data.index[hit.to_numpy(bool)]
    first = str(raw.data.at[rows[0], "dec"]).strip()
    note = raw.problem(
        rows[0], "dec", None,
        f"{len(rows):,} end date(s) from this row on are written '{first}' or the like, as "
        "a case system writes an open episode's 'no end date': read as blank (open at the "
        "end of the return)", severity="warning", code="open_end_date", action="read as open",
    )  # fmt: skip
    data = raw.data.copy()
    data.loc[rows, "dec"] = pd.NA
    return replace(raw, data=data), [note]
