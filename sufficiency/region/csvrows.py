"""``region.csv``, long format for dashboards: each member's figures per run, the region's
totals (with how many members they are of), each run of a member that failed, the plans'
figures (shares written as percentages) and who is not in the pooled plan."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from sufficiency.region.plan_tables import not_pooled_table
from sufficiency.region.report import REGION_CODE, member_table, summaries_of
from sufficiency.region.specs import BASE_KEY, MemberFailure

if TYPE_CHECKING:
    from sufficiency.region.run import RegionResult

#: Numeric measures of a member summary written to region.csv.
MEASURES = (
    "in_care_now",
    "in_care_forecast",
    "in_care_forecast_p10",
    "in_care_forecast_p90",
    "starts_first_year",
    "spend_gbp",
    "spend_p10_gbp",
    "spend_p90_gbp",
    "budget_gbp",
    "budget_variance_gbp",
    "scenario_variance_gbp",
    "backtest_ape_12_pct",
    "backtest_coverage_pct",
    "backtest_starts_ape_pct",
    "backtest_starts_inside",
    "backtest_starts_actual",
    "spend_months",
    "starts_months",
    "spend_to_date_gbp",
    "budget_doubted",
)
#: Each variance measure's rows: the base case's variance on the base's rows only, a
#: scenario's own on its rows only (never one read as the other's).
VARIANCE_ROWS = {"budget_variance_gbp": True, "scenario_variance_gbp": False}


def failed_rows(failures: Iterable[MemberFailure]) -> list[tuple[str, str, str, str, int]]:
    """``failed`` 1 for each member x run that failed: a member whose every run failed has
    no figures in ``region.csv``, so without it a dashboard would not see it at all."""
    return [(f.code, f.name, f.scenario, "failed", 1) for f in failures]


def percent(share: Any) -> float | None:
    """A share of one (0.0075) as the percentage the CSV files write (0.75)."""
    return None if share is None or pd.isna(share) else 100 * float(share)


def long_table(result: RegionResult) -> pd.DataFrame:
    """``region.csv``: ``member_code, member_name, scenario, measure, value``, one figure a row."""
    rows: list[tuple[str, str, str, str, Any]] = []
    for s in result.members:
        for measure in MEASURES:
            if VARIANCE_ROWS.get(measure, s.scenario == BASE_KEY) != (s.scenario == BASE_KEY):
                continue
            value = getattr(s, measure)
            value = float(value) if isinstance(value, bool) else value  # inside: 1 or 0
            rows.append((s.code, s.name, s.scenario, measure, value))
        for cat, v in s.mix_now.items():
            rows.append((s.code, s.name, s.scenario, f"in_care_now:{cat}", v))
        for cat, v in s.mix_forecast.items():
            rows.append((s.code, s.name, s.scenario, f"in_care_forecast:{cat}", v))
    for key in result.scenarios:
        table = member_table(result, key)
        last = table.iloc[-1]
        for measure, col in (
            ("in_care_now", "children_now"),
            ("in_care_forecast", "children_forecast"),
            ("starts_first_year", "starts_first_year"),
            ("spend_gbp", "spend_gbp"),
            ("budget_gbp", "budget_gbp"),
            ("backtest_ape_12_pct", "backtest_ape_12_pct"),  # as BACKTEST_NOTE says
            ("backtest_starts_ape_pct", "backtest_starts_ape_pct"),
        ):
            rows.append((REGION_CODE, result.region.name, key, measure, last[col]))
        # the base's variance is the central projection's; a scenario's, its own spend's
        variance = last["spend_gbp"] - last["budget_gbp"]
        name = "budget_variance_gbp" if key == BASE_KEY else "scenario_variance_gbp"
        rows.append((REGION_CODE, result.region.name, key, name, variance))
        # the totals are of the members that ran: say how many of how many
        ran = int(table["children_now"].iloc[:-1].notna().sum())
        rows.append((REGION_CODE, result.region.name, key, "members_ran", ran))
        rows.append((REGION_CODE, result.region.name, key, "members", len(table) - 1))
        months = {s.starts_months for s in summaries_of(result, key)}
        if len(months) == 1:  # the months the region's placements to find cover
            rows.append((REGION_CODE, result.region.name, key, "starts_months", months.pop()))
    rows.extend(failed_rows(result.failures))  # a member that failed is in it too
    for c in result.commissions:
        for measure in ("plan_cost_gbp", "status_quo_cost_gbp", "saving_vs_status_quo_gbp"):
            rows.append((c.code, c.name, "commission", measure, getattr(c, measure)))
    if result.pooled is not None:
        # who the pooled figures are of: a member not in the plan is said, with why, so a
        # dashboard does not read the pooled totals as the whole region's
        out = not_pooled_table(result)
        for r in out.itertuples():
            rows.append((str(r.code), str(r.authority), "pooled", f"not_pooled:{r.why}", 1))
        name = result.region.name
        rows.append((REGION_CODE, name, "pooled", "members_pooled", len(result.pooled.rows) - 1))
        rows.append((REGION_CODE, name, "pooled", "members", len(result.region.members)))
        # saving_pct a percentage, as pooling.csv, sensitivity.csv and the other *_pct
        # measures here (the plan's rows hold a share of one)
        for r in result.pooled.rows:
            for measure in ("alone_cost_gbp", "pooled_share_gbp", "saving_gbp", "saving_pct"):
                value = percent(r[measure]) if measure == "saving_pct" else r[measure]
                rows.append((str(r["code"]), str(r["authority"]), "pooled", measure, value))
        for r in result.pooled.sensitivity:
            if "failed" in r:
                continue
            scenario = f"pooled sensitivity: {r['factor']} {r['change']:+.0%}"
            for measure in ("alone_cost_gbp", "pooled_cost_gbp", "saving_gbp", "saving_pct"):
                value = percent(r[measure]) if measure == "saving_pct" else r[measure]
                rows.append((REGION_CODE, result.region.name, scenario, measure, value))
    df = pd.DataFrame(rows, columns=["member_code", "member_name", "scenario", "measure", "value"])
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    return df
