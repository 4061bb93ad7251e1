"""Clear errors, not tracebacks: missing costs, bad values, horizons, service limits."""

from __future__ import annotations

import warnings
from dataclasses import replace

import pytest

from sufficiency.commissioning.demand import demand_from_forecast
from sufficiency.commissioning.levers import load_levers, parse_levers
from sufficiency.commissioning.solve import optimise
from sufficiency.errors import ConfigError, DataWarning

from .conftest import make_forecast, tiny_levers_data


def test_sample_levers_file_loads(sample_dir):
    """The sample authority's levers file is valid and every lever is present."""
    levers = load_levers(sample_dir / "levers.toml")
    assert len(levers.recruit) == 4 and levers.home is not None and levers.block


def test_levers_raises_missing_cost():
    """A recruitment lever without its cost names the missing figure."""
    data = tiny_levers_data()
    del data["recruit"][0]["recruitment_cost_gbp"]
    with pytest.raises(ConfigError, match=r"\[\[recruit\]\] 1: recruitment_cost_gbp: is missing"):
        parse_levers(data, "levers.toml")


def test_levers_raises_negative_value():
    """A negative set-up cost is rejected with its field name."""
    data = tiny_levers_data()
    data["home"]["setup_cost_gbp"] = -1.0
    with pytest.raises(ConfigError, match=r"home\.setup_cost_gbp"):
        parse_levers(data)


def test_levers_raises_block_dearer_than_spot():
    """A block price or a new carer's weekly cost at or above spot is a mistake worth
    stopping for. It was refused with 'block ifa: weekly price is not below spot' and only
    the first such lever: now each one, naming its figure and the spot price beside it."""
    data = tiny_levers_data()
    data["block"][0]["weekly_price_gbp"] = 950.0
    data["block"].append({**data["block"][0], "name": "homes", "group": "residential",
                          "weekly_price_gbp": 7000.0})  # fmt: skip
    data["recruit"][0]["weekly_cost_gbp"] = 900.0
    with pytest.raises(ConfigError) as err:
        parse_levers(data, "levers.toml")
    head, *lines = str(err.value).splitlines()
    assert head == "levers.toml: 3 problems, each to fix:"
    assert lines == [
        '  [[recruit]] "foster_10_15": "weekly_cost_gbp" is £900 a week, not below a foster '
        'placement bought spot ("spot.foster_weekly_gbp", £900): the plan places children '
        "with new carers before buying spot, so their weekly cost must be below it. Is a "
        "figure mistyped?",
        '  [[block]] "ifa": "weekly_price_gbp" is £950 a week, not below a foster placement '
        'bought spot ("spot.foster_weekly_gbp", £900): a block place paid whether used or '
        "not would save nothing against spot. Is a figure mistyped?",
        '  [[block]] "homes": "weekly_price_gbp" is £7,000 a week, not below a children\'s '
        'home place bought spot (£6,600 on average: "spot.residential_weekly_gbp" with 10% '
        'at "spot.residential_high_cost_weekly_gbp"): a block place paid whether used or not '
        "would save nothing against spot. Is a figure mistyped?",
    ]


def test_a_home_or_new_carers_place_dearer_than_spot_is_warned_of():
    """A home whose running cost a bed (every bed full) is above a children's home place
    bought spot, and a new carer's place whose weekly cost with its household's support is
    above a foster placement's, loaded with no word: the plan then never takes them, and a
    commissioner reading 'no home opened' could not tell a typing slip from a finding. Each
    is now a warning naming the figures (the console's and the case's 'Read with care')."""
    data = tiny_levers_data()
    data["home"]["running_cost_gbp_per_year"] = 800_000.0  # 2 beds: £7,666 a bed a week
    data["recruit"][0]["support_cost_gbp_per_household_year"] = 30_000.0  # £383 a place
    with pytest.warns(DataWarning) as said:
        parse_levers(data, "levers.toml")
    assert [str(w.message) for w in said] == [
        'levers.toml: [[recruit]] "foster_10_15": a new carer\'s place costs £983 a week '
        '("weekly_cost_gbp" £600 and "support_cost_gbp_per_household_year" £383 a week a '
        "place over 1.5 places), not less than a foster placement bought spot "
        '("spot.foster_weekly_gbp", £900): the plan recruits for it only where a service '
        "limit needs the places. Is a figure mistyped?",
        'levers.toml: "home.running_cost_gbp_per_year" is £800,000 a year for 2 beds, £7,666 '
        "a bed a week with every bed full, not less than a children's home place bought spot "
        '(£6,600 on average: "spot.residential_weekly_gbp" with 10% at '
        '"spot.residential_high_cost_weekly_gbp"): the plan opens such a home only where a '
        "service limit needs its beds. Is a figure mistyped (the running cost of more beds, "
        "say)?",
    ]
    data["home"]["max_homes"] = 0  # switched off: nothing to warn of
    data["recruit"][0]["support_cost_gbp_per_household_year"] = 3000.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        parse_levers(data, "levers.toml")


