"""The commissioning case: recommendation first, reasons, plain words, spot vs shortfall."""

from __future__ import annotations

import csv
import html as htmllib
import itertools
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from sufficiency import figures
from sufficiency.commissioning import case
from sufficiency.commissioning.html import render_html
from sufficiency.commissioning.levers import parse_levers
from sufficiency.commissioning.report import commission, planning_sentence, recommendation
from sufficiency.commissioning.solve import Plan
from sufficiency.commissioning.writers import write_outputs
from sufficiency.config import CommissioningParams
from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS, MIN_PRINT_SCALE, sheet_widths, wrapped_lines

from .conftest import make_forecast, tiny_levers_data

CODE_WORD = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")


def _levers_data():
    data = tiny_levers_data()
    data["block"][0]["label"] = "Our IFA block for older children"
    data["recruit"][0]["label"] = "Find carers for children aged 10 to 15"
    return data


@pytest.fixture(scope="module")
def report():
    """A two-year run on small synthetic forecasts, with lever labels in the file."""
    params = CommissioningParams(horizon_months=24, mip_gap=0.0, sensitivity_steps=(-0.1, 0.1))
    return commission(
        make_forecast(30, 24, 1), make_forecast(30, 24, 2), parse_levers(_levers_data()), params
    )


def visible_text(page: str) -> str:
    """The page's text as a reader sees it: no svg, style or tags."""
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    page = re.sub(r"<(style|title)>.*?</\1>", " ", page, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page))


def with_values(report, values: dict[tuple[str, int], int]):
    """``report`` whose plan takes ``values[(kind, year)]`` (every other decision 0)."""
    plan = report.stochastic
    chosen = np.array([values.get((d.kind, d.year), 0) for d in plan.decisions], dtype=np.int64)
    new = Plan(plan.decisions, chosen, plan.status, plan.objective_gbp, plan.name, plan.solver)
    return replace(report, stochastic=new)


def test_page_opens_with_the_recommendation(report):
    """The first heading after the title is the recommendation, before the forecast."""
    page = render_html(report)
    assert re.findall(r"<h2[^>]*>([^<]*)</h2>", page)[0] == "Recommendation"
    text = visible_text(page)
    assert text.index("Recommendation") < text.index("The forecast behind it")
    assert text.index("Expected saving") < text.index("All children looked after")
    assert text.index("Reasons") < text.index("The forecast behind it") < text.index("Appendix")


def test_no_code_words_and_solver_only_in_appendix(report):
    """No snake_case or internal plan names a person reads; the solver is in the appendix."""
    text = visible_text(render_html(report))
    assert CODE_WORD.findall(text) == []
    assert "stochastic" not in text.lower()
    body, appendix = text.split("Appendix", 1)
    assert "seed" not in body.lower() and "highs" not in body.lower()
    assert "seed" in appendix.lower()
    assert "£" in text and re.search(r"£\d{1,3}(,\d{3})+", text)


def test_lever_labels_from_the_file_are_used(report, tmp_path):
    """A lever's label from the levers file names it on the page, workbook and console."""
    page = visible_text(render_html(report))
    assert "Our IFA block for older children" in page or "Find carers" in page
    lines = recommendation(report)
    plan_titles = {d.title for d, v in zip(report.stochastic.decisions, report.stochastic.values,
                                           strict=True) if v > 0}  # fmt: skip
    for title in plan_titles:
        assert any(line.startswith(title) for line in lines)
    forced = with_values(report, {("block", 0): 2, ("recruit", 0): 1})
    assert "Our IFA block for older children" in visible_text(render_html(forced))
    assert any(line.startswith("Find carers for children aged 10 to 15") for line in
               recommendation(forced))  # fmt: skip
    write_outputs(forced, tmp_path)
    wb = load_workbook(tmp_path / "commissioning.xlsx")
    cells = [str(c.value) for row in wb["Recommendation"].iter_rows() for c in row if c.value]
    assert any("Our IFA block for older children" in c for c in cells)


def test_binding_caps_reported_exactly_when_value_equals_upper(report):
    """A cap binds exactly when the plan's value equals the decision's upper bound."""
    recruit = next(d for d in report.stochastic.decisions if d.kind == "recruit")
    at_cap = with_values(report, {("recruit", 0): recruit.upper})
    below = with_values(report, {("recruit", 0): recruit.upper - 1})
    caps = case.binding_caps(at_cap)
    assert len(caps) == 1 and "the cap binds in year 1" in caps[0]
    assert caps[0].startswith(recruit.title) and "would recruit more" in caps[0]
    assert case.binding_caps(below) == []
    block = next(d for d in report.stochastic.decisions if d.kind == "block")
    assert len(case.binding_caps(with_values(report, {("block", 1): block.upper}))) == 1
    assert case.binding_caps(with_values(report, {("block", 1): block.upper - 1})) == []


def test_end_of_horizon_exactly_when_last_year_recruits_nothing_after_earlier_years(report):
    """The end-of-horizon sentence appears when only the last year recruits nobody."""
    late = case.end_of_horizon(with_values(report, {("recruit", 0): 1}))
    assert len(late) == 1 and "end-of-horizon effect" in late[0] and "year 2" in late[0]
    assert case.end_of_horizon(with_values(report, {("recruit", 1): 1})) == []
    assert case.end_of_horizon(with_values(report, {("recruit", 0): 1, ("recruit", 1): 1})) == []
    assert case.end_of_horizon(with_values(report, {})) == []
    page = visible_text(render_html(with_values(report, {("recruit", 0): 1})))
    assert "end-of-horizon effect" in page


