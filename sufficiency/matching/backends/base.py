"""What every solver backend returns, and the normalised status enum."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class SolveStatus(StrEnum):
    """Outcome of a solve, the same whichever solver ran.

    ``optimal`` means proven optimal within the configured relative gap;
    ``feasible`` a plan was found but not proven optimal; ``time_limit`` the
    limit was reached (a plan may or may not exist); ``infeasible`` no plan
    exists; ``unknown`` the solver said something else.
    """

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SolveOptions:
    """Limits passed to a backend."""

    time_limit_seconds: float = 60.0
    mip_gap: float = 1e-4


@dataclass(frozen=True, eq=False)
class MipOutcome:
    """A backend's answer to a mixed-integer solve.

    ``bound`` is the best proven lower bound, or ``None`` if the solver does not
    report one.
    """

    status: SolveStatus
    values: np.ndarray | None
    objective: float | None
    bound: float | None
    runtime_seconds: float
    solver: str


@dataclass(frozen=True, eq=False)
class LpOutcome:
    """Optimal LP relaxation: objective, primal values and row duals.

    Duals follow ``reduced_cost = obj - A.T @ row_duals`` for a minimisation.
    """

    status: SolveStatus
    objective: float
    values: np.ndarray
    row_duals: np.ndarray
