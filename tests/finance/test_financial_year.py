"""Month-end runs through a financial year, as a finance business partner makes them: the
sample's 903 history cut at each month end (as the return would stand then), the months
already past shown from the history and the rest forecast."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from sufficiency import figures
from sufficiency.config import FinanceParams, ForecastParams
from sufficiency.finance.previous import (
    HISTORY_CHANGED,
    HISTORY_SAME,
    NOW_HISTORY,
    REFORECAST,
)
from sufficiency.finance.report import default_costs
from sufficiency.finance.run import SpendResult, run_spend
from sufficiency.io.xlsx import A4_LANDSCAPE_CHARS

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "ssda903"
BUDGET = pd.DataFrame({"financial_year": ["2025-26", "2025-26"], "cost_line": ["all", "ifa_foster"],
                       "budget_gbp": [7.0e7, 1.05e7]})  # fmt: skip


def cut_history(dest: Path, day: str) -> Path:
    """The sample's 903 history as it stood on ``day``: episodes starting after it dropped,
    their ends after it blanked, a later return's folder left out."""
    cut = pd.Timestamp(day)
    shutil.copytree(SAMPLE, dest)
    for year in sorted(dest.iterdir()):
        if pd.Timestamp(int(year.name) - 1, 4, 1) > cut:
            shutil.rmtree(year)
            continue
        e = pd.read_csv(year / "episodes.csv", dtype=str)
        start, end = (pd.to_datetime(e[c], dayfirst=True) for c in ("DECOM", "DEC"))
        e = e[start <= cut].copy()
        e.loc[(end > cut)[start <= cut], ["DEC", "REC", "REASON_PLACE_CHANGE"]] = np.nan
        e.to_csv(year / "episodes.csv", index=False)
        for table in ("header.csv", "uasc.csv"):
            t = pd.read_csv(year / table, dtype=str)
            t[t["CHILD"].isin(e["CHILD"])].to_csv(year / table, index=False)
    return dest


def month_end_run(root: Path, day: str, budget: pd.DataFrame | None = BUDGET) -> SpendResult:
    """A run on the history cut at ``day`` (few paths, a short horizon: fast)."""
    history = cut_history(root / f"h{day}", day)
    run_date = (pd.Timestamp(day) + pd.Timedelta(days=5)).date()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_spend(history, ForecastParams(num_paths=20, horizon_months=8, seed=5),
                         FinanceParams(), costs=default_costs(FinanceParams()),
                         run_date=run_date, budget=budget)  # fmt: skip


@pytest.fixture(scope="module")
def august_september(tmp_path_factory):
    root = tmp_path_factory.mktemp("cuts")
    return month_end_run(root, "2025-08-31"), month_end_run(root, "2025-09-30")


