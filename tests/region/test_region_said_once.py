"""What the region says of a member, said once and in the right place: a failure once per
member with the runs it stopped (it was repeated once per scenario and again for its own
plan), and how the member's 903 files were read (tabs or semicolons between columns, a
previous-year copy used, rows set aside) in its cautions, as its own forecast says it
(the region said none of it)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import RUN_DATE, SEED

from sufficiency.forecast.backtest import BACKTEST_SAYS
from sufficiency.region import load_members
from sufficiency.region.members import Region
from sufficiency.region.report import caution_table, failure_table, member_table
from sufficiency.region.run import (
    EXIT_OK,
    RegionResult,
    plan_member_tasks,
    scenario_specs,
)
from sufficiency.region.specs import MemberFailure, MemberSummary
from sufficiency.region.tasks import run_member
from sufficiency.region.writers import headline, render_html

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")

WHY = "/x/bad: 1 error, 0 warnings ERROR: no 903 header table found"


def test_a_members_failure_is_said_once_with_the_runs_it_stopped(region_dir: Path) -> None:
    region = load_members(region_dir / "members.toml")
    bad = region.members[2]
    detail = ("/x/bad: read as 903 history", "  ERROR: no 903 header table found")
    found = "Nothing was read from its 903 history, so no rows were repaired or set aside."
    failures = (
        MemberFailure(bad.code, bad.name, "base", WHY, detail, found),
        MemberFailure(bad.code, bad.name, "entries_up_20", WHY, detail, found),
        MemberFailure(bad.code, bad.name, "commission", WHY),
    )
    result = RegionResult(region, ("base", "entries_up_20"), SEED, (), (), None, failures)
    table = failure_table(result)
    assert len(table) == 1, table
    (row,) = table.to_dict("records")
    assert row["runs"] == "base, entries_up_20, own plan"
    assert row["reason"] == WHY
    # what reading its data found, in words (it was validate's lines, a log)
    assert row["data_quality"] == found
    html = render_html(result)
    assert f"<td>{found}</td>" in html and "read as 903 history" not in html
    said = [line for line in headline(result) if line.startswith("Failed:")]
    assert said == [f"Failed: {bad.name} ({bad.code}), base, entries_up_20, own plan: {WHY}"]
    status = member_table(result).set_index("code")["status"]
    assert status[bad.code] == "Failed: base, entries_up_20, own plan"
    assert result.exit_code == 4  # nothing ran: no member summary


def _copied_and_resaved(history: Path, to: Path) -> Path:
    """The history with its 2024 tables saved with semicolons, its 2026 tables with tabs,
    and its 2025 tables held only as previous-year copies beside 2026's
    (``2026/episodes_last.csv``)."""
    shutil.copytree(history, to)
    for year, sep in (("2024", ";"), ("2026", "\t")):
        for path in (to / year).glob("*.csv"):
            data = pd.read_csv(path, dtype=str, keep_default_na=False)
            data.to_csv(path, sep=sep, index=False)
    for table in ("episodes", "header"):
        (to / "2025" / f"{table}.csv").rename(to / "2026" / f"{table}_last.csv")
    (to / "2025").rmdir()
    return to


def test_how_a_members_903_files_were_read_reaches_its_cautions(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    first = load_members(region_dir / "members.toml").members[0]
    history = _copied_and_resaved(first.history, tmp_path / "ssda903")
    episodes = history / "2024" / "episodes.csv"
    lines = episodes.read_text().splitlines()
    at = lines[0].split(";").index("DECOM")
    cells = lines[1].split(";")
    cells[at] = "13/31/2023"  # a start date in US format: the episode set aside
    lines[1] = ";".join(cells)
    episodes.write_text("\n".join(lines) + "\n")
    member = type(first)(first.code, first.name, history)
    region = Region("One", (member,), None, None)
    (task,) = plan_member_tasks(region, scenario_specs([]), params, SEED, tmp_path, RUN_DATE)
    summary = run_member(task)
    assert isinstance(summary, MemberSummary), summary
    result = RegionResult(region, ("base",), SEED, (summary,), (), None, ())
    cautions = caution_table(result)
    said = " ".join(cautions["warning"])
    assert "tabs or semicolons between columns in 4 tables" in said, said
    assert "a previous-year copy used as its year's return in 2 tables" in said
    assert "1 episode without a valid start date (DECOM): set aside" in said
    assert set(cautions["code"]) == {first.code}
    # the same history under each run is said once, not once a run
    assert not cautions["warning"].duplicated().any()
    assert result.exit_code == EXIT_OK
    # a backtest's warning in the words its forecast gives too is said once, the forecast's
    never = "No child started to be looked after in the reference window."
    short = "Only 2.0 years of history before 31 March 2025."
    labelled = [BACKTEST_SAYS.format("31 March 2025") + w[:1].lower() + w[1:]
                for w in (never, short)]  # fmt: skip
    notes = (never, *labelled)
    both = replace(result, members=(replace(summary, warnings=notes),))
    assert caution_table(both)["warning"].tolist() == [never, labelled[1]]
