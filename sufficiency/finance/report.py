"""Spend report assembly: price a forecast, compare with the budget, state the assumptions."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Sequence

import pandas as pd

from sufficiency import __version__, figures, vocabulary
from sufficiency.config import FinanceParams
from sufficiency.errors import ConfigError, DataWarning
from sufficiency.finance.closed_year import closed_without_budget, closed_words, price_year
from sufficiency.finance.inputs import PROFILE
from sufficiency.finance.months_to_date import months_to_date
from sufficiency.finance.outturn import (
    SpendToDate,
    closed_year,
    described,
    in_care_costs,
    outturn_years,
    spend_to_date,
    year_bounds,
)
from sufficiency.finance.pence import pounds
from sufficiency.finance.previous import prices_dated
from sufficiency.finance.projection import SpendProjection, UnitCosts, project_spend
from sufficiency.finance.summaries import (
    budget_comparison,
    financial_year,
    monthly_table,
    period_table,
    reconciliation,
    scenario_comparison,
)
from sufficiency.finance.workbook import SpendReport, line_label
from sufficiency.forecast import CareSpells, ForecastResult, history_old_opening, notes_kept
from sufficiency.io.quality import DataQuality


def default_costs(params: FinanceParams) -> UnitCosts:
    """The configured unit costs and their sources."""
    return UnitCosts(dict(params.weekly_cost_gbp), dict(params.cost_source))


def project_forecast(
    result: ForecastResult,
    params: FinanceParams,
    costs: UnitCosts,
    actual_weekly_gbp: float | None = None,
) -> SpendProjection:
    """Price a forecast's simulated paths (children by category at each month end)."""
    return project_spend(
        result.stock.sum(axis=3),
        result.month_ends,
        tuple(result.categories),
        costs,
        inflation_rate=params.inflation_rate,
        uplift_month=params.uplift_month,
        uplift_day=params.uplift_day,
        financial_year_start_month=params.financial_year_start_month,
        actual_weekly_gbp=actual_weekly_gbp,
        scenario=result.scenario,
        price_date=params.price_rise.base(result.start),
    )


def _year_over(
    proj: SpendProjection, run_date: dt.date, history_end: pd.Timestamp | None = None
) -> str | None:
    """A sentence when the first financial year projected ended before the run date: a
    nightly job left on last year's 903 return projected a year already over, as a
    forecast, with no word. A start before ``history_end`` (an early ``--start``) is
    told to start at the history's end, not to load a return already loaded."""
    fy = financial_year(proj.start + pd.Timedelta(days=1), proj.financial_year_start_month)
    if pd.Timestamp(run_date) <= year_bounds(fy, proj.financial_year_start_month)[1]:
        return None
    early = history_end is not None and history_end > proj.start
    return (
        f"{history_old_opening(proj.start)}but the run date is "  # day as the opening says it
        f"{figures.day(run_date)}: {fy} is over, yet its spend here is projected, not "
        "counted; "
        + (f"start it at the end of the 903 history loaded (the default, "
           f"{figures.day(history_end)})" if early and history_end is not None
           else "load the latest 903 return")
    )  # fmt: skip