def test_levers_reports_every_problem_each_on_its_own_line():
    """A misspelt figure and a bad value are both reported, one line each."""
    data = tiny_levers_data()
    data["home"]["setup_cost_gbp"] = -1.0
    data["spot"]["foster_weekly"] = 900.0
    with pytest.raises(ConfigError) as err:
        parse_levers(data, "levers.toml")
    head, *lines = str(err.value).splitlines()
    assert head == "levers.toml: 2 problems, each to fix:"
    assert sorted(line.split()[0] for line in lines) == [
        "home.setup_cost_gbp:", "spot.foster_weekly:"
    ]  # fmt: skip


def test_levers_refuse_a_figure_in_quotes():
    """contract_years = "3" was read quietly as 3; a figure in quotes is refused naming it."""
    data = tiny_levers_data()
    data["block"][0]["contract_years"] = "3"
    with pytest.raises(ConfigError) as err:
        parse_levers(data, "levers.toml")
    assert str(err.value) == (
        'levers.toml: [[block]] 1: contract_years: is text in quotes ("3"); write it without '
        "quotes: contract_years = 3"
    )


def test_levers_warn_of_a_free_recruit_and_a_weekly_home_cost():
    """A recruitment cost of 0 and a home's yearly running cost that is a week's (under
    £3,000 a bed a week, the cheapest home place in DOMAIN.md 4.1) were accepted silently;
    each is now a warning naming the key (the file still loads)."""
    data = tiny_levers_data()
    data["recruit"][0]["recruitment_cost_gbp"] = 0
    data["home"]["running_cost_gbp_per_year"] = 11000.0  # 2 beds: £5,500 a bed, a week's cost
    with pytest.warns(DataWarning) as said:
        levers = parse_levers(data, "levers.toml")
    assert levers.home is not None
    assert [str(w.message).split(" is ")[0] for w in said] == [
        f'levers.toml: [[recruit]] "{data["recruit"][0]["group"]}": "recruitment_cost_gbp"',
        'levers.toml: "home.running_cost_gbp_per_year"',
    ]
    assert "£106 a bed a week" in str(said[1].message)


def test_sample_levers_load_without_a_warning(sample_dir, recwarn):
    """The sample's figures are plausible: no warning."""
    load_levers(sample_dir / "levers.toml")
    assert not [w for w in recwarn if issubclass(w.category, DataWarning)]


def test_load_levers_raises_missing_file(tmp_path):
    """A missing levers file is one sentence naming it."""
    with pytest.raises(ConfigError, match="levers file not found"):
        load_levers(tmp_path / "nope.toml")


def test_demand_raises_horizon_longer_than_forecast():
    """Asking for more months than the forecast holds is a clear error."""
    forecast = make_forecast(3, 12, seed=1)
    with pytest.raises(ConfigError, match="longer than the forecast"):
        demand_from_forecast(forecast, 24)


def test_optimise_raises_horizon_longer_than_paths(tiny_demand, tiny_levers, tiny_params):
    """A horizon beyond the demand paths is refused before solving."""
    with pytest.raises(ConfigError, match="longer than the demand paths"):
        optimise(tiny_demand, tiny_levers, tiny_params.model_copy(update={"horizon_months": 36}))


def test_optimise_raises_infeasible_service_limit(tiny_demand, tiny_params):
    """A service limit the lever caps cannot reach names the group and the month."""
    data = tiny_levers_data()
    data["service_limit"] = [{"group": "foster_10_15", "max_probability": 0.0}]
    with pytest.raises(ConfigError, match=r"Infeasible service limit: foster_10_15 in April 2026"):
        optimise(tiny_demand, parse_levers(data), tiny_params)


