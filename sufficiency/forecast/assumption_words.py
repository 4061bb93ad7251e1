"""The forecast workbook's Assumptions sheet for a reader who is not a statistician.

The sheet gave the model's settings in its own terms, ``Entry overdispersion (gamma
shape) 89.7``, ``Shrinkage (pseudo-events) 5``, ``Simulated paths 1000``, with nothing to
say what they mean. The technical names stay (an analyst checking the method needs them)
and a third column says each in plain words; counts get their thousands separator.
``assumptions.csv`` keeps the two columns as they were, for machines.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS, print_sheet
from sufficiency.io.xlsx_text import wrapped_lines

#: The third column's name (a header of its own: no code word).
PLAIN = "In plain words"

#: Each setting in plain words, by its item.
SAID: dict[str, str] = {
    "Simulated paths": "How many possible futures the forecast simulates; the middle forecast "
    "(P50) and the range (P10 to P90) are read across them.",
    "Seed": "The starting number of the random simulation: the same seed and the same data "
    "give the same forecast.",
    "Reference window": "The recent years whose leaving care, moves and changes of legal "
    "status the rates are estimated from.",
    "Drift of the entry level (sd a year, log)": "How far the number of children entering "
    "care each month is allowed to wander from its present level in a year, as a share "
    "(0.05 is about 5%).",
    "Entry overdispersion (gamma shape)": "How much more the number of children entering "
    "care varies from month to month than chance alone would make it: the larger the "
    "figure, the nearer to chance alone; 'none' means no more than chance.",
    "Prior scale of the entry drift (sd a year, log)": "A setting: how far the entry level "
    "could plausibly wander in a year before the data are looked at (0.2 is about 20%).",
    "Rate drift between paths (sd, log)": "How much the rates of leaving and moving differ "
    "from one simulated future to another, so that the range allows for the rates "
    "themselves being uncertain (0.08 is about 8%).",
    "Shrinkage (pseudo-events)": "How strongly a rate seen in few children is pulled towards "
    "the rate of the wider group they belong to: it counts as this many imagined events at "
    "the wider group's rate, so a small group does not swing the forecast.",
    "Moves or changes followed by another in the same month": "The share of moves and "
    "changes of legal status that another follows within the same month.",
}
#: Items that start so, said in plain words (the rates, one row a category or group).
SAID_BY_START: dict[str, str] = {
    "Rate of exit:": "On average, how many times a year a child in this group leaves care "
    "(0.2: about one child in five a year); every Rate of exit row alike for its group.",
    "Rate of move to another category:": "On average, how many times a year a child in this "
    "group moves to another kind of placement; every such row alike.",
    "Rate of new placement in same category:": "On average, how many times a year a child "
    "in this group moves to another placement of the same kind.",
    "Rate of legal-status change:": "On average, how many times a year a child in this "
    "group's legal status changes.",
}
#: Items whose value is a count, given its thousands separator.
COUNTS = frozenset({"Simulated paths"})


def plain_words(item: str) -> str:
    """``item`` said in plain words, or "" for an item plain already."""
    if item in SAID:
        return SAID[item]
    return next((said for start, said in SAID_BY_START.items() if item.startswith(start)), "")


def with_plain_words(table: pd.DataFrame) -> pd.DataFrame:
    """The assumptions (``item``, ``value``) as the workbook gives them: counts with their
    thousands separator and a column :data:`PLAIN` beside them."""
    out = table.copy()
    if out.empty or "item" not in out.columns:
        return out
    counts = out["item"].isin(COUNTS) & out["value"].astype(str).str.fullmatch(r"\d+")
    out.loc[counts, "value"] = [f"{int(v):,}" for v in out.loc[counts, "value"]]
    # a kind of rate said on its first row (one a category or legal group follows)
    said, seen = [], set()
    for item in map(str, out["item"]):
        words = plain_words(item)
        said.append("" if words in seen and item not in SAID else words)
        seen.add(words)
    out[PLAIN] = said
    return out


#: Item, value and plain words, together as wide as an A4 landscape page at full size.
WIDTHS = (34, 40, A4_LANDSCAPE_CHARS - 74)


def lay_out(ws: Worksheet) -> None:
    """Three columns wrapped on one A4 landscape page width, each row as tall as its
    longest cell's lines."""
    wrap = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABC", WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2, min_col=1, max_col=3):
        lines = 1
        for cell, width in zip(row, WIDTHS, strict=True):
            cell.alignment = wrap
            if cell.value is not None:
                lines = max(lines, wrapped_lines(str(cell.value), width))
        ws.row_dimensions[row[0].row].height = 15 * lines
    # one page wide now that the columns fit it: the page breaks across set for the
    # unwrapped columns (the plain words printed on pages of their own) taken away
    ws.col_breaks.brk = []
    ws.print_title_cols = None
    print_sheet(ws, keep=1)


__all__ = ["PLAIN", "SAID", "lay_out", "plain_words", "with_plain_words"]
