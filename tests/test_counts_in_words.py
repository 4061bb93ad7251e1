"""Counts said in words, not hedged: ``1 error``, ``3 warnings``, never ``error(s)``.

The console, validate's summary and the 903 reading summary said ``Checked 3 input(s):
0 error(s), 0 warning(s).`` and ``Repaired or set aside (1 finding(s)): 1 episode(s)
...``; a reader is told how many, so the words can agree with the number."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.errors import Problem, format_problems
from sufficiency.io.quality import DataQuality
from sufficiency.io.quality_phrases import PHRASES
from sufficiency.plurals import for_count, numbered

HEDGED = re.compile(r"\w\((e?s)\)")


def test_numbered_says_one_in_the_singular_and_others_in_the_plural() -> None:
    assert numbered(1, "error(s)") == "1 error"
    assert numbered(0, "error(s)") == "0 errors"
    assert (
        numbered(1200, "row(s) with no child identifier") == "1,200 rows with no child identifier"
    )
    assert numbered(1, "date(s) of birth that differ") == "1 date of birth that differ"
    assert for_count(2, "unknown legal status(es)") == "unknown legal statuses"
    assert for_count(1, "unknown legal status(es)") == "unknown legal status"
    assert all(not HEDGED.search(numbered(n, p)) for p in PHRASES.values() for n in (1, 2))


def test_validate_summary_and_file_lines_agree_with_their_counts(
    sample_dir: Path, tmp_path: Path
) -> None:
    shutil.copy(sample_dir / "referrals.csv", tmp_path / "referrals.csv")
    res = CliRunner().invoke(
        main, ["validate", "--date", "2026-04-01", str(tmp_path / "referrals.csv")]
    )
    assert "Checked 1 input: 0 errors, 0 warnings." in res.output, res.output
    assert not HEDGED.search(res.output), res.output
    one = [Problem("f.csv", 2, "dob", None, "is blank", severity="error")]
    assert format_problems(one).splitlines()[0] == "f.csv: 1 error, 0 warnings"


def test_903_reading_summary_counts_findings_in_words() -> None:
    """Every finding code, once and twice: the summary and the region's notes say each
    count with its noun agreeing, and no '(s)'."""
    codes = sorted(PHRASES)
    once = _quality(["decom_invalid"])
    text = "\n".join(once.summary_lines())
    assert "Repaired or set aside (1 finding):" in text, text
    assert "  1 episode without a valid start date (DECOM): set aside" in text, text
    for quality in (_quality(codes), _quality(codes * 2)):
        text = "\n".join(quality.reading_notes() + quality.summary_lines())
        assert not HEDGED.search(text), HEDGED.findall(text)
    assert "2 episodes without a valid start date (DECOM): set aside" in "\n".join(
        _quality(codes * 2).reading_notes()
    )


def _quality(codes: list[str]) -> DataQuality:
    problems = tuple(
        Problem("returns/2026/header.csv", None, None, None, "m", severity="warning", code=c)
        for c in codes
    )
    return DataQuality(problems, (), (), (), pd.Timestamp(2026, 3, 31), 10, 0)
