"""A member whose history cannot be read: the reason the region gives and the detail
(what `sufficiency validate` finds) agree on what was found. The reason said "0
warning(s)" while the detail listed the warning that explains the failure (its header
file skipped as not a 903 table)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import RUN_DATE, SEED

from sufficiency.region import load_members
from sufficiency.region.members import Member, Region
from sufficiency.region.run import plan_member_tasks, scenario_specs
from sufficiency.region.tasks import MemberFailure, run_member

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def _warnings(text: str) -> int:
    return sum(int(n) for n in re.findall(r"(\d+) warning\(s\)(?!\.)", text))


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
    total = re.search(r"Checked \d+ input\(s\): \d+ error\(s\), (\d+) warning\(s\)\.", detail)
    assert total is not None and int(total.group(1)) == 3  # one skipped header a year
    assert "no 903 header table found" in failure.reason
    assert "is not a 903 table; skipped" in failure.reason
    assert _warnings(failure.reason) == int(total.group(1))
