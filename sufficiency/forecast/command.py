"""Click commands ``forecast`` and ``backtest`` (registered by ``sufficiency.cli``).

Each command parses options, calls one library function and writes; library errors
become ``Error: <message>`` and exit code 1, warnings ``Warning: <message>`` on stderr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
import pandas as pd

from sufficiency.cli_common import echo_quality, store_option, strict_option, user_errors

F = TypeVar("F", bound=Callable[..., Any])
_DATE = click.DateTime(["%Y-%m-%d"])


@contextlib.contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar on stderr when it is a terminal; otherwise nothing."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda _month: bar.advance(task)


def _history_option(func: F) -> F:
    return click.option(
        "--history",
        "history_dir",
        type=click.Path(exists=True, path_type=Path),
        required=True,
        help="Folder of 903 returns (per-year folders such as 2024/episodes.csv).",
    )(func)


def _common(func: F) -> F:
    for opt in reversed(
        [
            click.option(
                "--paths",
                "num_paths",
                type=int,
                default=None,
                help="Simulated futures (default 1000).",
            ),
            click.option("--seed", type=int, default=None, help="Random seed (default 2026)."),
            click.option(
                "--config",
                "config_path",
                type=click.Path(dir_okay=False, path_type=Path),
                default=None,
                help="TOML file with a [forecast] section.",
            ),
        ]
    ):
        func = opt(func)
    return func


def _params(config_path: Path | None, **overrides: Any) -> Any:
    from sufficiency.forecast.params import load_forecast_params

    params = load_forecast_params(config_path)
    update = {k: v for k, v in overrides.items() if v is not None}
    return params.model_validate({**params.model_dump(), **update}) if update else params


@click.command()
@_history_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option(
    "--horizon-months", type=click.IntRange(1, 60), default=None, help="Months ahead (default 36)."
)
@click.option(
    "--start", type=_DATE, default=None, help="Last observed day (default: end of the data)."
)
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Scenario TOML file.",
)
@click.option(
    "--supply",
    "supply_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Supply TOML file.",
)
@click.option(
    "--placements",
    "placements_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Placement register (for current vacancies).",
)
@click.option(
    "--backtest-cutoff",
    "cutoffs",
    type=_DATE,
    multiple=True,
    help="Also backtest at this cutoff (repeatable).",
)
@store_option
@strict_option
@_common
@user_errors
def forecast(
    store_url: str | None,
    strict: bool,
    history_dir: Path,
    out_dir: Path,
    horizon_months: int | None,
    start: dt.datetime | None,
    scenario_path: Path | None,
    supply_path: Path | None,
    placements_path: Path | None,
    cutoffs: tuple[dt.datetime, ...],
    num_paths: int | None,
    seed: int | None,
    config_path: Path | None,
) -> None:
    """Forecast children looked after by placement category and age band, with intervals.

    Writes demand.csv, starts.csv (placements to find), shortfall.csv (with --supply or
    --placements), forecast.xlsx, forecast.html and data_quality.csv to OUT. The same
    seed gives byte-identical CSVs. The history may be imperfect: what is repaired or
    set aside is summarised and listed in data_quality.csv (--strict refuses instead).

    Example: sufficiency forecast --history data/sample/ssda903 --out out/forecast
    --supply data/sample/supply.toml --scenario data/sample/scenarios/entries_up_20.toml
    """
    from sufficiency.forecast.report import run_forecast
    from sufficiency.forecast.scenario import load_scenario
    from sufficiency.forecast.supply import load_supply
    from sufficiency.forecast.writers import write_report
    from sufficiency.io.inputs import read_placements
    from sufficiency.io.ssda903 import read_history

    params = _params(config_path, horizon_months=horizon_months, num_paths=num_paths, seed=seed)
    scenario = load_scenario(scenario_path) if scenario_path else None
    supply = load_supply(supply_path) if supply_path else None
    placements = read_placements(placements_path) if placements_path else None
    history = read_history(history_dir, strict=strict)
    runs = 2 if scenario is not None else 1
    from sufficiency.store.record import recorded_run

    used = {k: v for k, v in (("history", history_dir), ("scenario", scenario_path),
                              ("supply", supply_path), ("placements", placements_path),
                              ("config", config_path)) if v is not None}  # fmt: skip
    with recorded_run("forecast", {"forecast": params.model_dump(mode="json")}, used,
                      store_url) as rec:  # fmt: skip
        with _progress(runs * params.horizon_months, "Simulating") as progress:
            report = run_forecast(
                history,
                params,
                start=pd.Timestamp(start) if start else None,
                scenario=scenario,
                supply=supply,
                placements=placements,
                backtest_cutoffs=[pd.Timestamp(c) for c in cutoffs],
                progress=progress,
            )
        written = write_report(report, out_dir)
        rec.fields = {"outputs": {Path(p).name: Path(p) for p in written}, "out_dir": out_dir}
    echo_quality(history.quality, out_dir)
    tot = report.demand[(report.demand["category"] == "all") & (report.demand["age_band"] == "all")]
    last = tot.iloc[-1]
    click.echo(
        f"Children looked after on {tot.iloc[0]['month']}: {tot.iloc[0]['mean']:.0f}; "
        f"on {last['month']}: {last['mean']:.0f} (P10 {last['p10']:.0f}, P90 {last['p90']:.0f})."
    )
    click.echo(f"Wrote {len(written)} files to {out_dir}")


@click.command()
@_history_option
@click.option(
    "--cutoff",
    "cutoffs",
    type=_DATE,
    multiple=True,
    required=True,
    help="Cutoff date (repeatable).",
)
@click.option("--horizon-months", type=click.IntRange(1, 60), default=12, show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True)
@strict_option
@_common
@user_errors
def backtest(
    strict: bool,
    history_dir: Path,
    cutoffs: tuple[dt.datetime, ...],
    horizon_months: int,
    out_dir: Path,
    num_paths: int | None,
    seed: int | None,
    config_path: Path | None,
) -> None:
    """Refit at each cutoff with only the data before it, and score against what happened.

    Compares our forecast with persistence (no change) and a deterministic
    stock-and-flow model: absolute percentage errors at 3, 6 and 12 months and the
    coverage of the P10-P90 band. Writes backtest.csv, backtest_coverage.csv and
    backtest_summary.csv.

    Example: sufficiency backtest --history data/sample/ssda903 --cutoff 2024-03-31
    --cutoff 2025-03-31 --horizon-months 12 --out out/backtest
    """
    from sufficiency.forecast.backtest import backtest as run_backtest
    from sufficiency.forecast.writers import write_csv
    from sufficiency.io.quality_writers import write_quality_csv
    from sufficiency.io.ssda903 import read_history

    params = _params(config_path, num_paths=num_paths, seed=seed)
    history = read_history(history_dir, strict=strict)
    result = run_backtest(history, [pd.Timestamp(c) for c in cutoffs], horizon_months, params)
    summary = result.summary()
    written = [
        write_csv(out_dir / "backtest.csv", result.scores),
        write_csv(out_dir / "backtest_coverage.csv", result.coverage),
        write_csv(out_dir / "backtest_summary.csv", summary),
        write_quality_csv(history.quality, out_dir),
    ]
    echo_quality(history.quality, out_dir)
    click.echo("Mean absolute percentage error of the total (%), by horizon in months:")
    click.echo(summary.round(2).to_string(index=False))
    click.echo(f"Wrote {sum(p is not None for p in written)} files to {out_dir}")
