"""HiGHS driven directly through ``highspy``: the model goes in as arrays, no per-term Python.

This is the fastest backend (the default): building the model costs a few
array copies, and HiGHS reports its own dual bound.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from sufficiency.errors import SolverError
from sufficiency.matching.backends.base import LpOutcome, MipOutcome, SolveOptions, SolveStatus
from sufficiency.matching.formulation import LinearModel

#: LPs with more variables than this are solved by interior point (then crossover).
_IPM_ABOVE_VARS = 10_000
#: Options every MIP solve uses. HiGHS 1.16 can return a wrong "optimal" plan after a
#: restart of its branch and bound (its log warns of "untransformed violations"; seen on a
#: crowded instance with who-lives-alongside rows, see tests/matching/test_solver_paths.py):
#: restarts are turned off.
MIP_OPTIONS: dict[str, object] = {"mip_allow_restart": False}


def _highs(model: LinearModel, integer: bool) -> Any:
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    # HiGHS fixes its thread pool at the first run in a process and fails any later run
    # asking for another size: every HiGHS caller here (PuLP's included) asks for one.
    h.setOptionValue("threads", 1)
    inf = highspy.kHighsInf
    n = model.num_vars
    h.addVars(
        n,
        np.where(np.isfinite(model.lb), model.lb, -inf),
        np.where(np.isfinite(model.ub), model.ub, inf),
    )
    cols = np.arange(n, dtype=np.int32)
    h.changeColsCost(n, cols, model.obj.astype(float))
    starts, acol, aval = model.csr()
    h.addRows(
        model.num_rows,
        np.where(np.isfinite(model.row_lb), model.row_lb, -inf),
        np.where(np.isfinite(model.row_ub), model.row_ub, inf),
        len(acol),
        starts[:-1].astype(np.int32),
        acol.astype(np.int32),
        aval.astype(float),
    )
    if integer and model.integer.any():
        kinds = np.where(
            model.integer,
            np.uint8(int(highspy.HighsVarType.kInteger)),
            np.uint8(int(highspy.HighsVarType.kContinuous)),
        ).astype(np.uint8)
        h.changeColsIntegrality(n, cols, kinds)
    return h


def solve_mip(model: LinearModel, options: SolveOptions) -> MipOutcome:
    """Solve the MIP with HiGHS's branch and cut."""
    import highspy

    t0 = time.perf_counter()
    h = _highs(model, integer=True)
    h.setOptionValue("time_limit", float(max(options.time_limit_seconds, 0.001)))
    h.setOptionValue("mip_rel_gap", float(options.mip_gap))
    h.setOptionValue("random_seed", 0)
    for key, value in MIP_OPTIONS.items():
        h.setOptionValue(key, value)
    h.run()
    runtime = time.perf_counter() - t0
    ms = h.getModelStatus()
    info = h.getInfo()
    has = int(info.primal_solution_status) == int(highspy.SolutionStatus.kSolutionStatusFeasible)
    status = {
        highspy.HighsModelStatus.kOptimal: SolveStatus.OPTIMAL,
        highspy.HighsModelStatus.kInfeasible: SolveStatus.INFEASIBLE,
        highspy.HighsModelStatus.kTimeLimit: SolveStatus.TIME_LIMIT,
    }.get(ms, SolveStatus.FEASIBLE if has else SolveStatus.UNKNOWN)
    values = np.array(h.getSolution().col_value) if has else None
    obj = float(info.objective_function_value) if has else None
    bound = float(info.mip_dual_bound) if has and np.isfinite(info.mip_dual_bound) else None
    if has and not model.integer.any() and status is SolveStatus.OPTIMAL:
        bound = obj  # solved as an LP: HiGHS reports no MIP bound, the optimum is one
    return MipOutcome(status, values, obj, bound, runtime, "highspy")


def solve_lp(model: LinearModel) -> LpOutcome:
    """Solve the LP relaxation and return its row duals."""
    import highspy

    h = _highs(model, integer=False)
    if model.num_vars <= _IPM_ABOVE_VARS:
        h.setOptionValue("presolve", "off")  # on small LPs presolve costs more than it saves
    else:
        # interior point then crossover: the same basic optimum and duals as simplex, and
        # about twice as fast on large degenerate assignment LPs (slower on small ones)
        h.setOptionValue("solver", "ipm")
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise SolverError("HiGHS could not solve the LP relaxation of the matching model.")
    sol = h.getSolution()
    return LpOutcome(
        SolveStatus.OPTIMAL,
        float(h.getInfo().objective_function_value),
        np.array(sol.col_value),
        np.array(sol.row_dual),
    )