def spend_report(
    base: ForecastResult,
    params: FinanceParams,
    *,
    costs: UnitCosts,
    run_date: dt.date,
    actual_weekly_gbp: float | None = None,
    budget: pd.DataFrame | None = None,
    budget_source: str = "budget file",
    scenario: ForecastResult | None = None,
    quality: DataQuality | None = None,
    notes: Sequence[str] = (),
    care: CareSpells | None = None,
) -> SpendReport:
    """Project spend for the base forecast (and a scenario), compare with the budget.

    ``quality`` (what was repaired or set aside in the 903 history) is shown in the
    workbook and written to ``data_quality.csv``; ``notes`` (the forecast's warnings)
    are rows of its Assumptions sheet, under "Read with care". ``care`` (the history's
    care spells) lets a budget year the forecast starts inside be compared as its outturn:
    its spend to date estimated from the history plus the forecast for the rest of it
    (:mod:`sufficiency.finance.outturn`); without it such a year is set aside.
    """
    if care is not None:  # the cost file's placements that are the history's children now
        costs, actual_weekly_gbp, said = in_care_costs(care, base.start, costs, actual_weekly_gbp)
        if said is not None:
            warnings.warn(said, DataWarning, stacklevel=2)
            notes = [*notes, said + "."]
    priced: list[str] = []  # the costs' warnings, kept for the workbook's readers too
    with notes_kept(priced, keep=DataWarning):
        proj = project_forecast(base, params, costs, actual_weekly_gbp)
    notes = [*notes, *(f"{n.rstrip('.')}." for n in priced)]
    if (stale := _year_over(proj, run_date, care.data_end if care else None)) is not None:
        warnings.warn(stale, DataWarning, stacklevel=2)
        notes = [*notes, stale + "."]
    scen = project_forecast(scenario, params, costs, actual_weekly_gbp) if scenario else None
    comparison_budget = scen_budget = None
    part: dict[str, str] = {}  # budget years set aside: the forecast covers only part
    to_date: dict[str, SpendToDate] = {}  # budget years compared as their outturn
    outside: dict[str, str] = {}  # and years it does not reach at all
    set_aside: list[str] = []  # what is said of each year set aside, kept for the API

    def say_set_aside(sentence: str) -> None:
        warnings.warn(sentence, DataWarning, stacklevel=3)
        set_aside.append(sentence)

    if budget is not None:
        years = {financial_year(m, params.financial_year_start_month) for m in proj.months}
        closed = closed_year(proj) if care is not None else None  # a year-end run's year
        years |= {closed} if closed is not None else set()
        first_day = proj.start + pd.Timedelta(days=1)
        runs = f"{figures.day(first_day)} to {figures.day(proj.months[-1])}"
        for fy in sorted(set(budget["financial_year"]) - years):
            # a past year kept in the file, or one beyond the horizon: a line with no
            # projected spend to set against it costs its own comparison, not the run's
            later = year_bounds(fy, proj.financial_year_start_month)[0] > first_day
            outside[str(fy)] = _misnamed(str(fy), proj.financial_year_start_month) or (
                f"outside the forecast, which runs from {runs}"
            )
            say_set_aside(
                f"{budget_source}: budget year {fy} is set aside: it is {outside[str(fy)]}, "
                "so no spend is projected for it"
                + (" (lengthen --horizon-months to compare it)" if later else "")
            )
        inside = budget[budget["financial_year"].isin(years)]
        why_not: dict[str, str] = {}  # started inside, but no spend to date from the history
        if care is not None:
            years_in, why_not = outturn_years(inside, proj, care)
            to_date = {fy: spend_to_date(care, proj, params, fy, begins)
                       for fy, begins in years_in.items()}  # fmt: skip
        part = {fy: covered for fy, covered in _part_years(inside, proj).items()
                if fy not in to_date}  # fmt: skip
        for fy, why in why_not.items():
            where = (f"it ended on {figures.day(proj.start)}, the forecast start," if fy == closed
                     else f"the forecast starts inside it ({part[fy]})")  # fmt: skip
            say_set_aside(
                f"{budget_source}: budget year {fy} is set aside: {where} and its spend "
                f"to date cannot be estimated, since {why}"
            )
        for fy, covered in part.items():
            if fy in why_not:
                continue
            say_set_aside(
                f"{budget_source}: budget year {fy} is set aside: the forecast covers only "
                f"part of it ({covered}), so its spend cannot be set against the whole "
                "year's budget (lengthen --horizon-months or start the forecast before the "
                "year to compare it)"
            )
        for fy, lines, total in _lines_over_total(budget):
            warnings.warn(
                f"{budget_source}: budget year {fy}: its cost lines' budgets add to "
                f"{pounds(lines)}, more than the whole placements budget (cost line 'all') of "
                f"{pounds(total)}; each line is compared as given, but check the file",
                DataWarning,
                stacklevel=2,
            )
            notes = [
                *notes,
                f"Budget {fy}: the cost lines' budgets add to {pounds(lines)}, more "
                f"than the whole placements budget of {pounds(total)} (check the file).",
            ]
        whole = budget[~budget["financial_year"].isin([*part, *outside])]
        fixed = {fy: t.gbp for fy, t in to_date.items()}
        bases = {fy: t.basis for fy, t in to_date.items()}
        comparison_budget = budget_comparison(proj, whole, fixed, bases) if len(whole) else None
        if comparison_budget is not None and (doubt := _scale_doubt(comparison_budget)):
            warnings.warn(f"{budget_source}: {doubt}", DataWarning, stacklevel=2)
            notes = [*notes, f"Budget: {doubt}."]
        if scen is not None and len(whole):  # the same spend to date: the scenario starts now
            scen_budget = budget_comparison(scen, whole, fixed, bases).assign(
                scenario=scen.scenario
            )
    past, no_past = months_to_date(care, proj, params, to_date) if care else (None, None)
    if no_past is not None:  # the Monthly sheet starts at the forecast, and says why
        notes = [*notes, f"The months of the year before the forecast start are not shown "
                 f"as actual spend, since {no_past}."]  # fmt: skip
    missing = closed_without_budget(past, comparison_budget, params.financial_year_start_month)
    uplift = f"{params.uplift_day} {dt.date(2000, params.uplift_month, 1):%B}"  # 1 April
    assumptions: list[tuple[str, str]] = [
        *[(f"Weekly cost: {line_label(line)}", f"£{costs.weekly_cost_gbp.get(line, 0):,.2f} "
           f"({costs.source.get(line, 'not given')})") for line in proj.cost_lines],
        ("Inflation", f"{params.inflation_rate:.1%} a year, applied on {uplift} each year"),
        ("Price date of the weekly costs", prices_dated(proj.price_date, params)),
        ("Financial year starts", dt.date(2000, params.financial_year_start_month, 1)
         .strftime("%B")),
        ("Data cut-off (forecast start)", f"{figures.day(proj.start)}"),
        ("Run date", figures.day(run_date)),
        ("Software version", f"sufficiency {__version__}"),
        ("Simulated paths", f"{proj.num_paths:,} (seed {base.seed})"),
        ("Scenario", scenario.scenario if scenario is not None else "none"),
        ("Method", "Monthly spend = child-days x weekly cost / 7 x price index; child-days "
         "are the mean of the month's opening and closing stock times its days."),
        ("Percentiles", "P10/P50/P90 of a quarter or year are those of each path's total, "
         "so they do not add up from months; means do."),
        ("Run-rate", f"{proj.run_rate_basis}, for the first forecast month"),
        *[(f"Budget {fy}", f"set aside: the forecast covers only {covered} of the year, "
           "so its spend is not compared with the year's budget") for fy, covered
          in part.items()],
        *[(f"Budget {fy}", described(t, _months_in(proj, fy))) for fy, t in to_date.items()],
        *[(f"Budget {fy}", f"set aside: {why}, so no spend is projected for it")
          for fy, why in outside.items()],
        *([(f"Budget {missing}", "none given: " + closed_words(past, price_year(proj)))]
          if missing is not None and past is not None else []),
        *[(vocabulary.READ_WITH_CARE, note) for note in notes],
    ]  # fmt: skip
    return SpendReport(
        base=proj,
        scenario=scen,
        monthly=monthly_table(proj),
        quarterly=period_table(proj, "quarter"),
        yearly=period_table(proj, "financial_year"),
        budget=comparison_budget,
        comparison=scenario_comparison(proj, scen) if scen is not None else None,
        reconciliation=reconciliation(proj),
        assumptions=assumptions,
        quality=quality,
        scenario_budget=scen_budget,
        notes=(*notes, *set_aside),
        to_date=past,
        profiles=_profiles(budget),
    )


