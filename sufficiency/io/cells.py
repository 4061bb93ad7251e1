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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.tables import RawTable

#: A figure whose commas separate thousands (1,234 or 12,345.67): the only commas read.
_THOUSANDS = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"
#: A decimal comma (691,21), as a European Excel writes: named as such, not read.
DECIMAL_COMMA = r"[+-]?£?\s*\d+,\d{1,2}"


def parse_numbers(s: pd.Series) -> pd.Series:
    """Numbers, allowing a leading pound sign and thousands commas; ``inf``, ``Infinity``
    and a figure too large for a float (``1e400``) are not numbers, nor is one with a
    comma that does not separate thousands (``691,21``, a decimal comma, was £69,121)."""
    text = s.astype("string").str.replace(r"^£", "", regex=True).str.strip()
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


def excel_errors(
    raw: RawTable, named: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """``raw``'s columns ``named`` (a field's name -> the file's column), renamed, with
    Excel's error values blanked; where they were; and one error per such cell."""
    data = raw.data[list(named.values())].rename(columns={c: n for n, c in named.items()})
    hit = data.apply(lambda s: s.astype("string").str.fullmatch(EXCEL_ERROR).fillna(False))
    if not hit.to_numpy(bool).any():
        return data, hit, []
    problems = [
        raw.problem(idx, named[col], str(data.at[idx, col]),
                    "holds Excel's error value, not a value: the formula that fills the cell "
                    "failed (a lookup that found nothing?); correct it, or type the value",
                    code="excel_error")
        for col in data.columns for idx in data.index[hit[col].to_numpy(bool)]
    ]  # fmt: skip
    return data.mask(hit), hit, problems


def said_once(records: Iterable[dict[str, Any]], failed: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """pandera's failure ``records`` without a required cell's "blank" where the cell
    held Excel's error value (``failed``, from :func:`excel_errors`): said once."""
    for rec in records:
        idx, name = rec.get("index"), rec.get("column")
        if not (rec.get("check") == "not_nullable" and bool(failed.at[idx, name])):
            yield rec
