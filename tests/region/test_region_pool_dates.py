"""A member whose history ends on another day than the others' (an in-year extract to
30/09/2026 beside full years to 31/03/2026) is left out of the pooled plan, said why,
and the rest of the region pools: the pool failed for the whole region ("Pooled
histories must end on the same date"), although each member's own runs had run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import SEED

from sufficiency.commissioning.pool_dates import pool_date
from sufficiency.forecast.synthetic import synthetic_history
from sufficiency.region import load_members
from sufficiency.region.members import Member, Region
from sufficiency.region.report import member_table
from sufficiency.region.run import EXIT_PARTIAL, POOLED_KEY, run_region
from sufficiency.region.seeds import member_seed
from sufficiency.region.synthetic import write_history
from sufficiency.region.tasks import MemberFailure, MemberSummary, PooledTask, prepare_pooled
from sufficiency.region.writers import headline

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def _extract_to_september(folder: Path, code: str) -> Path:
    """A 110-child history to 31/03/2027 whose 2026-27 return is cut at 30/09/2026."""
    history = synthetic_history(110, num_years=4, end_year=2027, seed=member_seed(SEED, code, "h"))
    write_history(history, folder)
    last = folder / "2027" / "episodes.csv"
    ep = pd.read_csv(last, dtype=str, keep_default_na=False)
    cut = pd.Timestamp("2026-09-30")
    start = pd.to_datetime(ep["DECOM"], dayfirst=True)
    ended = pd.to_datetime(ep["DEC"].replace("", None), dayfirst=True)
    ep = ep[start <= cut].copy()
    ep.loc[(ended[start <= cut] > cut).to_numpy(), ["DEC", "REC", "REASON_PLACE_CHANGE"]] = ""
    ep.to_csv(last, index=False)
    return folder


def test_pool_date_is_the_most_members_date_and_of_a_tie_the_latest() -> None:
    assert pool_date(["2026-03-31", "2026-09-30", "2026-03-31"]) == "2026-03-31"
    assert pool_date(["2026-03-31", "2026-09-30"]) == "2026-09-30"


def test_a_member_ending_on_another_day_is_left_out_of_the_pool_and_the_rest_pool(
    cluster: Any, region_dir: Path, params: Any, tmp_path: Path
) -> None:
    first, second, third = load_members(region_dir / "members.toml").members
    extract = _extract_to_september(tmp_path / "extract", third.code)
    late = Member(third.code, third.name, extract, levers=third.levers)
    region = Region("Three", (first, second, late), None, None)
    out = tmp_path / "out"
    result = run_region(region, out, params=params, seed=SEED, run_date="2026-10-15",
                        scheduler=cluster.scheduler_address)  # fmt: skip
    # every member's own runs ran, the late one's from its own day
    starts = {s.code: s.start for s in result.members}
    assert starts == {first.code: "2026-03-31", second.code: "2026-03-31",
                      third.code: "2026-09-30"}  # fmt: skip
    assert [c.code for c in result.commissions] == [first.code, second.code, third.code]
    # the pool ran over the two ending on 31/03/2026
    assert result.pooled is not None
    assert [r["code"] for r in result.pooled.rows] == [first.code, second.code, "region"]
    assert third.code in result.pooled.left_out
    pooling = pd.read_csv(out / "pooled" / "pooling.csv")
    assert pooling["authority"].tolist() == [first.name, second.name, "co-operative"]
    # the late member is said, why and what to give, and the run is partial
    (failure,) = result.failures
    assert (failure.code, failure.scenario) == (third.code, POOLED_KEY)
    assert failure.reason.startswith(
        "Left out of the pooled plan: its history ends on 30/09/2026, the pooled members' "
        f"({first.name}, {second.name}) on 31/03/2026."
    )
    assert "give its history to 31/03/2026" in failure.reason
    assert result.exit_code == EXIT_PARTIAL
    status = member_table(result).set_index("code")["status"]
    assert status[third.code].startswith("Ran; left out of the pooled plan")
    assert status[first.code] == status[second.code] == "Ran"
    said = " ".join(headline(result))
    assert f"The pooled plan is of 2 members: {third.name} left out of it (see Failed)." in said
    result.write(out)
    html = (out / "region.html").read_text()
    assert "Left out of the pooled plan: its history ends on 30/09/2026" in html
    failed = pd.read_excel(out / "region.xlsx", sheet_name="Failed", header=None)
    assert failed.astype(str).apply(lambda c: c.str.contains("Left out of the pooled")).any().any()

    # two members with levers ending on different days: no pool, and the reason says so
    ran = {s.code: s for s in result.members if isinstance(s, MemberSummary)}
    assert third.levers is not None
    task = PooledTask((first, late), third.levers, 1, params, tmp_path / "pair")
    none = prepare_pooled(task, ran[first.code], ran[third.code])
    assert isinstance(none, MemberFailure)
    assert "whose histories end on the same day" in none.reason
    assert f"{first.name}: 31/03/2026; {third.name}: 30/09/2026" in none.reason