def _profiles(budget: pd.DataFrame | None) -> dict[str, tuple[float, ...]]:
    """Each year's whole placements budget month by month, when the budget file gives it
    so (:data:`~sufficiency.finance.inputs.PROFILE`): the workbook's budget profile."""
    if budget is None or PROFILE not in budget.columns:
        return {}
    rows = budget[(budget["cost_line"] == "all") & budget[PROFILE].notna()]
    return {str(fy): tuple(v) for fy, v in zip(rows["financial_year"], rows[PROFILE],
                                               strict=True)}  # fmt: skip


def _misnamed(fy: str, start_month: int) -> str | None:
    """Why budget year ``fy`` names no financial year of this configuration, when it is
    written in the other style: ``2026`` (a calendar year) where financial years start in
    April, or ``2026-27`` where they are calendar years (``None`` when its style fits)."""
    month = dt.date(2000, start_month, 1).strftime("%B")
    if "-" not in fy and start_month != 1:
        return (
            f"named as a calendar year, but financial years here start in {month} "
            f"([finance] financial_year_start_month = {start_month}; write it as "
            f"{fy}-{(int(fy) + 1) % 100:02d}, or set financial_year_start_month = 1)"
        )
    if "-" in fy and start_month == 1:
        return (
            f"named as a year across two calendar years, but financial years here are "
            "calendar years ([finance] financial_year_start_month = 1; write it as "
            f"{fy[:4]}, or set financial_year_start_month to the month they start)"
        )
    return None


def _lines_over_total(budget: pd.DataFrame) -> list[tuple[str, float, float]]:
    """(year, sum of its cost lines, its 'all' line) for each budget year whose cost lines
    add to more than its whole placements budget: parts that exceed their whole, which no
    comparison can reconcile (the sum is not checked against a year's spend otherwise)."""
    out = []
    for fy, rows in budget.groupby("financial_year", sort=True):
        total = rows.loc[rows["cost_line"] == "all", "budget_gbp"].astype(float)
        lines = float(rows.loc[rows["cost_line"] != "all", "budget_gbp"].astype(float).sum())
        if len(total) and lines > float(total.iloc[0]) + 0.5:
            out.append((str(fy), lines, float(total.iloc[0])))
    return out


