"""The co-operative's sample-average MIP, solved by adding cuts until it is exact.

With own fixed places ``H_m``, own foster places ``R_m`` and pooled block places ``B``
the expected monthly cost of a group is (see :mod:`~sufficiency.commissioning.pooled_score`)

    (p - r) * psi(H + R, B) + r * psi(H, B),
    psi(a, B) = E[max(0, sum_m max(0, D_m - a_m) - B)].

``psi`` is convex and piecewise linear. Where no block place can reach a month and
group it splits into each member's one-dimensional shortfall function, and where no
member's own place can, it is one function of ``B``: both are modelled exactly by
tangent cuts, as for one authority. Elsewhere it gets an epigraph variable bounded
below by the shortfall of the members' summed demand against all places, and then by
subgradient cuts at each plan the master problem proposes (Kelley's cutting planes),
until the master's cost is within the gap of the best plan's exact cost.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sufficiency.commissioning.backends import MipModel, SolveStatus, solve_mip
from sufficiency.commissioning.decisions import Decision, Economics, drop_idle
from sufficiency.commissioning.levers import Levers
from sufficiency.commissioning.model import (
    _cuts,
    add_decisions,
    add_structure,
    check_prices,
    tangent_rows,
    upper_bounds,
)
from sufficiency.commissioning.pooled_score import score_pooled
from sufficiency.commissioning.shortfall import ShortfallTable, shortfall_table
from sufficiency.config import CommissioningParams
from sufficiency.errors import SolverError

_EPS = 1e-9
#: Cutting-plane rounds before the best plan found is returned as not proven optimal.
MAX_ROUNDS = 200


@dataclass(frozen=True, eq=False)
class PooledInstance:
    """A co-operative's pooled problem: the decisions (each member's own, then the shared
    block contracts), demand ``(members, paths, months, groups)``, the capacity groups,
    each member's own levers, the shared levers and each member's prices."""

    decisions: Sequence[Decision]
    demands: np.ndarray
    groups: Sequence[str]
    levers: Sequence[Levers]
    pooled_levers: Levers
    econ: Sequence[Economics]


@dataclass(frozen=True, eq=False)
class _Cells:
    """The (month, group) terms handled by cutting planes, stacked for fast evaluation.

    ``own[k]`` is ``(members, decisions)``: member capacities ``a = own[k] @ x``;
    ``shared[k] @ x`` is the pooled block capacity ``B``; ``mask[k]`` is 1 for the
    members whose children count in the cell's price level (see :func:`price_levels`).
    """

    t: np.ndarray
    g: np.ndarray
    z: np.ndarray
    own: np.ndarray
    shared: np.ndarray
    mask: np.ndarray


@dataclass(frozen=True, eq=False)
class PooledSolve:
    """The best plan found, its exact in-sample cost, and how far it is proven from optimal."""

    values: np.ndarray
    objective_gbp: float
    bound_gbp: float
    status: SolveStatus
    rounds: int
    runtime_seconds: float
    solver: str

    @property
    def gap(self) -> float:
        """Relative gap between the plan's exact cost and the lower bound."""
        return max(0.0, self.objective_gbp - self.bound_gbp) / max(abs(self.objective_gbp), 1.0)


#: Starting tangents per layer and cell when members' prices differ (at most; spread evenly).
LAYER_TANGENTS = 16

#: Block sizes around the master's, relative, at which cuts are also added.
_B_OFFSETS = (0.0, -4.0, -2.0, -1.0, 1.0, 2.0, 4.0)


