"""A budget workbook of one sheet as finance keeps it, for the budget reading tests."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def budget_workbook(path: Path, rows: list[list[object]], title: str = "Budget") -> Path:
    """``rows`` written to one sheet named ``title`` of a new workbook at ``path``."""
    wb = openpyxl.Workbook()
    wb.active.title = title
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path
