"""``sufficiency spend``: forecast the history, price it, compare with the budget, write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import click

from sufficiency.cli_common import echo_quality, store_option, strict_option
from sufficiency.config import Params
from sufficiency.errors import SufficiencyError
from sufficiency.io.quality import DataQuality


@click.command("spend")
@click.option(
    "--history",
    "history_path",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="SSDA903 history: a folder of per-year returns.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for spend.xlsx and spend.csv (created if missing).",
)
@click.option(
    "--budget",
    "budget_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Budget file: financial_year, cost_line, budget_gbp.",
)
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Forecast scenario (TOML) to price.",
)
@click.option(
    "--costs",
    "costs_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The council's own weekly costs (per category or per current placement).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TOML file overriding configs/default.toml.",
)
@click.option(
    "--start",
    "start",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Forecast start (default: the end of the history).",
)
@click.option(
    "--horizon-months",
    type=click.IntRange(1, 60),
    default=None,
    help="Months to project (default from the configuration: 36).",
)
@click.option(
    "--paths",
    "num_paths",
    type=click.IntRange(10, 100_000),
    default=None,
    help="Simulated paths (default 1,000).",
)
@click.option("--seed", type=int, default=None, help="Random seed (default 2026).")
@click.option(
    "--date",
    "run_date",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Run date shown in the outputs (default: today).",
)
@store_option
@strict_option
def spend(
    history_path: Path, out_dir: Path, budget_path: Path | None, scenario_path: Path | None,
    costs_path: Path | None, config_path: Path | None, start: dt.datetime | None,
    horizon_months: int | None, num_paths: int | None, seed: int | None,
    run_date: dt.datetime | None, store_url: str | None, strict: bool,
) -> None:  # fmt: skip
    """Project placement spend month by month, with a range, against budget, for finance.

    Writes spend.xlsx (Summary, Monthly, Quarterly, Financial years, Scenario comparison,
    Budget, Assumptions, Data quality), spend.csv (month, financial_year, cost_line,
    mean, p10, p50, p90) and data_quality.csv into OUT. An imperfect history is
    repaired and set aside by stated rules, and said so (--strict refuses instead).

    Example: sufficiency spend --history data/sample/ssda903 --out out/spend
    --budget data/sample/budget.csv
    """
    from sufficiency.config import load_params
    from sufficiency.io.atomic import sha256_file
    from sufficiency.store.record import recorded_run

    inputs = {k: v for k, v in (("history", history_path), ("budget", budget_path),
                                ("scenario", scenario_path), ("costs", costs_path),
                                ("config", config_path)) if v is not None}  # fmt: skip
    try:
        params = load_params(config_path)
        with recorded_run("spend", params.model_dump(mode="json"), inputs, store_url) as rec:
            summary = run_spend_command(
                history_path, out_dir, budget_path, scenario_path, costs_path, config_path,
                start, horizon_months, num_paths, seed,
                run_date.date() if run_date else dt.date.today(), params=params,
                strict=strict, on_quality=lambda q: echo_quality(q, out_dir),
            )  # fmt: skip
            outputs = {p.name: p for p in sorted(Path(out_dir).iterdir()) if p.is_file()}
            rec.fields = {
                "outputs": outputs,
                "out_dir": out_dir,
                "summary": {"headline": summary.split(". Outputs")[0],
                            "outputs_sha256": {k: sha256_file(p) for k, p in outputs.items()}},
            }  # fmt: skip
    except SufficiencyError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(summary)


def run_spend_command(
    history_path: Path, out_dir: Path, budget_path: Path | None, scenario_path: Path | None,
    costs_path: Path | None, config_path: Path | None, start: dt.datetime | None,
    horizon_months: int | None, num_paths: int | None, seed: int | None, run_date: dt.date,
    params: Params | None = None, strict: bool = False,
    on_quality: Callable[[DataQuality | None], None] | None = None,
) -> str:  # fmt: skip
    """The command's work as a function (used by the nightly job); returns a summary line.

    ``params`` (already loaded) takes precedence over ``config_path``. ``strict``
    refuses an imperfect 903 history; ``on_quality`` is given what was repaired or set
    aside in it, once the outputs are written.
    """
    import pandas as pd

    from sufficiency.config import load_params
    from sufficiency.finance.inputs import read_budget, read_costs
    from sufficiency.finance.run import default_costs, spend_report, write_spend_outputs
    from sufficiency.forecast.estimate import fit_model
    from sufficiency.forecast.run import default_start, forecast_from_spells
    from sufficiency.forecast.scenario import BASE, load_scenario
    from sufficiency.forecast.states import CATEGORIES, build_spells
    from sufficiency.io.ssda903 import read_history

    params = params or load_params(config_path)
    update = {k: v for k, v in (("horizon_months", horizon_months), ("num_paths", num_paths),
                                ("seed", seed)) if v is not None}  # fmt: skip
    fparams = params.forecast.model_copy(update=update)
    costs, actual = default_costs(params.finance), None
    if costs_path is not None:
        costs, actual = read_costs(costs_path, CATEGORIES, costs)
    budget = read_budget(budget_path, CATEGORIES) if budget_path is not None else None
    scenario = load_scenario(scenario_path) if scenario_path is not None else None
    history = read_history(history_path, strict=strict)
    care = build_spells(history)
    t0 = pd.Timestamp(start) if start is not None else default_start(care)
    model = fit_model(care, t0, fparams)
    base = forecast_from_spells(care, fparams, t0, BASE, model=model)
    scen = (forecast_from_spells(care, fparams, t0, scenario, model=model)
            if scenario is not None else None)  # fmt: skip
    report = spend_report(base, params.finance, costs=costs, run_date=run_date,
                          actual_weekly_gbp=actual, budget=budget,
                          budget_source=str(budget_path), scenario=scen,
                          quality=history.quality)  # fmt: skip
    write_spend_outputs(report, out_dir, run_date)
    if on_quality is not None:
        on_quality(history.quality)
    years = report.yearly[report.yearly["cost_line"] == "all"].head(2)
    parts = [f"{r.financial_year}: £{r.mean:,.0f} (P10 £{r.p10:,.0f}, P90 £{r.p90:,.0f}, "
             f"{r.months} months)" for r in years.itertuples()]  # fmt: skip
    return "Projected placement spend " + "; ".join(parts) + f". Outputs in {out_dir}"
