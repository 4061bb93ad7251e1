"""Cost of a co-operative's plan on demand paths, and each member's share of it.

Each month and group a member's children go first to its own new homes, then — shared
by every member — to the pooled block places, then to its own new foster households,
then spot. Block places are handed out first to children who would otherwise go spot,
then to children who would otherwise take an in-house place, in proportion to each
member's need; that is a cheapest allocation, so the co-operative's cost is

    fixed payments + (p - r) * max(0, sum_m max(0, D_m - H_m - R_m) - B)
                   + r * max(0, sum_m max(0, D_m - H_m) - B).

A member's share of the pooled cost is its own commitments and placements plus the
block contracts' cost in each group in proportion to its expected use of block places
there (place-weeks at the month's price index); shares add up to the pooled cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sufficiency.commissioning.decisions import Decision, Economics, uplift_cost_per_household
from sufficiency.commissioning.evaluate import Score
from sufficiency.commissioning.levers import Levers


@dataclass(frozen=True, eq=False)
class MemberCapacity:
    """Places a pooled plan adds: ``home``, ``recruit`` ``(members, months, groups)``; ``block``."""

    home: np.ndarray
    recruit: np.ndarray
    block: np.ndarray


def member_capacity(
    decisions: Sequence[Decision], values: np.ndarray, num_members: int
) -> MemberCapacity:
    """Sum each member's own places and the shared block places of ``values``."""
    shape = decisions[0].fixed_capacity.shape
    home = np.zeros((num_members, *shape))
    recruit = np.zeros((num_members, *shape))
    block = np.zeros(shape)
    for d, v in zip(decisions, values, strict=True):
        if v == 0:
            continue
        if d.member is None:
            block += v * d.fixed_capacity
        else:
            home[d.member] += v * d.fixed_capacity
            recruit[d.member] += v * d.variable_capacity
    return MemberCapacity(home, recruit, block)


def member_commitments(
    decisions: Sequence[Decision],
    values: np.ndarray,
    num_members: int,
    groups: Sequence[str],
    levers: Sequence[Levers],
    econ: Economics,
) -> tuple[np.ndarray, np.ndarray]:
    """Each member's own commitment cost (with any fee uplift on its own ``levers``), and
    the block cost per group."""
    own = np.zeros(num_members)
    block = np.zeros(len(groups))
    uplift_on = {
        d.member for d, v in zip(decisions, values, strict=True) if d.kind == "uplift" and v > 0
    }
    weekly = [lv.fee_uplift.weekly_gbp_per_household if lv.fee_uplift else 0.0 for lv in levers]
    for d, v in zip(decisions, values, strict=True):
        if d.member is None:
            block[list(groups).index(d.group)] += v * d.cost_gbp
            continue
        own[d.member] += v * d.cost_gbp
        if d.member in uplift_on:
            own[d.member] += v * uplift_cost_per_household(d, weekly[d.member], econ)
    return own, block


