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
from sufficiency.commissioning.model import build_model, unmet_service
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
    kept
        What was done with a plan already made that could be kept in the solver's stead
        (``optimise``'s ``start``), in a sentence: kept, because the solver found none or
        one dearer; or not kept though cheaper, because it misses a service limit here.
        ``""``: the solver's plan is no dearer than it (or there was none to weigh).
    kept_start
        The commitments are that plan's, kept (``name`` is still the solve's).
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
    kept: str = ""
    kept_start: bool = False

    @property
    def gap(self) -> float:
        """Relative gap between the plan's expected cost and the proven lower bound
        (``nan`` when the solver reported no bound)."""
        if not np.isfinite(self.bound_gbp) or not np.isfinite(self.objective_gbp):
            return float("nan")
        return max(0.0, self.objective_gbp - self.bound_gbp) / max(abs(self.objective_gbp), 1.0)

    def proof(self) -> str:
        """How close an optimised plan is proven to the cheapest, in a sentence; ``""``
        when it is proven (or not optimised: the status quo). A plan kept in the solver's
        stead says so first (:attr:`kept`)."""
        if self.status is SolveStatus.OPTIMAL:
            return ""
        stopped = (
            "reached its time limit ([commissioning] time_limit_seconds)"
            if self.status is SolveStatus.TIME_LIMIT
            else f"stopped before proving it ({vocabulary.status(str(self.status)).lower()})"
        )
        gap = self.gap
        paths = "this case's demand paths" if self.kept_start else "the demand paths it was made on"
        bound = (
            f"a plan {_up_to(gap)} cheaper may exist on {paths}"
            if np.isfinite(gap)
            else "the solver gives no bound on how much cheaper a plan could be"
        )
        nothing = (
            " The plan the solver stopped on cost more than making no new commitments, so "
            "none are made."
            if self.kept_nothing
            else ""
        )
        kept = f"{self.kept} " if self.kept else ""
        which = (
            "It is not proven the cheapest for this case"
            if self.kept_start
            else f"The {PLAN_WORDS.get(self.name, f'{self.name} plan')} is not proven the cheapest"
        )
        return (
            f"{kept}{which}: the {self.solver} solver {stopped} after "
            f"{self.runtime_seconds:.0f} s; {bound}.{nothing} A longer time limit may find a "
            "cheaper plan."
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
    start: Plan | None = None,
) -> Plan:
    """Minimise expected total cost over ``demand``'s paths (sample average approximation).

    ``start`` is a plan already made on the same levers (the recommended plan, for a
    sensitivity case): where it meets every service limit on ``demand``'s paths and the
    solver stops on a dearer plan there, or on none, its commitments are kept instead
    (:attr:`Plan.kept` says so; the solver's bound still holds), so the plan returned is
    never dearer than it; nor, with no service limit, than no new commitments.

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
    bound = np.nan if out.bound is None else out.bound
    none = out.values is None or out.objective is None
    feasible = out.status is not SolveStatus.INFEASIBLE
    if none and start is not None and feasible and not _unmet(start, cut, levers, decisions):
        # the solver found no plan: keep start's
        kept = Plan(tuple(decisions), start.values.copy(), out.status, float("nan"), name,
                    out.solver, out.runtime_seconds, bound)  # fmt: skip
        cost = evaluate_plan(kept, cut, levers, prices=prices).expected_cost_gbp
        words = PLAN_WORDS.get(start.name, f"{start.name} plan")
        nothing = replace(kept, values=np.zeros_like(kept.values))
        nothing_cost = evaluate_plan(nothing, cut, levers, prices=prices).expected_cost_gbp
        if not levers.service_limit and nothing_cost < cost:  # as for a plan stopped on
            said = (
                f"The solver found no plan, and the {words} would cost more on this "
                "case's demand paths than making no new commitments, so none are made."
            )
            return replace(nothing, objective_gbp=nothing_cost, kept=said)
        said = f"The solver found no plan, so the {words} is kept for this case."
        return replace(kept, objective_gbp=cost, kept=said, kept_start=True)
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
    plan = Plan(tuple(decisions), values, out.status, out.objective, name, out.solver,
                out.runtime_seconds, bound)  # fmt: skip
    if out.status is not SolveStatus.OPTIMAL and not levers.service_limit:
        plan = _no_idle_places(plan, cut, levers, prices)
    return plan if start is None else _no_dearer_than(plan, start, cut, levers, prices)


def _no_idle_places(plan: Plan, cut: DemandPaths, levers: Levers, prices: PriceRise) -> Plan:
    """A plan the solver stopped on before proof, without places that would meet no child,
    and no commitments at all if it is dearer than none on the paths it was made on
    (allowed when no service limit asks for places)."""
    values = drop_idle(list(plan.decisions), plan.values, cut.demand[None], cut.groups)
    plan = replace(plan, values=values)
    cost = evaluate_plan(plan, cut, levers, prices=prices).expected_cost_gbp
    nothing = replace(plan, values=np.zeros_like(values))
    nothing_cost = evaluate_plan(nothing, cut, levers, prices=prices).expected_cost_gbp
    if nothing_cost < cost:
        return replace(nothing, objective_gbp=nothing_cost, kept_nothing=True)
    return replace(plan, objective_gbp=cost)


def _unmet(
    start: Plan, cut: DemandPaths, levers: Levers, decisions: list[Decision]
) -> dict[str, list[str]]:
    """Where ``start``'s commitments, on the case's ``decisions``, miss a service limit:
    the months by group (:func:`~sufficiency.commissioning.model.unmet_service`)."""
    same = [(d.kind, d.key, d.year) for d in decisions]
    if same != [(d.kind, d.key, d.year) for d in start.decisions]:
        raise ValueError("a starting plan must be made on the same levers and horizon")
    return unmet_service(cut, levers, decisions, start.values)


def _no_dearer_than(
    plan: Plan, start: Plan, cut: DemandPaths, levers: Levers, prices: PriceRise
) -> Plan:
    """``plan``, or ``start``'s commitments where they are cheaper on the paths ``plan`` was
    made on and meet every service limit there (said in :attr:`Plan.kept` either way)."""
    decisions = list(plan.decisions)
    other = replace(plan, values=start.values.copy(), kept_nothing=False)
    cost = evaluate_plan(plan, cut, levers, prices=prices).expected_cost_gbp
    other_cost = evaluate_plan(other, cut, levers, prices=prices).expected_cost_gbp
    if not other_cost < cost - 1e-9 * max(abs(cost), 1.0):  # no dearer: float noise aside
        return plan
    words = PLAN_WORDS.get(start.name, f"{start.name} plan")
    if unmet := _unmet(start, cut, levers, decisions):
        where = "; ".join(
            f"{group} in "
            + vocabulary.listed(
                months if len(months) <= 3
                else [*months[:3], vocabulary.counted(len(months) - 3, "more month")]
            )
            for group, months in unmet.items()
        )  # fmt: skip
        said = (
            f"The {words} would cost less in this case but is not kept: it would not meet "
            f"the service limits there ({where})."
        )
        return replace(plan, kept=said)
    said = (
        f"The plan the solver found for this case would cost more on its demand paths than "
        f"the {words}, so the {words} is kept for this case."
    )
    return replace(other, objective_gbp=other_cost, kept=said, kept_start=True)


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
