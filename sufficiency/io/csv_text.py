"""Tables as the CSV text every output writes, safe to open in a spreadsheet.

A cell of text that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return) is run as a formula when the CSV is opened in Excel or LibreOffice: a home's
name, a decision's reason or a value quoted from an input could fetch a web page or
start a program on a placement officer's computer. Such cells are written with an
apostrophe first (``'=...``), as OWASP advises; numbers (``-12.50``) are left alone.
The readers take the apostrophe off again (:func:`unquote_formula_text`, and
:func:`read_csv_output` for an output read back, as the web pages do), so a file we
wrote, such as an exported decisions file, reads back as it was.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from sufficiency.errors import Problem

#: What a spreadsheet reads as the start of a formula.
_FORMULA_START = r"[=+\-@\t\r]"


def safe_cell(text: str) -> str:
    """One cell's text as :func:`csv_text` writes it (for a ``csv.writer``)."""
    return str(_escaped(pd.Series([text], dtype=object)).iloc[0])


def _text_columns(frame: pd.DataFrame) -> pd.Index:
    """The columns of ``frame`` that may hold text."""
    return frame.columns[
        [
            pd.api.types.is_object_dtype(t)
            or pd.api.types.is_string_dtype(t)
            or isinstance(t, pd.CategoricalDtype)
            for t in frame.dtypes
        ]
    ]


def _escaped(column: pd.Series) -> pd.Series:
    text = column.astype("string")
    risky = text.str.match(_FORMULA_START, na=False)
    if not risky.any():
        return column
    numbers = pd.to_numeric(text.where(risky), errors="coerce").notna()
    quote = risky & ~numbers
    return column.astype(object).where(~quote, "'" + text.astype(object))


def csv_text(frame: pd.DataFrame, float_format: str | None = None) -> str:
    """``frame`` as CSV text (no index, Unix line endings), formula-like text quoted; with
    a ``%.Nf`` format, a figure that rounds to zero is written ``0.00``, not ``-0.00``."""
    safe = frame.copy(deep=False)
    for name in _text_columns(frame):
        safe[name] = _escaped(frame[name])
    places = re.fullmatch(r"%\.(\d+)f", float_format or "")
    if places is not None:
        for name in safe.columns[safe.dtypes.map(pd.api.types.is_float_dtype)]:
            column = safe[name]
            # below half a unit of the last place: '-0.00' at %.2f ('0.00' with its sign)
            safe[name] = column.where(~(column.abs() < 0.5 * 10.0 ** -int(places.group(1))), 0.0)
    return str(safe.to_csv(index=False, lineterminator="\n", float_format=float_format))


def unquote_formula_text(column: pd.Series) -> pd.Series:
    """Cells read from a CSV with the apostrophe :func:`csv_text` puts before formula-like
    text (``'=...``), without it."""
    if not column.str.startswith("'", na=False).any():
        return column
    return column.str.replace(r"^'(?=[=+\-@])", "", regex=True)


def read_csv_output(path: str | Path, dtype: Any = None) -> pd.DataFrame:
    """An output CSV read back (for a page): text cells as they were before
    :func:`csv_text` quoted them (a scenario named ``+20% entries``, not ``'+20% entries``)."""
    frame = pd.read_csv(path, dtype=dtype)
    for name in _text_columns(frame):
        column = frame[name]
        unquoted = unquote_formula_text(column.astype("string"))
        frame[name] = unquoted.astype(object).where(column.notna(), column)
    return frame


#: A CSV cell written as a formula giving text, ``="00123"``, as case systems' exports do
#: to keep an ID's leading zeros (or a date as text) when the file is opened in Excel.
_TEXT_FORMULA = r'="(.*)"'


def text_formulas(data: pd.DataFrame, source: str) -> tuple[pd.DataFrame, list[Problem]]:
    """``data`` (a CSV's cells) with each ``="..."`` cell read as the text inside, and a
    note saying so: read as written, a child's ID ``="00123"`` was not the 00123 the
    team's decisions and other files give, and a date so written was no date."""
    hit = data.apply(lambda s: s.str.fullmatch(_TEXT_FORMULA).fillna(False)).astype(bool)
    if not hit.to_numpy(bool).any():
        return data, []
    inner = data.apply(lambda s: s.str.replace(f"^{_TEXT_FORMULA}$", r"\1", regex=True))
    note = Problem(source, None, None, None,
                   f'writes {int(hit.to_numpy(bool).sum()):,} cell(s) as ="..." (a formula '
                   "giving text, as exports do to keep leading zeros in Excel): read as the "
                   "text inside", severity="warning", code="text_formulas")  # fmt: skip
    return data.mask(hit, inner), [note]