def test_past_months_are_shown_from_the_history_and_said_to_be(august_september, tmp_path):
    """Before: the Monthly sheet began at the forecast start, so at the end of September
    finance saw October onwards and the spend since April only as one sum in the budget
    comparison; the Cumulative sheet's 2025-26 line began at zero in October. Now April to
    September are rows of their own, marked 'history' (no range: they are not simulated),
    the same figures that add up to the outturn's spend to date, in spend_to_date.csv too."""
    _, sep = august_september
    sep.write(tmp_path)
    monthly = list(load_workbook(tmp_path / "spend.xlsx")["Monthly"].iter_rows(values_only=True))
    names = monthly[0]
    p10, first = names.index("Total P10"), names.index("Kinship foster care")
    past = [r for r in monthly[1:] if isinstance(r[0], str) and r[0].endswith(" history")]
    assert [r[0] for r in past] == [f"2025-{m:02d} history" for m in range(4, 10)]
    assert monthly[7][0] == "2025-10" and monthly[7][p10] is not None
    assert all(r[p10] is None for r in past)
    lines = np.array([r[first : first + len(sep.report.base.cost_lines)] for r in past], float)
    to_date = sep.budget.set_index(["financial_year", "cost_line"])
    spent = to_date.loc[("2025-26", "all"), "spend_to_date_estimated_gbp"]
    assert lines.sum() == pytest.approx(spent, abs=1.0)
    csv = pd.read_csv(tmp_path / "spend_to_date.csv")
    assert csv[csv["cost_line"] == "all"]["spend_gbp"].sum() == pytest.approx(spent, abs=0.1)
    assert csv["basis"].str.startswith("history: ").all()
    # the note is a paragraph on the first printed page, beside the key columns printed on
    # every page (io.xlsx.first_page_note), so read each row's first text, in any column
    said = [next(v for v in r if isinstance(v, str)) for r in monthly
            if any(isinstance(v, str) for v in r)]  # fmt: skip
    at = next(i for i, v in enumerate(said) if v.startswith("Months marked 'history' are past"))
    # a paragraph wrapped within the first printed page: one long cell printed the sheet at
    # half its size
    assert "or 4.14 in a leap year). The budget profile is straight-line" in " ".join(said[at:])
    ws = load_workbook(tmp_path / "spend.xlsx")["Monthly"]
    long = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)
            and len(c.value) > 150]  # fmt: skip
    assert long and all(c.alignment.wrap_text for c in long)
    merged = {r.min_row: r for r in ws.merged_cells.ranges}
    for c in long:
        width = sum(ws.column_dimensions[get_column_letter(k)].width or 9
                    for k in range(merged[c.row].min_col, merged[c.row].max_col + 1))  # fmt: skip
        assert width + ws.column_dimensions["A"].width <= A4_LANDSCAPE_CHARS, c.coordinate
    cumulative = load_workbook(tmp_path / "spend.xlsx")["Cumulative"]
    assert cumulative["A2"].value == "April"
    assert cumulative["B1"].value == "2025-26 projected (history to September, then forecast)"
    assert cumulative["B2"].value == pytest.approx(lines[0].sum(), abs=1.0)
    assert cumulative["B13"].value == pytest.approx(to_date.loc[("2025-26", "all"), "mean"],
                                                    abs=1.0)  # fmt: skip


def test_the_headline_gives_the_year_s_outturn_first_with_its_forecast_part_labelled(
    august_september,
):
    """The console began 'Projected placement spend 2025-26: £35.2m (..., 6 months)', the
    forecast months alone, before the outturn sentence: read as the year's spend. Now the
    year the forecast starts inside is said as its outturn first, the history to date and
    the forecast months each labelled, adding up to the Budget sheet's outturn."""
    from sufficiency import figures

    _, sep = august_september
    row = sep.budget.set_index(["financial_year", "cost_line"]).loc[("2025-26", "all")]
    said = sep.headline
    head = (f"Projected placement spend 2025-26 outturn {figures.money(row['mean'])} (P10 "
            f"{figures.money(row['p10'], like=row['p90'])}, P90 "
            f"{figures.money(row['p90'], like=row['p10'])}): "
            f"{figures.money(row['spend_to_date_estimated_gbp'])} to date, estimated from the "
            "903 history (April to September 2025), + "
            f"{figures.money(row['rest_of_year_mean_gbp'])} forecast for the 6 months left; "
            "2026-27, April to May 2026 only (2 of its 12 months): £")  # fmt: skip
    assert said.startswith(head), said
    assert "2025-26: £" not in said


def test_a_past_month_is_the_same_in_next_month_s_run(august_september):
    """The history for April to August is the same at the end of August and of September,
    so each of those months is the same figure in both runs, to the penny; September, a
    forecast month in August's run, is from the history in September's."""
    aug, sep = august_september
    assert aug.report.to_date is not None and sep.report.to_date is not None
    assert list(aug.report.to_date.month_ends.strftime("%m")) == ["04", "05", "06", "07", "08"]
    np.testing.assert_allclose(sep.report.to_date.monthly[:5], aug.report.to_date.monthly,
                               rtol=0, atol=0.005)  # fmt: skip
    assert sep.report.to_date.month_ends[-1] == pd.Timestamp("2025-09-30")


def test_without_a_budget_the_past_months_are_still_shown(tmp_path):
    """The months to date do not depend on a budget: a run without one shows them too."""
    run = month_end_run(tmp_path, "2025-06-30", budget=None)
    assert run.report.to_date is not None
    assert list(run.report.to_date.month_ends.strftime("%Y-%m")) == ["2025-04", "2025-05",
                                                                      "2025-06"]  # fmt: skip


