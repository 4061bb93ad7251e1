"""What the region's tasks are given and give back: small, picklable specs, and the
frozen summaries of figures (never paths or arrays) a Dask worker returns to the client.

A spec holds everything its task needs, its seed too, so a task re-run on another worker
(when one is lost) gives the same summary. A member whose data cannot be used gives a
:class:`MemberFailure` with the reason and the data-quality summary, not an exception,
so the rest of the region runs. The tasks themselves are in :mod:`.tasks` (each member's
forecast and spend, its own plan) and :mod:`.pool_tasks` (the pooled plan).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sufficiency.config import Params
from sufficiency.region.members import Member

BASE_KEY = "base"


@dataclass(frozen=True)
class ScenarioSpec:
    """A scenario of the region: its key (file stem, or ``base``) and file."""

    key: str
    path: Path | None = None


@dataclass(frozen=True)
class MemberTask:
    """One member under one scenario: the forecast (with its backtest) and the spend."""

    member: Member
    scenario: ScenarioSpec
    seed: int
    params: Params
    out_dir: Path
    run_date: dt.date | None
    strict: bool = False


@dataclass(frozen=True)
class MemberSummary:
    """A member's figures under one scenario (the scenario's own, or the base's).

    ``mix_now`` and ``mix_forecast`` are children by placement category now and at the
    horizon (mean of the paths); ``spend_*`` are the first financial year's projected
    spend (the scenario's, under a scenario). A variance is projected spend less the budget
    (+ is an overspend): ``budget_variance_gbp`` the base case's (the central projection),
    on the base's summary only; ``scenario_variance_gbp`` the scenario's own, on a
    scenario's summary only, so no variance is read as the other's.
    """

    code: str
    name: str
    scenario: str
    scenario_name: str
    seed: int
    start: str
    horizon_month: str
    in_care_now: float
    in_care_forecast: float
    in_care_forecast_p10: float
    in_care_forecast_p90: float
    mix_now: dict[str, float]
    mix_forecast: dict[str, float]
    starts_first_year: float
    financial_year: str
    spend_gbp: float
    spend_p10_gbp: float | None
    spend_p90_gbp: float | None
    budget_gbp: float | None
    budget_variance_gbp: float | None
    backtest_cutoff: str | None
    backtest_ape_12_pct: float | None
    backtest_coverage_pct: float | None
    quality: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    num_files: int = 0
    #: Rows of the 903 history repaired or set aside (as listed in ``data_quality.csv``).
    findings: int = 0
    #: Forecast months in ``financial_year`` (fewer than 12 when the history ends during
    #: the year, an in-year extract, or the horizon ends first): ``spend_*`` cover these.
    spend_months: int = 12
    #: The scenario's projected spend less the budget (``None`` in the base case, whose
    #: variance is ``budget_variance_gbp``).
    scenario_variance_gbp: float | None = None
    #: Forecast months ``starts_first_year`` covers: the first twelve, or all of a
    #: shorter horizon (``--horizon-months 6``: six months' placements, not a year's).
    starts_months: int = 12
    #: The backtest's placement starts over the twelve months after its cutoff: the
    #: forecast's error (%), whether the actual fell inside its P10-P90, and the actual.
    backtest_starts_ape_pct: float | None = None
    backtest_starts_inside: bool | None = None
    backtest_starts_actual: float | None = None
    #: The spend to date in ``spend_gbp`` when the first financial year is compared with
    #: the member's budget as its in-year outturn (``None`` otherwise): ``spend_gbp`` is
    #: then the whole year's, this plus the ``spend_months`` forecast.
    spend_to_date_gbp: float | None = None
    #: How the first year's budget stands to its spend when it looks like the wrong unit
    #: (:data:`~sufficiency.finance.report.UNDER` a hundredth: £000s; ``OVER`` a hundred
    #: times: pence), else ``None``: the region leaves it out of its budget and variance.
    budget_doubt: str | None = None

    @property
    def budget_doubted(self) -> bool:
        """Whether the budget looks like the wrong unit (``budget_doubted`` in region.csv)."""
        return self.budget_doubt is not None


@dataclass(frozen=True)
class MemberFailure:
    """A member (under a scenario, or its commissioning) that could not be run, and why."""

    code: str
    name: str
    scenario: str
    reason: str
    quality: tuple[str, ...] = ()
    #: What reading its data found, in sentences for the report (what was read, repaired
    #: or set aside, and where each finding is listed); ``quality`` is the console's lines.
    found: str = ""


@dataclass(frozen=True)
class LeftOut:
    """A member whose own runs ran but that is not in the pooled plan, and why (its
    history ends on another day than the pooled members'): not a failure."""

    code: str
    name: str
    reason: str


@dataclass(frozen=True)
class CommissionTask:
    """A member's own commissioning plan (its own levers and prices) with sensitivity."""

    member: Member
    seed: int
    params: Params
    out_dir: Path
    strict: bool = False
    run_date: dt.date | None = None


@dataclass(frozen=True)
class CommissionSummary:
    """A member's own plan: expected costs on fresh paths and its sensitivity table."""

    code: str
    name: str
    seed: int
    plan_cost_gbp: float
    status_quo_cost_gbp: float
    saving_vs_status_quo_gbp: float
    sensitivity: tuple[dict[str, Any], ...] = ()
    recommendation: str = ""
    #: The plan's forecast's warnings (a short history, a category never seen).
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PooledTask:
    """The pooled plan over the members with levers (block contracts shared)."""

    members: tuple[Member, ...]
    levers: Path
    seed: int
    params: Params
    out_dir: Path
    strict: bool = False
    #: The member whose levers file ``levers`` is, when the members file has no
    #: ``[region] levers`` (the first with one); ``None`` when it has.
    levers_of: Member | None = None


@dataclass(frozen=True)
class PooledSummary:
    """Each member's cost alone against its share of the pooled plan, and the saving."""

    seed: int
    rows: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    left_out: tuple[str, ...] = ()
    #: The pooled plan's sensitivity runs: one row per factor and change.
    sensitivity: tuple[dict[str, Any], ...] = ()
    #: How close the pooled plan is proven to the cheapest, in a sentence.
    proof: str = ""
    #: A sentence for each member paying more pooled than alone.
    worse_off: tuple[str, ...] = ()
    #: Each pooled member's code and its pooling forecast's warnings.
    notes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Members with usable data left out because their histories end on another day
    #: than the pooled members', each with why and what to give instead.
    set_aside: tuple[LeftOut, ...] = ()

    @property
    def saving_gbp(self) -> float:
        """The co-operative's expected saving from pooling block contracts."""
        return float(self.rows[-1]["saving_gbp"]) if self.rows else 0.0
