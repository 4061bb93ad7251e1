"""``optimise``: the plan that minimises expected cost over the demand paths."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.commissioning.backends import SolveStatus, solve_mip
from sufficiency.commissioning.decisions import (
    Decision,
    build_decisions,
    commitment_costs,
    economics,
)
from sufficiency.commissioning.demand import DemandPaths
from sufficiency.commissioning.levers import Levers
from sufficiency.commissioning.model import build_model
from sufficiency.config import CommissioningParams
from sufficiency.errors import ConfigError, SolverError
from sufficiency.prices import DEFAULT_RISE, PriceRise


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
    """

    decisions: tuple[Decision, ...]
    values: np.ndarray
    status: SolveStatus
    objective_gbp: float
    name: str
    solver: str = ""
    runtime_seconds: float = 0.0

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
        raise SolverError(f"The {out.solver} solver found no plan (status {out.status}).")
    values = np.rint(out.values[: len(decisions)]).astype(np.int64)
    return Plan(
        tuple(decisions), values, out.status, out.objective, name, out.solver, out.runtime_seconds
    )


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
