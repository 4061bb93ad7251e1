"""A member's figures under one scenario, taken from the reports its task made: what
:class:`~.specs.MemberSummary` holds (children now and at the horizon, the mix, the
first year's placements and spend against the budget, the backtest's scores)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from sufficiency.figures import money
from sufficiency.finance.outturn import estimated
from sufficiency.finance.pence import pounds
from sufficiency.finance.report import scale_doubt
from sufficiency.finance.summaries import WHOLE_YEAR
from sufficiency.io.quality import DataQuality
from sufficiency.region.specs import MemberSummary, MemberTask
from sufficiency.vocabulary import counted


def member_summary(
    task: MemberTask,
    report: Any,
    spend: Any,
    cutoff: pd.Timestamp | None,
    quality: DataQuality | None,
    notes: Sequence[str],
    num_files: int,
) -> MemberSummary:
    """The summary of ``task``'s forecast ``report`` and ``spend`` (``notes``: its warnings)."""
    is_base = task.scenario.path is None
    # a scenario named "Base" that changes nothing is the base, and gives no figures of its
    # own: the base's are its (its run failed the region with a TypeError)
    same = is_base or report.scenario_demand is None
    demand = report.demand if same else report.scenario_demand
    by_cat = demand[demand["age_band"] == "all"]
    first, last = by_cat["month"].min(), by_cat["month"].max()
    mix_now = _by_category(by_cat[by_cat["month"] == first])
    mix_forecast = _by_category(by_cat[by_cat["month"] == last])
    total = by_cat[(by_cat["category"] == "all") & (by_cat["month"] == last)].iloc[0]
    now = by_cat[(by_cat["category"] == "all") & (by_cat["month"] == first)].iloc[0]
    starts = report.starts
    labels = [s for s in starts["scenario"].unique() if s != "base"]
    label = "base" if is_base or not labels else str(labels[0])
    starts = starts[starts["scenario"] == label]
    months = sorted(starts["month"].unique())[:12]
    first_year = starts[starts["month"].isin(months) & (starts["category"] == "all")]
    year = spend.years[0]
    mean, p10, p90 = year.mean, year.p10, year.p90
    if not same and spend.scenario_comparison is not None:
        sc = spend.scenario_comparison
        row = sc[(sc["financial_year"] == year.financial_year) & (sc["cost_line"] == "all")]
        mean, p10, p90 = float(row["scenario_mean"].iloc[0]), None, None
    budget_gbp = variance = scenario_variance = to_date = None
    if spend.budget is not None:
        # the base's comparison, or the scenario's own (an outturn: the same spend to date
        # plus the scenario's months), as the member's spend outputs give them
        b = spend.budget if same else spend.scenario_budget
        b = b if b is not None else spend.budget.iloc[:0]
        row = b[(b["financial_year"] == year.financial_year) & (b["cost_line"] == "all")]
        if len(row) and row["basis"].iloc[0] != WHOLE_YEAR:
            # an in-year year's spend is its outturn, set against the whole year's budget
            r = row.iloc[0]
            mean, to_date = float(r["mean"]), float(r["spend_to_date_estimated_gbp"])
            p10, p90 = (float(r["p10"]), float(r["p90"])) if is_base else (None, None)
            notes = notes if not is_base else [*notes, (
                f"{year.financial_year} is its forecast outturn, as in the member's spend "
                f"outputs: spend to date {pounds(to_date)}, {estimated(str(r['basis']))}, plus "
                f"the {counted(year.months, 'forecast month')} (mean "
                f"{money(float(r['rest_of_year_mean_gbp']))})"
            )]  # fmt: skip
        if len(row):
            budget_gbp = float(row["budget_gbp"].iloc[0])
            # the base case's variance is the central projection's; a scenario's is its own,
            # kept apart (it was given as the variance, the scenario's spend read as central)
            if is_base:
                variance = round(mean - budget_gbp, 2)
            else:
                scenario_variance = round(mean - budget_gbp, 2)
    ape = coverage = None
    starts_score: dict[str, Any] = {}
    if report.backtest is not None:
        summary = report.backtest.summary()
        at12 = summary[summary["horizon_months"] == summary["horizon_months"].max()]
        ape = round(float(at12["model"].iloc[0]), 4)
        coverage = round(float(at12["p10_p90_coverage_pct"].iloc[0]), 4)
        starts_score = _starts_score(report.backtest.starts)
    return MemberSummary(
        code=task.member.code,
        name=task.member.name,
        scenario=task.scenario.key,
        scenario_name="Base" if same else label,
        seed=task.seed,
        start=str(first),
        horizon_month=str(last),
        in_care_now=float(now["mean"]),
        in_care_forecast=float(total["mean"]),
        in_care_forecast_p10=float(total["p10"]),
        in_care_forecast_p90=float(total["p90"]),
        mix_now=mix_now,
        mix_forecast=mix_forecast,
        starts_first_year=round(float(first_year["mean"].sum()), 4),
        financial_year=year.financial_year,
        spend_gbp=float(mean),
        spend_p10_gbp=p10,
        spend_p90_gbp=p90,
        budget_gbp=budget_gbp,
        budget_variance_gbp=variance,
        backtest_cutoff=str(cutoff.date()) if cutoff is not None else None,
        backtest_ape_12_pct=ape,
        backtest_coverage_pct=coverage,
        quality=tuple(quality.summary_lines()) if quality is not None else (),
        warnings=tuple(notes),
        num_files=num_files,
        findings=quality.num_findings() if quality is not None else 0,
        spend_months=year.months,
        scenario_variance_gbp=scenario_variance,
        spend_to_date_gbp=to_date,
        budget_doubt=scale_doubt(budget_gbp, mean) if budget_gbp is not None else None,
        starts_months=len(months),
        **starts_score,
    )


def _starts_score(starts: pd.DataFrame) -> dict[str, Any]:
    """The backtest's placement starts score, as :class:`MemberSummary` fields."""
    row = starts[starts["flow"] == "placement_starts"]
    if not len(row):  # a cutoff whose year after it has a collection year missing
        return {}
    ape = float(row["ape_pct"].iloc[0])
    return {
        "backtest_starts_ape_pct": None if pd.isna(ape) else round(ape, 4),
        "backtest_starts_inside": bool(row["inside"].iloc[0]),
        "backtest_starts_actual": float(row["actual"].iloc[0]),
    }


def _by_category(frame: pd.DataFrame) -> dict[str, float]:
    rows = frame[frame["category"] != "all"]
    return {str(c): float(v) for c, v in zip(rows["category"], rows["mean"], strict=True)}
