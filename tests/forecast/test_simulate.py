"""The simulation: invariants, leaving at 18, determinism, scenarios."""

from __future__ import annotations

import warnings
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from forecast_builders import FAST, episode, history, steady_history
from hypothesis import given, settings
from hypothesis import strategies as st

from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.estimate import fit_model
from sufficiency.forecast.projection import forecast_from_spells, moved_into_empty, step_downs_made
from sufficiency.forecast.result import check_invariants, demand_table, starts_table
from sufficiency.forecast.scenario import EntryChange, Scenario, Shift, StepDown
from sufficiency.forecast.states import AGE_BANDS, CAT, CareSpells, build_spells, flows, stock_at
from sufficiency.forecast.synthetic import synthetic_history
from sufficiency.forecast.writers import write_csv
from sufficiency.vocabulary import counted

pytestmark = pytest.mark.filterwarnings("ignore::sufficiency.forecast.errors.ForecastWarning")


def test_invariants_hold(small_spells: CareSpells):
    """No negative counts; every path starts at the same observed stock."""
    result = forecast_from_spells(small_spells, FAST)
    assert check_invariants(result) == []


def test_stock_at_start_equals_history(small_spells: CareSpells):
    """Month 0 of every path is exactly the 903 stock on the start date."""
    result = forecast_from_spells(small_spells, FAST)
    observed = stock_at(small_spells, [result.start])[0]
    assert (result.stock[:, 0] == observed).all()


def test_total_rows_are_the_distribution_of_totals(small_spells: CareSpells):
    """The 'all' rows summarise per-path totals: mean adds up, percentiles come from totals."""
    result = forecast_from_spells(small_spells, FAST)
    demand = demand_table(result)
    last = demand[demand["month"] == demand["month"].max()]
    total = last[(last["category"] == "all") & (last["age_band"] == "all")].iloc[0]
    by_cat = last[(last["category"] != "all") & (last["age_band"] == "all")]
    assert total["mean"] == pytest.approx(by_cat["mean"].sum(), abs=0.05)
    assert total["p90"] == pytest.approx(np.quantile(result.total()[:, -1], 0.9), abs=0.05)
    by_band = last[(last["category"] == "all") & (last["age_band"] != "all")]
    assert total["mean"] == pytest.approx(by_band["mean"].sum(), abs=0.05)


def test_starts_include_entries(small_spells: CareSpells):
    """Placement starts are at least the entries in every month and category."""
    result = forecast_from_spells(small_spells, FAST)
    assert (result.starts >= result.entries).all()
    assert set(starts_table(result)["category"]) >= {"all", "in_house_foster"}


def test_children_leave_at_18():
    """Twenty 17-year-olds and no entries: all have left by their 18th birthdays."""
    eps = [episode(f"K{i}", "2020-06-01", None, "K2", "PR4") for i in range(20)]
    dobs = {f"K{i}": f"{2008 + (i % 12 >= 9)}-{(i + 3) % 12 + 1:02d}-10" for i in range(20)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ForecastWarning)
        result = forecast_from_spells(build_spells(history(eps, dobs)), FAST)
    assert (result.stock[:, 0, :, AGE_BANDS.index("16-17")].sum(axis=1) == 20).all()
    assert result.stock[:, 12].sum() == 0
    assert result.entries.sum() == 0
    assert (result.exits[:, 1:].sum(axis=(1, 2)) == 20).all()


def test_same_seed_gives_byte_identical_demand_csv(small_spells: CareSpells, tmp_path):
    """Two runs with one seed write the same demand.csv; another seed differs."""
    files = []
    for i, seed in enumerate((3, 3, 4)):
        params = FAST.model_copy(update={"seed": seed})
        res = forecast_from_spells(small_spells, params)
        files.append(write_csv(tmp_path / f"demand{i}.csv", demand_table(res)).read_bytes())
    assert files[0] == files[1]
    assert files[0] != files[2]


