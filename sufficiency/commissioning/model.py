"""The sample-average-approximation MIP, built without importing a solver.

Per month ``t`` and group ``g``, fixed places ``F`` (blocks, homes; paid used or not)
are used first, then new in-house places ``R`` at the running price ``r``, then spot
at price ``p``. With ``f(c) = E[max(0, D - c)]`` the expected monthly cost is

    fixed payments + r * f(F) + (p - r) * f(F + R),

exact for the paths because ``E[min(max(0, D - F), R)] = f(F) - f(F + R)``. Each
``f`` term is a convex piecewise-linear function with integer breakpoints, modelled by
an epigraph variable and one tangent cut per breakpoint segment in reach.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sufficiency import vocabulary
from sufficiency.commissioning.backends import MipModel
from sufficiency.commissioning.decisions import Decision, Economics, uplift_cost_per_household
from sufficiency.commissioning.demand import DemandPaths
from sufficiency.commissioning.levers import Levers, ServiceLimit
from sufficiency.commissioning.shortfall import ShortfallTable, shortfall_table
from sufficiency.errors import ConfigError

_EPS = 1e-9


@dataclass(frozen=True, eq=False)
class Capacity:
    """Places per unit of each decision, ``(decisions, months, groups)``."""

    fixed: np.ndarray
    total: np.ndarray

    @classmethod
    def of(cls, decisions: Sequence[Decision], months: int, groups: int) -> Capacity:
        """Stack the decisions' capacity arrays."""
        if not decisions:
            empty = np.zeros((0, months, groups))
            return cls(empty, empty)
        fixed = np.stack([d.fixed_capacity for d in decisions])
        return cls(fixed, fixed + np.stack([d.variable_capacity for d in decisions]))


def upper_bounds(decisions: list[Decision], levers: Levers) -> np.ndarray:
    """Largest value each decision may take (recruits include the uplift's extra)."""
    extra = levers.fee_uplift.extra_households_per_year if levers.fee_uplift else 0
    return np.array(
        [d.upper + (extra if d.kind == "recruit" else 0) for d in decisions], dtype=float
    )


def tangent_rows(
    model: MipModel,
    z: int,
    table: ShortfallTable,
    t: int,
    g: int,
    coef: np.ndarray,
    ub: np.ndarray,
    most: int | None = None,
) -> bool:
    """Rows ``z >= f_tg(coef . x)``, one tangent per breakpoint segment in reach (at most
    ``most``, spread evenly, when given: fewer tangents still bound ``f`` from below).

    Returns False (and adds nothing) when ``coef . x`` is always 0, so ``f`` is the
    constant ``f_tg(0)``.
    """
    nz = np.flatnonzero(np.abs(coef) > _EPS)
    f = table.expected[t, g]
    reach = float(coef[nz] @ ub[nz]) if len(nz) else 0.0
    if reach <= _EPS:
        return False
    hi = min(int(table.max_demand[t, g]) - 1, int(np.ceil(reach - _EPS)) - 1)
    lo = min(max(0, int(table.min_demand[t, g]) - 1), hi)
    index = np.concatenate([[z], nz])
    segments = range(lo, hi + 1)
    if most is not None and len(segments) > most:
        segments = np.unique(np.linspace(lo, hi, most).round().astype(int)).tolist()
    for c in segments:
        slope = float(f[c + 1] - f[c])
        model.add_row(
            index, np.concatenate([[1.0], -slope * coef[nz]]), ">=", float(f[c]) - slope * c
        )
    return True


def _cuts(
    model: MipModel,
    table: ShortfallTable,
    t: int,
    g: int,
    coef: np.ndarray,
    ub: np.ndarray,
    weight: float,
) -> None:
    """Add ``weight * f_tg(coef . x)`` to the objective (epigraph + tangent cuts)."""
    if weight == 0.0:
        return
    f = table.expected[t, g]
    nz = np.flatnonzero(np.abs(coef) > _EPS)
    reach = float(coef[nz] @ ub[nz]) if len(nz) else 0.0
    if reach <= _EPS:
        model.constant += weight * float(f[0])
        return
    if min(int(table.max_demand[t, g]), int(np.ceil(reach - _EPS))) <= 0:
        return
    z = model.add_var(0.0, None, False, weight)
    tangent_rows(model, z, table, t, g, coef, ub)


