"""The ``sufficiency match`` command (registered by :mod:`sufficiency.cli`)."""

from __future__ import annotations

import datetime as dt
import importlib
import time
from pathlib import Path

import click

from sufficiency.config import load_params
from sufficiency.errors import SufficiencyError
from sufficiency.io.atomic import sha256_file
from sufficiency.store.command import store_option


@click.command("match")
@click.option(
    "--referrals",
    "referrals_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Referrals CSV/XLSX.",
)
@click.option(
    "--placements",
    "placements_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Placement register CSV/XLSX.",
)
@click.option(
    "--date",
    "run_date",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Run date (YYYY-MM-DD); ages and availability are judged on it.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the outputs (created if missing).",
)
@click.option(
    "--solver",
    type=click.Choice(["highspy", "ortools", "highs", "cbc"]),
    default=None,
    help="Solver backend: highspy (HiGHS directly; the default), ortools (SCIP), "
    "highs (PuLP + HiGHS) or cbc (PuLP + CBC).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TOML file overriding configs/default.toml.",
)
@click.option(
    "--time-limit",
    "time_limit",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Solver time limit in seconds.",
)
@store_option
def match(
    referrals_path: Path, placements_path: Path, run_date: dt.datetime, out_dir: Path,
    solver: str | None, config_path: Path | None, time_limit: float | None,
    store_url: str | None,
) -> None:  # fmt: skip
    """Propose the best matches for tonight's referrals.

    Writes matches.csv, unplaced.csv, alternatives.csv, summary.json and
    match_report.xlsx into OUT.

    Example: sufficiency match --referrals data/sample/referrals.csv
    --placements data/sample/placements.csv --date 2026-03-01 --out out/match
    """
    started = time.perf_counter()  # the time limit covers the whole run, reading included
    # imported by name at run time: the readers belong to another part of the tree
    inputs = importlib.import_module("sufficiency.io.inputs")
    from sufficiency.matching.report import write_match_outputs
    from sufficiency.matching.run import run_matching

    try:
        params = load_params(config_path)
        update: dict[str, object] = {}
        if solver is not None:
            update["solver"] = solver
        if time_limit is not None:
            update["time_limit_seconds"] = time_limit
        if update:
            params = params.model_copy(
                update={"matching": params.matching.model_copy(update=update)}
            )
        day = run_date.date()
        refs = inputs.read_referrals(
            referrals_path, default_responsible_la=params.general.responsible_la, run_date=day
        )
        plc = inputs.read_placements(placements_path)
        hashes = {
            "referrals": sha256_file(referrals_path),
            "placements": sha256_file(placements_path),
        }
        from sufficiency.nightly import match_records
        from sufficiency.store.record import recorded_run

        inputs_used = {"referrals": referrals_path, "placements": placements_path}
        config = params.model_dump(mode="json")
        with recorded_run("match", config, inputs_used, store_url) as rec:
            run = run_matching(refs, plc, day, params, input_sha256=hashes, started=started)
            written = write_match_outputs(run, out_dir)
            rows, outcomes = match_records(refs, plc, run)
            s = run.summary
            rec.fields = {
                "outputs": {p.name: p for p in written},
                "out_dir": out_dir,
                "solver_status": str(s["status"]),
                "objective": float(s["objective_gbp"]),
                "gap": None if s.get("gap") is None else float(s["gap"]),
                "summary": {k: v for k, v in s.items() if k not in ("config", "inputs_sha256")},
                "outcomes": outcomes,
                "rows": rows,
            }
    except SufficiencyError as exc:
        raise click.ClickException(str(exc)) from None
    s = run.summary
    click.echo(
        f"{s['status']}: placed {s['children_placed']} of {s['num_children']} children, "
        f"objective £{s['objective_gbp']:,.2f} (greedy baseline "
        f"£{s['greedy_baseline']['objective_gbp']:,.2f}); outputs in {out_dir}"
    )
    if not s["proven_optimal"]:
        click.echo(f"Warning: {s['message']}", err=True)