def test_spot_purchase_is_not_a_shortfall(report):
    """With no limit on the spot market, the true shortfall is zero and every child beyond
    in-house and block places is to be spot-purchased."""
    assert not report.levers.service_limit
    split = case.supply_split(report)
    assert (split["shortfall"] == 0).all()
    expected = split["demand"] - split["new_in_house"] - split["block"]
    assert np.allclose(split["spot"], expected)
    assert split["spot"].iloc[-1] > 0
    text = visible_text(render_html(report))
    assert "To be spot-purchased" in text and "True shortfall (no provider expected)" in text
    assert "no limit on how many places the external market can supply" in text


def test_headline_is_computed_on_the_fresh_paths(report):
    """How sure: the share of fresh paths cheaper and the saving's P10-P90; yearly costs add up."""
    c = report.comparison
    head = case.headline(report)
    saving = c.status_quo.path_cost_gbp - c.stochastic.path_cost_gbp
    assert head.chance_cheaper == pytest.approx((saving > 0).mean())
    assert head.saving_p10_gbp <= head.saving_gbp + 1e-6 or head.saving_p10_gbp <= np.mean(saving)
    assert c.stochastic.month_cost_gbp.sum() == pytest.approx(c.stochastic.expected_cost_gbp)
    assert c.status_quo.month_cost_gbp.sum() == pytest.approx(c.status_quo.expected_cost_gbp)
    table = case.year_table(report)
    cost = table[table["action"] == "Expected cost of the recommended plan"]["all"].item()
    assert cost == pytest.approx(c.stochastic.expected_cost_gbp)


def test_sensitivity_in_words(report):
    """One sentence per factor and step, saying how the plan and its cost would move."""
    lines = case.sensitivity_sentences(report)
    assert len(lines) == len(report.sensitivity)
    assert lines[0].startswith("If demand were 10% lower")
    assert all("against today's practice" in line for line in lines)


def test_workbook_opens_with_the_recommendation_readable_in_print(report, tmp_path):
    """Sheets: Recommendation, Reasons, ... Method last. The Recommendation was held to one
    A4 landscape page, 168 characters across: it printed at 48%, unreadable to a panel.
    It prints one page wide at 85% or more, the case (headline, how sure, what to do) on
    page 1, the year-by-year table and the spot-purchase table each on a page of its own."""
    write_outputs(report, tmp_path)
    wb = load_workbook(tmp_path / "commissioning.xlsx")
    assert wb.sheetnames[:5] == [
        "Recommendation", "Reasons", "Plan by year", "Sensitivity", "Forecast behind it"
    ]  # fmt: skip
    assert wb.sheetnames[-1] == "Method"
    ws = wb["Recommendation"]
    assert ws["A1"].value.startswith("Commissioning case")
    labels = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    assert any(str(v).startswith("Expected saving") for v in labels if v)
    assert "Year by year" in labels and "To be spot-purchased, and true shortfall" in labels
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert sum(sheet_widths(ws)) <= A4_LANDSCAPE_CHARS / MIN_PRINT_SCALE
    breaks = [b.id + 1 for b in ws.row_breaks.brk]  # the first row of each page after
    assert [ws.cell(row=r, column=1).value for r in breaks] == [
        "Year by year", "To be spot-purchased, and true shortfall"
    ]  # fmt: skip
    heads = [r for r in range(3, breaks[0]) if ws.cell(row=r, column=2).value is not None]
    for r in heads:  # each headline label as tall as its wrapped lines: none overprinted
        lines = wrapped_lines(ws.cell(row=r, column=1).value, ws.column_dimensions["A"].width)
        assert ws.row_dimensions[r].height >= 15 * lines, ws.cell(row=r, column=1).value
    text = " ".join(str(c.value) for s in wb.worksheets for row in s.iter_rows() for c in row
                    if isinstance(c.value, str))  # fmt: skip
    assert CODE_WORD.findall(text) == []


def test_table_cells_stand_at_the_top_of_their_rows(report, tmp_path):
    """Beside a first column wrapped to two lines (Plan by year's "Recruit foster carers for
    young people aged 16 to 17", Sensitivity's "Recruitment success -20%"), the plan year,
    starts and the households recruited stood at the row's foot, printed as if the next
    row's, while the costs beside them stood at its top. Every cell is at the top."""
    write_outputs(report, tmp_path)
    wb = load_workbook(tmp_path / "commissioning.xlsx")
    for title in ("Plan by year", "Sensitivity"):
        ws = wb[title]
        top = int(str(ws.print_title_rows).split(":")[0].lstrip("$"))
        low = [c.coordinate for row in ws.iter_rows(min_row=top + 1) for c in row
               if c.value is not None and c.alignment.vertical != "top"]  # fmt: skip
        assert low == [], (title, low[:5])


