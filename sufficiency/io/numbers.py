"""Figures as councils' files write them: a pound sign, thousands commas, never a
decimal comma.

A comma is read only between thousands (``1,234.50``). A European Excel writes the
decimal point as a comma (``691,21``): reading its comma as a thousands separator made
a weekly fee of £691.21 one of £69,121, without a word; such a value is named instead.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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