@pytest.mark.parametrize(("variance", "words"), [
    (-1_281_645.54, "variance -£1.28m (an underspend: projected spend - budget)"),
    (102_031.11, "variance +£102,000 (an overspend: projected spend - budget)"),
    (0.2, "variance +£0.20 (an overspend: projected spend - budget)"),
    (0.0, "variance +£0 (on budget: projected spend - budget)"),
])  # fmt: skip
def test_the_console_says_overspend_or_underspend_with_the_sign(variance, words):
    """The console said 'variance -£1.28m' with no word of which way: finance's ledgers
    often give budget - actual, where a minus is an overspend, so the sign alone read
    either way. Now it says which, and the convention, beside the figure."""
    from sufficiency.finance.outturn import whole_year_words

    budget = pd.DataFrame({"financial_year": ["2026-27"], "cost_line": ["all"],
                           "budget_gbp": [7.4e7], "variance_gbp": [variance],
                           "prob_overspend": [0.3], "basis": ["whole year forecast"]})  # fmt: skip
    said = whole_year_words(budget, "2026-27")
    assert said == f"; budget £74.0m, {words}, probability of overspend 30%"


def test_a_year_end_run_compares_the_closed_year_as_its_outturn(august_september, tmp_path):
    """The run on the return to 31 March set the year just closed aside ('outside the
    forecast ... no spend is projected for it'): at year end, finance had no outturn for
    it. Now it is compared as its outturn with no month forecast: its twelve months from
    the 903 history (the months September's run showed, priced as 2026-27's), against its budget,
    said on the console without a range, and shown month by month."""
    march = month_end_run(tmp_path, "2026-03-31")
    b = march.budget.set_index(["financial_year", "cost_line"])
    row = b.loc[("2025-26", "all")]
    assert row["months"] == 0 and row["rest_of_year_mean_gbp"] == 0
    past = march.report.to_date
    assert past is not None and len(past.month_ends) == 12
    assert row["mean"] == pytest.approx(past.monthly.sum(), abs=0.01)
    assert row["p10"] == row["p90"] == row["mean"]
    assert row["variance_gbp"] == pytest.approx(row["mean"] - 7.0e7, abs=0.01)
    _, sep = august_september
    # the months September's run showed, at 2026-27 prices (the year this run begins in)
    np.testing.assert_allclose(
        past.monthly[:6] * 1.06, sep.report.to_date.monthly, rtol=0, atol=0.011
    )  # each month to the penny
    said = march.headline
    assert "2025-26 outturn, the year closed at the forecast start (every month from the 903 " \
        "history, none forecast): All placements £" in said  # fmt: skip
    assert "2025-26 forecast outturn" not in said and "budget year 2025-26 is set aside" not in (
        " ".join(march.notes)
    )
    march.write(tmp_path / "out")
    ws = load_workbook(tmp_path / "out" / "spend.xlsx")["Cumulative"]
    assert ws["B1"].value == "2025-26 (history: the year closed at the forecast start)"
    assert ws["B13"].value == pytest.approx(row["mean"], abs=1.0)


def test_a_run_set_beside_last_month_s_says_what_moved_the_outturn(august_september, tmp_path):
    """Nothing said how the year's outturn moved from one month-end run to the next. Given
    last month's folder, each month of the year is set beside it: April to August from the
    history in both, the same; September forecast then and from the history now; the rest
    re-forecast; the parts add to the outturn's move, said on the console and in the
    workbook."""
    aug, sep = august_september
    aug.write(tmp_path / "aug")
    now = sep.since(tmp_path / "aug", FinanceParams())
    t = now.report.changes.table.set_index("month")
    assert list(t.loc["2025-04":"2025-08", "why"].unique()) == [HISTORY_SAME]
    assert (t.loc["2025-04":"2025-08", "change_gbp"] == 0).all()
    assert t.loc["2025-09", "why"] == NOW_HISTORY and t.loc["2025-09", "now"] == "history"
    assert list(t.loc["2025-10":"2026-03", "why"].unique()) == [REFORECAST]
    was, is_ = (r.budget.set_index("cost_line").loc["all", "mean"] for r in (aug, sep))
    assert is_ != was and t["change_gbp"].sum() == pytest.approx(is_ - was, abs=0.1)
    assert "2025-26 since the earlier run (history to August 2025): " in now.headline
    assert "2025-09 now from the history, against its forecast, " in now.headline
    assert "5 months from the history unchanged" in now.headline
    now.write(tmp_path / "sep")
    sheet = load_workbook(tmp_path / "sep" / "spend.xlsx")["Change since previous"]
    # the sentence is a paragraph on the first printed page, beside the month column
    # printed on every page (io.xlsx.first_page_note): its row's first text, in any column
    below = [c.value for c in sheet[len(t) + 3] if isinstance(c.value, str)]
    below = [v for v in below if v not in ("Note", "Notes")]  # the label in column A
    assert sheet["A1"].value and below and below[0].startswith("2025-26 since")
    assert len(pd.read_csv(tmp_path / "sep" / "change_since_previous.csv")) == 12
    assert [c.value for c in sheet[1]] == [
        "Month",
        "Financial year",
        "Then",
        "Then (£)",
        "Now",
        "Now (£)",
        "Change, now - then (£)",
        "What changed",
    ]
    notes = [
        v
        for r in sheet.iter_rows(min_row=len(t) + 3, values_only=True)
        for v in r
        if isinstance(v, str)
    ]  # under the table, beside the month column
    assert notes and max(len(n) for n in notes) <= 150  # wrapped: the page prints full size


