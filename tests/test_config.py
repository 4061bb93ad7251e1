"""Configuration: configs/default.toml equals the defaults in code; bad files are clear errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from sufficiency.config import Params, load_params
from sufficiency.errors import ConfigError


def test_default_toml_equals_code_defaults(root):
    """Every value in configs/default.toml is the default in code, and nothing is missing."""
    data = tomllib.loads((root / "configs" / "default.toml").read_text())
    assert data == Params().model_dump(mode="json")


def test_empty_config_gives_defaults(tmp_path):
    """An empty file changes nothing."""
    p = tmp_path / "c.toml"
    p.write_text("")
    assert load_params(p) == Params()


def test_partial_config_overrides_only_what_it_names(tmp_path):
    """A file naming one weight changes that weight only."""
    p = tmp_path / "c.toml"
    p.write_text("[matching.weights]\nout_of_area = 750\n")
    params = load_params(p)
    assert params.matching.weights.out_of_area == 750
    assert params.matching.weights.unplaced == Params().matching.weights.unplaced


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("[matching]\nsolver = 'excel'\n", "matching.solver"),
        ("[matching.weights]\nwibble = 1\n", "wibble"),
        ("[general]\nresponsible_la = 'Worcs'\n", "responsible_la"),
        ("not = [toml", "not a valid TOML"),
    ],
)
def test_load_params_raises_on_bad_config(tmp_path, text, phrase):
    """Unknown keys, bad values and broken TOML are ConfigErrors naming the key."""
    p = tmp_path / "c.toml"
    p.write_text(text)
    with pytest.raises(ConfigError, match=phrase):
        load_params(p)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # an earlier version read the secret from here; it said only 'Extra inputs are
        # not permitted', and a guess would point at client_id
        (
            "[web.oidc]\nclient_id = 'app'\nclient_secret = 'x'\n",
            "line 3: web.oidc.client_secret: is no longer read from the configuration (which is "
            "copied into every run's record); remove it and set "
            "$SUFFICIENCY_OIDC_CLIENT_SECRET for `sufficiency serve` instead.",
        ),
        ("[matching]\nsolvr = 'cbc'\n", "line 2: matching.solvr: is not a setting of this version; "
         "did you mean solver?"),
        ("[matchin]\nsolver = 'cbc'\n", "line 1: matchin: is not a setting of this version; "
         "did you mean matching?"),
        ("[forecast]\nwibble = 1\n", "line 2: forecast.wibble: is not a setting of this version "
         "(check its spelling and section)"),
    ],
)  # fmt: skip
def test_an_old_or_misspelt_key_is_refused_in_a_sentence(tmp_path, text, said):
    """A configuration written for an older version, or with a misspelt key, is refused
    naming the key and where it went or the nearest setting, not in pydantic's words."""
    p = tmp_path / "c.toml"
    p.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_params(p)
    assert str(err.value) == f"{p}: {said}"


def test_every_old_misspelt_or_bad_key_is_reported_at_once(tmp_path):
    """Every problem in one error, each on its own line naming its line and key, in the
    file's order (before: the old key alone; the misspelt key and the bad value came only
    on the next run; then each without its line, the old key first)."""
    p = tmp_path / "c.toml"
    p.write_text("[matching]\nsolvr = 'cbc'\nmip_gap = 2\n[web.oidc]\nclient_secret = 'x'\n")
    with pytest.raises(ConfigError) as err:
        load_params(p)
    head, *lines = str(err.value).splitlines()
    assert head == f"{p}: 3 problems, each to fix:"
    assert [line.strip().split(": ")[:2] for line in lines] == [
        ["line 2", "matching.solvr"], ["line 3", "matching.mip_gap"],
        ["line 5", "web.oidc.client_secret"],
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[forecast]\nhorizon_months = "36"\n',
         'line 2: forecast.horizon_months: is text in quotes ("36"); write it without quotes: '
         "horizon_months = 36"),
        ('[matching]\nharm_animals_excludes_pets = "False"\n',
         'line 2: matching.harm_animals_excludes_pets: is text in quotes ("False"); write it '
         "without quotes: harm_animals_excludes_pets = false"),
        ('[forecast]\ntic_band_edges_months = [0, "1"]\n',
         'line 2: forecast.tic_band_edges_months item 2: is text in quotes ("1"); write it '
         "without quotes: 1"),
    ],
)  # fmt: skip
def test_a_figure_in_quotes_is_refused_in_a_sentence(tmp_path, text, said):
    """A number or true/false typed in quotes (before: read quietly as the figure) is
    refused naming the key, as in every TOML file of the tool."""
    p = tmp_path / "c.toml"
    p.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_params(p)
    assert str(err.value) == f"{p}: {said}"