def test_spot_average_over_all_years_weighs_a_part_year_by_its_months():
    """With a horizon that ends part-way through a plan year, the year table's 'All years'
    children left to spot purchase is the average over every month, the figure the
    supply split beside it gives, not the plain mean of the yearly averages (which
    counts six months as much as twelve)."""
    params = CommissioningParams(horizon_months=18, mip_gap=0.0, sensitivity_steps=())
    report = commission(
        make_forecast(20, 18, 3), make_forecast(20, 18, 4), parse_levers(_levers_data()), params
    )
    table = case.year_table(report)
    row = table[table["action"] == "Children left to spot purchase"]
    monthly = report.comparison.stochastic.children["spot"].sum(axis=1)
    assert len(monthly) == 18 and row.iloc[0, 2:4].tolist() != pytest.approx([monthly.mean()] * 2)
    assert row["all"].item() == pytest.approx(monthly.mean())
    assert row["all"].item() == pytest.approx(case.supply_split(report)["spot"].iloc[-1])


def _nobody_after_the_start(forecast):
    """``forecast`` with nobody needing a place after its start (results are read-only)."""
    stock = forecast.stock.copy()
    stock[:, 1:] = 0
    return replace(forecast, stock=stock)


def test_a_plan_dearer_than_todays_practice_is_said_to_be():
    """When the recommended plan costs more than today's practice on the fresh futures, the
    page's lead and the console say so in words, not as 'a saving of -£0.0m' or
    'a saving of £-12,954'."""
    params = CommissioningParams(horizon_months=24, mip_gap=0.0, sensitivity_steps=(0.1,))
    fresh = _nobody_after_the_start(make_forecast(30, 24, 2))
    report = commission(make_forecast(30, 24, 1), fresh, parse_levers(_levers_data()), params)
    c = report.comparison
    assert report.stochastic.values.sum() > 0 and c.saving_vs_status_quo_gbp < 0
    more = figures.money(-c.saving_vs_status_quo_gbp)
    lead = visible_text(render_html(report))
    assert f"{more} more than today's practice" in lead and "a saving of" not in lead
    line = recommendation(report)[-2]
    assert f"{more} more than buying spot as now" in line
    assert "a saving of" not in line


def test_sentences_say_money_to_three_significant_figures(report):
    """The case said 'Planning for uncertainty is worth £299,766 (give or take £51,466)',
    'the contract's payments ... £2,128,630 at the prices then' and 'save £0.097m': sums
    from a few hundred simulated futures said to the pound, or a small saving in
    thousandths of a million. Each now says three significant figures, a margin to its
    figure's place."""
    c = report.comparison
    said = " ".join(recommendation(report) + case.end_of_horizon(report))
    assert not re.search(r"£\d{1,3}(,\d{3}){2,}", said), said  # no £1,234,567
    assert not re.search(r"£0\.\d+m", said), said  # no £0.097m
    value, margin = c.value_of_planning_gbp, c.value_of_planning_margin_gbp
    assert figures.money(abs(value), like=margin) in planning_sentence(c)


def test_the_headline_margins_are_said_to_three_figures():
    """'the expected cost could be £8.4m either way and the saving £117,902 either way'
    gave one margin to the pound, and then as '£0.12m'; each is said to three figures."""
    head = case.Headline(260e6, 261e6, 1e6, 0.8, -2e6, 4e6, 30, 60, 8_400_000, 117_902)
    said = head.sentence()
    assert "could be £8.40m either way and the saving £118,000 either way" in said
    assert "between -£2.00m and £4.00m" in said


def test_no_sensitivity_steps_is_sensitivity_not_run(tmp_path):
    """``sensitivity_steps = []`` in the configuration writes every output and says
    sensitivity was not run, as --no-sensitivity does (it stopped with a KeyError
    traceback after the whole optimisation)."""
    params = CommissioningParams(horizon_months=12, mip_gap=0.0, sensitivity_steps=())
    report = commission(
        make_forecast(10, 12, 1), make_forecast(10, 12, 2), parse_levers(_levers_data()), params
    )
    assert report.sensitivity is None
    write_outputs(report, tmp_path)
    assert "Sensitivity was not run." in visible_text(render_html(report))
    assert (tmp_path / "commissioning.xlsx").exists() and (tmp_path / "plan.csv").exists()


def test_block_contract_running_past_the_horizon_is_said_to(report):
    """A two-year block contract signed in plan year 2 of a 24-month plan runs 12 months
    past it: its cost over the horizon is only half the contract, which the reasons say
    rather than leave the commissioner to take it for the contract's cost."""
    late = case.end_of_horizon(with_values(report, {("block", 1): 3}))
    assert len(late) == 1
    assert late[0].startswith(
        "Our IFA block for older children: the 3 places contracted from April 2027 run to "
        "March 2029, 12 months past the 24 months"
    )
    # what is payable after the horizon, in pounds: 3 places at £800 a week over April 2028
    # to March 2029 (365 days) at two 6% rises from 2026-27's prices, the costs' price year
    # (it said 'payments ... not in the costs shown' with no figure: on a 12-month plan the
    # sample's three blocks owed £51.3m more)
    later = 3 * 800 * 365 / 7 * 1.06**2
    said = figures.money(later)  # £149,000: a sum at projected prices, not to the pound
    assert f"payments in those months, {said} at the prices then, are not in" in late[0]
    assert case.end_of_horizon(with_values(report, {("block", 0): 3})) == []
    page = visible_text(render_html(with_values(report, {("block", 1): 3})))
    assert "12 months past the 24 months modelled" in page


