"""Figures as a European Excel writes them, in a CSV with semicolons (or tabs) between columns.

Excel set to a European language saves "CSV" with semicolons between its columns, a
comma before the decimals and full stops between thousands: a weekly fee of £1,234.50 is
``1.234,50``, one of £691.21 is ``691,21``, one of £1,094 is ``1.094``. Such a file was
refused whole for one decimal comma (no night matched), while a ``1.094`` in it set
aside only its row: one figure blocked the night, another did not.

Now the figures of a file's number columns decide, figure by figure, as a reader would:

- a figure only a European Excel writes (a comma followed by other than three digits,
  ``691,21``; or full stops between thousands then a comma, ``1.234,50``) says the file
  is European; one only an English Excel writes (a full stop followed by other than three
  digits, ``600.50``; or commas between thousands then a full stop, ``1,234.50``) says it
  is English;
- a file whose figures say European and none English is read so, every figure of its
  number columns (``1.094`` is 1094, ``1,234`` is 1.234), and said in one note naming a
  figure that showed it;
- otherwise a figure that may be either (``1.094``, ``1,234``), or that says European in
  a file whose others say English, is not read: an error of its row naming the cell, the
  row set aside and the rest of the night read.

A comma-separated file is not touched here: its comma is a thousands separator, and a
decimal comma in it is named by the schema's check.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.tables import RawTable

_SIGN = r"(?P<sign>[+-]?£?\s*)"
#: A figure only a European Excel writes: 691,21, 1.234,50, 12,3456.
_EUROPEAN = _SIGN + r"(?:\d{1,3}(?:\.\d{3})+,\d+|\d+,(?:\d{1,2}|\d{4,})|\d{4,},\d+)"
#: A figure only an English Excel writes: 600.50, 1,234.50, 0.1234.
_ENGLISH = _SIGN + r"(?:\d{1,3}(?:,\d{3})+\.\d+|\d+\.(?:\d{1,2}|\d{4,})|\d{4,}\.\d+)"
#: A figure that may be either: a full stop or a comma before groups of three digits.
_EITHER = _SIGN + r"\d{1,3}(?:[.,]\d{3})+"
#: A figure as a European Excel writes it, read: its thousands stops, and its decimals.
_READ = _SIGN + r"(?P<whole>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<decimals>\d+))?"

#: What is said of a figure that may be a thousands separator or a decimal point.
EITHER_MESSAGE = (
    "is a number with a {mark} before three digits in a file with {what} between its "
    "columns, where the other figures do not settle how it writes numbers: a European Excel "
    "writes {example} so, an English one {other}, which cannot be told apart, so it is not "
    "read; write it without the {mark} ({plain}), or save the file as CSV (comma-separated) "
    "from an English Excel"
)
#: What is said of a decimal comma in a file whose other figures have decimal points.
MIXED_MESSAGE = (
    "is a number with a decimal comma, as a European Excel writes one, in a file whose other "
    "figures have decimal points ({english}, row {row}, column {column}): which way each "
    "figure was written cannot be told, so it is not read; write every figure one way"
)


def _texts(data: pd.DataFrame, names: Iterable[str]) -> dict[str, pd.Series]:
    return {n: data[n].astype("string").str.strip() for n in names}


def _first(texts: dict[str, pd.Series], pattern: str) -> tuple[str, int, str] | None:
    """The first (column, index, value) of ``texts`` matching ``pattern``, or ``None``."""
    for name, s in texts.items():
        hit = s.str.fullmatch(pattern).fillna(False).to_numpy(bool)
        if hit.any():
            idx = s.index[hit][0]
            return name, int(idx), str(s.at[idx])
    return None


def _read(s: pd.Series) -> pd.Series:
    """``s``'s figures written as a European Excel writes them, as a full stop writes them."""
    parts = s.str.extract(f"^{_READ}$")
    read = parts["sign"] + parts["whole"].str.replace(".", "", regex=False)
    read = read.where(parts["decimals"].isna(), read + "." + parts["decimals"])
    return read.where(parts["whole"].notna(), s)


def european_figures(
    raw: RawTable, data: pd.DataFrame, names: Iterable[str]
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """``data`` (columns renamed to fields' names) with the figures of its number columns
    ``names`` read as the file writes them (see the module), where ``raw`` has semicolons
    or tabs between its columns; the cells not read (to be blanked); and the note that
    the file was read as European, or an error per cell not read."""
    hit = pd.DataFrame(False, index=data.index, columns=data.columns)
    if raw.delimiter in (",", "|"):  # a bar says nothing of the language of the Excel
        return data, hit, []
    names = [n for n in names if n in data.columns]
    texts = _texts(data, names)
    european, english = _first(texts, _EUROPEAN), _first(texts, _ENGLISH)
    what = "semicolons" if raw.delimiter == ";" else "tabs"
    if european is not None and english is None:
        col, idx, value = european
        data = data.copy()
        for name in names:
            data[name] = _read(texts[name]).where(data[name].notna())
        note = Problem(
            raw.source, None, None, None,
            f"has {what} between its columns and its figures written as a European Excel "
            f"writes them ({value!r} in row {raw.row_number(idx)}, column "
            f"{raw.column_label(col)}): read so, a full stop between thousands and a comma "
            "before the decimals (1.234,50 is 1234.50, 1.094 is 1094)",
            severity="warning", code="european_figures",
        )  # fmt: skip
        return data, hit, [note]
    problems: list[Problem] = []
    for name, s in texts.items():
        either = s.str.fullmatch(_EITHER).fillna(False).to_numpy(bool)
        mixed = s.str.fullmatch(_EUROPEAN).fillna(False).to_numpy(bool) & (english is not None)
        hit[name] = either | mixed
        for idx in s.index[either]:
            comma = "," in str(s.at[idx])
            problems.append(raw.problem(idx, name, str(s.at[idx]), EITHER_MESSAGE.format(
                mark="comma" if comma else "full stop", what=what,
                example="one and a bit (1,234)" if comma else "a thousand and more (1.094)",
                other="a thousand and more" if comma else "one and a bit",
                plain="1234 or 1.234" if comma else "1094"), code="invalid_value"))  # fmt: skip
        col, row, value = english or ("", 0, "")  # mixed: a figure said English
        for idx in s.index[mixed]:
            problems.append(raw.problem(idx, name, str(s.at[idx]), MIXED_MESSAGE.format(
                english=repr(value), row=raw.row_number(row), column=raw.column_label(col)),
                code="invalid_value"))  # fmt: skip
    return data, hit.astype(bool), problems
