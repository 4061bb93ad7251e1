"""``sufficiency region``: every member authority and scenario on Dask (registered by
:mod:`sufficiency.cli`). Exit codes: 0 all ran; 1 input or configuration error; 3
partial (some members failed, the rest ran: the report says which and why); 4 no
member ran; 130 stopped with Ctrl-C (nothing of the run kept, or, pressed while its
folders were published, the run kept whole).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sufficiency import clock
from sufficiency.commands import common
from sufficiency.commands.progress import Progress
from sufficiency.io.interrupts import outlasting

#: Exit code of a run stopped with Ctrl-C (128 + SIGINT, as a shell gives it).
EXIT_STOPPED = 130
STOPPED = (
    "Stopped (Ctrl-C) before this run's folders were published: nothing of it was kept, "
    "and {out} holds what an earlier run left there as it was, its members' folders and "
    "report together."
)
STOPPED_WHOLE = (
    "Stopped (Ctrl-C) while this run's folders were published: the publishing was "
    "finished first, so {out} holds this run whole, its members' folders and report "
    "together; the summary was not printed."
)


@click.command("region")
@common.path_option(
    "--members",
    "members_path",
    "Members file (TOML): one [[member]] table per authority.",
    required=True,
)
@common.out_option("Folder for members/<code>/..., pooled/ and region.xlsx, .html, .csv.")
@common.path_option(
    "--scenario",
    "scenario_paths",
    "Forecast scenario (TOML) run for every member (repeatable).",
    multiple=True,
)
@click.option(
    "--workers",
    type=click.IntRange(1, 4096),
    default=None,
    help="Worker processes of the local Dask cluster (default: one per core).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Use an existing Dask cluster (tcp://HOST:8786) instead of a local one.",
)
@common.paths_option()
@common.seed_option
@common.horizon_option("Months ahead (default from the configuration: 36).")
@common.date_option("Run date shown in the spend outputs (default: today in England).")
@click.option(
    "--no-commissioning",
    is_flag=True,
    default=False,
    help="Skip the members' commissioning plans and the pooled plan (faster).",
)
@common.config_option
@common.strict_option
@common.user_errors
def region(
    members_path: Path,
    out_dir: Path,
    scenario_paths: tuple[Path, ...],
    workers: int | None,
    scheduler: str | None,
    num_paths: int | None,
    seed: int | None,
    horizon_months: int | None,
    run_date: dt.datetime | None,
    no_commissioning: bool,
    config_path: Path | None,
    strict: bool,
) -> None:
    """Forecast, backtest, spend and commission every member of a region, on Dask.

    Per member and scenario: the forecast (with a backtest twelve months before the
    history's end) and the spend projection, written to OUT/members/<code>/<scenario>/
    forecast and .../spend exactly as the forecast and spend commands write them; each
    member with levers: its own plan and sensitivity (OUT/members/<code>/commission);
    with two or more: the pooled plan (OUT/pooled). Then region.xlsx, region.html and
    region.csv in OUT. Without --scheduler a local cluster (one worker per core) starts
    and stops with the command. Exit codes: 0 all ran, 1 input error, 3 partial (a
    member failed; the others ran), 4 nothing ran, 130 stopped with Ctrl-C.

    Example: sufficiency region --members region/members.toml --out out/region
    --scenario data/sample/scenarios/entries_up_20.toml --workers 2
    """
    from sufficiency import api
    from sufficiency.config import load_params
    from sufficiency.region import load_members, run_region
    from sufficiency.region.report import caution_table, failures_once

    params = load_params(config_path)
    fparams = api.forecast_params(
        params, horizon_months=horizon_months, num_paths=num_paths, seed=seed
    )
    params = params.model_copy(update={"forecast": fparams})
    members = load_members(members_path)
    day = run_date.date() if run_date else clock.today()
    written: list[Path] | None = None
    with Progress() as progress:
        try:  # Ctrl-C from the publish of the folders on waits for their report
            with outlasting():
                result = run_region(
                    members,
                    out_dir,
                    scenarios=scenario_paths,
                    params=params,
                    workers=workers,
                    scheduler=scheduler,
                    seed=fparams.seed,
                    run_date=day,
                    strict=strict,
                    commissioning=not no_commissioning,
                    progress=progress,
                )
                progress("Writing the region's report")
                written = result.write(out_dir)
        except KeyboardInterrupt:  # click said "Aborted!", exit 1 (an input error's)
            stopped = STOPPED if written is None else STOPPED_WHOLE
            click.echo(stopped.format(out=out_dir), err=True)
            raise SystemExit(EXIT_STOPPED) from None
    # each member's own warnings once (its forecasts', spend's and plans', pooled too)
    for row in caution_table(result).itertuples():
        click.echo(f"Warning: {row.authority} ({row.code}): {row.warning}", err=True)
    for s in result.members:
        cutoff = f", backtest cutoff {s.backtest_cutoff}" if s.backtest_cutoff else ""
        click.echo(
            f"{s.name} ({s.code}), {s.scenario}: seed {s.seed}{cutoff}; "
            f"children now {s.in_care_now:,.0f}, at the horizon "
            f"{s.in_care_forecast:,.0f}"
        )
    # a member left out of the pool ran: said as that, not as a failure
    for o in result.left_out_of_pool:
        click.echo(f"{o.name} ({o.code}): {o.reason}", err=True)
    # each member's failure once, with the runs it stopped (it was said once a scenario)
    for f, runs in failures_once(result):
        click.echo(f"Failed: {f.name} ({f.code}), {runs}: {f.reason}", err=True)
        for line in f.quality:
            click.echo(f"  {line}", err=True)
    for path in written:
        click.echo(f"Wrote {path}")
    raise SystemExit(result.exit_code)