def test_a_past_month_whose_history_changed_is_said_to_have(august_september, tmp_path):
    """A past month's figure moves only when the 903 history for it changes, and then it is
    said: here an episode begun in May is gone from the history by September's return."""
    aug, _ = august_september
    aug.write(tmp_path / "aug")
    history = cut_history(tmp_path / "h", "2025-09-30")
    e = pd.read_csv(history / "2026" / "episodes.csv", dtype=str)
    began = pd.to_datetime(e["DECOM"], dayfirst=True)
    ended = pd.to_datetime(e["DEC"], dayfirst=True)
    gone = e.index[(began.dt.month == 5) & (began.dt.year == 2025) & (ended.isna())][0]
    e.drop(index=gone).to_csv(history / "2026" / "episodes.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sep = run_spend(history, ForecastParams(num_paths=20, horizon_months=8, seed=5),
                        FinanceParams(), costs=default_costs(FinanceParams()),
                        run_date=pd.Timestamp("2025-10-05").date(), budget=BUDGET)  # fmt: skip
    t = sep.since(tmp_path / "aug", FinanceParams()).report.changes.table.set_index("month")
    assert t.loc["2025-04", "why"] == HISTORY_SAME
    changed = t.loc["2025-05":"2025-08"]
    assert list(changed["why"].unique()) == [HISTORY_CHANGED], changed
    assert (
        "the 903 history (or the costs) for them changed since"
        in sep.since(tmp_path / "aug", FinanceParams()).headline
    )


def _runs(tmp_path: Path, days: tuple[str, ...], finance: FinanceParams, budget: pd.DataFrame,
          horizon: int = 9) -> list[SpendResult]:  # fmt: skip
    out = []
    for day in days:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out.append(run_spend(cut_history(tmp_path / f"{day}{len(out)}", day),
                                 ForecastParams(num_paths=20, horizon_months=horizon, seed=5),
                                 finance, costs=default_costs(finance),
                                 run_date=pd.Timestamp(day).date(), budget=budget))  # fmt: skip
    return out


def test_the_runs_to_31_march_and_30_april_price_the_year_alike(tmp_path):
    """Every run took the weekly costs as the prices on its own forecast start: with the
    same costs, the run to 31 March 2025 priced 2025-26 6% above the run to 30 April 2025
    (the 1 April uplift after the one's start, before the other's). Now the costs are the
    prices of the financial year the forecast begins in (2025-26 for both), said in the
    Assumptions: April 2025 from the history in one and forecast in the other are priced
    alike, every month of the year at 1.0."""
    march, april = _runs(
        tmp_path, ("2025-03-31", "2025-04-30"), FinanceParams(), BUDGET, horizon=12
    )
    assert march.report.base.price_date == april.report.base.price_date == pd.Timestamp(
        "2025-04-01").date()  # fmt: skip
    np.testing.assert_allclose(march.report.base.price_index[:12], 1.0)
    np.testing.assert_allclose(april.report.base.price_index[:11], 1.0)
    year = [r.budget.set_index("cost_line").loc["all", "mean"] for r in (march, april)]
    assert year[1] == pytest.approx(year[0], rel=0.03)  # the same prices: only the forecast
    dated = dict(april.report.assumptions)["Price date of the weekly costs"]
    assert dated.startswith("the weekly costs are the prices of 2025-26 (the financial year "
                            "the forecast begins in; set [finance] costs_price_year for "
                            "another), as on 1 April 2025")  # fmt: skip


