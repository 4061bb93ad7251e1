"""The order of the members file changes no member's pooled figures and not the pooled
plan: each member's pooling forecast had the random stream of its place in the file (the
i-th member's seeds offset by 100,003 x i), so listing the same three members in another
order moved every figure in pooling.csv, a member's cost alone too (here E99000001's,
£1,621,710.86 listed first, £1,665,938.43 listed second), and the pooled plan (on the
same region at pooled seed 99: 9 or 11 children's home beds)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sufficiency.region import load_members
from sufficiency.region.pool_tasks import prepare_pooled, run_pooled
from sufficiency.region.specs import PooledSummary, PooledTask

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def test_members_file_order_changes_no_pooled_figure(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    region = load_members(region_dir / "members.toml")
    assert region.pooled_levers is not None
    first, second, third = region.members
    figures = []
    for k, members in enumerate(((first, second, third), (third, first, second))):
        out = tmp_path / f"order{k}"
        task = PooledTask(members, region.pooled_levers, 11, params, out)
        summary = run_pooled(task, prepare_pooled(task))
        assert isinstance(summary, PooledSummary), summary
        rows = {r["code"]: r for r in summary.rows}
        assert set(rows) == {first.code, second.code, third.code, "region"}
        plan = pd.read_csv(out / "pooled" / "plan.csv")
        figures.append((rows, plan))
    (rows_a, plan_a), (rows_b, plan_b) = figures
    for code, row in rows_a.items():
        for measure in ("alone_cost_gbp", "pooled_share_gbp", "saving_gbp", "transfer_gbp"):
            assert rows_b[code][measure] == row[measure], (code, measure)
    pd.testing.assert_frame_equal(plan_a, plan_b)
