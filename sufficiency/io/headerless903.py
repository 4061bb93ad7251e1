"""A 903 header table exported without its header row, recognised by its values.

A header file whose first line is a child's row (``101150,1,01/01/2012,WBRI,UN1,,``)
has no ``CHILD``, ``SEX`` or ``DOB`` column: it was skipped as "not a 903 table", that
year's dates of birth were lost and its children's episodes set aside. DfE's header
table has a fixed order (CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB); a table of at
most seven columns whose first three hold, in every row and in the line read as the
header, an ID, a 903 sex code and a date in the form DD/MM/YYYY is that table: it is
read with DfE's names (the columns after DOB as their values show), the line read as
its header as a child's row, and a note says so. Anything else is left as it was (not a 903 table).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from sufficiency import codes
from sufficiency.errors import Problem
from sufficiency.io.id_shape import not_an_id
from sufficiency.io.ssda903_xml import DFE_TABLES
from sufficiency.io.tables import RawTable

_DATE = r"[0-3]?\d/[01]?\d/(?:19|20)\d\d"
#: The values of the columns after DOB, in DfE's order.
_LATER = {
    "ETHNIC": "|".join(sorted(codes.ETHNIC_CODES)),
    "UPN": r"[A-Z]\d{11}[0-9A-Z]|UN[1-5]",
    "MOTHER": r"[01]",
    "MC_DOB": _DATE,
}


def _rows(raw: RawTable) -> pd.DataFrame:
    """``raw``'s rows with the line read as its header put back as the first row."""
    first = [str(raw.original_columns.get(c, c)) for c in raw.data.columns]
    top = pd.DataFrame([first], columns=list(range(len(first))), dtype="string")
    rest = raw.data.set_axis(list(range(len(first))), axis=1).astype("string")
    return pd.concat([top, rest], ignore_index=True)


def as_header(raw: RawTable) -> tuple[RawTable, Problem] | None:
    """``raw`` read as a 903 header whose header row is missing, and a note saying so;
    ``None`` when its values are not a header's (module docstring)."""
    if not 3 <= len(raw.data.columns) <= len(DFE_TABLES["header"]):
        return None
    rows = _rows(raw)
    child, sex, dob = (rows[i].str.strip() for i in range(3))
    if (
        child.isna().any()
        or (child == "").any()
        or not_an_id(child).any()
        or not sex.str.lower().isin(list(codes.SEX_CODES_903)).all()
        or not dob.str.fullmatch(_DATE).fillna(False).all()
    ):
        return None
    # a column whose first cell is blank is dropped by the reader: each column after DOB
    # is named by its values (the next of ETHNIC, UPN, MOTHER, MC_DOB they all fit)
    columns = ["child", "sex", "dob"]
    rest = list(_LATER)
    for i in range(3, len(rows.columns)):
        values = rows[i].dropna().str.strip()
        fits = [n for n in rest if values.str.fullmatch(_LATER[n], case=False).all()]
        if not fits:
            break
        columns.append(fits[0].lower())
        rest = rest[rest.index(fits[0]) + 1 :]
    data = rows.iloc[:, : len(columns)].set_axis(columns, axis=1)
    read = replace(
        raw,
        data=data,
        original_columns={c: c.upper() for c in columns},
        first_data_row=raw.first_data_row - 1,
        date_cells=frozenset(),
    )
    note = Problem(
        raw.source, None, None, None,
        f"has no header row, but its columns hold what a 903 header "
        "holds (an ID, a sex code and a date of birth on every row): read as the 903 "
        f"header, its columns read as {', '.join(c.upper() for c in columns)} by their "
        f"values{'' if len(columns) == len(rows.columns) else ' (the others not read)'}, "
        f"its row {raw.first_data_row - 1} as a child's row; add the header row to be sure",
        severity="warning", code="header_row_missing",
        action="read as a 903 header",
    )  # fmt: skip
    return read, note