def test_spot_sensitivity_below_in_house_price_is_skipped_and_said(tmp_path):
    """In-house carers at £750 a week against £900 spot are valid levers; spot 20% lower
    (£720) is a world the model cannot price. That case is left out and said so, instead
    of the whole run stopping with 'Spot is cheaper than in-house running costs'."""
    data = _levers_data()
    data["recruit"][0]["weekly_cost_gbp"] = 750.0
    params = CommissioningParams(horizon_months=12, mip_gap=0.0, sensitivity_steps=(-0.2, 0.1))
    report = commission(
        make_forecast(10, 12, 1), make_forecast(10, 12, 2), parse_levers(data), params
    )
    sens = report.sensitivity
    assert sens is not None
    solve_of = dict(zip(zip(sens["factor"], sens["change"], strict=True), sens["solve"],
                        strict=True))  # fmt: skip
    assert solve_of[("spot prices", -0.2)] == "not tested"
    assert solve_of[("spot prices", 0.1)] == "proven optimal"
    assert solve_of[("demand", -0.2)] == solve_of[("recruitment success", -0.2)] == "proven optimal"
    lines = case.sensitivity_sentences(report)
    assert len(lines) == 6
    assert any(line.startswith("If spot prices were 20% lower: not tested") and "foster care, "
               "aged 10 to 15" in line for line in lines)  # fmt: skip
    write_outputs(report, tmp_path)
    page = visible_text(render_html(report))
    assert "If spot prices were 20% lower: not tested" in page
    assert "Spot prices -20% (not tested)" in page and "£nan" not in page
    # sensitivity.csv says it too: the case was a missing row, read by no one
    rows = list(csv.DictReader((tmp_path / "sensitivity.csv").open(encoding="utf-8")))
    (spot,) = [r for r in rows if (r["factor"], r["change"]) == ("spot prices", "-0.20")]
    assert spot["solve"] == "not tested" and spot["expected_cost_gbp"] == ""
    assert spot["note"].startswith("Spot would then cost less a week than a new in-house")
    assert {r["solve"] for r in rows if r is not spot} == {"proven optimal"}
    assert all(r["households_recruited"].isdigit() for r in rows if r is not spot)  # not 3.00


def test_a_saving_the_same_in_most_futures_is_not_a_range_of_one_figure():
    """A large authority's saving, £27.76m to £27.79m in 8 of 10 futures, read "between
    £27.8m and £27.8m"; it now reads "£27.8m, rounded"."""
    head = case.Headline(578.4e6, 606.1e6, 27.77e6, 1.0, 27.76e6, 27.79e6, 300, 60)
    assert head.sentence().endswith("in 8 of 10 the saving is £27.8m, rounded.")
    wide = case.Headline(578.4e6, 606.1e6, 27.77e6, 1.0, 26.1e6, 29.4e6, 300, 60)
    assert wide.sentence().endswith("in 8 of 10 the saving is between £26.1m and £29.4m.")


def test_sensitivity_sentences_say_a_loss_in_words():
    """A sensitivity case in which the re-made plan costs more than today's practice reads
    '..., £X more than today's practice', not 'and save -£X'."""
    params = CommissioningParams(horizon_months=24, mip_gap=0.0, sensitivity_steps=(0.1,))
    fresh = _nobody_after_the_start(make_forecast(30, 24, 2))
    report = commission(make_forecast(30, 24, 1), fresh, parse_levers(_levers_data()), params)
    sens = report.sensitivity
    assert sens is not None and (sens["saving_gbp"] < 0).any()
    lines = case.sensitivity_sentences(report)
    for line, saving in zip(lines, sens["saving_gbp"], strict=False):
        if saving < 0:
            assert f", {figures.money(-saving)} more than today's practice" in line
            assert "save -" not in line and "(-£" not in line


@pytest.mark.parametrize(
    ("months", "span"), [(13, "13 months"), (12, "1 year"), (60, "5 years"), (30, "30 months")]
)
def test_headline_says_the_horizon_in_whole_years_or_months(months, span):
    """A horizon that is not whole years is said in months (it was 'over 1.08333 years')."""
    head = case.Headline(1.0, 2.0, 1.0, 1.0, 0.0, 2.0, 10, months)
    assert head.items()[0]["label"] == f"Expected cost of the recommended plan over {span}"


def test_a_levers_file_with_no_levers_says_so():
    """Spot prices alone: the page said 'no lever is expected to cost less than spot' and
    'In 0% of ... futures the plan costs less' (flagged), of a plan that is today's practice."""
    params = CommissioningParams(horizon_months=12, mip_gap=0.0, sensitivity_steps=())
    spot_only = parse_levers({"spot": _levers_data()["spot"]})
    rep = commission(make_forecast(5, 12, 1), make_forecast(5, 12, 2), spot_only, params)
    text = visible_text(render_html(rep))
    assert "the levers file offers none to make" in text
    assert "no lever is expected to cost less" not in text and "In 0% of" not in text
    head = case.headline(rep)
    assert "it is today's practice" in head.sentence() and not head.items()[3]["warn"]


