"""Every problem in a TOML file written by hand names its line (tomllib gives no places):
the configuration, levers, scenario and supply files, as the members file already did."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from sufficiency.commissioning.levers import Levers, load_levers
from sufficiency.config import Params, load_params
from sufficiency.errors import ConfigError
from sufficiency.forecast.scenario import Scenario, load_scenario
from sufficiency.forecast.supply import SupplyPlan, load_supply
from sufficiency.io.toml_places import Places
from sufficiency.io.toml_problems import KINDS

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"

#: A scenario as an analyst types it: comments, a multi-line description holding what
#: looks like a heading and a key, a dotted key, a quoted key, two [[step_down]] tables.
SCENARIO = '''\
# Entries up: for the March sufficiency board
name = "Entries up"
description = """
[entries]
change_pct = 99
"""
entries.change_pct = 20   # a dotted key
entries.multiplier = 1.2

[entries.change_pct_by_age_band]
"16-17" = 40

[[step_down]]
from = "external_residential"
to = "in_house_foster"
per_month = 1

[[ step_down ]]   # the second
from = "external_residential"
to = "in_house_fostr"
per_month = -1
'''


def _problems(path: Path, load) -> list[str]:
    with pytest.raises(ConfigError) as err:
        load(path)
    head, *lines = str(err.value).splitlines()
    assert head.startswith(f"{path}: ")
    return [line.strip() for line in lines] or [head.removeprefix(f"{path}: ")]


def test_places_of_every_way_a_key_is_written() -> None:
    """Arrays of tables, a sub-table of the last [[recruit]], dotted and quoted keys, an
    inline table, a multi-line array holding what looks like a heading, a multi-line
    string and comments: each key at its line."""
    text = (
        "# levers\n"  # 1
        "[spot]\n"  # 2
        "foster_weekly_gbp = 900  # a week\n"  # 3
        "[[recruit]]\n"  # 4
        "group = 'foster_0_4'\n"  # 5
        "[[recruit]]\n"  # 6
        "  'group' = \"foster_5_9\"\n"  # 7
        "[recruit.sources]\n"  # 8
        "group = '''\n"  # 9
        "weekly_cost_gbp = 1\n"  # 10 (in the string)
        "'''\n"  # 11
        "weekly_cost_gbp = 'x'\n"  # 12
        "edges = [\n"  # 13
        "  [1, 2]\n"  # 14 (an item, not a heading)
        "]\n"  # 15
        "home = { beds = 4, name = 'x' }\n"  # 16
        "a.b.c = 1\n"  # 17
    )
    places = Places(text)
    assert places.line(("spot", "foster_weekly_gbp")) == 3
    assert places.line(("recruit", 0, "group")) == 5
    assert places.line(("recruit", 1, "group")) == 7
    assert places.line(("recruit", 1, "sources")) == 8
    assert places.line(("recruit", 1, "sources", "weekly_cost_gbp")) == 12
    assert places.line(("recruit", 1, "sources", "edges", 0)) == 13
    assert places.line(("recruit", 1, "sources", "home", "beds")) == 16
    assert places.line(("recruit", 1, "sources", "a", "b", "c")) == 17
    assert places.exact(("1, 2",)) is None
    assert places.line(("nowhere",)) is None


def test_a_hand_written_scenario_names_each_problems_line_in_order(tmp_path: Path) -> None:
    """Before: 'entries.multiplier: is not a setting of this version', 'step_down.1.to:
    ...', 'step_down.1.per_month: Input should be greater than 0', no line, the second
    step-down counted from 0, and pydantic's words."""
    path = tmp_path / "scenario.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    assert _problems(path, load_scenario) == [
        "line 8: entries.multiplier: is not a setting of this version (check its spelling "
        "and section)",
        "line 20: [[step_down]] 2: to: unknown category 'in_house_fostr' (did you mean "
        "in_house_foster?); use one of "
        "kinship_foster, in_house_foster, ifa_foster, in_house_residential, "
        "external_residential, secure, supported, with_parents, placed_for_adoption, other",
        "line 21: [[step_down]] 2: per_month: is -1; give more than 0",
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_a_config_saved_by_notepad_names_its_lines(tmp_path: Path, encoding: str) -> None:
    """A configuration saved as "Unicode" (UTF-16) or UTF-8 with a BOM, CRLF line ends:
    a misspelt key (did you mean), a percentage for a fraction, a misspelt section and a
    bound, each with its line, top to bottom."""
    path = tmp_path / "config.toml"
    text = (
        "# Aville's settings\r\n[forecast]\r\nhorizon_month = 24\r\nnum_paths = 5\r\n\r\n"
        "[finance]\r\ninflation_rate = 5\r\n\r\n[forcast]\r\nseed = 1\r\n"
    )
    path.write_bytes(text.encode(encoding))
    assert _problems(path, load_params) == [
        "line 3: forecast.horizon_month: is not a setting of this version; did you mean "
        "horizon_months?",
        "line 4: forecast.num_paths: is 5; give 10 or more",
        "line 7: finance.inflation_rate: is 5, prices rising 500% a year: give the rate as a "
        "fraction (0.05 for 5%)",
        "line 9: forcast: is not a setting of this version; did you mean forecast?",
    ]


