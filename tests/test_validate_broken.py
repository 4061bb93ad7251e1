"""The deliberately broken inputs: validation names every planted problem and nothing else."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.validate import validate_paths

RUN_DATE = dt.date(2026, 4, 1)

#: (file relative to tests/data, row, column, code, severity) for every planted problem.
PLANTED = {
    ("broken/referrals.csv", None, "favourite_colour", "unknown_column", "warning"),
    ("broken/referrals.csv", 3, "child_id", "duplicate_id", "error"),
    # R2 (set aside: its ID is on two rows) is of sibling group S1, with R1 matched tonight
    ("broken/referrals.csv", 3, "sibling_group", "sibling_set_aside", "warning"),
    ("broken/referrals.csv", 5, "dob", "invalid_value", "error"),
    ("broken/referrals.csv", 6, "sex", "invalid_value", "error"),
    ("broken/referrals.csv", 7, "dob", "adult", "error"),
    ("broken/referrals.csv", 8, "sibling_group", "lone_sibling", "warning"),
    ("broken/referrals.csv", 9, "home_postcode", "unknown_postcode", "warning"),
    ("broken/referrals.csv", 10, "home_postcode", "unknown_postcode", "warning"),
    ("broken/referrals.csv", 11, "risks", "invalid_value", "error"),
    ("broken/referrals.csv", 12, "needed_by", "invalid_value", "error"),
    ("broken/referrals.csv", 13, "responsible_la", "invalid", "error"),
    ("broken/referrals.csv", 14, "school_year", "invalid_value", "error"),
    ("broken/referrals.csv", 15, "child_id", "invalid_value", "error"),
    # rows 4 to 15 leave alongside blank: read as no_preference (rule 10), said once
    ("broken/referrals.csv", None, "alongside", "blank_read", "warning"),
    ("broken/placements.csv", 2, "placement_id", "duplicate_id", "error"),
    ("broken/placements.csv", 3, "vacancies", "invalid_value", "error"),
    ("broken/placements.csv", 4, "weekly_cost", "invalid_value", "error"),
    ("broken/placements.csv", 5, "age_min", "age_range", "error"),
    ("broken/placements.csv", 7, "setting", "invalid_value", "error"),
    ("broken/placements.csv", 8, "provider", "invalid", "error"),
    ("broken/placements.csv", 9, "postcode", "unlocatable", "warning"),
    ("broken/placements.csv", 10, "current_ages", "invalid", "error"),
    ("broken/placements.csv", 11, "available_from", "invalid_value", "error"),
    ("broken/placements.csv", 12, "weekly_cost", "zero_cost", "warning"),
    # a year's fee (the NAO's £318,400 for a children's home place) given as a week's
    ("broken/placements.csv", 13, "weekly_cost", "out_of_range", "error"),
    ("broken/placements_missing_column.csv", None, "weekly_cost", "missing_column", "error"),
    # nor has_pets: no home says whether it has pets (rules 7 and 13 read them as maybe)
    ("broken/placements_missing_column.csv", None, None, "pets_unknown", "warning"),
    # nor risk_exclusions: every home is read as taking a child with any risk
    ("broken/placements_missing_column.csv", None, None, "no_risk_exclusions", "warning"),
    # nor current_children: every home read as having no child there (rules 10, 11, 14)
    ("broken/placements_missing_column.csv", None, None, "no_current_children", "warning"),
    ("broken/ssda903/2025/header.csv", 2, "CHILD", "duplicate_id", "error"),
    ("broken/ssda903/2025/header.csv", 3, "SEX", "invalid_value", "error"),
    ("broken/ssda903/2025/header.csv", 4, "DOB", "invalid_value", "error"),
    ("broken/ssda903/2025/header.csv", 6, "ETHNIC", "invalid_value", "error"),
    ("broken/ssda903/2025/episodes.csv", 3, "CHILD", "overlapping_episodes", "error"),
    ("broken/ssda903/2025/episodes.csv", 4, "LS", "invalid_value", "error"),
    ("broken/ssda903/2025/episodes.csv", 5, "PLACE", "invalid_value", "error"),
    ("broken/ssda903/2025/episodes.csv", 6, "DEC", "dec_before_decom", "error"),
    ("broken/ssda903/2025/episodes.csv", 7, "CHILD", "child_not_in_header", "error"),
    # its latest date is in August 2024: the return looks like an in-year extract
    ("broken/ssda903/2025/episodes.csv", None, None, "in_year_extract", "warning"),
    # a decimal comma in a European CSV whose other figures have decimal points: its row
    ("malformed/semicolon.csv", 3, "weekly_cost", "invalid_value", "error"),
    ("malformed/semicolon.csv", None, None, "delimiter", "warning"),
    ("malformed/semicolon.csv", None, None, "no_current_children", "warning"),
    ("malformed/binary.csv", None, None, "malformed_file", "error"),
    ("malformed/empty.csv", None, None, "malformed_file", "error"),
    ("malformed/header_only.csv", None, None, "empty_register", "warning"),
    ("malformed/broken.xlsx", None, None, "malformed_file", "error"),
    ("malformed/not_a_table.csv", None, None, "unknown_table", "error"),
}


def _inputs(broken_dir, malformed_dir):
    return [
        broken_dir / "referrals.csv",
        broken_dir / "placements.csv",
        broken_dir / "placements_missing_column.csv",
        broken_dir / "ssda903",
        *sorted(malformed_dir.iterdir()),
    ]


def test_validate_names_every_planted_problem_and_no_other(broken_dir, malformed_dir):
    """The reported problems are exactly the planted ones: none missed, none invented."""
    report = validate_paths(
        _inputs(broken_dir, malformed_dir), run_date=RUN_DATE, default_responsible_la="E10000034"
    )
    base = broken_dir.parent
    found = {
        (str(_rel(p.file, base)), p.row, p.column, p.code, p.severity) for p in report.problems
    }
    assert found == PLANTED


def _rel(file: str, base):
    from pathlib import Path

    return Path(file).resolve().relative_to(base.resolve()).as_posix()


def test_validate_cli_exits_1_and_lists_all_in_json(broken_dir, malformed_dir, tmp_path):
    """The CLI exits 1 on errors and its JSON lists every problem."""
    args = [str(p) for p in _inputs(broken_dir, malformed_dir)]
    config = tmp_path / "council.toml"
    config.write_text('[general]\nresponsible_la = "E10000034"\n')
    result = CliRunner().invoke(
        main, ["validate", "--format", "json", "--date", "2026-04-01", "--config", str(config),
               *args],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    payload = json.loads(result.output)
    assert payload["num_errors"] == sum(1 for p in PLANTED if p[4] == "error")
    assert payload["num_warnings"] == sum(1 for p in PLANTED if p[4] == "warning")
    assert "Traceback" not in result.output


def test_validate_text_never_echoes_dates_of_birth_or_postcodes(broken_dir):
    """Sensitive values are shown by shape only (99/99/9999, AA9 9AA)."""
    result = CliRunner().invoke(
        main, ["validate", "--date", "2026-04-01", str(broken_dir / "referrals.csv")]
    )
    assert "31/13/2012" not in result.output and "ZZ9 9ZZ" not in result.output
    assert "99/99/9999" in result.output


def test_a_large_register_s_counts_have_thousands_separators(tmp_path):
    """A large register (1,368 homes here; Kent's holds thousands), every weekly cost unreadable:
    the counts read '4104 error(s)' where every other count the tool prints has its separator."""
    from pathlib import Path

    import pandas as pd

    sample = Path(__file__).resolve().parents[1] / "data" / "sample" / "placements.csv"
    reg = pd.read_csv(sample, dtype=str, keep_default_na=False)
    reg = pd.concat([reg] * 4, ignore_index=True)
    reg["placement_id"] = [f"PL{i:05d}" for i in range(len(reg))]
    reg["weekly_cost"] = "n/a"
    path = tmp_path / "placements.csv"
    reg.to_csv(path, index=False)
    report = validate_paths(
        [path], run_date=dt.date(2026, 4, 1), default_responsible_la="E10000034"
    )
    text = report.to_text()
    n = f"{len(reg):,}"
    assert f"{path}: {n} errors, 0 warnings" in text
    assert f"Checked 1 input: {n} errors, 0 warnings." in text


def test_a_referrals_file_with_no_rows_is_said_not_passed_in_silence(tmp_path):
    """A night with no referrals is normal, but a failed export looks the same: validate
    (and the web's upload check, which calls it) warns that matching will propose nothing."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "data" / "sample" / "referrals.csv"
    path = tmp_path / "referrals.csv"
    path.write_text(sample.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    report = validate_paths(
        [path], run_date=dt.date(2026, 4, 1), default_responsible_la="E10000034"
    )
    assert [(p.code, p.severity) for p in report.problems] == [("no_referrals", "warning")]
    assert "no referrals: matching will propose nothing" in report.to_text()


def test_one_problem_on_many_rows_is_one_line_naming_every_row(tmp_path):
    """DfE's own fake 903 return gave 12,600 lines, 12,509 of them a few sentences said
    again row by row (a UPN's check letter, postcodes not in the directory), and its 84
    errors were lost among them. A problem on more than ten rows of a column is one line
    naming the rows (runs of rows as ``a-b``), counted; a problem on ten rows or fewer
    keeps a line a row; JSON keeps every row."""
    from pathlib import Path

    import pandas as pd

    sample = Path(__file__).resolve().parents[1] / "data" / "sample" / "placements.csv"
    reg = pd.read_csv(sample, dtype=str, keep_default_na=False).head(40).copy()
    reg["weekly_cost"] = "n/a"  # rows 2-41, one run
    reg.loc[reg.index[[3, 5, 7]], "vacancies"] = "lots"  # rows 5, 7, 9: a line each
    path = tmp_path / "placements.csv"
    reg.to_csv(path, index=False)
    report = validate_paths(
        [path], run_date=dt.date(2026, 4, 1), default_responsible_la="E10000034"
    )
    text = report.to_text()
    cost = [line for line in text.splitlines() if "column weekly_cost" in line]
    assert len(cost) == 1, text
    assert cost[0].startswith("  ERROR: rows 2-41 (40 rows), column weekly_cost: ")
    assert "(value 'n/a')" in cost[0]
    vacancies = [line for line in text.splitlines() if "column vacancies" in line]
    assert [line.split(",")[0] for line in vacancies] == [
        "  ERROR: row 5", "  ERROR: row 7", "  ERROR: row 9"
    ]  # fmt: skip
    assert "`--format json` gives each row on its own" in text
    rows = {p["row"] for p in json.loads(report.to_json())["problems"]
            if p["column"] == "weekly_cost"}  # fmt: skip
    assert rows == set(range(2, 42))


def test_rows_far_apart_are_named_up_to_twelve_runs_then_counted():
    from sufficiency.errors import Problem, format_problems

    problems = [Problem("f.csv", r, "UPN", None, "is not a UPN", "warning", "upn")
                for r in [*range(2, 30, 2), 100, 101, 102]]  # fmt: skip
    text = format_problems(problems)
    assert text.splitlines() == [
        "f.csv: 0 errors, 17 warnings",
        "  WARNING: rows 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24 and 3 more runs of "
        "rows (17 rows), column UPN: is not a UPN",
    ]
    assert "said once" not in text  # the hint is validate's, which offers --format json
