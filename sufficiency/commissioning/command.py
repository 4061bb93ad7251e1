"""``sufficiency commission``: what to recruit, block-buy or spot-purchase (registered by
:mod:`sufficiency.cli`). Runs are recorded in the run store, as match and forecast runs are.
"""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sufficiency.cli_common import echo_quality, store_option, strict_option
from sufficiency.commissioning.backends import BACKENDS
from sufficiency.commissioning.params import CommissioningParams
from sufficiency.errors import ConfigError, SufficiencyError

if TYPE_CHECKING:
    import pandas as pd

    from sufficiency.commissioning.pooled import PooledResult
    from sufficiency.commissioning.run import CommissioningReport
    from sufficiency.config import FinanceParams
    from sufficiency.forecast.params import ForecastParams
    from sufficiency.forecast.result import ForecastResult
    from sufficiency.io.quality import DataQuality

MAX_FORECAST_MONTHS = 60


def commission_params(
    config_path: Path | None,
    *,
    num_paths: int | None = None,
    eval_paths: int | None = None,
    seed: int | None = None,
    horizon_months: int | None = None,
    solver: str | None = None,
) -> tuple[ForecastParams, FinanceParams, CommissioningParams]:
    """Forecast, finance and commissioning parameters: the TOML file (or defaults), then options.

    Raises
    ------
    ConfigError
        The configuration file is bad, or an option is out of range.
    """
    from pydantic import ValidationError

    from sufficiency.config import load_params

    if horizon_months is not None and horizon_months > MAX_FORECAST_MONTHS:
        raise ConfigError(
            f"--horizon-months {horizon_months} is longer than the forecast can run "
            f"({MAX_FORECAST_MONTHS} months)."
        )
    loaded = load_params(config_path)
    params = loaded.commissioning
    update = {k: v for k, v in (("num_paths", num_paths), ("eval_paths", eval_paths),
              ("seed", seed), ("horizon_months", horizon_months),
              ("solver", solver)) if v is not None}  # fmt: skip
    try:
        params = CommissioningParams.model_validate({**params.model_dump(), **update})
    except ValidationError as exc:
        msgs = [f"{'.'.join(str(x) for x in e['loc'])} {e['msg']}" for e in exc.errors()]
        raise ConfigError("Invalid commissioning option: " + "; ".join(msgs)) from None
    return loaded.forecast, loaded.finance, params


def _forecast_twice(
    history: Path,
    forecast: ForecastParams,
    params: CommissioningParams,
    seed_offset: int = 0,
    strict: bool = False,
) -> tuple[list[ForecastResult], pd.DataFrame, pd.Timestamp, DataQuality | None]:
    """Forecasts on the optimisation and the fresh seeds (one fit), the assumptions, and
    what was repaired or set aside in the history (``strict`` refuses instead).

    ``seed_offset`` gives each pooled member its own random streams: authorities'
    demand varies independently, which is what pooling a block contract exploits.
    """
    from sufficiency.forecast.estimate import fit_model
    from sufficiency.forecast.report import assumptions_table
    from sufficiency.forecast.run import default_start, forecast_from_spells
    from sufficiency.forecast.scenario import BASE
    from sufficiency.forecast.states import build_spells
    from sufficiency.io.ssda903 import read_history

    read = read_history(history, strict=strict)
    care = build_spells(read)
    start = default_start(care)
    runs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = None
        for n, s in ((params.num_paths, params.seed), (params.eval_paths, params.eval_seed)):
            update = {"horizon_months": params.horizon_months, "num_paths": max(n, 10),
                      "seed": s + seed_offset}  # fmt: skip
            fp = forecast.model_copy(update=update)
            # The fitted rates do not depend on the seed: fit once, simulate twice.
            model = model or fit_model(care, start, fp)
            runs.append(forecast_from_spells(care, fp, start, BASE, model=model))
            if len(runs) == 1:
                about = assumptions_table(model, fp, BASE, start)
    return runs, about, start, read.quality


