"""A region's scenario file is checked before anything runs, as docs/region.md's exit codes
say (1: a scenario file): a key it does not have failed every member under it, once each,
after their forecasts had run, and the run exited 3 (partial)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.commissioning.levers import Levers
from sufficiency.errors import ConfigError
from sufficiency.forecast import load_scenario
from sufficiency.forecast.scenario import LEVERS
from sufficiency.region import run_region

LEVER_IN_A_SCENARIO = 'name = "Entries up"\n[entries]\nchange_pct = 20\n[[recruit]]\ncarers = 5\n'


def test_region_raises_on_a_scenario_file_before_anything_runs(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """A lever given in a scenario file: one sentence naming the file and the key, nothing
    run or written."""
    scenario = tmp_path / "entries_up.toml"
    scenario.write_text(LEVER_IN_A_SCENARIO)
    out = tmp_path / "out"
    with pytest.raises(ConfigError) as err:
        run_region(region_dir / "members.toml", out, scenarios=[scenario], params=params,
                   commissioning=False, workers=1)  # fmt: skip
    assert str(err.value).startswith(f"{scenario}: line 4: recruit: is a commissioning lever")
    assert not (out / "members").exists()


def test_region_command_exits_1_on_a_misspelt_scenario_key(
    region_dir: Path, tmp_path: Path
) -> None:
    """A misspelt key (`chnge_pct`): `Error:` naming the file, the key and its nearest, exit 1."""
    scenario = tmp_path / "entries_up.toml"
    scenario.write_text('name = "Entries up"\n[entries]\nchnge_pct = 20\n')
    res = CliRunner().invoke(main, ["region", "--members", str(region_dir / "members.toml"),
                                    "--out", str(tmp_path / "out"), "--scenario", str(scenario),
                                    "--no-commissioning", "--workers", "1"])  # fmt: skip
    assert res.exit_code == 1, res.output
    assert f"Error: {scenario}: line 3: entries.chnge_pct: is not a setting" in res.output
    assert "did you mean change_pct?" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "out" / "members").exists()


def test_a_scenario_file_says_a_lever_belongs_in_a_levers_file(tmp_path: Path) -> None:
    """[[recruit]] in a scenario file is a levers file's (it was "not a setting of this
    version", as if the version were wrong)."""
    scenario = tmp_path / "s.toml"
    scenario.write_text(LEVER_IN_A_SCENARIO)
    with pytest.raises(ConfigError, match="recruit: is a commissioning lever, read from a levers"):
        load_scenario(scenario)


def test_the_scenario_knows_every_section_of_a_levers_file() -> None:
    """The forecast's list of levers (it does not import commissioning) is the levers file's."""
    assert set(LEVERS) == set(Levers.model_fields)
