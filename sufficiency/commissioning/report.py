"""Assembling the commissioning report: the plans, their comparison, sensitivity and
assumptions, and the recommendation in plain words (the writers render it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from sufficiency import figures, vocabulary
from sufficiency.commissioning.backends import SolveStatus
from sufficiency.commissioning.decisions import Decision
from sufficiency.commissioning.demand import DemandPaths, demand_from_forecast
from sufficiency.commissioning.evaluate import Comparison, compare_plans
from sufficiency.commissioning.lever_words import assumptions
from sufficiency.commissioning.levers import Levers
from sufficiency.commissioning.pooled import PooledResult
from sufficiency.commissioning.sensitivity import sensitivity
from sufficiency.commissioning.solve import Plan, optimise, status_quo_plan
from sufficiency.config import CommissioningParams
from sufficiency.forecast import (
    ForecastResult,
)
from sufficiency.io.quality import DataQuality
from sufficiency.prices import DEFAULT_RISE, PriceRise
from sufficiency.results import BriefRepr, result_dataclass


@result_dataclass
class CommissioningReport(BriefRepr):
    """Everything the writers need: plans, their comparison, sensitivity, assumptions.

    ``forecast`` is the forecast optimised on and ``forecast_assumptions`` its
    ``item, value`` rows: the HTML page shows its fan charts above the plan.
    ``quality`` says what was repaired or set aside in the 903 history; ``pooled``, with
    other authorities, the co-operative's plan, its saving and each member's share.
    """

    demand: DemandPaths
    fresh: DemandPaths
    stochastic: Plan
    central: Plan
    status_quo: Plan
    comparison: Comparison
    sensitivity: pd.DataFrame | None
    assumptions: Sequence[tuple[str, str, str]]
    params: CommissioningParams
    prices: PriceRise
    forecast: ForecastResult | None = None
    forecast_assumptions: pd.DataFrame | None = None
    quality: DataQuality | None = None
    levers: Levers | None = None
    #: With other authorities (``--pool-with``): the co-operative's pooled plan.
    pooled: PooledResult | None = None

    @property
    def start(self) -> pd.Timestamp:
        """Forecast start date."""
        return pd.Timestamp(self.demand.month_ends[0])


def commission(
    forecast: ForecastResult,
    fresh_forecast: ForecastResult,
    levers: Levers,
    params: CommissioningParams,
    *,
    prices: PriceRise = DEFAULT_RISE,
    with_sensitivity: bool = True,
    forecast_assumptions: pd.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
) -> CommissioningReport:
    """Optimise on ``forecast``'s paths; score every plan on ``fresh_forecast``'s.

    ``forecast_assumptions`` (``item, value`` rows describing the forecast) go into the
    HTML page; without them the page lists the forecast's start, paths and seed.
    ``progress`` is told, in a sentence, each stage as it starts.

    Raises
    ------
    ConfigError
        The horizon is longer than a forecast, or a service limit cannot be met.
    SolverError
        The solver fails.
    """
    demand = demand_from_forecast(forecast, params.horizon_months)
    fresh = demand_from_forecast(fresh_forecast, params.horizon_months)
    say = progress or (lambda _message: None)
    say(f"Optimising the plan on {demand.num_paths:,} demand paths, and the plan made on "
        "the central forecast alone")  # fmt: skip
    stochastic = optimise(demand, levers, params, name="stochastic", prices=prices)
    central = optimise(demand.central(), levers, params, name="central forecast", prices=prices)
    quo = status_quo_plan(demand, levers, params, prices=prices)
    say(f"Scoring the plans and buying spot as now on {fresh.num_paths:,} fresh paths")
    comparison = compare_plans(stochastic, central, quo, fresh, levers, prices=prices)
    sens: pd.DataFrame | None = None
    if with_sensitivity and params.sensitivity_steps:
        sens = sensitivity(
            demand, fresh, levers, params, stochastic, prices=prices, progress=progress
        )
    rows = [
        *assumptions(levers),
        ("inflation_rate", prices.words, "[finance] configuration"),
        ("optimisation paths", f"{demand.num_paths:,} (seed {demand.seed})", "forecast"),
        ("evaluation paths", f"{fresh.num_paths:,} (seed {fresh.seed})", "forecast"),
        ("horizon_months", str(params.horizon_months), "[commissioning] configuration"),
        ("solver", f"{stochastic.solver} ({stochastic.status})", "[commissioning] configuration"),
    ]
    if forecast_assumptions is None:
        forecast_assumptions = pd.DataFrame(
            [
                ("Forecast start", f"{forecast.start.date()}"),
                ("Horizon (months)", str(forecast.horizon_months)),
                ("Simulated paths", str(forecast.num_paths)),
                ("Seed", str(forecast.seed)),
            ],
            columns=["item", "value"],
        )
    return CommissioningReport(
        demand, fresh, stochastic, central, quo, comparison, sens, rows, params, prices,
        forecast, forecast_assumptions, levers=levers,
    )  # fmt: skip


def no_commitments(report: CommissioningReport) -> str:
    """Why the plan makes no new commitments: no lever is cheaper, or the file has none."""
    if not any(d.upper > 0 for d in report.stochastic.decisions):
        return (
            "Make no new commitments: the levers file offers none to make (no recruitment, "
            "block contract or home that the horizon can use), so spot purchase goes on as now."
        )
    if report.stochastic.status is not SolveStatus.OPTIMAL:
        # not proven: a lever may yet cost less than spot (the next sentence says why)
        return "Make no new commitments: the solver found no plan that costs less than spot."
    return "Make no new commitments: no lever is expected to cost less than spot."


def _ready(d: Decision, start: pd.Timestamp) -> str:
    """When a recruit's or a home's first place can be used, in words (``" (approved by
    December 2026)"``): a commitment made in April is not a place that April."""
    if d.kind not in ("recruit", "home"):
        return ""
    first = np.flatnonzero((d.fixed_capacity + d.variable_capacity).any(axis=1))
    if not len(first):
        return ""
    when = start + pd.offsets.MonthBegin(1) + pd.DateOffset(months=int(first[0]))
    said = "approved by" if d.kind == "recruit" else "first beds from"
    return f" ({said} {when:%B %Y})"