def test_steady_history_stays_put():
    """Nobody ever moves, leaves or enters: the forecast is the stock, with no spread."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ForecastWarning)
        result = forecast_from_spells(build_spells(steady_history(30)), FAST)
    assert (result.total() == 30).all()


def test_entries_up_20_percent_gives_more_children(small_spells: CareSpells):
    """Scenario direction: more entries means more children after two years."""
    params = FAST.model_copy(update={"horizon_months": 24})
    base = forecast_from_spells(small_spells, params)
    more = forecast_from_spells(
        small_spells, params, scenario=Scenario(name="up", entries=EntryChange(change_pct=20))
    )
    assert more.total()[:, -1].mean() > base.total()[:, -1].mean() + 5
    assert more.entries.sum() > 1.1 * base.entries.sum()


def test_step_downs_move_children_out_of_external_residential(small_spells: CareSpells):
    """Two step-downs a month: fewer in external residential, more in in-house foster."""
    sd = StepDown.model_validate(
        {"from": "external_residential", "to": "in_house_foster", "per_month": 2}
    )
    base = forecast_from_spells(small_spells, FAST)
    scen = forecast_from_spells(small_spells, FAST, scenario=Scenario(name="sd", step_down=(sd,)))
    ext, ih = CAT["external_residential"], CAT["in_house_foster"]
    assert scen.by_category()[:, -1, ext].mean() < base.by_category()[:, -1, ext].mean() - 3
    assert scen.by_category()[:, -1, ih].mean() > base.by_category()[:, -1, ih].mean() + 3


def test_step_downs_made_are_counted_and_a_shortfall_is_said(small_spells: CareSpells):
    """Each step-down moves exactly the asked number a month while the category has
    children; when it runs out, the result counts fewer and a warning says so (before:
    40 a month asked, far fewer made, nothing said)."""
    one = StepDown.model_validate(
        {"from": "external_residential", "to": "in_house_foster", "per_month": 1, "end_month": 3}
    )
    many = StepDown.model_validate({"from": "ifa_foster", "to": "supported", "per_month": 40})
    later = StepDown.model_validate({"from": "ifa_foster", "to": "supported", "per_month": 1,
                                     "start_month": 99})  # fmt: skip
    scenario = Scenario(name="sd", step_down=(one, many, later))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scen = forecast_from_spells(small_spells, FAST, scenario=scenario)
    made = scen.step_downs
    assert made is not None and made.shape == (FAST.num_paths, FAST.horizon_months + 1, 3)
    assert (made[:, 1:4, 0] == 1).all() and (made[:, 4:, 0] == 0).all()
    assert made[:, 1:, 1].sum(axis=1).mean() < 40 * FAST.horizon_months
    assert (made[:, :, 2] == 0).all()
    said = [str(w.message) for w in caught if issubclass(w.category, ForecastWarning)]
    short = [m for m in said if m.startswith("Scenario sd, step-downs from")]
    assert len(short) == 2, said
    assert f"{40 * FAST.horizon_months:,} asked (40 a month" in short[0]
    assert "IFA foster care had too few children to step down in some months" in short[0]
    assert short[0].endswith(", in every simulated future.")
    assert "none within the" in short[1] and "(they start in month 99)" in short[1]


def test_step_downs_short_in_a_few_futures_say_how_many(small_spells: CareSpells):
    """Step-downs short in 2 futures of many say so: a mean of 35.99 of 36 read "36.0 made on
    average (P10 36, P90 36): ... too few children ... in some months", which a reader took
    to contradict itself (seen on a 300-child authority)."""
    sd = StepDown.model_validate(
        {"from": "external_residential", "to": "in_house_foster", "per_month": 1}
    )
    scen = forecast_from_spells(small_spells, FAST, scenario=Scenario(name="sd", step_down=(sd,)))
    made = np.zeros((FAST.num_paths, FAST.horizon_months + 1, 1), dtype=np.int64)
    made[:, 1:, 0] = 1
    made[:2, -1, 0] = 0
    (row,) = step_downs_made(Scenario(name="sd", step_down=(sd,)),
                             replace(scen, step_downs=made))  # fmt: skip
    assert row[2] is True
    assert row[1].endswith(
        "External children's homes had too few children to step down in some months, in "
        f"2 of {FAST.num_paths} simulated futures"
    ), row[1]
    made[:2, -1, 0] = 1
    (row,) = step_downs_made(Scenario(name="sd", step_down=(sd,)), replace(scen, step_downs=made))
    assert row[2] is False and "too few" not in row[1]


def test_ifa_shift_moves_placements_in_house(small_spells: CareSpells):
    """Half of IFA entries and moves made in-house: fewer IFA placement starts."""
    shift = Shift.model_validate({"from": "ifa_foster", "to": "in_house_foster", "fraction": 0.5})
    base = forecast_from_spells(small_spells, FAST)
    scen = forecast_from_spells(small_spells, FAST, scenario=Scenario(name="s", shift=(shift,)))
    ifa = CAT["ifa_foster"]
    assert scen.starts[:, :, ifa].mean() < 0.7 * base.starts[:, :, ifa].mean()


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), paths=st.integers(10, 40))
def test_no_negative_counts_for_any_seed(small_spells: CareSpells, seed: int, paths: int):
    """Property: whatever the seed and number of paths, nothing goes negative."""
    params = FAST.model_copy(update={"seed": seed, "num_paths": paths, "horizon_months": 6})
    result = forecast_from_spells(small_spells, params)
    assert check_invariants(result) == []
    assert result.stock.shape[0] == paths


def test_start_date_before_end_uses_that_day(small_spells: CareSpells):
    """A start date inside the history starts from that day's stock."""
    start = pd.Timestamp("2025-09-30")
    result = forecast_from_spells(small_spells, FAST, start=start)
    assert result.start == start
    assert (result.stock[0, 0] == stock_at(small_spells, [start])[0]).all()