def test_a_levers_file_names_each_problems_line(tmp_path: Path) -> None:
    """A figure in quotes, an unknown group and a misspelt figure in the second
    [[recruit]], and a share given as a percentage (before: '... Input should be less
    than or equal to 1', with no line)."""
    text = (SAMPLE / "levers.toml").read_text(encoding="utf-8")
    text = text.replace("residential_high_cost_share = 0.10", "residential_high_cost_share = 10")
    text = text.replace('group = "foster_5_9"', 'group = "foster_5_10"')
    text = text.replace("max_households_per_year = 5", "max_household_per_year = 5")
    path = tmp_path / "levers.toml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    share = lines.index("residential_high_cost_share = 10") + 1
    group = lines.index('group = "foster_5_10"') + 1
    most = lines.index("max_household_per_year = 5") + 1
    heading = group - 1  # a missing figure: at its [[recruit]] heading
    assert lines[heading - 1] == "[[recruit]]"
    assert _problems(path, load_levers) == [
        f"line {share}: spot.residential_high_cost_share: is 10; give 1 or less (a "
        "fraction: 0.1 for 10%)",
        f"line {heading}: [[recruit]] 2: max_households_per_year: is missing; add it",
        f"line {group}: [[recruit]] 2: group: unknown group 'foster_5_10' (did you "
        "mean foster_5_9?); use one of "
        "foster_0_4, foster_5_9, foster_10_15, foster_16_17",
        f"line {most}: [[recruit]] 2: max_household_per_year: is not a section or figure of "
        "a levers file (docs/commissioning.md lists them); did you mean "
        "max_households_per_year?",
    ]


def test_a_supply_files_inline_tables_name_their_key_line(tmp_path: Path) -> None:
    """A problem inside an inline table is at the line of the key that holds it; `beds`
    (the alias of places) is offered for a misspelt `bed`."""
    path = tmp_path / "supply.toml"
    path.write_text(
        "[in_house_foster]\nplaces = 262\napprovals_per_year = -3\n\n"
        "[in_house_residential]\nbed = 24\n"
        "changes = [{ date = 2027-04-01, places = 28 },\n"
        "           { date = 2028-01-01, place = 3 }]\n",
        encoding="utf-8",
    )
    assert _problems(path, load_supply) == [
        "line 3: in_house_foster.approvals_per_year: is -3; give 0 or more",
        "line 5: in_house_residential.beds: is missing; add it",
        "line 6: in_house_residential.bed: is not a setting of this version; did you mean beds?",
        "line 7: in_house_residential.changes item 2.places: is missing; add it",
        "line 7: in_house_residential.changes item 2.place: is not a setting of this version; "
        "did you mean places?",
    ]


@pytest.mark.parametrize(
    ("load", "given", "kind", "how"),
    [
        (load_scenario, SAMPLE / "levers.toml", "levers", "sufficiency commission --levers"),
        (load_levers, SAMPLE / "scenarios" / "entries_up_20.toml", "scenario",
         "sufficiency forecast --scenario"),
        (load_params, SAMPLE / "supply.toml", "supply", "sufficiency forecast --supply"),
        (load_supply, SAMPLE / "scenarios" / "entries_up_20.toml", "scenario",
         "sufficiency forecast --scenario"),
    ],
)  # fmt: skip
def test_a_file_of_another_kind_is_said_once(load, given: Path, kind: str, how: str) -> None:
    """A levers file given as a scenario was five problems ('spot: is a commissioning
    lever ...' a section at a time), a scenario given as levers 'spot is missing' and
    'name is not a section or figure': now one sentence saying what the file is and where
    it goes."""
    with pytest.raises(ConfigError) as err:
        load(given)
    said = str(err.value)
    assert said.startswith(f"{given}: this is a {kind} file (it has ")
    assert f"give it to `{how}`" in said and "\n" not in said


@pytest.mark.parametrize(
    ("kind", "model"),
    [("configuration", Params), ("scenario", Scenario), ("levers", Levers),
     ("supply", SupplyPlan)],
)  # fmt: skip
def test_each_kinds_sections_are_its_models(kind: str, model: type[BaseModel]) -> None:
    """The sections a file of each kind is known by are its model's, as written."""
    fields = model.model_fields
    assert set(KINDS[kind][0]) == {f.alias or n for n, f in fields.items()}


def test_a_figure_typed_as_in_a_spreadsheet_and_a_heading_with_two_brackets(
    tmp_path: Path,
) -> None:
    """'£900' and '20%' were 'Input should be a valid number, unable to parse string as a
    number'; [[forecast]] for [forecast] 'Input should be a valid dictionary or instance
    of ForecastParams'; 'with_parent' listed the categories without the one meant."""
    config = tmp_path / "config.toml"
    config.write_text(
        "[[forecast]]\nseed = 3\n[finance.weekly_cost_gbp]\nifa_foster = '£1,900'\n",
        encoding="utf-8",
    )
    assert _problems(config, load_params) == [
        "line 1: forecast: is written with two pairs of brackets ([[...]], a list of "
        "tables); write its heading with one pair",
        "line 4: finance.weekly_cost_gbp.ifa_foster: is '£1,900'; give the number alone, "
        "without a £ or % sign or commas (1900)",
    ]
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(
        "[entries]\nchange_pct = '20%'\n[exit_rate_change_pct]\nwith_parent = 10\n",
        encoding="utf-8",
    )
    said = _problems(scenario, load_scenario)
    assert said[0] == (
        "line 2: entries.change_pct: is '20%'; give the number alone, without a £ or % "
        "sign or commas (20)"
    )
    assert said[1].startswith(
        "line 4: exit_rate_change_pct.with_parent: unknown category 'with_parent' (did you "
        "mean with_parents?); use one of kinship_foster,"
    )