def test_sensitivity_sentence_says_one_household_in_the_singular():
    """'recruit 1 households' and 'contract 1 block places' read wrongly."""
    from types import SimpleNamespace

    from sufficiency.commissioning.backends import SolveStatus
    from sufficiency.commissioning.solve import Plan

    row = {"factor": "demand", "change": 0.1, "expected_cost_gbp": 1.0, "saving_gbp": 0.0,
           "status_quo_cost_gbp": 1.0, "base_plan_cost_gbp": 1.0, "households_recruited": 1,
           "block_places_year1": 1, "homes_opened": 1,
           "fee_uplift": False, "solve": "proven optimal", "note": ""}  # fmt: skip
    rep = SimpleNamespace(
        sensitivity=pd.DataFrame([row]), levers=None,
        stochastic=Plan((), np.zeros(0), SolveStatus.OPTIMAL, 0.0, "stochastic"),
        comparison=SimpleNamespace(saving_vs_status_quo_gbp=0.0),
    )  # fmt: skip
    (line,) = case.sensitivity_sentences(rep)  # type: ignore[arg-type]
    assert "recruit 1 household (0 in" in line and "contract 1 block place in year 1" in line


def test_plan_by_year_says_what_a_commitments_cost_holds(report, tmp_path):
    """The commitments' costs leave out the carers' weekly cost and spot purchase (in the
    expected cost): the sheet and page now say so, where a reader could take '4 households,
    £108,195' for the whole cost of recruiting them."""
    write_outputs(report, tmp_path)
    ws = load_workbook(tmp_path / "commissioning.xlsx")["Plan by year"]
    assert ws["A1"].value == case.COMMITMENTS_NOTE
    assert ws["A3"].value == "Lever"
    page = visible_text((tmp_path / "commissioning.html").read_text())
    assert "The weekly cost of children placed with new carers, and spot purchase" in page


def test_rounded_tables_say_their_totals_are_worked_out_before_rounding(report, tmp_path):
    """On the sample the years shown (£50,093,713 ... £56,388,762) added to £265,378,926, £1
    more than the All years £265,378,925 shown (the headline's figure), and the spot table's
    parts to 0.1 of a child off its All groups row, with no word that figures were rounded:
    the page and the workbook now say so under each table."""
    write_outputs(report, tmp_path)
    page = visible_text((tmp_path / "commissioning.html").read_text())
    assert case.YEAR_ROUNDING_NOTE in page
    assert "the All groups row and the first column are worked out before rounding" in page
    ws = load_workbook(tmp_path / "commissioning.xlsx")["Recommendation"]
    labels = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    saving = next(i for i, v in enumerate(labels) if v == "Expected saving (£)")
    assert labels[saving + 1] == case.YEAR_ROUNDING_NOTE  # right under the year table
    split = case.split_note(report)[0]
    assert split in labels and "worked out before rounding" in split


def test_commissioning_and_spend_take_the_costs_as_the_same_year_s_prices():
    """The commissioning economics priced the weekly costs at the forecast start, as spend
    did: [finance] costs_price_year = "2025-26" (costs a year old) now has both price
    2026-27 6% up, the same index month by month, and the method says whose prices."""
    from sufficiency.commissioning.decisions import economics
    from sufficiency.commissioning.demand import GROUPS
    from sufficiency.config import FinanceParams
    from sufficiency.finance.projection import UnitCosts, project_spend

    from .conftest import START, month_ends

    finance = FinanceParams(costs_price_year="2025-26")
    months = month_ends(12)  # April 2026 to March 2027
    econ = economics(parse_levers(_levers_data()), tuple(GROUPS), months, finance.price_rise)
    assert econ.index.tolist() == pytest.approx([1.06] * 12)
    costs = UnitCosts({"ifa_foster": 700.0}, {"ifa_foster": "test"})
    spend = project_spend(
        np.ones((1, 13, 1), dtype=np.int32),
        months,
        ("ifa_foster",),
        costs,
        inflation_rate=0.06,
        price_date=finance.price_rise.base(START),
    )
    assert spend.price_index.tolist() == pytest.approx(econ.index.tolist())
    assert FinanceParams().price_rise.dated(START) == "the prices of 2026-27 (as on 1 April 2026)"
    assert finance.price_rise.dated(START) == "the prices of 2025-26 (as on 1 April 2025)"


