"""Cells as councils' files write them: figures, and Excel's error values.

Figures: a pound sign and thousands commas are read, and a comma only between thousands
(``1,234.50``). A European Excel writes the decimal point as a comma (``691,21``):
reading its comma as a thousands separator made a weekly fee of £691.21 one of £69,121,
without a word; such a value is named instead.

Excel's error values: a council's sheet fills columns by formula (a sibling group
looked up from another sheet, say). A lookup that finds nothing leaves ``#N/A`` in the
cell, and the file, as CSV or as a workbook's cached values, holds that text. Read as a
value, three unrelated children whose lookups failed shared the sibling group ``#N/A``
and were matched as siblings, without a word. Such a cell is an error of its row, named
as Excel's, and read as blank, so the row's other checks do not repeat it.

Excel's lost digits: Excel shows a number of 12 digits or more in a column formatted
General in scientific notation (``1.23457E+11``), and a CSV it saves holds that text, the
other digits gone. A 903 return whose CHILD identifiers were so saved had thousands of
children under a few dozen identifiers: read as one child each, their episodes trimmed
as overlapping and their header rows dropped as repeats, it counted 319 children looked
after on 31 March 2024 for 844, the forecast running on with no error. In an identifier
or other text column such a value is an error of its row, named as Excel's, and read
as blank.

Excel keeps 15 significant digits of a number: an identifier of 16 digits or more
typed into a number cell (1234567890123456789) is held as 1234567890123450000, in the
workbook itself and in a CSV saved from it with the column formatted as a number.
Children whose identifiers differ past the 15th digit became one: the sample so saved
counted 41 children looked after on 31 March 2026 for 869. Such identifiers are named
row by row, as the scientific notation is (:func:`excel_rounded`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.enotation import lost_digits
from sufficiency.io.european import european_figures
from sufficiency.io.shape import placeholder
from sufficiency.io.tables import RawTable
from sufficiency.io.xlsx_formulas import UNCALCULATED_MESSAGE

#: Yes and no as flags are written.
FLAG_VALUES: dict[str, bool] = {
    "y": True,
    "yes": True,
    "true": True,
    "1": True,
    "n": False,
    "no": False,
    "false": False,
    "0": False,
    **dict.fromkeys("\u2713\u2714\u2611", True),  # a tick, as hand-kept sheets mark a yes
    **dict.fromkeys("\u2717\u2718\u2612", False),  # and a cross, a no
}
FLAG_ERROR = "must be Y or N (or yes, no, 1, 0, true, false, a tick or a cross)"

#: A figure whose commas separate thousands (1,234 or 12,345.67): the only commas read.
_THOUSANDS = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"
#: A decimal comma (691,21), as a European Excel writes: named as such, not read.
DECIMAL_COMMA = r"[+-]?£?\s*\d+,\d{1,2}"


def parse_numbers(s: pd.Series) -> pd.Series:
    """Numbers, allowing a leading pound sign and thousands commas; ``inf``, ``Infinity``
    and a figure too large for a float (``1e400``) are not numbers, nor is one with a
    comma that does not separate thousands (``691,21``, a decimal comma, was £69,121).
    A minus before the pound sign (``-£1,234.00``, Excel's own UK currency format) is read."""
    text = s.astype("string").str.strip().str.replace(r"^([+-]?)\s*£\s*", r"\1", regex=True)
    grouped = text.str.fullmatch(_THOUSANDS).fillna(False)
    cleaned = text.where(grouped | ~text.str.contains(",", regex=False).fillna(False))
    out = pd.to_numeric(cleaned.str.replace(",", ""), errors="coerce").astype("Float64")
    return out.mask(out.isin([np.inf, -np.inf]))


#: Excel's error values (and Google Sheets' #ERROR!), in any case.
EXCEL_ERROR = re.compile(
    r"#(?:N/A|REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|FIELD!|BLOCKED!|"
    r"CONNECT!|UNKNOWN!|BUSY!|GETTING_DATA|ERROR!)",
    re.IGNORECASE,
)


#: A number as Excel shows one of 12 digits or more in a General column (1.23457E+11):
#: never an identifier's own form (a code such as 1E01 has no plus and a short exponent).
EXCEL_SCIENTIFIC = re.compile(r"[1-9](?:\.\d+)?E\+(?:1[1-9]|[2-9]\d)", re.IGNORECASE)
#: What is said of such a value in an identifier or other text column.
SCIENTIFIC_MESSAGE = (
    "is a number in Excel's scientific notation with fewer digits than it has (Excel shows "
    "an identifier of 12 digits or more so, or a shorter one in a narrow column), saved "
    "with its other digits lost, so children (or rows) cannot be told apart or linked "
    "across tables; export the file again with the column formatted as Text"
)


def scientific(s: pd.Series) -> pd.Series:
    """Whether each value is a number in Excel's scientific notation (:data:`EXCEL_SCIENTIFIC`),
    or another whole number in it written with fewer digits than it has (``1.0021E+05``:
    :func:`~sufficiency.io.enotation.lost_digits`)."""
    sci = s.astype("string").str.fullmatch(EXCEL_SCIENTIFIC).fillna(False).astype(bool)
    return sci | lost_digits(s)


#: Significant digits Excel keeps of a number: those past them become zeros.
EXCEL_DIGITS = 15
#: What is said of an identifier Excel so rounded.
ROUNDED_MESSAGE = (
    f"is a number of more than {EXCEL_DIGITS} digits ending in zeros, as is every such value "
    "of this column: Excel keeps 15 digits of a number, so identifiers of 16 digits or more "
    "typed or kept as numbers lost their last digits and children (or rows) cannot be told "
    "apart; export the file again with the column formatted as Text"
)
#: Zeros past the 15th digit, over an identifier column's distinct long numbers, that
#: say Excel rounded them: one in a thousand genuine identifiers would have so many.
ROUNDED_ZEROS = 3


def excel_rounded(s: pd.Series) -> pd.Series:
    """Whether each value is an identifier Excel rounded to 15 significant digits: a whole
    number of 16 digits or more (no leading zero: text kept them; thousands separators
    read, as a column formatted with them is saved) whose digits past the
    15th are zeros, in a column where every such number's are and at least
    :data:`ROUNDED_ZEROS` zeros stand there across its distinct numbers (a lone 16-digit
    identifier ending in 0 may be genuine; a column of identifiers each ending in zeros
    is not). In a workbook, such a number cell is read as Excel shows it
    (1234567890123450000), as in a CSV Excel saved with the column formatted as a number."""
    text = s.astype("string").str.strip()
    grouped = text.str.fullmatch(r"[1-9]\d{0,2}(?:,\d{3})+").fillna(False).astype(bool)
    text = text.where(~grouped, text.str.replace(",", ""))  # a column shown with separators
    long = text.str.fullmatch(rf"[1-9]\d{{{EXCEL_DIGITS},}}").fillna(False).astype(bool)
    if not long.any():
        return long
    values = pd.Series(text[long].unique())
    tails = values.str.slice(EXCEL_DIGITS)
    if not tails.str.fullmatch(r"0+").all() or int(tails.str.len().sum()) < ROUNDED_ZEROS:
        return long & False
    return long


def excel_errors(
    raw: RawTable, mapping: Mapping[str, Any], ids: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """``raw``'s columns ``mapping`` (the file's column -> its schema ``Field``), renamed to
    the fields' names, with Excel's error values, and numbers in Excel's scientific
    notation or rounded by Excel (:func:`excel_rounded`) in a text column not sensitive
    (an identifier), blanked; where they were;
    and one error per such cell; so for a figure of a CSV with semicolons or tabs that may
    be a thousands separator or a decimal point (:mod:`~sufficiency.io.european`, which
    reads a consistently European file's figures, said in a note), and for a workbook's
    formula cell with no value saved (:mod:`~sufficiency.io.xlsx_formulas`). ``#N/A`` in
    the child's ID column ``ids`` is left for the ID's own check (a placeholder, as ``N/A``)."""
    named = {f.name: c for c, f in mapping.items()}
    data = raw.data[list(named.values())].rename(columns={c: n for n, c in named.items()})
    hit = data.apply(lambda s: s.astype("string").str.fullmatch(EXCEL_ERROR).fillna(False))
    if ids in hit.columns:  # #N/A as a child's ID: refused as every placeholder is
        hit[ids] &= ~placeholder(data[ids])
    texts = [f.name for f in mapping.values() if f.kind == "text" and not f.sensitive]
    sci = pd.DataFrame({c: scientific(data[c]) if c in texts else False for c in data.columns},
                       index=data.index, dtype=bool)  # fmt: skip
    rounded = pd.DataFrame({c: excel_rounded(data[c]) if c in texts else False
                            for c in data.columns}, index=data.index, dtype=bool)  # fmt: skip
    figures = [f.name for f in mapping.values() if f.kind in ("int", "number")]
    data, stops, european = european_figures(raw, data, figures)
    calc = pd.DataFrame(False, index=data.index, columns=data.columns)
    for row, col in raw.uncalculated:  # a formula no value was saved for: read blank
        if col in mapping and (idx := row - raw.first_data_row) in calc.index:
            calc.at[idx, mapping[col].name] = True
    if not (sci | rounded | stops | calc | hit.astype(bool)).to_numpy(bool).any():
        return data, hit, european
    problems = [
        raw.problem(idx, named[col], str(data.at[idx, col]),
                    "holds Excel's error value, not a value: the formula that fills the cell "
                    "failed (a lookup that found nothing?); correct it, or type the value",
                    code="excel_error")
        for col in data.columns for idx in data.index[hit[col].to_numpy(bool)]
    ] + [
        raw.problem(idx, named[col], str(data.at[idx, col]), SCIENTIFIC_MESSAGE,
                    code="excel_scientific")
        for col in texts for idx in data.index[sci[col].to_numpy(bool)]
    ] + [
        raw.problem(idx, named[col], str(data.at[idx, col]), ROUNDED_MESSAGE,
                    code="excel_rounded")
        for col in texts for idx in data.index[rounded[col].to_numpy(bool)]
    ] + european + [
        raw.problem(idx, named[col], None, UNCALCULATED_MESSAGE, code="excel_uncalculated")
        for col in data.columns for idx in data.index[calc[col].to_numpy(bool)]
    ]  # fmt: skip
    hit = sci | rounded | stops | calc | hit.astype(bool)
    return data.mask(hit), hit, problems


def said_once(records: Iterable[dict[str, Any]], failed: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """pandera's failure ``records`` without a required cell's "blank" where the cell
    held Excel's error value (``failed``, from :func:`excel_errors`): said once."""
    for rec in records:
        idx, name = rec.get("index"), rec.get("column")
        if not (rec.get("check") == "not_nullable" and bool(failed.at[idx, name])):
            yield rec
