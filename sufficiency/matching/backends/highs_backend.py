"""HiGHS driven directly through ``highspy``: the model goes in as arrays, no per-term Python.

This is the fastest backend (the default): building the model costs a few
array copies, and HiGHS reports its own dual bound. It alone keeps the
column-generation LP master in memory between rounds (:class:`WarmLp`).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from sufficiency import highs_banner
from sufficiency.errors import SolverError
from sufficiency.matching.backends.base import Feature, LpOutcome, MasterSolution, SolveOptions
from sufficiency.matching.formulation import LinearModel
from sufficiency.solver_status import MipOutcome, SolveStatus

#: What this backend can do: everything, including a warm LP master (:class:`WarmLp`).
FEATURES = frozenset(Feature)
#: LPs with more variables than this are solved by interior point (then crossover).
_IPM_ABOVE_VARS = 10_000
#: Options every MIP solve uses. HiGHS 1.16 can return a wrong "optimal" plan after a
#: restart of its branch and bound (its log warns of "untransformed violations"; seen on a
#: crowded instance with who-lives-alongside rows, see tests/matching/test_solver_paths.py):
#: restarts are turned off.
MIP_OPTIONS: dict[str, object] = {"mip_allow_restart": False}
#: Seconds a MIP solved again without its start (see :func:`solve_mip`) is always given.
MIN_RETRY_SECONDS = 0.5


def _highs(model: LinearModel, integer: bool) -> Any:
    import highspy

    highs_banner.silence()
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
    if options.start is not None:
        start = highspy.HighsSolution()
        start.col_value = np.asarray(options.start, float).tolist()
        start.value_valid = True
        h.setSolution(start)
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
    if values is not None and obj is not None and options.start is not None:
        # HiGHS 1.16 was seen to return the start's values with the objective (and an
        # optimal status) of a better plan it found: solve again without the start, in
        # the time left (the caller keeps the start if that returns worse)
        real = float(model.obj @ values)
        if abs(real - obj) > 1e-6 * max(1.0, abs(obj)):
            left = max(options.time_limit_seconds - runtime, MIN_RETRY_SECONDS)
            again = SolveOptions(left, options.mip_gap)
            return solve_mip(model, again)
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


class WarmLp:
    """The column-generation LP master kept in one HiGHS model across rounds (a
    :class:`~.base.MasterLp`): new columns are appended, and new placements' capacity
    rows, so each round's simplex starts from the last optimal basis instead of from
    scratch.

    Parameters
    ----------
    num_units
        Unit rows (each ``= 1``), created at once.
    capacity
        Places per placement, for the capacity rows added as placements are first used.
    """

    def __init__(self, num_units: int, capacity: np.ndarray) -> None:
        import highspy

        highs_banner.silence()
        self.inf = highspy.kHighsInf
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)  # see _highs
        none_i, none_f = np.zeros(0, np.int32), np.zeros(0)
        h.addRows(num_units, np.ones(num_units), np.ones(num_units), 0, none_i, none_i, none_f)
        self.h, self.n_units, self.capacity = h, num_units, capacity
        self.row_of_place = np.full(len(capacity), -1, np.int64)
        self.places: list[int] = []
        self.col_child: list[np.ndarray] = []
        self.col_place: list[np.ndarray] = []
        self.col_of_inc: list[np.ndarray] = []
        self.n_cols = 0

    def _rows_for(self, places: np.ndarray) -> np.ndarray:
        new = np.unique(places[self.row_of_place[places] < 0])
        if len(new):
            cap = self.capacity[new].astype(float)
            none_i, none_f = np.zeros(0, np.int32), np.zeros(0)
            self.h.addRows(len(new), np.full(len(new), -self.inf), cap, 0, none_i, none_i, none_f)
            self.row_of_place[new] = self.n_units + len(self.places) + np.arange(len(new))
            self.places += new.tolist()
        return self.row_of_place[places]

    def add_columns(
        self, cost: np.ndarray, unit_col: np.ndarray, unit_row: np.ndarray,
        cap_col: np.ndarray, cap_place: np.ndarray, cap_val: np.ndarray,
        inc_col: np.ndarray, inc_child: np.ndarray, inc_place: np.ndarray,
    ) -> None:  # fmt: skip
        """Append columns (see :meth:`.base.MasterLp.add_columns`)."""
        n = len(cost)
        if n == 0:
            return
        c = np.r_[unit_col, cap_col]
        r = np.r_[unit_row, self._rows_for(cap_place)]
        v = np.r_[np.ones(len(unit_col)), cap_val]
        order = np.lexsort((r, c))
        starts = np.searchsorted(c[order], np.arange(n)).astype(np.int32)
        self.h.addCols(n, cost.astype(float), np.zeros(n), np.full(n, self.inf), len(order),
                       starts, r[order].astype(np.int32), v[order].astype(float))  # fmt: skip
        self.col_of_inc.append(self.n_cols + inc_col)
        self.col_child.append(inc_child)
        self.col_place.append(inc_place)
        self.n_cols += n

    def solve(self) -> MasterSolution:
        """Re-solve from the last optimal basis."""
        import highspy

        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise SolverError("HiGHS could not solve the LP relaxation of the matching model.")
        sol = self.h.getSolution()
        duals = np.asarray(sol.row_dual)
        beta = np.zeros(len(self.capacity))
        beta[np.asarray(self.places, np.int64)] = duals[self.n_units :]
        values = np.asarray(sol.col_value)
        col = np.concatenate(self.col_of_inc) if self.col_of_inc else np.zeros(0, np.int64)
        on = values[col] > 1e-6
        objective = float(self.h.getInfo().objective_function_value)
        return MasterSolution(objective, duals[: self.n_units], beta,
                              np.concatenate(self.col_child)[on],
                              np.concatenate(self.col_place)[on])  # fmt: skip