def _reach(decisions: Sequence[Decision], levers: Levers, cap: Capacity, ub: np.ndarray,
           shape: tuple[int, ...]) -> np.ndarray:  # fmt: skip
    """The most places the levers can have in each month and group: every decision at its
    cap, but no more block places under contract at a time than the contract's
    ``max_places`` and no more homes than ``max_homes``."""
    reach = np.zeros(shape)
    pools: dict[str, tuple[list[int], float]] = {}
    for j, d in enumerate(decisions):
        if d.kind == "block":
            b = next(b for b in levers.block if b.name == d.key)
            pools.setdefault(f"block {d.key}", ([], float(b.max_places)))[0].append(j)
        elif d.kind == "home" and levers.home is not None:
            most = float(levers.home.max_homes * levers.home.beds)
            pools.setdefault("home", ([], most))[0].append(j)
        else:
            reach += ub[j] * cap.total[j]
    for js, most in pools.values():
        reach += np.minimum(np.einsum("j,jtg->tg", ub[js], cap.total[js]), most)
    return reach


def _service_rows(
    model: MipModel,
    demand: DemandPaths,
    table: ShortfallTable,
    levers: Levers,
    decisions: Sequence[Decision],
    cap: Capacity,
    ub: np.ndarray,
) -> None:
    reach = _reach(decisions, levers, cap, ub, table.max_demand.shape)
    for t, g, need, limit in _service_needs(demand, table, levers):
        if reach[t, g] < need - 1e-6:
            month = demand.month_ends[t + 1].strftime("%B %Y")
            raise ConfigError(
                f"Infeasible service limit: {limit.group} in {month} needs {need} places "
                f"({vocabulary.group(limit.group).lower()}, beyond today's in-house ones) "
                "for at most a "
                f"{limit.max_probability:.0%} chance that a child needs a spot placement "
                f"that month, but the levers can add at most {reach[t, g]:.1f}; relax the "
                "limit (max_probability), start it later (from_month) or raise the lever "
                "caps."
            )
        nz = np.flatnonzero(cap.total[:, t, g] > _EPS)
        model.add_row(nz, cap.total[nz, t, g], ">=", float(need) - 1e-7)


def _service_needs(
    demand: DemandPaths, table: ShortfallTable, levers: Levers
) -> list[tuple[int, int, int, ServiceLimit]]:
    """``(month, group, places needed, limit)`` for each month and group a service limit
    asks new places in (beyond today's in-house ones) on ``demand``'s paths."""
    out = []
    for limit in levers.service_limit:
        g = demand.groups.index(limit.group)
        for t in range(limit.from_month - 1, demand.horizon_months):
            need = table.required_capacity(t, g, limit.max_probability)
            if need > 0:
                out.append((t, g, need, limit))
    return out


def unmet_service(
    demand: DemandPaths, levers: Levers, decisions: Sequence[Decision], values: np.ndarray
) -> dict[str, list[str]]:
    """Where ``values`` of ``decisions`` leave a service limit unmet on ``demand``'s paths:
    the months short (``April 2029``) by group in words (empty: it meets them all)."""
    if not levers.service_limit:
        return {}
    table = shortfall_table(demand.demand)
    cap = Capacity.of(decisions, demand.horizon_months, len(demand.groups))
    places = np.einsum("j,jtg->tg", np.asarray(values, float), cap.total)
    out: dict[str, list[str]] = {}
    for t, g, need, _ in _service_needs(demand, table, levers):
        if places[t, g] < need - 1e-6:
            month = demand.month_ends[t + 1].strftime("%B %Y")
            out.setdefault(vocabulary.group(demand.groups[g]).lower(), []).append(month)
    return out


