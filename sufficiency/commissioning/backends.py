"""Solver backends behind one interface, as for matching: ``highs`` (default) and ``cbc``
through PuLP, ``ortools`` (SCIP through OR-Tools' ``pywraplp``).

The formulation (:mod:`~sufficiency.commissioning.model`) never imports a solver; each
backend maps its solver's outcome onto :class:`SolveStatus`. OR-Tools and ``highspy``
ship separate copies of HiGHS; matching has seen them clash in one process, so when the
other native library is already loaded the solve runs in a fresh worker process
(:mod:`~sufficiency.solver_worker`; same model, same answer).
"""

from __future__ import annotations

import importlib.util
import sys
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from sufficiency import highs_banner
from sufficiency.errors import SolverError
from sufficiency.solver_status import MipOutcome, SolveStatus
from sufficiency.solver_worker import run_isolated

BACKENDS = ("highs", "cbc", "ortools")
#: HiGHS's primal solution status when it holds a feasible plan (``kSolutionStatusFeasible``).
_HIGHS_FEASIBLE = 2
_ORTOOLS_NATIVE = (
    "ortools.linear_solver._pywraplp",
    "ortools.sat.python.cp_model_helper",
    "ortools.linear_solver.python.model_builder_helper",
)


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


def available_backends() -> tuple[str, ...]:
    """Backends whose solver packages are installed."""
    have_pulp = importlib.util.find_spec("pulp") is not None
    ok = {
        "highs": have_pulp and importlib.util.find_spec("highspy") is not None,
        "cbc": have_pulp,
        "ortools": importlib.util.find_spec("ortools") is not None,
    }
    return tuple(b for b in BACKENDS if ok[b])


def solve_mip(
    model: MipModel, solver: str, time_limit_seconds: float, mip_gap: float
) -> MipOutcome:
    """Solve ``model`` with the named backend (in a worker process if the libraries clash)."""
    if solver not in BACKENDS:
        raise SolverError(f"Unknown solver {solver!r}; choose one of {', '.join(BACKENDS)}.")
    if solver not in available_backends():
        raise SolverError(f"The {solver} solver is not installed.")
    args = (model, solver, time_limit_seconds, mip_gap)
    if not _needs_isolation(solver):
        return _solve_here(*args)
    return run_isolated(solver, _solve_here, *args)  # type: ignore[no-any-return]


def _needs_isolation(solver: str) -> bool:
    if solver == "ortools":
        return "highspy._core" in sys.modules
    # PuLP runs CBC as a separate program; only HiGHS is loaded into this process.
    return solver == "highs" and any(m in sys.modules for m in _ORTOOLS_NATIVE)


def _solve_here(
    model: MipModel, solver: str, time_limit_seconds: float, mip_gap: float
) -> MipOutcome:
    if solver == "ortools":
        return _solve_ortools(model, time_limit_seconds, mip_gap)
    return _solve_pulp(model, solver, time_limit_seconds, mip_gap)


def _outcome(
    model: MipModel,
    status: SolveStatus,
    raw: np.ndarray | None,
    runtime: float,
    solver: str,
    bound: float | None = None,
) -> MipOutcome:
    """Round integer values and recompute the objective (the same way for every solver).

    ``raw`` is ``None`` when the solver holds no plan (stopped before finding one);
    ``bound`` is its proven lower bound on the objective without ``model.constant``.
    """
    bound = None if bound is None or not np.isfinite(bound) else bound + model.constant
    if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE, SolveStatus.TIME_LIMIT):
        return MipOutcome(status, None, None, bound, runtime, solver)
    if raw is None or np.isnan(raw).any():
        return MipOutcome(status, None, None, bound, runtime, solver)
    ints = np.array(model.integer, dtype=bool)
    raw = raw.copy()
    raw[ints] = np.rint(raw[ints])
    objective = float(np.dot(model.objective, raw) + model.constant)
    return MipOutcome(status, raw, objective, bound, runtime, solver)


def _solve_ortools(model: MipModel, time_limit_seconds: float, mip_gap: float) -> MipOutcome:
    from ortools.linear_solver import pywraplp

    started = time.perf_counter()
    prob = pywraplp.Solver.CreateSolver("SCIP")
    if prob is None:
        raise SolverError("OR-Tools was built without the SCIP solver.")
    inf = prob.infinity()
    xs = [
        prob.Var(lo, inf if hi is None else hi, integ, f"x{i}")
        for i, (lo, hi, integ) in enumerate(
            zip(model.lower, model.upper, model.integer, strict=True)
        )
    ]
    for idx, coef, sense, rhs in model.rows:
        lo = -inf if sense == "<=" else rhs
        hi = inf if sense == ">=" else rhs
        ct = prob.Constraint(lo, hi)
        for i, c in zip(idx.tolist(), coef.tolist(), strict=True):
            ct.SetCoefficient(xs[i], c)
    objective = prob.Objective()
    for i, c in enumerate(model.objective):
        if c != 0.0:
            objective.SetCoefficient(xs[i], c)
    objective.SetMinimization()
    prob.SetTimeLimit(int(max(time_limit_seconds, 0.001) * 1000))
    prob.SetNumThreads(1)
    opts = pywraplp.MPSolverParameters()
    opts.SetDoubleParam(opts.RELATIVE_MIP_GAP, mip_gap)
    code = prob.Solve(opts)
    runtime = time.perf_counter() - started
    hit_limit = runtime >= 0.98 * time_limit_seconds
    if code == pywraplp.Solver.OPTIMAL:
        status = SolveStatus.OPTIMAL
    elif code == pywraplp.Solver.INFEASIBLE:
        status = SolveStatus.INFEASIBLE
    elif code == pywraplp.Solver.FEASIBLE:
        status = SolveStatus.TIME_LIMIT if hit_limit else SolveStatus.FEASIBLE
    elif hit_limit:
        status = SolveStatus.TIME_LIMIT
    else:
        status = SolveStatus.UNKNOWN
    has = code in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE)
    raw = np.array([v.solution_value() for v in xs], float) if has else None
    bound = objective.BestBound() if has else None
    return _outcome(model, status, raw, runtime, "ortools-scip", bound)


def _solve_pulp(
    model: MipModel, solver: str, time_limit_seconds: float, mip_gap: float
) -> MipOutcome:
    """Solve ``model`` with PuLP and the named solver."""
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
        highs_banner.silence()
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
    has, bound = _pulp_solution(prob, solver)
    raw = np.array([v.value() if v.value() is not None else np.nan for v in xs], float)
    return _outcome(model, status, raw if has else None, runtime, solver, bound)


def _pulp_solution(prob: object, solver: str) -> tuple[bool, float | None]:
    """Whether PuLP's solver holds a plan, and its proven lower bound (HiGHS only).

    PuLP fills in values without a plan: for CBC stopped on time before finding one, its
    solution status is "no solution found" with the values of a relaxation; for HiGHS at
    its time limit PuLP says "integer feasible" whatever HiGHS holds, and the values are
    zeros. Taken as a plan, either broke the levers' own rules (15 places of a block whose
    minimum is 400) or said that no lever was worth buying.
    """
    if solver == "highs":
        info = prob.solverModel.getInfo()  # type: ignore[attr-defined]
        return int(info.primal_solution_status) == _HIGHS_FEASIBLE, float(info.mip_dual_bound)
    return int(prob.sol_status) in (1, 2), None  # type: ignore[attr-defined]


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
