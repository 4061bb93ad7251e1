"""A budget workbook of a sheet per year whose old sheets are hidden in Excel.

Finance hides last year's sheet (or a superseded draft) rather than delete it. Each
sheet named for a year was read as that year's budget, hidden or not: a hidden
``Budget 2026-27 old`` beside the visible ``Budget 2026-27`` refused the whole workbook
("has 2 sheets named for 2026-27 ... which is the budget is not known"), and a hidden
``2025-26`` was compared with that year's spend with no word that it was hidden. As for
every other input (:mod:`sufficiency.io.hidden_sheets`), a hidden sheet is now read only
when no sheet named for a year is visible; the note names each hidden sheet not read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sufficiency.io.hidden_sheets import hidden_sheets
from sufficiency.io.tables import RawTable


def shown_years(
    path: Path, read: list[tuple[RawTable, str]], sheet: Callable[[RawTable], str]
) -> tuple[list[tuple[RawTable, str]], list[str]]:
    """The year sheets ``read`` (each with its year) that are visible, and the names of
    the hidden ones left out; all of them, none left out, when every one is hidden."""
    hidden = set(hidden_sheets(path))
    shown = [(t, y) for t, y in read if sheet(t) not in hidden]
    if not shown:
        return read, []
    return shown, [sheet(t) for t, _ in read if sheet(t) in hidden]
