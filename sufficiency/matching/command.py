"""The ``sufficiency match`` command (registered by :mod:`sufficiency.cli`)."""

from __future__ import annotations

import datetime as dt
import importlib
import time
from pathlib import Path

import click

from sufficiency.cli_common import store_option
from sufficiency.config import load_params
from sufficiency.errors import SufficiencyError
from sufficiency.io.atomic import sha256_file


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
@click.option(
    "--strict",
    is_flag=True,
    default=False,
    help="Refuse to run if any referral or register row has an error (by default such "
    "rows are set aside and the rest matched).",
)
@click.option(
    "--decisions",
    "decisions_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The team's decisions CSV/XLSX (child_id, placement_id, decision = pin or "
    "exclude, reason, decided_by, until).",
)
@store_option
def match(
    referrals_path: Path, placements_path: Path, run_date: dt.datetime, out_dir: Path,
    solver: str | None, config_path: Path | None, time_limit: float | None,
    strict: bool, decisions_path: Path | None, store_url: str | None,
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
        tonight = inputs.read_tonight(
            referrals_path, placements_path, default_responsible_la=params.general.responsible_la,
            run_date=day, strict=strict, decisions=decisions_path,
        )  # fmt: skip
        refs, plc = tonight.referrals.table, tonight.placements.table
        hashes = {
            "referrals": sha256_file(referrals_path),
            "placements": sha256_file(placements_path),
        }
        from sufficiency.nightly import match_records
        from sufficiency.store.record import recorded_run

        inputs_used = {"referrals": referrals_path, "placements": placements_path}
        decisions = None if tonight.decisions is None else tonight.decisions.table
        if decisions_path is not None:
            hashes["decisions"] = sha256_file(decisions_path)
            inputs_used["decisions"] = decisions_path
        config = params.model_dump(mode="json")
        with recorded_run("match", config, inputs_used, store_url) as rec:
            run = run_matching(refs, plc, day, params, input_sha256=hashes,
                               set_aside=tonight.set_aside, notes=tonight.problems,
                               decisions=decisions, started=started)  # fmt: skip
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
                "decisions": [n.as_dict() for n in run.decisions.notes],
            }
    except SufficiencyError as exc:
        raise click.ClickException(str(exc)) from None
    for line in input_lines(run.summary):
        click.echo(line, err=True)
    s, g = run.summary, run.summary["greedy_baseline"]
    if run.decisions.headline():
        click.echo(run.decisions.headline())
    click.echo(
        f"{s['status']}: placed {s['children_placed']} of {s['num_children']} children, "
        f"weekly cost £{s['weekly_cost_gbp']:,.2f}, priority score {s['priority_score']:,.0f} "
        f"(greedy baseline: £{g['weekly_cost_gbp']:,.2f} a week, score "
        f"{g['priority_score']:,.0f}); outputs in {out_dir}"
    )
    if not s["proven_optimal"]:
        click.echo(f"Warning: {s['message']}", err=True)


#: Warnings of one kind printed in full before the rest are only counted.
_NOTES_SHOWN = 5


def input_lines(summary: dict) -> list[str]:  # type: ignore[type-arg]
    """Console lines for what the inputs made the run do: rows set aside (each in a
    sentence), columns not recognised, and warnings (a few of each kind, then a count)."""
    lines = []
    aside = summary.get("set_aside", [])
    if aside:
        lines.append(f"{len(aside)} input row(s) set aside; the rest were matched:")
        for a in aside:
            where = f"{a['file']} row {a['row']}" if a.get("row") is not None else a["file"]
            lines.append(f"  SET ASIDE {where} ({a.get('id') or 'no ID'}): {a['problem']}")
    by_code: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for n in summary.get("input_notes", []):
        by_code.setdefault(n["code"], []).append(n)
    for code, notes in by_code.items():
        for n in notes[:_NOTES_SHOWN]:
            lines.append(f"  WARNING {n['file']}: {n['note']}")
        if len(notes) > _NOTES_SHOWN:
            lines.append(f"  ... and {len(notes) - _NOTES_SHOWN} more {code} warning(s) "
                         "(all in summary.json and the report)")  # fmt: skip
    if summary.get("distance_unknown"):
        lines.append(f"{summary['distance_unknown']} proposal(s) with a distance unknown or "
                     "assumed (see distance_note in matches.csv)")  # fmt: skip
    return lines
