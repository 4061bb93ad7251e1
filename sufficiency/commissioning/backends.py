"""Solver backends behind one interface: PuLP driving HiGHS (default) or CBC.

The formulation (:mod:`~sufficiency.commissioning.model`) never imports a solver; each
backend maps its solver's outcome onto :class:`SolveStatus`.
"""

from __future__ import annotations

import importlib.util
import time
import warnings
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from sufficiency.errors import SolverError

BACKENDS = ("highs", "cbc")


class SolveStatus(StrEnum):
    """Outcome of a solve, whichever solver ran.

    ``optimal``: proven optimal within the gap; ``feasible``: a plan, not proven
    optimal; ``time_limit``: the limit was reached; ``infeasible``: no plan exists;
    ``unknown``: anything else.
    """

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"
    UNKNOWN = "unknown"


@dataclass
class MipModel:
    """A solver-neutral MIP: ``min c.x + constant`` subject to rows ``a.x (>=|<=|==) b``."""

    lower: list[float] = field(default_factory=list)
    upper: list[float | None] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    objective: list[float] = field(default_factory=list)
    rows: list[tuple[np.ndarray, np.ndarray, str, float]] = field(default_factory=list)
    constant: float = 0.0

    @property
    def num_vars(self) -> int:
        """Number of variables."""
        return len(self.lower)

    def add_var(self, lower: float, upper: float | None, integer: bool, cost: float = 0.0) -> int:
        """Add a variable; return its index."""
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        self.objective.append(cost)
        return len(self.lower) - 1

    def add_row(self, index: np.ndarray, coef: np.ndarray, sense: str, rhs: float) -> None:
        """Add ``sum coef * x[index] sense rhs``; ``sense`` is ``>=``, ``<=`` or ``==``."""
        self.rows.append((np.asarray(index, dtype=np.int64), np.asarray(coef, float), sense, rhs))


@dataclass(frozen=True, eq=False)
class MipOutcome:
    """A backend's answer: normalised status, values, objective (with constant), time."""

    status: SolveStatus
    values: np.ndarray | None
    objective: float | None
    runtime_seconds: float
    solver: str


def available_backends() -> tuple[str, ...]:
    """Backends whose solver packages are installed."""
    if importlib.util.find_spec("pulp") is None:
        return ()
    have_highs = importlib.util.find_spec("highspy") is not None
    return tuple(b for b in BACKENDS if b == "cbc" or have_highs)


def solve_mip(
    model: MipModel, solver: str, time_limit_seconds: float, mip_gap: float
) -> MipOutcome:
    """Solve ``model`` with PuLP and the named solver."""
    if solver not in BACKENDS:
        raise SolverError(f"Unknown solver {solver!r}; choose one of {', '.join(BACKENDS)}.")
    if solver not in available_backends():
        raise SolverError(f"The {solver} solver is not installed.")
    import pulp

    started = time.perf_counter()
    prob = pulp.LpProblem("commissioning", pulp.LpMinimize)
    xs = [
        prob.add_variable(
            f"x{i}", lowBound=lo, upBound=hi, cat=pulp.LpInteger if integ else pulp.LpContinuous
        )
        for i, (lo, hi, integ) in enumerate(
            zip(model.lower, model.upper, model.integer, strict=True)
        )
    ]
    prob += (
        pulp.LpAffineExpression([(xs[i], c) for i, c in enumerate(model.objective) if c != 0.0])
        + model.constant
    )
    senses = {">=": pulp.LpConstraintGE, "<=": pulp.LpConstraintLE, "==": pulp.LpConstraintEQ}
    for k, (idx, coef, sense, rhs) in enumerate(model.rows):
        expr = pulp.LpAffineExpression([(xs[i], float(c)) for i, c in zip(idx, coef, strict=True)])
        prob.addConstraint(pulp.LpConstraint(expr, senses[sense], f"r{k}", rhs))
    if solver == "highs":
        engine = pulp.HiGHS(msg=False, timeLimit=time_limit_seconds, gapRel=mip_gap, threads=1)
    else:
        with warnings.catch_warnings():  # PuLP 3 deprecates its bundled CBC, still shipped
            warnings.simplefilter("ignore", DeprecationWarning)
            engine = pulp.PULP_CBC_CMD(
                msg=False, timeLimit=time_limit_seconds, gapRel=mip_gap, threads=1
            )
    try:
        prob.solve(engine)
    except pulp.PulpSolverError as exc:
        raise SolverError(f"The {solver} solver failed: {exc}") from None
    runtime = time.perf_counter() - started
    status = _status(int(prob.sol_status), runtime >= 0.98 * time_limit_seconds)
    if status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE, SolveStatus.TIME_LIMIT):
        raw = np.array([v.value() if v.value() is not None else np.nan for v in xs], float)
        if np.isnan(raw).any():
            return MipOutcome(status, None, None, runtime, solver)
        ints = np.array(model.integer)
        raw[ints] = np.rint(raw[ints])
        objective = float(np.dot(model.objective, raw) + model.constant)
        return MipOutcome(status, raw, objective, runtime, solver)
    return MipOutcome(status, None, None, runtime, solver)


def _status(sol_status: int, hit_limit: bool) -> SolveStatus:
    if sol_status == 1:
        return SolveStatus.OPTIMAL
    if sol_status == 2:
        return SolveStatus.TIME_LIMIT if hit_limit else SolveStatus.FEASIBLE
    if sol_status == -1:
        return SolveStatus.INFEASIBLE
    if sol_status == 0 and hit_limit:
        return SolveStatus.TIME_LIMIT
    return SolveStatus.UNKNOWN