def test_the_months_of_a_calendar_year_are_priced_alike_either_side_of_the_uplift(tmp_path):
    """A council whose financial year is the calendar year, with prices rising each 1 April:
    January to March 2025 are from the history in the run to 31 March and in the run to
    30 April, unchanged, yet each read 6% lower in the second, and --previous said they
    were re-priced. Now both take the costs as 2025's prices (on 1 January): the months
    are the same, to the penny, and said unchanged."""
    jan = FinanceParams(financial_year_start_month=1)
    budget = pd.DataFrame({"financial_year": ["2025"], "cost_line": ["all"],
                           "budget_gbp": [7.0e7]})  # fmt: skip
    march, april = _runs(tmp_path, ("2025-03-31", "2025-04-30"), jan, budget)
    np.testing.assert_allclose(april.report.to_date.monthly[:3], march.report.to_date.monthly,
                               rtol=0, atol=0.005)  # fmt: skip
    march.write(tmp_path / "march")
    t = april.since(tmp_path / "march", jan).report.changes.table.set_index("month")
    assert list(t.loc["2025-01":"2025-03", "why"].unique()) == [HISTORY_SAME]
    assert "uplift" not in april.since(tmp_path / "march", jan).headline


def test_runs_priced_as_different_years_say_so_and_the_setting_aligns_them(tmp_path):
    """The run on the 31 March 2026 return takes 2026-27 prices, September's 2025-26: the
    year's months read 6% lower, said beside --previous. [finance] costs_price_year =
    "2025-26" prices both alike."""
    fy = FinanceParams()
    sep, march = _runs(tmp_path, ("2025-09-30", "2026-03-31"), fy, BUDGET, horizon=8)
    np.testing.assert_allclose(
        march.report.to_date.monthly[:6] * 1.06, sep.report.to_date.monthly, rtol=0, atol=0.011
    )  # pence
    sep.write(tmp_path / "sep")
    said = march.since(tmp_path / "sep", fy).headline
    assert "The earlier run took the weekly costs as 2025-26 prices, this one as 2026-27's" \
        in said  # fmt: skip
    (fixed,) = _runs(tmp_path, ("2026-03-31",), FinanceParams(costs_price_year="2025-26"),
                     BUDGET, horizon=8)  # fmt: skip
    np.testing.assert_allclose(fixed.report.to_date.monthly[:6], sep.report.to_date.monthly,
                               rtol=0, atol=0.005)  # fmt: skip
    assert dict(fixed.report.assumptions)["Price date of the weekly costs"].startswith(
        "the weekly costs are the prices of 2025-26 (as [finance] costs_price_year sets)"
    )


def test_weekly_costs_become_months_by_days_in_a_leap_year():
    """Already right, pinned: a week's cost becomes a month's by the month's days / 7, not
    by 52.18 weeks a year or 4 and 5 week months: 29 February 2028 is a day's cost more
    (29/7 weeks), a 31-day month 31/7, and 2027-28 holds 366 days; the price index is
    flat inside the financial year (the uplift on 1 April, its first day)."""
    from sufficiency.finance.projection import UnitCosts, project_spend
    from sufficiency.finance.summaries import period_table

    ends = pd.date_range("2027-03-31", "2028-03-31", freq="ME")
    stock = np.full((1, len(ends), 1), 7, dtype=np.int32)  # seven children all year
    costs = UnitCosts({"ifa_foster": 100.0}, {"ifa_foster": "test"})
    proj = project_spend(stock, ends, ("ifa_foster",), costs, inflation_rate=0.06)
    by_month = dict(zip(proj.months.strftime("%Y-%m"), proj.spend[0, :, 0], strict=True))
    assert by_month["2028-02"] == pytest.approx(29 * 100 * 1.06)
    assert by_month["2028-01"] == pytest.approx(31 * 100 * 1.06)
    assert by_month["2027-04"] == pytest.approx(30 * 100 * 1.06)
    year = period_table(proj, "financial_year").set_index("cost_line").loc["all"]
    assert year["financial_year"] == "2027-28" and year["mean"] == pytest.approx(366 * 106.0)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_recalculates_a_month_end_workbook_to_its_figures(august_september, tmp_path):
    """Opened and recalculated in LibreOffice, September's workbook (history rows, then the
    forecast) gives the figures its CSVs hold: each month's total the sum of its lines,
    the year's cumulative at March the outturn, the Summary's variance the budget
    comparison's."""
    import subprocess

    _, sep = august_september
    sep.write(tmp_path / "out")
    result = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(tmp_path / "calc"),
         str(tmp_path / "out" / "spend.xlsx")],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    wb = load_workbook(tmp_path / "calc" / "spend.xlsx", data_only=True)
    rows = list(wb["Monthly"].iter_rows(values_only=True))
    head = rows[0]
    total, cum = head.index("Total (mean)"), head.index("Cumulative in year (mean)")
    months = [r for r in rows[1:] if isinstance(r[0], str) and r[0][:4].isdigit()]
    for r in months:
        assert r[total] == pytest.approx(sum(r[1:total]), abs=0.01), r[0]
    march = next(r for r in months if r[0] == "2026-03")
    row = sep.budget.set_index(["financial_year", "cost_line"]).loc[("2025-26", "all")]
    assert march[cum] == pytest.approx(row["mean"], abs=1.0)
    assert wb["Summary"]["G5"].value == pytest.approx(row["variance_gbp"], abs=0.01)


