"""Metamorphic relations of the spend projection, on the sample (20 paths, 12 months):

- every weekly cost doubled (in the configuration, or in a cost file that lists today's
  placements too) doubles every month's spend on every path exactly, the spend to date
  and the run-rate too; the tables, rounded to the penny, are twice the others to within
  that penny; the budget doubled with them leaves the probability of overspend as it was;
- the budget changed moves the variance by the change and nothing else of the projection;
- the cost file's rows in another order change nothing.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sufficiency import api, vocabulary
from sufficiency.config import FinanceParams, Params
from sufficiency.prices import DEFAULT_WEEKLY_COSTS

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
HISTORY = SAMPLE / "ssda903"
#: a year-end run, and a month-end run inside 2025-26 (its outturn, spend to date)
RUNS = {
    "year end": {"start": None, "run_date": "2026-04-01"},
    "in year": {"start": "2025-09-30", "run_date": "2025-10-15"},
}
TABLES = ("monthly", "quarterly", "yearly", "budget")


def _spend(params: Params | None = None, **options: object) -> api.SpendResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a budget year outside the forecast, both alike
        return api.spend(HISTORY, params, num_paths=20, horizon_months=12, seed=4,
                         **options)  # type: ignore[arg-type]  # fmt: skip


def _of_costs(notes: tuple[str, ...]) -> list[str]:
    """The notes that speak of the cost file (a child listed not in IFA care, a row set
    aside): none where every child listed is placed as the file says."""
    return [n for n in notes if "cost" in n.lower()]


def _doubled(a: api.SpendResult, b: api.SpendResult) -> None:
    """``b``'s money is twice ``a``'s: exactly before rounding; after, each month and line
    to the penny, and a total of them to a penny for each it adds (a month's spend on a
    line is rounded to the penny once and totals add the pence: ``finance.pence``)."""
    np.testing.assert_array_equal(b.report.base.spend, 2 * a.report.base.spend)
    assert b.report.base.run_rate_gbp == 2 * a.report.base.run_rate_gbp
    if a.report.to_date is not None:
        assert b.report.to_date is not None
        months = len(a.report.to_date.month_ends)
        np.testing.assert_allclose(b.report.to_date.monthly, 2 * a.report.to_date.monthly,
                                   rtol=0, atol=0.01 + 1e-6)  # fmt: skip
        np.testing.assert_allclose(b.report.to_date.gbp, 2 * a.report.to_date.gbp, rtol=0,
                                   atol=0.01 * months + 1e-6)  # fmt: skip
    for name in TABLES:
        ta, tb = getattr(a, name), getattr(b, name)
        if ta is None:
            assert tb is None, name
            continue
        money = [c for c in ta.columns if ta[c].dtype.kind == "f" and c != "prob_overspend"]
        assert money, name
        gap = (tb[money] - 2 * ta[money]).abs().to_numpy().max()
        pennies = 12 * (1 + 10 * (name != "monthly"))  # up to a year's months x 10 lines
        assert gap <= 0.01 * pennies + 1e-6, f"{name}: {gap}"
        pd.testing.assert_frame_equal(ta.drop(columns=money), tb.drop(columns=money))


@pytest.fixture(scope="module")
def budget() -> pd.DataFrame:
    table = pd.read_csv(SAMPLE / "budget.csv")
    # 2025-26 too, so the in-year run has an outturn to compare
    return pd.concat([table, table[table["financial_year"] == "2026-27"]
                      .assign(financial_year="2025-26")], ignore_index=True)  # fmt: skip


@pytest.fixture(scope="module")
def with_budget(budget: pd.DataFrame) -> dict[str, api.SpendResult]:
    """Each run of :data:`RUNS` against the budget."""
    return {when: _spend(budget=budget, **options) for when, options in RUNS.items()}


@pytest.mark.parametrize("when", sorted(RUNS))
def test_doubled_costs_and_budget_double_every_figure(
    budget: pd.DataFrame, with_budget: dict[str, api.SpendResult], when: str
) -> None:
    twice = Params(finance=FinanceParams(
        weekly_cost_gbp={k: 2 * v for k, v in DEFAULT_WEEKLY_COSTS.items()}))  # fmt: skip
    a = with_budget[when]
    b = _spend(twice, budget=budget.assign(budget_gbp=2 * budget["budget_gbp"]), **RUNS[when])
    assert a.budget is not None and len(a.budget) >= 4
    _doubled(a, b)
    assert b.budget is not None
    assert b.budget["prob_overspend"].tolist() == a.budget["prob_overspend"].tolist()
    assert a.headline != b.headline


def _cost_file(path: Path, factor: float, *, shape: str = "") -> Path:
    """Every category's cost, and 30 of the children in IFA foster care on 30/09/2025 at
    costs of their own, times ``factor``; ``shape``: ``reversed`` rows, categories in
    ``words`` (as spend.xlsx names them), or ``xlsx``."""
    episodes = pd.read_csv(HISTORY / "2026" / "episodes.csv", dtype=str, keep_default_na=False)
    began = pd.to_datetime(episodes["DECOM"], dayfirst=True)
    ended = pd.to_datetime(episodes["DEC"], dayfirst=True)
    open_then = (began <= "2025-09-30") & (ended.isna() | (ended > "2025-09-30"))
    ifa = open_then & episodes["PLACE"].isin(["U4", "U5", "U6"]) & episodes[
        "PLACE_PROVIDER"].isin(["PR4", "PR5"])  # fmt: skip
    children = episodes.loc[ifa, "CHILD"].drop_duplicates().iloc[:30]
    rows = [{"category": k, "weekly_cost": v * factor, "child_id": ""}
            for k, v in DEFAULT_WEEKLY_COSTS.items()]  # fmt: skip
    rows += [{"category": "ifa_foster", "weekly_cost": (950 + 3 * i) * factor, "child_id": c}
             for i, c in enumerate(children)]  # fmt: skip
    table = pd.DataFrame(rows)
    if shape == "reversed":
        table = table.iloc[::-1]
    if shape == "words":
        table["category"] = table["category"].map(vocabulary.category)
    if shape == "xlsx":
        table.to_excel(path, index=False)
    else:
        table.to_csv(path, index=False)
    return path


def test_a_cost_file_doubled_doubles_every_figure(tmp_path: Path) -> None:
    a = _spend(costs=_cost_file(tmp_path / "costs.csv", 1), **RUNS["in year"])
    b = _spend(costs=_cost_file(tmp_path / "twice.csv", 2), **RUNS["in year"])
    # every child listed was in IFA care: none left out (the notes are the forecast's own:
    # the start inside the history, the uasc table's children)
    assert a.notes == b.notes and not _of_costs(a.notes)
    assert "actual weekly cost of the 30 placements" in a.report.base.run_rate_basis
    _doubled(a, b)


@pytest.mark.parametrize("shape", ["reversed", "words", "xlsx"])
def test_a_cost_file_in_another_shape_changes_nothing(tmp_path: Path, shape: str) -> None:
    a = _spend(costs=_cost_file(tmp_path / "costs.csv", 1), **RUNS["in year"])
    name = "costs.xlsx" if shape == "xlsx" else f"{shape}.csv"
    b = _spend(costs=_cost_file(tmp_path / name, 1, shape=shape), **RUNS["in year"])
    assert b.notes == a.notes and not _of_costs(b.notes)
    np.testing.assert_array_equal(a.report.base.spend, b.report.base.spend)
    for name in ("monthly", "yearly"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


@pytest.mark.parametrize("when", sorted(RUNS))
def test_a_budget_changed_moves_the_variance_alone(
    budget: pd.DataFrame, with_budget: dict[str, api.SpendResult], when: str
) -> None:
    a = with_budget[when]
    more = _spend(budget=budget.assign(budget_gbp=budget["budget_gbp"] + 1_000_000), **RUNS[when])
    none = _spend(**RUNS[when])
    for name in ("monthly", "quarterly", "yearly"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(more, name))
        pd.testing.assert_frame_equal(getattr(a, name), getattr(none, name))
    np.testing.assert_array_equal(a.report.base.spend, none.report.base.spend)
    assert a.budget is not None and more.budget is not None
    moved = ("budget_gbp", "variance_gbp", "prob_overspend")
    pd.testing.assert_frame_equal(a.budget.drop(columns=list(moved)),
                                  more.budget.drop(columns=list(moved)))  # fmt: skip
    assert (more.budget["variance_gbp"] - a.budget["variance_gbp"]).round(2).eq(-1e6).all()
    assert (more.budget["prob_overspend"] <= a.budget["prob_overspend"]).all()


def test_a_budget_by_month_or_in_another_order_gives_the_same_comparison(
    budget: pd.DataFrame, with_budget: dict[str, api.SpendResult], tmp_path: Path
) -> None:
    """Each line's year given as twelve months (in pennies adding up to it), or the rows
    and columns in another order: the same comparison with the budget (its rows in the
    budget file's order, the council's own)."""
    months = []
    for row in budget.itertuples():
        pennies = round(row.budget_gbp * 100)
        first = pd.Timestamp(int(row.financial_year[:4]), 4, 1)
        for k in range(12):
            part = pennies // 12 + (pennies % 12 if k == 11 else 0)
            months.append({"financial_year": row.financial_year, "cost_line": row.cost_line,
                           "month": (first + pd.DateOffset(months=k)).strftime("%Y-%m"),
                           "budget_gbp": part / 100})  # fmt: skip
    pd.DataFrame(months).to_csv(tmp_path / "by_month.csv", index=False)
    shuffled = budget.sample(frac=1.0, random_state=3)[
        ["budget_gbp", "cost_line", "financial_year"]
    ]
    shuffled.to_csv(tmp_path / "shuffled.csv", index=False)
    a = with_budget["in year"].budget
    assert a is not None and len(a) == 4  # 2025-26's outturn; 2026-27 not whole in 12 months
    for name in ("by_month.csv", "shuffled.csv"):
        b = _spend(budget=tmp_path / name, **RUNS["in year"]).budget
        assert b is not None
        if name == "shuffled.csv":
            key = ["financial_year", "cost_line"]
            a, b = (t.sort_values(key).reset_index(drop=True) for t in (a, b))
        pd.testing.assert_frame_equal(a, b)