def test_placement_starts_reproduce_the_reference_window(small_spells: CareSpells):
    """Replayed over its own reference window, the model makes as many placement starts
    as the 903 shows (within 5%): children may move more than once in a month."""
    params = FAST.model_copy(update={"horizon_months": 36})
    model = fit_model(small_spells, small_spells.data_end, params)
    replay = forecast_from_spells(small_spells, params, start=model.reference_start, model=model)
    ends = pd.DatetimeIndex([model.reference_start, small_spells.data_end])
    f = flows(small_spells, ends)
    actual = f[f["flow"].isin(["entry", "move_in", "change"])]["count"].sum()
    assert replay.starts[:, 1:].sum(axis=(1, 2)).mean() == pytest.approx(actual, rel=0.05)


def test_repeat_events_come_from_the_data():
    """Two placement changes in one month for one of two movers: half the moves repeat."""
    eps = [
        episode("A", "2024-05-01", "2025-01-03", "U4", "PR1", pl_post="WR1 1AA"),
        episode("A", "2025-01-03", "2025-01-20", "U4", "PR1", rne="P", pl_post="WR2 2BB"),
        episode("A", "2025-01-20", None, "U4", "PR1", rne="P", pl_post="WR3 3CC"),
        episode("B", "2024-05-01", "2025-02-03", "U4", "PR1", pl_post="WR4 4DD"),
        episode("B", "2025-02-03", "2025-02-20", "U4", "PR1", rne="P", pl_post="WR5 5EE"),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ForecastWarning)
        model = fit_model(build_spells(history(eps, {"A": "2012-01-01", "B": "2012-01-01"})),
                          pd.Timestamp("2026-03-31"), FAST)  # fmt: skip
    assert model.repeat_event_prob == pytest.approx(1 / 3)
    assert model.exit_month_event_prob == pytest.approx(1.0)


def test_a_scenario_of_zero_changes_is_written_as_the_base(small_authority):
    """A scenario whose every change is 0% gives exactly the base's figures under its own
    name, and says so (before: silently no scenario at all: no demand_scenario.csv, no
    scenario columns, and a region member under it failed)."""
    from sufficiency.forecast.run import run_forecast

    zero = Scenario.model_validate({"name": "Nothing", "entries": {"change_pct": 0}})
    assert zero.is_base
    with pytest.warns(ForecastWarning, match="Scenario Nothing changes nothing"):
        report = run_forecast(small_authority, FAST, scenario=zero)
    assert report.scenario is not None and report.scenario.scenario == "Nothing"
    assert (report.scenario.stock == report.base.stock).all()
    assert report.comparison is not None and (report.comparison["difference_mean"] == 0).all()
    assert set(report.starts["scenario"]) == {"base", "Nothing"}
    # an explicit zero is simulated, and equals the base exactly
    shift = Shift.model_validate({"from": "ifa_foster", "to": "in_house_foster", "fraction": 0})
    zero_shift = forecast_from_spells(build_spells(small_authority), FAST,
                                      scenario=Scenario(name="z", shift=(shift,)))  # fmt: skip
    for name in ("stock", "starts", "entries", "exits"):
        assert (getattr(zero_shift, name) == getattr(report.base, name)).all()


