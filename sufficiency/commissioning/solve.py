"""``optimise``: the plan that minimises expected cost over the demand paths."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sufficiency import vocabulary
from sufficiency.commissioning.backends import SolveStatus, solve_mip
from sufficiency.commissioning.decisions import (
    Decision,
    build_decisions,
    commitment_costs,
    drop_idle,
    economics,
)
from sufficiency.commissioning.demand import DemandPaths
from sufficiency.commissioning.evaluate import evaluate_plan
from sufficiency.commissioning.levers import Levers
from sufficiency.commissioning.model import build_model
from sufficiency.config import CommissioningParams
from sufficiency.errors import ConfigError, SolverError
from sufficiency.prices import DEFAULT_RISE, PriceRise

#: A plan's name as the case says it.
PLAN_WORDS = {
    "stochastic": "recommended plan",
    "central forecast": "plan made on the central forecast alone",
    "sensitivity": "plan re-made for this case",
}


@dataclass(frozen=True, eq=False)
class Plan:
    """Integer commitments per lever and plan year, and how they were found.

    Attributes
    ----------
    decisions
        Every commitment the plan could make, in a stable order.
    values
        The chosen number of each (households, places, homes; 0/1 for the uplift).
    status
        Normalised solver status (``optimal`` for a status-quo plan).
    objective_gbp
        Expected cost on the paths optimised on (``nan`` if not optimised).
    name
        Short label (``stochastic``, ``central``, ``status quo``).
    bound_gbp
        The solver's proven lower bound on the expected cost (``nan``: none reported).
    kept_nothing
        The solver stopped on a plan dearer than no new commitments, so none are made.
    """

    decisions: tuple[Decision, ...]
    values: np.ndarray
    status: SolveStatus
    objective_gbp: float
    name: str
    solver: str = ""
    runtime_seconds: float = 0.0
    bound_gbp: float = float("nan")
    kept_nothing: bool = False

    @property
    def gap(self) -> float:
        """Relative gap between the plan's expected cost and the proven lower bound
        (``nan`` when the solver reported no bound)."""
        if not np.isfinite(self.bound_gbp) or not np.isfinite(self.objective_gbp):
            return float("nan")
        return max(0.0, self.objective_gbp - self.bound_gbp) / max(abs(self.objective_gbp), 1.0)

    def proof(self) -> str:
        """How close an optimised plan is proven to the cheapest, in a sentence; ``""``
        when it is proven (or not optimised: the status quo)."""
        if self.status is SolveStatus.OPTIMAL:
            return ""
        stopped = (
            "reached its time limit ([commissioning] time_limit_seconds)"
            if self.status is SolveStatus.TIME_LIMIT
            else f"stopped before proving it ({vocabulary.status(str(self.status)).lower()})"
        )
        gap = self.gap
        bound = (
            f"a plan {_up_to(gap)} cheaper may exist on the demand paths it was made on"
            if np.isfinite(gap)
            else "the solver gives no bound on how much cheaper a plan could be"
        )
        nothing = (
            " The plan the solver stopped on cost more than making no new commitments, so "
            "none are made."
            if self.kept_nothing
            else ""
        )
        return (
            f"The {PLAN_WORDS.get(self.name, f'{self.name} plan')} is not proven the cheapest: "
            f"the {self.solver} solver {stopped} after {self.runtime_seconds:.0f} s; {bound}."
            f"{nothing} A longer time limit may find a cheaper plan."
        )

    def table(self, start: pd.Timestamp) -> pd.DataFrame:
        """Non-zero commitments: ``lever, year, starts, commitment, cost_gbp``.

        ``cost_gbp`` is the commitment's cost over the horizon; an adopted fee uplift's
        includes the uplift paid on the households recruited under it.
        """
        rows = []
        costs = commitment_costs(self.decisions, self.values)
        for d, v, cost in zip(self.decisions, self.values, costs, strict=True):
            if v > 0:
                begin = (start + pd.offsets.MonthBegin(1)) + pd.DateOffset(years=d.year)
                rows.append(
                    {
                        "lever": d.lever,
                        "year": d.year + 1,
                        "starts": begin.strftime("%Y-%m-%d"),
                        "commitment": int(v),
                        "cost_gbp": round(float(cost), 2),
                    }
                )
        cols = ["lever", "year", "starts", "commitment", "cost_gbp"]
        return pd.DataFrame(rows, columns=cols)

    @property
    def num_commitments(self) -> int:
        """Total units committed."""
        return int(np.sum(self.values))


def _up_to(gap: float) -> str:
    """``up to 3.20%``; a gap that rounds to 0.00% is ``less than 0.01%`` (not ``up to
    0.00%``, which reads as proven)."""
    return f"up to {gap:.2%}" if gap >= 0.00005 else "less than 0.01%"


def _check_horizon(demand: DemandPaths, params: CommissioningParams) -> None:
    if params.horizon_months > demand.horizon_months:
        raise ConfigError(
            f"The commissioning horizon ({params.horizon_months} months) is longer than the "
            f"demand paths ({demand.horizon_months} months); shorten --horizon-months."
        )


def setup(
    demand: DemandPaths,
    levers: Levers,
    params: CommissioningParams,
    prices: PriceRise,
    recruitment_success: float = 1.0,
) -> tuple[DemandPaths, list[Decision]]:
    """Demand cut to the horizon and the candidate decisions."""
    _check_horizon(demand, params)
    h = params.horizon_months
    cut = DemandPaths(
        demand.month_ends[: h + 1],
        demand.groups,
        demand.demand[:, :h],
        demand.existing_in_house,
        demand.seed,
    )
    econ = economics(levers, cut.groups, cut.month_ends, prices)
    return cut, build_decisions(levers, cut.groups, econ, recruitment_success)


def optimise(
    demand: DemandPaths,
    levers: Levers,
    params: CommissioningParams,
    *,
    prices: PriceRise = DEFAULT_RISE,
    recruitment_success: float = 1.0,
    name: str = "stochastic",
) -> Plan:
    """Minimise expected total cost over ``demand``'s paths (sample average approximation).

    Raises
    ------
    ConfigError
        A service limit cannot be met by the levers, or the horizon is too long.
    SolverError
        The solver fails, finds no plan, or is not installed.
    """
    cut, decisions = setup(demand, levers, params, prices, recruitment_success)
    econ = economics(levers, cut.groups, cut.month_ends, prices)
    model = build_model(cut, levers, decisions, econ)
    out = solve_mip(model, params.solver, params.time_limit_seconds, params.mip_gap)
    if out.values is None or out.objective is None:
        if out.status is SolveStatus.INFEASIBLE:
            raise SolverError("No commissioning plan meets every constraint (infeasible).")
        if out.status is SolveStatus.TIME_LIMIT:
            raise SolverError(
                f"The {out.solver} solver found no plan within the time limit "
                f"({params.time_limit_seconds:g} s): raise [commissioning] time_limit_seconds "
                "in the configuration file (--config)."
            )
        raise SolverError(f"The {out.solver} solver found no plan (status {out.status}).")
    values = np.rint(out.values[: len(decisions)]).astype(np.int64)
    bound = np.nan if out.bound is None else out.bound
    plan = Plan(tuple(decisions), values, out.status, out.objective, name, out.solver,
                out.runtime_seconds, bound)  # fmt: skip
    if out.status is SolveStatus.OPTIMAL or levers.service_limit:
        return plan
    # Stopped before proof: never hand over places that would meet no child, nor a plan
    # dearer than making no new commitments (allowed when no service limit asks for
    # places), on the paths it was made on.
    plan = replace(plan, values=drop_idle(decisions, values, cut.demand[None], cut.groups))
    cost = evaluate_plan(plan, cut, levers, prices=prices).expected_cost_gbp
    nothing = replace(plan, values=np.zeros_like(values))
    nothing_cost = evaluate_plan(nothing, cut, levers, prices=prices).expected_cost_gbp
    if nothing_cost < cost:
        return replace(nothing, objective_gbp=nothing_cost, kept_nothing=True)
    return replace(plan, objective_gbp=cost)


def status_quo_plan(
    demand: DemandPaths,
    levers: Levers,
    params: CommissioningParams,
    *,
    prices: PriceRise = DEFAULT_RISE,
) -> Plan:
    """No new commitments: every extra child is placed spot."""
    _, decisions = setup(demand, levers, params, prices)
    zeros = np.zeros(len(decisions), dtype=np.int64)
    return Plan(tuple(decisions), zeros, SolveStatus.OPTIMAL, float("nan"), "status quo")
