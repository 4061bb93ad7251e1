"""The ``sufficiency match`` command (registered by :mod:`sufficiency.cli`)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sufficiency.commands.common import (
    config_option,
    date_option,
    one_run_per_folder,
    out_option,
    path_option,
    store_option,
    user_errors,
)
from sufficiency.commands.progress import Progress
from sufficiency.config import load_params
from sufficiency.plurals import for_count, numbered

if TYPE_CHECKING:
    from sufficiency.matching.summary import InputNote, MatchSummary


@click.command("match")
@path_option("--referrals", "referrals_path", "Referrals CSV/XLSX.", required=True)
@path_option("--placements", "placements_path", "Placement register CSV/XLSX.", required=True)
@date_option("Run date (YYYY-MM-DD); ages and availability are judged on it.", required=True)
@out_option()
@click.option(
    "--solver",
    type=click.Choice(["highspy", "ortools", "highs", "cbc"]),
    default=None,
    help="Solver backend: highspy (HiGHS directly; the default), ortools (SCIP), "
    "highs (PuLP + HiGHS) or cbc (PuLP + CBC).",
)
@config_option
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
@path_option("--decisions", "decisions_path", "The team's decisions CSV/XLSX (child_id, "
             "placement_id, decision = pin or exclude, reason, decided_by, until).")  # fmt: skip
@click.option("--decisions-from-store", "decisions_from_store", is_flag=True, default=False,
              help="Use the decisions made in the web application (kept in the run store) "
              "and in force on the run date; they are written to OUT/team_decisions.csv "
              "first, so the run records exactly what it read.")  # fmt: skip
@store_option
@user_errors
@one_run_per_folder
def match(
    referrals_path: Path, placements_path: Path, run_date: dt.datetime, out_dir: Path,
    solver: str | None, config_path: Path | None, time_limit: float | None,
    strict: bool, decisions_path: Path | None, decisions_from_store: bool, store_url: str | None,
) -> None:  # fmt: skip
    """Propose the best matches for tonight's referrals.

    Writes matches.csv, unplaced.csv, alternatives.csv, summary.json and the 8am
    match report (match_report.xlsx and match_report.html) into OUT.

    Example: sufficiency match --referrals data/sample/referrals.csv
    --placements data/sample/placements.csv --date 2026-04-01 --out out/match
    """
    started = time.perf_counter()  # the time limit covers the whole run, reading included
    from sufficiency.io.atomic import sha256_file
    from sufficiency.matching.run import match as run_match
    from sufficiency.matching.run import matching_params, read_under
    from sufficiency.store.record import match_fields, recorded_run
    from sufficiency.store.referral_gaps import gaps_in

    params = matching_params(load_params(config_path), solver=solver,
                             time_limit_seconds=time_limit)  # fmt: skip
    day = run_date.date()
    if decisions_from_store:
        if decisions_path is not None:
            raise click.UsageError("use --decisions or --decisions-from-store, not both")
        decisions_path = store_decisions_file(store_url, day, out_dir)
    # recorded with absolute paths: a re-run from the web application finds them again
    inputs = {"referrals": referrals_path.resolve(), "placements": placements_path.resolve()}
    if decisions_path is not None:
        inputs["decisions"] = decisions_path.resolve()
    with Progress() as progress:
        # read before the run is recorded: a file that cannot be used is not a run
        progress("Reading the referrals and the placement register")
        tonight = read_under(params, referrals_path, placements_path, day, strict=strict,
                             decisions=decisions_path)  # fmt: skip
        hashes = {k: sha256_file(p) for k, p in inputs.items()}
        with recorded_run("match", params.model_dump(mode="json"), inputs, store_url) as rec:
            run = run_match(tonight, run_date=day, params=params, input_sha256=hashes,
                            started=started, progress=progress,
                            gaps=gaps_in(rec.store, inputs["referrals"], day))  # fmt: skip
            progress("Writing outputs")
            written = run.write(out_dir)
            rec.fields = match_fields(run, written, out_dir)
            s = run.summary
    for line in input_lines(s):
        click.echo(line, err=True)
    if len(s.by_council) > 1:  # a regional night: each council's own children
        click.echo(f"By council ({len(s.by_council)}):")
        for council in s.by_council:
            click.echo(f"  {council.line()}")
    g = s.greedy_baseline
    if run.decisions.headline():
        click.echo(run.decisions.headline())
    click.echo(
        f"{s.status.value}: placed {s.children_placed} of {s.children_referred} children referred, "
        f"weekly cost £{s.weekly_cost_gbp:,.0f} (today's practice: "
        f"£{g.weekly_cost_gbp:,.0f}); priority score {s.priority_score:,.0f} "
        f"(not money; today's practice {g.priority_score:,.0f}); outputs in {out_dir}"
    )
    if not s.proven_optimal:
        click.echo(f"Warning: {s.message}", err=True)


def store_decisions_file(store_url: str | None, day: dt.date, out_dir: Path) -> Path:
    """Write the run store's decisions in force on ``day`` to ``out_dir/team_decisions.csv``."""
    from sufficiency.store import RunStore
    from sufficiency.store.team_decisions import write_decisions_file

    store = RunStore(store_url)
    try:
        path = out_dir / "team_decisions.csv"
        write_decisions_file(store, path, on=day)
        return path
    finally:
        store.close()


#: Warnings of one kind printed in full before the rest are only counted.
_NOTES_SHOWN = 5


def input_lines(summary: MatchSummary) -> list[str]:
    """Console lines for what the inputs made the run do: rows set aside (each in a
    sentence), columns not recognised, warnings (a few of each kind, then a count), and the
    children placed whose distance from home is not known, which "over 20 miles" leaves out."""
    lines = []
    aside = summary.set_aside
    if aside:
        lines.append(f"{numbered(len(aside), 'input row(s)')} set aside; the rest were matched:")
        for a in aside:
            where = f"{a.file} row {a.row}" if a.row is not None else a.file
            lines.append(f"  SET ASIDE {where} ({a.id or 'no ID'}): {a.problem}")
    by_code: dict[str, list[InputNote]] = {}
    for n in summary.input_notes:
        by_code.setdefault(n.code, []).append(n)
    for code, notes in by_code.items():
        for n in notes[:_NOTES_SHOWN]:
            lines.append(f"  WARNING {n.file}: {n.note}")
        if len(notes) > _NOTES_SHOWN:
            lines.append(f"  ... and {len(notes) - _NOTES_SHOWN:,} more {code} "
                         f"{for_count(len(notes) - _NOTES_SHOWN, 'warning(s)')} "
                         "(all in summary.json and the report)")  # fmt: skip
    if summary.distance_unknown:
        lines.append(f"{numbered(summary.distance_unknown, 'proposal(s)')} with a distance "
                     "unknown or assumed (see distance_note in matches.csv)")  # fmt: skip
    plan = summary.plan
    if plan.placed_distance_not_known:  # the count leaves them out: say so, and why
        lines.append(f"{plan.placed_over_20_miles} placed over 20 miles from home"
                     f"{plan.not_counted()}")  # fmt: skip
    return lines
