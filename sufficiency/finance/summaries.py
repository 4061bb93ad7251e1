"""Tables of a spend projection: by month, quarter and financial year, against budget.

Means add up: the mean of a year is the sum of its months' means. Percentiles do
not: the P50 of a year is the median of each path's yearly total, which is not the
sum of the monthly medians (a path that is high in one month tends to be high in
the next). Every percentile here is computed from path totals, never by adding
percentiles.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sufficiency.finance.pence import PENNY_RULE, month_means, pence, penny_sum
from sufficiency.finance.projection import SpendProjection

QUANTILES = (0.1, 0.5, 0.9)
ALL = "all"
#: ``basis`` of a budget comparison row: a year the forecast covers whole ...
WHOLE_YEAR = "whole year forecast"
#: ... or one it starts inside, compared as its outturn.
OUTTURN = "outturn: spend to date estimated from the 903 history at unit costs + forecast"
#: ... or with the cost file's actual weekly costs for the current placements it lists.
OUTTURN_ACTUAL = (
    "outturn: spend to date estimated from the 903 history at the cost file's actual weekly "
    "costs for its children's current placements, unit costs otherwise + forecast"
)


def financial_year(ts: pd.Timestamp, start_month: int = 4) -> str:
    """``2026-27`` for a date between April 2026 and March 2027 (when the year starts in April)."""
    first = ts.year if ts.month >= start_month else ts.year - 1
    return f"{first}-{(first + 1) % 100:02d}" if start_month != 1 else str(first)


def quarter(ts: pd.Timestamp, start_month: int = 4) -> str:
    """``2026-27 Q1`` for April-June 2026."""
    q = ((ts.month - start_month) % 12) // 3 + 1
    return f"{financial_year(ts, start_month)} Q{q}"


def _stats(values: np.ndarray, mean: np.ndarray) -> dict[str, np.ndarray]:
    """``mean`` (a penny sum, :mod:`~sufficiency.finance.pence`) and the percentiles of
    ``values`` (each path's total), to the penny."""
    q = pence(np.quantile(values, QUANTILES, axis=0, method="linear"))
    return {"mean": mean, "p10": q[0], "p50": q[1], "p90": q[2]}


def line_means(proj: SpendProjection) -> np.ndarray:
    """``[month, line]``: each month's mean by cost line to the penny, then ``all``, their
    penny sum (:mod:`~sufficiency.finance.pence`): the figures every total adds."""
    means = month_means(proj.spend)
    return np.concatenate([means, penny_sum(means, axis=1)[:, None]], axis=1)


def _with_total(proj: SpendProjection) -> tuple[np.ndarray, list[str]]:
    """Spend with an extra ``all`` line holding each path's total."""
    full = np.concatenate([proj.spend, proj.spend.sum(axis=2, keepdims=True)], axis=2)
    return full, [*proj.cost_lines, ALL]


def monthly_table(proj: SpendProjection) -> pd.DataFrame:
    """Long table: ``month, financial_year, cost_line, mean, p10, p50, p90`` (GBP)."""
    full, lines = _with_total(proj)
    st = _stats(full, line_means(proj))
    fy = [financial_year(m, proj.financial_year_start_month) for m in proj.months]
    rows = []
    for i, month in enumerate(proj.months):
        for j, line in enumerate(lines):
            rows.append(
                {
                    "month": month.strftime("%Y-%m-%d"),
                    "financial_year": fy[i],
                    "cost_line": line,
                    **{k: round(float(v[i, j]), 2) for k, v in st.items()},
                }
            )
    return pd.DataFrame(rows)


def period_table(proj: SpendProjection, period: str) -> pd.DataFrame:
    """Totals per ``"quarter"`` or ``"financial_year"``: stats of each path's period total.

    ``months`` says how many forecast months the period holds (a period cut by the
    start or end of the forecast is partial).
    """
    label = quarter if period == "quarter" else financial_year
    keys = [label(m, proj.financial_year_start_month) for m in proj.months]
    full, lines = _with_total(proj)
    means = line_means(proj)
    rows = []
    for key in dict.fromkeys(keys):
        idx = [i for i, k in enumerate(keys) if k == key]
        totals = full[:, idx, :].sum(axis=1)
        st = _stats(totals, penny_sum(means[idx], axis=0))
        for j, line in enumerate(lines):
            rows.append(
                {
                    period: key,
                    "cost_line": line,
                    "months": len(idx),
                    **{k: round(float(v[j]), 2) for k, v in st.items()},
                }
            )
    return pd.DataFrame(rows)


#: Under the workbook's monthly, quarterly and yearly tables. Its figures are shown to the
#: pound: on the sample 26 of the 36 months' cost lines shown did not add to the Total
#: (mean) shown, by up to £2, under "Means add up". Its totals added the cells' pence
#: while spend.csv rounded the unrounded total, a few pence apart (:mod:`.pence`).
MEANS_NOTE = (
    "Means add up across rows and columns; P10/P50/P90 are percentiles of each simulated "
    f"path's total and do not add. {PENNY_RULE} Figures are shown to the nearest pound "
    "(a cell holds its pence), so the pounds shown may differ by a few from their sum."
)


def budget_comparison(
    proj: SpendProjection,
    budget: pd.DataFrame,
    to_date: Mapping[str, np.ndarray] | None = None,
    bases: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Per budget line: projected spend, variance (mean - budget) and P(overspend).

    ``budget`` has columns ``financial_year, cost_line, budget_gbp``; cost line ``all``
    is the whole placements budget. ``to_date`` holds, for a year the forecast starts
    inside, the spend on each cost line from the year's first day to the forecast start
    (estimated from the history): that year is compared as its outturn, the fixed spend
    to date added to each path's total for the forecast months (``months``); ``bases``
    its ``basis`` (:data:`OUTTURN` unless said).
    """
    keys = [financial_year(m, proj.financial_year_start_month) for m in proj.months]
    full, lines = _with_total(proj)
    means = line_means(proj)
    to_date = to_date or {}
    rows = []
    for rec in budget.to_dict("records"):
        idx = [i for i, k in enumerate(keys) if k == rec["financial_year"]]
        j = lines.index(rec["cost_line"])
        rest = full[:, idx, j].sum(axis=1)
        rest_mean = float(penny_sum(means[idx, j]))
        fy_to_date = to_date.get(rec["financial_year"])
        fixed = 0.0
        if fy_to_date is not None:  # in pence already: a penny sum
            fixed = float(penny_sum(fy_to_date) if rec["cost_line"] == ALL else fy_to_date[j])
        totals = rest + fixed
        st = _stats(totals, np.round(rest_mean + fixed, 2))
        b = float(pence(rec["budget_gbp"]))
        rows.append(
            {
                "financial_year": rec["financial_year"],
                "cost_line": rec["cost_line"],
                "months": len(idx),
                "budget_gbp": round(b, 2),
                **{k: round(float(v), 2) for k, v in st.items()},
                "variance_gbp": round(float(st["mean"]) - b, 2),  # of penny figures
                "prob_overspend": round(float(np.mean(totals > b)), 4),
                "spend_to_date_estimated_gbp": round(fixed, 2),
                "rest_of_year_mean_gbp": rest_mean,
                "basis": (bases or {}).get(rec["financial_year"], OUTTURN)
                if fy_to_date is not None
                else WHOLE_YEAR,
            }
        )
    return pd.DataFrame(rows)


def reconciliation(proj: SpendProjection) -> dict[str, float | str]:
    """Today's run-rate against the forecast's first month, with the difference."""
    # the Monthly sheet's and spend.csv's first month, to the penny
    first = float(line_means(proj)[0, -1]) if len(proj.months) else 0.0
    diff = first - proj.run_rate_gbp
    return {
        "first_month": proj.months[0].strftime("%Y-%m-%d") if len(proj.months) else "",
        "run_rate_gbp": round(proj.run_rate_gbp, 2),
        "run_rate_basis": proj.run_rate_basis,
        "forecast_first_month_mean_gbp": round(first, 2),
        "difference_gbp": round(diff, 2),
        "difference_pct": round(100 * diff / proj.run_rate_gbp, 2) if proj.run_rate_gbp else 0.0,
    }


def scenario_comparison(base: SpendProjection, scenario: SpendProjection) -> pd.DataFrame:
    """Financial-year means, base vs scenario, and the difference, per cost line."""
    b = period_table(base, "financial_year")
    s = period_table(scenario, "financial_year")
    out = b[["financial_year", "cost_line", "mean"]].rename(columns={"mean": "base_mean"})
    out["scenario_mean"] = s["mean"].to_numpy()
    out["difference"] = (out["scenario_mean"] - out["base_mean"]).round(2)
    out["scenario"] = scenario.scenario  # the file names its scenario, as the forecast's does
    return out