def test_an_infeasible_service_limit_is_said_in_words(tiny_demand, tiny_params):
    """It said 'needs 6 places for P(spot) <= 0%, but the levers can provide at most ...':
    a formula, not what the limit means. The group and the limit are now said in words,
    with the figure of the file that sets it."""
    data = tiny_levers_data()
    data["service_limit"] = [{"group": "foster_10_15", "max_probability": 0.05}]
    data["block"][0]["max_places"] = 0
    with pytest.raises(ConfigError) as caught:
        optimise(tiny_demand, parse_levers(data), tiny_params)
    said = str(caught.value)
    assert "P(spot)" not in said and "(foster care, aged 10 to 15, beyond today" in said
    assert "for at most a 5% chance that a child needs a spot placement that month" in said
    assert "relax the limit (max_probability)" in said


def test_feasible_service_limit_is_met(tiny_demand, tiny_params):
    """A reachable service limit holds on the optimisation paths in every month it covers."""
    from sufficiency.commissioning.evaluate import _capacity

    data = tiny_levers_data()
    data["service_limit"] = [{"group": "foster_10_15", "max_probability": 0.25, "from_month": 13}]
    plan = optimise(tiny_demand, parse_levers(data), tiny_params)
    g = tiny_demand.groups.index("foster_10_15")
    cap = _capacity(plan, ("block",), False)[:, g] + _capacity(plan, ("recruit",), True)[:, g]
    spot_needed = tiny_demand.demand[:, 12:, g] > cap[12:] + 1e-9
    assert spot_needed.mean(axis=0).max() <= 0.25


def test_levers_raises_unknown_source():
    """A source for a figure that does not exist (a typo) is an error, not silently dropped."""
    data = tiny_levers_data()
    data["home"]["sources"] = {"setup_cost": "a typo"}
    with pytest.raises(ConfigError, match=r"home: sources names no such figure: setup_cost"):
        parse_levers(data)


def test_assumptions_list_every_figure_with_source_or_estimate(sample_dir):
    """Every lever figure is in the Assumptions rows, with its source or marked [est]."""
    from sufficiency.commissioning.lever_words import assumptions

    levers = load_levers(sample_dir / "levers.toml")
    rows = {name: source for name, _, source in assumptions(levers)}
    expected = {f"spot.{f}" for f in ("foster_weekly_gbp", "residential_weekly_gbp")}
    for r in levers.recruit:
        expected |= {f"recruit[{r.group}].{f}" for f in type(r).model_fields if f not in
                     ("sources", "group", "label")}  # fmt: skip
    for b in levers.block:
        expected |= {f"block[{b.name}].{f}" for f in type(b).model_fields if f not in
                     ("sources", "group", "name", "label")}  # fmt: skip
    expected |= {
        f"home.{f}" for f in type(levers.home).model_fields if f not in ("sources", "label")
    }
    assert expected <= set(rows)
    assert all(source.strip() for source in rows.values())
    assert rows["home.setup_cost_gbp"] == "[est] no source given"
    assert rows["home.beds"].startswith("[est] Ofsted 2025")


def test_assumption_figures_read_as_money_shares_and_counts(sample_dir):
    """The commissioning case's Assumptions said '900.0', '1,100,000.0' and '0.11' for a
    weekly price, a home's running cost and the share of carers leaving a year."""
    from sufficiency.commissioning.lever_words import plain_assumptions

    rows = {(lever, figure): value for lever, figure, value, _ in
            plain_assumptions(load_levers(sample_dir / "levers.toml"))}  # fmt: skip
    assert rows[("Spot purchase", "Foster care, weekly price (£)")] == "£900"
    assert rows[("Spot purchase", "Share of children's home placements at the high cost")] == "10%"
    values = list(rows.values())
    assert "£1,100,000" in values and "11%" in values and "1.26" in values
    assert not [v for v in values if v.endswith(".0") or v.startswith("0.")], values


