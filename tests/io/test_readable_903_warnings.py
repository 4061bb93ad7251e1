"""validate's warnings on a messy 903 export, readable by an analyst.

Found on copies of the sample: CHILD without its leading zeros in one table gave a
warning line a row (1,780 lines for 2025's episodes), each sentence naming the row's own
child, so the lines never grouped; a time after ISO dates was said as "(DD/MM/YYYY
00:00:00)"; a year's episodes copied into a subfolder was "episodes.csv and
episodes.csv"."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.errors import Problem, file_names, format_problems


def _rewrite(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    with path.open(newline="") as f:
        rows = list(csv.reader(f))
    for r in rows[1:]:
        change(rows[0], r)
    with path.open("w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _validate(*args: str) -> str:
    result = CliRunner().invoke(main, ["validate", "--date", "2026-04-01", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_ids_without_their_zeros_in_one_table_are_one_line_and_json_keeps_each_row(
    sample_dir, tmp_path
):
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    for table in history.glob("*/*.csv"):
        _rewrite(table, lambda head, r: r.__setitem__(0, "00" + r[0]))
    _rewrite(history / "2025" / "episodes.csv", lambda head, r: r.__setitem__(0, r[0][2:]))
    out = _validate(str(history))
    lines = [ln for ln in out.splitlines() if "leading zeros" in ln]
    assert len(lines) == 1, out[:3000]
    assert lines[0].startswith("  WARNING: rows 2-1781 (1,780 rows), column CHILD: child "
                               "identifier has lost the leading zeros")  # fmt: skip
    assert "; for example row 2: the same child as 00100211 (values '100211'" in lines[0]
    assert len(out.splitlines()) < 12, out
    every = json.loads(_validate("--format", "json", str(history)))["problems"]
    zeros = [p for p in every if p["code"] == "child_id_form"]
    assert len(zeros) == 1780
    assert zeros[0]["message"].endswith("the same child as 00100211")


def test_a_sentence_naming_each_rows_own_id_is_grouped_but_other_sentences_are_not():
    same = [Problem("e.csv", r, "CHILD", str(r), f"id is odd: the same child as 0{r}",
                    severity="warning", code="child_id_form", action=f"read as 0{r}")
            for r in range(2, 22)]  # fmt: skip
    other = Problem("e.csv", 5, "CHILD", "x", "another sentence", severity="warning",
                    code="child_id_form")  # fmt: skip
    text = format_problems([*same, other])
    assert text.splitlines() == [
        "e.csv: 0 errors, 21 warnings",
        "  WARNING: rows 2-21 (20 rows), column CHILD: id is odd; for example row 2: the "
        "same child as 02 (values '10', '11', '12' and 17 others)",
        "  WARNING: row 5, column CHILD: another sentence (value 'x')",
    ]


def test_a_time_after_iso_dates_is_said_in_the_form_the_file_writes(sample_dir, tmp_path):
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)

    def iso(head: list[str], r: list[str]) -> None:
        d, m, y = r[head.index("DOB")].split("/")
        r[head.index("DOB")] = f"{y}-{m}-{d} 00:00:00"

    def dmy_12h(head: list[str], r: list[str]) -> None:
        r[head.index("DECOM")] += " 12:00:00 AM"

    _rewrite(history / "2025" / "header.csv", iso)
    _rewrite(history / "2025" / "episodes.csv", dmy_12h)
    out = _validate(str(history))
    assert ("column DOB: writes dates with a time of day (YYYY-MM-DD 00:00:00); the time "
            "is ignored") in out  # fmt: skip
    assert ("column DECOM: writes dates with a time of day (DD/MM/YYYY 12:00:00 AM); the "
            "time is ignored") in out  # fmt: skip
    assert "(DD/MM/YYYY 00:00:00)" not in out


def test_a_copy_of_a_years_table_in_a_subfolder_is_named_by_its_folder(sample_dir, tmp_path):
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    (history / "2025" / "old").mkdir()
    shutil.copy(history / "2025" / "episodes.csv", history / "2025" / "old" / "episodes.csv")
    out = _validate(str(history))
    assert ("  WARNING: 2025/episodes.csv and 2025/old/episodes.csv are 2 episodes tables "
            "for 2024-25") in out  # fmt: skip


def test_files_of_one_name_are_told_apart_and_others_keep_their_names():
    assert file_names(r"C:\903\2025\episodes.csv, C:\903\2025 v2\episodes.csv") == (
        r"903\2025\episodes.csv and 903\2025 v2\episodes.csv"
    )
    assert file_names("/h/2025/episodes (1).csv, /h/2025/episodes.csv") == (
        "episodes (1).csv and episodes.csv"
    )
