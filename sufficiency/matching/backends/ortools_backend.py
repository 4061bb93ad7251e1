"""OR-Tools backend (``pywraplp``): SCIP or CP-SAT for the MIP, GLOP for the LP."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from sufficiency.errors import SolverError
from sufficiency.matching.backends.base import Feature, LpOutcome, SolveOptions
from sufficiency.matching.formulation import LinearModel
from sufficiency.solver_status import MipOutcome, SolveStatus

NAME = "ortools"

#: What this backend can do: no warm LP master (each round's LP is solved afresh).
FEATURES = frozenset({Feature.MIP, Feature.LP_DUALS, Feature.MIP_BOUND})


def _build(model: LinearModel, engine: str, integer: bool) -> tuple[Any, list, list]:
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver(engine)
    if solver is None:
        raise SolverError(f"OR-Tools was built without the {engine} solver.")
    inf = solver.infinity()
    xs = [
        solver.Var(
            float(lo), float(hi) if np.isfinite(hi) else inf, bool(integer and isint), f"v{j}"
        )
        for j, (lo, hi, isint) in enumerate(zip(model.lb, model.ub, model.integer, strict=True))
    ]
    starts, cols, vals = model.csr()
    rows = []
    for i in range(model.num_rows):
        lo, hi = model.row_lb[i], model.row_ub[i]
        ct = solver.Constraint(
            float(lo) if np.isfinite(lo) else -inf, float(hi) if np.isfinite(hi) else inf
        )
        for j, v in zip(
            cols[starts[i] : starts[i + 1]], vals[starts[i] : starts[i + 1]], strict=True
        ):
            ct.SetCoefficient(xs[j], float(v))
        rows.append(ct)
    objective = solver.Objective()
    for j in np.nonzero(model.obj)[0]:
        objective.SetCoefficient(xs[j], float(model.obj[j]))
    objective.SetMinimization()
    return solver, xs, rows


def solve_mip(model: LinearModel, options: SolveOptions, engine: str = "SCIP") -> MipOutcome:
    """Solve the MIP with SCIP (default) or CP-SAT through ``pywraplp``."""
    from ortools.linear_solver import pywraplp

    t0 = time.perf_counter()
    solver, xs, _ = _build(model, engine, integer=True)
    solver.SetTimeLimit(int(max(options.time_limit_seconds, 0.001) * 1000))
    params = pywraplp.MPSolverParameters()
    params.SetDoubleParam(params.RELATIVE_MIP_GAP, options.mip_gap)
    code = solver.Solve(params)
    runtime = time.perf_counter() - t0
    has = code in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE)
    if code == pywraplp.Solver.OPTIMAL:
        status = SolveStatus.OPTIMAL
    elif code == pywraplp.Solver.INFEASIBLE:
        status = SolveStatus.INFEASIBLE
    elif runtime >= options.time_limit_seconds * 0.98:
        status = SolveStatus.TIME_LIMIT
    elif code == pywraplp.Solver.FEASIBLE:
        status = SolveStatus.FEASIBLE
    else:
        status = SolveStatus.UNKNOWN
    values = np.array([v.solution_value() for v in xs]) if has else None
    obj = solver.Objective().Value() if has else None
    bound = solver.Objective().BestBound() if has else None
    return MipOutcome(status, values, obj, bound, runtime, f"ortools-{engine.lower()}")


def solve_lp(model: LinearModel) -> LpOutcome:
    """Solve the LP with GLOP and return its row duals."""
    from ortools.linear_solver import pywraplp

    solver, xs, rows = _build(model, "GLOP", integer=False)
    code = solver.Solve()
    if code != pywraplp.Solver.OPTIMAL:
        raise SolverError("GLOP could not solve the LP relaxation of the matching model.")
    return LpOutcome(
        SolveStatus.OPTIMAL,
        solver.Objective().Value(),
        np.array([v.solution_value() for v in xs]),
        np.array([r.dual_value() for r in rows]),
    )
