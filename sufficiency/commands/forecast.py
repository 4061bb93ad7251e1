"""Click commands ``forecast`` and ``backtest`` (registered by ``sufficiency.cli``).

Each command parses options, calls one library function and writes; library errors
become ``Error: <message>`` and exit code 1, warnings ``Warning: <message>`` on stderr.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sufficiency.commands.common import (
    DATE,
    config_option,
    date_option,
    echo_quality,
    forecast_options,
    history_option,
    horizon_option,
    one_run_per_folder,
    out_option,
    path_option,
    paths_option,
    seed_option,
    store_option,
    strict_option,
    user_errors,
)
from sufficiency.commands.progress import Progress


@click.command()
@history_option
@out_option()
@forecast_options
@path_option("--supply", "supply_path", "Supply TOML file.", exists=False)
@path_option("--placements", "placements_path", "Placement register (for current vacancies).",
             exists=False)  # fmt: skip
@click.option(
    "--backtest-cutoff",
    "cutoffs",
    type=DATE,
    multiple=True,
    help="Also backtest at this cutoff (repeatable).",
)
@date_option(
    "Run date: a history ending more than a year before it is said (default: today in England)."
)
@config_option
@store_option
@strict_option
@user_errors
@one_run_per_folder
def forecast(
    history_path: Path, out_dir: Path, start: dt.datetime | None,
    horizon_months: int | None, num_paths: int | None, seed: int | None,
    scenario_path: Path | None, supply_path: Path | None, placements_path: Path | None,
    cutoffs: tuple[dt.datetime, ...], run_date: dt.datetime | None, config_path: Path | None,
    store_url: str | None, strict: bool,
) -> None:  # fmt: skip
    """Forecast children looked after by placement category and age band, with intervals.

    Writes demand.csv, starts.csv (placements to find), assumptions.csv, supply.csv,
    shortfall.csv and purchases.csv (with --supply or --placements),
    demand_scenario.csv and scenario_comparison.csv (with --scenario), backtest.csv,
    backtest_coverage.csv and backtest_starts.csv (with --backtest-cutoff), forecast.xlsx,
    forecast.html and data_quality.csv to OUT. The same seed gives byte-identical CSVs.
    The history may be imperfect: what is repaired or set aside is summarised and listed
    in data_quality.csv (--strict refuses instead).

    Example: sufficiency forecast --history data/sample/ssda903 --out out/forecast
    --supply data/sample/supply.toml --scenario data/sample/scenarios/entries_up_20.toml
    """
    from sufficiency import api
    from sufficiency.config import load_params
    from sufficiency.store.record import recorded_run

    params = load_params(config_path)
    fparams = api.forecast_params(params, horizon_months=horizon_months, num_paths=num_paths,
                                  seed=seed)  # fmt: skip
    used = {k: v for k, v in (("history", history_path), ("scenario", scenario_path),
                              ("supply", supply_path), ("placements", placements_path),
                              ("config", config_path)) if v is not None}  # fmt: skip
    with recorded_run("forecast", {"forecast": fparams.model_dump(mode="json")}, used,
                      store_url) as rec, Progress() as progress:  # fmt: skip
        report = api.forecast(
            history_path, params.model_copy(update={"forecast": fparams}), start=start,
            scenario=scenario_path, supply=supply_path, placements=placements_path,
            backtest_cutoffs=cutoffs, strict=strict,
            progress=progress.months(fparams.horizon_months), stages=progress,
            run_date=run_date,
        )  # fmt: skip
        progress("Writing outputs")
        written = report.write(out_dir)
        rec.fields = {"outputs": {p.name: p for p in written}, "out_dir": out_dir}
    echo_quality(report.quality, out_dir)
    click.echo(report.headline)
    click.echo(f"Wrote {len(written)} files to {out_dir}")


@click.command()
@history_option
@click.option(
    "--cutoff", "cutoffs", type=DATE, multiple=True, required=True,
    help="Cutoff date (repeatable).",
)  # fmt: skip
@horizon_option("Months forecast from each cutoff.", default=12)
@out_option()
@paths_option()
@seed_option
@config_option
@strict_option
@user_errors
@one_run_per_folder
def backtest(
    history_path: Path, cutoffs: tuple[dt.datetime, ...], horizon_months: int, out_dir: Path,
    num_paths: int | None, seed: int | None, config_path: Path | None, strict: bool,
) -> None:  # fmt: skip
    """Refit at each cutoff with only the data before it, and score against what happened.

    Compares our forecast with persistence (no change) and a deterministic
    stock-and-flow model: absolute percentage errors at 3, 6 and 12 months and the
    coverage of the P10-P90 band; and the placement starts and entries over the horizon
    against what happened. Writes backtest.csv, backtest_coverage.csv,
    backtest_summary.csv, backtest_starts.csv and data_quality.csv.

    Example: sufficiency backtest --history data/sample/ssda903 --cutoff 2024-03-31
    --cutoff 2025-03-31 --horizon-months 12 --out out/backtest
    """
    from sufficiency import api
    from sufficiency.config import load_params
    from sufficiency.forecast.backtest import starts_sentences

    with Progress() as progress:
        report = api.backtest(history_path, cutoffs, load_params(config_path),
                              horizon_months=horizon_months, num_paths=num_paths, seed=seed,
                              strict=strict, progress=progress)  # fmt: skip
        progress("Writing outputs")
        written = report.write(out_dir)
    echo_quality(report.quality, out_dir)
    click.echo("Mean absolute percentage error of the total (%), by horizon in months:")
    summary = report.summary
    click.echo(summary.round(2).to_string(index=False, na_rep=""))
    if summary.drop(columns="p10_p90_coverage_pct").isna().any().any():
        click.echo("A blank: the actual total was 0 children then, so no percentage error "
                   "can be scored (backtest.csv has the counts).")  # fmt: skip
    for line in starts_sentences(report.result):
        click.echo(line)
    click.echo(f"Wrote {len(written)} files to {out_dir}")
