"""PuLP backends: HiGHS and CBC.

LP relaxations (for pricing) go to CBC's simplex for ``cbc`` and to HiGHS directly
(:mod:`.highs_backend`, the same engine PuLP drives) for ``highs``. CBC through PuLP
does not report its bound; it is read from CBC's log.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import warnings

import numpy as np

from sufficiency import highs_banner
from sufficiency.errors import SolverError
from sufficiency.matching.backends.base import Feature, LpOutcome, SolveOptions
from sufficiency.matching.formulation import LinearModel
from sufficiency.solver_status import MipOutcome, SolveStatus

#: What these backends can do: no warm LP master (PuLP rebuilds the model every solve).
FEATURES = frozenset({Feature.MIP, Feature.LP_DUALS, Feature.MIP_BOUND})


def _pulp_model(model: LinearModel) -> tuple[object, list, list[list[str]]]:
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
    names: list[list[str]] = []  # the PuLP constraints of each row (two for a ranged row)
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
        names.append([])
        if lo == hi:
            prob += pulp.LpConstraint(expr, pulp.LpConstraintEQ, f"r{i}", float(lo))
            names[-1].append(f"r{i}")
        else:
            if np.isfinite(hi):
                prob += pulp.LpConstraint(expr, pulp.LpConstraintLE, f"r{i}u", float(hi))
                names[-1].append(f"r{i}u")
            if np.isfinite(lo):
                prob += pulp.LpConstraint(expr, pulp.LpConstraintGE, f"r{i}l", float(lo))
                names[-1].append(f"r{i}l")
    return prob, xs, names


def _cbc(options: SolveOptions | None, log: str | None) -> object:
    import pulp

    with warnings.catch_warnings():  # PuLP 3 deprecates the bundled CBC, still shipped
        warnings.simplefilter("ignore", DeprecationWarning)
        if options is None:
            return pulp.PULP_CBC_CMD(msg=False, logPath=log)
        return pulp.PULP_CBC_CMD(
            msg=False, timeLimit=options.time_limit_seconds, gapRel=options.mip_gap,
            logPath=log,
        )  # fmt: skip


def _cbc_bound(log: str) -> float | None:
    """The lower bound CBC printed at the end of its log, if it printed one."""
    try:
        with open(log, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    found = re.findall(r"Lower bound:\s*(-?[0-9.eE+-]+)", text)
    try:
        return float(found[-1]) if found else None
    except ValueError:
        return None


def solve_mip(model: LinearModel, options: SolveOptions, engine: str) -> MipOutcome:
    """Solve the MIP with PuLP driving ``engine`` ("highs" or "cbc")."""
    import pulp

    t0 = time.perf_counter()
    prob, xs, _ = _pulp_model(model)
    log: str | None = None
    if engine == "highs":
        highs_banner.silence()
        if not pulp.HiGHS().available():
            raise SolverError("HiGHS is not available to PuLP in this process.")
        from sufficiency.matching.backends.highs_backend import MIP_OPTIONS

        solver = pulp.HiGHS(
            msg=False, timeLimit=options.time_limit_seconds, gapRel=options.mip_gap, threads=1,
            **MIP_OPTIONS,
        )  # fmt: skip
    else:
        fd, log = tempfile.mkstemp(prefix="cbc-", suffix=".log")
        os.close(fd)
        solver = _cbc(options, log)
    try:
        prob.solve(solver)  # type: ignore[attr-defined]
        cbc_bound = None if log is None else _cbc_bound(log)
    except pulp.PulpSolverError as exc:
        raise SolverError(f"The {engine} solver failed: {exc}") from None
    finally:
        if log is not None:
            os.unlink(log)
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
        bound = bound if np.isfinite(bound) else None
    elif has and cbc_bound is not None:
        bound = min(cbc_bound, obj) if obj is not None else cbc_bound
    elif status is SolveStatus.OPTIMAL and obj is not None:
        # CBC prints no bound when it proves optimality: the gap it was asked for holds
        bound = obj - options.mip_gap * abs(obj)
    return MipOutcome(status, values, obj, bound, runtime, f"pulp-{engine}")


def solve_lp(model: LinearModel, engine: str = "cbc") -> LpOutcome:
    """Solve the LP and return its row duals (``reduced cost = obj - A.T @ duals``).

    ``cbc``: CBC's simplex through PuLP (a ranged row's dual is the sum of its two
    constraints' duals); ``highs``: HiGHS directly, the engine PuLP would drive.
    """
    if engine == "highs":
        from sufficiency.matching.backends import highs_backend

        return highs_backend.solve_lp(model)
    import pulp

    prob, xs, names = _pulp_model(model)
    try:
        prob.solve(_cbc(None, None))  # type: ignore[attr-defined]
    except pulp.PulpSolverError as exc:
        raise SolverError(f"CBC failed on the LP relaxation: {exc}") from None
    if prob.status != pulp.LpStatusOptimal:  # type: ignore[attr-defined]
        raise SolverError("CBC could not solve the LP relaxation of the matching model.")
    # CBC writes duals to about 8 significant figures: pricing lowers each unit's dual by
    # its most negative reduced cost, so the bound stays valid whatever the rounding
    by_name = prob.get_constraint_by_name  # type: ignore[attr-defined]
    duals = np.array([sum(float(by_name(n).pi or 0.0) for n in row) for row in names])
    values = np.array([v.varValue or 0.0 for v in xs])
    return LpOutcome(SolveStatus.OPTIMAL, float(model.obj @ values), values, duals)
