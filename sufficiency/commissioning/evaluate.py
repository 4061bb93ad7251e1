"""Score plans on demand paths they were not optimised on, and compare them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sufficiency.commissioning.decisions import (
    economics,
    uplift_cost_per_household,
    uplift_monthly_per_household,
)
from sufficiency.commissioning.demand import DemandPaths
from sufficiency.commissioning.levers import Levers
from sufficiency.prices import DEFAULT_RISE, PriceRise

if TYPE_CHECKING:  # solve scores a plan the solver stopped on against doing nothing
    from sufficiency.commissioning.solve import Plan


def margin_95(values: np.ndarray) -> float:
    """95% margin of the mean of ``values`` (1.96 standard errors; 0 with one value)."""
    if len(values) < 2:
        return 0.0
    return float(1.96 * np.std(values, ddof=1) / np.sqrt(len(values)))


@dataclass(frozen=True, eq=False)
class Score:
    """A plan's outcome over a set of demand paths (child-months are summed over months).

    Attributes
    ----------
    path_cost_gbp
        Total cost of commitments and placements beyond today's in-house capacity, per path.
    in_house_child_months, external_child_months, spot_child_months
        Mean over paths of child-months in new in-house places (recruits, homes), in
        external places (block + spot) and in spot placements alone.
    month_cost_gbp
        Mean cost per month (commitments paid that month, running and spot costs).
    children
        Mean children per ``(month, group)``: ``demand`` (beyond today's in-house
        places), ``new_in_house`` (recruits and new homes), ``block`` and ``spot``.
    """

    name: str
    path_cost_gbp: np.ndarray
    commitments_gbp: float
    in_house_child_months: float
    external_child_months: float
    spot_child_months: float
    spot_month_probability: float
    month_cost_gbp: np.ndarray = field(default_factory=lambda: np.zeros(0))
    children: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def expected_cost_gbp(self) -> float:
        """Mean cost over paths."""
        return float(self.path_cost_gbp.mean())

    @property
    def p10_cost_gbp(self) -> float:
        """10th percentile of cost."""
        return float(np.quantile(self.path_cost_gbp, 0.1))

    @property
    def p90_cost_gbp(self) -> float:
        """90th percentile of cost."""
        return float(np.quantile(self.path_cost_gbp, 0.9))


def _capacity(plan: Plan, kinds: tuple[str, ...], variable: bool) -> np.ndarray:
    parts = [
        v * (d.variable_capacity if variable else d.fixed_capacity)
        for d, v in zip(plan.decisions, plan.values, strict=True)
        if d.kind in kinds
    ]
    if not parts:
        return np.zeros((0,))
    return np.sum(parts, axis=0)


def evaluate_plan(
    plan: Plan, demand: DemandPaths, levers: Levers, *, prices: PriceRise = DEFAULT_RISE
) -> Score:
    """Cost and placements of ``plan`` on every path of ``demand``.

    In each month and group, fixed places (new homes, then block places) are used first,
    then new in-house foster places at their running price, then spot.
    """
    horizon = len(plan.decisions[0].fixed_capacity) if plan.decisions else demand.horizon_months
    d = demand.demand[:, :horizon].astype(float)
    econ = economics(levers, demand.groups, demand.month_ends[: horizon + 1], prices)
    shape = d.shape[1:]
    home = _capacity(plan, ("home",), False)
    block = _capacity(plan, ("block",), False)
    recruit = _capacity(plan, ("recruit",), True)
    home = home if home.size else np.zeros(shape)
    block = block if block.size else np.zeros(shape)
    recruit = recruit if recruit.size else np.zeros(shape)
    after_home = np.maximum(d - home, 0.0)
    after_fixed = np.maximum(after_home - block, 0.0)
    spot = np.maximum(after_fixed - recruit, 0.0)
    used_recruit = after_fixed - spot
    used_home = d - after_home
    w = econ.week_weight[None, :, None]
    variable = (w * (econ.running_weekly_gbp * used_recruit + econ.spot_weekly_gbp * spot)).sum(
        axis=(1, 2)
    )
    commitments = float(np.dot(plan.values, [x.cost_gbp for x in plan.decisions]))
    uplift_on = any(
        x.kind == "uplift" and v > 0 for x, v in zip(plan.decisions, plan.values, strict=True)
    )
    if uplift_on and levers.fee_uplift is not None:
        weekly = levers.fee_uplift.weekly_gbp_per_household
        commitments += sum(
            v * uplift_cost_per_household(x, weekly, econ)
            for x, v in zip(plan.decisions, plan.values, strict=True)
        )
    any_spot = (spot > 1e-9).mean()
    running = w * (econ.running_weekly_gbp * used_recruit + econ.spot_weekly_gbp * spot)
    monthly = running.sum(axis=2).mean(axis=0)
    for x, v in zip(plan.decisions, plan.values, strict=True):
        if v > 0 and x.monthly_cost_gbp is not None:
            monthly = monthly + v * x.monthly_cost_gbp
        if v > 0 and uplift_on and levers.fee_uplift is not None:
            weekly = levers.fee_uplift.weekly_gbp_per_household
            monthly = monthly + v * uplift_monthly_per_household(x, weekly, econ)
    used_block = after_home - after_fixed
    children = {
        "demand": d.mean(axis=0),
        "new_in_house": (used_recruit + used_home).mean(axis=0),
        "block": used_block.mean(axis=0),
        "spot": spot.mean(axis=0),
    }
    return Score(
        name=plan.name,
        path_cost_gbp=variable + commitments,
        commitments_gbp=commitments,
        in_house_child_months=float((used_recruit + used_home).sum(axis=(1, 2)).mean()),
        external_child_months=float((d - used_recruit - used_home).sum(axis=(1, 2)).mean()),
        spot_child_months=float(spot.sum(axis=(1, 2)).mean()),
        spot_month_probability=float(any_spot),
        month_cost_gbp=monthly,
        children=children,
    )


@dataclass(frozen=True, eq=False)
class Comparison:
    """Stochastic, central-forecast and status-quo plans scored on the same fresh paths."""

    stochastic: Score
    central: Score
    status_quo: Score
    eval_seed: int
    num_paths: int

    @property
    def value_of_planning_gbp(self) -> float:
        """Value of planning for uncertainty: central-plan cost minus stochastic-plan cost."""
        return self.central.expected_cost_gbp - self.stochastic.expected_cost_gbp

    @property
    def value_of_planning_margin_gbp(self) -> float:
        """95% margin of the value of planning from the fresh paths (1.96 standard errors of
        the mean difference on the same paths; 0 with one path)."""
        return margin_95(self.central.path_cost_gbp - self.stochastic.path_cost_gbp)

    @property
    def saving_vs_status_quo_gbp(self) -> float:
        """Expected saving of the stochastic plan against no new commitments."""
        return self.status_quo.expected_cost_gbp - self.stochastic.expected_cost_gbp

    @property
    def saving_paths_gbp(self) -> np.ndarray:
        """The plan's saving against the status quo on each fresh path (same paths)."""
        return self.status_quo.path_cost_gbp - self.stochastic.path_cost_gbp

    @property
    def chance_cheaper(self) -> float:
        """Share of fresh paths on which the plan costs less than the status quo."""
        return float((self.saving_paths_gbp > 0).mean())

    def saving_quantile_gbp(self, q: float) -> float:
        """Quantile ``q`` of the saving over the fresh paths."""
        return float(np.quantile(self.saving_paths_gbp, q))

    def table(self) -> pd.DataFrame:
        """One row per plan: costs (GBP) and child-months."""
        rows = []
        for s in (self.stochastic, self.central, self.status_quo):
            rows.append(
                {
                    "plan": s.name,
                    "expected_cost_gbp": round(s.expected_cost_gbp, 2),
                    "p10_cost_gbp": round(s.p10_cost_gbp, 2),
                    "p90_cost_gbp": round(s.p90_cost_gbp, 2),
                    "commitments_gbp": round(s.commitments_gbp, 2),
                    "in_house_child_months": round(s.in_house_child_months, 2),
                    "external_child_months": round(s.external_child_months, 2),
                    "spot_child_months": round(s.spot_child_months, 2),
                }
            )
        return pd.DataFrame(rows)


def compare_plans(
    stochastic: Plan,
    central: Plan,
    status_quo: Plan,
    fresh: DemandPaths,
    levers: Levers,
    *,
    prices: PriceRise = DEFAULT_RISE,
) -> Comparison:
    """Score the three plans on the same fresh paths."""
    scores = [
        evaluate_plan(p, fresh, levers, prices=prices) for p in (stochastic, central, status_quo)
    ]
    return Comparison(scores[0], scores[1], scores[2], fresh.seed, fresh.num_paths)