def test_blank_or_multi_line_label_is_said_on_one_line():
    """A label of spaces only names the lever from its kind (it was shown as an empty name
    in the workbook and page); a label over two lines is put on one."""
    from sufficiency.commissioning.lever_words import lever_title

    data = tiny_levers_data()
    data["block"][0]["label"] = "   "
    data["recruit"][0]["label"] = "  Find carers\n  for teenagers "
    levers = parse_levers(data)
    assert lever_title(levers, "block", "foster_10_15", "ifa").startswith("Block")
    assert lever_title(levers, "recruit", "foster_10_15") == "Find carers for teenagers"


def test_high_cost_share_without_its_price_is_refused():
    """A high-cost share without the high-cost price priced those placements at £0: the
    residential spot price fell from £6,000 to £5,400 a week with no word."""
    data = tiny_levers_data()
    del data["spot"]["residential_high_cost_weekly_gbp"]
    with pytest.raises(ConfigError, match=r"residential_high_cost_weekly_gbp is missing or 0"):
        parse_levers(data, "levers.toml")
    data["spot"]["residential_high_cost_share"] = 0.0
    assert parse_levers(data).spot.weekly_gbp("residential") == 6000.0


def test_a_list_lever_is_named_by_its_place_in_the_file():
    """The second [[recruit]] lever was 'recruit.1' (counted from 0): the first, to a reader."""
    data = tiny_levers_data()
    data["recruit"].append(dict(data["recruit"][0], group="foster_5_10"))
    with pytest.raises(ConfigError, match=r"\[\[recruit\]\] 2: group: unknown group 'foster_5_10'"):
        parse_levers(data, "levers.toml")


def test_service_limit_beyond_a_block_contracts_size_names_the_month(tiny_params):
    """Two overlapping contracts of a block may not hold more than its max_places at once:
    a limit needing more was 'No commissioning plan meets every constraint (infeasible)'
    from the solver, with no group, month or places (the reach counted both contracts)."""
    from .conftest import make_demand

    demand = make_demand(8, 24, seed=1)
    g = demand.groups.index("foster_10_15")
    more = demand.demand.copy()
    more[:, 12:, g] = 8  # recruits bring about 3.8 places in April 2027, the block 3
    demand = replace(demand, demand=more)
    data = tiny_levers_data()
    data["service_limit"] = [{"group": "foster_10_15", "max_probability": 0.0, "from_month": 13}]
    with pytest.raises(
        ConfigError, match=r"foster_10_15 in April 2027 needs 8 places .* at most 6\.8;"
    ):
        optimise(demand, parse_levers(data), tiny_params)


def test_sensitivity_case_beyond_a_service_limit_is_left_out_and_said(tiny_params):
    """Demand 50% higher needs more places than the levers have for a limit the plan meets:
    the whole run stopped with 'Infeasible service limit' after the plan was made, and no
    file was written. The case is left out and the case says so."""
    from types import SimpleNamespace

    from sufficiency.commissioning import case
    from sufficiency.commissioning.sensitivity import sensitivity

    from .conftest import make_demand

    demand = make_demand(8, 24, seed=1)
    three = demand.demand.copy()
    three[:, :, demand.groups.index("foster_10_15")] = 3  # the block's 3 places
    demand = replace(demand, demand=three)
    data = tiny_levers_data()
    data["service_limit"] = [{"group": "foster_10_15", "max_probability": 0.0}]
    levers = parse_levers(data)
    params = tiny_params.model_copy(update={"sensitivity_steps": (-0.5, 0.5)})
    base = optimise(demand, levers, params)
    sens = sensitivity(demand, demand, levers, params, base)
    solve_of = dict(zip(zip(sens["factor"], sens["change"], strict=True), sens["solve"],
                        strict=True))  # fmt: skip
    assert solve_of[("demand", 0.5)] == "not tested"
    assert solve_of[("demand", -0.5)] == "proven optimal"
    report = SimpleNamespace(sensitivity=sens, levers=levers, params=params)
    said = case._untested(report)  # type: ignore[arg-type]
    assert any(s.startswith("If demand were 50% higher: not tested") for s in said)


