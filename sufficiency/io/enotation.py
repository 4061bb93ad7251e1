"""A numeric ID as Excel's scientific notation writes it: ``1.00211E+05``.

Excel shows a number in a column formatted General, too narrow for its digits, in
scientific notation, and a CSV it saves holds that text. A 903 header so saved wrote the
child 100211 as ``1.00211E+05`` while the episodes kept ``100211``: read as two
identifiers, the child had episodes and no header row (no date of birth), their episodes
set aside, and the header's row counted no one, with nothing said of the notation.

Where every digit of the whole number is written (``1.00211E+05`` is 100211: six digits
for a number of six), the value is that number exactly and is read as it, a warning
naming the file, row and column. Where fewer digits are written than the number has
(``1.0021E+05``, ``1.00211E+11`` for a 12-digit ID), the others were lost when the file
was saved: the ID cannot be told from its neighbours, so the row cannot be linked to the
child's rows in other tables or years, and is set aside (:func:`lost_digits`, which
:func:`sufficiency.io.cells.scientific` names as an error of its row).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.tables import RawTable

#: A whole number in scientific notation as Excel (``1.00211E+05``) or another program
#: (``1.00211e+05``) writes one: a plus sign and an exponent of two digits or more, never
#: an ID's own form (a code such as ``1E01`` has neither).
_FORM = r"(?P<lead>[1-9])(?:\.(?P<rest>\d+))?[eE]\+(?P<exp>\d{2,3})"


def _parts(s: pd.Series) -> pd.DataFrame:
    text = s.astype("string").str.strip()
    parts = text.str.extract(f"^{_FORM}$")
    digits = parts["lead"].fillna("") + parts["rest"].fillna("")
    places = pd.to_numeric(parts["exp"], errors="coerce") + 1  # digits of the whole number
    return pd.DataFrame({"digits": digits, "places": places}, index=s.index)


def exact_integers(s: pd.Series) -> pd.Series:
    """Each value of ``s`` in scientific notation whose every digit is written
    (``1.00211E+05``, ``1.002110E+05``): the whole number it is (``100211``), as text;
    ``<NA>`` for any other value."""
    p = _parts(s)
    out = pd.Series(pd.NA, index=s.index, dtype="string")
    for i, digits, places in zip(p.index, p["digits"], p["places"], strict=True):
        if pd.isna(places) or len(digits) < places or digits[int(places) :].strip("0"):
            continue
        out.at[i] = digits[: int(places)]
    return out


def lost_digits(s: pd.Series) -> pd.Series:
    """Whether each value of ``s`` is a whole number in scientific notation written with
    fewer digits than it has (``1.0021E+05``, ``1.00211E+11``): its other digits lost."""
    p = _parts(s)
    return (p["places"].notna() & (p["digits"].str.len() < p["places"])).fillna(False).astype(bool)


#: What is said of a CHILD read so.
EXACT_MESSAGE = (
    "is written in Excel's scientific notation (a number column too narrow for it) with "
    "every digit kept: read as {}; export the file again with the column formatted as Text"
)


def read_exact(raw: RawTable, column: str = "child") -> tuple[RawTable, list[Problem]]:
    """``raw`` with each ``column`` value in scientific notation whose every digit is
    written read as the whole number it is, and a warning for each such row."""
    if column not in raw.data.columns:
        return raw, []
    whole = exact_integers(raw.data[column])
    hit = whole.notna().to_numpy(bool)
    if not hit.any():
        return raw, []
    data = raw.data.copy()
    notes = [
        raw.problem(i, column, str(data.at[i, column]), EXACT_MESSAGE.format(whole.at[i]),
                    severity="warning", code="child_id_enotation", action=f"read as {whole.at[i]}")
        for i in data.index[hit]
    ]  # fmt: skip
    data.loc[hit, column] = whole[hit]
    return replace(raw, data=data), notes
