"""Commissioning parameters: one frozen pydantic model, defaults in code.

``default_section.toml`` in this folder holds the same defaults as TOML, ready to be
pasted into ``configs/default.toml`` under ``[commissioning]``. Files are read by the one
loader, :func:`sufficiency.config.load_params` (``load_params(path).commissioning``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CommissioningParams(BaseModel):
    """Tunables of the commissioning optimiser.

    Attributes
    ----------
    horizon_months
        Months planned after the forecast start (whole years are committed; 12-60).
    num_paths
        Simulated demand paths the plan is optimised on (sample average approximation).
    eval_paths
        Fresh paths, from a different seed, every plan is scored on.
    seed
        Seed of the optimisation paths; the evaluation paths use ``seed + eval_seed_offset``.
    eval_seed_offset
        Added to ``seed`` to draw the independent evaluation paths.
    solver
        ``"highs"`` (PuLP + HiGHS, default), ``"cbc"`` (PuLP + CBC) or ``"ortools"``
        (OR-Tools + SCIP).
    time_limit_seconds
        Time limit of one MIP solve (of all the cutting-plane rounds, when pooling).
    mip_gap
        Relative optimality gap at which a solve stops.
    pooled_gap
        Relative gap at which a co-operative's cutting-plane solve stops (the best
        plan's exact cost against the proven lower bound; at least ``mip_gap``).
    sensitivity_steps
        Relative changes applied to demand, spot prices and recruitment success.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    horizon_months: int = Field(default=60, ge=12, le=60)
    num_paths: int = Field(default=1000, ge=1, le=100_000)
    eval_paths: int = Field(default=1000, ge=1, le=100_000)
    seed: int = 2026
    eval_seed_offset: int = Field(default=7919, ge=1)
    solver: Literal["highs", "cbc", "ortools"] = "highs"
    time_limit_seconds: float = Field(default=120.0, gt=0)
    mip_gap: float = Field(default=1e-6, ge=0, le=1)
    pooled_gap: float = Field(default=1e-5, ge=0, le=1)
    sensitivity_steps: tuple[float, ...] = (-0.2, -0.1, 0.1, 0.2)

    @property
    def eval_seed(self) -> int:
        """Seed of the fresh evaluation paths."""
        return self.seed + self.eval_seed_offset
