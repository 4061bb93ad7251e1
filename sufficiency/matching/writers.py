"""Write a :class:`MatchRun` to a folder; every file is written atomically."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sufficiency.io.atomic import atomic_path

if TYPE_CHECKING:
    from sufficiency.matching.run import MatchRun

#: Modelling choices a reader of the outputs should know about.
ASSUMPTIONS: tuple[str, ...] = (
    "Ages are whole years on the run date.",
    "Distances are DfE straight-line miles between postcodes, to one decimal place; "
    "a child whose home or school postcode is blank or cannot be located is matched with "
    "that distance unknown (it costs nothing) and flagged in distance_note.",
    "A placement whose postcode cannot be located is set aside (rule 15), or with "
    "unlocatable = 'assume_far' charged as over 20 miles from home and school and out of area.",
    "Out of area means the placement's upper-tier authority differs from the child's "
    "responsible authority; a placement whose authority is unknown is not counted.",
    "Where a placement's current children have unknown ages, 'solo', 'only older', "
    "'only younger' and the harm-to-younger-children rule are treated as not met.",
    "Siblings are never each other's 'others' for the who-lives-alongside rules.",
    "A sibling group's split penalty is shown against its first placed member.",
    "With siblings = 'together', a group may not use more than one placement; "
    "members may still be left unplaced.",
    "Alternatives' extra cost compares the option's own terms with the proposal's; "
    "knock-on effects on other children are not included.",
    "The priority score is the objective the solver minimises: weekly costs plus "
    "weighted penalties (distance, out of area, school moves, sibling splits, children "
    "left unplaced); it is not money. The weekly cost is the sum of the proposed "
    "placements' weekly fees.",
    "Team decisions: a pin is obeyed only if it breaks no other hard rule; refused and "
    "ignored decisions are listed on the Decisions sheet with the reason.",
)

OUTPUT_FILES: tuple[str, ...] = (
    "matches.csv", "unplaced.csv", "alternatives.csv", "summary.json", "match_report.xlsx",
)  # fmt: skip
_MONEY = '"£"#,##0.00'


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    with atomic_path(path) as tmp:
        write(tmp)


def _csv(frame: pd.DataFrame) -> Callable[[Path], None]:
    return lambda p: frame.to_csv(p, index=False, float_format="%.2f", lineterminator="\n")


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, default=str)
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def _sheet(wb: Any, title: str, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for j, col in enumerate(frame.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(500)])
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 80)
        money = str(col).endswith("_gbp") or col == "weekly_cost"
        if money:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = _MONEY


def _summary_rows(summary: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in summary.items():
        if isinstance(value, dict):
            rows += _summary_rows(value, f"{prefix}{key}.")
        else:
            rows.append((f"{prefix}{key}", value))
    return rows


def _workbook(run: MatchRun) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        content = run.summary.to_dict()
        summary = pd.DataFrame(_summary_rows(content), columns=["item", "value"])
        _sheet(wb, "Summary", summary)
        _sheet(wb, "Matches", run.matches)
        _sheet(wb, "Unplaced", run.unplaced)
        _sheet(wb, "Alternatives", run.alternatives)
        _sheet(
            wb,
            "Set aside",
            pd.DataFrame(content["set_aside"], columns=["file", "row", "id", "problem"]),
        )
        _sheet(
            wb,
            "Input notes",
            pd.DataFrame(
                content["input_notes"],
                columns=["file", "row", "column", "code", "note"],
            ),
        )
        _sheet(wb, "Decisions", run.decisions.table())
        _sheet(wb, "Assumptions", pd.DataFrame({"assumption": list(ASSUMPTIONS)}))
        stamp = dt.datetime.combine(run.summary.run_date, dt.time())
        wb.properties.created = stamp
        wb.properties.modified = stamp
        wb.save(path)

    return write


def write_match_outputs(run: MatchRun, out_dir: Path | str) -> list[Path]:
    """Write matches, unplaced, alternatives, summary and the workbook into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(run.summary.to_dict(), indent=2, sort_keys=False, default=str) + "\n"
    writers: dict[str, Callable[[Path], None]] = {
        "matches.csv": _csv(run.matches),
        "unplaced.csv": _csv(run.unplaced),
        "alternatives.csv": _csv(run.alternatives),
        "summary.json": lambda p: _write_text(p, text),
        "match_report.xlsx": _workbook(run),
    }
    for name in OUTPUT_FILES:
        _atomic(out / name, writers[name])
    return [out / name for name in OUTPUT_FILES]