def test_a_block_with_max_places_0_is_switched_off(tiny_demand, tiny_params):
    """max_places = 0 switches a block off, as max_households_per_year = 0 and max_homes = 0
    do their levers (it was refused: 'max_places Input should be greater than or equal
    to 1')."""
    data = tiny_levers_data()
    data["block"][0].update(min_places=0, max_places=0)
    plan = optimise(tiny_demand, parse_levers(data), tiny_params)
    assert all(v == 0 for d, v in zip(plan.decisions, plan.values, strict=True)
               if d.kind == "block")  # fmt: skip


def test_max_places_0_switches_a_block_off_whatever_its_minimum(tiny_demand, tiny_params):
    """Setting max_places = 0, as the docs say to switch a block off, was refused when the
    block kept its min_places ('[[block]] 1: min_places is larger than max_places')."""
    data = tiny_levers_data()
    data["block"][0].update(min_places=2, max_places=0)
    plan = optimise(tiny_demand, parse_levers(data), tiny_params)
    assert all(v == 0 for d, v in zip(plan.decisions, plan.values, strict=True)
               if d.kind == "block")  # fmt: skip
    data["block"][0].update(min_places=3, max_places=2)
    with pytest.raises(ConfigError, match="min_places is larger than max_places"):
        parse_levers(data)


def test_a_misspelt_figure_or_section_is_said_in_plain_words():
    """A misspelt figure or section was 'Extra inputs are not permitted' (pydantic's words)."""
    data = tiny_levers_data()
    data["recruit"][0]["max_household_per_year"] = data["recruit"][0].pop("max_households_per_year")
    data["homes"] = data.pop("home")
    with pytest.raises(ConfigError) as caught:
        parse_levers(data, "levers.toml")
    said = str(caught.value)
    assert "[[recruit]] 1: max_households_per_year: is missing" in said
    assert "[[recruit]] 1: max_household_per_year: is not a section or figure" in said
    assert "homes: is not a section or figure of a levers file" in said
    assert "Extra inputs" not in said


def test_a_weekly_price_in_pence_is_refused_in_a_sentence():
    """foster_weekly_gbp = 90000 (£900 in pence) was taken as £90,000 a week: the sample's
    plan 'saved' £1,453,413,068 over 24 months with no word. A weekly figure above £100,000
    is refused, naming the figure and asking for pounds a week."""
    data = tiny_levers_data()
    data["spot"]["foster_weekly_gbp"] = 90000.0
    with pytest.raises(ConfigError) as caught:
        parse_levers(data, "levers.toml")
    said = str(caught.value)
    assert said.startswith("levers.toml: spot: foster_weekly_gbp (£90,000 a week) is more than")
    assert "pence" in said
    data = tiny_levers_data()
    data["spot"]["residential_weekly_gbp"] = 610000.0  # £6,100 in pence
    with pytest.raises(ConfigError, match="spot: residential_weekly_gbp is £610,000 a week"):
        parse_levers(data, "levers.toml")
    data = tiny_levers_data()
    data["block"][0]["weekly_price_gbp"] = 80_000_00.0
    data["spot"]["foster_weekly_gbp"] = 90_000_00.0
    with pytest.raises(ConfigError, match=r"\[\[block\]\] 1: weekly_price_gbp is £8,000,000"):
        parse_levers(data, "levers.toml")
    data = tiny_levers_data()
    data["spot"]["residential_high_cost_weekly_gbp"] = 63000.0  # the dearest on record
    parse_levers(data)


def test_a_fee_uplift_in_pence_is_refused_and_one_like_a_percentage_warned_of():
    """weekly_gbp_per_household = 4000 (£40 in pence) was taken as £4,000 a week and the
    sample's plan left the uplift out with no word; 3 (meant as 3%) was taken as £3 a week
    and the sample's plan adopted it (£225,019). The first is refused, the second warned
    of, each naming the key and the figure expected."""
    data = tiny_levers_data()
    data["fee_uplift"]["weekly_gbp_per_household"] = 4000.0
    with pytest.raises(ConfigError) as caught:
        parse_levers(data, "levers.toml")
    said = str(caught.value)
    assert said.startswith("levers.toml: fee_uplift.weekly_gbp_per_household is £4,000 a week")
    assert "is it in pence? Give the rise in pounds a week per household" in said
    data["fee_uplift"]["weekly_gbp_per_household"] = 3
    with pytest.warns(DataWarning) as warned:
        parse_levers(data, "levers.toml")
    assert [str(w.message) for w in warned] == [
        'levers.toml: "fee_uplift.weekly_gbp_per_household" is £3.00 a week per household, small '
        "for a fee rise: is it a percentage? Give the rise in pounds a week per household "
        "(a 3% rise on a £400 fee is 12)"
    ]


