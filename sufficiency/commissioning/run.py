"""The commissioning job as library calls.

:func:`commission` optimises on given forecasts, compares and tests sensitivity;
:func:`run_commission` is the whole job from histories (the one forecast entry, run
on the optimisation and the fresh seeds), with pooling across authorities.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from sufficiency.commissioning.case import headline, lever_words
from sufficiency.commissioning.demand import DemandPaths, demand_from_forecast
from sufficiency.commissioning.evaluate import Comparison
from sufficiency.commissioning.levers import Levers, doubts
from sufficiency.commissioning.pool_dates import remedy
from sufficiency.commissioning.pooled import PooledResult, optimise_pooled, pooling_case
from sufficiency.commissioning.report import CommissioningReport, commission, recommendation
from sufficiency.commissioning.writers import (
    pooled_plan_csv,
    write_outputs,
    write_pool_quality,
    write_pooling,
)
from sufficiency.config import CommissioningParams, FinanceParams, Params, with_overrides
from sufficiency.errors import ConfigError, DataWarning, notes_said_not_raised
from sufficiency.figures import day as said_day
from sufficiency.forecast import (
    BASE,
    ForecastParams,
    ForecastResult,
    assumptions_table,
    build_spells,
    fit_spells,
    history_over_a_year_old,
    notes_kept,
    read_903,
    with_notes,
)
from sufficiency.io.atomic import atomic_write_text, out_folder, warn_earlier_outputs
from sufficiency.io.quality import DataQuality
from sufficiency.io.ssda903 import SSDA903History
from sufficiency.results import BriefRepr, Delegated
from sufficiency.vocabulary import READ_WITH_CARE

MAX_FORECAST_MONTHS = 60


def commission_params(
    params: Params,
    *,
    num_paths: int | None = None,
    eval_paths: int | None = None,
    seed: int | None = None,
    horizon_months: int | None = None,
    solver: str | None = None,
) -> Params:
    """``params`` with the options given (not ``None``) set in its commissioning section.

    Raises
    ------
    ConfigError
        An option is out of range (the horizon longer than the forecast can run, say).
    """
    if horizon_months is not None and horizon_months > MAX_FORECAST_MONTHS:
        raise ConfigError(
            f"--horizon-months {horizon_months} is longer than the forecast can run "
            f"({MAX_FORECAST_MONTHS} months)."
        )
    section = with_overrides(params.commissioning, "commissioning", num_paths=num_paths,
                             eval_paths=eval_paths, seed=seed, horizon_months=horizon_months,
                             solver=solver)  # fmt: skip
    return params.model_copy(update={"commissioning": section})


@dataclass(frozen=True, eq=False)
class _Forecasts:
    """One history's forecasts on the optimisation and the fresh seeds (one fit)."""

    runs: tuple[ForecastResult, ForecastResult]
    assumptions: pd.DataFrame
    start: pd.Timestamp
    quality: DataQuality | None
    episodes: pd.DataFrame | None = None  # the history's, to tell pooled authorities apart
    #: The forecast's warnings (a short history, a category never seen), each once.
    notes: tuple[str, ...] = ()


#: The columns that tell one authority's episode from another's (child, start, legal
#: status, placement): two histories sharing most of these rows are one authority's.
_EPISODE_KEY = ("CHILD", "DECOM", "LS", "PLACE")


def _episode_keys(episodes: pd.DataFrame | None) -> frozenset[tuple[str, ...]]:
    """Each episode as its key columns' text (see ``_EPISODE_KEY``)."""
    if episodes is None:
        return frozenset()
    rows = episodes.reindex(columns=list(_EPISODE_KEY)).astype(str)
    return frozenset(rows.itertuples(index=False, name=None))