def _monthly_budget(path: Path, months: int) -> Path:
    ends = pd.date_range("2025-04-30", periods=months, freq="ME")
    rows = [("2025-26", f"{m:%b-%y}", line, value) for m in ends
            for line, value in (("all", 70e6 / 12), ("IFA foster care", 10.5e6 / 12))]  # fmt: skip
    pd.DataFrame(rows, columns=["financial_year", "month", "cost_line", "budget_gbp"]).to_csv(
        path, index=False
    )
    return path


def test_a_budget_by_month_is_added_up_to_its_year(tmp_path):
    """Finance keep the budget by month. Before: the month column was ignored and every row
    set aside as 'budget line appears twice for the same year', so the run had no budget.
    Now a line's twelve months are added up to its year's, and said so."""
    from sufficiency.finance.inputs import budget_for_run, read_budget
    from sufficiency.forecast import CATEGORIES

    path = _monthly_budget(tmp_path / "budget.csv", 12)
    table, notes = budget_for_run(path, CATEGORIES)
    got = table.set_index("cost_line")["budget_gbp"]
    assert got["all"] == pytest.approx(70e6) and got["ifa_foster"] == pytest.approx(10.5e6)
    assert len(table) == 2 and set(table["financial_year"]) == {"2025-26"}
    assert notes == ["budget.csv gives the budget by month: each cost line's twelve months are "
                     "added up to its year's budget (2025-26 All placements £70,000,000); the "
                     "workbook's cumulative budget profile follows the file's months"]  # fmt: skip
    pd.testing.assert_frame_equal(read_budget(path, CATEGORIES), table.reset_index(drop=True))


def test_a_budget_by_month_short_of_a_month_is_set_aside_saying_so(tmp_path):
    """Eleven months added up would be a year's budget short by a month, read as an
    overspend: those rows are set aside, saying which line and how many months."""
    from sufficiency.errors import InputDataError
    from sufficiency.finance.inputs import budget_for_run, read_budget
    from sufficiency.forecast import CATEGORIES

    path = _monthly_budget(tmp_path / "budget.csv", 11)
    table, notes = budget_for_run(path, CATEGORIES)
    assert table.empty
    said = " ".join(notes)
    assert "the budget by month gives 11 different months for 2025-26 All placements (11 " \
        "rows), not the year's twelve: its budget cannot be added up" in said  # fmt: skip
    with pytest.raises(InputDataError):
        read_budget(path, CATEGORIES)


def test_previous_that_is_not_a_spend_run_is_refused_in_a_sentence(tmp_path, monkeypatch):
    """--previous naming a folder with no spend.csv (the history folder, say) is refused in
    a sentence naming it, before anything is written, not a traceback. Given as
    --previous=~/empty (the shell leaves that ~), it is the folder under the home: it was
    refused by the option as 'Directory '~/empty' does not exist'."""
    from click.testing import CliRunner

    from sufficiency.cli import main

    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path))
    result = CliRunner().invoke(main, [
        "spend", "--history", str(SAMPLE), "--out", str(tmp_path / "out"), "--paths", "10",
        "--horizon-months", "3", "--date", "2026-04-05", "--previous=~/empty",
        "--store", f"sqlite:///{tmp_path / 'runs.db'}",
    ])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert f"--previous {tmp_path / 'empty'}: is not the folder of a spend run, since it has " \
        "no spend.csv: give the --out folder of an earlier run" in result.output  # fmt: skip
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "spend.xlsx").exists()