def test_prices_rise_on_the_finance_uplift_date_and_the_report_says_so():
    """Before: commissioning priced a rise on 1 April whatever [finance] uplift_month said
    (its index 1.06 from April 2026 with uplift_month 7), and the report said 'each 1 April'
    while spend, on the same configuration, priced and said 1 July. Now both take the date
    from FinanceParams.price_rise: 1.0 to June, 1.06 from July, said 'each 1 July'."""
    from sufficiency.commissioning.decisions import economics
    from sufficiency.commissioning.demand import GROUPS
    from sufficiency.config import FinanceParams
    from sufficiency.prices import price_index

    from .conftest import month_ends

    finance = FinanceParams(uplift_month=7, uplift_day=1, inflation_rate=0.06)
    levers = parse_levers(_levers_data())
    months = month_ends(24)
    econ = economics(levers, tuple(GROUPS), months, finance.price_rise)
    # by hand: each month's days on or after 1 July 2026 (and 2027) pay 6% more
    by_hand = []
    for a, b in itertools.pairwise(months):
        days = pd.date_range(a + pd.Timedelta(days=1), b)
        rises = (days >= "2026-07-01").astype(int) + (days >= "2027-07-01").astype(int)
        by_hand.append(float(np.mean(1.06**rises)))
    assert econ.index.tolist() == pytest.approx(by_hand)
    assert econ.index[:3].tolist() == [1.0, 1.0, 1.0]  # April to June 2026
    assert econ.index.tolist() == pytest.approx(price_index(months, 0.06, 7, 1).tolist())
    params = CommissioningParams(horizon_months=24, mip_gap=0.0, sensitivity_steps=())
    july = commission(make_forecast(30, 24, 1), make_forecast(30, 24, 2), levers, params,
                      prices=finance.price_rise, with_sensitivity=False)  # fmt: skip
    words = [*map(str, case.assumptions_table(july).to_numpy().ravel()),
             *(v for _, v in case.method_rows(july))]  # fmt: skip
    text = " ".join(words) + " " + " ".join(v for _, v, _ in july.assumptions)
    text = text.replace("(as on 1 April 2026)", "")  # the costs' price date, not an uplift
    assert "each 1 July" in text and "1 April" not in text
    assert "Inflation each 1 July" in words
    page = visible_text(render_html(july))
    # a plan year may start in April, and a data table's month ends as "30 April 2027";
    # no price rises then
    said = re.sub(r"\b\d{1,2} April \d{4}\b", "", page.replace("April 2026", ""))
    assert "at prices rising each 1 July" in page and "April" not in said


def test_recruiting_stopped_by_demand_is_not_called_an_end_of_horizon_effect():
    """A falling population: the plan recruits in year 1 only, though a household recruited
    in year 2 would pay for itself within the horizon. The case said 'an end-of-horizon
    effect, not advice to stop ... recruitment will probably continue'; it now says the
    forecast expects too few children, with the group's demand year by year. A stop in the
    last year, where a household could not pay back, is still the horizon's."""
    params = CommissioningParams(horizon_months=36, mip_gap=0.0, sensitivity_steps=(0.1,))
    three = commission(make_forecast(20, 36, 1), make_forecast(20, 36, 2),
                       parse_levers(_levers_data()), params, with_sensitivity=False)  # fmt: skip
    early = case.end_of_horizon(with_values(three, {("recruit", 0): 1}))
    assert len(early) == 1
    assert "not an end-of-horizon effect" in early[0] and "too few children" in early[0]
    assert "years 2 to 3" in early[0] and "in year 1" in early[0] and "in year 3" in early[0]
    assert "will probably continue" not in early[0]
    late = case.end_of_horizon(with_values(three, {("recruit", 0): 1, ("recruit", 1): 1}))
    assert len(late) == 1 and "This is an end-of-horizon effect" in late[0]
    assert "year 3" in late[0]


def test_value_of_planning_is_said_with_its_margin_and_sign():
    """On 10 fresh futures the sample's 'Planning for uncertainty is worth £282,139' had a
    95% margin of £309,599 (chance), and a central plan cheaper on the fresh futures read
    'worth £-1,000' (the page: 'expected to cost -£1,000 more'). The sentence now gives the
    margin, says chance as chance and a loss as a loss."""
    from sufficiency.commissioning.evaluate import Comparison, Score
    from sufficiency.commissioning.report import planning_sentence

    def compare(central_minus_plan: list[float]) -> Comparison:
        plan = np.full(len(central_minus_plan), 1e6)
        central = plan + np.array(central_minus_plan)
        quo = plan + 5e5
        named = (("stochastic", plan), ("central forecast", central), ("status quo", quo))
        scores = [Score(n, c, 0.0, 0.0, 0.0, 0.0, 0.0) for n, c in named]
        return Comparison(*scores, eval_seed=1, num_paths=len(central_minus_plan))

    sure = planning_sentence(compare([1000.0, 1100.0, 900.0, 1000.0]))
    assert sure.startswith("Planning for uncertainty is worth £1,000 against")
    assert "give or take £" in sure and "4 fresh futures" in sure
    chance = planning_sentence(compare([5000.0, -4000.0, 3000.0, -2000.0]))
    assert "cannot be told apart on 4 fresh futures" in chance and "within chance" in chance
    assert "£500 in favour of the recommended plan" in chance and "worth" not in chance
    worse = planning_sentence(compare([-1000.0, -1100.0, -900.0, -1000.0]))
    assert "costs £1,000 less than the recommended plan" in worse and "£-" not in worse


def test_few_fresh_futures_say_how_far_the_expected_figures_could_be_out(report):
    """On 10 fresh futures the sample's case said 'In 100% of 10 simulated futures ... it
    costs less' and an expected cost of £260.4m, give or take £10.2m by its own paths, with
    no word of it. Fewer than 100 fresh futures now give the 95% margins; 100 or more do
    not (the sentence is unchanged)."""
    head = case.headline(report)
    c = report.comparison
    assert c.num_paths == 30
    costs = c.stochastic.path_cost_gbp
    margin = 1.96 * costs.std(ddof=1) / np.sqrt(len(costs))
    said = head.sentence()
    assert f"Scored on only 30 futures, the expected cost could be {figures.money(margin)} " in said
    assert "(95% margins)" in said and "--eval-paths" in said
    # the commissioner reading it on the web page runs nothing: the flag is for whoever does
    assert said.endswith("score the plan on more futures before relying on these figures "
                         "(whoever runs the commissioning sets how many: --eval-paths, 1,000 "
                         "by default).")  # fmt: skip
    many = replace(head, num_paths=100)
    assert "Scored on only" not in many.sentence()
    assert many.sentence() == said.split(" Scored on only")[0].replace("of 30", "of 100")


