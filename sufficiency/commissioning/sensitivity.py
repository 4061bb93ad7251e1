"""How the plan and its saving move when demand, spot prices or recruitment success change."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from sufficiency import vocabulary
from sufficiency.commissioning.demand import DemandPaths
from sufficiency.commissioning.evaluate import evaluate_plan
from sufficiency.commissioning.levers import Levers
from sufficiency.commissioning.pooled import optimise_pooled
from sufficiency.commissioning.solve import Plan, optimise, status_quo_plan
from sufficiency.config import CommissioningParams
from sufficiency.errors import ConfigError, SolverError
from sufficiency.prices import DEFAULT_RISE, PriceRise

FACTORS = ("demand", "spot prices", "recruitment success")


def scale_spot(levers: Levers, factor: float) -> Levers:
    """Every spot price (incl. the high-cost tail) multiplied by ``factor``."""
    s = levers.spot
    update = {
        "foster_weekly_gbp": s.foster_weekly_gbp * factor,
        "residential_weekly_gbp": s.residential_weekly_gbp * factor,
        "residential_high_cost_weekly_gbp": s.residential_high_cost_weekly_gbp * factor,
    }
    spot = s.model_copy(update=update)
    return levers.model_copy(update={"spot": spot})


def spot_below_running(levers: Levers) -> list[str]:
    """Groups whose new in-house carers cost more a week than spot, which the model cannot
    price (:func:`~sufficiency.commissioning.model.check_prices`)."""
    return [r.group for r in levers.recruit if levers.spot.weekly_gbp(r.group) < r.weekly_cost_gbp]


def plan_summary(plan: Plan) -> dict[str, int]:
    """Households recruited, year-1 block places, homes opened, fee uplift (0/1)."""
    out = {"recruit": 0, "block": 0, "home": 0, "uplift": 0}
    for d, v in zip(plan.decisions, plan.values, strict=True):
        if d.kind == "block":
            out["block"] += int(v) if d.year == 0 else 0
        else:
            out[d.kind] += int(v)
    return out


#: ``sensitivity.csv``'s ``solve`` column: how far the solver settled a case.
PROVEN, NOT_PROVEN, NOT_TESTED = "proven optimal", "not proven optimal", "not tested"

#: Why a case of demand or recruitment success moved is not tested when the moved world
#: asks more places than the lever caps allow.
SERVICE_LIMIT_UNMET = (
    "The levers could not then meet the file's service limits (more places would be "
    "needed than the lever caps allow)."
)


def spot_below_words(levers: Levers) -> str:
    """Why a spot-price case is not tested: spot would cost less a week than a new
    in-house carer in the groups of :func:`spot_below_running` (``levers`` moved)."""
    words = "; ".join(vocabulary.group(g).lower() for g in spot_below_running(levers))
    return (
        f"Spot would then cost less a week than a new in-house carer ({words}), which the "
        "model cannot price."
    )


def sensitivity(
    demand: DemandPaths,
    fresh: DemandPaths,
    levers: Levers,
    params: CommissioningParams,
    base: Plan,
    *,
    prices: PriceRise = DEFAULT_RISE,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """``sensitivity.csv``'s rows: ``base`` re-optimised and re-scored with each factor
    moved by each of ``params.sensitivity_steps``.

    ``progress`` is told as each factor's runs start.

    Returns one row per (factor, change): the re-optimised plan's expected cost and
    saving against the status quo on fresh paths moved the same way, the base plan's
    cost in that world, and the re-optimised plan's households recruited, year-1 block
    places, homes opened and whether it adopts the fee uplift; then ``solve``, how far the
    solver settled the case (:data:`PROVEN`, :data:`NOT_PROVEN` or :data:`NOT_TESTED`), and
    ``note``, why in a sentence (blank when proven). A case not tested has no figures: a
    spot-price change that would take spot below a group's in-house running price (the
    model cannot price that world), a change of demand or recruitment success in which
    the levers cannot meet a service limit, or a case whose solve found no plan (stopped
    at the time limit before one, say, and the recommended plan misses a service limit
    there; the solver's reason). A case whose re-made plan is not proven the cheapest has
    its :meth:`~sufficiency.commissioning.solve.Plan.proof`. Each case's solve starts from
    ``base``: where the solver finds no plan, or one dearer on the case's paths than
    ``base`` and ``base`` meets the case's service limits, ``base`` is kept as the case's
    plan and the note says so (:attr:`~sufficiency.commissioning.solve.Plan.kept`; also
    when a proven case keeps it, within the MIP gap, or does not keep it because it misses
    a service limit there).
    The recommended plan is made already: a case the solver cannot settle does not stop
    the run.
    """
    rows: list[dict[str, Any]] = []
    for number, factor in enumerate(FACTORS, start=1):
        if progress is not None:
            changes = ", ".join(f"{s:+.0%}" for s in params.sensitivity_steps)
            progress(f"Sensitivity {number} of {len(FACTORS)}: {factor} changed by {changes}")
        for step in params.sensitivity_steps:
            try:
                row = _case(demand, fresh, levers, params, base, factor, step, prices)
            except _NotTested as e:
                rows.append({"factor": factor, "change": step, **_NO_FIGURES,
                             "solve": NOT_TESTED, "note": str(e)})  # fmt: skip
                continue
            rows.append(row)
    columns = ["factor", "change", *_NO_FIGURES, "solve", "note"]
    table = pd.DataFrame(rows, columns=columns)
    counts = ["households_recruited", "block_places_year1", "homes_opened"]
    # whole numbers with a blank where a case is not tested (not 3.0 beside nan)
    return table.astype({**dict.fromkeys(counts, "Int64"), "fee_uplift": "boolean"})


#: A case not tested: no figures.
_NO_FIGURES: dict[str, Any] = dict.fromkeys(
    ("expected_cost_gbp", "status_quo_cost_gbp", "saving_gbp", "base_plan_cost_gbp",
     "households_recruited", "block_places_year1", "homes_opened", "fee_uplift")
)  # fmt: skip


class _NotTested(Exception):
    """A sensitivity case not tested; its message says why."""


def _case(
    demand: DemandPaths,
    fresh: DemandPaths,
    levers: Levers,
    params: CommissioningParams,
    base: Plan,
    factor: str,
    step: float,
    prices: PriceRise,
) -> dict[str, Any]:
    """One row of :func:`sensitivity`; raises :class:`_NotTested` saying why not."""
    m = 1.0 + step
    d, f, lv, success = demand, fresh, levers, 1.0
    if factor == "demand":
        d, f = demand.scaled(m), fresh.scaled(m)
    elif factor == "spot prices":
        lv = scale_spot(levers, m)
        if spot_below_running(lv):
            raise _NotTested(spot_below_words(lv))
    else:
        success = m
    try:
        # never dearer, on the case's paths, than the recommended plan where it is
        # feasible there: a solve stopped early keeps it in the stead of a dearer plan
        plan = optimise(d, lv, params, prices=prices, recruitment_success=success,
                        name="sensitivity", start=base)  # fmt: skip
    except ConfigError:
        if not lv.service_limit:
            raise
        raise _NotTested(SERVICE_LIMIT_UNMET) from None
    except SolverError as e:
        raise _NotTested(str(e)) from None
    quo = status_quo_plan(d, lv, params, prices=prices)
    cost = evaluate_plan(plan, f, lv, prices=prices).expected_cost_gbp
    sq = evaluate_plan(quo, f, lv, prices=prices).expected_cost_gbp
    moved_base = base if success == 1.0 else optimise_fixed(base, plan)
    base_cost = evaluate_plan(moved_base, f, lv, prices=prices)
    s = plan_summary(plan)
    proof = plan.proof()
    return {
        "factor": factor,
        "change": step,
        "expected_cost_gbp": round(cost, 2),
        "status_quo_cost_gbp": round(sq, 2),
        "saving_gbp": round(sq - cost, 2),
        "base_plan_cost_gbp": round(base_cost.expected_cost_gbp, 2),
        "households_recruited": s["recruit"],
        "block_places_year1": s["block"],
        "homes_opened": s["home"],
        "fee_uplift": bool(s["uplift"]),
        "solve": NOT_PROVEN if proof else PROVEN,
        "note": proof or plan.kept,
    }


def pooled_sensitivity_row(
    demands: Sequence[DemandPaths],
    fresh: Sequence[DemandPaths],
    levers: Levers,
    params: CommissioningParams,
    factor: str,
    change: float,
    *,
    member_levers: Sequence[Levers] | None = None,
    names: Sequence[str] | None = None,
    prices: PriceRise = DEFAULT_RISE,
    start: Plan | None = None,
) -> dict[str, Any]:
    """The pooled plan again with one of :data:`FACTORS` moved by ``change`` for every
    member (demand on both sets of paths, every spot price, or recruitment success):
    the members' cost alone, the pooled cost, the saving, the pooled plan's year-1
    block places and households recruited, and how close it is proven (status, gap).
    ``start``, the recommended pooled plan, is where the solve starts too: a run that
    stops before proof is never dearer on the case's paths than keeping it."""
    if factor not in FACTORS:
        raise ValueError(f"unknown sensitivity factor {factor!r}")
    m = 1.0 + change
    each = list(member_levers) if member_levers is not None else [levers] * len(demands)
    d, f, shared, success = list(demands), list(fresh), levers, 1.0
    if factor == "demand":
        d, f = [x.scaled(m) for x in demands], [x.scaled(m) for x in fresh]
    elif factor == "spot prices":
        shared, each = scale_spot(levers, m), [scale_spot(lv, m) for lv in each]
    else:
        success = m
    result = optimise_pooled(d, f, shared, params, prices=prices, names=names,
                             member_levers=each, recruitment_success=success,
                             start=start)  # fmt: skip
    s = plan_summary(result.pooled_plan)
    alone = result.alone_cost_gbp
    return {
        "factor": factor,
        "change": change,
        "alone_cost_gbp": round(alone, 2),
        "pooled_cost_gbp": round(result.pooled_score.expected_cost_gbp, 2),
        "saving_gbp": round(result.saving_gbp, 2),
        "saving_pct": round(result.saving_gbp / alone, 6) if alone else 0.0,
        "block_places_year1": s["block"],
        "households_recruited": s["recruit"],
        "status": str(result.solve.status),
        "gap": round(result.solve.gap, 6),
    }


def optimise_fixed(base: Plan, moved: Plan) -> Plan:
    """``base``'s commitments on ``moved``'s decisions (same levers, moved capacities)."""
    return Plan(moved.decisions, base.values, base.status, float("nan"), base.name)
