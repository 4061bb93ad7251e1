"""``sufficiency spend``: forecast the history, price it, compare with the budget, write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sufficiency.commands.common import (
    config_option,
    date_option,
    echo_quality,
    forecast_options,
    history_option,
    one_run_per_folder,
    out_option,
    path_option,
    store_option,
    strict_option,
    user_errors,
)
from sufficiency.commands.progress import Progress


@click.command("spend")
@history_option
@out_option("Folder for spend.xlsx and spend.csv (created if missing).")
@path_option("--budget", "budget_path", "Budget file: financial_year, cost_line, budget_gbp.")
@path_option("--costs", "costs_path",
             "The council's own weekly costs (per category or per current placement).")  # fmt: skip
@path_option("--previous", "previous_path",
             "An earlier spend run's --out folder (last month's; OUT itself will do): this "
             "year's months set beside it, and what changed.", kind="folder")  # fmt: skip
@forecast_options
@date_option("Run date shown in the outputs (default: today in England).")
@config_option
@store_option
@strict_option
@user_errors
@one_run_per_folder
def spend(
    history_path: Path, out_dir: Path, budget_path: Path | None, costs_path: Path | None,
    start: dt.datetime | None, horizon_months: int | None, num_paths: int | None,
    seed: int | None, scenario_path: Path | None, run_date: dt.datetime | None,
    config_path: Path | None, store_url: str | None, strict: bool,
    previous_path: Path | None = None,
) -> None:  # fmt: skip
    """Project placement spend month by month, with a range, against budget, for finance.

    Writes spend.xlsx (Summary, Monthly, Cumulative, Quarterly, Financial years, Scenario
    comparison, Budget with --budget, Assumptions, Data quality), spend.csv (month,
    financial_year, cost_line, mean, p10, p50, p90), spend_to_date.csv (the months of the
    year before the forecast start, from the 903 history), spend_quarterly.csv,
    spend_years.csv, budget_comparison.csv (with --budget), change_since_previous.csv
    (with --previous), spend_scenario.csv and
    scenario_comparison.csv (with --scenario) and data_quality.csv into OUT. An
    imperfect history is repaired and set aside by stated rules, and said so (--strict
    refuses instead).

    Example: sufficiency spend --history data/sample/ssda903 --out out/spend
    --budget data/sample/budget.csv
    """
    from sufficiency import api
    from sufficiency.config import load_params
    from sufficiency.io.atomic import sha256_file
    from sufficiency.store.record import recorded_run

    inputs = {k: v for k, v in (("history", history_path), ("budget", budget_path),
                                ("scenario", scenario_path), ("costs", costs_path),
                                ("config", config_path)) if v is not None}  # fmt: skip
    params = load_params(config_path)
    months = api.forecast_params(params, horizon_months=horizon_months).horizon_months
    with recorded_run("spend", params.model_dump(mode="json"), inputs, store_url) as rec:
        with Progress() as progress:
            result = api.spend(
                history_path, params, budget=budget_path, scenario=scenario_path,
                costs=costs_path, start=start, horizon_months=horizon_months,
                num_paths=num_paths, seed=seed, run_date=run_date.date() if run_date else None,
                strict=strict, progress=progress.months(months), stages=progress,
            )  # fmt: skip
            if previous_path is not None:  # read before this run writes over it
                result = result.since(previous_path, params.finance)
            progress("Writing outputs")
            result.write(out_dir)
        echo_quality(result.quality, out_dir)
        outputs = {
            p.name: p
            for p in sorted(Path(out_dir).iterdir())
            if p.is_file() and not p.name.startswith(".")
        }  # not a lock or temp file
        rec.fields = {
            "outputs": outputs,
            "out_dir": out_dir,
            "summary": {"headline": result.headline,
                        "outputs_sha256": {k: sha256_file(p) for k, p in outputs.items()}},
        }  # fmt: skip
    click.echo(f"{result.headline}. Outputs in {out_dir}")
