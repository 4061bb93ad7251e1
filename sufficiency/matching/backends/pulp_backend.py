"""PuLP backends: HiGHS and CBC; LP relaxations by HiGHS directly (:mod:`.highs_backend`)."""

from __future__ import annotations

import time
import warnings

import numpy as np

from sufficiency.errors import SolverError
from sufficiency.matching.backends.base import LpOutcome, MipOutcome, SolveOptions, SolveStatus
from sufficiency.matching.formulation import LinearModel


def _pulp_model(model: LinearModel) -> tuple[object, list]:
    import pulp

    prob = pulp.LpProblem("matching", pulp.LpMinimize)
    xs = [
        prob.add_variable(
            f"v{j}",
            lowBound=float(lo),
            upBound=float(hi) if np.isfinite(hi) else None,
            cat=pulp.LpInteger if isint else pulp.LpContinuous,
        )
        for j, (lo, hi, isint) in enumerate(zip(model.lb, model.ub, model.integer, strict=True))
    ]
    nz = np.nonzero(model.obj)[0]
    prob += pulp.LpAffineExpression([(xs[j], float(model.obj[j])) for j in nz])
    starts, cols, vals = model.csr()
    for i in range(model.num_rows):
        expr = pulp.LpAffineExpression(
            [
                (xs[j], float(v))
                for j, v in zip(
                    cols[starts[i] : starts[i + 1]], vals[starts[i] : starts[i + 1]], strict=True
                )
            ]
        )
        lo, hi = model.row_lb[i], model.row_ub[i]
        if lo == hi:
            prob += pulp.LpConstraint(expr, pulp.LpConstraintEQ, f"r{i}", float(lo))
        else:
            if np.isfinite(hi):
                prob += pulp.LpConstraint(expr, pulp.LpConstraintLE, f"r{i}u", float(hi))
            if np.isfinite(lo):
                prob += pulp.LpConstraint(expr, pulp.LpConstraintGE, f"r{i}l", float(lo))
    return prob, xs


def solve_mip(model: LinearModel, options: SolveOptions, engine: str) -> MipOutcome:
    """Solve the MIP with PuLP driving ``engine`` ("highs" or "cbc")."""
    import pulp

    t0 = time.perf_counter()
    prob, xs = _pulp_model(model)
    if engine == "highs":
        if not pulp.HiGHS().available():
            raise SolverError("HiGHS is not available to PuLP in this process.")
        solver = pulp.HiGHS(
            msg=False, timeLimit=options.time_limit_seconds, gapRel=options.mip_gap, threads=1
        )
    else:
        with warnings.catch_warnings():  # PuLP 3 deprecates the bundled CBC, still shipped
            warnings.simplefilter("ignore", DeprecationWarning)
            solver = pulp.PULP_CBC_CMD(
                msg=False, timeLimit=options.time_limit_seconds, gapRel=options.mip_gap
            )
    prob.solve(solver)  # type: ignore[attr-defined]
    runtime = time.perf_counter() - t0
    sol = prob.sol_status  # type: ignore[attr-defined]
    status_code = prob.status  # type: ignore[attr-defined]
    has = sol in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    timed_out = runtime >= options.time_limit_seconds * 0.98
    if sol == pulp.LpSolutionOptimal and status_code == pulp.LpStatusOptimal:
        status = SolveStatus.TIME_LIMIT if timed_out and engine == "cbc" else SolveStatus.OPTIMAL
    elif sol == pulp.LpSolutionInfeasible or status_code == pulp.LpStatusInfeasible:
        status = SolveStatus.INFEASIBLE
    elif timed_out:
        status = SolveStatus.TIME_LIMIT
    elif has:
        status = SolveStatus.FEASIBLE
    else:
        status = SolveStatus.UNKNOWN
    values = np.array([v.varValue or 0.0 for v in xs]) if has else None
    obj = float(pulp.value(prob.objective) or 0.0) if has else None  # type: ignore[attr-defined]
    bound: float | None = None
    if engine == "highs" and has:
        bound = float(prob.solverModel.getInfo().mip_dual_bound)  # type: ignore[attr-defined]
    elif status is SolveStatus.OPTIMAL:
        bound = None  # CBC through PuLP does not report its bound
    return MipOutcome(status, values, obj, bound, runtime, f"pulp-{engine}")


def solve_lp(model: LinearModel) -> LpOutcome:
    """Solve the LP with HiGHS (``highspy``) and return its row duals."""
    from sufficiency.matching.backends import highs_backend

    return highs_backend.solve_lp(model)
