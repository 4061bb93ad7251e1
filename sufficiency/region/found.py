"""What reading a failed member's data found, as the region's report says it: a sentence
or two (what was read, what was repaired or set aside and how many, where each finding
is listed), and every finding, with its file, row and column, in the member's own
``data_quality.csv``.

Until December 6, 2026 the report's *Data quality* column held ``sufficiency validate``'s
lines as the console prints them ("E99000009/ssda903: 1 error(s), 0 warning(s)",
"ERROR: ...", a line a file, cut at fifteen lines), or the forecast's summary lines with
their indents: a log, not what was found, and no word of where the rest was (a failed
member had no folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sufficiency.io.atomic import atomic_write_text
from sufficiency.io.csv_text import csv_text
from sufficiency.io.quality import DataQuality, findings_table
from sufficiency.region.publish import published
from sufficiency.vocabulary import counted

if TYPE_CHECKING:
    from sufficiency.validate import ValidationReport

QUALITY_CSV = "data_quality.csv"


def findings_file(code: str, run: str) -> str:
    """Where a failed member's run lists its findings, under the region's folder (the
    folder a word of its own, so a report's cell wraps before it)."""
    return f"{QUALITY_CSV} in members/{code}/{run}"


def unreadable(report: ValidationReport, out_dir: Path, code: str, run: str) -> str:
    """A history that could not be read: nothing repaired or set aside, how many problems
    ``sufficiency validate`` found, and the file (written here) listing each."""
    where = _write(out_dir, code, run, report)
    found = f"{counted(report.num_errors, 'error')} and {counted(report.num_warnings, 'warning')}"
    return (
        "Nothing was read from its 903 history, so no rows were repaired or set aside. "
        f"Checked as sufficiency validate checks it: {found}, each with its file, row and "
        f"column in {where}."
    )


def read_then_failed(quality: DataQuality, out_dir: Path, code: str, run: str) -> str:
    """A history that was read before the run failed on another input: what was read,
    how its files were read, what was repaired or set aside (how many, of which kinds),
    and the file (written here) listing each finding."""
    where = _write(out_dir, code, run, quality)
    said = [quality.summary_lines()[0], *quality.reading_notes(where)]
    if not quality.num_findings():
        said.append("Nothing needed repairing or setting aside.")
    return " ".join(said)


def _write(out_dir: Path, code: str, run: str, found: ValidationReport | DataQuality) -> str:
    folder = out_dir / "members" / code / run
    with published(folder) as staging:
        atomic_write_text(staging / QUALITY_CSV, csv_text(findings_table(found.problems)))
    return findings_file(code, run)
