"""A member whose history cannot be read: the reason the region gives and the detail
(what `sufficiency validate` finds) agree on what was found. The reason said "0
warning(s)" while the detail listed the warning that explains the failure (its header
file skipped as not a 903 table)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import RUN_DATE, SEED

from sufficiency.region import load_members
from sufficiency.region.members import Member, Region
from sufficiency.region.run import plan_member_tasks, scenario_specs
from sufficiency.region.specs import CommissionTask, MemberFailure
from sufficiency.region.tasks import run_commission, run_member

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def _warnings(text: str) -> int:
    return sum(int(n) for n in re.findall(r"(\d+) warnings?\b(?!\.)", text))


def test_failed_member_reason_counts_the_warnings_its_detail_lists(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    first = load_members(region_dir / "members.toml").members[0]
    history = tmp_path / "ssda903"
    shutil.copytree(first.history, history)
    for header in history.glob("*/header.csv"):  # CHILD misspelt: not read as a header
        header.write_text(header.read_text().replace("CHILD,", "KID,", 1))
    member = Member("E99000009", "Broken Borough", history)
    region = Region("One", (member,), None, None)
    (task,) = plan_member_tasks(region, scenario_specs([]), params, SEED, tmp_path, RUN_DATE)
    failure = run_member(task)
    assert isinstance(failure, MemberFailure), failure
    detail = "\n".join(failure.quality)
    total = re.search(r"Checked \d+ inputs?: \d+ errors?, (\d+) warnings?\.", detail)
    assert total is not None and int(total.group(1)) == 3  # one skipped header a year
    assert "no 903 header table found" in failure.reason
    assert "is not a 903 table; skipped" in failure.reason
    # each skipped header the detail counts is named in the reason (no counters there)
    assert all(f"{year}/header.csv" in failure.reason for year in (2024, 2025, 2026))
    assert not re.search(r"\d errors?\b|\d warnings?\b", failure.reason), failure.reason


def test_failed_member_reason_is_a_sentence_said_alike_by_every_run(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """The reason read as a log line: "/tmp/.../ssda903: 1 error(s), 0 warning(s) ERROR:
    no 903 header table found /tmp/.../2024/header.csv: 0 error(s), 1 warning(s) ...".
    It names the input that could not be read as the members file does, the problems in
    words, and the member's own plan, failing on the same history, says the same words
    (the Failed table says it once, with both runs)."""
    third = load_members(region_dir / "members.toml").members[2]
    assert third.levers is not None
    shutil.copytree(third.history, tmp_path / "region" / "E99000003" / "ssda903")
    for header in (tmp_path / "region" / "E99000003").rglob("header.csv"):
        header.write_text(header.read_text().replace("CHILD,", "KID,", 1))
    (tmp_path / "region" / "members.toml").write_text(
        f'[[member]]\ncode = "E99000003"\nname = "Broken Borough"\n'
        f'history = "E99000003/ssda903"\nlevers = "{third.levers.as_posix()}"\n'
    )
    (broken,) = load_members(tmp_path / "region" / "members.toml").members
    (task,) = plan_member_tasks(
        Region("One", (broken,), None, None), scenario_specs([]), params, SEED, tmp_path, RUN_DATE
    )
    failure = run_member(task)
    assert isinstance(failure, MemberFailure), failure
    assert failure.reason == (
        "Its 903 history (E99000003/ssda903) could not be read: no 903 header table found. "
        "Also found: 2024/header.csv, 2025/header.csv, 2026/header.csv: is not a 903 "
        "table; skipped."
    )
    assert str(tmp_path) not in failure.reason + "\n".join(failure.quality)
    own = run_commission(CommissionTask(broken, SEED, params, tmp_path / "out", run_date=RUN_DATE))
    assert isinstance(own, MemberFailure) and own.reason == failure.reason


def test_failed_member_data_quality_says_what_was_found_and_where_each_finding_is(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """The Failed table's Data quality held `sufficiency validate`'s lines as the console
    prints them ("E99000009/ssda903: 1 error(s), 0 warning(s)", "ERROR: ...", a line a
    file, cut at fifteen), and a failed member had no folder: the detail was nowhere. It
    says in words what was read and set aside and how many problems, and names the file
    (written) listing each with its file, row and column."""
    first = load_members(region_dir / "members.toml").members[0]
    history = tmp_path / "ssda903"
    shutil.copytree(first.history, history)
    for header in history.glob("*/header.csv"):
        header.write_text(header.read_text().replace("CHILD,", "KID,", 1))
    member = Member("E99000009", "Broken Borough", history)
    (task,) = plan_member_tasks(
        Region("One", (member,), None, None), scenario_specs([]), params, SEED, tmp_path, RUN_DATE
    )
    failure = run_member(task)
    assert isinstance(failure, MemberFailure), failure
    assert failure.found == (
        "Nothing was read from its 903 history, so no rows were repaired or set aside. "
        "Checked as sufficiency validate checks it: 1 error and 3 warnings, each with its "
        "file, row and column in data_quality.csv in members/E99000009/base."
    )
    listed = pd.read_csv(tmp_path / "members" / "E99000009" / "base" / "data_quality.csv")
    assert listed["severity"].tolist().count("error") == 1
    assert listed["severity"].tolist().count("warning") == 3
    assert "no 903 header table found" in listed["problem"].tolist()


def test_member_failing_after_its_history_was_read_says_what_was_set_aside(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """A member whose history was read, with rows set aside, and whose run then failed on
    another input (its supply file): the Data quality column gave the forecast's summary
    lines, indented, with no word of where its findings were. It says what was read and
    set aside, how many of each kind, and the file listing each."""
    second = load_members(region_dir / "members.toml").members[1]
    history = tmp_path / "ssda903"
    shutil.copytree(second.history, history)
    episodes = history / "2025" / "episodes.csv"
    lines = episodes.read_text().splitlines()
    for i in (3, 7):  # two episodes without a start date: set aside
        fields = lines[i].split(",")
        fields[1] = ""
        lines[i] = ",".join(fields)
    episodes.write_text("\n".join(lines) + "\n")
    supply = tmp_path / "supply.toml"
    supply.write_text("this is [not toml\n")
    member = Member("E99000008", "Half Borough", history, supply=supply)
    (task,) = plan_member_tasks(
        Region("One", (member,), None, None), scenario_specs([]), params, SEED, tmp_path, RUN_DATE
    )
    failure = run_member(task)
    assert isinstance(failure, MemberFailure), failure
    assert "supply" in failure.reason
    assert failure.found.startswith("903 history: 3 returns, 2023-24 to 2025-26")
    assert "2 episodes without a valid start date (DECOM): set aside" in failure.found
    assert failure.found.endswith("each in data_quality.csv in members/E99000008/base): "
                                  + failure.found.split("base): ")[1])  # fmt: skip
    listed = pd.read_csv(tmp_path / "members" / "E99000008" / "base" / "data_quality.csv")
    assert (listed["code"] == "decom_invalid").sum() == 2
