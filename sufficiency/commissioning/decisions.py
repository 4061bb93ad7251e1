"""The integer commitments a plan chooses, each with its cost and the capacity it adds.

Timing conventions (months are 1..horizon after the forecast start; plan year ``y``
covers months ``12y+1 .. 12y+12``):

- A household recruited in year ``y`` is approved ``months_to_approval`` months after
  the year begins and then leaves at ``attrition_per_year`` (expected, fractional).
- A block contract signed in year ``y`` runs from the year's first month for
  ``contract_years`` (cut at the horizon); it is paid whether used or not.
- A home opened in year ``y`` pays its set-up cost then, and its running cost from its
  first bed (``lead_time_months`` later) to the horizon, used or not.

Every weekly or yearly price is at the start date and rises by the inflation rate on
each uplift date (``[finance] uplift_month`` and ``uplift_day``, 1 April by default: the
finance price index, :class:`~sufficiency.prices.PriceRise`); one-off costs use the index
of the month paid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.commissioning.lever_words import lever_title
from sufficiency.commissioning.levers import Levers
from sufficiency.prices import DAYS_PER_WEEK, WEEKS_PER_YEAR, PriceRise


@dataclass(frozen=True, eq=False)
class Economics:
    """Month weights and prices shared by the optimiser and the evaluator.

    ``week_weight[t]`` is the weeks in month ``t`` times its price index, so a weekly
    price times it is that month's cost in GBP.
    """

    week_weight: np.ndarray
    index: np.ndarray
    spot_weekly_gbp: np.ndarray
    running_weekly_gbp: np.ndarray


@dataclass(frozen=True, eq=False)
class Decision:
    """One integer commitment: a lever in a plan year.

    ``fixed_capacity`` and ``variable_capacity`` are ``(months, groups)`` places per
    unit; fixed places are paid whether used or not, variable ones cost the group's
    running price when used. ``cost_gbp`` is the cost per unit over the horizon, not
    counting the running price of places used. ``key`` names the block contract of a
    block decision; ``member`` is the authority a pooled decision belongs to (``None``
    for a single authority's plan or a contract the co-operative shares). ``title`` is
    the lever in plain words (its label from the levers file, if any) and
    ``monthly_cost_gbp`` spreads ``cost_gbp`` over the months it is paid in.
    ``uplift_monthly_gbp`` (the fee uplift only) is the uplift paid each month on one
    in-house household, so on the households recruited under it too.
    """

    lever: str
    kind: str
    year: int
    upper: int
    cost_gbp: float
    fixed_capacity: np.ndarray
    variable_capacity: np.ndarray
    group: str = ""
    households_alive: np.ndarray | None = None
    key: str = ""
    member: int | None = None
    title: str = ""
    monthly_cost_gbp: np.ndarray | None = None
    uplift_monthly_gbp: np.ndarray | None = None


def economics(
    levers: Levers, groups: tuple[str, ...], month_ends: pd.DatetimeIndex, prices: PriceRise
) -> Economics:
    """Month weights, spot prices and running prices per group."""
    idx = prices.index(month_ends)
    days = np.diff(month_ends.values.astype("datetime64[D]")).astype(float)
    spot = np.array([levers.spot.weekly_gbp(g) for g in groups])
    running = spot.copy()
    for r in levers.recruit:
        running[groups.index(r.group)] = r.weekly_cost_gbp
    return Economics(days / DAYS_PER_WEEK * idx, idx, spot, running)


def _months(horizon: int) -> np.ndarray:
    return np.arange(1, horizon + 1)


def build_decisions(
    levers: Levers,
    groups: tuple[str, ...],
    econ: Economics,
    recruitment_success: float = 1.0,
) -> list[Decision]:
    """Every commitment the plan may make, in a stable order (lever, then year).

    ``recruitment_success`` scales the places each recruited household brings.
    """
    horizon = len(econ.week_weight)
    months = _months(horizon)
    num_years = -(-horizon // 12)
    w = econ.week_weight
    out: list[Decision] = []
    zeros = np.zeros((horizon, len(groups)))
    for r in levers.recruit:
        g = groups.index(r.group)
        for y in range(num_years):
            avail = 12 * y + r.months_to_approval + 1
            if avail > horizon:
                continue
            keep = (1 - r.attrition_per_year) ** ((months - avail) / 12)
            alive = np.where(months >= avail, keep, 0.0)
            cap = zeros.copy()
            cap[:, g] = alive * r.places_per_household * recruitment_success
            support_weekly = r.support_cost_gbp_per_household_year / WEEKS_PER_YEAR
            monthly = alive * support_weekly * w
            monthly[12 * y] += r.recruitment_cost_gbp * econ.index[12 * y]
            cost = r.recruitment_cost_gbp * econ.index[12 * y] + float(
                (alive * support_weekly * w).sum()
            )
            out.append(
                Decision(
                    f"Recruit foster households ({r.group})",
                    "recruit",
                    y,
                    r.max_households_per_year,
                    cost,
                    zeros,
                    cap,
                    r.group,
                    alive,
                    title=lever_title(levers, "recruit", r.group),
                    monthly_cost_gbp=monthly,
                )
            )
    for b in levers.block:
        g = groups.index(b.group)
        for y in range(num_years):
            live = (months > 12 * y) & (months <= 12 * (y + b.contract_years))
            cap = zeros.copy()
            cap[:, g] = live
            cost = float((live * b.weekly_price_gbp * w).sum())
            out.append(
                Decision(
                    f"Block contract {b.name} ({b.group})",
                    "block",
                    y,
                    b.max_places,
                    cost,
                    cap,
                    zeros,
                    b.group,
                    key=b.name,
                    title=lever_title(levers, "block", b.group, b.name),
                    monthly_cost_gbp=live * b.weekly_price_gbp * w,
                )
            )
    if levers.home is not None and levers.home.max_homes > 0:
        h = levers.home
        g = groups.index("residential")
        for y in range(num_years):
            avail = 12 * y + h.lead_time_months + 1
            if avail > horizon:
                continue
            live = months >= avail
            cap = zeros.copy()
            cap[:, g] = live * h.beds
            weekly_running = h.running_cost_gbp_per_year / WEEKS_PER_YEAR
            monthly = live * weekly_running * w
            monthly[12 * y] += h.setup_cost_gbp * econ.index[12 * y]
            cost = h.setup_cost_gbp * econ.index[12 * y] + float((live * weekly_running * w).sum())
            out.append(
                Decision(
                    "Open an in-house children's home",
                    "home",
                    y,
                    h.max_homes,
                    cost,
                    cap,
                    zeros,
                    "residential",
                    title=lever_title(levers, "home"),
                    monthly_cost_gbp=monthly,
                )
            )
    if levers.fee_uplift is not None and levers.recruit:
        u = levers.fee_uplift
        cost = u.existing_households * u.weekly_gbp_per_household * float(w.sum())
        monthly = u.existing_households * u.weekly_gbp_per_household * w
        out.append(
            Decision("Fee uplift for in-house carers", "uplift", 0, 1, cost, zeros, zeros,
                     title=lever_title(levers, "uplift"), monthly_cost_gbp=monthly,
                     uplift_monthly_gbp=u.weekly_gbp_per_household * w)
        )  # fmt: skip
    return out


def commitment_costs(decisions: Sequence[Decision], values: np.ndarray) -> np.ndarray:
    """Each commitment's cost over the horizon: its units times its cost per unit, and for
    an adopted fee uplift also the uplift paid on the households recruited (by the same
    member) while it is in force, so the costs add up to the plan's commitments."""
    costs = np.asarray(values, dtype=float) * np.array([d.cost_gbp for d in decisions])
    for i, (d, v) in enumerate(zip(decisions, values, strict=True)):
        if d.kind != "uplift" or v <= 0 or d.uplift_monthly_gbp is None:
            continue
        for x, n in zip(decisions, values, strict=True):
            if x.kind == "recruit" and x.member == d.member and x.households_alive is not None:
                costs[i] += float(n) * float((x.households_alive * d.uplift_monthly_gbp).sum())
    return costs


def uplift_cost_per_household(decision: Decision, weekly_gbp: float, econ: Economics) -> float:
    """Fee uplift paid over the horizon for one household recruited by ``decision``."""
    return float(uplift_monthly_per_household(decision, weekly_gbp, econ).sum())


def uplift_monthly_per_household(
    decision: Decision, weekly_gbp: float, econ: Economics
) -> np.ndarray:
    """Fee uplift paid each month for one household recruited by ``decision``."""
    if decision.households_alive is None:
        return np.zeros(len(econ.week_weight))
    return np.asarray(decision.households_alive * weekly_gbp * econ.week_weight, dtype=float)


def drop_idle(
    decisions: Sequence[Decision], values: np.ndarray, demands: np.ndarray, groups: Sequence[str]
) -> np.ndarray:
    """``values`` without the households, block places and homes whose places would meet
    no child: in every month they add places, their group's demand (``demands``:
    ``(members, paths, months, groups)``; the member's own, or all members' for a shared
    block) is 0 on every path. Dropping them is always allowed and saves their whole cost;
    a solver stopped at its time limit can keep them (two households recruited for an
    authority with no child in foster care, in a pooled plan of seventeen)."""
    out = np.array(values, dtype=np.int64, copy=True)
    for j, d in enumerate(decisions):
        if out[j] <= 0 or d.kind not in ("recruit", "block", "home"):
            continue
        live = (d.fixed_capacity + d.variable_capacity).any(axis=1)
        g = groups.index(d.group)
        whose = demands if d.member is None else demands[d.member : d.member + 1]
        if not whose[:, :, live, g].any():
            out[j] = 0
    return out