def test_load_params_raises_on_missing_file(tmp_path):
    """A missing config file is a clear error."""
    with pytest.raises(ConfigError, match="not found"):
        load_params(tmp_path / "missing.toml")


@pytest.mark.parametrize(("jobs", "said"), [
    ('["match", "match"]', "nightly.jobs: match is listed more than once; list each job once"),
    ("[]", "nightly.jobs: name at least one job: validate, match, forecast or spend"),
])  # fmt: skip
def test_nightly_jobs_listed_once_each_and_at_least_one(tmp_path, jobs, said):
    """A job listed twice crashed the night (its folder already existed) and no job at
    all crashed it too; both are configuration errors in a sentence."""
    path = tmp_path / "nightly.toml"
    path.write_text(f"[nightly]\njobs = {jobs}\n")
    with pytest.raises(ConfigError) as err:
        load_params(path)
    assert said in str(err.value) and "Value error" not in str(err.value)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_figure_that_is_not_finite_is_refused_in_every_settings_file(tmp_path, root, value):
    """`inf` (valid TOML) for a lever's spot price ran on into the solver and ended in a
    PuLP traceback ('Cannot add/subtract NaN/inf values'); `nan` slipped past every bound
    ('nan > 0' is false, so the message was 'should be greater than 0'). Every settings
    file now refuses a figure that is not a finite number, naming it."""
    from sufficiency.commissioning.levers import load_levers
    from sufficiency.forecast.scenario import load_scenario
    from sufficiency.forecast.supply import load_supply

    sample = root / "data" / "sample"
    cases = [
        (load_levers, sample / "levers.toml", "foster_weekly_gbp = 900.0",
         "spot.foster_weekly_gbp"),
        (load_scenario, sample / "scenarios" / "step_down_and_in_house.toml",
         "fraction = 0.25", "fraction"),
        (load_supply, sample / "supply.toml", "approvals_per_year = 26", "approvals_per_year"),
        (load_params, root / "configs" / "default.toml", "rate_drift_sd = 0.08",
         "forecast.rate_drift_sd"),
    ]  # fmt: skip
    for load, source, line, field in cases:
        text = source.read_text(encoding="utf-8")
        assert line in text, (source, line)
        bad = tmp_path / source.name
        bad.write_text(text.replace(line, f"{line.split(' = ')[0]} = {value}", 1), "utf-8")
        with pytest.raises(ConfigError, match="finite number") as info:
            load(bad)
        assert field in str(info.value), str(info.value)


def _keys_without_a_comment(text: str) -> list[str]:
    """Keys of a TOML text with no comment saying what they are: none on the line, and
    none above it before a blank line or section (keys in a run share one comment)."""
    lines = text.splitlines()
    bare = []
    for i, line in enumerate(lines):
        if not line or line.startswith(("#", "[")) or "=" not in line or "#" in line:
            continue
        j = i - 1
        while j >= 0 and lines[j] and not lines[j].startswith(("#", "[")):
            j -= 1
        if j < 0 or not lines[j].startswith("#"):
            bare.append(line.split("=")[0].strip())
    return bare


def test_every_setting_in_default_toml_says_what_it_is(root):
    """README.md sends users to configs/default.toml for every tunable "with its default
    and a comment": each key (or run of keys) has one."""
    assert _keys_without_a_comment("[a]\n# What x is.\nx = 1\ny = 2\n\nz = 3\n") == ["z"]
    assert _keys_without_a_comment((root / "configs" / "default.toml").read_text()) == []
    for package in ("forecast", "commissioning"):
        section = root / "sufficiency" / package / "default_section.toml"
        assert _keys_without_a_comment(section.read_text()) == [], section


@pytest.mark.parametrize(("rate", "meant"), [("1", "0.01 for 1%"), ("3", "0.03 for 3%")])
def test_an_inflation_rate_given_as_a_percentage_is_refused(tmp_path, rate, meant):
    """inflation_rate = 1 (meant as 1%) was taken as prices doubling every year, and 3 was
    refused with 'Input should be less than or equal to 1'; each is now refused in a sentence
    naming the key and the figure expected."""
    p = tmp_path / "c.toml"
    p.write_text(f"[finance]\ninflation_rate = {rate}\n")
    with pytest.raises(ConfigError) as caught:
        load_params(p)
    said = str(caught.value)
    assert "finance.inflation_rate: is" in said and f"give the rate as a fraction ({meant})" in said
    p.write_text("[finance]\ninflation_rate = 0.99\n")
    assert load_params(p).finance.inflation_rate == 0.99