def recommendation(report: CommissioningReport) -> list[str]:
    """The recommendation in plain words, one sentence a line."""
    c = report.comparison
    plan = report.stochastic.table(report.start)
    lines = []
    if plan.empty:
        lines.append(no_commitments(report))
    else:
        units = {"recruit": "households", "block": "places", "home": "homes", "uplift": ""}
        chosen: dict[str, list[str]] = {}
        for d, v in zip(report.stochastic.decisions, report.stochastic.values, strict=True):
            if v <= 0:
                continue
            begin = (report.start + pd.offsets.MonthBegin(1)) + pd.DateOffset(years=d.year)
            unit = units[d.kind] if v > 1 else units[d.kind].removesuffix("s")
            title = d.title or vocabulary.lever(d.kind, d.group, d.key)
            ready = _ready(d, report.start)
            said = f"{int(v):,} {unit} from {begin:%B %Y}{ready}" if unit else ""
            chosen.setdefault(title, []).append(said or f"adopt from {begin:%B %Y}")
        lines += [f"{title}: {', '.join(when)}." for title, when in chosen.items()]
    if proof := report.stochastic.proof():  # stopped before the plan was proven
        lines.append(proof)
    saving = c.saving_vs_status_quo_gbp
    money = figures.money
    against = (f"a saving of {money(saving)}" if saving >= 0 else
               f"{money(-saving)} more than buying spot as now: no saving")  # fmt: skip
    lines.append(
        f"Expected cost over {report.params.horizon_months} months on {c.num_paths:,} fresh "
        f"demand paths: {money(c.stochastic.expected_cost_gbp)} against "
        f"{money(c.status_quo.expected_cost_gbp)} for buying spot as now ({against}) and "
        f"{money(c.central.expected_cost_gbp)} for the plan made on the central forecast alone."
    )
    lines.append(planning_sentence(c, report.central))
    return lines


def planning_sentence(c: Comparison, central: Plan | None = None) -> str:
    """What planning for uncertainty is worth against the central forecast's plan, with its
    95% margin from the fresh paths; said as chance where the margin holds zero, and as a
    loss where the central plan costs less. A ``central`` plan not proven the cheapest (its
    solve stopped at the time limit) says so: the value is measured against it."""
    worth = _planning_worth(c)
    if central is None or not (proof := central.proof()):
        return worth
    return (f"{worth} {proof} The value of planning for uncertainty is measured against "
            "this plan, not a plan proven the cheapest on the central forecast.")  # fmt: skip


def _planning_worth(c: Comparison) -> str:
    value, margin, n = c.value_of_planning_gbp, c.value_of_planning_margin_gbp, c.num_paths
    said, plus = figures.money(abs(value), like=margin), figures.money(margin, like=value)
    give = f"give or take {plus}, the 95% margin from {n:,} fresh futures"
    if value > margin:
        return (f"Planning for uncertainty is worth {said} against planning on the "
                f"central forecast ({give}).")  # fmt: skip
    if value < -margin:
        return (f"The plan made on the central forecast alone costs {said} less than "
                f"the recommended plan ({give}): planning for uncertainty gained nothing here; "
                "make the plan on more futures (--paths).")  # fmt: skip
    return (f"The recommended plan and the plan made on the central forecast alone cannot be "
            f"told apart on {n:,} fresh futures: the difference, {said} "
            f"{'in favour of' if value >= 0 else 'against'} the recommended plan, is within "
            f"chance (give or take {plus}, the 95% margin); score them on more "
            "futures (--eval-paths) before relying on it.")  # fmt: skip