def test_a_homes_running_cost_in_pence_is_refused():
    """running_cost_gbp_per_year = 56000000 (£560,000 in pence) priced the home at £538,462
    a bed a week and left it out of the plan with no word; it is refused as pence."""
    data = tiny_levers_data()
    data["home"]["running_cost_gbp_per_year"] = 56_000_000.0
    with pytest.raises(ConfigError) as caught:
        parse_levers(data, "levers.toml")
    assert str(caught.value) == (
        "levers.toml: home: running_cost_gbp_per_year is £56,000,000 a year, £538,462 a bed a "
        "week, more than the dearest placement recorded in England (£63,000 a week, LGA "
        "2023): is it in pence? Give pounds a year"
    )


def test_a_recruit_or_home_cost_in_pence_is_warned_of_or_refused():
    """recruitment_cost_gbp = 1000000 (£10,000 in pence), support of 400000 a year and a
    home's setup_cost_gbp = 75000000 (£750,000) were read silently, and the sample's plan
    dropped every recruit and the home (the saving fell from £25.4m to £22.4m with no
    word). A cost per household above ten years of a spot foster place (support: one year)
    is warned of; a home bed or a household costing more than a year of the dearest
    placement on record is refused as pence."""
    data = tiny_levers_data()
    data["recruit"][0]["recruitment_cost_gbp"] = 1_000_000.0
    data["recruit"][0]["support_cost_gbp_per_household_year"] = 400_000.0
    with pytest.warns(DataWarning) as warned:
        parse_levers(data, "levers.toml")
    assert [str(w.message) for w in warned] == [
        'levers.toml: [[recruit]] "foster_10_15": "recruitment_cost_gbp" is £1,000,000 per '
        "household, more than 10 years of a foster placement bought spot "
        '("spot.foster_weekly_gbp", £46,800 a year): is it in pence? Give pounds per '
        "approved household",
        'levers.toml: [[recruit]] "foster_10_15": "support_cost_gbp_per_household_year" is '
        "£400,000 a year, more than a foster placement bought spot costs a year "
        '("spot.foster_weekly_gbp", £46,800): is it in pence? Give pounds a year per household',
    ]
    data["recruit"][0]["recruitment_cost_gbp"] = 40_000.0  # dear, but pounds: no word
    data["recruit"][0]["support_cost_gbp_per_household_year"] = 10_000.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        parse_levers(data, "levers.toml")
    data["recruit"][0]["recruitment_cost_gbp"] = 2_000_000_000.0
    data["home"]["setup_cost_gbp"] = 75_000_000.0
    with pytest.raises(ConfigError) as caught:
        parse_levers(data, "levers.toml")
    said = str(caught.value)
    assert "[[recruit]] 1: recruitment_cost_gbp is £2,000,000,000 per household" in said
    assert ("home: setup_cost_gbp is £75,000,000, £37,500,000 a bed, more than a year of the "
            "dearest placement recorded in England") in said  # fmt: skip


def test_a_high_cost_residential_price_below_the_usual_one_is_refused():
    """residential_high_cost_weekly_gbp = 1200 (a zero short of £12,000) priced the
    high-cost tail below an ordinary children's home place, and the plan was made on a
    spot price of £5,610 a week instead of £6,690 with no word. The tail's price below
    the usual one is refused, naming both figures."""
    data = tiny_levers_data()
    data["spot"]["residential_high_cost_weekly_gbp"] = 1200.0
    with pytest.raises(ConfigError) as caught:
        parse_levers(data, "levers.toml")
    assert str(caught.value) == (
        "levers.toml: spot: residential_high_cost_weekly_gbp (£1,200 a week) is less than "
        "residential_weekly_gbp (£6,000), though it prices the high-cost placements (10% of "
        "them, residential_high_cost_share): is a figure mistyped? Give the high-cost "
        "placements' price in pounds a week"
    )
    data["spot"]["residential_high_cost_share"] = 0.0  # no tail: its price is not used
    parse_levers(data, "levers.toml")
