"""The region's plan tables: each member's own plan and sensitivity, the pooled plan and
its sensitivity, and who is not in the pooled plan (and why): its figures, its saving
too, are of the members in it, not the region's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from sufficiency.region.run import RegionResult


def pooled_table(result: RegionResult) -> pd.DataFrame:
    """Each member's cost alone, its share of the pooled plan and its saving."""
    if result.pooled is None:
        return pd.DataFrame()
    return pd.DataFrame(list(result.pooled.rows))


def pooled_sensitivity_table(result: RegionResult) -> pd.DataFrame:
    """The pooled plan's sensitivity runs: factor, change, cost alone and pooled, saving."""
    if result.pooled is None:
        return pd.DataFrame()
    return pd.DataFrame(list(result.pooled.sensitivity))


def commission_table(result: RegionResult) -> pd.DataFrame:
    """Each member's own plan (its own levers and prices) against the status quo."""
    return pd.DataFrame(
        [
            {
                "code": c.code,
                "authority": c.name,
                "plan_cost_gbp": c.plan_cost_gbp,
                "status_quo_cost_gbp": c.status_quo_cost_gbp,
                "saving_gbp": c.saving_vs_status_quo_gbp,
                "recommendation": c.recommendation,
            }
            for c in result.commissions
        ]
    )


def sensitivity_table(result: RegionResult) -> pd.DataFrame:
    """Every member's sensitivity rows, with its code first."""
    rows = [{"code": c.code, **r} for c in result.commissions for r in c.sensitivity]
    return pd.DataFrame(rows)


#: Why a member is not in the pooled plan, as ``region.csv`` names it
#: (``not_pooled:<why>``) and as the headline says it.
NOT_POOLED = {
    "history_ends_on_another_day": "its history ends on another day",
    "data_not_usable": "its data could not be used (see Failed)",
    "no_levers": "no levers file",
}


def not_pooled_table(result: RegionResult) -> pd.DataFrame:
    """Each member not in the pooled plan (when one ran), why (a key of
    :data:`NOT_POOLED`) and the reason in words: the pooled plan's figures, its saving
    too, are of the members in it, not the region's."""
    columns = ["code", "authority", "why", "reason"]
    if result.pooled is None:
        return pd.DataFrame(columns=columns)
    pooled = {str(r["code"]) for r in result.pooled.rows}
    dated = {o.code: o.reason for o in result.left_out_of_pool}
    rows = []
    for m in result.region.members:
        if m.code in pooled:
            continue
        if m.code in dated:
            rows.append((m.code, m.name, "history_ends_on_another_day", dated[m.code]))
        elif m.levers is None:
            rows.append((m.code, m.name, "no_levers", "No levers file: it commissions on "
                         "its own, and the pooled plan's figures do not include it."))  # fmt: skip
        else:
            rows.append((m.code, m.name, "data_not_usable", "Its data could not be used (see "
                         "Failed), so the pooled plan's figures do not include it."))  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