def _psi(
    cells: _Cells, demands: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """``psi`` at member capacities ``a`` and block places ``b`` for every cell, and two
    subgradients (per member, and for ``B``).

    At a kink either one-sided slope is a valid subgradient: the first is the slope as
    capacity grows, the second as it shrinks; cutting with both closes the kink at once.
    """
    d = demands[:, :, cells.t, cells.g] * cells.mask.T[:, None, :]  # (members, paths, cells)
    over = d - a.T[:, None, :]
    excess = np.maximum(over, 0.0).sum(axis=0) - b[None, :]  # (paths, cells)
    value = np.maximum(excess, 0.0).mean(axis=0)
    grads = []
    for eps in (_EPS, -_EPS):
        short = excess > eps
        grad_b = -short.mean(axis=0)
        grad_a = -((over > eps) & short[None]).mean(axis=1).T  # (cells, members)
        grads.append((grad_a, grad_b))
    return value, grads


def _add_kelley(
    model: MipModel, cells: _Cells, demands: np.ndarray, x: np.ndarray, z_now: np.ndarray | None
) -> int:
    """Subgradient cuts at ``x`` wherever the epigraph is below ``psi``; how many were added.

    Cuts are also added at the same member capacities with a few more or fewer block
    places: the master then knows ``psi`` along ``B`` near its plan, not just at it.
    """
    a = cells.own @ x  # (cells, members)
    b = cells.shared @ x  # (cells,)
    value, _ = _psi(cells, demands, a, b)
    need = np.ones(len(b), dtype=bool)
    if z_now is not None:
        need = value > z_now + 1e-7 * (1.0 + value)
    if not need.any():
        return 0
    added = 0
    rows: set[tuple[int, tuple[float, ...]]] = set()
    for offset in _B_OFFSETS:
        at = np.maximum(b + offset, 0.0)
        val, grads = _psi(cells, demands, a, at)
        for k in np.flatnonzero(need):
            for grad_a, grad_b in grads:
                coef = -(grad_a[k] @ cells.own[k]) - grad_b[k] * cells.shared[k]
                rhs = val[k] - float(grad_a[k] @ a[k]) - grad_b[k] * at[k]
                key = (int(k), (*np.round(grad_a[k], 12), round(grad_b[k], 12), round(rhs, 6)))
                if key in rows:
                    continue
                rows.add(key)
                nz = np.flatnonzero(np.abs(coef) > _EPS)
                index = np.concatenate([[cells.z[k]], nz])
                model.add_row(index, np.concatenate([[1.0], coef[nz]]), ">=", rhs)
                added += 1
    return added


def price_levels(
    spot: np.ndarray, running: np.ndarray
) -> list[tuple[float, np.ndarray, np.ndarray]]:
    """One group's cost as layers: ``(weight, members, with_recruits)``, cheapest first.

    With prices ``u_1 < u_2 < ...`` (every member's spot and in-house running price in
    the group), the cost of the children left to pay for is
    ``sum_l (u_l - u_(l-1)) * max(0, N_l - B)``, where ``N_l`` counts the children who
    would cost at least ``u_l``: those of the members whose spot price is at least
    ``u_l`` (``members``) beyond their own homes, or beyond their homes and new carers
    where their running price is below ``u_l`` (``with_recruits``). Block places take the
    dearest children first, so each layer is the pooled shortfall ``psi`` over its
    members. With one spot and one running price for all this is
    ``r * psi(H, B) + (p - r) * psi(H + R, B)``.
    """
    levels = sorted({float(v) for v in (*spot, *running)})
    out, below = [], 0.0
    for u in levels:
        out.append((u - below, spot >= u, running < u))
        below = u
    return out


def build_master(inst: PooledInstance) -> tuple[MipModel, _Cells]:
    """The master MIP (decisions first) and its cutting-plane cells."""
    decisions, demands, econ = inst.decisions, inst.demands, inst.econ
    groups, pooled_levers = inst.groups, inst.pooled_levers
    for e in econ:
        check_prices(e, groups)
    num_members, _, months, num_groups = demands.shape
    model = MipModel()
    member = np.array([-1 if d.member is None else d.member for d in decisions])
    ub = np.array(
        [upper_bounds([d], pooled_levers if m < 0 else inst.levers[m])[0]
         for d, m in zip(decisions, member, strict=True)]
    )  # fmt: skip
    add_decisions(model, decisions, ub)
    for m in range(num_members):
        idx = np.flatnonzero(member == m).tolist()
        add_structure(model, inst.levers[m], decisions, ub, econ[m], idx)
    shared_idx = np.flatnonzero(member == -1).tolist()
    add_structure(model, pooled_levers, decisions, ub, econ[0], shared_idx)
    fixed = np.stack([d.fixed_capacity for d in decisions])  # (n, months, groups)
    variable = np.stack([d.variable_capacity for d in decisions])
    own = (member[None, :] == np.arange(num_members)[:, None]).astype(float)  # (members, n)
    shared = (member == -1).astype(float)
    tables = [shortfall_table(demands[m]) for m in range(num_members)]
    totals: dict[tuple[bool, ...], ShortfallTable] = {}
    spot = np.stack([e.spot_weekly_gbp for e in econ])  # (members, groups)
    running = np.stack([e.running_weekly_gbp for e in econ])
    layers = [price_levels(spot[:, g], running[:, g]) for g in range(num_groups)]
    # With the members' own prices a group has up to two layers a member; each layer's
    # starting tangents are then thinned (the cuts still close the gap).
    most = None if max(len(x) for x in layers) <= 2 else LAYER_TANGENTS
    cells: dict[str, list] = {"t": [], "g": [], "z": [], "own": [], "shared": [], "mask": []}
    for t in range(months):
        w = float(econ[0].week_weight[t])
        for g in range(num_groups):
            b = shared * fixed[:, t, g]
            if float(b @ ub) <= _EPS:
                # No block place reaches: each member's own cost at its own prices,
                # r_m * f_m(H_m) + (p_m - r_m) * f_m(H_m + R_m), as for one authority.
                with_recruits = fixed[:, t, g] + variable[:, t, g]
                terms = ((fixed[:, t, g], running[:, g]),
                         (with_recruits, spot[:, g] - running[:, g]))  # fmt: skip
                for cap, price in terms:
                    for k in range(num_members):
                        _cuts(model, tables[k], t, g, own[k] * cap, ub, w * float(price[k]))
                continue
            for weight, members, with_recruits in layers[g]:
                if weight == 0.0:
                    continue
                cap = np.where(
                    with_recruits[:, None], fixed[:, t, g] + variable[:, t, g], fixed[:, t, g]
                )
                a = own * cap * members[:, None]
                key = tuple(bool(x) for x in members)
                if key not in totals:
                    totals[key] = shortfall_table(demands[members].sum(axis=0))
                reach_a = a @ ub
                if (reach_a <= _EPS).all():
                    _cuts(model, totals[key], t, g, b, ub, w * weight)
                else:
                    z = model.add_var(0.0, None, False, w * weight)
                    tangent_rows(model, z, totals[key], t, g, a.sum(axis=0) + b, ub, most)
                    for name, v in (
                        ("t", t),
                        ("g", g),
                        ("z", z),
                        ("own", a),
                        ("shared", b),
                        ("mask", members.astype(float)),
                    ):
                        cells[name].append(v)
    n = len(decisions)
    stacked = _Cells(
        np.array(cells["t"], dtype=np.int64),
        np.array(cells["g"], dtype=np.int64),
        np.array(cells["z"], dtype=np.int64),
        np.array(cells["own"]).reshape(-1, num_members, n),
        np.array(cells["shared"]).reshape(-1, n),
        np.array(cells["mask"]).reshape(-1, num_members),
    )
    return model, stacked


def solve_pooled(
    inst: PooledInstance, params: CommissioningParams, starts: Sequence[np.ndarray] = ()
) -> PooledSolve:
    """Cutting planes from the plans ``starts`` (and no commitments) until within the gap.

    Stops when the best plan's exact cost is within ``params.pooled_gap`` (relative) of
    the master's lower bound (status ``optimal``), or after :data:`MAX_ROUNDS` rounds or
    ``params.time_limit_seconds`` in all, returning the best plan found (``feasible``
    or ``time_limit``). Early rounds solve the master to a looser gap (a tenth of the
    gap still open, at most 0.1%), which is all a cut needs.
    """
    started = time.perf_counter()
    decisions, demands, groups, levers, econ = (
        inst.decisions, inst.demands, inst.groups, inst.levers, inst.econ
    )  # fmt: skip
    model, cells = build_master(inst)
    n = len(decisions)

    def exact(x: np.ndarray) -> float:
        score, _ = score_pooled(decisions, x, demands, groups, levers, econ)
        return score.expected_cost_gbp

    best, best_cost = np.zeros(n), exact(np.zeros(n))
    for x in starts:
        cost = exact(x)
        if cost < best_cost:
            best, best_cost = np.asarray(x, float), cost
    for x in (np.zeros(n), *starts):
        _add_kelley(model, cells, demands, np.asarray(x, float), None)
    tol = max(params.pooled_gap, params.mip_gap)
    bound, status, rounds = -np.inf, SolveStatus.FEASIBLE, 0
    solver: str = params.solver
    while rounds < MAX_ROUNDS:
        left = params.time_limit_seconds - (time.perf_counter() - started)
        if left <= 0:
            status = SolveStatus.TIME_LIMIT
            break
        open_gap = (best_cost - bound) / max(abs(best_cost), 1.0)
        gap = max(params.mip_gap, min(1e-3, 0.1 * open_gap))
        out = solve_mip(model, params.solver, left, gap)
        rounds += 1
        solver = out.solver
        if out.bound is not None:
            # the master is a relaxation: its proven bound bounds the pooled cost too
            bound = max(bound, out.bound)
        if out.values is None or out.objective is None:
            if out.status is SolveStatus.INFEASIBLE:
                raise SolverError("No pooled commissioning plan meets every constraint.")
            if out.status is SolveStatus.TIME_LIMIT:
                # stopped before the master held a plan: the best plan so far stands
                status = out.status
                break
            raise SolverError(f"The {out.solver} solver found no pooled plan ({out.status}).")
        x = out.values[:n]
        cost = exact(x)
        if cost < best_cost:
            best, best_cost = x, cost
        if out.status is not SolveStatus.OPTIMAL:
            status = out.status
            break
        # Solved to a relative gap, the master's bound is at least this.
        bound = max(bound, out.objective - gap * abs(out.objective))
        if best_cost - bound <= tol * abs(best_cost) + 1e-6:
            status = SolveStatus.OPTIMAL
            break
        if _add_kelley(model, cells, demands, x, out.values[cells.z]) == 0 and gap <= tol + 1e-9:
            status = SolveStatus.OPTIMAL  # every cut holds: the master is exact at x
            break
    if status is not SolveStatus.OPTIMAL:
        # stopped before proof: places that would meet no child are dropped
        kept = drop_idle(decisions, np.rint(best).astype(np.int64), demands, groups)
        if (kept != np.rint(best)).any() and (cost := exact(kept)) < best_cost:
            best, best_cost = kept.astype(float), cost
    runtime = time.perf_counter() - started
    values = np.rint(best).astype(np.int64)
    return PooledSolve(values, best_cost, bound, status, rounds, runtime, solver)
