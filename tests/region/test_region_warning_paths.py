"""A member's warnings name its files as the members file does, not by the server's path;
a member that failed is in region.csv."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import RUN_DATE, SEED

from sufficiency.region import load_members
from sufficiency.region.csvrows import long_table
from sufficiency.region.members import Region
from sufficiency.region.run import RegionResult, plan_member_tasks, scenario_specs
from sufficiency.region.specs import MemberFailure, MemberSummary
from sufficiency.region.tasks import run_member


def test_a_budget_for_another_year_is_named_as_the_members_file_names_it(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """A budget for 2030-31 is set aside with a warning under the member's name; the
    warning gave the budget's full path on the machine that ran it
    (/tmp/.../E99000001/budget_2030.csv) where the members file says E99000001/budget_2030.csv."""
    shutil.copytree(region_dir / "E99000001" / "ssda903", tmp_path / "E99000001" / "ssda903")
    (tmp_path / "E99000001" / "budget_2030.csv").write_text(
        "financial_year,cost_line,budget_gbp\n2030-31,all,900000\n"
    )
    members = tmp_path / "members.toml"
    members.write_text(
        '[[member]]\ncode = "E99000001"\nname = "Aville"\nhistory = "E99000001/ssda903"\n'
        'budget = "E99000001/budget_2030.csv"\n'
    )
    region = load_members(members)
    out = tmp_path / "out"
    (task,) = plan_member_tasks(region, scenario_specs([]), params, SEED, out, RUN_DATE)
    summary = run_member(task)
    assert isinstance(summary, MemberSummary), summary
    said = [w for w in summary.warnings if "budget year 2030-31 is set aside" in w]
    assert said, summary.warnings
    assert said[0].startswith("E99000001/budget_2030.csv: budget year 2030-31"), said[0]
    assert str(tmp_path) not in " ".join(summary.warnings)
    assert summary.budget_gbp is None


def test_a_member_that_failed_is_in_region_csv(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """A member whose every run failed had no row in region.csv: a dashboard listing the
    members from it lost the member, seeing only members_ran 1 of members 2."""
    region = load_members(region_dir / "members.toml")
    two = Region("Pair", region.members[:2], None, region.source)
    ok, broken = two.members
    (task,) = plan_member_tasks(
        Region("One", (ok,), None, None), scenario_specs([]), params, SEED, tmp_path, RUN_DATE
    )
    ran = run_member(task)
    assert isinstance(ran, MemberSummary)
    failed = MemberFailure(broken.code, broken.name, "base", "Its 903 history could not be read.")
    table = long_table(RegionResult(two, ("base",), SEED, (ran,), (), None, (failed,)))
    rows = table[table["measure"] == "failed"]
    assert rows[["member_code", "member_name", "scenario", "value"]].values.tolist() == [
        [broken.code, broken.name, "base", 1]
    ]
    assert not (table[table["member_code"] == ok.code]["measure"] == "failed").any()