@pytest.mark.parametrize("key", ["unplaced", "unplaced_needed_today"])
def test_an_unplaced_weight_of_zero_is_refused(tmp_path, key):
    """0 for leaving a child unplaced scores less than any placement: an optimal plan
    places no child (each then told its reason is the weights), so it is refused."""
    p = tmp_path / "c.toml"
    p.write_text(f"[matching.weights]\n{key} = 0\n")
    with pytest.raises(
        ConfigError, match=rf"matching\.weights\.{key}: is 0: no child would be placed"
    ):
        load_params(p)
    p.write_text(f"[matching.weights]\n{key} = 1\n")  # small, but a choice the team can make
    assert getattr(load_params(p).matching.weights, key) == 1


def test_retention_ages_read_and_bad_ones_said_in_a_sentence(tmp_path):
    """[retention] carries the store's retention periods for a scheduled `runs prune
    --config`; an age it cannot read is named with its key, none refused silently."""
    good = tmp_path / "good.toml"
    good.write_text('[retention]\naudit = "1y"\ndecisions = " 6m "\n')
    assert load_params(good).retention.audit == "1y"
    assert load_params(good).retention.decisions == "6m"
    bad = tmp_path / "bad.toml"
    bad.write_text('[retention]\naudit = "a year"\nruns = 90\n')
    with pytest.raises(ConfigError) as err:
        load_params(bad)
    assert "retention.audit: cannot read age 'a year'" in str(err.value)
    assert 'retention.runs: write the age as text with its unit, e.g. "90d"' in str(err.value)


def test_true_or_false_for_a_number_is_refused_in_every_file(tmp_path):
    """``log_keep = true`` kept one night's log ([nightly] refused bools nowhere, unlike
    the other sections), ``per_month = true`` stepped one child a month down, ``places =
    true`` gave one in-house place, and a number in a table (a cost, a block contract) or
    one that may be left out (``end_month``) took True as 1 in every section; [retention]
    said 'e.g. "Trued" for days'. Each is now named, with the key within a table."""
    from sufficiency.commissioning.levers import parse_levers
    from sufficiency.forecast.scenario import load_scenario
    from sufficiency.forecast.supply import load_supply
    from sufficiency.nightly_config import NightlyParams

    config = tmp_path / "c.toml"
    config.write_text("[nightly]\nlog_keep = true\n[retention]\nruns = false\n"
                      "[finance.weekly_cost_gbp]\nifa_foster = true\n")  # fmt: skip
    with pytest.raises(ConfigError) as said:
        load_params(config)
    assert str(said.value).splitlines()[1:] == [
        "  line 2: nightly.log_keep: expected a whole number, not True",
        '  line 4: retention.runs: write the age as text with its unit, e.g. "90d", not False',
        "  line 5: finance.weekly_cost_gbp: expected a number for ifa_foster, not True",
    ]
    scenario = tmp_path / "s.toml"
    scenario.write_text('[[step_down]]\nper_month = 2\nend_month = true\n'
                        '[entries.change_pct_by_age_band]\n"1-4" = true\n')  # fmt: skip
    with pytest.raises(ConfigError) as said:
        load_scenario(scenario)
    assert str(said.value).splitlines()[1:] == [
        "  line 3: [[step_down]] 1: end_month: expected a whole number, not True",
        "  line 4: entries.change_pct_by_age_band: expected a number for 1-4, not True",
    ]
    supply = tmp_path / "supply.toml"
    supply.write_text("[in_house_foster]\nplaces = true\n[block_contracts]\nifa_foster = false\n")
    with pytest.raises(ConfigError) as said:
        load_supply(supply)
    assert str(said.value).splitlines()[1:] == [
        "  line 2: in_house_foster.places: expected a whole number, not True",
        "  line 3: block_contracts: expected a whole number for ifa_foster, not False",
    ]
    sample = Path(__file__).parent.parent / "data" / "sample"
    levers = tomllib.loads((sample / "levers.toml").read_text())
    levers["recruit"][0]["max_households_per_year"] = True
    with pytest.raises(ConfigError, match=r"max_households_per_year: expected a whole number, "
                       "not True"):  # fmt: skip
        parse_levers(levers, "levers.toml")
    assert NightlyParams(log_keep=np.int64(3)).log_keep == 3  # a NumPy integer is a number
