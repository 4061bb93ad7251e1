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
    "Distances are straight-line miles between postcodes, as the DfE measures them, to one "
    "decimal place. A child whose home or school postcode is blank or cannot be found is "
    "matched with that distance not known (it counts neither for nor against a home); "
    "Why this home says so.",
    "A home whose postcode cannot be found is not offered (rule 15); if the configuration "
    "says to assume it is far (unlocatable = 'assume_far'), it is offered as far from the "
    "child's home and school and out of area.",
    "Out of area means the home is in another council area (upper-tier authority) than the "
    "council responsible for the child; a home whose council is not known is not counted "
    "as out of area.",
    "Where the ages of a home's children are not known, the rules on who a child may live "
    "with ('only child', 'only older', 'only younger') and the rule on risk of harm to "
    "younger children are taken as not met.",
    "Brothers and sisters in a sibling group are not 'other children' for the rules on "
    "who a child may live with.",
    "In matches.csv, the points for splitting a sibling group are on the row of its first "
    "child placed.",
    "If the configuration keeps siblings together (siblings = 'together'), a sibling group "
    "is never split between homes, though some or all of them may be left not placed.",
    "Other options are compared with the proposal for that child alone: what choosing one "
    "would mean for other children is not included.",
    "The plan is chosen by a priority score: the weekly fees plus points for what the team "
    "wants to avoid (distance from home and school, out of area, school moves in key stage "
    "4, splitting siblings, leaving a child not placed). It is not money and is shown only "
    "under Technical detail. The weekly cost is the sum of the proposed homes' weekly "
    "fees.",
    "Team decisions: a pin (the team's choice of home for a child) is followed only if it "
    "breaks no other hard rule; decisions refused or ignored are listed on the Decisions "
    "sheet with the reason.",
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
