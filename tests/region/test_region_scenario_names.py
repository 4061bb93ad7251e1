"""Scenario files as an analyst copies them: two with the same ``name`` (one copied, its
figures changed and not its name), whose columns in the Scenarios table were one, headed
by the name, the later scenario's figures under it and the other dropped, nothing said;
and one named "Base" that changes nothing, which the forecast takes for the base and gives
no scenario figures for, and which stopped the whole region with a TypeError."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import RUN_DATE, SEED

from sufficiency.region import run_region
from sufficiency.region.report import scenario_table
from sufficiency.region.run import RegionResult

SCENARIOS = {"up_20": ("Entries up", 20), "up_50": ("Entries up", 50), "as_base": ("Base", 0)}


@pytest.fixture(scope="module")
def result(
    region_dir: Path, params: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RegionResult]:
    """One member under the base and the three scenarios, on one in-process worker."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("names")
    (folder / "members.toml").write_text(
        f'[[member]]\ncode = "E99000001"\nname = "Aville"\n'
        f'history = "{(region_dir / "E99000001" / "ssda903").as_posix()}"\n'
    )
    files = []
    for key, (name, pct) in SCENARIOS.items():
        (folder / f"{key}.toml").write_text(f'name = "{name}"\n[entries]\nchange_pct = {pct}\n')
        files.append(folder / f"{key}.toml")
    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0") as c:
        yield run_region(folder / "members.toml", folder / "out", scenarios=files,
                         params=params, seed=SEED, client=c, run_date=RUN_DATE,
                         commissioning=False)  # fmt: skip


def test_scenarios_of_one_name_each_keep_their_columns(result: RegionResult) -> None:
    horizon = {s.scenario: s.in_care_forecast for s in result.members}
    assert horizon["up_50"] > horizon["up_20"] > horizon["base"]
    table = scenario_table(result).set_index("code")
    columns = [c for c in table.columns if c.endswith(": children at the horizon")]
    assert columns == [
        "Base: children at the horizon",
        "Entries up (up_20): children at the horizon",
        "Entries up (up_50): children at the horizon",
        "Base (as_base): children at the horizon",
    ]
    row = table.loc["E99000001"]
    assert row["Entries up (up_20): children at the horizon"] == horizon["up_20"]
    assert row["Entries up (up_50): children at the horizon"] == horizon["up_50"]
    assert row["Base: children at the horizon"] == horizon["base"]


def test_a_scenario_named_base_that_changes_nothing_gives_the_base_figures(
    result: RegionResult,
) -> None:
    assert result.exit_code == 0 and not result.failures
    by_run = {s.scenario: s for s in result.members}
    base, same = by_run["base"], by_run["as_base"]
    assert (same.in_care_forecast, same.spend_gbp) == (base.in_care_forecast, base.spend_gbp)
    assert same.starts_first_year == base.starts_first_year
