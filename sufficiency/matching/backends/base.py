"""What every solver backend returns and declares it can do.

The status enum and the MIP outcome are shared with commissioning
(:mod:`sufficiency.solver_status`); this module adds what only matching needs: solve
options, the LP outcome, each backend's :class:`Feature` set and the warm LP master.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import numpy as np

from sufficiency.solver_status import SolveStatus


class Feature(StrEnum):
    """What a backend can do (as linopy's ``Solver.features``).

    ``mip`` it solves mixed-integer models; ``lp_duals`` it returns an LP's row duals;
    ``mip_bound`` it reports a MIP's proven lower bound; ``warm_lp`` it keeps an LP
    master in memory and re-solves it from the last optimal basis after columns and rows
    are added (:class:`MasterLp`); ``mip_start`` it starts a MIP's search from a given
    plan (:attr:`SolveOptions.start`) and solves small MIPs in this process (the
    neighbourhood search, :mod:`..neighbourhood`, runs only with such a backend).
    """

    MIP = "mip"
    LP_DUALS = "lp_duals"
    MIP_BOUND = "mip_bound"
    WARM_LP = "warm_lp"
    MIP_START = "mip_start"


@dataclass(frozen=True)
class SolveOptions:
    """Limits passed to a backend, and a plan to start from.

    ``start`` is a feasible value for every variable of the MIP (e.g. the greedy plan's);
    a backend that can take one (``highspy``) starts its search with it as incumbent,
    the others ignore it.
    """

    time_limit_seconds: float = 60.0
    mip_gap: float = 1e-4
    start: np.ndarray | None = field(default=None, compare=False)


@dataclass(frozen=True, eq=False)
class LpOutcome:
    """Optimal LP relaxation: objective, primal values and row duals.

    Duals follow ``reduced_cost = obj - A.T @ row_duals`` for a minimisation.
    """

    status: SolveStatus
    objective: float
    values: np.ndarray
    row_duals: np.ndarray


@dataclass(frozen=True, eq=False)
class MasterSolution:
    """One solve of the column-generation LP master.

    Attributes
    ----------
    objective
        The LP optimum.
    unit_duals
        One dual per unit row (a single child or a sibling group).
    capacity_duals
        One dual per placement (zero where the master has no capacity row).
    active_child, active_place
        The (child, placement) of every incidence the optimum uses.
    """

    objective: float
    unit_duals: np.ndarray
    capacity_duals: np.ndarray
    active_child: np.ndarray
    active_place: np.ndarray


class MasterLp(Protocol):
    """An LP master kept in a solver between rounds (:attr:`Feature.WARM_LP`).

    Its rows are one equality row (``= 1``) per unit, then one capacity row
    (``<= capacity``) per placement, added the first time a column uses the placement.
    Columns are only ever added, so each solve starts from the last optimal basis.
    """

    def add_columns(
        self, cost: np.ndarray, unit_col: np.ndarray, unit_row: np.ndarray,
        cap_col: np.ndarray, cap_place: np.ndarray, cap_val: np.ndarray,
        inc_col: np.ndarray, inc_child: np.ndarray, inc_place: np.ndarray,
    ) -> None:  # fmt: skip
        """Append ``len(cost)`` columns: column ``unit_col[i]`` (numbered within the
        batch) has a 1 in unit row ``unit_row[i]``, column ``cap_col[j]`` uses
        ``cap_val[j]`` places at placement ``cap_place[j]``, and ``inc_*`` say which
        (child, placement) each column places, for :attr:`MasterSolution.active_child`."""

    def solve(self) -> MasterSolution:
        """Re-solve the LP from the last optimal basis."""