def test_a_scenario_percentage_like_a_fraction_is_warned_of_and_kept(small_authority):
    """change_pct = 0.2 (meant as 20%) was simulated as 0.2% more entries, a forecast the
    same as the base to the eye, with no word; it is now warned of, naming the key and the
    figure expected, and kept under 'Read with care' with the forecast's own warnings."""
    from sufficiency.forecast.run import run_forecast

    scen = Scenario.model_validate(
        {"name": "More", "entries": {"change_pct": 0.2}, "exit_rate_change_pct": {"secure": 5}}
    )
    said = ('Scenario More: "entries.change_pct" is 0.2, a change of 0.2%: is it a fraction? '
            "Give percent (20 for 20%)")  # fmt: skip
    with pytest.warns(ForecastWarning) as warned:
        report = run_forecast(small_authority, FAST, scenario=scen)
    assert said in [str(w.message) for w in warned]
    assert said in report.notes
    assert Scenario.model_validate({"name": "x", "entries": {"change_pct": 20}}).doubts() == []


def _said(care: CareSpells, model) -> tuple[object, list[str]]:
    """The base forecast with ``model`` and the forecast warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = forecast_from_spells(care, FAST, model=model)
    return result, [str(w.message) for w in caught if issubclass(w.category, ForecastWarning)]


def test_an_empty_category_no_child_moves_into_is_not_a_warning():
    """No child in secure children's homes in the window and none simulated moving there:
    nothing said (it was a warning on every run, the sample's too)."""
    care = build_spells(synthetic_history(60, num_years=3, seed=5))
    model = fit_model(care, care.data_end, FAST)
    assert model.empty_categories == ("secure",)
    result, said = _said(care, model)
    assert result.starts[:, :, CAT["secure"]].sum() == 0
    assert result.stock[:, :, CAT["secure"]].sum() == 0
    assert not [s for s in said if "No child was in" in s], said


def test_a_child_moving_into_an_empty_category_is_a_warning_with_how_many():
    """The same model sending most moves to secure children's homes: said once, with in how
    many futures and for how many placements and child-months (counted from the result)."""
    care = build_spells(synthetic_history(60, num_years=3, seed=5))
    model = fit_model(care, care.data_end, FAST)
    dest = model.dest_alpha.copy()
    to_secure = dest[..., CAT["secure"]]
    dest[..., CAT["secure"]] = np.where(dest.sum(-1) > to_secure, 50 * dest.sum(-1), 0)
    result, said = _said(care, replace(model, dest_alpha=dest))
    secure = CAT["secure"]
    reached = int(((result.starts[:, 1:, secure].sum(1) > 0)
                   | (result.stock[:, 1:, secure].sum((1, 2)) > 0)).sum())  # fmt: skip
    assert reached > 0
    (warned,) = [s for s in said if "No child was in" in s]
    futures = "every simulated future" if reached == FAST.num_paths else f"{reached:,} of 200"
    assert warned.startswith(
        f"No child was in secure children's homes during the reference window, but children "
        f"moved there in {futures}"
    ), warned
    placements = int(result.starts[:, 1:, secure].sum())
    months = int(result.stock[:, 1:, secure].sum())
    assert (
        f"({counted(placements, 'placement')} and {counted(months, 'child-month')} at month"
        in warned
    )


def test_one_placement_into_an_empty_category_is_said_in_the_singular():
    """One future, one placement and one month end there: "1 placement and 1 child-month",
    not "1 placement(s) and 1 child-month(s)" (the backtest's warning on the sample)."""
    paths, months = 3, 4
    starts = np.zeros((paths, months, len(CAT)))
    stock = np.zeros((paths, months, len(CAT), len(AGE_BANDS)))
    starts[1, 2, CAT["secure"]] = 1
    stock[1, 2, CAT["secure"], 0] = 1
    result = SimpleNamespace(starts=starts, stock=stock, num_paths=paths)
    model = SimpleNamespace(empty_categories=("secure",))
    (said,) = moved_into_empty(model, result)  # type: ignore[arg-type]
    assert "in 1 of 3 simulated futures (1 placement and 1 child-month at month ends" in said