def allocate(
    demand: np.ndarray,
    home: np.ndarray,
    recruit: np.ndarray,
    block: np.ndarray,
    spot: np.ndarray | None = None,
    running: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A cheapest placing of ``demand[member, ...]``: own homes, shared block, own carers, spot.

    ``home`` and ``recruit`` broadcast against ``demand``; ``block`` against one member's
    slice. ``spot`` and ``running`` are each member's weekly prices in this group (equal
    for every member when not given). A block place saves the price of the child it
    takes: it goes to the dearest first (a child bound for spot before one bound for an
    in-house carer at the same price), shared in proportion to need among members at the
    same price. Returns the children in own homes, block places, own foster places and
    spot, each shaped like ``demand``.
    """
    after_home = np.maximum(demand - home, 0.0)
    excess = np.maximum(after_home - recruit, 0.0)
    would_recruit = after_home - excess
    num = demand.shape[0]
    prices = (
        np.zeros(num) if spot is None else np.asarray(spot, float),
        np.zeros(num) if running is None else np.asarray(running, float),
    )
    tiers = sorted({(float(v), kind) for kind in (0, 1) for v in prices[kind]},
                   key=lambda tier: (-tier[0], tier[1]))  # fmt: skip
    units = (excess, would_recruit)
    taken = (np.zeros_like(excess), np.zeros_like(would_recruit))
    left = block
    for value, kind in tiers:
        at = np.flatnonzero(prices[kind] == value)
        mine = units[kind] if len(at) == num else units[kind][at]
        total = mine.sum(axis=0)
        take = np.minimum(left, total)
        taken[kind][at] = np.divide(take, total, out=np.zeros_like(total), where=total > 0)
        left = left - take
    fx, fy = taken
    block_used = excess * fx + would_recruit * fy
    return demand - after_home, block_used, would_recruit * (1 - fy), excess * (1 - fx)


def score_pooled(
    decisions: Sequence[Decision],
    values: np.ndarray,
    demands: np.ndarray,
    groups: Sequence[str],
    levers: Sequence[Levers],
    econ: Sequence[Economics],
    name: str = "pooled",
) -> tuple[Score, tuple[Score, ...]]:
    """The co-operative's score on ``demands[member, path, month, group]``, and each share.

    ``levers`` and ``econ`` are each member's own (its prices, its fee uplift); the
    months' weights are the same for every member. A member's ``Score`` counts its own
    children (in-house, external, spot) and its share of the pooled cost; the members'
    expected costs add up to the co-operative's.
    """
    num_members = demands.shape[0]
    cap = member_capacity(decisions, values, num_members)
    spot_price = np.stack([e.spot_weekly_gbp for e in econ])  # (members, groups)
    running_price = np.stack([e.running_weekly_gbp for e in econ])
    d = demands.astype(float)
    parts = [
        allocate(
            d[..., g],
            cap.home[:, None, :, g],
            cap.recruit[:, None, :, g],
            cap.block[None, :, g],
            spot_price[:, g],
            running_price[:, g],
        )
        for g in range(len(groups))
    ]
    home_used, block_used, recruit_used, spot = (
        np.stack([p[i] for p in parts], axis=-1) for i in range(4)
    )
    w = econ[0].week_weight[None, None, :, None]
    running = running_price[:, None, None, :]
    price = spot_price[:, None, None, :]
    variable = (w * (running * recruit_used + price * spot)).sum(axis=(2, 3))
    own, block_cost = member_commitments(decisions, values, num_members, groups, levers, econ[0])
    weeks = (w * block_used).sum(axis=2).mean(axis=1)  # (members, groups) place-weeks used
    totals = weeks.sum(axis=0)
    share = np.where(totals > 0, weeks / np.where(totals > 0, totals, 1.0), 1.0 / num_members)
    block_share = share @ block_cost
    members = []
    for m in range(num_members):
        members.append(
            Score(
                name=f"member {m + 1}",
                path_cost_gbp=variable[m] + own[m] + block_share[m],
                commitments_gbp=float(own[m] + block_share[m]),
                in_house_child_months=float(
                    (recruit_used[m] + home_used[m]).sum(axis=(1, 2)).mean()
                ),
                external_child_months=float((block_used[m] + spot[m]).sum(axis=(1, 2)).mean()),
                spot_child_months=float(spot[m].sum(axis=(1, 2)).mean()),
                spot_month_probability=float((spot[m] > 1e-9).mean()),
            )
        )
    total_spot = spot.sum(axis=0)
    pooled = Score(
        name=name,
        path_cost_gbp=variable.sum(axis=0) + own.sum() + block_cost.sum(),
        commitments_gbp=float(own.sum() + block_cost.sum()),
        in_house_child_months=sum(s.in_house_child_months for s in members),
        external_child_months=sum(s.external_child_months for s in members),
        spot_child_months=float(total_spot.sum(axis=(1, 2)).mean()),
        spot_month_probability=float((total_spot > 1e-9).mean()),
    )
    return pooled, tuple(members)