def _in_force_rows(
    model: MipModel, levers: Levers, decisions: Sequence[Decision], idx: Sequence[int]
) -> None:
    """At most ``max_places`` of each block lever under contract at any time."""
    for b in levers.block:
        js = [j for j in idx if decisions[j].kind == "block" and decisions[j].key == b.name]
        for t in range(decisions[js[0]].fixed_capacity.shape[0] if js else 0):
            live = [j for j in js if decisions[j].fixed_capacity[t].any()]
            if len(live) > 1 and (t == 0 or t % 12 == 0):
                model.add_row(np.array(live), np.ones(len(live)), "<=", b.max_places)


def add_decisions(model: MipModel, decisions: Sequence[Decision], ub: np.ndarray) -> None:
    """One integer variable per decision, the model's first ones, in order, up to ``ub``."""
    assert model.num_vars == 0, "decisions must be the model's first variables"
    for d, u in zip(decisions, ub, strict=True):
        model.add_var(0.0, float(u), True, d.cost_gbp)


def add_structure(
    model: MipModel,
    levers: Levers,
    decisions: Sequence[Decision],
    ub: np.ndarray,
    econ: Economics,
    idx: Sequence[int],
) -> None:
    """Rows linking one authority's decisions ``idx``: fee uplift, block sizes, homes."""
    uplift = next((j for j in idx if decisions[j].kind == "uplift"), None)
    for j in idx:
        d = decisions[j]
        if d.kind == "recruit" and uplift is not None and levers.fee_uplift is not None:
            extra = levers.fee_uplift.extra_households_per_year
            model.add_row(np.array([j, uplift]), np.array([1.0, -extra]), "<=", d.upper)
            per = uplift_cost_per_household(d, levers.fee_uplift.weekly_gbp_per_household, econ)
            v = model.add_var(0.0, None, False, per)
            big = float(ub[j])
            # v >= x - M (1 - w): the uplift is paid on recruits only when adopted.
            model.add_row(np.array([v, j, uplift]), np.array([1.0, -1.0, -big]), ">=", -big)
        elif d.kind == "block":
            b = next(b for b in levers.block if b.name == d.key)
            on = model.add_var(0.0, 1.0, True)
            model.add_row(np.array([j, on]), np.array([1.0, -b.min_places]), ">=", 0.0)
            model.add_row(np.array([j, on]), np.array([1.0, -b.max_places]), "<=", 0.0)
    _in_force_rows(model, levers, decisions, idx)
    homes = [j for j in idx if decisions[j].kind == "home"]
    if homes and levers.home is not None:
        model.add_row(np.array(homes), np.ones(len(homes)), "<=", levers.home.max_homes)


def check_prices(econ: Economics, groups: Sequence[str]) -> None:
    """Refuse levers whose in-house running price is above spot (the model assumes not)."""
    low = np.flatnonzero(econ.spot_weekly_gbp < econ.running_weekly_gbp)
    if len(low):
        names = ", ".join(groups[int(g)] for g in low)
        raise ConfigError(f"Spot is cheaper than in-house running costs for {names}.")


def build_model(
    demand: DemandPaths, levers: Levers, decisions: list[Decision], econ: Economics
) -> MipModel:
    """The MIP; its first ``len(decisions)`` variables are the decisions, in order."""
    check_prices(econ, demand.groups)
    model = MipModel()
    ub = upper_bounds(decisions, levers)
    add_decisions(model, decisions, ub)
    add_structure(model, levers, decisions, ub, econ, range(len(decisions)))
    table = shortfall_table(demand.demand)
    cap = Capacity.of(decisions, demand.horizon_months, len(demand.groups))
    _service_rows(model, demand, table, levers, decisions, cap, ub)
    for t in range(demand.horizon_months):
        w = float(econ.week_weight[t])
        for g in range(len(demand.groups)):
            r, p = float(econ.running_weekly_gbp[g]), float(econ.spot_weekly_gbp[g])
            _cuts(model, table, t, g, cap.fixed[:, t, g], ub, w * r)
            _cuts(model, table, t, g, cap.total[:, t, g], ub, w * (p - r))
    return model
