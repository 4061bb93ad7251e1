"""The region's units of work: pure functions a Dask worker runs, returning summaries.

Each task takes a small, picklable spec, calls the public API
(:mod:`sufficiency.api`), writes the same files the member's own commands write into
a staging folder published whole (:mod:`.publish`), and returns a frozen summary of
figures (never paths or arrays), so the client's memory stays small. A task gives the
same result each time it runs (its seed is in its spec), so Dask can re-run it on
another worker when one is lost. A member whose data cannot be used gives a
:class:`MemberFailure` with the reason and the data-quality summary, not an exception,
so the rest of the region runs.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from sufficiency import clock
from sufficiency.commissioning.levers import Levers, load_levers
from sufficiency.commissioning.pool_dates import left_out_reason, pool_date, too_few_reason
from sufficiency.commissioning.pooled import PooledResult, optimise_pooled
from sufficiency.commissioning.run import PoolInputs, commission_params, pool_inputs
from sufficiency.commissioning.sensitivity import pooled_sensitivity_row
from sufficiency.commissioning.writers import write_pooled
from sufficiency.config import Params
from sufficiency.errors import DataWarning, RepairWarning, SufficiencyError
from sufficiency.figures import money
from sufficiency.finance.outturn import estimated
from sufficiency.finance.pence import pounds
from sufficiency.finance.report import scale_doubt
from sufficiency.finance.summaries import WHOLE_YEAR
from sufficiency.io.history import SSDA903History
from sufficiency.io.quality import DataQuality
from sufficiency.region.found import read_then_failed, unreadable
from sufficiency.region.members import Member
from sufficiency.region.overlap import MemberRead, history_files
from sufficiency.region.publish import published
from sufficiency.region.reasons import failure_reason, named, sentence
from sufficiency.region.told import once, told
from sufficiency.vocabulary import counted, listed

T = TypeVar("T")
BASE_KEY = "base"
MAX_QUALITY_LINES = 15


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


def _quiet(func: Callable[[], T]) -> tuple[T, tuple[str, ...]]:
    """Run ``func``, collecting data warnings (printed by the client, once each). The
    Python API's note of a history's repairs (:class:`RepairWarning`, whose hint is a
    Python call) is left out: the region says each member's data quality itself. Any
    other warning (a library's FutureWarning, one of ours) is given again, as it was, for
    the task's :func:`~.told.told` to say on the client: it was dropped here, and a
    FutureWarning ignored."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        out = func()
    for w in once(caught):
        if not issubclass(w.category, DataWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    kept = [w for w in caught if not issubclass(w.category, RepairWarning)]
    seen = dict.fromkeys(str(w.message) for w in kept if issubclass(w.category, DataWarning))
    return out, tuple(seen)


def backtest_cutoff(end: pd.Timestamp, start: pd.Timestamp) -> pd.Timestamp | None:
    """The region's backtest cutoff: twelve months before the history's end, if the
    history has at least a year before it."""
    cutoff = (pd.Timestamp(end) - pd.DateOffset(months=12)) + pd.offsets.MonthEnd(0)
    return cutoff if cutoff - pd.DateOffset(months=12) >= pd.Timestamp(start) else None


@told
def read_member(member: Member, strict: bool = False) -> MemberRead:
    """A member's history read once for the run (one Dask task a member): its children
    (and its files' digest) are compared with the other members' (:mod:`.overlap`) before
    anything runs, and its forecast and spend tasks, one a scenario, use it rather than
    read it again."""
    from sufficiency.forecast import read_903

    files = history_files(member.history)  # a copy of another member's history is refused
    try:
        history, notes = _quiet(lambda: read_903(member.history, strict))
    except SufficiencyError:  # its tasks read it again, and say why it cannot be used
        return MemberRead(None, files=files)
    return MemberRead(history, notes, files)


@told
def run_member(task: MemberTask, read: MemberRead | None = None) -> MemberSummary | MemberFailure:
    """Forecast (with backtest) and spend for one member under one scenario; write, publish.

    ``read`` is the member's history as :func:`read_member` read it (read here if not
    given, or if it could not be read). Files: ``<out>/members/<code>/<scenario>/forecast/``
    (what ``sufficiency forecast`` writes) and ``.../spend/`` (what ``sufficiency spend``
    writes).
    """
    from sufficiency import api
    from sufficiency.forecast import read_903

    # Dask runs one task per core: each forecast simulates on one thread (results do not
    # depend on it), unless the worker's environment says otherwise.
    os.environ.setdefault("SUFFICIENCY_SIMULATION_THREADS", "1")
    m, scen = task.member, task.scenario
    given, notes = _history(m, read)
    try:
        history, notes = (
            (given, notes)
            if isinstance(given, SSDA903History)
            else _quiet(lambda: read_903(m.history, task.strict))
        )
    except SufficiencyError as exc:
        lines, found = _validate(m.history, task)
        return MemberFailure(m.code, m.name, scen.key, failure_reason(m, exc), lines, found)
    quality = tuple(history.quality.summary_lines()) if history.quality is not None else ()
    cutoff = backtest_cutoff(history.end, history.start)
    fp = api.forecast_params(task.params, seed=task.seed)
    params = task.params.model_copy(update={"forecast": fp})
    try:
        report, w1 = _quiet(
            lambda: api.forecast(
                history,
                params,
                scenario=scen.path,
                supply=m.supply,
                backtest_cutoffs=[cutoff] if cutoff is not None else [],
                run_date=task.run_date,
            )
        )
        spend, w2 = _spend(task, history, params)
        final = task.out_dir / "members" / m.code / scen.key
        with published(final) as staging:
            files = report.write(staging / "forecast") + spend.write(staging / "spend")
    except SufficiencyError as exc:
        found = (read_then_failed(history.quality, task.out_dir, m.code, scen.key)
                 if history.quality is not None else "")  # fmt: skip
        return MemberFailure(m.code, m.name, scen.key, failure_reason(m, exc), quality, found)
    # the history's cautions (a missing year, an in-year extract) first, as the member's
    # own reports put them: the forecast keeps them as notes, not as warnings said
    said = dict.fromkeys(named(m, w) for w in (*_cautions(history.quality), *notes, *w1, *w2))
    return _summary(task, report, spend, cutoff, history.quality, tuple(said), len(files))


def _cautions(quality: DataQuality | None) -> list[str]:
    """A history's cautions (a missing year, an in-year extract), then how its files were
    read and what was repaired or set aside (tabs or semicolons between columns, a
    previous-year copy used, rows set aside), which the member's own forecast says in its
    data quality summary and the region had left out."""
    return [*quality.cautions(), *quality.reading_notes()] if quality is not None else []


def _spend(task: MemberTask, history: Any, params: Any) -> tuple[Any, tuple[str, ...]]:
    """The member's spend projection, against its budget; a budget that cannot be used (a
    year beyond the forecast, a figure that is not a number) is said, and the spend is
    projected without it, rather than the member's whole run failing for it."""
    from sufficiency import api

    m = task.member

    def run(budget: Path | None) -> tuple[Any, tuple[str, ...]]:
        scenario, day = task.scenario.path, task.run_date
        return _quiet(
            lambda: api.spend(history, params, budget=budget, scenario=scenario, run_date=day)
        )

    try:
        return run(m.budget)
    except SufficiencyError as exc:
        if m.budget is None:
            raise
        spend, said = run(None)
        return spend, (
            *said,
            f"The budget could not be used, so spend is projected without a budget "
            f"comparison: {failure_reason(m, exc)}",
        )


def _summary(
    task: MemberTask,
    report: Any,
    spend: Any,
    cutoff: pd.Timestamp | None,
    quality: DataQuality | None,
    notes: Sequence[str],
    num_files: int,
) -> MemberSummary:
    is_base = task.scenario.path is None
    demand = report.demand if is_base else report.scenario_demand
    by_cat = demand[demand["age_band"] == "all"]
    first, last = by_cat["month"].min(), by_cat["month"].max()
    mix_now = _by_category(by_cat[by_cat["month"] == first])
    mix_forecast = _by_category(by_cat[by_cat["month"] == last])
    total = by_cat[(by_cat["category"] == "all") & (by_cat["month"] == last)].iloc[0]
    now = by_cat[(by_cat["category"] == "all") & (by_cat["month"] == first)].iloc[0]
    starts = report.starts
    labels = [s for s in starts["scenario"].unique() if s != "base"]
    label = "base" if is_base or not labels else str(labels[0])
    starts = starts[starts["scenario"] == label]
    months = sorted(starts["month"].unique())[:12]
    first_year = starts[starts["month"].isin(months) & (starts["category"] == "all")]
    year = spend.years[0]
    mean, p10, p90 = year.mean, year.p10, year.p90
    if not is_base and spend.scenario_comparison is not None:
        sc = spend.scenario_comparison
        row = sc[(sc["financial_year"] == year.financial_year) & (sc["cost_line"] == "all")]
        mean, p10, p90 = float(row["scenario_mean"].iloc[0]), None, None
    budget_gbp = variance = scenario_variance = to_date = None
    if spend.budget is not None:
        # the base's comparison, or the scenario's own (an outturn: the same spend to date
        # plus the scenario's months), as the member's spend outputs give them
        b = spend.budget if is_base else spend.scenario_budget
        b = b if b is not None else spend.budget.iloc[:0]
        row = b[(b["financial_year"] == year.financial_year) & (b["cost_line"] == "all")]
        if len(row) and row["basis"].iloc[0] != WHOLE_YEAR:
            # an in-year year's spend is its outturn, set against the whole year's budget
            r = row.iloc[0]
            mean, to_date = float(r["mean"]), float(r["spend_to_date_estimated_gbp"])
            p10, p90 = (float(r["p10"]), float(r["p90"])) if is_base else (None, None)
            notes = notes if not is_base else [*notes, (
                f"{year.financial_year} is its forecast outturn, as in the member's spend "
                f"outputs: spend to date {pounds(to_date)}, {estimated(str(r['basis']))}, plus "
                f"the {counted(year.months, 'forecast month')} (mean "
                f"{money(float(r['rest_of_year_mean_gbp']))})"
            )]  # fmt: skip
        if len(row):
            budget_gbp = float(row["budget_gbp"].iloc[0])
            # the base case's variance is the central projection's; a scenario's is its own,
            # kept apart (it was given as the variance, the scenario's spend read as central)
            if is_base:
                variance = round(mean - budget_gbp, 2)
            else:
                scenario_variance = round(mean - budget_gbp, 2)
    ape = coverage = None
    starts_score: dict[str, Any] = {}
    if report.backtest is not None:
        summary = report.backtest.summary()
        at12 = summary[summary["horizon_months"] == summary["horizon_months"].max()]
        ape = round(float(at12["model"].iloc[0]), 4)
        coverage = round(float(at12["p10_p90_coverage_pct"].iloc[0]), 4)
        starts_score = _starts_score(report.backtest.starts)
    return MemberSummary(
        code=task.member.code,
        name=task.member.name,
        scenario=task.scenario.key,
        scenario_name="Base" if is_base else label,
        seed=task.seed,
        start=str(first),
        horizon_month=str(last),
        in_care_now=float(now["mean"]),
        in_care_forecast=float(total["mean"]),
        in_care_forecast_p10=float(total["p10"]),
        in_care_forecast_p90=float(total["p90"]),
        mix_now=mix_now,
        mix_forecast=mix_forecast,
        starts_first_year=round(float(first_year["mean"].sum()), 4),
        financial_year=year.financial_year,
        spend_gbp=float(mean),
        spend_p10_gbp=p10,
        spend_p90_gbp=p90,
        budget_gbp=budget_gbp,
        budget_variance_gbp=variance,
        backtest_cutoff=str(cutoff.date()) if cutoff is not None else None,
        backtest_ape_12_pct=ape,
        backtest_coverage_pct=coverage,
        quality=tuple(quality.summary_lines()) if quality is not None else (),
        warnings=tuple(notes),
        num_files=num_files,
        findings=quality.num_findings() if quality is not None else 0,
        spend_months=year.months,
        scenario_variance_gbp=scenario_variance,
        spend_to_date_gbp=to_date,
        budget_doubt=scale_doubt(budget_gbp, mean) if budget_gbp is not None else None,
        starts_months=len(months),
        **starts_score,
    )


def _starts_score(starts: pd.DataFrame) -> dict[str, Any]:
    """The backtest's placement starts score, as :class:`MemberSummary` fields."""
    row = starts[starts["flow"] == "placement_starts"]
    if not len(row):  # a cutoff whose year after it has a collection year missing
        return {}
    ape = float(row["ape_pct"].iloc[0])
    return {
        "backtest_starts_ape_pct": None if pd.isna(ape) else round(ape, 4),
        "backtest_starts_inside": bool(row["inside"].iloc[0]),
        "backtest_starts_actual": float(row["actual"].iloc[0]),
    }


def _by_category(frame: pd.DataFrame) -> dict[str, float]:
    rows = frame[frame["category"] != "all"]
    return {str(c): float(v) for c, v in zip(rows["category"], rows["mean"], strict=True)}


@told
def run_commission(
    task: CommissionTask, read: MemberRead | None = None
) -> CommissionSummary | MemberFailure:
    """A member's own commissioning plan and sensitivity, into ``members/<code>/commission``.

    ``read`` is the member's history as :func:`read_member` read it (read here if not
    given, or if it could not be read), as for its forecast and spend."""
    from sufficiency import api

    m, levers = task.member, task.member.levers
    if levers is None:
        return MemberFailure(m.code, m.name, "commission", "No levers file for this member.")
    history, notes = _history(m, read)
    try:
        result, said = _quiet(
            lambda: api.commission(
                history,
                levers,
                task.params,
                seed=task.seed,
                strict=task.strict,
                run_date=task.run_date,
            )
        )
        with published(task.out_dir / "members" / m.code / "commission") as staging:
            result.write(staging)
    except SufficiencyError as exc:
        return MemberFailure(m.code, m.name, "commission", failure_reason(m, exc))
    cost = result.expected_cost_gbp
    sens = result.sensitivity
    rows: tuple[dict[str, Any], ...] = ()
    if sens is not None:  # a case not tested has no figures: None, not pandas' <NA>
        rows = tuple(sens.astype(object).where(sens.notna(), None).to_dict("records"))
    return CommissionSummary(
        m.code,
        m.name,
        task.seed,
        round(cost["stochastic"], 2),
        round(cost["status_quo"], 2),
        round(result.saving_vs_status_quo_gbp, 2),
        rows,
        result.recommendation[-2],
        tuple(dict.fromkeys((*_cautions(result.quality), *notes, *said))),
    )


def _history(m: Member, read: MemberRead | None) -> tuple[SSDA903History | Path, tuple[str, ...]]:
    """The member's history as its read task read it (the worker's copy is every task's, so
    each task has its own), with what reading it said; else its path, to read again (a
    history that could not be read: the task says why)."""
    if read is None or read.history is None:
        return m.history, ()
    return copy.deepcopy(read.history), read.notes


@dataclass(frozen=True, eq=False)
class PreparedPool:
    """What the pooled plan and its sensitivity runs share: the members pooled (those
    whose base forecast ran), their demand paths, their own levers and the shared ones.
    It stays on the cluster; the client never gathers it."""

    members: tuple[Member, ...]
    left_out: tuple[str, ...]
    inputs: PoolInputs
    levers: tuple[Levers, ...]
    shared: Levers
    params: Params
    #: The shared levers' figures that look like a slip (the members' own are said with
    #: their own plans), read with the pooled plan.
    said: tuple[str, ...] = ()
    #: Members left out because their histories end on another day, each with why.
    set_aside: tuple[LeftOut, ...] = ()


@told
def prepare_pooled(
    task: PooledTask, *outcomes: object, reads: Sequence[MemberRead | None] = ()
) -> PreparedPool | MemberFailure:
    """Forecast the members whose base forecast ran (``outcomes``, any order) for pooling.

    ``reads`` are the members' histories as :func:`read_member` read them, in the order of
    ``task.members`` (each read here when not given).

    Runs after the members' base tasks, so a member whose data cannot be used is left
    out of the pool rather than failing it. The pooled members are in the order of their
    codes, whatever the members file's, and each member's seeds are those
    ``sufficiency commission --pool-with`` gives it (the first's the pooled seed, each
    other's offset from its episodes).
    """
    failed = {o.code for o in outcomes if isinstance(o, MemberFailure)}
    usable = [m for m in task.members if m.code not in failed and m.levers is not None]
    ends = {o.code: o.start for o in outcomes if isinstance(o, MemberSummary)}
    when = pool_date([ends[m.code] for m in usable if m.code in ends]) if ends else None
    # in the order of their codes, not the file's: the first member's pooling forecast
    # has the pooled seed's stream and the others their own, so the file's order moved them
    members = tuple(sorted((m for m in usable if when is None or ends.get(m.code, when) == when),
                           key=lambda m: m.code))  # fmt: skip
    pooled = [m.name for m in members]
    set_aside = tuple(
        LeftOut(m.code, m.name, left_out_reason(ends[m.code], when, pooled))
        for m in usable
        if when is not None and m not in members
    )
    left_out = tuple(m.code for m in task.members if m.code in failed or m not in members)
    if len(members) < 2:
        why = "Pooling needs two or more members with levers and usable data."
        if set_aside:
            why = too_few_reason({m.name: ends[m.code] for m in usable})
        return MemberFailure("pooled", "Pooled plan", "pooled", why)
    try:
        params = commission_params(task.params, seed=task.seed)
        # the members' own levers' doubts are said with their own plans
        levers, _ = _quiet(lambda: tuple(load_levers(m.levers) for m in members if m.levers))
        shared, said = _quiet(lambda: load_levers(task.levers))
        said += _whose_terms(task, members, levers, shared)
        read = dict(zip((m.code for m in task.members), reads, strict=False))
        histories = [_history(m, read.get(m.code))[0] for m in members]
        inputs, _ = _quiet(
            lambda: pool_inputs(
                histories, params.forecast, params.commissioning,
                strict=task.strict, names=[m.name for m in members],
            )
        )  # fmt: skip
    except SufficiencyError as exc:
        return MemberFailure("pooled", "Pooled plan", "pooled", _sentence(exc))
    return PreparedPool(members, left_out, inputs, levers, shared, params, said, set_aside)


@told
def _whose_terms(
    task: PooledTask, members: Sequence[Member], levers: Sequence[Levers], shared: Levers
) -> tuple[str, ...]:
    """Without ``[region] levers``, the pooled plan's block contracts are the first member's
    (with a levers file) terms: said when a pooled member's own terms differ from them
    (the plan then signs terms that member did not give), nothing when all are alike."""
    first = task.levers_of
    if first is None:
        return ()
    others = [m.name for m, lv in zip(members, levers, strict=True) if lv.block != shared.block]
    if not others:
        return ()
    return (
        f"The members file has no [region] levers, so the pooled plan's block contracts are "
        f"on the terms of {first.name}'s levers file ({first.shown(task.levers)}), the first "
        f"member's in the file with one; the block contract terms in the levers files of "
        f"{listed(others)} differ. Give the terms the co-operative signs as [region] levers "
        "in the members file",
    )


def run_pooled_sensitivity(
    prepared: PreparedPool | MemberFailure,
    factor: str,
    change: float,
    solved: PooledResult | MemberFailure | None = None,
) -> dict[str, Any] | None:
    """One pooled sensitivity run (``factor`` moved by ``change`` for every member): its
    row, ``None`` when there is no pool, or the row with ``failed`` saying why. ``solved``,
    the recommended pooled plan, is where the run's solve starts too, so a run stopped
    before proof is never dearer than keeping the recommended plan."""
    if isinstance(prepared, MemberFailure):
        return None
    p = prepared.params
    start = solved.pooled_plan if isinstance(solved, PooledResult) else None
    try:
        row, _ = _quiet(
            lambda: pooled_sensitivity_row(
                prepared.inputs.demands, prepared.inputs.fresh, prepared.shared,
                p.commissioning, factor, change, member_levers=prepared.levers,
                names=prepared.inputs.names, prices=p.finance.price_rise, start=start,
            )
        )  # fmt: skip
    except SufficiencyError as exc:
        return {"factor": factor, "change": change, "failed": _sentence(exc)}
    return row


@told
def solve_pooled_plan(prepared: PreparedPool | MemberFailure) -> PooledResult | MemberFailure:
    """The recommended pooled plan: each member on its own levers and prices, block
    contracts on the shared terms (or the failure, saying why)."""
    if isinstance(prepared, MemberFailure):
        return prepared
    p, inputs = prepared.params, prepared.inputs
    try:
        result, _ = _quiet(
            lambda: optimise_pooled(
                inputs.demands, inputs.fresh, prepared.shared, p.commissioning,
                prices=p.finance.price_rise, names=inputs.names,
                member_levers=prepared.levers,
            )
        )  # fmt: skip
    except SufficiencyError as exc:
        return MemberFailure("pooled", "Pooled plan", "pooled", _sentence(exc))
    return result


@told
def run_pooled(
    task: PooledTask,
    prepared: PreparedPool | MemberFailure,
    *sensitivity: dict[str, Any] | None,
    solved: PooledResult | MemberFailure | None = None,
) -> PooledSummary | MemberFailure:
    """The pooled plan (``solved``, or solved here when not given) with its sensitivity
    runs (``sensitivity``, done as tasks of their own): writes ``pooling.csv``,
    ``plan.csv`` and ``sensitivity.csv`` into ``<out>/pooled``."""
    if isinstance(prepared, MemberFailure):
        return prepared
    result = solve_pooled_plan(prepared) if solved is None else solved
    if isinstance(result, MemberFailure):
        return result
    inputs, members = prepared.inputs, prepared.members
    rows_sens = tuple(r for r in sensitivity if r is not None)
    try:
        start = pd.Timestamp(inputs.demands[0].month_ends[0])
        with published(task.out_dir / "pooled") as staging:
            write_pooled(result, pd.DataFrame(list(rows_sens)), start, staging)
    except SufficiencyError as exc:
        return MemberFailure("pooled", "Pooled plan", "pooled", _sentence(exc))
    table = result.table()
    table.insert(0, "code", [*(m.code for m in members), "region"])
    table["authority"] = [*(m.name for m in members), "Co-operative (pooled)"]
    rows = tuple(
        {k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
        for r in table.to_dict("records")
    )
    # each member's pooling forecast's warnings, to be read with the plan under its name
    notes = tuple(zip((m.code for m in members), inputs.notes, strict=False))
    notes += (("region", prepared.said),) if prepared.said else ()
    return PooledSummary(task.seed, rows, prepared.left_out, rows_sens, result.proof(),
                         tuple(result.worse_off()), notes, prepared.set_aside)  # fmt: skip


def _sentence(exc: BaseException) -> str:
    return sentence(str(exc))


def _validate(history: Path, task: MemberTask) -> tuple[tuple[str, ...], str]:
    """What ``sufficiency validate`` finds in a history that could not be read: its first
    lines (for the console) and, for the report, in words, each finding written to the
    member's ``data_quality.csv``."""
    from sufficiency.validate import validate_paths

    try:
        report = validate_paths(
            [history],
            run_date=task.run_date or clock.today(),
            default_responsible_la=task.member.code,
        )
    except SufficiencyError as exc:  # pragma: no cover - validate reports, it does not raise
        return (_sentence(exc),), ""
    text = named(task.member, report.to_text())  # its paths as the members file names them
    lines = [line for line in text.splitlines() if line.strip()]
    found = unreadable(report, task.out_dir, task.member.code, task.scenario.key)
    return tuple(lines[:MAX_QUALITY_LINES]), found
