"""The rows of a budget or cost file set aside, each thing wrong said once.

A budget by month short of one month set aside its line's other eleven rows, each with
the same sentence, and the warning said it five times over ("row 2: month: the budget by
month gives 11 different months for 2026-27 All placements ...; row 3: month: the budget
by month gives 11 ...; and 7 more") before a reader found the one row at fault. Rows set
aside for the same reason are now said together (``rows 2, 3 and 5 to 13: ...``), so the
row at fault stands on its own.
"""

from __future__ import annotations

from sufficiency.errors import Problem
from sufficiency.io.tables import row_problems


def row_runs(rows: list[int]) -> str:
    """``2, 3 and 5 to 13`` from rows 2, 3, 5, 6, ..., 13 (sorted; a run of three or
    more said as its ends)."""
    runs: list[list[int]] = []
    for r in sorted(rows):
        if runs and r == runs[-1][-1] + 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    parts = [f"{run[0]} to {run[-1]}" if len(run) > 2 else ", ".join(map(str, run))
             for run in runs]  # fmt: skip
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def rows_said(found: dict[int, list[Problem]]) -> list[str]:
    """Each distinct description of rows set aside (``row 4: month: is blank ...``), the
    rows it applies to named together; the fewest rows first (the row at fault before the
    rows of its line set aside with it), then in the order of their first row."""
    by_text: dict[str, list[int]] = {}
    for row in sorted(found):
        by_text.setdefault(row_problems(found[row]), []).append(row)
    ordered = sorted(by_text.items(), key=lambda item: (len(item[1]), item[1][0]))
    return [f"{'row' if len(rows) == 1 else 'rows'} {row_runs(rows)}: {text}"
            for text, rows in ordered]  # fmt: skip
