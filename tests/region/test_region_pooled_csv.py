"""region.csv's pooled rows equal the pooled plan's own pooling.csv, figure for figure
and in the same units (saving_pct was a share of one in region.csv, a percentage in
pooling.csv: 0.0075 beside 0.75 for the same member)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sufficiency.region import load_members
from sufficiency.region.csvrows import long_table
from sufficiency.region.members import Region
from sufficiency.region.pool_tasks import prepare_pooled, run_pooled
from sufficiency.region.run import RegionResult
from sufficiency.region.specs import PooledSummary, PooledTask

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def test_region_csv_pooled_rows_match_pooling_csv(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    region = load_members(region_dir / "members.toml")
    assert region.pooled_levers is not None
    pair = Region("Pair", region.members[:2], region.levers, region.source)
    task = PooledTask(pair.members, region.pooled_levers, 11, params, tmp_path)
    pooled = run_pooled(task, prepare_pooled(task))
    assert isinstance(pooled, PooledSummary), pooled
    result = RegionResult(pair, ("base",), 11, (), (), pooled, ())
    long = long_table(result)
    mine = long[long["scenario"] == "pooled"].pivot(
        index="member_code", columns="measure", values="value"
    )
    own = pd.read_csv(tmp_path / "pooled" / "pooling.csv")
    codes = [m.code for m in pair.members] + ["region"]
    for code, (_, row) in zip(codes, own.iterrows(), strict=True):
        for measure in ("alone_cost_gbp", "pooled_share_gbp", "saving_gbp", "saving_pct"):
            assert mine.loc[code, measure] == pytest.approx(row[measure], abs=0.01), measure
    # independently: shares add to the pooled cost, savings to the co-operative's, and
    # each saving_pct is its saving over its cost alone, in per cent
    members = own.iloc[:-1]
    assert members["pooled_share_gbp"].sum() == pytest.approx(
        own["pooled_share_gbp"].iloc[-1], abs=0.05
    )
    assert members["saving_gbp"].sum() == pytest.approx(own["saving_gbp"].iloc[-1], abs=0.05)
    pct = 100 * own["saving_gbp"] / own["alone_cost_gbp"]
    assert mine.loc[codes, "saving_pct"].to_numpy() == pytest.approx(pct.to_numpy(), abs=0.01)


def test_a_pooled_members_warnings_are_in_the_region_report_under_its_name(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """A member with one year of returns pooled with another: its forecast's warning ('The
    history covers 1.0 years ... the forecast may run high') was on the console alone
    (from its own forecast) and the pooled plan's forecasts' warnings were dropped, so a
    commissioner reading region.xlsx or region.html saw none. Now the pooled plan keeps
    each member's, and the report lists every member's warnings under its name (a Read with
    care sheet and section, counted in the headline)."""
    import shutil

    from openpyxl import load_workbook

    from sufficiency.region.members import Member
    from sufficiency.region.writers import headline, write_region

    region = load_members(region_dir / "members.toml")
    assert region.pooled_levers is not None
    first, second = region.members[:2]
    short = tmp_path / "short"
    shutil.copytree(second.history / "2026", short / "2026")
    pair = Region("Pair", (first, Member(second.code, second.name, short, second.levers)),
                  region.levers, region.source)  # fmt: skip
    task = PooledTask(pair.members, region.pooled_levers, 11, params, tmp_path / "out")
    pooled = run_pooled(task, prepare_pooled(task))
    assert isinstance(pooled, PooledSummary), pooled
    notes = dict(pooled.notes)
    assert any(n.startswith("The history covers 1.0 years") for n in notes[second.code])
    result = RegionResult(pair, ("base",), 11, (), (), pooled, ())
    write_region(result, tmp_path)
    rows = list(load_workbook(tmp_path / "region.xlsx")["Read with care"].values)
    assert rows[0] == ("Code", "Authority", "Said in (runs)", "Warning")
    mine = [r for r in rows[1:] if r[0] == second.code]
    assert mine and all(r[1] == second.name and r[2] == "pooled plan" for r in mine)
    assert any(str(r[3]).startswith("The history covers 1.0 years") for r in mine)
    html = (tmp_path / "region.html").read_text(encoding="utf-8")
    assert '<h2 id="care">Read with care</h2>' in html and "The history covers 1.0 years" in html
    assert any(line.startswith("Read with care: ") for line in headline(result))


def test_the_shared_levers_warnings_are_read_with_the_pooled_plan(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """A fee uplift of 3 (meant as 3%) in the co-operative's shared levers was warned of in
    a Dask worker's output alone: region.xlsx's Read with care said nothing. It is now kept
    with the pooled plan, under the region."""
    from openpyxl import load_workbook

    from sufficiency.region.writers import write_region

    region = load_members(region_dir / "members.toml")
    assert region.pooled_levers is not None
    text = region.pooled_levers.read_text(encoding="utf-8")
    assert "weekly_gbp_per_household = 40.0" in text
    shared = tmp_path / "shared.toml"
    shared.write_text(text.replace("weekly_gbp_per_household = 40.0",
                                   "weekly_gbp_per_household = 3"), encoding="utf-8")  # fmt: skip
    pair = Region("Pair", region.members[:2], region.levers, region.source)
    task = PooledTask(pair.members, shared, 11, params, tmp_path / "out")
    pooled = run_pooled(task, prepare_pooled(task))
    assert isinstance(pooled, PooledSummary), pooled
    (said,) = dict(pooled.notes)["region"]
    assert said.startswith(f'{shared}: "fee_uplift.weekly_gbp_per_household" is £3.00 a week')
    write_region(RegionResult(pair, ("base",), 11, (), (), pooled, ()), tmp_path)
    rows = list(load_workbook(tmp_path / "region.xlsx")["Read with care"].values)
    assert any(r[0] == "region" and r[2] == "pooled plan" and r[3] == said for r in rows[1:])