def test_previous_takes_a_folder_under_home_and_refuses_a_wrong_one_in_a_sentence(
    august_september, tmp_path, monkeypatch
):
    """SpendResult.since('~/spend/august') looked for a folder named '~' under the current
    one (every other path a user gives has ~ as their home), and a folder not there, a
    file, or another table named spend.csv ended in a traceback (KeyError: 'month'). Now
    ~ is the home, and each wrong folder is said in a sentence."""
    from sufficiency.errors import ConfigError

    aug, sep = august_september
    monkeypatch.setenv("HOME", str(tmp_path))
    aug.write(tmp_path / "spend" / "august")
    now = sep.since("~/spend/august", FinanceParams())
    assert now.report.changes is not None and "2025-26 since the earlier run" in now.headline
    with pytest.raises(ConfigError, match=r"^--previous ~/spend/july: there is no such "
                       r"folder: give the --out folder of an earlier spend run$"):  # fmt: skip
        sep.since("~/spend/july", FinanceParams())
    with pytest.raises(ConfigError, match=r"is a file, not a folder: give the --out folder "):
        sep.since(tmp_path / "spend" / "august" / "spend.csv", FinanceParams())
    (tmp_path / "other").mkdir()
    BUDGET.to_csv(tmp_path / "other" / "spend.csv", index=False)
    with pytest.raises(ConfigError, match=r"spend.csv has no column month, mean: it is not "):
        sep.since(tmp_path / "other", FinanceParams())


def test_a_year_end_run_without_the_closed_years_budget_shows_its_outturn(tmp_path):
    """The run on the return to 31 March with a budget for the new year only (the sample's,
    as a council has it in April before last year's is closed) showed nothing of the year
    just closed: no month of it on the Monthly sheet, no spend_to_date.csv, no word on
    the Summary or the console. Now its twelve months are shown from the history, its
    outturn is said with the budget said missing, and so is the year whose prices the
    weekly costs were taken as (2026-27's: silent but for the Assumptions sheet)."""
    budget = pd.DataFrame({"financial_year": ["2026-27"], "cost_line": ["all"],
                           "budget_gbp": [7.4e7]})  # fmt: skip
    march = month_end_run(tmp_path, "2026-03-31", budget)
    past = march.report.to_date
    assert past is not None and past.financial_year == "2025-26"
    assert len(past.month_ends) == 12 and past.total_gbp > 0
    said = march.headline
    assert ("2025-26 outturn, the year closed at the forecast start (every month from the "
            f"903 history, none forecast): {figures.money(past.total_gbp)} (1 April 2025 to "
            "31 March 2026) at 2026-27 prices") in said, said  # fmt: skip
    assert "budget missing (no budget line for 2025-26 was given), so no variance" in said
    assert ("Weekly costs taken as 2026-27 prices (the financial year the forecast begins "
            "in; [finance] costs_price_year names another)") in said  # fmt: skip
    march.write(tmp_path / "out")
    done = pd.read_csv(tmp_path / "out" / "spend_to_date.csv").query("cost_line == 'all'")
    assert list(done["month"].str[:7]) == [f"{m:%Y-%m}" for m in past.month_ends]
    assert done["spend_gbp"].sum() == pytest.approx(past.total_gbp, abs=0.005)
    wb = load_workbook(tmp_path / "out" / "spend.xlsx")
    monthly = [r[0] for r in wb["Monthly"].iter_rows(min_row=2, values_only=True)]
    assert monthly[:12] == [f"{m:%Y-%m} history" for m in past.month_ends]
    notes = [c for r in wb["Summary"].iter_rows(values_only=True) for c in r
             if isinstance(c, str) and c.startswith("2025-26 outturn")]  # fmt: skip
    assert len(notes) == 1 and "budget missing" in notes[0], notes
    assert "weekly costs taken as 2026-27 prices" in wb["Summary"]["A2"].value
    assumptions = {r[0]: r[1] for r in wb["Assumptions"].iter_rows(values_only=True)}
    assert assumptions["Budget 2025-26"].startswith("none given: 2025-26 outturn")


