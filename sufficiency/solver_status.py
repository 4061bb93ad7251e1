"""What every solver backend answers, for matching and commissioning alike.

The bottom layer of the solver code: it imports nothing from the job packages, so both
:mod:`sufficiency.matching.backends` and :mod:`sufficiency.commissioning.backends` map
their solvers' outcomes onto the one :class:`SolveStatus` and :class:`MipOutcome`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class SolveStatus(StrEnum):
    """Outcome of a solve, the same whichever solver ran.

    ``optimal`` means proven optimal within the configured relative gap;
    ``feasible`` a plan was found but not proven optimal; ``time_limit`` the
    limit was reached (a plan may or may not exist); ``infeasible`` no plan
    exists; ``unknown`` the solver said something else (the fallback, as in
    linopy's ``constants.py``: see :meth:`parse`).
    """

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: str) -> SolveStatus:
        """The status spelt ``value``, or ``unknown`` for anything else."""
        try:
            return cls(value)
        except ValueError:
            return cls.UNKNOWN


@dataclass(frozen=True, eq=False)
class MipOutcome:
    """A backend's answer to a mixed-integer solve.

    Attributes
    ----------
    status
        Normalised status.
    values
        The variables' values, ``None`` when the solver has no plan.
    objective
        The plan's objective (with any constant), ``None`` without a plan.
    bound
        The best proven lower bound, ``None`` when the solver does not report one.
    runtime_seconds
        Seconds the solve took.
    solver
        Which backend ran.
    """

    status: SolveStatus
    values: np.ndarray | None
    objective: float | None
    bound: float | None
    runtime_seconds: float
    solver: str


__all__ = ["MipOutcome", "SolveStatus"]
