"""A member whose history ends on another day than the others' (an in-year extract to
30/09/2026 beside full years to 31/03/2026) is left out of the pooled plan, said why,
and the rest of the region pools: the pool failed for the whole region ("Pooled
histories must end on the same date"), although each member's own runs had run. Left
out, it was then listed under Failed and the run exited 3 (partial) for it; it is said as
not in the pooled plan, with why, and region.csv says so to a dashboard."""

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
from sufficiency.region.pool_tasks import prepare_pooled
from sufficiency.region.report import member_table
from sufficiency.region.run import EXIT_OK, POOLED_KEY, run_region
from sufficiency.region.seeds import member_seed
from sufficiency.region.specs import MemberFailure, MemberSummary, PooledTask
from sufficiency.region.synthetic import write_history
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
    # the late member is said left out, why and what to give: not a failure (its own
    # runs ran), and the run is not partial for it (it was listed under Failed, exit 3)
    assert result.failures == ()
    (left,) = result.left_out_of_pool
    assert left.code == third.code
    assert left.reason.startswith(
        "Left out of the pooled plan: its history ends on 30 September 2026, the pooled members' "
        f"({first.name}, {second.name}) on 31 March 2026."
    )
    assert "give its history to 31 March 2026" in left.reason
    assert result.exit_code == EXIT_OK
    status = member_table(result).set_index("code")["status"]
    assert status[third.code].startswith("Ran; left out of the pooled plan")
    assert "Failed" not in status[third.code]
    assert status[first.code] == status[second.code] == "Ran"
    said = " ".join(headline(result))
    assert (
        f"The pooled plan is of 2 members, and its saving is theirs. Not in it (see Not "
        f"in the pooled plan): {third.name}, its history ends on another day."
    ) in said
    assert "Failed" not in said
    result.write(out)
    html = (out / "region.html").read_text()
    assert "Not in the pooled plan" in html
    assert "Left out of the pooled plan: its history ends on 30 September 2026" in html
    assert "Every member ran." in html  # its Failed section
    failed = pd.read_excel(out / "region.xlsx", sheet_name="Failed", header=None)
    assert failed.iloc[0, 0] == "Nothing to show."
    sheet = pd.read_excel(out / "region.xlsx", sheet_name="Not in the pooled plan")
    assert sheet["Code"].tolist() == [third.code]
    assert sheet["Reason"].iloc[0].startswith("Left out of the pooled plan: its history")
    # region.csv tells a dashboard who the pooled figures are of, and why one is not in
    long = pd.read_csv(out / "region.csv", dtype={"member_code": str})
    pooled = long[long["scenario"] == POOLED_KEY]
    flags = pooled[pooled["measure"].str.startswith("not_pooled:")]
    assert flags[["member_code", "measure", "value"]].values.tolist() == [
        [third.code, "not_pooled:history_ends_on_another_day", 1.0]
    ]
    counts = pooled[pooled["member_code"] == "region"].set_index("measure")["value"]
    assert (counts["members_pooled"], counts["members"]) == (2, 3)

    # two members with levers ending on different days: no pool, and the reason says so
    ran = {s.code: s for s in result.members if isinstance(s, MemberSummary)}
    assert third.levers is not None
    task = PooledTask((first, late), third.levers, 1, params, tmp_path / "pair")
    none = prepare_pooled(task, ran[first.code], ran[third.code])
    assert isinstance(none, MemberFailure)
    assert "whose histories end on the same day" in none.reason
    assert f"{first.name}: 31 March 2026; {third.name}: 30 September 2026" in none.reason