def test_the_headline_names_the_price_year_a_setting_chose(tmp_path):
    """[finance] costs_price_year = "2025-26" on the year-end run: said as the setting's."""
    history = cut_history(tmp_path / "h", "2026-03-31")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_spend(history, ForecastParams(num_paths=10, horizon_months=3, seed=5),
                           FinanceParams(costs_price_year="2025-26"),
                           costs=default_costs(FinanceParams()),
                           run_date=dt.date(2026, 4, 5))  # fmt: skip
    assert result.headline.endswith(
        "Weekly costs taken as 2025-26 prices (as [finance] costs_price_year sets)"
    ), result.headline


def test_a_budget_is_said_in_the_form_of_the_spend_beside_it(tmp_path):
    """The console said 'budget £74,000,000' beside '£67.4m' (and a budget of
    £74,000,000.50 as '£74,000,000' beside the workbook's £74,000,001, when it rounded half
    to even): two forms for money of one size in one sentence. A budget is now said in
    millions, as the projection is, to as many places as it needs to the £1,000; the
    workbook's cells and the CSV keep it as given."""
    budget = pd.DataFrame({"financial_year": ["2025-26", "2026-27"], "cost_line": ["all"] * 2,
                           "budget_gbp": [70_000_000.5, 73_950_000]})  # fmt: skip
    run = month_end_run(tmp_path, "2026-03-31", budget)
    said = run.headline
    assert "against the budget of £70.0m" in said, said  # the closed year's outturn
    assert not re.search(r"£\d{1,3},\d{3},\d{3}", said), said  # no £74,000,000 beside £67.4m
    run = month_end_run(tmp_path, "2025-09-30", budget)
    assert "against the budget of £70.0m" in run.headline, run.headline  # its outturn
    comp = run.budget.set_index("financial_year")
    assert comp.loc["2025-26", "budget_gbp"] == 70_000_000.5  # the CSV keeps the pence


@pytest.mark.parametrize(("gbp", "said"), [
    (74_000_000, "£74.0m"), (73_950_000, "£73.95m"), (73_954_321, "£73.954m"),
    (264_850_000, "£264.85m"), (-2_000_000, "-£2.00m"), (850_000, "£850,000"),
])  # fmt: skip
def test_a_budget_in_millions_keeps_what_it_says_to_the_thousand(gbp, said):
    """In millions, as the spend beside it, but not rounded past the £1,000 it is given
    to: £73,950,000 is £73.95m, not £74.0m; under £1m, to the pound as given."""
    from sufficiency.finance.pence import budget_words

    assert budget_words(gbp) == said


def test_a_budget_month_outside_its_financial_year_is_set_aside_saying_so(tmp_path):
    """A budget by month whose months are the calendar year (2025-01 to 2025-12) given as
    2025-26's passed the twelve-months check and was added up to 2025-26's budget, profiled
    January first, without a word. Each month outside its row's year (April to March) is
    now set aside, naming the year; a year's twelve months from April pass."""
    from sufficiency.errors import InputDataError
    from sufficiency.finance.inputs import budget_for_run, read_budget
    from sufficiency.forecast import CATEGORIES

    path = tmp_path / "budget.csv"
    months = pd.date_range("2025-01-31", periods=12, freq="ME")
    rows = [("2025-26", f"{m:%Y-%m}", "all", 70e6 / 12) for m in months]
    pd.DataFrame(rows, columns=["financial_year", "month", "cost_line", "budget_gbp"]).to_csv(
        path, index=False
    )
    table, notes = budget_for_run(path, CATEGORIES)
    said = " ".join(notes)
    assert "is not in the row's financial year 2025-26 (April 2025 to March 2026)" in said
    assert table.empty  # the line is short of its year's months once they are set aside
    with pytest.raises(InputDataError) as err:
        read_budget(path, CATEGORIES)
    outside = [p for p in err.value.problems if "financial year 2025-26" in p.message]
    assert sorted(p.value for p in outside) == ["2025-01", "2025-02", "2025-03"]
    table, _ = budget_for_run(_monthly_budget(tmp_path / "ok.csv", 12), CATEGORIES)
    assert len(table) == 2
