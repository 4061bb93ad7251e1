"""Whose block contract terms the pooled plan signs. Without ``[region] levers`` in the
members file, the pooled plan took the first member's (with a levers file) block contract
terms, and nothing said so: a member whose own terms differ (another price, another
length) read a pooled plan signing terms it never gave. It is said now, with the pooled
plan (the console's warnings and Read with care), naming whose terms and whose differ."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from sufficiency.region import load_members
from sufficiency.region.members import Region
from sufficiency.region.pool_tasks import prepare_pooled, run_pooled
from sufficiency.region.report import caution_table
from sufficiency.region.run import RegionResult
from sufficiency.region.specs import PooledSummary, PooledTask

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def _pair(region_dir: Path, tmp_path: Path, *, dearer: bool) -> Region:
    """The region's first two members, the second on its own levers file: the same terms,
    or its children's home beds' block at £5,900 a week, not £5,600."""
    region = load_members(region_dir / "members.toml")
    assert region.pooled_levers is not None
    text = region.pooled_levers.read_text(encoding="utf-8")
    tmp_path.mkdir(parents=True, exist_ok=True)
    own = tmp_path / "own_levers.toml"
    before = "weekly_price_gbp = 5600.0"
    assert text.count(before) == 1
    own.write_text(text.replace(before, "weekly_price_gbp = 5900.0") if dearer else text)
    one, two = region.members[:2]
    return Region("Pair", (one, dataclasses.replace(two, levers=own)), None, region.source)


def _pooled(pair: Region, params: Any, tmp_path: Path) -> PooledSummary:
    assert pair.pooled_levers is not None
    task = PooledTask(pair.members, pair.pooled_levers, 11, params, tmp_path / "out",
                      levers_of=pair.pooled_levers_of)  # fmt: skip
    pooled = run_pooled(task, prepare_pooled(task))
    assert isinstance(pooled, PooledSummary), pooled
    return pooled


def test_the_first_members_terms_are_said_when_another_members_differ(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    pair = _pair(region_dir, tmp_path, dearer=True)
    one, two = pair.members
    assert pair.pooled_levers == one.levers and pair.pooled_levers_of == one
    pooled = _pooled(pair, params, tmp_path)
    (said,) = dict(pooled.notes)["region"]
    assert said == (
        f"The members file has no [region] levers, so the pooled plan's block contracts are "
        f"on the terms of {one.name}'s levers file ({one.shown(one.levers)}), the first "  # type: ignore[arg-type]
        f"member's in the file with one; the block contract terms in the levers files of "
        f"{two.name} differ. Give the terms the co-operative signs as [region] levers in the "
        "members file"
    )
    # said with the pooled plan, under the region's name: the console and Read with care
    result = RegionResult(pair, ("base",), 11, (), (), pooled, ())
    cautions = caution_table(result)
    row = cautions[cautions["warning"] == said].iloc[0]
    assert (row["code"], row["authority"], row["said_in"]) == ("region", "Pair", "pooled plan")


def test_nothing_is_said_when_the_terms_are_alike_or_the_regions_own(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """Every member's block terms alike: nothing to choose between, nothing said. The
    region's own terms given ([region] levers): they are the co-operative's, nothing said."""
    alike = _pair(region_dir, tmp_path / "alike", dearer=False)
    assert "region" not in dict(_pooled(alike, params, tmp_path / "alike").notes)
    dearer = _pair(region_dir, tmp_path / "given", dearer=True)
    given = dataclasses.replace(dearer, levers=dearer.members[0].levers)
    assert given.pooled_levers_of is None
    assert "region" not in dict(_pooled(given, params, tmp_path / "given").notes)
