"""A problem of a whole file is said with the file as its subject.

A problem with no row and no column was written as a predicate of its file and printed
under a count line, so ``validate`` said "WARNING: are 2 episodes tables for 2024-25;
read together: ..." and "ERROR: does not exist", sentences with no subject. The file's
name is now their subject ("episodes (1).csv and episodes.csv are 2 episodes tables");
messages that are sentences already are said as written."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.errors import InputDataError, Problem, format_problems
from sufficiency.io.tables import read_tables

#: A printed problem line whose sentence starts with a verb: its subject is lost.
NO_SUBJECT = re.compile(
    r"(ERROR|WARNING): (is|are|has|have|holds|writes|was|were|does|read|cannot be)\b"
)


def test_a_second_copy_of_a_years_episodes_is_said_with_both_files_named(sample_dir, tmp_path):
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    shutil.copy(history / "2025" / "episodes.csv", history / "2025" / "episodes (1).csv")
    result = CliRunner().invoke(main, ["validate", "--date", "2026-04-01", str(history)])
    assert result.exit_code == 0, result.output
    assert (
        "  WARNING: episodes (1).csv and episodes.csv are 2 episodes tables for 2024-25; "
        "read together" in result.output
    )
    assert not NO_SUBJECT.search(result.output), result.output


def test_a_missing_file_is_said_as_a_sentence(tmp_path):
    with pytest.raises(InputDataError) as err:
        read_tables(tmp_path / "referrals.csv")
    assert "ERROR: referrals.csv does not exist" in str(err.value)


@pytest.mark.parametrize(
    ("problem", "said"),
    [
        (
            Problem(
                "/data/referrals.xlsx", None, None, None, "has 2 sheets that read as referrals"
            ),
            "referrals.xlsx has 2 sheets that read as referrals",
        ),
        (
            Problem("/d/2025/header.csv", None, None, None, "cannot be read (denied)"),
            "header.csv cannot be read (denied)",
        ),
        (
            Problem("a.csv, b.csv, c.csv", None, None, None, "are 3 header tables"),
            "a.csv, b.csv and c.csv are 3 header tables",
        ),
        # sentences already, and problems at a row or column: as written
        (Problem("/d", None, None, None, "no 903 header table found"), "no 903 header table found"),
        (
            Problem("r.csv", 4, "dob", "x", "is not a date"),
            "row 4, column dob: is not a date (value 'x')",
        ),
        (
            Problem("r.csv", None, "CHILD", None, "required column is missing"),
            "column CHILD: required column is missing",
        ),
    ],
)
def test_a_whole_files_problem_has_the_file_as_its_subject(problem, said):
    assert problem.describe() == said
    assert format_problems([problem]).splitlines()[1].endswith(said)