def test_the_recommendation_says_when_recruits_and_homes_give_places(report):
    """'Open an in-house children's home: 2 homes from April 2026' read as beds that April;
    the sample's first beds come 18 months later. The recommendation now says when a
    recruit is approved and a home's first beds open (block places start at once)."""
    forced = with_values(report, {("recruit", 0): 1, ("home", 0): 1, ("block", 1): 2})
    said = " ".join(recommendation(forced))
    assert "1 household from April 2026 (approved by July 2026)" in said  # 3 months
    assert "1 home from April 2026 (first beds from October 2026)" in said  # 6 months
    assert "2 places from April 2027." in said


def test_the_plans_chart_labels_each_cost_as_the_headline_says_it(report):
    """The sample's chart labelled today's practice '£290.1m' beside the headline's £290.2m
    (£290,153,568 rounded to 290.15 first, then to one decimal). Each bar's label is now
    the cost said as the headline says it."""
    from sufficiency.commissioning.html import _plans_chart

    c = report.comparison
    costs = (264_800_717.0, 265_100_484.0, 290_153_568.0)
    plans = (c.stochastic, c.central, c.status_quo)
    scores = [replace(s, path_cost_gbp=np.full(len(s.path_cost_gbp), cost))
              for s, cost in zip(plans, costs, strict=True)]  # fmt: skip
    fixed = replace(report, comparison=replace(c, stochastic=scores[0], central=scores[1],
                                               status_quo=scores[2]))  # fmt: skip
    svg = _plans_chart(fixed).svg
    for cost in costs:
        assert f">{figures.money(cost)}<" in svg, (figures.money(cost), svg[-3000:])
    assert "£290.1m" not in svg


def test_a_plan_cheaper_in_most_but_not_all_futures_is_not_said_to_be_cheaper_in_all():
    """Cheaper in 998 of 1,000 fresh futures read 'In 100% of 1,000 simulated futures ... it
    costs less' (and the headline figure '100%'): two futures where it costs more, said
    as none. A chance near one is now said to a tenth of a point (figures.chance)."""
    head = case.Headline(260e6, 261e6, 1e6, 0.998, 2e5, 4e6, 1_000, 60)
    assert head.sentence().startswith("In 99.8% of 1,000 simulated futures")
    assert head.items()[-1]["figure"] == "99.8%"


def test_a_plan_stopped_at_the_time_limit_says_so_in_the_case(report, tmp_path):
    """Before: a solver stopped at the time limit left the case saying 'Make no new
    commitments: no lever is expected to cost less than spot', a plan £12.7m dearer than
    the central forecast's on a synthetic authority, with the stop said only as the Method
    sheet's status. Now what to do says the plan is not proven, how far it may be from the
    cheapest, and what to change; the Method row says the same."""
    from sufficiency.commissioning.backends import SolveStatus

    plan = report.stochastic
    stopped = replace(plan, values=np.zeros_like(plan.values), status=SolveStatus.TIME_LIMIT,
                      bound_gbp=plan.objective_gbp * 0.9, kept_nothing=True)  # fmt: skip
    rep = replace(report, stochastic=stopped)
    proof = stopped.proof()
    assert "not proven the cheapest" in proof and "10.00% cheaper may exist" in proof
    lines = recommendation(rep)
    assert "no lever is expected to cost less than spot" not in " ".join(lines)
    assert lines[0].endswith("the solver found no plan that costs less than spot.")
    assert proof in lines[:-2]  # under What to do, in the workbook and on the page
    write_outputs(rep, tmp_path)
    assert proof in visible_text((tmp_path / "commissioning.html").read_text())
    method = dict(case.method_rows(rep))
    assert method["Solver status"] == proof
    assert plan.proof() == "" and not any("not proven" in x for x in recommendation(report))


def test_sensitivity_read_back_from_its_csv_marks_each_case_not_settled(tmp_path):
    """The web page shows sensitivity.csv as the case does: a case not tested ('Spot prices
    -20% (not tested)', its figures blank) or not proven the cheapest says so, and a
    column with a blank in it still reads Yes/No and whole numbers (read back, pandas
    gives 'True' and 3.0)."""
    from sufficiency.io.csv_text import csv_text, read_csv_output

    figures_ = {"expected_cost_gbp": 10.0, "status_quo_cost_gbp": 12.0, "saving_gbp": 2.0,
                "base_plan_cost_gbp": 11.0, "households_recruited": 3, "block_places_year1": 2,
                "homes_opened": 0, "fee_uplift": True}  # fmt: skip
    rows = [
        {"factor": "demand", "change": 0.1, **figures_, "solve": "proven optimal", "note": ""},
        {"factor": "demand", "change": 0.2, **figures_, "solve": "not proven optimal",
         "note": "The plan re-made for this case is not proven the cheapest."},
        {"factor": "spot prices", "change": -0.2, **dict.fromkeys(figures_),
         "solve": "not tested", "note": "Spot would then cost less a week."},
    ]  # fmt: skip
    (tmp_path / "sensitivity.csv").write_text(csv_text(pd.DataFrame(rows), "%.2f"))
    frame = case.sensitivity_frame(read_csv_output(tmp_path / "sensitivity.csv"))
    assert list(frame["Case"]) == [
        "Demand +10%", "Demand +20% (not proven the cheapest)", "Spot prices -20% (not tested)"
    ]  # fmt: skip
    fees = frame["Raise carers' fees"]
    assert list(fees[:2]) == ["Yes", "Yes"] and pd.isna(fees.iloc[2])
    assert frame["Households recruited"].iloc[0] == 3
    assert frame["Saving (£)"].isna().tolist() == [False, False, True]