def _member_names(histories: list[Path]) -> list[str]:
    """Each pooled authority's name: its history folder's name, numbered when repeated."""
    names = [h.resolve().name or "authority" for h in histories]
    return [n if names.count(n) == 1 else f"{n} ({i + 1})" for i, n in enumerate(names)]


def run_commission(
    history: Path,
    levers_path: Path,
    out_dir: Path,
    forecast: ForecastParams,
    finance: FinanceParams,
    params: CommissioningParams,
    *,
    with_sensitivity: bool = True,
    pool_with: tuple[Path, ...] = (),
    strict: bool = False,
) -> tuple[CommissioningReport, PooledResult | None, list[Path]]:
    """Forecast the history twice (optimisation and fresh seeds), commission, write outputs.

    ``strict`` refuses an imperfect 903 history (any history, pooled ones included)
    instead of repairing it; the report's ``quality`` says what was done to the first.

    With ``pool_with`` (other authorities' histories), the co-operative's pooled block
    contracts are optimised too and ``pooling.csv`` compares each member alone and pooled.
    Everything is computed before anything is written.

    Raises
    ------
    ConfigError
        Pooled histories that end on different dates, or another commissioning error.
    """
    from sufficiency.commissioning.demand import demand_from_forecast
    from sufficiency.commissioning.levers import load_levers
    from sufficiency.commissioning.pooled import optimise_pooled
    from sufficiency.commissioning.run import commission
    from sufficiency.commissioning.writers import _csv, write_outputs
    from sufficiency.io.atomic import atomic_write_text

    levers = load_levers(levers_path)
    runs, about, start, quality = _forecast_twice(history, forecast, params, strict=strict)
    report = commission(runs[0], runs[1], levers, params,
                        inflation_rate=finance.inflation_rate,
                        with_sensitivity=with_sensitivity, forecast_assumptions=about)  # fmt: skip
    report = dataclasses.replace(report, quality=quality)
    pooled = None
    if pool_with:
        members = [(runs, start)]
        for i, other in enumerate(pool_with, start=1):
            other_runs, _, other_start, _ = _forecast_twice(
                other, forecast, params, 100_003 * i, strict=strict
            )
            if other_start != start:
                raise ConfigError(
                    f"Pooled histories must end on the same date: {history} ends on "
                    f"{start.date()}, {other} on {other_start.date()}."
                )
            members.append((other_runs, other_start))
        h = params.horizon_months
        pooled = optimise_pooled(
            [demand_from_forecast(r[0], h) for r, _ in members],
            [demand_from_forecast(r[1], h) for r, _ in members],
            levers, params, inflation_rate=finance.inflation_rate,
            names=_member_names([history, *pool_with]),
        )  # fmt: skip
    written = write_outputs(report, out_dir)
    if pooled is not None:
        table = pooled.table()
        table["saving_pct"] = 100 * table["saving_pct"]  # a percentage, like the workbook's
        written.append(atomic_write_text(out_dir / "pooling.csv", _csv(table)))
    return report, pooled, written


def _summary(report: CommissioningReport) -> dict[str, object]:
    """The run's headline figures for the run store."""
    from sufficiency.commissioning.run import recommendation

    c = report.comparison
    return {
        "expected_cost_gbp": {
            "stochastic": round(c.stochastic.expected_cost_gbp, 2),
            "status_quo": round(c.status_quo.expected_cost_gbp, 2),
            "central_forecast": round(c.central.expected_cost_gbp, 2),
        },
        "saving_vs_status_quo_gbp": round(c.saving_vs_status_quo_gbp, 2),
        "value_of_planning_gbp": round(c.value_of_planning_gbp, 2),
        "commitments": int(report.stochastic.num_commitments),
        "optimisation_paths": report.demand.num_paths,
        "evaluation_paths": report.fresh.num_paths,
        "solver": report.stochastic.solver,
        "solve_seconds": round(report.stochastic.runtime_seconds, 3),
        "recommendation": recommendation(report),
    }


