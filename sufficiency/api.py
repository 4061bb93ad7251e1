"""The public Python API: one function per job, typed inputs, typed immutable results.

Each function takes paths or already-read objects, a :class:`~sufficiency.config.Params`
or the path of its TOML file (defaults when ``None``; see
:func:`~sufficiency.config.load_params`) and
the command's options as keyword arguments with the command's defaults. Each returns a
frozen result with the figures as attributes and a ``write(out_dir)`` that writes
exactly the files the command writes. Nothing here prints; errors are
:class:`~sufficiency.errors.SufficiencyError` subclasses. See ``docs/api.md``.

In every function, ``history`` is a 903 history already read
(:class:`~sufficiency.io.ssda903.SSDA903History`) or the folder (or file) of returns
to read it from, and ``strict=True`` refuses an imperfect history instead of
repairing what a stated rule can and setting aside the rest.

The functions live here rather than in ``sufficiency`` itself because ``forecast`` is
also the name of a subpackage.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

import numpy as np
import pandas as pd

from sufficiency import clock
from sufficiency.commissioning.levers import Levers, load_levers
from sufficiency.commissioning.run import CommissionResult, commission_params, run_commission
from sufficiency.config import ForecastParams, Params, as_params, option_date, with_overrides
from sufficiency.errors import ConfigError, DataWarning, RepairWarning, notes_said_not_raised
from sufficiency.finance.inputs import budget_for_run, costs_for_run
from sufficiency.finance.report import default_costs
from sufficiency.finance.run import SpendResult, YearSpend, run_spend
from sufficiency.forecast.errors import ForecastWarning, history_over_a_year_old
from sufficiency.forecast.report import ForecastReport
from sufficiency.forecast.run import (
    BacktestReport,
    read_903,
    run_backtest,
    run_forecast,
    with_notes,
)
from sufficiency.forecast.scenario import Scenario, load_scenario
from sufficiency.forecast.states import CATEGORIES
from sufficiency.forecast.supply import SupplyPlan, load_supply, read_register, register_table
from sufficiency.io.atomic import is_path, user_path
from sufficiency.io.quality import DataQuality
from sufficiency.io.ssda903 import SSDA903History
from sufficiency.io.ssda903_scan import year_label
from sufficiency.matching.run import MatchRun, match
from sufficiency.matching.summary import MatchSummary
from sufficiency.plurals import numbered

__all__ = [
    "BacktestReport",
    "CommissionResult",
    "ForecastReport",
    "MatchRun",
    "MatchSummary",
    "SpendResult",
    "YearSpend",
    "backtest",
    "commission",
    "forecast",
    "forecast_params",
    "match",
    "spend",
]

#: A 903 history: already read, or the folder (or file) to read it from.
History: TypeAlias = "SSDA903History | str | os.PathLike[str]"
#: A file or folder: a ``Path``, text, or any path-like object (``os.PathLike``).
PathLike: TypeAlias = "str | os.PathLike[str]"
#: A day: a date (or datetime, or pandas Timestamp) or text in the form YYYY-MM-DD.
Day: TypeAlias = dt.date | pd.Timestamp | str
T = TypeVar("T")


def forecast_params(
    params: Params | PathLike | None = None,
    *,
    horizon_months: int | None = None,
    num_paths: int | None = None,
    seed: int | None = None,
) -> ForecastParams:
    """The ``[forecast]`` section of ``params`` with the options given (not ``None``) set.

    Raises
    ------
    ConfigError
        An option is out of range, or ``params`` cannot be used.
    """
    section = as_params(params).forecast
    return with_overrides(section, "forecast", horizon_months=horizon_months,
                          num_paths=num_paths, seed=seed)  # fmt: skip


def _day(value: Day | None, name: str) -> pd.Timestamp | None:
    """``value`` as a day (``None`` stays ``None``); ConfigError naming ``name`` if not one."""
    return None if value is None else pd.Timestamp(option_date(value, name))


def _days(values: Sequence[Day] | Day, name: str) -> list[pd.Timestamp]:
    """Each of ``values`` (or the one day given) as a day."""
    if isinstance(values, str | dt.date | np.datetime64) or not isinstance(values, Iterable):
        return [pd.Timestamp(option_date(values, name))]  # 2025 alone: "not a date"
    return [pd.Timestamp(option_date(v, name)) for v in values]


def _loaded(value: T | PathLike | None, kind: type[T], load: Callable[[Path], T],
            name: str) -> T | None:  # fmt: skip
    """``value`` if already a ``kind``, else loaded from its file with ``load``."""
    if value is None or isinstance(value, kind):
        return value
    if is_path(value):
        return load(user_path(value))
    raise ConfigError.wrong_kind(name, f"a {kind.__name__} or the path of its file", value)


def _history_or_path(history: History, name: str = "history") -> SSDA903History | Path:
    """``history`` if already read, else the folder or file to read it from."""
    if isinstance(history, SSDA903History):
        return history
    if is_path(history):
        return user_path(history)
    raise ConfigError.wrong_kind(name, "the 903 folder (a path) or an SSDA903History", history)


def _some(values: Any, one: type, name: str) -> list[Any]:
    """``values``, or the one value given (a path or a ``one``) as a list of one;
    ConfigError naming ``name`` if neither (``3`` was "'int' object is not iterable")."""
    if is_path(values) or isinstance(values, one):
        return [values]
    if isinstance(values, Iterable) and not isinstance(values, bytes | dict):
        return list(values)
    raise ConfigError.wrong_kind(name, f"a {one.__name__} or a path, or a list of them", values)


def _history(
    history: History, strict: bool, stages: Callable[[str], None] | None = None
) -> SSDA903History:
    """The history, read here when given as a path (and its repairs warned of)."""
    if stages is not None and not isinstance(history, SSDA903History):
        stages("Reading the 903 history")
    read = read_903(_history_or_path(history), strict)
    if not isinstance(history, SSDA903History):
        _warn_repairs(read.quality, os.fspath(history))
    return read


def _warn_repairs(quality: DataQuality | None, source: str, stacklevel: int = 5) -> None:
    """A :class:`~sufficiency.errors.RepairWarning` when reading a 903 history repaired or
    set aside rows, or found a year's return missing: the command prints what was done,
    and a notebook would otherwise be told nothing. ``stacklevel`` counts the frames to
    the caller's line (each job's :func:`~sufficiency.errors.notes_said_not_raised` is
    one)."""
    if quality is None:
        return
    said = []
    if quality.num_findings():
        said.append(f"{numbered(quality.num_findings(), 'row(s)')} repaired or set aside")
    if quality.missing_years:
        said.append("no return for " + ", ".join(year_label(y) for y in quality.missing_years))
    if said:
        warnings.warn(
            f"{source}: {'; '.join(said)}. The result's quality says what and where "
            "(quality.summary_lines(), quality.table()).",
            RepairWarning,
            stacklevel=stacklevel,
        )


@notes_said_not_raised
def forecast(
    history: History,
    params: Params | PathLike | None = None,
    *,
    start: Day | None = None,
    scenario: Scenario | PathLike | None = None,
    supply: SupplyPlan | PathLike | None = None,
    placements: pd.DataFrame | PathLike | None = None,
    backtest_cutoffs: Sequence[Day] | Day = (),
    horizon_months: int | None = None,
    num_paths: int | None = None,
    seed: int | None = None,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
    stages: Callable[[str], None] | None = None,
    run_date: Day | None = None,
) -> ForecastReport:
    """Forecast children looked after by placement category and age band, with intervals.

    Parameters
    ----------
    params
        Configuration, or its TOML file (:func:`~sufficiency.config.load_params`);
        defaults when ``None``.
    start
        Last observed day (default: the end of the history): a date or 'YYYY-MM-DD'.
    scenario
        A :class:`~sufficiency.forecast.scenario.Scenario` or its TOML file, simulated
        alongside the base forecast.
    supply, placements
        Supply assumptions (TOML) and the placement register (its file, or the table
        :func:`~sufficiency.io.inputs.read_placements` returns); either adds the supply,
        shortfall and purchases tables.
    backtest_cutoffs
        Also backtest at these cutoffs (12-month horizon).
    horizon_months, num_paths, seed
        Override the configuration's ``[forecast]`` values (36 months, 1,000 paths, 2026).
    progress
        Called with the month number as each simulation advances.
    stages
        Called with a few words as each stage starts (reading, fitting, each
        simulation, each backtest cutoff); ``print`` will do.
    run_date
        The day of the run (default: today in England): a forecast starting more than a
        year before it is said to rest on an old history, under "Read with care".

    Returns
    -------
    ForecastReport
        ``demand``, ``starts``, ``shortfall``, ``assumptions``, ``quality``, ``notes``,
        ``headline``... and ``write(out_dir)`` for the command's files.

    Raises
    ------
    SufficiencyError
        An input cannot be read, a date is not a date, or the start date is outside the
        history.
    """

    ConfigError.check_run_options(strict, progress=progress, stages=stages)
    fparams = forecast_params(params, horizon_months=horizon_months, num_paths=num_paths,
                              seed=seed)  # fmt: skip
    day, cutoffs = _day(start, "start"), _days(backtest_cutoffs, "backtest_cutoffs")
    scen = _loaded(scenario, Scenario, load_scenario, "scenario")
    plan = _loaded(supply, SupplyPlan, load_supply, "supply")
    ConfigError.check_kind("placements", placements, (pd.DataFrame, str, os.PathLike),
                           "the register (a table or the path of its file)")  # fmt: skip
    register, set_aside = (read_register(user_path(placements), strict)
                           if is_path(placements)
                           else (register_table(placements), None))  # fmt: skip
    read = _history(history, strict, stages)
    report = run_forecast(
        read,
        fparams,
        start=day,
        scenario=scen,
        supply=plan,
        placements=register,
        backtest_cutoffs=cutoffs,
        progress=progress,
        stages=stages,
    )
    today = clock.today() if run_date is None else option_date(run_date, "run_date")
    stale = history_over_a_year_old(report.base.start, today, read.end)
    said = [s for s in (set_aside, stale) if s]
    for sentence in said:
        warnings.warn(sentence, ForecastWarning, stacklevel=3)  # the caller's line
    if not said:
        return report
    return replace(report, notes=(*report.notes, *said),
                   assumptions=with_notes(report.assumptions, said))  # fmt: skip


@notes_said_not_raised
def backtest(
    history: History,
    cutoffs: Sequence[Day] | Day,
    params: Params | PathLike | None = None,
    *,
    horizon_months: int = 12,
    num_paths: int | None = None,
    seed: int | None = None,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
) -> BacktestReport:
    """Refit at each cutoff with only the data before it, and score against what happened.

    Parameters
    ----------
    cutoffs
        Cutoff dates (or one), dates or 'YYYY-MM-DD'; each needs ``horizon_months`` of
        history after it.
    params
        Configuration, or its TOML file; defaults when ``None``.
    horizon_months
        Months forecast from each cutoff (default 12).
    num_paths, seed
        Override the configuration's ``[forecast]`` values.
    progress
        Called with a few words as each stage starts (reading, each cutoff).

    Returns
    -------
    BacktestReport
        ``scores``, ``coverage``, ``summary`` (mean absolute percentage error of the
        total by method and horizon), ``quality``, ``notes`` (the warnings given), and
        ``write(out_dir)``.

    Raises
    ------
    SufficiencyError
        The history cannot be read, or a cutoff is outside it.
    """

    ConfigError.check_run_options(strict, progress=progress)
    fparams = forecast_params(params, num_paths=num_paths, seed=seed)
    days = _days(cutoffs, "cutoffs")
    if not days:
        raise ConfigError("cutoffs: give at least one cutoff date, such as '2025-03-31'.")
    read = _history(history, strict, progress)
    return run_backtest(read, days, horizon_months, fparams,
                        stages=progress)  # fmt: skip


@notes_said_not_raised
def spend(
    history: History,
    params: Params | PathLike | None = None,
    *,
    budget: pd.DataFrame | PathLike | None = None,
    scenario: Scenario | PathLike | None = None,
    costs: PathLike | None = None,
    start: Day | None = None,
    horizon_months: int | None = None,
    num_paths: int | None = None,
    seed: int | None = None,
    run_date: Day | None = None,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
    stages: Callable[[str], None] | None = None,
) -> SpendResult:
    """Project placement spend month by month, with a range, against budget.

    Parameters
    ----------
    params
        Configuration: ``[forecast]`` and ``[finance]`` (unit costs, inflation,
        financial year), or its TOML file; defaults when ``None``.
    budget
        Budget table or file (``financial_year, cost_line, budget_gbp``). A row with an
        error (a total row, a note, a line given twice) is set aside with a warning, kept
        under "Read with care" (``strict`` refuses instead); so is a year the forecast
        does not cover from its first day to its last.
    scenario
        A forecast scenario (or its TOML file) to price alongside the base.
    costs
        The council's own weekly costs file (per category or per current placement). A
        row with an error (a category or a child given twice, a cost that is not a
        number) is set aside with a warning, as the budget's are.
    start
        Forecast start (default: the end of the history).
    horizon_months, num_paths, seed
        Override the configuration's ``[forecast]`` values.
    run_date
        Run date shown in the outputs (default: today); a date or 'YYYY-MM-DD'.
    progress
        Called with the month number as each simulation advances.
    stages
        Called with a few words as each stage starts (reading, fitting, each
        simulation, pricing); ``print`` will do.

    Returns
    -------
    SpendResult
        ``monthly``, ``quarterly``, ``yearly``, ``years`` (per financial year),
        ``budget``, ``headline``, ``quality``, ``notes`` (every warning given), and
        ``write(out_dir)``.

    Raises
    ------
    SufficiencyError
        An input cannot be read (the budget: a column missing; with ``strict``, a row
        with an error).
    """

    ConfigError.check_run_options(strict, progress=progress, stages=stages)
    params = as_params(params)
    fparams = forecast_params(params, horizon_months=horizon_months, num_paths=num_paths,
                              seed=seed)  # fmt: skip
    day = _day(start, "start")
    today = clock.today() if run_date is None else option_date(run_date, "run_date")
    unit_costs, actual = default_costs(params.finance), None
    said: list[str] = []  # what reading the cost file and the budget set aside
    if costs is not None:
        if not is_path(costs):
            raise ConfigError.wrong_kind("costs", "the path of a costs file", costs)
        unit_costs, actual, costs_said = costs_for_run(user_path(costs), CATEGORIES, unit_costs,
                                                       strict=strict)  # fmt: skip
        said += costs_said
    table = None
    if budget is not None and not (isinstance(budget, pd.DataFrame) or is_path(budget)):
        raise ConfigError.wrong_kind("budget", "a budget table or the path of its file", budget)
    source = "budget table"  # as the budget's warnings name it
    if budget is not None:
        given = budget if isinstance(budget, pd.DataFrame) else user_path(budget)
        source = source if isinstance(budget, pd.DataFrame) else os.fspath(budget)
        table, budget_said = budget_for_run(given, CATEGORIES, strict=strict)
        said += budget_said
    read_notes = tuple(said)
    for note in read_notes:
        warnings.warn(note, DataWarning, stacklevel=3)  # the caller's line
    scen = _loaded(scenario, Scenario, load_scenario, "scenario")
    return run_spend(
        _history(history, strict, stages), fparams, params.finance, costs=unit_costs,
        run_date=today, actual_weekly_gbp=actual, budget=table,
        budget_source=source,
        scenario=scen,
        start=day, progress=progress, stages=stages,
        read_notes=read_notes,
    )  # fmt: skip


@notes_said_not_raised
def commission(
    history: History,
    levers: Levers | PathLike,
    params: Params | PathLike | None = None,
    *,
    num_paths: int | None = None,
    eval_paths: int | None = None,
    seed: int | None = None,
    horizon_months: int | None = None,
    solver: str | None = None,
    pool_with: Sequence[History] | History = (),
    pool_with_levers: Sequence[Levers | PathLike] | Levers | PathLike = (),
    shared_levers: Levers | PathLike | None = None,
    with_sensitivity: bool = True,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
    run_date: Day | None = None,
) -> CommissionResult:
    """Choose what to recruit, block-buy or spot-purchase, under forecast uncertainty.

    Parameters
    ----------
    levers
        Commissioning levers, or their TOML file (costs and sources).
    params
        Configuration: ``[forecast]``, ``[finance]`` (inflation) and ``[commissioning]``,
        or its TOML file; defaults when ``None``.
    num_paths, eval_paths, seed, horizon_months, solver
        Override the configuration's ``[commissioning]`` values (1,000 paths to
        optimise on, 1,000 fresh paths to score on, seed 2026, 60 months, HiGHS).
    pool_with
        Other authorities' histories to pool block contracts with.
    pool_with_levers
        Those authorities' own levers (or files), in the same order: their prices,
        recruitment, fee uplift and homes. Default: ``levers`` for each.
    shared_levers
        The block contracts the co-operative signs together (the members' terms; the
        maximum sizes are summed). Default: ``levers``.
    with_sensitivity
        Run the sensitivity analysis (slower).
    progress
        Called with a sentence as each stage starts (a run with the defaults takes
        minutes); ``print`` will do.
    run_date
        The day of the run (default: today in England): a history ending more than a
        year before it is said, under "Read with care".

    Returns
    -------
    CommissionResult
        ``plan``, ``expected_cost_gbp``, ``saving_vs_status_quo_gbp``, ``comparison``,
        ``sensitivity``, ``recommendation``, ``pooled``, ``quality``, ``notes`` (the
        warnings given), ``summary()`` and ``write(out_dir)``.

    Raises
    ------
    SufficiencyError
        An input or option is bad, a service limit cannot be met, or the solver fails.
    """

    ConfigError.check_run_options(strict, progress=progress)
    ConfigError.check_flag("with_sensitivity", with_sensitivity)  # "no" ran it
    params = commission_params(
        as_params(params), num_paths=num_paths, eval_paths=eval_paths, seed=seed,
        horizon_months=horizon_months, solver=solver,
    )  # fmt: skip

    def lever_set_of(x: Levers | PathLike, name: str) -> Levers:
        loaded = _loaded(x, Levers, load_levers, name)
        if loaded is None:
            raise ConfigError(f"{name}: expected a Levers or the path of its file, not None.")
        return loaded

    result = run_commission(
        _history_or_path(history), lever_set_of(levers, "levers"), params.forecast,
        params.finance, params.commissioning, with_sensitivity=with_sensitivity,
        pool_with=tuple(_history_or_path(h, "pool_with")
                        for h in _some(pool_with, SSDA903History, "pool_with")),
        pool_with_levers=tuple(lever_set_of(x, "pool_with_levers")
                               for x in _some(pool_with_levers, Levers, "pool_with_levers")),
        shared_levers=(None if shared_levers is None
                       else lever_set_of(shared_levers, "shared_levers")),
        strict=strict, progress=progress,
        run_date=clock.today() if run_date is None else option_date(run_date, "run_date"),
    )  # fmt: skip
    given = [history, *_some(pool_with, SSDA903History, "pool_with")]
    read = [("" if isinstance(history, SSDA903History) else os.fspath(history), result.quality),
            *((str(n), q) for n, q in result.pool_quality)]  # fmt: skip
    for source, (name, quality) in zip(given, read, strict=False):
        if not isinstance(source, SSDA903History):
            _warn_repairs(quality, name, stacklevel=4)
    return result


# Matching: ``match()`` (built in :mod:`sufficiency.matching.run`) is re-exported here.
