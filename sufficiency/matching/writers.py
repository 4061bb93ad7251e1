"""Write a :class:`MatchRun` to a folder; every file is written atomically."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sufficiency.io.atomic import atomic_path, ensure_private_dir
from sufficiency.io.csv_text import csv_text

if TYPE_CHECKING:
    from sufficiency.matching.run import MatchRun

#: Modelling choices a reader of the outputs should know about.
ASSUMPTIONS: tuple[str, ...] = (
    "Ages are whole years on the run date; a home's age range (rule 3) is checked on the "
    "day it opens.",
    "Distances are DfE straight-line miles between postcodes, to one decimal place; "
    "a child whose home or school postcode is blank or cannot be located is matched with "
    "that distance unknown (it costs nothing) and flagged in distance_note.",
    "A placement whose postcode cannot be located is set aside (rule 15), or with "
    "unlocatable = 'assume_far' charged as beyond far_from_home_miles from home and school "
    "and out of area.",
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
    "match_report.html",
)  # fmt: skip


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    with atomic_path(path) as tmp:
        write(tmp)


def _csv(frame: pd.DataFrame) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(csv_text(frame, "%.2f"), encoding="utf-8")

    return write


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _ignore(_: object) -> None:
    return None


def write_match_outputs(run: MatchRun, out_dir: Path | str) -> list[Path]:
    """Write matches, unplaced, alternatives, summary and the 8am match report (workbook
    and HTML page) into ``out_dir``."""
    from sufficiency.matching.by_council import council_table
    from sufficiency.matching.html import render_html
    from sufficiency.matching.report import match_report
    from sufficiency.matching.workbook import write_workbook

    out = ensure_private_dir(Path(out_dir))
    text = json.dumps(run.summary.to_dict(), indent=2, sort_keys=False, default=str) + "\n"
    # a regional night's figures per council (by_council.py), beside page 1
    report = replace(match_report(run, ASSUMPTIONS), councils=council_table(run.summary.by_council))
    page = render_html(report)
    writers: dict[str, Callable[[Path], None]] = {
        "matches.csv": _csv(run.matches),
        "unplaced.csv": _csv(run.unplaced),
        "alternatives.csv": _csv(run.alternatives),
        "summary.json": lambda p: _write_text(p, text),
        "match_report.xlsx": lambda p: _ignore(write_workbook(report, p)),
        "match_report.html": lambda p: _write_text(p, page),
    }
    for name in OUTPUT_FILES:
        _atomic(out / name, writers[name])
    return [out / name for name in OUTPUT_FILES]
