"""Solver backends behind one interface.

``highspy`` (HiGHS through its own Python API, the default and fastest),
``ortools`` (SCIP through ``pywraplp``), ``highs`` and ``cbc`` (through PuLP).
OR-Tools and ``highspy`` ship clashing copies of HiGHS, so the two native
libraries cannot share a process: when the other one is already loaded, the
backend runs in a fresh worker process (same inputs, same answer).

Each backend declares what it can do (:func:`features`, as linopy's
``Solver.features``); column generation asks :func:`master_lp` for a warm LP master
and, from a backend without one, re-solves its LP from scratch each round.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from functools import partial
from typing import Any, Literal

import numpy as np

from sufficiency.errors import SolverError
from sufficiency.matching.backends import highs_backend, ortools_backend, pulp_backend
from sufficiency.matching.backends.base import (
    Feature,
    LpOutcome,
    MasterLp,
    MasterSolution,
    SolveOptions,
)
from sufficiency.matching.formulation import LinearModel
from sufficiency.solver_status import MipOutcome, SolveStatus
from sufficiency.solver_worker import run_isolated

BackendName = Literal["highspy", "ortools", "highs", "cbc"]
BACKENDS: tuple[BackendName, ...] = ("highspy", "ortools", "highs", "cbc")
_ORTOOLS_NATIVE = (
    "ortools.linear_solver._pywraplp",
    "ortools.sat.python.cp_model_helper",
    "ortools.linear_solver.python.model_builder_helper",
)

__all__ = [
    "BACKENDS",
    "Feature",
    "LpOutcome",
    "MasterLp",
    "MasterSolution",
    "MipOutcome",
    "SolveOptions",
    "SolveStatus",
    "available_backends",
    "check",
    "features",
    "master_lp",
    "needs_isolation",
    "solve_lp",
    "solve_mip",
]


def available_backends() -> tuple[BackendName, ...]:
    """Backends whose solver packages are installed."""
    have_ortools = importlib.util.find_spec("ortools") is not None
    have_pulp = importlib.util.find_spec("pulp") is not None
    have_highs = have_pulp and importlib.util.find_spec("highspy") is not None
    have_highspy = importlib.util.find_spec("highspy") is not None
    ok = {"highspy": have_highspy, "ortools": have_ortools, "highs": have_highs, "cbc": have_pulp}
    return tuple(name for name in BACKENDS if ok[name])


def features(name: str) -> frozenset[Feature]:
    """What the named backend can do."""
    _check(name)
    if name == "highspy":
        return highs_backend.FEATURES
    if name == "ortools":
        return ortools_backend.FEATURES
    return pulp_backend.FEATURES


def master_lp(name: str, num_units: int, capacity: np.ndarray) -> MasterLp | None:
    """A warm LP master (see :class:`MasterLp`) from the named backend, or ``None`` when
    it has none (:attr:`Feature.WARM_LP`) or when its library cannot be loaded in this
    process (a warm master lives in memory here, not in a worker); the caller then
    solves each round's LP afresh with :func:`solve_lp`.

    Parameters
    ----------
    num_units
        Unit rows (one per single child and per sibling group).
    capacity
        Places per placement.
    """
    if Feature.WARM_LP not in features(name) or _needs_isolation(name):
        return None
    return highs_backend.WarmLp(num_units, capacity)


def needs_isolation(name: str) -> bool:
    """Whether the backend's native library would clash with one already loaded here."""
    return _needs_isolation(name)


def _needs_isolation(name: str) -> bool:
    if name == "ortools":
        return "highspy._core" in sys.modules
    return any(m in sys.modules for m in _ORTOOLS_NATIVE)


def _run(name: str, fn: Callable[..., Any], *args: Any) -> Any:
    if not _needs_isolation(name):
        return fn(*args)
    return run_isolated(name, fn, *args)


def check(name: str) -> None:
    """Raise :class:`SolverError` unless the named backend is known and installed (called
    before any work, so a run that cannot finish says so at once)."""
    _check(name)


def _check(name: str) -> None:
    if name not in BACKENDS:
        raise SolverError(f"Unknown solver {name!r}; choose one of {', '.join(BACKENDS)}.")
    if name not in available_backends():
        raise SolverError(f"The {name} solver is not installed.")


def solve_mip(name: str, model: LinearModel, options: SolveOptions) -> MipOutcome:
    """Solve the MIP with the named backend."""
    _check(name)
    if name == "highspy":
        return _run(name, highs_backend.solve_mip, model, options)  # type: ignore[no-any-return]
    if name == "ortools":
        return _run(name, ortools_backend.solve_mip, model, options)  # type: ignore[no-any-return]
    return _run(name, partial(pulp_backend.solve_mip, engine=name), model, options)  # type: ignore[no-any-return]


def solve_lp(name: str, model: LinearModel) -> LpOutcome:
    """Solve the LP relaxation (with row duals) using the named backend's LP engine:
    HiGHS for ``highspy`` and ``highs``, GLOP for ``ortools``, CBC for ``cbc``. Duals
    follow one sign convention whichever engine ran (see :class:`LpOutcome`)."""
    _check(name)
    if name == "ortools":
        fn: Callable[..., Any] = ortools_backend.solve_lp
    elif name == "cbc":
        fn = partial(pulp_backend.solve_lp, engine="cbc")
    else:
        fn = highs_backend.solve_lp
    return _run(name, fn, model)  # type: ignore[no-any-return]
