"""The forecast job as library calls: one forecast entry, the report, the backtest.

:func:`forecast_history` is the one forecast entry every job uses (forecast, spend,
commissioning): read the history if given a path, build care spells, take the
default start, fit once, simulate the base (and a scenario). :func:`run_forecast`
adds supply, shortfall and backtest tables; :func:`run_backtest` scores refits.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from sufficiency.config import ForecastParams
from sufficiency.errors import InputDataError, notes_said_not_raised
from sufficiency.forecast.backtest import BacktestResult, backtest
from sufficiency.forecast.early_start import early_start_sentence
from sufficiency.forecast.errors import ForecastWarning, notes_kept
from sufficiency.forecast.estimate import fit_model
from sufficiency.forecast.model import ForecastModel
from sufficiency.forecast.projection import default_start, forecast_from_spells, step_downs_made
from sufficiency.forecast.report import ForecastReport, assumptions_table, comparison_table
from sufficiency.forecast.result import ForecastResult, demand_table, starts_table
from sufficiency.forecast.scenario import BASE, BASE_NAME, Scenario
from sufficiency.forecast.states import CareSpells, build_spells
from sufficiency.forecast.supply import (
    SupplyPlan,
    register_vacancies,
    shortfall,
    supply_assumed,
    supply_table,
)
from sufficiency.forecast.uasc_said import uasc_sentence
from sufficiency.io.atomic import out_folder
from sufficiency.io.quality import DataQuality
from sufficiency.io.ssda903 import SSDA903History, read_history
from sufficiency.results import BriefRepr, Delegated
from sufficiency.vocabulary import READ_WITH_CARE

#: Told each simulated month (1 to the horizon) as the simulation advances.
Progress = Callable[[int], None]
#: Told, in a few plain words, each stage as it starts ("Fitting the model").
Stages = Callable[[str], None]


def _quiet(_stage: str) -> None:
    """The stage callback when none is given."""


@dataclass(frozen=True, eq=False)
class FittedForecast:
    """A history's care spells and the model fitted to them at ``start``.

    Attributes
    ----------
    care
        Care spells built from the history.
    start
        Last observed day (the forecast starts the day after).
    params
        Parameters the model was fitted with.
    model
        The fitted rates and entry model.
    quality
        What was repaired or set aside to read the history (``None`` when built in code).
    """

    care: CareSpells
    start: pd.Timestamp
    params: ForecastParams
    model: ForecastModel
    quality: DataQuality | None

    def simulate(
        self,
        scenario: Scenario = BASE,
        params: ForecastParams | None = None,
        progress: Progress | None = None,
    ) -> ForecastResult:
        """Simulate with the fitted model (``params`` may change paths, seed or horizon)."""
        return forecast_from_spells(
            self.care, params or self.params, self.start, scenario, progress, self.model
        )


@dataclass(frozen=True, eq=False)
class ForecastRun:
    """The base forecast (and a scenario's) from one fit.

    Attributes
    ----------
    fitted
        Spells, start and fitted model (simulate more variants with ``fitted.simulate``).
    base
        The base forecast.
    scenario
        The scenario's forecast, ``None`` without a scenario (or with the base one).
    """

    fitted: FittedForecast
    base: ForecastResult
    scenario: ForecastResult | None


def read_903(history: SSDA903History | Path | str, strict: bool = False) -> SSDA903History:
    """The history, or the history read from a folder or file (``strict`` refuses repairs:
    of a history already read, one whose findings include an error set aside or repaired)."""
    if isinstance(history, SSDA903History):
        found = history.quality.problems if history.quality is not None else ()
        if strict and any(p.severity == "error" for p in found):
            raise InputDataError(found)
        return history
    return read_history(Path(history), strict=strict)


def fit_spells(
    care: CareSpells,
    params: ForecastParams,
    start: pd.Timestamp | None = None,
    quality: DataQuality | None = None,
) -> FittedForecast:
    """Take the default start (the end of the history) unless given, and fit the model."""
    t0 = pd.Timestamp(start if start is not None else default_start(care)).normalize()
    return FittedForecast(care, t0, params, fit_model(care, t0, params), quality)


def forecast_history(
    history: SSDA903History | Path | str,
    params: ForecastParams,
    start: pd.Timestamp | None = None,
    scenario: Scenario | None = None,
    progress: Progress | None = None,
    *,
    strict: bool = False,
    stages: Stages | None = None,
) -> ForecastRun:
    """The one forecast entry: history -> spells -> start -> fit -> simulate base (+ scenario).

    Parameters
    ----------
    history
        The 903 history, or the folder (or file) to read it from.
    params
        Forecast parameters.
    start
        Last observed day; defaults to the end of the history.
    scenario
        Changes to simulate alongside the base forecast. One that changes nothing gives
        the base's figures under its own name, with a :class:`ForecastWarning` saying so
        (the base itself, named ``base``, is ignored).
    progress
        Called with the month number as each simulation advances.
    strict
        Refuse an imperfect history instead of repairing it (when reading a path).
    stages
        Told each stage as it starts: reading (given a path), fitting, each simulation.
    """
    say = stages or _quiet
    named = scenario.name if scenario is not None else ""
    for doubt in scenario.doubts() if scenario is not None else ():
        warnings.warn(f"Scenario {named}: {doubt}", ForecastWarning, stacklevel=2)
    if not isinstance(history, SSDA903History):
        say("Reading the 903 history")
    read = read_903(history, strict)
    say("Fitting the model")
    fitted = fit_spells(build_spells(read), params, start, read.quality)
    if uasc := uasc_sentence(read, fitted.care, fitted.start, fitted.model.reference_start):
        warnings.warn(uasc, ForecastWarning, stacklevel=2)
    say(f"Simulating {params.num_paths:,} futures (base)")
    base = fitted.simulate(BASE, progress=progress)
    if (early := early_start_sentence(fitted.care, base)) is not None:
        warnings.warn(early, ForecastWarning, stacklevel=2)
    scen = None
    if scenario is not None and not scenario.is_base:
        say(f"Simulating {params.num_paths:,} futures ({scenario.name})")
        scen = fitted.simulate(scenario, progress=progress)
    elif scenario is not None and scenario.name.strip().casefold() != BASE_NAME:
        # asked for by name, so written by name: exactly the base's figures
        warnings.warn(
            f"Scenario {scenario.name} changes nothing (every change in it is zero): its "
            "figures are the base forecast's.",
            ForecastWarning,
            stacklevel=2,
        )
        scen = replace(base, scenario=scenario.name)
    return ForecastRun(fitted, base, scen)


def _supply_tables(
    base: ForecastResult,
    scen: ForecastResult | None,
    supply: SupplyPlan | None,
    placements: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    vac = register_vacancies(placements)
    given = vac if placements is not None else None
    for sentence in supply_assumed(base, supply, given) if supply is not None else ():
        warnings.warn(sentence, ForecastWarning, stacklevel=3)
    sup = supply_table(base, supply, vac)
    parts = [(base, "base")] + ([(scen, scen.scenario)] if scen is not None else [])
    shorts, purchases = [], []
    for res, name in parts:
        s, b = shortfall(res, supply, vac)
        s.insert(0, "scenario", name)
        b.insert(0, "scenario", name)
        shorts.append(s)
        purchases.append(b)
    return sup, pd.concat(shorts, ignore_index=True), pd.concat(purchases, ignore_index=True)


def run_forecast(
    history: SSDA903History,
    params: ForecastParams | None = None,
    start: pd.Timestamp | None = None,
    scenario: Scenario | None = None,
    supply: SupplyPlan | None = None,
    placements: pd.DataFrame | None = None,
    backtest_cutoffs: Sequence[pd.Timestamp] = (),
    progress: Progress | None = None,
    stages: Stages | None = None,
) -> ForecastReport:
    """Forecast demand (and a scenario), compare with supply, optionally backtest.

    Parameters
    ----------
    history
        The 903 history (:func:`sufficiency.io.ssda903.read_history`).
    params
        Forecast parameters (defaults when ``None``).
    start
        Last observed day; defaults to the end of the history.
    scenario
        Changes to simulate alongside the base forecast.
    supply, placements
        Supply file and placement register; either enables the shortfall tables.
    backtest_cutoffs
        Cutoffs at which to backtest (12-month horizon).
    progress
        Called with the month number as the simulation advances.
    stages
        Told each stage as it starts (fitting, each simulation, each backtest cutoff).
    """
    params = params or ForecastParams()
    notes: list[str] = []
    with notes_kept(notes):  # said to the caller as before, and kept for the readers
        report = _run_forecast(
            history, params, start, scenario, supply, placements, backtest_cutoffs, progress,
            stages,
        )  # fmt: skip
    notes = (report.quality.cautions() if report.quality is not None else []) + notes
    if not notes:
        return report
    return replace(report, notes=tuple(notes), assumptions=with_notes(report.assumptions, notes))


def with_notes(assumptions: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """``assumptions`` (``item, value``) with a ``Read with care`` row for each note."""
    said = pd.DataFrame({"item": READ_WITH_CARE, "value": notes})
    return pd.concat([assumptions, said], ignore_index=True) if notes else assumptions


def _run_forecast(
    history: SSDA903History,
    params: ForecastParams,
    start: pd.Timestamp | None,
    scenario: Scenario | None,
    supply: SupplyPlan | None,
    placements: pd.DataFrame | None,
    backtest_cutoffs: Sequence[pd.Timestamp],
    progress: Progress | None,
    stages: Stages | None,
) -> ForecastReport:
    run = forecast_history(history, params, start, scenario, progress, stages=stages)
    base, scen = run.base, run.scenario
    demand = demand_table(base)
    scen_demand = demand_table(scen) if scen is not None else None
    starts = starts_table(base)
    starts.insert(0, "scenario", "base")
    if scen is not None:
        more = starts_table(scen)
        more.insert(0, "scenario", scen.scenario)
        starts = pd.concat([starts, more], ignore_index=True)
    sup = short = buys = None
    if supply is not None or placements is not None:
        sup, short, buys = _supply_tables(base, scen, supply, placements)
    stepped = [(label, said) for label, said, _ in step_downs_made(scenario, scen)] if (
        scenario is not None and scen is not None) else []  # fmt: skip
    bt = (backtest(history, list(backtest_cutoffs), 12, params, progress=stages)
          if backtest_cutoffs else None)  # fmt: skip
    return ForecastReport(
        base=base,
        scenario=scen,
        demand=demand,
        scenario_demand=scen_demand,
        comparison=(
            comparison_table(demand, scen_demand, scen.scenario)
            if scen is not None and scen_demand is not None
            else None
        ),
        starts=starts,
        supply=sup,
        shortfall=short,
        purchases=buys,
        backtest=bt,
        assumptions=assumptions_table(
            run.fitted.model, params, scenario or BASE, run.fitted.start, stepped
        ),
        quality=history.quality,
    )


@dataclass(frozen=True, eq=False, repr=False)
class BacktestReport(BriefRepr):
    """Backtest scores and what was done to the history to read it.

    Attributes
    ----------
    result
        Scores per cutoff, method, category and horizon, and the P10-P90 coverage.
    quality
        What was repaired or set aside in the 903 history.
    scores
        One row per cutoff x method x category x horizon (``backtest.csv``).
    coverage
        Whether each month's actual total fell in the P10-P90 band (backtest_coverage.csv).
    starts
        Placement starts and entries over the horizon, forecast against actual
        (backtest_starts.csv).
    notes
        What the model could not measure or had to assume at the cutoffs, in sentences
        (the :class:`~sufficiency.forecast.errors.ForecastWarning` sentences, each once).
    """

    result: BacktestResult
    quality: DataQuality | None = None
    notes: tuple[str, ...] = ()

    scores = Delegated[pd.DataFrame]("result.scores")
    coverage = Delegated[pd.DataFrame]("result.coverage")
    starts = Delegated[pd.DataFrame]("result.starts")

    @property
    def summary(self) -> pd.DataFrame:
        """Mean absolute percentage error of the total by method and horizon.

        Written as ``backtest_summary.csv``.
        """
        return self.result.summary()

    @notes_said_not_raised
    def write(self, out_dir: Path | str) -> list[Path]:
        """Write backtest.csv, backtest_coverage.csv, backtest_summary.csv,
        backtest_starts.csv and data_quality.csv."""
        from sufficiency.forecast.writers import write_backtest

        return write_backtest(self, out_folder(out_dir))


def run_backtest(
    history: SSDA903History,
    cutoffs: Sequence[pd.Timestamp],
    horizon_months: int = 12,
    params: ForecastParams | None = None,
    stages: Stages | None = None,
) -> BacktestReport:
    """Refit at each cutoff with only the data before it and score against what happened
    (``stages`` is told as each cutoff starts)."""
    notes: list[str] = []
    with notes_kept(notes):  # said to the caller as before, and kept on the result
        result = backtest(history, list(cutoffs), horizon_months, params, progress=stages)
    return BacktestReport(result, history.quality, tuple(notes))
