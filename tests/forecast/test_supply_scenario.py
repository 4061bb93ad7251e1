"""Supply files, shortfall, and scenario files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sufficiency.errors import ConfigError
from sufficiency.forecast.result import ForecastResult
from sufficiency.forecast.scenario import Scenario, StepDown, load_scenario
from sufficiency.forecast.states import AGE_BANDS, CAT, CATEGORIES, month_ends
from sufficiency.forecast.supply import (
    CategorySupply,
    SupplyPlan,
    load_supply,
    register_vacancies,
    shortfall,
    supply_assumed,
)

SAMPLE = pytest.importorskip("pathlib").Path(__file__).resolve().parents[2] / "data" / "sample"


def _result(in_house_foster: list[int]) -> ForecastResult:
    """Four paths over six months with given in-house foster counts at every month end."""
    months = month_ends(pd.Timestamp("2026-03-31"), 6)
    stock = np.zeros((4, 7, len(CATEGORIES), len(AGE_BANDS)), dtype=np.int32)
    stock[:, :, CAT["in_house_foster"], 2] = np.array(in_house_foster)[:, None]
    zeros = np.zeros((4, 7, len(CATEGORIES)), dtype=np.int32)
    return ForecastResult(
        months, CATEGORIES, AGE_BANDS, stock, zeros, zeros, zeros,
        pd.DatetimeIndex([]), np.zeros((0, len(CATEGORIES), len(AGE_BANDS))), "base", 1,
    )  # fmt: skip


def test_sample_supply_file_loads():
    """data/sample/supply.toml is valid and grows in-house foster places by net approvals."""
    plan = load_supply(SAMPLE / "supply.toml")
    assert plan.in_house_foster is not None
    start = pd.Timestamp("2026-03-31")
    later = plan.in_house_foster.places_on(start, pd.Timestamp("2027-03-31"))
    assert later == pytest.approx(plan.in_house_foster.places + 4, abs=0.1)


def test_step_change_replaces_places_from_its_date():
    """A new home from April 2027: 28 beds from then on."""
    spec = CategorySupply.model_validate(
        {"beds": 24, "changes": [{"date": "2027-04-01", "places": 28}]}
    )
    start = pd.Timestamp("2026-03-31")
    assert spec.places_on(start, pd.Timestamp("2027-03-31")) == 24
    assert spec.places_on(start, pd.Timestamp("2027-06-30")) == 28


def test_shortfall_gives_gap_and_probability():
    """Demand 8, 10, 12, 14 against 11 places: P(gap) = 1/2, expected gap (1+3)/4 = 1."""
    plan = SupplyPlan(in_house_foster=CategorySupply.model_validate({"places": 11}))
    short, buys = shortfall(_result([8, 10, 12, 14]), plan)
    row = short[(short["category"] == "in_house_foster")].iloc[0]
    assert row["quarter_end"] == "2026-06-30"
    assert row["prob_demand_exceeds_supply"] == 0.5
    assert row["expected_gap"] == 1.0
    assert row["expected_spare"] == pytest.approx((3 + 1) / 4)
    foster = buys[buys["purchase"].str.startswith("foster")].iloc[0]
    assert foster["expected_places"] == 1.0


def test_register_vacancies_map_to_categories():
    """Register rows count towards the matching forecast category."""
    reg = pd.DataFrame(
        {
            "setting": ["foster", "foster", "residential", "supported"],
            "provider": ["in_house", "ifa", "external", "external"],
            "vacancies": [2, 3, 1, 4],
        }
    )
    vac = register_vacancies(reg)
    assert (vac["in_house_foster"], vac["ifa_foster"], vac["external_residential"]) == (2, 3, 1)
    assert vac["supported"] == 4


def test_supply_file_raises_on_unknown_category(tmp_path):
    """A block contract for a category that does not exist names the problem."""
    bad = tmp_path / "supply.toml"
    bad.write_text("[block_contracts]\nresidential = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown category 'residential'"):
        load_supply(bad)


@pytest.mark.parametrize("category", ["secure", "kinship_foster", "in_house_foster"])
def test_supply_file_refuses_a_block_contract_the_shortfall_would_drop(tmp_path, category):
    """Block contracts count for IFA, external residential and supported places only; one for
    another category is refused in a sentence (before: accepted, and its places silently
    left out of supply.csv and shortfall.csv)."""
    bad = tmp_path / "supply.toml"
    bad.write_text(f"[block_contracts]\nifa_foster = 3\n{category} = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"places in {category} would be left out"):
        load_supply(bad)


def test_supply_file_given_as_a_spreadsheet_says_so(tmp_path):
    """An Excel workbook given as the supply file is named as one (before: "not a valid TOML
    file ('utf-8' codec can't decode byte 0x83 in position 10: invalid start byte)")."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["category", "places"])
    wb.active.append(["in_house_foster", 262])
    wb.save(tmp_path / "supply.xlsx")
    with pytest.raises(ConfigError, match=r"this is a spreadsheet \(Excel\), but a supply file is"):
        load_supply(tmp_path / "supply.xlsx")


def test_supply_file_saved_with_a_byte_order_mark_loads(tmp_path):
    """A file saved as "UTF-8 with BOM" (Windows Notepad) reads as written (before: "not a
    valid TOML file (Invalid statement (at line 1, column 1))")."""
    path = tmp_path / "supply.toml"
    path.write_bytes(b"\xef\xbb\xbf[block_contracts]\nifa_foster = 3\n")
    assert load_supply(path).block_contracts == {"ifa_foster": 3}


@pytest.mark.parametrize("name", ["entries_up_20.toml", "step_down_and_in_house.toml"])
def test_sample_scenarios_load(name: str):
    """Both example scenarios in data/sample/scenarios are valid and change something."""
    scenario = load_scenario(SAMPLE / "scenarios" / name)
    assert not scenario.is_base


def test_scenario_raises_on_unknown_age_band(tmp_path):
    """An age band spelt wrongly is a ConfigError naming the band."""
    bad = tmp_path / "s.toml"
    bad.write_text('[entries.change_pct_by_age_band]\n"16-18" = 10\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown age band '16-18'"):
        load_scenario(bad)


@pytest.mark.parametrize(
    ("load", "text", "keys"),
    [
        (load_scenario, '[entries]\nchange_pc = 10\n[entries.change_pct_by_age_band]\n'
                        '"16-18" = 1\n',
         [["line 2", "entries.change_pc"], ["line 4", "entries.change_pct_by_age_band.16-18"]]),
        (load_supply, "[block_contracts]\nresidential = 3\n[in_house_fostr]\nplaces = 1\n",
         [["line 2", "block_contracts.residential"], ["line 3", "in_house_fostr"]]),
    ],
)  # fmt: skip
def test_scenario_and_supply_report_every_problem_on_its_own_line(tmp_path, load, text, keys):
    """Every unknown key and bad value at once, one line each naming its line and key, in
    the file's order."""
    bad = tmp_path / "f.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load(bad)
    head, *lines = str(err.value).splitlines()
    assert head == f"{bad}: 2 problems, each to fix:"
    assert [line.strip().split(": ")[:2] for line in lines] == keys


@pytest.mark.parametrize(
    ("load", "text", "said"),
    [
        (load_scenario, '[entries]\nchange_pct = "10"\n',
         'line 2: entries.change_pct: is text in quotes ("10"); write it without quotes: '
         "change_pct = 10"),
        (load_supply, '[block_contracts]\nifa_foster = "3"\n',
         'line 2: block_contracts.ifa_foster: is text in quotes ("3"); write it without quotes: '
         "ifa_foster = 3"),
    ],
)  # fmt: skip
def test_scenario_and_supply_refuse_a_figure_in_quotes(tmp_path, load, text, said):
    """A figure typed in quotes is refused naming it (before: read quietly)."""
    bad = tmp_path / "f.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load(bad)
    assert str(err.value) == f"{bad}: {said}"


def test_age_band_change_replaces_overall_change():
    """A band's own percentage replaces the overall one for that band."""
    s = Scenario.model_validate(
        {"name": "up", "entries": {"change_pct": 10, "change_pct_by_age_band": {"16-17": 40}}}
    )
    assert s.entries.multiplier("16-17") == pytest.approx(1.4)
    assert s.entries.multiplier("5-9") == pytest.approx(1.1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # named "base" (any case) or blank: its rows could not be told from the base's
        # (before: forecast.xlsx raised "Index contains duplicate entries")
        ('name = "Base"\n[entries]\nchange_pct = 20\n', "name 'Base': give the scenario a name"),
        ('name = " "\n[entries]\nchange_pct = 20\n', "name ' ': give the scenario a name"),
        # a tab or line break in the name split its column and its legend in the outputs
        (
            'name = "Entries\\tup"\n[entries]\nchange_pct = 20\n',
            r"name 'Entries\\tup': use letters, numbers, spaces and punctuation only",
        ),
        # a step-down or shift to its own category, or ending before it starts, did nothing
        (
            '[[step_down]]\nfrom = "secure"\nto = "secure"\nper_month = 1\n',
            r"line 1: \[\[step_down\]\] 1: a step-down from 'secure' to the same category "
            "changes nothing",
        ),
        (
            '[[shift]]\nfrom = "ifa_foster"\nto = "ifa_foster"\nfraction = 0.5\n',
            r"line 1: \[\[shift\]\] 1: a shift from 'ifa_foster' to the same category "
            "changes nothing",
        ),
        (
            "[[step_down]]\nper_month = 1\nstart_month = 10\nend_month = 5\n",
            r"line 1: \[\[step_down\]\] 1: end_month 5 is before start_month 10",
        ),
        (
            "[entries]\nchange_pcnt = 20\n",
            "line 2: entries.change_pcnt: is not a setting of this version; did you mean "
            "change_pct?",
        ),
        # +100000% filled 15 GB of memory and ran for minutes; the web form stops at +500%
        (
            "[entries]\nchange_pct = 100000\n",
            "line 2: entries.change_pct: is 100000; give 500 or less",
        ),
        (
            '[entries.change_pct_by_age_band]\n"1-4" = 501\n',
            "line 2: entries.change_pct_by_age_band.1-4: is 501; give 500 or less",
        ),
        (
            "[entries]\nchange_pct = -101\n",
            "line 2: entries.change_pct: is -101; give -100 or more",
        ),
    ],
)
def test_scenario_that_would_do_nothing_or_mislabel_is_refused(tmp_path, text, message):
    """A scenario file that would silently change nothing, or be labelled as the base, is
    refused in a sentence naming the file and key."""
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"s.toml: {message}"):
        load_scenario(path)


def test_single_step_down_table_is_one_step_down(tmp_path):
    """``[step_down]`` with one pair of brackets is read as one step-down (before: "Input
    should be a valid tuple")."""
    path = tmp_path / "s.toml"
    path.write_text('[step_down]\nper_month = 2\n[shift]\nfrom = "ifa_foster"\n'
                    'to = "in_house_foster"\nfraction = 0.25\n', encoding="utf-8")  # fmt: skip
    s = load_scenario(path)
    assert [sd.per_month for sd in s.step_down] == [2]
    assert [sh.fraction for sh in s.shift] == [0.25]


def test_fractional_step_downs_accumulate():
    """Half a step-down a month is one every second month."""
    sd = StepDown.model_validate({"per_month": 0.5})
    assert [sd.count_in_month(m) for m in range(1, 7)] == [0, 1, 0, 1, 0, 1]


def test_two_shifts_from_one_category_each_take_their_share_of_the_base():
    """Two shifts of a quarter from IFAs move half of IFA entries and moves (before: a
    quarter, then a quarter of the rest, 43.75%); more than all of a category is refused."""
    from sufficiency.forecast.rate_draws import _apply_shifts

    two = Scenario.model_validate({"name": "two", "shift": [
        {"from": "ifa_foster", "to": "in_house_foster", "fraction": 0.25},
        {"from": "ifa_foster", "to": "kinship_foster", "fraction": 0.25},
    ]})  # fmt: skip
    probs = _apply_shifts(np.ones((3, len(CATEGORIES))), two)
    assert probs[:, CAT["ifa_foster"]] == pytest.approx(0.5)
    assert probs[:, CAT["in_house_foster"]] == pytest.approx(1.25)
    assert probs[:, CAT["kinship_foster"]] == pytest.approx(1.25)
    assert probs.sum(axis=1) == pytest.approx(len(CATEGORIES))
    with pytest.raises(ValueError, match=r"add up to more than all of it: ifa_foster \(120%\)"):
        Scenario.model_validate({"name": "over", "shift": [
            {"from": "ifa_foster", "to": "in_house_foster", "fraction": 0.6},
            {"from": "ifa_foster", "to": "kinship_foster", "fraction": 0.6},
        ]})  # fmt: skip


def test_supply_file_without_an_in_house_section_says_what_it_assumed():
    """A file with block contracts only: each in-house category's places are said (before:
    in use on the start date held flat, with nothing to say so)."""
    plan = SupplyPlan(block_contracts={"ifa_foster": 60})
    said = supply_assumed(_result([8, 10, 12, 14]), plan, None)
    assert said[0] == (
        "The supply file has no [in_house_foster] section: its places are taken as the 8 "
        "children there on 31 March 2026 (no placement register was given for its vacancies), "
        "held flat."
    )
    vac = dict.fromkeys(CATEGORIES, 0) | {"in_house_residential": 1}
    said = supply_assumed(_result([8, 10, 12, 14]), plan, vac)
    assert said[1].endswith("the 0 children there on 31 March 2026 plus 1 vacancy on the "
                            "placement register, held flat.")  # fmt: skip


def test_supply_change_before_the_start_is_said():
    """A step change dated before the start replaces the section's places from the start:
    said, since the file also gives its own places "at the start date"."""
    spec = CategorySupply.model_validate(
        {"beds": 24, "changes": [{"date": "2020-01-01", "places": 10}]}
    )
    plan = SupplyPlan(in_house_foster=CategorySupply(places=11), in_house_residential=spec)
    assert supply_assumed(_result([8, 10, 12, 14]), plan, None) == [
        "The supply file's [in_house_residential] change on 1 January 2020 is on or before the "
        "forecast start (31 March 2026), so its 10 places are used from the start, not the "
        "section's own 24."
    ]
    assert supply_assumed(_result([8, 10, 12, 14]), SupplyPlan(
        in_house_foster=CategorySupply(places=11), in_house_residential=CategorySupply(places=2)
    ), None) == []  # fmt: skip


def test_supply_far_beyond_the_children_there_is_said():
    """26,200 in-house foster places typed for 262 (the sample's) showed no shortfall with
    no word. A figure over ten times the children in its category now (and 50 more) is said;
    a modest surplus is not."""
    typo = SupplyPlan(
        in_house_foster=CategorySupply.model_validate(
            {"places": 11, "changes": [{"date": "2027-04-01", "places": 2620}]}
        ),
        in_house_residential=CategorySupply(places=2),
        block_contracts={"ifa_foster": 600},
    )
    said = supply_assumed(_result([8, 10, 12, 14]), typo, None)
    assert said == [
        "The supply file's [in_house_foster] places (2,620) are over 10 times the 8 children "
        "there on 31 March 2026: check the figure (a digit too many?); the shortfall is "
        "computed with it as given.",
        "The supply file's [block_contracts] ifa_foster (600) are over 10 times the 0 "
        "children there on 31 March 2026: check the figure (a digit too many?); the shortfall "
        "is computed with it as given.",
    ]  # fmt: skip
    modest = SupplyPlan(in_house_foster=CategorySupply(places=57),
                        in_house_residential=CategorySupply(places=2),
                        block_contracts={"ifa_foster": 49})  # fmt: skip
    assert supply_assumed(_result([8, 10, 12, 14]), modest, None) == []


def test_in_house_places_under_half_the_children_in_them_are_said():
    """12 in-house foster places typed for an authority with 262 children in them (the
    vacancies given as the places, which count the places in use too) showed a shortfall of
    some 250 children every quarter with no word of the likely slip. Places under half the
    children there on the start date are said; a few fewer places than children are not."""
    vacancies = SupplyPlan(in_house_foster=CategorySupply(places=12),
                           in_house_residential=CategorySupply(places=0))  # fmt: skip
    assert supply_assumed(_result([262, 262, 262, 262]), vacancies, None) == [
        "The supply file's [in_house_foster] places (12) are under half the 262 children "
        "there on 31 March 2026: places count every place, those children's included; is it "
        "the vacancies? The shortfall is computed with it as given."
    ]
    fewer = SupplyPlan(in_house_foster=CategorySupply(places=240),
                       in_house_residential=CategorySupply(places=0))  # fmt: skip
    assert supply_assumed(_result([262, 262, 262, 262]), fewer, None) == []


def test_forecast_command_warns_of_an_assumed_supply(csv_authority, tmp_path):
    """The forecast command prints the assumption as a warning."""
    from click.testing import CliRunner

    from sufficiency.commands.forecast import forecast

    supply = tmp_path / "supply.toml"
    supply.write_text("[in_house_foster]\nplaces = 20\n")
    args = ["--history", str(csv_authority), "--out", str(tmp_path / "out"), "--paths", "20",
            "--horizon-months", "3", "--supply", str(supply)]  # fmt: skip
    result = CliRunner().invoke(forecast, args)
    assert result.exit_code == 0, result.output
    assert "Warning: The supply file has no [in_house_residential] section" in result.output
    assert "[in_house_foster] section" not in result.output