def test_a_recruitment_case_not_tested_is_said_as_a_tested_one_is():
    """A recruitment-success case not tested read "If each new household's places were 10%
    more: not tested", beside "If each newly recruited household brought 10% more places"
    for one tested; both now say it the second way."""
    from types import SimpleNamespace

    row = {"factor": "recruitment success", "change": 0.1, "solve": "not tested",
           "note": "The highs solver found no plan within the time limit (2 s)."}  # fmt: skip
    rep = SimpleNamespace(sensitivity=pd.DataFrame([row]))
    assert case._untested(rep) == [  # type: ignore[arg-type]
        "If each newly recruited household brought 10% more places: not tested, because the "
        "highs solver found no plan within the time limit (2 s)."
    ]


def test_a_case_in_which_the_recommended_plan_loses_money_says_so():
    """With spot prices 20% lower the sample's recommended plan costs £8.8m more than
    today's practice, but the sentence gave only the re-made plan's figures ('save £97,100
    against today's practice'): the risk of the plan a commissioner signs was in one
    table cell. It is now said; a case in which the plan still saves adds nothing."""
    from types import SimpleNamespace

    from sufficiency.commissioning.backends import SolveStatus
    from sufficiency.commissioning.solve import Plan

    row = {"factor": "spot prices", "change": -0.2, "expected_cost_gbp": 233.3e6,
           "status_quo_cost_gbp": 233.4e6, "saving_gbp": 0.1e6, "base_plan_cost_gbp": 242.2e6,
           "households_recruited": 0, "block_places_year1": 0, "homes_opened": 0,
           "fee_uplift": False, "solve": "proven optimal", "note": ""}  # fmt: skip
    saves = {**row, "change": 0.1, "base_plan_cost_gbp": 230.0e6}
    rep = SimpleNamespace(
        sensitivity=pd.DataFrame([row, saves]), levers=None,
        stochastic=Plan((), np.zeros(0), SolveStatus.OPTIMAL, 0.0, "stochastic"),
        comparison=SimpleNamespace(saving_vs_status_quo_gbp=25.3e6),
    )  # fmt: skip
    lower, higher = case.sensitivity_sentences(rep)  # type: ignore[arg-type]
    assert lower.endswith(
        "The recommended plan, made as things are, would cost £242.2m in this case, "
        "£8.80m more than today's practice."
    )
    assert "recommended plan, made as things are" not in higher


def test_a_lever_whose_places_come_after_the_horizon_is_said():
    """A home whose first beds come 30 months after opening, on a 24-month horizon, was
    left out of the plan with no word (the case did not name it, as if weighed and turned
    down); so was a recruit approved after the horizon. Each is now said, with the horizon
    to model."""
    data = _levers_data()
    data["home"]["lead_time_months"] = 12
    data["recruit"][0]["months_to_approval"] = 14
    params = CommissioningParams(horizon_months=12, mip_gap=0.0, sensitivity_steps=())
    report = commission(make_forecast(10, 12, 1), make_forecast(10, 12, 2),
                        parse_levers(data), params)  # fmt: skip
    said = case.end_of_horizon(report)
    assert said[:2] == [
        "Find carers for children aged 10 to 15: a household is approved 14 months after "
        "recruitment starts, after the 12 months modelled, so the plan cannot weigh it. "
        "Model a longer horizon (--horizon-months, up to 60) to weigh it.",
        "Open an in-house children's home: its first beds come 12 months after it is "
        "opened, after the 12 months modelled, so the plan cannot weigh it. Model a longer "
        "horizon (--horizon-months, up to 60) to weigh it.",
    ]
    assert "Open an in-house children's home: its first beds" in visible_text(render_html(report))


def test_the_sample_levers_sources_cite_what_a_reader_can_find():
    """The sample's lever sources, printed on commissioning.xlsx's Assumptions and the
    HTML appendix, cited '(DOMAIN 7)', a section of a developers' note no commissioner
    has: each now names its published source or says it is an estimate at 2025 prices."""
    import tomllib

    levers = Path(__file__).resolve().parents[2] / "data" / "sample" / "levers.toml"
    sources: list[str] = []

    def collect(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)
        elif isinstance(node, str):
            sources.append(node)

    collect(tomllib.loads(levers.read_text(encoding="utf-8")))
    assert sources and [s for s in sources if "DOMAIN" in s.upper()] == []
