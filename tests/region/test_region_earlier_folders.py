"""A run into a folder an earlier run wrote leaves none of the earlier run's member folders
that it did not write itself: a reader would take them for this run's."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import RUN_DATE, SEED

from sufficiency.region import run_region
from sufficiency.region.publish import remove_earlier

SCENARIO = Path(__file__).resolve().parents[2] / "data/sample/scenarios/entries_up_20.toml"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """One in-process worker: the tasks are the real ones, without starting processes."""
    from distributed import Client

    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0") as c:
        yield c


def _members(folder: Path, region_dir: Path, codes: list[str]) -> Path:
    text = ""
    for code in codes:
        shutil.copytree(region_dir / "E99000001" / "ssda903", folder / code / "ssda903")
        text += f'[[member]]\ncode = "{code}"\nname = "Member {code}"\nhistory = "{code}/ssda903"\n'
    (folder / "members.toml").write_text(text)
    return folder / "members.toml"


def test_a_rerun_removes_the_folders_of_members_and_scenarios_not_in_it(
    region_dir: Path, params: Any, tmp_path: Path, client: Any
) -> None:
    """Run 1: member E10000034 under base and entries_up_20. Run 2 into the same folder:
    member E10000035 alone, base alone. E10000034's folders and the entries_up_20 forecast
    stayed beside run 2's report, which names neither (a commissioner opening
    members/E10000034/base/forecast/forecast.xlsx read an earlier run's forecast)."""
    out = tmp_path / "out"
    first = _members(tmp_path / "one", region_dir, ["E10000034"])
    common = {"params": params, "seed": SEED, "run_date": RUN_DATE, "commissioning": False}
    run_region(first, out, scenarios=[SCENARIO], client=client, **common)
    assert (out / "members" / "E10000034" / "entries_up_20" / "forecast").is_dir()
    (out / "notes.txt").write_text("the analyst's own")
    said: list[str] = []
    second = _members(tmp_path / "two", region_dir, ["E10000035"])
    result = run_region(second, out, client=client, progress=said.append, **common)
    assert result.exit_code == 0
    assert sorted(p.relative_to(out).as_posix() for p in (out / "members").glob("*/*")) == [
        "members/E10000035/base"
    ]
    assert (out / "notes.txt").read_text() == "the analyst's own"
    (line,) = [s for s in said if s.startswith("Removed")]
    assert "members/E10000034/base, members/E10000034/entries_up_20" in line


def test_remove_earlier_keeps_what_the_run_wrote_and_what_is_not_the_regions(
    tmp_path: Path,
) -> None:
    """Only ``members/<ONS code>/<run>`` and ``pooled`` folders not written are removed."""
    for rel in ["members/E1/base", "members/E10000001/base", "members/E10000001/up",
                "members/E10000002/commission", "pooled", "mine"]:  # fmt: skip
        (tmp_path / rel).mkdir(parents=True)
    written = {tmp_path / "members/E10000001/base"}
    removed = remove_earlier(tmp_path, written)
    assert removed == ["members/E10000001/up", "members/E10000002/commission", "pooled"]
    assert (tmp_path / "members/E1/base").is_dir() and (tmp_path / "mine").is_dir()
    assert (tmp_path / "members/E10000001/base").is_dir()
    assert not (tmp_path / "members/E10000002").exists()
