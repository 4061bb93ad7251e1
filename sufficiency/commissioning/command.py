"""``sufficiency commission``: what to recruit, block-buy or spot-purchase (not yet registered)."""

from __future__ import annotations

import warnings
from pathlib import Path

import click

from sufficiency.errors import ConfigError, SufficiencyError

MAX_FORECAST_MONTHS = 60


def _load_config(path: Path | None) -> tuple[object, object, object]:
    """Forecast, finance and commissioning parameters from a TOML file (or defaults)."""
    from sufficiency.config import load_params

    params = load_params(path)
    return params.forecast, params.finance, params.commissioning


def run_commission(
    history: Path,
    levers_path: Path,
    out_dir: Path,
    *,
    config_path: Path | None = None,
    num_paths: int | None = None,
    eval_paths: int | None = None,
    seed: int | None = None,
    horizon_months: int | None = None,
    with_sensitivity: bool = True,
) -> list[Path]:
    """Forecast the history twice (optimisation and fresh seeds), commission, write outputs."""
    from pydantic import ValidationError

    from sufficiency.commissioning.levers import load_levers
    from sufficiency.commissioning.params import CommissioningParams
    from sufficiency.commissioning.run import commission
    from sufficiency.commissioning.writers import write_outputs
    from sufficiency.forecast.estimate import fit_model
    from sufficiency.forecast.params import ForecastParams
    from sufficiency.forecast.run import default_start, forecast_from_spells
    from sufficiency.forecast.scenario import BASE
    from sufficiency.forecast.states import build_spells
    from sufficiency.io.ssda903 import read_ssda903

    if horizon_months is not None and horizon_months > MAX_FORECAST_MONTHS:
        raise ConfigError(
            f"--horizon-months {horizon_months} is longer than the forecast can run "
            f"({MAX_FORECAST_MONTHS} months)."
        )
    forecast, finance, params = _load_config(config_path)
    assert isinstance(forecast, ForecastParams) and isinstance(params, CommissioningParams)
    update = {k: v for k, v in (("num_paths", num_paths), ("eval_paths", eval_paths),
              ("seed", seed), ("horizon_months", horizon_months)) if v is not None}  # fmt: skip
    try:
        params = CommissioningParams.model_validate({**params.model_dump(), **update})
    except ValidationError as exc:
        msgs = [f"{'.'.join(str(x) for x in e['loc'])} {e['msg']}" for e in exc.errors()]
        raise ConfigError("Invalid commissioning option: " + "; ".join(msgs)) from None
    levers = load_levers(levers_path)
    care = build_spells(read_ssda903(history))
    start = default_start(care)
    runs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = None
        for n, s in ((params.num_paths, params.seed), (params.eval_paths, params.eval_seed)):
            update = {"horizon_months": params.horizon_months, "num_paths": max(n, 10), "seed": s}
            fp = forecast.model_copy(update=update)
            # The fitted rates do not depend on the seed: fit once, simulate twice.
            model = model or fit_model(care, start, fp)
            runs.append(forecast_from_spells(care, fp, start, BASE, model=model))
    rate = float(getattr(finance, "inflation_rate", 0.06))
    report = commission(runs[0], runs[1], levers, params, inflation_rate=rate,
                        with_sensitivity=with_sensitivity)  # fmt: skip
    return write_outputs(report, out_dir)


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
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TOML file overriding configs/default.toml.",
)
@click.option(
    "--no-sensitivity", is_flag=True, default=False, help="Skip the sensitivity runs (faster)."
)
def commission(
    history: Path, levers_path: Path, out_dir: Path, num_paths: int | None,
    eval_paths: int | None, seed: int | None, horizon_months: int | None,
    config_path: Path | None, no_sensitivity: bool,
) -> None:  # fmt: skip
    """Choose what to recruit, block-buy or spot-purchase, under forecast uncertainty.

    Writes plan.csv (lever, year, starts, commitment, cost_gbp), comparison.csv,
    sensitivity.csv, commissioning.xlsx and commissioning.html into OUT.

    Example: sufficiency commission --history data/sample/ssda903
    --levers data/sample/levers.toml --out out/commissioning
    """
    try:
        written = run_commission(history, levers_path, out_dir, config_path=config_path,
                                 num_paths=num_paths, eval_paths=eval_paths, seed=seed,
                                 horizon_months=horizon_months,
                                 with_sensitivity=not no_sensitivity)  # fmt: skip
    except SufficiencyError as exc:
        raise click.ClickException(str(exc)) from None
    for path in written:
        click.echo(f"Wrote {path}")