@click.command("commission")
@click.option(
    "--history",
    "history",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="SSDA903 history: a folder of per-year returns.",
)
@click.option(
    "--levers",
    "levers_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Commissioning file (TOML) with lever costs and sources.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for plan.csv, commissioning.xlsx and commissioning.html.",
)
@click.option(
    "--paths",
    "num_paths",
    type=click.IntRange(10, 100_000),
    default=None,
    help="Demand paths to optimise on (default 1,000).",
)
@click.option(
    "--eval-paths",
    "eval_paths",
    type=click.IntRange(10, 100_000),
    default=None,
    help="Fresh demand paths every plan is scored on (default 1,000).",
)
@click.option("--seed", type=int, default=None, help="Random seed (default 2026).")
@click.option(
    "--horizon-months",
    type=click.IntRange(1, 600),
    default=None,
    help="Months planned (12-60, default 60).",
)
@click.option(
    "--solver",
    type=click.Choice(BACKENDS),
    default=None,
    help="Solver backend (default from the configuration: highs).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TOML file overriding configs/default.toml.",
)
@click.option(
    "--pool-with",
    "pool_with",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Another authority's SSDA903 history to pool block contracts with (repeatable); "
    "writes pooling.csv.",
)
@click.option(
    "--no-sensitivity", is_flag=True, default=False, help="Skip the sensitivity runs (faster)."
)
@store_option
@strict_option
def commission(
    history: Path, levers_path: Path, out_dir: Path, num_paths: int | None,
    eval_paths: int | None, seed: int | None, horizon_months: int | None,
    solver: str | None, config_path: Path | None, pool_with: tuple[Path, ...],
    no_sensitivity: bool, store_url: str | None, strict: bool,
) -> None:  # fmt: skip
    """Choose what to recruit, block-buy or spot-purchase, under forecast uncertainty.

    Writes plan.csv (lever, year, starts, commitment, cost_gbp), comparison.csv,
    sensitivity.csv, commissioning.xlsx, commissioning.html (the forecast's fan
    charts with the commissioning section) and data_quality.csv into OUT, and records
    the run in the run store. With --pool-with, also pooling.csv: each authority of a regional
    co-operative alone against sharing block contracts.

    Example: sufficiency commission --history data/sample/ssda903
    --levers data/sample/levers.toml --out out/commissioning
    """
    from sufficiency.commissioning.run import recommendation
    from sufficiency.store.record import recorded_run

    inputs = {k: v for k, v in (("history", history), ("levers", levers_path),
                                ("config", config_path)) if v is not None}  # fmt: skip
    inputs.update({f"pool_with_{i + 1}": p for i, p in enumerate(pool_with)})
    try:
        forecast, finance, params = commission_params(
            config_path, num_paths=num_paths, eval_paths=eval_paths, seed=seed,
            horizon_months=horizon_months, solver=solver,
        )  # fmt: skip
        config = {"forecast": forecast.model_dump(mode="json"),
                  "finance": finance.model_dump(mode="json"),
                  "commissioning": params.model_dump(mode="json")}  # fmt: skip
        with recorded_run("commission", config, inputs, store_url) as rec:
            report, pooled, written = run_commission(
                history, levers_path, out_dir, forecast, finance, params,
                with_sensitivity=not no_sensitivity, pool_with=pool_with, strict=strict,
            )  # fmt: skip
            summary = _summary(report)
            if pooled is not None:
                summary["pooling_saving_gbp"] = round(pooled.saving_gbp, 2)
            rec.fields = {
                "outputs": {p.name: p for p in written},
                "out_dir": out_dir,
                "solver_status": str(report.stochastic.status),
                "objective": float(report.stochastic.objective_gbp),
                "summary": summary,
            }
    except SufficiencyError as exc:
        raise click.ClickException(str(exc)) from None
    echo_quality(report.quality, out_dir)
    for path in written:
        click.echo(f"Wrote {path}")
    click.echo(recommendation(report)[-2])
    if pooled is not None:
        click.echo(
            f"Pooling block contracts across {len(pool_with) + 1} authorities saves "
            f"£{pooled.saving_gbp:,.0f} against each commissioning alone (see pooling.csv)."
        )
