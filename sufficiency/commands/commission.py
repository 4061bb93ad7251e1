"""``sufficiency commission``: what to recruit, block-buy or spot-purchase (registered by
:mod:`sufficiency.cli`). Runs are recorded in the run store, as match and forecast runs are.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import get_args

import click

from sufficiency.commands import common
from sufficiency.commands.progress import Progress
from sufficiency.commissioning.pooled import saving_sentence
from sufficiency.config import CommissioningParams


@click.command("commission")
@common.history_option
@common.path_option(
    "--levers", "levers_path", "Commissioning file (TOML) with lever costs and sources.",
    required=True,
)  # fmt: skip
@common.out_option("Folder for plan.csv, commissioning.xlsx and commissioning.html.")
@common.paths_option("Demand paths to optimise on (default from the configuration: 1,000).")
@click.option(
    "--eval-paths",
    "eval_paths",
    type=click.IntRange(10, 100_000),
    default=None,
    help="Fresh demand paths every plan is scored on (default from the configuration: 1,000).",
)
@common.seed_option
@common.horizon_option("Months planned (12-60; default from the configuration: 60).", min_months=12)
@click.option(
    "--solver",
    type=click.Choice(get_args(CommissioningParams.model_fields["solver"].annotation)),
    default=None,
    help="Solver backend (default from the configuration: highs).",
)
@common.config_option
@common.path_option(
    "--pool-with", "pool_with",
    "Another authority's SSDA903 history to pool block contracts with (repeatable); "
    "writes pooling.csv.", kind="folder", multiple=True,
)  # fmt: skip
@common.path_option(
    "--pool-levers", "pool_levers",
    "That authority's own levers file (repeatable, one per --pool-with, in the same "
    "order); default: --levers for every authority. Block contracts stay those of --levers.",
    multiple=True,
)  # fmt: skip
@click.option(
    "--no-sensitivity", is_flag=True, default=False, help="Skip the sensitivity runs (faster)."
)
@common.date_option(
    "Run date: a history ending more than a year before it is said (default: today in England)."
)
@common.store_option
@common.strict_option
@common.user_errors
@common.one_run_per_folder
def commission(
    history_path: Path, levers_path: Path, out_dir: Path, num_paths: int | None,
    eval_paths: int | None, seed: int | None, horizon_months: int | None,
    solver: str | None, config_path: Path | None, pool_with: tuple[Path, ...],
    pool_levers: tuple[Path, ...], no_sensitivity: bool, run_date: dt.datetime | None,
    store_url: str | None, strict: bool,
) -> None:  # fmt: skip
    """Choose what to recruit, block-buy or spot-purchase, under forecast uncertainty.

    Writes plan.csv (lever, year, starts, commitment, cost_gbp), comparison.csv,
    sensitivity.csv, commissioning.xlsx, commissioning.html (the forecast's fan
    charts with the commissioning section) and data_quality.csv into OUT, and records
    the run in the run store. With --pool-with, also pooling.csv: each authority of a regional
    co-operative alone against sharing block contracts (each on its own --pool-levers
    prices when given), pooled_plan.csv (the pooled plan: each authority's own
    commitments and the shared block contracts) and pooling_data_quality.csv (the other
    histories' findings).

    Example: sufficiency commission --history data/sample/ssda903
    --levers data/sample/levers.toml --out out/commissioning
    """
    from sufficiency import api
    from sufficiency.commissioning.case import headline
    from sufficiency.commissioning.run import commission_params
    from sufficiency.config import load_params
    from sufficiency.store.record import recorded_run

    inputs = {k: v for k, v in (("history", history_path), ("levers", levers_path),
                                ("config", config_path)) if v is not None}  # fmt: skip
    inputs.update({f"pool_with_{i + 1}": p for i, p in enumerate(pool_with)})
    inputs.update({f"pool_levers_{i + 1}": p for i, p in enumerate(pool_levers)})
    params = commission_params(
        load_params(config_path), num_paths=num_paths, eval_paths=eval_paths, seed=seed,
        horizon_months=horizon_months, solver=solver,
    )  # fmt: skip
    config = {key: getattr(params, key).model_dump(mode="json")
              for key in ("forecast", "finance", "commissioning")}  # fmt: skip

    with recorded_run("commission", config, inputs, store_url) as rec, Progress() as progress:
        result = api.commission(history_path, levers_path, params,
                                with_sensitivity=not no_sensitivity, pool_with=pool_with,
                                pool_with_levers=pool_levers, strict=strict,
                                progress=progress, run_date=run_date)  # fmt: skip
        progress("Writing outputs")
        written = result.write(out_dir)
        plan = result.report.stochastic
        rec.fields = {
            "outputs": {p.name: p for p in written},
            "out_dir": out_dir,
            "solver_status": str(plan.status),
            "objective": float(plan.objective_gbp),
            "summary": result.summary(),
        }
    common.echo_quality(result.quality, out_dir)
    for name, quality in result.pool_quality:
        if quality is not None and (quality.num_findings() or quality.missing_years):
            click.echo(f"Pooled authority {name}:")
            for line in quality.summary_lines():
                click.echo(f"  {line}")
            click.echo(f"  Every finding: {out_dir / 'pooling_data_quality.csv'}")
    for name, notes in result.pool_notes:  # as its own forecast's, naming the authority
        for note in notes:
            click.echo(f"Warning: pooled authority {name}: {note}", err=True)
    for path in written:
        click.echo(f"Wrote {path}")
    click.echo(result.recommendation[-2])
    click.echo(headline(result.report).sentence())  # the saving's spread, as the case says it
    if proof := result.report.stochastic.proof():  # the solver stopped before proving it
        click.echo(proof)
    if result.pooled is not None:
        pooling = f"Pooling block contracts across {len(pool_with) + 1} authorities"
        said = saving_sentence(result.pooled.saving_gbp, pooling, "each commissioning alone")
        click.echo(f"{said} (see pooling.csv; the pooled plan is in pooled_plan.csv).")
        for line in result.pooled.worse_off():
            click.echo(line)
        click.echo(result.pooled.proof())