#: A budget line this many times smaller or larger than its projected spend is doubted:
#: a finance system's figures in thousands (£000s) or millions, or a line typed as pence.
_SCALE_DOUBT = 100
#: Below this projected spend in a year (GBP) a line is not doubted: a cost line the
#: authority barely uses may have a budget of any size.
_SCALE_FLOOR_GBP = 10_000


#: How a doubted budget line stands to its projected spend (:func:`scale_doubt`).
UNDER, OVER = "less than a hundredth of", f"over {_SCALE_DOUBT} times"


def scale_doubt(budget_gbp: float, spend_gbp: float) -> str | None:
    """:data:`UNDER` or :data:`OVER` when a budget line is under a hundredth, or over a
    hundred times, of the spend projected for it (a budget in £000s, or in pence), else
    ``None`` (also under £10,000 of spend, or a budget of zero or less)."""
    if spend_gbp < _SCALE_FLOOR_GBP or budget_gbp <= 0:
        return None
    if budget_gbp * _SCALE_DOUBT < spend_gbp:
        return UNDER
    return OVER if budget_gbp > spend_gbp * _SCALE_DOUBT else None


def _scale_doubt(comparison: pd.DataFrame) -> str | None:
    """A sentence naming the budget lines under a hundredth, or over a hundred times, of
    the spend projected for them, or ``None``. A budget in thousands of pounds (74,000 for
    £74,000,000, as finance systems often give it) was compared as pounds with no word:
    a variance of +£71 million and a probability of overspend of 100%."""
    how = pd.Series(
        [scale_doubt(float(b), float(m))
         for b, m in zip(comparison["budget_gbp"], comparison["mean"], strict=True)],
        index=comparison.index, dtype=object,
    )  # fmt: skip
    said = [
        _doubted(comparison[how == doubt], doubt, hint)
        for doubt, hint in (
            (UNDER, "if the file gives thousands of pounds (£000s) or millions, give "
             "budget_gbp in pounds (74,000,000, not 74,000 or 74)"),
            (OVER, "check that budget_gbp is in pounds, not pence"),
        )
    ]  # fmt: skip
    return "; ".join(x for x in said if x) or None


def _doubted(rows: pd.DataFrame, how: str, hint: str) -> str:
    """``rows`` (budget lines) said as ``how`` their projected spend, with ``hint``."""
    if rows.empty:
        return ""
    one = len(rows) == 1
    # the budget as given (pence under £100); the projection to the futures' precision
    lines = [f"{r.financial_year} {line_label(str(r.cost_line))}: {_pounds(r.budget_gbp)} "
             f"against {figures.money(r.mean)} projected"
             for r in rows.itertuples()]  # fmt: skip
    return (
        f"{vocabulary.counted(len(rows), 'budget line')} {'is' if one else 'are'} {how} the "
        f"spend projected for {'it' if one else 'each'} ({'; '.join(lines)}): {hint}; "
        f"{'it is' if one else 'each is'} compared as given"
    )


def _pounds(gbp: float) -> str:
    """Pounds as a sentence gives them: pence shown only under £100 (£8.20, £74,000)."""
    return f"£{gbp:,.2f}" if abs(gbp) < 100 else f"{pounds(gbp)}"


def _part_years(budget: pd.DataFrame, proj: SpendProjection) -> dict[str, str]:
    """Budget years the forecast does not cover from their first day to their last, with
    the dates it does cover. Their projected spend would be part of a year's, set against
    the whole year's budget: a large underspend and no chance of overspending that are
    artefacts of the dates, so they are set aside, not compared."""
    first_day = proj.start + pd.Timedelta(days=1)
    last_day = proj.months[-1]
    part = {}
    for fy in sorted(set(budget["financial_year"])):
        begins, ends = year_bounds(fy, proj.financial_year_start_month)
        if not (first_day <= begins and last_day >= ends):
            part[str(fy)] = (
                f"{figures.day(max(first_day, begins))} to {figures.day(min(last_day, ends))}"
            )
    return part


def _months_in(proj: SpendProjection, fy: str) -> int:
    """Forecast months in financial year ``fy``."""
    return sum(financial_year(m, proj.financial_year_start_month) == fy for m in proj.months)


def check_budget_lines(budget: pd.DataFrame, lines: tuple[str, ...]) -> None:
    """Every budget line names a cost line (guaranteed by the reader; kept for callers)."""
    unknown = sorted(set(budget["cost_line"]) - {*lines, "all"})
    if unknown:
        raise ConfigError("budget lines with no matching category: " + ", ".join(unknown))