def _same_authority(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> bool:
    """Whether two histories share at least half of either's episodes."""
    shared = len(a & b)
    return shared > 0 and 2 * shared >= min(len(a), len(b))


def _stream_offset(episodes: pd.DataFrame | None) -> int:
    """A pooled authority's seed offset, from its episodes (their key columns' text,
    sorted): its own random streams wherever it is listed among the pooled histories.
    Offsets by place in the list (100,003 x i) moved every pooled figure when the same
    histories were listed in another order."""
    text = "\n".join(sorted("\t".join(key) for key in _episode_keys(episodes)))
    return 1 + int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


def _forecast_twice(
    history: SSDA903History | Path,
    forecast: ForecastParams,
    params: CommissioningParams,
    seed_offset: int | None = 0,
    strict: bool = False,
    say: bool = False,
) -> _Forecasts:
    """Forecasts on the optimisation and the fresh seeds (one fit), the assumptions, and
    what was repaired or set aside in the history (``strict`` refuses instead).

    ``seed_offset`` gives each pooled member its own random streams: authorities'
    demand varies independently, which is what pooling a block contract exploits
    (``None``: :func:`_stream_offset` of the history's episodes).
    ``say`` gives the caller the model's warnings too (they are always in the
    assumptions): for the authority commissioning, not for each pooled one.
    """
    read = read_903(history, strict)
    offset = _stream_offset(read.episodes) if seed_offset is None else seed_offset

    def fp(n: int, s: int) -> ForecastParams:
        update = {"horizon_months": params.horizon_months, "num_paths": max(n, 10),
                  "seed": s + offset}  # fmt: skip
        return forecast.model_copy(update=update)

    care = build_spells(read)
    first = fp(params.num_paths, params.seed)
    notes: list[str] = []
    # the model's warnings (a short history, a category never seen) go into the case's
    # forecast assumptions, as the forecast's own report keeps them
    with notes_kept(notes, say=say, only=DataWarning):
        # The fitted rates do not depend on the seed: fit once, simulate twice.
        f = fit_spells(care, first, None, read.quality)
        runs = (f.simulate(BASE), f.simulate(BASE, fp(params.eval_paths, params.eval_seed)))
    if f.quality is not None:
        notes[:0] = f.quality.cautions()
    about = with_notes(assumptions_table(f.model, first, BASE, f.start), notes)
    return _Forecasts(runs, about, f.start, f.quality, read.episodes, tuple(notes))


@dataclass(frozen=True, eq=False)
class PoolInputs:
    """Pooled authorities' demand paths (to optimise on, and fresh ones to score on),
    names, what was repaired or set aside in each history, and each forecast's warnings
    (a short history, a category never seen), from one forecast each on its own random
    streams."""

    demands: tuple[DemandPaths, ...]
    fresh: tuple[DemandPaths, ...]
    names: tuple[str, ...]
    qualities: tuple[DataQuality | None, ...] = ()
    notes: tuple[tuple[str, ...], ...] = ()


def pool_inputs(
    histories: Sequence[SSDA903History | Path],
    forecast: ForecastParams,
    params: CommissioningParams,
    *,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
    first: _Forecasts | None = None,
    names: Sequence[str] | None = None,
) -> PoolInputs:
    """Forecast each pooled authority (the first on the seeds, each other on seeds offset
    by :func:`_stream_offset` of its episodes, so the others' order changes nothing) and
    cut its demand to the horizon; ``first`` is the first one's forecasts when made already.
    ``names`` default to the histories' folder names (numbered when repeated).

    Raises
    ------
    ConfigError
        Histories that end on different dates, or two that are one authority's (the same
        folder twice, or most of their episodes alike): its children would count twice.
    """
    say = progress or (lambda _message: None)

    def label(k: int) -> str:
        return names[k] if names is not None else _label(histories[k])

    runs: list[_Forecasts] = []
    keys: list[frozenset[tuple[str, ...]]] = []  # each history's episodes, once
    for i, history in enumerate(histories):
        if i == 0 and first is not None:
            runs.append(first)
            keys.append(_episode_keys(first.episodes))
            continue
        say(f"Forecasting {_label(history)} for pooling")
        theirs = _forecast_twice(history, forecast, params, 0 if i == 0 else None, strict=strict)
        if runs and theirs.start != runs[0].start:
            pool, own = str(runs[0].start.date()), str(theirs.start.date())
            raise ConfigError(
                f"Pooled histories must end on the same date: {label(0)} ends on "
                f"{said_day(runs[0].start)}, {label(i)} on {said_day(theirs.start)}. Pooled "
                f"demand adds the authorities' months together; {remedy(own, pool, label(i))}."
            )
        mine = _episode_keys(theirs.episodes)
        for j, earlier in enumerate(keys):
            if _same_authority(earlier, mine):
                raise ConfigError(_twice(label(i), label(j)))
        runs.append(theirs)
        keys.append(mine)
    h = params.horizon_months
    return PoolInputs(
        tuple(demand_from_forecast(r.runs[0], h) for r in runs),
        tuple(demand_from_forecast(r.runs[1], h) for r in runs),
        tuple(names) if names is not None else tuple(_member_names([_path(x) for x in histories])),
        tuple(r.quality for r in runs),
        tuple(r.notes for r in runs),
    )


def _twice(later: str, earlier: str) -> str:
    return (
        f"{later} and {earlier} hold the same authority's 903 history (most of their "
        "episodes are the same): pooling it with itself would count its children twice. "
        "Give each authority once."
    )


def _refuse_repeated(histories: Sequence[SSDA903History | Path]) -> None:
    """Refuse a history folder given twice at once: found from the episodes only after
    every pooled authority was forecast (half a minute with seventeen), it was said late."""
    seen: dict[Path, int] = {}
    for i, history in enumerate(histories):
        if isinstance(history, SSDA903History):
            continue
        j = seen.setdefault(Path(history).resolve(), i)
        if j != i:
            raise ConfigError(_twice(_label(histories[i]), _label(histories[j])))


def _member_names(histories: list[Path]) -> list[str]:
    """Each pooled authority's name: its history folder's name, with as many of the folders
    above it as tell it apart (``worcs/ssda903`` and ``hereford/ssda903``, not
    ``ssda903 (1)`` and ``ssda903 (2)``); numbered only when the same folder is repeated."""
    parts = [h.resolve().parts[1:] or ("authority",) for h in histories]
    last = [p[-1] for p in parts]
    names = list(last)
    for k in range(2, max(len(p) for p in parts) + 1):
        if len(set(names)) == len(set(parts)):  # a folder given twice stays one name
            break
        names = ["/".join(p[-k:]) if last.count(p[-1]) > 1 else p[-1] for p in parts]
    return [n if names.count(n) == 1 else f"{n} ({i + 1})" for i, n in enumerate(names)]


@dataclass(frozen=True, eq=False, repr=False)
class CommissionResult(BriefRepr):
    """A commissioning run: the plan, its expected cost against the alternatives, pooling.

    Attributes
    ----------
    report
        Plans, comparison, sensitivity and assumptions (:class:`CommissioningReport`).
    pooled
        The co-operative's pooled plan, ``None`` without other authorities.
    pool_quality
        Each other pooled authority's name and what was repaired or set aside in its
        history (``pooling_data_quality.csv``); empty without pooling.
    pool_notes
        Each other pooled authority's name and its forecast's warnings (also under "Read
        with care" in the case, naming it); empty without pooling.
    comparison
        Every plan scored on the fresh paths (``comparison.csv`` is ``comparison.table()``).
    saving_vs_status_quo_gbp
        Expected saving of the plan against buying spot as now.
    sensitivity
        The plan's cost as demand, spot prices and recruitment change (``None`` if skipped).
    quality
        What was repaired or set aside in the (first) 903 history.
    notes
        What to read with care, in sentences: the warnings the run gave (its forecast's,
        a levers figure that looks like a slip, an old history), as the case lists them
        (the pooled authorities' are in ``pool_notes``).
    """

    report: CommissioningReport
    pooled: PooledResult | None = None
    pool_quality: tuple[tuple[str, DataQuality | None], ...] = ()
    pool_notes: tuple[tuple[str, tuple[str, ...]], ...] = ()

    comparison = Delegated[Comparison]("report.comparison")
    saving_vs_status_quo_gbp = Delegated[float]("report.comparison.saving_vs_status_quo_gbp")
    sensitivity = Delegated[pd.DataFrame | None]("report.sensitivity")
    quality = Delegated[DataQuality | None]("report.quality")

    @property
    def notes(self) -> tuple[str, ...]:
        """The case's "Read with care" sentences (see the class's Attributes)."""
        about = self.report.forecast_assumptions
        if about is None:
            return ()
        return tuple(about.loc[about["item"] == READ_WITH_CARE, "value"])

    @property
    def plan(self) -> pd.DataFrame:
        """What to commit to and when: ``lever, year, starts, commitment, cost_gbp`` (plan.csv)."""
        return self.report.stochastic.table(self.report.start)

    @property
    def expected_cost_gbp(self) -> dict[str, float]:
        """Expected cost on the fresh paths: the plan, buying spot as now, the central plan."""
        c = self.report.comparison
        return {
            "stochastic": c.stochastic.expected_cost_gbp,
            "status_quo": c.status_quo.expected_cost_gbp,
            "central_forecast": c.central.expected_cost_gbp,
        }

    @property
    def recommendation(self) -> list[str]:
        """The recommendation in plain words, one sentence a line."""
        return recommendation(self.report)

    def summary(self) -> dict[str, object]:
        """The run's headline figures, as recorded in the run store."""
        report = self.report
        c = report.comparison
        out: dict[str, object] = {
            "expected_cost_gbp": {k: round(v, 2) for k, v in self.expected_cost_gbp.items()},
            "saving_vs_status_quo_gbp": round(c.saving_vs_status_quo_gbp, 2),
            "value_of_planning_gbp": round(c.value_of_planning_gbp, 2),
            "commitments": int(report.stochastic.num_commitments),
            "optimisation_paths": report.demand.num_paths,
            "evaluation_paths": report.fresh.num_paths,
            "solver": report.stochastic.solver,
            "solve_seconds": round(report.stochastic.runtime_seconds, 3),
            "recommendation": self.recommendation,
            # how sure, as the case and the console say it (the web page shows it)
            "how_sure": headline(report).sentence(),
            # plan.csv's levers in the case's words, with their units (the web page's plan)
            "lever_words": lever_words(report),
        }
        if self.pooled is not None:
            out["pooling_saving_gbp"] = round(self.pooled.saving_gbp, 2)
            # the case's sentences about pooling, for the web page to say as the case does
            out["pooling_words"] = pooling_case(self.pooled)[1]
        return out

    @notes_said_not_raised
    def write(self, out_dir: Path | str) -> list[Path]:
        """Write plan.csv, comparison.csv, sensitivity.csv, commissioning.xlsx,
        commissioning.html, data_quality.csv (and pooling.csv, pooled_plan.csv and
        pooling_data_quality.csv when pooled) into ``out_dir``.
        """
        out_dir = out_folder(out_dir)
        written = write_outputs(self.report, out_dir)
        if self.pooled is not None:
            written.append(write_pooling(self.pooled, out_dir))
            plan = pooled_plan_csv(self.pooled, self.report.start)
            written.append(atomic_write_text(out_dir / "pooled_plan.csv", plan))
            written.append(write_pool_quality(self.pool_quality, out_dir))
        sometimes = ("sensitivity.csv", "pooling.csv", "pooled_plan.csv",
                     "pooling_data_quality.csv")  # fmt: skip
        warn_earlier_outputs(out_dir, sometimes, written)
        return written


def run_commission(
    history: SSDA903History | Path,
    levers: Levers,
    forecast: ForecastParams,
    finance: FinanceParams,
    params: CommissioningParams,
    *,
    with_sensitivity: bool = True,
    pool_with: tuple[SSDA903History | Path, ...] = (),
    pool_with_levers: tuple[Levers, ...] = (),
    shared_levers: Levers | None = None,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
    run_date: dt.date | None = None,
) -> CommissionResult:
    """Forecast the history twice (optimisation and fresh seeds), commission, pool.

    ``progress`` is told, in a sentence, each stage as it starts (a run with the
    defaults takes minutes). A history ending more than a year before ``run_date`` is
    said (the case's "now" and first months are past), on the console and in the case.

    ``strict`` refuses an imperfect 903 history (any history, pooled ones included)
    instead of repairing it; the report's ``quality`` says what was done to the first.
    With ``pool_with`` (other authorities' histories), the co-operative's pooled block
    contracts are optimised too: each authority on its own levers and prices
    (``levers`` for the first, ``pool_with_levers`` for the others, in order; ``levers``
    for each when not given), the block contracts on ``shared_levers`` (default
    ``levers``).

    Raises
    ------
    ConfigError
        Pooled histories that end on different dates, or another commissioning error.
    """
    if pool_with_levers and len(pool_with_levers) != len(pool_with):
        raise ConfigError(
            f"{len(pool_with)} pooled authorities but {len(pool_with_levers)} levers files: "
            "give one for each, or none to use the same levers for all."
        )
    _refuse_repeated((history, *pool_with))  # before minutes of forecasting, not after
    say = progress or (lambda _message: None)
    say(f"Forecasting {_label(history)}: {params.num_paths:,} paths to optimise on and "
        f"{params.eval_paths:,} fresh paths to score on")  # fmt: skip
    own = _forecast_twice(history, forecast, params, strict=strict, say=True)
    # a levers figure that looks like a slip is read with the case, not only on the console
    stale = None if run_date is None else history_over_a_year_old(own.start, run_date)
    if stale is not None:
        warnings.warn(stale, DataWarning, stacklevel=2)
    cautions = [*_doubts(levers), *([stale] if stale is not None else [])]
    about = _with_cautions(own.assumptions, [(READ_WITH_CARE, d) for d in cautions])
    # the pooled authorities' forecasts first: histories ending on different dates are
    # refused before the minutes of optimising, not after
    pool = None
    if pool_with:
        pool = pool_inputs((history, *pool_with), forecast, params, strict=strict,
                           progress=progress, first=own)  # fmt: skip
    report = commission(own.runs[0], own.runs[1], levers, params,
                        prices=finance.price_rise,
                        with_sensitivity=with_sensitivity,
                        forecast_assumptions=about, progress=progress)  # fmt: skip
    report = replace(report, quality=own.quality)
    if pool is None:
        return CommissionResult(report)
    say(f"Optimising block contracts pooled across {len(pool.names)} authorities")
    pooled = optimise_pooled(
        pool.demands, pool.fresh, levers if shared_levers is None else shared_levers, params,
        prices=finance.price_rise, names=pool.names,
        member_levers=(levers, *pool_with_levers) if pool_with_levers else None,
    )  # fmt: skip
    others = tuple(zip(pool.names[1:], pool.qualities[1:], strict=True))
    # the pooled authorities' forecast warnings are read with the case, as its own are
    notes = tuple(zip(pool.names[1:], pool.notes[1:], strict=True))
    said = [(f"Read with care ({name}, pooled)", n) for name, ns in notes for n in ns]
    said += [(f"Read with care ({name}, pooled)", d)
             for name, theirs in zip(pool.names[1:], pool_with_levers, strict=False)
             for d in _doubts(theirs)]  # fmt: skip
    if report.forecast_assumptions is not None:
        report = replace(report, forecast_assumptions=_with_cautions(
            report.forecast_assumptions, said))  # fmt: skip
    return CommissionResult(replace(report, pooled=pooled), pooled, others, notes)


def _doubts(levers: Levers) -> list[str]:
    """The levers' figures that look like a slip, as the console said them on reading."""
    return [f"Levers: {d}" for d in doubts(levers)]


def _with_cautions(about: pd.DataFrame, said: list[tuple[str, str]]) -> pd.DataFrame:
    """``about`` (``item, value`` rows) with ``said`` added after it."""
    if not said:
        return about
    more = pd.DataFrame(said, columns=["item", "value"])
    return pd.concat([about, more], ignore_index=True)


def _path(history: SSDA903History | Path) -> Path:
    return Path(history) if not isinstance(history, SSDA903History) else Path("authority")


def _label(history: SSDA903History | Path) -> str:
    return str(history) if not isinstance(history, SSDA903History) else "a history"
